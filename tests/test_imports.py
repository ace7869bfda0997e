"""Module structure: no two modules of app/ import each other (at the top or inside a function)."""
import ast
import re
import sys
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


# A function-local import of an app module is allowed only on purpose, with the reason on its line:
#     from app.jobs.queue import queue_enabled
# (ruff's PLC0415 flags every function-local import; this test holds app modules to it even where ruff
# is told to look away.)
LAZY_MARK = re.compile(r"#\s*noqa:\s*PLC0415\s+-\s+\S")
# Still to hoist by the issue-11 work (app/people, app/quotes, app/text); empty it as they are done.
NOT_YET_HOISTED = {
    "app/people/names.py",  # the names ↔ roles circle (split_name ↔ parse_descriptor), see LAZY_KNOWN
}


def _late_app_imports(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    out = []
    for fn in ast.walk(ast.parse(source)):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(fn):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""] if node.level == 0 else ["app (relative)"]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            if any(n == "app" or n.startswith("app.") or n == "app (relative)" for n in names) \
                    and not LAZY_MARK.search(lines[node.lineno - 1]):
                out.append(f"{path.relative_to(APP.parent)}:{node.lineno}: {lines[node.lineno - 1].strip()}")
    return out


def test_app_modules_import_each_other_at_the_top():
    late = [hit for path in sorted(APP.rglob("*.py")) if str(path.relative_to(APP.parent)) not in NOT_YET_HOISTED
            for hit in _late_app_imports(path)]
    assert late == [], "\n".join(late)


def test_the_not_yet_hoisted_list_names_only_files_that_still_need_it():
    """So the list shrinks as the work is done (and names no file outside the three folders)."""
    for name in NOT_YET_HOISTED:
        assert name.startswith(("app/people/", "app/quotes/", "app/text/")), name
        assert _late_app_imports(APP.parent / name), f"{name} has no late app import left: drop it from the list"


def test_the_check_sees_a_late_import_and_accepts_a_marked_one(tmp_path, monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "APP", tmp_path / "app")
    (tmp_path / "app").mkdir()
    mod = tmp_path / "app" / "mod.py"
    mod.write_text("def f():\n    from app.db import upgrade\n    return upgrade\n", encoding="utf-8")
    assert len(_late_app_imports(mod)) == 1
    mod.write_text("def f():\n    from app.db import upgrade  # noqa: PLC0415 - lazy: heavy\n    return upgrade\n",
                   encoding="utf-8")
    assert _late_app_imports(mod) == []


def test_no_route_module_imports_another():
    """What several pages share lives beside the routes (app.web.listing, the query modules), not in one of them."""
    imports = _imports()
    for mod, deps in imports.items():
        if mod.startswith("app.web.routes."):
            others = {d for d in deps if d.startswith("app.web.routes") and d != mod}
            assert not others, (mod, others)


def test_routes_hold_no_sql():
    """Routes parse, call, render: queries live in the query modules beside them (app/web/*queries.py)."""
    for path in sorted((APP / "web" / "routes").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        builders = {a.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                    and (node.module or "").split(".")[0] in ("sqlmodel", "sqlalchemy") for a in node.names}
        assert not builders & {"select", "update", "delete", "insert", "text", "col"}, (path.name, builders)


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
