"""Opening a page in AppTest the way a copied link opens it: URL parameters on the default page's first run
(they seed the session's filters), then a switch to the page (the filters carry over, as in the browser)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from analytics.config import ROOT

APP = str(ROOT / "app.py")


def open_page(script: str, **params) -> AppTest:
    """``script`` (``pages/x.py``) opened with ``params`` as URL parameters; fails on a shown exception."""
    at = AppTest.from_file(APP, default_timeout=180)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(script).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def open_drawers(at: AppTest, *keys: str) -> AppTest:
    """Open the page's drawers ``keys`` (``widgets.drawer``: their content is drawn only while open), as a
    click on each does, and run the page again."""
    for key in keys:
        at.session_state[key] = True
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def story_paragraphs(at: AppTest) -> list[str]:
    """The plain-text paragraphs the page shows: a story is one text element of three paragraphs (where and
    what; the story itself, which may hold blank lines of its own; its evidence), other text elements one."""
    out = []
    for element in at.text:
        parts = element.value.split("\n\n")
        out += [parts[0], "\n\n".join(parts[1:-1]), parts[-1]] if len(parts) >= 3 else [element.value]
    return out
