"""People who sign in, their roles and areas, password sign-in with throttling, and the audit log.

No Streamlit here (``analytics/app/auth.py`` is the Streamlit side), so everything is tested directly::

    with store.opened(path) as conn:
        users.add(conn, "ani@example.org", name="Ani", role="district_officer", areas=["34.03"],
                  password="a long passphrase", actor="os:root")
        result = users.authenticate(conn, "ani@example.org", "a long passphrase", client="10.0.0.7")
        users.may_change(result.user, "34.03")   # True: her own district

Roles (``store.ROLES``): a ``viewer`` reads; a ``district_officer`` (one or more districts) and a
``province_officer`` (one or more provinces) import and undo for their area; a ``national_admin`` does so for
every area and manages users. Passwords are hashed with Argon2id (argon2-cffi) and never stored, returned or
logged in clear. Wrong passwords are throttled per account and per client (``MAX_FAILURES`` in ``WINDOW``),
counted in ``sign_in_attempts`` of a small SQLite file beside the data file (``attempts_path``: the data file is
only read by a sign-in), or on PostgreSQL in that table of the database, so that the limit holds across sessions
and processes. Every change to a user is written
to ``audit_log`` in the same transaction as the change.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from . import db, store
from .store import ROLES

OFFICERS = ("district_officer", "province_officer")
# The roles that may import and undo (each for the area that ``may_change`` allows).
WRITERS = (*OFFICERS, "national_admin")
AREA_KIND = {"district_officer": "district", "province_officer": "province"}

MAX_FAILURES = 5
WINDOW = dt.timedelta(minutes=15)
# An attempt still being checked after this long was left by a process that died: it counts as a failure (until it
# leaves the window, like any other). A check takes well under a second.
STALE = dt.timedelta(minutes=1)
# How long (seconds) an attempt refused only because of attempts still being checked waits for them to settle.
IN_FLIGHT_WAIT = 10.0
KEEP_ATTEMPTS = dt.timedelta(days=30)  # older failed attempts are deleted when a new one is recorded
MIN_PASSWORD = 10

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_hasher = PasswordHasher()  # argon2-cffi's defaults: Argon2id, RFC 9106's low-memory profile
# Verified against when the email is unknown, so that a wrong email costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("no account has this password")


class UserError(ValueError):
    """A change refused by a rule (unknown area, duplicate email, ...): ``key`` names it, the text explains it."""

    def __init__(self, key: str, text: str):
        super().__init__(text)
        self.key = key


@dataclass(frozen=True)
class User:
    id: int
    email: str
    name: str
    role: str
    areas: tuple[str, ...]
    has_password: bool

    @property
    def may_import(self) -> bool:
        """Import and undo at all (which rows: ``may_change``)."""
        return self.role in WRITERS

    @property
    def is_admin(self) -> bool:
        return self.role == "national_admin"


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _stamp(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).isoformat(timespec="seconds")


def normal_email(email: str) -> str:
    """Emails compare without case and surrounding blanks: ``' Ani@Example.ORG '`` -> ``'ani@example.org'``."""
    return str(email or "").strip().lower()


def province_of(district_code: str) -> str:
    """A district's province: its code up to the dot (``'34.03'`` -> ``'34'``, the rule ``store.check``
    enforces)."""
    return str(district_code).split(".", 1)[0]


def may_change(user: User | None, district_code: str) -> bool:
    """Whether ``user`` may import or undo a row of the district ``district_code``.

    A national admin may change every district; a district officer their districts; a province officer the
    districts of their provinces; a viewer (or nobody) none.

    >>> officer = User(1, "a@x.id", "A", "province_officer", ("34",), True)
    >>> may_change(officer, "34.03"), may_change(officer, "35.01")
    (True, False)
    """
    if user is None or not district_code:
        return False
    if user.role == "national_admin":
        return True
    if user.role == "district_officer":
        return district_code in user.areas
    if user.role == "province_officer":
        return province_of(district_code) in user.areas
    return False


def may_change_area(user: User | None, code: str | None) -> bool:
    """Whether ``user`` may change something of the area ``code``: a district (``'34.03'``, as ``may_change``),
    a province (``'34'``: its province officers) or the whole country (``''`` or None: a national meeting).
    A national admin may change every area.

    >>> district = User(1, "a@x.id", "A", "district_officer", ("34.03",), True)
    >>> province = User(2, "b@x.id", "B", "province_officer", ("34",), True)
    >>> may_change_area(district, "34"), may_change_area(province, "34"), may_change_area(province, "")
    (False, True, False)
    """
    if user is None:
        return False
    if user.role == "national_admin":
        return True
    if not code:
        return False
    if "." in code:
        return may_change(user, code)
    return user.role == "province_officer" and code in user.areas


def email_allowed(email: str, domains: Iterable[str] | None) -> bool:
    """Whether ``email`` is in one of ``domains`` (``example.org`` also takes ``dinas.example.org``); no
    domains configured allows every email."""
    domains = [d.strip().lower().lstrip("@") for d in (domains or []) if d and d.strip()]
    if not domains:
        return True
    host = normal_email(email).rpartition("@")[2]
    return bool(host) and any(host == d or host.endswith("." + d) for d in domains)


def parse_domains(value) -> list[str]:
    """``'a.id, b.id'`` or ``['a.id', 'b.id']`` -> ``['a.id', 'b.id']``."""
    if not value:
        return []
    items = value.split(",") if isinstance(value, str) else list(value)
    return [str(d).strip().lower().lstrip("@") for d in items if str(d).strip()]


# --- reading ----------------------------------------------------------------------------------------------------


def _areas(conn: sqlite3.Connection, user_id: int) -> tuple[str, ...]:
    rows = conn.execute(
        "SELECT coalesce(district_code, province_code) FROM user_areas WHERE user_id = ? ORDER BY 1", (user_id,)
    )
    return tuple(r[0] for r in rows)


def _user(conn: sqlite3.Connection, row) -> User:
    user_id, email, name, role, password_hash = row
    return User(user_id, email, name, role, _areas(conn, user_id), bool(password_hash))


def get(conn: sqlite3.Connection, email: str) -> User | None:
    """The user with ``email`` (any case), or None."""
    row = conn.execute(
        "SELECT id, email, name, role, password_hash FROM users WHERE email = ?", (normal_email(email),)
    ).fetchone()
    return _user(conn, row) if row else None


def all_users(conn: sqlite3.Connection) -> list[User]:
    rows = conn.execute("SELECT id, email, name, role, password_hash FROM users ORDER BY email").fetchall()
    return [_user(conn, r) for r in rows]


def any_password(conn: sqlite3.Connection) -> bool:
    """Whether any account can sign in by password."""
    return conn.execute("SELECT 1 FROM users WHERE password_hash IS NOT NULL LIMIT 1").fetchone() is not None


def audit(conn: sqlite3.Connection, limit: int | None = None) -> list[dict]:
    """The audit log, newest first: ``{"id", "at", "actor", "action", "target", "detail"}`` (detail parsed)."""
    sql = "SELECT id, at, actor, action, target, detail FROM audit_log ORDER BY id DESC"
    rows = conn.execute(sql + " LIMIT ?", (limit,)) if limit else conn.execute(sql)
    return [
        {
            "id": i,
            "at": at,
            "actor": actor,
            "action": action,
            "target": target,
            "detail": json.loads(detail) if detail else None,
        }
        for i, at, actor, action, target, detail in rows
    ]


# --- changing (each change and its audit row in one transaction) --------------------------------------------------


def record(
    conn: sqlite3.Connection,
    actor: str,
    action: str,
    target: str | None,
    detail: dict | None = None,
    *,
    when: dt.datetime | None = None,
) -> None:
    """Append to the audit log (the caller commits, with the change it records)."""
    conn.execute(
        "INSERT INTO audit_log(at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)",
        (
            _stamp(when or now()),
            str(actor),
            action,
            target,
            json.dumps(detail, ensure_ascii=False, sort_keys=True) if detail is not None else None,
        ),
    )


def _check_email(email: str) -> str:
    email = normal_email(email)
    if not _EMAIL.match(email):
        raise UserError("email", f"not an email address: {email!r}")
    return email


def _check_password(password: str) -> str:
    if len(password or "") < MIN_PASSWORD:
        raise UserError("password_short", f"a password needs at least {MIN_PASSWORD} characters")
    return password


def check_role_areas(conn: sqlite3.Connection, role: str, areas: Iterable[str]) -> list[tuple[str | None, str | None]]:
    """``(district_code, province_code)`` rows for ``areas`` under ``role``, checked against the districts and
    provinces tables; raises ``UserError`` with what is wrong."""
    if role not in ROLES:
        raise UserError("role", f"unknown role {role!r}; one of {', '.join(ROLES)}")
    codes = list(dict.fromkeys(str(a).strip() for a in areas if str(a).strip()))
    if role == "national_admin" and codes:
        raise UserError("area_for_admin", "a national admin covers every area: give no --area")
    if role in OFFICERS and not codes:
        raise UserError(
            "area_missing", f"a {role.replace('_', ' ')} needs at least one --area ({AREA_KIND[role]} code)"
        )
    rows = []
    for code in codes:
        district = conn.execute("SELECT 1 FROM districts WHERE code = ?", (code,)).fetchone()
        province = conn.execute("SELECT 1 FROM provinces WHERE code = ?", (code,)).fetchone()
        if role == "district_officer" and not district:
            hint = " (a province code: use --role province_officer)" if province else ""
            raise UserError("area_unknown", f"unknown district code {code!r}{hint}")
        if role == "province_officer" and not province:
            hint = " (a district code: use --role district_officer)" if district else ""
            raise UserError("area_unknown", f"unknown province code {code!r}{hint}")
        if role == "viewer" and not (district or province):
            raise UserError("area_unknown", f"unknown district or province code {code!r}")
        rows.append((code, None) if district and role != "province_officer" else (None, code))
    return rows


def _set_areas(conn: sqlite3.Connection, user_id: int, rows) -> None:
    conn.execute("DELETE FROM user_areas WHERE user_id = ?", (user_id,))
    conn.executemany(
        "INSERT INTO user_areas(user_id, district_code, province_code) VALUES (?, ?, ?)",
        [(user_id, d, p) for d, p in rows],
    )


def _write(conn: sqlite3.Connection, change) -> User | None:
    """Run ``change`` in one transaction (committed, or rolled back when it raises)."""
    try:
        result = change()
        conn.commit()
        return result
    except BaseException:
        conn.rollback()
        raise


def check_new(conn: sqlite3.Connection, email: str, name: str, role: str, areas: Iterable[str]):
    """``(email, name, area rows)`` of a new user, normalised and checked; raises ``UserError``."""
    email = _check_email(email)
    name = str(name or "").strip()
    if not name:
        raise UserError("name", "a user needs a name")
    rows = check_role_areas(conn, role, areas)
    if get(conn, email):
        raise UserError("duplicate", f"a user with the email {email} already exists")
    return email, name, rows


def add(
    conn: sqlite3.Connection,
    email: str,
    *,
    name: str,
    role: str,
    areas: Iterable[str] = (),
    password: str | None = None,
    actor: str,
) -> User:
    """Create a user (``password=None``: signs in by OIDC only). Raises ``UserError``."""
    email, name, rows = check_new(conn, email, name, role, areas)
    hashed = _hasher.hash(_check_password(password)) if password is not None else None

    def change():
        stamp = _stamp(now())
        try:
            cursor = conn.execute(
                "INSERT INTO users(email, name, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                (email, name, role, hashed, stamp, stamp),
            )
        except sqlite3.IntegrityError:  # added by another process since the check above
            raise UserError("duplicate", f"a user with the email {email} already exists") from None
        _set_areas(conn, cursor.lastrowid, rows)
        record(
            conn,
            actor,
            "user.add",
            email,
            {"name": name, "role": role, "areas": [d or p for d, p in rows], "password": hashed is not None},
        )
        return get(conn, email)

    return _write(conn, change)


def require(conn: sqlite3.Connection, email: str) -> User:
    user = get(conn, email)
    if user is None:
        raise UserError("unknown_user", f"no user with the email {normal_email(email)}")
    return user


def remove(conn: sqlite3.Connection, email: str, *, actor: str) -> None:
    def change():
        user = require(conn, email)
        conn.execute("DELETE FROM users WHERE id = ?", (user.id,))  # its areas go with it (ON DELETE CASCADE)
        record(
            conn, actor, "user.remove", user.email, {"name": user.name, "role": user.role, "areas": list(user.areas)}
        )

    _write(conn, change)


def set_role(conn: sqlite3.Connection, email: str, role: str, areas: Iterable[str] = (), *, actor: str) -> User:
    """Give a user a new role and areas (areas replace the old ones)."""
    rows = check_role_areas(conn, role, areas)

    def change():
        user = require(conn, email)
        conn.execute("UPDATE users SET role = ?, updated_at = ? WHERE id = ?", (role, _stamp(now()), user.id))
        _set_areas(conn, user.id, rows)
        record(
            conn,
            actor,
            "user.set_role",
            user.email,
            {
                "from": {"role": user.role, "areas": list(user.areas)},
                "to": {"role": role, "areas": [d or p for d, p in rows]},
            },
        )
        return get(conn, user.email)

    return _write(conn, change)


def set_password(conn: sqlite3.Connection, email: str, password: str | None, *, actor: str) -> User:
    """Set (or with ``None`` remove) a user's password; the audit says that it changed, never what it is."""
    hashed = _hasher.hash(_check_password(password)) if password is not None else None

    def change():
        user = require(conn, email)
        conn.execute(
            "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?", (hashed, _stamp(now()), user.id)
        )
        record(conn, actor, "user.set_password", user.email, {"password": hashed is not None})
        return get(conn, user.email)

    return _write(conn, change)


# --- password sign-in ------------------------------------------------------------------------------------------
#
# SQLite: attempts are counted in a small SQLite file beside the data file (``attempts_path``), never in the data
# file itself: the dashboard keys its shared data and snapshot on the data file's fingerprint (inode, size, mtime),
# so a write there on every sign-in would let anyone who types a password make every session reload (and a
# national deployment rebuild its snapshot). A sign-in, right or wrong, only reads the data file.
# PostgreSQL: in the table ``sign_in_attempts`` of the same database (created on first use; no file fingerprint
# there), through a connection of its own, writers taking turns on a lock of that table only.

ATTEMPTS_SUFFIX = ".signin.sqlite"
ATTEMPTS_TABLE = "sign_in_attempts"
ATTEMPTS_LOCK = 1_500_016  # PostgreSQL's advisory lock taken while the table is created or given new columns
ATTEMPTS_SCHEMA = """
CREATE TABLE IF NOT EXISTS sign_in_attempts (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    email TEXT NOT NULL COLLATE NOCASE,
    client TEXT NOT NULL,
    cleared INTEGER NOT NULL DEFAULT 0 CHECK (cleared IN (0, 1)),
    pending INTEGER NOT NULL DEFAULT 0 CHECK (pending IN (0, 1))
);
CREATE INDEX IF NOT EXISTS idx_sign_in_attempts_email ON sign_in_attempts(email, at);
CREATE INDEX IF NOT EXISTS idx_sign_in_attempts_client ON sign_in_attempts(client, at);
"""
# Columns added to ``sign_in_attempts`` since its first release, with their definitions, added to an older table by
# ``add_attempt_columns``. The rows written before ``pending`` existed were failures: it defaults to 0 (settled).
ATTEMPTS_ADDED = {"pending": "INTEGER NOT NULL DEFAULT 0 CHECK (pending IN (0, 1))"}


def add_attempt_columns(conn: sqlite3.Connection) -> list[str]:
    """Add to an existing ``sign_in_attempts`` the columns it lacks (``ATTEMPTS_ADDED``), in the caller's
    transaction; return their names (``[]`` when it has them all)."""
    have = set(db.columns(conn, ATTEMPTS_TABLE))
    added = [name for name in ATTEMPTS_ADDED if name not in have]
    for name in added:  # names and definitions are the constants above, no value from outside
        conn.execute(f"ALTER TABLE {ATTEMPTS_TABLE} ADD COLUMN {name} {ATTEMPTS_ADDED[name]}")
    return added


class AttemptsUnavailable(RuntimeError):
    """The attempts cannot be counted (SQLite: a read-only data folder, a full disk, ...; PostgreSQL: no right to
    create or write the table, the server gone): nobody can sign in by password until they can, since wrong
    attempts could not be counted. ``path`` names the file, or the database (no password) and table."""

    def __init__(self, path: Path | str | None, reason: str):
        super().__init__(f"the sign-in attempts in {path} cannot be written: {reason}")
        self.path = path
        self.reason = reason


def attempts_path(db_path: str | Path) -> Path | str:
    """Where the sign-in attempts of the database ``db_path`` are counted: ``<db>.signin.sqlite`` beside a data
    file (beside the file a symbolic link points to, so that every connection counts in the same place); for a
    PostgreSQL URL, its table ``sign_in_attempts`` (as printed: the URL without password)."""
    if db.is_url(str(db_path)):
        return f"{db.describe(str(db_path))} ({ATTEMPTS_TABLE})"
    p = Path(db_path).resolve()
    return p.with_name(p.name + ATTEMPTS_SUFFIX)


def data_file(conn: sqlite3.Connection) -> Path | None:
    """The file of ``conn``'s main database (None for an in-memory or temporary one, and for PostgreSQL)."""
    if db.is_postgres(conn):
        return None
    for _seq, name, file in conn.execute("PRAGMA database_list"):
        if name == "main":
            return Path(file) if file else None
    return None


_PG_READY: set[str] = set()  # PostgreSQL URLs whose attempts table this process has seen


@contextmanager
def attempts_db(db_path: str | Path | None) -> Iterator[sqlite3.Connection]:
    """A connection to where the attempts of ``db_path`` are counted, created on demand. SQLite: the attempts
    file (WAL, so that readers do not wait for writers; a busy timeout, so that processes take turns), in
    autocommit mode; PostgreSQL (a URL): the database itself, a connection of its own. Raises
    ``AttemptsUnavailable`` when it cannot be opened and written. Callers change it through ``_transaction``."""
    if db_path is None:
        raise AttemptsUnavailable(None, "the database is not a file")
    if db.is_url(str(db_path)):
        with _pg_attempts(str(db_path)) as conn:
            yield conn
        return
    path = attempts_path(db_path)
    try:
        conn = sqlite3.connect(str(path), timeout=30, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as error:
        raise AttemptsUnavailable(path, str(error)) from None
    try:
        _prepare(conn, path)
        yield conn
    finally:
        conn.close()


@contextmanager
def _pg_attempts(url: str) -> Iterator[sqlite3.Connection]:
    where = attempts_path(url)
    try:
        conn = store.connect(url)  # read-write, even when the caller's connection is read-only
    except (db.Unreachable, sqlite3.Error) as error:
        raise AttemptsUnavailable(where, str(error)) from None
    try:
        if url not in _PG_READY:
            try:
                # processes creating (or extending) it at the same moment take turns, the later ones finding it
                # done: a lock of its own, since the table may not exist yet (not db.WRITE_LOCK, the imports')
                conn.execute("SELECT pg_advisory_xact_lock(?)", (ATTEMPTS_LOCK,))
                if conn.execute("SELECT to_regclass(?)", (ATTEMPTS_TABLE,)).fetchone()[0] is None:
                    conn.executescript(ATTEMPTS_SCHEMA)
                else:
                    add_attempt_columns(conn)  # an older table (none to add: nothing is written)
                conn.commit()
            except sqlite3.Error as error:
                conn.rollback()
                raise AttemptsUnavailable(where, str(error)) from None
            _PG_READY.add(url)
        yield conn
    finally:
        conn.close()


def _prepare(conn: sqlite3.Connection, path: Path, *, patience: float = 30.0) -> None:
    """Busy timeout, WAL and the table (an older file's table given its new columns). Processes creating the
    file at the same moment can find it locked without SQLite's busy handler waiting (switching to WAL needs the
    file to themselves): they try again."""
    deadline = time.monotonic() + patience
    while True:
        try:
            conn.execute("PRAGMA busy_timeout = 30000")
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            conn.executescript(ATTEMPTS_SCHEMA)
            if set(ATTEMPTS_ADDED) - set(db.columns(conn, ATTEMPTS_TABLE)):  # a file of an older version
                _transaction(conn, lambda: add_attempt_columns(conn))
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise AttemptsUnavailable(path, str(error)) from None
            time.sleep(0.02)
        except sqlite3.Error as error:
            raise AttemptsUnavailable(path, str(error)) from None


@dataclass(frozen=True)
class SignIn:
    """The outcome of a password sign-in: ``status`` is ``ok``, ``wrong`` (email or password: which one is not
    said), ``throttled`` (then ``retry_at`` says when to try again) or ``unavailable`` (attempts cannot be
    counted: ``attempts_file`` names the file; nobody is let in until it can be written)."""

    status: str
    user: User | None = None
    retry_at: dt.datetime | None = None
    attempts_file: Path | str | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def _retry_at(times: list[str], when: dt.datetime) -> dt.datetime | None:
    """When the failures ``times`` (ascending, inside the window) fall below ``MAX_FAILURES``; None if they are."""
    if len(times) < MAX_FAILURES:
        return None
    # the oldest failure that must leave the window for fewer than MAX_FAILURES to remain
    return dt.datetime.fromisoformat(times[len(times) - MAX_FAILURES]) + WINDOW


def throttled_until(
    attempts: sqlite3.Connection,
    email: str,
    client: str,
    when: dt.datetime | None = None,
    *,
    in_flight: bool = False,
) -> dt.datetime | None:
    """None while another attempt is allowed; else the time from which it is (``attempts``: a connection from
    ``attempts_db``). The account counts its failures not cleared by a later success; the client counts all its
    failures (at any account). An attempt still being checked (``pending``) counts as a failure once it is
    ``STALE`` (its process died), and with ``in_flight`` at once: as if every attempt being checked failed."""
    when = when or now()
    since = _stamp(when - WINDOW)
    # a pending attempt counts from this stamp on ("9999" sorts after every ISO stamp: none is left out)
    stale = "9999" if in_flight else _stamp(when - STALE)
    by_account = [
        r[0]
        for r in attempts.execute(
            "SELECT at FROM sign_in_attempts WHERE email = ? AND cleared = 0 AND at > ? "
            "AND (pending = 0 OR at <= ?) ORDER BY at",
            (normal_email(email), since, stale),
        )
    ]
    by_client = [
        r[0]
        for r in attempts.execute(
            "SELECT at FROM sign_in_attempts WHERE client = ? AND at > ? AND (pending = 0 OR at <= ?) ORDER BY at",
            (str(client), since, stale),
        )
    ]
    waits = [t for t in (_retry_at(by_account, when), _retry_at(by_client, when)) if t is not None]
    return max(waits) if waits else None


def _transaction(attempts: sqlite3.Connection, change):
    """Run ``change`` holding the attempts' write lock, one process at a time: SQLite's ``BEGIN IMMEDIATE``;
    PostgreSQL's lock of the table (a mode that excludes itself, not readers; not the imports' lock: a sign-in
    does not wait for an import)."""
    if db.is_postgres(attempts):
        try:
            attempts.execute(f"LOCK TABLE {ATTEMPTS_TABLE} IN SHARE ROW EXCLUSIVE MODE")
            result = change()
            attempts.commit()
            return result
        except BaseException:
            attempts.rollback()
            raise
    attempts.execute("BEGIN IMMEDIATE")
    try:
        result = change()
        attempts.execute("COMMIT")
        return result
    except BaseException:
        attempts.execute("ROLLBACK")
        raise


def authenticate(
    conn: sqlite3.Connection,
    email: str,
    password: str,
    *,
    client: str,
    when: dt.datetime | None = None,
    database: str | Path | None = None,
) -> SignIn:
    """Check a password sign-in against the users of ``conn``'s database, which is only read (``conn`` may be,
    and in the app is, a read-only connection). ``database``: the URL ``conn`` was opened with, needed on
    PostgreSQL (where the attempts are counted through a connection of their own); a SQLite file is found from
    ``conn``.

    The attempt is counted where ``attempts_path`` says. A throttled attempt is refused before the password is
    looked at (and is not recorded). Otherwise the attempt is recorded as *pending* before the password is
    checked, in the same locked transaction as the check of the limit, so that sessions and processes racing each
    other cannot pass it: the limit is checked as if every attempt still pending failed. An attempt that is
    refused only because of attempts still pending (several people behind one address signing in at the same
    moment) waits for them to settle (up to ``IN_FLIGHT_WAIT`` seconds) instead. A wrong password then turns its
    row into a failure; a right one deletes it and clears the account's earlier failures. So no more than
    ``MAX_FAILURES`` passwords are checked wrongly per account or client in the window, however many race.
    When the attempts file cannot be written, nobody is let in (``unavailable``).
    """
    when = when or now()
    email = normal_email(email)
    client = str(client or "unknown")
    path = database if db.is_postgres(conn) else data_file(conn)
    try:
        with attempts_db(path) as attempts:

            def reserve():
                wait = throttled_until(attempts, email, client, when)
                if wait is not None:
                    return "throttled", wait
                wait = throttled_until(attempts, email, client, when, in_flight=True)
                if wait is not None:
                    return "in flight", wait
                attempt_id = attempts.execute(
                    "INSERT INTO sign_in_attempts(at, email, client, pending) VALUES (?, ?, ?, 1) RETURNING id",
                    (_stamp(when), email, client),
                ).fetchone()[0]
                attempts.execute("DELETE FROM sign_in_attempts WHERE at < ?", (_stamp(when - KEEP_ATTEMPTS),))
                return "reserved", attempt_id

            try:
                deadline = time.monotonic() + IN_FLIGHT_WAIT
                outcome, value = _transaction(attempts, reserve)
                while outcome == "in flight" and time.monotonic() < deadline:
                    time.sleep(0.02)  # each check of a password takes tens of milliseconds
                    outcome, value = _transaction(attempts, reserve)
            except sqlite3.Error as error:
                raise AttemptsUnavailable(attempts_path(path), str(error)) from None
            if outcome != "reserved":  # throttled, or still in flight: then as if those pending failed
                return SignIn("throttled", retry_at=value)
            attempt_id = value
            row = conn.execute("SELECT password_hash FROM users WHERE email = ?", (email,)).fetchone()
            stored = row[0] if row and row[0] else None
            try:
                _hasher.verify(stored or _DUMMY_HASH, password or "")
                matched = stored is not None
            except (VerificationError, InvalidHashError):
                matched = False

            def settle():
                if not matched:
                    attempts.execute("UPDATE sign_in_attempts SET pending = 0 WHERE id = ?", (attempt_id,))
                    return
                attempts.execute("DELETE FROM sign_in_attempts WHERE id = ?", (attempt_id,))
                # failures as throttled_until counts them: an attempt still being checked counts when it settles
                attempts.execute(
                    "UPDATE sign_in_attempts SET cleared = 1 WHERE email = ? AND cleared = 0 "
                    "AND (pending = 0 OR at <= ?)",
                    (email, _stamp(when - STALE)),
                )

            try:
                _transaction(attempts, settle)
                if not matched:
                    return SignIn("wrong", retry_at=throttled_until(attempts, email, client, when))
            except sqlite3.Error as error:  # the row stays pending: it counts as a failure once STALE
                raise AttemptsUnavailable(attempts_path(path), str(error)) from None
    except AttemptsUnavailable as error:
        return SignIn("unavailable", attempts_file=error.path)
    if _hasher.check_needs_rehash(stored):  # hashing parameters raised since it was hashed
        _rehash(path, email, stored, password)
    return SignIn("ok", user=get(conn, email))


def _rehash(path: Path | str, email: str, stored: str, password: str) -> None:
    """Store the password hashed with the current parameters: the only write of a sign-in to the data file, once
    per user after the parameters are raised, and only with the right password. Best effort: on a read-only
    file the next sign-in tries again."""
    try:
        with store.opened(path) as writer:
            writer.execute(
                "UPDATE users SET password_hash = ? WHERE email = ? AND password_hash = ?",
                (_hasher.hash(password), email, stored),
            )
            writer.commit()
    except (sqlite3.Error, db.Unreachable):
        pass
