"""Module structure: no two modules of app/ import each other (at the top or inside a function)."""
import ast
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"
# Known circle still to mend: names' mention parsing (split_name) needs roles' descriptor parsing, which
# needs split_name (places and organisations moved below both: app.places, app.people.orgs).
KNOWN = {("app.people.names", "app.people.roles")}


def _imports() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for path in APP.rglob("*.py"):
        mod = ".".join(path.relative_to(APP.parent).with_suffix("").parts).removesuffix(".__init__")
        deps = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("app"):
                deps.add(node.module)
                deps.update(f"{node.module}.{a.name}" for a in node.names)
            elif isinstance(node, ast.Import):
                deps.update(a.name for a in node.names if a.name.startswith("app"))
        out[mod] = deps
    return out


def test_no_two_modules_import_each_other():
    imports = _imports()
    pairs = {tuple(sorted((a, b))) for a, deps in imports.items() for b in deps
             if b in imports and b != a and a in imports[b]}
    assert pairs <= KNOWN, pairs - KNOWN
    assert ("app.corrections.apply", "app.corrections.service") not in pairs


def test_text_does_not_import_people():
    """The place lists live below both (app.places): masking text needs no people module."""
    imports = _imports()
    for mod, deps in imports.items():
        if mod.startswith("app.text"):
            assert not any(d.startswith("app.people") for d in deps), (mod, deps)


# Function-local imports of app modules still allowed in the extraction folders: the names ↔ roles circle
# above (split_name ↔ parse_descriptor).
LAZY_KNOWN = {("app.people.names", "app.people.roles")}
EXTRACTION = ("app.people", "app.quotes", "app.text")


def _function_imports(path: Path) -> set[str]:
    """App modules imported inside a function body of one file."""
    out = set()
    for fn in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for node in ast.walk(fn):
                if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("app"):
                    out.add(node.module)
                elif isinstance(node, ast.Import):
                    out.update(a.name for a in node.names if a.name.startswith("app"))
    return out


def test_extraction_modules_import_app_modules_at_the_top():
    found = set()
    for path in APP.rglob("*.py"):
        mod = ".".join(path.relative_to(APP.parent).with_suffix("").parts).removesuffix(".__init__")
        if mod.startswith(EXTRACTION):
            found.update((mod, dep) for dep in _function_imports(path))
    assert found <= LAZY_KNOWN, found - LAZY_KNOWN


def test_organisations_need_no_people_module():
    imports = _imports()
    assert not any(d.startswith("app.people") and not d.startswith("app.people.wordlists")
                   for d in imports["app.people.orgs"])
    assert not any(d.startswith("app.") for d in imports["app.people.wordlists"])
