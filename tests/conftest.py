"""Shared fixtures: demo databases built once per test session in a temporary folder, and the app on them."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from analytics import demo


@pytest.fixture(scope="session")
def seed_db_master(tmp_path_factory):
    path = tmp_path_factory.mktemp("seed") / "seed.db"
    demo.build(path, "seed", 2018)
    return path


@pytest.fixture(scope="session")
def seed_db(seed_db_master):
    """The seed-scale demo database; read-only use (copy it with ``seed_db_copy`` to change it)."""
    return seed_db_master


@pytest.fixture
def seed_db_copy(seed_db_master, tmp_path):
    """A private, writable copy of the seed database."""
    target = tmp_path / "seed.db"
    shutil.copy(seed_db_master, target)
    return target


@pytest.fixture(scope="session")
def program_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("program") / "program.db"
    demo.build(path, "program", 2018)
    return path


@pytest.fixture
def sql(seed_db):
    """Run SQL on the seed database: ``sql("SELECT ...", params)`` -> list of rows."""
    conn = sqlite3.connect(seed_db)

    def run(query, params=()):
        return conn.execute(query, params).fetchall()

    yield run
    conn.close()


@pytest.fixture
def fresh_caches(seed_db, monkeypatch):
    """The app on the seed database, with Streamlit's caches emptied (AppTest runs share the process's)."""
    import streamlit as st

    monkeypatch.setenv("PLM_DB", str(seed_db))
    st.cache_data.clear()
    st.cache_resource.clear()
