"""The thin Streamlit-facing part: language, database location, first-start build, cached loads.

Only this module (and the page scripts) import streamlit; everything below it is plain Python.
"""

from __future__ import annotations

import streamlit as st

from . import config, demo, queries, store
from .i18n import DEFAULT_LANGUAGE, LANGUAGES, t


def language() -> str:
    """The interface language from ``?lang=``; anything else falls back to Bahasa Indonesia."""
    value = st.query_params.get("lang", DEFAULT_LANGUAGE)
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def ensure_database(lang: str) -> str:
    """Build the seed-scale demo database on first start (with a visible progress message)."""
    path = config.db_path()
    if not path.exists():
        with st.status(t("app.building_demo", lang), expanded=True) as status:
            bar = st.progress(0.0)
            demo.ensure(path, lambda fraction, message: bar.progress(min(1.0, fraction), text=message))
            status.update(label=t("app.demo_built", lang, path=str(path)), state="complete", expanded=False)
    return str(path)


@st.cache_data(show_spinner=False)
def headline(path: str, _version: float) -> tuple[dict, object, dict]:
    with store.opened(path, readonly=True) as conn:
        return queries.headline(conn), queries.libraries_by_tier(conn), queries.demo_meta(conn)


def data_version(path: str) -> float:
    """Changes whenever the database file changes, so cached results are keyed to its content."""
    p = config.db_path(path)
    wal = p.with_name(p.name + "-wal")
    return p.stat().st_mtime_ns + (wal.stat().st_mtime_ns if wal.exists() else 0)


def demo_notice(meta: dict, lang: str) -> None:
    if meta.get("demo"):
        st.info(t("app.demo_notice", lang, scale=meta.get("demo_scale", "?"), seed=meta.get("demo_seed", "?")),
                icon=":material/science:")
