"""A local news site on 127.0.0.1 for feed and queue tests: articles, an RSS feed that changes, 304s.

The feed answers If-None-Match / If-Modified-Since with 304 while its entries are unchanged;
`broken` makes it answer 500; `hold(path)` makes a path wait until released (a slow outlet).
"""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from email.utils import formatdate
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SPEAKERS = ["Anna Berg", "Tomas Lind", "Maria Holm", "Jonas Ek", "Eva Strand", "Karl Nyberg"]


def article_html(slug: str, n: int) -> bytes:
    """An article page with two quotes; text differs per slug."""
    who = SPEAKERS[n % len(SPEAKERS)]
    body = (
        f"<p>\u201cThe new bridge over river {slug} will open in spring {2030 + n},\u201d Mayor {who} said on Friday.</p>"
        f"<p>The council approved a budget of {n + 3} million crowns for project {slug} after a long debate "
        f"that lasted well into the evening, and residents of district {n} welcomed the decision.</p>"
        f"<p>{who} added that work on the approach roads for project {slug} would start in the autumn.</p>"
        f"<p>\u201cWe have waited {n + 2} years for this,\u201d said resident Olof Dahl, who lives near site {slug}.</p>"
    )
    return (
        f"<!doctype html><html><head><title>Bridge {escape(slug)} to open</title></head><body><article>"
        f"<h1>Bridge {escape(slug)} to open</h1>{body}</article></body></html>"
    ).encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    site: NewsSite

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):
        self.site.serve(self)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass


class NewsSite:
    """Start with NewsSite(); .base is its origin, .feed_url its feed; .close() when done."""

    def __init__(self, name: str = "feed") -> None:
        self.name = name
        self.articles: list[str] = []
        self.hits: Counter = Counter()
        self.not_modified = 0
        self.broken = False
        self.holds: dict[str, threading.Event] = {}
        self.lock = threading.Lock()
        handler = type("Handler", (_Handler,), {"site": self})
        self.httpd = _Server(("127.0.0.1", 0), handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.feed_url = f"{self.base}/{name}.xml"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def add(self, *slugs: str) -> None:
        with self.lock:
            self.articles.extend(slugs)

    def url(self, slug: str) -> str:
        return f"{self.base}/news/{slug}.html"

    def hold(self, path: str) -> threading.Event:
        """Requests for path wait until the returned event is set (or 60 s pass)."""
        self.holds[path] = threading.Event()
        return self.holds[path]

    def _feed(self) -> tuple[bytes, str, str]:
        with self.lock:
            slugs = list(self.articles)
        items = "".join(
            f"<item><title>Bridge {s} to open</title><link>{self.url(s)}</link>"
            f"<pubDate>{formatdate(1_800_000_000 + i * 3600, usegmt=True)}</pubDate></item>"
            for i, s in enumerate(slugs)
        )
        body = (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>The {self.name} Courier</title>'
            f"<link>{self.base}/</link>{items}</channel></rss>"
        ).encode()
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        return body, etag, formatdate(1_800_000_000 + len(slugs) * 3600, usegmt=True)

    def serve(self, h: BaseHTTPRequestHandler) -> None:
        path = h.path.split("?")[0]
        self.hits[path] += 1
        if path in self.holds:
            self.holds[path].wait(60)
        if path == f"/{self.name}.xml":
            if self.broken:
                return self._send(h, b"oops", "text/plain", 500)
            body, etag, modified = self._feed()
            if h.headers.get("If-None-Match") == etag or (
                not h.headers.get("If-None-Match") and h.headers.get("If-Modified-Since") == modified
            ):
                self.not_modified += 1
                h.send_response(304)
                h.send_header("ETag", etag)
                h.send_header("Content-Length", "0")
                h.end_headers()
                return
            return self._send(h, body, "application/rss+xml", 200, {"ETag": etag, "Last-Modified": modified})
        if path.startswith("/news/") and path.endswith(".html"):
            slug = path[len("/news/") : -len(".html")]
            with self.lock:
                known = slug in self.articles
            if known:
                return self._send(h, article_html(slug, self.articles.index(slug)))
        self._send(h, b"<html><body>not found</body></html>", status=404)

    @staticmethod
    def _send(h, body: bytes, ctype: str = "text/html; charset=utf-8", status: int = 200, headers=None) -> None:
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    def close(self) -> None:
        for event in self.holds.values():
            event.set()
        self.httpd.shutdown()
        self.httpd.server_close()
