"""Where things are: the repository root, the reference data and the database file."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
REFERENCE_DIR = DATA_DIR / "reference"
DEFAULT_DB = DATA_DIR / "plm.db"


def db_path(explicit: str | os.PathLike | None = None) -> Path:
    """The database to use: an explicit path, else ``$PLM_DB``, else ``data/plm.db``."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("PLM_DB")
    return Path(env) if env else DEFAULT_DB
