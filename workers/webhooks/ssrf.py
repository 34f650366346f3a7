"""Refuse webhook targets inside the operator's network (SSRF), unless an allow-list names them.

Two checks share one rule (`address_allowed`):
- `check_url()` resolves a URL's host before we store or call it, so a caller learns at once
  that "http://10.0.0.5/hook" will never be delivered to.
- `guarded_session()` repeats the check inside every connection it opens, redirects included,
  and connects to the address it checked. That closes the DNS-rebinding gap where a name
  resolves to a public address for the first check and to a private one for the real call.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
MAX_REDIRECTS = 3


class UnsafeTargetError(Exception):
    """The URL points at an address we must not call (private, loopback, metadata…)."""


@dataclass(frozen=True)
class AllowList:
    """Operator exceptions: exact host names and IP networks that may be called anyway."""

    hosts: frozenset[str] = frozenset()
    networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()

    @classmethod
    def parse(cls, entries: Iterable[str]) -> AllowList:
        """Build from entries like "receiver.internal", "127.0.0.1" or "10.1.0.0/16"."""
        hosts, networks = set(), []
        for raw in entries:
            entry = raw.strip().lower()
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                hosts.add(entry.rstrip("."))
        return cls(frozenset(hosts), tuple(networks))

    def names(self, host: str, address: IPAddress) -> bool:
        return host.lower().rstrip(".") in self.hosts or any(
            address in network for network in self.networks
        )


def is_public(address: IPAddress) -> bool:
    """True for globally routable unicast addresses only."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return is_public(address.ipv4_mapped)
    return address.is_global and not address.is_multicast


def address_allowed(host: str, address: IPAddress, allow: AllowList) -> bool:
    return is_public(address) or allow.names(host, address)


def check_url(url: str, allow: AllowList) -> None:
    """Raise UnsafeTargetError unless `url` is http(s) and every address of its host is allowed."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeTargetError("URL must be http:// or https:// with a host")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as e:
        raise UnsafeTargetError("URL has an invalid port") from e
    _resolve_allowed(parts.hostname, port, parts.hostname, allow)


def guarded_session(allow: AllowList) -> requests.Session:
    """A requests session whose every connection is refused unless its peer address is allowed."""
    session = requests.Session()
    session.trust_env = False  # a proxy from the environment would hide the real peer
    session.max_redirects = MAX_REDIRECTS
    adapter = _GuardedAdapter(allow)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


class _PinnedResolution:
    """Mixin for urllib3 connections: resolve, check, then connect to the checked address.

    Connecting to the very address that was checked (TLS still verifies `self.host`) leaves no
    window for a second, different DNS answer, and no packet ever reaches a refused address.
    """

    allow: AllowList = AllowList()
    host: str
    port: int
    _dns_host: str

    def _new_conn(self) -> socket.socket:
        address = _resolve_allowed(self._dns_host, self.port, self.host, self.allow)
        resolved_name, self._dns_host = self._dns_host, str(address)
        try:
            return super()._new_conn()  # type: ignore[misc]
        finally:
            self._dns_host = resolved_name


def _resolve_allowed(name: str, port: int, host: str, allow: AllowList) -> IPAddress:
    try:
        infos = socket.getaddrinfo(name, port, type=socket.SOCK_STREAM)
    except OSError as e:
        raise UnsafeTargetError(f"cannot resolve host {host!r}") from e
    addresses = [ipaddress.ip_address(sockaddr[0].split("%")[0]) for *_, sockaddr in infos]
    for address in addresses:
        if not address_allowed(host, address, allow):
            raise UnsafeTargetError(f"host {host!r} resolves to non-public {address}")
    return addresses[0]


class _GuardedAdapter(HTTPAdapter):
    def __init__(self, allow: AllowList) -> None:
        self._allow = allow
        super().__init__()

    def init_poolmanager(self, *args: object, **kwargs: object) -> None:
        super().init_poolmanager(*args, **kwargs)
        allow = self._allow

        class Http(_PinnedResolution, HTTPConnection):
            pass

        class Https(_PinnedResolution, HTTPSConnection):
            pass

        Http.allow = Https.allow = allow

        class HttpPool(HTTPConnectionPool):
            ConnectionCls = Http

        class HttpsPool(HTTPSConnectionPool):
            ConnectionCls = Https

        self.poolmanager.pool_classes_by_scheme = {"http": HttpPool, "https": HttpsPool}
        self.poolmanager.key_fn_by_scheme = dict(self.poolmanager.key_fn_by_scheme)
