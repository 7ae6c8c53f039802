"""Seeded demo data at four scales, faithful to the seed documents (docs/demo-data.md).

``build(path, scale, seed)`` writes a complete database. The same scale and seed give the same content.
The simulation is plausible rather than uniform: regions and libraries differ, libraries improve after
joining (more so the ones that engage), attendance dips in 2020–2021 and recovers, some reports are
missing or late, and a few values are typing mistakes (outliers).
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import db, reference, store
from .reference import INDICATORS, cycle_seq

Progress = Callable[[float, str], None]

TIER_INDEX = {t: i for i, t in enumerate(store.TIERS)}  # provinsi 0, kabupaten_kota 1, desa 2, tbm 3

# The 18 provinces of the 2018 network; the first 16 are the pilot's (2011).
SEED_PROVINCES = (
    "12",
    "13",
    "14",
    "16",
    "18",
    "32",
    "33",
    "34",
    "35",
    "51",
    "52",
    "53",
    "61",
    "64",
    "72",
    "73",
    "15",
    "36",
)
GUNUNGKIDUL = "34.03"
# Gunungkidul's 29 partner village libraries: (name, village, kapanewon); the first five are the pilot's.
GUNUNGKIDUL_LIBRARIES = (
    ("Perpustakaan Desa Kelor", "Kelor", "Karangmojo"),
    ("Perpustakaan Desa Gardu Pintar 2", "Kepek", "Wonosari"),
    ("Perpustakaan Desa Khasanah Info", "Bejiharjo", "Karangmojo"),
    ("Perpustakaan Desa Wiladeg", "Wiladeg", "Karangmojo"),
    ("Perpustakaan Desa Ngawis", "Ngawis", "Karangmojo"),
    ("Perpustakaan Desa Baleharjo", "Baleharjo", "Wonosari"),
    ("Perpustakaan Desa Siraman", "Siraman", "Wonosari"),
    ("Perpustakaan Desa Karangrejek", "Karangrejek", "Wonosari"),
    ("TBM Pulutan Cerdas", "Pulutan", "Wonosari"),
    ("Perpustakaan Desa Duwet", "Duwet", "Wonosari"),
    ("Perpustakaan Desa Logandeng", "Logandeng", "Playen"),
    ("Perpustakaan Desa Bleberan", "Bleberan", "Playen"),
    ("Perpustakaan Desa Getas", "Getas", "Playen"),
    ("TBM Griya Baca Nglanggeran", "Nglanggeran", "Patuk"),
    ("Perpustakaan Desa Pengkok", "Pengkok", "Patuk"),
    ("Perpustakaan Desa Candirejo", "Candirejo", "Semanu"),
    ("Perpustakaan Desa Pacarejo", "Pacarejo", "Semanu"),
    ("Perpustakaan Desa Dadapayu", "Dadapayu", "Semanu"),
    ("Perpustakaan Desa Girisekar", "Girisekar", "Panggang"),
    ("Perpustakaan Desa Sidoharjo", "Sidoharjo", "Tepus"),
    ("Perpustakaan Desa Sumberejo", "Sumberejo", "Semin"),
    ("Perpustakaan Desa Kampung", "Kampung", "Ngawen"),
    ("Perpustakaan Desa Sambirejo", "Sambirejo", "Ngawen"),
    ("Perpustakaan Desa Katongan", "Katongan", "Nglipar"),
    ("Perpustakaan Desa Kedungkeris", "Kedungkeris", "Nglipar"),
    ("Perpustakaan Desa Bedoyo", "Bedoyo", "Ponjong"),
    ("TBM Hargosari Membaca", "Hargosari", "Tanjungsari"),
    ("Perpustakaan Desa Karangasem", "Karangasem", "Paliyan"),
    ("Perpustakaan Desa Mulo", "Mulo", "Wonosari"),
)
NATIONAL_PLM_2018 = dict(
    cycle_id="2018-2",
    level="nasional",
    region_code="",
    start_date="2018-07-05",
    end_date="2018-07-06",
    city="Yogyakarta",
    venue="Royal Ambarukmo",
    title="Peer Learning Meeting Nasional PerpuSeru 2018",
)
MONITORING_TEAM = (
    "Tim Pemantau Pelaksanaan Transformasi Layanan Perpustakaan Berbasis Inklusi Sosial "
    "(BAPPENAS, Perpusnas, Kemenkeu, Kemendagri, BEKRAF)"
)
AWARD_CATEGORIES = ("perpustakaan_daerah_terbaik", "perpustakaan_desa_terbaik", "video_dampak", "lapak_terbaik")


@dataclass(frozen=True)
class Scale:
    name: str
    first_cycle: str
    last_cycle: str
    villages: int  # village libraries (desa + tbm) at the end
    story_rate: float  # stories per active library and cycle
    visit_rate: float  # monitoring visits per active library and year
    provinces: tuple[str, ...] = field(default=())  # empty: every province


SCALES: dict[str, Scale] = {
    "seed": Scale("seed", "2011-1", "2018-3", 768, 0.04, 0.15),
    "program": Scale("program", "2011-1", "2026-3", 2000, 0.03, 0.10),
    "national": Scale("national", "2012-1", "2026-3", 23_000, 0.004, 0.02),
    "stress": Scale("stress", "2012-1", "2026-3", 84_000, 0.0015, 0.01),
}

# Syllables for synthetic but Indonesian-sounding village and kecamatan names.
_PREFIX = (
    "Sumber",
    "Karang",
    "Tegal",
    "Sido",
    "Mekar",
    "Suka",
    "Bumi",
    "Tanjung",
    "Sri",
    "Harjo",
    "Wono",
    "Banyu",
    "Giri",
    "Purwo",
    "Rejo",
    "Mulyo",
    "Jati",
    "Kali",
    "Ngadi",
    "Pasir",
    "Teluk",
    "Air",
    "Batu",
    "Lubuk",
    "Padang",
    "Bukit",
    "Muara",
    "Sungai",
    "Talang",
    "Tebing",
)
_SUFFIX = (
    "jaya",
    "makmur",
    "rejo",
    "mulyo",
    "sari",
    "asri",
    "harjo",
    "wangi",
    "agung",
    "maju",
    "indah",
    "raya",
    "baru",
    "lestari",
    "mukti",
    "luhur",
    "tengah",
    "timur",
    "barat",
    "utara",
)
_BRANDS = (
    "Cahaya Ilmu",
    "Gardu Ilmu",
    "Pelita Hati",
    "Sumber Ilmu",
    "Jendela Dunia",
    "Rumah Baca",
    "Lentera",
    "Kuncup Mekar",
    "Baitul Qur'an",
    "Pustaka Rakyat",
    "Griya Baca",
    "Taman Pintar",
    "Bintang Desa",
    "Mutiara Ilmu",
    "Sahabat Baca",
    "Ar-Rahman",
    "Tunas Bangsa",
    "Pondok Baca",
)


def _word(rng: np.random.Generator) -> str:
    return _PREFIX[rng.integers(len(_PREFIX))] + _SUFFIX[rng.integers(len(_SUFFIX))]


def _cohort(year: int) -> str:
    if year <= 2015:
        return f"pilot_{year}"
    if year <= 2018:
        return f"ekspansi_{year}"
    if year <= 2022:
        return f"tpbis_{year}"
    return f"replikasi_{year}"


class _Network:
    """The libraries being built, as parallel lists (turned into arrays for the simulation)."""

    def __init__(self, districts: list[dict], provinces: list[dict], rng: np.random.Generator):
        self.rng = rng
        self.district_index = {d["code"]: i for i, d in enumerate(districts)}
        self.districts = districts
        self.province_name = {p["code"]: p["name"] for p in provinces}
        self.rows: list[dict] = []
        self.names_in_district: dict[str, set[str]] = {}
        self.entered: dict[str, int] = {}  # district code -> seq its district library joined

    def add(
        self,
        tier: str,
        district: str,
        joined_seq: int,
        name: str | None = None,
        village: str | None = None,
        subdistrict: str | None = None,
    ) -> int:
        rng = self.rng
        d = self.districts[self.district_index[district]]
        if name is None:
            if tier == "provinsi":
                name = f"Dinas Perpustakaan dan Kearsipan Provinsi {self.province_name[d['province_code']]}"
            elif tier == "kabupaten_kota":
                prefix = "" if d["kind"] == "kota" else "Kabupaten "
                name = f"Dinas Perpustakaan dan Kearsipan {prefix}{d['name']}"
            else:
                village = village or _word(rng)
                if tier == "tbm" or rng.random() < 0.3:
                    brand = _BRANDS[rng.integers(len(_BRANDS))]
                    name = f"TBM {brand}" if tier == "tbm" else f"Perpustakaan Desa {brand} {village}"
                else:
                    name = f"Perpustakaan Desa {village}"
        if tier in store.VILLAGE_TIERS:
            village = village or name.split()[-1]
            subdistrict = subdistrict or _word(rng)
        taken = self.names_in_district.setdefault(district, set())
        unique, n = name, 2
        while unique in taken:  # keep (district, name) unique so that names identify libraries in a district
            unique, n = f"{name} {n}", n + 1
        taken.add(unique)
        year = joined_seq // 3
        self.rows.append(
            dict(
                id=len(self.rows) + 1,
                name=unique,
                tier=tier,
                district_code=district,
                subdistrict=subdistrict,
                village=village,
                cohort=_cohort(year),
                joined_seq=joined_seq,
                left_seq=None,
            )
        )
        return len(self.rows)


def _split(total: int, weights: np.ndarray) -> np.ndarray:
    """Integers proportional to ``weights`` that add up to ``total`` (largest remainder)."""
    raw = weights / weights.sum() * total
    out = np.floor(raw).astype(int)
    rest = total - out.sum()
    out[np.argsort(-(raw - out), kind="stable")[:rest]] += 1
    return out


def _seed_network(net: _Network, rng: np.random.Generator) -> None:
    """The 2011–2018 PerpuSeru network: 118 pilot libraries, then 18 + 104 + 768 by 2018."""
    by_province = {p: [d["code"] for d in net.districts if d["province_code"] == p] for p in SEED_PROVINCES}
    pilot_provinces = SEED_PROVINCES[:16]
    # 34 pilot districts: two per pilot province, three in Jawa Tengah and Jawa Timur; Gunungkidul among them.
    pilot_districts: list[str] = [GUNUNGKIDUL]
    for p in pilot_provinces:
        want = 3 if p in ("33", "35") else 2
        pool = [c for c in by_province[p] if c not in pilot_districts]
        have = sum(c.startswith(p + ".") for c in pilot_districts)
        pilot_districts += list(rng.choice(pool, size=want - have, replace=False))
    # 70 more districts in 2016 (40) and 2017 (30), at least one in each of the two new provinces.
    remaining = {p: [c for c in by_province[p] if c not in pilot_districts] for p in SEED_PROVINCES}
    new_districts: list[tuple[str, int]] = []
    for p in SEED_PROVINCES[16:]:
        pick = str(rng.choice(remaining[p]))
        remaining[p].remove(pick)
        new_districts.append((pick, 2016))
    pool = [c for p in SEED_PROVINCES for c in remaining[p]]
    extra = list(rng.choice(pool, size=68, replace=False))
    new_districts += [(c, 2016) for c in extra[:38]] + [(c, 2017) for c in extra[38:]]

    for i, code in enumerate(pilot_districts):
        net.entered[code] = cycle_seq(2011, 1 + (i % 2))
        net.add("kabupaten_kota", code, net.entered[code])
    for code, year in new_districts:
        net.entered[code] = cycle_seq(year, 1 + int(rng.integers(2)))
        net.add("kabupaten_kota", code, net.entered[code])
    for i, p in enumerate(SEED_PROVINCES):  # provincial libraries joined with the expansion
        capital = min(c for c in by_province[p] if c in net.entered)
        net.add("provinsi", capital, cycle_seq(2016 + (i >= 16), 1))

    # Village libraries: Gunungkidul's 29 by name, the rest spread over the districts.
    for i, (name, village, sub) in enumerate(GUNUNGKIDUL_LIBRARIES):
        joined = cycle_seq(2011, 1 + (i % 2)) if i < 5 else cycle_seq(2016 + (i - 5) % 3, 1)
        net.add(
            "tbm" if name.startswith("TBM") else "desa",
            GUNUNGKIDUL,
            joined,
            name=name,
            village=village,
            subdistrict=sub,
        )
    others = [c for c in pilot_districts if c != GUNUNGKIDUL]
    for code, n in zip(others, _split(84 - 5, np.ones(len(others)))):
        for _ in range(n):
            net.add("tbm" if rng.random() < 0.15 else "desa", code, net.entered[code] + int(rng.integers(2)))
    # 660 expansion villages over the 103 other districts, joining 2016–2018 (all by 2018-1).
    districts = others + [c for c, _ in new_districts]
    counts = _split(768 - 29 - 79, rng.uniform(0.5, 1.5, len(districts)))
    for code, n in zip(districts, counts):
        first_year = max(2016, net.entered[code] // 3)
        for _ in range(n):
            year = int(rng.integers(first_year, 2019))
            net.add("tbm" if rng.random() < 0.15 else "desa", code, cycle_seq(year, 1))


def _grow_network(
    net: _Network,
    rng: np.random.Generator,
    scale: Scale,
    provinces: list[str],
    first_year: int,
    village_years: tuple[int, int],
    district_target: int,
) -> None:
    """Add provinces' and districts' libraries and village libraries up to the scale's size."""
    # Districts enter in waves; each brings its district library.
    candidates = [d["code"] for d in net.districts if d["province_code"] in provinces and d["code"] not in net.entered]
    need = district_target - len(net.entered)
    chosen = list(rng.choice(candidates, size=min(need, len(candidates)), replace=False)) if need > 0 else []
    last_year = min(2022, int(scale.last_cycle[:4]))
    for code in chosen:
        year = int(rng.integers(first_year, last_year + 1))
        net.entered[code] = cycle_seq(year, 1 + int(rng.integers(3)))
        net.add("kabupaten_kota", code, net.entered[code])
    have_province = {
        net.districts[net.district_index[r["district_code"]]]["province_code"]
        for r in net.rows
        if r["tier"] == "provinsi"
    }
    for p in provinces:
        if p in have_province:
            continue
        entered = [(s, c) for c, s in net.entered.items() if c.startswith(p + ".")]
        if entered:
            seq, code = min(entered)
            net.add("provinsi", code, seq + int(rng.integers(3)))
    # Village libraries: kabupaten get more than kota; the count per district varies.
    villages_now = sum(r["tier"] in store.VILLAGE_TIERS for r in net.rows)
    codes = sorted(net.entered)
    kinds = np.array([net.districts[net.district_index[c]]["kind"] == "kabupaten" for c in codes])
    weights = np.where(kinds, 1.0, 0.35) * rng.lognormal(0, 0.5, len(codes))
    y0, y1 = village_years
    last = cycle_seq(*map(int, scale.last_cycle.split("-")))
    for code, n in zip(codes, _split(scale.villages - villages_now, weights)):
        start = max(net.entered[code], cycle_seq(y0, 1))
        span = max(1, min(cycle_seq(y1, 3), last) - start + 1)
        # Earlier joins are likelier: most village libraries joined in the first years of their district.
        offsets = np.floor(span * rng.beta(1.2, 2.2, n)).astype(int)
        for off in offsets:
            net.add("tbm" if rng.random() < 0.15 else "desa", code, start + int(off))


def _departures(net: _Network, rng: np.random.Generator, not_before: int, last: int, share: float) -> None:
    """A few libraries leave the program (left_cycle = their last active cycle)."""
    for r in net.rows:
        if r["tier"] in store.VILLAGE_TIERS and rng.random() < share:
            lo = max(not_before, r["joined_seq"] + 3)
            if lo < last:
                r["left_seq"] = int(rng.integers(lo, last))


# --- the simulation -------------------------------------------------------------------------------------


def _covid(seq: np.ndarray, strength: float) -> np.ndarray:
    """Meetings and visits dipped in 2020 and recovered through 2021."""
    factors = {
        cycle_seq(2020, 1): 0.85,
        cycle_seq(2020, 2): 0.45,
        cycle_seq(2020, 3): 0.6,
        cycle_seq(2021, 1): 0.75,
        cycle_seq(2021, 2): 0.88,
        cycle_seq(2021, 3): 0.95,
    }
    out = np.ones(seq.shape)
    for s, f in factors.items():
        out[seq == s] = 1 - (1 - f) * strength
    return out


# From 2019 on (after the seed documents' PerpuSeru years) each region follows its own course: the values of a
# library are multiplied by exp(the sum of the slopes below x the years since 2019-1), so a province can improve,
# stall or fall back, and change direction once. docs/demo-data.md explains the numbers.
COURSE_START = cycle_seq(2019, 1)
COURSE_BEFORE = (-0.16, 0.04)  # mean and spread of a province's yearly log-change until its turn
COURSE_AFTER = (0.0, 0.065)  # ...and after it: some recover, others keep falling
COURSE_TURN_YEARS = (2.5, 5.5)  # a province's turn comes this many years after 2019-1
COURSE_STRATEGY = 0.02  # spread of a province's own yearly log-change per strategy
COURSE_DISTRICT = 0.03  # spread of a district's yearly log-change around its province's
COURSE_LIBRARY = 0.05  # spread of a library's yearly log-change around its district's


class _Course:
    """The regions' and libraries' courses after 2018: a factor per report value (1 before 2019-1).

    Drawn from a generator of its own (seeded by the demo's seed), so that the main simulation draws exactly
    what it drew before: the seed-scale demo (2011-1 to 2018-3) is unchanged by it.
    """

    def __init__(self, seed: int, n_lib: int, n_prov: int, n_dist: int):
        rng = np.random.default_rng([seed, 2019])
        self.before = rng.normal(*COURSE_BEFORE, n_prov)
        self.after = rng.normal(*COURSE_AFTER, n_prov)
        self.turn = rng.uniform(*COURSE_TURN_YEARS, n_prov)
        self.strategy = rng.normal(0, COURSE_STRATEGY, (n_prov, len(store.STRATEGIES)))
        self.district = rng.normal(0, COURSE_DISTRICT, n_dist)
        self.library = rng.normal(0, COURSE_LIBRARY, n_lib)
        self.strategy_of = {i.code: store.STRATEGIES.index(i.strategy) for i in INDICATORS}
        self._cache: tuple | None = None

    def factor(self, code: str, lib: np.ndarray, seq: np.ndarray, prov: np.ndarray, dist: np.ndarray) -> np.ndarray:
        if self._cache is None or self._cache[0] is not lib:
            years = np.maximum(0, seq - COURSE_START + 1) / 3.0
            p = prov[lib]
            turn = self.turn[p]
            province = self.before[p] * np.minimum(years, turn) + self.after[p] * np.maximum(0, years - turn)
            own = years * (self.district[dist[lib]] + self.library[lib])
            self._cache = (lib, years, p, province + own)
        _, years, p, log_f = self._cache
        return np.exp(log_f + years * self.strategy[p, self.strategy_of[code]])


def _date(day_numbers: np.ndarray) -> list[str]:
    base = dt.date(1970, 1, 1)
    return [(base + dt.timedelta(days=int(d))).isoformat() for d in day_numbers]


def _day_number(iso: str) -> int:
    return (dt.date.fromisoformat(iso) - dt.date(1970, 1, 1)).days


STORY_TEMPLATES = {
    "achievement": (
        "{lib} mengadakan pelatihan {skill} untuk {n} warga; {m} peserta kini menjual hasilnya di lapak desa.",
        "Kunjungan ke {lib} naik dua kali lipat setelah pojok baca anak dibuka setiap sore.",
        "Berkat advokasi {lib}, pemerintah desa menganggarkan dana perpustakaan tahun ini.",
        "{lib} menjadi tempat belajar {skill} bagi kelompok ibu-ibu PKK; {n} orang ikut rutin.",
    ),
    "obstacle": (
        "Koneksi internet di {village} sering terputus sehingga layanan komputer {lib} terhambat.",
        "Pengelola {lib} hanya dua orang relawan, sehingga jam buka terbatas.",
        "Ruang {lib} sempit dan bocor saat musim hujan; sebagian koleksi rusak.",
    ),
    "challenge": (
        "Tantangan {lib} adalah menjangkau pemuda yang lebih banyak menghabiskan waktu di media sosial.",
        "{lib} perlu meyakinkan perangkat desa baru agar program perpustakaan tetap didukung.",
        "Menjaga laporan daring tetap tepat waktu menjadi tantangan bagi pengelola {lib}.",
    ),
    "innovation": (
        "{lib} membuka kelas {skill} daring lewat grup WhatsApp untuk warga yang bekerja di luar desa.",
        "{lib} bekerja sama dengan BUMDes memasarkan produk olahan warga secara daring.",
        "Perpustakaan keliling dengan sepeda motor dari {lib} menjangkau dusun terpencil di {village}.",
    ),
}
SKILLS = (
    "membatik",
    "budidaya lele",
    "menjahit",
    "membuat kue",
    "fotografi produk",
    "pemasaran daring",
    "anyaman bambu",
    "pengolahan singkong",
    "servis ponsel",
    "hidroponik",
)


def build(path: str | Path, scale: str = "seed", seed: int = 2018, progress: Progress | None = None) -> dict:
    """Write a complete demo database at ``path`` (replacing it) and return its row counts.

    The database is built in a temporary file beside ``path`` and moved into place when complete, so a
    reader never sees a half-built database.
    """
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; choose one of {', '.join(SCALES)}")
    if db.is_url(path):
        return _build_postgres(path, scale, seed, progress)
    sc = SCALES[scale]
    report = progress or (lambda fraction, message: None)
    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".building")
    for leftover in (tmp, Path(str(tmp) + "-journal")):
        leftover.unlink(missing_ok=True)

    provinces = reference.provinces()
    districts = reference.districts()
    cycles = reference.cycle_range(sc.first_cycle, sc.last_cycle)
    seq0, seq1 = cycles[0]["seq"], cycles[-1]["seq"]
    seq_to_cycle = {c["seq"]: c for c in cycles}

    report(0.02, "network")
    net = _Network(districts, provinces, rng)
    with_seed = scale in ("seed", "program")
    if with_seed:
        _seed_network(net, rng)
    if scale == "program":
        program_provinces = [p["code"] for p in provinces if p["code"] not in ("93", "94", "95", "96")]
        _grow_network(net, rng, sc, program_provinces, 2019, (2019, 2026), 300)
        _departures(net, rng, cycle_seq(2019, 1), seq1, 0.05)
    elif scale in ("national", "stress"):
        all_provinces = [p["code"] for p in provinces]
        _grow_network(net, rng, sc, all_provinces, 2012, (2012, 2024), len(districts))
        _departures(net, rng, seq0 + 3, seq1, 0.05)

    lib = {k: np.array([r[k] for r in net.rows]) for k in ("id", "joined_seq")}
    n_lib = len(net.rows)
    tier = np.array([TIER_INDEX[r["tier"]] for r in net.rows])
    dist = np.array([net.district_index[r["district_code"]] for r in net.rows])
    prov_codes = sorted({d["province_code"] for d in districts})
    prov_of_district = np.array([prov_codes.index(d["province_code"]) for d in districts])
    prov = prov_of_district[dist]
    left = np.array([r["left_seq"] if r["left_seq"] is not None else seq1 for r in net.rows])
    joined = lib["joined_seq"]

    # Latent traits: regions differ (province and district effects), libraries differ within them.
    prov_effect = rng.normal(0, 0.35, len(prov_codes))
    dist_effect = rng.normal(0, 0.25, len(districts))
    engagement = 1 / (1 + np.exp(-(rng.normal(1.1, 0.9, n_lib) + prov_effect[prov] + dist_effect[dist])))
    reliability = 1 / (1 + np.exp(-(rng.normal(1.6, 0.9, n_lib) + prov_effect[prov] * 0.8)))
    punctuality = 1 / (1 + np.exp(-(rng.normal(1.2, 1.0, n_lib) + prov_effect[prov] * 0.5)))
    capacity = rng.lognormal(0, 0.45, n_lib) * np.exp(prov_effect[prov] * 0.4)
    tier_scale = np.array([6.0, 3.5, 1.0, 0.75])[tier]

    # The library-cycle grid: one row per library and cycle in which it was active.
    span = left - joined + 1
    lc_lib = np.repeat(np.arange(n_lib), span)
    lc_seq = np.concatenate([np.arange(j, last_seq + 1) for j, last_seq in zip(joined, left)])
    tenure = lc_seq - joined[lc_lib]
    report(0.1, "meetings")

    # --- meetings ---
    meetings: list[tuple] = []
    meeting_of_district = np.zeros((len(districts), seq1 - seq0 + 1), dtype=np.int64)
    active_districts = np.zeros((len(districts), seq1 - seq0 + 1), dtype=bool)
    active_districts[dist[lc_lib], lc_seq - seq0] = True
    venues = (
        "Aula Dinas Perpustakaan",
        "Pendopo Kabupaten",
        "Gedung Serbaguna",
        "Balai Desa",
        "Hotel Santika",
        "Ruang Rapat Bappeda",
    )
    national_plm_2018 = None
    for s in range(seq0, seq1 + 1):
        c = seq_to_cycle[s]
        start, end = _day_number(c["start_date"]), _day_number(c["end_date"])
        covid_online = c["id"] in ("2020-2", "2020-3", "2021-1")
        if with_seed and c["id"] == NATIONAL_PLM_2018["cycle_id"]:
            meetings.append(tuple(NATIONAL_PLM_2018.values()))
            national_plm_2018 = len(meetings)
        elif c["term"] == 2 and (scale != "seed") and c["year"] >= (2019 if with_seed else 2013):
            day = start + int(rng.integers(30, 90))
            meetings.append(
                (
                    c["id"],
                    "nasional",
                    "",
                    _date([day])[0],
                    _date([day + 1])[0],
                    "Jakarta",
                    "Daring" if covid_online else "Perpustakaan Nasional RI",
                    f"Peer Learning Meeting Nasional {c['year']}",
                )
            )
        if c["term"] == 3:
            for p in prov_codes:
                if active_districts[prov_of_district == prov_codes.index(p), s - seq0].any():
                    day = start + int(rng.integers(10, 100))
                    pname = net.province_name[p]
                    meetings.append(
                        (
                            c["id"],
                            "provinsi",
                            p,
                            _date([day])[0],
                            _date([day + 1])[0],
                            pname,
                            "Daring" if covid_online else "Aula Dinas Perpustakaan Provinsi",
                            f"PLM Provinsi {pname} {c['id']}",
                        )
                    )
        for di in np.flatnonzero(active_districts[:, s - seq0]):
            if rng.random() < 0.03:  # a district occasionally skips its PLM
                continue
            d = districts[di]
            day = start + int(rng.integers(5, end - start - 5))
            city = d["name"].removeprefix("Kota ")
            meetings.append(
                (
                    c["id"],
                    "kabupaten",
                    d["code"],
                    _date([day])[0],
                    _date([day])[0],
                    city,
                    "Daring" if covid_online else venues[int(rng.integers(len(venues)))],
                    f"PLM {'Kabupaten ' if d['kind'] == 'kabupaten' else ''}{d['name']} {c['id']}",
                )
            )
            meeting_of_district[di, s - seq0] = len(meetings)
    meeting_level = np.array([m[1] for m in meetings])
    meeting_cycle = np.array([int(m[0][:4]) * 3 + int(m[0][5]) - 1 for m in meetings])
    meeting_region = np.array([m[2] for m in meetings])
    report(0.2, "attendance")

    # --- attendance ---
    covid_att = _covid(lc_seq, 1.0)
    p_att = np.clip(
        (0.35 + 0.6 * engagement[lc_lib]) * covid_att * np.where(tenure == 0, 1.05, 1.0)
        - np.where(tenure > 15, 0.08 * (1 - engagement[lc_lib]), 0),
        0.02,
        0.98,
    )
    is_district_lib = tier[lc_lib] == 1
    p_att = np.where(is_district_lib, 0.96 * covid_att, p_att)
    # A provincial library joins the PLM of the district it sits in as a resource (narasumber), most cycles.
    p_att = np.where(tier[lc_lib] == 0, 0.8 * covid_att, p_att)
    district_meeting = meeting_of_district[dist[lc_lib], lc_seq - seq0]
    go = (district_meeting > 0) & (rng.random(len(lc_lib)) < p_att)
    att_meeting = [district_meeting[go]]
    att_lib = [lc_lib[go]]
    # Provincial and national PLMs: who comes depends on tier.
    order = np.argsort(lc_seq, kind="stable")
    bounds = np.searchsorted(lc_seq[order], np.arange(seq0, seq1 + 2))
    for mid in np.flatnonzero(meeting_level != "kabupaten") + 1:
        s = meeting_cycle[mid - 1]
        active = lc_lib[order[bounds[s - seq0] : bounds[s - seq0 + 1]]]
        if mid == national_plm_2018:
            chosen = active  # the whole 2018 network came to Yogyakarta
        elif meeting_level[mid - 1] == "provinsi":
            p = prov_codes.index(meeting_region[mid - 1])
            active = active[prov[active] == p]
            chance = np.array([0.95, 0.8, 0.0, 0.0])[tier[active]]
            chosen = active[rng.random(len(active)) < chance]
        else:
            chance = np.array([0.9, 0.55, 0.03, 0.03])[tier[active]] * engagement[active] * 1.3
            chosen = active[rng.random(len(active)) < chance]
        att_meeting.append(np.full(len(chosen), mid))
        att_lib.append(chosen)
    a_meeting = np.concatenate(att_meeting)
    a_lib = np.concatenate(att_lib)
    a_tier = tier[a_lib]
    attendees = np.where(
        a_tier == 2,
        1 + rng.binomial(2, 0.4, len(a_lib)),
        np.where(a_tier == 3, 1 + rng.binomial(2, 0.35, len(a_lib)), 2 + rng.binomial(4, 0.4, len(a_lib))),
    )
    female = rng.binomial(attendees, 0.56)
    presented = (rng.random(len(a_lib)) < np.array([0.5, 0.6, 0.25, 0.25])[a_tier]).astype(int)
    lapak = ((rng.random(len(a_lib)) < 0.2) & (a_tier >= 2)).astype(int)
    report(0.3, "reports")

    # --- reports ---
    p_rep = np.clip(reliability[lc_lib] * _covid(lc_seq, 0.4) * np.where(tenure == 0, 0.7, 1.0), 0.05, 0.99)
    reported = rng.random(len(lc_lib)) < p_rep
    r_lib, r_seq, r_ten = lc_lib[reported], lc_seq[reported], tenure[reported]
    ends = np.array([_day_number(seq_to_cycle[s]["end_date"]) for s in range(seq0, seq1 + 1)])
    on_time = rng.random(len(r_lib)) < punctuality[r_lib]
    lag = np.where(
        on_time,
        rng.integers(-10, reference.REPORT_GRACE_DAYS + 1, len(r_lib)),
        rng.integers(reference.REPORT_GRACE_DAYS + 1, 76, len(r_lib)),
    )
    submitted = ends[r_seq - seq0] + lag
    # Maturity: libraries improve after joining, the engaged ones more and faster.
    eng = engagement[r_lib]
    level = (0.35 + 0.15 * eng) + (0.45 + 0.9 * eng) * (1 - np.exp(-r_ten / 6.0))
    season = np.array([0.95, 1.1, 1.0])[r_seq % 3]
    base = capacity[r_lib] * tier_scale[r_lib] * level * season
    physical = _covid(r_seq, 0.8)
    n_rep = len(r_lib)
    values: dict[str, np.ndarray] = {}
    present: dict[str, np.ndarray] = {}
    noise = lambda sd=0.25: rng.lognormal(0, sd, n_rep)  # noqa: E731
    targets = {i.code: i.target for i in INDICATORS}
    course = _Course(seed, n_lib, len(prov_codes), len(districts))
    for code in (
        "kunjungan",
        "anggota_aktif",
        "pengguna_internet",
        "kegiatan",
        "peserta_kegiatan",
        "pelatihan",
        "kemitraan",
        "pertemuan_advokasi",
        "dokumentasi",
        "cerita_sukses",
        "manfaat_ekonomi",
        "penjualan_lapak",
        "anggaran",
    ):
        f = physical if code in ("kunjungan", "kegiatan", "peserta_kegiatan", "pelatihan") else 1.0
        if code == "pengguna_internet":
            f = 2 - physical  # people went online when the buildings closed
        values[code] = targets[code] * base * f * noise() * course.factor(code, r_lib, r_seq, prov, dist)
    share_women = rng.beta(11, 9, n_rep)
    values["peserta_perempuan"] = values["peserta_kegiatan"] * share_women
    values["peserta_pemuda"] = values["peserta_kegiatan"] * rng.beta(7, 13, n_rep)
    values["peserta_disabilitas"] = values["peserta_kegiatan"] * rng.beta(1, 30, n_rep)
    values["peserta_pelatihan"] = values["pelatihan"] * rng.uniform(8, 20, n_rep)
    presence = {
        "peserta_disabilitas": 0.7,
        "penjualan_lapak": 0.55,
        "manfaat_ekonomi": 0.8,
        "kemitraan": 0.85,
        "anggaran": 0.0,
    }
    for i in INDICATORS:
        present[i.code] = rng.random(n_rep) < presence.get(i.code, 0.97)
    present["anggaran"] = (r_seq % 3 == 0) & (rng.random(n_rep) < 0.8)  # budgets are reported once a year
    for code, v in values.items():
        if code in ("penjualan_lapak", "anggaran"):
            values[code] = np.round(v / 1000) * 1000
        else:
            values[code] = np.rint(v)
    typo = rng.random(n_rep) < 0.0005  # an extra zero typed now and then: the outliers
    values["kunjungan"] = np.where(typo, values["kunjungan"] * 10, values["kunjungan"])
    report(0.45, "stories, visits, awards")

    # --- stories ---
    lib_name = [r["name"] for r in net.rows]
    lib_village = [r["village"] or districts[dist[i]]["name"] for i, r in enumerate(net.rows)]
    story_rows = []
    has_story = np.flatnonzero(rng.random(len(lc_lib)) < sc.story_rate * (0.5 + engagement[lc_lib]))
    kinds = store.STORY_KINDS
    for k in has_story:
        li, s = lc_lib[k], lc_seq[k]
        kind = kinds[int(rng.choice(4, p=[0.4, 0.2, 0.2, 0.2]))]
        templates = STORY_TEMPLATES[kind]
        text = templates[int(rng.integers(len(templates)))].format(
            lib=lib_name[li],
            village=lib_village[li],
            skill=SKILLS[int(rng.integers(len(SKILLS)))],
            n=int(rng.integers(10, 60)),
            m=int(rng.integers(3, 10)),
        )
        story_rows.append((int(lib["id"][li]), seq_to_cycle[s]["id"], kind, text, None))

    # --- visits ---
    visit_rows = []
    teams = ("Tim Pendamping Kabupaten", "Tim Pendamping Provinsi", "Perpusnas RI", "Coca-Cola Foundation Indonesia")
    notes = (
        "Pendampingan laporan daring",
        "Pemantauan kegiatan pelatihan",
        "Evaluasi layanan berbasis TIK",
        "Diskusi advokasi anggaran desa",
        "Verifikasi dokumentasi kegiatan",
    )
    if with_seed:
        gk_lib = next(r["id"] for r in net.rows if r["district_code"] == GUNUNGKIDUL and r["tier"] == "kabupaten_kota")
        kelor = next(r["id"] for r in net.rows if r["name"] == "Perpustakaan Desa Kelor")
        visit_rows += [
            (gk_lib, "2018-05-23", MONITORING_TEAM, "Kunjungan pemantauan ke DPK Kabupaten Gunungkidul"),
            (kelor, "2018-05-23", MONITORING_TEAM, "Kunjungan pemantauan ke Perpustakaan Desa Kelor, Karangmojo"),
        ]
    # visit_rate is per year: a third of it in each cycle.
    visited = np.flatnonzero(rng.random(len(lc_lib)) < sc.visit_rate / 3)
    for k in visited:
        c = seq_to_cycle[lc_seq[k]]
        day = _day_number(c["start_date"]) + int(rng.integers(0, 110))
        visit_rows.append(
            (
                int(lib["id"][lc_lib[k]]),
                _date([day])[0],
                teams[int(rng.integers(len(teams)))],
                notes[int(rng.integers(len(notes)))],
            )
        )
    visit_rows.sort(key=lambda v: (v[1], v[0]))

    # --- awards ---
    award_rows = []
    if with_seed:
        by_name = {r["name"]: r["id"] for r in net.rows if r["district_code"] == GUNUNGKIDUL}
        gardu, khasanah = by_name["Perpustakaan Desa Gardu Pintar 2"], by_name["Perpustakaan Desa Khasanah Info"]
        award_rows += [
            (national_plm_2018, gk_lib, "perpustakaan_daerah_terbaik", 1),
            (national_plm_2018, gardu, "perpustakaan_desa_terbaik", 1),
            (national_plm_2018, khasanah, "perpustakaan_desa_terbaik", 1),
            (national_plm_2018, gardu, "video_dampak", 1),
            (national_plm_2018, gk_lib, "lapak_terbaik", 1),
        ]
    order_att = np.argsort(a_meeting, kind="stable")
    m_bounds = np.searchsorted(a_meeting[order_att], np.arange(1, len(meetings) + 2))
    for mid in range(1, len(meetings) + 1):
        if mid == national_plm_2018:
            continue
        level_m = meeting_level[mid - 1]
        if level_m == "kabupaten" and meeting_cycle[mid - 1] % 3 != 2:
            continue  # district awards once a year, at the third PLM
        libs = a_lib[order_att[m_bounds[mid - 1] : m_bounds[mid]]]
        score = engagement[libs] + rng.normal(0, 0.15, len(libs))
        villages = libs[tier[libs] >= 2]
        if len(villages) >= 3 and level_m != "provinsi":
            best = villages[np.argsort(-score[tier[libs] >= 2])[:3]]
            award_rows += [(mid, int(lib["id"][b]), "perpustakaan_desa_terbaik", r + 1) for r, b in enumerate(best)]
        if level_m == "nasional":
            districts_here = libs[tier[libs] == 1]
            if len(districts_here):
                best = districts_here[np.argsort(-score[tier[libs] == 1])[:3]]
                award_rows += [
                    (mid, int(lib["id"][b]), "perpustakaan_daerah_terbaik", r + 1) for r, b in enumerate(best)
                ]
            if len(villages):
                award_rows.append((mid, int(lib["id"][villages[int(rng.integers(len(villages)))]]), "video_dampak", 1))
                award_rows.append((mid, int(lib["id"][villages[int(rng.integers(len(villages)))]]), "lapak_terbaik", 1))
    award_rows = list(dict.fromkeys(award_rows))

    # --- write ---
    report(0.55, "writing")
    conn = sqlite3.connect(str(tmp))
    try:
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA foreign_keys = OFF")  # checked once at the end by store.check()
        store.create_schema(conn, indexes=False)
        reference.load_reference(conn, cycles)
        conn.executemany(
            "INSERT INTO libraries(id, name, tier, district_code, subdistrict, village, cohort, joined_cycle, "
            "left_cycle) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    r["id"],
                    r["name"],
                    r["tier"],
                    r["district_code"],
                    r["subdistrict"],
                    r["village"],
                    r["cohort"],
                    seq_to_cycle[r["joined_seq"]]["id"],
                    seq_to_cycle[r["left_seq"]]["id"] if r["left_seq"] is not None else None,
                )
                for r in net.rows
            ],
        )
        conn.executemany(
            "INSERT INTO meetings(id, cycle_id, level, region_code, start_date, end_date, city, venue, "
            "title) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(i + 1, *m) for i, m in enumerate(meetings)],
        )
        att_order = np.lexsort((a_lib, a_meeting))
        conn.executemany(
            "INSERT INTO attendance(meeting_id, library_id, attendees, attendees_female, presented, lapak) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            zip(
                a_meeting[att_order].tolist(),
                lib["id"][a_lib[att_order]].tolist(),
                attendees[att_order].tolist(),
                female[att_order].tolist(),
                presented[att_order].tolist(),
                lapak[att_order].tolist(),
            ),
        )
        report(0.65, "writing reports")
        _write_reports(conn, lib["id"][r_lib], r_seq, submitted, values, present, seq_to_cycle, report)
        conn.executemany(
            "INSERT INTO stories(library_id, cycle_id, kind, text, link) VALUES (?, ?, ?, ?, ?)", story_rows
        )
        conn.executemany("INSERT INTO visits(library_id, visit_date, team, notes) VALUES (?, ?, ?, ?)", visit_rows)
        conn.executemany("INSERT INTO awards(meeting_id, library_id, category, rank) VALUES (?, ?, ?, ?)", award_rows)
        store.set_meta(
            conn,
            demo_scale=scale,
            demo_seed=seed,
            demo=1,
            as_of=(dt.date.fromisoformat(cycles[-1]["end_date"]) + dt.timedelta(days=76)).isoformat(),
        )
        conn.commit()
        report(0.9, "indexes")
        store.create_indexes(conn)
        conn.execute("ANALYZE")
        conn.commit()
        problems = store.check(conn)
        if problems:
            raise RuntimeError("demo database failed its own check: " + "; ".join(problems))
        counts = store.row_counts(conn)
        conn.execute("PRAGMA journal_mode = WAL")
    finally:
        conn.close()
    _replace(tmp, path)
    report(1.0, "done")
    counts["seconds"] = round(time.perf_counter() - started, 2)
    return counts


def _build_postgres(url: str, scale: str, seed: int, progress: Progress | None) -> dict:
    """The demo on PostgreSQL: built as a SQLite file in a temporary folder (the same code, so the same rows),
    then copied in ONE transaction that drops the old tables, creates the schema, COPYs every table and builds
    the indexes: readers see the old database or the new one, and a failure leaves the old one untouched.
    The server is reached first, so an unreachable one fails before anything is built (``db.Unreachable``)."""
    import tempfile

    report = progress or (lambda fraction, message: None)
    started = time.perf_counter()
    conn = store.connect(url)
    try:
        with tempfile.TemporaryDirectory(prefix="plm-demo-") as folder:
            local = Path(folder) / "demo.db"
            build(local, scale, seed, lambda f, m: report(f * 0.8, m))
            report(0.8, "copying to PostgreSQL")
            with store.opened(local, readonly=True) as src:
                db.drop_tables(conn, ("import_changes", *reversed(store.ALL_TABLES)))
                conn.executescript(store.SCHEMA)
                for table in store.ALL_TABLES:
                    names = db.columns(src, table)
                    # names come from the file this function just built with store.SCHEMA
                    rows = src.execute(f"SELECT {', '.join(f'[{n}]' for n in names)} FROM [{table}]")  # noqa: S608
                    db.copy_rows(conn, table, names, rows)
            report(0.95, "indexes")
            conn.executescript(store.INDEXES)
            db.sync_identities(conn, db.ID_TABLES)
            problems = store.check(conn)
            if problems:
                raise RuntimeError("demo database failed its own check: " + "; ".join(problems))
            counts = store.row_counts(conn)
            conn.commit()
    except BaseException:
        conn.rollback()
        raise
    finally:
        conn.close()
    report(1.0, "done")
    counts["seconds"] = round(time.perf_counter() - started, 2)
    return counts


def _write_reports(conn, lib_ids, seqs, submitted, values, present, seq_to_cycle, report) -> None:
    """Insert report values in primary-key order (library, cycle, indicator), which SQLite writes fastest."""
    codes = sorted(values)  # indicator codes sorted, so rows arrive in key order
    cycle_ids = {s: c["id"] for s, c in seq_to_cycle.items()}
    order = np.lexsort((seqs, lib_ids))
    submitted_iso = np.array(_date(np.unique(submitted)))
    sub_index = np.searchsorted(np.unique(submitted), submitted)
    chunk = 200_000
    sql = "INSERT INTO reports(library_id, cycle_id, indicator_code, value, submitted_on) VALUES (?, ?, ?, ?, ?)"
    for start in range(0, len(order), chunk):
        idx = order[start : start + chunk]
        libs = lib_ids[idx].tolist()
        cyc = [cycle_ids[s] for s in seqs[idx].tolist()]
        sub = submitted_iso[sub_index[idx]].tolist()
        cols = [(values[c][idx].tolist(), present[c][idx].tolist()) for c in codes]
        rows = []
        for j in range(len(idx)):
            for c, (vals, pres) in zip(codes, cols):
                if pres[j]:
                    rows.append((libs[j], cyc[j], c, vals[j], sub[j]))
        conn.executemany(sql, rows)
        report(0.65 + 0.25 * (start + len(idx)) / max(1, len(order)), "writing reports")


def _replace(tmp: Path, path: Path) -> None:
    """Move the finished database into place; stale WAL files of the old one must not survive it."""
    if path.exists():
        try:
            with store.opened(path) as old:
                old.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.DatabaseError:
            pass  # an unreadable old file is simply replaced
    os.replace(tmp, path)
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def ensure(path: str | Path, progress: Progress | None = None, scale: str = "seed", seed: int = 2018) -> bool:
    """Build the demo database at ``path`` if there is none; return whether it was built.

    A lock file keeps two processes (or two first sessions) from building it at the same time.
    """
    import fcntl

    path = Path(path)
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if path.exists():  # another process built it while we waited
            return False
        build(path, scale, seed, progress)
    return True
