"""An independent computation of the dashboard's figures, written as plain SQL from the rules.

The rules are those of docs/metrics.md and issue 12. This module never imports analytics.metrics,
analytics.views, analytics.dataset or analytics.snapshot: the database's tables are copied into an in-memory
DuckDB database and every figure is one SQL query over them (pandas only carries the results).

The rules, as this oracle reads them:

- A library is active in cycle c when joined <= c <= left (left inclusive; empty = still active). What it
  reported or did outside its active cycles is ignored, report values included.
- "No PLM held" for a library and cycle: no meeting of its district (level 'kabupaten', region_code = its
  district), its province (level 'provinsi', region_code = its province) nor a national one was held in the
  cycle, and it attended none. Such library-cycles are left out of attendance rates (both parts) and of
  streaks (they neither break nor extend one).
- participation rate = active library-cycles with a PLM held that attended >= 1 PLM / active library-cycles
  with a PLM held; over a range (or a region) the sums of both.
- reporting rate = active libraries with >= 1 report value for the cycle / active libraries.
- A report's date is its earliest non-empty submitted_on; none = "date unknown": reported, not on time.
  On time = date <= cycle end + 14 days; timeliness = on time / reported.
- Streaks, never attended (at least one cycle with a PLM held, none attended) and at risk over the range's
  cycles; risers and fallers leave out regions whose rate rests on fewer than 5 libraries with a PLM held in
  either cycle (docs/metrics.md); change since joining from a library's active
  reported cycles up to the range's end; the scorecard from medians of active reporting libraries in the
  range's last cycle; risers and fallers from the cycle before the range's last one (full data).
"""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass, replace

import duckdb
import pandas as pd

GRACE_DAYS = 14
GREEN_AT, YELLOW_AT, CAP = 1.0, 0.75, 1.5
MIN_ACTIVE_FOR_RANKING = 5
MIN_LIBRARIES = 5  # docs/metrics.md: a rate resting on fewer libraries is marked ("few")
TABLES = ("provinces", "districts", "cycles", "indicators", "libraries", "meetings", "attendance", "reports", "visits")


@dataclass(frozen=True)
class View:
    """What the filters select: the same parameters as the app's URL (None = no filter / the default)."""

    province: str | None = None
    district: str | None = None
    tier: str | None = None
    cohort: str | None = None
    first: str | None = None  # cycle id; None = the first cycle
    last: str | None = None  # cycle id; None = the last cycle
    indicator: str = "kunjungan"

    def with_(self, **changes) -> View:
        return replace(self, **changes)

    @property
    def level(self) -> str:
        if self.district:
            return "library"
        return "district" if self.province else "province"

    def __str__(self) -> str:
        return ",".join(f"{k}={v}" for k, v in self.params().items()) or "all"

    def params(self) -> dict[str, str]:
        """The query parameters of this view."""
        out = {
            "province": self.province,
            "district": self.district,
            "tier": self.tier,
            "cohort": self.cohort,
            "from": self.first,
            "to": self.last,
            "indicator": self.indicator if self.indicator != "kunjungan" else None,
        }
        return {k: v for k, v in out.items() if v}


# Selected libraries with their cycle ordinals; every library-cycle fact of the rules, for all cycles.
BASE = """
WITH lib AS (
    SELECT l.id, l.name, l.tier, l.cohort, l.district_code, d.province_code,
           CASE $level WHEN 'province' THEN d.province_code WHEN 'district' THEN l.district_code
                ELSE CAST(l.id AS VARCHAR) END AS region,
           j.seq AS joined_seq, x.seq AS left_seq
    FROM libraries l
    JOIN districts d ON d.code = l.district_code
    JOIN cycles j ON j.id = l.joined_cycle
    LEFT JOIN cycles x ON x.id = l.left_cycle
    WHERE ($province IS NULL OR d.province_code = $province)
      AND ($district IS NULL OR l.district_code = $district)
      AND ($tier IS NULL OR l.tier = $tier)
      AND ($cohort IS NULL OR l.cohort = $cohort)
      AND ($ids IS NULL OR list_contains($ids, l.id))
),
att AS (
    SELECT a.library_id, m.cycle_id, count(*) AS meetings, sum(a.attendees) AS attendees,
           sum(a.attendees_female) AS attendees_female
    FROM attendance a JOIN meetings m ON m.id = a.meeting_id
    GROUP BY a.library_id, m.cycle_id
),
rep AS (
    SELECT library_id, cycle_id, count(*) AS n_values,
           min(CASE WHEN trim(coalesce(submitted_on, '')) <> '' THEN trim(submitted_on) END) AS report_date
    FROM reports GROUP BY library_id, cycle_id
),
lc AS (
    SELECT lib.*, c.id AS cycle_id, c.seq, c.start_date, c.end_date,
           coalesce(att.meetings, 0) AS meetings, coalesce(att.attendees, 0) AS attendees,
           coalesce(att.attendees_female, 0) AS attendees_female,
           att.library_id IS NOT NULL AS attended,
           (att.library_id IS NOT NULL OR EXISTS (
               SELECT 1 FROM meetings m WHERE m.cycle_id = c.id
                 AND ((m.level = 'kabupaten' AND m.region_code = lib.district_code)
                      OR (m.level = 'provinsi' AND m.region_code = lib.province_code)
                      OR m.level = 'nasional'))) AS plm_held,
           rep.library_id IS NOT NULL AS reported,
           rep.report_date AS report_date,
           (rep.report_date IS NOT NULL AND rep.report_date <=
               strftime(CAST(c.end_date AS DATE) + INTERVAL 14 DAY, '%Y-%m-%d')) AS on_time
    FROM lib
    JOIN cycles c ON c.seq >= lib.joined_seq AND (lib.left_seq IS NULL OR c.seq <= lib.left_seq)
    LEFT JOIN att ON att.library_id = lib.id AND att.cycle_id = c.id
    LEFT JOIN rep ON rep.library_id = lib.id AND rep.cycle_id = c.id
),
val AS (  -- report values of active library-cycles only
    SELECT lc.id AS library_id, lc.region, lc.seq, lc.cycle_id, r.indicator_code AS indicator, r.value
    FROM lc JOIN reports r ON r.library_id = lc.id AND r.cycle_id = lc.cycle_id
)
"""


def _nan(x) -> float:
    return float("nan") if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def ratio(num, den) -> float:
    return float(num) / float(den) if den else float("nan")


class Oracle:
    """The figures of one database file, recomputed from its tables."""

    def __init__(self, path) -> None:
        self.db = duckdb.connect(":memory:")
        src = sqlite3.connect(str(path))
        try:
            for table in TABLES:
                frame = pd.read_sql_query(f"SELECT * FROM [{table}]", src)
                if table == "reports":
                    frame["submitted_on"] = frame["submitted_on"].astype(object)
                if table == "libraries":
                    for column in ("cohort", "left_cycle", "joined_cycle"):
                        frame[column] = frame[column].astype(object)
                self.db.register(f"_{table}", frame)
                self.db.execute(f"CREATE TABLE {table} AS SELECT * FROM _{table}")
                self.db.unregister(f"_{table}")
        finally:
            src.close()
        cycles = self.db.execute("SELECT id, seq FROM cycles ORDER BY seq").fetchall()
        self.cycle_ids = [c for c, _ in cycles]
        self.seq_of = {c: s for c, s in cycles}
        self.cycle_of = {s: c for c, s in cycles}
        self.province_of = dict(self.db.execute("SELECT code, province_code FROM districts").fetchall())
        self.names = {
            "province": dict(self.db.execute("SELECT code, name FROM provinces").fetchall()),
            "district": dict(self.db.execute("SELECT code, name FROM districts").fetchall()),
            "library": {str(i): n for i, n in self.db.execute("SELECT id, name FROM libraries").fetchall()},
        }

    # --- plumbing ---

    def bounds(self, v: View) -> tuple[int, int]:
        return self.seq_of[v.first or self.cycle_ids[0]], self.seq_of[v.last or self.cycle_ids[-1]]

    def query(self, v: View, sql: str, level: str | None = None, ids: list[int] | None = None, **extra) -> pd.DataFrame:
        first, last = self.bounds(v)
        params = {
            "province": v.province,
            "district": v.district,
            "tier": v.tier,
            "cohort": v.cohort,
            "level": level or v.level,
            "first": first,
            "last": last,
            "indicator": v.indicator,
            "ids": ids,
        }
        params.update(extra)
        used = {k: val for k, val in params.items() if f"${k}" in BASE + sql}
        return self.db.execute(BASE + sql, used).df()

    # --- per cycle and region ---

    def per_cycle(self, v: View, level_group: bool = False, level: str | None = None) -> pd.DataFrame:
        """Per cycle of the range (and per region when ``level_group``): active, held, attended, reported,
        on time, and the three rates."""
        group = "region, seq" if level_group else "seq"
        out = self.query(
            v,
            f"""
            SELECT {group}, count(*) AS active, sum(plm_held::INT) AS held, sum(attended::INT) AS attended,
                   sum(reported::INT) AS reported, sum(on_time::INT) AS on_time,
                   sum((reported AND report_date IS NULL)::INT) AS date_unknown
            FROM lc WHERE seq BETWEEN $first AND $last GROUP BY {group} ORDER BY {group}""",
            level=level,
        )
        return self._rates(out)

    @staticmethod
    def _rates(out: pd.DataFrame) -> pd.DataFrame:
        out["participation"] = [ratio(a, h) for a, h in zip(out["attended"], out["held"])]
        out["reporting"] = [ratio(r, n) for r, n in zip(out["reported"], out["active"])]
        out["timeliness"] = [ratio(o, r) for o, r in zip(out["on_time"], out["reported"])]
        if "seq" in out.columns:
            out["cycle"] = [cycle_of_seq(q) for q in out["seq"]]
        return out

    def cycle_rates(self, v: View, seq: int, level: str | None = None, by_region: bool = False) -> pd.DataFrame:
        """Rates in one cycle (any cycle, not only the range's), overall or per region."""
        out = self.query(
            v,
            f"""
            SELECT {"region, " if by_region else ""}count(*) AS active, sum(plm_held::INT) AS held,
                   sum(attended::INT) AS attended, sum(reported::INT) AS reported, sum(on_time::INT) AS on_time,
                   sum((reported AND report_date IS NULL)::INT) AS date_unknown
            FROM lc WHERE seq = $seq {"GROUP BY region" if by_region else ""}""",
            level=level,
            seq=seq,
        )
        return self._rates(out)

    def by_region(self, v: View) -> pd.DataFrame:
        """Participation over the whole range per region: sums of attended and held library-cycles."""
        out = self.query(
            v,
            """
            SELECT region, count(DISTINCT id) FILTER (WHERE plm_held) AS libraries,
                   count(*) AS active, sum(plm_held::INT) AS held, sum(attended::INT) AS attended,
                   sum(reported::INT) AS reported, sum(on_time::INT) AS on_time,
                   sum((reported AND report_date IS NULL)::INT) AS date_unknown
            FROM lc WHERE seq BETWEEN $first AND $last GROUP BY region ORDER BY region""",
        )
        return self._rates(out)

    # --- overview ---

    def headline(self, v: View, seq: int | None = None) -> dict:
        """The overview's numbers of cycle ``seq`` (default: the range's last cycle)."""
        seq = self.bounds(v)[1] if seq is None else seq
        row = self.query(
            v,
            """
            SELECT count(*) AS active, sum(plm_held::INT) AS held, sum(attended::INT) AS attended,
                   sum(reported::INT) AS reported
            FROM lc WHERE seq = $seq""",
            seq=seq,
        ).iloc[0]
        sums = self.query(
            v,
            """
            SELECT coalesce(sum(value) FILTER (WHERE indicator = 'kegiatan'), 0) AS activities,
                   coalesce(sum(value) FILTER (WHERE indicator = 'peserta_kegiatan'), 0) AS participants
            FROM val WHERE seq = $seq""",
            seq=seq,
        ).iloc[0]
        visits = self.query(
            v,
            """
            SELECT count(*) AS n FROM visits vi JOIN lib ON lib.id = vi.library_id
            JOIN cycles c ON c.seq = $seq WHERE vi.visit_date BETWEEN c.start_date AND c.end_date""",
            seq=seq,
        ).iloc[0]["n"]
        active = int(row["active"])
        return {
            "active": active,
            "attendance_rate": ratio(row["attended"] or 0, row["held"] or 0),
            "reports": int(row["reported"] or 0),
            "visits": int(visits),
            "activities": float(sums["activities"]),
            "participants": float(sums["participants"]),
        }

    def headline_change(self, v: View) -> dict | None:
        """Now minus the cycle before the range's last one (None when there is no cycle before)."""
        last = self.bounds(v)[1]
        if last - 1 not in self.cycle_of:
            return None
        now, before = self.headline(v, last), self.headline(v, last - 1)
        return {k: now[k] - before[k] for k in now}

    def province_map(self, v: View) -> pd.DataFrame:
        """Per province in the range's last cycle (the map ignores the province and district filters)."""
        w = v.with_(province=None, district=None)
        last = self.bounds(w)[1]
        rates = self.cycle_rates(w, last, level="province", by_region=True)
        med = self.query(
            w,
            """
            SELECT region, median(value) AS indicator FROM val WHERE seq = $seq AND indicator = $indicator
            GROUP BY region""",
            level="province",
            seq=last,
        )
        return rates.merge(med, on="region", how="outer").rename(columns={"region": "code"})

    def movers(self, v: View) -> pd.DataFrame:
        """Every region ranked by risers and fallers: region, rate_before, rate, change, kept (>= 5 active
        libraries in both cycles and a rate in both). A chosen district is compared with its province's
        districts."""
        w = v.with_(district=None, province=self.province_of[v.district]) if v.district else v
        last = self.bounds(w)[1]
        now = self.cycle_rates(w, last, by_region=True)
        before = self.cycle_rates(w, last - 1, by_region=True)
        both = now.merge(before, on="region", suffixes=("", "_before"))
        both["rate"] = both["participation"]
        both["rate_before"] = both["participation_before"]
        both["change"] = (both["rate"] - both["rate_before"]).round(12)
        # docs/metrics.md: "regions whose rate rests on fewer than 5 libraries (with a PLM held) in either cycle
        # are left out" (the brief said "active libraries"; the docs settle it on the rate's denominator).
        both["kept"] = (
            (both["held"] >= MIN_ACTIVE_FOR_RANKING)
            & (both["held_before"] >= MIN_ACTIVE_FOR_RANKING)
            & both["change"].notna()
        )
        return both[
            ["region", "active_before", "active", "held_before", "held", "rate_before", "rate", "change", "kept"]
        ]

    def risers_fallers(self, v: View, n: int = 5) -> tuple[list[str], list[str], pd.DataFrame]:
        m = self.movers(v)
        m = m[m["kept"]]
        risers = m[m["change"] > 0].sort_values(["change", "region"], ascending=[False, True]).head(n)
        fallers = m[m["change"] < 0].sort_values(["change", "region"], ascending=[True, True]).head(n)
        return list(risers["region"]), list(fallers["region"]), m

    # --- continuity ---

    def streaks(self, v: View) -> pd.DataFrame:
        """Per selected library active in the range: cycles active, cycles with a PLM held, cycles attended,
        current and longest streak, never attended, at risk."""
        return self.query(
            v,
            """
            , rng AS (SELECT * FROM lc WHERE seq BETWEEN $first AND $last),
            counted AS (  -- the cycles streaks run over: active, in the range, a PLM held
                SELECT id, seq, attended, row_number() OVER (PARTITION BY id ORDER BY seq) AS rn,
                       row_number() OVER (PARTITION BY id ORDER BY seq DESC) AS back
                FROM rng WHERE plm_held),
            islands AS (
                SELECT id, attended, rn - row_number() OVER (PARTITION BY id, attended ORDER BY seq) AS grp, rn
                FROM counted),
            runs AS (SELECT id, attended, grp, count(*) AS len, max(rn) AS end_rn FROM islands
                     GROUP BY id, attended, grp),
            per AS (SELECT id, max(rn) AS n_counted FROM counted GROUP BY id)
            SELECT r.id AS library_id, any_value(r.name) AS name, count(*) AS cycles_active,
                   sum(r.plm_held::INT) AS cycles_held, sum(r.attended::INT) AS cycles_attended,
                   sum(r.meetings) AS plms,
                   coalesce((SELECT max(len) FROM runs WHERE runs.id = r.id AND runs.attended), 0)
                       AS longest_streak,
                   coalesce((SELECT len FROM runs JOIN per ON per.id = runs.id
                             WHERE runs.id = r.id AND runs.attended AND runs.end_rn = per.n_counted), 0)
                       AS current_streak,
                   -- docs/metrics.md: at least one cycle with a PLM held, and attended none
                   sum(r.plm_held::INT) > 0 AND sum(r.attended::INT) = 0 AS never_attended,
                   (max(r.seq) = $last
                    AND (SELECT count(*) FROM counted c WHERE c.id = r.id) >= 2
                    AND (SELECT count(*) FROM counted c WHERE c.id = r.id AND c.back <= 2 AND NOT c.attended) = 2)
                       AS at_risk,
                   max(r.seq) AS last_seq
            FROM rng r GROUP BY r.id ORDER BY r.id""",
        )

    # --- reporting ---

    def missing_reports(self, v: View) -> pd.DataFrame:
        """Libraries active in the range's last cycle without a report for it, with their missing cycles."""
        return self.query(
            v,
            """
            SELECT id AS library_id, any_value(name) AS name,
                   sum((NOT reported)::INT) AS missing_cycles, count(*) AS active_cycles
            FROM lc WHERE seq BETWEEN $first AND $last
            GROUP BY id HAVING bool_or(seq = $last AND NOT reported) ORDER BY id""",
        )

    def library(self, library_id: int) -> dict:
        """A library's profile figures over all its active cycles."""
        v = View()
        row = self.query(
            v,
            """
            SELECT count(*) AS active, sum(plm_held::INT) AS held, sum(attended::INT) AS attended,
                   sum(reported::INT) AS reported, sum(on_time::INT) AS on_time,
                   sum((reported AND report_date IS NULL)::INT) AS date_unknown
            FROM lc""",
            ids=[library_id],
        ).iloc[0]
        return {
            "cycles_active": int(row["active"]),
            "cycles_held": int(row["held"] or 0),
            "cycles_attended": int(row["attended"] or 0),
            "completeness": ratio(row["reported"] or 0, row["active"]),
            "timeliness": ratio(row["on_time"] or 0, row["reported"] or 0),
        }

    # --- impact ---

    def indicator_series(self, v: View) -> pd.DataFrame:
        """Median of the chosen indicator per reporting active library, per region and cycle of the range."""
        out = self.query(
            v,
            """
            SELECT region, seq, median(value) AS value, count(*) AS libraries FROM val
            WHERE indicator = $indicator AND seq BETWEEN $first AND $last GROUP BY region, seq
            ORDER BY region, seq""",
        )
        out["cycle"] = out["seq"].map(self.cycle_of)
        return out

    def change_since_joining(self, v: View) -> pd.DataFrame:
        """Per selected library: baseline (first active reported cycle), latest (last one up to the range's
        end), change and change % (NaN when the baseline is 0); libraries with >= 2 reported cycles only."""
        return self.query(
            v,
            """
            , mine AS (SELECT library_id, seq, value FROM val WHERE indicator = $indicator AND seq <= $last),
            ends AS (SELECT library_id, min(seq) AS s0, max(seq) AS s1, count(*) AS n FROM mine
                     GROUP BY library_id HAVING count(*) >= 2)
            SELECT e.library_id, e.s0 AS baseline_seq, b.value AS baseline, e.s1 AS latest_seq, l.value AS latest,
                   l.value - b.value AS change,
                   CASE WHEN b.value <> 0 THEN (l.value - b.value) / b.value END AS change_pct
            FROM ends e JOIN mine b ON b.library_id = e.library_id AND b.seq = e.s0
            JOIN mine l ON l.library_id = e.library_id AND l.seq = e.s1 ORDER BY e.library_id""",
        )

    def change_by_cohort(self, v: View) -> pd.DataFrame:
        """Per cohort of the selected libraries (present13, issue 13 item 11): libraries with a defined change %
        since joining and their median change %, written again from docs/metrics.md ("Change since joining"):
        baseline = first active reported cycle, latest = last one up to the range's end, >= 2 reports, change %
        undefined when the baseline is 0; libraries without a cohort left out."""
        return self.query(
            v,
            """
            , mine AS (SELECT library_id, seq, value FROM val WHERE indicator = $indicator AND seq <= $last),
            ends AS (SELECT library_id, min(seq) AS s0, max(seq) AS s1 FROM mine
                     GROUP BY library_id HAVING count(*) >= 2),
            pct AS (SELECT e.library_id, (l.value - b.value) / b.value AS change_pct
                    FROM ends e JOIN mine b ON b.library_id = e.library_id AND b.seq = e.s0
                    JOIN mine l ON l.library_id = e.library_id AND l.seq = e.s1 WHERE b.value <> 0)
            SELECT lib.cohort, count(*) AS libraries, median(pct.change_pct) AS median_change_pct
            FROM pct JOIN lib ON lib.id = pct.library_id WHERE lib.cohort IS NOT NULL
            GROUP BY lib.cohort ORDER BY lib.cohort""",
        )

    def attendance_vs_improvement(self, v: View) -> pd.DataFrame:
        """Libraries active in the range grouped by PLMs attended in it: how many have a defined change %,
        and its median."""
        change = self.change_since_joining(v)
        plms = self.streaks(v)[["library_id", "plms"]]
        self.db.register("_change", change)
        self.db.register("_plms", plms)
        try:
            return self.db.execute("""
                WITH g(label, lo, hi, pos) AS (VALUES ('0', 0, 1, 0), ('1–3', 1, 4, 1), ('4–6', 4, 7, 2),
                                                      ('7–9', 7, 10, 3), ('10+', 10, 1000000, 4))
                SELECT g.label AS "group", count(c.change_pct) AS libraries, median(c.change_pct) AS median_change_pct
                FROM g LEFT JOIN _plms p ON p.plms >= g.lo AND p.plms < g.hi
                LEFT JOIN _change c ON c.library_id = p.library_id
                GROUP BY g.label, g.pos ORDER BY g.pos""").df()
        finally:
            self.db.unregister("_change")
            self.db.unregister("_plms")

    def scorecard(self, v: View) -> pd.DataFrame:
        """Region x strategy in the range's last cycle: mean of capped indicator ratios (median of active
        reporting libraries / target, target / median when lower is better, a median of 0 where lower is
        better = the cap), the number of indicators with a ratio, of the strategy's indicators, and the
        colour."""
        out = self.query(
            v,
            """
            , med AS (SELECT region, indicator, median(value) AS median FROM val WHERE seq = $last
                      GROUP BY region, indicator),
            rat AS (
                SELECT m.region, i.strategy, i.code, m.median, i.target, i.higher_is_better,
                       CASE
                           WHEN i.target IS NULL THEN NULL
                           WHEN i.higher_is_better = 1 THEN CASE WHEN i.target <> 0 THEN m.median / i.target END
                           WHEN m.median = 0 THEN CASE WHEN i.target > 0 THEN 1e9 END
                           ELSE i.target / m.median END AS raw
                FROM med m JOIN indicators i ON i.code = m.indicator),
            capped AS (SELECT *, CASE WHEN raw > $cap THEN $cap ELSE raw END AS ratio FROM rat),
            size AS (SELECT strategy, count(*) AS of_indicators FROM indicators GROUP BY strategy)
            SELECT r.region, r.strategy, avg(r.ratio) AS ratio, count(r.ratio) AS indicators,
                   any_value(s.of_indicators) AS of_indicators
            FROM capped r JOIN size s ON s.strategy = r.strategy GROUP BY r.region, r.strategy
            ORDER BY r.region, r.strategy""",
            cap=CAP,
        )
        out["status"] = [status(r) for r in out["ratio"]]
        return out

    # --- compare ---

    def compare(self, v: View, kind: str, code: str) -> dict:
        """One compared entity (province, district or library; tier and cohort filters apply) in the range's
        last cycle, with the change from the cycle before and from the same term a year before."""
        w = View(tier=v.tier, cohort=v.cohort, first=v.first, last=v.last, indicator=v.indicator)
        ids = None
        if kind == "province":
            w = w.with_(province=code)
        elif kind == "district":
            w = w.with_(district=code)
        else:
            ids = [int(code)]
        last = self.bounds(w)[1]
        per = self.query(
            w,
            """
            SELECT seq, count(*) AS active, sum(plm_held::INT) AS held, sum(attended::INT) AS attended,
                   sum(reported::INT) AS reported, sum(on_time::INT) AS on_time,
                   sum((reported AND report_date IS NULL)::INT) AS date_unknown
            FROM lc WHERE seq BETWEEN $last - 3 AND $last GROUP BY seq""",
            ids=ids,
        )
        per = self._rates(per).set_index("seq")
        med = self.query(
            w,
            """
            SELECT seq, median(value) AS indicator FROM val WHERE indicator = $indicator
            AND seq BETWEEN $last - 3 AND $last GROUP BY seq""",
            ids=ids,
        ).set_index("seq")["indicator"]
        per = per.reindex(range(last - 3, last + 1))
        per["indicator"] = med.reindex(per.index)
        active = _nan(per["active"].get(last))
        row = {"code": code, "active": 0 if math.isnan(active) else int(active)}
        for key, column in (("attended", "attended"), ("plm_held", "held"), ("reported", "reported")):
            count = _nan(per[column].get(last))
            row[key] = 0 if math.isnan(count) else int(count)
        for m in ("participation", "reporting", "indicator"):
            now = _nan(per[m].get(last))
            row[m] = now
            row[f"{m}_prev"] = now - _nan(per[m].get(last - 1)) if last - 1 in self.cycle_of else float("nan")
            row[f"{m}_yoy"] = now - _nan(per[m].get(last - 3)) if last - 3 in self.cycle_of else float("nan")
        return row


def status(r) -> str:
    if r is None or (isinstance(r, float) and math.isnan(r)):
        return ""
    return "green" if r >= GREEN_AT else "yellow" if r >= YELLOW_AT else "red"


def cycle_of_seq(seq: int) -> str:
    """The cycle id of an ordinal (seq = year * 3 + term - 1)."""
    return f"{int(seq) // 3}-{int(seq) % 3 + 1}"


# --- building test databases (plain INSERTs into the store's schema) ---


def cycle_dates(cycle: str) -> tuple[str, str]:
    """'2018-2' -> ('2018-05-01', '2018-08-31'): terms are Jan–Apr, May–Aug, Sep–Dec."""
    import datetime as dt

    year, term = map(int, cycle.split("-"))
    first_month = {1: 1, 2: 5, 3: 9}[term]
    start = dt.date(year, first_month, 1)
    end = dt.date(year + (term == 3), (first_month + 4 - 1) % 12 + 1, 1) - dt.timedelta(days=1)
    return start.isoformat(), end.isoformat()


def cycle_range(first: str, last: str) -> list[str]:
    y0, t0 = map(int, first.split("-"))
    y1, t1 = map(int, last.split("-"))
    return [f"{s // 3}-{s % 3 + 1}" for s in range(y0 * 3 + t0 - 1, y1 * 3 + t1)]


def due_plus(cycle: str, days: int) -> str:
    """The date ``days`` after the cycle's last day."""
    import datetime as dt

    return (dt.date.fromisoformat(cycle_dates(cycle)[1]) + dt.timedelta(days=days)).isoformat()


def _indicators() -> tuple:
    """The shipped indicator set (every database holds it), a lower-is-better indicator and one without a
    target: code, name_id, name_en, unit, strategy, aggregation, higher_is_better, target."""
    from analytics.reference import INDICATORS as SHIPPED

    rows = [
        (i.code, i.name_id, i.name_en, i.unit, i.strategy, i.aggregation, int(i.higher_is_better), i.target)
        for i in SHIPPED
    ]
    rows += [
        ("keluhan", "Keluhan pengguna", "User complaints", "orang", "pelaporan", "sum", 0, 4.0),
        ("ulasan", "Ulasan pengguna", "User reviews", "ulasan", "pelaporan", "sum", 1, None),
    ]
    return tuple(rows)


INDICATORS = _indicators()


def build(path, spec: dict) -> None:
    """A database file from a spec of plain rows:

    provinces [(code, name)], districts [(code, province, name, kind)], cycles (first, last),
    libraries [(id, name, tier, district, cohort, joined, left)], meetings [(id, cycle, level, region)],
    attendance [(meeting_id, library_id, attendees, female)],
    reports [(library_id, cycle, indicator, value, submitted_on)], visits [(library_id, date)],
    indicators (optional, default INDICATORS).
    """
    from analytics import store

    conn = store.connect(path)
    try:
        store.create_schema(conn)
        conn.executemany("INSERT INTO provinces(code, name) VALUES (?, ?)", spec["provinces"])
        conn.executemany(
            "INSERT INTO districts(code, province_code, name, kind) VALUES (?, ?, ?, ?)", spec["districts"]
        )
        for cycle in cycle_range(*spec["cycles"]):
            year, term = map(int, cycle.split("-"))
            start, end = cycle_dates(cycle)
            conn.execute(
                "INSERT INTO cycles(id, year, term, start_date, end_date, seq) VALUES (?, ?, ?, ?, ?, ?)",
                (cycle, year, term, start, end, year * 3 + term - 1),
            )
        conn.executemany(
            "INSERT INTO indicators(code, name_id, name_en, unit, strategy, aggregation, "
            "higher_is_better, target) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            spec.get("indicators", INDICATORS),
        )
        conn.executemany(
            "INSERT INTO libraries(id, name, tier, district_code, cohort, joined_cycle, left_cycle) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            spec["libraries"],
        )
        rows = []
        for mid, cycle, level, region in spec["meetings"]:
            start, _ = cycle_dates(cycle)
            day = start[:8] + f"{10 + mid % 15:02d}"
            rows.append((mid, cycle, level, region, day, day, "Kota", "Aula", f"PLM {level} {region} {cycle}"))
        conn.executemany(
            "INSERT INTO meetings(id, cycle_id, level, region_code, start_date, end_date, city, venue, "
            "title) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        conn.executemany(
            "INSERT INTO attendance(meeting_id, library_id, attendees, attendees_female) VALUES (?, ?, ?, ?)",
            spec["attendance"],
        )
        conn.executemany(
            "INSERT INTO reports(library_id, cycle_id, indicator_code, value, submitted_on) VALUES (?, ?, ?, ?, ?)",
            spec["reports"],
        )
        conn.executemany(
            "INSERT INTO visits(library_id, visit_date, team) VALUES (?, ?, 'Tim pemantauan')", spec.get("visits", [])
        )
        conn.commit()
    finally:
        conn.close()


# --- reading what the pages render ---

PAGES = {
    "overview": None,
    "participation": "pages/participation.py",
    "impact": "pages/impact.py",
    "compare": "pages/compare.py",
    "library": "pages/library.py",
    "quality": "pages/data_quality.py",
}


@dataclass
class Rendered:
    """What one page run showed: metrics [(label, value, delta)], tables, Plotly figures, CSV downloads."""

    metrics: list
    tables: list
    figures: list
    csv: dict
    captions: list
    errors: list
    headers: list


def number(text) -> float:
    """A number as the English interface prints it: '1,234.5', '79.1%', '+4.5 points', '–' (none)."""
    import re

    if text is None:
        return float("nan")
    if isinstance(text, int | float):
        return float(text)
    found = re.search(r"[-+−]?\d[\d,]*(?:\.\d+)?", str(text))
    if not found:
        return float("nan")
    return float(found.group(0).replace(",", "").replace("−", "-"))


def id_number(text) -> float:
    """The same in Bahasa Indonesia: '1.234,5', '79,1%'."""
    import re

    found = re.search(r"[-+−]?\d[\d.]*(?:,\d+)?", str(text))
    if not found:
        return float("nan")
    return float(found.group(0).replace(".", "").replace(",", ".").replace("−", "-"))


def render(db_path, page: str, params: dict, session: dict | None = None, lang: str = "en") -> Rendered:
    """Run the app on ``db_path`` as a browser opening a link would, switch to ``page``, and collect what it
    shows. CSV downloads are taken from the download buttons' own data (the bytes a click would save)."""
    import io
    import json
    import os

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from analytics.config import ROOT

    captured: dict = {}
    original = st.download_button

    def spy(*args, **kwargs):
        data = args[1] if len(args) > 1 else kwargs.get("data")
        name = kwargs.get("file_name") or (args[2] if len(args) > 2 else None)
        if name and str(name).endswith(".csv"):
            raw = data() if callable(data) else data
            raw = raw.encode("utf-8") if isinstance(raw, str) else raw
            text_columns = {c: str for c in ("region", "code", "cycle", "name", "district", "group", "strategy")}
            captured[str(name)[:-4]] = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", dtype=text_columns)
        return original(*args, **kwargs)

    old_db = os.environ.get("PLM_DB")
    os.environ["PLM_DB"] = str(db_path)
    st.download_button = spy
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        for key, value in {"lang": lang, **params}.items():
            if value is not None and not (key == "lang" and value == "id"):
                at.query_params[key] = value
        at.run()
        if PAGES[page]:
            captured.clear()
            at.switch_page(PAGES[page]).run()
        for key, value in (session or {}).items():
            captured.clear()
            at.session_state[key] = value
            at.run()
        errors = [e.message for e in at.exception]
        metrics = [(m.label, m.value, _delta(m)) for m in at.metric]
        figures = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
        tables = [d.value for d in at.dataframe]
        captions = [c.value for c in at.caption]
        headers = [h.value for h in at.subheader] + [h.value for h in at.header]
    finally:
        st.download_button = original
        if old_db is None:
            os.environ.pop("PLM_DB", None)
        else:
            os.environ["PLM_DB"] = old_db
    return Rendered(metrics, tables, figures, dict(captured), captions, errors, headers)


def _delta(metric) -> str | None:
    try:
        return metric.delta
    except AttributeError:
        return None


def clear_caches() -> None:
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()


def decode(array) -> list:
    """A Plotly array as a list (numbers may come as base64 typed arrays)."""
    if isinstance(array, dict) and "bdata" in array:
        import base64

        import numpy as np

        out = np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"]))
        if "shape" in array:
            shape = [int(x) for x in str(array["shape"]).split(",")]
            out = out.reshape(shape)
        return out.tolist()
    return list(array) if array is not None else []


# --- comparing what a page shows with the oracle ---


class Mismatches(list):
    """Figures where a page disagrees with the oracle: (where, figure, expected, shown)."""

    def __init__(self, where: str) -> None:
        super().__init__()
        self.where = where

    def same(self, figure: str, expected, shown, tol: float = 1e-9) -> None:
        if not _same(expected, shown, tol):
            self.append((self.where, figure, expected, shown))

    def report(self) -> str:
        return "\n".join(f"{w} | {fig}: expected {e!r}, shown {s!r}" for w, fig, e, s in self)


def _same(expected, shown, tol) -> bool:
    if isinstance(expected, bool) or isinstance(shown, bool):
        return _truth(expected) == _truth(shown)
    if isinstance(expected, int | float) or isinstance(shown, int | float):
        e, s = _nan(_num(expected)), _nan(_num(shown))
        if math.isnan(e) or math.isnan(s):
            return math.isnan(e) and math.isnan(s)
        return abs(e - s) <= tol + 1e-12 * max(abs(e), abs(s))
    if isinstance(expected, list | tuple) and isinstance(shown, list | tuple):
        return len(expected) == len(shown) and all(_same(a, b, tol) for a, b in zip(expected, shown))
    return expected == shown


def _num(x):
    if x is None:
        return float("nan")
    if isinstance(x, str):
        return number(x)
    try:
        return float(x)
    except (TypeError, ValueError):
        return float("nan")


def _truth(x) -> bool | None:
    if isinstance(x, str):
        return {"true": True, "false": False}.get(x.strip().lower())
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    return bool(x)


def _t(key: str, **values) -> str:
    from analytics.i18n import t

    return t(key, "en", **values)


def metric(r: Rendered, label: str, index: int = 0):
    found = [(v, d) for lab, v, d in r.metrics if lab == label]
    return found[index] if len(found) > index else (None, None)


PCT = 0.05 + 1e-6  # a percentage printed with one decimal
PP = 0.05 + 1e-6  # points printed with one decimal


def _csv(r: Rendered, m: Mismatches, name: str) -> pd.DataFrame | None:
    frame = r.csv.get(name)
    if frame is None:
        m.append((m.where, f"CSV {name}.csv", "a download", f"none (downloads: {sorted(r.csv)})"))
    return frame


def check_overview(orc: Oracle, db, v: View, session: dict | None = None) -> Mismatches:
    m = Mismatches(f"overview {v.params()}")
    r = render(db, "overview", v.params(), session)
    if r.errors:
        m.append((m.where, "exception", "none", r.errors))
        return m
    if orc.per_cycle(v).empty:
        return m  # no library active in the range: the page says so, there is no figure to compare
    first, last = orc.bounds(v)
    now, change = orc.headline(v), orc.headline_change(v)
    for key, tol, delta_tol in (
        ("active", 0, 0),
        ("attendance_rate", PCT, PP),
        ("reports", 0, 0),
        ("visits", 0, 0),
        ("activities", 0.5, 0.5),
        ("participants", 0.5, 0.5),
    ):
        value, delta = metric(r, _t(f"overview.{key}"))
        scale = 100 if key == "attendance_rate" else 1
        m.same(f"tile {key}", scale * now[key], number(value), tol)
        if change is not None:
            expected = scale * change[key]
            shown = number(delta) if delta not in (None, "") else float("nan")
            if math.isnan(shown) and not math.isnan(expected) and expected == 0:
                shown = 0.0  # a zero change may be shown as no delta
            m.same(f"tile {key} change from {orc.cycle_of[last - 1]}", expected, shown, delta_tol)
    trend = _csv(r, m, "trend")
    if trend is not None:
        per = orc.per_cycle(v)
        cycles = [orc.cycle_of[s] for s in range(first, last + 1)]
        shown_cycles = [str(c) for c in trend["cycle"]] if "cycle" in trend else []
        m.same("trend.csv cycles: every cycle of the range, in time order", cycles, shown_cycles)
        by_cycle = trend.set_index(trend["cycle"].astype(str)) if "cycle" in trend else trend
        for row in per.itertuples():
            for measure in ("participation", "reporting", "timeliness"):
                if measure in by_cycle.columns and row.cycle in by_cycle.index:
                    m.same(f"trend.csv {measure} {row.cycle}", getattr(row, measure), by_cycle.loc[row.cycle, measure])
            _counts(m, f"trend.csv {row.cycle}", row, by_cycle.loc[row.cycle] if row.cycle in by_cycle.index else {})
    _check_axis(orc, v, r, m, _t("overview.trend_title"))
    mapped = _csv(r, m, "map")
    if mapped is not None:
        exp = orc.province_map(v)
        measure = (session or {}).get("map_measure", "participation")
        shown = dict(zip(mapped["code"].astype(str), mapped["value"]))
        for row in exp.itertuples():
            e = getattr(row, measure)
            if row.code in shown or not math.isnan(_nan(e)):
                m.same(f"map.csv {measure} {row.code}", e, shown.get(row.code))
        if measure in ("participation", "reporting") and "denominator" in mapped.columns:
            counts = mapped.set_index(mapped["code"].astype(str))
            for row in exp.itertuples():
                if row.code in counts.index:
                    num, den = ("attended", "held") if measure == "participation" else ("reported", "active")
                    m.same(f"map.csv {row.code} numerator", getattr(row, num), counts.loc[row.code, "numerator"])
                    m.same(f"map.csv {row.code} denominator", getattr(row, den), counts.loc[row.code, "denominator"])
                    if "few" in counts.columns:
                        m.same(
                            f"map.csv {row.code} marked few (< {MIN_LIBRARIES})",
                            getattr(row, den) < MIN_LIBRARIES,
                            counts.loc[row.code, "few"],
                        )
    _check_movers(orc, v, r, m)
    return m


def _check_axis(orc: Oracle, v: View, r: Rendered, m: Mismatches, title: str) -> None:
    """A chart over cycles lists the range's cycles in time order (issue 12, cause 7)."""
    first, last = orc.bounds(v)
    cycles = [orc.cycle_of[s] for s in range(first, last + 1)]
    fig = next((f for f in r.figures if _title(f) == title), None)
    if fig is None:
        m.append((m.where, f"chart '{title}'", "drawn", "none"))
        return
    xs = [x for t in fig["data"] for x in (t.get("x") or []) if isinstance(x, str)]
    m.same(
        f"chart '{title}' cycle axis (time order)",
        cycles,
        list(fig["layout"].get("xaxis", {}).get("categoryarray") or dict.fromkeys(xs)),
    )


def _title(fig: dict) -> str:
    title = fig.get("layout", {}).get("title")
    text = title.get("text", "") if isinstance(title, dict) else str(title or "")
    return text.replace("<br>", " ")  # a long title is broken over lines between words (charts._title_lines)


# The counts a rate rests on, under the names the data layer gives them (docs/metrics.md: "Rates show their
# denominators"); checked wherever a CSV carries them.
COUNTS = {
    "active": "active",
    "attended": "attended",
    "plm_held": "held",
    "reported": "reported",
    "on_time": "on_time",
    "date_unknown": "date_unknown",
}


def _counts(m: Mismatches, where: str, row, got) -> None:
    for column, attribute in COUNTS.items():
        if column in got and hasattr(row, attribute):
            m.same(f"{where} {column}", getattr(row, attribute), got.get(column))


def _dumbbells(r: Rendered, before: str, after: str) -> list[dict]:
    out = []
    for fig in r.figures:
        named = {t.get("name"): t for t in fig["data"] if t.get("mode") == "markers"}
        if before in named and after in named:
            out.append(
                {
                    "names": [str(x) for x in named[after]["y"]],
                    "before": decode(named[before]["x"]),
                    "after": decode(named[after]["x"]),
                    "n_before": _ns(named[before]),
                    "n_after": _ns(named[after]),
                }
            )
    return out


def _ns(trace: dict) -> list:
    """The n of each point, read from its hover text ('… (n = 10)'); None where the hover gives none."""
    import re

    out = []
    for text in trace.get("hovertext") or trace.get("text") or []:
        found = re.search(r"n\s*=\s*([\d,.]+)", str(text))
        out.append(number(found.group(1)) if found else None)
    return out


def _check_movers(orc: Oracle, v: View, r: Rendered, m: Mismatches) -> None:
    w = v.with_(district=None, province=orc.province_of[v.district]) if v.district else v
    last = orc.bounds(w)[1]
    if last - 1 not in orc.cycle_of:
        return
    risers, fallers, table = orc.risers_fallers(v)
    names = orc.names[w.level]
    rows = table.set_index("region")
    shown_r, shown_f = [], []
    for fig in _dumbbells(r, orc.cycle_of[last - 1], orc.cycle_of[last]):
        ups = [a > b for a, b in zip(fig["after"], fig["before"])]
        (shown_r if ups and ups[0] else shown_f).append(fig)
    for label, expected, shown in (("risers", risers, shown_r), ("fallers", fallers, shown_f)):
        got = shown[0] if shown else {"names": [], "before": [], "after": []}
        m.same(f"{label} (in order)", [names.get(c, c) for c in expected], got["names"])
        n_before, n_after = got.get("n_before") or [], got.get("n_after") or []
        for k, (name, b, a) in enumerate(zip(got["names"], got["before"], got["after"])):
            code = next((c for c in expected if names.get(c, c) == name), None)
            if code is not None:
                m.same(f"{label} {code} rate before", rows.loc[code, "rate_before"], b)
                m.same(f"{label} {code} rate", rows.loc[code, "rate"], a)
                if k < len(n_before) and n_before[k] is not None:
                    m.same(f"{label} {code} n before", rows.loc[code, "held_before"], n_before[k])
                if k < len(n_after) and n_after[k] is not None:
                    m.same(f"{label} {code} n", rows.loc[code, "held"], n_after[k])


def check_participation(orc: Oracle, db, v: View) -> Mismatches:
    import re

    m = Mismatches(f"participation {v.params()}")
    r = render(db, "participation", v.params())
    if r.errors:
        m.append((m.where, "exception", "none", r.errors))
        return m
    if orc.per_cycle(v).empty:
        return m  # no library active in the range: the page says so, there is no figure to compare
    first, last = orc.bounds(v)
    exp = orc.by_region(v)
    bars = _csv(r, m, "participation-by-region")
    if bars is not None:
        shown = bars.set_index(bars["region"].astype(str))
        for row in exp.itertuples():
            if row.held == 0 and row.region not in shown.index:
                continue  # no PLM held in the whole range: a region without a rate may be left out
            if row.region not in shown.index:
                m.append((m.where, f"by-region CSV row {row.region}", "present", "missing"))
                continue
            got = shown.loc[row.region]
            m.same(f"by-region {row.region} attended", row.attended, got.get("numerator"))
            m.same(f"by-region {row.region} with a PLM held", row.held, got.get("denominator"))
            m.same(f"by-region {row.region} rate", row.participation, got.get("rate"))
            if "active" in got:
                m.same(f"by-region {row.region} active library-cycles", row.active, got.get("active"))
            if "libraries" in got:
                m.same(f"by-region {row.region} libraries with a PLM held", row.libraries, got.get("libraries"))
            if "few" in got:
                m.same(
                    f"by-region {row.region} marked few (< {MIN_LIBRARIES} libraries)",
                    row.libraries < MIN_LIBRARIES,
                    got.get("few"),
                )
    _check_bars(orc, v, exp, r, m)
    cells_csv = r.csv.get("participation-by-region-and-cycle")
    if cells_csv is not None:
        _long_check(orc, v, cells_csv, "participation", m, "participation-by-region-and-cycle.csv")
    # The heat map: region x cycle rates, the range's cycles in time order.
    cells = orc.per_cycle(v, level_group=True)
    heat = next((f["data"][0] for f in r.figures if f["data"][0].get("type") == "heatmap"), None)
    if heat is None:
        m.append((m.where, "heat map", "a heat map", "none"))
    else:
        cycles = [orc.cycle_of[s] for s in range(first, last + 1)]
        m.same("heat map columns (time order)", cycles, [str(x) for x in heat["x"]])
        z = decode(heat["z"])
        rows = [re.sub(r"\s*[†*]+$", "", str(y)) for y in heat["y"]]
        names = orc.names[v.level]
        named, rest = _top(exp)
        for row in cells[cells["region"].isin(named)].itertuples():
            name = names.get(row.region, row.region)
            if name in rows and row.cycle in heat["x"]:
                shown = z[rows.index(name)][list(heat["x"]).index(row.cycle)]
                m.same(f"heat map {row.region} {row.cycle}", row.participation, shown)
            elif not math.isnan(row.participation):
                m.append((m.where, f"heat map {row.region} {row.cycle}", row.participation, "no cell"))
        if len(rest):
            other = [i for i, y in enumerate(rows) if y not in {names.get(c, c) for c in named}]
            pooled = cells[cells["region"].isin(rest)].groupby("cycle")[["attended", "held"]].sum()
            if len(other) != 1:
                m.append((m.where, "heat map 'others' row", "one row", [rows[i] for i in other]))
            else:
                for cycle, row in pooled.iterrows():
                    if cycle in heat["x"]:
                        m.same(
                            f"heat map others {cycle}",
                            ratio(row["attended"], row["held"]),
                            z[other[0]][list(heat["x"]).index(cycle)],
                        )
    # Attendance by tier: one line per tier over the range's cycles (a cycle without a PLM held is a gap).
    tiers = orc.query(
        v,
        """
        SELECT tier, seq, sum(plm_held::INT) AS held, sum(attended::INT) AS attended FROM lc
        WHERE seq BETWEEN $first AND $last GROUP BY tier, seq ORDER BY tier, seq""",
    )
    fig = next((f for f in r.figures if _title(f) == _t("participation.by_tier_title")), None)
    if fig is None:
        m.append((m.where, "chart attendance by tier", "drawn", "none"))
    else:
        lines = {
            t_.get("name"): dict(zip([str(x) for x in t_.get("x") or []], decode(t_.get("y")))) for t_ in fig["data"]
        }
        for row in tiers.itertuples():
            line = lines.get(_t(f"tier.{row.tier}"), {})
            cycle = orc.cycle_of[row.seq]
            m.same(f"tier line {row.tier} {cycle}", ratio(row.attended, row.held), line.get(cycle))
    # People sent to PLMs per cycle, women and men (active library-cycles only).
    people = orc.query(
        v,
        """SELECT seq, sum(attendees_female) AS female, sum(attendees - attendees_female) AS male
                             FROM lc WHERE seq BETWEEN $first AND $last GROUP BY seq ORDER BY seq""",
    )
    fig = next((f for f in r.figures if _title(f) == _t("participation.gender_title")), None)
    if fig is None:
        m.append((m.where, "chart attendees by gender", "drawn", "none"))
    else:
        bars = {
            t_.get("name"): dict(zip([str(x) for x in t_.get("x") or []], decode(t_.get("y"))))
            for t_ in fig["data"]
            if t_.get("type") == "bar"
        }
        for row in people.itertuples():
            cycle = orc.cycle_of[row.seq]
            for key, value in (("participation.female", row.female), ("participation.male", row.male)):
                m.same(f"attendees {key.split('.')[1]} {cycle}", value, bars.get(_t(key), {}).get(cycle, 0))
    streaks = orc.streaks(v)
    cont = _csv(r, m, "continuity")
    if cont is not None:
        shown = cont.set_index("name")
        m.same("continuity libraries", sorted(streaks["name"]), sorted(shown.index))
        for row in streaks.itertuples():
            if row.name not in shown.index:
                continue
            got = shown.loc[row.name]
            for col in ("cycles_attended", "current_streak", "longest_streak", "never_attended", "at_risk"):
                m.same(f"continuity '{row.name}' {col}", getattr(row, col), got.get(col))
    m.same("tile libraries", len(streaks), number(metric(r, _t("participation.libraries"))[0]))
    m.same("tile at risk", int(streaks["at_risk"].sum()), number(metric(r, _t("participation.at_risk"))[0]))
    m.same("tile never attended", int(streaks["never_attended"].sum()), number(metric(r, _t("participation.never"))[0]))
    return m


def _long_check(orc: Oracle, v: View, frame: pd.DataFrame, measure: str, m: Mismatches, name: str) -> None:
    """A long region × cycle CSV (region, cycle, rate, counts) against the oracle: every region, every cycle
    of the range, the rate and the counts it rests on."""
    first, last = orc.bounds(v)
    cells = orc.per_cycle(v, level_group=True)
    shown = frame.set_index([frame["region"].astype(str), frame["cycle"].astype(str)])
    column = {"reporting": "rate", "participation": "rate", "timeliness": "timeliness"}[measure]
    num, den = {
        "reporting": ("reported", "active"),
        "participation": ("attended", "held"),
        "timeliness": ("on_time", "reported"),
    }[measure]
    cycles = [orc.cycle_of[q] for q in range(first, last + 1)]
    for region in sorted(set(cells["region"])):
        got = [str(c) for r_, c in shown.index if r_ == region]
        m.same(f"{name} {region}: every cycle of the range, in time order", cycles, got)
    for row in cells.itertuples():
        key = (row.region, row.cycle)
        if key not in shown.index:
            m.append((m.where, f"{name} {key}", "a row", "missing"))
            continue
        got = shown.loc[key]
        m.same(f"{name} {key} {column}", getattr(row, measure), got.get(column))
        if column == "rate":
            m.same(f"{name} {key} numerator", getattr(row, num), got.get("numerator"))
            m.same(f"{name} {key} denominator", getattr(row, den), got.get("denominator"))
            if "few" in got:
                m.same(
                    f"{name} {key} marked few (< {MIN_LIBRARIES})", getattr(row, den) < MIN_LIBRARIES, got.get("few")
                )
        _counts(m, f"{name} {key}", row, got)


TOP_REGIONS = 15  # docs/metrics.md: bars and heat maps show the 15 largest regions, the rest as "others"


def _top(exp: pd.DataFrame) -> tuple[list[str], list[str]]:
    """The regions shown by name (the 15 largest by active library-cycles, ties by code; all of them when at
    most one would be left over) and the ones folded into "others"."""
    order = list(exp.sort_values(["active", "region"], ascending=[False, True])["region"])
    named = order if len(order) <= TOP_REGIONS + 1 else order[:TOP_REGIONS]
    return named, [r for r in order if r not in named]


def _check_bars(orc: Oracle, v: View, exp: pd.DataFrame, r: Rendered, m: Mismatches) -> None:
    """The participation bars: the 15 largest regions by active library-cycles (ties by region code) by name,
    the rest pooled into one "others" bar (a true rate; a single leftover region is shown by name), each bar's
    rate and its n (library-cycles with a PLM held)."""
    import re

    fig = next((f for f in r.figures if f["data"][0].get("type") == "bar" and f["data"][0].get("customdata")), None)
    if fig is None:
        m.append((m.where, "participation bars", "drawn", "none"))
        return
    trace = fig["data"][0]
    codes = [str(c[0] if isinstance(c, list) else c) for c in trace["customdata"]]
    rates = dict(zip(codes, decode(trace["x"])))
    texts = dict(zip(codes, trace.get("text") or [""] * len(codes)))
    order = exp.sort_values(["active", "region"], ascending=[False, True])
    named, rest_codes = _top(exp)
    rest = order[order["region"].isin(rest_codes)]
    m.same(
        "bars: regions shown by name (15 largest, ties by code)",
        sorted(named),
        sorted(c for c in codes if c != "__others__"),
    )
    expected = {row.region: (row.participation, row.held) for row in order.itertuples() if row.region in named}
    if len(rest):
        expected["__others__"] = (ratio(rest["attended"].sum(), rest["held"].sum()), int(rest["held"].sum()))
    for code, (rate, held) in expected.items():
        if code not in rates:
            if held:
                m.append((m.where, f"bar {code}", "drawn", "missing"))
            continue
        m.same(f"bar {code} rate", rate, rates[code])
        n = re.search(r"n\s*=\s*([\d,.]+)", str(texts.get(code, "")))
        if n:
            m.same(f"bar {code} n", held, number(n.group(1)))


def _matrix_check(orc: Oracle, v: View, frame: pd.DataFrame, measure: str, m: Mismatches, name: str) -> None:
    if {"region", "cycle"} <= set(frame.columns):
        return _long_check(orc, v, frame, measure, m, name)
    first, last = orc.bounds(v)
    cells = orc.per_cycle(v, level_group=True)
    names = orc.names[v.level]
    key = "region" if "region" in frame.columns else "name"
    shown = frame.set_index(frame[key].astype(str))
    defined = cells[cells[measure].notna()]
    with_data = [orc.cycle_of[q] for q in sorted(set(defined["seq"]))]
    m.same(f"{name} cycle columns (time order)", with_data, [c for c in frame.columns if c in with_data])
    for row in cells.itertuples():
        label = row.region if key == "region" else names.get(row.region, row.region)
        if label not in shown.index:
            if row.region in set(defined["region"]):
                m.append((m.where, f"{name} row {row.region}", "present (every region)", "missing"))
            continue
        expected = getattr(row, measure)
        if math.isnan(expected) and row.cycle not in shown.columns:
            continue  # no value anywhere in that cycle
        m.same(f"{name} {row.region} {row.cycle}", expected, shown.loc[label].get(row.cycle))


def check_quality(orc: Oracle, db, v: View) -> Mismatches:
    m = Mismatches(f"data quality {v.params()}")
    r = render(db, "quality", v.params())
    if r.errors:
        m.append((m.where, "exception", "none", r.errors))
        return m
    if orc.per_cycle(v).empty:
        return m  # no library active in the range: the page says so, there is no figure to compare
    first, last = orc.bounds(v)
    cycle = orc.cycle_of[last]
    rates = orc.cycle_rates(v, last).iloc[0]
    m.same(
        "tile reporting rate",
        100 * rates["reporting"],
        number(metric(r, _t("quality.reporting_rate", cycle=cycle))[0]),
        PCT,
    )
    m.same("tile on time", 100 * rates["timeliness"], number(metric(r, _t("quality.timeliness", cycle=cycle))[0]), PCT)
    m.same("tile active", rates["active"], number(metric(r, _t("quality.active"))[0]))
    frame = _csv(r, m, "quality-rate")
    if frame is not None:
        _matrix_check(orc, v, frame, "reporting", m, "quality-rate.csv")
    missing = orc.missing_reports(v)
    got = r.csv.get("missing-reports")
    if got is None:
        got = pd.DataFrame(columns=["library_id", "missing_cycles", "active_cycles"])
    shown = got.set_index("library_id")
    m.same("missing reports: libraries", sorted(missing["library_id"]), sorted(shown.index))
    for row in missing.itertuples():
        if row.library_id in shown.index:
            m.same(
                f"missing reports {row.library_id} missing cycles",
                row.missing_cycles,
                shown.loc[row.library_id, "missing_cycles"],
            )
            m.same(
                f"missing reports {row.library_id} active cycles",
                row.active_cycles,
                shown.loc[row.library_id, "active_cycles"],
            )
    undated = orc.query(
        v,
        """SELECT id AS library_id, cycle_id FROM lc WHERE seq BETWEEN $first AND $last
                              AND reported AND report_date IS NULL ORDER BY seq, id""",
    )
    got = r.csv.get("undated-reports")
    if got is None and len(undated):
        m.append((m.where, "CSV undated-reports.csv", "a download", "none"))
    elif got is not None:
        m.same(
            "reports with no date (library, cycle)",
            sorted(zip(undated["library_id"].astype(int), undated["cycle_id"].astype(str))),
            sorted(zip(got["library_id"].astype(int), got["cycle"].astype(str))),
        )
    r2 = render(db, "quality", v.params(), {"quality_measure": "timeliness"})
    frame = _csv(r2, m, "quality-timeliness")
    if frame is not None:
        _matrix_check(orc, v, frame, "timeliness", m, "quality-timeliness.csv")
    return m


def check_impact(orc: Oracle, db, v: View) -> Mismatches:
    m = Mismatches(f"impact {v.params()}")
    r = render(db, "impact", v.params())
    if r.errors:
        m.append((m.where, "exception", "none", r.errors))
        return m
    series = orc.indicator_series(v)
    if series.empty and orc.per_cycle(v).empty or (series.empty and not r.csv):
        return m  # nothing selected, or no active library reported the indicator: the page says so
    frame = _csv(r, m, f"{v.indicator}-by-region")
    if frame is not None:
        shown = {(str(a), str(b)): c for a, b, c in zip(frame["region"], frame["cycle"], frame["value"])}
        rows = frame.set_index([frame["region"].astype(str), frame["cycle"].astype(str)])
        for row in series.itertuples():
            m.same(f"median {v.indicator} {row.region} {row.cycle}", row.value, shown.get((row.region, row.cycle)))
            if "libraries" in rows.columns and (row.region, row.cycle) in rows.index:
                got = rows.loc[(row.region, row.cycle)]
                m.same(
                    f"median {v.indicator} {row.region} {row.cycle} reporting libraries",
                    row.libraries,
                    got["libraries"],
                )
                if "few" in rows.columns:
                    m.same(
                        f"median {v.indicator} {row.region} {row.cycle} marked few (< {MIN_LIBRARIES})",
                        row.libraries < MIN_LIBRARIES,
                        got["few"],
                    )
        extra = set(shown) - {(r_.region, r_.cycle) for r_ in series.itertuples()}
        extra = {k for k in extra if not math.isnan(_nan(_num(shown[k])))}
        m.same(f"median {v.indicator}: cells without active reporting libraries", [], sorted(extra))
    card = orc.scorecard(v)
    frame = _csv(r, m, "scorecard")
    if frame is not None:
        shown = frame.set_index([frame["region"].astype(str), frame["strategy"].astype(str)])
        for row in card.itertuples():
            key = (row.region, row.strategy)
            if key not in shown.index:
                m.append((m.where, f"scorecard {key}", "present (every region)", "missing"))
                continue
            got = shown.loc[key]
            m.same(f"scorecard {key} ratio", row.ratio, got.get("ratio"))
            m.same(f"scorecard {key} colour", row.status, "" if pd.isna(got.get("status")) else got.get("status"))
            if "indicators" in got:
                m.same(f"scorecard {key} indicators with a ratio", row.indicators, got.get("indicators"))
            if "indicators_total" in got:
                m.same(f"scorecard {key} indicators of the strategy", row.of_indicators, got.get("indicators_total"))
        extra = set(shown.index) - {(r_.region, r_.strategy) for r_ in card.itertuples()}
        m.same("scorecard cells without data", [], sorted(extra))
    fig = next(
        (
            f
            for f in r.figures
            if f["data"][0].get("type") == "heatmap"
            and any("%" in str(x) for row in f["data"][0].get("text") or [] for x in row)
        ),
        None,
    )
    if fig is not None and len(card):
        _check_scorecard_chart(orc, v, card, fig["data"][0], m)
    change = orc.change_since_joining(v)
    pct = change["change_pct"].dropna()
    prefix = _t("impact.change_title", median="\x00").split("\x00")[0]
    hist = next((f for f in r.figures if _title(f).startswith(prefix)), None)
    if len(pct):
        if hist is None:
            m.append((m.where, "change since joining histogram", "drawn", "none"))
        else:
            import numpy as np

            # A binned histogram: the oracle's values, binned on the chart's own (equal) bins, give its bars.
            centers, counts = decode(hist["data"][0].get("x")), decode(hist["data"][0].get("y"))
            values = [min(max(x, -1.0), 3.0) for x in pct]
            m.same("change since joining: libraries with a change %", len(values), int(sum(counts)))
            if len(centers) >= 2:
                step = centers[1] - centers[0]
                edges = [centers[0] - step / 2 + k * step for k in range(len(centers) + 1)]
                edges[0], edges[-1] = min(edges[0], min(values)), max(edges[-1], max(values))
                m.same(
                    "change since joining: libraries per bar",
                    np.histogram(values, bins=edges)[0].tolist(),
                    [int(c) for c in counts],
                )
            m.same("change since joining: median in the title", 100 * float(pct.median()), number(_title(hist)), PCT)
    avi = orc.attendance_vs_improvement(v)
    frame = r.csv.get("attendance-vs-improvement")
    if frame is None and int(avi["libraries"].sum()) > 0:
        m.append((m.where, "CSV attendance-vs-improvement.csv", "a download", "none"))
    if frame is not None:
        shown = frame.set_index(frame["group"].astype(str))
        for row in avi.itertuples():
            got = shown.loc[row.group] if row.group in shown.index else {}
            m.same(f"attendance vs improvement {row.group} libraries", row.libraries, got.get("libraries"))
            m.same(
                f"attendance vs improvement {row.group} median change %",
                row.median_change_pct,
                got.get("median_change_pct"),
            )
    by_cohort = orc.change_by_cohort(v)  # change since joining by cohort, side by side (issue 13 item 11)
    frame = r.csv.get(f"{v.indicator}-change-by-cohort")
    if frame is None and len(by_cohort):
        m.append((m.where, f"CSV {v.indicator}-change-by-cohort.csv", "a download", "none"))
    if frame is not None:
        shown = frame.set_index(frame["cohort"].astype(str))
        m.same("change by cohort: cohorts", sorted(by_cohort["cohort"]), sorted(shown.index))
        for row in by_cohort.itertuples():
            got = shown.loc[row.cohort] if row.cohort in shown.index else {}
            m.same(f"change by cohort {row.cohort} libraries", row.libraries, got.get("libraries"))
            m.same(
                f"change by cohort {row.cohort} median change %", row.median_change_pct, got.get("median_change_pct")
            )
    return m


def _check_scorecard_chart(orc: Oracle, v: View, card: pd.DataFrame, trace: dict, m: Mismatches) -> None:
    """Each cell: the shape says the oracle's colour, the printed percentage is the ratio and tells the same
    story as the colour (issue 12, cause 8), and "x of y" are the indicators it rests on."""
    import re

    names = orc.names[v.level]
    from analytics.i18n import t

    strategies = {
        t(f"strategy.{s_}", "en"): s_ for s_ in ("layanan_informasi", "pelibatan_masyarakat", "advokasi", "pelaporan")
    }
    symbols = {"●": "green", "▲": "yellow", "■": "red"}
    rows = [re.sub(r"\s*[†*]+$", "", str(y)) for y in trace.get("y", [])]
    cols = [strategies.get(str(x).replace("<br>", " "), str(x)) for x in trace.get("x", [])]  # names on two lines
    for row in card.itertuples():
        name = names.get(row.region, row.region)
        if name not in rows or row.strategy not in cols:
            m.append((m.where, f"scorecard chart cell {row.region} {row.strategy}", "drawn", "missing"))
            continue
        text = str(trace["text"][rows.index(name)][cols.index(row.strategy)])
        if row.status == "":  # no indicator of the strategy has a ratio (no target): a blank cell, no percentage
            m.same(
                f"scorecard chart {row.region} {row.strategy} (no ratio)",
                "no percentage",
                "no percentage" if "%" not in text else text,
            )
            continue
        found = re.search(r"([●▲■])\s*(-?\d+(?:[.,]\d+)?)\s*%(?:.*?(\d+)\D+(\d+))?", text)
        if not found:
            m.append((m.where, f"scorecard chart cell {row.region} {row.strategy}", row.status, text))
            continue
        symbol, printed = symbols[found.group(1)], float(found.group(2).replace(",", "."))
        m.same(f"scorecard chart {row.region} {row.strategy} colour", row.status, symbol)
        m.same(f"scorecard chart {row.region} {row.strategy} printed %", 100 * row.ratio, printed, 1.0)
        m.same(
            f"scorecard chart {row.region} {row.strategy} printed % tells the colour's story",
            symbol,
            status(printed / 100),
        )
        if found.group(3):
            m.same(
                f"scorecard chart {row.region} {row.strategy} 'x of y'",
                [row.indicators, row.of_indicators],
                [int(found.group(3)), int(found.group(4))],
            )


def check_compare(orc: Oracle, db, v: View, items: list[str]) -> Mismatches:
    params = {**v.params(), "compare": ",".join(items)}
    m = Mismatches(f"compare {params}")
    r = render(db, "compare", params)
    if r.errors:
        m.append((m.where, "exception", "none", r.errors))
        return m
    kinds = {"p": "province", "d": "district", "l": "library"}
    frame = _csv(r, m, "compare")
    if frame is None:
        return m
    shown = frame.set_index(frame["code"].astype(str))
    for item in items:
        kind, _, code = item.partition(":")
        exp = orc.compare(v, kinds[kind], code)
        if code not in shown.index:
            m.append((m.where, f"compare {item}", "a row", "missing"))
            continue
        for key, value in exp.items():
            if key not in ("code", "attended", "plm_held", "reported") and key in shown.columns:
                m.same(f"compare {item} {key}", value, shown.loc[code, key])
        for key in ("attended", "plm_held", "reported"):
            if key in shown.columns:
                m.same(f"compare {item} {key}", exp[key], shown.loc[code, key])
        index = items.index(item)  # one column of tiles per entity, in the order picked
        for key, label in (("participation", "measure.participation"), ("reporting", "measure.reporting")):
            value, delta = metric(r, _t(label), index)
            m.same(f"compare {item} tile {key}", 100 * exp[key], number(value), PCT)
            if not math.isnan(exp[f"{key}_prev"]):
                m.same(
                    f"compare {item} tile {key} change", 100 * exp[f"{key}_prev"], number(delta) if delta else 0.0, PP
                )
    return m


def check_library(orc: Oracle, db, library_id: int) -> Mismatches:
    m = Mismatches(f"library {library_id}")
    r = render(db, "library", {"library": str(library_id)})
    if r.errors:
        m.append((m.where, "exception", "none", r.errors))
        return m
    exp = orc.library(library_id)
    text = metric(r, _t("library.cycles_attended"))[0] or ""
    parts = [number(p) for p in str(text).split("/")] + [float("nan")] * 2
    m.same("cycles attended", exp["cycles_attended"], parts[0])
    m.same("cycles with a PLM held (the attendance share's denominator)", exp["cycles_held"], parts[1])
    m.same("report completeness", 100 * exp["completeness"], number(metric(r, _t("library.completeness"))[0]), PCT)
    m.same("reports on time", 100 * exp["timeliness"], number(metric(r, _t("library.timeliness"))[0]), PCT)
    _check_library_indicators(orc, db, library_id, m)
    _check_library_series(orc, r, library_id, m)
    timeline = r.csv.get(f"library-{library_id}-timeline")
    if timeline is not None:
        lc = orc.query(View(), "SELECT cycle_id, attended, reported, on_time FROM lc ORDER BY seq", ids=[library_id])
        shown = timeline.set_index(timeline["cycle"].astype(str))
        m.same("timeline cycles", list(lc["cycle_id"]), list(shown.index))
        for row in lc.itertuples():
            if row.cycle_id in shown.index:
                for col in ("reported", "on_time"):
                    if col in shown.columns:
                        m.same(f"timeline {row.cycle_id} {col}", bool(getattr(row, col)), shown.loc[row.cycle_id, col])
    return m


def _check_library_series(orc: Oracle, r: Rendered, library_id: int, m: Mismatches) -> None:
    """The profile's line of the chosen indicator (default kunjungan) against its district's median: every
    cycle from joining to its last active cycle, its own values and the median of the district's active
    reporting libraries."""
    from analytics.i18n import t

    name, district = orc.db.execute("SELECT name, district_code FROM libraries WHERE id = ?", [library_id]).fetchone()
    own = orc.query(View(), "SELECT min(seq) AS s0, max(seq) AS s1 FROM lc", ids=[library_id]).iloc[0]
    if pd.isna(own["s0"]):
        return
    exp = orc.query(
        View(district=district),
        """
        SELECT c.seq, (SELECT value FROM val WHERE library_id = $lib AND seq = c.seq AND indicator = 'kunjungan')
                   AS library,
               (SELECT median(value) FROM val WHERE seq = c.seq AND indicator = 'kunjungan') AS district_median
        FROM cycles c WHERE c.seq BETWEEN $s0 AND $s1 ORDER BY c.seq""",
        lib=library_id,
        s0=int(own["s0"]),
        s1=int(own["s1"]),
    )
    if exp["library"].isna().all():
        return
    indicator = orc.db.execute("SELECT name_en FROM indicators WHERE code = 'kunjungan'").fetchone()[0]
    title = t("library.vs_district_title", "en", indicator=indicator)
    fig = next((f for f in r.figures if _title(f) == title), None)
    if fig is None:
        m.append((m.where, "chart: the library against its district's median", "drawn", "none"))
        return
    lines = {
        str(t_.get("name")): dict(zip([str(x) for x in t_.get("x") or []], decode(t_.get("y"))))
        for t_ in fig["data"]
        if t_.get("type") == "scatter"
    }
    mine, med = lines.get(name, {}), lines.get(t("library.district_median", "en"), {})
    cycles = [orc.cycle_of[q] for q in exp["seq"]]
    m.same("library line: every cycle from joining to its last active cycle", cycles, list(mine))
    for row in exp.itertuples():
        cycle = orc.cycle_of[row.seq]
        m.same(f"library line {cycle}", _nan(row.library), mine.get(cycle))
        m.same(f"district median line {cycle}", _nan(row.district_median), med.get(cycle))


def _check_library_indicators(orc: Oracle, db, library_id: int, m: Mismatches) -> None:
    """The profile's 'All indicators' tab: every indicator in the library's last reported ACTIVE cycle, its
    value, its district's median (active libraries of the district that reported it then) and its colour."""
    district = orc.db.execute("SELECT district_code FROM libraries WHERE id = ?", [library_id]).fetchone()[0]
    mine = orc.query(View(), "SELECT max(seq) AS s FROM val", ids=[library_id])["s"]
    if mine.isna().all():
        return
    last = int(mine.iloc[0])
    exp = orc.query(
        View(district=district),
        """
        SELECT i.code, i.name_en, i.target, i.higher_is_better,
               (SELECT value FROM val WHERE library_id = $lib AND seq = $seq AND indicator = i.code) AS value,
               (SELECT median(value) FROM val WHERE seq = $seq AND indicator = i.code) AS district_median
        FROM indicators i ORDER BY i.code""",
        lib=library_id,
        seq=last,
    )
    r = render(db, "library", {"library": str(library_id)}, {"library_tab": _t("library.tab_indicators")})
    frame = r.csv.get(f"library-{library_id}-indicators")
    if frame is None:
        m.append((m.where, "CSV of the 'All indicators' tab", "a download", f"none ({sorted(r.csv)})"))
        return
    m.same(
        "'All indicators' tab: its title names the last reported active cycle",
        _t("library.all_indicators", cycle=orc.cycle_of[last]),
        next((h for h in r.headers if h.startswith(_t("library.all_indicators", cycle="\x00").split("\x00")[0])), None),
    )
    shown = frame.set_index(frame["indicator"].astype(str))
    symbols = {"●": "green", "▲": "yellow", "■": "red"}
    for row in exp.itertuples():
        if row.name_en not in shown.index:
            m.append((m.where, f"indicator {row.code}", "a row", "missing"))
            continue
        got = shown.loc[row.name_en]
        m.same(f"indicator {row.code} value in {orc.cycle_of[last]}", _nan(row.value), got.get("value"))
        m.same(
            f"indicator {row.code} district median in {orc.cycle_of[last]}",
            _nan(row.district_median),
            got.get("district_median"),
        )
        value, target = _nan(row.value), _nan(row.target)
        if math.isnan(value) or math.isnan(target):
            expected = ""
        elif row.higher_is_better:
            expected = status(value / target) if target else ""
        else:
            expected = "green" if value == 0 and target > 0 else status(target / value) if value else ""
        text = str(got.get("status"))
        m.same(f"indicator {row.code} colour", expected, next((c for sym, c in symbols.items() if sym in text), ""))


def check_deck(orc: Oracle, db, v: View) -> Mismatches:
    """The agenda deck (presentation mode, meeting pack, PPTX) of a view: its headline, region, library and
    reporting tables against the oracle."""
    from analytics import dataset, deck, filters

    m = Mismatches(f"deck {v.params()}")
    province = v.province or (orc.province_of[v.district] if v.district else None)
    f = filters.Filters(
        lang="en",
        province=province,
        district=v.district,
        tier=v.tier,
        cohort=v.cohort,
        from_cycle=v.first,
        to_cycle=v.last,
        indicator=v.indicator,
    )
    try:
        slides = deck.build(dataset.load(db), f, path=db)
    except Exception as error:  # noqa: BLE001 - any failure is a finding
        m.append((m.where, "deck.build", "slides", repr(error)))
        return m
    if orc.per_cycle(v).empty:
        return m
    first, last = orc.bounds(v)
    level = v.level
    names = orc.names[level]
    tables = [s.table for s in slides if getattr(s, "table", None) is not None]
    now, change = orc.headline(v), orc.headline_change(v)
    head = next((t for t in tables if _t("deck.col.measure") in t.columns), None)
    if head is None:
        m.append((m.where, "headline table", "present", "missing"))
    else:
        rows = head.set_index(_t("deck.col.measure"))
        for key, tol in (
            ("active", 0),
            ("attendance_rate", PCT),
            ("reports", 0),
            ("visits", 0),
            ("activities", 0.5),
            ("participants", 0.5),
        ):
            label, scale = _t(f"overview.{key}"), 100 if key == "attendance_rate" else 1
            if label not in rows.index:
                m.append((m.where, f"headline {key}", "a row", "missing"))
                continue
            # The column of the last cycle: its code, then its months ("2018-3 · Sep–Des 2018").
            column = next((c for c in rows.columns if str(c).split(" · ")[0] == orc.cycle_of[last]), None)
            if column is None:
                m.append((m.where, f"headline {key}", f"a column {orc.cycle_of[last]}", list(rows.columns)))
                continue
            m.same(f"headline {key} {orc.cycle_of[last]}", scale * now[key], rows.loc[label, column], tol)
            if change is not None:
                shown = rows.loc[label, _t("deck.col.change")]
                shown = 0.0 if shown in ("–", "0") and change[key] == 0 else shown
                m.same(f"headline {key} change", scale * change[key], shown, tol)
    rates = orc.cycle_rates(v, last, by_region=True).set_index("region")
    med = orc.query(
        v,
        """SELECT region, median(value) AS value FROM val WHERE seq = $last AND indicator = $indicator
                          GROUP BY region""",
    ).set_index("region")["value"]
    if level != "library":
        region_col = _t(f"deck.col.{level}")
        for table in tables:
            if region_col not in table.columns or _t("quality.active") not in table.columns:
                continue  # not a table of regions (e.g. libraries with their district)
            shown = table.set_index(region_col)
            m.same(
                f"regions of table {list(table.columns)[:3]}",
                sorted(names.get(r, r) for r in rates.index),
                sorted(shown.index),
            )
            for region, row in rates.iterrows():
                name = names.get(region, region)
                if name not in shown.index:
                    continue
                got = shown.loc[name]
                m.same(f"table {region} active", row["active"], got.get(_t("quality.active")))
                if _t("measure.participation") in got:
                    m.same(
                        f"table {region} participation",
                        100 * row["participation"],
                        got.get(_t("measure.participation")),
                        PCT,
                    )
                if _t("measure.reporting") in got:
                    m.same(f"table {region} reporting", 100 * row["reporting"], got.get(_t("measure.reporting")), PCT)
                if _t("deck.col.timeliness") in got:
                    m.same(
                        f"table {region} timeliness", 100 * row["timeliness"], got.get(_t("deck.col.timeliness")), PCT
                    )
                median_col = next((c for c in got.index if str(c).endswith(")") and "median" in str(c)), None)
                if median_col is not None:
                    m.same(
                        f"table {region} median {v.indicator}",
                        med.get(region, float("nan")),
                        got.get(median_col),
                        0.05 + 1e-9,
                    )
    else:
        lc = orc.query(
            v,
            """SELECT name, attended, plm_held, reported, on_time, report_date IS NULL AS undated
                             FROM lc WHERE seq = $last""",
        )
        for table in tables:
            if _t("col.library") not in table.columns or _t("deck.col.reported") not in table.columns:
                continue
            shown = table.set_index(_t("col.library"))
            m.same("libraries of a deck table", sorted(lc["name"]), sorted(shown.index))
            for row in lc.itertuples():
                if row.name not in shown.index:
                    continue
                got = shown.loc[row.name]
                reported = str(got.get(_t("deck.col.reported")))
                m.same(f"'{row.name}' reported", row.reported, reported.startswith(_t("deck.yes")))
                if _t("deck.col.on_time") in got:
                    on_time = str(got.get(_t("deck.col.on_time")))
                    m.same(f"'{row.name}' on time", bool(row.on_time), on_time.startswith(_t("deck.yes")))
                elif row.reported:  # "Yes", "Yes · late" or "Yes · date unknown"
                    said = (
                        "date unknown"
                        if _t("report.date_unknown") in reported
                        else "late"
                        if _t("deck.late") in reported
                        else "on time"
                    )
                    m.same(
                        f"'{row.name}' report",
                        "date unknown" if row.undated else "on time" if row.on_time else "late",
                        said,
                    )
                if _t("deck.col.attended") in got:
                    m.same(
                        f"'{row.name}' attended",
                        row.attended,
                        str(got.get(_t("deck.col.attended"))).startswith(_t("deck.yes")),
                    )
    return m
