"""Dampak / Impact: an indicator across regions and cycles, its distribution, change since joining, the
traffic-light scorecard, and attendance versus improvement (an association, not proof)."""

import streamlit as st

from analytics import charts, i18n, metrics, ui, views
from analytics.i18n import fmt_percent, t

ds = ui.get_dataset()
f = ui.current_filters()
lang = f.lang
ui.header("impact.title", ds, f, applies=("region", "tier", "cohort", "cycles", "indicator"))
sel = ui.selection(ds, f)
ind = sel.indicator
name = ind["name_id" if lang == "id" else "name_en"]
unit = i18n.unit(ind["unit"], lang)
st.markdown(f"**{t('strategy.' + ind['strategy'], lang)} · {name}** ({unit}) — "
            + t("impact.indicator_hint", lang))
if sel.values.empty:
    ui.empty(lang, "empty.indicator")
    st.stop()
level_name = t(f"level_name.{sel.level}", lang)

st.subheader(t("impact.regions", lang, level=level_name))
series = views.indicator_by_region(sel)
y_title = t("impact.median_axis", lang, unit=unit)
# A choice rather than tabs: tabs would build both figures on every rerun.
view = st.segmented_control(t("impact.view", lang), ["lines", "multiples"], default="lines", required=True,
                            key="impact_view", format_func=lambda v: t(f"impact.{v}", lang))
if view == "lines":
    ui.chart(charts.trend(series, "cycle", "value", t("impact.regions_title", lang, indicator=name), y_title,
                          group="region", names=dict(zip(series["region"], series["name"])),
                          x_title=t("common.cycle", lang)), f"{f.indicator}-per-wilayah")
else:
    ui.chart(charts.small_multiples(series, "cycle", "value", "region", t("impact.regions_title", lang,
                                                                         indicator=name), y_title,
                                    names=dict(zip(series["region"], series["name"]))),
             f"{f.indicator}-small-multiples")
ui.download(series, f"{f.indicator}-by-region", lang)

left, right = st.columns(2)
with left:
    st.subheader(t("impact.distribution", lang, cycle=sel.cycle(sel.last_seq)))
    dist = views.indicator_distribution(sel)
    if dist.empty:
        ui.empty(lang, "empty.indicator")
    else:
        ui.chart(charts.histogram(dist, t("impact.distribution_title", lang, indicator=name), unit,
                                  t("impact.libraries_axis", lang)), f"{f.indicator}-distribution")
with right:
    st.subheader(t("impact.change", lang))
    change = views.change_since_joining(sel)
    if change.empty:
        ui.empty(lang, "empty.change")
    else:
        pct = change["change_pct"].clip(-1, 3)
        ui.chart(charts.histogram(pct, t("impact.change_title", lang, median=fmt_percent(
            change["change_pct"].median(), lang)), t("impact.change_axis", lang), t("impact.libraries_axis", lang),
            percent=True), f"{f.indicator}-change-since-joining")
        st.caption(t("impact.change_note", lang))

st.subheader(t("impact.scorecard", lang, cycle=sel.cycle(sel.last_seq)))
card = views.scorecard(sel)
if card.empty:
    ui.empty(lang)
else:
    strategies = {s: t(f"strategy.{s}", lang) for s in ("layanan_informasi", "pelibatan_masyarakat", "advokasi",
                                                         "pelaporan")}
    ui.chart(charts.scorecard(card, dict(zip(card["region"], card["name"])), strategies,
                              t("impact.scorecard_title", lang, level=level_name),
                              {k: t(f"status.{k}", lang) for k in ("green", "yellow", "red")}),
             "scorecard")
    st.caption(t("impact.scorecard_rule", lang, green=fmt_percent(metrics.GREEN_AT, lang, 0),
                 yellow=fmt_percent(metrics.YELLOW_AT, lang, 0), cap=fmt_percent(metrics.RATIO_CAP, lang, 0)))
    ui.download(card, "scorecard", lang)

st.subheader(t("impact.attendance_vs", lang))
avi = views.attendance_vs_improvement(sel)
if avi["libraries"].sum() == 0:
    ui.empty(lang, "empty.change")
else:
    ui.chart(charts.bar(avi, "group", "median_change_pct", t("impact.attendance_vs_title", lang, indicator=name),
                        t("impact.change_axis", lang), percent=True, sort=False,
                        text=[f"{fmt_percent(v, lang)} (n={n})" for v, n in
                              zip(avi["median_change_pct"], avi["libraries"])]),
             "attendance-vs-improvement")
    st.warning(t("impact.association_note", lang), icon=":material/info:")
    ui.download(avi, "attendance-vs-improvement", lang)
