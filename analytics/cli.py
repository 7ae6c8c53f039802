"""The command line: ``python -m analytics COMMAND``. Commands only parse options and call the package."""

from __future__ import annotations

import sys

import click

from . import config, demo, store
from . import db as dialects


def _db_option(f):
    return click.option(
        "--db",
        "db",
        type=click.Path(dir_okay=False),
        default=None,
        help="Database file, or a postgresql://user:password@host:port/dbname URL "
        "(default: $PLM_DB, else data/plm.db).",
    )(f)


def _name(path) -> str:
    """The database as printed: a URL never shows its password."""
    return dialects.describe(path)


def _reachable(db: str | None):
    """The target; a PostgreSQL server is reached first (a clear message and exit 1 when it cannot be)."""
    path = config.db_path(db)
    if dialects.is_url(path):
        store.connect(path, readonly=True).close()  # db.Unreachable is turned into a message by _Group
    return path


def _existing(db: str | None):
    path = _reachable(db)
    if dialects.is_url(path):
        with store.opened(path, readonly=True) as conn:
            if "meta" not in dialects.tables(conn):
                raise click.ClickException(
                    f"no PLM tables in {_name(path)}; build them with: python -m analytics "
                    "demo (demo data) or python -m analytics migrate (empty)"
                )
    elif not path.exists():
        raise click.ClickException(f"no database at {path}; build one with: python -m analytics demo")
    return path


def _sqlite_only(path, command: str):
    """The benchmark builds and copies database files: SQLite only (issue 15)."""
    if dialects.is_url(path):
        raise click.ClickException(
            f"{command} reads a SQLite file only for now; PostgreSQL covers demo, info, "
            "check, backup, migrate, import, undo, export, users, audit, pack, slides, "
            "load and the dashboard (docs/deployment.md)"
        )
    return path


def _size(path) -> str:
    return "" if dialects.is_url(path) else f"{path.stat().st_size / 1e6:.1f} MB"


class _Group(click.Group):
    """Commands whose database server cannot be reached, or goes away while they run, end with one line
    (exit 1), not a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except dialects.Unreachable as exc:
            raise click.ClickException(str(exc)) from None
        except dialects.OperationalError as exc:
            raise click.ClickException(f"lost the database: {exc}") from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """PLM dashboard tools: demo data, checks, backups."""


@main.command("demo")
@click.option(
    "--scale",
    type=click.Choice(list(demo.SCALES)),
    default="seed",
    show_default=True,
    help="seed: the 2018 PerpuSeru program; program: TPBIS size; national: 23,000 village libraries; stress: 84,000.",
)
@click.option("--seed", type=int, default=2018, show_default=True, help="Random seed; same seed, same data.")
@_db_option
def demo_command(scale: str, seed: int, db: str | None) -> None:
    """Build (replace) the demo database at the chosen scale."""
    path = _reachable(db)

    def progress(fraction: float, message: str) -> None:
        click.echo(f"\r{fraction:4.0%} {message:<30}", nl=False, err=True)

    counts = demo.build(path, scale, seed, progress)
    click.echo("", err=True)
    seconds = counts.pop("seconds")
    click.echo(
        f"{_name(path)}: {scale} scale, seed {seed}, built in {seconds:.1f} s"
        + (f", {_size(path)}" if _size(path) else "")
    )
    for table, n in counts.items():
        click.echo(f"  {table:<12} {n:>12,}")


@main.command("info")
@_db_option
def info_command(db: str | None) -> None:
    """Row counts per table."""
    path = _existing(db)
    with store.opened(path, readonly=True) as conn:
        counts = store.row_counts(conn)
        meta = store.meta(conn)
    size = f" ({_size(path)})" if _size(path) else ""
    click.echo(
        f"{_name(path)}{size}, schema {meta.get('schema_version', '?')}"
        + (f", demo {meta['demo_scale']} seed {meta['demo_seed']}" if meta.get("demo") else "")
    )
    for table, n in counts.items():
        click.echo(f"{table:<12} {n:>12,}")


@main.command("check")
@_db_option
def check_command(db: str | None) -> None:
    """Integrity, foreign keys (orphans) and values outside their domain; exit 1 when anything is wrong."""
    path = _existing(db)
    with store.opened(path, readonly=True) as conn:
        problems = store.check(conn)
    if problems:
        for p in problems:
            click.echo(p, err=True)
        click.echo(f"{len(problems)} problem(s) in {_name(path)}", err=True)
        sys.exit(1)
    click.echo(f"{_name(path)}: ok")


@main.command("backup")
@click.option("--out", "out", type=click.Path(dir_okay=False), required=True, help="File to write.")
@_db_option
def backup_command(out: str, db: str | None) -> None:
    """Copy the database with SQLite's online backup, or pg_dump for PostgreSQL (safe while the app runs)."""
    path = _existing(db)
    store.backup(path, out)
    click.echo(f"{_name(path)} -> {out}")


# --- imports and exports (docs/imports.md) ------------------------------------------------------------------


def _user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no login name in a container: still record something
        return "cli"


@main.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--kind",
    type=click.Choice(["libraries", "meetings", "reports", "awards", "stories", "visits"]),
    required=True,
    help="What the file holds.",
)
@click.option("--dry-run", is_flag=True, help="Validate and preview only; write and record nothing.")
@click.option("--sheet", default=None, help="Import only this sheet of a workbook.")
@click.option(
    "--lang", type=click.Choice(["id", "en"]), default="id", show_default=True, help="Language of the report."
)
@click.option(
    "--report",
    "report_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also write every problem to this CSV file.",
)
@click.option("--max-lines", type=int, default=200, show_default=True, help="Problems listed on stderr.")
@click.option(
    "--by",
    "by",
    default=None,
    metavar="EMAIL",
    help="The account importing: only rows of its area are accepted (as on the import page); "
    "default: the OS user, every area.",
)
@_db_option
def import_command(
    file: str,
    kind: str,
    dry_run: bool,
    sheet: str | None,
    lang: str,
    report_file: str | None,
    max_lines: int,
    by: str | None,
    db: str | None,
) -> None:
    """Import FILE (.xlsx or .csv): validate all of it, then write all of it or nothing. Exit 1 when rejected."""
    from pathlib import Path

    from . import exports, importing
    from .i18n import t

    path = _existing(db)
    user, account = _acting(path, by)
    with open(file, "rb") as handle:
        data = handle.read(importing.MAX_BYTES + 1)  # a larger file is refused (too_large) without reading it all
    outcome = importing.run_import(
        path, data, Path(file).name, kind, user=user, actor=account, dry_run=dry_run, sheet=sheet
    )
    problems = outcome.analysis.problems
    if problems:
        frame = importing.report_frame(problems, lang)
        for row in frame.head(max_lines).itertuples(index=False):
            sheet_name, line, column, value, reason = row
            where = ":".join(str(x) for x in (sheet_name, line if line is not None else "", column) if str(x) != "")
            click.echo(f"{where}: {reason}" + (f" [{value}]" if value else ""), err=True)
        if len(frame) > max_lines:
            click.echo(f"... +{len(frame) - max_lines}", err=True)
        for row in importing.reason_counts(problems, lang).itertuples(index=False):
            click.echo(f"{row[1]:>7}  {row[0]}", err=True)
        if report_file:
            Path(report_file).write_bytes(exports.to_csv_bytes(frame))
        click.echo(outcome.message(lang), err=True)
        sys.exit(1)
    if outcome.status == "failed":
        click.echo(outcome.message(lang), err=True)
        sys.exit(2)
    for table, counts in outcome.analysis.preview.items():
        click.echo(f"{table:<12} " + "  ".join(f"{t(f'import.col.{k}', lang)} {v:,}" for k, v in counts.items()))
    click.echo(outcome.message(lang))


def _acting(path, by: str | None):
    """``(name recorded, account)`` of who imports or undoes: ``--by EMAIL`` names an account whose area limits
    the rows (as on the import page); without it the OS user (``os:NAME``), every area. The audit log records
    either, so the database must have the account tables."""
    from . import users

    with store.opened(path, readonly=True) as conn:
        _accounts_ready(conn, path)
        if by is None:
            return f"os:{_user()}", None
        account = users.get(conn, by)
    if account is None:
        raise click.ClickException(f"--by {users.normal_email(by)}: no such account")
    if not account.may_import:
        raise click.ClickException(f"--by {account.email}: a {account.role} may not import or undo")
    return account.email, account


@main.command("template")
@click.argument("kind", type=click.Choice(["libraries", "meetings", "reports", "awards", "stories", "visits"]))
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False),
    required=True,
    help="File to write: .xlsx (with instructions) or .csv.",
)
def template_command(kind: str, out: str) -> None:
    """Write an import template for KIND."""
    from pathlib import Path

    from .importing import templates

    target = Path(out)
    data = templates.csv(kind) if target.suffix.lower() == ".csv" else templates.xlsx(kind)
    target.write_bytes(data)
    click.echo(f"{kind} -> {target}")


@main.command("undo")
@click.argument("import_id", type=int)
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True)
@click.option(
    "--by",
    "by",
    default=None,
    metavar="EMAIL",
    help="The account undoing: refused when the import changed rows outside its area; "
    "default: the OS user, every area.",
)
@_db_option
def undo_command(import_id: int, lang: str, by: str | None, db: str | None) -> None:
    """Undo a done import as a whole (refused when a later import changed the same rows)."""
    from . import importing

    path = _existing(db)
    user, account = _acting(path, by)
    result = importing.undo(path, import_id, user=user, actor=account)
    if not result.ok:
        click.echo(result.message(lang), err=True)
        sys.exit(1)
    click.echo(result.message(lang))


@main.command("export")
@click.argument("table")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True)
@click.option("--out", "out", type=click.Path(dir_okay=False), required=True, help="File to write.")
@_db_option
def export_command(table: str, fmt: str, out: str, db: str | None) -> None:
    """Export TABLE as CSV or XLSX, with cells a spreadsheet would run as formulas neutralised."""
    from pathlib import Path

    from . import exports

    if table not in exports.EXPORTABLE:
        raise click.BadParameter(f"one of {', '.join(exports.EXPORTABLE)}", param_hint="TABLE")
    with store.opened(_existing(db), readonly=True) as conn:
        try:
            data = exports.table_bytes(conn, table, fmt)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
    Path(out).write_bytes(data)
    click.echo(f"{table} -> {out}")


@main.command("bench")
@click.option("--scale", type=click.Choice(list(demo.SCALES)), default="national", show_default=True)
@click.option("--json", "json_out", type=click.Path(dir_okay=False), default=None, help="Write the figures here.")
@click.option(
    "--markdown",
    "md_out",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the table (as kept in docs/benchmarks.md) here.",
)
@click.option("--repeats", type=int, default=5, show_default=True, help="Timed runs per measure (median).")
@click.option(
    "--browser-repeats",
    type=int,
    default=3,
    show_default=True,
    help="Province choices timed per page in Chromium (0: no browser part).",
)
@click.option(
    "--check",
    is_flag=True,
    help="Exit 1 when a ratio budget is broken: an aggregation over 2x DuckDB's "
    "time or differing from its result, a page's rerun over 2x the "
    "empty-page floor plus its data work, or a page in Chromium over "
    "1.5x its baseline page.",
)
@_db_option
def bench_command(
    scale: str,
    json_out: str | None,
    md_out: str | None,
    repeats: int,
    browser_repeats: int,
    check: bool,
    db: str | None,
) -> None:
    """Measure cold start, aggregations (against DuckDB), page reruns, memory and import at a scale.

    Uses data/bench-SCALE.db (built when missing) unless --db is given.
    """
    from .tools import bench

    if db:
        _sqlite_only(config.db_path(db), "bench")
    report = bench.run(
        scale, db, repeats, progress=lambda m: click.echo(f"... {m}", err=True), browser_repeats=browser_repeats
    )
    text = bench.table(report)
    click.echo(text)
    if json_out:
        with open(json_out, "w") as f:
            f.write(report.to_json())
    if md_out:
        with open(md_out, "w") as f:
            f.write(text + "\n")
    failed = bench.check_ratios(report)
    if check and failed:
        click.echo("ratio budgets broken: " + "; ".join(failed), err=True)
        sys.exit(1)


# --- the meeting pack and slides (issue 6) --------------------------------------------------------------------


def _deck_filters(db, province, district, first, last, lang):
    """The Dataset and Filters of a pack/slides command, checked like a link's parameters (``filters.parse``)."""
    from . import dataset, filters

    path = _existing(db)
    ds = dataset.load(path)
    params = {"province": province, "district": district, "from": first, "to": last, "lang": lang}
    f, warnings = filters.parse({k: v for k, v in params.items() if v}, ds.choices)
    if warnings:
        raise click.BadParameter("; ".join(f"{w.param}={w.value}" for w in warnings))
    return path, ds, f


def _deck_options(f):
    for option in reversed(
        [
            click.option("--out", "out", type=click.Path(dir_okay=False), required=True, help="File to write."),
            click.option("--province", default=None, help="Province code, e.g. 34."),
            click.option("--district", default=None, help="District code, e.g. 34.03 (its province is implied)."),
            click.option("--from", "first", default=None, help="First cycle of the range, e.g. 2016-1."),
            click.option("--to", "last", default=None, help="Last cycle: the cycle the meeting is about, e.g. 2018-2."),
            click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True),
        ]
    ):
        f = option(f)
    return _db_option(f)


@main.command("pack")
@_deck_options
def pack_command(out: str, province, district, first, last, lang, db) -> None:
    """Write the meeting pack: one self-contained HTML file (opens offline, prints to PDF)."""
    import time
    from pathlib import Path

    from . import pack

    started = time.perf_counter()
    path, ds, f = _deck_filters(db, province, district, first, last, lang)
    text = pack.build(ds, f, path=path)
    Path(out).write_text(text, encoding="utf-8")
    click.echo(f"{out}: {len(text.encode()) / 1e6:.1f} MB in {time.perf_counter() - started:.1f} s")


@main.command("slides")
@_deck_options
def slides_command(out: str, province, district, first, last, lang, db) -> None:
    """Write the agenda deck as PowerPoint slides (.pptx); charts are drawn offline by kaleido and chromium."""
    import time
    from pathlib import Path

    from . import slides

    started = time.perf_counter()
    path, ds, f = _deck_filters(db, province, district, first, last, lang)
    data, missing = slides.build(ds, f, path=path)
    Path(out).write_bytes(data)
    click.echo(
        f"{out}: {len(data) / 1e6:.1f} MB in {time.perf_counter() - started:.1f} s"
        + (f"; {missing} chart(s) without an image" if missing else "")
    )


# --- schema migration (issue 7) --------------------------------------------------------------------------------


@main.command("migrate")
@_db_option
def migrate_command(db: str | None) -> None:
    """Bring an older database to the current schema, keeping every row (a backup is written beside it first)."""
    import sqlite3

    from . import migrate

    path = _reachable(db) if dialects.is_url(config.db_path(db)) else _existing(db)
    try:
        result = migrate.migrate(path)
    except (migrate.MigrationError, OSError, sqlite3.Error) as exc:
        raise click.ClickException(str(exc)) from None
    for line in result.lines():
        click.echo(line)


@main.command("load")
@click.option("--sessions", type=int, default=20, show_default=True, help="Concurrent sessions in each round.")
@click.option("--seconds", type=float, default=180, show_default=True, help="Length of each round.")
@click.option(
    "--rounds",
    type=click.IntRange(2, 10),
    default=2,
    show_default=True,
    help="Rounds one after the other; memory GROWS when the last ends a margin (a quarter of round 1's peak "
    "growth) above every earlier round, or the rounds keep rising by more than it; more rounds see smaller leaks.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the sessions' random walks.")
@click.option(
    "--code",
    default="HEAD",
    show_default=True,
    help="Git ref whose committed app code the server runs (a copy, so edits to the working tree "
    "during the run cannot reach it); 'tree' runs the working tree in place.",
)
@click.option("--json", "json_out", type=click.Path(dir_okay=False), default=None, help="Write the figures here.")
@click.option(
    "--processes",
    type=click.IntRange(1, 64),
    default=None,
    help="Start this many app processes behind nginx (as 'serve' does) and load them through it.",
)
@click.option(
    "--url",
    default=None,
    help="Load a running deployment at this address instead (http://host:port); --db must be its "
    "database (the sessions pick filter values from it); memory is not measured.",
)
@click.option(
    "--own-area",
    is_flag=True,
    help="Viewing limited to one's own area (PLM_VIEWING=own-area) on a copy of the SQLite file with one "
    "officer account per session; each signs in and is checked for other areas' names.",
)
@_db_option
def load_command(
    sessions: int,
    seconds: float,
    rounds: int,
    seed: int,
    code: str,
    json_out: str | None,
    processes: int | None,
    url: str | None,
    own_area: bool,
    db: str | None,
) -> None:
    """Load test: concurrent sessions changing filters on one server; errors, leaks, latency, memory.

    Exit 1 when a rerun failed, a session was shown other filters than its own (or, with --own-area, another
    area's names), or memory kept growing.
    """
    import json

    from .tools import load

    if processes and url:
        raise click.UsageError("--processes starts a deployment, --url loads a running one: give one of them")
    if own_area and url:
        raise click.UsageError("--own-area starts its own servers on a copy of the database: not with --url")
    path = _existing(db)
    result = load.run(
        path,
        sessions=sessions,
        seconds=seconds,
        seed=seed,
        code=None if code == "tree" else code,
        progress=lambda m: click.echo(f"... {m}", err=True),
        rounds=rounds,
        processes=processes,
        url=url,
        own_area=own_area,
    )
    click.echo(load.table(result))
    if json_out:
        with open(json_out, "w") as f:
            json.dump(result, f, indent=2, default=float)
    if not result["ok"]:
        sys.exit(1)


# --- deployment: app processes behind nginx (issue 15; docs/deployment.md) ---------------------------------------


@main.command("serve")
@click.option(
    "--processes",
    type=click.IntRange(1, 64),
    default=2,
    show_default=True,
    help="App processes (about one per CPU core; each needs its own memory for the data).",
)
@click.option(
    "--listen",
    default="8500",
    show_default=True,
    help="Where nginx listens: PORT (every interface) or HOST:PORT; above 1024 without root.",
)
@click.option(
    "--app-port",
    type=int,
    default=None,
    help="Loopback port of the first app process; the others follow it (default: the listen port + 1).",
)
@click.option(
    "--run-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder for nginx's configuration, pid file, temporary files and every log "
    "(default: a new temporary folder, removed after a clean stop).",
)
@click.option(
    "--nginx", "nginx", default=None, help="The nginx program (default: nginx on PATH, else /usr/sbin/nginx)."
)
@click.option(
    "--template",
    type=click.Path(dir_okay=False, exists=True),
    default=None,
    help="nginx configuration template (default: deploy/nginx.conf.template).",
)
@_db_option
def serve_command(
    processes: int,
    listen: str,
    app_port: int | None,
    run_dir: str | None,
    nginx: str | None,
    template: str | None,
    db: str | None,
) -> None:
    """Run the dashboard for many users: N app processes behind nginx, until Ctrl-C or SIGTERM."""
    from . import serve

    path = _existing(db)
    say = lambda message: click.echo(f"serve: {message}", err=True)  # noqa: E731
    try:
        deployment = serve.Deployment(
            path,
            processes=processes,
            listen=listen,
            app_port=app_port,
            run_dir=run_dir,
            nginx=nginx,
            template=template,
            say=say,
        ).start()
    except serve.ServeError as exc:
        raise click.ClickException(str(exc)) from None
    sys.exit(deployment.serve_forever())


# --- users and the audit log (issue 15; docs/accounts.md) ------------------------------------------------------


def _actor(by: str | None, conn) -> str:
    """Who makes a change: ``--by EMAIL`` (a national admin's account), else the OS user as ``os:NAME``."""
    from . import users

    if by is None:
        return f"os:{_user()}"
    account = users.get(conn, by)
    if account is None or not account.is_admin:
        raise click.ClickException(f"--by {users.normal_email(by)}: not a national admin's account")
    return account.email


def _by_option(f):
    return click.option(
        "--by",
        "by",
        default=None,
        metavar="EMAIL",
        help="The national admin making the change (recorded in the audit log); default: the OS user.",
    )(f)


def _areas_option(f):
    return click.option(
        "--area",
        "areas",
        multiple=True,
        metavar="CODE",
        help="District code (district officer, e.g. 34.03) or province code (province officer, "
        "e.g. 34); repeat for several.",
    )(f)


def _accounts_ready(conn, path) -> None:
    if store.schema_version(conn) < store.SCHEMA_VERSION:
        raise click.ClickException(
            f"{_name(path)} has an older schema without the account tables; run: "
            f"python -m analytics migrate --db {_name(path)}"
        )


def _users_change(db: str | None, by: str | None, change):
    """Open the database, run ``change(conn, actor)``, turn a refused change into a clear message, exit 1."""
    from . import users

    path = _existing(db)
    with store.opened(path) as conn:
        _accounts_ready(conn, path)
        try:
            return change(conn, _actor(by, conn))
        except users.UserError as exc:
            raise click.ClickException(str(exc)) from None


def _read_password(prompt: bool, from_stdin: bool) -> str | None:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if prompt:
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return None


def _describe(user) -> str:
    areas = ",".join(user.areas) or "-"
    return f"{user.email}\t{user.name}\t{user.role}\t{areas}\t{'password' if user.has_password else 'oidc'}"


@main.group("users")
def users_group() -> None:
    """Accounts: who may sign in, with which role and area (changes are written to the audit log)."""


@users_group.command("add")
@click.argument("email")
@click.option("--name", required=True, help="The person's name.")
@click.option("--role", type=click.Choice(store.ROLES), required=True)
@_areas_option
@click.option("--password-prompt", is_flag=True, help="Ask for a password (typed twice, not shown).")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@click.option("--no-password", is_flag=True, help="No password: signs in by OIDC only (the default).")
@_by_option
@_db_option
def users_add(
    email: str,
    name: str,
    role: str,
    areas: tuple[str, ...],
    password_prompt: bool,
    password_stdin: bool,
    no_password: bool,
    by: str | None,
    db: str | None,
) -> None:
    """Add a user with EMAIL."""
    from . import users

    if sum((password_prompt, password_stdin, no_password)) > 1:
        raise click.UsageError("give only one of --password-prompt, --password-stdin, --no-password")

    def change(conn, actor):
        users.check_new(conn, email, name, role, areas)  # before asking for a password that would be thrown away
        user = users.add(
            conn,
            email,
            name=name,
            role=role,
            areas=areas,
            password=_read_password(password_prompt, password_stdin),
            actor=actor,
        )
        click.echo(f"added {_describe(user)}")

    _users_change(db, by, change)


@users_group.command("list")
@_db_option
def users_list(db: str | None) -> None:
    """Every user: email, name, role, areas, and whether they sign in by password or OIDC."""
    from . import users

    path = _existing(db)
    with store.opened(path, readonly=True) as conn:
        _accounts_ready(conn, path)
        listed = users.all_users(conn)
    click.echo("email\tname\trole\tareas\tsign-in")
    for user in listed:
        click.echo(_describe(user))


@users_group.command("remove")
@click.argument("email")
@_by_option
@_db_option
def users_remove(email: str, by: str | None, db: str | None) -> None:
    """Remove the user with EMAIL (the audit log keeps what they were)."""
    from . import users

    def change(conn, actor):
        users.remove(conn, email, actor=actor)
        click.echo(f"removed {users.normal_email(email)}")

    _users_change(db, by, change)


@users_group.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice(store.ROLES))
@_areas_option
@_by_option
@_db_option
def users_set_role(email: str, role: str, areas: tuple[str, ...], by: str | None, db: str | None) -> None:
    """Give the user with EMAIL the ROLE and areas (they replace the old ones)."""
    from . import users

    def change(conn, actor):
        click.echo(f"changed {_describe(users.set_role(conn, email, role, areas, actor=actor))}")

    _users_change(db, by, change)


@users_group.command("set-password")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@click.option("--no-password", is_flag=True, help="Remove the password: OIDC sign-in only.")
@_by_option
@_db_option
def users_set_password(email: str, password_stdin: bool, no_password: bool, by: str | None, db: str | None) -> None:
    """Set (asked for, typed twice) or remove the password of the user with EMAIL."""
    from . import users

    def change(conn, actor):
        users.require(conn, email)
        password = None if no_password else _read_password(True, password_stdin)
        users.set_password(conn, email, password, actor=actor)
        click.echo(f"password {'removed' if password is None else 'set'} for {users.normal_email(email)}")

    _users_change(db, by, change)


@main.command("audit")
@click.option("--limit", type=int, default=50, show_default=True, help="Newest entries shown (0: all).")
@_db_option
def audit_command(limit: int, db: str | None) -> None:
    """The audit log, newest first: when, who, what, to whom, details."""
    import json

    from . import users

    path = _existing(db)
    with store.opened(path, readonly=True) as conn:
        _accounts_ready(conn, path)
        entries = users.audit(conn, limit or None)
    click.echo("at\tactor\taction\ttarget\tdetail")
    for e in entries:
        detail = json.dumps(e["detail"], ensure_ascii=False, sort_keys=True) if e["detail"] is not None else ""
        click.echo(f"{e['at']}\t{e['actor']}\t{e['action']}\t{e['target'] or ''}\t{detail}")
