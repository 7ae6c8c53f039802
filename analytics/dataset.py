"""The frames the pages work on, loaded once per database version and shared read-only by all sessions."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from . import metrics, snapshot, store
from .filters import Choices
from .reference import REPORT_GRACE_DAYS


@dataclass(frozen=True, eq=False)
class Dataset:
    provinces: pd.DataFrame
    districts: pd.DataFrame
    cycles: pd.DataFrame
    indicators: pd.DataFrame
    libraries: pd.DataFrame
    activity: pd.DataFrame  # one row per active library-cycle (metrics.activity)
    values: pd.DataFrame  # library_id, seq, indicator, value
    visits: pd.DataFrame  # with the cycle ordinal of each visit
    meetings: pd.DataFrame
    meta: dict

    @cached_property
    def choices(self) -> Choices:
        return Choices(
            provinces=dict(zip(self.provinces["code"], self.provinces["name"])),
            districts={c: (p, n) for c, p, n in zip(self.districts["code"], self.districts["province_code"],
                                                     self.districts["name"])},
            tiers=tuple(store.TIERS),
            cohorts=tuple(sorted(self.libraries["cohort"].dropna().unique())),
            cycles=tuple(self.cycles["id"]),
            indicators={c: (i, e) for c, i, e in zip(self.indicators["code"], self.indicators["name_id"],
                                                      self.indicators["name_en"])},
            libraries={i: (n, d) for i, n, d in zip(self.libraries["id"], self.libraries["name"],
                                                     self.libraries["district_code"])},
        )

    @cached_property
    def seq_of(self) -> dict[str, int]:
        return dict(zip(self.cycles["id"], self.cycles["seq"]))

    @cached_property
    def cycle_of(self) -> dict[int, str]:
        return dict(zip(self.cycles["seq"], self.cycles["id"]))

    @property
    def is_demo(self) -> bool:
        return bool(self.meta.get("demo"))


def _cycle_seq_of_dates(dates: pd.Series, cycles: pd.DataFrame) -> pd.Series:
    """The ordinal of the cycle each ISO date falls in (NaN outside every cycle)."""
    starts = cycles["start_date"].to_numpy()
    ends = cycles["end_date"].to_numpy()
    d = dates.to_numpy(dtype=str)
    pos = np.searchsorted(starts, d, side="right") - 1
    ok = (pos >= 0) & (d <= ends[np.clip(pos, 0, None)])
    seqs = cycles["seq"].to_numpy()[np.clip(pos, 0, None)]
    return pd.Series(np.where(ok, seqs, -1), index=dates.index)


def load(path: str | Path) -> Dataset:
    """Everything the dashboard pages need from the database at ``path`` (through its snapshot)."""
    frames = snapshot.load(path)
    cycles = frames["cycles"]
    last_seq = int(cycles["seq"].max()) if len(cycles) else 0
    libraries = frames["libraries"]
    libraries["tier"] = pd.Categorical(libraries["tier"], categories=store.TIERS)
    libraries = libraries[libraries["joined_seq"].notna()].copy()
    libraries["joined_seq"] = libraries["joined_seq"].astype(np.int64)
    submissions = frames["submissions"]
    due = pd.to_datetime(cycles.set_index("seq")["end_date"]) + pd.Timedelta(days=REPORT_GRACE_DAYS)
    due_text = due.dt.strftime("%Y-%m-%d")
    submissions = submissions.assign(on_time=(submissions["submitted_on"].to_numpy(dtype=str)
                                              <= submissions["seq"].map(due_text).to_numpy(dtype=str)))
    act = metrics.activity(libraries, last_seq, frames["attendance"], submissions)
    visits = frames["visits"]
    visits["seq"] = _cycle_seq_of_dates(visits["visit_date"], cycles)
    meta = dict(zip(frames["meta"]["key"], frames["meta"]["value"]))
    return Dataset(frames["provinces"], frames["districts"], cycles, frames["indicators"], libraries, act,
                   frames["values"], visits, frames["meetings"], meta)
