"""Bandingkan / Compare: 2 to 6 provinces, districts or libraries side by side, with cycle-over-cycle and
year-over-year change."""

import streamlit as st

from analytics import charts, filters, i18n, views
from analytics.app import cache, page, state, widgets
from analytics.i18n import fmt_number, fmt_percent, t

ds = cache.get_dataset()
f = page.current_filters()
lang = f.lang
widgets.header("compare.title", ds, f, applies=filters.PAGE_APPLIES["compare"])
choices = ds.choices
kinds = list(filters.COMPARE_KINDS)
chosen = list(f.compare)
default_kind = chosen[0].partition(":")[0] if chosen else "p"
kind = st.segmented_control(
    t("compare.kind", lang),
    kinds,
    default=default_kind,
    key="compare_kind",
    required=True,
    format_func=lambda k: t(f"compare.kind_{k}", lang),
)
if kind == "p":
    options = {f"p:{c}": n for c, n in choices.provinces.items()}
elif kind == "d":
    options = {
        f"d:{c}": f"{n} ({choices.provinces[p]})"
        for c, (p, n) in choices.districts.items()
        if not f.province or p == f.province
    }
else:
    libs = ds.libraries if not f.district else ds.libraries[ds.libraries["district_code"] == f.district]
    libs = libs if f.district or not f.province else libs[libs["province_code"] == f.province]
    options = {f"l:{i}": n for i, n in zip(libs["id"], libs["name"])}
current = [c for c in chosen if c in options]
picked = state.choose_many(
    t("compare.pick", lang),
    list(options),
    "compare",
    tuple(current),
    max_selections=filters.MAX_COMPARE,
    format_func=options.get,
    # Typing a name and Enter adds that one: "contains" matching and no "Select N matches"
    # (fuzzy matching offered it for "Bantul" and Enter added every district it matched).
    filter_mode="contains",
    select_all=False,
    placeholder=t("common.choose_many", lang),
)
if len(picked) < 2:
    st.info(t("compare.need_two", lang), icon=":material/touch_app:")
    st.stop()

kind_name = filters.COMPARE_KINDS[kind]
codes = [p.partition(":")[2] for p in picked]
table, series = views.compare(ds, f, kind_name, codes)
names = {c: options[f"{kind}:{c}"] for c in codes}
ind = ds.indicator_rows[f.indicator]
ind_name = i18n.localized(ind, lang)
first, last = filters.cycle_bounds(f, choices)
cycles = list(choices.cycles[choices.cycles.index(first) : choices.cycles.index(last) + 1])  # the range, in order

no_plm = t("common.no_plm", lang)
st.subheader(t("compare.numbers", lang, cycle=filters.cycle_label(last, lang)))
for column, row in zip(st.columns(len(codes)), table.itertuples()):
    with column:
        st.markdown(f"**{widgets.md_text(names[row.code])}**")
        if not row.active:  # every number below is "–": say why
            st.caption(
                t("compare.no_libraries", lang) if not row.libraries else t("compare.not_active", lang, cycle=last)
            )
        # Each rate with its n in its help: the libraries it is over.
        st.metric(
            t("measure.participation", lang),
            no_plm if row.active and not row.plm_held else fmt_percent(row.participation, lang),
            fmt_number(100 * row.participation_prev, lang, 1) + " " + t("common.points", lang)
            if row.participation_prev == row.participation_prev
            else None,
            help=t("common.rate_n", lang, num=fmt_number(row.attended, lang), n=fmt_number(row.plm_held, lang))
            + " "
            + t("ui13.points_help", lang),
        )
        st.metric(
            t("measure.reporting", lang),
            fmt_percent(row.reporting, lang),
            fmt_number(100 * row.reporting_prev, lang, 1) + " " + t("common.points", lang)
            if row.reporting_prev == row.reporting_prev
            else None,
            help=t("common.rate_n", lang, num=fmt_number(row.reported, lang), n=fmt_number(row.active, lang))
            + " "
            + t("ui13.points_help", lang),
        )
        st.metric(
            t("compare.indicator_median", lang, indicator=ind_name),
            fmt_number(row.indicator, lang),
            fmt_number(row.indicator_prev, lang) if row.indicator_prev == row.indicator_prev else None,
            help=f"n = {fmt_number(row.libraries_reporting, lang)}",
        )
        st.caption(
            t(
                "compare.yoy",
                lang,
                participation=fmt_number(100 * row.participation_yoy, lang, 1),
                indicator=fmt_number(row.indicator_yoy, lang),
            )
        )
shown = table.assign(name=table["code"].map(names))
widgets.download(shown, "compare", lang)

late = [
    t("compare.since", lang, name=names[row.code], cycle=row.first_cycle)
    for row in table.itertuples()
    if isinstance(row.first_cycle, str) and row.first_cycle != first
]
if late:
    st.caption(widgets.md_text(t("compare.starts", lang, first=first, entities="; ".join(late))))  # names are data
starts = [c for c in table["first_cycle"] if isinstance(c, str)]  # None: nothing active in the range
if starts:  # the axis starts where the earliest line does (cycle codes sort in time order within the range)
    cycles = cycles[min(cycles.index(c) for c in starts) :]
series = series.assign(note=(series["active"].gt(0) & series["plm_held"].eq(0)).map({True: no_plm, False: ""}))
for measure, n, percent, title in (
    ("participation", "plm_held", True, t("measure.participation", lang)),
    ("reporting", "active", True, t("measure.reporting", lang)),
    ("indicator", "libraries_reporting", False, t("compare.indicator_median", lang, indicator=ind_name)),
):
    axis = title if percent else i18n.unit(ind["unit"], lang)
    widgets.chart(
        charts.trend(
            series,
            x="cycle",
            y=measure,
            group="code",
            title=title,
            labels={measure: axis, "cycle": t("common.cycle", lang)},
            names=names,
            percent=percent,
            cycles=cycles,
            n=n,
            lang=lang,
            note="note" if measure == "participation" else None,
        ),
        f"compare-{measure}",
    )
