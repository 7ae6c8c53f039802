"""The PLM agenda deck: the slides a meeting is run from, built from a Dataset and the Filters.

A Peer Learning Meeting has three parts (docs: ../shared/context/domain.md): (1) the achievements of the region
in the cycle, library by library when the region is a district; (2) the online reports and documentation
indicators (reporting rate, timeliness, documentation); (3) sharing: the stories of achievements, obstacles,
challenges and innovations of the cycle. ``build`` returns these as an ordered list of ``Slide``; the meeting
pack (``pack.py``), the PPTX (``slides.py``) and the presentation mode render the same list.

The cycle is the range's last cycle (as on every page). Tables hold display text (numbers already formatted in
the deck's language) under translated headers; figures are plain Plotly figures whose labels are HTML-escaped
(Plotly reads a few HTML tags in text, and a library's name is data). No Streamlit here, and SQL only through
``analytics.queries`` when the stories are not passed in.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from . import charts, config, filters, metrics, queries, store, views
from .dataset import Dataset
from .filters import Filters
from .i18n import fmt_date, fmt_number, fmt_percent, localized_column, t, unit

STORY_KINDS = store.STORY_KINDS  # the PLM's sharing topics, in agenda order
MAX_STORIES = 6  # per slide: what a projector shows readably; the pack lists the rest after the slide
MAX_ROWS = 40  # rows of the missing-reports list (a whole country can have thousands); other tables are whole
PARTS = (1, 2, 3)


@dataclass(frozen=True)
class Story:
    """A story as a slide shows it: ``cycle`` is its cycle with the months ('2018-3 · Sep–Des 2018')."""

    library: str
    district: str
    cycle: str
    kind: str
    text: str
    link: str | None = None


@dataclass(frozen=True, eq=False)
class Slide:
    """One screen of the deck: a title, a subtitle, and one figure, table or list of stories (plus a note).

    ``part`` is the agenda part (0 for the opening slide); ``more`` holds stories beyond what fits on the
    screen (the pack prints them after the slide)."""

    key: str
    title: str
    subtitle: str
    figure: go.Figure | None = None
    table: pd.DataFrame | None = None
    stories: tuple[Story, ...] | None = None
    note: str | None = None
    part: int = 0
    more: tuple[Story, ...] = ()


def _cycle(cycle: str, lang: str) -> str:
    """A cycle as slides name it, with its months: '2018-3 · Sep–Des 2018' (issue 13, item 9)."""
    return filters.cycle_label(cycle, lang)


def _cycle_axis(sel: views.Selection) -> str:
    """The title of a cycle axis: its ticks are bare codes (a dozen must fit), so it says which months each of
    the year's three cycles covers: 'Siklus PLM (1 = Jan–Apr, 2 = Mei–Agu, 3 = Sep–Des)'."""
    lang = sel.filters.lang
    year = sel.cycle(sel.last_seq).split("-")[0]
    terms = [filters.cycle_months(f"{year}-{k}", lang, year=False) for k in (1, 2, 3)]
    return t("deck.cycle_axis", lang, first=terms[0], second=terms[1], third=terms[2])


def _label(text) -> str:
    """A name as it goes into a Plotly figure: shown literally, never read as Plotly's HTML-like markup."""
    return html.escape(str(text), quote=False)


def region_name(ds: Dataset, f: Filters) -> str:
    c = ds.choices
    if f.district:
        return c.districts[f.district][1]
    if f.province:
        return c.provinces[f.province]
    return t("filters.all_indonesia", f.lang)


def load_stories(ds: Dataset, f: Filters, path=None) -> pd.DataFrame:
    """The stories of the selection's libraries in the range (``queries.stories``), from the database file."""
    first, last = filters.cycle_bounds(f, ds.choices)
    with store.opened(config.db_path(path), readonly=True) as conn:
        return queries.stories(conn, f.province, f.district, f.tier, f.cohort, first, last, limit=1_000_000)


def build(
    ds: Dataset,
    f: Filters,
    stories: pd.DataFrame | None = None,
    path=None,
    outlines_url: str | None = None,
    province_measure=views.province_measure,
) -> list[Slide]:
    """The agenda deck for the region and the range's last cycle.

    ``stories`` is ``queries.stories`` for these filters (read from the database at ``path``, default
    ``config.db_path()``, when not given). ``outlines_url``: the map slide's province outlines fetched by the
    browser from there (the app: ``charts.OUTLINES_URL``) instead of written into the figure (a file that
    must draw offline, the pack and the PPTX: the default). Writing 1.6 MB of outlines into a figure costs
    ~30 ms of copying on every build. ``province_measure``: ``views.province_measure`` or a cached one (the
    app's, shared with the overview's map: the map's values do not depend on the province chosen)."""
    lang = f.lang
    sel = views.select(ds, f)
    cycle = sel.cycle(sel.last_seq)
    region = region_name(ds, f)
    slides = [_opening(ds, sel, region, cycle)]
    if sel.empty:
        slides.append(
            Slide(
                "empty", t("deck.empty_title", lang), filters.describe(f, ds.choices), note=t("empty.selection", lang)
            )
        )
        return slides
    if stories is None:
        stories = load_stories(ds, f, path)
    slides += _achievements(ds, sel, region, cycle, outlines_url, province_measure)
    slides += _reporting(sel, region, cycle)
    slides += _sharing(sel, stories, region, cycle)
    return slides


# --- opening ---


def _opening(ds: Dataset, sel: views.Selection, region: str, cycle: str) -> Slide:
    f, lang = sel.filters, sel.filters.lang
    cycles = ds.cycles.set_index("id")
    start, end = cycles.loc[cycle, "start_date"], cycles.loc[cycle, "end_date"]
    meetings = views.meetings_of_cycle(sel, ds.meetings[ds.meetings["cycle_id"] == cycle])
    district_plms = 0
    if sel.level == "province":  # all Indonesia: the national and provincial PLMs, district PLMs counted
        district_plms = int((meetings["level"] == "kabupaten").sum())
        meetings = meetings[meetings["level"] != "kabupaten"]
    table = None
    if len(meetings):
        table = pd.DataFrame(
            {
                t("col.date", lang): [fmt_date(d, lang) for d in meetings["start_date"]],
                t("col.level", lang): [t(f"level.{v}", lang) for v in meetings["level"]],
                t("col.meeting", lang): meetings["title"].astype(str).tolist(),
                t("deck.col.place", lang): [
                    ", ".join(str(x) for x in (v, c) if x and x == x)
                    for v, c in zip(meetings["venue"], meetings["city"])
                ],
            }
        )
    agenda = " · ".join(f"{p}. {t(f'deck.part.{p}', lang)}" for p in PARTS)
    if district_plms:
        agenda += " — " + t("deck.district_plms", lang, n=fmt_number(district_plms, lang))
    return Slide(
        "opening",
        t("deck.title", lang, region=region, cycle=_cycle(cycle, lang)),
        t(
            "deck.subtitle",
            lang,
            start=fmt_date(start, lang),
            end=fmt_date(end, lang),
            filters=filters.describe(f, ds.choices),
        ),
        table=table,
        note=agenda if table is not None else agenda + " — " + t("deck.no_meeting", lang),
    )


# --- part 1: achievements ---


def headline_table(sel: views.Selection) -> pd.DataFrame:
    """The overview's headline numbers of the cycle, the cycle before, and the change."""
    lang = sel.filters.lang
    now, before = views.overview_headline(sel)
    rows = []
    for key in ("active", "attendance_rate", "reports", "visits", "activities", "participants"):
        rate = key == "attendance_rate"
        show = (lambda v: fmt_percent(v, lang)) if rate else (lambda v: fmt_number(v, lang))
        prev = before[key] if before else None
        if prev is None:
            change = "–"
        elif rate:
            change = _signed(100 * (now[key] - prev), lang, 1) + " " + t("common.points", lang)
        else:
            change = _signed(now[key] - prev, lang, 0)
        rows.append(
            {
                t("deck.col.measure", lang): t(f"overview.{key}", lang),
                _cycle(sel.cycle(sel.last_seq), lang): show(now[key]),
                _cycle(sel.cycle(sel.last_seq - 1), lang) if before else t("deck.col.before", lang): show(prev),
                t("deck.col.change", lang): change,
            }
        )
    return pd.DataFrame(rows)


def _signed(value: float, lang: str, decimals: int) -> str:
    if value != value:
        return "–"
    return ("+" if value > 0 else "") + fmt_number(value, lang, decimals)


def _yes(flag: bool, lang: str) -> str:
    return t("deck.yes", lang) if flag else t("deck.no", lang)


def library_table(sel: views.Selection) -> pd.DataFrame:
    """A district's active libraries in the cycle: attendance, report, and the chosen indicator against its
    target (traffic light), highest value first."""
    lang = sel.filters.lang
    a = sel.activity[sel.activity["seq"] == sel.last_seq]
    libs = sel.libraries.set_index("id")
    ind = sel.indicator
    values = sel.values[sel.values["seq"] == sel.last_seq].set_index("library_id")["value"]
    out = pd.DataFrame({"library_id": a["library_id"].to_numpy()})
    out["name"] = out["library_id"].map(libs["name"])
    out["value"] = out["library_id"].map(values)
    out = out.assign(
        tier=a["library_id"].map(libs["tier"]).astype(str).to_numpy(),
        attended=a["attended"].to_numpy(),
        attendees=a["attendees"].to_numpy(),
        reported=a["reported"].to_numpy(),
        on_time=a["on_time"].to_numpy(),
        date_unknown=a["date_unknown"].to_numpy(),
    )
    out["status"] = metrics.traffic_light(metrics.target_ratio(out["value"], ind["target"], ind["higher_is_better"]))
    out = out.sort_values(["value", "name"], ascending=[False, True], na_position="last")
    name = ind[localized_column("name", lang)]
    return pd.DataFrame(
        {
            t("col.library", lang): out["name"].astype(str).tolist(),
            t("col.tier", lang): [t(f"tier.{v}", lang) for v in out["tier"]],
            t("deck.col.attended", lang): [_yes(v, lang) for v in out["attended"]],
            t("col.attendees", lang): [fmt_number(v, lang) for v in out["attendees"]],
            t("deck.col.reported", lang): [
                (_yes(r, lang) + (" · " + t("report.date_unknown" if u else "deck.late", lang) if r and not o else ""))
                for r, o, u in zip(out["reported"], out["on_time"], out["date_unknown"])
            ],
            f"{name} ({unit(ind['unit'], lang)})": [fmt_number(v, lang) for v in out["value"]],
            t("col.status", lang): [
                (charts.STATUS_SYMBOLS[s] + " " + t(f"status.{s}", lang)) if s else "–" for s in out["status"]
            ],
        }
    )


def region_table(sel: views.Selection) -> pd.DataFrame:
    """Provinces or districts in the cycle: active libraries, attendance and reporting rate, and the chosen
    indicator's median per reporting library; most active libraries first."""
    lang = sel.filters.lang
    a = sel.activity[sel.activity["seq"] == sel.last_seq]
    part = metrics.participation_rate(a, ["region"]).set_index("region")
    rep = metrics.reporting_rate(a, ["region"]).set_index("region")
    v = sel.values[sel.values["seq"] == sel.last_seq]
    med = v.groupby("region")["value"].median()
    order = part.sort_values("active", ascending=False, kind="stable").index
    ind = sel.indicator
    name = ind[localized_column("name", lang)]
    return pd.DataFrame(
        {
            t(f"deck.col.{sel.level}", lang): [sel.region_names.get(r, r) for r in order],
            t("quality.active", lang): [fmt_number(part.loc[r, "active"], lang) for r in order],
            t("measure.participation", lang): [fmt_percent(part.loc[r, "rate"], lang) for r in order],
            t("measure.reporting", lang): [fmt_percent(rep.loc[r, "rate"], lang) for r in order],
            t("deck.col.median", lang, indicator=name, unit=unit(ind["unit"], lang)): [
                fmt_number(med.get(r), lang, 1) for r in order
            ],
        }
    )


def _achievements(
    ds: Dataset,
    sel: views.Selection,
    region: str,
    cycle: str,
    outlines_url: str | None = None,
    province_measure=views.province_measure,
) -> list[Slide]:
    f, lang = sel.filters, sel.filters.lang
    part = t("deck.part.1", lang)
    named = _cycle(cycle, lang)
    sub = f"1 · {part} · {region} · {named}"
    ind = sel.indicator
    ind_name = ind[localized_column("name", lang)]
    out = [
        Slide(
            "achievements.headline", t("deck.headline_title", lang, cycle=named), sub, table=headline_table(sel), part=1
        )
    ]
    if sel.level == "library":
        table = library_table(sel)
        out.append(
            Slide(
                "achievements.libraries",
                t("deck.libraries_title", lang, region=region),
                sub,
                table=table,
                part=1,
                note=t("deck.libraries_note", lang, indicator=ind_name),
            )
        )
    else:
        table = region_table(sel)
        level = t(f"level_name.{sel.level}", lang)
        out.append(Slide("achievements.regions", t("deck.regions_title", lang, level=level), sub, table=table, part=1))
    fig = _indicator_figure(sel, cycle)
    if fig is not None:
        out.append(
            Slide(
                "achievements.indicator",
                t("deck.indicator_title", lang, indicator=ind_name),
                sub,
                figure=fig,
                part=1,
                note=t(
                    "deck.indicator_note", lang, target=fmt_number(ind["target"], lang), unit=unit(ind["unit"], lang)
                ),
            )
        )
    # No value of the indicator in the cycle: an empty section, left out (as the stories of a kind without any).
    if sel.level != "library":
        per_province = province_measure(ds, f, "participation")
        if len(per_province):
            fig = charts.province_map(
                per_province.assign(name=per_province["name"].map(_label)),
                title=t("deck.map_circles", lang),  # the cycle, with its months, is on the line above
                labels={"value": t("measure.participation", lang)},
                percent=True,
                bubbles=views.district_bubbles(sel),
                bubble_name=t("overview.bubbles", lang),
                outlines_url=outlines_url,
                lang=lang,
                n="denominator",
            )
            out.append(
                Slide(
                    "achievements.map",
                    t("deck.map_title", lang),
                    sub,
                    figure=fig,
                    part=1,
                    note=t("overview.map_note", lang),
                )
            )
    card = views.scorecard(sel)
    if len(card):
        strategies = {s: t(f"strategy.{s}", lang) for s in dict.fromkeys(ds.indicators["strategy"])}
        regions = {r: _label(n) for r, n in zip(card["region"], card["name"])}
        fig = charts.scorecard(
            card,
            names=regions,
            strategies=strategies,
            status_names={s: t(f"status.{s}", lang) for s in ("green", "yellow", "red")},
            lang=lang,
            wrap=True,  # 20 px names on a screen: two lines each, flat
        )
        out.append(
            Slide(
                "achievements.scorecard",
                t("impact.scorecard", lang, cycle=named),
                sub,
                figure=fig,
                part=1,
                note=t(
                    "impact.scorecard_rule",
                    lang,
                    cap=fmt_percent(metrics.RATIO_CAP, lang, 0),
                    green=fmt_percent(metrics.GREEN_AT, lang, 0),
                    yellow=fmt_percent(metrics.YELLOW_AT, lang, 0),
                ),
            )
        )
    return out


def _more_rows(table: pd.DataFrame, lang: str) -> str | None:
    if len(table) <= MAX_ROWS:
        return None
    return t("deck.more_rows", lang, shown=fmt_number(MAX_ROWS, lang), total=fmt_number(len(table), lang))


def _indicator_figure(sel: views.Selection, cycle: str) -> go.Figure | None:
    """The chosen indicator in the cycle: each library's value (district) or the median per reporting library
    of each region, against the target."""
    lang = sel.filters.lang
    v = sel.values[sel.values["seq"] == sel.last_seq]
    if v.empty:
        return None
    ind = sel.indicator
    by = v.groupby("region")["value"].median().rename("value").reset_index()
    by = by.sort_values("value", ascending=False)
    by["name"] = [_label(sel.region_names.get(r, r)) for r in by["region"]]
    status = metrics.traffic_light(metrics.target_ratio(by["value"], ind["target"], ind["higher_is_better"]))
    colors = [charts.STATUS_COLORS[s] for s in status]
    text = [f"{charts.STATUS_SYMBOLS[s]} {fmt_number(x, lang)}" for s, x in zip(status, by["value"])]
    title = t(
        "deck.indicator_bar_library" if sel.level == "library" else "deck.indicator_bar_region",
        lang,
        cycle=_cycle(cycle, lang),
        unit=unit(ind["unit"], lang),
    )
    fig = charts.bar(
        by,
        x="value",
        y="name",
        title=title,
        labels={"value": unit(ind["unit"], lang)},
        key="region",
        colors=colors,
        text=text,
        lang=lang,
    )
    fig.add_vline(
        x=float(ind["target"]),
        line={"color": "#000000", "dash": "dash", "width": 2},
        annotation_text=t("col.target", lang),
        annotation_position="top",
    )
    return fig


# --- part 2: online reports and documentation ---


def reporting_table(sel: views.Selection) -> pd.DataFrame:
    """Reporting in the cycle per library (district) or per region: report received and on time (or the
    rates), documentation uploaded and success stories reported (sums of the ``dokumentasi`` and
    ``cerita_sukses`` values)."""
    lang, ds = sel.filters.lang, sel.ds
    a = sel.activity[sel.activity["seq"] == sel.last_seq]
    vals = sel.values_of_cycle(sel.last_seq)
    docs = vals[vals["indicator"].isin(["dokumentasi", "cerita_sukses"])]
    docs = sel.with_region(docs).pivot_table(index="region", columns="indicator", values="value", aggfunc="sum")
    docs = docs.reindex(columns=["dokumentasi", "cerita_sukses"])
    names = ds.indicators.set_index("code")[localized_column("name", lang)]
    if sel.level == "library":
        libs = sel.libraries.set_index("id")
        rows = a.assign(region=a["library_id"].astype(str), name=a["library_id"].map(libs["name"]))
        rows = rows.sort_values(["reported", "on_time", "name"], ascending=[True, True, True])
        return pd.DataFrame(
            {
                t("col.library", lang): rows["name"].astype(str).tolist(),
                t("deck.col.reported", lang): [_yes(v, lang) for v in rows["reported"]],
                t("deck.col.on_time", lang): [
                    _yes(o, lang) if r else "–" for r, o in zip(rows["reported"], rows["on_time"])
                ],
                names["dokumentasi"]: [fmt_number(docs["dokumentasi"].get(r), lang) for r in rows["region"]],
                names["cerita_sukses"]: [fmt_number(docs["cerita_sukses"].get(r), lang) for r in rows["region"]],
            }
        )
    rep = metrics.reporting_rate(a, ["region"]).set_index("region")
    order = rep.sort_values("denominator", ascending=False, kind="stable").index
    return pd.DataFrame(
        {
            t(f"deck.col.{sel.level}", lang): [sel.region_names.get(r, r) for r in order],
            t("quality.active", lang): [fmt_number(rep.loc[r, "denominator"], lang) for r in order],
            t("measure.reporting", lang): [fmt_percent(rep.loc[r, "rate"], lang) for r in order],
            t("deck.col.timeliness", lang): [fmt_percent(rep.loc[r, "timeliness"], lang) for r in order],
            names["dokumentasi"]: [fmt_number(docs["dokumentasi"].get(r), lang) for r in order],
            names["cerita_sukses"]: [fmt_number(docs["cerita_sukses"].get(r), lang) for r in order],
        }
    )


def _reporting(sel: views.Selection, region: str, cycle: str) -> list[Slide]:
    lang = sel.filters.lang
    named = _cycle(cycle, lang)
    sub = f"2 · {t('deck.part.2', lang)} · {region} · {named}"
    trend = views.trend(sel)
    last = trend.iloc[-1]
    fig = charts.trend(
        trend,
        x="cycle",
        y=["reporting", "timeliness"],
        title=t("deck.reporting_trend_title", lang),
        labels={
            "reporting": t("measure.reporting", lang),
            "timeliness": t("deck.col.timeliness", lang),
            "value": t("common.rate_axis", lang),
            "cycle": _cycle_axis(sel),
        },
        percent=True,
        lang=lang,
    )
    from .reference import REPORT_GRACE_DAYS

    out = [
        Slide(
            "reporting.trend",
            t("deck.reporting_title", lang, cycle=named),
            sub,
            figure=fig,
            part=2,
            note=t(
                "deck.reporting_note",
                lang,
                rate=fmt_percent(last["reporting"], lang),
                timeliness=fmt_percent(last["timeliness"], lang),
                days=REPORT_GRACE_DAYS,
            ),
        )
    ]
    table = reporting_table(sel)
    out.append(Slide("reporting.table", t("deck.documentation_title", lang, cycle=named), sub, table=table, part=2))
    missing = views.missing_reports(sel)
    if missing.empty:
        out.append(
            Slide(
                "reporting.missing",
                t("quality.missing", lang, cycle=named),
                sub,
                part=2,
                note=t("quality.none_missing", lang),
            )
        )
    else:
        shown = pd.DataFrame(
            {
                t("col.library", lang): missing["name"].astype(str).tolist(),
                t("col.district", lang): missing["district"].astype(str).tolist(),
                t("col.tier", lang): [t(f"tier.{v}", lang) for v in missing["tier"]],
                t("col.missing_cycles", lang): [
                    f"{fmt_number(m, lang)} / {fmt_number(n, lang)}"
                    for m, n in zip(missing["missing_cycles"], missing["active_cycles"])
                ],
            }
        )
        out.append(
            Slide(
                "reporting.missing",
                t("quality.missing", lang, cycle=named),
                sub,
                table=shown.head(MAX_ROWS),
                part=2,
                note=_more_rows(shown, lang) or t("deck.missing_note", lang, n=fmt_number(len(shown), lang)),
            )
        )
    return out


# --- part 3: sharing ---


def story_counts(stories: pd.DataFrame, sel: views.Selection) -> pd.DataFrame:
    """Stories per cycle of the range and kind (zero where there were none)."""
    seqs = range(sel.first_seq, sel.last_seq + 1)
    counts = stories.groupby(["seq", "kind"]).size().unstack("kind") if len(stories) else pd.DataFrame()
    counts = counts.reindex(index=list(seqs), columns=list(STORY_KINDS)).fillna(0).astype(int)
    counts.index = [sel.cycle(s) for s in counts.index]
    return counts.rename_axis("cycle").reset_index()


def _sharing(sel: views.Selection, stories: pd.DataFrame, region: str, cycle: str) -> list[Slide]:
    lang = sel.filters.lang
    named = _cycle(cycle, lang)
    sub = f"3 · {t('deck.part.3', lang)} · {region} · {named}"
    counts = story_counts(stories, sel)
    names = {k: t(f"story.{k}", lang) for k in STORY_KINDS}
    colors = dict(
        zip(STORY_KINDS, (charts.OKABE_ITO[2], charts.OKABE_ITO[5], charts.OKABE_ITO[1], charts.OKABE_ITO[0]))
    )
    fig = charts.stacked_bars(
        counts,
        x="cycle",
        y=list(STORY_KINDS),
        title=t("deck.story_counts_title", lang),
        labels={**names, "value": t("deck.stories_axis", lang), "cycle": _cycle_axis(sel)},
        colors=colors,
        lang=lang,
    )
    now = stories[stories["seq"] == sel.last_seq] if len(stories) else stories
    total = {k: int((now["kind"] == k).sum()) if len(now) else 0 for k in STORY_KINDS}
    out = [
        Slide(
            "sharing.counts",
            t("deck.sharing_title", lang, cycle=named),
            sub,
            figure=fig,
            part=3,
            note=" · ".join(f"{names[k]}: {fmt_number(total[k], lang)}" for k in STORY_KINDS),
        )
    ]
    for kind in STORY_KINDS:
        rows = now[now["kind"] == kind] if len(now) else now
        items = tuple(
            Story(
                str(r.library),
                str(r.district),
                _cycle(str(r.cycle_id), lang),
                kind,
                str(r.text),
                r.link if isinstance(r.link, str) and r.link else None,
            )
            for r in rows.itertuples()
        )
        if not items:  # an empty section ("no story yet") is left out; the counts slide says 0 for the kind
            continue
        note = None
        if len(items) > MAX_STORIES:
            note = t("deck.more_stories", lang, shown=MAX_STORIES, total=fmt_number(len(items), lang))
        out.append(
            Slide(
                f"sharing.{kind}",
                t("deck.kind_title", lang, kind=names[kind], cycle=named),
                sub,
                stories=items[:MAX_STORIES],
                more=items[MAX_STORIES:],
                note=note,
                part=3,
            )
        )
    return out


# --- one library's deck (presented from its profile: library=ID with present=1 on the library page) ---


def load_library_records(library_id: int, path=None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A library's awards, monitoring visits and stories (``queries.library_*``), from the database file."""
    with store.opened(config.db_path(path), readonly=True) as conn:
        return (
            queries.library_awards(conn, library_id),
            queries.library_visits(conn, library_id),
            queries.library_stories(conn, library_id),
        )


def build_library(ds: Dataset, f: Filters, library_id: int, records=None, path=None) -> list[Slide]:
    """The deck about one library, over all its cycles (as its profile): who it is and its key figures
    (attendance of the cycles with a PLM held, streaks, report completeness and timeliness, awards, stories);
    attendance and reports per cycle, newest first; every indicator of its last reported cycle against the
    district median and the target; its awards; its stories, newest first. Sections with nothing to show are
    left out.

    ``records`` is (awards, visits, stories) as ``load_library_records`` returns them (read from the database
    at ``path`` when not given)."""
    lang = f.lang
    profile = views.library_profile(ds, f, library_id)
    lib = profile["library"]
    name = str(lib["name"])
    awards, _visits, stories = records if records is not None else load_library_records(library_id, path)
    act = ds.activity[ds.activity["library_id"] == library_id]
    streak = metrics.streaks(act, int(act["seq"].max())).iloc[0] if len(act) else None
    where = " · ".join(
        str(x)
        for x in (
            t(f"tier.{lib['tier']}", lang),
            lib["village"],
            lib["subdistrict"],
            profile["district"],
            profile["province"],
        )
        if x and x == x
    )
    where += " · " + t(
        "library.joined",
        lang,
        cycle=_cycle(ds.cycle_of.get(lib["joined_seq"], "?"), lang),
        cohort=filters.cohort_label(lib["cohort"], lang),
    )
    figures = pd.DataFrame(
        {
            t("deck.col.measure", lang): [
                t("deck.lib.attended", lang),
                t("deck.lib.streaks", lang),
                t("library.completeness", lang),
                t("library.timeliness", lang),
                t("library.awards", lang),
                t("library.stories", lang),
            ],
            t("col.value", lang): [
                t(
                    "deck.lib.attended_value",
                    lang,
                    n=fmt_number(profile["cycles_attended"], lang),
                    held=fmt_number(profile["cycles_plm_held"], lang),
                    rate=fmt_percent(profile["attendance_rate"], lang),
                ),
                t(
                    "deck.lib.streaks_value",
                    lang,
                    now=fmt_number(streak["current_streak"] if streak is not None else 0, lang),
                    longest=fmt_number(streak["longest_streak"] if streak is not None else 0, lang),
                ),
                fmt_percent(profile["completeness"], lang),
                fmt_percent(profile["timeliness"], lang),
                fmt_number(len(awards), lang),
                fmt_number(len(stories), lang),
            ],
        }
    )
    slides = [
        Slide(
            "library.opening",
            name,
            where,
            table=figures,
            note=t("deck.lib.opening_note", lang, active=fmt_number(profile["cycles_active"], lang)),
        )
    ]
    sub = f"{name} · {profile['district']}"
    timeline = profile["timeline"].sort_values("seq", ascending=False)
    if len(timeline):
        late = [
            (" · " + t("report.date_unknown" if u else "deck.late", lang)) if r and not o else ""
            for r, o, u in zip(timeline["reported"], timeline["on_time"], timeline["date_unknown"])
        ]
        title = t("deck.lib.attendance_title", lang)
        slides.append(
            Slide(
                "library.attendance",
                title,
                sub,
                part=1,
                table=pd.DataFrame(
                    {
                        t("common.cycle", lang): [_cycle(str(c), lang) for c in timeline["cycle"]],
                        t("deck.lib.col.plm", lang): [
                            t("deck.lib.attended_yes" if a else "deck.lib.attended_no", lang)
                            if h
                            else t("common.no_plm", lang)
                            for a, h in zip(timeline["attended"], timeline["plm_held"])
                        ],
                        t("library.meetings_attended", lang): [fmt_number(v, lang) for v in timeline["meetings"]],
                        t("col.attendees", lang): [fmt_number(v, lang) for v in timeline["attendees"]],
                        t("deck.col.reported", lang): [_yes(r, lang) + x for r, x in zip(timeline["reported"], late)],
                    }
                ),
                note=t("deck.lib.attendance_note", lang),
            )
        )
    table = profile["indicators"]
    if len(table) and table["value"].notna().any():
        table = table[table["value"].notna()]
        slides.append(
            Slide(
                "library.indicators",
                t("deck.lib.indicators_title", lang, cycle=_cycle(profile["last_cycle"], lang)),
                sub,
                part=1,
                table=pd.DataFrame(
                    {
                        t("col.strategy", lang): [t(f"strategy.{v}", lang) for v in table["strategy"]],
                        t("col.indicator", lang): table[localized_column("name", lang)].astype(str).tolist(),
                        t("col.unit", lang): [unit(str(u), lang) for u in table["unit"]],
                        t("col.value", lang): [fmt_number(v, lang) for v in table["value"]],
                        t("library.district_median", lang): [fmt_number(v, lang, 1) for v in table["district_median"]],
                        t("col.target", lang): [fmt_number(v, lang) for v in table["target"]],
                        t("col.status", lang): [
                            (charts.STATUS_SYMBOLS[v] + " " + t(f"status.{v}", lang)) if v else "–"
                            for v in table["status"]
                        ],
                    }
                ),
                note=t(
                    "deck.lib.indicators_note",
                    lang,
                    green=fmt_percent(metrics.GREEN_AT, lang, 0),
                    yellow=fmt_percent(metrics.YELLOW_AT, lang, 0),
                ),
            )
        )
    if len(awards):
        newest = awards.iloc[::-1]
        slides.append(
            Slide(
                "library.awards",
                t("deck.lib.awards_title", lang, n=fmt_number(len(awards), lang)),
                sub,
                part=1,
                table=pd.DataFrame(
                    {
                        t("col.date", lang): [fmt_date(d, lang) for d in newest["start_date"]],
                        t("col.meeting", lang): newest["title"].astype(str).tolist(),
                        t("col.category", lang): [t(f"award.{c}", lang) for c in newest["category"]],
                        t("col.rank", lang): [
                            fmt_number(r, lang) if r == r and r is not None else "–" for r in newest["rank"]
                        ],
                    }
                ),
            )
        )
    if len(stories):
        items = tuple(
            Story(
                name,
                str(profile["district"]),
                _cycle(str(r.cycle_id), lang),
                str(r.kind),
                str(r.text),
                r.link if isinstance(r.link, str) and r.link else None,
            )
            for r in stories.iloc[::-1].itertuples()
        )
        note = (
            t("deck.more_stories", lang, shown=MAX_STORIES, total=fmt_number(len(items), lang))
            if len(items) > MAX_STORIES
            else None
        )
        slides.append(
            Slide(
                "library.stories",
                t("deck.lib.stories_title", lang, n=fmt_number(len(items), lang)),
                sub,
                stories=items[:MAX_STORIES],
                more=items[MAX_STORIES:],
                note=note,
                part=3,
            )
        )
    return slides


# --- screens: the deck laid out for a projector (presentation mode) ---
# A slide whose table, bars or stories would not fit one screen of 1280x720 with text of at least 20 px becomes
# several screens, titled "(1/3)", "(2/3)"... in order; figures are re-typeset at that size. Layout only: the
# numbers are the slide's own.

SCREEN_FONT = 20  # px: the smallest text on a screen (read from the back of a room)
SCREEN_CHART_HEIGHT = 340  # px: a chart with its title, under the slide's title, above the buttons
SCREEN_ROWS = 8  # table rows under the header
SCREEN_BARS = 8  # bars of a horizontal bar chart, rows of a heat map
SCREEN_STORY_LINES = 9.5  # lines of story text a screen holds (each story: its line of origin, text, frame)
SCREEN_LINE_CHARS = 90  # characters of a story's text on one line (1280 px wide, 20 px type; on the safe side)


def story_lines(story: Story) -> float:
    """The lines a story takes on a screen: where it comes from, its text, and its frame (about 1.5 lines)."""
    return 1 + max(1, -(-len(story.text) // SCREEN_LINE_CHARS)) + 1.5


def _story_screens(items: tuple[Story, ...], budget: float) -> list[tuple[Story, ...]]:
    """Stories in order, as many on a screen as fit ``budget`` lines (at least one)."""
    out: list[list[Story]] = [[]]
    used = 0.0
    for story in items:
        lines = story_lines(story)
        if out[-1] and used + lines > budget:
            out.append([])
            used = 0.0
        out[-1].append(story)
        used += lines
    return [tuple(group) for group in out if group]


def screens(
    slides: list[Slide], rows: int = SCREEN_ROWS, bars: int = SCREEN_BARS, stories: float = SCREEN_STORY_LINES
) -> list[Slide]:
    """The slides as screens: long tables, bar charts and story lists split into consecutive screens."""
    from dataclasses import replace

    out: list[Slide] = []
    for s in slides:
        parts: list[Slide] = []
        # The opening's subtitle (the cycle's dates and the filters in words, with the range's months) takes two
        # lines at 1280 px: one row fewer under it.
        limit = rows - 1 if s.key == "opening" else rows
        if s.table is not None and len(s.table) > limit:
            parts = [
                replace(s, table=s.table.iloc[i:j].reset_index(drop=True)) for i, j in _shares(len(s.table), limit)
            ]
        elif s.figure is not None and _categories(s.figure) > (most := _screen_rows(s.figure, bars)):
            parts = [replace(s, figure=_slice_figure(s.figure, i, j)) for i, j in _shares(_categories(s.figure), most)]
        elif s.stories:
            parts = [replace(s, stories=group) for group in _story_screens(s.stories, stories)]
        if len(parts) > 1:
            out += [
                replace(p, title=f"{s.title} ({k + 1}/{len(parts)})", note=s.note if k == len(parts) - 1 else None)
                for k, p in enumerate(parts)
            ]
        else:
            out.append(s)
    return out


def _shares(n: int, most: int) -> list[tuple[int, int]]:
    """The rows (start, stop) of each screen of a split: as few screens as ``most`` rows a screen allow, the
    rows shared out evenly, the first screens one row more when they do not divide (18 rows at 8 a screen:
    6, 6, 6, not 8, 8, 2; at 4 a screen: 4, 4, 4, 3, 3)."""
    k = -(-n // most)
    sizes = [n // k + (1 if i < n % k else 0) for i in range(k)]
    starts = [sum(sizes[:i]) for i in range(k)]
    return [(start, start + size) for start, size in zip(starts, sizes)]


def _top_margin(fig: go.Figure, size: int = SCREEN_FONT) -> int | None:
    """The top margin a screen figure with its x axis on top needs (a scorecard's strategy names, over the
    grid): its title's line, if it has one, and the names' lines at ``size`` px; None for other figures."""
    if fig.layout.xaxis.side != "top" or not fig.data:
        return None
    names = max((str(x).count("<br>") + 1 for x in (fig.data[0].x or ())), default=1)
    title = 1.6 * (size + 4) + 12 if fig.layout.title.text else 0
    return math.ceil(title + names * 1.5 * size + 16)


def _screen_rows(fig: go.Figure, most: int) -> int:
    """How many rows of ``fig`` a screen shows: ``most``, or fewer for a heat map whose cells carry lines of
    text (a scorecard's "● 125%" over "3 dari 3"), so that each row is as tall as its lines at 20 px."""
    first = fig.data[0] if fig.data else None
    if first is None or first.type != "heatmap" or first.text is None:
        return most
    lines = max((str(text).count("<br>") + 1 for row in first.text for text in row), default=1)
    room = SCREEN_CHART_HEIGHT - (_top_margin(fig) or 60) - (fig.layout.margin.b or 10)
    return max(1, min(most, int(room // (lines * SCREEN_FONT * 1.3 + (first.ygap or 0)))))


def _categories(fig: go.Figure) -> int:
    """The rows of a horizontal bar chart or a heat map (0 for other figures: they are not split)."""
    if not fig.data:
        return 0
    first = fig.data[0]
    if first.type == "bar" and first.orientation == "h" and first.y is not None:
        return len(first.y)
    if first.type == "heatmap" and first.y is not None:
        return len(first.y)
    return 0


def _plain(value):
    """An array of a figure's JSON (Plotly writes numbers as base64 ``{"dtype", "bdata", "shape"}``) as a
    NumPy array; anything else as it is."""
    import base64

    import numpy as np

    if isinstance(value, dict) and "bdata" in value and "dtype" in value:
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        shape = value.get("shape")
        if shape:
            array = array.reshape([int(n) for n in str(shape).split(",")])
        return array
    return value


def _slice_figure(fig: go.Figure, start: int, stop: int) -> go.Figure:
    """Rows ``start:stop`` counted from the top of a horizontal bar chart or heat map, on the whole figure's
    value axis (bars of every screen stay comparable). Done on the figure's plain dicts and wrapped without
    Plotly's per-property validation (as charts._figure), which took 10-20 ms a screen."""
    import numpy as np

    spec = fig.to_plotly_json()
    data, layout = [{k: _plain(v) for k, v in trace.items()} for trace in spec["data"]], dict(spec["layout"])
    first = data[0]
    n = len(first["y"])
    if first.get("type") == "bar":
        index = sorted(range(n - stop, n - start))  # bars are drawn bottom-up: the top rows are the last ones
        values = [float(v) for v in np.asarray(first["x"], dtype=float) if v == v]
        if values:
            low, high = min(0.0, min(values)), max(values)
            layout["xaxis"] = {**layout.get("xaxis", {}), "range": [low, high * 1.05 if high > 0 else 1]}
            layout["xaxis"]["autorange"] = False
    else:
        index = list(range(start, stop))  # a heat map's rows are listed top-down (reversed axis)
    sliced = []
    for trace in data:
        trace = dict(trace)
        for attr in ("x", "y", "z", "text", "customdata", "hovertext"):
            value = trace.get(attr)
            if value is None or isinstance(value, str) or (attr == "x" and trace.get("type") == "heatmap"):
                continue
            items = list(value)
            if len(items) == n:
                trace[attr] = [items[i] for i in index]
        marker = trace.get("marker")
        if isinstance(marker, dict) and marker.get("color") is not None and not isinstance(marker["color"], str):
            colors = list(marker["color"])
            if len(colors) == n:
                trace["marker"] = {**marker, "color": [colors[i] for i in index]}
        sliced.append(trace)
    return go.Figure({"data": sliced, "layout": layout}, _validate=False)


def screen_figure(fig: go.Figure, height: int = SCREEN_CHART_HEIGHT, size: int = SCREEN_FONT) -> go.Figure:
    """A copy of ``fig`` at a screen's height with every text at least ``size`` px (titles larger)."""
    out = go.Figure(fig)
    out.update_layout(
        height=height,
        font={"size": size},
        title={"font": {"size": size + 4}},
        legend={"font": {"size": size}},
        hoverlabel={"font": {"size": size}},
    )
    out.update_xaxes(tickfont={"size": size}, title={"font": {"size": size}})
    out.update_yaxes(tickfont={"size": size}, title={"font": {"size": size}})
    for annotation in out.layout.annotations or ():
        annotation.font.size = max(size, annotation.font.size or 0)
    longest = 0
    for trace in out.data:
        if "textfont" in trace:
            trace.textfont.size = size
        if "colorbar" in trace:
            trace.colorbar.tickfont.size = size
            trace.colorbar.title.font.size = size
        if trace.type == "bar" and trace.text is not None and getattr(trace, "textposition", None) == "outside":
            longest = max([longest, *(len(str(x)) for x in trace.text)])
    if longest:  # room for the labels past the bars' ends (about 0.6 em a character)
        out.update_layout(margin={"r": 16 + round(0.6 * size * longest)})
    if (top := _top_margin(out, size)) is not None:  # names over the grid, at this size
        out.update_layout(margin={"t": top})
    return out
