"""Fetching pages over HTTP(S) with httpx: timeout, size limit, bounded redirects, User-Agent, SSRF guard.

The guard: a URL's host is resolved (getaddrinfo) and refused when any address is loopback,
private, link-local, multicast, reserved, unspecified or otherwise not globally routable, unless
WHOSAID_ALLOW_PRIVATE_URLS=1. The connection then goes to the address that was checked (the URL's
host is sent as Host header and TLS SNI/verification name), so a DNS answer that changes between
check and connect (DNS rebinding) cannot reach a private address. Every redirect is checked again.
"""
from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

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


def _kind(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why ip is not a public address, or None when it is."""
    mapped = getattr(ip, "ipv4_mapped", None)
    if mapped is not None:
        ip = mapped
    for attr, label in (
        ("is_unspecified", "unspecified"),
        ("is_loopback", "loopback"),
        ("is_link_local", "link-local"),
        ("is_multicast", "multicast"),
        ("is_private", "private"),
        ("is_reserved", "reserved"),
    ):
        if getattr(ip, attr):
            return label
    return None if ip.is_global else "non-public"


def resolve_checked(url: str, allow_private: bool) -> str:
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
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise SourceError(f"{url}: cannot resolve host {host!r} ({exc})") from None
    addresses = list(dict.fromkeys(info[4][0].split("%")[0] for info in infos))
    if not addresses:
        raise SourceError(f"{url}: cannot resolve host {host!r}")
    if not allow_private:
        for address in addresses:
            why = _kind(ipaddress.ip_address(address))
            if why:
                raise SourceError(
                    f"{url}: refused: {host} resolves to {address}, a {why} address "
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


def fetch(url: str, *, allow_private: bool | None = None, timeout: float | None = None, max_bytes: int | None = None,
          etag: str | None = None, last_modified: str | None = None) -> Fetched:
    """GET url following at most MAX_REDIRECTS redirects, every hop checked; SourceError naming url on failure.

    With etag / last_modified (a previous answer's validators) the GET is conditional: an unchanged
    document comes back as Fetched(status=304) with no content.
    """
    import httpx

    if allow_private is None:
        from app.config import get_settings

        allow_private = get_settings().allow_private_urls
    timeout = TIMEOUT if timeout is None else timeout
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    deadline = time.monotonic() + timeout
    current = url.split("#")[0]
    headers = {"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.5"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    with httpx.Client(follow_redirects=False, timeout=httpx.Timeout(timeout), trust_env=False) as client:
        for _hop in range(MAX_REDIRECTS + 1):
            address = resolve_checked(current, allow_private)
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
                    return Fetched(url=url, final_url=current, content_type="", content=b"", status=304,
                                   etag=response.headers.get("etag") or etag,
                                   last_modified=response.headers.get("last-modified") or last_modified)
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
                return Fetched(url=url, final_url=current, content_type=response.headers.get("content-type", ""),
                               content=b"".join(chunks), status=response.status_code,
                               etag=response.headers.get("etag"), last_modified=response.headers.get("last-modified"))
            finally:
                response.close()
    raise SourceError(f"{url}: too many redirects (more than {MAX_REDIRECTS})")
