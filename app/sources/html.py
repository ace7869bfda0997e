"""HTML articles (saved pages, fetched pages, archive rows): body text and metadata via trafilatura.

Navigation, footers, captions, credits, "read more"/related blocks and comments are left out;
paragraphs of the stored text are separated by blank lines.
"""
from __future__ import annotations

import re
from pathlib import Path

from app.sources import ArticleInput, SourceError, shorten
from app.sources.dates import parse_date

# Blocks that never hold article prose; removed before trafilatura looks at the page.
_BOILER = ("caption", "credit", "related", "read-more", "readmore", "newsletter", "social", "share-", "promo", "advert", "byline")
PRUNE_XPATH = [
    "//figure",
    "//figcaption",
    "//aside",
    "//nav",
    "//footer",
    *(f"//*[contains(@class,'{w}') or contains(@id,'{w}')]" for w in _BOILER),
]
_READ_MORE = re.compile(r"^(read more|related|see also|also read|more on this|advertisement)\b", re.I)


def _sniff_binary(data: bytes) -> bool:
    head = data[:4096]
    return b"\x00" in head or sum(b < 9 or 13 < b < 32 for b in head) > max(2, len(head) // 100)


def parse_html(html: bytes | str, name: str, url: str | None = None, source_path: str | None = None) -> ArticleInput:
    """An ArticleInput from an HTML page; SourceError naming `name` when no article text is found."""
    import trafilatura

    raw = html.encode("utf-8", "replace") if isinstance(html, str) else html
    if not raw.strip():
        raise SourceError(f"{name}: empty file")
    if _sniff_binary(raw):
        raise SourceError(f"{name}: binary data, not an HTML page")
    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_images=False,
            include_tables=False,
            include_links=False,
            prune_xpath=PRUNE_XPATH,
            deduplicate=False,
            # no guessing from copyright lines or free text: a wrong date is worse than none
            date_extraction_params={"extensive_search": False, "original_date": True, "outputformat": "%Y-%m-%d"},
        )
    except Exception as exc:  # noqa: BLE001 - trafilatura/lxml errors on broken markup
        raise SourceError(f"{name}: cannot parse HTML ({type(exc).__name__}: {exc})") from None
    body = (getattr(doc, "text", None) or "") if doc is not None else ""
    title = (doc.title or "").strip() if doc is not None else ""
    paragraphs = [" ".join(p.split()) for p in body.split("\n")]
    paragraphs = [p for p in paragraphs if p and not _READ_MORE.match(p)]
    if paragraphs and title and paragraphs[0] == " ".join(title.split()):
        paragraphs = paragraphs[1:]
    text = "\n\n".join(paragraphs)
    if not text.strip():
        raise SourceError(f"{name}: no article text found in the HTML page")
    published = None
    try:
        published = parse_date(doc.date)
    except ValueError:
        published = None
    if published is None:
        published = _htmldate(html, url)
    canonical = doc.url or url
    if canonical and url and canonical != url and _is_site_root(canonical) and not _is_site_root(url):
        canonical = url  # a site that names its home page as every page's canonical URL: not this article's
    publisher = (doc.sitename or "").strip() or None
    if publisher and _is_host_name(publisher, canonical, url):  # trafilatura's fallback, not a real site name
        publisher = None
    return ArticleInput(
        text=text,
        title=shorten(title or paragraphs[0]),
        publisher=publisher,
        author=(doc.author or "").strip() or None,
        published=published,
        url=url,
        canonical_url=canonical,
        source_path=source_path,
    )


def _is_site_root(u: str) -> bool:
    from urllib.parse import urlsplit

    return urlsplit(u).path in ("", "/")


def _is_host_name(name: str, *urls: str | None) -> bool:
    from urllib.parse import urlsplit

    key = name.lower().removeprefix("www.")
    for u in urls:
        if u:
            parts = urlsplit(u)
            if key in {parts.netloc.lower().removeprefix("www."), (parts.hostname or "").removeprefix("www.")}:
                return True
    return False


def _htmldate(html: bytes | str, url: str | None):
    try:
        from htmldate import find_date

        found = find_date(html, url=url, extensive_search=False, original_date=True)
        return parse_date(found) if found else None
    except Exception:  # noqa: BLE001 - a missing date is not an error
        return None


def read_html_file(path: Path) -> ArticleInput:
    """An ArticleInput from a saved .html page."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return parse_html(data, str(path), source_path=str(path))
