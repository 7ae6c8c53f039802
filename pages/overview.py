"""Ringkasan / Overview: the program's headline numbers."""

import streamlit as st

from analytics import config, ui
from analytics.i18n import fmt_number, t

lang = ui.language()
path = str(config.db_path())
numbers, by_tier, meta = ui.headline(path, ui.data_version(path))

st.title(t("app.title", lang))
st.caption(t("app.subtitle", lang) + " · " + t("overview.period", lang, first=numbers["first_cycle"],
                                                 last=numbers["last_cycle"]))
ui.demo_notice(meta, lang)
st.subheader(t("overview.headline", lang))
columns = st.columns(6)
for column, key in zip(columns, ("libraries", "provinces", "districts", "meetings", "cycles", "reports")):
    column.metric(t(f"overview.{key}", lang), fmt_number(numbers[key], lang))
st.subheader(t("overview.by_tier", lang))
tier_columns = st.columns(len(by_tier))
for column, row in zip(tier_columns, by_tier.itertuples()):
    column.metric(t(f"tier.{row.tier}", lang), fmt_number(row.libraries, lang))
