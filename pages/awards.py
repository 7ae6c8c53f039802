"""Penghargaan / Awards: the awards given at PLMs by meeting and category (the 2018 national awards among them),
and a candidate ranking per category from a composite score whose weights are shown and can be changed here,
with each library's score broken down by indicator."""

import html

import pandas as pd
import streamlit as st

from analytics import awards, charts, filters, i18n, queries
from analytics.app import cache, page, widgets
from analytics.i18n import fmt_date, fmt_number, t

TOP = 10  # candidates in the breakdown chart
WEIGHTS = "_award_weights"  # session state: {category: {measure: weight}} changed by the officer

ds = cache.get_dataset()
f = page.current_filters()
lang = f.lang
widgets.header("awards.title", ds, f, applies=filters.PAGE_APPLIES["awards"])
first, last = filters.cycle_bounds(f, ds.choices)

st.subheader(t("awards.given", lang))
given = cache.db_lookup(queries.awards, f.province, f.district, f.tier, f.cohort, first, last)
if given.empty:
    widgets.empty(lang, "awards.none")
else:
    per_category = given.groupby("category").size().rename("awards").reset_index()
    per_category["label"] = per_category["category"].map(lambda c: t(f"award.{c}", lang))
    widgets.chart(
        charts.bar(
            per_category,
            x="awards",
            y="label",
            title=t("awards.by_category", lang),
            labels={"awards": t("awards.count_axis", lang)},
            lang=lang,
            text=[fmt_number(n, lang) for n in per_category["awards"]],
        ),
        "awards-by-category",
    )
    shown = given.assign(
        start_date=given["start_date"].map(lambda d: fmt_date(d, lang)),
        level=given["level"].map(lambda v: t(f"level.{v}", lang)),
        category=given["category"].map(lambda c: t(f"award.{c}", lang)),
    )
    # The meeting's title names its area and cycle, so the date, level and the library's district are left to the
    # CSV: with them the table was wider than the page at 1366, its district column out of sight.
    every = shown[["start_date", "title", "level", "category", "rank", "library", "district"]]
    widgets.table(every, "awards", lang, height=360, columns=["title", "category", "rank", "library"])

st.subheader(t("awards.candidates", lang, cycle=filters.cycle_label(last, lang)))
category = st.selectbox(
    t("awards.category", lang),
    list(awards.CATEGORY_TIERS),
    key="awards_category",
    format_func=lambda c: t(f"award.{c}", lang),
    placeholder=t("common.choose", lang),
)
names = {
    **dict(zip(ds.indicators["code"], i18n.localized(ds.indicators, lang))),
    awards.ATTENDANCE: t("awards.measure.attendance", lang),
    awards.REPORTING: t("awards.measure.reporting", lang),
}
# The weights in use are one line of text; their inputs (19 of them) are drawn only when the drawer is opened,
# which keeps a province change on this page light in the browser. A changed weight is kept per category in
# session state, so it stays in use after the drawer is closed.
kept = st.session_state.setdefault(WEIGHTS, {}).setdefault(category, {})
weights = {m: kept.get(m, int(awards.DEFAULT_WEIGHTS[category].get(m, 0))) for m in names}
box = widgets.drawer(t("awards.weights_change", lang), "awards_weights")
if box.open:
    with box:
        st.caption(t("awards.weights_help", lang))
        columns = st.columns(4)
        for i, measure in enumerate(names):
            weights[measure] = columns[i % 4].number_input(
                names[measure],
                min_value=0,
                max_value=10,
                step=1,
                value=weights[measure],
                key=f"weight_{category}_{measure}",
            )
            kept[measure] = weights[measure]
used_now = [f"{names[m]} {fmt_number(w, lang)}" for m, w in weights.items() if w > 0]
st.caption(
    (t("awards.weights_now", lang, weights=", ".join(used_now)) + " " if used_now else "")
    + t(
        "awards.rule", lang, tiers=" / ".join(t(f"tier.{x}", lang) for x in awards.CATEGORY_TIERS[category]), cycle=last
    )
    + " "
    + t("ui13.percentile_words", lang)
    + " "
    + t("ui13.award_points_words", lang)
)
if not any(weights.values()):
    st.warning(t("awards.no_weights", lang))
    st.stop()
ranked = awards.ranking(ds, f, category, weights, cache.selection(ds, f))  # the shared, cached selection
if ranked.empty:
    widgets.empty(lang, "awards.no_candidates")
    st.stop()
used = [m for m, w in weights.items() if w > 0]
table = ranked[["rank", "name", "tier", "district", "score", *[f"points:{m}" for m in used]]].assign(
    tier=ranked["tier"].map(lambda x: t(f"tier.{x}", lang)), score=ranked["score"].round(1)
)
points = {f"points:{m}": names[m] for m in used}
# Each indicator's points are in the chart below (the first ten) and in the picked library's table; here only in
# the CSV: as columns they ran far past the page's right edge, each number right-aligned out of sight.
widgets.table(
    table,
    f"candidates-{category}",
    lang,
    height=420,
    labels={"name": t("col.library", lang), "score": t("awards.score", lang), **points},
    decimals=dict.fromkeys(["score", *points], 1),
    columns=["rank", "name", "tier", "district", "score"],
)

st.subheader(t("awards.breakdown", lang))
top = ranked.head(TOP).assign(label=lambda d: d["name"].map(lambda n: html.escape(str(n), quote=False)))
widgets.chart(
    charts.stacked_bars(
        top,
        x=[f"points:{m}" for m in used],
        y="label",
        orientation="h",
        title=t("awards.breakdown_title", lang),
        labels={**{f"points:{m}": names[m] for m in used}, "value": t("awards.points_axis", lang)},
        colors={
            f"points:{m}": charts.SERIES_COLORS[i % len(charts.SERIES_COLORS)] for i, m in enumerate(names)
        },  # a measure keeps its colour in every view
        lang=lang,
    ),
    f"{i18n.file_name('score', lang)}-{category}",
)
options = list(ranked["library_id"])
label_of = dict(zip(options, ranked["name"]))  # one lookup per option (an index built per option took ~0.3 s)
pick = st.selectbox(
    t("awards.pick", lang), options, key="awards_pick", format_func=label_of.get, placeholder=t("common.choose", lang)
)
row = ranked.set_index("library_id").loc[pick]
st.metric(t("awards.score", lang), fmt_number(row["score"], lang, 1))
detail = [
    {
        "measure": names[m],
        "value": row[m],
        "percentile": row[f"pct:{m}"],
        "weight": weights[m],
        "points": row[f"points:{m}"],
    }
    for m in used
]
widgets.table(
    pd.DataFrame(detail),
    None,
    lang,
    labels={
        "measure": t("col.indicator", lang),
        "percentile": t("awards.col.percentile", lang),
        "weight": t("awards.col.weight", lang),
        "points": t("awards.col.points", lang),
    },
    percent=("percentile",),
    decimals={"points": 1},
)
