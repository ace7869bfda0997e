"""Static files with a cache lifetime: versioned URLs (urls.static, `?v=<content hash>`) are immutable."""

from __future__ import annotations

import contextlib
from urllib.parse import parse_qsl

from starlette.staticfiles import StaticFiles

from app.web import urls

IMMUTABLE = "public, max-age=31536000, immutable"
UNVERSIONED = "public, max-age=300"  # a bare /static/… URL (old page, hand-typed link) revalidates soon


class VersionedStaticFiles(StaticFiles):
    """StaticFiles whose answers carry Cache-Control: a year when `v` is the file's current hash, else minutes."""

    async def get_response(self, path: str, scope):
        response = await super().get_response(path, scope)
        if response.status_code in (200, 304):
            version = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1"))).get("v")
            current = None
            with contextlib.suppress(OSError):  # not one of our files
                current = urls.static_version(path)
            response.headers["Cache-Control"] = IMMUTABLE if version and version == current else UNVERSIONED
        return response
