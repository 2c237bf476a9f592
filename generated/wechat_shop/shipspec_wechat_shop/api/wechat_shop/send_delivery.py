from http import HTTPStatus
from typing import Any

import httpx

from ... import checks, errors
from ...client import AuthenticatedClient, Client
from ...models.send_delivery_request import SendDeliveryRequest
from ...models.send_delivery_response import SendDeliveryResponse
from ...types import Response


def _get_kwargs(
    *,
    body: SendDeliveryRequest,
    body_json: Any = None,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/product/delivery/send",
    }

    _kwargs["json"] = body.to_dict() if body_json is None else body_json

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _checked_kwargs(
    *,
    body: SendDeliveryRequest,
) -> dict[str, Any]:
    """The request, once checked against the spec: raises before anything is sent when it breaks it."""
    body_json = checks.check_request(
        "POST /product/delivery/send",
        {},
        body,
    )
    return _get_kwargs(
        body=body,
        body_json=body_json,
    )


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> SendDeliveryResponse | None:
    if response.status_code == 200:
        response_200 = SendDeliveryResponse.from_dict(checks.answer_json(response))

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[SendDeliveryResponse]:
    checks.check_answer("POST /product/delivery/send", response)
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: SendDeliveryRequest,
) -> Response[SendDeliveryResponse]:
    """Ship an order (whole order or split into packages)

     Marks an order as shipped, either as one package containing the whole order
    (`is_all_product: true`, the default) or split into several packages, each listing its products.

    Rules from the top of the doc:
    - The shipping method was chosen by the buyer when ordering and is already fixed, so this call takes
    no
      shipping-method parameter.
    - When an order holds several identical items (same product_id and same sku_id), all of them must go
    in
      one package (otherwise 800001).
    - Goods whose after-sale process has completed cannot be shipped.

    A resend after a success answers 109001 ("already shipped"); treat it as success of the earlier
    attempt.

    Args:
        body (SendDeliveryRequest): Body of product/delivery/send. Example: {'order_id': 123456,
            'delivery_list': [{'delivery_id': '1', 'is_all_product': True, 'waybill_id':
            '23424324253'}]}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[SendDeliveryResponse]
    """

    kwargs = _checked_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: SendDeliveryRequest,
) -> SendDeliveryResponse:
    """Ship an order (whole order or split into packages)

     Marks an order as shipped, either as one package containing the whole order
    (`is_all_product: true`, the default) or split into several packages, each listing its products.

    Rules from the top of the doc:
    - The shipping method was chosen by the buyer when ordering and is already fixed, so this call takes
    no
      shipping-method parameter.
    - When an order holds several identical items (same product_id and same sku_id), all of them must go
    in
      one package (otherwise 800001).
    - Goods whose after-sale process has completed cannot be shipped.

    A resend after a success answers 109001 ("already shipped"); treat it as success of the earlier
    attempt.

    Args:
        body (SendDeliveryRequest): Body of product/delivery/send. Example: {'order_id': 123456,
            'delivery_list': [{'delivery_id': '1', 'is_all_product': True, 'waybill_id':
            '23424324253'}]}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        SendDeliveryResponse
    """

    return checks.success_of(
        "POST /product/delivery/send",
        sync_detailed(
            client=client,
            body=body,
        ),
        SendDeliveryResponse,
    )


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: SendDeliveryRequest,
) -> Response[SendDeliveryResponse]:
    """Ship an order (whole order or split into packages)

     Marks an order as shipped, either as one package containing the whole order
    (`is_all_product: true`, the default) or split into several packages, each listing its products.

    Rules from the top of the doc:
    - The shipping method was chosen by the buyer when ordering and is already fixed, so this call takes
    no
      shipping-method parameter.
    - When an order holds several identical items (same product_id and same sku_id), all of them must go
    in
      one package (otherwise 800001).
    - Goods whose after-sale process has completed cannot be shipped.

    A resend after a success answers 109001 ("already shipped"); treat it as success of the earlier
    attempt.

    Args:
        body (SendDeliveryRequest): Body of product/delivery/send. Example: {'order_id': 123456,
            'delivery_list': [{'delivery_id': '1', 'is_all_product': True, 'waybill_id':
            '23424324253'}]}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[SendDeliveryResponse]
    """

    kwargs = _checked_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: SendDeliveryRequest,
) -> SendDeliveryResponse:
    """Ship an order (whole order or split into packages)

     Marks an order as shipped, either as one package containing the whole order
    (`is_all_product: true`, the default) or split into several packages, each listing its products.

    Rules from the top of the doc:
    - The shipping method was chosen by the buyer when ordering and is already fixed, so this call takes
    no
      shipping-method parameter.
    - When an order holds several identical items (same product_id and same sku_id), all of them must go
    in
      one package (otherwise 800001).
    - Goods whose after-sale process has completed cannot be shipped.

    A resend after a success answers 109001 ("already shipped"); treat it as success of the earlier
    attempt.

    Args:
        body (SendDeliveryRequest): Body of product/delivery/send. Example: {'order_id': 123456,
            'delivery_list': [{'delivery_id': '1', 'is_all_product': True, 'waybill_id':
            '23424324253'}]}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        SendDeliveryResponse
    """

    return checks.success_of(
        "POST /product/delivery/send",
        await asyncio_detailed(
            client=client,
            body=body,
        ),
        SendDeliveryResponse,
    )
