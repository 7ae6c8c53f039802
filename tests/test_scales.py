"""The larger demo scales have the shape the issue asks for."""

import sqlite3

import pytest

from analytics import demo


def counts(path):
    conn = sqlite3.connect(path)
    tiers = dict(conn.execute("SELECT tier, count(*) FROM libraries GROUP BY tier"))
    cycles = conn.execute("SELECT min(id), max(id), count(*) FROM cycles").fetchone()
    provinces = conn.execute(
        "SELECT count(DISTINCT d.province_code) FROM libraries l JOIN districts d ON d.code = l.district_code"
    ).fetchone()[0]
    conn.close()
    return tiers, cycles, provinces


def test_program_scale_is_tpbis_sized(program_db):
    tiers, cycles, provinces = counts(program_db)
    assert cycles == ("2011-1", "2026-3", 48)
    assert provinces == 34 and tiers["provinsi"] == 34
    assert tiers["kabupaten_kota"] == 300
    assert tiers["desa"] + tiers["tbm"] == 2000


def test_program_scale_keeps_the_2018_national_plm(program_db):
    conn = sqlite3.connect(program_db)
    rows = dict(
        conn.execute("""SELECT CASE WHEN l.tier IN ('desa', 'tbm') THEN 'village' ELSE l.tier END, count(*)
        FROM attendance a JOIN libraries l ON l.id = a.library_id JOIN meetings m ON m.id = a.meeting_id
        WHERE m.start_date = '2018-07-05' AND m.level = 'nasional' GROUP BY 1""")
    )
    conn.close()
    assert rows == {"provinsi": 18, "kabupaten_kota": 104, "village": 768}


@pytest.mark.slow
def test_national_scale(tmp_path):
    path = tmp_path / "national.db"
    result = demo.build(path, "national", 2018)
    tiers, cycles, provinces = counts(path)
    assert cycles == ("2012-1", "2026-3", 45)
    assert provinces == 38
    assert tiers["provinsi"] == 38 and tiers["kabupaten_kota"] == 514
    assert tiers["desa"] + tiers["tbm"] == 23_000
    assert result["reports"] > 3_000_000  # several million report values
    assert result["libraries"] * 45 > 1_000_000  # about a million library-cycle rows


def test_unknown_scale_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown scale"):
        demo.build(tmp_path / "x.db", "galaxy")


# --- the program-scale scorecard has something to discuss (issue 12, item 11) ------------------------------

# docs/metrics.md, written as plain SQL: per province and strategy in a cycle, for every indicator the median
# value over the province's libraries that reported it (in one of their active cycles), divided by the target
# (target / value when lower is better), capped at 150 %; the mean over the strategy's indicators.
SCORECARD_SQL = """
WITH v AS (
  SELECT d.province_code AS region, r.indicator_code AS code, r.value AS value
  FROM reports r JOIN libraries l ON l.id = r.library_id JOIN districts d ON d.code = l.district_code
  JOIN cycles c ON c.id = r.cycle_id JOIN cycles j ON j.id = l.joined_cycle LEFT JOIN cycles x ON x.id = l.left_cycle
  WHERE r.cycle_id = ? AND r.value IS NOT NULL AND c.seq >= j.seq AND (x.seq IS NULL OR c.seq <= x.seq)
), ranked AS (
  SELECT region, code, value, row_number() OVER (PARTITION BY region, code ORDER BY value) AS k,
         count(*) OVER (PARTITION BY region, code) AS n
  FROM v
), med AS (
  SELECT region, code, avg(value) AS median FROM ranked WHERE k IN ((n + 1) / 2, (n + 2) / 2) GROUP BY region, code
), ratio AS (
  SELECT m.region, i.strategy,
         min(CASE WHEN i.higher_is_better THEN m.median / i.target ELSE i.target / m.median END, 1.5) AS ratio
  FROM med m JOIN indicators i ON i.code = m.code
  WHERE i.target > 0 AND (i.higher_is_better OR m.median > 0)
)
SELECT region, strategy, avg(ratio) FROM ratio GROUP BY region, strategy
"""
GREEN, YELLOW, RED = 2, 1, 0


def scorecard_colours(path, cycle) -> dict[tuple[str, str], int]:
    conn = sqlite3.connect(path)
    rows = conn.execute(SCORECARD_SQL, (cycle,)).fetchall()
    conn.close()
    return {(region, strategy): GREEN if r >= 1 else YELLOW if r >= 0.75 else RED for region, strategy, r in rows}


def test_the_median_in_the_scorecard_sql_is_the_median():
    # The oracle's median, checked on hand-worked values (odd and even counts, unsorted input).
    conn = sqlite3.connect(":memory:")
    conn.executescript("""
        CREATE TABLE t(g TEXT, value REAL);
        INSERT INTO t VALUES ('a', 5), ('a', 1), ('a', 3), ('b', 4), ('b', 1), ('b', 10), ('b', 2), ('c', 7);""")
    sql = SCORECARD_SQL.split("), ranked AS (")[1].split("), ratio AS (")[0]
    sql = (
        "WITH v AS (SELECT g AS region, 'x' AS code, value FROM t), ranked AS ("
        + sql
        + ") SELECT region, median FROM med"
    )
    assert dict(conn.execute(sql + " ORDER BY region").fetchall()) == {"a": 3.0, "b": 3.0, "c": 7.0}


def test_the_last_cycle_scorecard_has_red_yellow_and_green(program_db):
    colours = scorecard_colours(program_db, "2026-3")
    assert len(colours) == 34 * 4  # every province and strategy has a cell
    shares = {c: sum(v == c for v in colours.values()) / len(colours) for c in (GREEN, YELLOW, RED)}
    assert all(share >= 0.15 for share in shares.values()), shares
    # No strategy is one colour everywhere, and many provinces are strong in one strategy and weak in another.
    provinces, strategies = {p for p, _ in colours}, {s for _, s in colours}
    for strategy in strategies:
        assert len({colours[(p, strategy)] for p in provinces}) >= 2, strategy
    mixed = sum(len({colours[(p, s)] for s in strategies}) >= 2 for p in provinces)
    assert mixed >= 10, mixed


def test_scorecard_cells_change_colour_across_cycles_both_ways(program_db):
    cycles = ["2019-3", "2021-3", "2023-3", "2025-3", "2026-3"]
    colours = {c: scorecard_colours(program_db, c) for c in cycles}
    up = down = 0
    for before, after in zip(cycles, cycles[1:]):
        common = colours[before].keys() & colours[after].keys()
        up += sum(colours[after][k] > colours[before][k] for k in common)
        down += sum(colours[after][k] < colours[before][k] for k in common)
    assert up >= 30 and down >= 30, (up, down)  # some regions improve while others fall back
    # Earlier cycles look different from the last one: not one picture repeated.
    last = colours["2026-3"]
    assert sum(colours["2023-3"][k] != last[k] for k in last) >= 0.25 * len(last)
    # The network was greener before its course after 2018 began.
    early = scorecard_colours(program_db, "2018-3")
    assert sum(v == GREEN for v in early.values()) / len(early) > 0.7


def test_the_same_seed_gives_the_same_program_scale_values(program_db, tmp_path):
    again = tmp_path / "again.db"
    demo.build(again, "program", 2018)
    query = (
        "SELECT library_id, cycle_id, indicator_code, value, submitted_on FROM reports "
        "WHERE cycle_id >= '2019' ORDER BY 1, 2, 3"
    )
    conn_a, conn_b = sqlite3.connect(program_db), sqlite3.connect(again)
    try:
        assert conn_a.execute(query).fetchall() == conn_b.execute(query).fetchall()
    finally:
        conn_a.close()
        conn_b.close()
