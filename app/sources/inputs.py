"""From command-line targets (files, folders, URLs) to jobs, and from a job to an ArticleInput.

`expand` lists the targets' units without touching the network; `plan` turns units into jobs,
fetching URLs and feeds (in the calling process); `load_job` parses a job (in a worker process).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from app.sources import ArticleInput, SourceError, clean_controls, read_capped, shorten
from app.sources.archives import read_archive
from app.sources.feeds import feed_entries, is_feed
from app.sources.fetch import fetch as default_fetch
from app.sources.fetch import is_url
from app.sources.html import parse_html, read_html_file
from app.sources.text import decode, parse_text, read_text_file

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
ARCHIVE_SUFFIXES = {".jsonl", ".ndjson", ".csv"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | ARCHIVE_SUFFIXES | FEED_SUFFIXES


@dataclass
class Job:
    """One article to read: a file, fetched HTML, or an ArticleInput ready made."""

    label: str  # names the input in messages: path, URL, or file:line
    kind: str  # text-file | html-file | html | text | article | known
    path: str | None = None
    html: bytes | str | None = None
    url: str | None = None  # the address asked for
    final_url: str | None = None  # after redirects (the canonical URL unless the page names one)
    article: ArticleInput | None = None
    meta: dict = field(default_factory=dict)  # gaps to fill (feed/archive metadata)
    override: dict = field(default_factory=dict)  # fields that win (archive columns)
    max_bytes: int | None = None  # size limit of a local file


FOLDER_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | ARCHIVE_SUFFIXES  # feeds in a folder are read only when named
URL_LIST_MAX_LINES = 10_000


def url_list(path: Path) -> list[str] | None:
    """The URLs of a .txt file that is a list of URLs (every non-empty, non-# line one URL), else None."""
    if path.suffix.lower() not in TEXT_SUFFIXES:
        return None
    try:
        with path.open("rb") as f:
            head = f.read(64 * 1024 + 1)
    except OSError:
        return None
    if len(head) > 64 * 1024:
        return None  # a long file is an article, whatever its first lines
    lines = [ln.strip() for ln in head.decode("utf-8", "replace").splitlines()]
    lines = [ln for ln in lines if ln and not ln.startswith("#")]
    if lines and len(lines) <= URL_LIST_MAX_LINES and all(is_url(ln) and " " not in ln for ln in lines):
        return lines
    return None


def expand(targets: list[str]) -> list[str | SourceError]:
    """What the targets hold, in the order given: URLs as they are; a file named on the command line
    (a .txt list of URLs gives its URLs); a folder's .txt/.html/.jsonl/.csv files, recursively and sorted,
    without hidden ones, feeds (.rss/.atom/.xml are read only when named) or lists of URLs (reported)."""
    units: list[str | SourceError] = []
    for target in targets:
        if is_url(target):
            units.append(target)
            continue
        path = Path(target)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in FOLDER_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            for p in found:
                urls = url_list(p)
                if urls is None:
                    units.append(str(p))
                else:
                    units.append(
                        SourceError(
                            f"{p}: a list of {len(urls)} URL(s), not an article: not stored "
                            "(name the file on the command line to ingest its URLs)"
                        )
                    )
        elif path.is_file():
            urls = url_list(path)
            units.extend(urls if urls is not None else [str(path)])
        elif path.exists():
            units.append(SourceError(f"{target}: not a regular file or folder"))
        else:
            units.append(SourceError(f"{target}: no such file, folder or URL"))
    return units


def _file_kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return "text-file"
    if suffix in HTML_SUFFIXES:
        return "html-file"
    if suffix in ARCHIVE_SUFFIXES:
        return "archive"
    if suffix in FEED_SUFFIXES:
        return "feed-file"
    try:
        head = path.open("rb").read(2048).lstrip().lower()
    except OSError:
        return "text-file"
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return "html-file"
    if head.startswith((b"<?xml", b"<rss", b"<feed")):
        return "feed-file"
    return "text-file"


def plan(
    units: list[str | SourceError],
    known_url: Callable[[str], bool] = lambda url: False,
    fetcher: Callable | None = None,
    max_bytes: int | None = None,
) -> Iterator[Job | SourceError]:
    """Jobs for the units: one per file or page, one per archive row, one per new feed entry.

    max_bytes caps each local article or feed file and each archive row (an archive may be larger)."""
    fetcher = fetcher or default_fetch
    for unit in units:
        if isinstance(unit, SourceError):
            yield unit
            continue
        if is_url(unit):
            yield from url_jobs(unit, known_url, fetcher)
            continue
        path = Path(unit)
        kind = _file_kind(path)
        if kind == "archive":
            yield from _archive_jobs(path, max_bytes)
        elif kind == "feed-file":
            try:
                content = read_capped(path, max_bytes)
            except SourceError as exc:
                yield exc
                continue
            yield from _feed_jobs(str(path), content, known_url, fetcher)
        else:
            yield Job(label=str(path), kind=kind, path=str(path), max_bytes=max_bytes)


def url_jobs(url: str, known_url, fetcher) -> Iterator[Job | SourceError]:
    """The job for a web page, or one per new entry of a feed, at url."""
    try:
        fetched = fetcher(url)
    except SourceError as exc:
        yield exc
        return
    if is_feed(fetched.content_type, fetched.content):
        yield from _feed_jobs(url, fetched.content, known_url, fetcher)
        return
    ctype = fetched.content_type.split(";")[0].strip().lower()
    if ctype == "text/plain":
        yield Job(label=url, kind="text", html=fetched.content, url=url, final_url=fetched.final_url)
        return
    if ctype and not (ctype.startswith("text/") or "html" in ctype or "xml" in ctype):
        yield SourceError(f"{url}: not a web page or feed (content type {ctype})")
        return
    yield Job(label=url, kind="html", html=fetched.content, url=url, final_url=fetched.final_url)


def _feed_jobs(name: str, content: bytes, known_url, fetcher) -> Iterator[Job | SourceError]:
    try:
        entries = feed_entries(content, name)
    except SourceError as exc:
        yield exc
        return
    if not entries:
        yield SourceError(f"{name}: feed has no entries")
        return
    yield from entry_jobs(name, entries, known_url, fetcher)


def entry_jobs(name: str, entries, known_url, fetcher) -> Iterator[Job | SourceError]:
    """One job per feed entry: "known" for an entry already stored (not fetched), else its fetched page."""
    for number, entry in enumerate(entries, start=1):
        if not entry.link:
            yield SourceError(f"feed {name}: entry {number} {entry.title or '(untitled)'!r} has no link")
            continue
        if known_url(entry.link):
            yield Job(label=entry.link, kind="known")
            continue
        label = f"{entry.link} (feed {name}, entry {number}{f' {entry.title!r}' if entry.title else ''})"
        try:
            fetched = fetcher(entry.link)
        except SourceError as exc:
            reason = str(exc).removeprefix(f"{entry.link}: ")
            yield SourceError(f"{label}: {reason}")
            continue
        meta = {
            "title": entry.title,
            "published": entry.published,
            "author": entry.author,
            "publisher": entry.publisher,
        }
        yield Job(
            label=label, kind="html", html=fetched.content, url=entry.link, final_url=fetched.final_url, meta=meta
        )


def _archive_jobs(path: Path, max_bytes: int | None = None) -> Iterator[Job | SourceError]:
    for row in read_archive(path):
        if isinstance(row, SourceError):
            yield row
            continue
        size = len((row.text or row.html or "").encode("utf-8", "replace"))
        if max_bytes and size > max_bytes:
            yield SourceError(
                f"{row.label}: row too large ({size:,} bytes; limit {max_bytes:,}; "
                "raise it with --max-bytes or WHOSAID_MAX_BYTES)"
            )
            continue
        fields = dict(row.fields)
        url = fields.get("url")
        override = {k: v for k, v in fields.items() if k != "url" and v}
        if url:
            override["url"] = url
        if row.text is not None:
            article = ArticleInput(
                text=row.text.replace("\r\n", "\n"), title="", source_path=str(path), url=url, canonical_url=url
            )
            yield Job(label=row.label, kind="article", article=article, override=override)
        else:
            yield Job(label=row.label, kind="html", html=row.html, url=url, override=override, path=str(path))


def load_job(job: Job) -> ArticleInput:
    """The ArticleInput for a job (parses files and HTML); SourceError naming the input on failure."""
    # each kind carries its part of the Job (the asserts say which)
    if job.kind == "text-file":
        assert job.path is not None
        inp = read_text_file(Path(job.path), job.max_bytes)
    elif job.kind == "html-file":
        assert job.path is not None
        inp = read_html_file(Path(job.path), job.max_bytes)
    elif job.kind == "html":
        assert job.html is not None
        inp = parse_html(job.html, job.label, url=job.final_url or job.url, source_path=job.path)
        inp = replace(inp, url=job.url)
    elif job.kind == "text":  # a plain-text document fetched from a URL
        assert isinstance(job.html, bytes)
        inp = parse_text(decode(job.html, job.label), source_path=None)
        inp = replace(inp, url=job.url, canonical_url=inp.canonical_url or job.final_url or job.url)
    elif job.kind == "input":  # read and parsed already (a queued article: app.jobs)
        assert job.article is not None
        inp = job.article
    elif job.kind == "article":
        assert job.article is not None
        inp = parse_text(job.article.text, source_path=job.article.source_path)
        inp = replace(inp, url=job.article.url or inp.url, canonical_url=job.article.canonical_url or inp.canonical_url)
    else:
        raise SourceError(f"{job.label}: nothing to read")
    if job.override:
        inp = replace(inp, **dict(job.override))
        if job.override.get("url") and not inp.canonical_url:
            inp = replace(inp, canonical_url=job.override["url"])
    inp = clean_controls(inp)  # PostgreSQL refuses NUL; no control character belongs in an article
    if job.meta:
        inp = inp.fill(**job.meta)
    if inp.title:
        inp = replace(inp, title=shorten(inp.title))
    address = inp.canonical_url or inp.url
    if not inp.publisher and address:  # last resort: the site's host name
        host = (urlsplit(address).hostname or "").removeprefix("www.")
        inp = replace(inp, publisher=host or None)
    return inp
