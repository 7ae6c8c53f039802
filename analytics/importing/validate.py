"""Whole-file validation: every row checked against the reference data, every problem reported.

``validate(kind, tables, ref)`` returns the rows to write per table (normalised to the schema's columns) and
the list of problems. Checks are vectorised over the whole frame; parsers run once per distinct value.
New rows of tables keyed by ``id`` get provisional negative ids, replaced by real ones when written.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import sqlite3
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import db, i18n
from . import parse
from .model import Problem, Table, problem

AMBIGUOUS = "?"
COUNT_UNITS = frozenset({"orang", "kegiatan", "MoU", "pertemuan", "berkas", "cerita"})
# Indicators that count a part of the activity participants: more of them than participants is impossible.
PARTS_OF_PARTICIPANTS = ("peserta_perempuan", "peserta_pemuda", "peserta_disabilitas")
_DISTRICT_CODE = re.compile(r"^\d{2}\.\d{2}$")
_PROVINCE_CODE = re.compile(r"^\d{2}$")
_KAB_PREFIX = re.compile(r"^(?:kabupaten|kab\.?)\s*")
_KOTA_PREFIX = re.compile(r"^(?:kota)\s+")
_PROV_PREFIX = re.compile(r"^(?:provinsi|prov\.?)\s*")


def _squash(text: str) -> str:
    """``"Gunung Kidul"`` and ``"Gunungkidul"`` compare equal."""
    return re.sub(r"[^0-9a-z]", "", text)


@dataclass
class Reference:
    """What the database already holds, loaded once per validation."""

    districts: set[str]
    district_names: dict[tuple[str, str], str]  # (kind or "", squashed name) -> code or AMBIGUOUS
    provinces: set[str]
    province_names: dict[str, str]
    cycles: dict[str, tuple[str, str, int]]  # id -> (start, end, seq)
    indicators: dict[str, str]  # code -> unit
    indicator_keys: dict[str, str]  # header key of a code or name -> code
    libraries: pd.DataFrame
    library_by_name: dict[tuple[str, str], int] = field(default_factory=dict)
    library_by_name_only: dict[str, int | str] = field(default_factory=dict)
    meetings: pd.DataFrame = field(default_factory=pd.DataFrame)
    area_names: dict[str, str] = field(default_factory=dict)  # district and province code -> name, for messages

    @classmethod
    def load(cls, conn: sqlite3.Connection) -> Reference:
        districts = conn.execute("SELECT code, name, kind FROM districts").fetchall()
        names: dict[tuple[str, str], str] = {}
        for code, name, kind in districts:
            # Cities are named "Kota X" and regencies "X": a bare "X" is ambiguous when both exist.
            base = _squash(_KOTA_PREFIX.sub("", parse.name_key(name)) if kind == "kota" else parse.name_key(name))
            names[(kind, base)] = code
            names[("", base)] = AMBIGUOUS if names.get(("", base), code) != code else code
        provinces = conn.execute("SELECT code, name FROM provinces").fetchall()
        province_names = {_squash(parse.name_key(n)): c for c, n in provinces}
        province_names[_squash("daerah istimewa yogyakarta")] = "34"
        province_names[_squash("yogyakarta")] = "34"
        cycles = {r[0]: (r[1], r[2], r[3]) for r in conn.execute("SELECT id, start_date, end_date, seq FROM cycles")}
        indicators = {}
        indicator_keys = {}
        for code, name_id, name_en, unit in conn.execute("SELECT code, name_id, name_en, unit FROM indicators"):
            indicators[code] = unit
            for label in (name_en, name_id, code):
                indicator_keys[parse.header_key(label)] = code
        libraries = db.frame(
            conn,
            "SELECT id, name, tier, district_code, joined_cycle, left_cycle FROM libraries",
            dtype={"name": object, "district_code": object},
        )
        by_name: dict[tuple[str, str], int] = {}
        only: dict[str, int | str] = {}
        for lid, name, district in zip(
            libraries["id"].tolist(), libraries["name"].tolist(), libraries["district_code"].tolist()
        ):
            key = parse.name_key(name)
            by_name[(district, key)] = lid
            only[key] = AMBIGUOUS if key in only else lid
        meetings = db.frame(
            conn,
            "SELECT id, cycle_id, level, region_code, start_date, end_date, city, venue, title FROM meetings",
            dtype=object,
        )
        area_names = {**dict(provinces), **{c: n for c, n, _ in districts}}
        return cls(
            {c for c, _, _ in districts},
            names,
            {c for c, _ in provinces},
            province_names,
            cycles,
            indicators,
            indicator_keys,
            libraries,
            by_name,
            only,
            meetings,
            area_names,
        )

    def district(self, value) -> tuple[str | None, str | None]:
        """A district code from a code or an unambiguous regency/city name: (code, None) or (None, reason)."""
        if isinstance(value, float):
            value = f"{value:.2f}"  # Excel turned 34.10 into the number 34.1
        text = parse.name_key(value)
        if _DISTRICT_CODE.match(text):
            return (text, None) if text in self.districts else (None, "unknown_district")
        kind = ""
        if _KAB_PREFIX.match(text):
            kind, text = "kabupaten", _KAB_PREFIX.sub("", text)
        elif _KOTA_PREFIX.match(text):
            kind, text = "kota", _KOTA_PREFIX.sub("", text)
        code = self.district_names.get((kind, _squash(text)))
        if code is None:
            return None, "unknown_district"
        if code == AMBIGUOUS:
            return None, "ambiguous_district"
        return code, None

    def province(self, value) -> tuple[str | None, str | None]:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = f"{int(value):02d}"
        text = parse.name_key(value)
        if _PROVINCE_CODE.match(text):
            return (text, None) if text in self.provinces else (None, "unknown_province")
        code = self.province_names.get(_squash(_PROV_PREFIX.sub("", text)))
        return (code, None) if code else (None, "unknown_province")

    def cycle_of(self, day: dt.date) -> str | None:
        iso = day.isoformat()
        for cid, (start, end, _) in self.cycles.items():
            if start <= iso <= end:
                return cid
        return None


class Checker:
    """The concatenated rows of one file and the problems found in them."""

    def __init__(self, tables: list[Table], extra: list[Problem], decimal_comma: bool = True):
        self.number = functools.partial(parse.number, decimal_comma=decimal_comma)
        frames = [t.frame for t in tables]
        self.df = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["_sheet", "_row"])
        self.df = self.df.astype(object)
        self.headers = {t.sheet: t.headers for t in tables}
        self.constants = {t.sheet: t.constants for t in tables}
        self.problems: list[Problem] = list(extra)
        self.bad = np.zeros(len(self.df), dtype=bool)  # rows with a problem are not written

    def has(self, name: str) -> bool:
        return name in self.df.columns

    def col(self, name: str) -> pd.Series:
        if name in self.df.columns:
            return self.df[name]
        return pd.Series([""] * len(self.df), index=self.df.index, dtype=object)

    def blank(self, name: str) -> pd.Series:
        return parse.map_unique(self.col(name), parse.is_blank).astype(bool)

    def flag(self, mask, name: str, reason: str, values: pd.Series | None = None, **params) -> None:
        """A problem for each row in ``mask``; params given as Series are taken row by row."""
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        self.bad |= mask
        rows = self.df.loc[mask]
        shown = (values if values is not None else self.col(name))[mask]
        per_row = {k: v[mask].tolist() for k, v in params.items() if isinstance(v, pd.Series)}
        fixed = {k: v for k, v in params.items() if not isinstance(v, pd.Series)}
        # In a wide report a value's column is the indicator's own column.
        own = rows["_header"].tolist() if name == "value" and "_header" in rows else [name] * len(rows)
        for i, (sheet, row, value) in enumerate(zip(rows["_sheet"].tolist(), rows["_row"].tolist(), shown.tolist())):
            header = self.headers.get(sheet, {}).get(own[i], own[i])
            row = self.constants.get(sheet, {}).get(name, row)
            extra = {k: v[i] for k, v in per_row.items()}
            self.problems.append(problem(reason, sheet, int(row), header, parse.clean_text(value), **fixed, **extra))

    def required(self, *names: str) -> None:
        for name in names:
            self.flag(self.blank(name), name, "required")

    def parsed(self, name: str, parser, reason: str) -> pd.Series:
        """The column parsed (None where blank or unreadable); unreadable non-blank cells are problems."""
        column = self.col(name)
        out = parse.map_unique(column, parser)
        self.flag(out.isna().to_numpy() & ~self.blank(name).to_numpy(), name, reason)
        return out

    def integer(self, name: str, minimum: int | None = 0) -> pd.Series:
        values = self.parsed(name, self.number, "not_a_number")
        known = values.notna()
        as_float = values.where(known, np.nan).astype(float)
        fractional = known & (as_float != np.floor(as_float.fillna(0)))
        self.flag(fractional, name, "not_an_integer")
        if minimum is not None:
            self.flag(known & ~fractional & (as_float < minimum), name, "negative" if minimum == 0 else "below_one")
        return values.where(known & ~fractional, None).map(lambda v: None if v is None else int(v))

    def dates(self, name: str) -> pd.Series:
        return self.parsed(name, parse.date, "bad_date")

    def cycles(self, name: str, ref: Reference) -> pd.Series:
        values = self.parsed(name, parse.cycle, "bad_cycle")
        unknown = values.notna() & ~values.isin(list(ref.cycles))
        self.flag(unknown, name, "unknown_cycle")
        return values.where(~unknown, None)

    def duplicates(self, keys: list[pd.Series], name: str, valid) -> None:
        """Rows whose key repeats an earlier row of the file."""
        frame = pd.DataFrame({f"k{i}": k.astype(str) for i, k in enumerate(keys)})
        frame = frame[np.asarray(valid, dtype=bool)]
        dup = frame.duplicated(keep="first")
        if not dup.any():
            return
        first_row = self.df.loc[frame.index, "_row"].groupby([frame[c] for c in frame.columns]).transform("first")
        first_sheet = self.df.loc[frame.index, "_sheet"].groupby([frame[c] for c in frame.columns]).transform("first")
        mask = pd.Series(False, index=self.df.index)
        mask[dup[dup].index] = True
        own_sheet = self.df.loc[frame.index, "_sheet"]
        where = first_row.astype(str).where(
            first_sheet == own_sheet, first_row.astype(str) + " (" + first_sheet.astype(str) + ")"
        )
        where = where.reindex(self.df.index, fill_value="")
        self.flag(mask, name, "duplicate_in_file", first=where)

    def libraries(self, ref: Reference, rows=None) -> pd.Series:
        """Each row's library id: from the id column, else from district and name. Problems for the rest.

        ``rows`` limits the lookup to the rows that should name a library (all by default).
        """
        rows = (
            pd.Series(True, index=self.df.index)
            if rows is None
            else pd.Series(np.asarray(rows, bool), index=self.df.index)
        )
        ids = self.col("library_id")
        names = self.col("library_name")
        districts = self.col("district")
        out = pd.Series([None] * len(self.df), index=self.df.index, dtype=object)
        known = set(ref.libraries["id"].tolist())
        has_id = ~self.blank("library_id") & rows
        parsed = parse.map_unique(ids, self.number)
        good_id = has_id & parsed.map(lambda v: v is not None and float(v).is_integer()).astype(bool)
        self.flag(has_id & ~good_id, "library_id", "not_an_integer")
        as_int = parsed.where(good_id, None).map(lambda v: None if v is None else int(v))
        exists = good_id & as_int.isin(known)
        self.flag(good_id & ~exists, "library_id", "unknown_library")
        out[exists] = as_int[exists]
        by_name = ~has_id & ~self.blank("library_name") & rows
        if by_name.any():
            cache: dict = {}
            results = []
            for name, district in zip(names[by_name].tolist(), districts[by_name].tolist()):
                key = (name, district)
                if key not in cache:
                    cache[key] = self._library_by_name(name, district, ref)
                results.append(cache[key])
            found = pd.Series([r[0] for r in results], index=names[by_name].index, dtype=object)
            reasons = pd.Series([r[1] for r in results], index=names[by_name].index, dtype=object)
            out[found.index] = found
            for reason in ("unknown_district", "ambiguous_district"):
                mask = pd.Series(False, index=self.df.index)
                mask[reasons[reasons == reason].index] = True
                self.flag(mask, "district", reason)
            for reason in ("unknown_library_name", "ambiguous_library"):
                mask = pd.Series(False, index=self.df.index)
                mask[reasons[reasons == reason].index] = True
                self.flag(mask, "library_name", reason)
        neither = ~has_id & self.blank("library_name") & rows
        self.flag(
            neither,
            "library_name" if self.has("library_name") or not self.has("library_id") else "library_id",
            "library_missing",
        )
        return out

    @staticmethod
    def _library_by_name(name, district, ref: Reference) -> tuple[int | None, str | None]:
        key = parse.name_key(name)
        if parse.is_blank(district):
            lid = ref.library_by_name_only.get(key)
            if lid is None:
                return None, "unknown_library_name"
            return (None, "ambiguous_library") if lid == AMBIGUOUS else (int(lid), None)
        code, reason = ref.district(district)
        if reason:
            return None, reason
        lid = ref.library_by_name.get((code, key))
        return (int(lid), None) if lid is not None else (None, "unknown_library_name")


def _iso(values: pd.Series) -> pd.Series:
    return values.map(lambda d: None if d is None else d.isoformat())


def _texts(checker: Checker, name: str) -> pd.Series:
    """Free text (names, places, titles, stories, notes) to store: as written, only trimmed."""
    return checker.col(name).map(lambda v: parse.as_written(v) or None)


def _compared(texts: pd.Series) -> pd.Series:
    """Stored text in the form rows are compared in (duplicates, conflicts): spaces and apostrophes unified."""
    return texts.map(parse.clean_text)


def _frame(checker: Checker, valid, columns: dict[str, pd.Series]) -> pd.DataFrame:
    valid = np.asarray(valid, dtype=bool) & ~checker.bad
    data = {k: v[valid].tolist() for k, v in columns.items()}
    data["_row"] = checker.df["_row"][valid].tolist()
    data["_sheet"] = checker.df["_sheet"][valid].tolist()
    return pd.DataFrame(data, dtype=object)


# --- the kinds ----------------------------------------------------------------------------------------------


def _libraries(c: Checker, ref: Reference) -> dict[str, pd.DataFrame]:
    c.required("name", "tier", "district")
    has_id = ~c.blank("id")
    ids = c.integer("id", minimum=1)
    exists = ids.isin(set(ref.libraries["id"].tolist()))
    c.flag(has_id & ids.notna() & ~exists, "id", "unknown_library")
    tiers = c.parsed("tier", parse.lookup(parse.TIERS), "unknown_tier")
    resolved = parse.map_unique(c.col("district"), ref.district)
    codes = resolved.map(lambda r: r[0])
    for reason in ("unknown_district", "ambiguous_district"):
        c.flag((resolved.map(lambda r, x=reason: r[1] == x)).astype(bool) & ~c.blank("district"), "district", reason)
    names = _texts(c, "name")
    joined = c.cycles("joined_cycle", ref)
    left = c.cycles("left_cycle", ref)
    seq = lambda s: s.map(lambda v: ref.cycles[v][2] if v in ref.cycles else np.nan).astype(float)
    c.flag((seq(left) < seq(joined)).to_numpy(), "left_cycle", "left_before_joined", joined=joined.fillna(""))
    # Rows without an id update the library of the same name in the same district, if there is one.
    keys = pd.Series(list(zip(codes.tolist(), names.map(parse.name_key).tolist())), index=c.df.index, dtype=object)
    matched = keys.map(lambda k: ref.library_by_name.get(k))
    owner_differs = has_id & exists & matched.notna() & (matched.astype(object) != ids.astype(object))
    c.flag(owner_differs, "name", "name_taken", other=matched.map(lambda v: "" if v is None else str(v)))
    target = ids.where(has_id, matched)
    c.duplicates([target.where(target.notna(), keys.astype(str))], "name", codes.notna() & names.notna())
    new = target.isna()
    # A library found by its name keeps the registry's spelling: "perpustakaan desa kelor" is no rename.
    names = names.where(has_id | new, None)
    provisional = pd.Series(-(np.cumsum(new.to_numpy())), index=c.df.index)
    target = target.where(~new, provisional).map(lambda v: int(v))
    frame = _frame(
        c,
        np.ones(len(c.df), bool),
        {
            "id": target,
            "name": names,
            "tier": tiers,
            "district_code": codes,
            "subdistrict": _texts(c, "subdistrict"),
            "village": _texts(c, "village"),
            "cohort": _texts(c, "cohort"),
            "joined_cycle": joined,
            "left_cycle": left,
        },
    )
    return {"libraries": frame}


def _meeting_keys(c: Checker, ref: Reference, *, create: bool) -> pd.Series:
    """Each row's meeting id: given, or found by cycle, level, region and start date (or a new one's)."""
    has_id = ~c.blank("meeting_id")
    ids = c.integer("meeting_id", minimum=1)
    known = set(int(v) for v in ref.meetings["id"].tolist())
    exists = ids.map(lambda v: v is not None and v in known).astype(bool)
    c.flag(has_id & ids.notna() & ~exists, "meeting_id", "unknown_meeting")
    out = ids.where(exists, None)
    rest = ~has_id
    if not rest.any():
        return out
    levels = c.parsed("level", parse.lookup(parse.LEVELS), "unknown_level")
    c.flag(rest & c.blank("level"), "level", "required")
    starts = c.dates("start_date")
    cycles = c.cycles("cycle_id", ref)
    inferred = starts.map(lambda d: None if d is None else ref.cycle_of(d))
    no_cycle = rest & cycles.isna() & c.blank("cycle_id") & starts.notna() & inferred.isna()
    c.flag(no_cycle, "start_date", "date_outside_cycles")
    cycles = cycles.where(cycles.notna() | ~c.blank("cycle_id"), inferred)
    regions = pd.Series([""] * len(c.df), index=c.df.index, dtype=object)
    for level, resolver in (("kabupaten", ref.district), ("provinsi", ref.province)):
        rows = rest & (levels == level)
        c.flag(rows & c.blank("region"), "region", "required")
        given = rows & ~c.blank("region")
        if given.any():
            resolved = parse.map_unique(c.col("region")[given], resolver)
            regions[given] = resolved.map(lambda r: r[0])
            for reason in ("unknown_district", "ambiguous_district", "unknown_province"):
                mask = pd.Series(False, index=c.df.index)
                mask[resolved[resolved.map(lambda r, x=reason: r[1] == x)].index] = True
                c.flag(mask, "region", reason)
    table = ref.meetings
    existing = {(r.cycle_id, r.level, r.region_code, r.start_date): int(r.id) for r in table.itertuples()}
    by_region: dict[tuple, list[int]] = {}
    for r in table.itertuples():
        by_region.setdefault((r.cycle_id, r.level, r.region_code), []).append(int(r.id))
    starts_iso = _iso(starts)
    provisional: dict[tuple, int] = {}
    results = []
    reasons = []
    for cyc, lev, reg, start, blank_start in zip(
        cycles.tolist(), levels.tolist(), regions.tolist(), starts_iso.tolist(), c.blank("start_date").tolist()
    ):
        if cyc is None or lev is None or (lev != "nasional" and not reg) or (start is None and not blank_start):
            results.append(None)
            reasons.append(None)
            continue
        reg = reg if lev != "nasional" else ""
        if start is not None and (cyc, lev, reg, start) in existing:
            results.append(existing[(cyc, lev, reg, start)])
            reasons.append(None)
        elif not create:
            # Awards refer to meetings already there: cycle, level and region are enough when they name one.
            found = by_region.get((cyc, lev, reg), [])
            if start is None and len(found) == 1:
                results.append(found[0])
                reasons.append(None)
            else:
                results.append(None)
                reasons.append("ambiguous_meeting" if start is None and len(found) > 1 else "unknown_meeting")
        elif start is None:
            results.append(None)
            reasons.append("start_required")
        else:
            key = (cyc, lev, reg, start)
            provisional.setdefault(key, -(len(provisional) + 1))
            results.append(provisional[key])
            reasons.append(None)
    found = pd.Series(results, index=c.df.index, dtype=object)
    reasons = pd.Series(reasons, index=c.df.index, dtype=object)
    for reason in ("unknown_meeting", "ambiguous_meeting"):
        c.flag(
            rest & (reasons == reason),
            "cycle_id" if c.has("cycle_id") else "start_date",
            reason,
            values=cycles.fillna("") + " " + levels.fillna("") + " " + regions.fillna(""),
        )
    c.flag(rest & (reasons == "start_required"), "start_date", "required")
    return out.where(~rest, found)


def _meetings(c: Checker, ref: Reference) -> dict[str, pd.DataFrame]:
    meeting = _meeting_keys(c, ref, create=True)
    starts, ends = c.dates("start_date"), c.dates("end_date")
    cycles = c.cycles("cycle_id", ref)
    levels = parse.map_unique(c.col("level"), parse.lookup(parse.LEVELS))
    old = ref.meetings.set_index(ref.meetings["id"].astype(int)) if len(ref.meetings) else None

    def existing(column: str) -> pd.Series:
        if old is None:
            return pd.Series([None] * len(c.df), index=c.df.index, dtype=object)
        return meeting.map(lambda m: old[column].get(m) if m is not None and m > 0 else None)

    start_iso = _iso(starts).where(starts.notna(), existing("start_date"))
    end_iso = _iso(ends).where(ends.notna(), existing("end_date")).where(lambda s: s.notna(), start_iso)
    cycle_eff = cycles.where(cycles.notna(), existing("cycle_id"))
    cycle_eff = cycle_eff.where(cycle_eff.notna(), starts.map(lambda d: None if d is None else ref.cycle_of(d)))
    c.flag(
        (end_iso.notna() & start_iso.notna() & (end_iso.fillna("") < start_iso.fillna(""))).to_numpy(),
        "end_date",
        "end_before_start",
        start=start_iso.fillna(""),
    )
    bounds = cycle_eff.map(lambda v: ref.cycles.get(v, (None, None, None)))
    lo, hi = bounds.map(lambda b: b[0]), bounds.map(lambda b: b[1])
    for name, iso in (("start_date", start_iso), ("end_date", end_iso)):
        given = ~c.blank(name) & iso.notna() & lo.notna()
        outside = given & ((iso.fillna("") < lo.fillna("")) | (iso.fillna("") > hi.fillna("")))
        c.flag(outside.to_numpy(), name, "date_outside_cycle", cycle=cycle_eff.fillna(""))
    texts = {k: _texts(c, k) for k in ("city", "venue", "title")}
    # Rows of one meeting must agree on its details.
    valid_meeting = meeting.notna()
    details = pd.DataFrame(
        {"m": meeting.astype(str), "e": end_iso.fillna(""), **{k: _compared(v) for k, v in texts.items()}}
    )[valid_meeting]
    for column, name in (("e", "end_date"), ("city", "city"), ("venue", "venue"), ("title", "title")):
        given = details[details[column] != ""]
        counts = given.groupby("m")[column].nunique()
        conflicted = given["m"].isin(counts[counts > 1].index)
        mask = pd.Series(False, index=c.df.index)
        mask[given.index[conflicted.to_numpy()]] = True
        if mask.any():
            c.flag(mask, name, "meeting_conflict")
    meeting_rows = _frame(
        c,
        valid_meeting,
        {
            "id": meeting,
            "cycle_id": cycle_eff,
            "level": levels.where(levels.notna(), existing("level")),
            "region_code": _regions(c, ref, existing),
            "start_date": start_iso,
            "end_date": end_iso,
            **texts,
        },
    )
    # One row per meeting, each detail from the first row that gives it.
    meeting_rows = meeting_rows.groupby("id", sort=False, as_index=False).first()
    # Attendance: the rows that name a library (a row without one only describes its meeting).
    with_library = ~(c.blank("library_id") & c.blank("library_name"))
    libs = c.libraries(ref, rows=with_library)
    attendees = c.integer("attendees")
    female = c.integer("attendees_female")
    c.flag(
        (
            attendees.notna() & female.notna() & (attendees.fillna(-1) >= 0) & (female.fillna(0) > attendees.fillna(0))
        ).to_numpy(),
        "attendees_female",
        "female_exceeds",
        total=attendees.astype(object).where(attendees.notna(), ""),
    )
    presented = c.parsed("presented", parse.flag, "bad_flag")
    lapak = c.parsed("lapak", parse.flag, "bad_flag")
    c.duplicates(
        [meeting, libs],
        "library_name" if c.has("library_name") else "library_id",
        with_library & meeting.notna() & libs.notna(),
    )
    attendance = _frame(
        c,
        with_library & meeting.notna() & libs.notna(),
        {
            "meeting_id": meeting,
            "library_id": libs,
            "attendees": attendees,
            "attendees_female": female,
            "presented": presented,
            "lapak": lapak,
        },
    )
    return {"meetings": meeting_rows, "attendance": attendance}


def _regions(c: Checker, ref: Reference, existing) -> pd.Series:
    """The region code the meeting keys were built from (recomputed: cheap, and keeps the key function pure)."""
    levels = parse.map_unique(c.col("level"), parse.lookup(parse.LEVELS))
    out = existing("region_code")
    for level, resolver in (("kabupaten", ref.district), ("provinsi", ref.province), ("nasional", None)):
        rows = (levels == level) & (~c.blank("region") | (level == "nasional"))
        if not rows.any():
            continue
        if resolver is None:
            out[rows] = ""
        else:
            out[rows] = parse.map_unique(c.col("region")[rows], resolver).map(lambda r: r[0])
    return out


def _reports(c: Checker, ref: Reference) -> dict[str, pd.DataFrame]:
    long = c.has("indicator_code") and c.has("value")
    if not long:
        c.df = _melt_wide(c)
        c.bad = np.zeros(len(c.df), dtype=bool)
    c.required("cycle_id")
    if long:
        c.required("indicator_code", "value")
    libs = c.libraries(ref)
    cycles = c.cycles("cycle_id", ref)
    codes = parse.map_unique(c.col("indicator_code"), lambda v: ref.indicator_keys.get(parse.header_key(v)))
    c.flag(codes.isna() & ~c.blank("indicator_code"), "indicator_code", "unknown_indicator")
    values = c.parsed("value", c.number, "not_a_number")
    known = values.notna()
    as_float = values.where(known, np.nan).astype(float)
    c.flag(known & (as_float < 0), "value", "negative")
    counted = codes.map(lambda code: ref.indicators.get(code) in COUNT_UNITS).astype(bool)
    c.flag(known & counted & (as_float >= 0) & (as_float != np.floor(as_float.fillna(0))), "value", "not_an_integer")
    submitted = c.dates("submitted_on")
    starts = cycles.map(lambda v: ref.cycles[v][0] if v in ref.cycles else None)
    sub_iso = _iso(submitted)
    early = sub_iso.notna() & starts.notna() & (sub_iso.fillna("") < starts.fillna(""))
    c.flag(early.to_numpy(), "submitted_on", "submitted_before_cycle", cycle=cycles.fillna(""))
    future = sub_iso.notna() & (sub_iso.fillna("") > dt.date.today().isoformat())
    c.flag(future.to_numpy(), "submitted_on", "date_in_future")
    keyed = libs.notna() & cycles.notna() & codes.notna()
    c.duplicates([libs, cycles, codes], "indicator_code" if long else "value", keyed)
    _parts_of_whole(c, libs, cycles, codes, as_float, keyed & known)
    frame = _frame(
        c,
        keyed & known,
        {
            "library_id": libs,
            "cycle_id": cycles,
            "indicator_code": codes,
            "value": values.map(lambda v: None if v is None else float(v)),
            "submitted_on": sub_iso,
        },
    )
    return {"reports": frame}


def _melt_wide(c: Checker) -> pd.DataFrame:
    """One row per library, cycle and indicator from a sheet with one column per indicator; blanks skipped."""
    df = c.df
    indicator_columns = [k for k in df.columns if str(k).startswith("ind:")]
    base = [k for k in df.columns if not str(k).startswith("ind:")]
    parts = []
    for column in indicator_columns:
        part = df[base].copy()
        part["indicator_code"] = column[4:]
        part["value"] = df[column]
        part["_header"] = column
        parts.append(part[~df[column].map(parse.is_blank).astype(bool)])
    if not parts:
        return df.iloc[0:0].assign(indicator_code="", value="")
    melted = pd.concat(parts, ignore_index=True)
    # Messages name the column the value was in, as the file calls it.
    for headers in c.headers.values():
        for column in indicator_columns:
            headers.setdefault(column, column[4:])
    melted = melted.sort_values(["_sheet", "_row"], kind="stable", ignore_index=True)
    return melted


def _parts_of_whole(c: Checker, libs, cycles, codes, values, ok) -> None:
    frame = pd.DataFrame({"l": libs, "c": cycles, "i": codes, "v": values})[np.asarray(ok, dtype=bool)]
    whole = frame[frame["i"] == "peserta_kegiatan"].set_index(["l", "c"])["v"]
    whole = whole[~whole.index.duplicated()]
    if whole.empty:
        return
    parts = frame[frame["i"].isin(PARTS_OF_PARTICIPANTS)]
    totals = pd.Series(list(zip(parts["l"], parts["c"])), index=parts.index).map(whole)
    over = parts.index[(parts["v"] > totals).to_numpy()]
    mask = pd.Series(False, index=c.df.index)
    mask[over] = True
    total = pd.Series("", index=c.df.index, dtype=object)
    total[over] = totals[over].map(lambda v: parse.clean_text(v))
    c.flag(mask, "value", "part_exceeds_whole", total=total)


def _award_category(value) -> str | None:
    text = parse.name_key(value)
    for key, labels in i18n.CATALOG.items():
        if key.startswith("award.") and text in {parse.name_key(labels["id"]), parse.name_key(labels["en"])}:
            return key[len("award.") :]
    slug = re.sub(r"[^0-9a-z]+", "_", text).strip("_")
    return slug or None


def _awards(c: Checker, ref: Reference) -> dict[str, pd.DataFrame]:
    c.required("category")
    meeting = _meeting_keys(c, ref, create=False)
    libs = c.libraries(ref)
    categories = c.parsed("category", _award_category, "required")
    rank = c.integer("rank", minimum=1)
    keyed = meeting.notna() & libs.notna() & categories.notna()
    c.duplicates([meeting, categories, libs], "category", keyed)
    return {
        "awards": _frame(c, keyed, {"meeting_id": meeting, "library_id": libs, "category": categories, "rank": rank})
    }


def _stories(c: Checker, ref: Reference) -> dict[str, pd.DataFrame]:
    c.required("cycle_id", "kind", "text")
    libs = c.libraries(ref)
    cycles = c.cycles("cycle_id", ref)
    kinds = c.parsed("kind", parse.lookup(parse.STORY_KINDS), "unknown_story_kind")
    texts, links = _texts(c, "text"), _texts(c, "link")
    c.flag((links.notna() & ~links.fillna("").str.match(r"^https?://\S+$")).to_numpy(), "link", "bad_link")
    keyed = libs.notna() & cycles.notna() & kinds.notna() & texts.notna()
    c.duplicates([libs, cycles, kinds, _compared(texts), links.fillna("")], "text", keyed)
    return {
        "stories": _frame(
            c, keyed, {"library_id": libs, "cycle_id": cycles, "kind": kinds, "text": texts, "link": links}
        )
    }


def _visits(c: Checker, ref: Reference) -> dict[str, pd.DataFrame]:
    c.required("visit_date")
    libs = c.libraries(ref)
    dates = c.dates("visit_date")
    iso = _iso(dates)
    first = min((v[0] for v in ref.cycles.values()), default="")
    last = max((v[1] for v in ref.cycles.values()), default="")
    c.flag(
        (iso.notna() & ((iso.fillna("") < first) | (iso.fillna("") > last))).to_numpy(),
        "visit_date",
        "date_outside_cycles",
    )
    team, notes = _texts(c, "team"), _texts(c, "notes")
    keyed = libs.notna() & iso.notna()
    c.duplicates([libs, iso, _compared(team), _compared(notes)], "visit_date", keyed)
    return {"visits": _frame(c, keyed, {"library_id": libs, "visit_date": iso, "team": team, "notes": notes})}


VALIDATORS = {
    "libraries": _libraries,
    "meetings": _meetings,
    "reports": _reports,
    "awards": _awards,
    "stories": _stories,
    "visits": _visits,
}


def validate(
    kind: str,
    tables: list[Table],
    ref: Reference,
    extra: list[Problem] | None = None,
    decimal_comma: bool = True,
    actor=None,
) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """The rows to write per table and every problem (in file order, each once). With ``actor`` (a
    ``users.User``), rows about a library outside their area are problems too (``scope.flag_rows``)."""
    from . import scope

    checker = Checker(tables, extra or [], decimal_comma)
    frames = VALIDATORS[kind](checker, ref)
    scope.flag_rows(checker, kind, frames, ref, actor)
    seen = set()
    problems = []
    for p in checker.problems:
        if p not in seen:
            seen.add(p)
            problems.append(p)
    problems.sort(key=lambda p: (p.row is not None, p.sheet, p.row or 0))
    return frames, problems
