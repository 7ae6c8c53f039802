"""Entrypoint: page config, first-start database, language and navigation shared by every page."""

import streamlit as st

from analytics import ui
from analytics.i18n import t

st.set_page_config(page_title="PLM", page_icon=":material/local_library:", layout="wide")
lang = ui.language()
ui.ensure_database(lang)

page = st.navigation([
    st.Page("pages/overview.py", title=t("nav.overview", lang), url_path="overview", default=True,
            icon=":material/dashboard:"),
])
page.run()
