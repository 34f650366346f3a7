"""Refuse outbound targets inside the operator's network (SSRF), unless an allow-list names them:
webhook endpoints and the URLs external sources fetch both go through this one guard.

Two checks share one rule (`address_allowed`):
- `check_url()` resolves a URL's host before we store or call it, so a caller learns at once
  that "http://10.0.0.5/hook" will never be delivered to.
- `guarded_session()` repeats the check inside every connection it opens (redirects included,
  for callers that follow them; webhook delivery does not), and connects to the address it
  checked. That closes the DNS-rebinding gap where a name
  resolves to a public address for the first check and to a private one for the real call.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
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


# IPv6 ranges whose low 32 bits are an IPv4 address that a gateway (NAT64, SIIT) or a
# dual-stack host may connect to instead: the IPv6 form must be judged by that IPv4 address.
_LOW_32_BITS_EMBED_IPV4 = tuple(
    ipaddress.IPv6Network(net)
    for net in (
        "64:ff9b::/96",  # NAT64 well-known prefix (RFC 6052)
        "::ffff:0:0/96",  # IPv4-mapped
        "::ffff:0:0:0/96",  # IPv4-translated (RFC 2765, SIIT)
        "::/96",  # IPv4-compatible (deprecated, RFC 4291)
    )
)
# NAT64 local-use prefix (RFC 8215): where the IPv4 address sits depends on the operator's
# prefix length, so no address in it can be judged; none of it is public anyway.
_NEVER_PUBLIC_V6 = (ipaddress.IPv6Network("64:ff9b:1::/48"),)


def embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """Every IPv4 address an IPv6 address carries (NAT64, mapped, 6to4, Teredo…); [] if none."""
    found: list[ipaddress.IPv4Address] = []
    if any(address in net for net in _LOW_32_BITS_EMBED_IPV4):
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    if address.sixtofour is not None:  # 2002::/16
        found.append(address.sixtofour)
    if address.teredo is not None:  # 2001::/32: (server, client)
        found.extend(address.teredo)
    return found


def is_public(address: IPAddress) -> bool:
    """True for globally routable unicast addresses only.

    An IPv6 address that embeds an IPv4 address is public only when that IPv4 address is:
    `64:ff9b::a9fe:a9fe` reaches 169.254.169.254 through any NAT64 gateway on the path.
    """
    if isinstance(address, ipaddress.IPv6Address):
        if any(address in net for net in _NEVER_PUBLIC_V6):
            return False
        inner = embedded_ipv4(address)
        if inner:
            return all(is_public(v4) for v4 in inner)
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
    # sockaddr[0] is the address text; a scoped IPv6 address carries "%<zone>", dropped here.
    addresses = [ipaddress.ip_address(str(sockaddr[0]).split("%")[0]) for *_, sockaddr in infos]
    for address in addresses:
        if not address_allowed(host, address, allow):
            # Never say which address: that would turn the guard into an internal DNS oracle.
            raise UnsafeTargetError(f"host {host!r} resolves to a non-public address")
    return addresses[0]


class _GuardedAdapter(HTTPAdapter):
    def __init__(self, allow: AllowList) -> None:
        self._allow = allow
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
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
