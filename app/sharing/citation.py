"""Plain-text citations and embeddable HTML snippets for a quote."""
from __future__ import annotations

import datetime as dt
import re
from html import escape
from urllib.parse import urlsplit

from app.sharing.words import quote_words

UNKNOWN = "Unknown speaker"


def _clean(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def quote_body(text: str | None) -> str:
    """The quote without its outer quote marks; inner double quotes become single ones."""
    body = _clean(text).strip("\"“”„«» ").strip()
    body = re.sub(r"[“„]", "‘", body)
    body = body.replace("”", "’")
    return re.sub(r'"(.*?)"', r"‘\1’", body).replace('"', "’")


def format_date(date: dt.date | dt.datetime | str | None) -> str:
    """12 May 2024 (a string is taken as written; ISO strings are reformatted)."""
    if date is None or date == "":
        return ""
    if isinstance(date, str):
        try:
            date = dt.date.fromisoformat(date[:10])
        except ValueError:
            return _clean(date)
    return f"{date.day} {date:%B %Y}"


def citation(name, role=None, publisher=None, date=None, text: str = "", kind: str = "direct") -> str:
    """`Name, role, to Publisher, 12 May 2024: “…”`; parts that are missing are left out.

    An unknown speaker is said so ("Unknown speaker, quoted by Publisher, …"): never guessed.
    Reported speech (kind "indirect" or "mixed") is cited as written, never inside quote marks.
    Also accepts model objects: citation(quote, person_or_None, article).
    """
    if _is_quote(name):
        return citation(*_fields(name, role, publisher)[:4], text=quote_words(name.text, name.kind), kind=name.kind)
    name, role, publisher = _clean(name), _clean(role), _clean(publisher)
    parts = [name or UNKNOWN]
    if role and name:
        parts.append(role)
    if publisher:
        parts.append(f"to {publisher}" if name else f"quoted by {publisher}")
    when = format_date(date)
    if when:
        parts.append(when)
    if kind != "direct":
        return f"{', '.join(parts)} (reported speech): {_clean(text)}"
    return f"{', '.join(parts)}: “{quote_body(text)}”"


def safe_link(url: str | None) -> str | None:
    """url when it is http(s) or site-relative; None for javascript:, data: and the like."""
    url = _clean(url)
    if not url:
        return None
    if url.startswith("/") and not url.startswith("//"):
        return url
    parts = urlsplit(url)
    return url if parts.scheme.lower() in {"http", "https"} and parts.netloc else None


def embed_html(quote_text, name=None, role=None, source_title=None, publisher=None, date=None,
               permalink: str | None = None) -> str:
    """A self-contained `<blockquote class="whosaid-quote">` snippet; every value is HTML-escaped.

    Also accepts model objects: embed_html(quote, person_or_None, article, permalink).
    """
    if _is_quote(quote_text):
        q, link = quote_text, source_title
        speaker, role_, publisher_, date_, title = _fields(q, name, role)
        return embed_html(quote_words(q.text, q.kind), speaker, role_, title, publisher_, date_, link)
    link = safe_link(permalink)
    who = escape(_clean(name) or UNKNOWN)
    if _clean(role) and _clean(name):
        who += f", {escape(_clean(role))}"
    source = []
    if _clean(source_title):
        source.append(f"<cite>{escape(_clean(source_title))}</cite>")
    if _clean(publisher):
        source.append(escape(_clean(publisher)))
    when = format_date(date)
    if when:
        iso = date.isoformat()[:10] if isinstance(date, (dt.date, dt.datetime)) else None
        source.append(f'<time datetime="{escape(iso)}">{escape(when)}</time>' if iso else escape(when))
    footer = f"— {who}" + (f", {', '.join(source)}" if source else "")
    cite_attr = f' cite="{escape(link)}"' if link else ""
    via = f' <a href="{escape(link)}">via Whosaid</a>' if link else ""
    return (
        f'<blockquote class="whosaid-quote"{cite_attr}>\n'
        f"  <p>“{escape(quote_body(quote_text))}”</p>\n"
        f"  <footer>{footer}.{via}</footer>\n"
        f"</blockquote>"
    )


def _is_quote(value) -> bool:
    return not isinstance(value, str) and hasattr(value, "text") and hasattr(value, "spans")


def _fields(quote, person, article) -> tuple:
    """(name, role, publisher, date, title) of a Quote with its Person (None = unknown) and Article."""
    name = getattr(person, "name", None)
    role = getattr(person, "role", None) or getattr(person, "organisation", None)
    publisher = getattr(article, "publisher", None) or None
    title = getattr(article, "title", None) or None
    date = getattr(quote, "date", None) or getattr(article, "published", None)
    return name, role, publisher, date, title
