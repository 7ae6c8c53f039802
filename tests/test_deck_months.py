"""Issue 13 item 9: wherever the deck, the PPTX slides or the meeting pack name a cycle, its months are beside it,
in the deck's language: '2018-3 · Sep–Des 2018'; a range as the pages' captions name it: '2011-1–2018-3 (Jan
2011–Des 2018)'. A cycle axis (ticks are bare codes: a dozen of them must fit) says in its title which months
each term covers.

The oracle reads the cycles' start and end dates from the database with plain SQL and spells the months here
(never through analytics.filters)."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import sqlite3
import textwrap

import pandas as pd
import pytest

from analytics import dataset, deck, pack, slides
from analytics.filters import Filters
from analytics.i18n import t

MONTHS = {
    "id": ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}
CODE = re.compile(r"(?<![\d-])\d{4}-[123](?!\d)")
RANGE = re.compile(r"(?<![\d-])(\d{4}-[123])–(\d{4}-[123]) \(([^)]*)\)")
# The decks checked: a district's (library by library), a province's, all Indonesia's, each ending in a cycle
# whose stories are in the seed; and one library's own deck.
AREAS = [
    {"province": "34", "district": "34.03", "to_cycle": "2018-2"},
    {"province": "34", "to_cycle": "2018-3"},
    {"from_cycle": "2016-1", "to_cycle": "2018-1"},
]
GARDU = 124  # Perpustakaan Desa Gardu Pintar 2 (Gunungkidul): awards and stories in the seed


@pytest.fixture(scope="module")
def ds(seed_db):
    return dataset.load(seed_db)


@pytest.fixture(scope="module")
def dates(seed_db) -> dict[str, tuple[dt.date, dt.date]]:
    with sqlite3.connect(seed_db) as conn:
        rows = conn.execute("SELECT id, start_date, end_date FROM cycles").fetchall()
    return {c: (dt.date.fromisoformat(s[:10]), dt.date.fromisoformat(e[:10])) for c, s, e in rows}


def single(code: str, lang: str, dates) -> str:
    start, end = dates[code]
    m = MONTHS[lang]
    return f"{code} · {m[start.month - 1]}–{m[end.month - 1]} {end.year}"


def span(first: str, last: str, lang: str, dates) -> str:
    start, end = dates[first][0], dates[last][1]
    m = MONTHS[lang]
    return f"{m[start.month - 1]} {start.year}–{m[end.month - 1]} {end.year}"


def unexplained(text: str, lang: str, dates) -> list[str]:
    """The cycle codes in ``text`` without their months (with the text around them)."""
    rest = RANGE.sub(lambda r: "¤" if r[3] == span(r[1], r[2], lang, dates) else r[0], text)
    for code in set(CODE.findall(rest)):
        if code in dates:
            rest = rest.replace(single(code, lang, dates), "¤")
    return [rest[max(0, m.start() - 30) : m.end() + 30] for m in CODE.finditer(rest)]


def explained(text: str) -> int:
    return text.count("¤")


def slide_texts(s: deck.Slide, lang: str) -> list[str]:
    """What a slide shows as text, its figure's titles included (its tick labels are checked apart)."""
    out = [s.title, s.subtitle, s.note or ""]
    if s.table is not None:
        out += [str(c) for c in s.table.columns]
        # A meeting's name is data, shown as recorded ('PLM Provinsi DI Yogyakarta 2018-3'); its date is beside it.
        shown = s.table.drop(columns=[t("col.meeting", lang)], errors="ignore")
        out += [str(v) for row in shown.itertuples(index=False) for v in row]
    out += [story.cycle for story in (s.stories or ()) + s.more]
    if s.figure is not None:
        layout = s.figure.layout
        out += [layout.title.text or "", layout.xaxis.title.text or "", layout.yaxis.title.text or ""]
        out += [a.text or "" for a in layout.annotations or ()]
    return out


def decks(ds, seed_db, lang):
    for area in AREAS:
        yield str(area), deck.build(ds, Filters(lang=lang, **area), path=seed_db)
    yield "library", deck.build_library(ds, Filters(lang=lang), GARDU, path=seed_db)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_cycle_on_a_slide_has_its_months(ds, seed_db, dates, lang):
    seen = 0
    for name, shown in decks(ds, seed_db, lang):
        for s in shown:
            for text in slide_texts(s, lang):
                assert not unexplained(text, lang, dates), f"{name}, {s.key}: {unexplained(text, lang, dates)}"
                seen += len(CODE.findall(text))
    assert seen > 50  # the check saw cycles: titles, subtitles, the headline table's columns, stories


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_opening_names_the_cycle_and_the_range_with_their_months(ds, seed_db, dates, lang):
    opening = deck.build(ds, Filters(lang=lang, from_cycle="2016-1", to_cycle="2018-1"), path=seed_db)[0]
    assert single("2018-1", lang, dates) in opening.title
    assert f"2016-1–2018-1 ({span('2016-1', '2018-1', lang, dates)})" in opening.subtitle


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_cycle_axis_says_which_months_each_term_covers(ds, seed_db, dates, lang):
    shown = deck.build(ds, Filters(lang=lang, province="34", to_cycle="2018-3"), path=seed_db)
    axes = 0
    for s in shown:
        if s.figure is None or not s.figure.data or getattr(s.figure.data[0], "x", None) is None:
            continue
        ticks = [str(x) for x in s.figure.data[0].x]
        if not ticks or not all(CODE.fullmatch(x) for x in ticks):
            continue
        axes += 1
        title = s.figure.layout.xaxis.title.text or ""
        for code in ("2018-1", "2018-2", "2018-3"):
            months = single(code, lang, dates).split(" · ")[1].rsplit(" ", 1)[0]  # 'Mei–Agu'
            assert months in title, f"{s.key}: {title!r} does not say {months}"
    assert axes == 2  # the reporting trend and the stories per cycle


def pptx_texts(data: bytes) -> list[str]:
    from pptx import Presentation

    out = []
    for slide in Presentation(io.BytesIO(data)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                out.append(shape.text_frame.text)
            if shape.has_table:
                out += [cell.text for row in shape.table.rows for cell in row.cells]
    return out


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_cycle_in_the_pptx_has_its_months(ds, seed_db, dates, lang, monkeypatch):
    pytest.importorskip("pptx")
    monkeypatch.setattr(slides, "_images", lambda figures: [None] * len(figures))  # text only: no chromium
    data, _ = slides.build(ds, Filters(lang=lang, **AREAS[0]), path=seed_db)
    texts = pptx_texts(data)
    bad = [u for text in texts for u in unexplained(text, lang, dates)]
    assert bad == []
    assert sum(len(CODE.findall(text)) for text in texts) > 20


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_cycle_in_the_meeting_pack_has_its_months(ds, seed_db, dates, lang):
    text = pack.build(ds, Filters(lang=lang, **AREAS[0]), path=seed_db)
    text = re.sub(r"<script\b.*?</script>", " ", text, flags=re.S)  # Plotly and the figures' data
    words = html.unescape(re.sub(r"<[^>]+>", "\n", text))
    assert unexplained(words, lang, dates) == []
    assert "2018-2" in words and single("2018-2", lang, dates) in words


def needed_lines(text: str, size_pt: float, width_pt: float) -> int:
    """Lines of ``text`` in a box ``width_pt`` wide: characters of half an em (Calibri's mean is about 0.5),
    the box's 0.1 inch inner margins left and right, words kept whole."""
    chars = int((width_pt - 2 * 3.6) / (0.5 * size_pt))
    return max(1, len(textwrap.wrap(text, chars)))


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_pptx_head_holds_its_longer_lines(ds, seed_db, lang, monkeypatch):
    """The subtitle and the title, longer with the months, each fit their box, and the boxes do not overlap each
    other or what follows (the opening's subtitle runs over two lines)."""
    from pptx import Presentation
    from pptx.util import Emu

    monkeypatch.setattr(slides, "_images", lambda figures: [None] * len(figures))
    data, _ = slides.build(ds, Filters(lang=lang, **AREAS[0]), path=seed_db)
    two_lines = 0
    for n, slide in enumerate(Presentation(io.BytesIO(data)).slides):
        subtitle, title, *rest = list(slide.shapes)
        for box, size in ((subtitle, 14), (title, 28)):
            lines = needed_lines(box.text_frame.text, size, Emu(box.width).pt)
            two_lines += lines > 1
            assert Emu(box.height).pt >= lines * size * 1.2, f"slide {n + 1}: {box.text_frame.text!r}"
        assert subtitle.top + subtitle.height <= title.top, f"slide {n + 1}"
        assert all(title.top + title.height <= shape.top for shape in rest), f"slide {n + 1}"
    assert two_lines >= 1


@pytest.mark.parametrize("indicator", ["kunjungan", "kegiatan", "pertemuan_advokasi"])
def test_an_english_deck_writes_the_indicators_unit_in_english(ds, seed_db, indicator):
    """One language per screen (issue 13, item 8): the unit beside an indicator (a column header, a chart's
    title and axis, a note, the library deck's unit column) is the catalog's English word on an English deck,
    never the Indonesian one stored with the indicator ("orang", "kegiatan", "pertemuan")."""
    conn = sqlite3.connect(seed_db)
    (stored,) = conn.execute("SELECT unit FROM indicators WHERE code = ?", (indicator,)).fetchone()
    conn.close()
    assert stored in ("orang", "kegiatan", "pertemuan")  # a unit whose English differs
    word = re.compile(rf"\b{stored}\b")
    shown = {
        "province": deck.build(ds, Filters(lang="en", province="34", indicator=indicator), path=seed_db),
        "district": deck.build(
            ds, Filters(lang="en", province="34", district="34.03", indicator=indicator), path=seed_db
        ),
        "library": deck.build_library(ds, Filters(lang="en", indicator=indicator), GARDU, path=seed_db),
    }
    for name, shown_slides in shown.items():
        texts = [x for s in shown_slides for x in slide_texts(s, "en")]
        assert not [x for x in texts if word.search(x)], name
    english = t(f"unit.{stored}", "en")
    assert any(english in x for s in shown["district"] for x in slide_texts(s, "en"))


def test_a_pptx_table_under_a_two_line_title_ends_above_the_note(ds, seed_db, monkeypatch):
    """A table slide's rows are split so that the table ends above the note's line, however many lines the
    head takes: a long title over two lines with a long table (the rows continue on the next slides)."""
    from pptx import Presentation

    long_title = "Capaian per kabupaten/kota, median per perpustakaan pelapor, siklus 2018-3 · Sep–Des 2018 " * 2
    table = pd.DataFrame({"Wilayah": [f"Kabupaten {i}" for i in range(40)], "Nilai": [str(i) for i in range(40)]})
    shown = [deck.Slide("achievements.regions", long_title, "1 · Capaian · DI Yogyakarta", table=table, note="Catatan")]
    monkeypatch.setattr(slides.deck, "build", lambda *a, **k: shown)
    data, _ = slides.build(ds, Filters(), path=seed_db)
    made = list(Presentation(io.BytesIO(data)).slides)
    rows = 0
    for n, slide in enumerate(made):
        (table_shape,) = [s for s in slide.shapes if s.has_table]
        note = next(s for s in slide.shapes if s.has_text_frame and s.text_frame.text == "Catatan")
        assert table_shape.top + table_shape.height <= note.top, f"slide {n + 1}"
        rows += len(table_shape.table.rows) - 1
    assert rows == len(table)  # every row, once
    assert len(made) > 3  # fewer rows a slide under the two-line title than the 14 of a one-line one
