"""The SSRF guard: non-public targets are refused before a packet is sent, unless allow-listed."""

from __future__ import annotations

import ipaddress
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from workers.ssrf import (
    AllowList,
    UnsafeTargetError,
    check_url,
    guarded_session,
    is_public,
)

NON_PUBLIC = [
    "127.0.0.1",  # loopback
    "10.0.0.5",  # private
    "172.16.3.4",
    "192.168.1.1",
    "169.254.169.254",  # cloud metadata (link-local)
    "100.64.0.1",  # carrier-grade NAT
    "0.0.0.0",
    "::1",
    "fd00::1",  # unique-local v6
    "fe80::1",  # link-local v6
    "::ffff:127.0.0.1",  # v4-mapped loopback
    "::ffff:169.254.169.254",
]


@pytest.mark.parametrize("address", NON_PUBLIC)
def test_non_public_addresses_are_refused(address: str) -> None:
    assert not is_public(ipaddress.ip_address(address))
    host = f"[{address}]" if ":" in address else address
    with pytest.raises(UnsafeTargetError):
        check_url(f"http://{host}/hook", AllowList())


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:4700:4700::1111"])
def test_public_addresses_pass(address: str) -> None:
    host = f"[{address}]" if ":" in address else address
    check_url(f"https://{host}/hook", AllowList())


def test_names_are_resolved_before_judging() -> None:
    with pytest.raises(UnsafeTargetError, match="non-public"):
        check_url("http://localhost:8080/hook", AllowList())


@pytest.mark.parametrize("url", ["ftp://example.org/x", "file:///etc/passwd", "http:///nohost"])
def test_non_http_urls_are_refused(url: str) -> None:
    with pytest.raises(UnsafeTargetError):
        check_url(url, AllowList())


def test_allow_list_names_hosts_and_networks() -> None:
    allow = AllowList.parse(["localhost", "10.1.0.0/16", " ", "fd00::1"])
    check_url("http://localhost:1/x", allow)
    check_url("http://10.1.2.3/x", allow)
    check_url("http://[fd00::1]/x", allow)
    with pytest.raises(UnsafeTargetError):
        check_url("http://10.2.0.1/x", allow)


class _Redirector(BaseHTTPRequestHandler):
    target = ""

    def do_POST(self) -> None:
        self.send_response(307)
        self.send_header("Location", self.target)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def redirector() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Redirector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_session_refuses_a_non_public_peer_before_connecting() -> None:
    with pytest.raises(UnsafeTargetError):
        guarded_session(AllowList()).post("http://127.0.0.1:9/hook", timeout=2)


def test_session_refuses_a_redirect_to_a_non_public_address(
    redirector: ThreadingHTTPServer,
) -> None:
    port = redirector.server_address[1]
    # 127.0.0.2 is loopback too, but the allow-list names only 127.0.0.1.
    _Redirector.target = f"http://127.0.0.2:{port}/elsewhere"
    with (
        guarded_session(AllowList.parse(["127.0.0.1"])) as session,
        pytest.raises(UnsafeTargetError, match="127.0.0.2"),
    ):
        session.post(f"http://127.0.0.1:{port}/hook", data=b"{}", timeout=2)


def test_session_follows_allowed_redirects_a_bounded_number_of_times(
    redirector: ThreadingHTTPServer,
) -> None:
    port = redirector.server_address[1]
    _Redirector.target = f"http://127.0.0.1:{port}/again"
    with (
        guarded_session(AllowList.parse(["127.0.0.1"])) as session,
        pytest.raises(requests.TooManyRedirects),
    ):
        session.post(f"http://127.0.0.1:{port}/hook", data=b"{}", timeout=2)
