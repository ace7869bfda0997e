"""Atom 1.0 feeds (RFC 4287) for any quote listing, built with ElementTree (escaping is its job)."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from typing import Any

ATOM_NS = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml; charset=utf-8"
GENERATOR = "Whosaid"
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

ET.register_namespace("", ATOM_NS)


def _q(tag: str) -> str:
    return f"{{{ATOM_NS}}}{tag}"


def _text(value: Any) -> str:
    return _INVALID_XML.sub("", "" if value is None else str(value))


def as_datetime(value: dt.datetime | dt.date | str | None) -> dt.datetime | None:
    """An aware UTC datetime: dates are midnight UTC, naive datetimes are taken as UTC."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = (
            dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            if "T" in value or " " in value
            else dt.date.fromisoformat(value)
        )
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def rfc3339(value: dt.datetime | dt.date | str) -> str:
    """2024-05-12T00:00:00Z."""
    stamp = as_datetime(value)
    assert stamp is not None
    return stamp.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _sub(parent: ET.Element, tag: str, text: Any = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, _q(tag), {k: _text(v) for k, v in attrs.items()})
    if text is not None:
        el.text = _text(text)
    return el


def atom_feed(
    feed_id: str,
    title: str,
    self_url: str,
    alt_url: str,
    entries: Iterable[Mapping[str, Any]],
    *,
    subtitle: str | None = None,
    updated: dt.datetime | dt.date | None = None,
    author: str = GENERATOR,
) -> str:
    """The feed as an XML string.

    Each entry: id (a URL or tag: URI), title, url, updated, optional published, author (None: feed
    author applies) and content (plain text), optional summary. Feed-level `updated` is the newest
    entry's (or `updated`, or now when there is none).
    """
    entries = list(entries)
    feed = ET.Element(_q("feed"))
    _sub(feed, "id", feed_id)
    _sub(feed, "title", title)
    if subtitle:
        _sub(feed, "subtitle", subtitle)
    stamps = [as_datetime(e.get("updated") or e.get("published")) for e in entries]
    known = [s for s in stamps if s is not None]
    newest = max(known) if known else as_datetime(updated) or dt.datetime.now(dt.UTC)
    _sub(feed, "updated", rfc3339(newest))
    _sub(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    _sub(feed, "link", rel="alternate", type="text/html", href=alt_url)
    _sub(_sub(feed, "author"), "name", author)
    _sub(feed, "generator", GENERATOR)
    for entry, stamp in zip(entries, stamps, strict=True):
        el = _sub(feed, "entry")
        _sub(el, "id", entry["id"])
        _sub(el, "title", entry.get("title") or "(untitled)")
        if entry.get("url"):
            _sub(el, "link", rel="alternate", type="text/html", href=entry["url"])
        _sub(el, "updated", rfc3339(stamp or newest))
        if entry.get("published"):
            _sub(el, "published", rfc3339(entry["published"]))
        if entry.get("author"):
            _sub(_sub(el, "author"), "name", entry["author"])
        if entry.get("summary"):
            _sub(el, "summary", entry["summary"], type="text")
        if entry.get("content") is not None:
            _sub(el, "content", entry["content"], type="text")
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
