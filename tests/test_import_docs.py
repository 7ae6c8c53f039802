"""docs/imports.md stays in step with the code: every kind, column alias, reason and command is documented."""

from analytics.config import ROOT
from analytics.i18n.imports import _REASONS
from analytics.importing.columns import COLUMNS, KINDS

DOC = (ROOT / "docs" / "imports.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_alias_and_reason_is_documented():
    missing = [f"{k}.{c.name}:{a}" for k in KINDS for c in COLUMNS[k] for a in c.aliases if f"`{a}`" not in DOC]
    missing += [r for r in _REASONS if f"`{r}`" not in DOC]
    assert missing == []


def test_commands_are_in_the_readme_and_the_doc():
    for command in ("import FILE --kind", "template KIND", "undo IMPORT_ID", "export TABLE"):
        assert command in README
    for command in ("analytics import", "analytics template", "analytics undo", "analytics export"):
        assert command in DOC
    assert "docs/imports.md" in README
