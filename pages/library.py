"""Profil perpustakaan / Library profile: one library's attendance, indicators against its district's median,
report completeness, awards, stories and monitoring visits — the page its achievements are presented from."""

import streamlit as st

from analytics import charts, filters, i18n, views
from analytics.app import cache, page, state, widgets
from analytics.i18n import fmt_date, fmt_number, fmt_percent, t

ds = cache.get_dataset()
f = page.current_filters()
lang = f.lang
widgets.header("library.title", ds, f, applies=filters.PAGE_APPLIES["library"])

sel = cache.selection(ds, f.with_(library=None))
libs = sel.libraries
if f.library is not None and f.library not in set(libs["id"]):
    libs = ds.libraries[ds.libraries["id"] == f.library]  # a linked library stays visible whatever the filters
if libs.empty:
    widgets.empty(lang)
    st.stop()
# A long list is narrowed by a name search first: the options travel to the browser on every rerun.
if len(libs) > views.MAX_LIBRARY_OPTIONS:
    query = st.text_input(
        t("library.search", lang),
        key="library_search",
        placeholder=t("library.search_hint", lang, n=fmt_number(len(libs), lang)),
    )
    libs = views.search_libraries(libs, query, f.library)
names = {
    i: f"{n} — {v}" if isinstance(v, str) and v else n for i, n, v in zip(libs["id"], libs["name"], libs["village"])
}
options = list(names)
library_id = state.choose(t("library.pick", lang), options, "library", f.library, format_func=lambda i: names.get(i, i))
profile = views.library_profile(ds, f, library_id)
lib = profile["library"]

st.header(widgets.md_text(lib["name"]))
st.caption(
    " · ".join(
        widgets.md_text(x)
        for x in (
            t(f"tier.{lib['tier']}", lang),
            lib["village"],
            lib["subdistrict"],
            profile["district"],
            profile["province"],
        )
        if x and x == x
    )
    + " · "
    + t(
        "library.joined",
        lang,
        cycle=ds.cycle_of.get(lib["joined_seq"], "?"),
        cohort=filters.cohort_label(lib["cohort"], lang),
    )
)
# Present this library: its own deck (analytics/deck.py build_library), stepping with the arrow keys; the URL
# (library=ID&present=1 on this page) keeps it.
if st.button(
    t("library.present", lang), icon=":material/slideshow:", key="library_present", help=t("library.present_help", lang)
):
    state.set_filters(present=True, slide=1, library=int(library_id))
c1, c2, c3, c4 = st.columns(4)
# Attendance is over the cycles in which a PLM it could attend was held (the others are left out, not 0 %).
c1.metric(
    t("library.cycles_attended", lang),
    f"{profile['cycles_attended']} / {profile['cycles_plm_held']}",
    help=t(
        "library.cycles_help",
        lang,
        n=profile["cycles_active"] - profile["cycles_plm_held"],
        active=profile["cycles_active"],
    ),
)
reported, on_time = int(profile["timeline"]["reported"].sum()), int(profile["timeline"]["on_time"].sum())
c2.metric(
    t("library.completeness", lang),
    fmt_percent(profile["completeness"], lang),
    help=t("common.rate_n", lang, num=fmt_number(reported, lang), n=fmt_number(profile["cycles_active"], lang)),
)
c3.metric(
    t("library.timeliness", lang),
    fmt_percent(profile["timeliness"], lang),
    help=t("common.rate_n", lang, num=fmt_number(on_time, lang), n=fmt_number(reported, lang)),
)
awards, visits, stories = cache.library_records(library_id)
c4.metric(t("library.awards", lang), len(awards))
# The library's cycles in time order, from joining to its last cycle with data: every axis lists them all.
last_seq = max([int(lib["joined_seq"]), *profile["timeline"]["seq"], *profile["series"]["seq"]])
cycles = [ds.cycle_of[s] for s in range(int(lib["joined_seq"]), last_seq + 1) if s in ds.cycle_of]


def attendance_and_indicator() -> None:
    st.subheader(t("library.timeline", lang))
    timeline = profile["timeline"]
    if timeline.empty:
        widgets.empty(lang, "empty.library_cycles")
    else:
        widgets.chart(
            charts.stacked_bars(
                timeline,
                x="cycle",
                y=["meetings"],
                title=t("library.timeline_title", lang),
                labels={
                    "meetings": t("library.meetings_attended", lang),
                    "value": t("library.meetings_axis", lang),
                    "cycle": t("common.cycle", lang),
                },
                counts=True,
                cycles=cycles,
                lang=lang,
                gaps={
                    c: t("common.no_plm", lang) for c, held in zip(timeline["cycle"], timeline["plm_held"]) if not held
                },
            ),
            f"kehadiran-{library_id}",
        )
        widgets.download(timeline, f"library-{library_id}-timeline", lang)

    ind = sel.indicator
    ind_name = i18n.localized(ind, lang)
    st.subheader(t("library.vs_district", lang, indicator=ind_name))
    if profile["series"]["library"].notna().sum() == 0:
        widgets.empty(lang, "empty.indicator")
    else:
        widgets.chart(
            charts.trend(
                profile["series"],
                x="cycle",
                y=["library", "district_median"],
                title=t("library.vs_district_title", lang, indicator=ind_name),
                labels={
                    "library": lib["name"],
                    "district_median": t("library.district_median", lang),
                    "value": i18n.unit(ind["unit"], lang),
                    "cycle": t("common.cycle", lang),
                },
                cycles=cycles,
                lang=lang,
            ),
            f"{f.indicator}-{library_id}",
        )


def all_indicators() -> None:
    table = profile["indicators"]
    if table.empty:
        widgets.empty(lang, "empty.library_reports")
        return
    st.subheader(t("library.all_indicators", lang, cycle=profile["last_cycle"]))
    shown = table.assign(
        indicator=i18n.localized(table, lang),
        strategy=[t(f"strategy.{s}", lang) for s in table["strategy"].tolist()],
        status=[
            charts.STATUS_SYMBOLS[s] + " " + t(f"status.{s}", lang) if s else "–" for s in table["status"].tolist()
        ],
    )[["strategy", "indicator", "unit", "value", "district_median", "target", "status"]]
    # On screen: no strategy column (the rows keep its order; the CSV has it), the unit in brackets after the
    # indicator and the median's shorter header. With them as they were, the Target column was scrolled out of
    # sight at 1366 and 1280 px (issue 13, item 5). The indicator column is as wide as its longest name: the
    # grid measures only some rows, and cut "Warga dengan penghasilan lebih baik/pekerjaan baru".
    names = [
        f"{n} ({i18n.unit(u, lang)})" if isinstance(u, str) and u and not str(n).endswith(f"({u})") else str(n)
        for n, u in zip(shown["indicator"].tolist(), shown["unit"].tolist())
    ]  # "Kemitraan (MoU)" already says its unit
    on_screen = shown.assign(indicator=names).drop(columns=["strategy", "unit"])
    cells, config = widgets.display(on_screen, lang, labels={"district_median": t("library.median_short", lang)})
    config["indicator"]["width"] = 20 + round(7.2 * max(len(n) for n in names))  # 14 px text, ~0.5 em a letter
    st.dataframe(cells, hide_index=True, column_config=config)
    labels = {"district_median": t("library.district_median", lang)}
    headers = {c: widgets.column_label(c, lang, labels) for c in shown.columns}
    widgets.download(shown, f"library-{library_id}-indicators", lang, headers)


def awards_visits_stories() -> None:
    # One above the other: side by side, the awards' category and rank columns were scrolled out of sight at
    # 1366 px (issue 13, item 5).
    left, right = st.container(), st.container()
    with left:
        st.subheader(t("library.awards", lang))
        if awards.empty:
            widgets.empty(lang, "empty.awards")
        else:
            shown = awards.assign(
                date=awards["start_date"].map(lambda d: fmt_date(d, lang)),
                category=awards["category"].map(lambda c: t(f"award.{c}", lang)),
            )
            widgets.table(shown[["date", "title", "category", "rank"]], f"library-{library_id}-awards", lang)
    with right:
        st.subheader(t("library.visits", lang))
        if visits.empty:
            widgets.empty(lang, "empty.visits")
        else:
            shown = visits.assign(visit_date=visits["visit_date"].map(lambda d: fmt_date(d, lang)))
            widgets.table(shown, f"library-{library_id}-visits", lang)

    st.subheader(t("library.stories", lang))
    if stories.empty:
        widgets.empty(lang, "empty.stories")
    else:
        for row in stories.itertuples():
            with st.container(border=True):
                st.caption(f"{row.cycle_id} · {t(f'story.{row.kind}', lang)}")
                st.text(row.text)  # shown as text: a story is never interpreted as Markdown or HTML
                if row.link:
                    st.text(t("library.evidence", lang, link=row.link))
        widgets.download(stories, f"library-{library_id}-stories", lang)
    st.caption(t("library.counts_note", lang, n=fmt_number(len(stories), lang)))


# Three tabs, and only the open one is drawn: a filter change redraws what the room is looking at.
TABS = {
    "library.tab_progress": attendance_and_indicator,
    "library.tab_indicators": all_indicators,
    "library.tab_records": awards_visits_stories,
}
for tab, draw in zip(widgets.tabs(tuple(TABS), "library_tab", lang), TABS.values()):
    if tab.open:
        with tab:
            draw()
