"""What pages read, cached per database version: the shared dataset, selections, decks and small lookups;
the first-start build of the demo database."""

from __future__ import annotations

import dataclasses
import gc
from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd
import streamlit as st

from .. import config, dataset, db, demo, filters, queries, snapshot, store
from ..i18n import t
from . import navigation


def ensure_database(lang: str) -> str:
    """Build the seed-scale demo database on first start (with a visible progress message)."""
    path = config.db_path()
    if not db.is_url(path) and not path.exists():
        with st.status(t("app.building_demo", lang), expanded=True) as status:
            bar = st.progress(0.0)
            demo.ensure(path, lambda fraction, message: bar.progress(min(1.0, fraction), text=message))
            status.update(label=t("app.demo_built", lang, path=str(path)), state="complete", expanded=False)
    return str(path)


# A PostgreSQL server gone after the app started: new connections refused, or one ended in the middle of a query.
LOST = (db.Unreachable, db.OperationalError)


@contextmanager
def said_when_lost() -> Iterator[None]:
    """Run a part of the rerun that reads the database; when the server is lost meanwhile, end the run with the
    catalog's message in the session's language (the server without password, and the error's kind), never a
    traceback. Nothing that failed was cached, so the next rerun (a reload) asks the server again."""
    try:
        yield
    except LOST as error:
        from .state import language  # the language chosen by now (state imports the layer that imports this one)

        path = db.describe(str(config.db_path()))
        st.error(t("app.database_lost", language(), path=path, reason=type(error).__name__))
        st.stop()


def data_version(path: str) -> str:
    """Changes whenever the database file changes, so cached results are keyed to its content (the same
    fingerprint that names the database's snapshot)."""
    return snapshot.fingerprint(config.db_path(path))


VERSION = "data_version"  # the dataset's meta key: the data version it was loaded at (``_load``)


@st.cache_resource(show_spinner=False, max_entries=2)
def _load(path: str, version: str) -> dataset.Dataset:
    # Shared read-only by every session (cache_resource does not copy); a new file version loads anew. The
    # dataset carries the version it was loaded at: what is computed from it is cached under that one (_version).
    ds = dataset.load(path)
    return dataclasses.replace(ds, meta={**ds.meta, VERSION: version})


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
    """The shared dataset; in own-area viewing, only the signed-in account's area of it (issue 15)."""
    from . import auth

    navigation.entrypoint_first()
    path = str(config.db_path())
    version = data_version(path)
    ds = _load(path, version)
    scope = auth.visible_area(ds.choices)
    return ds if scope is None else _restricted(path, version, scope.key, scope, ds)


@st.cache_resource(show_spinner=False, max_entries=16)
def _restricted(path: str, version: str, area: str, _scope, _ds: dataset.Dataset) -> dataset.Dataset:
    from .. import viewing

    return viewing.restrict_dataset(_ds, _scope)


def _version(ds: dataset.Dataset) -> str:
    """The data version the dataset was loaded at and, for a dataset restricted to an area, that area: the key
    of what is computed and cached for a dataset (the dataset itself is not hashed).

    Never the version asked again: an import that commits between a rerun's load and this call would put
    results of the old data under the new version, and every later rerun would show them."""
    version = ds.meta.get(VERSION) or data_version(str(config.db_path()))  # a dataset not from _load (tests)
    return version + ds.meta.get("area", "")


@st.cache_data(show_spinner=False, max_entries=4)
def has_tables(path: str, version: str) -> bool:
    with store.opened(path, readonly=True) as conn:
        return bool(db.tables(conn))


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
        return (
            queries.library_awards(conn, library_id),
            queries.library_visits(conn, library_id),
            queries.library_stories(conn, library_id),
        )


def library_records(library_id: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A library's awards, monitoring visits and stories (cached per database version: a few rows each)."""
    path = str(config.db_path())
    return _library_records(path, data_version(path), int(library_id))


ANALYSIS = "_import_analysis"


def import_analysis(state, path, data: bytes, file_name: str, kind: str, actor=None):
    """The analysis of an uploaded file, kept in ``state`` (the session's) while the file, its name, its kind,
    the account (``actor``: rows outside its area are problems) and the database stay the same: validating a
    large file takes seconds, and every click on the page reruns it. (The import itself validates again, under
    the write lock.)"""
    from .. import importing

    digest = importing.sha256(data)
    who = (actor.email, actor.role, actor.areas) if actor is not None else None
    kept = state.get(ANALYSIS)
    if kept is None or kept[0] != (digest, file_name, kind, who, data_version(str(path))):
        with store.opened(path, readonly=True) as conn:
            analysis = importing.analyse(conn, data, file_name, kind, actor=actor)
        # The version read after opening: a first reader of the file can create its WAL index files.
        kept = ((digest, file_name, kind, who, data_version(str(path))), analysis)
        state[ANALYSIS] = kept
    return kept[1]


def db_lookup(function, *args):
    """Run a small query function from analytics.queries on the current database (per use connection)."""
    with store.opened(config.db_path(), readonly=True) as conn:
        return function(conn, *args)


def screens(ds: dataset.Dataset, f: filters.Filters):
    """The deck of these filters laid out as projector screens (deck.screens; laid out once per deck, not on
    every slide change)."""
    return _screens(ds, _version(ds), f.with_(slide=1, present=False, library=None))


@st.cache_resource(show_spinner=False, max_entries=4)
def _screens(_ds: dataset.Dataset, version: str, f: filters.Filters):
    from .. import deck as deck_module

    return deck_module.screens(_deck(_ds, version, f))


@st.cache_resource(show_spinner=False, max_entries=4)
def _deck(_ds: dataset.Dataset, version: str, f: filters.Filters):
    from .. import charts, deck

    # The browser fetches the outlines once; the map's values are the overview's, cached without the region.
    return deck.build(_ds, f, outlines_url=charts.OUTLINES_URL, province_measure=province_measure)


def deck(ds: dataset.Dataset, f: filters.Filters):
    """The agenda deck of these filters (built once per filters and database version, then shared)."""
    return _deck(ds, _version(ds), f.with_(slide=1, present=False, library=None))


@st.cache_resource(show_spinner=False, max_entries=8)
def _library_deck(_ds: dataset.Dataset, version: str, f: filters.Filters):
    from .. import deck

    return deck.build_library(_ds, f, f.library, records=library_records(f.library))


def library_deck(ds: dataset.Dataset, f: filters.Filters):
    """The deck of the library ``f.library`` (deck.build_library; built once per library, language, indicator
    and database version, then shared)."""
    key = filters.Filters(lang=f.lang, indicator=f.indicator, library=f.library)
    return _library_deck(ds, _version(ds), key)


def library_screens(ds: dataset.Dataset, f: filters.Filters):
    """The library's deck laid out as projector screens (deck.screens; laid out once per deck)."""
    key = filters.Filters(lang=f.lang, indicator=f.indicator, library=f.library)
    return _library_screens(ds, _version(ds), key)


@st.cache_resource(show_spinner=False, max_entries=8)
def _library_screens(_ds: dataset.Dataset, version: str, f: filters.Filters):
    from .. import deck as deck_module

    return deck_module.screens(_library_deck(_ds, version, f))


# Few entries: a selection of all Indonesia at national scale holds ~30 MB of frames (load test, docs/reliability.md).
@st.cache_resource(show_spinner=False, max_entries=6)
def _selection(_ds: dataset.Dataset, version: str, f: filters.Filters):
    from .. import views

    return views.select(_ds, f)


@st.cache_data(show_spinner=False, max_entries=64)
def _province_measure(_ds: dataset.Dataset, version: str, f: filters.Filters, measure: str):
    from .. import views

    return views.province_measure(_ds, f, measure)


def province_measure(ds: dataset.Dataset, f: filters.Filters, measure: str):
    """The map's value per province; the same for every province or district chosen (so cached without them)."""
    key = filters.Filters(
        tier=f.tier, cohort=f.cohort, from_cycle=f.from_cycle, to_cycle=f.to_cycle, indicator=f.indicator
    )
    return _province_measure(ds, _version(ds), key, measure)


@st.cache_data(show_spinner=False, max_entries=64)
def _district_bubbles(_ds: dataset.Dataset, version: str, f: filters.Filters):
    from .. import views

    return views.district_bubbles(views.select(_ds, f))


def district_bubbles(ds: dataset.Dataset, f: filters.Filters):
    """The map's circles, active libraries per district in the range's last cycle, for all Indonesia: the
    overview's map is national, the same for every province or district chosen (so cached without them, and the
    browser keeps the drawn map when only the area changes)."""
    key = filters.Filters(tier=f.tier, cohort=f.cohort, from_cycle=f.from_cycle, to_cycle=f.to_cycle)
    return _district_bubbles(ds, _version(ds), key)


def selection(ds: dataset.Dataset, f: filters.Filters):
    """The selection of these filters, shared by every page and session (its frames are computed once)."""
    # Only what selects libraries and cycles matters: language or library choice reuse the same selection.
    key = filters.Filters(
        province=f.province,
        district=f.district,
        tier=f.tier,
        cohort=f.cohort,
        from_cycle=f.from_cycle,
        to_cycle=f.to_cycle,
        indicator=f.indicator,
    )
    return _selection(ds, _version(ds), key).with_filters(f)
