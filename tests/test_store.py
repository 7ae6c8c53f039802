"""The store: schema, integrity check (orphans, bad domains), determinism of the demo, backup."""

import hashlib
import sqlite3

import pytest

from analytics import demo, store


def dump_hash(path) -> str:
    conn = sqlite3.connect(path)
    digest = hashlib.sha256()
    for line in conn.iterdump():
        digest.update(line.encode())
    conn.close()
    return digest.hexdigest()


def test_same_seed_gives_the_same_database(tmp_path, seed_db):
    again = tmp_path / "again.db"
    demo.build(again, "seed", 2018)
    assert dump_hash(again) == dump_hash(seed_db)


def test_another_seed_gives_other_data(tmp_path, seed_db):
    other = tmp_path / "other.db"
    demo.build(other, "seed", 7)
    assert dump_hash(other) != dump_hash(seed_db)
    # ...but the seed facts stay: 890 libraries at the 2018 national PLM.
    conn = sqlite3.connect(other)
    ((n,),) = conn.execute(
        "SELECT count(*) FROM attendance a JOIN meetings m ON m.id = a.meeting_id WHERE m.level = 'nasional'"
    ).fetchall()
    assert n == 890


def test_demo_database_passes_check(seed_db):
    with store.opened(seed_db) as conn:
        assert store.check(conn) == []


def test_store_settings(seed_db):
    with store.opened(seed_db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"idx_attendance_library", "idx_reports_cycle", "idx_libraries_district"} <= indexes
        assert store.meta(conn)["schema_version"] == str(store.SCHEMA_VERSION)


def plant(path, *statements):
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = OFF")  # as another tool writing the file would
    conn.execute("PRAGMA ignore_check_constraints = ON")
    for s in statements:
        conn.execute(s)
    conn.commit()
    conn.close()


def test_check_catches_a_planted_orphan(seed_db_copy):
    plant(
        seed_db_copy,
        "INSERT INTO attendance(meeting_id, library_id, attendees, attendees_female) VALUES (1, 999999, 2, 1)",
    )
    with store.opened(seed_db_copy) as conn:
        problems = store.check(conn)
    assert len(problems) == 1
    assert problems[0].startswith("attendance: 1 row(s) refer to a missing libraries row")


def test_check_catches_a_bad_tier(seed_db_copy):
    plant(seed_db_copy, "UPDATE libraries SET tier = 'kecamatan' WHERE id = 5")
    with store.opened(seed_db_copy) as conn:
        problems = store.check(conn)
    # SQLite's own quick_check names the broken CHECK constraint; the domain rule names the row and value.
    assert "libraries: 1 row(s) with tier outside provinsi|kabupaten_kota|desa|tbm (5='kecamatan')" in problems
    assert all("libraries" in p for p in problems)


@pytest.mark.parametrize(
    "statement,fragment",
    [
        (
            "UPDATE attendance SET attendees_female = attendees + 1 WHERE meeting_id = 1",
            "more female attendees than attendees",
        ),
        ("UPDATE meetings SET start_date = '1999-01-01' WHERE id = 3", "dates outside its cycle"),
        (
            "UPDATE meetings SET region_code = '99.99' "
            "WHERE id = (SELECT min(id) FROM meetings WHERE level = 'kabupaten')",
            "kabupaten meeting whose region_code is not a district",
        ),
        ("UPDATE districts SET kind = 'kecamatan' WHERE code = '34.03'", "kind outside kabupaten|kota"),
    ],
)
def test_check_catches_other_domain_errors(seed_db_copy, statement, fragment):
    plant(seed_db_copy, statement)
    with store.opened(seed_db_copy) as conn:
        problems = store.check(conn)
    assert [p for p in problems if not p.startswith("integrity: CHECK constraint failed")] == [
        next(p for p in problems if fragment in p)
    ]


def test_schema_refuses_a_bad_tier_and_an_orphan(seed_db_copy):
    with store.opened(seed_db_copy) as conn:
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("UPDATE libraries SET tier = 'kecamatan' WHERE id = 5")
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("INSERT INTO attendance(meeting_id, library_id) VALUES (1, 999999)")


def test_backup_is_a_complete_copy(seed_db, tmp_path):
    out = tmp_path / "backup.db"
    store.backup(seed_db, out)
    assert dump_hash(out) == dump_hash(seed_db)


def test_ensure_builds_only_once(tmp_path):
    path = tmp_path / "first.db"
    assert demo.ensure(path) is True
    assert demo.ensure(path) is False
    with store.opened(path) as conn:
        assert store.row_counts(conn)["libraries"] == 890
