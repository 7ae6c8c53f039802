"""Every dashboard page under AppTest on the seed database: what it shows, checked against independent SQL.

The expected numbers come from SQL written here (not from analytics/), over the same database file.
"""

from __future__ import annotations

import json
import re
import sqlite3

import pytest
from streamlit.testing.v1 import AppTest

from analytics.config import ROOT

APP = str(ROOT / "app.py")
PAGES = {
    "overview": ("pages/overview.py", "Ringkasan", "Overview"),
    "participation": ("pages/participation.py", "Partisipasi PLM", "PLM participation"),
    "impact": ("pages/impact.py", "Dampak", "Impact"),
    "compare": ("pages/compare.py", "Bandingkan", "Compare"),
    "library": ("pages/library.py", "Profil perpustakaan", "Library profile"),
    "data-quality": ("pages/data_quality.py", "Kualitas data", "Data quality"),
}


pytestmark = pytest.mark.usefixtures("fresh_caches")  # the app on the seed database, empty caches


def open_page(name: str, **params) -> AppTest:
    """Open a page with the given URL parameters, as a browser opening a copied link would.

    AppTest always starts at the default page: the link's parameters seed the session's filters in that
    first run, and the filters then carry over to the page switched to (as they do in the browser)."""
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if name != "overview":
        at.switch_page(PAGES[name][0]).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def metrics_shown(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def charts(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def decode(array) -> list:
    """A figure array as a list: Plotly sends numbers as base64 typed arrays ({"dtype", "bdata"})."""
    if isinstance(array, dict) and "bdata" in array:
        import base64

        import numpy as np

        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"])).tolist()
    return list(array)


def id_number(text: str) -> float:
    """'1.234,5' or '87,5%' (Indonesian) -> 1234.5 / 87.5."""
    return float(text.replace("%", "").replace(".", "").replace(",", "."))


# --- independent SQL ---

ACTIVE = """
    WITH sel AS (
      SELECT l.id FROM libraries l JOIN districts d ON d.code = l.district_code
      WHERE (:province IS NULL OR d.province_code = :province) AND (:district IS NULL OR l.district_code = :district)
        AND (:tier IS NULL OR l.tier = :tier)),
    act AS (
      SELECT l.id AS library_id, c.id AS cycle_id, c.seq, c.start_date, c.end_date,
             -- a PLM it could attend was held (its district's, its province's or a national one), or it attended
             (EXISTS (SELECT 1 FROM meetings m WHERE m.cycle_id = c.id AND (m.level = 'nasional'
                        OR (m.level = 'provinsi' AND m.region_code = d.province_code)
                        OR (m.level = 'kabupaten' AND m.region_code = l.district_code)))
              OR EXISTS (SELECT 1 FROM attendance a JOIN meetings m ON m.id = a.meeting_id
                         WHERE a.library_id = l.id AND m.cycle_id = c.id)) AS held
      FROM libraries l
      JOIN sel ON sel.id = l.id JOIN districts d ON d.code = l.district_code
      JOIN cycles c ON c.seq >= (SELECT seq FROM cycles WHERE id = l.joined_cycle)
       AND (l.left_cycle IS NULL OR c.seq <= (SELECT seq FROM cycles WHERE id = l.left_cycle)))
"""


def sql_headline(conn, cycle, province=None, district=None, tier=None) -> dict:
    p = {"province": province, "district": district, "tier": tier, "cycle": cycle}
    active, held, attended, reported = conn.execute(
        ACTIVE
        + """
        SELECT count(*), sum(held),
               sum(EXISTS (SELECT 1 FROM attendance a JOIN meetings m ON m.id = a.meeting_id
                           WHERE a.library_id = act.library_id AND m.cycle_id = act.cycle_id)),
               sum(EXISTS (SELECT 1 FROM reports r WHERE r.library_id = act.library_id AND r.cycle_id = act.cycle_id))
        FROM act WHERE cycle_id = :cycle""",
        p,
    ).fetchone()
    (visits,) = conn.execute(
        ACTIVE
        + """
        SELECT count(*) FROM visits v JOIN sel ON sel.id = v.library_id JOIN cycles c ON c.id = :cycle
        WHERE v.visit_date BETWEEN c.start_date AND c.end_date""",
        p,
    ).fetchone()
    activities, participants = conn.execute(
        ACTIVE
        + """
        SELECT coalesce(sum(CASE WHEN indicator_code = 'kegiatan' THEN value END), 0),
               coalesce(sum(CASE WHEN indicator_code = 'peserta_kegiatan' THEN value END), 0)
        FROM reports r JOIN sel ON sel.id = r.library_id WHERE r.cycle_id = :cycle""",
        p,
    ).fetchone()
    return {
        "active": active,
        "rate": 100 * attended / held,
        "reports": reported,
        "visits": visits,
        "activities": activities,
        "participants": participants,
    }


@pytest.mark.parametrize(
    "params,cycle,where",
    [
        ({}, "2018-3", {}),
        ({"province": "34", "to": "2018-2"}, "2018-2", {"province": "34"}),
        ({"district": "34.03", "tier": "desa", "to": "2017-1"}, "2017-1", {"district": "34.03", "tier": "desa"}),
        ({"province": "33", "from": "2012-1", "to": "2015-3"}, "2015-3", {"province": "33"}),
    ],
)
def test_overview_headline_equals_sql(seed_db, params, cycle, where):
    at = open_page("overview", **params)
    shown = metrics_shown(at)
    conn = sqlite3.connect(seed_db)
    expected = sql_headline(conn, cycle, **where)
    conn.close()
    assert id_number(shown["Perpustakaan mitra aktif"]) == expected["active"]
    assert id_number(shown["Tingkat kehadiran PLM"]) == pytest.approx(expected["rate"], abs=0.05)
    assert id_number(shown["Laporan diterima"]) == expected["reports"]
    assert id_number(shown["Kunjungan pemantauan"]) == expected["visits"]
    assert id_number(shown["Kegiatan masyarakat"]) == expected["activities"]
    assert id_number(shown["Peserta kegiatan"]) == expected["participants"]


def test_overview_differs_between_two_provinces(seed_db):
    yogya = metrics_shown(open_page("overview", province="34"))["Perpustakaan mitra aktif"]
    jateng = metrics_shown(open_page("overview", province="33"))["Perpustakaan mitra aktif"]
    assert yogya != jateng
    conn = sqlite3.connect(seed_db)
    assert id_number(yogya) == sql_headline(conn, "2018-3", province="34")["active"]
    assert id_number(jateng) == sql_headline(conn, "2018-3", province="33")["active"]


def test_overview_map_shades_provinces_offline():
    at = open_page("overview")
    figure = next(c for c in charts(at) if any(t["type"] == "choroplethmap" for t in c["data"]))
    assert figure["layout"]["map"]["style"] == "white-bg"  # no tiles
    base, shaded = [t for t in figure["data"] if t["type"] == "choroplethmap"]
    assert len(base["locations"]) == 33 and base.get("hoverinfo") == "skip"  # every outline, grey, underneath
    assert len(shaded["locations"]) == 18  # the 18 provinces of the 2018 network
    assert all(0 <= z <= 1 for z in decode(shaded["z"]))
    assert "http" not in json.dumps(figure["layout"]["map"])


@pytest.mark.parametrize(
    "params,where",
    [
        ({"to": "2018-3"}, {}),
        ({"province": "34"}, {"province": "34"}),
        ({"province": "35", "tier": "desa", "from": "2016-1"}, {"province": "35", "tier": "desa"}),
    ],
)
def test_participation_bars_equal_sql(seed_db, params, where):
    at = open_page("participation", **params)
    bars = next(c for c in charts(at) if c["data"][0]["type"] == "bar")["data"][0]
    shown = dict(zip(decode(bars["customdata"]), decode(bars["x"])))
    first = params.get("from", "2011-1")
    level = "d.province_code" if "province" not in where else "l.district_code"
    conn = sqlite3.connect(seed_db)
    p = {"province": where.get("province"), "district": None, "tier": where.get("tier"), "first": first}
    rows = conn.execute(
        ACTIVE.replace("SELECT l.id FROM", f"SELECT l.id, {level} AS region FROM")
        + """
        SELECT sel.region, sum(EXISTS (SELECT 1 FROM attendance a JOIN meetings m ON m.id = a.meeting_id
                                      WHERE a.library_id = act.library_id AND m.cycle_id = act.cycle_id)), sum(held)
        FROM act JOIN sel ON sel.id = act.library_id
        WHERE act.seq >= (SELECT seq FROM cycles WHERE id = :first)
        GROUP BY sel.region""",
        p,
    ).fetchall()
    conn.close()
    expected = {region: (attended, held) for region, attended, held in rows}  # rate over cycles with a PLM held
    named = set(shown) - {"__others__"}
    assert named <= set(expected)
    for region in named:
        attended, active = expected[region]
        assert shown[region] == pytest.approx(attended / active)  # active = library-cycles with a PLM held
    rest = [expected[r] for r in set(expected) - named]
    if rest:  # the smallest regions fold into one "others" bar with their true rate
        assert shown["__others__"] == pytest.approx(sum(a for a, _ in rest) / sum(n for _, n in rest))
    else:
        assert "__others__" not in shown


def test_participation_click_drills_down_to_a_province():
    at = open_page("participation")
    at.session_state["drill:province::"] = {
        "selection": {
            "points": [{"customdata": "34", "y": "DI Yogyakarta"}],
            "point_indices": [0],
            "box": [],
            "lasso": [],
        }
    }
    at.run()
    assert not at.exception
    assert at.session_state["_filters"].province == "34"  # what the sidebar writes to the URL
    assert at.caption[0].value.startswith("DI Yogyakarta")
    bars = next(c for c in charts(at) if c["data"][0]["type"] == "bar")["data"][0]
    assert set(decode(bars["customdata"])) <= {"34.01", "34.02", "34.03", "34.04", "34.71"}  # districts of DIY now


def test_participation_click_on_a_district_drills_to_its_libraries():
    at = open_page("participation", province="34")
    at.session_state["drill:district:34:"] = {
        "selection": {"points": [{"customdata": "34.03"}], "point_indices": [0], "box": [], "lasso": []}
    }
    at.run()
    assert not at.exception
    assert "Gunungkidul" in at.caption[0].value


def test_gunungkidul_lists_29_village_libraries(seed_db):
    at = open_page("participation", district="34.03")
    table = next(d.value for d in at.dataframe if "current_streak" in d.value.columns)  # the continuity table
    conn = sqlite3.connect(seed_db)
    tiers = dict(conn.execute("SELECT name, tier FROM libraries WHERE district_code = '34.03'"))
    conn.close()
    villages = [name for name in table["name"] if tiers[name] in ("desa", "tbm")]
    assert len(villages) == 29
    assert {"Perpustakaan Desa Kelor", "Perpustakaan Desa Gardu Pintar 2", "Perpustakaan Desa Khasanah Info"} <= set(
        villages
    )


def test_national_plm_of_july_2018_counts_18_104_768():
    at = open_page("participation", to="2018-2")
    meetings = next(d.value for d in at.dataframe if "provinsi" in d.value.columns)
    national = meetings[meetings["title"] == "Peer Learning Meeting Nasional PerpuSeru 2018"]
    counts = national[["provinsi", "kabupaten_kota", "village"]].map(lambda s: int(s.strip().replace(".", "")))
    assert counts.values.tolist() == [[18, 104, 768]]  # numbers in the language's format (widgets.display)


def test_continuity_counts_equal_sql(seed_db):
    at = open_page("participation", province="52", to="2017-3")
    shown = metrics_shown(at)
    conn = sqlite3.connect(seed_db)
    p = {"province": "52", "district": None, "tier": None}
    (never,) = conn.execute(
        ACTIVE
        + """
        SELECT count(*) FROM (SELECT act.library_id FROM act WHERE act.seq <= (SELECT seq FROM cycles WHERE id='2017-3')
          GROUP BY act.library_id HAVING sum(held) > 0
             AND sum(EXISTS (SELECT 1 FROM attendance a JOIN meetings m ON m.id = a.meeting_id
                               WHERE a.library_id = act.library_id AND m.cycle_id = act.cycle_id)) = 0)""",
        p,
    ).fetchone()
    (total,) = conn.execute(
        ACTIVE + "SELECT count(DISTINCT library_id) FROM act WHERE cycle_id <= '2017-3'", p
    ).fetchone()
    conn.close()
    assert int(shown["Perpustakaan"]) == total
    assert int(shown["Belum pernah hadir"]) == never


def test_library_profile_shows_the_2018_awards(seed_db):
    conn = sqlite3.connect(seed_db)
    (dpk,) = conn.execute(
        "SELECT id FROM libraries WHERE district_code = '34.03' AND tier = 'kabupaten_kota'"
    ).fetchone()
    (gardu,) = conn.execute("SELECT id FROM libraries WHERE name = 'Perpustakaan Desa Gardu Pintar 2'").fetchone()
    conn.close()
    at = open_tab(open_page("library", library=str(dpk)), "Penghargaan, kunjungan & cerita")
    assert at.header[0].value == "Dinas Perpustakaan dan Kearsipan Kabupaten Gunungkidul"
    awards = next(d.value for d in at.dataframe if "category" in d.value.columns)
    assert {"Perpustakaan Daerah Terbaik", "Lapak Terbaik"} <= set(awards["category"])
    at = open_tab(open_page("library", library=str(gardu), lang="en"), "Awards, visits & stories")
    awards = next(d.value for d in at.dataframe if "category" in d.value.columns)
    national = awards[awards["title"] == "Peer Learning Meeting Nasional PerpuSeru 2018"]
    assert sorted(national["category"]) == ["Best village library", "Library impact video competition"]


def open_tab(at: AppTest, label: str) -> AppTest:
    """Open the library page's tab of this label (as a click on it does)."""
    at.session_state["library_tab"] = label
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_library_profile_draws_only_the_open_tab(seed_db):
    conn = sqlite3.connect(seed_db)
    gardu, awards, stories, indicators = conn.execute("""
        SELECT l.id, (SELECT count(*) FROM awards a WHERE a.library_id = l.id),
               (SELECT count(*) FROM stories s WHERE s.library_id = l.id), (SELECT count(*) FROM indicators)
        FROM libraries l WHERE l.name = 'Perpustakaan Desa Gardu Pintar 2'""").fetchone()
    conn.close()
    assert awards and stories  # so that the third tab has something to show
    at = open_page("library", library=str(gardu))
    assert [tab.label for tab in at.tabs] == [
        "Kehadiran & indikator",
        "Semua indikator",
        "Penghargaan, kunjungan & cerita",
    ]
    # The first tab: the attendance and indicator charts, none of the other tabs' tables.
    assert len(at.get("plotly_chart")) == 2
    assert not [d for d in at.dataframe if {"category", "status"} & set(d.value.columns)]
    at = open_tab(at, "Semua indikator")
    assert not at.get("plotly_chart")
    assert len(next(d.value for d in at.dataframe if "status" in d.value.columns)) == indicators
    at = open_tab(at, "Penghargaan, kunjungan & cerita")
    assert not at.get("plotly_chart") and not [d for d in at.dataframe if "status" in d.value.columns]
    assert len(next(d.value for d in at.dataframe if "category" in d.value.columns)) == awards
    assert f"{stories} cerita." in [c.value for c in at.caption]


def test_library_tab_stays_open_when_the_language_changes():
    at = open_tab(open_page("library"), "Semua indikator")
    # What the sidebar's language toggle does (AppTest runs only the page after a page switch: no sidebar here;
    # tests/test_browser_flows.py clicks the real toggle).
    at.session_state["_filters"] = at.session_state["_filters"].with_(lang="en")
    at.run()
    assert at.title[0].value == "Library profile"
    assert at.session_state["library_tab"] == "All indicators"
    assert any("status" in d.value.columns for d in at.dataframe) and not at.get("plotly_chart")


def test_library_profile_completeness_equals_sql(seed_db):
    conn = sqlite3.connect(seed_db)
    (kelor,) = conn.execute("SELECT id FROM libraries WHERE name = 'Perpustakaan Desa Kelor'").fetchone()
    (reported,) = conn.execute("SELECT count(DISTINCT cycle_id) FROM reports WHERE library_id = ?", (kelor,)).fetchone()
    (active,) = conn.execute(
        "SELECT count(*) FROM cycles WHERE seq >= (SELECT c.seq FROM cycles c JOIN libraries l "
        "ON l.joined_cycle = c.id WHERE l.id = ?)",
        (kelor,),
    ).fetchone()
    conn.close()
    shown = metrics_shown(open_page("library", library=str(kelor)))
    assert id_number(shown["Kelengkapan laporan"]) == pytest.approx(100 * reported / active, abs=0.05)


def test_data_quality_reporting_rate_equals_sql(seed_db):
    shown = metrics_shown(open_page("data-quality", province="73", to="2018-1"))
    conn = sqlite3.connect(seed_db)
    expected = sql_headline(conn, "2018-1", province="73")
    on_time, reported = conn.execute(
        ACTIVE
        + """
        SELECT sum(s.first <= date(c.end_date, '+14 days')), count(*) FROM
          (SELECT r.library_id, min(nullif(r.submitted_on, '')) AS first
           FROM reports r JOIN sel ON sel.id = r.library_id
           WHERE r.cycle_id = '2018-1' GROUP BY r.library_id) s JOIN cycles c ON c.id = '2018-1'""",
        {"province": "73", "district": None, "tier": None},
    ).fetchone()
    conn.close()
    assert id_number(shown["Tingkat pelaporan 2018-1"]) == pytest.approx(
        100 * expected["reports"] / expected["active"], abs=0.05
    )
    assert id_number(shown["Tepat waktu 2018-1"]) == pytest.approx(100 * on_time / reported, abs=0.05)


def test_compare_two_provinces_side_by_side(seed_db):
    at = open_page("compare", compare="p:34,p:33", to="2018-1")
    shown = [m for m in at.metric if m.label == "Tingkat kehadiran PLM"]
    assert len(shown) == 2
    conn = sqlite3.connect(seed_db)
    for metric, province in zip(shown, ("34", "33")):
        assert id_number(metric.value) == pytest.approx(
            sql_headline(conn, "2018-1", province=province)["rate"], abs=0.05
        )
    conn.close()
    assert len(charts(at)) == 3


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_in_both_languages(name):
    script, title_id, title_en = PAGES[name]
    assert open_page(name).title[0].value == title_id
    at = open_page(name, lang="en")
    assert at.title[0].value == title_en
    assert "Data demo" not in " ".join(i.value for i in at.info)


@pytest.mark.parametrize(
    "param,value",
    [
        ("province", "99"),
        ("district", "34.99"),
        ("from", "2030-1"),
        ("tier", "kecamatan"),
        ("province", "34'; DROP TABLE libraries;--"),
        ("indicator", "<script>alert(1)</script>"),
        ("library", "x" * 500),
        ("lang", "fr"),
        ("compare", "p:34,d:34.03"),
    ],
)
def test_malformed_parameter_warns_and_falls_back(seed_db, param, value):
    at = open_page("overview", **{param: value})
    warnings = [w.value for w in at.warning]
    assert any(f"'{param}'" in w for w in warnings), warnings
    assert at.title[0].value == "Ringkasan"  # the default view, in the default language
    assert at.caption[0].value.startswith("Seluruh Indonesia · siklus 2011-1–2018-3")
    for name in PAGES:  # and every page then shows the default view without an error
        at.switch_page(PAGES[name][0]).run()
        assert not at.exception and at.title[0].value == PAGES[name][1]
    assert sqlite3.connect(seed_db).execute("SELECT count(*) FROM libraries").fetchone()[0] == 890


def test_copied_link_reopens_the_same_view():
    at = open_page("overview", province="34", tier="desa", to="2017-3", indicator="pengguna_internet")
    link = {k: at.query_params[k] for k in ("province", "tier", "to", "indicator")}
    first = metrics_shown(at)
    again = open_page("overview", **{k: v[0] if isinstance(v, list) else v for k, v in link.items()})
    assert metrics_shown(again) == first
    assert again.caption[0].value == at.caption[0].value


def test_empty_selection_shows_a_message_not_an_error():
    # DI Yogyakarta had no provincial library before 2016: tier provinsi in 2013 selects nobody.
    at = open_page("overview", province="34", tier="provinsi", to="2013-3")
    assert "Tidak ada perpustakaan aktif" in " ".join(i.value for i in at.info)
    assert not charts(at)


def test_import_page_is_gated_in_the_app(monkeypatch, seed_db_copy):
    from analytics import store, users

    with store.opened(seed_db_copy) as conn:  # each officer has an account (the shared password is retired)
        users.add(conn, "ani@example.org", name="Ani", role="national_admin", password="rahasia-uji-1", actor="os:test")
    monkeypatch.setenv("PLM_DB", str(seed_db_copy))
    at = open_page("overview")
    at.switch_page("pages/import.py").run()
    assert not at.exception
    proto = at.text_input[0].proto
    assert [i.proto.type for i in at.text_input] == [proto.DEFAULT, proto.PASSWORD]  # the sign-in form
    assert not at.get("file_uploader")
    at.session_state["data_officer"] = True  # the retired shared-password flag opens nothing
    at.run()
    assert not at.get("file_uploader")
    at.text_input(key="sign_in_email").input("ani@example.org")
    at.text_input(key="sign_in_password").input("rahasia-uji-1")
    at.button[0].click().run()
    assert not at.exception
    assert at.title[0].value == "Impor data"
    assert at.get("file_uploader")


def test_the_library_indicator_table_writes_units_in_the_language(seed_db):
    """One language per screen (issue 13, item 8): "Library visits (people)" on the English table, not the
    stored Indonesian unit "(orang)"; the Indonesian table keeps "(orang)"."""
    conn = sqlite3.connect(seed_db)
    gardu = conn.execute("SELECT id FROM libraries WHERE name = 'Perpustakaan Desa Gardu Pintar 2'").fetchone()[0]
    units = dict(conn.execute("SELECT name_en, unit FROM indicators"))
    conn.close()
    at = open_tab(open_page("library", library=str(gardu), lang="en"), "All indicators")
    table = next(d.value for d in at.dataframe if "status" in d.value.columns)
    shown = list(table["indicator"])
    assert "Library visits (people)" in shown
    assert not [n for n in shown if re.search(r"\((orang|kegiatan|pertemuan|berkas|cerita)\)", n)]
    assert all(any(n.startswith(name) for n in shown) for name in units)  # every indicator, by its English name
    at = open_tab(open_page("library", library=str(gardu)), "Semua indikator")
    table = next(d.value for d in at.dataframe if "status" in d.value.columns)
    assert sum("(orang)" in n for n in table["indicator"]) == list(units.values()).count("orang")


def _overview_map(at: AppTest) -> dict:
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    return next(s for s in specs if any(t["type"] == "choroplethmap" for t in s["data"]))


ACTIVE_PER_DISTRICT = """
    SELECT d.name, count(*) FROM libraries l JOIN districts d ON d.code = l.district_code
    JOIN cycles j ON j.id = l.joined_cycle LEFT JOIN cycles x ON x.id = l.left_cycle
    WHERE j.seq <= (SELECT seq FROM cycles WHERE id = :last)
      AND (x.seq IS NULL OR x.seq >= (SELECT seq FROM cycles WHERE id = :last))
      AND (:tier IS NULL OR l.tier = :tier)
    GROUP BY d.code, d.name
"""


@pytest.mark.parametrize("tier", [None, "desa"])
def test_the_overview_map_is_all_indonesia_whatever_the_area(seed_db, tier):
    """The map is national (its shading always was): its circles are every district's active libraries in the
    range's last cycle (docs/metrics.md's rule, in SQL), under the tier chosen, the same figure for a province,
    a district or all Indonesia, so the browser keeps the drawn map when only the area changes."""
    extra = {"tier": tier} if tier else {}
    maps = [
        _overview_map(open_page("overview", to="2018-2", **area, **extra))
        for area in ({}, {"province": "34"}, {"province": "34", "district": "34.03"}, {"province": "33"})
    ]
    assert all(m == maps[0] for m in maps[1:])
    (bubbles,) = [t for t in maps[0]["data"] if t.get("name") == "Perpustakaan aktif per kabupaten/kota"]
    conn = sqlite3.connect(seed_db)
    expected = {f"{name}: {n}" for name, n in conn.execute(ACTIVE_PER_DISTRICT, {"last": "2018-2", "tier": tier})}
    conn.close()
    assert len(expected) > 3 and set(bubbles["text"]) == expected
