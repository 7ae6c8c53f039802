# ruff: noqa: E501 - a catalog: one entry a line reads best, even when long (as analytics/i18n/__init__.py)
"""Catalog entries of the agenda deck, the meeting pack, the slides and the Stories and Awards pages (merged into
``analytics.i18n.CATALOG``; keys start with ``deck.``, ``pack.``, ``stories.`` and ``awards.``)."""

MESSAGES: dict[str, dict[str, str]] = {
    # the agenda deck
    "deck.title": {"id": "PLM {region} — siklus {cycle}", "en": "PLM {region} — cycle {cycle}"},
    "deck.subtitle": {"id": "Siklus {start} sampai {end} · {filters}", "en": "Cycle {start} to {end} · {filters}"},
    "deck.part.1": {"id": "Pencapaian", "en": "Achievements"},
    "deck.part.2": {"id": "Laporan daring dan dokumentasi", "en": "Online reports and documentation"},
    "deck.part.3": {
        "id": "Berbagi: cerita, hambatan, tantangan, inovasi",
        "en": "Sharing: stories, obstacles, challenges, innovations",
    },
    "deck.no_meeting": {
        "id": "belum ada PLM tercatat untuk siklus ini di wilayah ini.",
        "en": "no PLM recorded for this cycle in this region yet.",
    },
    "deck.district_plms": {
        "id": "ditambah {n} PLM kabupaten/kota pada siklus ini.",
        "en": "plus {n} district PLMs in this cycle.",
    },
    "deck.empty_title": {"id": "Tidak ada data", "en": "No data"},
    "deck.cycle_axis": {
        "id": "Siklus PLM (1 = {first}, 2 = {second}, 3 = {third})",
        "en": "PLM cycle (1 = {first}, 2 = {second}, 3 = {third})",
    },
    "deck.headline_title": {"id": "Angka utama siklus {cycle}", "en": "Headline numbers of cycle {cycle}"},
    "deck.libraries_title": {
        "id": "Pencapaian per perpustakaan di {region}",
        "en": "Achievements library by library in {region}",
    },
    "deck.libraries_note": {
        "id": "Urut menurut {indicator}, nilai tertinggi di atas. Status: nilai dibanding target.",
        "en": "Ordered by {indicator}, highest first. Status: the value against its target.",
    },
    "deck.regions_title": {"id": "Pencapaian per {level}", "en": "Achievements by {level}"},
    "deck.indicator_title": {"id": "{indicator}", "en": "{indicator}"},
    "deck.indicator_bar_library": {
        "id": "Nilai per perpustakaan, siklus {cycle} ({unit})",
        "en": "Value per library, cycle {cycle} ({unit})",
    },
    "deck.indicator_bar_region": {
        "id": "Median per perpustakaan yang melapor, siklus {cycle} ({unit})",
        "en": "Median per reporting library, cycle {cycle} ({unit})",
    },
    "deck.indicator_note": {
        "id": "Garis putus-putus: target {target} {unit} per perpustakaan per siklus. "
        "● hijau ≥ 100%, ▲ kuning ≥ 75%, ■ merah di bawahnya.",
        "en": "Dashed line: the target of {target} {unit} per library and cycle. "
        "● green ≥ 100%, ▲ yellow ≥ 75%, ■ red below.",
    },
    "deck.map_title": {"id": "Kehadiran PLM per provinsi", "en": "PLM attendance by province"},
    "deck.map_circles": {
        "id": "Lingkaran: perpustakaan aktif per kabupaten/kota",
        "en": "Circles: active libraries per district",
    },
    "deck.more_rows": {
        "id": "Menampilkan {shown} dari {total} baris; selebihnya ada di dasbor.",
        "en": "Showing {shown} of {total} rows; the dashboard has the rest.",
    },
    "deck.reporting_title": {
        "id": "Pelaporan daring sampai siklus {cycle}",
        "en": "Online reporting up to cycle {cycle}",
    },
    "deck.reporting_trend_title": {
        "id": "Tingkat pelaporan dan ketepatan waktu per siklus",
        "en": "Reporting rate and timeliness per cycle",
    },
    "deck.reporting_note": {
        "id": "Siklus ini: {rate} perpustakaan aktif melapor; {timeliness} laporan tepat waktu "
        "(paling lambat {days} hari setelah siklus berakhir).",
        "en": "This cycle: {rate} of active libraries reported; {timeliness} of reports on time "
        "(at most {days} days after the cycle ended).",
    },
    "deck.documentation_title": {
        "id": "Laporan dan dokumentasi, siklus {cycle}",
        "en": "Reports and documentation, cycle {cycle}",
    },
    "deck.missing_note": {
        "id": "{n} perpustakaan belum mengirim laporan daring.",
        "en": "{n} libraries have not submitted their online report.",
    },
    "deck.sharing_title": {
        "id": "Cerita yang dibagikan sampai siklus {cycle}",
        "en": "Stories shared up to cycle {cycle}",
    },
    "deck.story_counts_title": {"id": "Cerita per jenis dan siklus", "en": "Stories by kind and cycle"},
    "deck.stories_axis": {"id": "Jumlah cerita", "en": "Stories"},
    "deck.kind_title": {"id": "{kind}, siklus {cycle}", "en": "{kind}, cycle {cycle}"},
    "deck.no_stories": {
        "id": "Belum ada cerita jenis ini pada siklus ini.",
        "en": "No story of this kind in this cycle yet.",
    },
    "deck.more_stories": {
        "id": "{shown} dari {total} cerita di layar; selebihnya di bawah (paket) atau di halaman Cerita.",
        "en": "{shown} of {total} stories on screen; the rest follow (pack) or are on the Stories page.",
    },
    "deck.col.measure": {"id": "Ukuran", "en": "Measure"},
    "deck.col.before": {"id": "Siklus sebelumnya", "en": "Cycle before"},
    "deck.col.change": {"id": "Perubahan", "en": "Change"},
    "deck.col.place": {"id": "Tempat", "en": "Place"},
    "deck.col.attended": {"id": "Hadir PLM", "en": "Attended a PLM"},
    "deck.col.reported": {"id": "Melapor", "en": "Reported"},
    "deck.col.on_time": {"id": "Tepat waktu", "en": "On time"},
    "deck.col.timeliness": {"id": "Ketepatan waktu", "en": "Timeliness"},
    "deck.col.median": {"id": "{indicator}, median ({unit})", "en": "{indicator}, median ({unit})"},
    "deck.col.province": {"id": "Provinsi", "en": "Province"},
    "deck.col.district": {"id": "Kabupaten/kota", "en": "District"},
    "deck.yes": {"id": "Ya", "en": "Yes"},
    "deck.no": {"id": "Tidak", "en": "No"},
    "deck.late": {"id": "terlambat", "en": "late"},
    # the meeting pack (HTML) and the slides (PPTX)
    "pack.title": {"id": "Paket pertemuan", "en": "Meeting pack"},
    "pack.generated": {"id": "Dibuat {date} dari {source}.", "en": "Made on {date} from {source}."},
    "pack.contents": {"id": "Isi", "en": "Contents"},
    "pack.filters": {"id": "Filter", "en": "Filters"},
    "pack.evidence": {"id": "Bukti", "en": "Evidence"},
    "pack.more_stories": {"id": "Cerita lainnya", "en": "More stories"},
    "pack.print_hint": {
        "id": "Cetak ke PDF dari peramban: satu halaman per slide (lanskap).",
        "en": "Print to PDF from the browser: one page per slide (landscape).",
    },
    "pack.download": {"id": "Unduh paket pertemuan (HTML)", "en": "Download the meeting pack (HTML)"},
    "pack.download_pptx": {"id": "Unduh slide (PPTX)", "en": "Download the slides (PPTX)"},
    "pack.download_help": {
        "id": "Satu berkas HTML yang bisa dibuka tanpa internet: judul, filter, grafik dan tabel "
        "agenda PLM; cetak ke PDF dari peramban.",
        "en": "One HTML file that opens without internet: title, filters, the PLM agenda's charts "
        "and tables; print it to PDF from the browser.",
    },
    "pack.covers": {
        "id": "Paket ini untuk {region}, siklus {cycle} ({start} – {end}).",
        "en": "This pack is for {region}, cycle {cycle} ({start} – {end}).",
    },
    # one library's deck (present13)
    "deck.lib.attended": {"id": "Kehadiran PLM", "en": "PLM attendance"},
    "deck.lib.attended_value": {
        "id": "{n} dari {held} siklus dengan PLM ({rate})",
        "en": "{n} of {held} cycles with a PLM ({rate})",
    },
    "deck.lib.streaks": {"id": "Hadir berturut-turut: kini / terpanjang", "en": "Attended in a row: now / longest"},
    "deck.lib.streaks_value": {"id": "{now} / {longest} siklus", "en": "{now} / {longest} cycles"},
    "deck.lib.opening_note": {
        "id": "Seluruh {active} siklus aktif perpustakaan ini sejak bergabung; siklus tanpa PLM "
        "tidak dihitung dalam kehadiran.",
        "en": "All {active} active cycles of this library since it joined; cycles without a PLM "
        "are left out of attendance.",
    },
    "deck.lib.attendance_title": {
        "id": "Kehadiran PLM dan laporan per siklus",
        "en": "PLM attendance and reports by cycle",
    },
    "deck.lib.col.plm": {"id": "Kehadiran", "en": "Attendance"},
    "deck.lib.attended_yes": {"id": "Hadir", "en": "Attended"},
    "deck.lib.attended_no": {"id": "Tidak hadir", "en": "Missed"},
    "deck.lib.attendance_note": {"id": "Siklus terbaru di atas.", "en": "Newest cycle first."},
    "deck.lib.indicators_title": {
        "id": "Indikator terhadap target, siklus {cycle}",
        "en": "Indicators against targets, cycle {cycle}",
    },
    "deck.lib.indicators_note": {
        "id": "Status = nilai ÷ target (target ÷ nilai bila makin kecil makin baik): ● hijau ≥ {green}, "
        "▲ kuning ≥ {yellow}, ■ merah di bawahnya.",
        "en": "Status = value ÷ target (target ÷ value when lower is better): ● green ≥ {green}, "
        "▲ yellow ≥ {yellow}, ■ red below.",
    },
    "deck.lib.awards_title": {"id": "Penghargaan ({n})", "en": "Awards ({n})"},
    "deck.lib.stories_title": {"id": "Cerita ({n}), terbaru lebih dulu", "en": "Stories ({n}), newest first"},
    "pack.no_image": {
        "id": "Grafik tidak dapat digambar di sini; lihat paket HTML atau dasbor.",
        "en": "The chart could not be drawn here; see the HTML pack or the dashboard.",
    },
    # stories page
    "stories.title": {"id": "Cerita", "en": "Stories"},
    "stories.search": {"id": "Cari di cerita atau nama perpustakaan", "en": "Search the stories or library names"},
    "stories.kind": {"id": "Jenis", "en": "Kind"},
    "stories.all_kinds": {"id": "Semua jenis", "en": "All kinds"},
    "stories.counts": {"id": "Cerita per jenis dan siklus", "en": "Stories by kind and cycle"},
    "stories.found": {"id": "{n} cerita ditemukan.", "en": "{n} stories found."},
    "stories.shown": {
        "id": "Menampilkan {shown} cerita terbaru dari {total}; unduh CSV untuk semuanya.",
        "en": "Showing the {shown} newest of {total} stories; download the CSV for all.",
    },
    "stories.more": {"id": "Tampilkan {n} cerita berikutnya", "en": "Show the next {n} stories"},
    "stories.none": {
        "id": "Tidak ada cerita yang cocok. Ubah pencarian atau filter.",
        "en": "No story matches. Change the search or the filters.",
    },
    "stories.meta": {
        "id": "{cycle} · {kind} · {library} · {district}",
        "en": "{cycle} · {kind} · {library} · {district}",
    },
    "stories.evidence": {"id": "Bukti: {link}", "en": "Evidence: {link}"},
    "stories.no_evidence": {"id": "Belum ada tautan bukti.", "en": "No evidence link yet."},
    # awards page
    "awards.title": {"id": "Penghargaan", "en": "Awards"},
    "awards.given": {"id": "Penghargaan per PLM dan kategori", "en": "Awards by meeting and category"},
    "awards.by_category": {"id": "Penghargaan per kategori dan tingkat PLM", "en": "Awards by category and PLM level"},
    "awards.count_axis": {"id": "Jumlah penghargaan", "en": "Awards"},
    "awards.none": {"id": "Belum ada penghargaan untuk pilihan ini.", "en": "No awards for this selection yet."},
    "awards.candidates": {"id": "Peringkat calon, siklus {cycle}", "en": "Candidate ranking, cycle {cycle}"},
    "awards.category": {"id": "Kategori", "en": "Category"},
    "awards.weights_change": {"id": "Ubah bobot indikator", "en": "Change the indicator weights"},
    "awards.weights_now": {"id": "Bobot: {weights}.", "en": "Weights: {weights}."},
    "awards.weights_help": {
        "id": "0 = tidak dihitung. Skor = jumlah (bobot × peringkat persentil) ÷ jumlah bobot × 100.",
        "en": "0 = not counted. Score = sum of (weight × percentile rank) ÷ sum of weights × 100.",
    },
    "awards.rule": {
        "id": "Calon: perpustakaan aktif jenjang {tiers} pada siklus {cycle}. Untuk tiap indikator, "
        "peringkat persentil nilai siklus itu di antara calon (0 bila tidak melapor); skor = "
        "rata-rata berbobot × 100. Kehadiran dan pelaporan: bagian siklus aktif dalam rentang.",
        "en": "Candidates: active {tiers} libraries in cycle {cycle}. For each indicator, the percentile "
        "rank of that cycle's value among the candidates (0 when not reported); score = weighted "
        "mean × 100. Attendance and reporting: share of active cycles in the range.",
    },
    "awards.no_weights": {
        "id": "Beri bobot lebih dari 0 pada minimal satu indikator.",
        "en": "Give at least one indicator a weight above 0.",
    },
    "awards.no_candidates": {
        "id": "Tidak ada calon untuk kategori ini pada pilihan ini.",
        "en": "No candidates for this category in this selection.",
    },
    "awards.score": {"id": "Skor", "en": "Score"},
    "awards.breakdown": {"id": "Rincian skor", "en": "Score breakdown"},
    "awards.breakdown_title": {
        "id": "Sumbangan tiap indikator pada skor (10 teratas)",
        "en": "What each indicator adds to the score (top 10)",
    },
    "awards.points_axis": {"id": "Poin skor", "en": "Score points"},
    "awards.pick": {"id": "Rincian untuk", "en": "Breakdown for"},
    "awards.col.percentile": {"id": "Peringkat persentil", "en": "Percentile rank"},
    "awards.col.weight": {"id": "Bobot", "en": "Weight"},
    "awards.col.points": {"id": "Poin", "en": "Points"},
    "awards.measure.attendance": {"id": "Kehadiran PLM (bagian siklus)", "en": "PLM attendance (share of cycles)"},
    "awards.measure.reporting": {"id": "Pelaporan daring (bagian siklus)", "en": "Online reporting (share of cycles)"},
}
