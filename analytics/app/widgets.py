"""Small rendering helpers used by every page: headers, tables in the language's number format, CSV and pack
downloads, charts with their PNG name, Markdown escaping of data."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable

import pandas as pd
import streamlit as st

from .. import dataset, exports, filters, i18n
from ..i18n import LANGUAGES, fmt_date, fmt_number, fmt_percent, t
from . import cache, state

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]#!|<>~$])")
_MARKDOWN_LINE_START = re.compile(r"^(\s*)(\d+(?=[.)])|)([-+>.)])")  # a list item or quote starting a line


def md_text(value) -> str:
    """A data value made safe for a Markdown element (headers, captions, bold labels): markup characters are
    escaped, so a library named ``**x** [y](http://...) <b>`` is shown as written, never as a link or HTML.
    Hyphens and dots inside the text ("2011-1", "3.5") need no escape and keep their plain form."""
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", str(value))
    return "\n".join(
        _MARKDOWN_LINE_START.sub(lambda m: m.group(1) + m.group(2) + "\\" + m.group(3), line)
        for line in text.split("\n")
    )


def describe(ds: dataset.Dataset, f: filters.Filters) -> str:
    return filters.describe(f, ds.choices, months=False)  # the slides' caption: one line at 1280 px (ui13)


# --- rendering helpers ---
def header(title_key: str, ds: dataset.Dataset, f: filters.Filters, applies: tuple[str, ...] = filters.APPLIES) -> None:
    """Page title, the filters the page applies in words (``applies``: see ``filters.describe``; a set
    filter the page does not apply is named as not applied), and the demo notice."""
    st.title(t(title_key, f.lang))
    st.caption(md_text(filters.describe(f, ds.choices, applies)))
    if ds.is_demo:
        st.info(
            t("app.demo_notice", f.lang, scale=ds.meta.get("demo_scale", "?"), seed=ds.meta.get("demo_seed", "?")),
            icon=":material/science:",
        )


def show_warnings(warnings: list[filters.LinkProblem], lang: str) -> None:
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


def drawer(label: str, key: str):
    """An expander whose content is drawn only while it is open: ``box = drawer(...)``, then ``if box.open:
    with box: ...``. A closed one costs nothing on a rerun (its table neither formatted on the server nor
    drawn in the browser: a data table is among the costliest things a page draws in Chromium); opening it
    reruns the page. Its ``key`` keeps it open or closed across reruns and languages."""
    return st.expander(label, key=key, on_change="rerun")


def empty(lang: str, key: str = "empty.selection") -> None:
    st.info(t(key, lang), icon=":material/search_off:")


def chart(fig, name: str, key: str | None = None, on_select: bool = False):
    """Draw a figure with a PNG download of a readable name in the language (``i18n.file_name``: the catalog's
    ``file.<name>``, else ``name``); returns the selection event when clickable."""
    lang = state.language()
    in_language(fig, lang)
    name = i18n.file_name(name, lang)
    # theme=None: the figure's own projector-sized type and colours, not Streamlit's smaller theme.
    return st.plotly_chart(
        fig,
        key=key,
        on_select="rerun" if on_select else "ignore",
        theme=None,
        selection_mode="points",
        config=_chart_config(name),
    )


def in_language(fig, lang: str):
    """Numbers on the figure's axes, colour bars and hovers in ``lang``'s format: Plotly's ``separators``
    (decimal mark, then thousands mark: ``,.`` for Indonesian), whole numbers written out with a thousands
    mark (``10.000``) instead of the SI suffix ``10k``, which is English."""
    thousands, decimal = i18n._separators(lang)
    if fig.layout.separators == decimal + thousands:
        return fig  # made in this language by analytics.charts (charts._in_language): nothing to do
    fig.layout.separators = decimal + thousands
    plain = {"exponentformat": "none", "separatethousands": True}
    fig.update_xaxes(**plain)
    fig.update_yaxes(**plain)
    for trace in fig.data:
        if "colorbar" in trace:  # heat maps and maps
            trace.colorbar.update(plain)
    return fig


def _chart_config(name: str) -> dict:
    from ..charts import config

    return config(name)


TABLE_ROWS = 500  # rows sent to the browser; the CSV download always has them all
ROW_PX = 35  # Streamlit's data grid: each row, and the header, 35 px tall
FIGURE_SPACE = "\u2007"  # as wide as a digit: pads number cells to one width, so that they sort as numbers


def table(
    frame: pd.DataFrame,
    name: str | None,
    lang: str,
    column_config: dict | None = None,
    height="auto",
    *,
    labels: dict | None = None,
    percent=(),
    decimals: dict | None = None,
    index: bool = False,
    columns: list | None = None,
) -> None:
    """A sortable table with a CSV download (cells that a spreadsheet would run are neutralised).

    Headers come from the catalog by column name (``col.<column>``); ``labels`` gives only those that differ
    on this page. ``percent`` names the columns of fractions shown as percentages, ``decimals`` the places of
    a column that is not whole (else 2). ``name`` None: no download (the page offers the data's CSV
    elsewhere); ``index``: show the frame's index (a matrix's row names). ``height`` (px) caps a long table,
    which then scrolls; a shorter one is drawn only as tall as its rows. Long tables show their first
    ``TABLE_ROWS`` rows (callers sort the most important first) and say so. The cells are in the language's
    number format (``display``); the CSV's Indonesian headers are the table's own. ``columns``: the columns
    the table shows (those that fit the page); its CSV has every column of ``frame``, under the same headers."""
    every = frame
    if columns is not None:
        frame = frame[list(columns)]
    shown, config = display(
        frame.head(TABLE_ROWS), lang, column_config, labels=labels, percent=percent, decimals=decimals
    )
    if isinstance(height, int):  # a fixed height caps a long table; a short one is only as tall as its rows
        height = min(height, (max(len(shown), 1) + 1) * ROW_PX + 3)  # an empty table shows one empty row
    st.dataframe(shown, hide_index=not index, column_config=config, height=height)
    if len(frame) > TABLE_ROWS:
        st.caption(t("common.first_rows", lang, shown=fmt_number(TABLE_ROWS, lang), total=fmt_number(len(frame), lang)))
    if name is not None:
        headers = {c: config[c]["label"] if c in config else column_label(c, lang, labels) for c in every.columns}
        download(every, name, lang, headers)


def column_label(column, lang: str, labels: dict | None = None) -> str:
    """A column's header in ``lang``: the page's own label, else the catalog's ``col.<column>``, else the
    column's name (a cycle code such as "2016-1" is its own header)."""
    if labels and column in labels:
        return labels[column]
    key = f"col.{column}"
    return t(key, lang) if key in i18n.CATALOG else str(column)


def _is_identifier(column) -> bool:
    name = str(column)
    return name in ("id", "seq", "year") or name.endswith("_id")


def display(
    frame: pd.DataFrame,
    lang: str,
    column_config: dict | None = None,
    *,
    labels: dict | None = None,
    percent=(),
    decimals: dict | None = None,
) -> tuple[pd.DataFrame, dict]:
    """The frame as a table shows it in ``lang``, with its column configuration.

    Every number is written in the language's format (``2.250`` / ``94,7%`` in Indonesian, ``2,250`` /
    ``94.7%`` in English) as right-aligned text: Streamlit's number formats cannot (``"localized"`` and
    ``"percent"`` follow the browser's locale, printf formats write a decimal point). Each column's cells are
    padded on the left with figure spaces to one width, so that the browser, which sorts text columns with
    ``localeCompare`` (spaces before digits), still sorts them by value: 950 before 2.250. A whole-number
    column with a negative value stays numeric (``%d``: no mark of either language, and it sorts). A missing
    value is "–", never "None". ``column_config`` (older callers) may give a label, or a NumberColumn whose
    format is read as a hint: ``"percent"``, or ``"%.Nf"`` for N places. Identifiers (``id``, ``*_id``,
    ``seq``, ``year``) are not quantities: they stay numeric with ``%d`` (library 1234, never "1.234")."""
    out, config = frame.copy(), {}
    percent, places = set(percent), dict(decimals or {})
    labels = dict(labels or {})
    for column, given in (column_config or {}).items():
        if isinstance(given, str):
            labels.setdefault(column, given)
            continue
        if given.get("label"):
            labels.setdefault(column, given["label"])
        fmt = (given.get("type_config") or {}).get("format") or ""
        if fmt == "percent":
            percent.add(column)
        elif (m := re.fullmatch(r"%\.(\d)f", fmt)) is not None:
            places.setdefault(column, int(m.group(1)))
    for column in out.columns:
        values = out[column]
        label = column_label(column, lang, labels)
        if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
            if not pd.api.types.is_bool_dtype(values) and values.isna().any():
                out[column] = values.astype(object).where(values.notna(), "–")
            config[column] = st.column_config.Column(label)
            continue
        known = values.dropna()
        whole = bool(known.eq(known.round()).all())
        if (
            column not in percent
            and whole
            and not values.isna().any()
            and (_is_identifier(column) or (known < 0).any())
        ):
            config[column] = st.column_config.NumberColumn(label, format="%d")
            continue
        if column in percent:
            cells = [fmt_percent(v, lang, places.get(column, 1)) for v in values.astype(float)]
        else:
            cells = [fmt_number(v, lang, places.get(column, 0 if whole else 2)) for v in values.astype(float)]
        width = max((len(c) for c in cells), default=0)
        out[column] = pd.Series([c.rjust(width, FIGURE_SPACE) for c in cells], index=values.index, dtype=object)
        config[column] = st.column_config.TextColumn(label, alignment="right")
    return out, config


def pack_download(ds: dataset.Dataset, f: filters.Filters, where=st) -> None:
    """The meeting pack of these filters (one HTML file, offline), and the pack for the next PLM (the chosen
    area's latest complete cycle, ``pack.next_plm_filters``), each built only when clicked."""
    from .. import pack

    where.download_button(
        t("pack.download", f.lang),
        lambda: pack.build(ds, f).encode("utf-8"),
        file_name=pack.file_name(ds, f),
        mime="text/html",
        icon=":material/download:",
        help=t("pack.download_help", f.lang),
        key="pack_download",
        on_click="ignore",
    )
    following = pack.next_plm_filters(ds, f)
    where.download_button(
        t("pack.download_next", f.lang, cycle=filters.cycle_label(following.to_cycle, f.lang)),
        lambda: pack.build(ds, following).encode("utf-8"),
        file_name=pack.file_name(ds, following),
        mime="text/html",
        icon=":material/event_upcoming:",
        help=t("pack.download_next_help", f.lang, cycle=filters.cycle_label(following.to_cycle, f.lang)),
        key="pack_download_next",
        on_click="ignore",
    )


def csv_headers(columns, lang: str, labels: dict | None = None) -> dict:
    """A CSV's column names in ``lang``: the table's own labels, else the catalog's ``csv.<column>`` or
    ``col.<column>``; English (``i18n.DATA_LANGUAGE``) keeps the frame's column names (what scripts and the
    oracle read)."""
    if lang == i18n.DATA_LANGUAGE:
        return {}
    out = {}
    for column in columns:
        for key in (f"csv.{column}", f"col.{column}"):
            if key in i18n.CATALOG and "{" not in t(key, lang):  # "< {min} perpustakaan" needs its value
                out[column] = t(key, lang)
                break
    out.update(labels or {})
    return out


def download(
    frame: pd.DataFrame | Callable[[], pd.DataFrame], name: str, lang: str, labels: dict | None = None
) -> None:
    """A CSV download whose file is made only when it is clicked (not on every rerun), in ``lang``: for
    Indonesian ``;`` between fields, ``,`` decimals and Indonesian headers (see ``exports.to_csv_bytes``).
    ``frame`` may be a function that makes the frame: then even the frame is made only on the click (a page's
    full "every region x cycle" table, which nothing else on the page needs)."""
    if callable(frame):
        key = f"dl_{name}"

        def data():
            made = frame()
            return exports.to_csv_bytes(made, lang, csv_headers(made.columns, lang, labels))
    else:
        key = f"dl_{name}_{_shape_digest(name, frame)}"
        headers = csv_headers(frame.columns, lang, labels)

        def data():
            return exports.to_csv_bytes(frame, lang, headers)

    st.download_button(
        t("common.download_csv", lang),
        data,
        file_name=f"{name}.csv",
        mime="text/csv",
        icon=":material/download:",
        key=key,
        on_click="ignore",
    )


def _shape_digest(name: str, frame: pd.DataFrame) -> str:
    return hashlib.sha1(json.dumps([name, list(map(str, frame.columns)), len(frame)]).encode()).hexdigest()[:8]


def last_import_text(ds_path: str, lang: str) -> str:
    info = cache.last_import(ds_path, cache.data_version(ds_path))
    if not info:
        return t("quality.no_imports", lang)
    return t(
        "quality.last_import",
        lang,
        file=md_text(info["file_name"]),
        kind=info["kind"],
        status=info["status"],
        date=fmt_date((info["finished_at"] or info["started_at"] or "")[:10], lang),
        rows=info["rows"],
    )
