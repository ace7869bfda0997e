"""Fetching pages over HTTP(S) with httpx: timeout, size limit, bounded redirects, User-Agent, SSRF guard.

The guard: a URL's host is resolved and refused when any address is not globally routable
(`ipaddress.is_global`, plus site-local) or wraps one that is not: IPv4-mapped and IPv4-compatible
IPv6, 6to4 (2002::/16), Teredo (2001::/32: refused outright, its relay decides where packets go)
and NAT64 (64:ff9b::/96, and the local-use 64:ff9b:1::/48, refused outright), unless
WHOSAID_ALLOW_PRIVATE_URLS=1. The connection then goes to the address that was checked (the URL's
host is sent as Host header and TLS SNI/verification name), so a DNS answer that changes between
check and connect (DNS rebinding) cannot reach a private address. Every redirect is checked again.

Seams for tests: `fetch(..., resolver=, transport=)` take a resolver (host, port) → addresses and an
httpx transport, so the guard is tested without DNS and without connecting anywhere.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

from app.config import get_settings
from app.sources import SourceError

USER_AGENT = "Whosaid/0.1 (+https://github.com/whosaid/whosaid; news quote extraction)"
MAX_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
TIMEOUT = 20.0  # seconds, for the whole response (connect, headers and body)
_REDIRECTS = {301, 302, 303, 307, 308}


@dataclass
class Fetched:
    """A fetched document."""

    url: str  # as asked for
    final_url: str  # after redirects
    content_type: str
    content: bytes
    status: int = 200  # 304 when a conditional GET found the document unchanged (content then empty)
    etag: str | None = None
    last_modified: str | None = None


def is_url(target: str) -> bool:
    """Whether a command-line target is a URL rather than a path."""
    return target.lower().startswith(("http://", "https://")) or "://" in target[:12]


NAT64 = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052 well-known prefix: the last 32 bits are the IPv4 address
NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")  # RFC 8215 local-use prefix: never a public destination
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]


def _kind(ip: Address) -> str | None:
    """Why ip itself (not unwrapped) is not a public address, or None when it is."""
    for attr, label in (
        ("is_unspecified", "unspecified"),
        ("is_loopback", "loopback"),
        ("is_link_local", "link-local"),
        ("is_multicast", "multicast"),
        ("is_site_local", "site-local"),
        ("is_private", "private"),
        ("is_reserved", "reserved"),
    ):
        if getattr(ip, attr, False):
            return label
    return None if ip.is_global else "non-public"


def embedded_ipv4(ip: Address) -> list[tuple[str, ipaddress.IPv4Address]]:
    """The IPv4 addresses an IPv6 address carries, each with the name of its form."""
    if ip.version == 4:
        return []
    found: list[tuple[str, ipaddress.IPv4Address]] = []
    if ip.ipv4_mapped is not None:
        found.append(("IPv4-mapped", ip.ipv4_mapped))
    if ip.sixtofour is not None:
        found.append(("6to4", ip.sixtofour))
    if ip.teredo is not None:
        found += [("Teredo server", ip.teredo[0]), ("Teredo client", ip.teredo[1])]
    if ip in NAT64:
        found.append(("NAT64", ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)))
    if ip in NAT64_LOCAL:  # RFC 6052 /48 layout: octets 6-7 and 9-10 (octet 8 is zero)
        found.append(("NAT64", ipaddress.IPv4Address(ip.packed[6:8] + ip.packed[9:11])))
    if int(ip) >> 32 == 0 and int(ip) > 1:  # IPv4-compatible ::a.b.c.d (deprecated, still routable by some stacks)
        found.append(("IPv4-compatible", ipaddress.IPv4Address(int(ip))))
    return found


def refusal(ip: Address) -> str | None:
    """Why a connection to ip is refused ("a loopback address", "a 6to4 address of 127.0.0.1, …"), or None.

    Allowed: only globally routable addresses, judged after unwrapping every IPv4 address an IPv6
    address carries. Translated forms (mapped, compatible, NAT64 well-known) are judged by the
    IPv4 address they reach; tunnels (6to4) by both ends; Teredo and local-use NAT64 never pass.
    """
    inner = embedded_ipv4(ip)
    for form, v4 in inner:
        why = _kind(v4)
        if why:
            return f"a {form} address of {v4}, a {why} address"
    if ip.version == 6 and ip.teredo is not None:
        return "a Teredo address (where it leads depends on a relay)"
    if ip.version == 6 and ip in NAT64_LOCAL:
        return "a local-use NAT64 address"
    if inner and all(form in ("IPv4-mapped", "NAT64", "IPv4-compatible") for form, _ in inner):
        return None  # a translation: the IPv4 address checked above is where the packets go
    why = _kind(ip)
    return f"a {why} address" if why else None


def system_resolver(host: str, port: int) -> list[str]:
    """Every address getaddrinfo gives for host (scope ids dropped)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]).split("%")[0] for info in infos]


def resolve_checked(url: str, allow_private: bool, resolver: Resolver | None = None) -> str:
    """The IP address to connect to for url, after the scheme and address checks."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise SourceError(f"{url}: only http and https URLs can be fetched")
    host = parts.hostname
    if not host:
        raise SourceError(f"{url}: no host in URL")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise SourceError(f"{url}: bad port in URL") from None
    try:
        addresses = [str(ipaddress.ip_address(host))]  # a literal address needs no lookup
    except ValueError:
        addresses = []
    try:
        addresses = addresses or list(dict.fromkeys((resolver or system_resolver)(host, port)))
    except (OSError, UnicodeError) as exc:
        raise SourceError(f"{url}: cannot resolve host {host!r} ({exc})") from None
    if not addresses:
        raise SourceError(f"{url}: cannot resolve host {host!r}")
    if not allow_private:
        for address in addresses:
            try:
                why = refusal(ipaddress.ip_address(address))
            except ValueError:
                why = "not an IP address"
            if why:
                raise SourceError(
                    f"{url}: refused: {host} resolves to {address}, {why} "
                    "(set WHOSAID_ALLOW_PRIVATE_URLS=1 to allow private addresses)"
                )
    return addresses[0]


def _pinned(url: str, address: str) -> tuple[str, dict[str, str], dict]:
    """url rewritten to connect to address, with the Host header and SNI name of the original host."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    literal = f"[{address}]" if ":" in address else address
    netloc = literal if parts.port is None else f"{literal}:{parts.port}"
    host_header = host if parts.port is None else f"{host}:{parts.port}"
    if ":" in host and not host.startswith("["):
        host_header = f"[{host}]" if parts.port is None else f"[{host}]:{parts.port}"
    target = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
    extensions = {"sni_hostname": host} if parts.scheme == "https" else {}
    return target, {"Host": host_header}, extensions


def fetch(
    url: str,
    *,
    allow_private: bool | None = None,
    timeout: float | None = None,
    max_bytes: int | None = None,
    resolver: Resolver | None = None,
    transport=None,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Fetched:
    """GET url following at most MAX_REDIRECTS redirects, every hop checked; SourceError naming url on failure.

    resolver (host, port) → addresses replaces getaddrinfo, transport (an httpx transport) the network.
    With etag / last_modified (a previous answer's validators) the GET is conditional: an unchanged
    document comes back as Fetched(status=304) with no content.
    """
    import httpx  # noqa: PLC0415 - lazy: httpx (0.25 s) loads only when a URL is fetched

    if allow_private is None:
        allow_private = get_settings().allow_private_urls
    timeout = TIMEOUT if timeout is None else timeout
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    deadline = time.monotonic() + timeout
    current = url.split("#")[0]
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.5",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    with httpx.Client(
        follow_redirects=False, timeout=httpx.Timeout(timeout), trust_env=False, transport=transport
    ) as client:
        for _hop in range(MAX_REDIRECTS + 1):
            address = resolve_checked(current, allow_private, resolver)
            target, host_header, extensions = _pinned(current, address)
            try:
                request = client.build_request("GET", target, headers={**headers, **host_header}, extensions=extensions)
                response = client.send(request, stream=True)
            except httpx.TimeoutException:
                raise SourceError(f"{url}: timed out after {timeout:g} s") from None
            except httpx.HTTPError as exc:
                raise SourceError(f"{url}: cannot fetch ({type(exc).__name__}: {exc})") from None
            try:
                if response.status_code in _REDIRECTS and response.headers.get("location"):
                    current = urljoin(current, response.headers["location"]).split("#")[0]
                    continue
                if response.status_code == 304 and (etag or last_modified):
                    return Fetched(
                        url=url,
                        final_url=current,
                        content_type="",
                        content=b"",
                        status=304,
                        etag=response.headers.get("etag") or etag,
                        last_modified=response.headers.get("last-modified") or last_modified,
                    )
                if response.status_code >= 400:
                    raise SourceError(f"{url}: HTTP {response.status_code} {response.reason_phrase}".rstrip())
                length = response.headers.get("content-length")
                if length and length.isdigit() and int(length) > max_bytes:
                    raise SourceError(f"{url}: page too large ({int(length):,} bytes; limit {max_bytes:,})")
                chunks, size = [], 0
                try:
                    for chunk in response.iter_bytes():
                        size += len(chunk)
                        if size > max_bytes:
                            raise SourceError(f"{url}: page too large (over the {max_bytes:,}-byte limit)")
                        if time.monotonic() > deadline:
                            raise SourceError(f"{url}: timed out after {timeout:g} s")
                        chunks.append(chunk)
                except httpx.TimeoutException:
                    raise SourceError(f"{url}: timed out after {timeout:g} s") from None
                except httpx.HTTPError as exc:
                    raise SourceError(f"{url}: cannot fetch ({type(exc).__name__}: {exc})") from None
                return Fetched(
                    url=url,
                    final_url=current,
                    content_type=response.headers.get("content-type", ""),
                    content=b"".join(chunks),
                    status=response.status_code,
                    etag=response.headers.get("etag"),
                    last_modified=response.headers.get("last-modified"),
                )
            finally:
                response.close()
    raise SourceError(f"{url}: too many redirects (more than {MAX_REDIRECTS})")
