"""Routes: /api, the JSON/CSV/Atom API documented from the app's own OpenAPI description."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.web import openapi
from app.web.templating import render

router = APIRouter()


def endpoints(openapi: dict) -> list[dict]:
    """Every GET endpoint of the OpenAPI description, with its parameters, in path order."""
    out = []
    for path, ops in sorted(openapi.get("paths", {}).items()):
        op = ops.get("get")
        if not op:
            continue
        params = [
            {
                "name": p["name"],
                "in": p.get("in"),
                "required": p.get("required", False),
                "description": p.get("description") or p.get("schema", {}).get("description", ""),
            }
            for p in op.get("parameters", [])
        ]
        out.append(
            {
                "path": path,
                "summary": op.get("summary", ""),
                "description": op.get("description", ""),
                "params": params,
                "machine": any(s in path for s in (".json", ".csv", ".atom", "{fmt}")),
            }
        )
    return out


@router.get("/api", summary="This documentation (HTML)", response_class=HTMLResponse, responses=openapi.html_page())
def api_page(request: Request) -> Response:
    """Server-rendered API documentation; the raw description is /openapi.json."""
    return render(request, "api.html", {"endpoints": endpoints(request.app.openapi())})
