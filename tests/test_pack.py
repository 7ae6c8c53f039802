"""The meeting pack (analytics/pack.py and ``python -m analytics pack``): self-contained HTML with the deck's titles
and numbers (checked against SQL written here), escaped data, and nothing fetched from the internet."""

from __future__ import annotations

import html
import re
import sqlite3

import pytest
from click.testing import CliRunner

from analytics import cli, dataset, pack
from analytics.filters import Filters

URL = re.compile(r"https?://[^\s\"'<>)\\]*")
# XML namespace names: identifiers the DOM needs (document.createElementNS), never requested.
NAMESPACES = {
    "http://www.w3.org/2000/svg",
    "http://www.w3.org/1999/xlink",
    "http://www.w3.org/2000/xmlns/",
    "http://www.w3.org/1999/xhtml",
    "http://www.w3.org/XML/1998/namespace",
}


def make_pack(seed_db, tmp_path, *args) -> str:
    out = tmp_path / "pack.html"
    result = CliRunner().invoke(cli.main, ["pack", "--out", str(out), "--db", str(seed_db), *args])
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def active_and_reported(conn, cycle, district=None, province=None):
    return conn.execute(
        """
        SELECT count(*), sum(EXISTS (SELECT 1 FROM reports r WHERE r.library_id = l.id AND r.cycle_id = :cycle))
        FROM libraries l JOIN districts d ON d.code = l.district_code
        WHERE (:district IS NULL OR l.district_code = :district) AND (:province IS NULL OR d.province_code = :province)
          AND (SELECT seq FROM cycles WHERE id = l.joined_cycle) <= (SELECT seq FROM cycles WHERE id = :cycle)
          AND (l.left_cycle IS NULL OR (SELECT seq FROM cycles WHERE id = l.left_cycle)
                                       >= (SELECT seq FROM cycles WHERE id = :cycle))""",
        {"cycle": cycle, "district": district, "province": province},
    ).fetchone()


def fmt_id(value: float, decimals: int = 1) -> str:
    return f"{value:,.{decimals}f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")


@pytest.mark.parametrize(
    "args,cycle,where,title",
    [
        (
            ["--district", "34.03", "--to", "2018-2"],
            "2018-2",
            {"district": "34.03"},
            "PLM Gunungkidul — siklus 2018-2 · Mei–Agu 2018",
        ),
        (
            ["--province", "33", "--from", "2016-1", "--to", "2017-3", "--lang", "en"],
            "2017-3",
            {"province": "33"},
            "PLM Jawa Tengah — cycle 2017-3 · Sep–Dec 2017",
        ),
    ],
)
def test_pack_has_the_decks_titles_and_numbers(seed_db, tmp_path, args, cycle, where, title):
    text = make_pack(seed_db, tmp_path, *args)
    en = "--lang" in args
    assert f"<h1>{html.escape(title)}</h1>" in text
    for heading in (
        ("Achievements", "Online reports and documentation", "Sharing")
        if en
        else ("Pencapaian", "Laporan daring dan dokumentasi", "Berbagi")
    ):
        assert heading in text
    conn = sqlite3.connect(seed_db)
    active, reported = active_and_reported(conn, cycle, **where)
    stories = [
        s
        for (s,) in conn.execute(
            "SELECT s.text FROM stories s JOIN libraries l ON l.id = s.library_id JOIN districts d ON d.code = "
            "l.district_code WHERE s.cycle_id = ? AND (d.province_code = ? OR l.district_code = ?)",
            (cycle, where.get("province"), where.get("district")),
        )
    ]
    conn.close()
    rate = 100 * reported / active
    if en:
        assert f"This cycle: {rate:.1f}% of active libraries reported" in text
    else:
        assert f"Siklus ini: {fmt_id(rate)}% perpustakaan aktif melapor" in text
    # the headline table: active libraries in the cycle's column
    assert re.search(
        r"<td>(Perpustakaan mitra aktif|Active partner libraries)</td><td class=\"num\">"
        + re.escape(f"{active:,}".replace(",", "." if not en else ","))
        + "</td>",
        text,
    )
    assert stories, "the seed has stories in these cycles"
    for story in stories:
        assert html.escape(story) in text
    # self-contained: Plotly embedded once, no outside reference of any kind
    assert text.count("<script") == text.count("Plotly.newPlot") + 1
    assert "cdn.plot.ly" not in text and "<link" not in text and " src=" not in text
    outside = {u for u in URL.findall(text) if u not in NAMESPACES}
    assert outside == set()


def test_pack_escapes_names_and_stories(seed_db_copy, tmp_path):
    conn = sqlite3.connect(seed_db_copy)
    conn.execute("UPDATE libraries SET name = '<script>alert(1)</script> Kelor' WHERE name = 'Perpustakaan Desa Kelor'")
    (library_id,) = conn.execute("SELECT id FROM libraries WHERE name LIKE '%alert(1)%'").fetchone()
    conn.execute(
        "INSERT INTO stories (library_id, cycle_id, kind, text, link) VALUES (?, '2018-2', 'innovation', "
        "'<img src=x onerror=alert(2)> & more', 'javascript:alert(3)')",
        (library_id,),
    )
    conn.commit()
    conn.close()
    text = make_pack(seed_db_copy, tmp_path, "--district", "34.03", "--to", "2018-2")
    assert "<script>alert(1)" not in text and "<img src=x" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Kelor" in text
    assert "&lt;img src=x onerror=alert(2)&gt; &amp; more" in text
    assert "javascript:alert(3)" in text and 'href="javascript' not in text  # shown as text, never a link


def test_pack_is_made_quickly_and_names_its_file(seed_db):
    import time

    ds = dataset.load(seed_db)
    f = Filters(province="34", district="34.03", to_cycle="2018-2")
    started = time.perf_counter()
    text = pack.build(ds, f, path=seed_db)
    assert time.perf_counter() - started < 10
    assert 4e6 < len(text.encode()) < 8e6  # Plotly's bundle (4.8 MB) and the deck
    assert pack.file_name(ds, f) == "paket-plm-gunungkidul-2018-2.html"


def test_pack_refuses_unknown_filters(seed_db, tmp_path):
    result = CliRunner().invoke(
        cli.main, ["pack", "--out", str(tmp_path / "x.html"), "--db", str(seed_db), "--district", "99.99"]
    )
    assert result.exit_code != 0 and "district" in result.output
    assert not (tmp_path / "x.html").exists()


@pytest.mark.browser
def test_pack_opens_offline_in_chromium(seed_db, tmp_path):
    """Opened from disk in Debian's chromium: every chart draws and no request leaves the machine."""
    playwright = pytest.importorskip("playwright.sync_api")
    text = make_pack(seed_db, tmp_path, "--province", "34")
    path = tmp_path / "pack.html"
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page()
        requests, errors = [], []
        page.on("request", lambda r: requests.append(r.url))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(path.as_uri())
        page.wait_for_function(
            f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {text.count('Plotly.newPlot')}",
            timeout=30_000,
        )
        plots = page.locator(".js-plotly-plot").count()
        browser.close()
    assert errors == []
    assert plots == text.count("Plotly.newPlot")
    assert [u for u in requests if not u.startswith(("file:", "blob:", "data:"))] == []


@pytest.mark.browser
def test_slides_have_every_chart_as_an_image(seed_db, tmp_path):
    """kaleido draws each chart (the map too) with Debian's chromium; titles and tables are native."""
    pptx = pytest.importorskip("pptx")
    from analytics import deck

    out = tmp_path / "deck.pptx"
    result = CliRunner().invoke(cli.main, ["slides", "--out", str(out), "--db", str(seed_db), "--province", "34"])
    assert result.exit_code == 0, result.output
    assert "without an image" not in result.output
    slides = deck.build(dataset.load(seed_db), Filters(province="34"), path=seed_db)
    shown = pptx.Presentation(str(out))
    pictures = [sh for s in shown.slides for sh in s.shapes if sh.shape_type == 13]
    assert len(pictures) == sum(s.figure is not None for s in slides)
    texts = {sh.text_frame.text for s in shown.slides for sh in s.shapes if sh.has_text_frame}
    assert {s.title for s in slides} <= texts
