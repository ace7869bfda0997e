"""Module structure: no import cycles in app/ (at the top or inside a function), imports at the top, layers."""

import ast
import re
import sys
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"


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


def _cycles(imports: dict[str, set[str]]) -> list[list[str]]:
    """The import rings of a graph, each as its sorted modules: the strongly connected components of two
    modules or more (Tarjan's algorithm), so a ring of any length is found, not only two modules."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    rings: list[list[str]] = []

    def visit(mod: str) -> None:
        index[mod] = low[mod] = len(index)
        stack.append(mod)
        on_stack.add(mod)
        for dep in sorted(imports[mod]):
            if dep not in imports or dep == mod:
                continue
            if dep not in index:
                visit(dep)
                low[mod] = min(low[mod], low[dep])
            elif dep in on_stack:
                low[mod] = min(low[mod], index[dep])
        if low[mod] == index[mod]:
            ring = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                ring.append(top)
                if top == mod:
                    break
            if len(ring) > 1:
                rings.append(sorted(ring))

    for mod in sorted(imports):
        if mod not in index:
            visit(mod)
    return rings


def test_no_import_cycles():
    """No module of app/ imports, directly or through others, a module that imports it (at the top or
    inside a function)."""
    assert _cycles(_imports()) == []


def test_the_cycle_check_finds_a_ring_of_three():
    ring = {"app.a": {"app.b"}, "app.b": {"app.c"}, "app.c": {"app.a", "app.d"}, "app.d": set()}
    assert _cycles(ring) == [["app.a", "app.b", "app.c"]]
    ring["app.c"] = {"app.d"}
    assert _cycles(ring) == []


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
            if any(n == "app" or n.startswith("app.") or n == "app (relative)" for n in names) and not LAZY_MARK.search(
                lines[node.lineno - 1]
            ):
                out.append(f"{path.relative_to(APP.parent)}:{node.lineno}: {lines[node.lineno - 1].strip()}")
    return out


def test_app_modules_import_each_other_at_the_top():
    late = [hit for path in sorted(APP.rglob("*.py")) for hit in _late_app_imports(path)]
    assert late == [], "\n".join(late)


def test_the_check_sees_a_late_import_and_accepts_a_marked_one(tmp_path, monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "APP", tmp_path / "app")
    (tmp_path / "app").mkdir()
    mod = tmp_path / "app" / "mod.py"
    mod.write_text("def f():\n    from app.db import upgrade\n    return upgrade\n", encoding="utf-8")
    assert len(_late_app_imports(mod)) == 1
    mod.write_text(
        "def f():\n    from app.db import upgrade  # noqa: PLC0415 - lazy: heavy\n    return upgrade\n",
        encoding="utf-8",
    )
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
        builders = {
            a.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in ("sqlmodel", "sqlalchemy")
            for a in node.names
        }
        assert not builders & {"select", "update", "delete", "insert", "text", "col"}, (path.name, builders)


# app/people from the bottom up: each module imports only those before it.
PEOPLE_LAYERS = (
    "app.people.wordlists",
    "app.people.orgs",
    "app.people.names",
    "app.people.roles",
    "app.people.titles",
    "app.people.role_phrases",
    "app.people.mentions",
    "app.people.matching",
    "app.people.resolve",
)


def test_people_modules_import_only_the_layers_below():
    imports = _imports()
    assert {m for m in imports if m.startswith("app.people.")} == set(PEOPLE_LAYERS)
    for i, mod in enumerate(PEOPLE_LAYERS):
        people = {d for d in imports[mod] if d.startswith("app.people.") and d in imports}
        assert people <= set(PEOPLE_LAYERS[:i]), (mod, people - set(PEOPLE_LAYERS[:i]))
    assert not any(d.startswith("app.") and not d.startswith("app.datafiles") for d in imports["app.people.wordlists"])


def test_every_setting_is_in_the_readme_configuration_table():
    """A setting added to app.config.Settings fails here until the README's table names it."""
    from app.config import Settings

    readme = (APP.parent / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = {m.group(1) for m in re.finditer(r"`(WHOSAID_[A-Z_]+)`", table)}
    missing = {f"WHOSAID_{name.upper()}" for name in Settings.model_fields} - rows
    assert not missing, f"README's Configuration table lacks {sorted(missing)}"
