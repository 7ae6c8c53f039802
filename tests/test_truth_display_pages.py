"""Issue 12 on the pages (AppTest on the seed database): every cycle axis lists the range's cycles in time order
(cause 7), the scorecard says on how many indicators a cell rests (8), rates carry their n (9), folded regions
say how many they hold and CSVs hold every region (5), cycles without PLM and undated reports are shown as
such (6, 1). Expected values come from SQL written here or from hand-made rules, not from analytics/."""

from __future__ import annotations

import re
import sqlite3

import pytest
from apptest_support import open_drawers
from test_pages import charts, open_page

pytestmark = pytest.mark.usefixtures("fresh_caches")

CYCLE = re.compile(r"^\d{4}-\d$")


def range_cycles(db, first: str, last: str) -> list[str]:
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT id FROM cycles WHERE seq BETWEEN (SELECT seq FROM cycles WHERE id = ?) "
        "AND (SELECT seq FROM cycles WHERE id = ?) ORDER BY seq",
        (first, last),
    ).fetchall()
    conn.close()
    return [r[0] for r in rows]


def cycle_axes(figures: list[dict]) -> list[tuple[dict, list[list]]]:
    """Every x axis whose data are cycle ids, with the x arrays of the traces drawn on it."""
    out = []
    for fig in figures:
        for name, axis in fig["layout"].items():
            if not name.startswith("xaxis"):
                continue
            ref = "x" + name[5:]
            xs = [tr["x"] for tr in fig["data"] if tr.get("xaxis", "x") == ref and isinstance(tr.get("x"), list)]
            if xs and all(isinstance(x, str) and CYCLE.match(x) for x in sum(xs, [])):
                out.append((axis, xs))
    return out


@pytest.mark.parametrize(
    "page,params,first,last",
    [
        ("overview", {"from": "2016-1"}, "2016-1", "2018-3"),
        ("participation", {"province": "34", "from": "2016-1"}, "2016-1", "2018-3"),
        ("impact", {"province": "33", "from": "2015-1", "to": "2018-2"}, "2015-1", "2018-2"),
        ("impact", {"from": "2012-1", "indicator": "pengguna_internet"}, "2012-1", "2018-3"),
        ("data-quality", {"province": "34", "from": "2015-1"}, "2015-1", "2018-3"),
        ("compare", {"compare": "p:34,p:33", "from": "2016-1"}, "2016-1", "2018-3"),
    ],
)
def test_every_cycle_axis_lists_the_range_in_time_order(seed_db, page, params, first, last):
    at = open_page(page, **params)
    axes = cycle_axes(charts(at))
    assert axes, "no chart over cycles on the page"
    expected = range_cycles(seed_db, first, last)
    for axis, xs in axes:
        assert axis.get("categoryorder") == "array" and axis.get("categoryarray") == expected
        assert all(x == expected for x in xs)  # each line or bar row in time order, every cycle in its slot


def test_library_profile_axes_run_from_joining_in_time_order(seed_db):
    conn = sqlite3.connect(seed_db)
    kelor, joined = conn.execute(
        "SELECT id, joined_cycle FROM libraries WHERE name = 'Perpustakaan Desa Kelor'"
    ).fetchone()
    (last,) = conn.execute("SELECT id FROM cycles ORDER BY seq DESC LIMIT 1").fetchone()
    conn.close()
    axes = cycle_axes(charts(open_page("library", library=str(kelor))))
    assert len(axes) == 2
    expected = range_cycles(seed_db, joined, last)
    for axis, xs in axes:
        assert axis["categoryorder"] == "array" and axis["categoryarray"] == expected
        assert all(x == expected for x in xs)


# --- the independent SQL of the counts behind a rate (docs/metrics.md) ---

MARKED = """
    WITH act AS (
      SELECT l.id AS library_id, l.district_code, d.province_code, c.id AS cycle_id, c.seq FROM libraries l
      JOIN districts d ON d.code = l.district_code
      JOIN cycles c ON c.seq >= (SELECT seq FROM cycles WHERE id = l.joined_cycle)
       AND (l.left_cycle IS NULL OR c.seq <= (SELECT seq FROM cycles WHERE id = l.left_cycle))),
    marked AS (
      SELECT act.*,
             EXISTS (SELECT 1 FROM attendance a JOIN meetings m ON m.id = a.meeting_id
                     WHERE a.library_id = act.library_id AND m.cycle_id = act.cycle_id) AS attended,
             EXISTS (SELECT 1 FROM meetings m WHERE m.cycle_id = act.cycle_id AND (m.level = 'nasional'
                       OR (m.level = 'provinsi' AND m.region_code = act.province_code)
                       OR (m.level = 'kabupaten' AND m.region_code = act.district_code))) AS held
      FROM act)
"""


def participation_counts(db, level: str, first: str, last: str, province: str | None = None) -> dict:
    """region -> (attended, n, libraries): n = active library-cycles of the range in which a PLM was held (or
    attended), libraries = the distinct libraries among them."""
    conn = sqlite3.connect(db)
    rows = conn.execute(
        MARKED
        + f"""
        SELECT {level}, sum(attended), sum(held OR attended),
               count(DISTINCT CASE WHEN held OR attended THEN library_id END) FROM marked
        WHERE seq BETWEEN (SELECT seq FROM cycles WHERE id = :first) AND (SELECT seq FROM cycles WHERE id = :last)
          AND (:province IS NULL OR province_code = :province)
        GROUP BY {level}""",
        {"first": first, "last": last, "province": province},
    ).fetchall()
    conn.close()
    return {r: (a, n, libs) for r, a, n, libs in rows}


def id_int(text: str) -> int:
    return int(text.replace(".", ""))


def test_participation_bars_carry_n_and_others_says_how_many_it_holds(seed_db):
    at = open_page("participation")
    bars = next(c for c in charts(at) if c["data"][0]["type"] == "bar")["data"][0]
    expected = participation_counts(seed_db, "province_code", "2011-1", "2018-3")
    assert len(expected) > 16  # enough provinces for some to fold
    folded = len(expected) - 15
    by_code = dict(zip(bars["customdata"], zip(bars["y"], bars["text"])))
    label, text = by_code["__others__"]
    assert label.startswith(f"Lainnya ({folded} provinsi)")
    for code, (label, text) in by_code.items():
        if code == "__others__":
            continue
        attended, n, libraries = expected[code]
        assert text.endswith(f"(n = {n:,})".replace(",", "."))  # "79,1% (n = 43)"
        assert label.endswith(" †") == (libraries < 5)
    # The full table (whose CSV the page offers) holds every province, each with its n.
    at = open_drawers(at, "full_participation_by_region")
    table = next(d.value for d in at.dataframe if "libraries" in d.value.columns and "few" in d.value.columns)
    assert len(table) == len(expected)
    assert {r: int(n) for r, n in zip(table["region"], table["denominator"])} == {
        r: n for r, (_, n, _) in expected.items()
    }


def test_scorecard_cells_say_on_how_many_indicators_they_rest_and_agree_with_their_colour(seed_db):
    at = open_page("impact")
    heat = next(c for c in charts(at) if c["data"][0].get("customdata") and "texttemplate" in c["data"][0])["data"][0]
    conn = sqlite3.connect(seed_db)
    totals = dict(conn.execute("SELECT strategy, count(*) FROM indicators GROUP BY strategy").fetchall())
    conn.close()
    names = {
        "Layanan informasi": "layanan_informasi",
        "Pelibatan masyarakat": "pelibatan_masyarakat",
        "Advokasi": "advokasi",
        "Pelaporan dan dokumentasi": "pelaporan",
    }
    cells = 0
    for row in heat["text"]:
        for strategy, cell in zip((name.replace("<br>", " ") for name in heat["x"]), row):  # names on two lines
            if cell.startswith("–"):  # no indicator with a defined ratio: no colour, "– <br>0 dari y"
                assert cell == "–" or re.fullmatch(r"–<br>0 dari \d+", cell), cell
                continue
            m = re.fullmatch(r"([●▲■]) (\d+)%<br>(\d+) dari (\d+)", cell)
            assert m, cell
            symbol, pct, used, total = m[1], int(m[2]), int(m[3]), int(m[4])
            assert total == totals[names[strategy]] and 1 <= used <= total
            # The printed whole percent is on its colour's side of the thresholds (75 % and 100 %).
            assert {"■": pct < 75, "▲": 75 <= pct < 100, "●": pct >= 100}[symbol], cell
            cells += 1
    assert cells


def test_province_map_tooltips_carry_n(seed_db):
    at = open_page("overview")
    figure = next(c for c in charts(at) if any(t["type"] == "choroplethmap" for t in c["data"]))
    shaded = [t for t in figure["data"] if t["type"] == "choroplethmap"][1]
    expected = participation_counts(seed_db, "province_code", "2018-3", "2018-3")
    conn = sqlite3.connect(seed_db)
    names = dict(conn.execute("SELECT name, code FROM provinces").fetchall())
    conn.close()
    for text in shaded["text"]:
        m = re.fullmatch(r"(.+?)( †)?: [\d.,]+% \(n = ([\d.]+)\)", text)
        assert m, text
        attended, n, libraries = expected[names[m[1]]]
        assert id_int(m[3]) == n and bool(m[2]) == (libraries < 5)


def test_data_quality_lists_reports_without_a_date_and_counts_them_late(seed_db_copy, monkeypatch):
    conn = sqlite3.connect(seed_db_copy)
    library, name = conn.execute("""
        SELECT l.id, l.name FROM libraries l JOIN reports r ON r.library_id = l.id
        WHERE l.district_code LIKE '34.%' AND r.cycle_id = '2018-1' ORDER BY l.id LIMIT 1""").fetchone()
    conn.execute("UPDATE reports SET submitted_on = NULL WHERE library_id = ? AND cycle_id = '2018-1'", (library,))
    conn.commit()
    on_time, reported = conn.execute("""
        SELECT sum(s.first IS NOT NULL AND s.first <= date(c.end_date, '+14 days')), count(*) FROM
          (SELECT r.library_id, min(nullif(r.submitted_on, '')) AS first FROM reports r
           JOIN libraries l ON l.id = r.library_id
           WHERE r.cycle_id = '2018-1' AND l.district_code LIKE '34.%'
             AND (SELECT seq FROM cycles WHERE id = l.joined_cycle) <= (SELECT seq FROM cycles WHERE id = '2018-1')
             AND (l.left_cycle IS NULL OR (SELECT seq FROM cycles WHERE id = l.left_cycle)
                                          >= (SELECT seq FROM cycles WHERE id = '2018-1'))
           GROUP BY r.library_id) s JOIN cycles c ON c.id = '2018-1'""").fetchone()
    conn.close()
    monkeypatch.setenv("PLM_DB", str(seed_db_copy))
    at = open_page("data-quality", province="34", to="2018-1")
    assert "Laporan tanpa tanggal (1)" in [h.value for h in at.subheader]
    assert not [d for d in at.dataframe if "date" in d.value.columns]  # its list drawn when opened
    at = open_drawers(at, "undated_list")
    table = next(d.value for d in at.dataframe if "date" in d.value.columns)
    assert table[["library_id", "name", "cycle", "date"]].values.tolist() == [
        [library, name, "2018-1", "tanggal tidak diketahui"]
    ]
    shown = {m.label: m for m in at.metric}
    tile = shown["Tepat waktu 2018-1"]
    assert float(tile.value.replace("%", "").replace(",", ".")) == pytest.approx(100 * on_time / reported, abs=0.05)
    assert "tanpa tanggal" in tile.help


def test_cycles_without_any_plm_are_shown_as_such_not_as_zero(seed_db_copy, monkeypatch):
    conn = sqlite3.connect(seed_db_copy)
    gone = [
        r[0]
        for r in conn.execute(
            "SELECT id FROM meetings WHERE cycle_id = '2017-1' AND (region_code = '34' OR region_code LIKE '34.%')"
        )
    ]
    conn.execute(f"DELETE FROM attendance WHERE meeting_id IN ({','.join('?' * len(gone))})", gone)
    conn.execute(f"DELETE FROM meetings WHERE id IN ({','.join('?' * len(gone))})", gone)
    conn.commit()
    counts = participation_counts(seed_db_copy, "district_code", "2017-1", "2017-1", province="34")
    conn.close()
    assert gone and counts and all(n == 0 for _, n, _ in counts.values())  # nobody in DIY could attend in 2017-1
    monkeypatch.setenv("PLM_DB", str(seed_db_copy))

    at = open_page("participation", province="34", **{"from": "2016-1", "to": "2017-3"})
    figures = charts(at)
    heat = next(c for c in figures if c["data"][0]["type"] == "heatmap")
    main, grey = heat["data"]
    column = main["x"].index("2017-1")
    assert all(row[column].endswith(": tidak ada PLM") for row in main["hovertext"])
    assert grey["hoverinfo"] == "skip" and len(grey["text"]) == len(main["y"])
    assert all(row[column] == "×" for row in grey["text"])
    tiers = next(c for c in figures if c["data"][0]["type"] == "scatter")
    for line in tiers["data"]:
        assert line["hovertext"][line["x"].index("2017-1")] == "2017-1: tidak ada PLM"

    at = open_page("overview", province="34", **{"from": "2016-1", "to": "2017-3"})
    trend = next(c for c in charts(at) if c["data"][0]["type"] == "scatter")
    attendance = trend["data"][0]
    at_2017_1 = attendance["x"].index("2017-1")
    assert attendance["hovertext"][at_2017_1] == "2017-1: tidak ada PLM"
    assert [a["x"] for a in trend["layout"]["annotations"] if a["text"] == "tidak ada PLM"] == ["2017-1"]


def test_data_quality_others_row_says_how_many_and_opens_to_every_region(seed_db):
    at = open_page("data-quality")
    heat = next(c for c in charts(at) if c["data"][0]["type"] == "heatmap")["data"][0]
    provinces = participation_counts(seed_db, "province_code", "2011-1", "2018-3")
    assert len(provinces) > 16
    assert heat["y"][-1] == f"Lainnya ({len(provinces) - 15} provinsi)" and len(heat["y"]) == 16
    conn = sqlite3.connect(seed_db)
    names = {name for code, name in conn.execute("SELECT code, name FROM provinces") if code in provinces}
    conn.close()
    assert not any(len(d.value) == len(provinces) for d in at.dataframe)  # closed: the full table not drawn
    at = open_drawers(at, "full_reporting")
    every = next(d.value for d in at.dataframe if len(d.value) == len(provinces))
    assert set(every.index) == names  # the opened "others": every province by name, none folded


def test_risers_and_fallers_hover_gives_each_rate_with_its_n(seed_db):
    at = open_page("overview")
    dots = [
        t for c in charts(at) for t in c["data"] if t.get("mode") == "markers" and t.get("name") in ("2018-2", "2018-3")
    ]
    assert dots
    conn = sqlite3.connect(seed_db)
    code_of = dict(conn.execute("SELECT name, code FROM provinces").fetchall())
    conn.close()
    counts = {cycle: participation_counts(seed_db, "province_code", cycle, cycle) for cycle in ("2018-2", "2018-3")}
    for trace in dots:
        for text in trace["hovertext"]:
            m = re.fullmatch(r"(.+) · (\d{4}-\d): [\d,]+% \(n = ([\d.]+)\)", text)
            assert m, text
            assert id_int(m[3]) == counts[m[2]][code_of[m[1]]][1]
