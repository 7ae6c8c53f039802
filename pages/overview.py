"""Ringkasan / Overview: headline numbers with the change from the previous cycle, trend, map, risers and
fallers."""

import streamlit as st

from analytics import charts, i18n, ui, views
from analytics.i18n import fmt_number, fmt_percent, t

ds = ui.get_dataset()
f = ui.current_filters()
lang = f.lang
ui.header("overview.title", ds, f, applies=("region", "tier", "cohort", "cycles"))
sel = ui.selection(ds, f)
if sel.empty:
    ui.empty(lang)
    st.stop()

now, before = views.overview_headline(sel)
st.subheader(t("overview.headline_cycle", lang, cycle=sel.cycle(sel.last_seq)))
for column, key in zip(st.columns(6), ("active", "attendance_rate", "reports", "visits", "activities",
                                        "participants")):
    is_rate = key == "attendance_rate"
    value = fmt_percent(now[key], lang) if is_rate else fmt_number(now[key], lang)
    delta = None
    if before is not None:
        change = now[key] - before[key]
        delta = (fmt_number(100 * change, lang, 1) + " " + t("common.points", lang)) if is_rate else \
            fmt_number(change, lang)
        if change > 0:
            delta = "+" + delta
    column.metric(t(f"overview.{key}", lang), value, delta,
                  help=t("overview.delta_help", lang, cycle=sel.cycle(sel.last_seq - 1)))

trend = views.trend(sel)
st.subheader(t("overview.trend", lang))
ui.chart(charts.trend(trend, "cycle", ["participation", "reporting"], t("overview.trend_title", lang),
                      t("common.rate_axis", lang), percent=True, x_title=t("common.cycle", lang),
                      names={"participation": t("measure.participation", lang),
                             "reporting": t("measure.reporting", lang)}),
         "tren-partisipasi" if lang == "id" else "participation-trend")
ui.download(trend, "trend", lang)

st.subheader(t("overview.map", lang))
measure = st.segmented_control(t("overview.map_measure", lang), list(views.MAP_MEASURES), default="participation",
                               key="map_measure", required=True,
                               format_func=lambda m: t(f"measure.{m}", lang) if m != "indicator" else
                               sel.indicator["name_id" if lang == "id" else "name_en"])
per_province = ui.province_measure(ds, f, measure)
if per_province.empty:
    ui.empty(lang)
else:
    percent = measure != "indicator"
    bar_title = t(f"measure.{measure}", lang) if percent else i18n.unit(sel.indicator["unit"], lang)
    ui.chart(charts.province_map(per_province, t("overview.map_title", lang, cycle=sel.cycle(sel.last_seq)),
                                 bar_title, percent=percent, bubbles=views.district_bubbles(sel),
                                 bubble_name=t("overview.bubbles", lang), outlines_url=charts.OUTLINES_URL),
             "peta-provinsi" if lang == "id" else "province-map", key="overview_map")
    st.caption(t("overview.map_note", lang))
    ui.download(per_province, "map", lang)

risers, fallers, level = views.risers_fallers(sel)
st.subheader(t("overview.movers", lang, cycle=sel.cycle(sel.last_seq)))
left, right = st.columns(2)
for column, frame, key in ((left, risers, "risers"), (right, fallers, "fallers")):
    with column:
        st.markdown(f"**{t(f'overview.{key}', lang)}**")
        if frame.empty:
            ui.empty(lang, "empty.movers")
        else:
            ui.chart(charts.dumbbell(frame, "name", "rate_before", "rate", "", t("measure.participation", lang),
                                     (sel.cycle(sel.last_seq - 1), sel.cycle(sel.last_seq)), percent=True),
                     f"{key}-{sel.cycle(sel.last_seq)}")
