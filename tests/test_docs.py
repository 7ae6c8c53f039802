"""The README stays true to the code: its command table lists every command of ``python -m analytics`` and
only real options, its install and test commands use the lock files, and the files it links exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from analytics.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def command_table() -> dict[str, str]:
    """The README's command table: command name -> its usage cell (the first backticked text of the row)."""
    section = README.split("## Command line", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        if match := re.match(r"\| `([^`]+)` \|", line):
            usage = match.group(1)
            rows[usage.split()[0]] = usage
    return rows


def test_the_table_is_found():
    assert len(command_table()) >= 10


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_is_in_the_readme_table(name):
    assert name in command_table(), f"README.md's command table lacks `{name}`"


def test_the_table_names_no_command_that_does_not_exist():
    assert set(command_table()) <= set(main.commands)


@pytest.mark.parametrize("name", sorted(command_table()))
def test_the_options_the_table_shows_exist(name):
    command = main.commands[name]
    options = {opt for param in command.params for opt in param.opts if opt.startswith("--")}
    shown = set(re.findall(r"--[a-z][a-z-]*", command_table()[name]))
    assert shown <= options, f"`{name}` has no {sorted(shown - options)}"


def linked_files() -> list[str]:
    """Relative links of the README (Markdown links and bare docs/*.md mentions), without anchors."""
    links = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", README)
    links += re.findall(r"\bdocs/[\w.-]+\.md\b", README)
    return sorted({link for link in links if "://" not in link})


def test_the_readme_links_some_docs():
    assert {"docs/metrics.md", "docs/benchmarks.md"} <= set(linked_files())


@pytest.mark.parametrize("link", linked_files())
def test_every_file_the_readme_links_exists(link):
    assert (ROOT / link).is_file(), link


def test_the_readme_installs_from_the_lock_files():
    """The two commands a person copies: the app's and the tests', each from its lock file, which exists."""
    app = re.search(r"pip install -r (\S+) && streamlit run app\.py", README)
    tests = re.search(r"pip install -r (\S+) && pytest", README)
    assert app and tests
    assert app.group(1).endswith(".lock") and tests.group(1).endswith(".lock")
    assert (ROOT / app.group(1)).is_file() and (ROOT / tests.group(1)).is_file()


# --- the lock files: compiled from the current requirements, and one set of versions ---


def pins(lock: str) -> dict[str, str]:
    text = (ROOT / lock).read_text(encoding="utf-8")
    return {
        canonicalize_name(name): version for name, version in re.findall(r"^([A-Za-z0-9_.-]+)==([^\s;\\]+)", text, re.M)
    }


def requirements(name: str) -> list[Requirement]:
    out = []
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            out += requirements(line[3:].strip())
        elif line:
            out.append(Requirement(line))
    return out


@pytest.mark.parametrize(
    "source,lock", [("requirements.txt", "requirements.lock"), ("requirements-dev.txt", "requirements-dev.lock")]
)
def test_each_lock_satisfies_its_requirements(source, lock):
    """Fails when a requirement changed and the lock was not compiled again (README: Dependencies)."""
    pinned = pins(lock)
    for req in requirements(source):
        name = canonicalize_name(req.name)
        assert name in pinned, f"{lock} lacks {req.name}"
        assert req.specifier.contains(pinned[name], prereleases=True), f"{lock}: {name}=={pinned[name]} not {req}"


def test_the_two_locks_pin_the_same_versions():
    runtime, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    assert runtime and {name: dev.get(name) for name in runtime} == runtime


def test_every_third_party_import_is_a_declared_requirement():
    """A package the code imports is declared, even when another brings it (websockets came with Streamlit)."""
    import sys

    declared = {canonicalize_name(req.name) for req in requirements("requirements-dev.txt")}
    module_of = {"pil": "pillow", "pptx": "python-pptx", "sqlite-utils": "sqlite-utils", "argon2": "argon2-cffi"}
    imported = set()
    for folder in ("analytics", "pages", "tests"):
        for path in (ROOT / folder).rglob("*.py"):
            imported |= set(re.findall(r"^\s*(?:from|import) ([A-Za-z_]\w*)", path.read_text(encoding="utf-8"), re.M))
    imported |= set(re.findall(r"^\s*(?:from|import) ([A-Za-z_]\w*)", (ROOT / "app.py").read_text(), re.M))
    # the project's own packages and modules (tests import their siblings, e.g. ``from test_pages import ...``)
    local = {"analytics", "tests", "pages", "importing"} | {
        p.stem for p in [*ROOT.glob("*.py"), *(ROOT / "tests").glob("*.py")]
    }
    third_party = {m for m in imported if m not in sys.stdlib_module_names and m not in local and m != "__future__"}
    names = {canonicalize_name(module_of.get(m.lower(), m)) for m in third_party}
    assert names, "no third-party import found"
    assert names <= declared, sorted(names - declared)
