"""shipspec: ship orders through TikTok Shop, WeChat mini-shops, Baaship and DeftShip from one typed SDK.

The generated clients live in their own packages (``shipspec_tiktok_shop``, ``shipspec_wechat_shop``,
``shipspec_baaship``, ``shipspec_deftship``) and the carrier-neutral models in ``shipspec_shipping_models``.
"""

__all__: list[str] = []
