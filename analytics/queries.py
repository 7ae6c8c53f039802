"""Every SQL query the dashboard runs (the one place SQL lives). Parameters are always bound, never formatted."""

from __future__ import annotations

import sqlite3

import pandas as pd


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
    return pd.read_sql_query("SELECT tier, count(*) AS libraries FROM libraries GROUP BY tier ORDER BY tier", conn)


def demo_meta(conn: sqlite3.Connection) -> dict:
    return dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('demo', 'demo_scale', 'demo_seed')"))


# --- frames the dashboard loads once per database version (analytics/dataset.py) ---

def provinces(conn: sqlite3.Connection) -> pd.DataFrame:
    return pd.read_sql_query("SELECT code, name, lat, lon FROM provinces ORDER BY code", conn)


def districts(conn: sqlite3.Connection) -> pd.DataFrame:
    return pd.read_sql_query("SELECT code, province_code, name, kind, lat, lon FROM districts ORDER BY code", conn)


def cycles(conn: sqlite3.Connection) -> pd.DataFrame:
    return pd.read_sql_query("SELECT id, year, term, start_date, end_date, seq FROM cycles ORDER BY seq", conn)


def indicators(conn: sqlite3.Connection) -> pd.DataFrame:
    return pd.read_sql_query(
        "SELECT code, name_id, name_en, unit, strategy, aggregation, higher_is_better, target FROM indicators "
        "ORDER BY strategy, code", conn)


def libraries(conn: sqlite3.Connection) -> pd.DataFrame:
    """Libraries with their province and the ordinals of their first and last cycle (-1 / NULL when open)."""
    return pd.read_sql_query(
        """
        SELECT l.id, l.name, l.tier, l.district_code, d.province_code, l.subdistrict, l.village, l.cohort,
               j.seq AS joined_seq, x.seq AS left_seq
        FROM libraries l
        JOIN districts d ON d.code = l.district_code
        LEFT JOIN cycles j ON j.id = l.joined_cycle
        LEFT JOIN cycles x ON x.id = l.left_cycle
        ORDER BY l.id
        """, conn)


def attendance_by_library_cycle(conn: sqlite3.Connection) -> pd.DataFrame:
    """PLMs attended per library and cycle (any level), with the people sent."""
    return pd.read_sql_query(
        """
        SELECT a.library_id, c.seq, count(*) AS meetings, sum(a.attendees) AS attendees,
               sum(a.attendees_female) AS attendees_female, max(a.presented) AS presented, max(a.lapak) AS lapak
        FROM attendance a JOIN meetings m ON m.id = a.meeting_id JOIN cycles c ON c.id = m.cycle_id
        GROUP BY a.library_id, c.seq
        """, conn)


def report_submissions(conn: sqlite3.Connection, grace_days: int) -> pd.DataFrame:
    """One row per library and cycle with a report: its date (the earliest non-blank ``submitted_on``; NULL
    when no value has one: "date unknown") and whether it was on time (never when its date is unknown)."""
    return pd.read_sql_query(
        """
        SELECT r.library_id, c.seq, min(nullif(trim(r.submitted_on), '')) AS submitted_on,
               count(*) AS values_reported,
               min(nullif(trim(r.submitted_on), '')) IS NULL AS date_unknown,
               coalesce(min(nullif(trim(r.submitted_on), '')) <= date(c.end_date, '+' || ? || ' days'), 0) AS on_time
        FROM reports r JOIN cycles c ON c.id = r.cycle_id
        GROUP BY r.library_id, c.seq
        """, conn, params=(grace_days,))


def report_values(conn: sqlite3.Connection) -> pd.DataFrame:
    """Every report value, keyed by integers (cycle ordinal) for fast grouping."""
    return pd.read_sql_query(
        "SELECT r.library_id, c.seq, r.indicator_code AS indicator, r.value "
        "FROM reports r JOIN cycles c ON c.id = r.cycle_id", conn)


def visits(conn: sqlite3.Connection) -> pd.DataFrame:
    return pd.read_sql_query("SELECT id, library_id, visit_date, team, notes FROM visits ORDER BY visit_date", conn)


def meetings(conn: sqlite3.Connection) -> pd.DataFrame:
    return pd.read_sql_query(
        "SELECT m.id, m.cycle_id, c.seq, m.level, m.region_code, m.start_date, m.end_date, m.city, m.venue, m.title "
        "FROM meetings m JOIN cycles c ON c.id = m.cycle_id ORDER BY m.start_date, m.id", conn)


def last_import(conn: sqlite3.Connection) -> dict | None:
    row = conn.execute("SELECT id, kind, file_name, rows, status, finished_at, started_at FROM imports "
                       "ORDER BY id DESC LIMIT 1").fetchone()
    keys = ("id", "kind", "file_name", "rows", "status", "finished_at", "started_at")
    return dict(zip(keys, row)) if row else None


# --- small per-library lookups (library profile) ---

def library_awards(conn: sqlite3.Connection, library_id: int) -> pd.DataFrame:
    return pd.read_sql_query(
        "SELECT m.start_date, m.title, m.level, a.category, a.rank "
        "FROM awards a JOIN meetings m ON m.id = a.meeting_id "
        "WHERE a.library_id = ? ORDER BY m.start_date", conn, params=(library_id,))


def library_stories(conn: sqlite3.Connection, library_id: int) -> pd.DataFrame:
    return pd.read_sql_query(
        "SELECT s.cycle_id, s.kind, s.text, s.link FROM stories s JOIN cycles c ON c.id = s.cycle_id "
        "WHERE s.library_id = ? ORDER BY c.seq, s.id", conn, params=(library_id,))


def library_visits(conn: sqlite3.Connection, library_id: int) -> pd.DataFrame:
    return pd.read_sql_query("SELECT visit_date, team, notes FROM visits WHERE library_id = ? ORDER BY visit_date",
                             conn, params=(library_id,))


def meeting_attendance_by_tier(conn: sqlite3.Connection, cycle_id: str) -> pd.DataFrame:
    """Every PLM of a cycle with the libraries that attended it, by tier."""
    return pd.read_sql_query(
        """
        SELECT m.id, m.level, m.region_code, m.start_date, m.end_date, m.city, m.venue, m.title,
               sum(l.tier = 'provinsi') AS provinsi, sum(l.tier = 'kabupaten_kota') AS kabupaten_kota,
               sum(l.tier IN ('desa', 'tbm')) AS village, count(a.library_id) AS libraries,
               coalesce(sum(a.attendees), 0) AS attendees
        FROM meetings m
        LEFT JOIN attendance a ON a.meeting_id = m.id
        LEFT JOIN libraries l ON l.id = a.library_id
        WHERE m.cycle_id = ?
        GROUP BY m.id
        ORDER BY CASE m.level WHEN 'nasional' THEN 0 WHEN 'provinsi' THEN 1 ELSE 2 END, m.region_code, m.start_date
        """, conn, params=(cycle_id,))


# --- stories, awards, deck (issue 6) ---
# Region filters follow the library: a story or an award belongs to the region of its library. Every value is
# bound; ``:x IS NULL OR ...`` lets one statement serve every combination of filters. The statements are
# written out in full (no string building), so each can be read and checked on its own.

_STORIES = """
    SELECT s.id, s.library_id, l.name AS library, l.tier, l.village, d.name AS district, s.cycle_id, c.seq,
           s.kind, s.text, s.link
    FROM stories s JOIN libraries l ON l.id = s.library_id JOIN districts d ON d.code = l.district_code
    JOIN cycles c ON c.id = s.cycle_id
    WHERE (:province IS NULL OR d.province_code = :province) AND (:district IS NULL OR l.district_code = :district)
      AND (:tier IS NULL OR l.tier = :tier) AND (:cohort IS NULL OR l.cohort = :cohort)
      AND c.seq BETWEEN (SELECT seq FROM cycles WHERE id = :first) AND (SELECT seq FROM cycles WHERE id = :last)
      AND (:kind IS NULL OR s.kind = :kind)
      AND (:text IS NULL OR instr(lower(s.text), lower(:text)) > 0 OR instr(lower(l.name), lower(:text)) > 0)
    ORDER BY c.seq DESC, l.name, s.id
    LIMIT :limit
"""

_STORY_COUNTS = """
    SELECT s.cycle_id, c.seq, s.kind, count(*) AS stories
    FROM stories s JOIN libraries l ON l.id = s.library_id JOIN districts d ON d.code = l.district_code
    JOIN cycles c ON c.id = s.cycle_id
    WHERE (:province IS NULL OR d.province_code = :province) AND (:district IS NULL OR l.district_code = :district)
      AND (:tier IS NULL OR l.tier = :tier) AND (:cohort IS NULL OR l.cohort = :cohort)
      AND c.seq BETWEEN (SELECT seq FROM cycles WHERE id = :first) AND (SELECT seq FROM cycles WHERE id = :last)
      AND (:kind IS NULL OR s.kind = :kind)
      AND (:text IS NULL OR instr(lower(s.text), lower(:text)) > 0 OR instr(lower(l.name), lower(:text)) > 0)
    GROUP BY c.seq, s.kind
    ORDER BY c.seq, s.kind
"""

_AWARDS = """
    SELECT m.id AS meeting_id, m.start_date, m.level, m.title, m.city, m.cycle_id, a.category, a.rank,
           a.library_id, l.name AS library, l.tier, d.name AS district
    FROM awards a JOIN meetings m ON m.id = a.meeting_id JOIN cycles c ON c.id = m.cycle_id
    JOIN libraries l ON l.id = a.library_id JOIN districts d ON d.code = l.district_code
    WHERE (:province IS NULL OR d.province_code = :province) AND (:district IS NULL OR l.district_code = :district)
      AND (:tier IS NULL OR l.tier = :tier) AND (:cohort IS NULL OR l.cohort = :cohort)
      AND c.seq BETWEEN (SELECT seq FROM cycles WHERE id = :first) AND (SELECT seq FROM cycles WHERE id = :last)
    ORDER BY m.start_date DESC, m.id, a.category, a.rank, l.name
"""


def _region_params(province, district, tier, cohort, first, last, kind=None, text=None) -> dict:
    return {"province": province, "district": district, "tier": tier, "cohort": cohort, "first": first,
            "last": last, "kind": kind, "text": text or None}


def stories(conn: sqlite3.Connection, province: str | None, district: str | None, tier: str | None,
            cohort: str | None, first: str, last: str, kind: str | None = None, text: str | None = None,
            limit: int = 1000) -> pd.DataFrame:
    """Stories of the libraries of a region in cycles ``first..last`` (newest cycle first), optionally of one
    kind and containing ``text`` (in the story or the library's name, case-insensitive)."""
    params = {**_region_params(province, district, tier, cohort, first, last, kind, text), "limit": limit}
    return pd.read_sql_query(_STORIES, conn, params=params)


def story_counts(conn: sqlite3.Connection, province: str | None, district: str | None, tier: str | None,
                 cohort: str | None, first: str, last: str, kind: str | None = None,
                 text: str | None = None) -> pd.DataFrame:
    """Stories per cycle and kind under the same filters as ``stories`` (all of them, not only those listed)."""
    return pd.read_sql_query(_STORY_COUNTS, conn,
                             params=_region_params(province, district, tier, cohort, first, last, kind, text))


def awards(conn: sqlite3.Connection, province: str | None, district: str | None, tier: str | None,
           cohort: str | None, first: str, last: str) -> pd.DataFrame:
    """Awards given at PLMs of cycles ``first..last`` to the libraries of a region, newest meeting first."""
    params = _region_params(province, district, tier, cohort, first, last)
    del params["kind"], params["text"]
    return pd.read_sql_query(_AWARDS, conn, params=params)
