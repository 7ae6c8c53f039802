"""Issue 14 item 4: translation stays in the catalog, every catalog key the code asks for exists in both
languages, no name shadows a builtin, and the tier, strategy and story-kind lists are defined once.

The code is read as source (``ast``), not run. ``python -m tests.test_catalog`` prints the catalog keys no code
asks for (a report for whoever tidies the catalog, never a failure: keys may be built in ways a scan cannot see).
"""

from __future__ import annotations

import ast
import builtins
import functools
import re
from pathlib import Path

import pytest

from analytics import store
from analytics.i18n import CATALOG, LANGUAGES

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted([*(ROOT / "analytics").rglob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "app.py"])
CATALOG_DIR = ROOT / "analytics" / "i18n"

# A branch on the language outside the catalog: translation picked in code instead of looked up.
LANGUAGE_BRANCH = re.compile(r"""lang\s*[!=]=\s*["'](id|en)["']|["']name_(id|en)["']\s+if\b""")
# Files allowed one, and why. Every entry names who is to remove it (the scan fails when a listed file no
# longer needs its entry, so the list cannot go stale).
LANGUAGE_BRANCH_ALLOWED = {
    # Switches the language of a simulated session (it flips between the two; nothing is translated).
    "analytics/tools/load.py": "flips a simulated session's language",
}


@functools.cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_translation_is_chosen_only_in_the_catalog():
    """No ``"name_id" if lang == "id" else "name_en"`` and no file name chosen with ``if lang == "id"``
    outside analytics/i18n/: ``i18n.localized``, ``i18n.pick`` and ``i18n.file_name`` do it."""
    found: dict[str, list[str]] = {}
    for path in SOURCES:
        if CATALOG_DIR in path.parents:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if LANGUAGE_BRANCH.search(line) and not line.lstrip().startswith("#"):
                found.setdefault(_relative(path), []).append(f"{number}: {line.strip()}")
    unexpected = {p: lines for p, lines in found.items() if p not in LANGUAGE_BRANCH_ALLOWED}
    assert not unexpected, unexpected
    stale = set(LANGUAGE_BRANCH_ALLOWED) - set(found)
    assert not stale, f"no longer needed in LANGUAGE_BRANCH_ALLOWED: {sorted(stale)}"


# --- every key the code asks for exists ---
FAMILIES = {key.split(".", 1)[0] for key in CATALOG}
KEY = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_-]+)+$")
NOT_TEXT_CALLS = {"Slide"}  # calls whose first argument looks like a key but is an identifier
NOT_KEYS = re.compile(r"\.(py|csv|xlsx|html|db|md|json|png|txt|sql|toml|js|css)$")
# The values an f-string key's placeholder takes, by the key's family: each must be in the catalog.
VALUES = {
    "tier": store.TIERS,
    "strategy": store.STRATEGIES,
    "story": store.STORY_KINDS,
    "level": store.MEETING_LEVELS,
    "role": store.ROLES,
    "status": ("green", "yellow", "red"),
}


def _strings(tree: ast.AST):
    """Every plain string constant of a module, docstrings excluded."""
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    not_text = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values}
    # A slide's kind ("library.opening") names the slide, not a text: deck.Slide(kind, title, ...).
    not_text |= {
        id(node.args[0])
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and node.args
        and getattr(node.func, "id", getattr(node.func, "attr", None)) in NOT_TEXT_CALLS
    }
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and id(node) not in not_text
        ):
            yield node.lineno, node.value


def _fstring_patterns(tree: ast.AST):
    """Each f-string that starts with a catalog family and a dot, as a regex over keys (``tier.{x}`` ->
    ``tier\\.[^.]+``) with its family and the literal text after the placeholder."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.JoinedStr) or not node.values:
            continue
        first = node.values[0]
        if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
            continue
        family = first.value.split(".", 1)[0]
        if "." not in first.value or family not in FAMILIES or " " in first.value:
            continue
        parts = [re.escape(p.value) if isinstance(p, ast.Constant) else "[A-Za-z0-9_-]+" for p in node.values]
        yield node.lineno, family, first.value, "".join(parts)


def used_keys() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """(literal keys -> places, f-string key patterns -> places) of analytics/, pages/ and app.py."""
    literal: dict[str, list[str]] = {}
    patterns: dict[str, list[str]] = {}
    for path in SOURCES:
        tree = _tree(path)
        for line, text in _strings(tree):
            if KEY.match(text) and text.split(".", 1)[0] in FAMILIES and not NOT_KEYS.search(text):
                literal.setdefault(text, []).append(f"{_relative(path)}:{line}")
        for line, _family, prefix, pattern in _fstring_patterns(tree):
            patterns.setdefault(pattern, []).append(f"{_relative(path)}:{line} ({prefix}…)")
    return literal, patterns


def test_every_key_the_code_asks_for_exists_in_both_languages():
    """A key missing from the catalog shows itself ("awards.titel") on the page: every literal key, and for an
    f-string key every value its family takes (``tier.{x}`` for each tier) or at least one key of its shape."""
    literal, patterns = used_keys()
    assert len(literal) > 300 and len(patterns) > 20  # the scan sees the code
    missing = {k: places for k, places in literal.items() if k not in CATALOG}
    assert not missing, missing
    incomplete = {k: [lang for lang in LANGUAGES if not CATALOG[k].get(lang)] for k in literal}
    assert not {k: v for k, v in incomplete.items() if v}
    for pattern, places in patterns.items():
        shape = re.compile(pattern + "$")
        keys = [k for k in CATALOG if shape.match(k)]
        assert keys, (pattern, places)
        family = pattern.split("\\.", 1)[0]
        if family in VALUES and pattern == f"{family}\\.[A-Za-z0-9_-]+":
            absent = [v for v in VALUES[family] if f"{family}.{v}" not in CATALOG]
            assert not absent, (family, absent, places)


def test_a_missing_key_would_be_found(tmp_path, monkeypatch):
    """The scan itself: a page asking for an unknown key is reported."""
    page = tmp_path / "page.py"
    page.write_text('from analytics.i18n import t\nt("awards.titel", "id")\nx = f"tier.{y}"\n', encoding="utf-8")
    monkeypatch.setattr(__import__(__name__, fromlist=["SOURCES"]), "SOURCES", [page])
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    literal, patterns = used_keys()
    assert "awards.titel" in literal and "awards.titel" not in CATALOG
    assert "tier\\.[A-Za-z0-9_-]+" in patterns


def unused_keys() -> list[str]:
    """Catalog keys that neither a literal nor an f-string shape in the code names (a report only)."""
    literal, patterns = used_keys()
    shapes = [re.compile(p + "$") for p in patterns]
    return sorted(k for k in CATALOG if k not in literal and not any(s.match(k) for s in shapes))


# --- names ---
def test_no_module_name_shadows_a_builtin():
    """``filters.Warning`` hid the builtin ``Warning`` in every module that imported it by name."""
    shadows = []
    for path in SOURCES:
        for node in _tree(path).body:
            names = (
                [node.name]
                if isinstance(node, (ast.ClassDef, ast.FunctionDef))
                else [t.id for t in getattr(node, "targets", []) if isinstance(t, ast.Name)]
            )
            shadows += [f"{_relative(path)}: {n}" for n in names if n in dir(builtins) and not n.startswith("_")]
    assert not shadows, shadows


# --- one definition of the lists ---
LISTS = {"tiers": store.TIERS, "strategies": store.STRATEGIES, "story kinds": store.STORY_KINDS}
DEFINED_IN = "analytics/store.py"
LIST_ALLOWED = {}


@pytest.mark.parametrize("name", sorted(LISTS))
def test_each_list_is_written_once(name):
    """The tiers, strategies and story kinds are written out only in analytics/store.py (schema CHECKs,
    validation, demo, charts and pages use ``store.TIERS`` / ``STRATEGIES`` / ``STORY_KINDS``): a tuple, list
    or set of two or more of them anywhere else is a second definition that can drift."""
    values = set(LISTS[name])
    found = []
    for path in SOURCES:
        if _relative(path) in (DEFINED_IN, *LIST_ALLOWED):
            continue
        for node in ast.walk(_tree(path)):
            if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
                items = [e.value for e in node.elts if isinstance(e, ast.Constant)]
                if len(items) >= 2 and len(items) == len(node.elts) and set(items) <= values:
                    found.append(f"{_relative(path)}:{node.lineno} {items}")
    assert not found, found


def test_import_aliases_name_only_the_stored_values():
    """Import validation reads the spreadsheet's words through alias maps onto the same lists: no alias
    leads to a tier or story kind the schema would refuse, and every value has at least one alias."""
    from analytics.importing import parse

    assert set(parse.TIERS.values()) == set(store.TIERS)
    assert set(parse.STORY_KINDS.values()) == set(store.STORY_KINDS)


if __name__ == "__main__":
    for key in unused_keys():
        print(key)
