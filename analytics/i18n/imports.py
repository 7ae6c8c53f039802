"""Catalog entries of the import feature (merged into ``analytics.i18n.CATALOG``; keys start with ``import.``).

``import.reason.<reason>`` explains one problem (placeholders filled from the problem), and
``import.reason.<reason>.short`` names the reason in the counts per reason.
"""

# reason -> (id, en, short id, short en)
_REASONS: dict[str, tuple[str, str, str, str]] = {
    # the file as a whole
    "empty_file": (
        "Berkas kosong: tidak ada data.",
        "The file is empty: there is no data.",
        "Berkas kosong",
        "Empty file",
    ),
    "too_large": (
        "Berkas terlalu besar ({value} byte); batasnya {limit} MB.",
        "The file is too large ({value} bytes); the limit is {limit} MB.",
        "Berkas terlalu besar",
        "File too large",
    ),
    "too_many_rows": (
        "Terlalu banyak baris ({value}); batasnya {limit} baris per berkas. Bagi berkasnya.",
        "Too many rows ({value}); the limit is {limit} rows per file. Split the file.",
        "Terlalu banyak baris",
        "Too many rows",
    ),
    "wrong_type": (
        "Jenis berkas tidak didukung ({value}). Unggah .xlsx atau .csv.",
        "File type not supported ({value}). Upload an .xlsx or a .csv file.",
        "Jenis berkas salah",
        "Wrong file type",
    ),
    "password_protected": (
        "Buku kerja dilindungi kata sandi. Buka di Excel, hapus kata sandinya, simpan, lalu unggah lagi.",
        "The workbook is password-protected. Open it in Excel, remove the password, save it and upload it again.",
        "Dilindungi kata sandi",
        "Password-protected",
    ),
    "old_excel": (
        "Format Excel lama (.xls). Buka di Excel dan simpan sebagai .xlsx.",
        "Old Excel format (.xls). Open it in Excel and save it as .xlsx.",
        "Format .xls lama",
        "Old .xls format",
    ),
    "macros": (
        "Buku kerja berisi makro (.xlsm). Simpan sebagai .xlsx tanpa makro.",
        "The workbook contains macros (.xlsm). Save it as .xlsx without macros.",
        "Berisi makro",
        "Contains macros",
    ),
    "external_links": (
        "Buku kerja berisi tautan ke berkas lain. Salin sebagai nilai (Tempel Khusus > Nilai) lalu simpan lagi.",
        "The workbook links to other files. Copy the cells as values (Paste Special > Values) and save again.",
        "Tautan eksternal",
        "External links",
    ),
    "zip_bomb": (
        "Isi buku kerja terlalu besar setelah dibuka ({value} byte); berkas ditolak.",
        "The workbook unpacks to too much data ({value} bytes); the file is refused.",
        "Isi terlalu besar",
        "Unpacks too large",
    ),
    "corrupt": (
        "Berkas rusak atau tidak dapat dibaca ({value}).",
        "The file is damaged or cannot be read ({value}).",
        "Berkas rusak",
        "Damaged file",
    ),
    "sheet_missing": (
        'Lembar "{value}" tidak ada. Lembar yang ada: {sheets}.',
        'There is no sheet "{value}". Sheets in the file: {sheets}.',
        "Lembar tidak ada",
        "Sheet missing",
    ),
    "no_header": (
        "Tidak ditemukan baris judul kolom untuk data {kind}. Kolom yang diharapkan antara lain: "
        "{expected}. Pakai templat.",
        "No header row found for {kind} data. Expected columns include: {expected}. Use the template.",
        "Judul kolom tidak ditemukan",
        "No header row",
    ),
    "no_rows": (
        "Ada judul kolom tetapi tidak ada baris data.",
        "There is a header row but no data rows.",
        "Tidak ada baris data",
        "No data rows",
    ),
    # the header
    "duplicate_column": ("Kolom ini muncul dua kali.", "This column appears twice.", "Kolom ganda", "Duplicate column"),
    "unknown_indicator": (
        "Kode indikator tidak dikenal. Lihat daftar indikator di lembar Petunjuk templat.",
        "Unknown indicator code. See the indicator list on the template's Instructions sheet.",
        "Indikator tidak dikenal",
        "Unknown indicator",
    ),
    # cells
    "required": ("Wajib diisi.", "Required: this cell is empty.", "Sel wajib kosong", "Required cell empty"),
    "not_a_number": ("Bukan angka.", "Not a number.", "Bukan angka", "Not a number"),
    "not_an_integer": (
        "Harus bilangan bulat.",
        "Must be a whole number.",
        "Bukan bilangan bulat",
        "Not a whole number",
    ),
    "negative": ("Tidak boleh negatif.", "Cannot be negative.", "Angka negatif", "Negative number"),
    "below_one": ("Harus 1 atau lebih.", "Must be 1 or more.", "Kurang dari 1", "Less than 1"),
    "bad_date": (
        "Tanggal tidak terbaca. Tulis seperti 05/07/2018 atau 5 Juli 2018.",
        "Date not understood. Write it like 05/07/2018 or 5 July 2018.",
        "Tanggal tidak terbaca",
        "Unreadable date",
    ),
    "bad_cycle": (
        "Siklus tidak terbaca. Tulis tahun-termin, misalnya 2018-2.",
        "Cycle not understood. Write year-term, e.g. 2018-2.",
        "Siklus tidak terbaca",
        "Unreadable cycle",
    ),
    "unknown_cycle": (
        "Siklus ini tidak ada di basis data.",
        "This cycle is not in the database.",
        "Siklus tidak dikenal",
        "Unknown cycle",
    ),
    "unknown_library": (
        "Tidak ada perpustakaan dengan id ini.",
        "There is no library with this id.",
        "Id perpustakaan tidak dikenal",
        "Unknown library id",
    ),
    "unknown_library_name": (
        "Tidak ada perpustakaan dengan nama ini di kabupaten/kota tersebut.",
        "There is no library of this name in that district.",
        "Nama perpustakaan tidak dikenal",
        "Unknown library name",
    ),
    "ambiguous_library": (
        "Beberapa perpustakaan bernama sama; isi kolom kabupaten/kota atau id perpustakaan.",
        "Several libraries have this name; fill in the district or the library id.",
        "Nama perpustakaan ganda",
        "Ambiguous library name",
    ),
    "library_missing": (
        "Perpustakaan tidak disebut: isi id perpustakaan, atau nama dan kabupaten/kota.",
        "No library given: fill in the library id, or its name and district.",
        "Perpustakaan tidak disebut",
        "No library given",
    ),
    "unknown_district": (
        "Kabupaten/kota tidak dikenal. Tulis kode (34.03) atau nama (Gunungkidul).",
        "Unknown district. Write its code (34.03) or name (Gunungkidul).",
        "Kabupaten/kota tidak dikenal",
        "Unknown district",
    ),
    "ambiguous_district": (
        'Nama ini dipakai kabupaten dan kota; tulis "Kabupaten {value}" atau "Kota {value}", atau kodenya.',
        'Both a regency and a city have this name; write "Kabupaten {value}" or "Kota {value}", or the code.',
        "Kabupaten/kota ambigu",
        "Ambiguous district",
    ),
    "unknown_province": (
        "Provinsi tidak dikenal. Tulis kode (34) atau nama.",
        "Unknown province. Write its code (34) or name.",
        "Provinsi tidak dikenal",
        "Unknown province",
    ),
    "unknown_tier": (
        "Jenjang tidak dikenal. Pakai Provinsi, Kab/Kota, Desa atau TBM.",
        "Unknown tier. Use Provinsi, Kab/Kota, Desa or TBM.",
        "Jenjang tidak dikenal",
        "Unknown tier",
    ),
    "unknown_level": (
        "Tingkat PLM tidak dikenal. Pakai Kabupaten, Provinsi atau Nasional.",
        "Unknown PLM level. Use Kabupaten, Provinsi or Nasional.",
        "Tingkat tidak dikenal",
        "Unknown level",
    ),
    "unknown_meeting": (
        "PLM ini tidak ada di basis data.",
        "This PLM is not in the database.",
        "PLM tidak dikenal",
        "Unknown PLM",
    ),
    "ambiguous_meeting": (
        "Ada beberapa PLM dengan siklus, tingkat dan wilayah ini; isi id PLM atau tanggal mulai.",
        "Several PLMs have this cycle, level and region; fill in the PLM id or the start date.",
        "PLM ambigu",
        "Ambiguous PLM",
    ),
    "unknown_story_kind": (
        "Jenis cerita tidak dikenal. Pakai Pencapaian, Hambatan, Tantangan atau Inovasi.",
        "Unknown story kind. Use Achievement, Obstacle, Challenge or Innovation.",
        "Jenis cerita tidak dikenal",
        "Unknown story kind",
    ),
    "bad_flag": ("Tulis Ya/Tidak atau 1/0.", "Write Yes/No or 1/0.", "Bukan ya/tidak", "Not yes/no"),
    "bad_link": (
        "Tautan harus diawali http:// atau https://.",
        "A link must start with http:// or https://.",
        "Tautan tidak sah",
        "Invalid link",
    ),
    "duplicate_in_file": (
        "Baris ganda: sama dengan baris {first} di berkas ini.",
        "Duplicate row: the same as row {first} of this file.",
        "Baris ganda dalam berkas",
        "Duplicate in file",
    ),
    "meeting_conflict": (
        "Baris-baris PLM yang sama berbeda isinya di kolom ini.",
        "Rows of the same PLM disagree in this column.",
        "Data PLM bertentangan",
        "Conflicting PLM details",
    ),
    "left_before_joined": (
        "Siklus keluar lebih awal dari siklus bergabung ({joined}).",
        "Left before it joined ({joined}).",
        "Keluar sebelum bergabung",
        "Left before joining",
    ),
    "name_taken": (
        "Nama ini sudah dipakai perpustakaan lain di kabupaten/kota yang sama (id {other}).",
        "Another library in the same district already has this name (id {other}).",
        "Nama sudah dipakai",
        "Name already taken",
    ),
    "end_before_start": (
        "Tanggal selesai sebelum tanggal mulai ({start}).",
        "Ends before it starts ({start}).",
        "Selesai sebelum mulai",
        "Ends before start",
    ),
    "date_outside_cycle": (
        "Tanggal di luar siklus {cycle}.",
        "Date outside cycle {cycle}.",
        "Tanggal di luar siklus",
        "Date outside cycle",
    ),
    "date_outside_cycles": (
        "Tanggal di luar semua siklus program di basis data.",
        "Date outside every program cycle in the database.",
        "Tanggal di luar program",
        "Date outside the program",
    ),
    "submitted_before_cycle": (
        "Tanggal lapor sebelum siklus {cycle} dimulai.",
        "Submitted before cycle {cycle} began.",
        "Dilaporkan sebelum siklus",
        "Submitted before cycle",
    ),
    "date_in_future": ("Tanggal di masa depan.", "Date in the future.", "Tanggal di masa depan", "Future date"),
    "female_exceeds": (
        "Peserta perempuan lebih banyak dari jumlah peserta ({total}).",
        "More women than attendees ({total}).",
        "Perempuan > peserta",
        "Women > attendees",
    ),
    "part_exceeds_whole": (
        "Lebih besar dari jumlah peserta kegiatan ({total}) pada perpustakaan dan siklus yang sama.",
        "Larger than the activity participants ({total}) of the same library and cycle.",
        "Bagian > keseluruhan",
        "Part > whole",
    ),
    # the signed-in officer's area (importing/scope.py)
    "outside_area": (
        "Baris ini tentang {area}, di luar wilayah Anda ({areas}). Hanya petugas wilayah itu atau "
        "admin nasional yang dapat mengubahnya; hapus baris ini dari berkas.",
        "This row is about {area}, outside your area ({areas}). Only that area's officer or a "
        "national admin can change it; remove the row from the file.",
        "Di luar wilayah Anda",
        "Outside your area",
    ),
    "national_meeting": (
        "Hanya admin nasional yang dapat menambah atau mengubah PLM tingkat nasional.",
        "Only a national admin can add or change a national PLM.",
        "PLM nasional: khusus admin",
        "National PLM: admins only",
    ),
    "may_not_import": (
        "Akun {value} (peran {role}) tidak boleh mengimpor data.",
        "The account {value} (role {role}) may not import data.",
        "Tidak berhak mengimpor",
        "May not import",
    ),
}

MESSAGES: dict[str, dict[str, str]] = {}
for _reason, (_id, _en, _sid, _sen) in _REASONS.items():
    MESSAGES[f"import.reason.{_reason}"] = {"id": _id, "en": _en}
    MESSAGES[f"import.reason.{_reason}.short"] = {"id": _sid, "en": _sen}

MESSAGES.update(
    {
        # outcomes
        "import.done": {
            "id": "Impor {id} selesai: {rows} baris ditulis.",
            "en": "Import {id} done: {rows} rows written.",
        },
        "import.duplicate": {
            "id": "Berkas yang sama sudah diimpor (impor {id}); tidak ada yang diubah.",
            "en": "This same file was already imported (import {id}); nothing was changed.",
        },
        "import.failed": {
            "id": "Impor gagal; basis data tidak berubah. ({error})",
            "en": "The import failed; the database is unchanged. ({error})",
        },
        "import.rejected": {
            "id": "Berkas ditolak: {count} masalah. Tidak ada yang ditulis.",
            "en": "File rejected: {count} problem(s). Nothing was written.",
        },
        "import.dry_run_ok": {
            "id": "Berkas valid (uji coba, tidak ada yang ditulis).",
            "en": "The file is valid (dry run, nothing written).",
        },
        "import.undo.done": {
            "id": "Impor {id} dibatalkan ({rows} baris dikembalikan).",
            "en": "Import {id} undone ({rows} rows restored).",
        },
        "import.undo.unknown": {"id": "Tidak ada impor {id}.", "en": "There is no import {id}."},
        "import.undo.not_done": {
            "id": "Impor {id} berstatus {status}; hanya impor yang selesai dapat dibatalkan.",
            "en": "Import {id} is {status}; only a done import can be undone.",
        },
        "import.undo.later": {
            "id": "Impor {id} tidak dapat dibatalkan: impor berikutnya ({later}) mengubah baris yang "
            "sama. Batalkan itu dulu.",
            "en": "Import {id} cannot be undone: a later import ({later}) changed the same rows. Undo that first.",
        },
        "import.undo.depends": {
            "id": "Impor {id} tidak dapat dibatalkan: data lain kini merujuk baris yang ditambahkannya "
            "(mis. laporan untuk perpustakaan baru). Batalkan impor itu dulu.",
            "en": "Import {id} cannot be undone: other data now refers to rows it added (e.g. "
            "reports of a new library). Undo that import first.",
        },
        "import.undo.outside_area": {
            "id": "Impor {id} tidak dapat Anda batalkan: impor itu mengubah data di luar wilayah "
            "Anda ({areas}): {outside}. Minta admin nasional untuk membatalkannya.",
            "en": "You cannot undo import {id}: it changed data outside your area ({areas}): "
            "{outside}. Ask a national admin to undo it.",
        },
        "import.undo.not_allowed": {
            "id": "Akun {user} tidak boleh membatalkan impor.",
            "en": "The account {user} may not undo imports.",
        },
        # report columns
        "import.col.sheet": {"id": "Lembar", "en": "Sheet"},
        "import.col.row": {"id": "Baris", "en": "Row"},
        "import.col.column": {"id": "Kolom", "en": "Column"},
        "import.col.value": {"id": "Nilai", "en": "Value"},
        "import.col.reason": {"id": "Alasan", "en": "Reason"},
        "import.col.count": {"id": "Jumlah", "en": "Count"},
        "import.col.table": {"id": "Tabel", "en": "Table"},
        "import.col.new": {"id": "Baru", "en": "New"},
        "import.col.changed": {"id": "Berubah", "en": "Changed"},
        "import.col.unchanged": {"id": "Tetap", "en": "Unchanged"},
        # kinds
        "import.kind.libraries": {"id": "Perpustakaan (registri)", "en": "Libraries (registry)"},
        "import.kind.meetings": {"id": "PLM dan kehadiran", "en": "PLMs and attendance"},
        "import.kind.reports": {"id": "Laporan indikator", "en": "Indicator reports"},
        "import.kind.awards": {"id": "Penghargaan", "en": "Awards"},
        "import.kind.stories": {"id": "Cerita", "en": "Stories"},
        "import.kind.visits": {"id": "Kunjungan pemantauan", "en": "Monitoring visits"},
        # the page
        "import.title": {"id": "Impor data", "en": "Import data"},
        "import.intro": {
            "id": "Unggah berkas Excel (.xlsx) atau CSV. Seluruh berkas diperiksa dulu; tidak ada yang "
            "ditulis sebelum Anda menekan Impor, dan impor dapat dibatalkan.",
            "en": "Upload an Excel (.xlsx) or CSV file. The whole file is checked first; nothing is written "
            "before you press Import, and an import can be undone.",
        },
        "import.kind": {"id": "Jenis data", "en": "Kind of data"},
        "import.templates": {"id": "Templat", "en": "Templates"},
        "import.template_xlsx": {"id": "Unduh templat XLSX", "en": "Download XLSX template"},
        "import.template_csv": {"id": "Unduh templat CSV", "en": "Download CSV template"},
        "import.upload": {"id": "Berkas untuk diimpor", "en": "File to import"},
        "import.problems": {"id": "Masalah dalam berkas ({count})", "en": "Problems in the file ({count})"},
        "import.per_reason": {"id": "Jumlah per alasan", "en": "Count per reason"},
        "import.download_report": {"id": "Unduh laporan masalah (CSV)", "en": "Download the problem report (CSV)"},
        "import.preview": {"id": "Pratinjau: yang akan ditulis", "en": "Preview: what will be written"},
        "import.nothing_new": {
            "id": "Semua baris sudah ada dan sama; impor tidak akan mengubah apa pun.",
            "en": "Every row is already there and the same; the import would change nothing.",
        },
        "import.button": {"id": "Impor", "en": "Import"},
        "import.recent": {"id": "Impor terakhir", "en": "Recent imports"},
        "import.undo_button": {"id": "Batalkan impor {id}", "en": "Undo import {id}"},
        "import.none_yet": {"id": "Belum ada impor.", "en": "No imports yet."},
        "import.export": {"id": "Ekspor tabel", "en": "Export a table"},
        "import.export_table": {"id": "Tabel", "en": "Table"},
        "import.export_csv": {"id": "Unduh CSV", "en": "Download CSV"},
        "import.export_xlsx": {"id": "Unduh XLSX", "en": "Download XLSX"},
        "import.export_too_big": {
            "id": "Terlalu banyak baris untuk XLSX ({rows}); pakai CSV.",
            "en": "Too many rows for XLSX ({rows}); use CSV.",
        },
        # sign-in
        "import.signin.title": {"id": "Masuk sebagai petugas data", "en": "Sign in as a data officer"},
        "import.signin.explain": {
            "id": "Halaman ini untuk petugas data yang mengimpor data program.",
            "en": "This page is for data officers who import program data.",
        },
        "import.signin.password": {"id": "Kata sandi", "en": "Password"},
        "import.signin.button": {"id": "Masuk", "en": "Sign in"},
        "import.signin.wrong": {"id": "Kata sandi salah.", "en": "Wrong password."},
        "import.signin.none": {
            "id": "Belum ada kata sandi petugas data yang diatur (st.secrets "
            '"data_officer_password" atau variabel lingkungan PLM_DATA_OFFICER_PASSWORD); '
            "tidak ada yang dapat masuk.",
            "en": 'No data officer password is configured (st.secrets "data_officer_password" or '
            "the environment variable PLM_DATA_OFFICER_PASSWORD); nobody can sign in.",
        },
        "import.signin.oidc": {"id": "Masuk dengan akun organisasi", "en": "Sign in with your organisation account"},
        "import.signout": {"id": "Keluar", "en": "Sign out"},
        "import.signed_in_as": {"id": "Masuk sebagai {user}", "en": "Signed in as {user}"},
        # templates
        "import.tpl.sheet_data": {"id": "Data", "en": "Data"},
        "import.tpl.sheet_help": {"id": "Petunjuk", "en": "Instructions"},
        "import.tpl.intro": {
            "id": "Isi lembar Data mulai baris 2, satu baris per {what}. Baris judul boleh diganti dengan nama kolom "
            "dalam bahasa Inggris atau alias yang tercantum. Angka boleh ditulis 1.234,5; tanggal 05/07/2018 "
            "atau 5 Juli 2018. Sel kosong pada kolom tidak wajib berarti nilai yang ada tidak diubah.",
            "en": "Fill in the Data sheet from row 2, one row per {what}. The header may use the English column names "
            "or any listed alias. Numbers may be written 1,234.5 or 1.234,5; dates 05/07/2018 or 5 July 2018. "
            "An empty cell in an optional column leaves the value already there unchanged.",
        },
        "import.tpl.column": {"id": "Kolom", "en": "Column"},
        "import.tpl.aliases": {"id": "Nama lain yang diterima", "en": "Accepted aliases"},
        "import.tpl.required": {"id": "Wajib", "en": "Required"},
        "import.tpl.meaning_id": {"id": "Keterangan", "en": "Keterangan (Bahasa Indonesia)"},
        "import.tpl.meaning_en": {"id": "Description (English)", "en": "Description"},
        "import.tpl.yes": {"id": "ya", "en": "yes"},
        "import.tpl.values": {"id": "Nilai yang diterima", "en": "Accepted values"},
        "import.tpl.row.libraries": {"id": "perpustakaan", "en": "library"},
        "import.tpl.row.meetings": {
            "id": "perpustakaan peserta PLM (atau satu PLM)",
            "en": "library attending a PLM (or one PLM)",
        },
        "import.tpl.row.reports": {
            "id": "perpustakaan dan siklus (satu kolom per indikator)",
            "en": "library and cycle (one column per indicator)",
        },
        "import.tpl.row.awards": {"id": "penghargaan", "en": "award"},
        "import.tpl.row.stories": {"id": "cerita", "en": "story"},
        "import.tpl.row.visits": {"id": "kunjungan", "en": "visit"},
    }
)

# Column descriptions for the templates' instructions sheet: column -> (id, en).
COLUMN_HELP: dict[str, tuple[str, str]] = {
    "id": (
        "Id perpustakaan di dasbor; kosongkan untuk perpustakaan baru.",
        "The library's id in the dashboard; leave empty for a new library.",
    ),
    "name": ("Nama perpustakaan.", "The library's name."),
    "tier": ("Provinsi, Kab/Kota, Desa atau TBM.", "Provinsi, Kab/Kota, Desa or TBM."),
    "district": (
        "Kode (34.03) atau nama kabupaten/kota (Gunungkidul, Kota Yogyakarta).",
        "District code (34.03) or name (Gunungkidul, Kota Yogyakarta).",
    ),
    "subdistrict": ("Kecamatan/kapanewon.", "Subdistrict (kecamatan)."),
    "village": ("Desa/kelurahan.", "Village."),
    "cohort": ("Gelombang program, mis. ekspansi_2016.", "Program wave, e.g. ekspansi_2016."),
    "joined_cycle": ("Siklus bergabung, mis. 2016-1.", "Cycle it joined, e.g. 2016-1."),
    "left_cycle": ("Siklus terakhir sebagai mitra (jika keluar).", "Last cycle as a partner (if it left)."),
    "meeting_id": (
        "Id PLM di dasbor; kosongkan untuk PLM baru.",
        "The PLM's id in the dashboard; empty for a new PLM.",
    ),
    "cycle_id": ("Siklus tahun-termin, mis. 2018-2.", "Cycle as year-term, e.g. 2018-2."),
    "level": ("Kabupaten, Provinsi atau Nasional.", "Kabupaten, Provinsi or Nasional."),
    "region": (
        "Kabupaten/kota (PLM kabupaten) atau provinsi (PLM provinsi); kosong untuk nasional.",
        "District (district PLM) or province (provincial PLM); empty for national.",
    ),
    "start_date": ("Tanggal mulai, mis. 05/07/2018.", "Start date, e.g. 05/07/2018."),
    "end_date": ("Tanggal selesai (kosong: sama dengan mulai).", "End date (empty: same as start)."),
    "city": ("Kota tempat PLM.", "City of the PLM."),
    "venue": ("Tempat PLM.", "Venue."),
    "title": ("Judul PLM.", "Title of the PLM."),
    "library_id": ("Id perpustakaan; atau isi nama dan kabupaten/kota.", "Library id; or give its name and district."),
    "library_name": ("Nama perpustakaan (bersama kabupaten/kota).", "Library name (with its district)."),
    "attendees": ("Jumlah orang yang dikirim perpustakaan.", "People the library sent."),
    "attendees_female": ("Dari jumlah itu, perempuan.", "Of whom women."),
    "presented": ("Mempresentasikan capaian: Ya/Tidak.", "Presented its achievements: Yes/No."),
    "lapak": ("Membuka lapak: Ya/Tidak.", "Ran a booth (lapak): Yes/No."),
    "indicator_code": ("Kode indikator (format panjang).", "Indicator code (long format)."),
    "value": ("Nilai indikator (format panjang).", "Indicator value (long format)."),
    "submitted_on": ("Tanggal laporan daring dikirim.", "Date the online report was submitted."),
    "category": ("Kategori penghargaan.", "Award category."),
    "rank": ("Peringkat (1 = juara).", "Rank (1 = winner)."),
    "kind": ("Pencapaian, Hambatan, Tantangan atau Inovasi.", "Achievement, Obstacle, Challenge or Innovation."),
    "text": ("Isi cerita.", "The story."),
    "link": ("Tautan bukti (http...).", "Link to evidence (http...)."),
    "visit_date": ("Tanggal kunjungan.", "Date of the visit."),
    "team": ("Tim yang berkunjung.", "Team that visited."),
    "notes": ("Catatan.", "Notes."),
}
