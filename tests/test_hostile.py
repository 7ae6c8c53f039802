"""Hostile input: names, stories and file names carrying HTML, JavaScript, Markdown and formulas are shown as
text everywhere; hostile query parameters give a warning and the default view; the import page is closed
without sign-in; oversized and dangerous uploads are refused with bounded memory."""

from __future__ import annotations

import csv
import io
import re
import sqlite3
import subprocess
import sys
import tracemalloc
from pathlib import Path

import openpyxl
import pytest
import streamlit as st
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from analytics import dataset, exports, importing, pack, slides, store
from analytics.app import auth
from analytics.config import ROOT
from analytics.filters import Filters
from tests.apptest_support import story_paragraphs

APP = str(ROOT / "app.py")
BAD = ROOT / "tests" / "fixtures" / "import" / "bad"
LIBRARY = 124  # Perpustakaan Desa Gardu Pintar 2, Gunungkidul: it has stories and awards in the seed data
NAME = (
    "<script>alert(1)</script><img src=x onerror=alert(2)> **bold** [link](http://evil.example) "
    '=HYPERLINK("http://evil.example","x")'
)
FORMULA_NAME = '=HYPERLINK("http://evil.example","x")'  # a second library: a cell that starts as a formula
STORY = (
    "<script>alert('story')</script><iframe src=javascript:alert(3)></iframe> # Judul\n"
    "**tebal** [klik](javascript:alert(4)) <img src=x onerror=alert(5)>"
)
FILE_NAME = "<img src=x onerror=alert(6)>[f](http://evil.example)**f**.csv"


@pytest.fixture(scope="module")
def hostile_db(seed_db_master, tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "hostile.db"
    store.backup(seed_db_master, path)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(
            "UPDATE libraries SET name = ?, village = ? WHERE id = ?", (NAME, "@SUM(1+1)*cmd|' /C calc'!A0", LIBRARY)
        )
        conn.execute("UPDATE libraries SET name = ? WHERE id = 125", (FORMULA_NAME,))
        story = conn.execute("SELECT min(id) FROM stories WHERE library_id = ?", (LIBRARY,)).fetchone()[0]
        conn.execute("UPDATE stories SET text = ?, link = 'javascript:alert(7)' WHERE id = ?", (STORY, story))
        conn.execute(
            "INSERT INTO imports(kind, file_name, sha256, rows, status, started_at, finished_at, user) "
            "VALUES ('reports', ?, 'x', 1, 'done', '2019-01-05T00:00:00+00:00', "
            "'2019-01-05T00:00:01+00:00', '<b>ani</b>')",
            (FILE_NAME,),
        )
    conn.close()
    return path


@pytest.fixture
def app(hostile_db, monkeypatch):
    monkeypatch.setenv("PLM_DB", str(hostile_db))
    monkeypatch.delenv(auth.PASSWORD_ENV, raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield hostile_db
    st.cache_data.clear()
    st.cache_resource.clear()


# --- shown as text on every page ---------------------------------------------------------------------------

# Elements whose body Streamlit renders as Markdown (raw HTML is not run, but links, emphasis and headings are).
MARKDOWN_ELEMENTS = (
    "markdown",
    "caption",
    "title",
    "header",
    "subheader",
    "info",
    "warning",
    "error",
    "success",
    "latex",
)
# What a Markdown body must not hold unescaped: an opening tag, emphasis or a link of the payloads.
INTERPRETED = re.compile(r"(?<!\\)<\s*(script|img|iframe)|\*\*(bold|tebal)\*\*|(?<!\\)\[(link|klik|f)(?<!\\)\]\(", re.I)


def markdown_bodies(at: AppTest) -> list[tuple[str, str]]:
    out = []
    for kind in MARKDOWN_ELEMENTS:
        for element in at.get(kind):
            out.append((kind, str(element.value)))
    for element in at.get("metric"):
        out.append(("metric", f"{element.label} {element.value}"))
    for kind in ("expander", "tab"):
        out += [(kind, str(e.label)) for e in at.get(kind)]
    return out


def chart_specs(at: AppTest) -> list[str]:
    return [c.proto.spec for c in at.get("plotly_chart")]


TAB = "tab"  # not a URL parameter: the tab of the library page to open
PAGES = [
    ("pages/overview.py", {}),
    ("pages/participation.py", {"province": "34", "district": "34.03"}),
    ("pages/impact.py", {"province": "34", "district": "34.03"}),
    ("pages/compare.py", {"compare": f"l:{LIBRARY},l:125"}),
    ("pages/library.py", {"library": str(LIBRARY)}),
    ("pages/library.py", {"library": str(LIBRARY), TAB: "Semua indikator"}),
    ("pages/library.py", {"library": str(LIBRARY), TAB: "Penghargaan, kunjungan & cerita"}),  # the story
    ("pages/data_quality.py", {"province": "34", "district": "34.03"}),
    ("pages/stories.py", {"province": "34", "district": "34.03"}),
    ("pages/awards.py", {"province": "34", "district": "34.03"}),
    ("pages/present.py", {"province": "34", "district": "34.03"}),
]


def open_page(script: str, params: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    params = dict(params)
    tab = params.pop(TAB, None)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    if script != "pages/overview.py":
        at.switch_page(script).run()
    if tab:  # the library page draws only its open tab
        at.session_state["library_tab"] = tab
        at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


# Data shown in Markdown elements (headers, captions, bold labels) goes through widgets.md_text, which escapes it.
@pytest.mark.parametrize("script,params", PAGES)
def test_every_page_shows_hostile_text_only_as_text(app, script, params):
    at = open_page(script, params)
    leaks = [(kind, body[:120]) for kind, body in markdown_bodies(at) if INTERPRETED.search(body)]
    assert not leaks, leaks
    for spec in chart_specs(at):  # Plotly renders a subset of HTML in labels: names arrive escaped
        assert "<script" not in spec and "<img" not in spec and "<iframe" not in spec


def test_the_library_page_shows_the_hostile_name(app):
    """The name is there (in the heading), so the check above looks at the right page."""
    at = open_page("pages/library.py", {"library": str(LIBRARY)})
    assert any("onerror" in h.value and "script" in h.value for h in at.header)


def test_the_library_pages_records_tab_shows_the_story_as_plain_text(app):
    at = open_page("pages/library.py", {"library": str(LIBRARY), TAB: "Penghargaan, kunjungan & cerita"})
    assert STORY in story_paragraphs(at)


def test_the_stories_page_shows_the_story_as_plain_text(app):
    at = open_page("pages/stories.py", {"province": "34", "district": "34.03"})
    while more := [b for b in at.button if b.key == "stories_more"]:  # ten a click: the officer lists them all
        more[0].click().run()
    texts = story_paragraphs(at)
    assert STORY in texts  # st.text: shown literally, never read as Markdown or HTML
    assert "Bukti: javascript:alert(7)" in texts or any("javascript:alert(7)" in t for t in texts)
    assert not any("alert('story')" in body for _, body in markdown_bodies(at))


# --- exports, the meeting pack and the slides ------------------------------------------------------------


def formula_cells(rows) -> list[str]:
    return [
        c
        for r in rows
        for c in r
        if isinstance(c, str) and c.startswith(exports.FORMULA_START) and not re.fullmatch(r"[+-]?\d+(?:[.,]\d+)*", c)
    ]


@pytest.mark.parametrize("table", ["libraries", "stories", "imports"])
def test_exports_neutralise_formula_cells(hostile_db, table, tmp_path):
    with store.opened(hostile_db, readonly=True) as conn:
        csv_rows = list(csv.reader(io.StringIO(exports.table_bytes(conn, table, "csv").decode("utf-8-sig"))))
        book = openpyxl.load_workbook(io.BytesIO(exports.table_bytes(conn, table, "xlsx")))
    xlsx_rows = list(book.active.iter_rows(values_only=True))
    out = tmp_path / f"{table}.csv"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "analytics",
            "export",
            table,
            "--format",
            "csv",
            "--out",
            str(out),
            "--db",
            str(hostile_db),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    cli_rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    for rows in (csv_rows, xlsx_rows, cli_rows):
        assert formula_cells(rows) == []
    if table == "libraries":
        for rows in (csv_rows, xlsx_rows, cli_rows):
            cells = {c for r in rows for c in r}
            assert "'" + FORMULA_NAME in cells and NAME in cells  # the name keeps every character
            assert "'@SUM(1+1)*cmd|' /C calc'!A0" in cells


DECK_FILTERS = Filters(province="34", district="34.03", to_cycle="2018-2")


def test_the_meeting_pack_escapes_names_and_stories(hostile_db):
    ds = dataset.load(hostile_db)
    html = pack.build(ds, DECK_FILTERS, path=hostile_db)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the name is in the pack, escaped
    assert "<script>alert" not in html and "<img src=x" not in html and "<iframe" not in html
    assert "javascript:alert(4)" not in html or 'href="javascript' not in html


def test_the_slides_hold_the_names_literally(hostile_db, monkeypatch):
    monkeypatch.setattr(slides, "_images", lambda figures: [None] * len(figures))  # text only: no chromium
    ds = dataset.load(hostile_db)
    data, _ = slides.build(ds, DECK_FILTERS, path=hostile_db)
    texts = [
        p.text
        for s in Presentation(io.BytesIO(data)).slides
        for shape in s.shapes
        if shape.has_text_frame
        for p in shape.text_frame.paragraphs
    ]
    cells = [
        c.text
        for s in Presentation(io.BytesIO(data)).slides
        for shape in s.shapes
        if shape.has_table
        for row in shape.table.rows
        for c in row.cells
    ]
    assert any(NAME in t for t in texts + cells)
    assert not any("&lt;script" in t for t in texts + cells)  # literal, not HTML-escaped twice


# --- query parameters --------------------------------------------------------------------------------------

HOSTILE_PARAMS = [
    ("province", "34' OR '1'='1"),
    ("province", "34; DROP TABLE libraries;--"),
    ("library", f"{LIBRARY} UNION SELECT sql FROM sqlite_master"),
    ("district", "34.03" + "9" * 5000),
    ("indicator", "k" * 5000),
    ("province", "3\u200d4"),
    ("province", "\u202e43"),
    ("library", f"{LIBRARY}\x00"),
    ("tier", "desa\u0000' --"),
    ("cohort", "<script>alert(1)</script>"),
    ("province", "\uff13\uff14"),  # fullwidth digits are not the code "34"
]


def libraries_digest(path) -> list:
    return sqlite3.connect(path).execute("SELECT * FROM libraries ORDER BY id").fetchall()


@pytest.mark.parametrize("param,value", HOSTILE_PARAMS, ids=lambda v: ascii(v)[:24])
def test_hostile_query_parameters_give_a_warning_and_the_default_view(app, param, value):
    before = libraries_digest(app)
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params[param] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    warnings = [w.value for w in at.warning]
    assert len(warnings) == 1 and f"{param}" in warnings[0], warnings
    assert len(warnings[0]) < 300  # a 5,000-character value is not echoed whole
    assert at.session_state["_filters"] == Filters()
    default = AppTest.from_file(APP, default_timeout=120).run()
    assert [(m.label, m.value) for m in at.metric] == [(m.label, m.value) for m in default.metric]
    assert libraries_digest(app) == before


# --- sign-in -----------------------------------------------------------------------------------------------


@pytest.fixture
def with_an_import(app, monkeypatch):
    monkeypatch.setenv(auth.PASSWORD_ENV, "kunci-rahasia")
    return app


def assert_closed(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]
    assert [t.value for t in at.title] == ["Masuk sebagai petugas data"]
    assert not at.get("file_uploader")
    keys = {b.key for b in at.button} | {b.key for b in at.get("download_button")}
    assert not {k for k in keys if k and (k.startswith("undo_") or k.startswith("export_") or k == "do_import")}
    assert not at.get("selectbox") or all(s.key not in ("import_kind", "export_table") for s in at.selectbox)


def test_the_import_page_by_url_shows_only_the_sign_in_form(with_an_import):
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page("pages/import.py").run()
    assert_closed(at)


@pytest.mark.parametrize(
    "state",
    [
        {"data_officer": True},
        {auth.SESSION_ACCOUNT: True},
        {auth.SESSION_ACCOUNT: "ani"},
        {"data_officer_user": "ani"},
        {auth.SESSION_ACCOUNT: {"email": "ani@example.org", "since": 9e99, "via": "password"}},  # no such user
    ],
)
def test_session_state_other_than_the_sign_in_does_not_open_the_import_page(with_an_import, state):
    at = AppTest.from_file(str(ROOT / "pages" / "import.py"), default_timeout=120)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert_closed(at)


def test_no_other_page_writes():
    """Only the import page (behind the sign-in) calls what writes."""
    writers = re.compile(r"run_import|importing\.undo|store\.connect\(|store\.database\(|\.backup\(|demo\.build")
    for page in (ROOT / "pages").glob("*.py"):
        if page.name != "import.py":
            assert not writers.search(page.read_text()), page.name


# --- uploads -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,reason", [("zip_bomb.xlsx", "zip_bomb"), ("external_links.xlsx", "external_links"), ("macros.xlsm", "macros")]
)
def test_dangerous_workbooks_are_rejected_with_bounded_memory(seed_db_copy, name, reason):
    data = (BAD / name).read_bytes()
    tracemalloc.start()
    try:
        outcome = importing.run_import(seed_db_copy, data, name, "reports")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert outcome.status == "rejected" and [p.reason for p in outcome.analysis.problems] == [reason]
    assert outcome.message("en").startswith("File rejected: 1 problem(s)")
    assert peak < 20e6, f"{peak / 1e6:.0f} MB"  # the zip bomb unpacks to 300 MB+; it is never unpacked


def test_the_zip_bomb_fixture_is_small_and_huge_unpacked():
    import zipfile

    data = (BAD / "zip_bomb.xlsx").read_bytes()
    unpacked = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
    assert len(data) < 2e6 and unpacked > 100 * len(data)


def write_big_csv(path: Path, size: int = 200 * 1024 * 1024) -> Path:
    """A 200 MB reports CSV, written a block at a time (never whole in memory)."""
    line = b"124;2018-2;kunjungan;5;\r\n"
    block = line * (1024 * 1024 // len(line))
    with open(path, "wb") as f:
        f.write(b"id_perpustakaan;siklus;indikator;nilai;tanggal_lapor\r\n")
        while f.tell() < size:
            f.write(block)
    return path


@pytest.fixture(scope="module")
def csv_200mb(tmp_path_factory):
    return write_big_csv(tmp_path_factory.mktemp("big") / "besar.csv")


def test_a_200_mb_upload_is_refused_before_it_is_parsed(seed_db_copy, csv_200mb):
    data = csv_200mb.read_bytes()
    tracemalloc.start()
    try:
        outcome = importing.run_import(seed_db_copy, data, "besar.csv", "reports")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert outcome.status == "rejected" and [p.reason for p in outcome.analysis.problems] == ["too_large"]
    assert "batasnya 20 MB" in importing.report_frame(outcome.analysis.problems)["Alasan"][0]
    print(f"run_import of a 200 MB upload: {peak / 1e6:.2f} MB traced beyond the upload")
    assert peak < 5e6, f"{peak / 1e6:.1f} MB beyond the upload itself"
    assert sqlite3.connect(seed_db_copy).execute("SELECT status FROM imports").fetchall() == [("rejected",)]


# VmHWM: the peak RSS of this process's own memory (ru_maxrss would carry the forking parent's peak over exec).
CHILD = """
import sys
from analytics.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
    print(peak.split()[1], file=sys.stderr)
    raise
"""


def cli_peak_mb(*args) -> tuple[int, float, str]:
    done = subprocess.run([sys.executable, "-c", CHILD, *args], cwd=ROOT, capture_output=True, text=True, timeout=120)
    return done.returncode, int(done.stderr.strip().splitlines()[-1]) / 1024, done.stderr


def test_the_cli_refuses_a_200_mb_file_without_reading_it(seed_db_copy, csv_200mb, tmp_path):
    # The baseline takes the same path (a file just over the cap, refused as too large): the difference is what
    # reading the rest of the 200 MB costs.
    just_over = write_big_csv(tmp_path / "sedikit_besar.csv", importing.MAX_BYTES + 1024)
    rc_base, base, _ = cli_peak_mb("import", str(just_over), "--kind", "reports", "--db", str(seed_db_copy))
    rc, peak, err = cli_peak_mb("import", str(csv_200mb), "--kind", "reports", "--db", str(seed_db_copy))
    assert rc_base == 1 and rc == 1 and "batasnya 20 MB" in err
    print(f"CLI peak RSS: {peak:.0f} MB for 200 MB, {base:.0f} MB for 20 MB")
    assert peak - base < 100, f"peak {peak:.0f} MB, baseline {base:.0f} MB"


def test_the_server_refuses_uploads_above_the_import_cap():
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config.get("server", {}).get("maxUploadSize", 200) <= importing.MAX_BYTES // (1024 * 1024)
