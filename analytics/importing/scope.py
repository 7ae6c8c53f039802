"""Which rows an officer's import may write, and which imports they may undo (issue 15, item 2).

The rule is ``users.may_change`` (a district officer: their districts; a province officer: the districts of
their provinces; a national admin: everything), applied to what each row is about:

- a row about a library (a registry row, a report, an attendance, an award, a story, a visit): the library's
  district; a registry row that moves a library to another district is about both districts;
- a PLM's own details (dates, place, title) in a meetings file: the PLM's region (a kabupaten PLM its district,
  a provincial PLM its province, a national PLM the whole country: admins only), checked only when the file
  creates or changes them: a district officer records the attendance of their libraries at a provincial PLM
  without being able to change that PLM.

Every row outside the area is a problem (row, column, value, the area it is about), so the whole file is
rejected before anything is written. ``actor=None`` means no area check: the command line run by the operating
system's user without ``--by``, who reaches the database directly anyway.
"""

from __future__ import annotations

import json
import sqlite3

import pandas as pd

from .. import users
from .model import Problem, Table, problem

# Tables whose rows are about one library (``library_id``).
LIBRARY_TABLES = ("attendance", "reports", "awards", "stories", "visits")


def label(names: dict[str, str], code: str) -> str:
    """``'34.03'`` -> ``'34.03 Gunungkidul'`` (the code alone when it has no name)."""
    name = names.get(code)
    return f"{code} {name}" if name else str(code)


def areas_text(user: users.User, names: dict[str, str]) -> str:
    """The user's areas as a message shows them: ``'34.03 Gunungkidul, 34.71 Kota Yogyakarta'``."""
    return ", ".join(label(names, a) for a in user.areas) or "-"


def may_not_import(actor: users.User | None) -> Problem | None:
    """A whole-file problem when ``actor`` may not import at all (a viewer)."""
    if actor is None or actor.may_import:
        return None
    return problem("may_not_import", value=actor.email, role=actor.role)


def flag_rows(checker, kind: str, frames: dict[str, pd.DataFrame], ref, actor: users.User | None) -> None:
    """Flag on ``checker`` every validated row about a library outside ``actor``'s area (see the module)."""
    if actor is None or actor.is_admin:
        return
    district_of = dict(zip(ref.libraries["id"].tolist(), ref.libraries["district_code"].tolist()))
    outside: dict[tuple, str] = {}
    for table, frame in frames.items():
        if table == "libraries":
            for sheet, row, lid, new in zip(frame["_sheet"], frame["_row"], frame["id"], frame["district_code"]):
                old = district_of.get(int(lid)) if lid is not None and int(lid) > 0 else None
                for code in (old, new):
                    if code and not users.may_change(actor, code):
                        outside.setdefault((sheet, int(row)), code)
        elif table in LIBRARY_TABLES:
            for sheet, row, lid in zip(frame["_sheet"], frame["_row"], frame["library_id"]):
                code = district_of.get(int(lid)) if lid is not None else None
                if code and not users.may_change(actor, code):
                    outside.setdefault((sheet, int(row)), code)
    if not outside:
        return
    keys = zip(checker.df["_sheet"].tolist(), checker.df["_row"].tolist())
    codes = pd.Series([outside.get((s, int(r))) for s, r in keys], index=checker.df.index, dtype=object)
    hit = codes.notna().to_numpy()
    area = codes.map(lambda c: label(ref.area_names, c) if c else "")
    mine = areas_text(actor, ref.area_names)
    if kind == "libraries":
        checker.flag(hit, "district", "outside_area", area=area, areas=mine)
        return
    # The column the row names its library by: the district when given, else the id, else the name.
    by_district = hit & ~checker.blank("district").to_numpy()
    by_id = hit & ~by_district & ~checker.blank("library_id").to_numpy()
    by_name = hit & ~by_district & ~by_id
    for mask, column in ((by_district, "district"), (by_id, "library_id"), (by_name, "library_name")):
        checker.flag(mask, column, "outside_area", area=area, areas=mine)


def meeting_problems(diffs: dict, tables: list[Table], ref, actor: users.User | None) -> list[Problem]:
    """A problem for each PLM the file creates or changes outside ``actor``'s area."""
    if actor is None or actor.is_admin or "meetings" not in diffs:
        return []
    d = diffs["meetings"]
    headers = {t.sheet: t.headers for t in tables}
    constants = {t.sheet: t.constants for t in tables}
    mine = areas_text(actor, ref.area_names)
    out = []
    parts = [(d.new, None), (d.changed, d.old.reset_index(drop=True))]
    for frame, old in parts:
        frame = frame.reset_index(drop=True)
        for i, (sheet, row, level, region) in enumerate(
            zip(frame["_sheet"], frame["_row"], frame["level"], frame["region_code"])
        ):
            regions = [region if level != "nasional" else ""]
            if old is not None and i < len(old):
                regions.append(old["region_code"][i] if old["level"][i] != "nasional" else "")
            for code in regions:
                if users.may_change_area(actor, code or ""):
                    continue
                column = "region" if code else "level"
                header = headers.get(sheet, {}).get(column, column)
                at = constants.get(sheet, {}).get(column, row)
                if code:
                    out.append(
                        problem(
                            "outside_area",
                            sheet,
                            int(at),
                            header,
                            region or level,
                            area=label(ref.area_names, code),
                            areas=mine,
                        )
                    )
                else:
                    out.append(problem("national_meeting", sheet, int(at), header, level))
                break
    return out


def touched_areas(conn: sqlite3.Connection, import_id: int) -> set[str]:
    """The areas the done import ``import_id`` wrote to: district codes, province codes (provincial PLMs) and
    ``''`` (national PLMs). Rows it wrote still carry its id (undo is refused anyway when a later import changed
    them); the registry and PLM rows it changed are also about their earlier district or region."""
    areas: set[str] = set()
    for table in LIBRARY_TABLES:
        rows = conn.execute(
            f"SELECT DISTINCT l.district_code FROM {table} x JOIN libraries l "  # noqa: S608
            "ON l.id = x.library_id WHERE x.import_id = ?",
            (import_id,),
        )
        areas.update(r[0] for r in rows)
    areas.update(
        r[0] for r in conn.execute("SELECT DISTINCT district_code FROM libraries WHERE import_id = ?", (import_id,))
    )
    for level, region in conn.execute(
        "SELECT DISTINCT level, region_code FROM meetings WHERE import_id = ?", (import_id,)
    ):
        areas.add("" if level == "nasional" else region)
    if "import_changes" in _tables(conn):
        for table, old in conn.execute(
            "SELECT tbl, old FROM import_changes WHERE import_id = ? AND old IS NOT NULL "
            "AND tbl IN ('libraries', 'meetings')",
            (import_id,),
        ):
            before = json.loads(old)
            if table == "libraries":
                areas.add(before.get("district_code"))
            else:
                areas.add("" if before.get("level") == "nasional" else before.get("region_code"))
    areas.discard(None)
    return areas


def _tables(conn) -> set[str]:
    from .. import db

    return set(db.tables(conn))


def area_names(conn: sqlite3.Connection) -> dict[str, str]:
    """Code -> name of every district and province."""
    names = dict(conn.execute("SELECT code, name FROM provinces").fetchall())
    names.update(conn.execute("SELECT code, name FROM districts").fetchall())
    return names


def undo_outside(conn: sqlite3.Connection, import_id: int, actor: users.User | None) -> list[str]:
    """The areas (labelled, sorted) the import touched that ``actor`` may not change; empty when none."""
    if actor is None or actor.is_admin:
        return []
    names = area_names(conn)
    outside = sorted(code for code in touched_areas(conn, import_id) if not users.may_change_area(actor, code))
    return [label(names, code) if code else "nasional" for code in outside]
