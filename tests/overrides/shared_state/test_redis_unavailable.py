"""Redis down or stuck: a SharedStateError naming the server within the client's timeouts, never a hang."""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import Callable, Iterator

import pytest
from shipspec.carriers.wechat_shop import WeChatTokenManager
from shipspec.errors import SharedStateError, ShipspecError
from shipspec.pacing import RedisPacer
from shipspec.tokens import RedisTokenStore, TokenRecord

from tests.support.servers import free_port

PASSWORD = "redis-password-never-shown"
SHORT = 0.5  # seconds: the connect and command timeouts of these clients
GENEROUS_BOUND = 15.0  # seconds; a hang would run into the test timeout instead


@contextlib.contextmanager
def silent_server() -> Iterator[int]:
    """A port that accepts connections (the kernel's backlog) and never answers a byte."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield int(listener.getsockname()[1])


def calls(url: str) -> dict[str, Callable[[], object]]:
    store = RedisTokenStore(url, connect_timeout=SHORT, command_timeout=SHORT)
    pacer = RedisPacer(url, "baaship", None, connect_timeout=SHORT, command_timeout=SHORT)

    def locked() -> None:
        with store.lock("k"):
            pass

    return {
        "load": lambda: store.load("k"),
        "save": lambda: store.save("k", TokenRecord("tok", 1.0)),
        "clear": lambda: store.clear("k"),
        "lock": locked,
        "reserve": pacer.reserve,
        "hold": lambda: pacer.hold(1.0),
    }


@pytest.mark.parametrize("call", ["load", "save", "clear", "lock", "reserve", "hold"])
def test_nothing_listening_is_a_typed_error_naming_the_server(call: str) -> None:
    """Connection refused: SharedStateError with host and port, without the URL's password."""
    port = free_port()
    url = f"redis://:{PASSWORD}@127.0.0.1:{port}/0"
    began = time.monotonic()
    with pytest.raises(SharedStateError) as caught:
        calls(url)[call]()
    assert time.monotonic() - began < GENEROUS_BOUND
    assert isinstance(caught.value, ShipspecError)
    assert f"127.0.0.1:{port}" in str(caught.value)
    assert PASSWORD not in str(caught.value)


@pytest.mark.parametrize("call", ["load", "lock", "reserve"])
def test_a_server_that_never_answers_times_out_as_a_typed_error(call: str) -> None:
    """A Redis that accepts and stays silent: the command timeout ends the wait with SharedStateError."""
    with silent_server() as port:
        began = time.monotonic()
        with pytest.raises(SharedStateError, match="Timeout"):
            calls(f"redis://127.0.0.1:{port}/0")[call]()
        assert time.monotonic() - began < GENEROUS_BOUND


def test_reprs_never_show_the_password() -> None:
    """The store's and the pacer's reprs show the server without credentials."""
    url = f"redis://user:{PASSWORD}@127.0.0.1:{free_port()}/0"
    shown = repr(RedisTokenStore(url)) + repr(RedisPacer(url, "baaship", None))
    assert PASSWORD not in shown
    assert "user" not in shown
    assert "127.0.0.1" in shown


def test_a_token_manager_on_a_redis_that_is_down_raises_the_typed_error() -> None:
    """WeChat's token manager surfaces SharedStateError at once instead of fetching or hanging."""
    store = RedisTokenStore(
        f"redis://127.0.0.1:{free_port()}/0", connect_timeout=SHORT, command_timeout=SHORT
    )
    manager = WeChatTokenManager("wx-app", "secret", store, base_url="http://127.0.0.1:9")
    with pytest.raises(SharedStateError):
        manager.get_token()
