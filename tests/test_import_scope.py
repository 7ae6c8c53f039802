"""Imports and undo limited to the signed-in officer's area, and audited (issue 15, item 2), on SQLite and on a
real PostgreSQL server. Expected rows and areas come from plain SQL on the demo data, not from the import code."""

from __future__ import annotations

import json
import shutil
import uuid

import pytest
from click.testing import CliRunner

from analytics import demo, importing, store, users
from analytics.cli import main
from tests.pg_support import pg_server  # noqa: F401 (fixtures)
from tests.sql_support import HEADER
from tests.test_postgres_cli import sql

ANI = "ani@example.org"  # district officer of 34.03 Gunungkidul
BUDI = "budi@example.org"  # province officer of 34 DI Yogyakarta
CITRA = "citra@example.org"  # province officer of 34 and 35 Jawa Timur
ADMIN = "admin@example.org"
VIEWER = "vera@example.org"


@pytest.fixture(scope="module")
def pg_seed(pg_server):  # noqa: F811
    """A seed-scale PostgreSQL database built once, copied for each test (CREATE DATABASE ... TEMPLATE)."""
    url = pg_server.new_database()
    demo.build(url, "seed", 2018)
    return url.rsplit("/", 1)[1]


@pytest.fixture(params=["sqlite", "postgresql"])
def seeded(request, seed_db_master, tmp_path):
    """The seed database with one account of each kind: a SQLite copy, then a PostgreSQL copy."""
    if request.param == "sqlite":
        target = str(tmp_path / "plm.db")
        shutil.copy(seed_db_master, target)
    else:
        server = request.getfixturevalue("pg_server")
        name = "t_" + uuid.uuid4().hex[:12]
        server.admin(f"CREATE DATABASE {name} TEMPLATE {request.getfixturevalue('pg_seed')}")
        target = server.url(name)
    with store.opened(target) as conn:
        for email, role, areas in (
            (ANI, "district_officer", ["34.03"]),
            (BUDI, "province_officer", ["34"]),
            (CITRA, "province_officer", ["34", "35"]),
            (ADMIN, "national_admin", []),
            (VIEWER, "viewer", []),
        ):
            users.add(conn, email, name=email.split("@")[0], role=role, areas=areas, actor="test")
    return target


def account(where: str, email: str) -> users.User:
    with store.opened(where, readonly=True) as conn:
        return users.get(conn, email)


def library(where: str, district: str, n: int = 0) -> int:
    return sql(where, "SELECT id FROM libraries WHERE district_code = ? ORDER BY id", (district,))[n][0]


def reports_file(where: str) -> tuple[bytes, int, int]:
    """Three report rows: two libraries of 34.03, then (file row 4) one of 35.05 Blitar."""
    own, other = library(where, "34.03"), library(where, "35.05")
    rows = [(own, "kunjungan"), (library(where, "34.03", 1), "kunjungan"), (other, "kunjungan")]
    text = HEADER + "".join(f"{lib};2018-3;{code};4321;\r\n" for lib, code in rows)
    return text.encode(), own, other


def state(where: str) -> list[tuple]:
    """What an import may change, read with the plain driver."""
    return [
        sql(where, "SELECT count(*), sum(value) FROM reports")[0],
        sql(where, "SELECT count(*) FROM libraries")[0],
        sql(where, "SELECT count(*) FROM meetings")[0],
        sql(where, "SELECT count(*) FROM attendance")[0],
    ]


def audit_rows(where: str, action: str) -> list[tuple]:
    return sql(where, "SELECT actor, target, detail FROM audit_log WHERE action = ? ORDER BY id", (action,))


def test_a_row_of_another_district_rejects_the_whole_file(seeded):
    data, own, other = reports_file(seeded)
    before = state(seeded)
    outcome = importing.run_import(seeded, data, "r.csv", "reports", actor=account(seeded, ANI))
    assert outcome.status == "rejected"
    assert state(seeded) == before  # nothing of the file: not even the two rows of her own district
    assert [(p.reason, p.row, p.column, p.value) for p in outcome.analysis.problems] == [
        ("outside_area", 4, "id_perpustakaan", str(other))
    ]
    blitar = sql(seeded, "SELECT name FROM districts WHERE code = '35.05'")[0][0]
    report_id = importing.report_frame(outcome.analysis.problems, "id")
    report_en = importing.report_frame(outcome.analysis.problems, "en")
    assert report_id["Baris"].tolist() == [4] and report_en["Row"].tolist() == [4]
    assert report_id["Kolom"].tolist() == ["id_perpustakaan"] and report_en["Value"].tolist() == [str(other)]
    reason_id, reason_en = report_id["Alasan"][0], report_en["Reason"][0]
    assert f"35.05 {blitar}" in reason_id and "di luar wilayah Anda (34.03 Gunungkidul)" in reason_id
    assert f"35.05 {blitar}" in reason_en and "outside your area (34.03 Gunungkidul)" in reason_en
    assert sql(seeded, 'SELECT status, "user" FROM imports') == [("rejected", ANI)]
    assert audit_rows(seeded, "import") == []


def test_the_same_file_within_the_area_is_written_and_audited(seeded):
    data, own, other = reports_file(seeded)
    province_34 = importing.run_import(seeded, data, "r.csv", "reports", actor=account(seeded, BUDI))
    assert province_34.status == "rejected"  # 35.05 is not in province 34 either
    assert [p.row for p in province_34.analysis.problems] == [4]
    done = importing.run_import(seeded, data, "r.csv", "reports", actor=account(seeded, CITRA))
    assert done.status == "done", done.error
    assert sql(
        seeded,
        "SELECT value FROM reports WHERE library_id = ? AND cycle_id = '2018-3' AND indicator_code = 'kunjungan'",
        (other,),
    ) == [(4321.0,)]
    [(actor, what, detail)] = audit_rows(seeded, "import")
    assert (actor, what) == (CITRA, str(done.import_id))
    assert json.loads(detail)["rows"] == done.rows == 3
    assert sql(seeded, 'SELECT "user" FROM imports WHERE id = ?', (done.import_id,)) == [(CITRA,)]


def test_the_preview_and_dry_run_show_the_same_rows_outside(seeded):
    data, _own, other = reports_file(seeded)
    with store.opened(seeded, readonly=True) as conn:
        analysis = importing.analyse(conn, data, "r.csv", "reports", actor=account(seeded, ANI))
        assert importing.analyse(conn, data, "r.csv", "reports", actor=account(seeded, ADMIN)).ok
        assert importing.analyse(conn, data, "r.csv", "reports").ok  # no actor: no area check
    assert [(p.reason, p.row) for p in analysis.problems] == [("outside_area", 4)]


def test_a_registry_row_that_moves_a_library_out_of_another_district_is_refused(seeded):
    lid = library(seeded, "35.05")
    name = sql(seeded, "SELECT name FROM libraries WHERE id = ?", (lid,))[0][0]
    data = f"id;nama_perpustakaan;jenjang;kabupaten_kota\r\n{lid};{name};Desa;34.03\r\n".encode()
    outcome = importing.run_import(seeded, data, "l.csv", "libraries", actor=account(seeded, ANI))
    assert [(p.reason, p.row, p.column, p.value) for p in outcome.analysis.problems] == [
        ("outside_area", 2, "kabupaten_kota", "34.03")
    ]
    assert "35.05" in importing.report_frame(outcome.analysis.problems, "en")["Reason"][0]
    assert sql(seeded, "SELECT district_code FROM libraries WHERE id = ?", (lid,)) == [("35.05",)]
    new = "nama_perpustakaan;jenjang;kabupaten_kota\r\nTBM Baru Sekali;TBM;34.03\r\nTBM Lain;TBM;34.04\r\n"
    refused = importing.run_import(seeded, new.encode(), "n.csv", "libraries", actor=account(seeded, ANI))
    assert [(p.reason, p.row) for p in refused.analysis.problems] == [("outside_area", 3)]
    assert sql(seeded, "SELECT count(*) FROM libraries WHERE name IN ('TBM Baru Sekali', 'TBM Lain')") == [(0,)]


MEETINGS_HEADER = "tingkat;wilayah;tanggal_mulai;id_perpustakaan;jumlah_peserta\r\n"


def test_plms_outside_the_area_are_refused_but_attendance_at_them_is_not(seeded):
    ani = account(seeded, ANI)
    own = library(seeded, "34.03")
    # A new provincial PLM of province 34 and a new national one: not a district officer's to create.
    data = (
        MEETINGS_HEADER + f"Provinsi;34;2018-10-02;{own};2\r\nNasional;;2018-10-03;{own};2\r\n"
        f"Kabupaten;34.03;2018-10-04;{own};2\r\n"
    ).encode()
    before = state(seeded)
    outcome = importing.run_import(seeded, data, "m.csv", "meetings", actor=ani)
    assert [(p.reason, p.row, p.column) for p in outcome.analysis.problems] == [
        ("outside_area", 2, "wilayah"),
        ("national_meeting", 3, "tingkat"),
    ]
    assert state(seeded) == before
    # The province officer may create the provincial one, not the national one.
    budi = importing.run_import(seeded, data, "m.csv", "meetings", actor=account(seeded, BUDI))
    assert [(p.reason, p.row) for p in budi.analysis.problems] == [("national_meeting", 3)]
    # Attendance of her library at an existing provincial PLM (its details unchanged) is hers to record.
    mid, start = sql(
        seeded, "SELECT id, start_date FROM meetings WHERE level = 'provinsi' AND region_code = '34' ORDER BY id"
    )[0]
    newcomer = sql(
        seeded,
        "SELECT id FROM libraries WHERE district_code = '34.03' AND id NOT IN "
        "(SELECT library_id FROM attendance WHERE meeting_id = ?) ORDER BY id",
        (mid,),
    )[0][0]
    attend = f"id_plm;id_perpustakaan;jumlah_peserta\r\n{mid};{newcomer};3\r\n".encode()
    done = importing.run_import(seeded, attend, "a.csv", "meetings", actor=ani)
    assert done.status == "done", (done.error, done.analysis.problems)
    assert sql(seeded, "SELECT attendees FROM attendance WHERE meeting_id = ? AND library_id = ?", (mid, newcomer)) == [
        (3,)
    ]
    assert sql(seeded, "SELECT start_date FROM meetings WHERE id = ?", (mid,)) == [(start,)]
    other = library(seeded, "34.04")
    stranger = importing.run_import(
        seeded, f"id_plm;id_perpustakaan;jumlah_peserta\r\n{mid};{other};3\r\n".encode(), "b.csv", "meetings", actor=ani
    )
    assert [(p.reason, p.column) for p in stranger.analysis.problems] == [("outside_area", "id_perpustakaan")]


def test_undo_of_an_import_that_touched_another_area_is_refused(seeded):
    data, own, other = reports_file(seeded)
    done = importing.run_import(seeded, data, "r.csv", "reports", actor=account(seeded, ADMIN))
    assert done.status == "done"
    after = state(seeded)
    refused = importing.undo(seeded, done.import_id, actor=account(seeded, ANI))
    assert not refused.ok and refused.key == "import.undo.outside_area"
    blitar = sql(seeded, "SELECT name FROM districts WHERE code = '35.05'")[0][0]
    assert f"35.05 {blitar}" in refused.message("en") and "outside your area" in refused.message("en")
    assert f"35.05 {blitar}" in refused.message("id") and "di luar wilayah" in refused.message("id")
    assert "34.03" not in refused.params["outside"]  # her own district is not what blocks it
    assert state(seeded) == after
    assert sql(seeded, "SELECT status FROM imports WHERE id = ?", (done.import_id,)) == [("done",)]
    viewer = importing.undo(seeded, done.import_id, actor=account(seeded, VIEWER))
    assert not viewer.ok and viewer.key == "import.undo.not_allowed"
    undone = importing.undo(seeded, done.import_id, actor=account(seeded, CITRA))
    assert undone.ok, undone.key
    assert sql(seeded, "SELECT status FROM imports WHERE id = ?", (done.import_id,)) == [("undone",)]
    assert [(a, t) for a, t, _ in audit_rows(seeded, "undo")] == [(CITRA, str(done.import_id))]
    assert [(a, t) for a, t, _ in audit_rows(seeded, "import")] == [(ADMIN, str(done.import_id))]


def test_undo_of_an_import_of_her_own_district_is_allowed(seeded):
    own = library(seeded, "34.03")
    data = (HEADER + f"{own};2018-3;kunjungan;77;\r\n").encode()
    done = importing.run_import(seeded, data, "r.csv", "reports", actor=account(seeded, ANI))
    assert done.status == "done"
    assert importing.undo(seeded, done.import_id, actor=account(seeded, ANI)).ok


def test_a_registry_import_moving_a_library_counts_its_old_district_for_undo(seeded):
    lid = library(seeded, "34.04")
    name = sql(seeded, "SELECT name FROM libraries WHERE id = ?", (lid,))[0][0]
    data = f"id;nama_perpustakaan;jenjang;kabupaten_kota\r\n{lid};{name};Desa;34.03\r\n".encode()
    done = importing.run_import(seeded, data, "l.csv", "libraries", actor=account(seeded, BUDI))
    assert done.status == "done", done.analysis.problems
    refused = importing.undo(seeded, done.import_id, actor=account(seeded, ANI))
    assert refused.key == "import.undo.outside_area" and "34.04" in refused.params["outside"]
    assert sql(seeded, "SELECT district_code FROM libraries WHERE id = ?", (lid,)) == [("34.03",)]


def test_a_viewer_may_not_import(seeded):
    data, _, _ = reports_file(seeded)
    outcome = importing.run_import(seeded, data, "r.csv", "reports", actor=account(seeded, VIEWER))
    assert outcome.status == "rejected"
    assert [p.reason for p in outcome.analysis.problems] == ["may_not_import"]
    assert VIEWER in importing.report_frame(outcome.analysis.problems, "en")["Reason"][0]


# --- the command line ------------------------------------------------------------------------------------------


def cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_the_command_line_applies_the_area_of_the_account_given_with_by(seeded, tmp_path):
    data, own, other = reports_file(seeded)
    path = tmp_path / "r.csv"
    path.write_bytes(data)
    before = state(seeded)
    refused = cli("import", path, "--kind", "reports", "--by", ANI, "--db", seeded, "--lang", "en")
    assert refused.exit_code == 1
    assert "CSV:4:id_perpustakaan: This row is about 35.05" in refused.output
    assert "Nothing was written" in refused.output
    assert state(seeded) == before
    viewer = cli("import", path, "--kind", "reports", "--by", VIEWER, "--db", seeded)
    assert viewer.exit_code == 1 and "viewer may not import" in viewer.output
    unknown = cli("import", path, "--kind", "reports", "--by", "nobody@example.org", "--db", seeded)
    assert unknown.exit_code == 1 and "no such account" in unknown.output
    done = cli("import", path, "--kind", "reports", "--db", seeded, "--lang", "en")  # the OS user: every area
    assert done.exit_code == 0, done.output
    import_id = sql(seeded, "SELECT max(id) FROM imports")[0][0]
    [(actor, target_id, _)] = audit_rows(seeded, "import")
    assert actor.startswith("os:") and target_id == str(import_id)
    undo_refused = cli("undo", import_id, "--by", ANI, "--db", seeded, "--lang", "en")
    assert undo_refused.exit_code == 1 and "outside your area" in undo_refused.output
    assert sql(seeded, "SELECT status FROM imports WHERE id = ?", (import_id,)) == [("done",)]
    undone = cli("undo", import_id, "--by", CITRA, "--db", seeded, "--lang", "en")
    assert undone.exit_code == 0, undone.output
    assert [(a, t) for a, t, _ in audit_rows(seeded, "undo")] == [(CITRA, str(import_id))]
    audit = cli("audit", "--db", seeded)
    assert audit.exit_code == 0
    lines = audit.output.splitlines()
    assert lines[1].split("\t")[1:4] == [CITRA, "undo", str(import_id)]
    assert lines[2].split("\t")[2:4] == ["import", str(import_id)]


def test_the_audit_row_is_written_in_the_same_transaction_as_the_data(seeded, monkeypatch):
    data, _, _ = reports_file(seeded)
    before = state(seeded)

    def broken(conn, *args, **kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(users, "record", broken)
    outcome = importing.run_import(seeded, data, "r.csv", "reports", actor=account(seeded, ADMIN))
    assert outcome.status == "failed" and "audit log unavailable" in outcome.error
    assert state(seeded) == before


def test_the_page_keeps_one_analysis_per_account(seed_db_copy):
    """The import page's kept analysis (app.cache.import_analysis) is per account: an officer of another area
    sees the rows outside it, even right after someone allowed looked at the same file."""
    from analytics.app import cache

    where = str(seed_db_copy)
    with store.opened(where) as conn:
        users.add(conn, ANI, name="Ani", role="district_officer", areas=["34.03"], actor="test")
        users.add(conn, ADMIN, name="Admin", role="national_admin", actor="test")
    data, _, other = reports_file(where)
    kept: dict = {}
    assert cache.import_analysis(kept, where, data, "r.csv", "reports", actor=account(where, ADMIN)).ok
    officer = cache.import_analysis(kept, where, data, "r.csv", "reports", actor=account(where, ANI))
    assert [(p.reason, p.row, p.value) for p in officer.problems] == [("outside_area", 4, str(other))]
