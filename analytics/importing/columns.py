"""The kinds of file that can be imported, their columns and the header aliases each column accepts.

Aliases are compared as ``parse.header_key`` forms (lower case, ``_`` for anything not a letter or digit),
so ``"Nama Perpustakaan"``, ``"nama perpustakaan"`` and ``"NAMA_PERPUSTAKAAN"`` are the same header.
The first alias of each column is the Indonesian header the templates use, the second the English one.
docs/imports.md lists them all (a test keeps it in step).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..i18n import pick

KINDS = ("libraries", "meetings", "reports", "awards", "stories", "visits")


@dataclass(frozen=True)
class Column:
    name: str
    aliases: tuple[str, ...]
    required: bool = False


# Columns that say which library a row is about (every kind but ``libraries``): an id, or district and name.
LIBRARY_ID = Column("library_id", ("id_perpustakaan", "library_id", "id_perpus", "kode_perpustakaan"))
LIBRARY_NAME = Column("library_name", ("nama_perpustakaan", "library_name", "perpustakaan", "library", "nama", "name"))
DISTRICT = Column(
    "district",
    (
        "kabupaten_kota",
        "district",
        "kab_kota",
        "kabupaten",
        "kota_kabupaten",
        "kode_kabupaten",
        "kode_kabupaten_kota",
        "kode_kab_kota",
        "district_code",
        "regency",
    ),
)
CYCLE = Column("cycle_id", ("siklus", "cycle", "cycle_id", "siklus_plm", "periode", "period"))
MEETING_ID = Column("meeting_id", ("id_plm", "meeting_id", "id_pertemuan", "plm_id", "id_meeting"))
LEVEL = Column("level", ("tingkat", "level", "tingkat_plm", "jenis_plm"))
REGION = Column("region", ("wilayah", "region", "kode_wilayah", "region_code", "wilayah_plm"))
START_DATE = Column("start_date", ("tanggal_mulai", "start_date", "tanggal_plm", "tgl_mulai", "mulai", "date_start"))

COLUMNS: dict[str, tuple[Column, ...]] = {
    "libraries": (
        Column("id", ("id", "library_id", "id_perpustakaan", "kode_perpustakaan")),
        Column("name", ("nama_perpustakaan", "name", "nama", "library_name", "perpustakaan", "library"), True),
        Column("tier", ("jenjang", "tier", "jenis_perpustakaan", "tingkat", "jenis", "type"), True),
        Column("district", DISTRICT.aliases, True),
        Column("subdistrict", ("kecamatan", "subdistrict", "kapanewon", "kemantren")),
        Column("village", ("desa", "village", "kelurahan", "desa_kelurahan")),
        Column("cohort", ("angkatan", "cohort", "kohort", "gelombang")),
        Column("joined_cycle", ("siklus_bergabung", "joined_cycle", "bergabung", "joined", "mulai_bergabung")),
        Column("left_cycle", ("siklus_keluar", "left_cycle", "keluar", "left")),
    ),
    "meetings": (
        MEETING_ID,
        CYCLE,
        LEVEL,
        REGION,
        START_DATE,
        Column("end_date", ("tanggal_selesai", "end_date", "tgl_selesai", "selesai", "date_end")),
        Column("city", ("kota_pelaksanaan", "city", "kota_plm", "lokasi_kota")),
        Column("venue", ("tempat", "venue", "lokasi", "tempat_plm")),
        Column("title", ("judul", "title", "nama_plm", "nama_pertemuan", "nama_kegiatan")),
        LIBRARY_ID,
        LIBRARY_NAME,
        DISTRICT,
        Column("attendees", ("jumlah_peserta", "attendees", "peserta", "jumlah_hadir", "hadir", "participants")),
        Column(
            "attendees_female",
            ("peserta_perempuan", "attendees_female", "perempuan", "jumlah_perempuan", "female", "women"),
        ),
        Column("presented", ("presentasi", "presented", "mempresentasikan", "presentation")),
        Column("lapak", ("lapak", "booth", "stand")),
    ),
    "reports": (
        LIBRARY_ID,
        LIBRARY_NAME,
        DISTRICT,
        Column("cycle_id", CYCLE.aliases, True),
        Column("indicator_code", ("indikator", "indicator", "kode_indikator", "indicator_code")),
        Column("value", ("nilai", "value", "angka", "jumlah")),
        Column(
            "submitted_on",
            ("tanggal_lapor", "submitted_on", "tanggal_laporan", "tanggal_kirim", "dikirim", "submitted", "tgl_lapor"),
        ),
    ),
    "awards": (
        MEETING_ID,
        CYCLE,
        LEVEL,
        REGION,
        START_DATE,
        LIBRARY_ID,
        LIBRARY_NAME,
        DISTRICT,
        Column("category", ("kategori", "category", "penghargaan", "award"), True),
        Column("rank", ("peringkat", "rank", "juara")),
    ),
    "stories": (
        LIBRARY_ID,
        LIBRARY_NAME,
        DISTRICT,
        Column("cycle_id", CYCLE.aliases, True),
        Column("kind", ("jenis_cerita", "kind", "jenis", "topik", "topic"), True),
        Column("text", ("cerita", "text", "teks", "isi", "story"), True),
        Column("link", ("tautan", "link", "url", "bukti", "evidence")),
    ),
    "visits": (
        LIBRARY_ID,
        LIBRARY_NAME,
        DISTRICT,
        Column("visit_date", ("tanggal_kunjungan", "visit_date", "tanggal", "date", "tgl_kunjungan"), True),
        Column("team", ("tim", "team", "tim_kunjungan", "pengunjung", "visited_by")),
        Column("notes", ("catatan", "notes", "keterangan", "note")),
    ),
}

# Columns people add that the import does not need: never an error, never read.
IGNORED = frozenset(
    {
        "no",
        "nomor",
        "no_urut",
        "number",
        "nr",
        "provinsi",
        "province",
        "nama_provinsi",
        "kecamatan",
        "subdistrict",
        "kapanewon",
        "desa",
        "village",
        "kelurahan",
        "jenjang",
        "tier",
        "jenis_perpustakaan",
        "nama_indikator",
        "indicator_name",
        "satuan",
        "unit",
        "keterangan",
        "catatan",
        "notes",
    }
)


def alias_map(kind: str) -> dict[str, str]:
    """header key -> column name for ``kind`` (the first column that claims an alias keeps it)."""
    out: dict[str, str] = {}
    for column in COLUMNS[kind]:
        for alias in column.aliases:
            out.setdefault(alias, column.name)
    return out


def template_headers(kind: str, lang: str = "id") -> list[str]:
    """The headers a template of ``kind`` carries: the Indonesian (or English) alias of each column."""
    return [pick(c.aliases, lang) for c in COLUMNS[kind]]
