"""The store: schema, connections, integrity check, row counts and backup.

The store is a SQLite file (the default) or a PostgreSQL database (a ``postgresql://`` URL): the dialect
differences live in analytics/db.py; the schema below is written once, in SQLite's spelling.
Every table below is part of the contract that imports, exports and
outside checks rely on (see docs/data-model.md); columns may be added, never renamed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from . import db

SCHEMA_VERSION = 2  # 2: the account tables (users, user_areas, audit_log)

# The one definition of the library tiers, the strategies and the story kinds: the schema's CHECKs, import
# validation, the demo, charts, pages and the catalog's tests read them from here (tests/test_catalog.py).
TIERS = ("provinsi", "kabupaten_kota", "desa", "tbm")
REGION_TIERS = TIERS[:2]  # the province's and the district's own libraries
VILLAGE_TIERS = TIERS[2:]  # village libraries and community reading gardens (TBM)
DISTRICT_KINDS = ("kabupaten", "kota")
MEETING_LEVELS = ("kabupaten", "provinsi", "nasional")
STRATEGIES = ("layanan_informasi", "pelibatan_masyarakat", "advokasi", "pelaporan")
AGGREGATIONS = ("sum", "mean")
STORY_KINDS = ("achievement", "obstacle", "challenge", "innovation")
IMPORT_STATUSES = ("running", "done", "failed", "rejected", "duplicate", "undone")
ROLES = ("viewer", "district_officer", "province_officer", "national_admin")

# Tables in dependency order: a table only refers to tables before it.
TABLES = (
    "meta",
    "imports",
    "provinces",
    "districts",
    "cycles",
    "indicators",
    "libraries",
    "meetings",
    "attendance",
    "reports",
    "awards",
    "stories",
    "visits",
)
# Who may sign in and what they did (docs/accounts.md): not program data, so neither exported nor counted by
# ``info``/``demo``; ``migrate`` and ``check`` cover them like the tables above. Sign-in attempts are not here: they
# are counted in a file beside this one (``users.attempts_path``), so that signing in never changes the data file.
ACCOUNT_TABLES = ("users", "user_areas", "audit_log")
ALL_TABLES = TABLES + ACCOUNT_TABLES


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)  # constants of this module, never user data
    return f"{column} IN ({quoted})"


SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT
);
CREATE TABLE IF NOT EXISTS imports (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    rows INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL CHECK ({_in("status", IMPORT_STATUSES)}),
    started_at TEXT NOT NULL,
    finished_at TEXT,
    message TEXT,
    "user" TEXT
);
CREATE TABLE IF NOT EXISTS provinces (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    lat REAL,
    lon REAL
);
CREATE TABLE IF NOT EXISTS districts (
    code TEXT PRIMARY KEY,
    province_code TEXT NOT NULL REFERENCES provinces(code),
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK ({_in("kind", DISTRICT_KINDS)}),
    lat REAL,
    lon REAL
);
CREATE TABLE IF NOT EXISTS cycles (
    id TEXT PRIMARY KEY,
    year INTEGER NOT NULL,
    term INTEGER NOT NULL CHECK (term IN (1, 2, 3)),
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    seq INTEGER NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS indicators (
    code TEXT PRIMARY KEY,
    name_id TEXT NOT NULL,
    name_en TEXT NOT NULL,
    unit TEXT NOT NULL,
    strategy TEXT NOT NULL CHECK ({_in("strategy", STRATEGIES)}),
    aggregation TEXT NOT NULL CHECK ({_in("aggregation", AGGREGATIONS)}),
    higher_is_better INTEGER NOT NULL CHECK (higher_is_better IN (0, 1)),
    target REAL
);
CREATE TABLE IF NOT EXISTS libraries (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    tier TEXT NOT NULL CHECK ({_in("tier", TIERS)}),
    district_code TEXT NOT NULL REFERENCES districts(code),
    subdistrict TEXT,
    village TEXT,
    cohort TEXT,
    joined_cycle TEXT REFERENCES cycles(id),
    left_cycle TEXT REFERENCES cycles(id),
    import_id INTEGER REFERENCES imports(id)
);
CREATE TABLE IF NOT EXISTS meetings (
    id INTEGER PRIMARY KEY,
    cycle_id TEXT NOT NULL REFERENCES cycles(id),
    level TEXT NOT NULL CHECK ({_in("level", MEETING_LEVELS)}),
    region_code TEXT NOT NULL DEFAULT '',
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    city TEXT,
    venue TEXT,
    title TEXT,
    import_id INTEGER REFERENCES imports(id)
);
CREATE TABLE IF NOT EXISTS attendance (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    library_id INTEGER NOT NULL REFERENCES libraries(id),
    attendees INTEGER NOT NULL DEFAULT 1,
    attendees_female INTEGER NOT NULL DEFAULT 0,
    presented INTEGER NOT NULL DEFAULT 0 CHECK (presented IN (0, 1)),
    lapak INTEGER NOT NULL DEFAULT 0 CHECK (lapak IN (0, 1)),
    import_id INTEGER REFERENCES imports(id),
    PRIMARY KEY (meeting_id, library_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS reports (
    library_id INTEGER NOT NULL REFERENCES libraries(id),
    cycle_id TEXT NOT NULL REFERENCES cycles(id),
    indicator_code TEXT NOT NULL REFERENCES indicators(code),
    value REAL NOT NULL,
    submitted_on TEXT,
    import_id INTEGER REFERENCES imports(id),
    PRIMARY KEY (library_id, cycle_id, indicator_code)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS awards (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    library_id INTEGER NOT NULL REFERENCES libraries(id),
    category TEXT NOT NULL,
    rank INTEGER,
    import_id INTEGER REFERENCES imports(id),
    PRIMARY KEY (meeting_id, category, library_id)
);
CREATE TABLE IF NOT EXISTS stories (
    id INTEGER PRIMARY KEY,
    library_id INTEGER NOT NULL REFERENCES libraries(id),
    cycle_id TEXT NOT NULL REFERENCES cycles(id),
    kind TEXT NOT NULL CHECK ({_in("kind", STORY_KINDS)}),
    text TEXT NOT NULL,
    link TEXT,
    import_id INTEGER REFERENCES imports(id)
);
CREATE TABLE IF NOT EXISTS visits (
    id INTEGER PRIMARY KEY,
    library_id INTEGER NOT NULL REFERENCES libraries(id),
    visit_date TEXT NOT NULL,
    team TEXT,
    notes TEXT,
    import_id INTEGER REFERENCES imports(id)
);
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK ({_in("role", ROLES)}),
    password_hash TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS user_areas (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    district_code TEXT REFERENCES districts(code),
    province_code TEXT REFERENCES provinces(code),
    CHECK ((district_code IS NULL) != (province_code IS NULL))
);
CREATE TABLE IF NOT EXISTS audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT,
    detail TEXT
);
"""

# Indexes for the dashboard's queries; created after a bulk load, which is faster than maintaining them.
INDEXES = """
CREATE INDEX IF NOT EXISTS idx_districts_province ON districts(province_code);
CREATE INDEX IF NOT EXISTS idx_libraries_district ON libraries(district_code);
CREATE INDEX IF NOT EXISTS idx_meetings_cycle ON meetings(cycle_id, level);
CREATE INDEX IF NOT EXISTS idx_meetings_region ON meetings(region_code);
CREATE INDEX IF NOT EXISTS idx_attendance_library ON attendance(library_id);
CREATE INDEX IF NOT EXISTS idx_reports_cycle ON reports(cycle_id, indicator_code);
CREATE INDEX IF NOT EXISTS idx_awards_library ON awards(library_id);
CREATE INDEX IF NOT EXISTS idx_stories_library ON stories(library_id);
CREATE INDEX IF NOT EXISTS idx_stories_cycle ON stories(cycle_id);
CREATE INDEX IF NOT EXISTS idx_visits_library ON visits(library_id);
CREATE INDEX IF NOT EXISTS idx_user_areas_user ON user_areas(user_id);
"""


def connect(path: str | Path, *, readonly: bool = False) -> sqlite3.Connection:
    """Open the database with foreign keys on and a busy timeout.

    ``check_same_thread=False`` because Streamlit runs each session in its own thread; callers open a
    connection per use and close it, so one connection is never used by two threads at once.
    A ``postgresql://`` URL gives a ``db.PgConnection`` (``db.Unreachable`` when the server cannot be reached).
    """
    if db.is_url(path):
        return db.connect_pg(path, readonly=readonly)
    if readonly:
        uri = f"file:{Path(path).resolve()}?mode=ro"
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=30)
    else:
        conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 30000")
    return conn


@contextmanager
def opened(path: str | Path, *, readonly: bool = False) -> Iterator[sqlite3.Connection]:
    """A connection that is closed when the block ends."""
    conn = connect(path, readonly=readonly)
    try:
        yield conn
    finally:
        conn.close()


def database(path: str | Path) -> sqlite_utils.Database:
    """A sqlite-utils view of the database (foreign keys on)."""
    return sqlite_utils.Database(connect(path))


def create_schema(conn: sqlite3.Connection, *, indexes: bool = True) -> None:
    """Create every table (and, unless told otherwise, every index) that does not exist yet."""
    conn.executescript(SCHEMA)
    if indexes:
        conn.executescript(INDEXES)
    set_meta(conn, schema_version=str(SCHEMA_VERSION))
    if not db.is_postgres(conn):
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")  # an int constant, not user data
    conn.commit()


def create_indexes(conn: sqlite3.Connection) -> None:
    conn.executescript(INDEXES)
    conn.commit()


def row_counts(conn: sqlite3.Connection, tables: tuple[str, ...] = TABLES) -> dict[str, int]:
    """Rows per table of the contract, or of ``tables`` (tables that do not exist count as absent)."""
    existing = db.tables(conn)
    # Table names come from the constants TABLES/ALL_TABLES, which is why they can be formatted into the SQL.
    return {t: conn.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0] for t in tables if t in existing}


def meta(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT key, value FROM meta"))


def set_meta(conn: sqlite3.Connection, **values: str) -> None:
    conn.executemany(
        "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [(k, str(v)) for k, v in values.items()],
    )


# Each rule: (table, description, SQL returning offending rows as (key, value)).
_DOMAIN_RULES: tuple[tuple[str, str, str], ...] = (
    (
        "libraries",
        "tier outside " + "|".join(TIERS),
        f"SELECT id, tier FROM libraries WHERE NOT ({_in('tier', TIERS)})",
    ),
    (
        "districts",
        "kind outside kabupaten|kota",
        f"SELECT code, kind FROM districts WHERE NOT ({_in('kind', DISTRICT_KINDS)})",
    ),
    (
        "districts",
        "code does not start with its province code",
        "SELECT code, province_code FROM districts "
        "WHERE substr(code, 1, length(province_code) + 1) != province_code || '.'",
    ),
    (
        "meetings",
        "level outside " + "|".join(MEETING_LEVELS),
        f"SELECT id, level FROM meetings WHERE NOT ({_in('level', MEETING_LEVELS)})",
    ),
    (
        "meetings",
        "kabupaten meeting whose region_code is not a district",
        "SELECT id, region_code FROM meetings WHERE level = 'kabupaten' "
        "AND region_code NOT IN (SELECT code FROM districts)",
    ),
    (
        "meetings",
        "provinsi meeting whose region_code is not a province",
        "SELECT id, region_code FROM meetings WHERE level = 'provinsi' "
        "AND region_code NOT IN (SELECT code FROM provinces)",
    ),
    (
        "meetings",
        "nasional meeting with a region_code",
        "SELECT id, region_code FROM meetings WHERE level = 'nasional' AND region_code != ''",
    ),
    (
        "meetings",
        "dates outside its cycle or ending before they start",
        "SELECT m.id, m.start_date || '..' || m.end_date FROM meetings m JOIN cycles c ON c.id = m.cycle_id "
        "WHERE m.start_date < c.start_date OR m.end_date > c.end_date OR m.end_date < m.start_date",
    ),
    ("cycles", "id is not year-term", "SELECT id, year || '-' || term FROM cycles WHERE id != year || '-' || term"),
    (
        "attendance",
        "negative attendees or more female attendees than attendees",
        "SELECT meeting_id || '/' || library_id, attendees || '/' || attendees_female FROM attendance "
        "WHERE attendees < 0 OR attendees_female < 0 OR attendees_female > attendees",
    ),
    (
        "indicators",
        "strategy outside " + "|".join(STRATEGIES),
        f"SELECT code, strategy FROM indicators WHERE NOT ({_in('strategy', STRATEGIES)})",
    ),
    (
        "stories",
        "kind outside " + "|".join(STORY_KINDS),
        f"SELECT id, kind FROM stories WHERE NOT ({_in('kind', STORY_KINDS)})",
    ),
    (
        "libraries",
        "left_cycle before joined_cycle",
        "SELECT l.id, l.joined_cycle || '>' || l.left_cycle FROM libraries l "
        "JOIN cycles j ON j.id = l.joined_cycle JOIN cycles x ON x.id = l.left_cycle WHERE x.seq < j.seq",
    ),
    (
        "user_areas",
        "area the user's role does not take (a national admin's, a province for a district officer "
        "or a district for a province officer)",
        "SELECT u.email, coalesce(a.district_code, a.province_code) FROM user_areas a JOIN users u ON u.id = a.user_id "
        "WHERE u.role = 'national_admin' OR (u.role = 'district_officer' AND a.district_code IS NULL) "
        "OR (u.role = 'province_officer' AND a.province_code IS NULL)",
    ),
)


def check(conn: sqlite3.Connection, *, limit: int = 5) -> list[str]:
    """Every problem found: integrity, foreign keys (orphans) and values outside their domain.

    Returns human-readable lines; an empty list means the database is sound.
    """
    problems: list[str] = []
    if db.is_postgres(conn):
        # PostgreSQL enforces foreign keys and CHECKs on every write; what can still be wrong is a constraint
        # added NOT VALID (never checked against older rows) or a table of the schema that is missing.
        for table, name in conn.execute(
            "SELECT conrelid::regclass::text, conname FROM pg_constraint "
            "WHERE NOT convalidated AND connamespace = current_schema()::regnamespace"
        ):
            problems.append(f"integrity: {table}: constraint {name} is not validated")
    else:
        integrity = conn.execute("PRAGMA quick_check").fetchall()
        if integrity != [("ok",)]:
            problems += [f"integrity: {row[0]}" for row in integrity[:limit]]
        orphans: dict[tuple[str, str], list] = {}
        for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check"):
            orphans.setdefault((table, parent), []).append(rowid)
        for (table, parent), rowids in orphans.items():
            problems.append(f"{table}: {len(rowids)} row(s) refer to a missing {parent} row")
    existing = db.tables(conn)
    for table, description, sql in _DOMAIN_RULES:
        if table in ACCOUNT_TABLES and table not in existing:  # a schema-1 file: migrate adds them
            continue
        rows = conn.execute(sql).fetchall()
        if rows:
            sample = ", ".join(f"{k}={v!r}" for k, v in rows[:limit])
            problems.append(f"{table}: {len(rows)} row(s) with {description} ({sample})")
    return problems


def backup(source: str | Path, target: str | Path) -> None:
    """Copy the database with SQLite's online backup API: consistent even while others write.

    A PostgreSQL source is dumped with ``pg_dump`` (custom format, one consistent snapshot; restore with
    ``pg_restore``)."""
    if db.is_url(source):
        db.pg_dump(source, target)
        return
    target = Path(target)
    if target.exists():
        target.unlink()
    with opened(source, readonly=True) as src:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
        finally:
            dst.close()


def schema_version(conn: sqlite3.Connection) -> int:
    """The file's schema version: ``PRAGMA user_version``, or ``meta.schema_version`` when that says more.

    A file written before versions were recorded (schema 0: no ``meta`` table) reads as 0."""
    version = 0 if db.is_postgres(conn) else conn.execute("PRAGMA user_version").fetchone()[0]
    if "meta" in db.tables(conn):
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row and str(row[0]).isdigit():
            version = max(version, int(row[0]))
    return version


def missing_schema(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """What the file lacks of the current ``SCHEMA`` and ``INDEXES``: ``{"tables": [...], "columns":
    ["table.column", ...], "indexes": [...]}`` (empty lists when it has all of it). Used by ``migrate``."""
    current = sqlite3.connect(":memory:")
    try:
        current.executescript(SCHEMA + INDEXES)
        wanted = {t: [r[1] for r in current.execute(f"PRAGMA table_info([{t}])")] for t in ALL_TABLES}
        wanted_indexes = [
            r[0]
            for r in current.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name"
            )
        ]
    finally:
        current.close()
    tables = db.tables(conn)
    indexes = db.indexes(conn)
    missing: dict[str, list[str]] = {"tables": [], "columns": [], "indexes": []}
    for table, columns in wanted.items():
        if table not in tables:
            missing["tables"].append(table)
            continue
        have = set(db.columns(conn, table))
        missing["columns"] += [f"{table}.{c}" for c in columns if c not in have]
    missing["indexes"] = [i for i in wanted_indexes if i not in indexes]
    return missing
