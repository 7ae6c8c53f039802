"""Where things are: the repository root, the reference data and the database file."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
REFERENCE_DIR = DATA_DIR / "reference"
DEFAULT_DB = DATA_DIR / "plm.db"


def db_path(explicit: str | os.PathLike | None = None) -> Path | str:
    """The database to use: an explicit path, else ``$PLM_DB``, else ``data/plm.db``.

    A ``postgresql://`` URL is returned as the string it is (a ``Path`` would fold its ``//``): see analytics/db.py.
    """
    chosen = explicit or os.environ.get("PLM_DB")
    if not chosen:
        return DEFAULT_DB
    if isinstance(chosen, str) and chosen.startswith(("postgresql://", "postgres://")):
        return chosen
    return Path(chosen)
