"""The dashboard's measures as pure pandas functions: frames in, frames out, inputs never changed.

Each measure has one definition, written down in docs/metrics.md and used everywhere:
participation rate, reporting rate and timeliness, streaks and at-risk, change since joining, the traffic
light and the scorecard, attendance versus improvement, risers and fallers, headline numbers.

Cycles are handled by their ordinal ``seq`` (consecutive cycles differ by one).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# The traffic light: value / target (target / value when lower is better).
GREEN_AT = 1.0
YELLOW_AT = 0.75
RATIO_CAP = 1.5  # one indicator far above target cannot hide the others in a strategy's mean
ATTENDANCE_BINS = (0, 1, 4, 7, 10)  # PLMs attended: 0 | 1-3 | 4-6 | 7-9 | 10+
MIN_ACTIVE_FOR_RANKING = 5  # regions with fewer active libraries are left out of risers and fallers
MIN_LIBRARIES = 5  # a region's rate resting on fewer libraries than this is marked (one library swings it)
OTHERS = "__others__"  # the region code of the row the smaller regions fold into


def activity(
    libraries: pd.DataFrame,
    last_seq: int,
    attendance: pd.DataFrame,
    submissions: pd.DataFrame,
    meetings: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per library and cycle in which it is active, with what it did that cycle.

    A library is active from ``joined_seq`` to ``left_seq`` inclusive (to ``last_seq`` when it has not
    left). ``attendance`` has ``library_id, seq, meetings, attendees, attendees_female, presented, lapak``;
    ``submissions`` has ``library_id, seq, on_time`` and optionally ``date_unknown`` (a report whose values
    all lack a date: reported, not on time). Activity outside a library's active cycles is ignored.

    ``plm_held`` is True when a PLM the library could attend was held in the cycle (one of its district,
    its province or a national one; see ``plm_held``), or when it attended one anyway. Without ``meetings``
    every cycle counts as one with a PLM.

    >>> libs = pd.DataFrame({"id": [1], "joined_seq": [10], "left_seq": [None]})
    >>> att = pd.DataFrame({"library_id": [1], "seq": [11], "meetings": [1], "attendees": [2],
    ...                     "attendees_female": [1], "presented": [0], "lapak": [0]})
    >>> sub = pd.DataFrame({"library_id": [1], "seq": [10], "on_time": [1]})
    >>> activity(libs, 11, att, sub)[["seq", "attended", "reported"]].values.tolist()
    [[10, False, True], [11, True, False]]
    """
    joined = libraries["joined_seq"].to_numpy(dtype=np.int64)
    left = libraries["left_seq"].fillna(last_seq).to_numpy(dtype=np.int64).clip(max=last_seq)
    span = np.maximum(left - joined + 1, 0)
    ids = np.repeat(libraries["id"].to_numpy(dtype=np.int64), span)
    starts = np.repeat(joined - np.cumsum(span) + span, span)
    seq = starts + np.arange(span.sum())
    grid = pd.DataFrame({"library_id": ids, "seq": seq})
    att = attendance[["library_id", "seq", "meetings", "attendees", "attendees_female", "presented", "lapak"]]
    out = grid.merge(att, on=["library_id", "seq"], how="left")
    sub_columns = ["library_id", "seq", "on_time", *(["date_unknown"] if "date_unknown" in submissions else [])]
    out = out.merge(submissions[sub_columns], on=["library_id", "seq"], how="left")
    out["attended"] = out["meetings"].notna()
    out["reported"] = out["on_time"].notna()
    out["on_time"] = out["on_time"].fillna(0).astype(bool)
    if "date_unknown" in out:
        out["date_unknown"] = out["date_unknown"].fillna(False).astype(bool) & out["reported"]
    else:
        out["date_unknown"] = False
    out["on_time"] &= ~out["date_unknown"]
    for column in ("meetings", "attendees", "attendees_female", "presented", "lapak"):
        out[column] = out[column].fillna(0).astype(np.int64)
    if meetings is None:
        out["plm_held"] = True
    else:
        rows = np.repeat(np.arange(len(libraries)), span)  # the grid is built library by library, in order
        out["plm_held"] = plm_held(libraries, meetings, rows, seq) | out["attended"].to_numpy()
    return out


def plm_held(libraries: pd.DataFrame, meetings: pd.DataFrame, rows: np.ndarray, seq: np.ndarray) -> np.ndarray:
    """Whether a PLM the library at position ``rows`` of ``libraries`` could attend was held in cycle ``seq``.

    Such a PLM is a national one (``level`` 'nasional'), one of its province ('provinsi', ``region_code`` =
    its ``province_code``) or one of its district ('kabupaten', ``region_code`` = its ``district_code``).
    ``meetings`` has ``seq, level, region_code``. Looked up in small region x cycle tables, not by joins.

    >>> libs = pd.DataFrame({"province_code": ["34", "34"], "district_code": ["34.01", "34.02"]})
    >>> m = pd.DataFrame({"seq": [5, 6], "level": ["kabupaten", "provinsi"], "region_code": ["34.01", "34"]})
    >>> plm_held(libs, m, np.array([0, 1, 0, 1, 1]), np.array([5, 5, 6, 6, 7])).tolist()
    [True, False, True, True, False]
    """
    rows = np.asarray(rows, dtype=np.int64)
    seq = np.asarray(seq, dtype=np.int64)
    out = np.zeros(len(seq), dtype=bool)
    if not len(seq) or not len(meetings):
        return out
    m_seq = meetings["seq"].to_numpy(dtype=np.int64)
    lo = min(int(seq.min()), int(m_seq.min()))
    width = max(int(seq.max()), int(m_seq.max())) - lo + 1
    level = meetings["level"].astype(str).to_numpy()
    region = meetings["region_code"].fillna("").astype(str).to_numpy()
    national = np.zeros(width, dtype=bool)
    national[m_seq[level == "nasional"] - lo] = True
    out |= national[seq - lo]
    for column, lvl in (("province_code", "provinsi"), ("district_code", "kabupaten")):
        codes, regions = pd.factorize(libraries[column].astype(str).to_numpy())
        table = np.zeros((len(regions) + 1, width), dtype=bool)  # the last row: a region no library has
        pick = level == lvl
        where = pd.Index(regions).get_indexer(region[pick])
        table[np.where(where >= 0, where, len(regions)), m_seq[pick] - lo] = True
        lib_region = codes[rows]
        out |= np.where(lib_region >= 0, table[np.clip(lib_region, 0, None), seq - lo], False)
    return out


def filter_libraries(
    libraries: pd.DataFrame,
    province: str | None = None,
    district: str | None = None,
    tier: str | None = None,
    cohort: str | None = None,
) -> pd.DataFrame:
    """The libraries matching every given filter (None = no filter on that column)."""
    mask = pd.Series(True, index=libraries.index)
    for column, value in (("province_code", province), ("district_code", district), ("tier", tier), ("cohort", cohort)):
        if value is not None:
            mask &= libraries[column] == value
    return libraries[mask]


def _group_codes(frame: pd.DataFrame, by: list[str]) -> tuple[np.ndarray, list, list[int]]:
    """Integer codes of the ``by`` columns combined into one dense key (-1 where a key is missing), the
    sorted unique values of each column, and their counts."""
    key = np.zeros(len(frame), dtype=np.int64)
    valid = np.ones(len(frame), dtype=bool)
    uniques, sizes = [], []
    for column in by:
        values = frame[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            codes, categories = values.cat.codes.to_numpy(), values.cat.categories  # categories are sorted
        elif pd.api.types.is_integer_dtype(values.dtype) and len(values) and values.max() - values.min() < 1 << 16:
            # Small-range integers (cycle ordinals): the offset from the minimum is already a dense code.
            low = int(values.min())
            codes = values.to_numpy().astype(np.int64) - low
            categories = np.arange(low, int(values.max()) + 1, dtype=values.dtype)
        else:
            codes, categories = pd.factorize(values, sort=True)
        valid &= codes >= 0
        key = key * len(categories) + codes
        uniques.append(categories)
        sizes.append(len(categories))
    return np.where(valid, key, -1), uniques, sizes


def _counts(frame: pd.DataFrame, by: list[str], columns: tuple[str, ...]) -> pd.DataFrame:
    """Per group of ``by``: the sum of each of ``columns`` and the group's row count (``size``).

    Counted with ``np.bincount`` over combined integer codes: groups are few (regions x cycles), rows many,
    and this is several times faster than a hash-based groupby. Groups without rows are left out; rows with a
    missing key are ignored (as ``groupby`` does); groups come sorted by ``by``.
    """
    key, uniques, sizes = _group_codes(frame, by)
    keep = key >= 0
    key = key[keep]
    space = int(np.prod(sizes)) if sizes else 1
    size = np.bincount(key, minlength=space)
    present = np.flatnonzero(size)
    out = pd.DataFrame(
        {
            column: np.asarray(u)[idx]
            for column, u, idx in zip(by, uniques, np.unravel_index(present, sizes) if sizes else [])
        }
    )
    for column in by:  # keep the input's dtypes (a categorical stays categorical)
        if isinstance(frame[column].dtype, pd.CategoricalDtype):
            out[column] = pd.Categorical(out[column], categories=frame[column].cat.categories)
        else:
            out[column] = out[column].astype(frame[column].dtype)
    for column in columns:
        counts = np.bincount(key, weights=frame[column].to_numpy()[keep].astype(np.float64), minlength=space)
        out[column] = counts[present].astype(np.int64)
    out["size"] = size[present].astype(np.int64)
    return out


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator / denominator, NaN where the denominator is 0."""
    return numerator / denominator.where(denominator > 0)


def _require_plm_held(act: pd.DataFrame) -> None:
    """Attendance needs to know in which cycles a PLM was held: a frame without ``plm_held`` is a caller's
    mistake (it would silently count "no PLM held" cycles as missed)."""
    if "plm_held" not in act:
        raise ValueError("attendance needs the 'plm_held' column (metrics.activity adds it)")


def participation_rate(act: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Share of active libraries that attended at least one PLM (any level) in the cycles in which a PLM they
    could attend was held.

    Returns ``by`` columns plus ``numerator`` (library-cycles attended), ``denominator`` (active
    library-cycles in which a PLM was held: ``plm_held``), ``active`` (all active library-cycles) and
    ``rate`` = numerator / denominator, NaN when the denominator is 0. A row with ``active`` > 0 and
    ``denominator`` 0 means "no PLM held". ``act`` must have the ``plm_held`` column (``activity`` adds it):
    a frame without it is an error, never read as "every cycle had a PLM".

    >>> act = pd.DataFrame({"seq": [1, 1, 1, 2], "attended": [True, False, True, False],
    ...                     "plm_held": [True, True, True, False]})
    >>> participation_rate(act, ["seq"])[["denominator", "active", "rate"]].values.tolist()
    [[3.0, 3.0, 0.6666666666666666], [0.0, 1.0, nan]]
    """
    _require_plm_held(act)
    c = _counts(act, by, ("attended", "plm_held"))
    out = c[by].copy()
    out["numerator"] = c["attended"]
    out["denominator"] = c["plm_held"]
    out["active"] = c["size"]
    out["rate"] = _ratio(out["numerator"], out["denominator"])
    return out


def reporting_rate(act: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Share of active libraries that submitted a report for the cycle, and how many of those were on time.

    ``rate`` = reported / active (``numerator`` / ``denominator``; ``active`` = ``denominator``);
    ``timeliness`` = on time / reported (due 14 days after the cycle ends). A report without any date
    (``date_unknown``) is reported and not on time: it stays in timeliness's denominator.

    >>> act = pd.DataFrame({"seq": [1, 1, 1, 1], "reported": [True, True, True, False],
    ...                     "on_time": [True, False, True, False]})
    >>> reporting_rate(act, ["seq"])[["rate", "timeliness"]].values.tolist()
    [[0.75, 0.6666666666666666]]
    """
    unknown = "date_unknown" in act
    c = _counts(act, by, ("reported", "on_time", *(("date_unknown",) if unknown else ())))
    out = c[by].copy()
    out["numerator"] = c["reported"]
    out["denominator"] = c["size"]
    out["active"] = c["size"]
    out["rate"] = _ratio(out["numerator"], out["denominator"])
    out["on_time"] = c["on_time"]
    out["date_unknown"] = c["date_unknown"] if unknown else 0
    out["timeliness"] = _ratio(out["on_time"], out["numerator"])
    return out


def streaks(act: pd.DataFrame, last_seq: int) -> pd.DataFrame:
    """Continuity per library over the cycles in ``act`` (already limited to the chosen range).

    Only cycles in which a PLM the library could attend was held count (``plm_held``, required): a "no PLM held"
    cycle neither breaks nor extends a streak. Columns:
    ``cycles_active`` (active cycles with a PLM held), ``cycles_attended``, ``cycles_no_plm`` (active cycles
    without one), ``current_streak`` (consecutive attended cycles up to the library's last cycle with a PLM
    held), ``longest_streak``, ``never_attended`` (had at least one cycle with a PLM held and attended none),
    ``at_risk`` (active in the range's last cycle and missed its last two cycles with a PLM held) and
    ``last_seq`` (its last active cycle in the range). Every library of ``act`` has a row.

    >>> act = pd.DataFrame({"library_id": [1, 1, 1, 1, 2, 2, 2], "seq": [1, 2, 3, 4, 2, 3, 4],
    ...                     "attended": [True, True, False, False, True, True, True], "plm_held": True})
    >>> streaks(act, 4)[["library_id", "current_streak", "longest_streak", "at_risk"]].values.tolist()
    [[1, 0, 2, True], [2, 3, 3, False]]
    """
    everyone = act[["library_id", "seq"]].groupby("library_id", sort=True)
    last_active = everyone["seq"].max()
    _require_plm_held(act)
    held_all = act["plm_held"].to_numpy(dtype=bool)
    a = act.loc[held_all, ["library_id", "seq", "attended"]].sort_values(["library_id", "seq"])
    lib = a["library_id"].to_numpy()
    att = a["attended"].to_numpy(dtype=bool)
    new_lib = np.r_[True, lib[1:] != lib[:-1]] if len(lib) else np.array([], dtype=bool)
    # Run ids change at every library start and every change of attended/missed.
    run_start = new_lib | np.r_[True, att[1:] != att[:-1]] if len(lib) else new_lib
    run_id = np.cumsum(run_start)
    run_len = np.bincount(run_id)[run_id] if len(lib) else run_id
    frame = pd.DataFrame(
        {"library_id": lib, "seq": a["seq"].to_numpy(), "attended": att, "run": run_id, "run_len": run_len}
    )
    g = frame.groupby("library_id", sort=True)
    last = g.tail(1).set_index("library_id")
    index = last_active.index
    out = pd.DataFrame(
        {
            "cycles_active": g.size().reindex(index, fill_value=0),
            "cycles_attended": g["attended"].sum().reindex(index, fill_value=0),
            "longest_streak": frame[frame["attended"]].groupby("library_id")["run_len"].max().reindex(index),
        },
        index=index,
    )
    out["cycles_active"] = out["cycles_active"].astype(np.int64)
    out["cycles_attended"] = out["cycles_attended"].astype(np.int64)
    out["cycles_no_plm"] = (everyone.size() - out["cycles_active"]).astype(np.int64)
    out["longest_streak"] = out["longest_streak"].fillna(0).astype(np.int64)
    current = pd.Series(np.where(last["attended"], last["run_len"], 0), index=last.index)
    out["current_streak"] = current.reindex(index, fill_value=0).astype(np.int64)
    tail2 = g.tail(2)
    missed_two = tail2.groupby("library_id").agg(n=("attended", "size"), attended=("attended", "sum"))
    missed_two = missed_two.reindex(index, fill_value=0)
    out["never_attended"] = (out["cycles_active"] > 0) & (out["cycles_attended"] == 0)
    out["at_risk"] = (missed_two["n"] == 2) & (missed_two["attended"] == 0) & (last_active == last_seq)
    out["last_seq"] = last_active
    return out.rename_axis("library_id").reset_index()[
        [
            "library_id",
            "cycles_active",
            "cycles_attended",
            "current_streak",
            "longest_streak",
            "never_attended",
            "at_risk",
            "last_seq",
            "cycles_no_plm",
        ]
    ]


def change_since_joining(values: pd.DataFrame, indicator: str, to_seq: int) -> pd.DataFrame:
    """Per library: the indicator in its first reported cycle (baseline) and in its last one up to ``to_seq``.

    ``change`` = latest − baseline; ``change_pct`` = change / baseline (NaN when the baseline is 0).
    Only libraries with two or more reported cycles appear.

    >>> v = pd.DataFrame({"library_id": [1, 1, 1, 2], "seq": [3, 4, 5, 4], "indicator": ["k"] * 4,
    ...                   "value": [10.0, 12.0, 15.0, 7.0]})
    >>> change_since_joining(v, "k", 5)[["library_id", "baseline", "latest", "change_pct"]].values.tolist()
    [[1.0, 10.0, 15.0, 0.5]]
    """
    v = values[(values["indicator"] == indicator) & (values["seq"] <= to_seq)]
    v = v.sort_values(["library_id", "seq"])
    g = v.groupby("library_id", sort=True)
    first, last, n = g.head(1).set_index("library_id"), g.tail(1).set_index("library_id"), g.size()
    out = pd.DataFrame(
        {
            "baseline_seq": first["seq"],
            "baseline": first["value"],
            "latest_seq": last["seq"],
            "latest": last["value"],
            "reports": n,
        }
    )
    out = out[out["reports"] >= 2]
    out["change"] = out["latest"] - out["baseline"]
    out["change_pct"] = out["change"] / out["baseline"].where(out["baseline"] != 0)
    return out.reset_index()


def traffic_light(ratio) -> np.ndarray:
    """'green' when ratio >= 1, 'yellow' when >= 0.75, 'red' below, '' when unknown (NaN).

    >>> traffic_light(np.array([1.2, 1.0, 0.8, 0.75, 0.5, np.nan])).tolist()
    ['green', 'green', 'yellow', 'yellow', 'red', '']
    """
    r = np.asarray(ratio, dtype=float)
    return np.select([np.isnan(r), r >= GREEN_AT, r >= YELLOW_AT], ["", "green", "yellow"], "red")


def target_ratio(value, target, higher_is_better) -> np.ndarray:
    """value / target, or target / value when lower is better.

    NaN where undefined (no target, or 0 / 0). A value of 0 where lower is better is the best possible
    outcome: +inf, which the traffic light reads as green and the scorecard caps at ``RATIO_CAP``.
    """
    value = np.asarray(value, dtype=float)
    target = np.asarray(target, dtype=float)
    hib = np.asarray(higher_is_better, dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(hib, value / target, target / value)
    best = ~hib & (value == 0) & (target > 0)
    return np.where(best, np.inf, np.where(np.isfinite(ratio), ratio, np.nan))


def scorecard(values: pd.DataFrame, indicators: pd.DataFrame, seq: int) -> pd.DataFrame:
    """Regions x strategies against targets in cycle ``seq``.

    ``values`` has ``region, indicator, seq, value`` (rows without a region are left out). For each region
    and indicator: the median value over the region's libraries that reported it in the cycle, as a ratio to
    the indicator's target (capped at 1.5). A strategy's ratio is the mean of its indicators' ratios; its
    status is the traffic light of that mean. Returns ``region, strategy, ratio, status, indicators``
    (indicators with a defined ratio, the ones the mean is taken over) and ``indicators_total`` (indicators of
    the strategy), so that a cell can say "1 of 3".
    """
    keep = (values["seq"] == seq).to_numpy() & values["region"].notna().to_numpy()
    v = values[keep]
    # One integer key per (region, indicator): a single-key median is the cheapest grouping pandas offers.
    key, (regions, codes), sizes = _group_codes(v, ["region", "indicator"])
    known = key >= 0  # a value without an indicator code cannot be rated
    med = pd.Series(v["value"].to_numpy()[known]).groupby(key[known]).median()
    region_idx, indicator_idx = np.unravel_index(med.index.to_numpy(), sizes)
    ind = indicators.set_index("code").reindex(np.asarray(codes, dtype=object)[indicator_idx])
    ratio = np.minimum(
        target_ratio(med.to_numpy(), ind["target"].to_numpy(), ind["higher_is_better"].to_numpy()), RATIO_CAP
    )
    # Mean of the ratios per (region, strategy), counting only defined ratios, with np.bincount (few groups).
    strategy_codes, strategies = pd.factorize(ind["strategy"].to_numpy(), sort=True)
    key = region_idx * max(len(strategies), 1) + strategy_codes
    defined = ~np.isnan(ratio)
    space = max(len(regions), 1) * max(len(strategies), 1)
    count = np.bincount(key[defined], minlength=space)
    total = np.bincount(key[defined], weights=ratio[defined], minlength=space)
    groups = np.flatnonzero(np.bincount(key, minlength=space))  # every (region, strategy) that has a median
    with np.errstate(invalid="ignore"):
        mean = total[groups] / count[groups]
    r_idx, s_idx = np.divmod(groups, max(len(strategies), 1))
    out = pd.DataFrame(
        {
            "region": np.asarray(regions, dtype=object)[r_idx],
            "strategy": np.asarray(strategies, dtype=object)[s_idx],
            "ratio": np.where(count[groups] > 0, mean, np.nan),
            "indicators": count[groups],
        }
    )
    out["status"] = traffic_light(out["ratio"])
    out["indicators_total"] = (
        out["strategy"].map(indicators.groupby("strategy")["code"].nunique()).fillna(0).astype(np.int64)
    )
    return out[["region", "strategy", "ratio", "status", "indicators", "indicators_total"]]


def attendance_vs_improvement(act: pd.DataFrame, change: pd.DataFrame) -> pd.DataFrame:
    """Libraries grouped by PLMs attended in the range, with the median change of an indicator since joining.

    ``change`` is the output of ``change_since_joining``. Groups: 0, 1–3, 4–6, 7–9, 10+ PLMs. Returns
    ``group, libraries, median_change_pct``; ``libraries`` counts those with a defined change (a baseline
    of 0 has none), the ones the median is taken over. An association, not proof of an effect.
    """
    attended = act.groupby("library_id")["meetings"].sum()
    frame = change.set_index("library_id").join(attended.rename("plms"), how="inner")
    labels = ["0", "1–3", "4–6", "7–9", "10+"]
    frame["group"] = pd.cut(frame["plms"], bins=[*ATTENDANCE_BINS, np.inf], right=False, labels=labels)
    out = frame.groupby("group", observed=False).agg(
        libraries=("change_pct", "count"), median_change_pct=("change_pct", "median")
    )
    return out.reset_index().assign(group=lambda d: d["group"].astype(str))


def risers_and_fallers(rates: pd.DataFrame, region: str, seq: int, n: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The regions whose participation rate rose and fell most from cycle ``seq - 1`` to ``seq``.

    ``rates`` is ``participation_rate(act, [region, "seq"])`` over both cycles (``views.risers_fallers`` reads
    them from all the data, whatever the range's first cycle). Regions whose rate rests on fewer than 5
    libraries (the denominator: active with a PLM held) in either cycle are left out (one library would swing
    them). ``change`` is in rate units (0.1 = 10 points). Returns ``region, rate_before, rate, change`` and the
    counts behind both rates (``numerator_before, denominator_before, numerator, denominator``).
    """
    now = rates[rates["seq"] == seq]
    before = rates[rates["seq"] == seq - 1]
    both = now.merge(before, on=region, suffixes=("", "_before"))
    enough = (both["denominator"] >= MIN_ACTIVE_FOR_RANKING) & (both["denominator_before"] >= MIN_ACTIVE_FOR_RANKING)
    both = both[enough]
    # Rounded so that equal changes (0.6 - 0.4 and 0.8 - 0.6) tie exactly and order by region code.
    both = both.assign(change=(both["rate"] - both["rate_before"]).round(12))
    cols = [
        region,
        "rate_before",
        "rate",
        "change",
        "numerator_before",
        "denominator_before",
        "numerator",
        "denominator",
    ]  # the counts each rate rests on (shown as n)
    risers = both[both["change"] > 0].sort_values(["change", region], ascending=[False, True]).head(n)[cols]
    fallers = both[both["change"] < 0].sort_values(["change", region], ascending=[True, True]).head(n)[cols]
    return risers.reset_index(drop=True), fallers.reset_index(drop=True)


def headline(act: pd.DataFrame, values: pd.DataFrame, visit_seqs: pd.Series, seq: int) -> dict[str, float]:
    """The overview's numbers for cycle ``seq``: active libraries, attendance rate, reports received, visits,
    activities held and their participants (sums of the ``kegiatan`` and ``peserta_kegiatan`` indicators).

    The attendance rate is ``attended`` / ``plm_held`` (active libraries for which a PLM they could attend was
    held), NaN when no PLM was held for any of them. ``visit_seqs`` is the cycle ordinal of each monitoring
    visit of the selected libraries. ``values`` hold only active library-cycles (``dataset.load``).
    """
    a = act[act["seq"] == seq]
    v = values[values["seq"] == seq]
    active = len(a)
    attended = int(a["attended"].sum())
    _require_plm_held(a)
    held = int(a["plm_held"].sum())
    return {
        "active": active,
        "attended": attended,
        "plm_held": held,
        "attendance_rate": attended / held if held else float("nan"),
        "reports": int(a["reported"].sum()),
        "visits": int((visit_seqs == seq).sum()),
        "activities": float(v.loc[v["indicator"] == "kegiatan", "value"].sum()),
        "participants": float(v.loc[v["indicator"] == "peserta_kegiatan", "value"].sum()),
    }


def top_regions(sizes: pd.Series, top: int | None) -> list:
    """The regions kept before the rest fold into "others": the ``top`` largest by ``sizes`` (region -> size),
    ties broken by region code ascending; every region when ``top`` is None or the rest would be a single
    region (an "others" row of one region says less than its name). Returned in that order.

    >>> top_regions(pd.Series({"b": 5, "a": 5, "c": 9, "d": 1}), 2)
    ['c', 'a']
    """
    order = sizes.rename("size").rename_axis("region").reset_index()
    order["region"] = order["region"].astype(str)
    order = order.sort_values(["size", "region"], ascending=[False, True], kind="stable")["region"].tolist()
    if top is None or len(order) <= top + 1:
        return order
    return order[:top]


def region_series(rates: pd.DataFrame, region: str, top: int | None, order_by: str = "active") -> pd.DataFrame:
    """Keep the ``top`` largest regions (``top_regions``; size = the sum of ``order_by``, active
    library-cycles) and fold the rest into one "others" row (region ``OTHERS``) per cycle, or one in all when
    there is no ``seq`` column. ``top`` None keeps every region; ``top_regions`` lists the folded ones.

    ``rates`` is the output of ``participation_rate`` or ``reporting_rate``. Counts of the folded regions
    are summed, so the "others" rate (and timeliness) is a true rate; ``regions`` says how many regions a row
    holds (1 for a region, the number folded for "others"). Rows come largest region first, "others" last.
    """
    if order_by not in rates.columns:
        order_by = "denominator"
    sizes = rates.groupby(region, observed=True)[order_by].sum()
    keep = top_regions(sizes, top)
    rank = {r: i for i, r in enumerate(keep)}
    codes = rates[region].astype(str)
    kept = rates[codes.isin(rank).to_numpy()].assign(regions=1)
    kept = kept.assign(_order=kept[region].astype(str).map(rank))
    kept = kept.sort_values(["_order", *(["seq"] if "seq" in rates.columns else [])]).drop(columns="_order")
    kept[region] = kept[region].astype(object)
    rest = rates[~codes.isin(rank).to_numpy()]
    if rest.empty:
        return kept.reset_index(drop=True)
    counts = [c for c in ("numerator", "denominator", "active", "on_time", "date_unknown") if c in rates.columns]
    keys = [c for c in ("seq",) if c in rates.columns]
    others = (
        rest.groupby(keys)[counts].sum().reset_index() if keys else rest[counts].sum().to_frame().T.astype(np.int64)
    )
    others["regions"] = len(sizes) - len(keep)  # every folded region, also in a cycle where some had no rows
    others[region] = OTHERS
    others["rate"] = _ratio(others["numerator"], others["denominator"])
    if "timeliness" in rates.columns:
        others["timeliness"] = _ratio(others["on_time"], others["numerator"])
    others = others.reindex(columns=kept.columns)
    return pd.concat([kept, others], ignore_index=True)
