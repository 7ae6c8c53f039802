"""One message catalog in Bahasa Indonesia (default) and English, and number/date formatting per language.

Every text the interface shows comes from ``CATALOG`` through ``t``; tests fail when a key lacks either
language. Numbers follow the language: 1.234,5 in Indonesian, 1,234.5 in English.
"""

from __future__ import annotations

import datetime as dt
import math

from . import deck, imports

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"

MONTHS = {
    "id": (
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}

CATALOG: dict[str, dict[str, str]] = {
    # app and navigation
    "app.title": {"id": "Dasbor PLM Perpustakaan", "en": "Library PLM dashboard"},
    "app.subtitle": {
        "id": "Peer Learning Meeting perpustakaan umum — PerpuSeru / TPBIS",
        "en": "Public library Peer Learning Meetings — PerpuSeru / TPBIS",
    },
    "app.building_demo": {
        "id": "Membangun basis data demo (skala seed) untuk awal pertama…",
        "en": "Building the demo database (seed scale) for the first start…",
    },
    "app.demo_built": {"id": "Basis data demo siap: {path}", "en": "Demo database ready: {path}"},
    "app.demo_notice": {
        "id": "Data demo (skala {scale}, seed {seed}): angka hasil simulasi, bukan data program.",
        "en": "Demo data ({scale} scale, seed {seed}): simulated figures, not program data.",
    },
    "migrate.needed": {
        "id": "Basis data {path} memakai skema lama ({version}). Jalankan: python -m analytics migrate --db {path}",
        "en": "The database {path} has an older schema ({version}). Run: python -m analytics migrate --db {path}",
    },
    "app.empty_database": {
        "id": "Basis data {path} belum berisi data PLM. Impor data (halaman Impor data, atau python -m analytics "
        "import), atau buat data demo: python -m analytics demo --db {path}",
        "en": "The database {path} holds no PLM data yet. Import data (the Import data page, or python -m analytics "
        "import), or build demo data: python -m analytics demo --db {path}",
    },
    "app.no_database": {
        "id": "Basis data tidak dapat dibaca: {path} ({reason}).",
        "en": "The database cannot be read: {path} ({reason}).",
    },
    "app.database_lost": {
        "id": "Sambungan ke basis data terputus: {path} ({reason}). Muat ulang halaman untuk mencoba lagi.",
        "en": "The connection to the database was lost: {path} ({reason}). Reload the page to try again.",
    },
    "nav.overview": {"id": "Ringkasan", "en": "Overview"},
    "nav.participation": {"id": "Partisipasi", "en": "Participation"},
    "nav.impact": {"id": "Dampak", "en": "Impact"},
    "nav.compare": {"id": "Bandingkan", "en": "Compare"},
    "nav.library": {"id": "Perpustakaan", "en": "Library"},
    "nav.quality": {"id": "Kualitas data", "en": "Data quality"},
    "nav.import": {"id": "Impor data", "en": "Import data"},
    "nav.stories": {"id": "Cerita", "en": "Stories"},
    "nav.awards": {"id": "Penghargaan", "en": "Awards"},
    "nav.present": {"id": "Presentasi", "en": "Presentation"},
    "present.toggle": {"id": "Mode presentasi", "en": "Presentation mode"},
    "present.toggle_help": {
        "id": "Agenda PLM satu layar per slide, huruf besar, untuk proyektor.",
        "en": "The PLM agenda one slide per screen, large type, for a projector.",
    },
    "present.position": {"id": "Slide {n} dari {total}", "en": "Slide {n} of {total}"},
    "present.previous": {"id": "Sebelumnya", "en": "Previous"},
    "present.next": {"id": "Berikutnya", "en": "Next"},
    "present.exit": {"id": "Keluar", "en": "Exit"},
    "present.auto": {"id": "Maju otomatis", "en": "Auto-advance"},
    "present.auto_off": {"id": "mati", "en": "off"},
    "present.keys": {
        "id": "Tombol panah kiri/kanan berpindah slide.",
        "en": "The left/right arrow keys move between slides.",
    },
    "lang.label": {"id": "Bahasa", "en": "Language"},
    # shared words
    "common.cycle": {"id": "Siklus PLM", "en": "PLM cycle"},
    "common.download_csv": {"id": "Unduh CSV", "en": "Download CSV"},
    "common.others": {"id": "Lainnya", "en": "Others"},
    "common.points": {"id": "poin", "en": "points"},
    "common.first_rows": {
        "id": "Menampilkan {shown} baris pertama dari {total}; unduh CSV untuk semuanya.",
        "en": "Showing the first {shown} of {total} rows; download the CSV for all.",
    },
    "common.rate_axis": {"id": "Persentase perpustakaan aktif", "en": "Share of active libraries"},
    # rates with their n, folded regions, cycles without PLM (issue 12)
    "common.no_plm": {"id": "tidak ada PLM", "en": "no PLM held"},
    "common.others_regions": {"id": "Lainnya ({n} {level})", "en": "Others ({n} {level})"},
    "level_plural.province": {"id": "provinsi", "en": "provinces"},
    "level_plural.district": {"id": "kabupaten/kota", "en": "districts"},
    "level_plural.library": {"id": "perpustakaan", "en": "libraries"},
    "common.rate_n": {"id": "{num} dari {n} (n = {n})", "en": "{num} of {n} (n = {n})"},
    "common.few_note": {
        "id": "† Kurang dari {min} perpustakaan: angkanya mudah berayun (satu perpustakaan mengubahnya banyak). "
        "Arahkan kursor untuk melihat n.",
        "en": "† Fewer than {min} libraries: the figure swings easily (one library moves it a lot). Hover to see n.",
    },
    "common.few_cells_note": {
        "id": "† dalam sel: nilainya bertumpu pada kurang dari {min} perpustakaan dan mudah berayun. Arahkan kursor "
        "untuk melihat n.",
        "en": "† in a cell: its value rests on fewer than {min} libraries and swings easily. Hover to see n.",
    },
    "common.few_points_note": {
        "id": "○ Titik kosong: median bertumpu pada kurang dari {min} perpustakaan pelapor dan mudah berayun. "
        "Arahkan kursor untuk melihat n.",
        "en": "○ Hollow point: the median rests on fewer than {min} reporting libraries and swings easily. Hover "
        "to see n.",
    },
    "common.tie_rule": {
        "id": "{top} {level} terbesar (siklus-perpustakaan aktif di rentang ini) ditampilkan sendiri, sisanya "
        'digabung dalam "Lainnya"; jumlah sama: kode wilayah terkecil lebih dulu.',
        "en": "The {top} largest {level} (active library-cycles in the range) are shown on their own, the rest "
        'folded into "Others"; equal sizes: the lowest region code first.',
    },
    "common.no_plm_note": {
        "id": "Abu-abu dengan ×: tidak ada PLM yang bisa dihadiri pada siklus itu (kabupaten/kota, provinsi, "
        "atau nasional); siklus itu tidak dihitung, bukan 0%.",
        "en": "Grey with ×: no PLM the libraries could attend (district, provincial or national) was held in "
        "that cycle; it is left out, not counted as 0%.",
    },
    "common.no_plm_line": {
        "id": 'Garis terputus pada siklus tanpa PLM yang bisa dihadiri ("tidak ada PLM"): siklus itu tidak '
        "dihitung, bukan 0%.",
        "en": 'Lines break at cycles in which no PLM the libraries could attend was held ("no PLM held"): '
        "such a cycle is left out, not counted as 0%.",
    },
    "common.full_table": {"id": "Tabel lengkap: semua {n} {level}", "en": "Full table: all {n} {level}"},
    "col.region": {"id": "Wilayah", "en": "Region"},
    "col.attended_lc": {"id": "Hadir (siklus-perpustakaan)", "en": "Attended (library-cycles)"},
    "col.plm_held_lc": {
        "id": "n: aktif dengan PLM (siklus-perpustakaan)",
        "en": "n: active with a PLM held (library-cycles)",
    },
    "col.active_lc": {"id": "Aktif (siklus-perpustakaan)", "en": "Active (library-cycles)"},
    "col.reported_lc": {"id": "Melapor (siklus-perpustakaan)", "en": "Reported (library-cycles)"},
    "col.rate": {"id": "Tingkat", "en": "Rate"},
    "col.few": {"id": "< {min} perpustakaan", "en": "< {min} libraries"},
    "col.regions": {"id": "Wilayah di dalamnya", "en": "Regions it holds"},
    "col.cycles_with_plm": {"id": "Siklus dengan PLM", "en": "Cycles with a PLM"},
    "col.cycles_no_plm": {"id": "Siklus tanpa PLM", "en": "Cycles without PLM"},
    "col.on_time": {"id": "Tepat waktu", "en": "On time"},
    "col.date_unknown": {"id": "Tanggal tidak diketahui", "en": "Date unknown"},
    "measure.participation": {"id": "Tingkat kehadiran PLM", "en": "PLM attendance rate"},
    "measure.reporting": {"id": "Tingkat pelaporan", "en": "Reporting rate"},
    "measure.indicator": {"id": "Indikator terpilih", "en": "Chosen indicator"},
    "level_name.province": {"id": "provinsi", "en": "province"},
    "level_name.district": {"id": "kabupaten/kota", "en": "district"},
    "level_name.library": {"id": "perpustakaan", "en": "library"},
    "status.green": {"id": "Hijau", "en": "Green"},
    "status.yellow": {"id": "Kuning", "en": "Yellow"},
    "status.red": {"id": "Merah", "en": "Red"},
    # empty selections
    "empty.selection": {
        "id": "Tidak ada perpustakaan aktif untuk pilihan ini. Ubah filter di panel samping.",
        "en": "No active library matches this selection. Change the filters in the sidebar.",
    },
    "empty.movers": {
        "id": "Tidak ada wilayah dengan perubahan (minimal 5 perpustakaan aktif).",
        "en": "No region changed (regions need at least 5 active libraries).",
    },
    "empty.library_reports": {
        "id": "Perpustakaan ini belum pernah mengirim laporan.",
        "en": "This library has not sent a report yet.",
    },
    "empty.indicator": {
        "id": "Belum ada laporan untuk indikator ini pada pilihan ini.",
        "en": "No reports for this indicator in this selection yet.",
    },
    "empty.change": {
        "id": "Perubahan sejak bergabung butuh minimal dua laporan per perpustakaan.",
        "en": "Change since joining needs at least two reports per library.",
    },
    "empty.library_cycles": {
        "id": "Perpustakaan ini belum aktif pada siklus yang dipilih.",
        "en": "This library was not active in the chosen cycles.",
    },
    "empty.awards": {"id": "Belum ada penghargaan.", "en": "No awards yet."},
    "empty.visits": {"id": "Belum ada kunjungan pemantauan.", "en": "No monitoring visits yet."},
    "empty.stories": {"id": "Belum ada cerita.", "en": "No stories yet."},
    # filters
    "filters.all": {"id": "Semua", "en": "All"},
    "filters.all_indonesia": {"id": "Seluruh Indonesia", "en": "All Indonesia"},
    "filters.province": {"id": "Provinsi", "en": "Province"},
    "filters.district": {"id": "Kabupaten/kota", "en": "District/city"},
    "filters.tier": {"id": "Jenjang perpustakaan", "en": "Library tier"},
    "filters.cohort": {"id": "Angkatan program", "en": "Program cohort"},
    "filters.cycles": {"id": "Rentang siklus PLM", "en": "PLM cycle range"},
    "filters.indicator": {"id": "Indikator", "en": "Indicator"},
    "filters.cohort_is": {"id": "angkatan {cohort}", "en": "cohort {cohort}"},
    "filters.cycles_range": {"id": "siklus {first}–{last}", "en": "cycles {first}–{last}"},
    "filters.indicator_is": {"id": "indikator: {indicator}", "en": "indicator: {indicator}"},
    "filters.bad_param": {
        "id": "Parameter tautan '{param}' tidak dikenali ({value}); memakai nilai bawaan.",
        "en": "Link parameter '{param}' not recognised ({value}); using the default.",
    },
    # filters a page does not apply (truth-core: filters.describe); a report without any date
    "filters.not_applied": {
        "id": "tidak berlaku di halaman ini: {filters}",
        "en": "not applied on this page: {filters}",
    },
    "report.date_unknown": {"id": "tanggal tidak diketahui", "en": "date unknown"},
    # overview
    "overview.title": {"id": "Ringkasan", "en": "Overview"},
    "overview.headline_cycle": {"id": "Siklus {cycle}", "en": "Cycle {cycle}"},
    "overview.active": {"id": "Perpustakaan mitra aktif", "en": "Active partner libraries"},
    "overview.attendance_rate": {"id": "Tingkat kehadiran PLM", "en": "PLM attendance rate"},
    "overview.reports": {"id": "Laporan diterima", "en": "Reports received"},
    "overview.visits": {"id": "Kunjungan pemantauan", "en": "Monitoring visits"},
    "overview.activities": {"id": "Kegiatan masyarakat", "en": "Community activities"},
    "overview.participants": {"id": "Peserta kegiatan", "en": "Activity participants"},
    "overview.delta_help": {"id": "Perubahan dibanding siklus {cycle}.", "en": "Change from cycle {cycle}."},
    "overview.trend": {"id": "Tren antarsiklus", "en": "Trend over cycles"},
    "overview.trend_title": {
        "id": "Kehadiran PLM dan pelaporan per siklus",
        "en": "PLM attendance and reporting per cycle",
    },
    "overview.map": {"id": "Peta Indonesia", "en": "Map of Indonesia"},
    "overview.map_measure": {"id": "Warna provinsi menurut", "en": "Shade provinces by"},
    "overview.map_title": {
        "id": "Provinsi pada siklus {cycle}; lingkaran: perpustakaan aktif per kabupaten/kota",
        "en": "Provinces in cycle {cycle}; circles: active libraries per district",
    },
    "overview.map_note": {
        "id": "Peta ini untuk seluruh Indonesia (dengan jenjang, angkatan dan rentang siklus yang dipilih): "
        "sama untuk setiap provinsi atau kabupaten/kota yang dipilih. Provinsi baru tanpa garis batas di data "
        "peta (Kalimantan Utara dan empat provinsi Papua 2022) digambar sebagai lingkaran di titik tengahnya.",
        "en": "This map covers all Indonesia (with the chosen tier, cohort and range of cycles): the same for "
        "every province or district chosen. Newer provinces without an outline in the map data (Kalimantan "
        "Utara and the four 2022 Papua provinces) are drawn as circles at their centre.",
    },
    "overview.bubbles": {"id": "Perpustakaan aktif per kabupaten/kota", "en": "Active libraries per district"},
    "overview.movers": {
        "id": "Naik dan turun terbesar ke siklus {cycle} (tingkat kehadiran)",
        "en": "Biggest risers and fallers into cycle {cycle} (attendance rate)",
    },
    "overview.risers": {"id": "Naik terbesar", "en": "Biggest risers"},
    "overview.fallers": {"id": "Turun terbesar", "en": "Biggest fallers"},
    # participation
    "participation.title": {"id": "Partisipasi PLM", "en": "PLM participation"},
    "participation.by_region": {"id": "Tingkat kehadiran per {level}", "en": "Attendance rate by {level}"},
    "participation.by_region_title": {
        "id": "Kehadiran PLM per {level}, seluruh rentang siklus",
        "en": "PLM attendance by {level}, whole cycle range",
    },
    "participation.drill_hint": {
        "id": "Klik sebuah batang untuk menelusuri ke wilayah itu.",
        "en": "Click a bar to drill down into that region.",
    },
    "participation.library_hint": {
        "id": "Klik sebuah batang untuk memilih perpustakaan itu.",
        "en": "Click a bar to choose that library.",
    },
    "participation.open_profile": {"id": "Buka profil {name}", "en": "Open the profile of {name}"},
    "participation.heatmap": {"id": "Wilayah × siklus", "en": "Region × cycle"},
    "participation.heatmap_title": {
        "id": "Tingkat kehadiran per {level} dan siklus",
        "en": "Attendance rate by {level} and cycle",
    },
    "participation.by_tier": {"id": "Menurut jenjang", "en": "By tier"},
    "participation.by_tier_title": {
        "id": "Tingkat kehadiran per jenjang perpustakaan",
        "en": "Attendance rate by library tier",
    },
    "participation.gender": {"id": "Peserta menurut gender", "en": "Attendees by gender"},
    "participation.gender_title": {"id": "Orang yang hadir di PLM per siklus", "en": "People attending PLMs per cycle"},
    "participation.female": {"id": "Perempuan", "en": "Women"},
    "participation.male": {"id": "Laki-laki", "en": "Men"},
    "participation.people_axis": {"id": "Orang", "en": "People"},
    "participation.continuity": {"id": "Keberlanjutan per perpustakaan", "en": "Continuity per library"},
    "participation.libraries": {"id": "Perpustakaan", "en": "Libraries"},
    "participation.at_risk": {"id": "Berisiko", "en": "At risk"},
    "participation.at_risk_help": {
        "id": "Aktif pada siklus terakhir dan absen pada dua siklus aktif terakhirnya.",
        "en": "Active in the last cycle and missed its last two active cycles.",
    },
    "participation.never": {"id": "Belum pernah hadir", "en": "Never attended"},
    "participation.meetings": {"id": "PLM pada siklus {cycle}", "en": "PLMs in cycle {cycle}"},
    "empty.meetings": {"id": "Tidak ada PLM pada siklus ini di wilayah ini.", "en": "No PLM in this cycle here."},
    "col.level": {"id": "Tingkat", "en": "Level"},
    "col.city": {"id": "Kota", "en": "City"},
    "col.venue": {"id": "Tempat", "en": "Venue"},
    "col.village_libraries": {"id": "Desa/TBM", "en": "Village/TBM"},
    "col.libraries": {"id": "Perpustakaan", "en": "Libraries"},
    "col.attendees": {"id": "Orang hadir", "en": "People"},
    # impact
    "impact.title": {"id": "Dampak", "en": "Impact"},
    "impact.indicator_hint": {
        "id": "pilih indikator lain di panel samping.",
        "en": "choose another indicator in the sidebar.",
    },
    "impact.regions": {"id": "Perbandingan per {level}", "en": "Comparison by {level}"},
    "impact.regions_title": {
        "id": "{indicator}: median per perpustakaan pelapor",
        "en": "{indicator}: median per reporting library",
    },
    "impact.median_axis": {"id": "Median per perpustakaan ({unit})", "en": "Median per library ({unit})"},
    "impact.lines": {"id": "Garis", "en": "Lines"},
    "impact.multiples": {"id": "Panel kecil", "en": "Small multiples"},
    "impact.view": {"id": "Tampilan", "en": "View"},
    "impact.distribution": {
        "id": "Sebaran antarperpustakaan, siklus {cycle}",
        "en": "Distribution across libraries, cycle {cycle}",
    },
    "impact.distribution_title": {"id": "{indicator}", "en": "{indicator}"},
    "impact.libraries_axis": {"id": "Jumlah perpustakaan", "en": "Libraries"},
    "impact.change": {"id": "Perubahan sejak bergabung", "en": "Change since joining"},
    "impact.change_title": {
        "id": "Perubahan dari laporan pertama ke terakhir (median {median})",
        "en": "Change from first to latest report (median {median})",
    },
    "impact.change_axis": {"id": "Perubahan (%)", "en": "Change (%)"},
    "impact.change_note": {
        "id": "Dibatasi −100% sampai +300% agar terbaca; median dihitung dari semua nilai.",
        "en": "Clipped to −100%…+300% for readability; the median uses every value.",
    },
    "impact.scorecard": {
        "id": "Rapor lampu lalu lintas, siklus {cycle}",
        "en": "Traffic-light scorecard, cycle {cycle}",
    },
    "impact.scorecard_title": {"id": "{level} × strategi terhadap target", "en": "{level} × strategy against targets"},
    "impact.scorecard_rule": {
        "id": "Aturan: untuk tiap indikator, median perpustakaan dibagi target (dibatasi {cap}); nilai strategi = "
        "rata-rata indikatornya. ● Hijau ≥ {green}, ▲ kuning ≥ {yellow}, ■ merah di bawahnya.",
        "en": "Rule: for each indicator, the libraries' median divided by the target (capped at {cap}); a "
        "strategy's value is the mean of its indicators. ● Green ≥ {green}, ▲ yellow ≥ {yellow}, ■ red below.",
    },
    "impact.scorecard_of": {"id": "{n} dari {total}", "en": "{n} of {total}"},
    "impact.scorecard_hover": {
        "id": "{status} {value} ({n} dari {total} indikator bernilai)",
        "en": "{status} {value} ({n} of {total} indicators with a value)",
    },
    "impact.scorecard_order": {
        "id": "Semua {level} ditampilkan, terbesar dulu (perpustakaan aktif pada siklus {cycle}; jumlah sama: kode "
        'wilayah terkecil dulu). Nilai dibulatkan ke bawah ke persen utuh agar sesuai warnanya; "1 dari '
        '3": indikator strategi itu yang punya nilai dan target.',
        "en": "All {level} are shown, largest first (active libraries in cycle {cycle}; equal sizes: the lowest "
        "region code first). Values are rounded down to a whole percent so that they agree with their "
        'colour; "1 of 3": the strategy\'s indicators with a value and a target.',
    },
    "impact.lines_rule": {
        "id": "{top} {level} dengan perpustakaan pelapor terbanyak ditampilkan sendiri (jumlah sama: kode wilayah "
        "terkecil dulu); sisanya digabung: median atas semua perpustakaannya.",
        "en": "The {top} {level} with most reporting libraries are shown on their own (equal: the lowest region "
        "code first); the rest are pooled: the median over all their libraries.",
    },
    "impact.attendance_vs": {"id": "Kehadiran PLM dan peningkatan", "en": "PLM attendance and improvement"},
    "impact.attendance_vs_title": {
        "id": "{indicator}: median perubahan menurut jumlah PLM yang dihadiri",
        "en": "{indicator}: median change by number of PLMs attended",
    },
    "impact.empty_groups": {
        "id": "Kelompok tanpa perpustakaan tidak digambar: {groups} PLM.",
        "en": "Groups without libraries are not drawn: {groups} PLMs.",
    },
    "impact.association_note": {
        "id": "Ini hubungan (asosiasi), bukan bukti sebab-akibat: perpustakaan yang rajin hadir mungkin juga "
        "berbeda dalam hal lain (pengelola, dukungan desa, lama bergabung).",
        "en": "This is an association, not proof of cause: libraries that attend often may also differ in "
        "other ways (their managers, village support, time in the program).",
    },
    # compare
    "compare.title": {"id": "Bandingkan", "en": "Compare"},
    "compare.kind": {"id": "Bandingkan", "en": "Compare"},
    "compare.kind_p": {"id": "Provinsi", "en": "Provinces"},
    "compare.kind_d": {"id": "Kabupaten/kota", "en": "Districts"},
    "compare.kind_l": {"id": "Perpustakaan", "en": "Libraries"},
    "compare.pick": {"id": "Pilih 2 sampai 6", "en": "Choose 2 to 6"},
    "compare.need_two": {"id": "Pilih minimal dua untuk dibandingkan.", "en": "Choose at least two to compare."},
    "compare.numbers": {
        "id": "Angka siklus {cycle} dan perubahan dari siklus sebelumnya",
        "en": "Cycle {cycle} and the change from the cycle before",
    },
    "compare.indicator_median": {"id": "{indicator} (median)", "en": "{indicator} (median)"},
    "compare.yoy": {
        "id": "Dibanding siklus yang sama tahun lalu: kehadiran {participation} poin, indikator {indicator}.",
        "en": "Against the same term a year before: attendance {participation} points, indicator {indicator}.",
    },
    # library profile
    "library.title": {"id": "Profil perpustakaan", "en": "Library profile"},
    "library.pick": {"id": "Perpustakaan", "en": "Library"},
    "library.search": {"id": "Cari perpustakaan (nama atau desa)", "en": "Find a library (name or village)"},
    "library.search_hint": {"id": "{n} perpustakaan; ketik sebagian nama", "en": "{n} libraries; type part of a name"},
    "library.joined": {"id": "bergabung {cycle} ({cohort})", "en": "joined {cycle} ({cohort})"},
    "library.cycles_attended": {"id": "Siklus hadir / dengan PLM", "en": "Cycles attended / with a PLM"},
    "library.cycles_help": {
        "id": "Siklus aktif tanpa PLM yang bisa dihadiri tidak dihitung: {n} dari {active}.",
        "en": "Active cycles in which no PLM it could attend was held are left out: {n} of {active}.",
    },
    "library.completeness": {"id": "Kelengkapan laporan", "en": "Report completeness"},
    "library.timeliness": {"id": "Laporan tepat waktu", "en": "Reports on time"},
    "library.awards": {"id": "Penghargaan", "en": "Awards"},
    "library.tab_progress": {"id": "Kehadiran & indikator", "en": "Attendance & indicator"},
    "library.tab_indicators": {"id": "Semua indikator", "en": "All indicators"},
    "library.tab_records": {"id": "Penghargaan, kunjungan & cerita", "en": "Awards, visits & stories"},
    "library.timeline": {"id": "Kehadiran PLM", "en": "PLM attendance"},
    "library.timeline_title": {"id": "PLM yang dihadiri per siklus", "en": "PLMs attended per cycle"},
    "library.meetings_attended": {"id": "PLM dihadiri", "en": "PLMs attended"},
    "library.meetings_axis": {"id": "Jumlah PLM", "en": "PLMs"},
    "library.vs_district": {
        "id": "{indicator} dibanding median kabupaten/kota",
        "en": "{indicator} against the district median",
    },
    "library.vs_district_title": {"id": "{indicator} per siklus", "en": "{indicator} per cycle"},
    "library.district_median": {"id": "Median kabupaten/kota", "en": "District median"},
    # phone (issue 13 item 5): the median's header in the library's indicator table, where width is short
    "library.median_short": {"id": "Median kab/kota", "en": "District median"},
    "library.all_indicators": {"id": "Semua indikator, siklus {cycle}", "en": "All indicators, cycle {cycle}"},
    "library.visits": {"id": "Kunjungan pemantauan", "en": "Monitoring visits"},
    "library.stories": {"id": "Cerita", "en": "Stories"},
    "library.evidence": {"id": "Bukti: {link}", "en": "Evidence: {link}"},
    "library.counts_note": {"id": "{n} cerita.", "en": "{n} stories."},
    # data quality
    "quality.title": {"id": "Kualitas data", "en": "Data quality"},
    "quality.reporting_rate": {"id": "Tingkat pelaporan {cycle}", "en": "Reporting rate {cycle}"},
    "quality.reporting_help": {
        "id": "Perpustakaan aktif yang mengirim laporan daring untuk siklus itu.",
        "en": "Active libraries that submitted an online report for the cycle.",
    },
    "quality.timeliness": {"id": "Tepat waktu {cycle}", "en": "On time {cycle}"},
    "quality.timeliness_help": {
        "id": "Laporan yang masuk paling lambat {days} hari setelah siklus berakhir. "
        "Laporan tanpa tanggal dihitung tidak tepat waktu.",
        "en": "Reports submitted at most {days} days after the cycle ended. Reports with no date count as not on time.",
    },
    "quality.active": {"id": "Perpustakaan aktif", "en": "Active libraries"},
    "quality.rate_tab": {"id": "Tingkat pelaporan", "en": "Reporting rate"},
    "quality.measure": {"id": "Ukuran", "en": "Measure"},
    "quality.time_tab": {"id": "Ketepatan waktu", "en": "Timeliness"},
    "quality.rate_title": {
        "id": "Tingkat pelaporan per {level} dan siklus",
        "en": "Reporting rate by {level} and cycle",
    },
    "quality.timeliness_title": {
        "id": "Laporan tepat waktu per {level} dan siklus",
        "en": "Reports on time by {level} and cycle",
    },
    "quality.rate_bar": {"id": "Melapor", "en": "Reported"},
    "quality.timeliness_bar": {"id": "Tepat waktu", "en": "On time"},
    "quality.missing": {
        "id": "Perpustakaan tanpa laporan siklus {cycle}",
        "en": "Libraries without a report for {cycle}",
    },
    "quality.none_missing": {
        "id": "Semua perpustakaan aktif sudah melapor.",
        "en": "Every active library has reported.",
    },
    "quality.no_imports": {"id": "Belum ada impor data.", "en": "No data imported yet."},
    "quality.last_import": {
        "id": "Impor terakhir: {file} ({kind}, {rows} baris, {status}) pada {date}.",
        "en": "Last import: {file} ({kind}, {rows} rows, {status}) on {date}.",
    },
    # table columns
    "quality.undated": {"id": "Laporan tanpa tanggal ({n})", "en": "Reports with no date ({n})"},
    "quality.undated_list": {"id": "Daftar {n} laporan tanpa tanggal", "en": "List of the {n} reports with no date"},
    "quality.undated_help": {
        "id": "Laporan yang tidak satu pun nilainya bertanggal (tanggal tidak diketahui): dihitung melapor, "
        "tetapi tidak tepat waktu.",
        "en": "Reports none of whose values has a date (date unknown): counted as reported, but not on time.",
    },
    "quality.date_unknown": {"id": "tanggal tidak diketahui", "en": "date unknown"},
    "quality.none_undated": {
        "id": "Semua laporan pada rentang ini bertanggal.",
        "en": "Every report in this range has a date.",
    },
    "col.id": {"id": "ID", "en": "ID"},
    "col.library": {"id": "Perpustakaan", "en": "Library"},
    "col.district": {"id": "Kabupaten/kota", "en": "District"},
    "col.tier": {"id": "Jenjang", "en": "Tier"},
    "col.cycles_active": {"id": "Siklus aktif", "en": "Active cycles"},
    "col.cycles_attended": {"id": "Siklus hadir", "en": "Cycles attended"},
    "col.current_streak": {"id": "Berturut-turut kini", "en": "Current streak"},
    "col.longest_streak": {"id": "Terpanjang", "en": "Longest streak"},
    "col.never_attended": {"id": "Belum pernah hadir", "en": "Never attended"},
    "col.at_risk": {"id": "Berisiko", "en": "At risk"},
    "col.last_cycle": {"id": "Siklus aktif terakhir", "en": "Last active cycle"},
    "col.missing_cycles": {"id": "Siklus tanpa laporan", "en": "Cycles without report"},
    "col.strategy": {"id": "Strategi", "en": "Strategy"},
    "col.indicator": {"id": "Indikator", "en": "Indicator"},
    "col.unit": {"id": "Satuan", "en": "Unit"},
    "col.value": {"id": "Nilai", "en": "Value"},
    "col.target": {"id": "Target", "en": "Target"},
    "col.status": {"id": "Status", "en": "Status"},
    "col.date": {"id": "Tanggal", "en": "Date"},
    "col.meeting": {"id": "PLM", "en": "PLM"},
    "col.category": {"id": "Kategori", "en": "Category"},
    "col.rank": {"id": "Peringkat", "en": "Rank"},
    "col.team": {"id": "Tim", "en": "Team"},
    "col.notes": {"id": "Catatan", "en": "Notes"},
    # program waves (libraries.cohort is WAVE_YEAR)
    "cohort.pilot": {"id": "Pilot", "en": "Pilot"},
    "cohort.ekspansi": {"id": "Ekspansi", "en": "Expansion"},
    "cohort.tpbis": {"id": "TPBIS", "en": "TPBIS"},
    "cohort.replikasi": {"id": "Replikasi", "en": "Replication"},
    # indicator units (indicators.unit)
    "unit.orang": {"id": "orang", "en": "people"},
    "unit.kegiatan": {"id": "kegiatan", "en": "activities"},
    "unit.Rp": {"id": "Rp", "en": "Rp"},
    "unit.MoU": {"id": "MoU", "en": "MoUs"},
    "unit.pertemuan": {"id": "pertemuan", "en": "meetings"},
    "unit.berkas": {"id": "berkas", "en": "files"},
    "unit.cerita": {"id": "cerita", "en": "stories"},
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
    # accounts: sign-in, roles, refusals (issue 15; analytics/app/auth.py, docs/accounts.md)
    "account.email": {"id": "Email", "en": "Email"},
    "account.wrong": {"id": "Email atau kata sandi salah.", "en": "Wrong email or password."},
    "account.throttled": {
        "id": "Terlalu banyak percobaan yang salah. Coba lagi pukul {time} UTC (sekitar {minutes} menit lagi).",
        "en": "Too many wrong attempts. Try again at {time} UTC (in about {minutes} minutes).",
    },
    "account.expired": {
        "id": "Sesi Anda berakhir (setelah {hours} jam). Silakan masuk lagi.",
        "en": "Your session has ended (after {hours} hours). Please sign in again.",
    },
    "account.not_registered": {
        "id": "Akun {email} tidak terdaftar di dasbor ini. Minta admin nasional menambahkan Anda.",
        "en": "The account {email} is not registered on this dashboard. Ask a national admin to add you.",
    },
    "account.domain_refused": {
        "id": "Alamat {email} berada di luar domain yang diizinkan ({domains}).",
        "en": "The address {email} is outside the allowed domains ({domains}).",
    },
    "account.unverified": {
        "id": "Penyedia akun belum memverifikasi alamat {email}; verifikasi dulu di sana, lalu masuk lagi.",
        "en": "The account provider has not verified the address {email}; verify it there, then sign in again.",
    },
    "account.may_not_import": {
        "id": "Akun {email} (peran: {role}) tidak boleh mengimpor atau membatalkan impor.",
        "en": "The account {email} (role: {role}) may not import or undo imports.",
    },
    "account.no_accounts": {
        "id": "Belum ada akun dengan kata sandi. Admin membuatnya: python -m analytics users add EMAIL "
        "--name NAMA --role district_officer --area KODE --password-prompt",
        "en": "No account has a password yet. An admin creates one: python -m analytics users add EMAIL "
        "--name NAME --role district_officer --area CODE --password-prompt",
    },
    "account.shared_password_retired": {
        "id": "Kata sandi bersama petugas data (PLM_DATA_OFFICER_PASSWORD / data_officer_password) tidak dipakai "
        "lagi: setiap petugas masuk dengan akunnya sendiri (python -m analytics users add).",
        "en": "The shared data-officer password (PLM_DATA_OFFICER_PASSWORD / data_officer_password) is no longer "
        "used: each officer signs in with their own account (python -m analytics users add).",
    },
    "account.unavailable": {
        "id": "Akun tidak dapat dibaca dari basis data {path}. Jalankan: python -m analytics migrate --db {path}",
        "en": "Accounts cannot be read from the database {path}. Run: python -m analytics migrate --db {path}",
    },
    "account.attempts_unavailable": {
        "id": "Masuk dengan kata sandi tidak dapat dilakukan sekarang: berkas yang menghitung percobaan masuk "
        "({path}) tidak dapat ditulis. Admin perlu membuat folder data dapat ditulis oleh aplikasi.",
        "en": "Signing in by password is not possible now: the file that counts sign-in attempts ({path}) cannot "
        "be written. An admin needs to make the data folder writable by the app.",
    },
    "role.viewer": {"id": "pembaca", "en": "viewer"},
    "role.district_officer": {"id": "petugas kabupaten/kota", "en": "district officer"},
    "role.province_officer": {"id": "petugas provinsi", "en": "province officer"},
    "role.national_admin": {"id": "admin nasional", "en": "national admin"},
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
    # issue 13 items 7, 8, 10 (officer lists, one language per screen)
    "common.choose": {"id": "Pilih salah satu", "en": "Choose an option"},
    "common.choose_many": {"id": "Pilih satu atau lebih", "en": "Choose options"},
    "compare.no_libraries": {
        "id": "Belum ada perpustakaan program di sini (dengan filter ini).",
        "en": "No program libraries here yet (with these filters).",
    },
    "compare.not_active": {
        "id": "Tidak ada perpustakaan program yang aktif pada siklus {cycle}.",
        "en": "No program library active in cycle {cycle}.",
    },
    "participation.show": {"id": "Tampilkan", "en": "Show"},
    "participation.show_all": {"id": "Semua", "en": "All"},
    "participation.show_at_risk": {"id": "Berisiko", "en": "At risk"},
    "participation.show_never": {"id": "Belum pernah hadir", "en": "Never attended"},
    "participation.list_all": {"id": "Semua perpustakaan ({n})", "en": "All libraries ({n})"},
    "participation.list_at_risk": {"id": "Perpustakaan berisiko ({n})", "en": "Libraries at risk ({n})"},
    "participation.list_never": {
        "id": "Perpustakaan yang belum pernah hadir ({n})",
        "en": "Libraries that never attended ({n})",
    },
    "quality.missing_n": {
        "id": "Perpustakaan tanpa laporan siklus {cycle} ({n})",
        "en": "Libraries without a report for {cycle} ({n})",
    },
    # CSV column names in Indonesian downloads (English downloads keep the data's own column names)
    "csv.code": {"id": "kode", "en": "code"},
    "csv.name": {"id": "nama", "en": "name"},
    "csv.cycle": {"id": "siklus", "en": "cycle"},
    "csv.seq": {"id": "urutan_siklus", "en": "seq"},
    "csv.participation": {"id": "kehadiran", "en": "participation"},
    "csv.participation_prev": {"id": "kehadiran_perubahan_siklus", "en": "participation_prev"},
    "csv.participation_yoy": {"id": "kehadiran_perubahan_tahunan", "en": "participation_yoy"},
    "csv.reporting": {"id": "pelaporan", "en": "reporting"},
    "csv.reporting_prev": {"id": "pelaporan_perubahan_siklus", "en": "reporting_prev"},
    "csv.reporting_yoy": {"id": "pelaporan_perubahan_tahunan", "en": "reporting_yoy"},
    "csv.indicator": {"id": "indikator_median", "en": "indicator"},
    "csv.indicator_prev": {"id": "indikator_perubahan_siklus", "en": "indicator_prev"},
    "csv.indicator_yoy": {"id": "indikator_perubahan_tahunan", "en": "indicator_yoy"},
    "csv.active": {"id": "aktif", "en": "active"},
    "csv.attended": {"id": "hadir", "en": "attended"},
    "csv.plm_held": {"id": "ada_plm", "en": "plm_held"},
    "csv.reported": {"id": "melapor", "en": "reported"},
    "csv.libraries_reporting": {"id": "perpustakaan_melapor", "en": "libraries_reporting"},
    "csv.first_cycle": {"id": "siklus_pertama_aktif", "en": "first_cycle"},
    "csv.numerator": {"id": "pembilang", "en": "numerator"},
    "csv.denominator": {"id": "penyebut", "en": "denominator"},
    "csv.library_id": {"id": "id_perpustakaan", "en": "library_id"},
    "csv.timeliness": {"id": "tepat_waktu", "en": "timeliness"},
    "csv.active_cycles": {"id": "siklus_aktif", "en": "active_cycles"},
    "compare.since": {"id": "{name} sejak {cycle}", "en": "{name} from {cycle}"},
    "compare.starts": {
        "id": "Setiap garis dimulai pada siklus pertama wilayah/perpustakaan itu aktif dalam "
        "program (bukan {first}): {entities}.",
        "en": "Each line starts at the first cycle its area/library was active in the program "
        "(not {first}): {entities}.",
    },
    # --- tables ---
    # Table headers by column name (widgets.column_label): a page names only the headers that differ.
    "col.start_date": {"id": "Tanggal", "en": "Date"},
    "col.visit_date": {"id": "Tanggal", "en": "Date"},
    "col.title": {"id": "PLM", "en": "PLM"},
    "col.library_id": {"id": "ID", "en": "ID"},
    "col.cycle": {"id": "Siklus PLM", "en": "PLM cycle"},
    "col.active_cycles": {"id": "Siklus aktif", "en": "Active cycles"},
    "col.kind": {"id": "Jenis", "en": "Kind"},
    "col.file_name": {"id": "Berkas", "en": "File"},
    "col.rows": {"id": "Baris", "en": "Rows"},
    "col.started_at": {"id": "Mulai", "en": "Started"},
    "col.finished_at": {"id": "Selesai", "en": "Finished"},
    "col.user": {"id": "Pengguna", "en": "User"},
    "col.message": {"id": "Pesan", "en": "Message"},
    # CSV headers of downloads that no table shows (widgets.csv_headers: csv.<column> before col.<column>).
    "csv.few": {"id": "di_bawah_minimum_perpustakaan", "en": "few"},
    "csv.lat": {"id": "lintang", "en": "lat"},
    "csv.lon": {"id": "bujur", "en": "lon"},
    "csv.value": {"id": "nilai", "en": "value"},
    "csv.rate": {"id": "tingkat", "en": "rate"},
    "csv.ratio": {"id": "rasio_target", "en": "ratio"},
    "csv.region": {"id": "wilayah", "en": "region"},
    "csv.regions": {"id": "wilayah_di_dalamnya", "en": "regions"},
    "csv.strategy": {"id": "strategi", "en": "strategy"},
    "csv.status": {"id": "status", "en": "status"},
    "csv.indicators": {"id": "indikator_berstatus", "en": "indicators"},
    "csv.indicators_total": {"id": "indikator_total", "en": "indicators_total"},
    "csv.libraries": {"id": "jumlah_perpustakaan", "en": "libraries"},
    "csv.cohort": {"id": "angkatan", "en": "cohort"},
    "csv.median_change_pct": {"id": "median_perubahan_persen", "en": "median_change_pct"},
    "csv.median_change": {"id": "median_perubahan", "en": "median_change"},
    "csv.q1": {"id": "kuartil_1", "en": "q1"},
    "csv.q3": {"id": "kuartil_3", "en": "q3"},
    "csv.group": {"id": "kelompok", "en": "group"},
    "csv.cycle_id": {"id": "siklus", "en": "cycle_id"},
    "csv.kind": {"id": "jenis", "en": "kind"},
    "csv.library": {"id": "perpustakaan", "en": "library"},
    "csv.district": {"id": "kabupaten_kota", "en": "district"},
    "csv.text": {"id": "teks", "en": "text"},
    "csv.link": {"id": "tautan", "en": "link"},
    "csv.meetings": {"id": "plm_dihadiri", "en": "meetings"},
    "csv.attendees": {"id": "orang_hadir", "en": "attendees"},
    "csv.on_time": {"id": "laporan_tepat_waktu", "en": "on_time"},
    "csv.date_unknown": {"id": "tanggal_tidak_diketahui", "en": "date_unknown"},
    # Download names of charts (i18n.file_name; widgets.chart looks them up).
    "file.awards-by-category": {"id": "penghargaan-kategori", "en": "awards-by-category"},
    "file.score": {"id": "skor", "en": "score"},
    "file.participation-by-region": {"id": "partisipasi-wilayah", "en": "participation-by-region"},
    "file.participation-heatmap": {"id": "heatmap-partisipasi", "en": "participation-heatmap"},
    "file.participation-by-tier": {"id": "partisipasi-jenjang", "en": "participation-by-tier"},
    "file.attendees-by-gender": {"id": "peserta-gender", "en": "attendees-by-gender"},
    "file.participation-trend": {"id": "tren-partisipasi", "en": "participation-trend"},
    "file.province-map": {"id": "peta-provinsi", "en": "province-map"},
    "file.stories-by-kind": {"id": "cerita-per-jenis", "en": "stories-by-kind"},
    "file.pack": {"id": "paket-plm", "en": "plm-pack"},
    # --- charts ---
    "charts.rest_lines": {
        "id": "{n} wilayah lain (abu-abu)",
        "en": "{n} other areas (grey)",
    },
    "charts.rest_lines_note": {
        "id": "Garis abu-abu: wilayah lain; namanya muncul saat disorot.",
        "en": "Grey lines: the other areas, each named on hover.",
    },
    # --- present13 ---
    "impact.change_by_cohort": {"id": "Perubahan sejak bergabung per angkatan", "en": "Change since joining by cohort"},
    "impact.change_by_cohort_title": {
        "id": "{indicator}: median perubahan per angkatan",
        "en": "{indicator}: median change by cohort",
    },
    "impact.change_by_cohort_note": {
        "id": "Batang = median perubahan (%) dari laporan pertama ke laporan terakhir perpustakaan angkatan itu; "
        "garis = separuh tengah perpustakaan (kuartil 1–3); n = perpustakaan dengan perubahan terhitung.",
        "en": "Bar = median change (%) from the first to the last report of the cohort's libraries; line = the "
        "middle half of the libraries (quartiles 1–3); n = libraries with a change.",
    },
    "library.present": {"id": "Presentasikan perpustakaan ini", "en": "Present this library"},
    "library.present_help": {
        "id": "Slide tentang perpustakaan ini saja (kehadiran, indikator, penghargaan, cerita); "
        "pindah slide dengan tombol panah.",
        "en": "Slides about this library only (attendance, indicators, awards, stories); move with the arrow keys.",
    },
    "pack.download_next": {"id": "Paket PLM berikutnya (siklus {cycle})", "en": "Next PLM pack (cycle {cycle})"},
    "pack.download_next_help": {
        "id": "Paket untuk PLM berikutnya: siklus lengkap terakhir ({cycle}) untuk wilayah yang dipilih, semua "
        "perpustakaannya, apa pun rentang yang dipilih.",
        "en": "The pack for the next PLM: the latest complete cycle ({cycle}) for the chosen area, all its "
        "libraries, whatever range is selected.",
    },
    # --- scope ---
    "viewing.signin.title": {"id": "Masuk untuk melihat dasbor", "en": "Sign in to view the dashboard"},
    "viewing.signin.explain": {
        "id": "Dasbor ini hanya untuk pengguna yang terdaftar. Masuk dengan akun Anda.",
        "en": "This dashboard is for registered users only. Sign in with your account.",
    },
    "viewing.no_area": {
        "id": "Akun {email} belum diberi wilayah, sehingga tidak ada data yang dapat ditampilkan. "
        "Minta admin nasional menambahkan kabupaten/kota atau provinsi Anda.",
        "en": "The account {email} has no area yet, so there is no data to show. Ask a national "
        "admin to add your district or province.",
    },
    "viewing.export_limited": {
        "id": "Dasbor ini hanya menampilkan wilayah masing-masing: ekspor seluruh tabel hanya untuk admin nasional.",
        "en": "This dashboard shows each account its own area: exporting whole tables is for national admins only.",
    },
    "audit.title": {"id": "Log audit", "en": "Audit log"},
    "audit.col.at": {"id": "Waktu (UTC)", "en": "When (UTC)"},
    "audit.col.actor": {"id": "Oleh", "en": "By"},
    "audit.col.action": {"id": "Tindakan", "en": "Action"},
    "audit.col.target": {"id": "Sasaran", "en": "Target"},
    "audit.col.detail": {"id": "Rincian", "en": "Details"},
    "audit.none": {"id": "Log audit masih kosong.", "en": "The audit log is empty."},
    # --- ui13 --- (issue 13 items 5, 8, 9: short labels, plain words, page language)
    "ui13.cycle_help": {
        "id": "Satu siklus PLM = empat bulan: siklus 1 Januari–April, 2 Mei–Agustus, "
        "3 September–Desember. 2018-3 = September–Desember 2018.",
        "en": "One PLM cycle = four months: cycle 1 January–April, 2 May–August, "
        "3 September–December. 2018-3 = September–December 2018.",
    },
    "ui13.indicator_help": {
        "id": "Strategi: {strategy}. Indikator: {indicator}.",
        "en": "Strategy: {strategy}. Indicator: {indicator}.",
    },
    "indicator_short.manfaat_ekonomi": {"id": "Penghasilan/pekerjaan baru", "en": "Better income or new job"},
    "indicator_short.anggaran": {"id": "Anggaran untuk perpustakaan", "en": "Budget for the library"},
    "indicator_short.dokumentasi": {"id": "Dokumentasi diunggah", "en": "Documentation uploaded"},
    "indicator_short.penjualan_lapak": {"id": "Penjualan produk (lapak)", "en": "Product sales (lapak)"},
    "indicator_short.peserta_disabilitas": {"id": "Peserta disabilitas", "en": "Participants w/ disability"},
    "ui13.points_help": {
        "id": "Poin = selisih dua persentase: dari 80% ke 82% adalah +2 poin.",
        "en": "Points = the difference of two percentages: from 80% to 82% is +2 points.",
    },
    "ui13.never_help": {
        "id": "Aktif dalam rentang ini, tetapi belum sekali pun hadir di PLM yang diadakan.",
        "en": "Active in this range, but never attended a PLM that was held.",
    },
    "ui13.continuity_words": {
        "id": "Berisiko: perpustakaan yang aktif pada siklus terakhir, tetapi tidak hadir pada dua PLM terakhir yang "
        "bisa ia hadiri — perlu dihubungi. Berturut-turut kini: berapa PLM terakhir berturut-turut yang "
        "dihadirinya (0 = tidak hadir di PLM terakhirnya); rangkaian terpanjangnya ada di CSV. "
        "Siklus tanpa PLM tidak memutus dan tidak menambah rangkaian.",
        "en": "At risk: a library active in the last cycle that missed the last two PLMs it could attend — worth "
        "a call. Current streak: how many of its latest PLMs in a row it attended (0 = missed its last "
        "one); its longest streak is in the CSV. A cycle without a PLM neither breaks "
        "nor extends a run.",
    },
    "ui13.median_words": {
        "id": "Median per perpustakaan pelapor: nilai tengah — separuh perpustakaan yang mengirim laporan "
        "berada di atasnya, separuh di bawahnya; perpustakaan yang tidak melapor tidak dihitung.",
        "en": "Median per reporting library: the middle value — half the libraries that sent a report are "
        "above it, half below; libraries without a report are not counted.",
    },
    "ui13.cap_words": {
        "id": "Dibatasi {cap}: indikator yang mediannya lebih dari {times} kali target tetap dihitung {cap}, "
        "agar satu indikator yang sangat tinggi tidak menutupi indikator lain yang rendah.",
        "en": "Capped at {cap}: an indicator whose median is more than {times} times its target counts as "
        "{cap}, so that one very high indicator cannot hide a low one.",
    },
    "ui13.percentile_words": {
        "id": "Peringkat persentil: bagian calon yang nilainya lebih rendah — 90% berarti lebih tinggi dari "
        "9 dari 10 calon.",
        "en": "Percentile rank: the share of candidates with a lower value — 90% means higher than 9 in 10 candidates.",
    },
    "ui13.award_points_words": {
        "id": "Poin: sumbangan satu indikator pada skor (bobot × peringkat persentil, dibagi jumlah bobot, × 100).",
        "en": "Points: what one indicator adds to the score (weight × percentile rank, divided by the sum of "
        "the weights, × 100).",
    },
}


def _merge(*parts: dict[str, dict[str, str]]) -> None:
    """Add feature catalogs kept in their own modules; a key defined twice is a bug."""
    for part in parts:
        clash = CATALOG.keys() & part.keys()
        if clash:
            raise KeyError(f"catalog keys defined twice: {sorted(clash)}")
        CATALOG.update(part)


_merge(imports.MESSAGES, deck.MESSAGES)


def unit(name: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """An indicator's unit in the language (units the catalog does not know are shown as stored)."""
    key = f"unit.{name}"
    return t(key, lang) if key in CATALOG else name


def language(lang: str) -> str:
    """``lang`` if the catalog has it, else the default language."""
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def localized_column(base: str, lang: str) -> str:
    """The column of a bilingual table that holds ``base`` in ``lang``: ``"name"`` -> ``"name_id"`` /
    ``"name_en"`` (indicators store their names so)."""
    return f"{base}_{language(lang)}"


def localized(row, lang: str, base: str = "name"):
    """A row's (or a frame's) ``base`` in ``lang``: ``localized(indicator, lang)`` is its name in ``lang``."""
    return row[localized_column(base, lang)]


def pick(texts, lang: str) -> str:
    """One of a pair of texts stored in the catalog's language order (``LANGUAGES``: Indonesian, English)."""
    return texts[LANGUAGES.index(language(lang))]


def file_name(name: str, lang: str) -> str:
    """A download's file name in ``lang``: the catalog's ``file.<name>``, else ``name`` itself (CSV names stay
    as the data is called: scripts and the oracle read them by name)."""
    key = f"file.{name}"
    return t(key, lang) if key in CATALOG else name


# The language the data's own column names are written in: a CSV in it keeps them as headers (scripts and the
# oracle's tests read English CSVs by column name); other languages get the catalog's headers.
DATA_LANGUAGE = "en"


def csv_dialect(lang: str) -> tuple[str, str]:
    """The field separator and decimal mark a spreadsheet set to ``lang`` reads: ``;`` and ``,`` in Indonesian
    (where ``,`` is the decimal mark), ``,`` and ``.`` in English."""
    thousands, decimal = _separators(lang)
    return (";" if decimal == "," else ","), decimal


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
