"""The SSRF guard sees through IPv6 addresses that embed an IPv4 address (issue #12, finding 5).

NAT64, 6to4, Teredo and the IPv4-mapped/-translated/-compatible forms all carry an IPv4
address inside an IPv6 one; a gateway on the path may turn them back into that IPv4 address.
The stdlib `ipaddress` module does the parsing here, so the test does not share our code.
"""

from __future__ import annotations

import ipaddress

import pytest

from workers.ssrf import AllowList, UnsafeTargetError, check_url, is_public

# (IPv6 form, the non-public IPv4 address it embeds)
EMBEDDING_NON_PUBLIC = [
    ("64:ff9b::a9fe:a9fe", "169.254.169.254"),  # NAT64 well-known prefix, metadata address
    ("64:ff9b::7f00:1", "127.0.0.1"),
    ("64:ff9b::a00:5", "10.0.0.5"),
    ("64:ff9b:1::a9fe:a9fe", "169.254.169.254"),  # NAT64 local-use prefix (RFC 8215)
    ("2002:7f00:1::", "127.0.0.1"),  # 6to4
    ("2002:a9fe:a9fe::1", "169.254.169.254"),
    ("2002:c0a8:101::", "192.168.1.1"),
    ("::ffff:0:7f00:1", "127.0.0.1"),  # IPv4-translated (RFC 2765)
    ("::ffff:0:a9fe:a9fe", "169.254.169.254"),
    ("::ffff:7f00:1", "127.0.0.1"),  # IPv4-mapped
    ("::7f00:1", "127.0.0.1"),  # IPv4-compatible (deprecated)
    ("::a9fe:a9fe", "169.254.169.254"),
    # Teredo: server 65.54.227.120, client 127.0.0.1 (stored XOR 0xffffffff)
    ("2001:0:4136:e378:8000:63bf:80ff:fffe", "127.0.0.1"),
]


def _embedded(v6: str) -> set[ipaddress.IPv4Address]:
    """What the stdlib says is inside the address (or the low 32 bits for the plain forms)."""
    address = ipaddress.IPv6Address(v6)
    found: set[ipaddress.IPv4Address] = set()
    if address.sixtofour is not None:
        found.add(address.sixtofour)
    if address.teredo is not None:
        found.update(address.teredo)
    if address.ipv4_mapped is not None:
        found.add(address.ipv4_mapped)
    found.add(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return found


@pytest.mark.parametrize(("v6", "v4"), EMBEDDING_NON_PUBLIC)
def test_the_case_really_embeds_that_ipv4_address(v6: str, v4: str) -> None:
    assert ipaddress.IPv4Address(v4) in _embedded(v6)
    assert not ipaddress.IPv4Address(v4).is_global


@pytest.mark.parametrize(("v6", "v4"), EMBEDDING_NON_PUBLIC)
def test_ipv6_forms_of_non_public_ipv4_are_not_public(v6: str, v4: str) -> None:
    assert not is_public(ipaddress.IPv6Address(v6))


@pytest.mark.parametrize(("v6", "v4"), EMBEDDING_NON_PUBLIC)
def test_urls_with_ipv6_forms_of_non_public_ipv4_are_refused(v6: str, v4: str) -> None:
    with pytest.raises(UnsafeTargetError):
        check_url(f"http://[{v6}]/hook", AllowList())


@pytest.mark.parametrize(
    "v6",
    [
        "64:ff9b::808:808",  # NAT64 form of 8.8.8.8: a public destination
        "2002:808:808::1",  # 6to4 behind 8.8.8.8
        "2606:4700:4700::1111",  # plain global IPv6
    ],
)
def test_ipv6_forms_of_public_ipv4_stay_public(v6: str) -> None:
    assert is_public(ipaddress.IPv6Address(v6))


def test_refusal_does_not_reveal_what_a_name_resolves_to() -> None:
    with pytest.raises(UnsafeTargetError) as refused:
        check_url("http://localhost:8080/hook", AllowList())
    message = str(refused.value)
    assert "127.0.0.1" not in message and "::1" not in message
    assert "localhost" in message  # the caller's own input may be named
