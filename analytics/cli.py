"""The command line: ``python -m analytics COMMAND``. Commands only parse options and call the package."""

from __future__ import annotations

import sys

import click

from . import config, demo, store


def _db_option(f):
    return click.option("--db", "db", type=click.Path(dir_okay=False), default=None,
                        help="Database file (default: $PLM_DB, else data/plm.db).")(f)


def _existing(db: str | None):
    path = config.db_path(db)
    if not path.exists():
        raise click.ClickException(f"no database at {path}; build one with: python -m analytics demo")
    return path


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """PLM dashboard tools: demo data, checks, backups."""


@main.command("demo")
@click.option("--scale", type=click.Choice(list(demo.SCALES)), default="seed", show_default=True,
              help="seed: the 2018 PerpuSeru program; program: TPBIS size; national: 23,000 village libraries; "
                   "stress: 84,000.")
@click.option("--seed", type=int, default=2018, show_default=True, help="Random seed; same seed, same data.")
@_db_option
def demo_command(scale: str, seed: int, db: str | None) -> None:
    """Build (replace) the demo database at the chosen scale."""
    path = config.db_path(db)

    def progress(fraction: float, message: str) -> None:
        click.echo(f"\r{fraction:4.0%} {message:<30}", nl=False, err=True)

    counts = demo.build(path, scale, seed, progress)
    click.echo("", err=True)
    seconds = counts.pop("seconds")
    click.echo(f"{path}: {scale} scale, seed {seed}, built in {seconds:.1f} s, "
               f"{path.stat().st_size / 1e6:.1f} MB")
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
    click.echo(f"{path} ({path.stat().st_size / 1e6:.1f} MB), schema {meta.get('schema_version', '?')}"
               + (f", demo {meta['demo_scale']} seed {meta['demo_seed']}" if meta.get("demo") else ""))
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
        click.echo(f"{len(problems)} problem(s) in {path}", err=True)
        sys.exit(1)
    click.echo(f"{path}: ok")


@main.command("backup")
@click.option("--out", "out", type=click.Path(dir_okay=False), required=True, help="File to write.")
@_db_option
def backup_command(out: str, db: str | None) -> None:
    """Copy the database with SQLite's online backup (safe while the app runs)."""
    path = _existing(db)
    store.backup(path, out)
    click.echo(f"{path} -> {out}")
