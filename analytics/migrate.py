"""Bring a database of an older schema to the current ``store.SCHEMA``, keeping every row.

    result = migrate.migrate("data/plm.db")      # or: python -m analytics migrate [--db PATH]
    print(result.lines())

Schema 0 is the first shape of the contract tables: no ``import_id`` columns, no ``cycles.seq``, no
``provinces.lat/lon``, no ``imports.message/user``, no ``meta`` table and ``PRAGMA user_version = 0``.
Schema 1 has all of those; schema 2 adds the account tables (``users``, ``user_areas``, ``audit_log``:
docs/accounts.md), created empty. (Sign-in attempts are counted in a file beside a SQLite database, created when
first needed: ``users.attempts_path``; on PostgreSQL in the table ``sign_in_attempts``, which ``migrate`` creates
with the rest, or gives the columns added since, so that an app role without the right to create or alter tables
can count them.)

The file is first copied beside itself (SQLite's online backup), then migrated in one transaction: a table
that lacks columns is rebuilt from its current ``CREATE TABLE`` (so it gets every constraint of the current
schema, which ``ALTER TABLE ADD COLUMN`` cannot give: ``cycles.seq`` is ``NOT NULL UNIQUE``), missing tables
and indexes are created, and the schema version is recorded. If any table's row count differs afterwards,
or a rebuilt table breaks a foreign key that held before, nothing is committed.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from . import db, store, users

# Values of added columns that can be computed from the row (or its neighbours) instead of left NULL.
COMPUTED = {
    ("cycles", "seq"): "year * 3 + term - 1",
    # the mean of the province's regency capitals, as the reference data defines it
    ("provinces", "lat"): "(SELECT avg(d.lat) FROM districts d WHERE d.province_code = provinces.code)",
    ("provinces", "lon"): "(SELECT avg(d.lon) FROM districts d WHERE d.province_code = provinces.code)",
}


class MigrationError(RuntimeError):
    """The file cannot be migrated (newer than this program, or the result would lose rows)."""


@dataclass
class Result:
    path: Path | str
    from_version: int
    to_version: int
    backup: Path | None = None
    actions: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.actions)

    def lines(self) -> list[str]:
        name = db.describe(self.path)
        if not self.changed:
            return [f"{name}: already at schema {self.to_version}"]
        return [
            f"{name}: schema {self.from_version} -> {self.to_version}",
            f"backup: {self.backup}",
            *(f"  {a}" for a in self.actions),
            "rows kept: " + ", ".join(f"{t} {n:,}" for t, n in self.rows.items()),
        ]


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]  # the schema's text has no ';' inside statements


def _create_table_sql() -> dict[str, str]:
    out = {}
    for statement in _statements(store.SCHEMA):
        m = re.match(r"CREATE TABLE IF NOT EXISTS (\w+)", statement)
        if m:
            out[m[1]] = statement
    return out


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info([{table}])")]


def backup_path(path: Path, version: int) -> Path:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    candidate = path.with_name(f"{path.name}.schema{version}-{stamp}.bak")
    n = 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}.schema{version}-{stamp}-{n}.bak")
    return candidate


def needed(conn: sqlite3.Connection) -> bool:
    """Whether the file lacks anything of the current schema (or records an older version)."""
    missing = store.missing_schema(conn)
    return store.schema_version(conn) < store.SCHEMA_VERSION or any(missing.values())


def migrate(path: str | Path) -> Result:
    """Migrate the database at ``path`` to ``store.SCHEMA_VERSION`` (a backup is written beside it first)."""
    if db.is_url(path):
        return _migrate_postgres(path)
    path = Path(path)
    if not path.is_file():
        raise MigrationError(f"no database file at {path}")
    with store.opened(path, readonly=True) as conn:
        version = store.schema_version(conn)
        if version > store.SCHEMA_VERSION:
            raise MigrationError(
                f"{path} is at schema {version}, newer than this program's "
                f"{store.SCHEMA_VERSION}; update the program instead"
            )
        if not needed(conn):
            return Result(path, version, version)
    result = Result(path, version, store.SCHEMA_VERSION, backup=backup_path(path, version))
    store.backup(path, result.backup)
    conn = sqlite3.connect(str(path), timeout=30)
    conn.isolation_level = None  # the transaction is explicit below
    try:
        # Rebuilding a table that others refer to needs foreign keys off; they are checked before the commit.
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("BEGIN IMMEDIATE")
        try:
            _migrate(conn, result)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("PRAGMA journal_mode = WAL")  # as store-built files are (cannot change inside a transaction)
    finally:
        conn.close()
    return result


def _migrate(conn: sqlite3.Connection, result: Result) -> None:
    before = store.row_counts(conn, store.ALL_TABLES)
    orphans_before = len(conn.execute("PRAGMA foreign_key_check").fetchall())
    missing = store.missing_schema(conn)
    creates = _create_table_sql()
    lacking: dict[str, list[str]] = {}
    for item in missing["columns"]:
        table, column = item.split(".")
        lacking.setdefault(table, []).append(column)
    # Dependency order (store.ALL_TABLES): provinces is rebuilt after districts exist, so its lat/lon can be
    # computed; the account tables (schema 2) come last, as they refer to districts and provinces.
    for table in store.ALL_TABLES:
        if table in missing["tables"]:
            conn.execute(creates[table])
            result.actions.append(f"created table {table}")
        elif table in lacking:
            _rebuild(conn, table, creates[table], lacking[table])
            result.actions.append(f"{table}: added " + ", ".join(lacking[table]))
    for statement in _statements(store.INDEXES):
        name = re.search(r"EXISTS (\w+)", statement)[1]
        if name in missing["indexes"] or name not in db.indexes(conn):
            conn.execute(statement)
            if name in missing["indexes"]:
                result.actions.append(f"created index {name}")
    store.set_meta(conn, schema_version=str(store.SCHEMA_VERSION))
    conn.execute(f"PRAGMA user_version = {int(store.SCHEMA_VERSION)}")  # an int constant, not user data
    result.actions.append(f"schema_version {result.from_version} -> {store.SCHEMA_VERSION}")
    after = store.row_counts(conn, store.ALL_TABLES)
    lost = {t: (before[t], after.get(t)) for t in before if after.get(t) != before[t]}
    if lost:
        raise MigrationError(f"row counts changed: {lost}")
    if len(conn.execute("PRAGMA foreign_key_check").fetchall()) > orphans_before:
        raise MigrationError("the migration would leave rows referring to missing rows")
    if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
        raise MigrationError("integrity check failed after the migration")
    if store.missing_schema(conn) != {"tables": [], "columns": [], "indexes": []}:
        raise MigrationError(f"still missing after the migration: {store.missing_schema(conn)}")
    result.rows = {t: n for t, n in after.items() if t in before}


def _rebuild(conn: sqlite3.Connection, table: str, create: str, added: list[str]) -> None:
    """Rebuild ``table`` from its current definition, copying every row (SQLite's documented way to change a
    table's constraints: create the new table, copy, drop the old one, rename)."""
    new = f"_migrate_{table}"
    conn.execute(f"DROP TABLE IF EXISTS [{new}]")
    conn.execute(create.replace(f"CREATE TABLE IF NOT EXISTS {table} ", f"CREATE TABLE [{new}] ", 1))
    target = _columns(conn, new)
    have = set(_columns(conn, table))
    names, values = [], []
    for column in target:
        if column in have:
            names.append(f"[{column}]")
            values.append(f"[{column}]")
        elif (table, column) in COMPUTED:
            names.append(f"[{column}]")
            values.append(COMPUTED[(table, column)])
        # any other added column takes its default (NULL for import_id, message, user)
    # Names and expressions come from store.SCHEMA and COMPUTED, constants of this program.
    copy = f"INSERT INTO [{new}] ({', '.join(names)}) SELECT {', '.join(values)} FROM [{table}]"  # noqa: S608
    conn.execute(copy)
    conn.execute(f"DROP TABLE [{table}]")
    conn.execute(f"ALTER TABLE [{new}] RENAME TO [{table}]")


def _migrate_postgres(url: str) -> Result:
    """PostgreSQL: there is no older PostgreSQL schema (support began at schema 2), so migrating creates what is
    missing (all of it in an empty database) in one transaction and records the version. A table that lacks
    columns was not made by this program: refused, nothing changed. When there are tables already, a pg_dump
    backup is written to the current folder first."""
    with store.opened(url) as conn:
        version = store.schema_version(conn)
        if version > store.SCHEMA_VERSION:
            raise MigrationError(
                f"{db.describe(url)} is at schema {version}, newer than this program's "
                f"{store.SCHEMA_VERSION}; update the program instead"
            )
        missing = store.missing_schema(conn)
        lacking = []  # columns added to sign_in_attempts since its first release (users.ATTEMPTS_ADDED)
        if users.ATTEMPTS_TABLE not in db.tables(conn):
            missing["tables"].append(users.ATTEMPTS_TABLE)
        else:
            lacking = sorted(set(users.ATTEMPTS_ADDED) - set(db.columns(conn, users.ATTEMPTS_TABLE)))
        if not (version < store.SCHEMA_VERSION or any(missing.values()) or lacking):
            return Result(url, version, version)
        if missing["columns"]:
            raise MigrationError(
                f"{db.describe(url)}: tables lack columns ({', '.join(missing['columns'])}); "
                "only schema-2 PostgreSQL databases are supported"
            )
        result = Result(url, version, store.SCHEMA_VERSION)
        had_tables = bool(db.tables(conn))
        conn.rollback()
    if had_tables:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        result.backup = Path(f"{url.rsplit('/', 1)[-1].split('?')[0]}.schema{version}-{stamp}.dump").resolve()
        store.backup(url, result.backup)
    with store.opened(url) as conn:
        try:
            before = store.row_counts(conn, store.ALL_TABLES)
            result.actions += [f"created table {t}" for t in missing["tables"]]
            result.actions += [f"created index {i}" for i in missing["indexes"]]
            conn.executescript(store.SCHEMA)
            conn.executescript(store.INDEXES)
            conn.executescript(users.ATTEMPTS_SCHEMA)  # PostgreSQL only (SQLite counts them in a file beside)
            added = users.add_attempt_columns(conn)  # its older rows are settled failures
            result.actions += [f"added column {users.ATTEMPTS_TABLE}.{c}" for c in added]
            store.set_meta(conn, schema_version=str(store.SCHEMA_VERSION))
            result.actions.append(f"schema_version {version} -> {store.SCHEMA_VERSION}")
            after = store.row_counts(conn, store.ALL_TABLES)
            if any(after[t] != n for t, n in before.items()):
                raise MigrationError(f"row counts changed: {before} -> {after}")
            result.rows = {t: n for t, n in after.items() if t in before}
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
    return result
