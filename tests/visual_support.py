"""Helpers for the visual-invariant and accessibility browser tests (issue 13): walk the app as an officer does
(top navigation, the sidebar's language control, arrow keys on slides), read what Chromium drew, and collect
findings instead of stopping at the first.

A finding is a dict ``{"page", "lang", "size", "element", "what"}``; :func:`findings_table` prints them as a
Markdown table (the same table goes into the test's failure message and ``artifacts/visual/findings-*.md``)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.browser_support import READY, ROOT

ARTIFACTS = ROOT / "artifacts" / "visual"
SIZES = {"1366x768": {"width": 1366, "height": 768}, "1280x720": {"width": 1280, "height": 720}}
LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}
# Top-navigation titles (analytics/i18n/__init__.py nav.*) and the short name used for screenshots and findings.
PAGES = [
    ("overview", {"id": "Ringkasan", "en": "Overview"}),
    ("participation", {"id": "Partisipasi", "en": "Participation"}),
    ("impact", {"id": "Dampak", "en": "Impact"}),
    ("compare", {"id": "Bandingkan", "en": "Compare"}),
    ("library", {"id": "Perpustakaan", "en": "Library"}),
    ("data-quality", {"id": "Kualitas data", "en": "Data quality"}),
    ("stories", {"id": "Cerita", "en": "Stories"}),
    ("awards", {"id": "Penghargaan", "en": "Awards"}),
]
PRESENT = {"id": "Presentasi", "en": "Presentation"}
NEXT = {"id": "Berikutnya", "en": "Next"}
MIN_SLIDE_TEXT_PX = 20  # issue 13 item 4: text on slides readable from the back of a room


def finding(where: dict, element: str, what: str) -> dict:
    return {**where, "element": element, "what": what}


def findings_table(findings: list[dict]) -> str:
    rows = ["| page | lang | size | element | what |", "|---|---|---|---|---|"]
    for f in findings:
        cells = [
            str(f[k]).replace("|", "\\|").replace("\n", " ")[:300] for k in ("page", "lang", "size", "element", "what")
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def write_findings(name: str, findings: list[dict]) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"findings-{name}.json").write_text(json.dumps(findings, indent=1, ensure_ascii=False))
    target = ARTIFACTS / f"findings-{name}.md"
    target.write_text(findings_table(findings) + "\n")
    return target


# --- moving around as an officer does ----------------------------------------------------------------------

# A fresh browser context's first page: a new session, and on this shared 2-core machine (load 15+ while other
# test runs go on) its first run has taken over 30 s; later reruns settle in a few seconds.
FIRST_LOAD_MS = 120_000


def settle(page, timeout: float = 30_000) -> None:
    """The script has finished (and a rerun it triggers too), and every Plotly chart has drawn its SVG."""
    page.wait_for_timeout(350)
    page.wait_for_selector(READY, timeout=timeout)
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid=stPlotlyChart]')]
        .every(c => c.querySelector('.js-plotly-plot .main-svg'))""",
        timeout=timeout,
    )
    page.wait_for_timeout(250)  # Plotly's second layout pass (automargin)
    page.wait_for_selector(READY, timeout=timeout)


def choose_language(page, lang: str) -> None:
    """Click the language in the sidebar's segmented control (the sidebar is opened first if folded)."""
    if lang == "id":  # the default: a fresh browser starts in Bahasa Indonesia
        return
    sidebar = page.locator("[data-testid=stSidebar]")
    try:  # the first page may still be rerunning (URL sync, folding): give the control time to appear
        sidebar.locator("[data-testid=stButtonGroup]").first.wait_for(state="visible", timeout=10_000)
    except Exception:  # noqa: BLE001 (folded: opened below)
        pass
    if not sidebar.locator("[data-testid=stButtonGroup]").first.is_visible():
        opener = "[data-testid=stExpandSidebarButton], [data-testid=stSidebarCollapsedControl] button"
        page.locator(opener).first.click()
        page.wait_for_timeout(400)
    sidebar.locator("[data-testid=stButtonGroup] button", has_text=LANGUAGE_NAMES[lang]).first.click()
    settle(page)


# The nav links a person can click now: the element drawn at the link's centre is the link (links that do not
# fit stay in the DOM, hidden behind the bar, until the "N more" menu shows them as stTopNavDropdownLink).
NAV_LINKS = "[data-testid=stTopNavLink], [data-testid=stTopNavDropdownLink]"
CLICKABLE_LINKS_JS = r"""
([title, selector]) => [...document.querySelectorAll(selector)].map((a, i) => {
    const r = a.getBoundingClientRect();
    const hit = r.width > 0 && document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return {i, ok: !!hit && a.contains(hit) && a.innerText.trim().endsWith(title)};
}).filter(o => o.ok).map(o => o.i)
"""


def clickable(page, title: str) -> list[int]:
    return page.evaluate(CLICKABLE_LINKS_JS, [title, NAV_LINKS])


def in_overflow(page, title: str) -> bool:
    return not clickable(page, title)


def go_to_page(page, titles: dict, lang: str) -> str | None:
    """Click the page's title in the top navigation (opening the "N more" overflow first when it sits there).
    Returns None, or a finding's text when the navigation was in the other language (then it clicks that)."""
    problem = None
    for attempt in (lang, *[other for other in titles if other != lang]):
        links = clickable(page, titles[attempt])
        if not links and page.locator("[data-testid=stTopNavSection]").count():
            page.locator("[data-testid=stTopNavSection]").first.click()
            page.wait_for_timeout(400)
            links = clickable(page, titles[attempt])
        if links:
            page.locator(NAV_LINKS).nth(links[0]).click()
            page.wait_for_timeout(300)
            settle(page)
            return problem
        page.keyboard.press("Escape")
        problem = f'the navigation has no "{titles[lang]}" ({lang}); it is in another language'
    raise AssertionError(f'no clickable "{titles[lang]}" in the top navigation, nor in its overflow menu')


def title(page) -> str:
    heading = page.locator("[data-testid=stMain] h1")
    return heading.first.inner_text().strip() if heading.count() else ""


# --- what Chromium drew --------------------------------------------------------------------------------------

# Two JavaScript functions for tick labels, shared by the invariants and tests: ``corners(text)``, a label's box
# as drawn (its own box turned as the label is: a slanted label's screen rectangle is far larger than its
# letters, and neighbours' rectangles meet where the letters do not), and ``overlap(p, q)``, whether two such
# boxes overlap by more than 1 px along every edge's normal (separating axes).
LABEL_BOXES_JS = r"""
    const corners = t => {
      const b = t.getBBox(), m = t.getScreenCTM();
      return [[b.x, b.y], [b.x + b.width, b.y], [b.x + b.width, b.y + b.height], [b.x, b.y + b.height]]
        .map(([x, y]) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f]);
    };
    const overlap = (p, q) => [p, q].every(poly => poly.every((a, i) => {
      const b = poly[(i + 1) % 4], len = Math.hypot(b[0] - a[0], b[1] - a[1]) || 1;
      const n = [(a[1] - b[1]) / len, (b[0] - a[0]) / len];
      const span = pts => pts.map(([x, y]) => x * n[0] + y * n[1]);
      const sp = span(p), sq = span(q);
      return Math.min(Math.max(...sp), Math.max(...sq)) - Math.max(Math.min(...sp), Math.min(...sq)) > 1;
    }));
"""

# Returns [{element, what}] for the page as drawn. Everything is read from the DOM: Plotly keeps the figure on
# its element (gd.data, gd._fullData, gd._fullLayout); tick labels are SVG <text> in g.xtick / g.x2tick / ...
INVARIANTS_JS = r"""
() => {
  const out = [];
  const add = (element, what) => out.push({element, what});
  const visible = el => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    // a folded sidebar is moved off screen, not hidden: what lies left of the screen is not shown
    return r.width > 0 && r.height > 0 && r.right > 0 && s.visibility !== 'hidden' && s.display !== 'none'
      && +s.opacity !== 0;
  };
  const short = s => (s || '').replace(/\s+/g, ' ').trim().slice(0, 90);
  const cycleOf = s => { const m = /(\d{4})-([1-3])(?!\d)/.exec(s || ''); return m ? [+m[1], +m[2]] : null; };
  const before = (a, b) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);

  // 1. exceptions
  document.querySelectorAll('[data-testid=stException]').forEach(e =>
    add('stException', 'exception shown: ' + short(e.innerText)));

  // 2-4, 6: the Plotly charts
  document.querySelectorAll('.js-plotly-plot').forEach((gd, chartIndex) => {
    const fl = gd._fullLayout || {};
    const rawTitle = (fl.title || {}).text || '';
    const titleText = rawTitle === 'Click to enter Plot title' ? '' : short(rawTitle.replace(/<[^>]+>/g, ' '));
    const chart = `chart ${chartIndex + 1}` + (titleText ? ` "${titleText}"` : '');
    // cycle axes in time order: the category order Plotly uses and the tick labels as drawn
    Object.keys(fl).filter(k => /^[xy]axis\d*$/.test(k)).forEach(name => {
      const ax = fl[name];
      if (!ax || ax.type !== 'category' || !ax.visible) return;
      const cats = (ax._categories || []).map(String);
      const cycles = cats.map(cycleOf);
      if (cycles.length < 2 || cycles.some(c => !c)) return;   // not a cycle axis
      for (let i = 1; i < cycles.length; i++) {
        if (!before(cycles[i - 1], cycles[i])) {
          const order = cats.slice(0, 12).join(', ') + (cats.length > 12 ? ', …' : '');
          add(`${chart} ${name}`,
              `cycle categories out of time order: "${cats[i - 1]}" before "${cats[i]}" (order: ${order})`);
          break;
        }
      }
      const letter = name[0], num = name.slice(5);
      const cls = `${letter}${num}tick`;
      const ticks = [...gd.querySelectorAll(`g.${cls} text`)].filter(visible)
        .map(t => ({t: t.textContent, r: t.getBoundingClientRect()}))
        .filter(o => cycleOf(o.t));
      // screen order: left to right on x; on y, Plotly puts the first category at the bottom unless reversed
      const rev = letter === 'y' ? !(ax.autorange === 'reversed' || (ax.range && ax.range[0] > ax.range[1])) : false;
      ticks.sort((a, b) => letter === 'x' ? a.r.left - b.r.left : (rev ? b.r.top - a.r.top : a.r.top - b.r.top));
      for (let i = 1; i < ticks.length; i++) {
        if (!before(cycleOf(ticks[i - 1].t), cycleOf(ticks[i].t))) {
          add(`${chart} ${name} tick labels`,
              `drawn out of time order: "${short(ticks[i - 1].t)}" then "${short(ticks[i].t)}"`);
          break;
        }
      }
    });
    // no two tick labels of one axis overlap
    const groups = {};
    gd.querySelectorAll('g[class$="tick"] > text, g[class$="tick"] text').forEach(t => {
      const g = t.closest('g[class$="tick"]');
      const cls = [...g.classList].find(c => /^[xy]\d*tick$/.test(c));
      if (!cls || !t.textContent.trim() || !visible(t)) return;
      (groups[cls] = groups[cls] || new Set()).add(t);
    });
    /*LABEL_BOXES*/
    Object.entries(groups).forEach(([cls, set]) => {
      const boxes = [...set].map(t => ({t: t.textContent, q: corners(t)}));
      let pairs = 0, example = '';
      for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
        if (overlap(boxes[i].q, boxes[j].q)) {
          pairs++; if (!example) example = `"${short(boxes[i].t)}" and "${short(boxes[j].t)}"`;
        }
      }
      if (pairs)
        add(`${chart} ${cls.replace('tick', 'axis')}`, `${pairs} overlapping tick label pair(s), e.g. ${example}`);
    });
    // no two texts of heat map cells overlap (a scorecard's two lines a cell in rows too low for them)
    const cells = [...gd.querySelectorAll('g.heatmap-label text')].filter(t => t.textContent.trim() && visible(t))
      .map(t => ({t: t.textContent, r: t.getBoundingClientRect()}));
    let cellPairs = 0, cellExample = '';
    for (let i = 0; i < cells.length; i++) for (let j = i + 1; j < cells.length; j++) {
      const a = cells[i].r, b = cells[j].r;
      const ox = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const oy = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (ox > 1 && oy > 1 && !cellPairs++) cellExample = `"${short(cells[i].t)}" and "${short(cells[j].t)}"`;
    }
    if (cellPairs) add(`${chart} cells`, `${cellPairs} overlapping cell text pair(s), e.g. ${cellExample}`);
    // text cut by the figure's edge (titles, axis titles, tick labels, legend entries): SVG text is clipped there
    const svg = gd.querySelector('.main-svg');
    if (svg) {
      const s = svg.getBoundingClientRect();
      const kinds = [['.gtitle', 'title'], ['.xtitle, .x2title, .x3title', 'x axis title'],
                     ['[class^="ytitle"], .ytitle', 'y axis title'], ['g.legend text', 'legend entry'],
                     ['g[class$="tick"] text', 'tick label'], ['.annotation-text', 'note']];
      kinds.forEach(([sel, kind]) => {
        const cut = [...gd.querySelectorAll(sel)].filter(el => el.textContent.trim() && visible(el)).filter(el => {
          const r = el.getBoundingClientRect();
          return r.right > s.right + 2 || r.left < s.left - 2 || r.top < s.top - 2 || r.bottom > s.bottom + 2;
        });
        if (cut.length) {
          const r = cut[0].getBoundingClientRect();
          const span = `${Math.round(r.left - s.left)}..${Math.round(r.right - s.left)} px`;
          add(`${chart} ${kind}`, `${cut.length} ${kind}(s) cut by the chart's edge, `
              + `e.g. "${short(cut[0].textContent)}" (${span} in a ${Math.round(s.width)} px wide chart)`);
        }
      });
    }
    // many lines, each its own colour: unreadable (issue 13 item 6: highlight a few, the rest grey)
    const lines = (gd._fullData || [])
      .filter(tr => tr.visible === true && tr.type === 'scatter' && /lines/.test(tr.mode || ''));
    const lineColours = new Set(lines.map(tr => (tr.line || {}).color));
    if (lines.length > 6 && lineColours.size > 6)
      add(chart, `${lines.length} lines in ${lineColours.size} colours in one chart `
                 + '(highlight a few, or small multiples)');
    // colours map to a legend or a stated encoding
    const data = gd._fullData || [];
    const shown = data.filter(tr => tr.visible === true);
    const legendOn = fl.showlegend !== false;
    shown.forEach(tr => {
      const m = tr.marker || {};
      const name = `${chart} trace "${short(tr.name) || tr.type}"`;
      if (['heatmap', 'choropleth', 'choroplethmap', 'choroplethmapbox', 'densitymap'].includes(tr.type)) {
        const hasText = Array.isArray(tr.text) && tr.text.flat().some(x => String(x || '').trim());
        // a colour bar drawn for the figure by any trace (or a shared colour axis) explains this one's colours
        const anyBar = shown.some(o => o.showscale === true || (o.marker || {}).showscale === true)
          || Object.keys(fl).some(k => /^coloraxis\d*$/.test(k) && fl[k].showscale);
        if (tr.showscale === false && !anyBar && !hasText && !tr.texttemplate)
          add(name, 'colour scale with neither a colour bar nor values written in the cells');
        return;
      }
      if (Array.isArray(m.color)) {
        const distinct = new Set(m.color.map(String));
        const numeric = m.color.length && m.color.every(c => typeof c === 'number');
        if (numeric && !m.showscale)
          add(name, `${distinct.size} colours from a numeric scale with no colour bar`);
        // every mark labelled with a shape (the traffic light's ● ▲ ■): the colours are a stated encoding
        const shapes = Array.isArray(tr.text) && tr.text.length === m.color.length
          && tr.text.every(x => /[●▲■◆★✓✗]/.test(String(x || '')));
        if (!numeric && distinct.size > 2 && !shapes)
          add(name, `${distinct.size} distinct marker colours in one trace, not in any legend `
                    + `(${[...distinct].slice(0, 4).join(', ')}…)`);
      }
    });
    // several traces in different colours, none of them in a legend
    const colourOf = tr => {
      const m = tr.marker || {}, l = tr.line || {};
      if (typeof m.color === 'string' && tr.type !== 'scatter') return m.color;
      return typeof l.color === 'string' ? l.color : (typeof m.color === 'string' ? m.color : null);
    };
    const named = shown.filter(tr => ['bar', 'scatter', 'scattergl'].includes(tr.type) && colourOf(tr));
    const byName = {};
    named.forEach(tr => { (byName[tr.name || ''] = byName[tr.name || ''] || new Set()).add(colourOf(tr)); });
    const names = Object.keys(byName);
    const inLegend = named.some(tr => legendOn && tr.showlegend !== false);
    const colours = new Set(named.map(colourOf));
    if (names.length > 1 && colours.size > 1 && !inLegend && !fl.annotations?.length)
      add(chart, `${names.length} series in ${colours.size} colours and no legend `
                 + `(${names.slice(0, 4).map(short).join(', ')})`);
    // two series in the legend with the same colour
    if (inLegend) {
      const seen = {};
      named.filter(tr => tr.showlegend !== false && !tr._isHidden).forEach(tr => {
        const c = colourOf(tr), n = tr.name || '';
        const group = named.find(x => x.name === seen[c])?.legendgroup;
        if (seen[c] && seen[c] !== n && !(group && tr.legendgroup === group))
          add(chart, `"${short(seen[c])}" and "${short(n)}" share the colour ${c} in the legend`);
        else seen[c] = seen[c] || n;
      });
    }
  });

  // 5. text cut: an element that hides what overflows (ellipsis, or overflow hidden with only inline content)
  const where = el => {
    const specific = ['stMetricLabel', 'stSelectbox', 'stMultiSelect', 'stTable', 'stTab', 'stExpander',
      'stCaptionContainer', 'stWidgetLabel', 'stAlert', 'stHeading'];
    const tid = specific.map(t => el.closest(`[data-testid=${t}]`)).find(x => x) || el.closest('[data-testid]');
    const key = el.closest('[class*="st-key-"]');
    const k = key ? [...key.classList].find(c => c.startsWith('st-key-')) : '';
    const side = el.closest('[data-testid=stSidebar]') ? 'sidebar ' : '';
    return side + (tid ? tid.getAttribute('data-testid') : el.tagName.toLowerCase()) + (k ? ` .${k}` : '');
  };
  const reported = new Set();
  document.querySelectorAll('[data-testid=stMain] *, [data-testid=stSidebar] *').forEach(el => {
    const tag = el.tagName.toLowerCase();
    if (['svg', 'g', 'text', 'path', 'canvas', 'textarea', 'script', 'style'].includes(tag)) return;
    if (el.tagName === 'INPUT') {  // a select box shows its value in an input (the sidebar's indicator name)
      if (['hidden', 'password', 'checkbox', 'radio', 'range'].includes(el.type) || !el.value || !visible(el)) return;
      if (el.scrollWidth > el.clientWidth + 1)
        add(where(el), `value cut: "${short(el.value)}" needs ${el.scrollWidth} px, shows ${el.clientWidth} px`);
      return;
    }
    const skip = '.js-plotly-plot, [data-testid=stDataFrame], [data-baseweb=popover], [data-testid=stTooltipContent]';
    if (el.closest(skip)) return;
    const text = (el.innerText || '').trim();
    if (!text || !visible(el)) return;
    const s = getComputedStyle(el);
    const clipsX = ['hidden', 'clip'].includes(s.overflowX);
    const ellipsis = s.textOverflow === 'ellipsis';
    if (!ellipsis && !clipsX) return;
    const inlineOnly = [...el.children].every(c => getComputedStyle(c).display.startsWith('inline'));
    if (!ellipsis && !inlineOnly) return;
    if (el.scrollWidth > el.clientWidth + 1) {
      for (const r of reported) if (r.contains(el) || el.contains(r)) return;
      reported.add(el);
      add(where(el), `text cut: "${short(text)}" needs ${el.scrollWidth} px, shows ${el.clientWidth} px`);
    }
    // a line clamp / fixed height cuts lines below
    if (s.overflowY === 'hidden' && el.scrollHeight > el.clientHeight + 2 && inlineOnly && el.clientHeight > 0
        && s.webkitLineClamp && s.webkitLineClamp !== 'none') {
      add(where(el), `text cut at ${s.webkitLineClamp} line(s): "${short(text)}"`);
    }
  });

  // 6. a table wider than the page: its last columns out of sight, reached only by scrolling it sideways
  document.querySelectorAll('[data-testid=stMain] [data-testid=stDataFrame]').forEach(table => {
    const scroller = table.querySelector('.dvn-scroller');
    if (!scroller || !visible(table)) return;
    if (scroller.scrollWidth > scroller.clientWidth + 1) {
      const heads = [...document.querySelectorAll('[data-testid=stMain] h2, [data-testid=stMain] h3')]
        .filter(h => h.compareDocumentPosition(table) & Node.DOCUMENT_POSITION_FOLLOWING);
      const under = heads.length ? heads[heads.length - 1].innerText : '';
      add(`stDataFrame under "${short(under)}"`,
          `table ${scroller.scrollWidth} px wide in ${scroller.clientWidth} px: columns out of sight`);
    }
  });
  return out;
}
""".replace("/*LABEL_BOXES*/", LABEL_BOXES_JS)

# Slides: fit the screen, navigation buttons in view, text at least MIN px.
SLIDE_JS = r"""
(minPx) => {
  const out = [];
  const add = (element, what) => out.push({element, what});
  const main = document.querySelector('[data-testid=stMain]');
  const vh = window.innerHeight, vw = window.innerWidth;
  if (main) main.scrollTop = 0;
  window.scrollTo(0, 0);
  // what the slide shows must end on screen (the main area's own bottom padding may scroll: it is empty)
  const blocks = [...document.querySelectorAll('[data-testid=stMainBlockContainer] [data-testid=stElementContainer]')]
    .filter(e => e.getBoundingClientRect().height > 0);
  const bottom = Math.max(0, ...blocks.map(e => e.getBoundingClientRect().bottom));
  const docH = Math.max(document.documentElement.scrollHeight, main ? main.scrollHeight : 0);
  if (bottom > vh + 1)
    add('document',
        `slide content ends ${Math.round(bottom - vh)} px below the ${vh} px screen (scroll height ${docH})`);
  const docW = Math.max(document.documentElement.scrollWidth, main ? main.scrollWidth : 0);
  if (docW > vw + 1) add('document', `slide is ${docW - vw} px wider than the ${vw} px screen`);
  ['slide_previous', 'slide_next', 'slide_exit'].forEach(k => {
    const b = document.querySelector(`.st-key-${k} button`);
    if (!b) { add(`button ${k}`, 'navigation button missing'); return; }
    const r = b.getBoundingClientRect();
    if (r.bottom > vh || r.top < 0 || r.right > vw || r.left < 0)
      add(`button ${k} "${b.innerText.trim()}"`,
          `outside the screen (top ${Math.round(r.top)}, bottom ${Math.round(r.bottom)} of ${vh})`);
  });
  // text size on the slide: chart text (SVG) and table / paragraph text in the main area
  const small = {};
  const note = (what, px) => { if (px < minPx) small[what] = Math.min(small[what] || 1e9, px); };
  document.querySelectorAll('.js-plotly-plot text').forEach(t => {
    if (!t.textContent.trim() || t.getBoundingClientRect().width === 0) return;
    const fs = parseFloat(getComputedStyle(t).fontSize || t.getAttribute('font-size') || '0');
    if (fs) note('chart text', fs);
  });
  document.querySelectorAll('[data-testid=stMain] td, [data-testid=stMain] th').forEach(c => {
    if (c.innerText.trim()) note('table text', parseFloat(getComputedStyle(c).fontSize));
  });
  document.querySelectorAll('[data-testid=stMain] [data-testid=stDataFrame]')
    .forEach(() => note('table text (data grid)', 14));
  Object.entries(small).forEach(([what, px]) => add(what, `${px} px text on a slide (at least ${minPx} px)`));
  return out;
}
"""

POSITION_JS = r"""
() => {
  const text = document.querySelector('[data-testid=stMain]')?.innerText || '';
  const m = /(?:Slide|slide)\s+(\d+)\s+(?:dari|of)\s+(\d+)/.exec(text);
  return m ? [+m[1], +m[2]] : null;
}
"""


# Every Plotly trace coloured with the traffic-light colours (red, yellow, green): each coloured cell / mark must
# also say its status in text (a symbol or the word). Returns [{element, what}].
TRAFFIC_LIGHTS_JS = r"""
([lights, marks]) => {
  const out = [];
  let seen = 0;
  const norm = c => String(c || '').trim().toUpperCase();
  const light = new Set(lights.map(norm));
  const says = s => marks.some(m => String(s || '').includes(m));
  document.querySelectorAll('.js-plotly-plot').forEach((gd, n) => {
    const fl = gd._fullLayout || {};
    const title = ((fl.title || {}).text || '').replace(/<[^>]+>/g, ' ').trim().slice(0, 80);
    const chart = `chart ${n + 1}` + (title ? ` "${title}"` : '');
    (gd._fullData || []).filter(tr => tr.visible === true).forEach(tr => {
      if (tr.type === 'heatmap') {
        const scale = (tr.colorscale || []).map(s => norm(s[1]));
        if (scale.filter(c => light.has(c)).length < 2) return;
        seen++;
        const zmin = tr.zmin, zmax = tr.zmax;
        // which z values paint a light colour: read the colour at z's place in the scale
        const colourAt = z => {
          const f = (z - zmin) / (zmax - zmin);
          let c = scale[0];
          (tr.colorscale || []).forEach(([at, col]) => { if (f >= at) c = norm(col); });
          return c;
        };
        let bare = 0, total = 0, example = '';
        (tr.z || []).forEach((row, i) => (row || []).forEach((z, j) => {
          if (z === null || z === undefined || Number.isNaN(z) || !light.has(colourAt(z))) return;
          total++;
          const text = ((tr.text || [])[i] || [])[j];
          if (!says(text) || !tr.texttemplate && tr.textinfo === undefined && !text) {
            bare++; if (!example) example = `${(tr.y || [])[i]} · ${(tr.x || [])[j]}: "${text ?? ''}"`;
          }
        }));
        if (bare) out.push({element: `${chart} heat map`,
                            what: `${bare} of ${total} traffic-light cells by colour alone, e.g. ${example}`});
        return;
      }
      const colours = (tr.marker || {}).color;
      if (!Array.isArray(colours)) return;
      // a status chart paints every mark in a light colour (a palette that merely contains them is not one)
      const lit = colours.map(norm).filter(c => light.has(c));
      if (new Set(lit).size < 2 || lit.length < colours.length) return;
      seen++;
      const texts = Array.isArray(tr.text) ? tr.text : colours.map(() => tr.text);
      const bare = colours.filter((c, i) => light.has(norm(c)) && !says(texts[i]) && !says((tr.y || [])[i])
                                                                && !says((tr.x || [])[i])).length;
      if (bare) out.push({element: `${chart} trace "${tr.name || tr.type}"`,
                          what: `${bare} traffic-light marks by colour alone (no symbol or word)`});
    });
  });
  return {out, seen};
}
"""


def traffic_light_marks(lang: str) -> list[str]:
    from analytics.charts import STATUS_SYMBOLS
    from analytics.i18n import t

    symbols = [STATUS_SYMBOLS[s] for s in ("green", "yellow", "red")]
    return symbols + [t(f"status.{s}", lang) for s in ("green", "yellow", "red")]


def traffic_lights(page, lang: str) -> dict:
    """``{"out": [{element, what}], "seen": number of traffic-light traces}`` for the page as drawn."""
    from analytics.charts import STATUS_COLORS

    colours = [STATUS_COLORS[s] for s in ("green", "yellow", "red")]
    return page.evaluate(TRAFFIC_LIGHTS_JS, [colours, traffic_light_marks(lang)])


def invariants(page) -> list[dict]:
    return page.evaluate(INVARIANTS_JS)


# Streamlit's own English words, on an Indonesian screen (issue 13, item 8): a select's placeholder, a
# multiselect's, the top navigation's overflow ("2 more"), a None shown as a value. Visible text only (data
# grids draw on a canvas: not seen here).
ENGLISH_ON_INDONESIAN = r"\b(Choose an option|Choose options|\d+ more|None|No results|Press Enter to apply)\b"
VISIBLE_TEXT_JS = r"""
(pattern) => {
  const found = new Set();
  const re = new RegExp(pattern, 'g');
  const roots = '[data-testid=stHeader], [data-testid=stSidebar], [data-testid=stMain]';
  for (const root of document.querySelectorAll(roots)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const box = node.parentElement && node.parentElement.getBoundingClientRect();
      if (!box || box.width === 0 || box.height === 0 || box.right <= 0) continue;
      for (const m of node.textContent.matchAll(re)) found.add(m[0]);
    }
    for (const input of root.querySelectorAll('input[placeholder]')) {
      const box = input.getBoundingClientRect();
      if (box.width && box.right > 0) for (const m of input.placeholder.matchAll(re)) found.add(m[0]);
    }
  }
  return [...found];
}
"""


def other_language(page, lang: str) -> list[dict]:
    """Findings for English words of Streamlit's own on a screen in Bahasa Indonesia."""
    if lang != "id":
        return []
    words = page.evaluate(VISIBLE_TEXT_JS, ENGLISH_ON_INDONESIAN)
    return [{"element": "text", "what": f'English on an Indonesian screen: "{w}"'} for w in words]


def slide_checks(page) -> list[dict]:
    return page.evaluate(SLIDE_JS, MIN_SLIDE_TEXT_PX)


def slide_position(page) -> tuple[int, int] | None:
    found = page.evaluate(POSITION_JS)
    return tuple(found) if found else None


def screenshot(page, name: str, full: bool = True) -> Path:
    """``artifacts/visual/<name>.png``: the viewport, or (``full``) the whole main area at the same width (the
    viewport grows to the page's height for the shot: Streamlit scrolls inside ``stMain``)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / f"{name}.png"
    size = page.viewport_size
    if full:
        height = page.evaluate("() => (document.querySelector('[data-testid=stMain]') || document.body).scrollHeight")
        if height > size["height"] + 1:
            page.set_viewport_size({"width": size["width"], "height": min(int(height), 8_000)})
            page.wait_for_timeout(400)  # charts re-lay out on resize
    page.screenshot(path=str(target))
    if page.viewport_size != size:
        page.set_viewport_size(size)
        page.wait_for_timeout(300)
    return target


def draw_figures(page, figures: list, width: int = 420, height: int = 320) -> None:
    """A bare page with Plotly figures (``plotly.graph_objects`` figures), drawn by the plotly.js that ships
    with the plotly package (no network): for testing the checks themselves."""
    import plotly

    page.set_content("<html><body></body></html>")
    page.add_script_tag(path=str(Path(plotly.__file__).parent / "package_data" / "plotly.min.js"))
    for n, figure in enumerate(figures):
        page.evaluate(
            """([id, spec, w, h]) => {
            const div = document.createElement('div'); div.id = id; document.body.appendChild(div);
            spec.layout.width = w; spec.layout.height = h;
            return Plotly.newPlot(div, spec.data, spec.layout);
        }""",
            [f"figure{n}", json.loads(figure.to_json()), width, height],
        )
    page.wait_for_timeout(200)
