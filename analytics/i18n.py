"""One message catalog in Bahasa Indonesia (default) and English, and number/date formatting per language.

Every text the interface shows comes from ``CATALOG`` through ``t``; tests fail when a key lacks either
language. Numbers follow the language: 1.234,5 in Indonesian, 1,234.5 in English.
"""

from __future__ import annotations

import datetime as dt
import math

from . import messages_import

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"

MONTHS = {
    "id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
           "November", "Desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}

CATALOG: dict[str, dict[str, str]] = {
    # app and navigation
    "app.title": {"id": "Dasbor PLM Perpustakaan", "en": "Library PLM dashboard"},
    "app.subtitle": {"id": "Peer Learning Meeting perpustakaan umum — PerpuSeru / TPBIS",
                     "en": "Public library Peer Learning Meetings — PerpuSeru / TPBIS"},
    "app.building_demo": {"id": "Membangun basis data demo (skala seed) untuk awal pertama…",
                          "en": "Building the demo database (seed scale) for the first start…"},
    "app.demo_built": {"id": "Basis data demo siap: {path}", "en": "Demo database ready: {path}"},
    "app.demo_notice": {"id": "Data demo (skala {scale}, seed {seed}): angka hasil simulasi, bukan data program.",
                        "en": "Demo data ({scale} scale, seed {seed}): simulated figures, not program data."},
    "app.no_database": {"id": "Basis data tidak dapat dibaca: {path} ({reason}).",
                        "en": "The database cannot be read: {path} ({reason})."},
    "nav.overview": {"id": "Ringkasan", "en": "Overview"},
    "lang.label": {"id": "Bahasa", "en": "Language"},
    # landing / overview headline numbers
    "overview.headline": {"id": "Angka utama program", "en": "The program in numbers"},
    "overview.libraries": {"id": "Perpustakaan mitra", "en": "Partner libraries"},
    "overview.provinces": {"id": "Provinsi", "en": "Provinces"},
    "overview.districts": {"id": "Kabupaten/kota", "en": "Districts/cities"},
    "overview.meetings": {"id": "PLM diselenggarakan", "en": "PLMs held"},
    "overview.cycles": {"id": "Siklus PLM", "en": "PLM cycles"},
    "overview.reports": {"id": "Nilai laporan", "en": "Report values"},
    "overview.by_tier": {"id": "Perpustakaan mitra per jenjang", "en": "Partner libraries by tier"},
    "overview.period": {"id": "Siklus {first} sampai {last}", "en": "Cycles {first} to {last}"},
    # tiers
    "tier.provinsi": {"id": "Provinsi", "en": "Provincial"},
    "tier.kabupaten_kota": {"id": "Kabupaten/kota", "en": "District/city"},
    "tier.desa": {"id": "Desa", "en": "Village"},
    "tier.tbm": {"id": "TBM", "en": "Community reading garden (TBM)"},
    # strategies
    "strategy.layanan_informasi": {"id": "Layanan informasi", "en": "Information services"},
    "strategy.pelibatan_masyarakat": {"id": "Pelibatan masyarakat", "en": "Community engagement"},
    "strategy.advokasi": {"id": "Advokasi", "en": "Advocacy"},
    "strategy.pelaporan": {"id": "Pelaporan dan dokumentasi", "en": "Reporting and documentation"},
    # meeting levels
    "level.kabupaten": {"id": "Kabupaten/kota", "en": "District"},
    "level.provinsi": {"id": "Provinsi", "en": "Provincial"},
    "level.nasional": {"id": "Nasional", "en": "National"},
    # story kinds
    "story.achievement": {"id": "Pencapaian", "en": "Achievement"},
    "story.obstacle": {"id": "Hambatan", "en": "Obstacle"},
    "story.challenge": {"id": "Tantangan", "en": "Challenge"},
    "story.innovation": {"id": "Inovasi", "en": "Innovation"},
    # award categories
    "award.perpustakaan_daerah_terbaik": {"id": "Perpustakaan Daerah Terbaik", "en": "Best regional library"},
    "award.perpustakaan_desa_terbaik": {"id": "Perpustakaan Desa Terbaik", "en": "Best village library"},
    "award.video_dampak": {"id": "Lomba Video Dampak Perpustakaan", "en": "Library impact video competition"},
    "award.lapak_terbaik": {"id": "Lapak Terbaik", "en": "Best booth (lapak)"},
}


def _merge(*parts: dict[str, dict[str, str]]) -> None:
    """Add feature catalogs kept in their own modules; a key defined twice is a bug."""
    for part in parts:
        clash = CATALOG.keys() & part.keys()
        if clash:
            raise KeyError(f"catalog keys defined twice: {sorted(clash)}")
        CATALOG.update(part)


_merge(messages_import.MESSAGES)


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values) -> str:
    """The text for ``key`` in ``lang`` with ``{placeholders}`` filled; an unknown key shows itself."""
    entry = CATALOG.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    return text.format(**values) if values else text


def _separators(lang: str) -> tuple[str, str]:
    return (".", ",") if lang == "id" else (",", ".")


def fmt_number(value, lang: str = DEFAULT_LANGUAGE, decimals: int = 0) -> str:
    """``1234.5`` -> ``1.234,5`` (id) or ``1,234.5`` (en); missing values -> an en dash."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    thousands, decimal = _separators(lang)
    text = f"{float(value):,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", decimal).replace("\x00", thousands)


def fmt_percent(fraction, lang: str = DEFAULT_LANGUAGE, decimals: int = 1) -> str:
    """A fraction as a percentage: ``0.8765`` -> ``87,7%`` (id) or ``87.7%`` (en)."""
    if fraction is None or (isinstance(fraction, float) and math.isnan(fraction)):
        return "–"
    return fmt_number(100 * fraction, lang, decimals) + "%"


def fmt_rupiah(value, lang: str = DEFAULT_LANGUAGE) -> str:
    return "Rp " + fmt_number(value, lang, 0) if value is not None else "–"


def fmt_date(value: dt.date | str | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """``2018-07-05`` -> ``5 Juli 2018`` (id) or ``5 July 2018`` (en)."""
    if value is None or value == "":
        return "–"
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return f"{value.day} {MONTHS[lang if lang in MONTHS else DEFAULT_LANGUAGE][value.month - 1]} {value.year}"
