"""The agenda deck as PowerPoint slides (python-pptx), charts drawn offline as PNG by kaleido driving chromium.

Kaleido 1.x starts a headless chromium through choreographer; ``BROWSER_PATH`` points it at Debian's
``/usr/bin/chromium`` when that exists (no download). A chart that cannot be drawn (no browser, a renderer
error) becomes a slide with its title and a line saying so, and ``build`` reports how many: the HTML pack is
the complete form. Tables go in as native PowerPoint tables, stories as text boxes (never markup).
"""

from __future__ import annotations

import io
import os
import textwrap
import warnings
from pathlib import Path

from pptx import Presentation
from pptx.util import Emu, Inches, Pt

from . import config, deck
from .dataset import Dataset
from .filters import Filters
from .i18n import t

SYSTEM_CHROMIUM = "/usr/bin/chromium"
WIDTH, HEIGHT = Inches(13.333), Inches(7.5)  # 16:9
MAX_TABLE_ROWS = 14  # rows that stay readable on one slide; the rest are on the next slide(s)
ROW_HEIGHT = Inches(0.36)  # a table row at 12 pt
# The head of a slide (subtitle, then title) flows down as its lines need: with the cycles' months (issue 13,
# item 9) a long title or the opening's subtitle takes two lines. Lines are estimated (python-pptx measures no
# text): a generous mean character width, so that an estimate errs towards one line too many.
CHAR_EM = 0.55  # mean character width of the default font (Calibri), bold included, in em
LINE_SPACING = 1.2
BOX_MARGIN = Inches(0.1)  # a text box's inner margins: left and right, and top and bottom together
SUBTITLE_PT, TITLE_PT = 14, 28
CONTENT_TOP = Inches(1.4)  # where a chart, table or the stories start when the head takes one line each
NOTE_ROOM = Inches(0.8)  # the note's line at the bottom


def _images(figures: list) -> list[bytes | None]:
    """PNG of each figure, or None where kaleido or chromium failed."""
    if not figures:
        return []
    if Path(SYSTEM_CHROMIUM).exists():
        os.environ.setdefault("BROWSER_PATH", SYSTEM_CHROMIUM)
    try:
        import kaleido
        import plotly.io as pio
    except ImportError:
        return [None] * len(figures)
    started = False
    try:
        kaleido.start_sync_server(silence_warnings=True)
        started = True
    except Exception:  # an older kaleido: each figure starts its own browser
        pass
    out = []
    try:
        warnings.filterwarnings("ignore", message="The kopts argument is ignored")  # plotly's note about the server
        for fig in figures:
            try:
                out.append(pio.to_image(fig, format="png", width=1200, height=620, scale=1.5))
            except Exception:
                out.append(None)
    finally:
        if started:
            kaleido.stop_sync_server(silence_warnings=True)
    return out


def text_lines(text: str, size: int, width) -> int:
    """The lines ``text`` takes at ``size`` pt in a box ``width`` wide (EMU), words kept whole."""
    chars = max(1, int((width - BOX_MARGIN) / Pt(size) / CHAR_EM))
    return max(1, len(textwrap.wrap(text, chars)))


def text_height(text: str, size: int, width) -> int:
    """The height (EMU) of a box that holds ``text`` at ``size`` pt, ``width`` wide."""
    return int(Pt(size) * LINE_SPACING * text_lines(text, size, width) + BOX_MARGIN)


def _text(slide, text: str, left, top, width, height, size: int, bold: bool = False, color=None):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    paragraph.text = text
    paragraph.font.size = Pt(size)
    paragraph.font.bold = bold
    return box


def _table(slide, frame, top) -> None:
    rows, cols = len(frame) + 1, len(frame.columns)
    shape = slide.shapes.add_table(rows, cols, Inches(0.5), top, WIDTH - Inches(1.0), Emu(int(ROW_HEIGHT) * rows))
    table = shape.table
    for j, name in enumerate(frame.columns):
        table.cell(0, j).text = str(name)
    for i, values in enumerate(frame.itertuples(index=False), start=1):
        for j, value in enumerate(values):
            table.cell(i, j).text = str(value)
    for row in table.rows:
        for cell in row.cells:
            for p in cell.text_frame.paragraphs:
                p.font.size = Pt(12)


def _head_heights(subtitle: str, title: str, width) -> tuple[tuple[int, int], int]:
    """The heights of a slide's subtitle and title boxes (each as many lines as its text needs), and where the
    content below them starts."""
    sub = max(Inches(0.35), text_height(subtitle, SUBTITLE_PT, width))
    head = max(Inches(0.8), text_height(title, TITLE_PT, width))
    return (sub, head), max(CONTENT_TOP, Inches(0.2) + sub + head)


def build(ds: Dataset, f: Filters, path=None) -> tuple[bytes, int]:
    """The PPTX bytes and the number of charts that could not be drawn as images."""
    lang = f.lang
    slides = deck.build(ds, f, path=config.db_path(path))
    images = iter(_images([s.figure for s in slides if s.figure is not None]))
    missing = 0
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    blank = prs.slide_layouts[6]
    for s in slides:
        width = WIDTH - Inches(1)
        image = next(images) if s.figure is not None else None
        chunks = [None]
        if s.table is not None:
            # As many rows as fit between the head (its title with a "(2/3)" if split) and the note's line.
            _, top = _head_heights(s.subtitle, s.title + " (9/9)", width)
            fit = max(1, min(MAX_TABLE_ROWS, int((HEIGHT - NOTE_ROOM - top) / ROW_HEIGHT) - 1))
            chunks = (
                [s.table.iloc[i : i + fit] for i in range(0, len(s.table), fit)] if len(s.table) > fit else [s.table]
            )
        for k, chunk in enumerate(chunks):
            slide = prs.slides.add_slide(blank)
            title = s.title + (f" ({k + 1}/{len(chunks)})" if len(chunks) > 1 else "")
            (subtitle_height, title_height), top = _head_heights(s.subtitle, title, width)
            y = Inches(0.2)
            _text(slide, s.subtitle, Inches(0.5), y, width, subtitle_height, SUBTITLE_PT)
            y += subtitle_height
            _text(slide, title, Inches(0.5), y, width, title_height, TITLE_PT, bold=True)
            if s.figure is not None:
                if image is not None:
                    picture = HEIGHT - NOTE_ROOM - top
                    slide.shapes.add_picture(io.BytesIO(image), Inches(0.6), top, height=picture)
                else:
                    missing += 1 if k == 0 else 0
                    _text(slide, t("pack.no_image", lang), Inches(0.5), top, width, Inches(1), 18)
            if chunk is not None:
                _table(slide, chunk, top)
            if s.stories:
                y = top
                for story in s.stories:
                    meta = " · ".join((story.cycle, t(f"story.{story.kind}", lang), story.library, story.district))
                    _text(slide, meta, Inches(0.5), y, WIDTH - Inches(1), Inches(0.3), 12)
                    _text(
                        slide,
                        story.text + (f"  [{story.link}]" if story.link else ""),
                        Inches(0.5),
                        y + Inches(0.28),
                        WIDTH - Inches(1),
                        Inches(0.5),
                        15,
                    )
                    y += Inches(0.9)
            if s.note:
                _text(slide, s.note, Inches(0.5), HEIGHT - Inches(0.8), WIDTH - Inches(1), Inches(0.6), 12)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue(), missing
