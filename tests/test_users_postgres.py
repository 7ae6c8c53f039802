"""Password sign-in on a real PostgreSQL server (issue 15): wrong attempts counted in the database's
``sign_in_attempts`` table, 5 per 15 minutes per account and per client, across processes; nobody signs in when
they cannot be counted. Counts are read back with the plain driver."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time

import pytest

from analytics import migrate, store, users
from analytics.config import ROOT
from tests.pg_support import pg_server, pg_url  # noqa: F401 (fixtures)
from tests.test_postgres_cli import sql
from tests.test_users import OLD_ATTEMPTS_SCHEMA, OLD_FAILURES, accounts_with_the_secret, at_once, checks  # noqa: F401

SECRET = "kata-sandi-panjang-1"
T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
ANI = "ani@example.org"


@pytest.fixture
def url(pg_url):  # noqa: F811
    with store.opened(pg_url) as conn:  # the schema without data: accounts need no reference rows here
        store.create_schema(conn)
        users.add(conn, ANI, name="Ani", role="national_admin", password=SECRET, actor="test")
    return pg_url


def attempt(url, password, minutes, email=ANI, client="10.0.0.1"):
    # as the app does: a read-only connection for the users, the URL for the attempts
    with store.opened(url, readonly=True) as conn:
        return users.authenticate(
            conn, email, password, client=client, database=url, when=T0 + dt.timedelta(minutes=minutes)
        )


def test_five_wrong_attempts_at_one_account_lock_it_for_fifteen_minutes(url):
    assert attempt(url, SECRET, 0).user.email == ANI
    for minute in range(1, 6):
        assert attempt(url, "salah", minute, client=f"10.0.0.{minute}").status == "wrong"
    locked = attempt(url, SECRET, 6, client="10.9.9.9")  # even the right password, from a fresh client
    assert locked.status == "throttled" and locked.retry_at == T0 + dt.timedelta(minutes=16)
    assert attempt(url, SECRET, 15.9, client="10.9.9.9").status == "throttled"
    assert attempt(url, SECRET, 16.1, client="10.9.9.9").ok
    # in the database: the five failures, cleared by the success; the successes and the throttled ones not kept
    assert sql(url, "SELECT count(*), sum(cleared) FROM sign_in_attempts") == [(5, 5)]


def test_five_wrong_attempts_from_one_client_lock_that_client_for_every_account(url):
    for minute in range(5):
        attempt(url, "salah", minute, email=f"guess{minute}@example.org", client="203.0.113.5")
    assert attempt(url, SECRET, 6, client="203.0.113.5").status == "throttled"
    assert attempt(url, SECRET, 6, client="198.51.100.7").ok


@pytest.mark.slow  # tens of seconds: CI's second step (pytest -m 'slow or visual')
def test_processes_racing_each_other_cannot_pass_the_limit_together(url):
    # 4 processes, 3 wrong attempts each from their own clients, all at once: 5 wrong and 7 throttled
    script = (
        "import sys, time; from analytics import store, users\n"
        "c = store.connect(sys.argv[1], readonly=True)\n"
        "time.sleep(max(0.0, float(sys.argv[3]) - time.time()))\n"
        "print(' '.join(users.authenticate(c, 'ani@example.org', 'salah', client=sys.argv[2] + str(i), "
        "database=sys.argv[1]).status for i in range(3)))"
    )
    start = str(time.time() + 4)
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", script, url, f"10.{n}.0.", start],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    ]
    outputs = [r.communicate(timeout=120) for r in runs]
    assert all(r.returncode == 0 for r in runs), [e for _, e in outputs]
    statuses = " ".join(out for out, _ in outputs).split()
    assert sorted(statuses) == ["throttled"] * 7 + ["wrong"] * 5
    assert sql(url, "SELECT count(*) FROM sign_in_attempts WHERE email = ?", (ANI,)) == [(5,)]


def test_a_role_that_cannot_write_the_attempts_signs_nobody_in(url, pg_server, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.chdir(tmp_path)  # migrate writes its pg_dump backup to the current folder
    # An app role allowed to read the users but not to create or write the attempts table: fails closed.
    pg_server.admin("DROP ROLE IF EXISTS reader; CREATE ROLE reader LOGIN PASSWORD 'reader-pw'")
    name = url.rsplit("/", 1)[1]
    with store.opened(url) as conn:
        conn.execute("GRANT SELECT ON users, user_areas TO reader")
        conn.commit()
    reader = pg_server.url(name, user="reader", password="reader-pw")
    users._PG_READY.clear()
    with store.opened(reader, readonly=True) as conn:
        refused = users.authenticate(conn, ANI, SECRET, client="c", database=reader)
    assert refused.status == "unavailable" and "sign_in_attempts" in str(refused.attempts_file)
    assert "reader-pw" not in str(refused.attempts_file)
    # migrate (run by the owner) creates the table; once the role may write it, it signs in
    assert "created table sign_in_attempts" in migrate.migrate(url).actions
    with store.opened(url) as conn:
        conn.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON sign_in_attempts TO reader")
        conn.commit()
    with store.opened(reader, readonly=True) as conn:
        assert users.authenticate(conn, ANI, SECRET, client="c", database=reader).ok


def test_right_passwords_from_one_office_at_the_same_moment_all_sign_in(url, checks):  # noqa: F811
    # as on SQLite (tests/test_users.py), on a database whose attempts table the first sign-ins create together
    with store.opened(url) as admin:
        emails = accounts_with_the_secret(admin, 12)
    tries = [(e, "salah" if i < 3 else SECRET, "10.0.0.1") for i, e in enumerate(emails)]
    assert at_once(tries, lambda: store.opened(url, readonly=True), url) == ["ok"] * 9 + ["wrong"] * 3
    assert len(checks) == 12
    assert sql(url, "SELECT count(*), sum(pending) FROM sign_in_attempts") == [(3, 0)]


@pytest.mark.parametrize("spread", ["one account, many clients", "one client, many accounts"])
def test_a_burst_of_wrong_passwords_checks_no_more_than_the_limit(url, checks, spread):  # noqa: F811
    if spread == "one account, many clients":
        tries = [(ANI, f"salah{i}", f"10.0.1.{i}") for i in range(24)]
    else:
        tries = [(f"guess{i}@example.org", "salah", "203.0.113.5") for i in range(24)]
    assert at_once(tries, lambda: store.opened(url, readonly=True), url) == ["throttled"] * 19 + ["wrong"] * 5
    assert len(checks) == 5
    assert sql(url, "SELECT count(*), sum(pending) FROM sign_in_attempts") == [(5, 0)]


@pytest.mark.parametrize("by", ["migrate", "the first sign-in"])
def test_an_attempts_table_of_the_older_shape_gets_its_new_column_and_keeps_its_failures(
    url, by, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)  # migrate writes its pg_dump backup to the current folder
    with store.opened(url) as conn:
        conn.executescript(OLD_ATTEMPTS_SCHEMA)
        conn.executemany("INSERT INTO sign_in_attempts(at, email, client) VALUES (?, ?, ?)", OLD_FAILURES)
        conn.commit()
    users._PG_READY.discard(url)
    if by == "migrate":
        assert "added column sign_in_attempts.pending" in migrate.migrate(url).actions
        assert migrate.migrate(url).actions == []  # and only once
    fifth = attempt(url, "salah", 4)  # the old rows are failures: this is the fifth
    assert fifth.status == "wrong" and fifth.retry_at == T0 + dt.timedelta(minutes=15)
    assert attempt(url, SECRET, 5, client="10.9.9.9").status == "throttled"
    assert sql(url, "SELECT count(*), sum(pending) FROM sign_in_attempts") == [(5, 0)]
