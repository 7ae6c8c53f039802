"""Accounts (analytics/users.py): users with roles and areas checked against the reference tables, Argon2
password hashes, throttled wrong attempts counted in the database, ``may_change`` and the audit log."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from analytics import snapshot, store, users
from analytics.config import ROOT

SECRET = "kata-sandi-panjang-1"
T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def conn(seed_db_copy):
    connection = store.connect(seed_db_copy)
    yield connection
    connection.close()


@pytest.fixture
def codes(conn):
    """A district, another district of another province, and their provinces, read from the tables."""
    first, second = conn.execute(
        "SELECT d.code, d.province_code FROM districts d WHERE d.province_code IN "
        "(SELECT min(province_code) FROM districts UNION SELECT max(province_code) FROM districts) "
        "GROUP BY d.province_code ORDER BY d.province_code"
    ).fetchall()
    return {"district": first[0], "province": first[1], "other_district": second[0], "other_province": second[1]}


def add(conn, email="ani@example.org", role="district_officer", areas=(), password=SECRET, actor="os:tester"):
    return users.add(conn, email, name="Ani", role=role, areas=areas, password=password, actor=actor)


def test_a_user_has_name_email_role_and_areas(conn, codes):
    user = add(conn, " Ani@Example.ORG ", areas=[codes["district"]])
    assert (user.email, user.name, user.role, user.areas, user.has_password) == (
        "ani@example.org",
        "Ani",
        "district_officer",
        (codes["district"],),
        True,
    )
    assert users.get(conn, "ANI@example.org") == user
    assert conn.execute("SELECT district_code, province_code FROM user_areas").fetchall() == [(codes["district"], None)]


def test_email_is_unique_whatever_its_case(conn, codes):
    add(conn, "ani@example.org", areas=[codes["district"]])
    with pytest.raises(users.UserError) as refused:
        add(conn, "ANI@example.ORG", areas=[codes["district"]])
    assert refused.value.key == "duplicate"
    # the table itself refuses it too (another process racing past the check)
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(
            "INSERT INTO users(email, name, role, created_at, updated_at) "
            "VALUES ('Ani@Example.org', 'x', 'viewer', 'now', 'now')"
        )
    assert conn.execute("SELECT count(*) FROM users").fetchone() == (1,)


@pytest.mark.parametrize(
    "role,areas,key",
    [
        ("district_officer", ["99.99"], "area_unknown"),
        ("district_officer", ["{province}"], "area_unknown"),  # a province is not a district
        ("province_officer", ["{district}"], "area_unknown"),
        ("province_officer", ["99"], "area_unknown"),
        ("district_officer", [], "area_missing"),
        ("province_officer", [], "area_missing"),
        ("national_admin", ["{province}"], "area_for_admin"),
        ("viewer", ["nowhere"], "area_unknown"),
        ("superuser", [], "role"),
    ],
)
def test_invalid_role_or_area_is_refused_and_nothing_is_written(conn, codes, role, areas, key):
    with pytest.raises(users.UserError) as refused:
        add(conn, role=role, areas=[a.format(**codes) for a in areas])
    assert refused.value.key == key
    assert conn.execute("SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM audit_log)").fetchone() == (0,)


@pytest.mark.parametrize(
    "email,password,key",
    [("not-an-email", SECRET, "email"), ("a@b", SECRET, "email"), ("a@example.org", "short", "password_short")],
)
def test_bad_email_or_short_password_is_refused(conn, email, password, key):
    with pytest.raises(users.UserError) as refused:
        add(conn, email, role="national_admin", password=password)
    assert refused.value.key == key


def test_officers_of_several_areas(conn, codes):
    user = add(conn, role="province_officer", areas=[codes["other_province"], codes["province"], codes["province"]])
    assert user.areas == tuple(sorted({codes["province"], codes["other_province"]}))
    assert conn.execute("SELECT count(*) FROM user_areas WHERE province_code IS NOT NULL").fetchone() == (2,)


def test_the_password_is_stored_only_as_an_argon2id_hash(conn, seed_db_copy):
    add(conn, role="national_admin")
    users.set_password(conn, "ani@example.org", "another-long-secret", actor="os:tester")
    stored = conn.execute("SELECT password_hash FROM users").fetchone()[0]
    assert stored.startswith("$argon2id$")
    dump = "\n".join(sqlite3.connect(seed_db_copy).iterdump())
    assert SECRET not in dump and "another-long-secret" not in dump
    assert "another-long-secret" not in repr(users.get(conn, "ani@example.org"))


# --- sign-in and throttling -------------------------------------------------------------------------------------


def counted(conn, sql="SELECT count(*) FROM sign_in_attempts"):
    """``sql`` on the attempts file, read as a plain file beside the data file (``<db>.signin.sqlite``)."""
    main = Path(conn.execute("PRAGMA database_list").fetchone()[2])
    side = sqlite3.connect(main.with_name(main.name + ".signin.sqlite"))
    try:
        return side.execute(sql).fetchone()
    finally:
        side.close()


def attempt(conn, password, minutes, email="ani@example.org", client="10.0.0.1"):
    return users.authenticate(conn, email, password, client=client, when=T0 + dt.timedelta(minutes=minutes))


def test_right_password_signs_in_and_wrong_one_or_unknown_email_does_not(conn):
    add(conn, role="national_admin")
    assert attempt(conn, SECRET, 0).user.email == "ani@example.org"
    assert attempt(conn, "salah", 1).status == "wrong" and attempt(conn, "salah", 1).user is None
    assert attempt(conn, SECRET, 2, email="nobody@example.org").status == "wrong"
    users.add(conn, "oidc@example.org", name="O", role="viewer", actor="os:t")  # no password: OIDC only
    assert attempt(conn, "", 3, email="oidc@example.org").status == "wrong"


def test_five_wrong_attempts_at_one_account_lock_it_for_fifteen_minutes(conn):
    add(conn, role="national_admin")
    # from five different clients at minutes 0, 1, 2, 3, 4
    for minute in range(5):
        assert attempt(conn, "salah", minute, client=f"10.0.0.{minute}").status == "wrong"
    locked = attempt(conn, SECRET, 5, client="10.9.9.9")  # even the right password, from a fresh client
    assert locked.status == "throttled" and locked.user is None
    assert locked.retry_at == T0 + dt.timedelta(minutes=15)  # the first failure leaves the window at 0 + 15
    assert attempt(conn, SECRET, 14.9, client="10.9.9.9").status == "throttled"
    assert attempt(conn, SECRET, 15.1, client="10.9.9.9").ok
    # a throttled attempt is not recorded: five failures in the table, no more
    assert counted(conn) == (5,)


def test_the_fifth_wrong_attempt_says_when_to_try_again(conn):
    add(conn, role="national_admin")
    answers = [attempt(conn, "salah", m) for m in (0, 2, 4, 6, 8)]
    assert [a.retry_at for a in answers[:4]] == [None] * 4
    assert answers[4].status == "wrong" and answers[4].retry_at == T0 + dt.timedelta(minutes=15)


def test_five_wrong_attempts_from_one_client_lock_that_client_for_every_account(conn):
    add(conn, role="national_admin")
    for minute in range(5):
        attempt(conn, "salah", minute, email=f"guess{minute}@example.org", client="203.0.113.5")
    assert attempt(conn, SECRET, 6, client="203.0.113.5").status == "throttled"
    assert attempt(conn, SECRET, 6, client="198.51.100.7").ok  # the account itself is not locked


def test_a_success_clears_the_accounts_failures_but_not_the_clients(conn):
    add(conn, role="national_admin")
    for minute in range(4):
        attempt(conn, "salah", minute, client=f"c{minute}")
    assert attempt(conn, SECRET, 5, client="c9").ok
    for minute in range(6, 10):
        assert attempt(conn, "salah", minute, client=f"d{minute}").status == "wrong"
    assert attempt(conn, SECRET, 10, client="e").ok  # 4 failures since the success: still allowed
    assert counted(conn, "SELECT count(*), sum(cleared) FROM sign_in_attempts") == (8, 8)


def test_the_limit_holds_across_processes(conn, seed_db_copy):
    add(conn, role="national_admin")
    script = (
        "import sys; from analytics import store, users\n"
        "c = store.connect(sys.argv[1])\n"
        "print([users.authenticate(c, 'ani@example.org', 'salah', client=f'p{i}').status for i in range(5)])"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(seed_db_copy)], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(["wrong"] * 5)
    answer = users.authenticate(conn, "ani@example.org", SECRET, client="here")
    assert answer.status == "throttled"


def file_state(path) -> tuple:
    """The data file as the dashboard sees it (``snapshot.fingerprint``: inode, size, mtime of the file and its
    -wal) and its bytes."""
    return snapshot.fingerprint(path), hashlib.sha256(path.read_bytes()).hexdigest()


def test_sign_in_attempts_never_change_the_data_file(seed_db_copy):
    # Every session reloads (and a national deployment rebuilds its snapshot) when the file changes: anyone who
    # types a wrong password must not be able to cause that.
    with store.opened(seed_db_copy) as admin:
        add(admin, role="national_admin")
    # the app reads the file with read-only connections (as the dashboard does, which leaves an empty -wal)
    dashboard = store.connect(seed_db_copy, readonly=True)
    dashboard.execute("SELECT count(*) FROM reports").fetchone()
    before = file_state(seed_db_copy)

    def opened():
        return store.opened(seed_db_copy, readonly=True)

    with opened() as first, opened() as second:
        assert [
            users.authenticate(first, "ani@example.org", "salah", client="203.0.113.5").status for _ in range(4)
        ] == ["wrong"] * 4
        assert users.authenticate(second, "ani@example.org", SECRET, client="198.51.100.1").ok  # clears the 4
    assert file_state(seed_db_copy) == before
    # two more wrong ones from the same client, in another process: the fifth failure locks the client out
    script = (
        "import sys; from analytics import store, users\n"
        "c = store.connect(sys.argv[1], readonly=True)\n"
        "print([users.authenticate(c, 'ani@example.org', 'salah', client='203.0.113.5').status "
        "for i in range(2)])"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(seed_db_copy)], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(["wrong", "throttled"])
    with opened() as third:
        assert users.authenticate(third, "ani@example.org", SECRET, client="203.0.113.5").status == "throttled"
        assert users.authenticate(third, "ani@example.org", SECRET, client="192.0.2.9").ok  # 1 failure since
    assert file_state(seed_db_copy) == before
    # counted beside the file: that client's 4 + 1 failures (not the throttled attempts, nor the successes),
    # all cleared by the account's later successes
    assert counted(dashboard, "SELECT count(*), sum(cleared), sum(client = '203.0.113.5') FROM sign_in_attempts") == (
        5,
        5,
        5,
    )
    dashboard.close()


def test_processes_racing_each_other_cannot_pass_the_limit_together(seed_db_copy):
    # 4 processes, 3 wrong attempts each at one account from their own clients, all at once: 5 are wrong and
    # the other 7 throttled, however they interleave (the limit is checked and the attempt recorded under one lock)
    with store.opened(seed_db_copy) as admin:
        add(admin, role="national_admin")
    script = (
        "import sys, time; from analytics import store, users\n"
        "c = store.connect(sys.argv[1])\n"
        "time.sleep(max(0.0, float(sys.argv[3]) - time.time()))\n"
        "print(' '.join(users.authenticate(c, 'ani@example.org', 'salah', client=sys.argv[2] + str(i)).status "
        "for i in range(3)))"
    )
    start = str(time.time() + 4)
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(seed_db_copy), f"10.{n}.0.", start],
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


# --- many attempts at the same moment (threads of one process: the app's sessions) -------------------------------


def accounts_with_the_secret(conn, count: int, prefix: str = "office") -> list[str]:
    """``count`` national admins ``office<i>@example.org`` sharing one hash of ``SECRET`` (hashed once: each
    sign-in still verifies it in full)."""
    emails = [f"{prefix}{i}@example.org" for i in range(count)]
    for email in emails:
        users.add(conn, email, name=email, role="national_admin", actor="test")  # no password yet
    conn.execute("UPDATE users SET password_hash = ? WHERE email LIKE ?", (users._hasher.hash(SECRET), f"{prefix}%"))
    conn.commit()
    return emails


class CountingHasher:
    """``users._hasher`` that counts the passwords it checks (a list: appending is safe across threads)."""

    def __init__(self, hasher):
        self.hasher, self.checks = hasher, []

    def verify(self, stored, password):
        self.checks.append(password)
        return self.hasher.verify(stored, password)

    def __getattr__(self, name):
        return getattr(self.hasher, name)


def at_once(tries, opened, database=None) -> list[str]:
    """The statuses of ``tries`` (``(email, password, client)``), all started together, each in its own thread
    with its own read-only connection (``opened()``), as the app's sessions sign in."""
    start, statuses = threading.Barrier(len(tries)), []

    def sign_in(email, password, client):
        with opened() as conn:
            start.wait()
            statuses.append(users.authenticate(conn, email, password, client=client, database=database).status)

    threads = [threading.Thread(target=sign_in, args=t) for t in tries]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return sorted(statuses)


@pytest.fixture
def checks(monkeypatch):
    counting = CountingHasher(users._hasher)
    monkeypatch.setattr(users, "_hasher", counting)
    return counting.checks


def test_right_passwords_from_one_office_at_the_same_moment_all_sign_in(seed_db_copy, checks):
    # 12 people behind one address, 3 of them mistyping: the other 9 are in (the attempts being checked count
    # only while they could still pass the limit), and the client has 3 failures, the 9 successes left no row
    with store.opened(seed_db_copy) as admin:
        emails = accounts_with_the_secret(admin, 12)
    tries = [(e, "salah" if i < 3 else SECRET, "10.0.0.1") for i, e in enumerate(emails)]
    assert at_once(tries, lambda: store.opened(seed_db_copy, readonly=True)) == ["ok"] * 9 + ["wrong"] * 3
    assert len(checks) == 12
    with store.opened(seed_db_copy, readonly=True) as conn:
        assert counted(conn, "SELECT count(*), sum(pending) FROM sign_in_attempts") == (3, 0)


@pytest.mark.parametrize("spread", ["one account, many clients", "one client, many accounts"])
def test_a_burst_of_wrong_passwords_checks_no_more_than_the_limit(seed_db_copy, checks, spread):
    # 24 guesses at once: exactly 5 passwords are checked (and wrong), the other 19 throttled before any check,
    # however the threads interleave (an attempt that would pass only if those being checked were right waits)
    with store.opened(seed_db_copy) as admin:
        add(admin, role="national_admin")
    if spread == "one account, many clients":
        tries = [("ani@example.org", f"salah{i}", f"10.0.1.{i}") for i in range(24)]
    else:
        tries = [(f"guess{i}@example.org", "salah", "203.0.113.5") for i in range(24)]
    statuses = at_once(tries, lambda: store.opened(seed_db_copy, readonly=True))
    assert statuses == ["throttled"] * 19 + ["wrong"] * 5
    assert len(checks) == 5
    with store.opened(seed_db_copy, readonly=True) as conn:
        assert counted(conn, "SELECT count(*), sum(pending) FROM sign_in_attempts") == (5, 0)


def leave_pending(conn, minutes: float, client: str = "10.0.0.1") -> None:
    """An attempt whose process died while checking it (its row never settled), recorded at T0 + ``minutes``."""
    with users.attempts_db(users.data_file(conn)) as attempts:
        attempts.execute(
            "INSERT INTO sign_in_attempts(at, email, client, pending) VALUES (?, ?, ?, 1)",
            (users._stamp(T0 + dt.timedelta(minutes=minutes)), "ani@example.org", client),
        )


def test_an_attempt_left_pending_by_a_dead_process_counts_as_a_failure_until_it_leaves_the_window(conn, monkeypatch):
    add(conn, role="national_admin")
    monkeypatch.setattr(users, "IN_FLIGHT_WAIT", 0.2)
    for minute in range(4):
        assert attempt(conn, "salah", minute, client=f"c{minute}").status == "wrong"
    leave_pending(conn, 4)
    # while it may still be checked, the next attempt waits for it (briefly here), then is told to come back
    # when it could not matter: once the first failure has left the window
    soon = attempt(conn, SECRET, 4.5, client="c9")
    assert soon.status == "throttled" and soon.retry_at == T0 + dt.timedelta(minutes=15)
    # a minute on (STALE), nobody is checking it any more: it is the fifth failure, until minute 15
    later = attempt(conn, SECRET, 6, client="c9")
    assert later.status == "throttled" and later.retry_at == T0 + dt.timedelta(minutes=15)
    assert attempt(conn, SECRET, 15.1, client="c9").ok
    # the success cleared the account's failures, that one too (its row stays pending: nobody settles it)
    assert counted(conn, "SELECT count(*), sum(cleared), sum(pending) FROM sign_in_attempts") == (5, 5, 1)
    assert attempt(conn, SECRET, 15.2, client="c9").ok


# sign_in_attempts as released before ``pending`` (issue 15): every row of it a failure
OLD_ATTEMPTS_SCHEMA = """
CREATE TABLE sign_in_attempts (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    email TEXT NOT NULL COLLATE NOCASE,
    client TEXT NOT NULL,
    cleared INTEGER NOT NULL DEFAULT 0 CHECK (cleared IN (0, 1))
);
"""
OLD_FAILURES = [(users._stamp(T0 + dt.timedelta(minutes=m)), "ani@example.org", "10.0.0.1") for m in range(4)]


def test_an_attempts_file_of_the_older_shape_gets_its_new_column_and_keeps_its_failures(seed_db_copy):
    with store.opened(seed_db_copy) as admin:
        add(admin, role="national_admin")
    side = sqlite3.connect(seed_db_copy.with_name(seed_db_copy.name + ".signin.sqlite"))
    side.executescript(OLD_ATTEMPTS_SCHEMA)
    side.executemany("INSERT INTO sign_in_attempts(at, email, client) VALUES (?, ?, ?)", OLD_FAILURES)
    side.commit()
    side.close()
    with store.opened(seed_db_copy, readonly=True) as conn:
        fifth = attempt(conn, "salah", 4)  # the old rows are failures: this is the fifth
        assert fifth.status == "wrong" and fifth.retry_at == T0 + dt.timedelta(minutes=15)
        assert attempt(conn, SECRET, 5, client="10.9.9.9").status == "throttled"
        assert counted(conn, "SELECT count(*), sum(pending) FROM sign_in_attempts") == (5, 0)


def test_a_data_file_reached_by_a_symbolic_link_counts_in_one_place(seed_db_copy):
    # read-only connections open the resolved file, read-write ones the link: the attempts are counted together
    with store.opened(seed_db_copy) as admin:
        add(admin, role="national_admin")
    link = seed_db_copy.with_name("plm.db")
    link.symlink_to(seed_db_copy)
    for readonly in (False, True, False, True, False):
        with store.opened(link, readonly=readonly) as conn:
            assert users.authenticate(conn, "ani@example.org", "salah", client=f"c{readonly}").status == "wrong"
    with store.opened(link, readonly=True) as conn:
        assert users.authenticate(conn, "ani@example.org", SECRET, client="fresh").status == "throttled"
    assert not link.with_name("plm.db.signin.sqlite").exists()
    assert seed_db_copy.with_name("seed.db.signin.sqlite").exists()


@pytest.mark.parametrize("spoil", ["directory", "not a database"])
def test_when_attempts_cannot_be_counted_nobody_signs_in_and_nothing_crashes(seed_db_copy, spoil):
    # a read-only data folder (or a broken attempts file): throttling fails closed, even for the right password
    with store.opened(seed_db_copy) as admin:
        add(admin, role="national_admin")
    side = seed_db_copy.with_name(seed_db_copy.name + ".signin.sqlite")
    if spoil == "directory":  # cannot be created as a file (root ignores permission bits, so not chmod)
        side.mkdir()
    else:
        side.write_bytes(b"not a database at all" * 100)
    before = file_state(seed_db_copy)
    with store.opened(seed_db_copy, readonly=True) as conn:
        for password in (SECRET, "salah"):
            answer = users.authenticate(conn, "ani@example.org", password, client="10.0.0.1")
            assert (answer.status, answer.user, answer.attempts_file) == ("unavailable", None, side)
    assert file_state(seed_db_copy) == before


def test_the_attempts_file_is_created_beside_the_data_file_when_first_needed(seed_db_copy):
    side = seed_db_copy.with_name(seed_db_copy.name + ".signin.sqlite")
    assert not side.exists()
    with store.opened(seed_db_copy, readonly=True) as conn:
        assert users.authenticate(conn, "nobody@example.org", "salah", client="10.0.0.1").status == "wrong"
    check = sqlite3.connect(side)
    assert check.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert check.execute("SELECT email, client, cleared FROM sign_in_attempts").fetchall() == [
        ("nobody@example.org", "10.0.0.1", 0)
    ]
    check.close()


def test_an_old_hash_is_rehashed_at_the_right_sign_in_even_through_a_read_only_connection(seed_db_copy):
    from argon2 import PasswordHasher

    with store.opened(seed_db_copy) as admin:
        add(admin, role="national_admin")
        weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(SECRET)
        admin.execute("UPDATE users SET password_hash = ?", (weak,))
        admin.commit()
    with store.opened(seed_db_copy, readonly=True) as conn:
        assert users.authenticate(conn, "ani@example.org", SECRET, client="10.0.0.1").ok
    stored = sqlite3.connect(seed_db_copy).execute("SELECT password_hash FROM users").fetchone()[0]
    assert stored != weak and stored.startswith("$argon2id$") and ",t=1," not in stored
    with store.opened(seed_db_copy, readonly=True) as conn:
        assert users.authenticate(conn, "ani@example.org", SECRET, client="10.0.0.1").ok


# --- who may change what -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role,areas,district,allowed",
    [
        ("national_admin", (), "34.03", True),
        ("national_admin", (), "11.01", True),
        ("district_officer", ("34.03", "34.71"), "34.03", True),
        ("district_officer", ("34.03", "34.71"), "34.71", True),
        ("district_officer", ("34.03",), "34.04", False),
        ("district_officer", ("34.03",), "34.030", False),  # not a prefix match
        ("province_officer", ("34",), "34.04", True),
        ("province_officer", ("34", "35"), "35.01", True),
        ("province_officer", ("34",), "35.01", False),
        ("province_officer", ("3",), "34.01", False),
        ("viewer", ("34.03",), "34.03", False),
        ("viewer", (), "34.03", False),
        ("national_admin", (), "", False),
    ],
)
def test_may_change(role, areas, district, allowed):
    user = users.User(1, "a@example.org", "A", role, areas, True)
    assert users.may_change(user, district) is allowed
    assert user.may_import is (role != "viewer")


def test_nobody_may_change_anything():
    assert users.may_change(None, "34.03") is False


@pytest.mark.parametrize(
    "email,domains,allowed",
    [
        ("ani@kemdikbud.go.id", "kemdikbud.go.id", True),
        ("ani@perpusnas.kemdikbud.go.id", "kemdikbud.go.id", True),
        ("ani@evilkemdikbud.go.id", "kemdikbud.go.id", False),
        ("ani@gmail.com", "kemdikbud.go.id, perpusnas.go.id", False),
        ("Ani@PerpusNas.go.id", "kemdikbud.go.id, @perpusnas.go.id", True),
        ("ani@gmail.com", "", True),
        ("", "perpusnas.go.id", False),
    ],
)
def test_email_domain_allow_list(email, domains, allowed):
    assert users.email_allowed(email, users.parse_domains(domains)) is allowed


# --- changes and the audit log -------------------------------------------------------------------------------------


def audit_rows(conn):
    return conn.execute("SELECT actor, action, target, detail FROM audit_log ORDER BY id").fetchall()


def test_every_change_is_audited_with_who_and_when(conn, codes):
    before = users.now().replace(microsecond=0)
    add(conn, areas=[codes["district"]], actor="os:budi")
    users.set_role(conn, "ani@example.org", "province_officer", [codes["province"]], actor="admin@example.org")
    users.set_password(conn, "ani@example.org", None, actor="admin@example.org")
    users.remove(conn, "ani@example.org", actor="os:budi")
    rows = audit_rows(conn)
    assert [(a, act, tgt) for a, act, tgt, _ in rows] == [
        ("os:budi", "user.add", "ani@example.org"),
        ("admin@example.org", "user.set_role", "ani@example.org"),
        ("admin@example.org", "user.set_password", "ani@example.org"),
        ("os:budi", "user.remove", "ani@example.org"),
    ]
    assert json.loads(rows[1][3]) == {
        "from": {"role": "district_officer", "areas": [codes["district"]]},
        "to": {"role": "province_officer", "areas": [codes["province"]]},
    }
    assert json.loads(rows[2][3]) == {"password": False}
    stamps = [dt.datetime.fromisoformat(r[0]) for r in conn.execute("SELECT at FROM audit_log")]
    assert all(before <= s <= users.now() for s in stamps)
    assert SECRET not in " ".join(str(r) for r in rows)
    # the user and their areas are gone; the audit keeps who they were
    assert conn.execute("SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM user_areas)").fetchone() == (0,)
    assert [e["action"] for e in users.audit(conn, 2)] == ["user.remove", "user.set_password"]


def test_a_refused_change_changes_nothing_and_audits_nothing(conn, codes):
    add(conn, areas=[codes["district"]])
    with pytest.raises(users.UserError):
        users.set_role(conn, "ani@example.org", "district_officer", ["99.99"], actor="os:x")
    with pytest.raises(users.UserError) as unknown:
        users.remove(conn, "nobody@example.org", actor="os:x")
    assert unknown.value.key == "unknown_user"
    assert users.get(conn, "ani@example.org").areas == (codes["district"],)
    assert [r[1] for r in audit_rows(conn)] == ["user.add"]


def test_check_finds_an_area_the_role_does_not_take(conn, codes):
    add(conn, areas=[codes["district"]])
    assert store.check(conn) == []
    conn.execute("UPDATE users SET role = 'national_admin'")
    conn.commit()
    problems = store.check(conn)
    assert len(problems) == 1 and problems[0].startswith("user_areas: 1 row(s) with area the user's role")
