"""The private-address guard: only globally routable addresses, after unwrapping every IPv4 an IPv6 carries.

Nothing here resolves a name or opens a connection: the resolver and the httpx transport are seams.
"""

from __future__ import annotations

import ipaddress

import httpx
import pytest

from app.sources import SourceError
from app.sources.fetch import embedded_ipv4, fetch, refusal

REFUSED = [
    "127.0.0.1",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "192.0.0.1",
    "198.18.0.1",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "fec0::1",
    "ff02::1",
    "2001:db8::1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "::127.0.0.1",
    "::10.0.0.1",  # IPv4-mapped and -compatible
    "2002:7f00:1::",
    "2002:a00:1::1",
    "2002:a9fe:a9fe::",  # 6to4 of 127.0.0.1, 10.0.0.1, 169.254.169.254
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",
    "2001:0:808:808:0:f227:80ff:fffe",  # Teredo (any)
    "64:ff9b::7f00:1",
    "64:ff9b::a00:1",
    "64:ff9b::a9fe:a9fe",  # NAT64 of private addresses
    "64:ff9b:1::808:8",
    "64:ff9b:1:7f00:0:100::",  # local-use NAT64
]
ALLOWED = [
    "93.184.216.34",
    "8.8.8.8",
    "2606:4700:4700::1111",
    "2a00:1450:4001::200e",
    "::ffff:8.8.8.8",
    "2002:808:808::1",
    "64:ff9b::808:808",
]


@pytest.mark.parametrize("address", REFUSED)
def test_addresses_that_are_not_globally_routable_are_refused(address):
    assert refusal(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize("address", ALLOWED)
def test_globally_routable_addresses_pass(address):
    assert refusal(ipaddress.ip_address(address)) is None


def test_the_refusal_names_the_wrapped_address():
    assert refusal(ipaddress.ip_address("2002:7f00:1::")) == "a 6to4 address of 127.0.0.1, a loopback address"
    assert "127.0.0.1" in refusal(ipaddress.ip_address("64:ff9b::7f00:1"))
    assert ("NAT64", ipaddress.IPv4Address("127.0.0.1")) in embedded_ipv4(
        ipaddress.ip_address("64:ff9b:1:7f00:0:100::")
    )


class Site:
    """A resolver and an httpx MockTransport standing in for DNS and the network."""

    def __init__(self, dns: dict[str, list[str]], pages: dict[str, httpx.Response]):
        self.dns, self.pages, self.requests = dns, pages, []

    def resolve(self, host: str, port: int) -> list[str]:
        if host not in self.dns:
            raise OSError(f"no such host {host}")
        return self.dns[host]

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        key = f"{request.headers['host']}{request.url.raw_path.decode()}"
        return self.pages.get(key, httpx.Response(404))

    def fetch(self, url: str):
        return fetch(url, allow_private=False, resolver=self.resolve, transport=httpx.MockTransport(self.handle))


def _redirect(to: str) -> httpx.Response:
    return httpx.Response(302, headers={"Location": to})


def test_a_public_page_is_fetched_from_the_checked_address():
    site = Site(
        {"news.example": ["93.184.216.34"]},
        {"news.example/a": httpx.Response(200, text="<p>hi</p>", headers={"Content-Type": "text/html"})},
    )
    page = site.fetch("http://news.example/a")
    assert page.content == b"<p>hi</p>"
    [request] = site.requests
    assert request.url.host == "93.184.216.34" and request.headers["host"] == "news.example"


@pytest.mark.parametrize(
    "address",
    ["2002:7f00:1::", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "64:ff9b::a9fe:a9fe", "::ffff:127.0.0.1", "127.0.0.1"],
)
def test_a_first_hop_to_a_wrapped_private_address_is_refused_before_any_request(address):
    site = Site({"sneaky.example": [address]}, {})
    with pytest.raises(SourceError, match=r"refused: sneaky\.example resolves to"):
        site.fetch("http://sneaky.example/")
    assert site.requests == []


def test_a_host_with_one_private_address_among_public_ones_is_refused():
    site = Site({"mixed.example": ["93.184.216.34", "2002:a00:1::1"]}, {})
    with pytest.raises(SourceError, match=r"a 6to4 address of 10\.0\.0\.1, a private address"):
        site.fetch("https://mixed.example/")
    assert site.requests == []


@pytest.mark.parametrize(
    "target",
    [
        "http://inner.example/secret",
        "http://[2002:7f00:1::]/secret",
        "http://[64:ff9b::7f00:1]:8080/",
        "/local-redirect-to-self-is-fine",
    ],
)
def test_every_redirect_is_checked_again(target):
    site = Site(
        {"news.example": ["93.184.216.34"], "inner.example": ["64:ff9b::a00:1"]},
        {
            "news.example/a": _redirect(target),
            "news.example/local-redirect-to-self-is-fine": httpx.Response(200, text="ok"),
        },
    )
    if target.startswith("/"):
        assert site.fetch("http://news.example/a").content == b"ok"
        return
    with pytest.raises(SourceError, match="refused"):
        site.fetch("http://news.example/a")
    assert [r.headers["host"] for r in site.requests] == ["news.example"]  # the private hop was never asked
