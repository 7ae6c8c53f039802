"""The seed-scale facts of the seed documents, each asserted exactly by SQL on a generated database."""

import pytest

NATIONAL_2018 = "SELECT id FROM meetings WHERE level = 'nasional' AND start_date = '2018-07-05'"


def test_cycles_run_from_2011_1_to_2018_3(sql):
    rows = sql("SELECT id, start_date, end_date FROM cycles ORDER BY seq")
    assert len(rows) == 24
    assert rows[0] == ("2011-1", "2011-01-01", "2011-04-30")
    assert rows[-1] == ("2018-3", "2018-09-01", "2018-12-31")
    assert ("2018-2", "2018-05-01", "2018-08-31") in rows


def test_pilot_2011_has_118_libraries_in_16_provinces(sql):
    rows = dict(sql("SELECT tier, count(*) FROM libraries WHERE joined_cycle LIKE '2011-%' GROUP BY tier"))
    assert rows.get("kabupaten_kota") == 34
    assert rows.get("desa", 0) + rows.get("tbm", 0) == 84
    assert "provinsi" not in rows
    ((provinces,),) = sql(
        "SELECT count(DISTINCT d.province_code) FROM libraries l "
        "JOIN districts d ON d.code = l.district_code WHERE l.joined_cycle LIKE '2011-%'"
    )
    assert provinces == 16


def test_expansion_starts_in_2016(sql):
    ((before,),) = sql("SELECT count(*) FROM libraries WHERE joined_cycle BETWEEN '2012' AND '2015-9'")
    assert before == 0
    ((from_2016,),) = sql("SELECT count(*) FROM libraries WHERE joined_cycle >= '2016'")
    assert from_2016 == 890 - 118


def test_national_plm_2018_in_yogyakarta(sql):
    rows = sql("SELECT cycle_id, city, venue, end_date FROM meetings WHERE level = 'nasional'")
    assert rows == [("2018-2", "Yogyakarta", "Royal Ambarukmo", "2018-07-06")]


def test_national_plm_2018_attendance_18_104_768_from_18_provinces(sql):
    rows = dict(
        sql(f"""SELECT CASE WHEN l.tier IN ('desa', 'tbm') THEN 'village' ELSE l.tier END, count(*)
                        FROM attendance a JOIN libraries l ON l.id = a.library_id
                        WHERE a.meeting_id = ({NATIONAL_2018}) GROUP BY 1""")
    )
    assert rows == {"provinsi": 18, "kabupaten_kota": 104, "village": 768}
    ((provinces,),) = sql(f"""SELECT count(DISTINCT d.province_code) FROM attendance a
                           JOIN libraries l ON l.id = a.library_id JOIN districts d ON d.code = l.district_code
                           WHERE a.meeting_id = ({NATIONAL_2018})""")
    assert provinces == 18


def test_gunungkidul_has_29_partner_village_libraries(sql):
    names = {n for (n,) in sql("SELECT name FROM libraries WHERE district_code = '34.03' AND tier IN ('desa', 'tbm')")}
    assert len(names) == 29
    assert {"Perpustakaan Desa Kelor", "Perpustakaan Desa Gardu Pintar 2", "Perpustakaan Desa Khasanah Info"} <= names
    rows = sql(
        "SELECT name, village, subdistrict FROM libraries WHERE name IN "
        "('Perpustakaan Desa Kelor', 'Perpustakaan Desa Gardu Pintar 2', 'Perpustakaan Desa Khasanah Info') "
        "ORDER BY name"
    )
    assert rows == [
        ("Perpustakaan Desa Gardu Pintar 2", "Kepek", "Wonosari"),
        ("Perpustakaan Desa Kelor", "Kelor", "Karangmojo"),
        ("Perpustakaan Desa Khasanah Info", "Bejiharjo", "Karangmojo"),
    ]
    assert sql("SELECT name, province_code FROM districts WHERE code = '34.03'") == [("Gunungkidul", "34")]


def test_2018_awards_exactly_as_seed_003(sql):
    rows = sql(f"""SELECT a.category, l.name FROM awards a JOIN libraries l ON l.id = a.library_id
                   WHERE a.meeting_id = ({NATIONAL_2018}) ORDER BY a.category, l.name""")
    dpk = "Dinas Perpustakaan dan Kearsipan Kabupaten Gunungkidul"
    assert rows == [
        ("lapak_terbaik", dpk),
        ("perpustakaan_daerah_terbaik", dpk),
        ("perpustakaan_desa_terbaik", "Perpustakaan Desa Gardu Pintar 2"),
        ("perpustakaan_desa_terbaik", "Perpustakaan Desa Khasanah Info"),
        ("video_dampak", "Perpustakaan Desa Gardu Pintar 2"),
    ]


def test_monitoring_visit_to_dpk_gunungkidul_and_kelor_before_the_plm(sql):
    rows = sql("""SELECT l.name, v.visit_date FROM visits v JOIN libraries l ON l.id = v.library_id
                  WHERE v.team LIKE '%BAPPENAS%' ORDER BY l.name""")
    assert [r[0] for r in rows] == ["Dinas Perpustakaan dan Kearsipan Kabupaten Gunungkidul", "Perpustakaan Desa Kelor"]
    assert all(date < "2018-07-05" for _, date in rows)


def test_district_plm_every_cycle_in_every_program_district(sql):
    # Each district with an active library holds a district PLM each cycle (a few are skipped: at most 5%).
    rows = sql("""
        WITH active AS (
          SELECT DISTINCT l.district_code, c.id AS cycle_id FROM libraries l JOIN cycles c
            ON c.seq >= (SELECT seq FROM cycles WHERE id = l.joined_cycle))
        SELECT count(*), sum(EXISTS (SELECT 1 FROM meetings m WHERE m.level = 'kabupaten'
                                      AND m.region_code = active.district_code AND m.cycle_id = active.cycle_id))
        FROM active""")
    expected, held = rows[0]
    assert expected > 1000
    assert held / expected > 0.95


@pytest.mark.parametrize(
    "table,minimum", [("stories", 100), ("visits", 100), ("reports", 50_000), ("attendance", 5_000), ("indicators", 12)]
)
def test_every_table_has_plausible_content(sql, table, minimum):
    ((n,),) = sql(f"SELECT count(*) FROM {table}")
    assert n >= minimum


def test_indicators_cover_the_four_strategies_with_targets(sql):
    rows = dict(sql("SELECT strategy, count(*) FROM indicators WHERE target > 0 GROUP BY strategy"))
    assert set(rows) == {"layanan_informasi", "pelibatan_masyarakat", "advokasi", "pelaporan"}
    assert sum(rows.values()) >= 12


def test_libraries_improve_after_joining(sql):
    # Median visits in a library's first cycle versus its cycle two years (6 cycles) later.
    rows = sql("""
        SELECT r0.value, r6.value FROM libraries l
        JOIN cycles j ON j.id = l.joined_cycle
        JOIN reports r0 ON r0.library_id = l.id AND r0.indicator_code = 'kunjungan' AND r0.cycle_id = l.joined_cycle
        JOIN cycles c6 ON c6.seq = j.seq + 6
        JOIN reports r6 ON r6.library_id = l.id AND r6.indicator_code = 'kunjungan' AND r6.cycle_id = c6.id
        WHERE l.tier = 'desa'""")
    assert len(rows) > 50
    improved = sum(later > first for first, later in rows)
    assert improved / len(rows) > 0.7


def test_some_reports_are_missing_and_some_late(sql):
    ((late,),) = sql("""SELECT count(DISTINCT r.library_id || r.cycle_id) FROM reports r
                      JOIN cycles c ON c.id = r.cycle_id
                      WHERE r.submitted_on > date(c.end_date, '+14 days')""")
    ((on_time,),) = sql("""SELECT count(DISTINCT r.library_id || r.cycle_id) FROM reports r
                         JOIN cycles c ON c.id = r.cycle_id WHERE r.submitted_on <= date(c.end_date, '+14 days')""")
    assert 0.05 < late / (late + on_time) < 0.5


def test_stories_are_in_bahasa_indonesia(sql):
    texts = [t for (t,) in sql("SELECT text FROM stories LIMIT 50")]
    assert all(
        any(
            w in t
            for w in (
                " dan ",
                " untuk ",
                " di ",
                " yang ",
                " kami ",
                " ke ",
                " bagi ",
                " setelah ",
                " perlu ",
                " sering ",
                " dengan ",
                " lewat ",
                " adalah ",
            )
        )
        for t in texts
    )
