"""Kualitas data / Data quality: reporting rate and timeliness per region x cycle (the PLM agenda's
'online reports and documentation'), libraries with missing reports, last import."""

import streamlit as st

from analytics import charts, config, ui, views
from analytics.i18n import fmt_percent, t
from analytics.reference import REPORT_GRACE_DAYS

ds = ui.get_dataset()
f = ui.current_filters()
lang = f.lang
ui.header("quality.title", ds, f, applies=("region", "tier", "cohort", "cycles"))
st.caption(ui.last_import_text(str(config.db_path()), lang))
sel = ui.selection(ds, f)
if sel.empty:
    ui.empty(lang)
    st.stop()
level_name = t(f"level_name.{sel.level}", lang)

trend = views.trend(sel)
last = trend.iloc[-1]
c1, c2, c3 = st.columns(3)
c1.metric(t("quality.reporting_rate", lang, cycle=last["cycle"]), fmt_percent(last["reporting"], lang),
          help=t("quality.reporting_help", lang))
c2.metric(t("quality.timeliness", lang, cycle=last["cycle"]), fmt_percent(last["timeliness"], lang),
          help=t("quality.timeliness_help", lang, days=REPORT_GRACE_DAYS))
c3.metric(t("quality.active", lang), int(last["active"]))

# A choice rather than tabs: tabs would build both heat maps on every rerun.
measure = st.segmented_control(t("quality.measure", lang), ["rate", "timeliness"], default="rate", required=True,
                               key="quality_measure",
                               format_func=lambda m: t("quality.rate_tab" if m == "rate" else "quality.time_tab", lang))
matrix = views.reporting_matrix(sel, measure, t("common.others", lang))
title = t(f"quality.{measure}_title", lang, level=level_name)
ui.chart(charts.heatmap(matrix, title, t(f"quality.{measure}_bar", lang), percent=True,
                        x_title=t("common.cycle", lang)), f"quality-{measure}")
ui.download(matrix.reset_index(), f"quality-{measure}", lang)

st.subheader(t("quality.missing", lang, cycle=sel.cycle(sel.last_seq)))
missing = views.missing_reports(sel)
if missing.empty:
    st.success(t("quality.none_missing", lang), icon=":material/check_circle:")
else:
    missing = missing.assign(tier=missing["tier"].map(lambda v: t(f"tier.{v}", lang)))
    ui.table(missing[["library_id", "name", "district", "tier", "missing_cycles", "active_cycles"]],
             "missing-reports", lang, height=420, column_config={
                 "library_id": t("col.id", lang), "name": t("col.library", lang),
                 "district": t("col.district", lang), "tier": t("col.tier", lang),
                 "missing_cycles": t("col.missing_cycles", lang), "active_cycles": t("col.cycles_active", lang)})
