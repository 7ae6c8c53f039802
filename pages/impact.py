"""Dampak / Impact: an indicator across regions and cycles, its distribution, change since joining, the
traffic-light scorecard, and attendance versus improvement (an association, not proof)."""

import streamlit as st

from analytics import charts, filters, i18n, metrics, store, views
from analytics.app import cache, page, widgets
from analytics.i18n import fmt_number, fmt_percent, t

HIGHLIGHT = 3  # regions the trend colours; the rest are grey

ds = cache.get_dataset()
f = page.current_filters()
lang = f.lang
widgets.header("impact.title", ds, f, applies=filters.PAGE_APPLIES["impact"])
sel = cache.selection(ds, f)
ind = sel.indicator
name = i18n.localized(ind, lang)
unit = i18n.unit(ind["unit"], lang)
st.markdown(f"**{t('strategy.' + ind['strategy'], lang)} · {name}** ({unit}) — " + t("impact.indicator_hint", lang))
if sel.values.empty:
    widgets.empty(lang, "empty.indicator")
    st.stop()
level_name = t(f"level_name.{sel.level}", lang)
cycles = [sel.cycle(s) for s in range(sel.first_seq, sel.last_seq + 1)]  # every axis: the range, in time order

st.subheader(t("impact.regions", lang, level=level_name))
series = views.indicator_by_region(sel)
levels = t(f"level_plural.{sel.level}", lang)
folded = int(series.loc[series["region"] == views.OTHERS, "regions"].head(1).sum())  # regions in "others"
small = "few" if sel.level != "library" else None  # a library's own value is not a region's: no minimum
# Legend names: the "others" line says how many regions it pools.
line_names = {
    r: t("common.others_regions", lang, n=fmt_number(folded, lang), level=levels) if r == views.OTHERS else n
    for r, n in zip(series["region"], series["name"])
}
y_title = t("impact.median_axis", lang, unit=unit)
# A choice rather than tabs: tabs would build both figures on every rerun.
view = st.segmented_control(
    t("impact.view", lang),
    ["lines", "multiples"],
    default="lines",
    required=True,
    key="impact_view",
    format_func=lambda v: t(f"impact.{v}", lang),
)
grey = 0
if view == "lines":
    trend = charts.trend(
        series,
        x="cycle",
        y="value",
        group="region",
        title=t("impact.regions_title", lang, indicator=name),
        labels={"value": y_title, "cycle": t("common.cycle", lang)},
        names=line_names,
        cycles=cycles,
        n="libraries",
        marked=small,
        highlight=HIGHLIGHT,
        lang=lang,
    )
    grey = charts.grey_lines(trend)
    widgets.chart(trend, f"{f.indicator}-per-wilayah")
else:
    widgets.chart(
        charts.small_multiples(
            series,
            x="cycle",
            y="value",
            group="region",
            title=t("impact.regions_title", lang, indicator=name),
            labels={"value": y_title},
            names=line_names,
            cycles=cycles,
            lang=lang,
        ),
        f"{f.indicator}-small-multiples",
    )
notes = [t("ui13.median_words", lang)]  # "median per reporting library" in plain words (issue 13, item 9)
if grey:  # the legend names the grey lines only as a group
    notes.append(t("charts.rest_lines_note", lang))
if small and view == "lines" and series.loc[series["value"].notna(), "few"].any():
    notes.append(t("common.few_points_note", lang, min=metrics.MIN_LIBRARIES))
if folded:
    notes.append(t("impact.lines_rule", lang, top=views.SMALL_MULTIPLES, level=levels))
if notes:
    st.caption(" ".join(notes))
every = views.indicator_by_region(sel, top=None)  # the CSV, and "others" opened: every region
if folded:
    label = t("common.full_table", lang, n=fmt_number(every["region"].nunique(), lang), level=levels)
    box = widgets.drawer(label, "full_indicator_by_region")
    if box.open:  # drawn only when opened
        with box:
            widgets.table(
                every[["name", "cycle", "value", "libraries"]],
                None,
                lang,
                labels={"name": t("col.region", lang), "value": y_title},
            )
widgets.download(every, f"{f.indicator}-by-region", lang)

left, right = st.columns(2)
with left:
    st.subheader(t("impact.distribution", lang, cycle=filters.cycle_label(sel.cycle(sel.last_seq), lang)))
    dist = views.indicator_distribution(sel)
    if dist.empty:
        widgets.empty(lang, "empty.indicator")
    else:
        widgets.chart(
            charts.histogram(
                dist.to_frame("value"),
                x="value",
                title=t("impact.distribution_title", lang, indicator=name),
                labels={"value": unit, "count": t("impact.libraries_axis", lang)},
                narrow=True,
                lang=lang,
            ),
            f"{f.indicator}-distribution",
        )
with right:
    st.subheader(t("impact.change", lang))
    change = views.change_since_joining(sel)
    if change.empty:
        widgets.empty(lang, "empty.change")
    else:
        pct = change["change_pct"].clip(-1, 3)
        widgets.chart(
            charts.histogram(
                pct.to_frame("change_pct"),
                x="change_pct",
                title=t("impact.change_title", lang, median=fmt_percent(change["change_pct"].median(), lang)),
                labels={"change_pct": t("impact.change_axis", lang), "count": t("impact.libraries_axis", lang)},
                percent=True,
                narrow=True,
                lang=lang,
            ),
            f"{f.indicator}-change-since-joining",
        )
        st.caption(t("impact.change_note", lang))

# One view for "how did it change, by cohort?": every cohort side by side (the cohort filter narrows it).
st.subheader(t("impact.change_by_cohort", lang))
by_cohort = views.change_by_cohort(sel)
if by_cohort.empty:
    widgets.empty(lang, "empty.change")
else:
    widgets.chart(
        charts.median_bars(
            by_cohort,
            x="median_change_pct",
            y="cohort",
            n="libraries",
            low="q1",
            high="q3",
            percent=True,
            lang=lang,
            title=t("impact.change_by_cohort_title", lang, indicator=name),
            labels={"median_change_pct": t("impact.change_axis", lang)},
            names={c: filters.cohort_label(c, lang) for c in by_cohort["cohort"]},
        ),
        f"{f.indicator}-change-by-cohort",
    )
    st.caption(t("impact.change_by_cohort_note", lang))
    widgets.download(by_cohort, f"{f.indicator}-change-by-cohort", lang)

st.subheader(t("impact.scorecard", lang, cycle=filters.cycle_label(sel.cycle(sel.last_seq), lang)))
card = views.scorecard(sel)
if card.empty:
    widgets.empty(lang)
else:
    strategies = {s: t(f"strategy.{s}", lang) for s in store.STRATEGIES}
    few = card.loc[card["libraries"] < metrics.MIN_LIBRARIES, "region"] if sel.level != "library" else []
    with st.container(key="scorecard"):  # on a phone it scrolls sideways (style.APP_CSS)
        widgets.chart(
            charts.scorecard(
                card.assign(few=card["region"].isin(set(few))),
                title=t(
                    "impact.scorecard_title", lang, level=level_name[:1].upper() + level_name[1:]
                ),  # it opens the title
                names=dict(zip(card["region"], card["name"])),
                strategies=strategies,
                status_names={k: t(f"status.{k}", lang) for k in ("green", "yellow", "red")},
                lang=lang,
                marked="few",
            ),
            "scorecard",
        )
    st.caption(
        " ".join(
            [
                t(
                    "impact.scorecard_rule",
                    lang,
                    green=fmt_percent(metrics.GREEN_AT, lang, 0),
                    yellow=fmt_percent(metrics.YELLOW_AT, lang, 0),
                    cap=fmt_percent(metrics.RATIO_CAP, lang, 0),
                ),
                t(
                    "ui13.cap_words",
                    lang,
                    cap=fmt_percent(metrics.RATIO_CAP, lang, 0),
                    times=fmt_number(metrics.RATIO_CAP, lang, 1),
                ),
                t("impact.scorecard_order", lang, level=levels, cycle=sel.cycle(sel.last_seq)),
                *([t("common.few_note", lang, min=metrics.MIN_LIBRARIES)] if len(few) else []),
            ]
        )
    )
    widgets.download(card, "scorecard", lang)

st.subheader(t("impact.attendance_vs", lang))
avi = views.attendance_vs_improvement(sel)
if avi["libraries"].sum() == 0:
    widgets.empty(lang, "empty.change")
else:
    drawn = avi[avi["libraries"] > 0]  # a group without libraries has no median: no empty row in the chart
    widgets.chart(
        charts.bar(
            drawn,
            x="median_change_pct",
            y="group",
            title=t("impact.attendance_vs_title", lang, indicator=name),
            labels={"median_change_pct": t("impact.change_axis", lang)},
            percent=True,
            sort=False,
            lang=lang,
            text=[f"{fmt_percent(v, lang)} (n={n})" for v, n in zip(drawn["median_change_pct"], drawn["libraries"])],
        ),
        "attendance-vs-improvement",
    )
    if len(drawn) < len(avi):
        empty_groups = ", ".join(avi.loc[avi["libraries"] == 0, "group"])
        st.caption(t("impact.empty_groups", lang, groups=empty_groups))
    st.warning(t("impact.association_note", lang), icon=":material/info:")
    widgets.download(avi, "attendance-vs-improvement", lang)
