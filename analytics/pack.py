"""The meeting pack: the agenda deck as one self-contained HTML file, to take home, mail, or print to PDF.

Self-contained means that opening it makes no request: Plotly's JavaScript is embedded once, every figure is
inline (the map carries its province outlines), there are no fonts, images or stylesheets from elsewhere.
Plotly's bundle names outside hosts for features the pack never uses (map tile styles and glyph servers of
other map styles, the "edit in Chart Studio" link, licence comments); those host names are replaced with
``offline:`` so that nothing in the file can reach the internet even by accident. XML namespace names
(``http://www.w3.org/2000/svg``…) stay: they are identifiers the browser needs, never fetched.

Every text that comes from data (library names, stories, meeting titles) or from the catalog is HTML-escaped;
figures go through ``plotly.io.to_html``, which escapes ``</`` inside the embedded JSON.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from functools import lru_cache
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio

from . import config, deck, filters, i18n
from .dataset import Dataset
from .deck import Slide, Story
from .filters import Filters
from .i18n import fmt_date, t

PRINT_MAX_HEIGHT = 620  # px: a figure fits one landscape A4 page with its title
OUTSIDE_HOST = re.compile(r"https?://(?!www\.w3\.org/)[A-Za-z0-9.\-]+")

CSS = """
:root { --ink: #1a1a1a; --muted: #555; --rule: #d0d0d0; --accent: #0072B2; }
* { box-sizing: border-box; }
body { font-family: "Source Sans Pro", Arial, Helvetica, sans-serif; color: var(--ink); margin: 0 auto;
       max-width: 1200px; padding: 24px; font-size: 16px; line-height: 1.4; }
h1 { font-size: 34px; margin: 0 0 8px; }
h2 { font-size: 26px; margin: 4px 0 8px; }
.part { color: var(--accent); font-weight: 600; margin: 0; font-size: 15px; }
.subtitle, .meta { color: var(--muted); margin: 0 0 12px; }
.covers { font-weight: 600; margin: 0 0 12px; }
.note { color: var(--muted); border-left: 4px solid var(--rule); padding-left: 10px; margin-top: 12px; }
.demo { background: #fff4d6; border: 1px solid #e6c75f; padding: 8px 12px; border-radius: 4px; }
section.slide { border-top: 2px solid var(--rule); padding: 18px 0 28px; }
table { border-collapse: collapse; width: 100%; font-size: 15px; }
th, td { border-bottom: 1px solid var(--rule); padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
article.story { border: 1px solid var(--rule); border-radius: 6px; padding: 10px 14px; margin: 10px 0;
                break-inside: avoid; }
article.story p { margin: 4px 0; white-space: pre-wrap; }
article.story .meta { font-size: 14px; }
.evidence { font-size: 14px; color: var(--muted); word-break: break-all; }
nav ol { columns: 2; }
@media print {
  @page { size: A4 landscape; margin: 10mm; }
  body { max-width: none; padding: 0; font-size: 13px; }
  section.slide { break-before: page; page-break-before: always; border-top: none; padding: 0; }
  .figure { break-inside: avoid; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  .modebar-container, .no-print { display: none !important; }
  a { color: inherit; text-decoration: none; }
}
"""


@lru_cache(maxsize=1)
def plotly_js() -> str:
    """Plotly's JavaScript bundle with every outside host name made unreachable (see the module docstring)."""
    from plotly.offline import get_plotlyjs

    js = OUTSIDE_HOST.sub("offline:", get_plotlyjs())
    return js.replace("</script", "<\\/script")  # cannot end the <script> element it is embedded in


def _e(text) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _figure_html(fig: go.Figure, div_id: str) -> str:
    fig = go.Figure(fig)  # a copy: the deck's figure stays as it is (the presentation mode shows it too)
    height = fig.layout.height
    if height is not None and height > PRINT_MAX_HEIGHT:
        fig.update_layout(height=PRINT_MAX_HEIGHT)
    return pio.to_html(
        fig,
        include_plotlyjs=False,
        full_html=False,
        div_id=div_id,
        default_width="100%",
        config={"displaylogo": False, "responsive": True, "showSendToCloud": False},
    )


_NUMBER = re.compile(r"^[+\-–]?[\d.,]+(%| poin| points)?$|^–$")


def _table_html(frame) -> str:
    head = "".join(f'<th scope="col">{_e(c)}</th>' for c in frame.columns)
    rows = []
    for values in frame.itertuples(index=False):
        cells = "".join(
            f'<td class="num">{_e(v)}</td>' if _NUMBER.match(str(v)) else f"<td>{_e(v)}</td>" for v in values
        )
        rows.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _story_html(s: Story, lang: str) -> str:
    meta = " · ".join(_e(x) for x in (s.cycle, t(f"story.{s.kind}", lang), s.library, s.district))
    # The evidence link is shown as text: the pack never links or loads anything from outside.
    link = f'<p class="evidence">{_e(t("pack.evidence", lang))}: {_e(s.link)}</p>' if s.link else ""
    return f'<article class="story"><p class="meta">{meta}</p><p>{_e(s.text)}</p>{link}</article>'


def _slide_html(slide: Slide, index: int, lang: str, heading: str = "h2") -> str:
    parts = [
        f'<section class="slide" id="{_e(slide.key)}">',
        f'<p class="part">{_e(slide.subtitle)}</p>' if slide.part else "",
        f"<{heading}>{_e(slide.title)}</{heading}>",
        f'<p class="subtitle">{_e(slide.subtitle)}</p>' if not slide.part else "",
    ]
    if slide.figure is not None:
        parts.append(f'<div class="figure">{_figure_html(slide.figure, f"figure-{index}")}</div>')
    if slide.table is not None:
        parts.append(_table_html(slide.table))
    for story in slide.stories or ():
        parts.append(_story_html(story, lang))
    if slide.note:
        parts.append(f'<p class="note">{_e(slide.note)}</p>')
    if slide.more:
        parts.append(f"<h3>{_e(t('pack.more_stories', lang))}</h3>")
        parts.extend(_story_html(s, lang) for s in slide.more)
    parts.append("</section>")
    return "\n".join(p for p in parts if p)


def render(slides: list[Slide], ds: Dataset, f: Filters, generated: dt.date | None = None, source: str = "") -> str:
    """The pack as one HTML document (text)."""
    lang = f.lang
    generated = generated or dt.date.today()
    opening, rest = slides[0], slides[1:]
    title = f"{t('pack.title', lang)}: {opening.title}"
    cycle = filters.cycle_bounds(f, ds.choices)[1]
    dates = ds.cycles.set_index("id").loc[cycle]
    covers = t(
        "pack.covers",
        lang,
        region=deck.region_name(ds, f),
        cycle=filters.cycle_label(cycle, lang),
        start=fmt_date(dates["start_date"], lang),
        end=fmt_date(dates["end_date"], lang),
    )
    meta = [
        f'<p class="covers">{_e(covers)}</p>',
        f'<p class="meta">{_e(t("pack.filters", lang))}: {_e(filters.describe(f, ds.choices))}</p>',
        f'<p class="meta">{_e(t("pack.generated", lang, date=fmt_date(generated, lang), source=source))}</p>',
    ]
    if ds.is_demo:
        notice = t("app.demo_notice", lang, scale=ds.meta.get("demo_scale", "?"), seed=ds.meta.get("demo_seed", "?"))
        meta.append(f'<p class="demo">{_e(notice)}</p>')
    meta.append(f'<p class="meta no-print">{_e(t("pack.print_hint", lang))}</p>')
    toc = "".join(f'<li><a href="#{_e(s.key)}">{_e(s.title)}</a></li>' for s in rest)
    cover = _slide_html(opening, 0, lang, heading="h1").replace(
        "</section>", "\n".join(meta) + f"<nav><h3>{_e(t('pack.contents', lang))}</h3><ol>{toc}</ol></nav></section>"
    )
    body = "\n".join([cover, *(_slide_html(s, i, lang) for i, s in enumerate(rest, start=1))])
    return (
        f'<!DOCTYPE html>\n<html lang="{_e(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{CSS}</style>\n"
        f'<script type="text/javascript">{plotly_js()}</script>\n</head>\n<body>\n{body}\n</body>\n</html>\n'
    )


def build(ds: Dataset, f: Filters, path=None, generated: dt.date | None = None) -> str:
    """The meeting pack of these filters for the database at ``path`` (default ``config.db_path()``)."""
    db = config.db_path(path)
    return render(deck.build(ds, f, path=db), ds, f, generated=generated, source=Path(db).name)


def file_name(ds: Dataset, f: Filters) -> str:
    """A readable download name: ``paket-plm-gunungkidul-2018-2.html``."""
    region = deck.region_name(ds, f)
    last = filters.cycle_bounds(f, ds.choices)[1]
    slug = re.sub(r"[^a-z0-9]+", "-", region.lower()).strip("-") or "indonesia"
    return f"{i18n.file_name('pack', f.lang)}-{slug}-{last}.html"


# --- the pack for the next PLM ---
# A PLM is held every four months (one cycle) and reviews the cycle just ended: its achievements, its online
# reports (due REPORT_GRACE_DAYS after the cycle's last day) and the stories shared in it
# (../shared/context/domain.md, docs/metrics.md). So "the next PLM" covers the latest complete cycle: the last
# cycle of the data that has ended by today. It is for the chosen area (province/district) and every partner
# library there (a PLM gathers them all: tier and cohort filters are not applied), whatever range is chosen;
# the indicator and the language are kept.


def latest_complete_cycle(ds: Dataset, today: dt.date | None = None) -> str:
    """The latest cycle whose last day is before ``today`` (default: today); the first cycle when none has
    ended yet."""
    today = today or dt.date.today()
    cycles = ds.cycles.sort_values("seq")
    ended = cycles[[dt.date.fromisoformat(str(d)[:10]) < today for d in cycles["end_date"]]]
    return str((ended if len(ended) else cycles.head(1))["id"].iloc[-1])


def next_plm_filters(ds: Dataset, f: Filters, today: dt.date | None = None) -> Filters:
    """The filters of the next PLM's pack: the area of ``f``, all its libraries, every cycle up to the latest
    complete one (``latest_complete_cycle``), ``f``'s indicator and language."""
    return Filters(
        lang=f.lang,
        province=f.province,
        district=f.district,
        indicator=f.indicator,
        to_cycle=latest_complete_cycle(ds, today),
    )
