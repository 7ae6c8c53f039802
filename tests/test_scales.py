"""The larger demo scales have the shape the issue asks for."""

import sqlite3

import pytest

from analytics import demo


def counts(path):
    conn = sqlite3.connect(path)
    tiers = dict(conn.execute("SELECT tier, count(*) FROM libraries GROUP BY tier"))
    cycles = conn.execute("SELECT min(id), max(id), count(*) FROM cycles").fetchone()
    provinces = conn.execute("SELECT count(DISTINCT d.province_code) FROM libraries l "
                             "JOIN districts d ON d.code = l.district_code").fetchone()[0]
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
    rows = dict(conn.execute("""SELECT CASE WHEN l.tier IN ('desa', 'tbm') THEN 'village' ELSE l.tier END, count(*)
        FROM attendance a JOIN libraries l ON l.id = a.library_id JOIN meetings m ON m.id = a.meeting_id
        WHERE m.start_date = '2018-07-05' AND m.level = 'nasional' GROUP BY 1"""))
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
