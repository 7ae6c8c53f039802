"""The package layout holds (issue 14, item 3): the domain modules stay free of Streamlit and of the layers
above them, and no module of analytics/ imports, directly or through others, a module that imports it back.

The import graph is read from the source: every ``import`` statement, those inside functions included, and
not only the modules that happen to be loaded."""

import ast
import re
from pathlib import Path

from analytics.config import ROOT

PACKAGE = ROOT / "analytics"


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The analytics modules (and top-level outside packages) that ``name`` imports anywhere in its source."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rsplit(".", 1)[0]
            target = (base + ("." + node.module if node.module else "")) if node.level else (node.module or "")
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                found.add(candidate if candidate in MODULES else target)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    found.discard(name)
    return found


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _cycles() -> list[list[str]]:
    state, stack, cycles = {}, [], []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for other in sorted(GRAPH[node] & MODULES.keys()):
            if state.get(other) == "open":
                cycles.append(stack[stack.index(other) :] + [other])
            elif other not in state:
                visit(other)
        stack.pop()
        state[node] = "done"

    for node in sorted(GRAPH):
        if node not in state:
            visit(node)
    return cycles


def test_the_graph_reader_sees_relative_and_function_level_imports():
    # The reader itself, on modules whose imports are known: app.page imports app.presenting at the top;
    # cli imports tools.bench inside a function.
    assert "analytics.app.presenting" in GRAPH["analytics.app.page"]
    assert "analytics.tools.bench" in GRAPH["analytics.cli"]
    assert "analytics.i18n" in GRAPH["analytics.importing.validate"]


def test_no_import_cycle():
    assert _cycles() == []


def test_the_cycle_finder_finds_a_cycle():
    GRAPH["analytics.metrics"].add("analytics.views")  # views imports metrics: now a cycle
    try:
        assert ["analytics.metrics", "analytics.views", "analytics.metrics"] in _cycles()
    finally:
        GRAPH["analytics.metrics"].discard("analytics.views")


def _layer(name: str) -> str:
    for layer in ("analytics.app", "analytics.tools"):
        if name == layer or name.startswith(layer + "."):
            return layer
    return "domain"


def test_only_the_streamlit_layer_and_the_tools_import_streamlit():
    users = sorted(n for n, deps in GRAPH.items() if any(d == "streamlit" or d.startswith("streamlit.") for d in deps))
    assert users and all(_layer(n) != "domain" for n in users), users


def test_the_domain_imports_neither_the_app_layer_nor_the_tools():
    wrong = {
        n: sorted(d for d in deps if _layer(d) != "domain")
        for n, deps in GRAPH.items()
        if _layer(n) == "domain" and n != "analytics.cli"
    }
    # The command line is the one domain-level entry point allowed to start the tools (bench, load).
    assert {n: d for n, d in wrong.items() if d} == {}
    assert all(_layer(d) != "analytics.app" for d in GRAPH["analytics.cli"])


def test_the_app_layer_does_not_import_the_tools_except_at_the_entrypoint():
    # app.py switches nodelay and profiling on; the app package itself does not depend on developer tools.
    assert not {
        n: deps
        for n, deps in GRAPH.items()
        if _layer(n) == "analytics.app" and any(_layer(d) == "analytics.tools" for d in deps)
    }


def test_no_sql_in_the_streamlit_layer_or_the_pages():
    # queries.py's promise: a page's reading is there; the Streamlit layer and the page scripts hold no SQL.
    statement = re.compile(r"\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b")
    places = [*(PACKAGE / "app").glob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "app.py"]
    found = {str(p.relative_to(ROOT)): statement.findall(p.read_text(encoding="utf-8")) for p in places}
    assert places and {p: s for p, s in found.items() if s} == {}
