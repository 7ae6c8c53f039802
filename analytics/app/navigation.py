"""Which page a run shows: the entry script first, a page change told from a new link, the deck asked for.

The one place that reads Streamlit's page machinery (``PagesManager``, the script run context); guarded by
tests/test_internals.py."""

from __future__ import annotations

import streamlit as st

from .. import config

PAGE = "_page"  # the page the last run showed (its script hash): a different one asked for is a page change


def page_requested() -> str:
    """The script hash of the page this run was asked for ("" when asked by name, as a loaded URL is)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return (ctx.pages_manager.intended_page_script_hash or "") if ctx is not None else ""


def presenting_asked() -> bool:
    """The deck is asked for: ``present=1`` in the URL or the presentation page (read before the filters are)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    asked_page = ctx.pages_manager.intended_page_name if ctx is not None else None
    return st.query_params.get("present") == "1" or asked_page == "present"


def current_path() -> str | None:
    """The URL path of the page this run shows ("" for the default page; None before st.navigation chose one).
    (present13: the library page with present=1 presents that library's own deck.)"""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    info = ctx.pages_manager.get_pages().get(ctx.page_script_hash) if ctx is not None else None
    return info.get("url_pathname") if info else None


def page_shown() -> None:
    """Remember the page this run shows (app.py calls it after st.navigation), to tell a page change later."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is not None:
        st.session_state[PAGE] = ctx.page_script_hash


def entrypoint_first() -> None:
    """Have app.py run first when Streamlit started a page's script without it.

    Streamlit decides once per process, on the first request and before any of our code runs, whether the
    app uses the older multipage mode of a pages/ folder; it does as long as app.py has not yet said
    otherwise. So when a fresh server's very first request names a page (a copied link opened first thing
    after a start), Streamlit runs that page's script alone: no navigation, no filters (issue 13, item 3).
    The first thing such a page asks of this module (the dataset, the language, the filters) lands here: the
    old mode is turned off for good and app.py runs in its place, within this same run, so that its
    st.navigation lists the pages and runs the one asked for (a page is known by its URL path), with the
    URL's filters and any click this run carries. The page's own partial run then stops. (AppTest restores
    the old mode before every run of an app with a pages/ folder: there, this happens on every run.)"""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        import runpy

        PagesManager.uses_pages_directory = False
        runpy.run_path(str(config.ROOT / "app.py"), run_name="__main__")
        st.stop()
