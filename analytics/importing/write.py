"""Comparing validated rows with the database, writing them in one transaction, and undoing an import.

Every row an import inserts or changes gets the import's id in ``import_id``, and its key and previous values
go to ``import_changes`` (created here on first use), so that ``undo`` can delete what was inserted and restore
what was changed. Table and column names below come from this module's constants, never from a file.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import db
from . import parse
from .model import Problem, problem

# Parents before children: the order rows are written in (undo goes the other way).
ORDER = ("libraries", "meetings", "attendance", "reports", "awards", "stories", "visits")
KEYS = {
    "libraries": ("id",),
    "meetings": ("id",),
    "attendance": ("meeting_id", "library_id"),
    "reports": ("library_id", "cycle_id", "indicator_code"),
    "awards": ("meeting_id", "category", "library_id"),
    "stories": ("id",),
    "visits": ("id",),
}
COLUMNS = {
    "libraries": (
        "id",
        "name",
        "tier",
        "district_code",
        "subdistrict",
        "village",
        "cohort",
        "joined_cycle",
        "left_cycle",
    ),
    "meetings": ("id", "cycle_id", "level", "region_code", "start_date", "end_date", "city", "venue", "title"),
    "attendance": ("meeting_id", "library_id", "attendees", "attendees_female", "presented", "lapak"),
    "reports": ("library_id", "cycle_id", "indicator_code", "value", "submitted_on"),
    "awards": ("meeting_id", "library_id", "category", "rank"),
    "stories": ("id", "library_id", "cycle_id", "kind", "text", "link"),
    "visits": ("id", "library_id", "visit_date", "team", "notes"),
}
# Stories and visits have no natural key: a row is appended unless the same content is already there.
APPEND = {
    "stories": ("library_id", "cycle_id", "kind", "text", "link"),
    "visits": ("library_id", "visit_date", "team", "notes"),
}
# The column existing rows are looked up by (few distinct values per file).
LOOKUP = {
    "libraries": "id",
    "meetings": "id",
    "attendance": "meeting_id",
    "reports": "library_id",
    "awards": "meeting_id",
    "stories": "library_id",
    "visits": "library_id",
}
DEFAULTS = {
    "attendance": {"attendees": 1, "attendees_female": 0, "presented": 0, "lapak": 0},
    "meetings": {"region_code": ""},
}
CHANGES_SCHEMA = """
CREATE TABLE IF NOT EXISTS import_changes (
    import_id INTEGER NOT NULL REFERENCES imports(id),
    tbl TEXT NOT NULL,
    key TEXT NOT NULL,
    old TEXT,
    PRIMARY KEY (import_id, tbl, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS idx_import_changes_key ON import_changes(tbl, key);
"""


@dataclass
class Diff:
    """One table's rows split into new ones, changed ones (final values) and how many are unchanged."""

    table: str
    new: pd.DataFrame
    changed: pd.DataFrame
    old: pd.DataFrame  # the changed rows as they are now, all columns
    unchanged: int

    @property
    def counts(self) -> dict[str, int]:
        return {"new": len(self.new), "changed": len(self.changed), "unchanged": self.unchanged}


def _objects(frame: pd.DataFrame) -> pd.DataFrame:
    """Plain Python values with None for missing: what sqlite3 and json take, and what compares exactly."""
    out = frame.astype(object)
    return out.where(out.notna(), None)


NARROW_AT_MOST = 500  # other key columns with at most this many values in the file narrow the lookup too


def _lookup_values(values) -> list:
    """The distinct values that can match a stored row (no missing ones, no provisional negative ids)."""
    return sorted({v for v in values if v is not None and not (isinstance(v, int) and v < 0)}, key=str)


def _select(conn: sqlite3.Connection, table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The stored rows the file's rows may match: looked up by ``LOOKUP[table]`` in chunks, and narrowed by
    each other key column whose values in the file are few (a reports file of 5,000 libraries x 4 cycles x 5
    indicators reads those 100,000 rows, not the ~1.2 million stored for the 5,000 libraries)."""
    names = (*COLUMNS[table], "import_id")
    column = LOOKUP[table]
    sql = f"SELECT {', '.join(names)} FROM {table} WHERE {column} IN "  # noqa: S608 - constants only
    narrow, narrow_params = "", []
    if table not in APPEND:
        for other in KEYS[table]:
            if other != column and len(values := _lookup_values(frame[other])) <= NARROW_AT_MOST:
                narrow += f" AND {other} IN ({', '.join('?' * len(values))})"
                narrow_params += values
    parts = [pd.DataFrame(columns=names)]
    values = _lookup_values(frame[column])
    for start in range(0, len(values), 5000):
        chunk = values[start : start + 5000]
        rows = conn.execute(sql + f"({', '.join('?' * len(chunk))})" + narrow, [*chunk, *narrow_params]).fetchall()
        parts.append(pd.DataFrame(rows, columns=names, dtype=object))
    return _objects(pd.concat(parts, ignore_index=True)) if len(parts) > 1 else parts[0].astype(object)


def _content_key(row) -> tuple:
    """A story's or visit's content as compared: text stored as written matches the same text written with
    other apostrophes or spacing."""
    return tuple(parse.clean_text(v) if isinstance(v, str) else v for v in row)


def diff(conn: sqlite3.Connection, table: str, frame: pd.DataFrame) -> Diff:
    """Compare ``frame`` (validated rows; None = keep what is there) with the table's current rows."""
    columns = COLUMNS[table]
    frame = _objects(frame.reindex(columns=[*columns, "_row", "_sheet"]))
    existing = _select(conn, table, frame)
    if table in APPEND:
        content = list(APPEND[table])
        seen = {_content_key(r) for r in existing[content].itertuples(index=False)}
        same = pd.Series(
            [_content_key(r) in seen for r in frame[content].itertuples(index=False)], index=frame.index, dtype=bool
        )
        return Diff(table, frame[~same].reset_index(drop=True), frame.iloc[0:0], existing.iloc[0:0], int(same.sum()))
    keys = list(KEYS[table])
    merged = frame.merge(existing, on=keys, how="left", suffixes=("", "_old"), indicator=True)
    is_new = (merged["_merge"] == "left_only").to_numpy()
    if table in ("libraries", "meetings"):
        is_new = is_new | (pd.to_numeric(merged["id"]) < 0).to_numpy()
    values = [c for c in columns if c not in keys]
    changed = pd.Series(False, index=merged.index)
    for c in values:
        given, now = merged[c], merged[f"{c}_old"]
        differs = given.notna() & ~(given == now)
        changed |= differs
        merged[c] = given.where(given.notna(), now)
    changed &= ~is_new
    new = merged.loc[is_new, [*columns, "_row", "_sheet"]].reset_index(drop=True)
    for c, default in DEFAULTS.get(table, {}).items():
        new[c] = new[c].where(new[c].notna(), default)
    old = merged.loc[changed.to_numpy(), keys + [f"{c}_old" for c in values] + ["import_id"]]
    old.columns = keys + values + ["import_id"]
    return Diff(
        table,
        _objects(new),
        _objects(merged.loc[changed.to_numpy(), [*columns, "_row", "_sheet"]]),
        _objects(old.reindex(columns=[*columns, "import_id"])),
        int((~is_new & ~changed.to_numpy()).sum()),
    )


def plan(conn: sqlite3.Connection, frames: dict[str, pd.DataFrame]) -> tuple[dict[str, Diff], list[Problem]]:
    """The diff of every table the file touches, and problems only visible against current values."""
    diffs = {t: diff(conn, t, frames[t]) for t in ORDER if t in frames}
    problems: list[Problem] = []
    if "attendance" in diffs:
        # More women than attendees, counting values kept from the database (the schema cannot enforce it).
        for part in (diffs["attendance"].new, diffs["attendance"].changed):
            # A boolean array, not a list: an empty list would select no columns instead of no rows.
            over = part[
                np.array([int(f) > int(a) for f, a in zip(part["attendees_female"], part["attendees"])], dtype=bool)
            ]
            problems += [
                problem("female_exceeds", s, int(r), "attendees_female", f, total=a)
                for s, r, f, a in zip(over["_sheet"], over["_row"], over["attendees_female"], over["attendees"])
            ]
    return diffs, problems


def ensure_changes_table(conn: sqlite3.Connection) -> None:
    for statement in CHANGES_SCHEMA.strip().split(";"):
        if statement.strip():
            conn.execute(statement)


_JSON = json.JSONEncoder(ensure_ascii=False)


def _keys(frame: pd.DataFrame, keys: tuple[str, ...]) -> list[str]:
    """Each row's key as ``import_changes.key``: the JSON list of its key values (as ``json.dumps`` writes it),
    each distinct value encoded once."""
    columns = []
    for k in keys:
        encoded = {v: _JSON.encode(v) for v in set(frame[k].tolist())}
        columns.append([encoded[v] for v in frame[k].tolist()])
    return ["[" + ", ".join(parts) + "]" for parts in zip(*columns)]


def write(conn: sqlite3.Connection, diffs: dict[str, Diff], import_id: int) -> int:
    """Write the diffs inside the caller's transaction; returns the rows inserted or changed."""
    ensure_changes_table(conn)
    provisional: dict[str, dict[int, int]] = {}
    written = 0
    for table in ORDER:
        if table not in diffs:
            continue
        d = diffs[table]
        columns = COLUMNS[table]
        keys = KEYS[table]
        new, changed = d.new.copy(), d.changed.copy()
        if "id" not in columns:  # in key order: each B-tree page is then visited once, not once per row
            new, changed = new.sort_values(list(keys)), changed.sort_values(list(keys))
        if table == "attendance" and "meetings" in provisional:
            # Attendance of a meeting the same file creates: swap in the meeting's real id.
            new["meeting_id"] = new["meeting_id"].map(lambda m: provisional["meetings"].get(m, m))
        if "id" in columns and len(new):
            top = conn.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]  # noqa: S608
            real = list(range(top + 1, top + 1 + len(new)))
            if table in ("libraries", "meetings"):
                provisional[table] = dict(zip(new["id"].tolist(), real))
            new["id"] = real
        insert = (
            f"INSERT INTO {table}({', '.join(columns)}, import_id) "  # noqa: S608
            f"VALUES ({', '.join('?' * (len(columns) + 1))})"
        )
        conn.executemany(insert, [(*r, import_id) for r in new[list(columns)].itertuples(index=False)])
        if len(changed):
            values = [c for c in columns if c not in keys]
            update = (
                f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in values)}, import_id = ? "  # noqa: S608
                f"WHERE {' AND '.join(f'{k} = ?' for k in keys)}"
            )
            conn.executemany(
                update,
                [
                    (*r[: len(values)], import_id, *r[len(values) :])
                    for r in changed[values + list(keys)].itertuples(index=False)
                ],
            )
        log = [(import_id, table, key, None) for key in _keys(new, keys)]
        log += [
            (import_id, table, key, json.dumps(r, ensure_ascii=False, default=str))
            for key, r in zip(_keys(d.old, keys), d.old.to_dict("records"))
        ]
        conn.executemany("INSERT INTO import_changes(import_id, tbl, key, old) VALUES (?, ?, ?, ?)", log)
        written += len(new) + len(changed)
    return written


def has_changes_table(conn: sqlite3.Connection) -> bool:
    return "import_changes" in db.tables(conn)


def later_imports(conn: sqlite3.Connection, import_id: int) -> list[int]:
    """Imports still in force, done after ``import_id``, that changed a row it wrote."""
    if not has_changes_table(conn):
        return []
    rows = conn.execute(
        "SELECT DISTINCT l.import_id FROM import_changes c JOIN import_changes l "
        "ON l.tbl = c.tbl AND l.key = c.key AND l.import_id > c.import_id "
        "JOIN imports i ON i.id = l.import_id AND i.status = 'done' WHERE c.import_id = ? ORDER BY 1",
        (import_id,),
    )
    return [r[0] for r in rows]


def revert(conn: sqlite3.Connection, import_id: int) -> int:
    """Delete the rows the import inserted and restore the rows it changed (caller's transaction)."""
    if not has_changes_table(conn):
        return 0
    count = 0
    for table in reversed(ORDER):
        keys = KEYS[table]
        where = " AND ".join(f"{k} = ?" for k in keys)
        rows = conn.execute(
            "SELECT key, old FROM import_changes WHERE import_id = ? AND tbl = ?", (import_id, table)
        ).fetchall()
        deletes = [json.loads(k) for k, old in rows if old is None]
        conn.executemany(f"DELETE FROM {table} WHERE {where}", deletes)  # noqa: S608
        restores = [json.loads(old) for _, old in rows if old is not None]
        if restores:
            values = [c for c in (*COLUMNS[table], "import_id") if c not in keys]
            update = f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in values)} WHERE {where}"  # noqa: S608
            conn.executemany(update, [[r[c] for c in values] + [r[k] for k in keys] for r in restores])
        count += len(rows)
    return count
