"""Ringkasan / Overview: headline numbers with the change from the previous cycle, trend, map, risers and
fallers."""

import streamlit as st

from analytics import charts, filters, i18n, metrics, views
from analytics.app import cache, page, widgets
from analytics.i18n import fmt_number, fmt_percent, t

ds = cache.get_dataset()
f = page.current_filters()
lang = f.lang
widgets.header("overview.title", ds, f, applies=filters.PAGE_APPLIES[""])
sel = cache.selection(ds, f)
if sel.empty:
    widgets.empty(lang)
    st.stop()

now, before = views.overview_headline(sel)
no_plm = t("common.no_plm", lang)
st.subheader(t("overview.headline_cycle", lang, cycle=filters.cycle_label(sel.cycle(sel.last_seq), lang)))
# Two rows of three: six columns cut the labels at 1366 px ("Tingkat kehadira…", issue 13, item 5).
for column, key in zip(
    [*st.columns(3), *st.columns(3)], ("active", "attendance_rate", "reports", "visits", "activities", "participants")
):
    is_rate = key == "attendance_rate"
    value = fmt_percent(now[key], lang) if is_rate else fmt_number(now[key], lang)
    help_text = t("overview.delta_help", lang, cycle=sel.cycle(sel.last_seq - 1))
    if is_rate:  # the rate with its n: active libraries for which a PLM they could attend was held
        help_text += (
            " "
            + t("common.rate_n", lang, num=fmt_number(now["attended"], lang), n=fmt_number(now["plm_held"], lang))
            + " "
            + t("ui13.points_help", lang)
        )
        if now["active"] and not now["plm_held"]:
            value = no_plm
    delta = None
    if before is not None and before[key] == before[key] and now[key] == now[key]:
        change = now[key] - before[key]
        delta = (
            (fmt_number(100 * change, lang, 1) + " " + t("common.points", lang))
            if is_rate
            else fmt_number(change, lang)
        )
        if change > 0:
            delta = "+" + delta
    column.metric(t(f"overview.{key}", lang), value, delta, help=help_text)

trend = views.trend(sel)
cycles = [sel.cycle(s) for s in range(sel.first_seq, sel.last_seq + 1)]  # every axis: the range, in time order
gaps = {c: no_plm for c, active, held in zip(trend["cycle"], trend["active"], trend["plm_held"]) if active and not held}
st.subheader(t("overview.trend", lang))
widgets.chart(
    charts.trend(
        trend,
        x="cycle",
        y=["participation", "reporting"],
        title=t("overview.trend_title", lang),
        labels={
            "participation": t("measure.participation", lang),
            "reporting": t("measure.reporting", lang),
            "value": t("common.rate_axis", lang),
            "cycle": t("common.cycle", lang),
        },
        percent=True,
        cycles=cycles,
        lang=lang,
        n={"participation": "plm_held", "reporting": "active"},
        gaps=gaps,
    ),
    "participation-trend",
)
if gaps:
    st.caption(t("common.no_plm_line", lang))
widgets.download(trend, "trend", lang)

st.subheader(t("overview.map", lang))
measure = st.segmented_control(
    t("overview.map_measure", lang),
    list(views.MAP_MEASURES),
    default="participation",
    key="map_measure",
    required=True,
    format_func=lambda m: t(f"measure.{m}", lang) if m != "indicator" else i18n.localized(sel.indicator, lang),
)
per_province = cache.province_measure(ds, f, measure)
if per_province.empty:
    widgets.empty(lang)
else:
    percent = measure != "indicator"
    bar_title = t(f"measure.{measure}", lang) if percent else i18n.unit(sel.indicator["unit"], lang)
    widgets.chart(
        charts.province_map(
            per_province,
            title=t("overview.map_title", lang, cycle=sel.cycle(sel.last_seq)),
            labels={"value": bar_title},
            percent=percent,
            bubbles=cache.district_bubbles(ds, f),  # all Indonesia's, as the shading: one map for every area
            bubble_name=t("overview.bubbles", lang),
            outlines_url=charts.OUTLINES_URL,
            lang=lang,
            n="denominator",
            marked="few",
        ),
        "province-map",
        key="overview_map",
    )
    st.caption(
        " ".join(
            [
                t("overview.map_note", lang),
                *([t("common.few_note", lang, min=metrics.MIN_LIBRARIES)] if per_province["few"].any() else []),
            ]
        )
    )
    widgets.download(per_province, "map", lang)

risers, fallers, level = views.risers_fallers(sel)
st.subheader(t("overview.movers", lang, cycle=filters.cycle_label(sel.cycle(sel.last_seq), lang)))
left, right = st.columns(2)
for column, frame, key in ((left, risers, "risers"), (right, fallers, "fallers")):
    with column:
        st.markdown(f"**{t(f'overview.{key}', lang)}**")
        if frame.empty:
            widgets.empty(lang, "empty.movers")
        else:
            widgets.chart(
                charts.dumbbell(
                    frame,
                    x=["rate_before", "rate"],
                    y="name",
                    labels={
                        "rate_before": sel.cycle(sel.last_seq - 1),
                        "rate": sel.cycle(sel.last_seq),
                        "value": t("measure.participation", lang),
                    },
                    percent=True,
                    lang=lang,
                    n={"rate_before": "denominator_before", "rate": "denominator"},
                ),
                f"{key}-{sel.cycle(sel.last_seq)}",
            )
