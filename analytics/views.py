"""What each page shows, computed from a Dataset and the Filters: plain data, no Streamlit, no SQL.

Pages call one function here per section and render the result. Breakdowns go one level below the filter:
all Indonesia -> provinces, a province -> its districts, a district -> its libraries.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from . import metrics
from .dataset import Dataset
from .filters import Filters, cycle_bounds

TOP_REGIONS = 15  # bars and heat-map rows shown before the rest fold into "others"
SMALL_MULTIPLES = 9
OTHERS = metrics.OTHERS  # the region code of the "others" row; metrics.top_regions says which regions it holds


@dataclass(frozen=True, eq=False)
class Selection:
    """The libraries and cycles the filters select, and the level the pages break them down by."""

    ds: Dataset
    filters: Filters
    libraries: pd.DataFrame
    first_seq: int
    last_seq: int

    @property
    def level(self) -> str:
        """'province' (all Indonesia), 'district' (a province chosen) or 'library' (a district chosen)."""
        if self.filters.district:
            return "library"
        return "district" if self.filters.province else "province"

    @cached_property
    def mask(self) -> np.ndarray:
        """Selected libraries as a boolean array indexed by library id."""
        return self.ds.library_mask(self.libraries["id"])

    def rows(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The rows of a big frame (with ``library_id``) that belong to the selected libraries."""
        ids = frame["library_id"].to_numpy()
        if ids.dtype.kind not in "iu":  # an empty frame read without rows has no integer type
            ids = ids.astype(np.int64)
        return frame[self.mask[ids]]

    @cached_property
    def region_array(self) -> tuple[np.ndarray, list[str]]:
        """Region per library id at this level, as category codes (-1 outside the selection) and categories."""
        categories = sorted(self.region_of.unique())
        code_of = {c: i for i, c in enumerate(categories)}
        out = np.full(self.ds.max_library_id + 1, -1, dtype=np.int32)
        out[self.region_of.index.to_numpy()] = [code_of[c] for c in self.region_of.to_numpy()]
        return out, categories

    def with_region(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame`` with a ``region`` column: categorical, so grouping by it works on integer codes."""
        codes, categories = self.region_array
        region = pd.Categorical.from_codes(codes[frame["library_id"].to_numpy()], categories=categories)
        return frame.assign(region=region)

    @cached_property
    def region_of(self) -> pd.Series:
        """library_id -> the code of its region at this level (library id as text at library level)."""
        libs = self.libraries.set_index("id")
        if self.level == "province":
            return libs["province_code"]
        if self.level == "district":
            return libs["district_code"]
        return pd.Series(libs.index.astype(str), index=libs.index)

    @cached_property
    def region_names(self) -> dict[str, str]:
        if self.level == "province":
            names = dict(zip(self.ds.provinces["code"], self.ds.provinces["name"]))
        elif self.level == "district":
            names = dict(zip(self.ds.districts["code"], self.ds.districts["name"]))
        else:
            names = dict(zip(self.libraries["id"].astype(str), self.libraries["name"]))
        return names

    @cached_property
    def activity(self) -> pd.DataFrame:
        a = self.ds.activity
        out = a[a["seq"].between(self.first_seq, self.last_seq).to_numpy() & self.mask[a["library_id"].to_numpy()]]
        return self.with_region(out)

    @cached_property
    def values(self) -> pd.DataFrame:
        """Report values of the chosen indicator for the selected libraries and cycles."""
        v = self.ds.indicator_values_between(self.filters.indicator, self.first_seq, self.last_seq)
        return self.with_region(self.rows(v))

    def values_of_cycle(self, seq: int) -> pd.DataFrame:
        """Report values of every indicator for the selected libraries in one cycle."""
        return self.rows(self.ds.values_between(seq, seq))

    def rates(self, measure: str, by: tuple[str, ...]) -> pd.DataFrame:
        """``metrics.participation_rate`` (``measure`` "participation") or ``reporting_rate`` ("reporting") of
        the selection's activity grouped ``by``: computed once per selection, as a page's chart, its table and
        its CSV all start from the same rates. Shared: callers derive new frames from it, never change it."""
        memo = self.__dict__.setdefault("_rates", {})
        key = (measure, tuple(by))
        if key not in memo:
            rate = metrics.participation_rate if measure == "participation" else metrics.reporting_rate
            memo[key] = rate(self.activity, list(by))
        return memo[key]

    def with_filters(self, f: Filters) -> Selection:
        """The same selection shown with other non-selecting filters (language, library, compare)."""
        if f == self.filters:
            return self
        clone = Selection(self.ds, f, self.libraries, self.first_seq, self.last_seq)
        for name in ("mask", "region_array", "region_of", "region_names", "activity", "values", "_rates"):
            if name in self.__dict__:
                clone.__dict__[name] = self.__dict__[name]  # computed frames are shared, never changed
        return clone

    def cycle(self, seq: int) -> str:
        return self.ds.cycle_of.get(seq, str(seq))

    @property
    def indicator(self) -> pd.Series:
        return self.ds.indicator_rows[self.filters.indicator]

    @property
    def empty(self) -> bool:
        return self.activity.empty

    @property
    def seqs(self) -> range:
        """Every cycle of the range, in time order (per-cycle outputs list each, NaN where no data)."""
        return range(self.first_seq, self.last_seq + 1)

    @cached_property
    def region_sizes(self) -> pd.Series:
        """Active library-cycles in the range per region: what regions are ranked by before folding."""
        return self.activity.groupby("region", observed=True).size()

    def kept_regions(self, top: int | None) -> list[str]:
        """The regions shown on their own (largest first; ties by region code), ``metrics.top_regions``."""
        return metrics.top_regions(self.region_sizes, top)


def select(ds: Dataset, f: Filters) -> Selection:
    libs = metrics.filter_libraries(ds.libraries, f.province, f.district, f.tier, f.cohort)
    first, last = cycle_bounds(f, ds.choices)
    return Selection(ds, f, libs, ds.seq_of[first], ds.seq_of[last])


def _with_names(frame: pd.DataFrame, sel: Selection, others: str) -> pd.DataFrame:
    names = {**sel.region_names, OTHERS: others}
    region = frame["region"].astype(object)
    return frame.assign(name=region.map(names).fillna(region))


def _mark_few(frame: pd.DataFrame, n: str = "denominator") -> pd.DataFrame:
    """``few``: the value rests on fewer than ``metrics.MIN_LIBRARIES`` libraries (the page marks it)."""
    return frame.assign(few=frame[n].fillna(0).to_numpy() < metrics.MIN_LIBRARIES)


def folded_regions(sel: Selection, top: int | None = TOP_REGIONS, by: str = "active") -> pd.DataFrame:
    """The regions an "others" row holds at ``top`` (none when every region is shown): ``region, name,
    size``, largest first (ties by region code), for the page's "open others" list. ``by`` is what the view
    ranks regions by: 'active' (active library-cycles in the range: bars, heat maps) or 'reporting' (reporting
    libraries: the impact lines, ``indicator_by_region``). ``active`` repeats ``size`` for 'active'."""
    if by == "reporting":
        sizes = sel.values.groupby("region", observed=True)["library_id"].nunique()
    else:
        sizes = sel.region_sizes
    kept = set(metrics.top_regions(sizes, top))
    out = pd.DataFrame({"region": sizes.index.astype(str), "size": sizes.to_numpy()})
    out = out[~out["region"].isin(kept)].sort_values(["size", "region"], ascending=[False, True])
    if by != "reporting":
        out["active"] = out["size"]
    return _with_names(out, sel, "").reset_index(drop=True)


COUNTS = ("numerator", "denominator", "active", "on_time", "date_unknown", "libraries")  # 0 where no rows


def _every_cycle(frame: pd.DataFrame, sel: Selection, key: str) -> pd.DataFrame:
    """``frame`` (one row per ``key`` value and cycle, numeric columns) with a row for every ``key`` value
    and every cycle of the range: key by key in the frame's order, each in time order. Counts of added rows
    are 0, other values NaN; ``regions`` (constant per key) is carried over. Built by array positions, not
    by joins."""
    seqs = np.arange(sel.first_seq, sel.last_seq + 1)
    n = len(seqs)
    frame = frame[frame["seq"].between(sel.first_seq, sel.last_seq).to_numpy()]
    keys, group = pd.factorize(frame[key].astype(str).to_numpy(dtype=object), sort=False)
    pos = keys * n + (frame["seq"].to_numpy(dtype=np.int64) - sel.first_seq)
    out = {key: np.repeat(np.asarray(group, dtype=object), n), "seq": np.tile(seqs, len(group))}
    for column in frame.columns:
        if column in (key, "seq"):
            continue
        values = frame[column].to_numpy()
        if column == "regions":
            per_key = np.ones(len(group), dtype=np.int64)
            per_key[keys] = values
            out[column] = np.repeat(per_key, n)
            continue
        count = column in COUNTS
        filled = np.zeros(len(group) * n, dtype=np.int64) if count else np.full(len(group) * n, np.nan)
        filled[pos] = values
        out[column] = filled
    out = pd.DataFrame(out)
    out["cycle"] = out["seq"].map(sel.cycle)
    return out


# --- overview ---


def overview_headline(sel: Selection) -> tuple[dict, dict | None]:
    """Headline numbers of the range's last cycle and of the cycle before (None when there is none)."""
    a = sel.ds.activity
    act = sel.rows(a[a["seq"].between(sel.last_seq - 1, sel.last_seq).to_numpy()])
    vals = sel.rows(sel.ds.values_between(sel.last_seq - 1, sel.last_seq))
    visits = sel.rows(sel.ds.visits)["seq"]
    now = metrics.headline(act, vals, visits, sel.last_seq)
    before = metrics.headline(act, vals, visits, sel.last_seq - 1) if sel.last_seq - 1 in sel.ds.cycle_of else None
    return now, before


def trend(sel: Selection) -> pd.DataFrame:
    """Participation and reporting rate per cycle of the range (every cycle, in time order), with their
    counts: ``attended`` / ``plm_held`` (active libraries with a PLM held; 0 with ``active`` > 0 = "no PLM
    held"), ``reported`` / ``active``, ``on_time`` / ``reported``, ``date_unknown`` reports."""
    part = sel.rates("participation", ("seq",)).set_index("seq")
    rep = sel.rates("reporting", ("seq",)).set_index("seq")
    seqs = pd.Index(list(sel.seqs), name="seq")
    out = pd.DataFrame(
        {
            "participation": part["rate"].reindex(seqs),
            "reporting": rep["rate"].reindex(seqs),
            "timeliness": rep["timeliness"].reindex(seqs),
            "active": part["active"].reindex(seqs, fill_value=0),
            "attended": part["numerator"].reindex(seqs, fill_value=0),
            "plm_held": part["denominator"].reindex(seqs, fill_value=0),
            "reported": rep["numerator"].reindex(seqs, fill_value=0),
            "on_time": rep["on_time"].reindex(seqs, fill_value=0),
            "date_unknown": rep["date_unknown"].reindex(seqs, fill_value=0),
        }
    ).reset_index()
    out["cycle"] = out["seq"].map(sel.cycle)
    return out


MAP_MEASURES = ("participation", "reporting", "indicator")


def province_measure(ds: Dataset, f: Filters, measure: str) -> pd.DataFrame:
    """One value per province for the map, in the range's last cycle: participation rate, reporting rate, or
    the chosen indicator's median per reporting library. The map always shows every province with data
    (province and district filters do not apply to it; tier and cohort do)."""
    sel = select(ds, f.with_(province=None, district=None))
    a = sel.activity[sel.activity["seq"] == sel.last_seq]
    if measure == "indicator":
        v = sel.values[sel.values["seq"] == sel.last_seq]
        out = v.groupby("region", observed=True)["value"].agg(value="median", denominator="count").reset_index()
        out["numerator"] = np.nan  # a median has no numerator; ``denominator`` counts the reporting libraries
    else:
        rate = metrics.participation_rate if measure == "participation" else metrics.reporting_rate
        out = rate(a, ["region"])[["region", "numerator", "denominator", "rate"]].rename(columns={"rate": "value"})
    out["region"] = out["region"].astype(str)
    out = out.rename(columns={"region": "code"}).merge(ds.provinces, on="code")
    return _mark_few(out[["code", "name", "lat", "lon", "value", "numerator", "denominator"]])


def district_bubbles(sel: Selection) -> pd.DataFrame:
    """Active libraries per district in the last cycle, at the district capital."""
    a = sel.activity[sel.activity["seq"] == sel.last_seq]
    counts = pd.Series(sel.ds.lookup("district_code")[a["library_id"].to_numpy()]).value_counts()
    counts = counts.rename("size").reset_index()
    counts.columns = ["code", "size"]
    out = counts.merge(sel.ds.districts, on="code")
    out["label"] = out["name"] + ": " + out["size"].astype(str)
    return out[["code", "lat", "lon", "size", "label"]]


def risers_fallers(sel: Selection) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """Regions whose participation rate rose or fell most into the last cycle. At district level the
    comparison is among the districts of the same province (a district officer sees their neighbours)."""
    if sel.level == "library":
        sel = select(sel.ds, sel.filters.with_(district=None))
    # The cycle before the range's last one, whatever the range (as the headline): from the full activity.
    a = sel.ds.activity_between(sel.last_seq - 1, sel.last_seq)
    rates = metrics.participation_rate(sel.with_region(sel.rows(a)), ["region", "seq"])
    up, down = metrics.risers_and_fallers(rates, "region", sel.last_seq)
    return _with_names(up, sel, ""), _with_names(down, sel, ""), sel.level


# --- participation ---


def participation_by_region(sel: Selection, top: int | None = TOP_REGIONS) -> pd.DataFrame:
    """Attendance rate over the whole range per region: library-cycles attended / active library-cycles in
    which a PLM was held (``numerator`` / ``denominator``; ``active`` all active library-cycles). The ``top``
    largest regions, the rest folded into one "others" row (``regions`` = how many it holds; None = every
    region). ``libraries``: distinct libraries the rate rests on; ``few`` when below ``MIN_LIBRARIES``."""
    out = metrics.region_series(sel.rates("participation", ("region",)), "region", top)
    out["libraries"] = _libraries_per_row(sel, out["region"], top)
    return _mark_few(_with_names(out, sel, "others"), "libraries")


def _libraries_per_row(sel: Selection, regions: pd.Series, top: int | None) -> np.ndarray:
    """Distinct active libraries with a PLM held in the range, per region of ``regions`` (OTHERS = the
    folded ones together). Counted over library ids with arrays (no hashing of the big frame)."""
    a = sel.activity
    ids = (
        a["library_id"].to_numpy()[a["plm_held"].to_numpy(dtype=bool)]
        if "plm_held" in a
        else a["library_id"].to_numpy()
    )
    seen = np.zeros(sel.ds.max_library_id + 1, dtype=bool)
    seen[ids] = True
    codes, categories = sel.region_array
    per_region = np.bincount(codes[np.flatnonzero(seen)], minlength=len(categories))
    counts = dict(zip(map(str, categories), per_region.tolist()))
    kept = set(sel.kept_regions(top))
    others = sum(n for r, n in counts.items() if r not in kept)
    return np.array([others if r == OTHERS else counts.get(str(r), 0) for r in regions], dtype=np.int64)


def participation_cells(sel: Selection, top: int | None = TOP_REGIONS) -> pd.DataFrame:
    """Region x cycle attendance rates in long form: ``region, name, seq, cycle, numerator, denominator,
    active, rate, regions, few``, every cycle of the range for every region (NaN rate where no PLM was held or
    no library was active), largest regions first, "others" last."""
    rates = metrics.region_series(sel.rates("participation", ("region", "seq")), "region", top)
    return _mark_few(_with_names(_every_cycle(rates, sel, "region"), sel, "others"))


def _matrix(cells: pd.DataFrame, value: str, others: str) -> pd.DataFrame:
    """Long cells (a full region x cycle grid, region by region in time order: ``_every_cycle``) as a name x
    cycle matrix in the cells' order, every cycle a column."""
    names = cells["name"].to_numpy()
    cycles = list(dict.fromkeys(cells["cycle"]))
    rows = names[:: max(len(cycles), 1)]
    index = pd.Index([others if (n == "others" and others) else n for n in rows], name="name")
    data = cells[value].to_numpy(dtype=float).reshape(len(rows), len(cycles))
    return pd.DataFrame(data, index=index, columns=pd.Index(cycles, name="cycle"))


def participation_heatmap(sel: Selection, others: str, top: int | None = TOP_REGIONS) -> pd.DataFrame:
    """Region x cycle attendance rates (largest regions first, the rest folded into one row named
    ``others``); every cycle of the range is a column. ``participation_cells`` has the counts behind each
    cell."""
    return _matrix(participation_cells(sel, top), "rate", others)


def participation_by_tier(sel: Selection) -> pd.DataFrame:
    """Attendance rate per tier and cycle (every cycle of the range for every tier present)."""
    tiers = sel.ds.libraries["tier"]  # categorical: grouped on its integer codes, no string per row
    code_of = np.full(sel.ds.max_library_id + 1, -1, dtype=np.int8)
    code_of[sel.ds.libraries["id"].to_numpy()] = tiers.cat.codes.to_numpy()
    tier = pd.Categorical.from_codes(code_of[sel.activity["library_id"].to_numpy()], dtype=tiers.dtype)
    out = metrics.participation_rate(sel.activity.assign(tier=tier), ["tier", "seq"])
    out["tier"] = out["tier"].astype(str)
    return _every_cycle(out, sel, "tier")


def attendees_by_gender(sel: Selection) -> pd.DataFrame:
    g = sel.activity.groupby("seq")[["attendees", "attendees_female"]].sum()
    g = g.reindex(pd.Index(list(sel.seqs), name="seq"), fill_value=0).reset_index()
    g["attendees_male"] = g["attendees"] - g["attendees_female"]
    g["female_share"] = g["attendees_female"] / g["attendees"].where(g["attendees"] > 0)
    g["cycle"] = g["seq"].map(sel.cycle)
    return g


def continuity(sel: Selection) -> pd.DataFrame:
    """Per library: streaks, never attended, at risk; at-risk libraries first."""
    s = sel.rows(sel.ds.streaks(sel.first_seq, sel.last_seq))
    libs = sel.libraries.set_index("id")
    districts = sel.ds.districts.set_index("code")["name"]
    s["name"] = s["library_id"].map(libs["name"])
    s["district"] = s["library_id"].map(libs["district_code"]).map(districts)
    s["tier"] = s["library_id"].map(libs["tier"]).astype(str)
    s["last_cycle"] = s["last_seq"].map(sel.cycle)
    return s.sort_values(
        ["at_risk", "never_attended", "current_streak", "name"], ascending=[False, False, True, True]
    ).reset_index(drop=True)


def meetings_of_cycle(sel: Selection, meetings: pd.DataFrame) -> pd.DataFrame:
    """The PLMs of the range's last cycle in the selected region (national PLMs always), with attendance by
    tier. ``meetings`` is ``queries.meeting_attendance_by_tier`` for that cycle."""
    f = sel.filters
    m = meetings
    if f.district:
        keep = (m["level"] == "nasional") | (m["region_code"] == f.district) | (m["region_code"] == f.province)
    elif f.province:
        keep = (
            (m["level"] == "nasional")
            | (m["region_code"] == f.province)
            | m["region_code"].str.startswith(f.province + ".")
        )
    else:
        keep = pd.Series(True, index=m.index)
    return m[keep].reset_index(drop=True)


# --- impact ---


def indicator_by_region(sel: Selection, top: int | None = SMALL_MULTIPLES) -> pd.DataFrame:
    """Median value per reporting library, per region and cycle (regions of different size compare fairly):
    the ``top`` regions with most reporting libraries (ties by region code), the rest pooled into one
    "others" series (the median over all their libraries' values; ``regions`` = how many it holds; None =
    every region). Every cycle of the range for every region, NaN where none reported; ``libraries`` = the
    reporting libraries each median rests on, ``few`` when below ``MIN_LIBRARIES``."""
    v = sel.values
    sizes = v.groupby("region", observed=True)["library_id"].nunique()
    keep = metrics.top_regions(sizes, top)
    rank = {r: i for i, r in enumerate(keep)}
    # Regrouped on the category codes (never a string per value: these frames are big).
    categories = v["region"].cat.categories
    new_code = np.array([rank.get(str(c), len(keep)) for c in categories] + [len(keep)], dtype=np.int64)
    region = pd.Categorical.from_codes(new_code[v["region"].cat.codes.to_numpy()], categories=[*keep, OTHERS])
    v = pd.DataFrame({"region": region, "seq": v["seq"].to_numpy(), "value": v["value"].to_numpy()})
    out = v.groupby(["region", "seq"], observed=True)["value"].agg(value="median", libraries="count").reset_index()
    out["region"] = out["region"].astype(str)
    out["regions"] = np.where(out["region"] == OTHERS, len(sizes) - len(keep), 1)
    out = _every_cycle(out, sel, "region")
    out["libraries"] = out["libraries"].fillna(0).astype(np.int64)
    order = out["region"].map(rank).fillna(len(rank))
    out = out.assign(_o=order).sort_values(["_o", "seq"], kind="stable").drop(columns="_o").reset_index(drop=True)
    return _mark_few(_with_names(out, sel, "others"), "libraries")


def indicator_distribution(sel: Selection) -> pd.Series:
    """The chosen indicator across libraries in the range's last cycle."""
    v = sel.values
    return v.loc[v["seq"] == sel.last_seq, "value"]


def change_since_joining(sel: Selection) -> pd.DataFrame:
    """Each selected library's change from its first report to its last one up to the range's end."""
    return sel.rows(sel.ds.change_since_joining(sel.filters.indicator, sel.last_seq))


def _cohort_order(cohort: str) -> tuple:
    """Cohorts in the order they joined: by the year their code ends with ("pilot_2011" before
    "ekspansi_2016"), then by code; a code without a year last."""
    wave, _, year = str(cohort).rpartition("_")
    return (0, int(year), cohort) if year.isdigit() else (1, 0, str(cohort))


def change_by_cohort(sel: Selection) -> pd.DataFrame:
    """Change since joining of the chosen indicator per cohort, side by side (docs/metrics.md, "Change since
    joining"): ``cohort``, ``libraries`` (selected libraries of the cohort with a defined change %),
    ``median_change_pct``, ``q1``/``q3`` (the middle half of their change %) and ``median_change`` (in the
    indicator's unit), one row per cohort with such a library, oldest cohort first. The cohort filter narrows
    it like every other filter (one row then); libraries without a cohort are left out."""
    change = change_since_joining(sel)
    cohorts = change["library_id"].map(sel.ds.libraries.set_index("id")["cohort"])
    frame = pd.DataFrame(
        {
            "cohort": cohorts.to_numpy(),
            "change": change["change"].to_numpy(),
            "change_pct": change["change_pct"].to_numpy(),
        }
    )
    frame = frame[frame["cohort"].notna() & frame["change_pct"].notna()]
    columns = ["cohort", "libraries", "median_change_pct", "q1", "q3", "median_change"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    by = frame.groupby(frame["cohort"].astype(str))
    out = pd.DataFrame(
        {
            "libraries": by.size(),
            "median_change_pct": by["change_pct"].median(),
            "q1": by["change_pct"].quantile(0.25),
            "q3": by["change_pct"].quantile(0.75),
            "median_change": by["change"].median(),
        }
    ).reset_index(names="cohort")
    out = out.iloc[sorted(range(len(out)), key=lambda i: _cohort_order(out["cohort"].iloc[i]))]
    out["libraries"] = out["libraries"].astype(np.int64)
    return out[columns].reset_index(drop=True)


def scorecard(sel: Selection) -> pd.DataFrame:
    """Every region x strategy in the range's last cycle (a table: no region is left out), largest region
    first (active libraries in that cycle, ties by region code). ``indicators`` of ``indicators_total`` are
    rated in each cell; ``libraries`` = the region's active libraries in the cycle."""
    out = metrics.scorecard(sel.with_region(sel.values_of_cycle(sel.last_seq)), sel.ds.indicators, sel.last_seq)
    sizes = sel.activity[sel.activity["seq"] == sel.last_seq].groupby("region", observed=True).size()
    keep = metrics.top_regions(sizes, None)
    rank = {r: i for i, r in enumerate(keep)}
    out["region"] = out["region"].astype(str)
    out = out.assign(
        order=out["region"].map(rank).fillna(len(rank)),
        libraries=out["region"].map(sizes.rename(index=str)).fillna(0).astype(np.int64),
    )
    out = out.sort_values(["order", "region", "strategy"]).drop(columns="order").reset_index(drop=True)
    return _with_names(out, sel, "")


def attendance_vs_improvement(sel: Selection) -> pd.DataFrame:
    return metrics.attendance_vs_improvement(sel.activity, change_since_joining(sel))


# --- compare ---


def entity_libraries(ds: Dataset, kind: str, code: str) -> pd.DataFrame:
    libs = ds.libraries
    if kind == "province":
        return libs[libs["province_code"] == code]
    if kind == "district":
        return libs[libs["district_code"] == code]
    return libs[libs["id"] == int(code)]


def compare(ds: Dataset, f: Filters, kind: str, codes: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Side-by-side numbers (last cycle, change from the cycle before and from the same term a year before)
    and the per-cycle series of 2–6 provinces, districts or libraries.

    Each row also has ``libraries`` (its program libraries after the tier/cohort filters) and ``first_cycle``
    (its first cycle in the range with an active library, None if none); each entity's series starts at that
    cycle, not at the range start."""
    rows, series = [], []
    first, last = cycle_bounds(f, ds.choices)
    s0, s1 = ds.seq_of[first], ds.seq_of[last]
    # The range (and a year before it for the year-over-year change) sliced once; each entity masks it.
    all_act = ds.activity_between(s0 - 3, s1)
    all_vals = ds.indicator_values_between(f.indicator, s0 - 3, s1)
    for code in codes:
        libs = entity_libraries(ds, kind, code)
        libs = metrics.filter_libraries(libs, tier=f.tier, cohort=f.cohort)
        mask = ds.library_mask(libs["id"])
        act = all_act[mask[all_act["library_id"].to_numpy()]]
        vals = all_vals[mask[all_vals["library_id"].to_numpy()]]
        part = metrics.participation_rate(act, ["seq"]).set_index("seq")
        rep = metrics.reporting_rate(act, ["seq"]).set_index("seq")
        med = vals.groupby("seq")["value"].agg(["median", "count"])
        per_cycle = pd.DataFrame(
            {
                "participation": part["rate"],
                "reporting": rep["rate"],
                "indicator": med["median"],
                "attended": part["numerator"],
                "plm_held": part["denominator"],
                "active": part["active"],
                "reported": rep["numerator"],
                "libraries_reporting": med["count"],
            }
        )
        per_cycle = per_cycle.reindex(range(s0 - 3, s1 + 1))
        active_seqs = per_cycle.index[per_cycle["active"].fillna(0).gt(0) & (per_cycle.index >= s0)]
        start = int(active_seqs.min()) if len(active_seqs) else None  # its first active cycle in the range
        row = {"code": code, "libraries": len(libs), "first_cycle": ds.cycle_of[start] if start is not None else None}
        for m in ("participation", "reporting", "indicator"):
            now = per_cycle[m].get(s1)
            row[m] = now
            row[f"{m}_prev"] = now - per_cycle[m].get(s1 - 1) if s1 - 1 in per_cycle.index else np.nan
            row[f"{m}_yoy"] = now - per_cycle[m].get(s1 - 3) if s1 - 3 in per_cycle.index else np.nan
        for n in ("active", "attended", "plm_held", "reported", "libraries_reporting"):
            row[n] = int(np.nan_to_num(per_cycle[n].get(s1, 0)))
        rows.append(row)
        # Every cycle from its first active one (or the range start, whichever is later), NaN where no data;
        # nothing when it has no active library in the range.
        s = (per_cycle.loc[start:s1] if start is not None else per_cycle.iloc[:0]).reset_index(names="seq")
        s["code"] = code
        s["cycle"] = s["seq"].map(ds.cycle_of)
        series.append(s)
    return pd.DataFrame(rows), pd.concat(series, ignore_index=True) if series else pd.DataFrame()


# --- library profile ---

MAX_LIBRARY_OPTIONS = 300


def search_libraries(libraries: pd.DataFrame, query: str, keep: int | None = None) -> pd.DataFrame:
    """At most ``MAX_LIBRARY_OPTIONS`` libraries whose name or village contains ``query`` (any case), by name;
    the library ``keep`` (the one shown) stays first when it is among ``libraries``."""
    text = (libraries["name"] + " " + libraries["village"].fillna("").astype(str)).str.casefold()
    found = libraries[text.str.contains(query.casefold().strip(), regex=False)] if query else libraries
    found = found.sort_values("name").head(MAX_LIBRARY_OPTIONS)
    if keep is not None and keep not in set(found["id"]):
        found = pd.concat([libraries[libraries["id"] == keep], found]).head(MAX_LIBRARY_OPTIONS)
    return found


def library_profile(ds: Dataset, f: Filters, library_id: int) -> dict:
    """One library: who it is, its attendance per cycle, its chosen indicator against its district's median,
    every indicator in its last reported cycle against the district median and the target, and report
    completeness over its active cycles."""
    libs = ds.libraries.set_index("id")
    lib = libs.loc[library_id]
    act = ds.activity[ds.activity["library_id"] == library_id]
    peers = libs.index[libs["district_code"] == lib["district_code"]]
    v = ds.values[ds.values["library_id"].isin(peers)]
    mine = v[v["library_id"] == library_id]
    chosen = v[v["indicator"] == f.indicator]
    district_median = chosen.groupby("seq")["value"].median().rename("district_median")
    own = mine[mine["indicator"] == f.indicator].set_index("seq")["value"].rename("library")
    last_active = int(act["seq"].max()) if len(act) else int(lib["joined_seq"])
    # Every active cycle of the library in time order: a cycle without a value is a gap, not skipped.
    series = pd.concat([own, district_median], axis=1).reindex(range(int(lib["joined_seq"]), last_active + 1))
    series = series.reset_index(names="seq")
    series["cycle"] = series["seq"].map(ds.cycle_of)
    last_seq = int(mine["seq"].max()) if len(mine) else None
    table = pd.DataFrame()
    if last_seq is not None:
        now = v[v["seq"] == last_seq]
        med = now.groupby("indicator", observed=True)["value"].median()
        own_now = now[now["library_id"] == library_id].set_index("indicator")["value"]
        ind = ds.indicators.set_index("code")
        table = ind[["name_id", "name_en", "unit", "strategy", "target", "higher_is_better"]].copy()
        table["value"] = own_now.reindex(table.index).to_numpy()
        table["district_median"] = med.reindex(table.index).to_numpy()
        table["status"] = metrics.traffic_light(
            metrics.target_ratio(table["value"], table["target"], table["higher_is_better"])
        )
        table = table.reset_index(names="code")
    timeline = act[
        ["seq", "attended", "meetings", "attendees", "plm_held", "reported", "on_time", "date_unknown"]
    ].copy()
    timeline["cycle"] = timeline["seq"].map(ds.cycle_of)
    return {
        "library": lib,
        "district": ds.districts.set_index("code").loc[lib["district_code"], "name"],
        "province": ds.provinces.set_index("code").loc[lib["province_code"], "name"],
        "timeline": timeline,
        "series": series,
        "indicators": table,
        "last_cycle": ds.cycle_of.get(last_seq) if last_seq is not None else None,
        "completeness": act["reported"].mean() if len(act) else float("nan"),
        "timeliness": act.loc[act["reported"], "on_time"].mean() if act["reported"].any() else float("nan"),
        "cycles_active": len(act),
        "cycles_attended": int(act["attended"].sum()),
        "cycles_plm_held": int(act["plm_held"].sum()),  # the attendance denominator (no-PLM cycles left out)
        "attendance_rate": act["attended"].sum() / act["plm_held"].sum() if act["plm_held"].any() else float("nan"),
    }


# --- data quality ---


def reporting_cells(sel: Selection, top: int | None = TOP_REGIONS) -> pd.DataFrame:
    """Region x cycle reporting in long form: ``region, name, seq, cycle, numerator`` (reported),
    ``denominator`` (active), ``rate``, ``on_time``, ``date_unknown``, ``timeliness``, ``regions``, ``few``;
    every cycle of the range for every region, the ``top`` largest then "others" (None = every region)."""
    rep = metrics.region_series(sel.rates("reporting", ("region", "seq")), "region", top)
    return _mark_few(_with_names(_every_cycle(rep, sel, "region"), sel, "others"))


def reporting_matrix(sel: Selection, measure: str, others: str, top: int | None = TOP_REGIONS) -> pd.DataFrame:
    """Region x cycle reporting rate ('rate') or timeliness ('timeliness'): the ``top`` largest regions and
    one "others" row named ``others`` holding the rest; every cycle of the range is a column."""
    return _matrix(reporting_cells(sel, top), measure, others)


def undated_reports(sel: Selection) -> pd.DataFrame:
    """Reports in the range none of whose values has a submission date ("date unknown": counted as reported,
    not on time): ``library_id, name, district, seq, cycle``, newest cycle first."""
    a = sel.activity
    a = a[a["date_unknown"].to_numpy()] if "date_unknown" in a else a.iloc[:0]
    libs = sel.libraries.set_index("id")
    out = pd.DataFrame({"library_id": a["library_id"].to_numpy(), "seq": a["seq"].to_numpy()})
    out["name"] = out["library_id"].map(libs["name"])
    out["district"] = out["library_id"].map(libs["district_code"]).map(sel.ds.districts.set_index("code")["name"])
    out["cycle"] = out["seq"].map(sel.cycle)
    out = out.sort_values(["seq", "name", "library_id"], ascending=[False, True, True]).reset_index(drop=True)
    return out[["library_id", "name", "district", "seq", "cycle"]]


def missing_reports(sel: Selection) -> pd.DataFrame:
    """Active libraries without a report for the range's last cycle, with how many of their cycles in the
    range are missing."""
    a = sel.activity
    missing = a[~a["reported"]].groupby("library_id").size().rename("missing_cycles")
    last = a[(a["seq"] == sel.last_seq) & ~a["reported"]]["library_id"]
    libs = sel.libraries.set_index("id")
    out = pd.DataFrame({"library_id": last.to_numpy()})
    out["name"] = out["library_id"].map(libs["name"])
    out["district"] = out["library_id"].map(libs["district_code"]).map(sel.ds.districts.set_index("code")["name"])
    out["tier"] = out["library_id"].map(libs["tier"]).astype(str)
    out["missing_cycles"] = out["library_id"].map(missing).fillna(0).astype(int)
    out["active_cycles"] = out["library_id"].map(a.groupby("library_id").size()).astype(int)
    return out.sort_values(["missing_cycles", "name"], ascending=[False, True]).reset_index(drop=True)
