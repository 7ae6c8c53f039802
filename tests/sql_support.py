"""Helpers shared by the tests that check imports against the database with their own SQL."""

import sqlite3

# The header of a long reports CSV (Indonesian column names, semicolons, CRLF), as officers' files have it.
HEADER = "id_perpustakaan;siklus;indikator;nilai;tanggal_lapor\r\n"


def q(path, sql, params=()):
    """Rows of an independent query on the database file at ``path`` (its own connection, closed after)."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()
