"""The frames the pages work on, loaded once per database version and shared read-only by all sessions."""

from __future__ import annotations

import collections
import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from . import metrics, snapshot, store
from .filters import Choices
from .reference import REPORT_GRACE_DAYS

MEMO_ENTRIES = 24  # per-library results kept per dataset (each a few MB at national scale)
_MEMO_LOCK = threading.Lock()  # guards every Dataset's memo (held for dictionary operations only)


@dataclass(frozen=True, eq=False)
class Dataset:
    provinces: pd.DataFrame
    districts: pd.DataFrame
    cycles: pd.DataFrame
    indicators: pd.DataFrame
    libraries: pd.DataFrame
    activity: pd.DataFrame  # one row per active library-cycle (metrics.activity), with plm_held, date_unknown
    values: pd.DataFrame  # library_id, seq, indicator, value: of active library-cycles only (active_values)
    visits: pd.DataFrame  # with the cycle ordinal of each visit
    meetings: pd.DataFrame
    meta: dict

    @cached_property
    def choices(self) -> Choices:
        return Choices(
            provinces=dict(zip(self.provinces["code"], self.provinces["name"])),
            districts={
                c: (p, n)
                for c, p, n in zip(self.districts["code"], self.districts["province_code"], self.districts["name"])
            },
            tiers=tuple(store.TIERS),
            cohorts=tuple(sorted(self.libraries["cohort"].dropna().unique())),
            cycles=tuple(self.cycles["id"]),
            indicators={
                c: (i, e)
                for c, i, e in zip(self.indicators["code"], self.indicators["name_id"], self.indicators["name_en"])
            },
            libraries={
                i: (n, d)
                for i, n, d in zip(self.libraries["id"], self.libraries["name"], self.libraries["district_code"])
            },
        )

    @cached_property
    def indicator_rows(self) -> dict[str, pd.Series]:
        """Each indicator's row (name, unit, strategy, target, ...) by code."""
        by_code = self.indicators.set_index("code")
        return {code: by_code.loc[code] for code in by_code.index}

    @cached_property
    def seq_of(self) -> dict[str, int]:
        return dict(zip(self.cycles["id"], self.cycles["seq"]))

    @cached_property
    def cycle_of(self) -> dict[int, str]:
        return dict(zip(self.cycles["seq"], self.cycles["id"]))

    @cached_property
    def _value_seqs(self) -> np.ndarray:
        return self.values["seq"].to_numpy()

    def values_between(self, first_seq: int, last_seq: int) -> pd.DataFrame:
        """Report values of cycles ``first_seq..last_seq``: a slice, since values are sorted by cycle."""
        lo, hi = np.searchsorted(self._value_seqs, [first_seq, last_seq + 1])
        return self.values.iloc[lo:hi]

    def indicator_values_between(self, indicator: str, first_seq: int, last_seq: int) -> pd.DataFrame:
        """One indicator's values in cycles ``first_seq..last_seq`` (a slice of its cached partition)."""
        part, seqs = self._indicator_partition(indicator)
        lo, hi = np.searchsorted(seqs, [first_seq, last_seq + 1])
        return part.iloc[lo:hi]

    def _indicator_partition(self, indicator: str) -> tuple[pd.DataFrame, np.ndarray]:
        if indicator not in self._partitions:
            part = self.values[(self.values["indicator"] == indicator).to_numpy()]  # keeps the cycle order
            self._partitions[indicator] = (part, part["seq"].to_numpy())
        return self._partitions[indicator]

    @cached_property
    def _partitions(self) -> dict[str, tuple[pd.DataFrame, np.ndarray]]:
        return {}  # at most one per indicator: together no larger than the values themselves

    # Per-library results that do not depend on the region filters: computed once for every library (per
    # cycle range or indicator) and shared by all selections, which then only pick their libraries' rows.

    def _memo(self, key: tuple, compute):
        """A small least-recently-used store: ranges and indicators officers come back to stay computed.

        Sessions run in threads of their own and share this Dataset: every read, update and eviction holds
        ``_MEMO_LOCK`` (without it, another session could evict a key between the check and the read: a
        KeyError). ``compute`` runs outside the lock, so a slow computation never holds up other sessions; two
        sessions asking for the same new key at once may both compute it (the results are equal).
        """
        memos = self._memos
        with _MEMO_LOCK:
            if key in memos:
                memos.move_to_end(key)
                return memos[key]
        value = compute()
        with _MEMO_LOCK:
            memos[key] = value
            memos.move_to_end(key)
            while len(memos) > MEMO_ENTRIES:
                memos.popitem(last=False)
        return value

    @cached_property
    def _memos(self) -> collections.OrderedDict:
        return collections.OrderedDict()

    def activity_between(self, first_seq: int, last_seq: int) -> pd.DataFrame:
        a = self.activity
        return a[a["seq"].between(first_seq, last_seq).to_numpy()]

    def streaks(self, first_seq: int, last_seq: int) -> pd.DataFrame:
        """``metrics.streaks`` of every library over the cycle range."""
        return self._memo(
            ("streaks", first_seq, last_seq),
            lambda: metrics.streaks(self.activity_between(first_seq, last_seq), last_seq),
        )

    def change_since_joining(self, indicator: str, to_seq: int) -> pd.DataFrame:
        """``metrics.change_since_joining`` of every library, from its first report up to ``to_seq``."""
        return self._memo(
            ("change", indicator, to_seq),
            lambda: metrics.change_since_joining(
                self.indicator_values_between(indicator, 0, to_seq), indicator, to_seq
            ),
        )

    def library_mask(self, ids) -> np.ndarray:
        """A boolean array indexed by library id: True for ``ids`` (faster than ``isin`` on big frames)."""
        mask = np.zeros(self.max_library_id + 1, dtype=bool)
        mask[np.asarray(ids, dtype=np.int64)] = True
        return mask

    @cached_property
    def max_library_id(self) -> int:
        return int(self.libraries["id"].max()) if len(self.libraries) else 0

    def lookup(self, column: str) -> np.ndarray:
        """``libraries[column]`` as an array indexed by library id (for fast mapping of big frames)."""
        if column not in self._lookups:
            out = np.full(self.max_library_id + 1, None, dtype=object)
            out[self.libraries["id"].to_numpy()] = self.libraries[column].astype(object).to_numpy()
            self._lookups[column] = out
        return self._lookups[column]

    @cached_property
    def _lookups(self) -> dict[str, np.ndarray]:
        return {}

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


def report_dates(submissions: pd.DataFrame, cycles: pd.DataFrame) -> pd.DataFrame:
    """``submissions`` (``library_id, seq, submitted_on``: the report's earliest non-empty date, missing when
    none of its values has one) with ``date_unknown`` and ``on_time`` (dated at most ``REPORT_GRACE_DAYS``
    after the cycle's last day). A report of unknown date is reported and not on time."""
    due = pd.to_datetime(cycles["end_date"]) + pd.Timedelta(days=REPORT_GRACE_DAYS)
    seqs = cycles["seq"].to_numpy(dtype=np.int64)
    lo = int(seqs.min()) if len(seqs) else 0
    due_of = np.full(int(seqs.max()) - lo + 1 if len(seqs) else 1, "", dtype=object)
    due_of[seqs - lo] = due.dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
    # Compared as (Arrow-backed) strings, never converted value by value: these frames are big.
    dates = submissions["submitted_on"].astype("string")
    unknown = ~(dates >= "0").fillna(False).to_numpy(dtype=bool)  # missing, blank or spaces: an ISO date starts
    seq = submissions["seq"].to_numpy(dtype=np.int64) - lo  # with a digit
    due_text = pd.Series(due_of[np.clip(seq, 0, len(due_of) - 1)], index=dates.index, dtype="string")
    on_time = ~unknown & (dates <= due_text).fillna(False).to_numpy(dtype=bool)
    return submissions.assign(date_unknown=unknown, on_time=on_time)


def active_values(values: pd.DataFrame, libraries: pd.DataFrame, last_seq: int) -> pd.DataFrame:
    """The report values of active library-cycles only (``joined_seq`` to ``left_seq`` inclusive): what a
    library reported outside its active cycles is ignored everywhere (sums, medians, the scorecard, change
    since joining, compare). Keeps the values' order (sorted by cycle)."""
    if values.empty:
        return values
    ids = values["library_id"].to_numpy()
    size = int(max(ids.max(), libraries["id"].max() if len(libraries) else 0)) + 1
    first = np.full(size, np.iinfo(np.int64).max, dtype=np.int64)  # unknown libraries: never active
    last = np.full(size, -1, dtype=np.int64)
    lib_ids = libraries["id"].to_numpy(dtype=np.int64)
    first[lib_ids] = libraries["joined_seq"].to_numpy(dtype=np.int64)
    last[lib_ids] = libraries["left_seq"].fillna(last_seq).to_numpy(dtype=np.int64)
    seq = values["seq"].to_numpy()
    keep = (seq >= first[ids]) & (seq <= last[ids])
    return values if keep.all() else values[keep].reset_index(drop=True)


def load(path: str | Path) -> Dataset:
    """Everything the dashboard pages need from the database at ``path`` (a SQLite file or a PostgreSQL URL),
    through ``snapshot.load``: after an import only what it changed is read again (``snapshot.refresh``)."""
    return from_frames(snapshot.load(path))


def from_frames(frames: dict[str, pd.DataFrame]) -> Dataset:
    """The Dataset of frames as ``snapshot.load`` / ``snapshot.refresh`` return them (which are not changed:
    another refresh may start from them)."""
    cycles = frames["cycles"]
    last_seq = int(cycles["seq"].max()) if len(cycles) else 0
    libraries = frames["libraries"]
    libraries = libraries[libraries["joined_seq"].notna()].assign(
        tier=lambda x: pd.Categorical(x["tier"], categories=store.TIERS)
    )
    libraries["joined_seq"] = libraries["joined_seq"].astype(np.int64)
    act = metrics.activity(
        libraries, last_seq, frames["attendance"], report_dates(frames["submissions"], cycles), frames["meetings"]
    )
    values = active_values(frames["values"], libraries, last_seq)
    visits = frames["visits"].assign(seq=_cycle_seq_of_dates(frames["visits"]["visit_date"], cycles))
    meta = dict(zip(frames["meta"]["key"], frames["meta"]["value"]))
    return Dataset(
        frames["provinces"],
        frames["districts"],
        cycles,
        frames["indicators"],
        libraries,
        act,
        values,
        visits,
        frames["meetings"],
        meta,
    )
