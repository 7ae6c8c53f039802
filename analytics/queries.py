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
