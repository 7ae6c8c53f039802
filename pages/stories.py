"""Cerita / Stories: the stories libraries share at PLMs (achievements, obstacles, challenges, innovations),
searched and filtered by region, cycle, kind and text, each with its library and evidence link; counts by kind
over time; and the meeting pack to take home."""

import streamlit as st

from analytics import charts, filters, queries, store
from analytics.app import cache, page, state, widgets
from analytics.i18n import fmt_number, t

SHOWN = 10  # stories listed at first (newest first), and how many more each "next" click adds; the CSV has all

ds = cache.get_dataset()
f = page.current_filters()
lang = f.lang
widgets.header("stories.title", ds, f, applies=filters.PAGE_APPLIES["stories"])
first, last = filters.cycle_bounds(f, ds.choices)

widgets.pack_download(ds, f)

left, right = st.columns([2, 1])
text = left.text_input(t("stories.search", lang), key="stories_text", max_chars=100).strip()
kinds = [state.ALL, *store.STORY_KINDS]  # "all" is a real option (None: Streamlit's placeholder after a rerun)
kind = right.selectbox(
    t("stories.kind", lang),
    kinds,
    key="stories_kind",
    placeholder=t("common.choose", lang),
    format_func=lambda k: t("stories.all_kinds", lang) if k == state.ALL else t(f"story.{k}", lang),
)
kind = None if kind == state.ALL else kind

where = (f.province, f.district, f.tier, f.cohort, first, last)
counts = cache.db_lookup(queries.story_counts, *where, kind, text or None)
total = int(counts["stories"].sum()) if len(counts) else 0
# No heading above the chart: its title says what it shows (a heading repeated it word for word).
if total:
    wide = counts.pivot_table(index="seq", columns="kind", values="stories", aggfunc="sum")
    wide = (
        wide.reindex(index=range(ds.seq_of[first], ds.seq_of[last] + 1), columns=list(store.STORY_KINDS))
        .fillna(0)
        .astype(int)
    )
    wide.index = [ds.cycle_of.get(s, str(s)) for s in wide.index]
    wide = wide.rename_axis("cycle").reset_index()
    widgets.chart(
        charts.stacked_bars(
            wide,
            x="cycle",
            y=list(store.STORY_KINDS),
            title=t("stories.counts", lang),
            labels={
                **{k: t(f"story.{k}", lang) for k in store.STORY_KINDS},
                "value": t("deck.stories_axis", lang),
                "cycle": t("common.cycle", lang),
            },
            colors=dict(
                zip(
                    store.STORY_KINDS,
                    (charts.OKABE_ITO[2], charts.OKABE_ITO[5], charts.OKABE_ITO[1], charts.OKABE_ITO[0]),
                )
            ),
            cycles=list(wide["cycle"]),
            counts=True,  # stories are whole: no "2,5" on the axis
            lang=lang,
        ),
        "stories-by-kind",
    )

st.caption(t("stories.found", lang, n=fmt_number(total, lang)))
if not total:
    widgets.empty(lang, "stories.none")
    st.stop()
found = cache.db_lookup(queries.stories, *where, kind, text or None, 100_000)
# The list grows by SHOWN a click ("next stories") and starts again at SHOWN when the search or filters change:
# a page of 50 bordered stories took the browser 3x as long to draw after each filter change (issue 13).
asked = (where, kind, text)
if st.session_state.get("stories_for") != asked:
    st.session_state["stories_for"], st.session_state["stories_shown"] = asked, SHOWN
shown = st.session_state["stories_shown"]
for row in found.head(shown).itertuples():
    # One plain-text element a story (where and what, the story, its evidence on lines of their own): a story
    # is never read as Markdown or HTML, and every element a run sends costs the browser a redraw.
    where = t(
        "stories.meta",
        lang,
        cycle=row.cycle_id,
        kind=t(f"story.{row.kind}", lang),
        library=row.library,
        district=row.district,
    )
    evidence = t("stories.evidence", lang, link=row.link) if row.link else t("stories.no_evidence", lang)
    st.container(border=True).text(f"{where}\n\n{row.text}\n\n{evidence}")
if len(found) > shown:
    st.caption(t("stories.shown", lang, shown=fmt_number(shown, lang), total=fmt_number(len(found), lang)))
    more = min(SHOWN, len(found) - shown)
    if st.button(t("stories.more", lang, n=fmt_number(more, lang)), key="stories_more", icon=":material/expand_more:"):
        st.session_state["stories_shown"] = shown + SHOWN
        st.rerun()
widgets.download(found[["cycle_id", "kind", "library", "district", "text", "link"]], "stories", lang)
