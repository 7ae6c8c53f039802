"""Entrypoint: page config, first-start database, the shared sidebar filters, language and navigation."""

import sqlite3
import time

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from analytics import config, store
from analytics import db as dialects
from analytics.app import auth, cache, navigation, presenting, state, style, widgets
from analytics.i18n import t
from analytics.tools import nodelay, profiling

# Streamlit treats a pages/ folder as its older multipage API and would then run a page's script without
# this entrypoint (no filters, no navigation) whenever a request names that page. st.navigation below is
# this app's only navigation. Streamlit decides this once per process, on its first request, before any of
# our code runs: when that request names a page, the page's script starts alone, and its first call into
# analytics.app runs this file in its place (navigation.entrypoint_first; issue 13, item 3).
PagesManager.uses_pages_directory = False
nodelay.enable()  # Streamlit 1.67 leaves Nagle's algorithm on: +40 ms on short reruns (analytics/tools/nodelay.py)
started = time.perf_counter()
profiling.install()
profiling.start()
# In presentation mode the sidebar starts collapsed (read from the URL: the filters are not parsed yet).
present_in_url = navigation.presenting_asked()
# An emoji favicon: a ":material/..." one would make the browser fetch it from a font server (not offline).
st.set_page_config(
    page_title="Dasbor PLM",
    page_icon="📚",
    layout="wide",
    initial_sidebar_state="collapsed" if present_in_url else "auto",
)
lang = state.language()
try:
    db = cache.ensure_database(lang)
    shown = dialects.describe(db)  # a PostgreSQL URL without its password
    if not cache.has_tables(db, cache.data_version(db)):  # an empty file: nothing to show yet, and nothing to migrate
        st.info(t("app.empty_database", lang, path=shown))
        st.stop()
    if (version := cache.schema_version(db, cache.data_version(db))) < store.SCHEMA_VERSION:
        st.error(t("migrate.needed", lang, path=shown, version=version))  # an older file: say how to migrate it
        st.stop()
    ds = cache.get_dataset()
    if ds.cycles.empty:
        st.info(t("app.empty_database", lang, path=shown))
        st.stop()
except (sqlite3.Error, OSError, KeyError, ValueError, dialects.Unreachable) as error:
    # A file that cannot be read, or a PostgreSQL server that cannot be reached: a message, never a traceback.
    st.error(t("app.no_database", lang, path=dialects.describe(str(config.db_path())), reason=type(error).__name__))
    st.stop()


def page(script: str, key: str, path: str, icon: str, **options) -> st.Page:
    # No icon in the top navigation: with icons, the pages past the seventh went into an "N more" menu at
    # 1366 px (issue 13, item 8). The icons stay written here, for a navigation with room for them.
    return st.Page(script, title=t(f"nav.{key}", lang), url_path=path, **options)


# From here on a PostgreSQL server lost after the start above passed is a message too, not a traceback: signed
# in, every rerun reads the account (the sidebar's gate, the import page's visibility); some pages ask the server
# on every rerun.
with cache.said_when_lost():
    filters, warnings = state.sidebar(ds)
    lang = filters.lang
    style.app_style(lang)  # the page's language (<html lang>) and readable disabled labels
    pages = [
        page("pages/overview.py", "overview", "", ":material/dashboard:", default=True),
        page("pages/participation.py", "participation", "participation", ":material/groups:"),
        page("pages/impact.py", "impact", "impact", ":material/trending_up:"),
        page("pages/compare.py", "compare", "compare", ":material/compare_arrows:"),
        page("pages/library.py", "library", "library", ":material/local_library:"),
        page("pages/data_quality.py", "quality", "data-quality", ":material/fact_check:"),
        page("pages/stories.py", "stories", "stories", ":material/forum:"),
        page("pages/awards.py", "awards", "awards", ":material/emoji_events:"),
        page("pages/present.py", "present", "present", ":material/slideshow:"),
        # Data officers only: hidden from the navigation otherwise, and the page itself shows a sign-in form.
        page(
            "pages/import.py",
            "import",
            "import",
            ":material/upload_file:",
            visibility="visible" if auth.is_data_officer() else "hidden",
        ),
    ]
    # The default page lives at "/"; "/overview" shows the same page (a hidden alias, for links that name it).
    pages.append(page("pages/overview.py", "overview", "overview", ":material/dashboard:", visibility="hidden"))
    # At the top: the page list stays in view when the sidebar (the filters) is collapsed for presenting.
    current = st.navigation(pages, position="top")
    navigation.page_shown()  # a different page asked for next time is a page change: the filters follow
    widgets.show_warnings(warnings, lang)
    try:
        if filters.present:  # present=1 shows the agenda deck whatever the page's URL
            presenting.show(ds, filters)
        else:
            current.run()
    finally:
        profiling.finish(started, current.url_path)
cache.settle_heap()  # after the timing: a one-off ~100 ms, at the end of the process's first page
