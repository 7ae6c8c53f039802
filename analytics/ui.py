"""The thin Streamlit-facing part: language, database, first-start build, cached loads, the shared sidebar
filters (kept in the URL), and small rendering helpers used by every page.

Only this module, the auth module and the page scripts import streamlit.
"""

from __future__ import annotations

import gc
import hashlib
import json
import re

import pandas as pd
import streamlit as st

from . import config, dataset, demo, exports, filters, queries, snapshot, store
from .i18n import DEFAULT_LANGUAGE, LANGUAGES, fmt_date, fmt_number, t

LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}
DRILL_PREFIX = "drill:"
DRILLED = "_drilled"
OWN_RERUN = "_own_rerun"


def language() -> str:
    """The interface language: the sidebar choice, else ``?lang=``, else Bahasa Indonesia."""
    entrypoint_first()
    state = st.session_state.get(STATE)
    value = state.lang if state is not None else st.query_params.get("lang", DEFAULT_LANGUAGE)
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def ensure_database(lang: str) -> str:
    """Build the seed-scale demo database on first start (with a visible progress message)."""
    path = config.db_path()
    if not path.exists():
        with st.status(t("app.building_demo", lang), expanded=True) as status:
            bar = st.progress(0.0)
            demo.ensure(path, lambda fraction, message: bar.progress(min(1.0, fraction), text=message))
            status.update(label=t("app.demo_built", lang, path=str(path)), state="complete", expanded=False)
    return str(path)


def data_version(path: str) -> str:
    """Changes whenever the database file changes, so cached results are keyed to its content (the same
    fingerprint that names the database's snapshot)."""
    return snapshot.fingerprint(config.db_path(path))


@st.cache_resource(show_spinner=False, max_entries=2)
def _load(path: str, version: str) -> dataset.Dataset:
    # Shared read-only by every session (cache_resource does not copy); a new file version loads anew.
    return dataset.load(path)


_heap_settled = False


def settle_heap() -> None:
    """Once per process, after the first page is drawn: hand everything alive then (the imported modules, the
    dataset) to Python's permanent generation, so that garbage collections stop re-scanning it.

    A full collection of that heap costs 50-110 ms and ran every few reruns; afterwards it scans only what
    was made since. (``runner.postScriptGC`` is off for the same reason, in .streamlit/config.toml.)"""
    global _heap_settled
    if not _heap_settled:
        _heap_settled = True
        gc.collect()
        gc.freeze()


def get_dataset() -> dataset.Dataset:
    entrypoint_first()
    path = str(config.db_path())
    return _load(path, data_version(path))


@st.cache_data(show_spinner=False, max_entries=4)
def has_tables(path: str, version: str) -> bool:
    with store.opened(path, readonly=True) as conn:
        return conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0] > 0


@st.cache_data(show_spinner=False, max_entries=4)
def schema_version(path: str, version: str) -> int:
    """The database file's schema version (cached per file version)."""
    with store.opened(path, readonly=True) as conn:
        return store.schema_version(conn)


@st.cache_data(show_spinner=False, max_entries=4)
def last_import(path: str, version: str) -> dict | None:
    with store.opened(path, readonly=True) as conn:
        return queries.last_import(conn)


# cache_resource: shared, not copied on every call (pages only read these few rows).
@st.cache_resource(show_spinner=False, max_entries=64)
def _library_records(path: str, version: str, library_id: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    with store.opened(path, readonly=True) as conn:
        return (queries.library_awards(conn, library_id), queries.library_visits(conn, library_id),
                queries.library_stories(conn, library_id))


def library_records(library_id: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A library's awards, monitoring visits and stories (cached per database version: a few rows each)."""
    path = str(config.db_path())
    return _library_records(path, data_version(path), int(library_id))


ANALYSIS = "_import_analysis"


def import_analysis(state, path, data: bytes, file_name: str, kind: str):
    """The analysis of an uploaded file, kept in ``state`` (the session's) while the file, its name, its kind
    and the database stay the same: validating a large file takes seconds, and every click on the page reruns
    it. (The import itself validates again, under the write lock.)"""
    from . import importing

    digest = importing.sha256(data)
    kept = state.get(ANALYSIS)
    if kept is None or kept[0] != (digest, file_name, kind, data_version(str(path))):
        with store.opened(path, readonly=True) as conn:
            analysis = importing.analyse(conn, data, file_name, kind)
        # The version read after opening: a first reader of the file can create its WAL index files.
        kept = ((digest, file_name, kind, data_version(str(path))), analysis)
        state[ANALYSIS] = kept
    return kept[1]


def db_lookup(function, *args):
    """Run a small query function from analytics.queries on the current database (per use connection)."""
    with store.opened(config.db_path(), readonly=True) as conn:
        return function(conn, *args)


# --- the shared filters ---
# One canonical Filters value lives in session state (not in a widget, so it survives every rerun); the
# sidebar widgets are views of it whose keys carry a version, bumped whenever the state changes from
# elsewhere (a new link, a chart click, the language), so that fresh widgets show the new state.
#
# The widgets' options are language-neutral codes shown through a format_func from the catalog, with ``ALL``
# for "every province/tier/...": never None, which a select would send back as "nothing chosen" (it then
# shows its placeholder). Streamlit keeps a select's value in the browser as the *label* shown, so the
# language switch gives every widget a fresh key (and re-sends the value of a page's own keyed selects):
# a label of the other language is never read back (issue 13, item 1).

STATE = "_filters"
VERSION = "_filters_version"
URL_WRITTEN = "_url_written"
PAGE = "_page"  # the page the last run showed (its script hash): a different one asked for is a page change
ALL = "*"  # the "all" option of the sidebar's selects (not a valid code of anything)


def _key(name: str) -> str:
    return f"w_{name}_{st.session_state.get(VERSION, 0)}"


def _set(**changes) -> None:
    st.session_state[STATE] = st.session_state[STATE].with_(**changes)


def _from_widget(field: str, key: str, **also) -> None:
    value = st.session_state[key]
    _set(**{field: None if value == ALL else value}, **also)


def _language_changed(key: str) -> None:
    _set(lang=st.session_state[key])
    # Fresh sidebar widgets, labelled in the new language.
    st.session_state[VERSION] = st.session_state.get(VERSION, 0) + 1
    _resend_option_widgets()


# The serialisers of the widgets whose value travels to the browser as the label shown.
_OPTION_SERDES = {"SelectboxSerde", "MultiSelectSerde", "RadioSerde", "SelectSliderSerde",
                  "_SingleSelectButtonGroupSerde", "_MultiSelectButtonGroupSerde"}


def _resend_option_widgets() -> None:
    """Write back the current value of every keyed option widget (a page's own select, segmented control...),
    so that the next run sends it to the browser labelled in the new language instead of reading back the
    old language's label (which matches no option there). Streamlit keeps no public list of widget types; a
    widget not recognised here keeps its value as before."""
    from streamlit.runtime.state import get_session_state

    try:
        state = get_session_state()._state  # the SessionState inside its thread-safe wrapper
        mapping = dict(state._key_id_mapper._key_id_mapping)
        metadata = state._new_widget_state.widget_metadata
    except AttributeError:  # another Streamlit version: the sidebar's own widgets are renewed anyway
        return
    for key, widget_id in mapping.items():
        meta = metadata.get(widget_id)
        serde = getattr(getattr(meta, "serializer", None), "__self__", None)
        if key.startswith("w_") or type(serde).__name__ not in _OPTION_SERDES or key not in st.session_state:
            continue
        st.session_state[key] = st.session_state[key]


def set_filters(scope: str = "app", **changes) -> None:
    """Change filters from a page (a click, a choice on the page) and show the result at once."""
    _set(**changes)
    st.session_state[VERSION] = st.session_state.get(VERSION, 0) + 1
    st.session_state[OWN_RERUN] = True  # this rerun may carry the old query string: the URL is still ours
    st.rerun(scope=scope)


def drill_key(level: str, f: filters.Filters) -> str:
    """The key of a drill-down chart (it includes the view, so each level starts with no selection)."""
    return f"{DRILL_PREFIX}{level}:{f.province or ''}:{f.district or ''}"


def drill(event, key: str, level: str, choices: filters.Choices) -> None:
    """A click on a bar of a drill-down chart selects that province, district or library (once per click)."""
    handled = st.session_state.setdefault(DRILLED, {})
    point = selected_point(event)
    if point is None:
        handled.pop(key, None)  # no selection now: the next click counts, even on the same bar
        return
    signature = json.dumps(point, sort_keys=True, default=str)
    if handled.get(key) == signature:
        return
    handled[key] = signature
    code = point.get("customdata")
    code = code[0] if isinstance(code, list | tuple) else code
    if level == "province" and code in choices.provinces:
        set_filters(province=code, district=None)
    elif level == "district" and code in choices.districts:
        set_filters(province=choices.districts[code][0], district=code)
    elif level == "library" and str(code).isdigit() and int(code) in choices.libraries:
        set_filters(library=int(code))


def _page_requested() -> str:
    """The script hash of the page this run was asked for ("" when asked by name, as a loaded URL is)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return (ctx.pages_manager.intended_page_script_hash or "") if ctx is not None else ""


def presenting_asked() -> bool:
    """The deck is asked for: ``present=1`` in the URL or the presentation page (read before the filters are)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    asked_page = ctx.pages_manager.intended_page_name if ctx is not None else None
    return st.query_params.get("present") == "1" or asked_page == "present"


def page_shown() -> None:
    """Remember the page this run shows (app.py calls it after st.navigation), to tell a page change later."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is not None:
        st.session_state[PAGE] = ctx.page_script_hash


def sidebar(ds: dataset.Dataset) -> tuple[filters.Filters, list[filters.Warning]]:
    """Draw the shared filters; the URL and the filters stay in step both ways."""
    choices = ds.choices
    s = st.session_state
    params = st.query_params.to_dict()
    own_rerun = s.pop(OWN_RERUN, False)
    requested = _page_requested()
    warnings: list[filters.Warning] = []
    if STATE in s and not params and requested and requested != s.get(PAGE):
        # A click in the page navigation: Streamlit drops the query string on the way (issue 13, item 2). The
        # filters follow the officer to the new page and are written back to its URL below; presenting ends.
        if s[STATE].present or s[STATE].slide != 1:
            _set(present=False, slide=1)
            s[VERSION] = s.get(VERSION, 0) + 1
    elif STATE not in s or (s.get(URL_WRITTEN) != params and not own_rerun):
        # A new session, or a URL changed from outside (a pasted link, back/forward): the URL wins.
        s[STATE], warnings = filters.parse(params, choices)
        s[VERSION] = s.get(VERSION, 0) + 1
    f: filters.Filters = s[STATE]
    lang = f.lang
    sb = st.sidebar
    key = _key("lang")
    sb.segmented_control(t("lang.label", lang), list(LANGUAGES), default=f.lang, key=key, required=True,
                         format_func=LANGUAGE_NAMES.get, on_change=_language_changed, args=(key,))
    everything = t("filters.all", lang)
    key = _key("province")
    provinces = [ALL, *choices.provinces]
    sb.selectbox(t("filters.province", lang), provinces, index=provinces.index(f.province or ALL), key=key,
                 format_func=lambda c: everything if c == ALL else choices.provinces[c],
                 on_change=_from_widget, args=("province", key), kwargs={"district": None})
    districts = [ALL] + ([c for c, (p, _) in choices.districts.items() if p == f.province] if f.province else [])
    key = _key("district")
    sb.selectbox(t("filters.district", lang), districts,
                 index=districts.index(f.district) if f.district in districts else 0, key=key,
                 format_func=lambda c: everything if c == ALL else choices.districts[c][1],
                 disabled=not f.province, on_change=_from_widget, args=("district", key))
    key = _key("tier")
    tiers = [ALL, *choices.tiers]
    sb.selectbox(t("filters.tier", lang), tiers, index=tiers.index(f.tier or ALL), key=key,
                 format_func=lambda c: everything if c == ALL else t(f"tier.{c}", lang),
                 on_change=_from_widget, args=("tier", key))
    key = _key("cohort")
    cohorts = [ALL, *choices.cohorts]
    sb.selectbox(t("filters.cohort", lang), cohorts, index=cohorts.index(f.cohort or ALL), key=key,
                 format_func=lambda c: everything if c == ALL else filters.cohort_label(c, lang),
                 on_change=_from_widget, args=("cohort", key))
    if len(choices.cycles) > 1:
        key = _key("range")

        def on_range(key=key):
            first, last = st.session_state[key]
            _set(from_cycle=first if first != choices.cycles[0] else None,
                 to_cycle=last if last != choices.cycles[-1] else None)

        sb.select_slider(t("filters.cycles", lang), options=list(choices.cycles),
                         value=filters.cycle_bounds(f, choices), key=key, on_change=on_range)
    ind = ds.indicators
    labels = {c: f"{t('strategy.' + s, lang)} · {n}" for c, s, n in
              zip(ind["code"], ind["strategy"], ind["name_id" if lang == "id" else "name_en"])}
    codes = list(labels)
    key = _key("indicator")
    sb.selectbox(t("filters.indicator", lang), codes, index=codes.index(f.indicator) if f.indicator in codes else 0,
                 key=key, on_change=_from_widget, args=("indicator", key), format_func=labels.get)
    key = _key("present")
    sb.toggle(t("present.toggle", lang), value=f.present, key=key, on_change=_from_widget, args=("present", key),
              help=t("present.toggle_help", lang))
    wanted = filters.to_params(f)
    if wanted != params:
        st.query_params.from_dict(wanted)
    s[URL_WRITTEN] = wanted
    return f, warnings


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]#!|<>~$])")
_MARKDOWN_LINE_START = re.compile(r"^(\s*)(\d+(?=[.)])|)([-+>.)])")  # a list item or quote starting a line


def md_text(value) -> str:
    """A data value made safe for a Markdown element (headers, captions, bold labels): markup characters are
    escaped, so a library named ``**x** [y](http://...) <b>`` is shown as written, never as a link or HTML.
    Hyphens and dots inside the text ("2011-1", "3.5") need no escape and keep their plain form."""
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", str(value))
    return "\n".join(_MARKDOWN_LINE_START.sub(lambda m: m.group(1) + m.group(2) + "\\" + m.group(3), line)
                     for line in text.split("\n"))


def describe(ds: dataset.Dataset, f: filters.Filters) -> str:
    return filters.describe(f, ds.choices)


# Presentation mode: one screen per slide for a projector, nothing below the fold at 1280x720, no text under
# 20 px (deck.screens splits what would not fit). A constant stylesheet (no data ever goes into it).
PRESENTATION_CSS = """
<style>
[data-testid="stMainBlockContainer"] { padding: 4rem 2rem 0.5rem 2rem; max-width: 100%; }
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] { gap: 0.5rem; }
[data-testid="stMainBlockContainer"] h1 { font-size: 2.4rem; line-height: 1.2; padding: 0; }
[data-testid="stMainBlockContainer"] h3 { font-size: 1.5rem; font-weight: 400; line-height: 1.3; padding: 0; }
[data-testid="stMainBlockContainer"] p, [data-testid="stMainBlockContainer"] li,
[data-testid="stMainBlockContainer"] [data-testid="stText"],
[data-testid="stMainBlockContainer"] [data-testid="stCaptionContainer"],
[data-testid="stMainBlockContainer"] [data-testid="stTable"] td,
[data-testid="stMainBlockContainer"] [data-testid="stTable"] th,
[data-testid="stMainBlockContainer"] button p, [data-testid="stMainBlockContainer"] kbd,
[data-testid="stMainBlockContainer"] [data-testid="stIconMaterial"] { font-size: 1.25rem; }
[data-testid="stMainBlockContainer"] [data-testid="stTable"] td:first-child { white-space: nowrap; }
[data-testid="stMainBlockContainer"] [data-testid="stText"] { font-family: inherit; white-space: pre-wrap; }
[data-testid="stMainBlockContainer"] [data-testid="stTable"] td,
[data-testid="stMainBlockContainer"] [data-testid="stTable"] th { padding: 0.2rem 0.6rem; line-height: 1.35; }
[data-testid="stMainBlockContainer"] [data-testid="stAlertContentInfo"] { padding: 0; }
</style>
"""


def presentation_style() -> None:
    st.html(PRESENTATION_CSS)  # style only: applied to the page without an element, and never with data in it


def fold_sidebar() -> None:
    """Give the slide the projector's width and the arrow keys at once, when the deck appears.

    The sidebar, open (the officer has just turned presentation mode on there), is folded on a screen narrower
    than 1700 px (the officer can open it again); the focus is taken off the sidebar's field it was in (the
    toggle keeps it, and the buttons' key shortcuts do not fire while a field has the focus). A constant
    script, no data in it; it runs when the deck appears, not on every slide (its element, first on the
    screen, stays the same), and tries for a second while the page settles."""
    st.html(_ARRIVAL_SCRIPT, unsafe_allow_javascript=True)


_ARRIVAL_SCRIPT = """<script>
(() => {
  const arrive = (tries) => {
    const field = document.activeElement;
    if (field && field !== document.body && (field.closest('[data-testid=stSidebar]')
        || field.matches('input, textarea, select, [contenteditable]'))) {
      field.blur();
    }
    const sidebar = document.querySelector('[data-testid=stSidebar]');
    if (sidebar && sidebar.getAttribute('data-collapsed') === 'false' && window.innerWidth < 1700) {
      const fold = document.querySelector('[data-testid=stSidebarCollapseButton] button');
      if (fold) { fold.click(); return; }
    }
    if (tries > 0) setTimeout(() => arrive(tries - 1), 100);
  };
  arrive(10);
})();
</script>"""


def screens(ds: dataset.Dataset, f: filters.Filters):
    """The deck of these filters laid out as projector screens (deck.screens)."""
    from . import deck as deck_module

    return deck_module.screens(deck(ds, f))


@st.cache_resource(show_spinner=False, max_entries=4)
def _deck(_ds: dataset.Dataset, version: str, f: filters.Filters):
    from . import deck

    return deck.build(_ds, f)


def deck(ds: dataset.Dataset, f: filters.Filters):
    """The agenda deck of these filters (built once per filters and database version, then shared)."""
    return _deck(ds, data_version(str(config.db_path())), f.with_(slide=1, present=False, library=None))


def choose(label: str, options: list, field: str, value, **options_kw):
    """A selectbox on a page that sets one filter field (kept in the URL like the sidebar's)."""
    key = _key(field)
    index = options.index(value) if value in options else 0
    if value not in options and options:
        _set(**{field: options[0]})
    return st.selectbox(label, options, index=index, key=key, on_change=_from_widget, args=(field, key),
                        **options_kw)


def choose_many(label: str, options: list, field: str, value: tuple, **options_kw) -> list:
    """A multiselect on a page that sets one tuple-valued filter field."""
    key = _key(f"{field}_{hash(tuple(options)) & 0xFFFF}")

    def changed():
        _set(**{field: tuple(st.session_state[key])})

    return st.multiselect(label, options, default=[v for v in value if v in options], key=key, on_change=changed,
                          **options_kw)


def entrypoint_first() -> None:
    """Have app.py run first when Streamlit started a page's script without it.

    Streamlit decides once per process, on the first request and before any of our code runs, whether the
    app uses the older multipage mode of a pages/ folder; it does as long as app.py has not yet said
    otherwise. So when a fresh server's very first request names a page (a copied link opened first thing
    after a start), Streamlit runs that page's script alone: no navigation, no filters (issue 13, item 3).
    The first thing such a page asks of this module (the dataset, the language, the filters) lands here: the
    old mode is turned off for good and app.py runs in its place, within this same run, so that its
    st.navigation lists the pages and runs the one asked for (a page is known by its URL path), with the
    URL's filters and any click this run carries. The page's own partial run then stops. (AppTest restores
    the old mode before every run of an app with a pages/ folder: there, this happens on every run.)"""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        import runpy

        PagesManager.uses_pages_directory = False
        runpy.run_path(str(config.ROOT / "app.py"), run_name="__main__")
        st.stop()


def current_filters() -> filters.Filters:
    """The shared filters, as app.py set them up before running the page (set up here when a test runs a page
    file as its own main script)."""
    entrypoint_first()
    if STATE not in st.session_state:
        ensure_database(language())
        f, warnings = sidebar(get_dataset())
        show_warnings(warnings, f.lang)
        if f.present:  # as app.py does: present=1 shows the deck whatever the page
            from . import presenting

            presenting.show()
            st.stop()
    return st.session_state[STATE]


# --- rendering helpers ---

def header(title_key: str, ds: dataset.Dataset, f: filters.Filters,
           applies: tuple[str, ...] = filters.APPLIES) -> None:
    """Page title, the filters the page applies in words (``applies``: see ``filters.describe``; a set
    filter the page does not apply is named as not applied), and the demo notice."""
    st.title(t(title_key, f.lang))
    st.caption(md_text(filters.describe(f, ds.choices, applies)))
    if ds.is_demo:
        st.info(t("app.demo_notice", f.lang, scale=ds.meta.get("demo_scale", "?"),
                  seed=ds.meta.get("demo_seed", "?")), icon=":material/science:")


def show_warnings(warnings: list[filters.Warning], lang: str) -> None:
    for w in warnings:
        st.warning(filters.warning_text(w, lang), icon=":material/link_off:")


def tabs(keys: tuple[str, ...], name: str, lang: str) -> list:
    """Tabs of which only the open one's content runs (each tab's ``.open``; a hidden tab costs nothing on a
    rerun). The open tab is kept by position in ``st.session_state[name]``, so it stays open when the
    language changes."""
    labels = [t(k, lang) for k in keys]
    chosen = st.session_state.get(name)
    if chosen is not None and chosen not in labels:  # its label in the other language: the same tab in this one
        position = next((i for i, k in enumerate(keys) for other in LANGUAGES if t(k, other) == chosen), 0)
        st.session_state[name] = labels[position]
    return st.tabs(labels, key=name, on_change="rerun")


def empty(lang: str, key: str = "empty.selection") -> None:
    st.info(t(key, lang), icon=":material/search_off:")


def chart(fig, name: str, key: str | None = None, on_select: bool = False):
    """Draw a figure with a PNG download of a readable name; returns the selection event when clickable."""
    # theme=None: the figure's own projector-sized type and colours, not Streamlit's smaller theme.
    return st.plotly_chart(fig, key=key, on_select="rerun" if on_select else "ignore", theme=None,
                           selection_mode="points", config=_chart_config(name))


def _chart_config(name: str) -> dict:
    from .charts import config

    return config(name)


TABLE_ROWS = 500  # rows sent to the browser; the CSV download always has them all


def table(frame: pd.DataFrame, name: str, lang: str, column_config: dict | None = None, height="auto") -> None:
    """A sortable table with a CSV download (cells that a spreadsheet would run are neutralised).

    Long tables show their first ``TABLE_ROWS`` rows (callers sort the most important first) and say so."""
    st.dataframe(frame.head(TABLE_ROWS), hide_index=True, column_config=column_config, height=height)
    if len(frame) > TABLE_ROWS:
        st.caption(t("common.first_rows", lang, shown=fmt_number(TABLE_ROWS, lang), total=fmt_number(len(frame), lang)))
    download(frame, name, lang)


def pack_download(ds: dataset.Dataset, f: filters.Filters, where=st) -> None:
    """The meeting pack of these filters (one HTML file, offline), built only when clicked."""
    from . import pack

    where.download_button(t("pack.download", f.lang), lambda: pack.build(ds, f).encode("utf-8"),
                          file_name=pack.file_name(ds, f), mime="text/html", icon=":material/download:",
                          help=t("pack.download_help", f.lang), key="pack_download", on_click="ignore")


def download(frame: pd.DataFrame, name: str, lang: str) -> None:
    """A CSV download whose file is made only when it is clicked (not on every rerun)."""
    digest = hashlib.sha1(json.dumps([name, list(map(str, frame.columns)), len(frame)]).encode()).hexdigest()[:8]
    st.download_button(t("common.download_csv", lang), lambda: exports.to_csv_bytes(frame), file_name=f"{name}.csv",
                       mime="text/csv", icon=":material/download:", key=f"dl_{name}_{digest}", on_click="ignore")


# Few entries: a selection of all Indonesia at national scale holds ~30 MB of frames (load test, docs/reliability.md).
@st.cache_resource(show_spinner=False, max_entries=6)
def _selection(_ds: dataset.Dataset, version: str, f: filters.Filters):
    from . import views

    return views.select(_ds, f)


@st.cache_data(show_spinner=False, max_entries=64)
def _province_measure(_ds: dataset.Dataset, version: str, f: filters.Filters, measure: str):
    from . import views

    return views.province_measure(_ds, f, measure)


def province_measure(ds: dataset.Dataset, f: filters.Filters, measure: str):
    """The map's value per province; the same for every province or district chosen (so cached without them)."""
    key = filters.Filters(tier=f.tier, cohort=f.cohort, from_cycle=f.from_cycle, to_cycle=f.to_cycle,
                          indicator=f.indicator)
    return _province_measure(ds, data_version(str(config.db_path())), key, measure)


def selection(ds: dataset.Dataset, f: filters.Filters):
    """The selection of these filters, shared by every page and session (its frames are computed once)."""
    path = str(config.db_path())
    # Only what selects libraries and cycles matters: language or library choice reuse the same selection.
    key = filters.Filters(province=f.province, district=f.district, tier=f.tier, cohort=f.cohort,
                          from_cycle=f.from_cycle, to_cycle=f.to_cycle, indicator=f.indicator)
    return _selection(ds, data_version(path), key).with_filters(f)


def selected_point(event) -> dict | None:
    """The first clicked point of a chart selection event (or None)."""
    try:
        points = event["selection"]["points"]
    except (KeyError, TypeError):
        return None
    return points[0] if points else None


def last_import_text(ds_path: str, lang: str) -> str:
    info = last_import(ds_path, data_version(ds_path))
    if not info:
        return t("quality.no_imports", lang)
    return t("quality.last_import", lang, file=md_text(info["file_name"]), kind=info["kind"], status=info["status"],
             date=fmt_date((info["finished_at"] or info["started_at"] or "")[:10], lang), rows=info["rows"])
