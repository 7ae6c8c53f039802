"""Partisipasi / Participation: attendance rate by region with drill-down, region x cycle heat map, tiers,
gender, and continuity per library."""

import streamlit as st

from analytics import charts, filters, metrics, queries, store, views
from analytics.app import cache, page, state, widgets
from analytics.i18n import fmt_date, fmt_number, t

ds = cache.get_dataset()
f = page.current_filters()
lang = f.lang
widgets.header("participation.title", ds, f, applies=filters.PAGE_APPLIES["participation"])
sel = cache.selection(ds, f)
if sel.empty:
    widgets.empty(lang)
    st.stop()

level_name = t(f"level_name.{sel.level}", lang)
cycles = [sel.cycle(s) for s in range(sel.first_seq, sel.last_seq + 1)]  # every axis: the range, in time order
st.subheader(t("participation.by_region", lang, level=level_name))
# Regions past the largest fold into one "others" row that says how many it holds; the table below opens it.
folded = views.folded_regions(sel)
levels = t(f"level_plural.{sel.level}", lang)
others = t("common.others_regions", lang, n=fmt_number(len(folded), lang), level=levels)
small = "few" if sel.level != "library" else None  # a library's own rate is not a region's: no minimum
no_plm = t("common.no_plm", lang)
by_region = views.participation_by_region(sel)
by_region = by_region.assign(name=by_region["name"].where(by_region["region"] != views.OTHERS, others))
event = widgets.chart(
    charts.bar(
        by_region,
        x="rate",
        y="name",
        title=t("participation.by_region_title", lang, level=level_name),
        labels={"rate": t("measure.participation", lang)},
        key="region",
        percent=True,
        n="denominator",
        marked=small,
        lang=lang,
    ),
    "participation-by-region",
    key=state.drill_key(sel.level, f),
    on_select=True,
)
state.drill(event, state.drill_key(sel.level, f), sel.level, ds.choices)
st.caption(t("participation.drill_hint", lang) if sel.level != "library" else t("participation.library_hint", lang))
if sel.level == "library" and f.library is not None and f.library in set(sel.libraries["id"]):
    st.page_link(
        "pages/library.py",
        label=t("participation.open_profile", lang, name=ds.choices.libraries[f.library][0]),
        icon=":material/local_library:",
    )
notes = [t("common.few_note", lang, min=metrics.MIN_LIBRARIES)] if small and by_region["few"].any() else []
if len(folded):
    notes.append(t("common.tie_rule", lang, top=views.TOP_REGIONS, level=levels))
if notes:
    st.caption(" ".join(notes))
every = views.participation_by_region(sel, top=None)  # every region: the full table and its CSV
headers = {
    "region": t("col.id", lang),
    "name": t("col.region", lang),
    "numerator": t("col.attended_lc", lang),
    "denominator": t("col.plm_held_lc", lang),
    "active": t("col.active_lc", lang),
    "few": t("col.few", lang, min=metrics.MIN_LIBRARIES),
}
every = every[["region", "name", "numerator", "denominator", "active", "rate", "libraries", "few"]]
regions = fmt_number(len(every), lang)
box = widgets.drawer(t("common.full_table", lang, n=regions, level=levels), "full_participation_by_region")
if box.open:  # the table drawn only when opened
    with box:
        widgets.table(every, None, lang, percent=("rate",), labels=headers)
widgets.download(every, "participation-by-region", lang, headers)

st.subheader(t("participation.heatmap", lang))
cells = views.participation_cells(sel)
cells = cells.assign(
    name=cells["name"].where(cells["region"] != views.OTHERS, others),
    no_plm=cells["active"].gt(0) & cells["denominator"].eq(0),
)
widgets.chart(
    charts.heatmap(
        cells,
        x="cycle",
        y="name",
        z="rate",
        title=t("participation.heatmap_title", lang, level=level_name),
        labels={"rate": t("measure.participation", lang), "cycle": t("common.cycle", lang)},
        percent=True,
        cycles=cycles,
        n="denominator",
        note="no_plm",
        note_text=no_plm,
        marked=small,
        lang=lang,
    ),
    "participation-heatmap",
)
notes = [t("common.no_plm_note", lang)] if cells["no_plm"].any() else []
if len(folded):
    notes.append(t("common.tie_rule", lang, top=views.TOP_REGIONS, level=levels))
if small and (cells["few"] & cells["rate"].notna()).any():
    notes.append(t("common.few_cells_note", lang, min=metrics.MIN_LIBRARIES))
if notes:
    st.caption(" ".join(notes))
if len(folded):  # "others" opened: every region's row (the CSV below has each cell's counts too)
    box = widgets.drawer(t("common.full_table", lang, n=regions, level=levels), "full_participation_heatmap")
    if box.open:
        matrix = views.participation_heatmap(sel, t("common.others", lang), top=None)
        with box:
            widgets.table(matrix, None, lang, percent=matrix.columns, index=True)
widgets.download(views.participation_cells(sel, top=None), "participation-by-region-and-cycle", lang)

# Cycles in which no library of the selection could attend a PLM: a gap with a note on the charts by cycle.
trend = views.trend(sel)
gaps = {c: no_plm for c, active, held in zip(trend["cycle"], trend["active"], trend["plm_held"]) if active and not held}
left, right = st.columns(2)
with left:
    st.subheader(t("participation.by_tier", lang))
    tiers = views.participation_by_tier(sel)
    tiers = tiers.assign(note=(tiers["active"].gt(0) & tiers["denominator"].eq(0)).map({True: no_plm, False: ""}))
    widgets.chart(
        charts.trend(
            tiers,
            x="cycle",
            y="rate",
            group="tier",
            title=t("participation.by_tier_title", lang),
            labels={"rate": t("measure.participation", lang), "cycle": t("common.cycle", lang)},
            names={k: t(f"tier.{k}", lang) for k in store.TIERS},
            percent=True,
            cycles=cycles,
            n="denominator",
            note="note",
            gaps=gaps,
            narrow=True,
            lang=lang,
        ),
        "participation-by-tier",
    )
with right:
    st.subheader(t("participation.gender", lang))
    gender = views.attendees_by_gender(sel)
    widgets.chart(
        charts.stacked_bars(
            gender,
            x="cycle",
            y=["attendees_female", "attendees_male"],
            title=t("participation.gender_title", lang),
            labels={
                "attendees_female": t("participation.female", lang),
                "attendees_male": t("participation.male", lang),
                "value": t("participation.people_axis", lang),
                "cycle": t("common.cycle", lang),
            },
            colors={"attendees_female": charts.OKABE_ITO[3], "attendees_male": charts.OKABE_ITO[4]},
            cycles=cycles,
            gaps=gaps,
            narrow=True,
            lang=lang,
        ),
        "attendees-by-gender",
    )

st.subheader(t("participation.continuity", lang))
cont = views.continuity(sel)
at_risk, never = int(cont["at_risk"].sum()), int(cont["never_attended"].sum())
c1, c2, c3 = st.columns(3)
c1.metric(t("participation.libraries", lang), len(cont))
c2.metric(t("participation.at_risk", lang), at_risk, help=t("participation.at_risk_help", lang))
c3.metric(t("participation.never", lang), never, help=t("ui13.never_help", lang))
st.caption(t("ui13.continuity_words", lang))  # the table's words in plain language (issue 13, item 9)
# One click lists the libraries to act on (the flag columns are far to the right of a wide table).
show = st.segmented_control(
    t("participation.show", lang),
    ["all", "at_risk", "never"],
    default="all",
    required=True,
    key="continuity_show",
    format_func=lambda k: t(f"participation.show_{k}", lang),
)
counts = {"all": len(cont), "at_risk": at_risk, "never": never}
st.markdown(f"**{t(f'participation.list_{show}', lang, n=fmt_number(counts[show], lang))}**")
listed = cont if show == "all" else cont[cont["at_risk" if show == "at_risk" else "never_attended"].astype(bool)]
every = listed.assign(tier=listed["tier"].map(lambda v: t(f"tier.{v}", lang)))[
    [
        "name",
        "district",
        "tier",
        "cycles_active",
        "cycles_attended",
        "cycles_no_plm",
        "current_streak",
        "longest_streak",
        "never_attended",
        "at_risk",
        "last_cycle",
    ]
]
labels = {"name": t("col.library", lang), "cycles_active": t("col.cycles_with_plm", lang)}
# On the screen the columns an officer acts on, as wide as the page at 1366 and 1280 (the flags are the choice
# above); the CSV has every column.
widgets.table(
    every,
    "continuity" if show == "all" else f"continuity-{show}",
    lang,
    height=420,
    labels=labels,
    columns=["name", "district", "cycles_active", "cycles_attended", "current_streak"],
)

st.subheader(t("participation.meetings", lang, cycle=filters.cycle_label(sel.cycle(sel.last_seq), lang)))
meetings = views.meetings_of_cycle(sel, cache.db_lookup(queries.meeting_attendance_by_tier, sel.cycle(sel.last_seq)))
if meetings.empty:
    widgets.empty(lang, "empty.meetings")
else:
    shown = meetings.assign(
        level=meetings["level"].map(lambda v: t(f"level.{v}", lang)),
        start_date=meetings["start_date"].map(lambda d: fmt_date(d, lang)),
    )
    labels = {
        "provinsi": t("tier.provinsi", lang),
        "kabupaten_kota": t("tier.kabupaten_kota", lang),
        "village": t("col.village_libraries", lang),
    }
    # A PLM's title names its level and area: its level, city and venue are in the CSV (with them the table was
    # wider than the page at 1366).
    every = ["start_date", "level", "title", "city", "venue", "provinsi", "kabupaten_kota", "village"]
    widgets.table(
        shown[[*every, "libraries", "attendees"]],
        "meetings",
        lang,
        height=320,
        labels=labels,
        columns=["start_date", "title", "provinsi", "kabupaten_kota", "village", "libraries", "attendees"],
    )
