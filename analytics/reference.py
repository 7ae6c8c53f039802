"""Reference data every database holds: Indonesia's geography, the PLM cycles and the indicator set."""

from __future__ import annotations

import csv
import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from .config import REFERENCE_DIR


@dataclass(frozen=True)
class Indicator:
    code: str
    name_id: str
    name_en: str
    unit: str
    strategy: str
    aggregation: str  # how library values combine into a region's value: "sum" or "mean"
    higher_is_better: bool
    target: float  # per library and cycle; the basis of the traffic light (docs/metrics.md)


# The indicators libraries report (domain.md): at least one per strategy, each with a target.
INDICATORS: tuple[Indicator, ...] = (
    Indicator("kunjungan", "Kunjungan perpustakaan", "Library visits", "orang", "layanan_informasi", "sum", True, 900),
    Indicator("anggota_aktif", "Anggota aktif", "Active members", "orang", "layanan_informasi", "sum", True, 150),
    Indicator(
        "pengguna_internet",
        "Pengguna komputer/internet",
        "Computer/internet users",
        "orang",
        "layanan_informasi",
        "sum",
        True,
        250,
    ),
    Indicator(
        "kegiatan", "Kegiatan masyarakat", "Community activities", "kegiatan", "pelibatan_masyarakat", "sum", True, 6
    ),
    Indicator(
        "peserta_kegiatan",
        "Peserta kegiatan",
        "Activity participants",
        "orang",
        "pelibatan_masyarakat",
        "sum",
        True,
        120,
    ),
    Indicator(
        "peserta_perempuan", "Peserta perempuan", "Women participants", "orang", "pelibatan_masyarakat", "sum", True, 60
    ),
    Indicator(
        "peserta_pemuda", "Peserta pemuda", "Youth participants", "orang", "pelibatan_masyarakat", "sum", True, 40
    ),
    Indicator(
        "peserta_disabilitas",
        "Peserta penyandang disabilitas",
        "Participants with disabilities",
        "orang",
        "pelibatan_masyarakat",
        "sum",
        True,
        3,
    ),
    Indicator(
        "pelatihan", "Pelatihan keterampilan", "Skills trainings", "kegiatan", "pelibatan_masyarakat", "sum", True, 3
    ),
    Indicator("peserta_pelatihan", "Peserta pelatihan", "Trainees", "orang", "pelibatan_masyarakat", "sum", True, 45),
    Indicator(
        "penjualan_lapak",
        "Penjualan produk (lapak)",
        "Sales of library products (lapak)",
        "Rp",
        "pelibatan_masyarakat",
        "sum",
        True,
        1_500_000,
    ),
    Indicator(
        "manfaat_ekonomi",
        "Warga dengan penghasilan lebih baik/pekerjaan baru",
        "People with better income or a new job",
        "orang",
        "pelibatan_masyarakat",
        "sum",
        True,
        5,
    ),
    Indicator("kemitraan", "Kemitraan (MoU)", "Partnerships (MoU)", "MoU", "advokasi", "sum", True, 1),
    Indicator("pertemuan_advokasi", "Pertemuan advokasi", "Advocacy meetings", "pertemuan", "advokasi", "sum", True, 2),
    Indicator(
        "anggaran",
        "Anggaran desa/daerah untuk perpustakaan",
        "Village/regional budget for the library",
        "Rp",
        "advokasi",
        "sum",
        True,
        10_000_000,
    ),
    Indicator(
        "dokumentasi",
        "Dokumentasi diunggah (foto, video, cerita)",
        "Documentation uploaded (photos, videos, stories)",
        "berkas",
        "pelaporan",
        "sum",
        True,
        12,
    ),
    Indicator("cerita_sukses", "Cerita sukses", "Success stories", "cerita", "pelaporan", "sum", True, 1),
)

# Reports are due this many days after the end of their cycle (the timeliness rule, docs/metrics.md).
REPORT_GRACE_DAYS = 14

_TERM_MONTHS = {1: (1, 4), 2: (5, 8), 3: (9, 12)}


def cycle_id(year: int, term: int) -> str:
    return f"{year}-{term}"


def cycle_dates(year: int, term: int) -> tuple[dt.date, dt.date]:
    """Term 1 = Jan–Apr, 2 = May–Aug, 3 = Sep–Dec."""
    first, last = _TERM_MONTHS[term]
    start = dt.date(year, first, 1)
    end = dt.date(year + (last == 12), last % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end


def cycle_seq(year: int, term: int) -> int:
    """A cycle's ordinal: consecutive cycles differ by one."""
    return year * 3 + term - 1


def cycle_range(first: str, last: str) -> list[dict]:
    """The cycle rows from ``first`` to ``last`` inclusive, e.g. ``cycle_range("2011-1", "2018-3")``."""
    y0, t0 = map(int, first.split("-"))
    y1, t1 = map(int, last.split("-"))
    rows = []
    for seq in range(cycle_seq(y0, t0), cycle_seq(y1, t1) + 1):
        year, term = divmod(seq, 3)
        term += 1
        start, end = cycle_dates(year, term)
        rows.append(
            {
                "id": cycle_id(year, term),
                "year": year,
                "term": term,
                "start_date": start.isoformat(),
                "end_date": end.isoformat(),
                "seq": seq,
            }
        )
    return rows


def _read_csv(name: str, directory: Path = REFERENCE_DIR) -> list[dict]:
    with open(directory / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def provinces(directory: Path = REFERENCE_DIR) -> list[dict]:
    return [
        {"code": r["code"], "name": r["name"], "lat": float(r["lat"]), "lon": float(r["lon"])}
        for r in _read_csv("provinces.csv", directory)
    ]


def districts(directory: Path = REFERENCE_DIR) -> list[dict]:
    return [
        {
            "code": r["code"],
            "province_code": r["province_code"],
            "name": r["name"],
            "kind": r["kind"],
            "lat": float(r["lat"]),
            "lon": float(r["lon"]),
        }
        for r in _read_csv("districts.csv", directory)
    ]


def load_reference(conn: sqlite3.Connection, cycles: list[dict]) -> None:
    """Write provinces, districts, the given cycles and the indicator set (replacing what is there)."""
    conn.executemany(
        "INSERT OR REPLACE INTO provinces(code, name, lat, lon) VALUES (:code, :name, :lat, :lon)", provinces()
    )
    conn.executemany(
        "INSERT OR REPLACE INTO districts(code, province_code, name, kind, lat, lon) "
        "VALUES (:code, :province_code, :name, :kind, :lat, :lon)",
        districts(),
    )
    conn.executemany(
        "INSERT OR REPLACE INTO cycles(id, year, term, start_date, end_date, seq) "
        "VALUES (:id, :year, :term, :start_date, :end_date, :seq)",
        cycles,
    )
    conn.executemany(
        "INSERT OR REPLACE INTO indicators(code, name_id, name_en, unit, strategy, aggregation, higher_is_better, "
        "target) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (i.code, i.name_id, i.name_en, i.unit, i.strategy, i.aggregation, int(i.higher_is_better), i.target)
            for i in INDICATORS
        ],
    )
