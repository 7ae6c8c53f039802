"""Entrypoint: page config, first-start database, the shared sidebar filters, language and navigation."""

import sqlite3
import time

import streamlit as st

from analytics import auth, config, profiling, ui
from analytics.i18n import t

started = time.perf_counter()
profiling.install()
profiling.start()
st.set_page_config(page_title="Dasbor PLM", page_icon=":material/local_library:", layout="wide")
lang = ui.language()
ui.ensure_database(lang)
try:
    ds = ui.get_dataset()
except (sqlite3.Error, OSError, KeyError, ValueError) as error:
    st.error(t("app.no_database", lang, path=str(config.db_path()), reason=type(error).__name__))
    st.stop()
filters, warnings = ui.sidebar(ds)
lang = filters.lang


def page(script: str, key: str, path: str, icon: str, **options) -> st.Page:
    return st.Page(script, title=t(f"nav.{key}", lang), url_path=path, icon=icon, **options)


pages = [
    page("pages/overview.py", "overview", "overview", ":material/dashboard:", default=True),
    page("pages/participation.py", "participation", "participation", ":material/groups:"),
    page("pages/impact.py", "impact", "impact", ":material/trending_up:"),
    page("pages/compare.py", "compare", "compare", ":material/compare_arrows:"),
    page("pages/library.py", "library", "library", ":material/local_library:"),
    page("pages/data_quality.py", "quality", "data-quality", ":material/fact_check:"),
    page("pages/stories.py", "stories", "stories", ":material/forum:"),
    page("pages/awards.py", "awards", "awards", ":material/emoji_events:"),
    # Data officers only: hidden from the navigation otherwise, and the page itself shows a sign-in form.
    page("pages/import.py", "import", "import", ":material/upload_file:",
         visibility="visible" if auth.is_data_officer() else "hidden"),
]
current = st.navigation(pages)
ui.show_warnings(warnings, lang)
try:
    current.run()
finally:
    profiling.finish(started, current.url_path)
