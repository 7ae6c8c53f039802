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
    "perpustakaan_daerah_terbaik": {"kunjungan": 2, "kegiatan": 2, "peserta_kegiatan": 1, "kemitraan": 1,
                                    "pertemuan_advokasi": 1, "anggaran": 1, "dokumentasi": 1, ATTENDANCE: 1,
                                    REPORTING: 1},
    "perpustakaan_desa_terbaik": {"kunjungan": 2, "pengguna_internet": 1, "kegiatan": 2, "peserta_kegiatan": 1,
                                  "peserta_perempuan": 1, "manfaat_ekonomi": 2, "dokumentasi": 1, ATTENDANCE: 1,
                                  REPORTING: 1},
    "video_dampak": {"dokumentasi": 2, "cerita_sukses": 3, "manfaat_ekonomi": 1},
    "lapak_terbaik": {"penjualan_lapak": 3, "peserta_pelatihan": 1, "manfaat_ekonomi": 1},
}


def composite(values: pd.DataFrame, weights: Mapping[str, float],
              higher_is_better: Mapping[str, bool] | None = None) -> pd.DataFrame:
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
    out = pd.DataFrame({"library_id": values["library_id"].to_numpy()})
    total = sum(used.values())
    score = np.zeros(len(values))
    for measure, weight in used.items():
        ascending = True if higher_is_better is None else bool(higher_is_better.get(measure, True))
        pct = values[measure].rank(pct=True, method="average", ascending=ascending).fillna(0.0).to_numpy()
        points = 100 * weight * pct / total
        out[f"pct:{measure}"] = pct
        out[f"points:{measure}"] = points
        score += points
    out["score"] = score if used else np.nan
    out = out.sort_values(["score", "library_id"], ascending=[False, True], kind="stable").reset_index(drop=True)
    out["rank"] = out["score"].rank(method="min", ascending=False)
    return out[["library_id", "score", "rank", *[c for c in out.columns if ":" in c]]]


def candidates(ds: Dataset, f: Filters, category: str) -> pd.DataFrame:
    """The candidates of a category under the filters: libraries of its tiers active in the range's last cycle,
    one column per indicator (that cycle's value) plus attendance and reporting shares over the range."""
    sel = views.select(ds, f)
    act = sel.activity
    now = act[act["seq"] == sel.last_seq]
    tiers = ds.lookup("tier")[now["library_id"].to_numpy()]
    ids = now["library_id"].to_numpy()[np.isin(tiers.astype(str), CATEGORY_TIERS[category])]
    wide = sel.values_of_cycle(sel.last_seq)
    wide = wide[wide["library_id"].isin(ids)].pivot_table(index="library_id", columns="indicator",
                                                            values="value", aggfunc="first", observed=True)
    wide = wide.reindex(index=pd.Index(ids, name="library_id"), columns=list(ds.indicators["code"]))
    mine = act[act["library_id"].isin(ids)].groupby("library_id")[["attended", "plm_held", "reported"]].agg(
        {"attended": "sum", "plm_held": "sum", "reported": "mean"})
    # Attendance over the cycles in which a PLM it could attend was held (docs/metrics.md, "PLM held").
    wide[ATTENDANCE] = (mine["attended"] / mine["plm_held"].where(mine["plm_held"] > 0)).reindex(wide.index).to_numpy()
    wide[REPORTING] = mine["reported"].reindex(wide.index).to_numpy()
    return wide.reset_index()


def ranking(ds: Dataset, f: Filters, category: str, weights: Mapping[str, float]) -> pd.DataFrame:
    """``composite`` of the category's candidates, with their names, tier and district."""
    values = candidates(ds, f, category)
    direction = dict(zip(ds.indicators["code"], ds.indicators["higher_is_better"].astype(bool)))
    out = composite(values, weights, direction)
    libs = ds.libraries.set_index("id")
    out.insert(1, "name", out["library_id"].map(libs["name"]))
    out.insert(2, "tier", out["library_id"].map(libs["tier"]).astype(str))
    districts = ds.districts.set_index("code")["name"]
    out.insert(3, "district", out["library_id"].map(libs["district_code"]).map(districts))
    return out.merge(values, on="library_id", how="left")
