"""What /openapi.json says about answers: HTML pages as text/html, every error status with its body.

Routes declare their own answers with html_page(...), data(...) and errors(...); finish() then
completes the description FastAPI generates: every operation may answer 400 (the parameter guard
in app.web.security runs before any route), 422 is gone (a bad parameter is a 400 here, see
app.web.main) and path parameters say what they look like.

An error's body follows the URL, not the Accept header: JSON ({"error", "detail"}) for .json, .csv,
.atom and .png URLs, otherwise an HTML page; both are documented for every error status.
"""

from __future__ import annotations

HTML = {"text/html": {"schema": {"type": "string"}}}
ERROR_SCHEMA = {
    "type": "object",
    "properties": {"error": {"type": "string"}, "detail": {"type": "string"}},
    "required": ["error", "detail"],
}
ERROR_CONTENT = {**HTML, "application/json": {"schema": ERROR_SCHEMA}}
MEDIA = {"json": "application/json", "csv": "text/csv", "atom": "application/atom+xml"}
DESCRIPTIONS = {
    301: "Moved: the canonical URL (a merged person, a re-extracted quote, a different slug or letter case)",
    304: "Not modified (If-None-Match matched the ETag)",
    400: "Bad parameter: the title names it, the detail says why",
    404: "Not found",
    410: "Gone: removed by an editor, with the reason",
}
PATH_PATTERNS = {  # what our ids look like; a dot would turn /people/{slug} into /people/{slug}.{fmt}
    "slug": r"^[A-Za-z0-9_-]+$",
    "uid": r"^[A-Za-z0-9_-]+$",
    "code": r"^[A-Za-z]{2}$",
}
QUERY_SCHEMAS: dict[str, dict] = {  # what app.web.filters accepts (it answers 400 naming the parameter otherwise)
    "country": {"pattern": r"^[A-Za-z]{2}$"},
    "from": {"format": "date"},
    "to": {"format": "date"},
    "kind": {"enum": ["direct", "indirect", "mixed"]},
    "limit": {"pattern": r"^[0-9]{1,9}$"},
    "page": {"pattern": r"^[0-9]{1,9}$"},
    "q": {"maxLength": 300},
    "undated": {"enum": ["0", "1"]},
    "before": {"pattern": r"^[0-9a-z]{1,14}\.[0-9a-z]{1,10}$"},
    "after": {"pattern": r"^[0-9a-z]{1,14}\.[0-9a-z]{1,10}$"},
}
FORMATS = {"/people.{fmt}": ["json", "csv"]}
ALL_FORMATS = ["json", "csv", "atom"]


def errors(*codes: int) -> dict:
    """Documented answers for these statuses (301 and 304 have no body)."""
    out: dict = {}
    for code in codes:
        out[code] = {"description": DESCRIPTIONS[code]}
        if code not in (301, 304):
            out[code]["content"] = ERROR_CONTENT
    return out


def html_page(*codes: int) -> dict:
    """Answers of an HTML page: 200 text/html plus these statuses (pair with response_class=HTMLResponse)."""
    return {200: {"description": "HTML page", "content": HTML}, **errors(*codes)}


def data(*formats: str, codes: tuple[int, ...] = ()) -> dict:
    """Answers of a data URL in these formats (json, csv, atom) plus these statuses."""
    content: dict[str, dict] = {MEDIA[f]: {} for f in formats}
    return {200: {"description": ", ".join(f.upper() for f in formats), "content": content}, **errors(*codes)}


def finish(schema: dict) -> dict:
    """FastAPI's description completed as the module doc says (in place, and safe to repeat)."""
    for path, operations in schema.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            responses.pop("422", None)
            responses.setdefault("400", errors(400)[400])
            for param in operation.get("parameters", []):
                param_schema = param.setdefault("schema", {})
                if param.get("in") == "query" and param["name"] in QUERY_SCHEMAS:
                    _narrow(param_schema, QUERY_SCHEMAS[param["name"]])
                if param.get("in") != "path":
                    continue
                if param["name"] == "fmt":
                    param_schema["enum"] = FORMATS.get(path, ALL_FORMATS)
                elif param["name"] in PATH_PATTERNS:
                    param_schema["pattern"] = PATH_PATTERNS[param["name"]]
    components = schema.get("components", {}).get("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    if "components" in schema and not components:
        schema["components"].pop("schemas", None)
        if not schema["components"]:
            schema.pop("components")
    return schema


def _narrow(schema: dict, extra: dict) -> None:
    """Add constraints to a parameter schema, also inside FastAPI's anyOf [type, null] for optional ones."""
    for branch in schema.get("anyOf", [schema]):
        if branch.get("type") == "string":
            branch.update(extra)
