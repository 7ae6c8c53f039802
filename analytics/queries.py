"""Every SQL query the dashboard's pages run (the read side; no SQL in analytics/app/ or pages/). Parameters are
always bound, never formatted.

SQL that is not a page's reading lives with the module that owns the data it touches: the schema, its checks and
the database's meta rows in ``store``; schema changes in ``migrate``; validation and writes of an import in
``importing/``; accounts, sign-in attempts and the audit log in ``users``; building the demo and the reference
geography in ``demo`` and ``reference``; whole-table exports in ``exports``; the bulk read of the reports table
in parallel ranges in ``snapshot``; dialect differences in ``db``; and the developer tools' own fixtures in
``tools/`` (tests/test_layout.py checks that the Streamlit layer holds none).

Each query runs on SQLite and on PostgreSQL alike (``analytics/db.py`` translates placeholders and ``instr``):
written in the SQL both accept, frames read with ``db.frame``. In particular: no sum of a comparison (PostgreSQL
has no boolean arithmetic: ``CASE``), and a parameter only tested for NULL is cast (``CAST(:x AS TEXT) IS
NULL``: PostgreSQL must know its type).
"""

from __future__ import annotations

import sqlite3

import pandas as pd

from . import db


def _frame(sql: str, conn, params=()) -> pd.DataFrame:
    return db.frame(conn, sql, params)


def headline(conn: sqlite3.Connection) -> dict:
    """Program-wide totals for the landing page."""
    row = conn.execute(
        """
        SELECT
          (SELECT count(*) FROM libraries),
          (SELECT count(DISTINCT d.province_code) FROM libraries l JOIN districts d ON d.code = l.district_code),
          (SELECT count(DISTINCT district_code) FROM libraries),
          (SELECT count(*) FROM meetings),
          (SELECT count(*) FROM cycles),
          (SELECT count(*) FROM reports),
          (SELECT min(id) FROM cycles WHERE seq = (SELECT min(seq) FROM cycles)),
          (SELECT min(id) FROM cycles WHERE seq = (SELECT max(seq) FROM cycles))
        """
    ).fetchone()
    keys = ("libraries", "provinces", "districts", "meetings", "cycles", "reports", "first_cycle", "last_cycle")
    return dict(zip(keys, row))


def libraries_by_tier(conn: sqlite3.Connection) -> pd.DataFrame:
    return _frame("SELECT tier, count(*) AS libraries FROM libraries GROUP BY tier ORDER BY tier", conn)


def demo_meta(conn: sqlite3.Connection) -> dict:
    return dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('demo', 'demo_scale', 'demo_seed')"))


# --- frames the dashboard loads once per database version (analytics/dataset.py) ---


def provinces(conn: sqlite3.Connection) -> pd.DataFrame:
    return _frame("SELECT code, name, lat, lon FROM provinces ORDER BY code", conn)


def districts(conn: sqlite3.Connection) -> pd.DataFrame:
    return _frame("SELECT code, province_code, name, kind, lat, lon FROM districts ORDER BY code", conn)


def cycles(conn: sqlite3.Connection) -> pd.DataFrame:
    return _frame("SELECT id, year, term, start_date, end_date, seq FROM cycles ORDER BY seq", conn)


def indicators(conn: sqlite3.Connection) -> pd.DataFrame:
    return _frame(
        "SELECT code, name_id, name_en, unit, strategy, aggregation, higher_is_better, target FROM indicators "
        "ORDER BY strategy, code",
        conn,
    )


def libraries(conn: sqlite3.Connection) -> pd.DataFrame:
    """Libraries with their province and the ordinals of their first and last cycle (-1 / NULL when open)."""
    return _frame(
        """
        SELECT l.id, l.name, l.tier, l.district_code, d.province_code, l.subdistrict, l.village, l.cohort,
               j.seq AS joined_seq, x.seq AS left_seq
        FROM libraries l
        JOIN districts d ON d.code = l.district_code
        LEFT JOIN cycles j ON j.id = l.joined_cycle
        LEFT JOIN cycles x ON x.id = l.left_cycle
        ORDER BY l.id
        """,
        conn,
    )


def attendance_by_library_cycle(conn: sqlite3.Connection) -> pd.DataFrame:
    """PLMs attended per library and cycle (any level), with the people sent."""
    return _frame(
        """
        SELECT a.library_id, c.seq, count(*) AS meetings, sum(a.attendees) AS attendees,
               sum(a.attendees_female) AS attendees_female, max(a.presented) AS presented, max(a.lapak) AS lapak
        FROM attendance a JOIN meetings m ON m.id = a.meeting_id JOIN cycles c ON c.id = m.cycle_id
        GROUP BY a.library_id, c.seq
        """,
        conn,
    )


def report_submissions(conn: sqlite3.Connection, grace_days: int) -> pd.DataFrame:
    """One row per library and cycle with a report: its date (the earliest non-blank ``submitted_on``; NULL
    when no value has one: "date unknown") and whether it was on time (never when its date is unknown)."""
    return _frame(
        """
        SELECT r.library_id, c.seq, min(nullif(trim(r.submitted_on), '')) AS submitted_on,
               count(*) AS values_reported,
               min(nullif(trim(r.submitted_on), '')) IS NULL AS date_unknown,
               coalesce(min(nullif(trim(r.submitted_on), '')) <= date(c.end_date, '+' || ? || ' days'), 0) AS on_time
        FROM reports r JOIN cycles c ON c.id = r.cycle_id
        GROUP BY r.library_id, c.seq
        """,
        conn,
        params=(grace_days,),
    )


def report_values(conn: sqlite3.Connection) -> pd.DataFrame:
    """Every report value, keyed by integers (cycle ordinal) for fast grouping."""
    return _frame(
        "SELECT r.library_id, c.seq, r.indicator_code AS indicator, r.value "
        "FROM reports r JOIN cycles c ON c.id = r.cycle_id",
        conn,
    )


def visits(conn: sqlite3.Connection) -> pd.DataFrame:
    return _frame("SELECT id, library_id, visit_date, team, notes FROM visits ORDER BY visit_date", conn)


def meetings(conn: sqlite3.Connection) -> pd.DataFrame:
    return _frame(
        "SELECT m.id, m.cycle_id, c.seq, m.level, m.region_code, m.start_date, m.end_date, m.city, m.venue, m.title "
        "FROM meetings m JOIN cycles c ON c.id = m.cycle_id ORDER BY m.start_date, m.id",
        conn,
    )


def last_import(conn: sqlite3.Connection) -> dict | None:
    row = conn.execute(
        "SELECT id, kind, file_name, rows, status, finished_at, started_at FROM imports ORDER BY id DESC LIMIT 1"
    ).fetchone()
    keys = ("id", "kind", "file_name", "rows", "status", "finished_at", "started_at")
    return dict(zip(keys, row)) if row else None


# --- small per-library lookups (library profile) ---


def library_awards(conn: sqlite3.Connection, library_id: int) -> pd.DataFrame:
    return _frame(
        "SELECT m.start_date, m.title, m.level, a.category, a.rank "
        "FROM awards a JOIN meetings m ON m.id = a.meeting_id "
        "WHERE a.library_id = ? ORDER BY m.start_date",
        conn,
        params=(library_id,),
    )


def library_stories(conn: sqlite3.Connection, library_id: int) -> pd.DataFrame:
    return _frame(
        "SELECT s.cycle_id, s.kind, s.text, s.link FROM stories s JOIN cycles c ON c.id = s.cycle_id "
        "WHERE s.library_id = ? ORDER BY c.seq, s.id",
        conn,
        params=(library_id,),
    )


def library_visits(conn: sqlite3.Connection, library_id: int) -> pd.DataFrame:
    return _frame(
        "SELECT visit_date, team, notes FROM visits WHERE library_id = ? ORDER BY visit_date",
        conn,
        params=(library_id,),
    )


def meeting_attendance_by_tier(conn: sqlite3.Connection, cycle_id: str) -> pd.DataFrame:
    """Every PLM of a cycle with the libraries that attended it, by tier."""
    return _frame(
        """
        SELECT m.id, m.level, m.region_code, m.start_date, m.end_date, m.city, m.venue, m.title,
               sum(CASE WHEN l.tier = 'provinsi' THEN 1 WHEN l.tier IS NOT NULL THEN 0 END) AS provinsi,
               sum(CASE WHEN l.tier = 'kabupaten_kota' THEN 1 WHEN l.tier IS NOT NULL THEN 0 END) AS kabupaten_kota,
               sum(CASE WHEN l.tier IN ('desa', 'tbm') THEN 1 WHEN l.tier IS NOT NULL THEN 0 END) AS village,
               count(a.library_id) AS libraries,
               coalesce(sum(a.attendees), 0) AS attendees
        FROM meetings m
        LEFT JOIN attendance a ON a.meeting_id = m.id
        LEFT JOIN libraries l ON l.id = a.library_id
        WHERE m.cycle_id = ?
        GROUP BY m.id
        ORDER BY CASE m.level WHEN 'nasional' THEN 0 WHEN 'provinsi' THEN 1 ELSE 2 END, m.region_code, m.start_date
        """,
        conn,
        params=(cycle_id,),
    )


# --- stories, awards, deck (issue 6) ---
# Region filters follow the library: a story or an award belongs to the region of its library. Every value is
# bound; ``CAST(:x AS TEXT) IS NULL OR ...`` lets one statement serve every combination of filters. The statements are
# written out in full (no string building), so each can be read and checked on its own.

_STORIES = """
    SELECT s.id, s.library_id, l.name AS library, l.tier, l.village, d.name AS district, s.cycle_id, c.seq,
           s.kind, s.text, s.link
    FROM stories s JOIN libraries l ON l.id = s.library_id JOIN districts d ON d.code = l.district_code
    JOIN cycles c ON c.id = s.cycle_id
    WHERE (CAST(:province AS TEXT) IS NULL OR d.province_code = :province)
      AND (CAST(:district AS TEXT) IS NULL OR l.district_code = :district)
      AND (CAST(:tier AS TEXT) IS NULL OR l.tier = :tier) AND (CAST(:cohort AS TEXT) IS NULL OR l.cohort = :cohort)
      AND c.seq BETWEEN (SELECT seq FROM cycles WHERE id = :first) AND (SELECT seq FROM cycles WHERE id = :last)
      AND (CAST(:kind AS TEXT) IS NULL OR s.kind = :kind)
      AND (CAST(:text AS TEXT) IS NULL OR instr(lower(s.text), lower(CAST(:text AS TEXT))) > 0
           OR instr(lower(l.name), lower(CAST(:text AS TEXT))) > 0)
    ORDER BY c.seq DESC, l.name, s.id
    LIMIT :limit
"""

_STORY_COUNTS = """
    SELECT s.cycle_id, c.seq, s.kind, count(*) AS stories
    FROM stories s JOIN libraries l ON l.id = s.library_id JOIN districts d ON d.code = l.district_code
    JOIN cycles c ON c.id = s.cycle_id
    WHERE (CAST(:province AS TEXT) IS NULL OR d.province_code = :province)
      AND (CAST(:district AS TEXT) IS NULL OR l.district_code = :district)
      AND (CAST(:tier AS TEXT) IS NULL OR l.tier = :tier) AND (CAST(:cohort AS TEXT) IS NULL OR l.cohort = :cohort)
      AND c.seq BETWEEN (SELECT seq FROM cycles WHERE id = :first) AND (SELECT seq FROM cycles WHERE id = :last)
      AND (CAST(:kind AS TEXT) IS NULL OR s.kind = :kind)
      AND (CAST(:text AS TEXT) IS NULL OR instr(lower(s.text), lower(CAST(:text AS TEXT))) > 0
           OR instr(lower(l.name), lower(CAST(:text AS TEXT))) > 0)
    GROUP BY c.seq, s.cycle_id, s.kind
    ORDER BY c.seq, s.kind
"""

_AWARDS = """
    SELECT m.id AS meeting_id, m.start_date, m.level, m.title, m.city, m.cycle_id, a.category, a.rank,
           a.library_id, l.name AS library, l.tier, d.name AS district
    FROM awards a JOIN meetings m ON m.id = a.meeting_id JOIN cycles c ON c.id = m.cycle_id
    JOIN libraries l ON l.id = a.library_id JOIN districts d ON d.code = l.district_code
    WHERE (CAST(:province AS TEXT) IS NULL OR d.province_code = :province)
      AND (CAST(:district AS TEXT) IS NULL OR l.district_code = :district)
      AND (CAST(:tier AS TEXT) IS NULL OR l.tier = :tier) AND (CAST(:cohort AS TEXT) IS NULL OR l.cohort = :cohort)
      AND c.seq BETWEEN (SELECT seq FROM cycles WHERE id = :first) AND (SELECT seq FROM cycles WHERE id = :last)
    ORDER BY m.start_date DESC, m.id, a.category, a.rank, l.name
"""


def _region_params(province, district, tier, cohort, first, last, kind=None, text=None) -> dict:
    return {
        "province": province,
        "district": district,
        "tier": tier,
        "cohort": cohort,
        "first": first,
        "last": last,
        "kind": kind,
        "text": text or None,
    }


def stories(
    conn: sqlite3.Connection,
    province: str | None,
    district: str | None,
    tier: str | None,
    cohort: str | None,
    first: str,
    last: str,
    kind: str | None = None,
    text: str | None = None,
    limit: int = 1000,
) -> pd.DataFrame:
    """Stories of the libraries of a region in cycles ``first..last`` (newest cycle first), optionally of one
    kind and containing ``text`` (in the story or the library's name, case-insensitive)."""
    params = {**_region_params(province, district, tier, cohort, first, last, kind, text), "limit": limit}
    return _frame(_STORIES, conn, params=params)


def story_counts(
    conn: sqlite3.Connection,
    province: str | None,
    district: str | None,
    tier: str | None,
    cohort: str | None,
    first: str,
    last: str,
    kind: str | None = None,
    text: str | None = None,
) -> pd.DataFrame:
    """Stories per cycle and kind under the same filters as ``stories`` (all of them, not only those listed)."""
    return _frame(_STORY_COUNTS, conn, params=_region_params(province, district, tier, cohort, first, last, kind, text))


def awards(
    conn: sqlite3.Connection,
    province: str | None,
    district: str | None,
    tier: str | None,
    cohort: str | None,
    first: str,
    last: str,
) -> pd.DataFrame:
    """Awards given at PLMs of cycles ``first..last`` to the libraries of a region, newest meeting first."""
    params = _region_params(province, district, tier, cohort, first, last)
    del params["kind"], params["text"]
    return _frame(_AWARDS, conn, params=params)


# --- what changed: the data version and the refresh after an import (analytics/snapshot.py) ---


def data_version_row(conn) -> tuple:
    """What the data version of a PostgreSQL database is made of, in one small query: imports done, imports
    undone, the latest of them, and the transactions that last wrote ``meta`` (a rebuilt demo or a migration
    rewrites it). An import or an undo that commits changes the first three; a rejected, failed or running one
    changes none of them. Raises ``db.DatabaseError`` when the tables are missing."""
    return conn.execute(
        """
        SELECT (SELECT count(*) FROM imports WHERE status = 'done'),
               (SELECT count(*) FROM imports WHERE status = 'undone'),
               (SELECT max(id) FROM imports WHERE status IN ('done', 'undone')),
               (SELECT string_agg(xmin::text, ',' ORDER BY key) FROM meta)
        """
    ).fetchone()


def meta_generation(conn) -> str:
    """PostgreSQL: the transactions that last wrote ``meta``'s rows (the demo's or a migration's)."""
    return conn.execute("SELECT string_agg(xmin::text, ',' ORDER BY key) FROM meta").fetchone()[0] or ""


def import_states(conn) -> pd.DataFrame:
    """Every import's id and status (what a snapshot compares to find the imports done or undone since)."""
    return _frame("SELECT id, status FROM imports ORDER BY id", conn)


def _in_list(values) -> str:
    return "(" + ", ".join("?" * len(values)) + ")"  # placeholders only: the values are bound


def import_change_keys(conn, import_ids: list[int]) -> list[tuple[str, str]]:
    """The table and key (a JSON list) of every row the imports ``import_ids`` inserted or changed."""
    out: list[tuple[str, str]] = []
    for start in range(0, len(import_ids), 500):
        chunk = list(import_ids[start : start + 500])
        out += conn.execute(
            "SELECT tbl, key FROM import_changes WHERE import_id IN "  # noqa: S608 - placeholders
            + _in_list(chunk),
            chunk,
        ).fetchall()
    return out


def attendance_of_libraries(conn, library_ids: list[int]) -> pd.DataFrame:
    """``attendance_by_library_cycle`` for these libraries only."""
    parts = []
    for start in range(0, len(library_ids), 500):
        chunk = list(library_ids[start : start + 500])
        parts.append(
            _frame(
                """
            SELECT a.library_id, c.seq, count(*) AS meetings, sum(a.attendees) AS attendees,
                   sum(a.attendees_female) AS attendees_female, max(a.presented) AS presented, max(a.lapak) AS lapak
            FROM attendance a JOIN meetings m ON m.id = a.meeting_id JOIN cycles c ON c.id = m.cycle_id
            WHERE a.library_id IN """  # noqa: S608 - placeholders only
                + _in_list(chunk)
                + """
            GROUP BY a.library_id, c.seq
            """,
                conn,
                params=chunk,
            )
        )  # noqa: S608 - placeholders only
    return pd.concat(parts, ignore_index=True) if parts else attendance_of_libraries(conn, [-1])


def reports_of(conn, pairs: list[tuple[int, str]]) -> list[tuple]:
    """The report rows (library, cycle, indicator, value, date) of these (library, cycle) pairs: looked up by
    the primary key, pair by pair (a ``VALUES`` list joined to ``reports``)."""
    rows: list[tuple] = []
    for start in range(0, len(pairs), 500):
        chunk = pairs[start : start + 500]
        keys = ", ".join(["(CAST(? AS INTEGER), CAST(? AS TEXT))"] * len(chunk))  # placeholders only
        sql = (
            "SELECT r.library_id, r.cycle_id, r.indicator_code, r.value, r.submitted_on "  # noqa: S608
            f"FROM (VALUES {keys}) AS k JOIN reports r ON r.library_id = k.column1 AND r.cycle_id = k.column2"
        )
        rows += conn.execute(sql, [v for pair in chunk for v in pair]).fetchall()
    return rows


REPORTS_COPY = (
    "COPY (SELECT library_id, cycle_id, indicator_code, value, submitted_on FROM reports) "
    "TO STDOUT (FORMAT csv)"
)  # PostgreSQL: every report row as CSV (snapshot._reports_pg)
