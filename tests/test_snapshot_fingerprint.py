"""The snapshot's key follows the data, not the comings and goings of connections that write nothing."""

from __future__ import annotations

import sqlite3

from analytics import snapshot, store


def test_opening_and_closing_connections_without_a_write_keeps_the_fingerprint(seed_db_copy):
    before = snapshot.fingerprint(seed_db_copy)
    for readonly in (True, False, True, False):
        with store.opened(seed_db_copy, readonly=readonly) as conn:
            conn.execute("SELECT count(*) FROM libraries").fetchone()
        kind = "read-only" if readonly else "read-write"
        assert snapshot.fingerprint(seed_db_copy) == before, f"changed after a {kind} connection"


def test_a_write_changes_the_fingerprint(seed_db_copy):
    before = snapshot.fingerprint(seed_db_copy)
    conn = sqlite3.connect(seed_db_copy)
    with conn:
        conn.execute("UPDATE libraries SET name = name || ' ' WHERE id = (SELECT min(id) FROM libraries)")
    conn.close()
    assert snapshot.fingerprint(seed_db_copy) != before
