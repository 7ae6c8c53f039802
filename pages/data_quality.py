"""Kualitas data / Data quality: reporting rate and timeliness per region x cycle (the PLM agenda's
'online reports and documentation'), libraries with missing reports, last import."""

import streamlit as st

from analytics import charts, config, filters, metrics, views
from analytics.app import cache, page, widgets
from analytics.i18n import fmt_number, fmt_percent, t
from analytics.reference import REPORT_GRACE_DAYS

ds = cache.get_dataset()
f = page.current_filters()
lang = f.lang
widgets.header("quality.title", ds, f, applies=filters.PAGE_APPLIES["data-quality"])
st.caption(widgets.last_import_text(str(config.db_path()), lang))
sel = cache.selection(ds, f)
if sel.empty:
    widgets.empty(lang)
    st.stop()
level_name = t(f"level_name.{sel.level}", lang)
cycles = [sel.cycle(s) for s in range(sel.first_seq, sel.last_seq + 1)]  # every axis: the range, in time order

trend = views.trend(sel)
last = trend.iloc[-1]
c1, c2, c3 = st.columns(3)
c1.metric(
    t("quality.reporting_rate", lang, cycle=last["cycle"]),
    fmt_percent(last["reporting"], lang),
    help=t("quality.reporting_help", lang)
    + " "
    + t("common.rate_n", lang, num=fmt_number(last["reported"], lang), n=fmt_number(last["active"], lang)),
)
c2.metric(
    t("quality.timeliness", lang, cycle=last["cycle"]),
    fmt_percent(last["timeliness"], lang),
    help=t("quality.timeliness_help", lang, days=REPORT_GRACE_DAYS)
    + " "
    + t("common.rate_n", lang, num=fmt_number(last["on_time"], lang), n=fmt_number(last["reported"], lang)),
)
c3.metric(t("quality.active", lang), int(last["active"]))

# A choice rather than tabs: tabs would build both heat maps on every rerun.
measure = st.segmented_control(
    t("quality.measure", lang),
    ["rate", "timeliness"],
    default="rate",
    required=True,
    key="quality_measure",
    format_func=lambda m: t("quality.rate_tab" if m == "rate" else "quality.time_tab", lang),
)
# Regions past the largest fold into one "others" row that says how many it holds; the CSV has every region.
folded = views.folded_regions(sel)
levels = t(f"level_plural.{sel.level}", lang)
others = t("common.others_regions", lang, n=fmt_number(len(folded), lang), level=levels)
small = "few" if sel.level != "library" else None  # a library's own rate is not a region's: no minimum
cells = views.reporting_cells(sel)
cells = cells.assign(name=cells["name"].where(cells["region"] != views.OTHERS, others))
title = t(f"quality.{measure}_title", lang, level=level_name)
# n: the active libraries a reporting rate is over; the reports received a timeliness is over.
widgets.chart(
    charts.heatmap(
        cells,
        x="cycle",
        y="name",
        z=measure,
        title=title,
        labels={measure: t(f"quality.{measure}_bar", lang), "cycle": t("common.cycle", lang)},
        percent=True,
        cycles=cycles,
        n="denominator" if measure == "rate" else "numerator",
        marked=small,
        lang=lang,
    ),
    f"quality-{measure}",
)
shown_few = small and (cells["few"] & cells[measure].notna()).any()
notes = [t("common.few_cells_note", lang, min=metrics.MIN_LIBRARIES)] if shown_few else []
if len(folded):
    notes.append(t("common.tie_rule", lang, top=views.TOP_REGIONS, level=levels))
if notes:
    st.caption(" ".join(notes))
if len(folded):  # "others" opened: every region's row (the CSV below has each cell's counts too)
    regions = fmt_number(len(sel.region_sizes), lang)  # every region with active libraries: the table's rows
    box = widgets.drawer(t("common.full_table", lang, n=regions, level=levels), "full_reporting")
    if box.open:  # drawn only when opened
        every = views.reporting_matrix(sel, measure, t("common.others", lang), top=None)
        with box:
            widgets.table(every, None, lang, percent=every.columns, index=True)
widgets.download(lambda: views.reporting_cells(sel, top=None), f"quality-{measure}", lang)

missing = views.missing_reports(sel)
st.subheader(t("quality.missing_n", lang, cycle=sel.cycle(sel.last_seq), n=fmt_number(len(missing), lang)))
if missing.empty:
    st.success(t("quality.none_missing", lang), icon=":material/check_circle:")
else:
    missing = missing.assign(tier=missing["tier"].map(lambda v: t(f"tier.{v}", lang)))
    # The tier is in the CSV: with it the table was wider than the page at 1280.
    widgets.table(
        missing[["library_id", "name", "district", "tier", "missing_cycles", "active_cycles"]],
        "missing-reports",
        lang,
        height=420,
        labels={"name": t("col.library", lang)},
        columns=["library_id", "name", "district", "missing_cycles", "active_cycles"],
    )

undated = views.undated_reports(sel)
st.subheader(t("quality.undated", lang, n=fmt_number(len(undated), lang)))
st.caption(t("quality.undated_help", lang))
if undated.empty:
    st.success(t("quality.none_undated", lang), icon=":material/check_circle:")
else:  # the list drawn when opened (its count is in the heading; the CSV beside it has every row)
    undated = undated.assign(date=t("quality.date_unknown", lang))[["library_id", "name", "district", "cycle", "date"]]
    labels = {"name": t("col.library", lang)}
    box = widgets.drawer(t("quality.undated_list", lang, n=fmt_number(len(undated), lang)), "undated_list")
    if box.open:
        with box:
            widgets.table(undated, None, lang, labels=labels)
    widgets.download(undated, "undated-reports", lang, labels)
