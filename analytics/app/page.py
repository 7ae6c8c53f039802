"""The start of a page script: the shared filters as app.py set them up (or set up here when a test runs a
page file as its own main script)."""

from __future__ import annotations

import streamlit as st

from .. import filters
from . import cache, navigation, presenting, state, widgets


def current_filters() -> filters.Filters:
    """The shared filters, as app.py set them up before running the page (set up here when a test runs a page
    file as its own main script)."""
    navigation.entrypoint_first()
    if state.STATE not in st.session_state:
        cache.ensure_database(state.language())
        ds = cache.get_dataset()
        f, warnings = state.sidebar(ds)
        widgets.show_warnings(warnings, f.lang)
        if f.present:  # as app.py does: present=1 shows the deck whatever the page
            presenting.show(ds, f)
            st.stop()
    return st.session_state[state.STATE]
