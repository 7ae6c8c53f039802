"""Award candidates: a composite score from indicator weights, with each library's score broken down.

For each measure with a weight above 0, every candidate gets the percentile rank of its value among the
candidates that have a value (``rank(pct=True)``, ties share the average rank, higher is better unless the
indicator says otherwise); a candidate without a value (it did not report) gets 0. The score is the weighted
mean of the percentile ranks times 100, and a measure's *points* are its share of that score, so the points of a
library add up to its score. Pure pandas; the page chooses the candidates and the weights.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from . import store, views
from .dataset import Dataset
from .filters import Filters

ATTENDANCE = "plm_attendance"  # share of its active cycles in the range with a PLM held in which it attended one
REPORTING = "online_reporting"  # share of its active cycles in the range with an online report

# Who can win a category, and the weights the page starts from (officers change them on the page).
CATEGORY_TIERS = {
    "perpustakaan_daerah_terbaik": store.REGION_TIERS,
    "perpustakaan_desa_terbaik": store.VILLAGE_TIERS,
    "video_dampak": store.TIERS,
    "lapak_terbaik": store.TIERS,
}
DEFAULT_WEIGHTS = {
    "perpustakaan_daerah_terbaik": {
        "kunjungan": 2,
        "kegiatan": 2,
        "peserta_kegiatan": 1,
        "kemitraan": 1,
        "pertemuan_advokasi": 1,
        "anggaran": 1,
        "dokumentasi": 1,
        ATTENDANCE: 1,
        REPORTING: 1,
    },
    "perpustakaan_desa_terbaik": {
        "kunjungan": 2,
        "pengguna_internet": 1,
        "kegiatan": 2,
        "peserta_kegiatan": 1,
        "peserta_perempuan": 1,
        "manfaat_ekonomi": 2,
        "dokumentasi": 1,
        ATTENDANCE: 1,
        REPORTING: 1,
    },
    "video_dampak": {"dokumentasi": 2, "cerita_sukses": 3, "manfaat_ekonomi": 1},
    "lapak_terbaik": {"penjualan_lapak": 3, "peserta_pelatihan": 1, "manfaat_ekonomi": 1},
}


def composite(
    values: pd.DataFrame, weights: Mapping[str, float], higher_is_better: Mapping[str, bool] | None = None
) -> pd.DataFrame:
    """Score candidates. ``values`` is wide: one row per candidate (``library_id``) and one column per measure
    (NaN = no value). Returns ``library_id``, ``score``, ``rank`` and, per weighted measure ``m``, ``pct:m`` (its
    percentile rank, 0–1) and ``points:m`` (its part of the score), best first (ties by library id).

    >>> v = pd.DataFrame({"library_id": [1, 2, 3], "a": [10.0, 20.0, 30.0], "b": [5.0, None, 1.0]})
    >>> out = composite(v, {"a": 1, "b": 1})
    >>> out[["library_id", "score", "rank"]].values.round(2).tolist()
    [[3.0, 75.0, 1.0], [1.0, 66.67, 2.0], [2.0, 33.33, 3.0]]
    >>> out.loc[out["library_id"] == 1, ["pct:a", "pct:b", "points:a", "points:b"]].values.round(2).tolist()
    [[0.33, 1.0, 16.67, 50.0]]
    >>> composite(v, {"a": 4, "b": 1})["library_id"].tolist()  # a weighs more: a's order wins
    [3, 2, 1]
    """
    used = {m: float(w) for m, w in weights.items() if w and w > 0 and m in values.columns}
    columns = {"library_id": values["library_id"].to_numpy()}
    total = sum(used.values())
    score = np.zeros(len(values))
    for measure, weight in used.items():
        ascending = True if higher_is_better is None else bool(higher_is_better.get(measure, True))
        pct = values[measure].rank(pct=True, method="average", ascending=ascending).fillna(0.0).to_numpy()
        points = 100 * weight * pct / total
        columns[f"pct:{measure}"] = pct
        columns[f"points:{measure}"] = points
        score += points
    # One frame made at once (a column inserted at a time costs more than the ranking at national scale).
    columns["score"] = score if used else np.full(len(values), np.nan)
    out = pd.DataFrame(columns)
    out = out.sort_values(["score", "library_id"], ascending=[False, True], kind="stable").reset_index(drop=True)
    out["rank"] = out["score"].rank(method="min", ascending=False)
    return out[["library_id", "score", "rank", *[c for c in out.columns if ":" in c]]]


def candidates(ds: Dataset, f: Filters, category: str, sel: views.Selection | None = None) -> pd.DataFrame:
    """The candidates of a category under the filters: libraries of its tiers active in the range's last cycle,
    one column per indicator (that cycle's value) plus attendance and reporting shares over the range.
    ``sel``: the filters' selection when the caller has it (the app's is cached), else made here."""
    sel = views.select(ds, f) if sel is None else sel
    act = sel.activity
    library = act["library_id"].to_numpy()
    now = library[act["seq"].to_numpy() == sel.last_seq]
    ids = now[np.isin(ds.lookup("tier")[now].astype(str), CATEGORY_TIERS[category])]
    codes = list(ds.indicators["code"])
    # Rows by position (numpy, not pivot_table/groupby: at national scale those cost most of the page's rerun).
    order = np.argsort(ids, kind="stable")
    wide = np.full((len(ids), len(codes)), np.nan)
    vals = sel.values_of_cycle(sel.last_seq)
    row = _positions(ids, order, vals["library_id"].to_numpy())
    column = _codes(vals["indicator"], codes)
    value = vals["value"].to_numpy(dtype=float)
    keep = (row >= 0) & (column >= 0) & ~np.isnan(value)
    flat = row[keep] * len(codes) + column[keep]
    flat, first = np.unique(flat, return_index=True)  # a library's first value of an indicator, as before
    wide.flat[flat] = value[keep][first]
    out = pd.DataFrame(wide, columns=codes)
    out.insert(0, "library_id", ids)
    mine = _positions(ids, order, library)
    counted = mine >= 0
    n = len(ids)
    active = np.bincount(mine[counted], minlength=n)
    attended = np.bincount(mine[counted], weights=act["attended"].to_numpy(dtype=float)[counted], minlength=n)
    held = np.bincount(mine[counted], weights=act["plm_held"].to_numpy(dtype=float)[counted], minlength=n)
    reported = np.bincount(mine[counted], weights=act["reported"].to_numpy(dtype=float)[counted], minlength=n)
    # Attendance over the cycles in which a PLM it could attend was held (docs/metrics.md, "PLM held").
    with np.errstate(divide="ignore", invalid="ignore"):
        out[ATTENDANCE] = np.where(held > 0, attended / np.where(held > 0, held, 1), np.nan)
        out[REPORTING] = np.where(active > 0, reported / np.where(active > 0, active, 1), np.nan)
    return out


def _codes(indicator: pd.Series, codes: list[str]) -> np.ndarray:
    """The column of each row's indicator in ``codes`` (-1: not there), from the categorical's codes."""
    if isinstance(indicator.dtype, pd.CategoricalDtype):
        known = pd.Index(codes).get_indexer(indicator.cat.categories.astype(str))
        inner = indicator.cat.codes.to_numpy()
        return np.where(inner >= 0, known[inner], -1)
    return pd.Index(codes).get_indexer(indicator.astype(str))


def _positions(ids: np.ndarray, order: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """The row of each of ``wanted`` in ``ids`` (``order`` sorts ``ids``), -1 where it is not there."""
    if not len(ids):
        return np.full(len(wanted), -1)
    ranked = ids[order]
    at = np.clip(np.searchsorted(ranked, wanted), 0, len(ids) - 1)
    return np.where(ranked[at] == wanted, order[at], -1)


def ranking(
    ds: Dataset, f: Filters, category: str, weights: Mapping[str, float], sel: views.Selection | None = None
) -> pd.DataFrame:
    """``composite`` of the category's candidates, with their names, tier and district."""
    values = candidates(ds, f, category, sel)
    direction = dict(zip(ds.indicators["code"], ds.indicators["higher_is_better"].astype(bool)))
    out = composite(values, weights, direction)
    ids = out["library_id"].to_numpy()
    districts = dict(zip(ds.districts["code"], ds.districts["name"]))
    out.insert(1, "name", ds.lookup("name")[ids])
    out.insert(2, "tier", ds.lookup("tier")[ids].astype(str))
    out.insert(3, "district", [districts.get(code) for code in ds.lookup("district_code")[ids]])
    rows = values.drop(columns="library_id").iloc[
        _positions(ids0 := values["library_id"].to_numpy(), np.argsort(ids0, kind="stable"), ids)
    ]
    return pd.concat([out, rows.reset_index(drop=True)], axis=1)
