"""Plain-text citations and embeddable HTML snippets for a quote."""

from __future__ import annotations

import datetime as dt
import re
from html import escape
from urllib.parse import urlsplit

from app.quotes.cues import load_cues
from app.sharing.speech import FALLBACK_VERB, speech, speech_of

UNKNOWN = "Unknown speaker"
UNDATED = "undated"
_TOLD = re.compile(r"\s+((?:the\s+)?[A-Z][\w&'’-]*(?:[ \t]+(?:of[ \t]+)?[A-Z][\w&'’-]*)*)")


def _clean(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def quote_body(text: str | None) -> str:
    """The quote without its outer quote marks; inner double quotes become single ones."""
    body = _clean(text).strip('"“”„«» ').strip()
    body = re.sub(r"[“„]", "‘", body)
    body = body.replace("”", "’")
    return re.sub(r'"(.*?)"', r"‘\1’", body).replace('"', "’")


_YEAR_MONTH = re.compile(r"(\d{4})-(\d{2})")


def quote_date(quote, article=None) -> dt.date | str | None:
    """The date a quote is shown with: a date, "YYYY-MM" when only the month is known, or None (undated)."""
    date = getattr(quote, "date", None)
    if date is not None and getattr(quote, "date_precision", None) == "month":
        return date.isoformat()[:7]
    return date or getattr(article, "published", None)


def iso_date(date: dt.date | dt.datetime | str | None) -> str | None:
    """The value for <time datetime>: 2024-05-12, or 2024-05 for a month."""
    if isinstance(date, (dt.date, dt.datetime)):
        return date.isoformat()[:10]
    if isinstance(date, str) and (_YEAR_MONTH.fullmatch(date) or re.fullmatch(r"\d{4}-\d{2}-\d{2}", date)):
        return date
    return None


def format_date(date: dt.date | dt.datetime | str | None) -> str:
    """12 May 2024; "YYYY-MM" (a month-precision date) gives May 2024; other strings are taken as written."""
    if date is None or date == "":
        return ""
    if isinstance(date, str):
        if m := _YEAR_MONTH.fullmatch(date.strip()):
            return f"{dt.date(int(m.group(1)), int(m.group(2)), 1):%B %Y}"
        try:
            day = dt.date.fromisoformat(date[:10])
        except ValueError:
            return _clean(date)
        return f"{day.day} {day:%B %Y}"
    return f"{date.day} {date:%B %Y}"


def interviewer(quote, article_text: str | None) -> str | None:
    """The outlet or person the text names as the one spoken to ("told The Economist" gives "The Economist").

    Only a cue of the verb "tell" directly followed by a capitalised name counts: "told reporters" names no one.
    """
    cue, text = getattr(quote, "cue_span", None), article_text or ""
    if not cue or len(cue) != 2 or load_cues().lemma(getattr(quote, "cue_text", None) or "") != "tell":
        return None
    m = _TOLD.match(text, cue[1])
    return m.group(1).strip() if m else None


def attribution(
    name=None,
    role=None,
    publisher=None,
    date=None,
    url: str | None = None,
    *,
    told: str | None = None,
    title: str | None = None,
) -> str:
    """`Name, role, as reported by Publisher, 12 May 2024, URL`: who said it and where it was printed.

    "told X" only when the text names X as the interviewer (see interviewer()); an unknown speaker is said
    so; no date gives "undated" and the source is still named (the publisher, else the article title).
    """
    name, role, publisher, told, title = _clean(name), _clean(role), _clean(publisher), _clean(told), _clean(title)
    parts = [name or UNKNOWN]
    if role and name:
        parts.append(role)
    if told:
        parts.append(f"told {told}")
    if publisher and publisher.casefold() != told.casefold():
        parts.append(f"as reported by {publisher}")
    elif not publisher and title:
        parts.append(f"as reported in “{title}”")
    parts.append(format_date(date) or UNDATED)
    if link := safe_link(url):
        parts.append(link)
    return ", ".join(parts)


def citation(
    name,
    role=None,
    publisher=None,
    date=None,
    text: str = "",
    kind: str = "direct",
    *,
    url: str | None = None,
    told: str | None = None,
    title: str | None = None,
    verb: str = FALLBACK_VERB,
) -> str:
    """A citation to paste: the words, then attribution() after " — ".

    Direct: `“words” — Name, role, as reported by Publisher, 12 May 2024, URL`. Reported speech is never put in
    quote marks: `Paraphrase: Name said that … — Name, …` (a mixed quote keeps marks around its quoted words).
    Also accepts model objects: citation(quote, person_or_None, article, url=…).
    """
    if _is_quote(name):
        quote, person, article = name, role, publisher
        who, role_, publisher_, date_, title_ = _fields(quote, person, article)
        words = speech_of(quote, person, article)
        return _cite(
            words,
            attribution(
                who,
                role_,
                publisher_,
                date_,
                url,
                title=title_,
                told=interviewer(quote, getattr(article, "text", None)),
            ),
        )
    words = speech(text, kind, _clean(name) or None, verb)
    return _cite(words, attribution(name, role, publisher, date, url, told=told, title=title))


def _cite(words, source: str) -> str:
    if words.paraphrase:
        return f"Paraphrase: {words.line()} — {source}"
    return f"“{quote_body(words.pieces[0].text if words.pieces else '')}” — {source}"


def safe_link(url: str | None) -> str | None:
    """url when it is http(s) or site-relative; None for javascript:, data: and the like."""
    url = _clean(url)
    if not url:
        return None
    if url.startswith("/") and not url.startswith("//"):
        return url
    parts = urlsplit(url)
    return url if parts.scheme.lower() in {"http", "https"} and parts.netloc else None


def embed_html(
    quote_text,
    name=None,
    role=None,
    source_title=None,
    publisher=None,
    date=None,
    permalink: str | None = None,
    kind: str = "direct",
    verb: str = FALLBACK_VERB,
) -> str:
    """A self-contained snippet; every value is HTML-escaped.

    A direct quote is a `<blockquote class="whosaid-quote">`; reported speech is a
    `<div class="whosaid-quote whosaid-paraphrase">` labelled "Paraphrase", with marks only around quoted words.
    Also accepts model objects: embed_html(quote, person_or_None, article, permalink).
    """
    if _is_quote(quote_text):
        q, person, article, link = quote_text, name, role, source_title
        speaker, role_, publisher_, date_, title = _fields(q, person, article)
        return _embed(speech_of(q, person, article), speaker, role_, title, publisher_, date_, link)
    return _embed(
        speech(quote_text, kind, _clean(name) or None, verb), name, role, source_title, publisher, date, permalink
    )


def _embed(words, name, role, source_title, publisher, date, permalink) -> str:
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
        iso = iso_date(date)
        source.append(f'<time datetime="{escape(iso)}">{escape(when)}</time>' if iso else escape(when))
    else:
        source.append(UNDATED)
    footer = f"— {who}" + (f", {', '.join(source)}" if source else "")
    via = f' <a href="{escape(link)}">via Whosaid</a>' if link else ""
    if words.paraphrase:
        body = "".join(f"“{escape(p.text)}”" if p.verbatim else escape(p.text) for p in words.pieces)
        return (
            '<div class="whosaid-quote whosaid-paraphrase">\n'
            f'  <p><strong class="whosaid-label">Paraphrase:</strong> {escape(words.lead())}{words.joiner}{body}</p>\n'
            f"  <p>{footer}.{via}</p>\n"
            "</div>"
        )
    cite_attr = f' cite="{escape(link)}"' if link else ""
    text = quote_body(words.pieces[0].text if words.pieces else "")
    return (
        f'<blockquote class="whosaid-quote"{cite_attr}>\n'
        f"  <p>“{escape(text)}”</p>\n"
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
    return name, role, publisher, quote_date(quote, article), title
