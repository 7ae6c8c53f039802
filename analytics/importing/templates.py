"""Downloadable import templates: an XLSX with a Data sheet and bilingual instructions, and a CSV.

The CSV is what Indonesian-locale Excel reads by double-click: ``;``-separated, UTF-8 with a BOM.
"""

from __future__ import annotations

import io

import openpyxl
from openpyxl.styles import Font

from .. import store
from ..i18n import t
from ..i18n.imports import COLUMN_HELP
from ..reference import INDICATORS
from .columns import COLUMNS, KINDS

# Reports templates come wide: one column per indicator code after the library and cycle columns.
_REPORT_BASE = ("library_id", "library_name", "district", "cycle_id", "submitted_on")


def headers(kind: str) -> list[str]:
    """The Indonesian headers of the template's Data sheet."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    columns = {c.name: c for c in COLUMNS[kind]}
    if kind == "reports":
        return [columns[n].aliases[0] for n in _REPORT_BASE] + [i.code for i in INDICATORS]
    return [c.aliases[0] for c in COLUMNS[kind]]


def csv(kind: str) -> bytes:
    return (";".join(headers(kind)) + "\r\n").encode("utf-8-sig")


def _accepted_values(kind: str) -> list[tuple[str, str]]:
    values = []
    if kind == "libraries":
        values.append(("jenjang / tier", "Provinsi, Kab/Kota, Desa, TBM"))
    if kind in ("meetings", "awards"):
        values.append(("tingkat / level", ", ".join(store.MEETING_LEVELS)))
    if kind == "stories":
        values.append(
            ("jenis_cerita / kind", "Pencapaian, Hambatan, Tantangan, Inovasi / " + ", ".join(store.STORY_KINDS))
        )
    if kind == "awards":
        values.append(
            (
                "kategori / category",
                "perpustakaan_daerah_terbaik, perpustakaan_desa_terbaik, video_dampak, lapak_terbaik",
            )
        )
    return values


def xlsx(kind: str) -> bytes:
    """A workbook with an empty Data sheet (header only) and an instructions sheet in both languages."""
    book = openpyxl.Workbook()
    data = book.active
    data.title = t("import.tpl.sheet_data", "id")
    data.append(headers(kind))
    for cell in data[1]:
        cell.font = Font(bold=True)
    data.freeze_panes = "A2"
    help_sheet = book.create_sheet(f"{t('import.tpl.sheet_help', 'id')} - {t('import.tpl.sheet_help', 'en')}")
    what = {lang: t(f"import.tpl.row.{kind}", lang) for lang in ("id", "en")}
    help_sheet.append([t("import.tpl.intro", "id", what=what["id"])])
    help_sheet.append([t("import.tpl.intro", "en", what=what["en"])])
    help_sheet.append([])
    titles = ["import.tpl.column", "import.tpl.aliases", "import.tpl.required"]
    help_sheet.append(
        [f"{t(k, 'id')} / {t(k, 'en')}" for k in titles]
        + [t("import.tpl.meaning_id", "id"), t("import.tpl.meaning_en", "en")]
    )
    for cell in help_sheet[help_sheet.max_row]:
        cell.font = Font(bold=True)
    for column in COLUMNS[kind]:
        help_id, help_en = COLUMN_HELP.get(column.name, ("", ""))
        help_sheet.append(
            [column.aliases[0], ", ".join(column.aliases[1:]), "ya / yes" if column.required else "", help_id, help_en]
        )
    if kind == "reports":
        help_sheet.append([])
        help_sheet.append(["indikator / indicator", "", "", "", ""])
        for cell in help_sheet[help_sheet.max_row]:
            cell.font = Font(bold=True)
        for i in INDICATORS:
            help_sheet.append(
                [i.code, f"{i.name_id}; {i.name_en}", "", f"{i.name_id} ({i.unit})", f"{i.name_en} ({i.unit})"]
            )
    values = _accepted_values(kind)
    if values:
        help_sheet.append([])
        help_sheet.append([f"{t('import.tpl.values', 'id')} / {t('import.tpl.values', 'en')}"])
        for name, accepted in values:
            help_sheet.append([name, accepted])
    for letter, width in zip("ABCDE", (24, 48, 12, 60, 60)):
        help_sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
