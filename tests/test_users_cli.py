"""``python -m analytics users ...`` and ``audit``: accounts managed from the command line; a refused change is
a clear message and exit code 1, never a traceback, and every change lands in the audit log."""

from __future__ import annotations

import getpass
import json
import sqlite3
import subprocess
import sys

import pytest
from click.testing import CliRunner

from analytics.cli import main
from analytics.config import ROOT


@pytest.fixture
def db(seed_db_copy):
    return str(seed_db_copy)


@pytest.fixture
def area(seed_db_copy):
    """A real district and its province, from the tables."""
    return (
        sqlite3.connect(seed_db_copy)
        .execute("SELECT code, province_code FROM districts ORDER BY code LIMIT 1")
        .fetchone()
    )


def cli(*args, input=None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input)


def rows(db, sql, params=()):
    return sqlite3.connect(db).execute(sql, params).fetchall()


def test_add_list_set_role_remove(db, area):
    district, province = area
    added = cli(
        "users",
        "add",
        "Ani@Example.org",
        "--name",
        "Ani Lestari",
        "--role",
        "district_officer",
        "--area",
        district,
        "--db",
        db,
    )
    assert added.exit_code == 0, added.output
    assert rows(
        db, "SELECT u.email, u.name, u.role, a.district_code FROM users u JOIN user_areas a ON a.user_id = u.id"
    ) == [("ani@example.org", "Ani Lestari", "district_officer", district)]
    changed = cli("users", "set-role", "ani@example.org", "province_officer", "--area", province, "--db", db)
    assert changed.exit_code == 0, changed.output
    listed = cli("users", "list", "--db", db)
    assert listed.exit_code == 0
    assert listed.output.splitlines() == [
        "email\tname\trole\tareas\tsign-in",
        f"ani@example.org\tAni Lestari\tprovince_officer\t{province}\toidc",
    ]
    removed = cli("users", "remove", "ANI@example.org", "--db", db)
    assert removed.exit_code == 0 and removed.output.strip() == "removed ani@example.org"
    assert rows(db, "SELECT count(*) FROM users") == [(0,)] and rows(db, "SELECT count(*) FROM user_areas") == [(0,)]


@pytest.mark.parametrize(
    "args,message",
    [
        (["--role", "district_officer", "--area", "99.99"], "unknown district code '99.99'"),
        (["--role", "district_officer"], "a district officer needs at least one --area"),
        (["--role", "province_officer", "--area", "{district}"], "unknown province code '{district}'"),
        (["--role", "national_admin", "--area", "{province}"], "a national admin covers every area"),
    ],
)
def test_invalid_areas_are_a_message_and_exit_1(db, area, args, message):
    district, province = area
    args = [a.format(district=district, province=province) for a in args]
    result = cli("users", "add", "b@example.org", "--name", "B", *args, "--db", db)
    assert result.exit_code == 1
    assert message.format(district=district) in result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)  # a ClickException
    assert rows(db, "SELECT count(*) FROM users") == [(0,)]


def test_unknown_role_is_a_usage_error(db):
    result = cli("users", "add", "b@example.org", "--name", "B", "--role", "superuser", "--db", db)
    assert result.exit_code == 2 and "superuser" in result.output


def test_duplicate_email_in_a_real_process_is_a_message_not_a_traceback(db):
    def add():
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "analytics",
                "users",
                "add",
                "ADMIN@example.org",
                "--name",
                "A",
                "--role",
                "national_admin",
                "--db",
                db,
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
        )

    assert add().returncode == 0
    again = add()
    assert again.returncode == 1
    assert again.stderr.strip() == "Error: a user with the email admin@example.org already exists"


def test_remove_or_set_role_of_an_unknown_user(db):
    for args in (["remove", "x@example.org"], ["set-role", "x@example.org", "viewer"]):
        result = cli("users", *args, "--db", db)
        assert result.exit_code == 1 and "no user with the email x@example.org" in result.output


def test_password_prompt_asks_twice_and_stores_only_a_hash(db):
    result = cli(
        "users",
        "add",
        "c@example.org",
        "--name",
        "C",
        "--role",
        "national_admin",
        "--password-prompt",
        "--db",
        db,
        input="panjang-sekali-1\npanjang-sekali-1\n",
    )
    assert result.exit_code == 0, result.output
    stored = rows(db, "SELECT password_hash FROM users")[0][0]
    assert stored.startswith("$argon2id$") and "panjang-sekali-1" not in stored
    assert "panjang-sekali-1" not in result.output.replace("Password: \n", "")
    assert "panjang-sekali-1" not in json.dumps(rows(db, "SELECT * FROM audit_log"))


def test_password_from_stdin_and_no_password(db):
    stdin = cli(
        "users",
        "add",
        "d@example.org",
        "--name",
        "D",
        "--role",
        "national_admin",
        "--password-stdin",
        "--db",
        db,
        input="panjang-sekali-2\n",
    )
    oidc = cli("users", "add", "e@example.org", "--name", "E", "--role", "viewer", "--no-password", "--db", db)
    short = cli(
        "users",
        "add",
        "f@example.org",
        "--name",
        "F",
        "--role",
        "viewer",
        "--password-stdin",
        "--db",
        db,
        input="pendek\n",
    )
    assert (stdin.exit_code, oidc.exit_code, short.exit_code) == (0, 0, 1)
    assert "at least 10 characters" in short.output
    assert rows(db, "SELECT email, password_hash IS NOT NULL FROM users ORDER BY email") == [
        ("d@example.org", 1),
        ("e@example.org", 0),
    ]


def test_every_change_is_in_the_audit_with_the_os_user_or_the_admin_given(db, area):
    district, _ = area
    cli("users", "add", "admin@example.org", "--name", "Admin", "--role", "national_admin", "--db", db)
    cli("users", "add", "ani@example.org", "--name", "Ani", "--role", "viewer", "--by", "admin@example.org", "--db", db)
    cli(
        "users",
        "set-role",
        "ani@example.org",
        "district_officer",
        "--area",
        district,
        "--by",
        "Admin@example.org",
        "--db",
        db,
    )
    refused = cli("users", "remove", "admin@example.org", "--by", "ani@example.org", "--db", db)
    assert refused.exit_code == 1 and "not a national admin's account" in refused.output
    cli("users", "remove", "ani@example.org", "--db", db)
    audit = cli("audit", "--db", db)
    assert audit.exit_code == 0
    lines = [line.split("\t") for line in audit.output.splitlines()]
    assert lines[0] == ["at", "actor", "action", "target", "detail"]
    me = f"os:{getpass.getuser()}"
    assert [line[1:4] for line in lines[1:]] == [
        [me, "user.remove", "ani@example.org"],
        ["admin@example.org", "user.set_role", "ani@example.org"],
        ["admin@example.org", "user.add", "ani@example.org"],
        [me, "user.add", "admin@example.org"],
    ]
    assert json.loads(lines[2][4]) == {
        "from": {"areas": [], "role": "viewer"},
        "to": {"areas": [district], "role": "district_officer"},
    }
    # the same, read straight from the table
    assert rows(db, "SELECT actor, action FROM audit_log ORDER BY id") == [
        (me, "user.add"),
        ("admin@example.org", "user.add"),
        ("admin@example.org", "user.set_role"),
        (me, "user.remove"),
    ]
    assert len(cli("audit", "--limit", "2", "--db", db).output.splitlines()) == 3


@pytest.mark.parametrize(
    "command",
    [
        ["users", "add"],
        ["users", "list"],
        ["users", "remove"],
        ["users", "set-role"],
        ["users", "set-password"],
        ["audit"],
    ],
)
def test_every_users_command_has_help(command):
    result = cli(*command, "--help")
    assert result.exit_code == 0 and "--db" in result.output


def test_the_docs_name_every_command_and_every_column(seed_db):
    from analytics import store

    doc = (ROOT / "docs" / "accounts.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in ("users add", "users list", "users set-role", "users set-password", "users remove", "audit"):
        assert f"`{command}" in readme and f"analytics {command}" in doc, command
    assert "docs/accounts.md" in readme
    conn = sqlite3.connect(seed_db)
    for table in store.ACCOUNT_TABLES:
        assert f"`{table}`" in doc
        for column in (r[1] for r in conn.execute(f"PRAGMA table_info([{table}])")):
            assert f"| `{column}` |" in doc, f"{table}.{column}"
    for role in store.ROLES:
        assert f"`{role}`" in doc
