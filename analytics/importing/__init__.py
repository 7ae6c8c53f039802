"""Imports of program officers' spreadsheets: read, validate, preview, write in one transaction, undo.

    analysis = importing.analyse(conn, data, "laporan.csv", "reports")   # problems and preview, writes nothing
    outcome = importing.run_import(db_path, data, "laporan.csv", "reports", user="ani")
    importing.undo(db_path, outcome.import_id, user="ani")

Every call of ``run_import`` leaves one row in ``imports`` with its outcome (done, rejected, duplicate or
failed); the data tables change only when it is ``done``. docs/imports.md describes files and messages.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import db, store, users
from ..i18n import t
from . import read, scope, validate, write
from .columns import KINDS
from .model import Problem, Rejected
from .read import MAX_BYTES, MAX_ROWS

__all__ = [
    "KINDS",
    "MAX_BYTES",
    "MAX_ROWS",
    "Analysis",
    "Outcome",
    "Problem",
    "analyse",
    "run_import",
    "undo",
    "report_frame",
    "reason_counts",
    "recent_imports",
    "summary",
]


@dataclass
class Analysis:
    """What importing the file would do: its problems, or (when there are none) the rows per table."""

    kind: str
    file_name: str
    sha256: str
    problems: list[Problem] = field(default_factory=list)
    diffs: dict[str, write.Diff] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def preview(self) -> dict[str, dict[str, int]]:
        """Per table: how many rows are new, changed and unchanged."""
        return {table: d.counts for table, d in self.diffs.items()}


@dataclass
class Outcome:
    status: str  # done | rejected | duplicate | failed | dry_run
    import_id: int | None
    analysis: Analysis
    rows: int = 0
    duplicate_of: int | None = None
    error: str = ""

    def message(self, lang: str = "id") -> str:
        if self.status == "done":
            return t("import.done", lang, id=self.import_id, rows=self.rows)
        if self.status == "duplicate":
            return t("import.duplicate", lang, id=self.duplicate_of)
        if self.status == "failed":
            return t("import.failed", lang, error=self.error)
        if self.status == "dry_run":
            return t(
                "import.dry_run_ok" if self.analysis.ok else "import.rejected", lang, count=len(self.analysis.problems)
            )
        return t("import.rejected", lang, count=len(self.analysis.problems))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def analyse(
    conn: sqlite3.Connection,
    data: bytes,
    file_name: str,
    kind: str,
    sheet: str | None = None,
    *,
    actor: users.User | None = None,
) -> Analysis:
    """Validate the whole file against the database and, when it is clean, compare it with current rows.

    With ``actor`` (the signed-in user), every row outside their area is a problem too (``importing.scope``);
    None checks no area (the command line without ``--by``)."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; one of {', '.join(KINDS)}")
    analysis = Analysis(kind, file_name, sha256(data))
    refused = scope.may_not_import(actor)
    if refused is not None:
        analysis.problems = [refused]
        return analysis
    try:
        sheets, decimal_comma = read.read_sheets(data, file_name)
        ref = validate.Reference.load(conn)
        tables, problems = read.locate(sheets, kind, ref.indicator_keys, sheet)
    except Rejected as rejected:
        analysis.problems = [rejected.problem]
        return analysis
    frames, problems = validate.validate(kind, tables, ref, problems, decimal_comma, actor=actor)
    if problems:
        analysis.problems = problems
        return analysis
    diffs, late = write.plan(conn, frames)
    late += scope.meeting_problems(diffs, tables, ref, actor)
    if late:
        analysis.problems = late
        return analysis
    analysis.diffs = diffs
    return analysis


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def summary(problems: list[Problem], lang: str = "en", limit: int = 5) -> str:
    """A one-line account of the problems for the audit log: counts per reason."""
    counts = Counter(p.reason for p in problems)
    return "; ".join(f"{t(f'import.reason.{r}.short', lang)}: {n}" for r, n in counts.most_common(limit)) + (
        f"; +{len(counts) - limit}" if len(counts) > limit else ""
    )


# Page cache of an import's connection, in KiB (SQLite's default is 2,000): a large file's changes then stay in
# memory until the commit instead of spilling index pages to the WAL and reading them back; ~0.5 s less for
# 100,000 report rows at national scale.
WRITE_CACHE_KIB = 65_536


def run_import(
    db: str | Path,
    data: bytes,
    file_name: str,
    kind: str,
    *,
    user: str = "",
    dry_run: bool = False,
    sheet: str | None = None,
    actor: users.User | None = None,
) -> Outcome:
    """Import a file: validate all of it, then write everything in one transaction, or nothing.

    The second of two concurrent imports waits for the first (``BEGIN IMMEDIATE`` and the busy timeout), and
    validates against what the first wrote. ``dry_run`` validates and previews without recording anything.
    ``actor`` (the signed-in user) limits the rows to their area (``analyse``); ``user`` is who the import and
    its audit row name (default: the actor's email). A done import writes an ``audit_log`` row (action
    ``import``) in the same transaction as its data.
    """
    user = user or (actor.email if actor is not None else "")
    if dry_run:
        with store.opened(db, readonly=True) as conn:
            analysis = analyse(conn, data, file_name, kind, sheet, actor=actor)
        return Outcome("dry_run", None, analysis)
    digest = sha256(data)
    conn = store.connect(db)
    conn.isolation_level = None  # transactions are explicit below
    conn.execute(f"PRAGMA cache_size = -{int(WRITE_CACHE_KIB)}")
    try:
        import_id = conn.execute(
            'INSERT INTO imports(kind, file_name, sha256, rows, status, started_at, "user") '
            "VALUES (?, ?, ?, 0, 'running', ?, ?)",
            (kind, file_name, digest, _now(), user),
        ).lastrowid
        analysis = Analysis(kind, file_name, digest)
        try:
            conn.execute("BEGIN IMMEDIATE")
            _close_interrupted(conn, import_id)
            earlier = conn.execute(
                "SELECT min(id) FROM imports WHERE sha256 = ? AND status = 'done'", (digest,)
            ).fetchone()[0]
            if earlier is not None:
                _finish(conn, import_id, "duplicate", 0, f"same file as import {earlier}")
                conn.execute("COMMIT")
                return Outcome("duplicate", import_id, analysis, duplicate_of=earlier)
            analysis = analyse(conn, data, file_name, kind, sheet, actor=actor)
            if not analysis.ok:
                _finish(conn, import_id, "rejected", 0, summary(analysis.problems))
                conn.execute("COMMIT")
                return Outcome("rejected", import_id, analysis)
            rows = write.write(conn, analysis.diffs, import_id)
            _finish(conn, import_id, "done", rows, None)
            users.record(
                conn,
                user or "?",
                "import",
                str(import_id),
                {"kind": kind, "file": file_name, "sha256": digest, "rows": rows, "tables": analysis.preview},
            )
            conn.execute("COMMIT")
            return Outcome("done", import_id, analysis, rows=rows)
        except Exception as exc:  # anything at all: the data stays as it was and the audit row says why
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            error = f"{type(exc).__name__}: {exc}"
            _finish(conn, import_id, "failed", 0, error[:500])
            return Outcome("failed", import_id, analysis, error=error)
    finally:
        conn.close()


STALE_AFTER = dt.timedelta(seconds=60)  # longer than an import waits for the write lock (30 s busy timeout)


def _close_interrupted(conn: sqlite3.Connection, import_id: int) -> None:
    """Mark as failed the imports still 'running' from a process that ended (killed, machine stopped).

    Called holding the write lock: a live import is either this one or one still waiting for the lock, which
    started less than the busy timeout ago; an older 'running' row can only belong to a process that died
    (its transaction was rolled back by SQLite, so its data never landed)."""
    cutoff = (dt.datetime.now(dt.UTC) - STALE_AFTER).isoformat(timespec="seconds")
    conn.execute(
        "UPDATE imports SET status = 'failed', finished_at = ?, message = ? "
        "WHERE status = 'running' AND id != ? AND started_at < ?",
        (_now(), "interrupted: the importing process ended before it finished", import_id, cutoff),
    )


def _finish(conn: sqlite3.Connection, import_id: int, status: str, rows: int, message: str | None) -> None:
    conn.execute(
        "UPDATE imports SET status = ?, rows = ?, finished_at = ?, message = ? WHERE id = ?",
        (status, rows, _now(), message, import_id),
    )


@dataclass
class UndoResult:
    ok: bool
    key: str
    params: dict

    def message(self, lang: str = "id") -> str:
        return t(self.key, lang, **self.params)


def undo(db: str | Path, import_id: int, *, user: str = "", actor: users.User | None = None) -> UndoResult:
    """Undo a done import as a whole, unless a later import changed the same rows or depends on them.

    ``actor`` (the signed-in user) may undo only an import that wrote nothing outside their area (a viewer
    none); None checks no area (the command line without ``--by``). A done undo writes an ``audit_log`` row
    (action ``undo``) in the same transaction."""
    user = user or (actor.email if actor is not None else "")
    conn = store.connect(db)
    conn.isolation_level = None
    try:
        conn.execute("BEGIN IMMEDIATE")
        row = conn.execute("SELECT status FROM imports WHERE id = ?", (import_id,)).fetchone()
        if row is None:
            conn.execute("ROLLBACK")
            return UndoResult(False, "import.undo.unknown", {"id": import_id})
        if row[0] != "done":
            conn.execute("ROLLBACK")
            return UndoResult(False, "import.undo.not_done", {"id": import_id, "status": row[0]})
        if actor is not None and not actor.may_import:
            conn.execute("ROLLBACK")
            return UndoResult(False, "import.undo.not_allowed", {"id": import_id, "user": actor.email})
        outside = scope.undo_outside(conn, import_id, actor)
        if outside:
            conn.execute("ROLLBACK")
            return UndoResult(
                False,
                "import.undo.outside_area",
                {
                    "id": import_id,
                    "outside": ", ".join(outside),
                    "areas": scope.areas_text(actor, scope.area_names(conn)),
                },
            )
        later = write.later_imports(conn, import_id)
        if later:
            conn.execute("ROLLBACK")
            return UndoResult(False, "import.undo.later", {"id": import_id, "later": ", ".join(map(str, later))})
        try:
            count = write.revert(conn, import_id)
        except sqlite3.IntegrityError:
            conn.execute("ROLLBACK")
            return UndoResult(False, "import.undo.depends", {"id": import_id})
        conn.execute(
            "UPDATE imports SET status = 'undone', message = ? WHERE id = ?",
            (f"undone by {user or '?'} at {_now()}", import_id),
        )
        users.record(conn, user or "?", "undo", str(import_id), {"rows": count})
        conn.execute("COMMIT")
        return UndoResult(True, "import.undo.done", {"id": import_id, "rows": count})
    except Exception:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.close()


def report_frame(problems: list[Problem], lang: str = "id") -> pd.DataFrame:
    """The problems as a table a person reads: sheet, row, column, value, reason (in ``lang``)."""
    return pd.DataFrame(
        {
            t("import.col.sheet", lang): [p.sheet for p in problems],
            t("import.col.row", lang): pd.array([p.row for p in problems], dtype="Int64"),
            t("import.col.column", lang): [p.column for p in problems],
            t("import.col.value", lang): [p.value for p in problems],
            t("import.col.reason", lang): [t(p.key, lang, value=p.value, **dict(p.params)) for p in problems],
        }
    )


def reason_counts(problems: list[Problem], lang: str = "id") -> pd.DataFrame:
    counts = Counter(p.reason for p in problems)
    return pd.DataFrame(
        {
            t("import.col.reason", lang): [t(f"import.reason.{r}.short", lang) for r in counts],
            t("import.col.count", lang): list(counts.values()),
        }
    )


def recent_imports(conn: sqlite3.Connection, limit: int = 20, user: str | None = None) -> pd.DataFrame:
    """The latest imports, newest first (only those ``user`` made, when given)."""
    # "user" quoted: a reserved word in PostgreSQL (unquoted it would read the session's role)
    sql = 'SELECT id, kind, file_name, status, rows, started_at, finished_at, "user", message FROM imports'
    if user is not None:
        return db.frame(conn, sql + ' WHERE "user" = ? ORDER BY id DESC LIMIT ?', (user, limit))
    return db.frame(conn, sql + " ORDER BY id DESC LIMIT ?", (limit,))


def audit_frame(conn: sqlite3.Connection, lang: str = "id", limit: int = 200) -> pd.DataFrame:
    """The audit log (``users.audit``), newest first, with the catalog's headers; detail as JSON text."""
    import json

    rows = users.audit(conn, limit)
    return pd.DataFrame(
        {
            t("audit.col.at", lang): [r["at"] for r in rows],
            t("audit.col.actor", lang): [r["actor"] for r in rows],
            t("audit.col.action", lang): [r["action"] for r in rows],
            t("audit.col.target", lang): [r["target"] or "" for r in rows],
            t("audit.col.detail", lang): [
                json.dumps(r["detail"], ensure_ascii=False, sort_keys=True) if r["detail"] is not None else ""
                for r in rows
            ],
        }
    )


def template(kind: str, fmt: str) -> bytes:
    from . import templates

    return templates.xlsx(kind) if fmt == "xlsx" else templates.csv(kind)
