"""``python -m analytics load``: many browser-like sessions on one server, changing filters at once (issue 7).

One ``streamlit run`` server (``analytics/tools/server.py``); N threads, each with its own websocket session and its
own deterministic random walk over the filters (province, sometimes a district of it, tier, indicator, cycle
range, language) and the pages. The sessions may instead go through nginx to several app processes
(``processes``: the deployment of ``analytics/serve.py``, started here) or to a running deployment's address
(``url``: nothing is started, memory is not measured); through a proxy each session starts as a browser does:
its first page gives it the session-affinity cookie, and its websocket carries it. Every rerun is checked:

- an error: an exception drawn on the page, or a rerun that did not finish (timeout, connection lost);
- a leak: the page's caption (the active filters in words, ``filters.describe``) is not the description of
  the filters this session asked for, i.e. the session was served someone else's filters (or none).

With ``own_area`` the server(s) run with ``PLM_VIEWING=own-area`` on a copy of the SQLite file holding one
password account per session (province and district officers over ``AREAS`` areas, ``accounts``); each session
signs in through the password form over its websocket (``Session.sign_in``: the form's fields and its submit,
as a browser sends them), one after the other before the clock starts (signing in is not what is measured;
at the same moment they would wait for each other's checks, ``users.authenticate``), then walks the pages
asking for other areas' provinces, districts, libraries and compare entities in the URL. Every rerun is also
checked for

- a leak across areas: any word drawn (captions, metrics, table cells, chart text, the options of the filters)
  naming a province, district or library outside the session's area (``AreaCheck``, built from the database's
  tables, not from ``analytics.viewing``). The caption check above then expects the filters the app must
  show: the ones asked for, brought inside the area by ``analytics.viewing``'s rule.

Rounds (two unless asked for more) of N sessions run one after the other on the same server. The server's
memory (VmRSS) is sampled before the sessions (after one warm-up session has loaded the dataset), every second
during the rounds, and ``settle`` seconds after each round's sessions closed; VmHWM gives the peak. The first
round fills the fixed-size caches and the allocator's pools; a leak that grows with sessions or reruns makes
every later round add about as much as the first. The resident size swings by about a hundred MB between
rounds with the reruns in flight and what the allocator keeps after them, and a round may end *below* the
level before the sessions (memory given back). ``memory_verdict`` therefore measures each round against the
highest after-close level reached before it, with a margin of a quarter of round 1's *peak* growth (at least
``MARGIN_MB``): memory GROWS when the last round ends more than the margin above every earlier level, or when
every round after the first ends higher than the one before and the last more than the margin above round 1;
otherwise it is *bounded*. Two rounds (the default) catch a leak of a margin a round; more rounds catch smaller
ones, and only more rounds tell caches still filling from a leak.

Streamlit keeps a closed session's state for ``server.disconnectedSessionTTL`` (120 s by default, at most
128 sessions) so that a browser may reconnect, and drops it on the next disconnect after that time; the
figures "after close" therefore include up to one round of stored sessions, as a deployed server would.
"""

from __future__ import annotations

import functools
import io
import json
import math
import os
import platform
import random
import re
import statistics
import subprocess
import tarfile
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .. import db as dialects
from .. import filters, serve, store, users, viewing
from ..config import ROOT
from ..filters import Choices, Filters

PAGES = ("", "participation", "impact", "compare", "library", "data-quality", "stories", "awards", "present")
MARGIN_MB = 32.0
MARGIN_FRACTION = 0.25  # the memory verdict's margin: a quarter of round 1's peak growth (or MARGIN_MB)
THINK_SECONDS = (0.2, 1.0)  # pause between two filter changes of one session


APP_FILES = ("app.py", "pages", "analytics", "static", ".streamlit", "data/reference")


def code_copy(ref: str, dest: Path) -> str:
    """The app's code at git ``ref`` written to ``dest``: the server then runs that, and edits made to the
    working tree during the run (by others, or a half-saved file) cannot reach it. Returns the commit."""
    commit = subprocess.run(
        ["git", "rev-parse", "--verify", ref + "^{commit}"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    data = subprocess.run(
        ["git", "archive", "--format=tar", commit, *APP_FILES], cwd=ROOT, capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(dest, filter="data")
    return commit


def choices_of(db: str | Path) -> tuple[Choices, list[str], dict[str, list[str]]]:
    """The filter values of the database (read directly from its tables), the provinces that have libraries
    and, per province, its districts that have libraries."""
    with store.opened(db, readonly=True) as conn:
        provinces = dict(conn.execute("SELECT code, name FROM provinces ORDER BY code").fetchall())
        districts = {
            c: (p, n) for c, p, n in conn.execute("SELECT code, province_code, name FROM districts ORDER BY code")
        }
        cycles = tuple(r[0] for r in conn.execute("SELECT id FROM cycles ORDER BY seq"))
        indicators = {
            c: (i, e) for c, i, e in conn.execute("SELECT code, name_id, name_en FROM indicators ORDER BY code")
        }
        used = [r[0] for r in conn.execute("SELECT DISTINCT district_code FROM libraries ORDER BY 1")]
    by_province: dict[str, list[str]] = {}
    for code in used:
        by_province.setdefault(districts[code][0], []).append(code)
    choices = Choices(
        provinces=provinces,
        districts=districts,
        tiers=tuple(store.TIERS),
        cohorts=(),
        cycles=cycles,
        indicators=indicators,
    )
    return choices, sorted(by_province), by_province


class Walk:
    """One session's filters, changed one step at a time like an officer exploring the dashboard."""

    def __init__(self, rng: random.Random, choices: Choices, provinces: list[str], districts: dict[str, list[str]]):
        self.rng, self.choices, self.provinces, self.districts = rng, choices, provinces, districts
        self.page = ""
        self.f = Filters()

    def step(self) -> None:
        rng, c, f = self.rng, self.choices, self.f
        r = rng.random()
        if r < 0.30:
            f = f.with_(province=rng.choice([None, *self.provinces]), district=None)
        elif r < 0.50:
            if f.province and self.districts.get(f.province):
                f = f.with_(district=rng.choice([None, *self.districts[f.province]]))
            else:
                f = f.with_(province=rng.choice(self.provinces), district=None)
        elif r < 0.65:
            f = f.with_(tier=rng.choice([None, *c.tiers]))
        elif r < 0.80:
            f = f.with_(indicator=rng.choice(list(c.indicators)))
        elif r < 0.90:
            if rng.random() < 0.4 or len(c.cycles) < 2:
                f = f.with_(from_cycle=None, to_cycle=None)
            else:
                i, j = sorted(rng.sample(range(len(c.cycles)), 2))
                f = f.with_(from_cycle=c.cycles[i], to_cycle=c.cycles[j])
        elif r < 0.95:
            f = f.with_(lang="en" if f.lang == "id" else "id")
        if r >= 0.95 or rng.random() < 0.35:
            self.page = rng.choice(PAGES)
        self.f = f

    def query(self) -> dict[str, str]:
        return filters.to_params(self.f)

    def expected(self) -> str:
        """The caption this session must be shown: its own filters in words."""
        # The slides' caption names no months (filters.describe(months=False), widgets.describe).
        return filters.describe(self.f, self.choices, filters.PAGE_APPLIES[self.page], months=self.page != "present")

    def place(self) -> str:
        """The place this session asked for, as the caption names it (province name or all of Indonesia)."""
        if self.f.province is None:
            return "All Indonesia" if self.f.lang == "en" else "Seluruh Indonesia"
        return self.choices.provinces[self.f.province]


AREAS = 8  # distinct areas the own-area sessions are spread over (the app caches 16 restricted datasets)
PASSWORD = "load-test-password"  # every load account's (the test's own copy of the database)


@dataclass(frozen=True)
class Names:
    """The places of a database by code: provinces, districts (province, name) and libraries (name, district)."""

    provinces: dict
    districts: dict
    libraries: dict
    places: dict = None  # district code -> the villages and subdistricts of its libraries


def names_of(db: str | Path) -> Names:
    with store.opened(db, readonly=True) as conn:
        return Names(
            dict(conn.execute("SELECT code, name FROM provinces")),
            {c: (p, n) for c, p, n in conn.execute("SELECT code, province_code, name FROM districts")},
            {i: (n, d) for i, n, d in conn.execute("SELECT id, name, district_code FROM libraries")},
            {
                d: {
                    p
                    for r in conn.execute("SELECT village, subdistrict FROM libraries WHERE district_code = ?", (d,))
                    for p in r
                    if p
                }
                for (d,) in conn.execute("SELECT DISTINCT district_code FROM libraries")
            },
        )


def account_areas(names: Names, count: int = AREAS) -> list[tuple[str, str]]:
    """``count`` areas ``(role, code)`` with libraries, alternating province officers (whole provinces) and
    district officers (a district of a province not taken yet), spread over the provinces."""
    used = sorted({d for _, d in names.libraries.values()})
    provinces = sorted({names.districts[d][0] for d in used})
    step = max(1, len(provinces) // count)
    spread = provinces[::step] + [p for p in provinces if p not in provinces[::step]]
    out = []
    for i, province in enumerate(spread[:count]):
        if i % 2 == 0:
            out.append(("province_officer", province))
        else:
            out.append(("district_officer", next(d for d in used if d.startswith(province + "."))))
    return out


def accounts(db: str | Path, sessions: int, names: Names) -> list[users.User]:
    """One password account per session, ``load<i>@example.org``, over ``account_areas``. The password is
    hashed once (``users.add``, the app's own hasher and parameters) and that hash given to the others: the
    sign-in still verifies it in full for each session."""
    areas = account_areas(names)
    made = []
    with store.opened(db) as conn:
        for i in range(sessions):
            role, code = areas[i % len(areas)]
            made.append(
                users.add(
                    conn,
                    f"load{i}@example.org",
                    name=f"Load {i}",
                    role=role,
                    areas=[code],
                    password=PASSWORD if i == 0 else None,
                    actor="load-test",
                )
            )
        conn.execute(
            "UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE email = ?) "
            "WHERE email LIKE 'load%@example.org'",
            (made[0].email,),
        )
        conn.commit()
    return made


class AreaCheck:
    """The words that must not be drawn for an account in own-area mode: the names of every province, district
    and library outside its area (the area from the account's rows and the database's tables: a province
    officer's province with all its districts and libraries; a district officer's district, its libraries and
    its province's name; the villages and subdistricts of the area's libraries count as its own names: a village
    "Banyuwangi" in Aceh is not the district Banyuwangi).
    A name is found as a whole word (or a whole cell); a foreign name inside one of the
    area's own names (a district "Blitar" inside "Kota Blitar") is not a leak, nor is a foreign library sharing
    its name with one of the area's."""

    def __init__(self, user: users.User, names: Names):
        whole = {c for c in user.areas if c in names.provinces and user.role == "province_officer"}
        districts = {c for c in user.areas if c in names.districts} | {
            d for d, (p, _) in names.districts.items() if p in whole
        }
        provinces = whole | {names.districts[d][0] for d in districts}
        own = (
            {names.provinces[p] for p in provinces}
            | {names.districts[d][1] for d in districts}
            | {n for n, d in names.libraries.values() if d in districts}
            # a library's village or subdistrict (drawn beside its name) may share a district's name elsewhere
            | {p for d in districts for p in (names.places or {}).get(d, ())}
        )
        foreign = (
            {n for c, n in names.provinces.items() if c not in provinces}
            | {n for c, (_, n) in names.districts.items() if c not in districts}
        ) - own
        # Names that are also words of the app's own texts (the catalog: "Batang" is a bar of a chart, a note
        # names "Kalimantan Utara") cannot be told from them: not checked, and reported as such.
        catalog = _catalog_text()
        self.unchecked = sorted(
            n for n in foreign if n in catalog and re.search(r"(?<!\w)" + re.escape(n) + r"(?!\w)", catalog)
        )
        foreign -= set(self.unchecked)
        self.own_libraries = {n for n, d in names.libraries.values() if d in districts}
        self.foreign_libraries = {n for n, d in names.libraries.values() if d not in districts} - own
        self.own_names = sorted({names.provinces[p] for p in provinces} | {names.districts[d][1] for d in districts})
        self.area = ", ".join(sorted(user.areas))
        self._foreign = _words(foreign)
        self._own = _words(own - self.own_libraries | {n for n in self.own_libraries if len(n) < 80})

    def found(self, strings: list[str]) -> list[dict]:
        """The foreign names in ``strings``: ``{"name", "in"}`` (the text around it)."""
        out = []
        for text in strings:
            text = _plain(text)
            if text in self.foreign_libraries:
                out.append({"name": text, "in": "table cell"})
                continue
            hits = list(self._foreign.finditer(text)) if self._foreign else []
            if not hits:
                continue
            spans = [m.span() for m in self._own.finditer(text)] if self._own else []
            for m in hits:
                if not any(a <= m.start() and m.end() <= b for a, b in spans):
                    out.append({"name": m.group(0), "in": text[max(0, m.start() - 60) : m.end() + 60]})
        return out

    def shows_own(self, strings: list[str]) -> bool:
        """Whether the area's own province or district is named: the page was drawn for it."""
        return any(name in _plain(t) for t in strings for name in self.own_names)


@functools.cache
def _catalog_text() -> str:
    """Every text the app words itself (the catalog's files, analytics/i18n/)."""
    return "\n".join(f.read_text(encoding="utf-8") for f in sorted((ROOT / "analytics" / "i18n").glob("*.py")))


def _words(names) -> re.Pattern | None:
    names = sorted((n for n in names if n), key=len, reverse=True)
    if not names:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)")


class OwnAreaWalk(Walk):
    """An own-area session's walk: always names a province in the URL (often another area's), sometimes another
    area's district, library (on the library page) or compare entities; ``expected`` is the caption of the
    filters brought inside the account's area."""

    def __init__(self, rng, choices, provinces, districts, user: users.User, names: Names):
        super().__init__(rng, choices, provinces, districts)
        self.user, self.names = user, names
        self.scope = viewing.area(user, choices)
        self.inside = viewing.restrict_choices(choices, self.scope)
        self.library_ids = sorted(names.libraries)
        self.extra: dict[str, str] = {}

    def step(self) -> None:
        super().step()
        rng = self.rng
        if self.f.province is None:
            self.f = self.f.with_(province=rng.choice(self.provinces), district=None)
        if rng.random() < 0.3:  # a district of any province, not necessarily the one named
            d = rng.choice(list(self.choices.districts))
            self.f = (
                self.f.with_(district=d) if rng.random() < 0.5 else self.f.with_(province=d.split(".")[0], district=d)
            )
        self.extra = {}
        r = rng.random()
        if r < 0.15:
            self.page = "library"
            self.extra["library"] = str(rng.choice(self.library_ids))
        elif r < 0.25:
            self.page = "compare"
            picks = rng.sample(self.provinces, min(3, len(self.provinces)))
            self.extra["compare"] = ",".join(f"p:{p}" for p in picks)

    def query(self) -> dict[str, str]:
        return {**filters.to_params(self.f), **self.extra}

    def shown(self) -> Filters:
        """The filters the app must show for this URL: parsed against the area's choices, preset, restricted."""
        f, _ = filters.parse(self.query(), self.inside)
        return viewing.restrict_filters(viewing.preset(f, self.user, self.inside), self.scope)

    def expected(self) -> str:
        return filters.describe(self.shown(), self.choices, filters.PAGE_APPLIES[self.page])

    def place(self) -> str:
        return self.choices.provinces[self.shown().province]


def _plain(markdown: str) -> str:
    """Text as read on the page: Markdown's backslash escapes removed (captions escape '-', '*', ...)."""
    return re.sub(r"\\(.)", r"\1", markdown)


class Direct:
    """One app process; the sessions connect to its port (the load test's original set-up)."""

    measures_memory = True

    def __init__(self, db, script=None, env: dict | None = None):
        from .server import Server

        self.server = Server(db, env=env, script=script)
        self.routes: Counter = Counter()

    def describe(self) -> str:
        return "1 process, sessions straight to it"

    def __enter__(self) -> Direct:
        self.server.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.stop()

    def warm_cookies(self) -> list:
        return [None]

    def session(self, cookie: str | None = None):
        return self.server.session()

    def memory_mb(self, field: str = "VmRSS") -> float:
        return self.server.memory_mb(field)

    def mark(self):
        return len(self.server.log)

    def since(self, mark) -> list[str]:
        return self.server.log[mark:]

    def alive(self) -> bool:
        return self.server.process.poll() is None


def first_visit(url: str) -> str | None:
    """The cookie a browser's first page gets from the proxy (``name=value``), None when it sets none."""
    import urllib.request

    with urllib.request.urlopen(url.rstrip("/") + "/", timeout=60) as response:
        header = response.headers.get("Set-Cookie")
    return header.split(";", 1)[0].strip() if header else None


class Remote:
    """A running deployment at ``url`` (a proxy, or one process): sessions as browsers; memory not measured."""

    measures_memory = False

    def __init__(self, url: str):
        self.url = url.rstrip("/")
        self.routes: Counter = Counter()

    def describe(self) -> str:
        return f"the running deployment at {self.url}"

    def __enter__(self) -> Remote:
        if not serve.healthy(self.url + "/_stcore/health", timeout=10):
            raise ConnectionError(f"nothing answers at {self.url}/_stcore/health")
        return self

    def __exit__(self, *exc) -> None:
        pass

    def warm_cookies(self) -> list:
        return [None]

    def session(self, cookie: str | None = None):
        from .server import Session

        if cookie is None:
            cookie = first_visit(self.url)
            self.routes[cookie or "-"] += 1
        return Session(url=self.url, cookie=cookie)

    def memory_mb(self, field: str = "VmRSS") -> float:
        return float("nan")

    def mark(self):
        return None

    def since(self, mark) -> list[str]:
        return []

    def alive(self) -> bool:
        return serve.healthy(self.url + "/_stcore/health", timeout=10)


class Proxied(Remote):
    """``processes`` app processes behind nginx, started here as ``python -m analytics serve`` starts them.
    Memory is the processes' together (VmHWM: the sum of each one's peak, an upper bound)."""

    measures_memory = True

    def __init__(self, db, processes: int, script=None, env: dict | None = None):
        listen, first = serve.free_ports(processes)
        self.deployment = serve.Deployment(
            db, processes=processes, listen=f"127.0.0.1:{listen}", app_port=first, script=script, env=env, capture=True
        )
        super().__init__(self.deployment.url)

    def describe(self) -> str:
        n = len(self.deployment.ports)
        return f"{n} process{'es' if n > 1 else ''} behind nginx"

    def __enter__(self) -> Proxied:
        self.deployment.start()
        return self

    def __exit__(self, *exc) -> None:
        self.deployment.stop()

    def warm_cookies(self) -> list:
        return [f"{serve.ROUTE_COOKIE}={i}" for i in range(1, len(self.deployment.ports) + 1)]

    def memory_mb(self, field: str = "VmRSS") -> float:
        return self.deployment.memory_mb(field)

    def mark(self):
        return [len(app.lines) for app in self.deployment.apps]

    def since(self, mark) -> list[str]:
        return [line for app, at in zip(self.deployment.apps, mark) for line in app.lines[at:]]

    def alive(self) -> bool:
        proxy = self.deployment.proxy
        return proxy is not None and proxy.poll() is None and all(a.alive() for a in self.deployment.apps)


SIGN_IN = threading.Lock()  # one sign-in at a time: in-flight attempts count against the (shared) client


def _session(
    server,
    index: int,
    walk: Walk,
    start: threading.Barrier,
    deadline_box: list,
    out: dict,
    think: tuple[float, float],
    check: AreaCheck | None = None,
) -> None:
    """One session's loop: change the filters, ask for the page, check it; until the deadline. With ``check``
    (own-area mode) the session first signs in as ``walk.user`` and every page is checked for other areas."""
    latencies, errors, leaks = out["latencies"], out["errors"], out["leaks"]
    try:
        session = server.session()
        if check is not None:
            with SIGN_IN:
                signed = session.sign_in(walk.user.email, PASSWORD, timeout=600)
            if not signed:
                raise RuntimeError(f"the sign-in of {walk.user.email} did not succeed")
    except Exception as exc:  # noqa: BLE001 (every failure to connect is an error of the run)
        errors.append({"session": index, "error": f"connect: {type(exc).__name__}: {exc}"})
        start.wait()
        return
    try:
        start.wait()
        while time.time() < deadline_box[0]:
            walk.step()
            query = walk.query()
            try:
                r = session.rerun(walk.page, query)
            except Exception as exc:  # noqa: BLE001 (a rerun that does not finish is an error; stop this session)
                errors.append(
                    {"session": index, "page": walk.page, "query": query, "error": f"{type(exc).__name__}: {exc}"}
                )
                return
            out["reruns"][index] += 1
            latencies.append(r.seconds)
            out["bytes"].append(r.bytes)
            if r.exceptions:
                errors.append({"session": index, "page": walk.page, "query": query, "error": r.exceptions[:2]})
            expected = walk.expected()  # starts with the province's name, or "Seluruh Indonesia" for none
            if not any(expected in _plain(t) for t in r.texts):
                leaks.append(
                    {
                        "session": index,
                        "page": walk.page,
                        "query": query,
                        "expected": expected,
                        "place": walk.place(),
                        "shown": [t for t in r.texts if " · " in t][:2],
                    }
                )
            if check is not None:
                found = check.found(r.strings)
                if found:
                    out["area_leaks"].append(
                        {
                            "session": index,
                            "area": check.area,
                            "page": walk.page,
                            "query": query,
                            "found": found[:3],
                            "names": len(found),
                        }
                    )
                out["own_shown"] += check.shows_own(r.strings)
            time.sleep(walk.rng.uniform(*think))
    finally:
        try:
            session.close()
        except Exception:  # noqa: BLE001, S110 (closing an already broken connection)
            pass


def _round(
    server,
    sessions: int,
    seconds: float,
    seed: int,
    number: int,
    db_choices,
    think,
    own: tuple[list, Names] | None = None,
) -> dict:
    choices, provinces, districts = db_choices
    out = {
        "reruns": [0] * sessions,
        "latencies": [],
        "bytes": [],
        "errors": [],
        "leaks": [],
        "area_leaks": [],
        "own_shown": 0,
    }
    # own-area: the sessions sign in one after the other before the clock starts (minutes at national scale)
    start = threading.Barrier(sessions + 1, timeout=180 if own is None else 180 + 60 * sessions)
    deadline_box = [float("inf")]
    threads = []
    checks: dict = {}
    for i in range(sessions):
        rng = random.Random(seed * 1_000_003 + number * 1_009 + i)
        check = None
        if own is None:
            walk = Walk(rng, choices, provinces, districts)
        else:
            user = own[0][i]
            walk = OwnAreaWalk(rng, choices, provinces, districts, user, own[1])
            check = checks.get(user.areas) or checks.setdefault(user.areas, AreaCheck(user, own[1]))
        thread = threading.Thread(
            target=_session,
            args=(server, i, walk, start, deadline_box, out, think, check),
            daemon=True,
            name=f"load-{number}-{i}",
        )
        thread.start()
        threads.append(thread)
    start.wait()  # every session connected: the clock starts
    began = time.time()
    deadline_box[0] = began + seconds
    for thread in threads:
        thread.join(timeout=seconds + 300)
    out["seconds"] = time.time() - began
    out["stuck_sessions"] = sum(t.is_alive() for t in threads)
    return out


def _timings(lines: list[str]) -> list[dict]:
    """The server's per-rerun lines (PLM_BENCH=1). Concurrent script threads may write two on one line
    (``print`` writes the text and the newline separately), so each line is decoded object by object."""
    decoder, out = json.JSONDecoder(), []
    for line in lines:
        at = 0
        while line.startswith('{"bench"', at):
            try:
                obj, at = decoder.raw_decode(line, at)
            except ValueError:
                break
            out.append(obj)
    return out


def _summary(rounds: list[dict]) -> dict:
    latencies = sorted(x for r in rounds for x in r["latencies"])
    per_session = [n for r in rounds for n in r["reruns"]]

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] if latencies else float("nan")

    return {
        "reruns": sum(per_session),
        "min_reruns_per_session": min(per_session, default=0),
        "errors": sum(len(r["errors"]) for r in rounds) + sum(r["stuck_sessions"] for r in rounds),
        "leaks": sum(len(r["leaks"]) for r in rounds),
        "area_leaks": sum(len(r["area_leaks"]) for r in rounds),
        "reruns_showing_own_area": sum(r["own_shown"] for r in rounds),
        "latency_median_s": statistics.median(latencies) if latencies else float("nan"),
        "latency_p95_s": pct(0.95),
        "latency_max_s": latencies[-1] if latencies else float("nan"),
        "bytes_median": statistics.median(b for r in rounds for b in r["bytes"]) if latencies else 0,
    }


def _serve(
    server,
    result: dict,
    samples: list,
    sessions,
    seconds,
    seed,
    settle,
    think,
    db_choices,
    say,
    count: int = 2,
    own=None,
) -> None:
    """Start the server, warm it up, run the rounds and measure its memory; the figures go to result."""
    with server:
        memory: dict = {"started_mb": server.memory_mb()}
        for cookie in server.warm_cookies():  # each process loads the dataset once: the baseline includes it
            warm = server.session(cookie)
            warm.rerun("", {}, timeout=900)  # a first read at national scale on a busy machine takes minutes
            warm.close()
        server.routes.clear()
        time.sleep(min(settle, 5.0))
        memory["before_mb"] = server.memory_mb()
        stop = threading.Event()

        def sample() -> None:
            t0 = time.time()
            while not stop.wait(1.0):
                try:
                    samples.append((time.time() - t0, server.memory_mb()))
                except OSError:
                    return

        sampler = threading.Thread(target=sample, daemon=True)
        if server.measures_memory:
            sampler.start()
        rounds = []
        try:
            for number in range(1, count + 1):
                say(f"round {number}: {sessions} sessions for {seconds:.0f} s")
                before = server.mark()
                rounds.append(_round(server, sessions, seconds, seed, number, db_choices, think, own))
                rounds[-1]["server_seconds"] = [t["seconds"] for t in _timings(server.since(before))]
                memory[f"round{number}_peak_sampled_mb"] = max((m for _, m in samples), default=float("nan"))
                say(f"round {number}: closed; waiting {settle:.0f} s")
                time.sleep(settle)
                memory[f"after_close{number}_mb"] = server.memory_mb()
        finally:
            stop.set()
            if sampler.is_alive():
                sampler.join(timeout=5)
        memory["peak_hwm_mb"] = server.memory_mb("VmHWM")
        memory["peak_sampled_mb"] = max((m for _, m in samples), default=float("nan"))
        result["server_alive"] = server.alive()
        result["sessions_per_route"] = dict(sorted(server.routes.items()))
        result["memory"], result["_rounds"] = memory, rounds


def run(
    db: str | Path,
    sessions: int = 20,
    seconds: float = 180,
    seed: int = 0,
    settle: float = 15.0,
    think: tuple[float, float] = THINK_SECONDS,
    code: str | None = None,
    progress=None,
    rounds: int = 2,
    processes: int | None = None,
    url: str | None = None,
    own_area: bool = False,
    viewing_mode: str = "own-area",
) -> dict:
    """``rounds`` rounds (at least two) of ``sessions`` concurrent sessions, ``seconds`` each, on one server.

    Memory is bounded unless the last round ends more than a margin above every earlier round, or the rounds
    keep rising by more than it in all (``memory_verdict``).

    ``code``: a git ref whose committed app code the server runs (from a copy), or None for the working tree
    in place. ``processes``: that many app processes behind nginx (``analytics/serve.py``) instead of one
    process reached directly. ``url``: a running deployment instead (``db`` then only gives the filter values
    the sessions choose from; it must be the deployment's database; memory is not measured).

    ``own_area``: signed-in sessions, each in its own area, checked for leaks across areas, on a copy of ``db``
    (a SQLite file) holding their accounts, served with ``PLM_VIEWING=viewing_mode`` (``own-area``; another
    value only to see the check fail)."""
    say = progress or (lambda message: None)
    db_choices = choices_of(db)
    load_start = os.getloadavg()
    result: dict = {
        "database": dialects.describe(db),
        "sessions": sessions,
        "seconds_per_round": seconds,
        "rounds": rounds,
        "seed": seed,
        "think_seconds": list(think),
        "settle_seconds": settle,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "loadavg_start": [round(x, 2) for x in load_start],
        },
    }
    samples: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        script = None
        own = None
        env = {"PLM_BENCH": "1"}
        if own_area:
            if url or dialects.is_url(db):
                raise ValueError("own_area needs a SQLite file to copy (its accounts are made in the copy)")
            say("own area: copying the database and adding one account per session")
            db = _copy(db, Path(tmp) / "load.sqlite")
            names = names_of(db)
            made = accounts(db, sessions, names)
            own = (made, names)
            env["PLM_VIEWING"] = viewing_mode
            result["own_area"] = {
                "viewing": viewing_mode,
                "accounts": len(made),
                "areas": sorted({f"{u.role}:{','.join(u.areas)}" for u in made}),
                "names_not_checked": AreaCheck(made[0], names).unchecked,
            }
        if url:
            result["code"] = "the deployment's"
        elif code:
            result["code"] = code_copy(code, Path(tmp))
            script = Path(tmp) / "app.py"
        else:
            result["code"] = "working tree"
        server = Remote(url) if url else Proxied(db, processes, script, env) if processes else Direct(db, script, env)
        result["target"] = server.describe()
        result["processes"] = None if url else processes or 1
        _serve(server, result, samples, sessions, seconds, seed, settle, think, db_choices, say, rounds, own)
    memory = result["memory"]
    ran = result.pop("_rounds")  # each round's figures
    previous = memory["before_mb"]
    for number in range(1, rounds + 1):
        memory[f"round{number}_growth_mb"] = memory[f"after_close{number}_mb"] - previous
        previous = memory[f"after_close{number}_mb"]
    levels = [memory[f"after_close{n}_mb"] for n in range(1, rounds + 1)]
    if rounds >= 2:
        bounded, margin, reason = memory_verdict(memory["before_mb"], levels, memory["round1_peak_sampled_mb"])
    else:  # one round (a quick run for leaks across sessions or areas): no second round to compare with
        bounded, margin, reason = None, float("nan"), "one round: memory not judged (it needs two rounds or more)"
    # Not judged (one round) or not measured (a remote deployment): None, which the result's ok does not count.
    memory.update(margin_mb=margin, bounded=bounded if server.measures_memory else None, verdict=reason)
    result["memory"] = memory
    result.update(_summary(ran))
    result["reruns_per_s"] = result["reruns"] / sum(r["seconds"] for r in ran)
    server_seconds = sorted(x for r in ran for x in r["server_seconds"])
    result["server_rerun_median_s"] = statistics.median(server_seconds) if server_seconds else float("nan")
    result["per_round"] = [
        {**_summary([r]), "seconds": r["seconds"], "stuck_sessions": r["stuck_sessions"]} for r in ran
    ]
    result["error_kinds"] = dict(Counter(str(e["error"])[:160] for r in ran for e in r["errors"]).most_common())
    result["error_samples"] = [e for r in ran for e in r["errors"]][:10]
    result["leak_samples"] = [e for r in ran for e in r["leaks"]][:10]
    result["area_leak_samples"] = [e for r in ran for e in r["area_leaks"]][:10]
    result["memory_samples"] = [(round(t, 1), round(m, 1)) for t, m in samples]
    result["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    result["ok"] = (
        result["errors"] == 0
        and result["leaks"] == 0
        and result["area_leaks"] == 0
        and (not own_area or result["reruns_showing_own_area"] > 0)
        and result["server_alive"]
        and result["min_reruns_per_session"] > 0
        and memory["bounded"] is not False
    )
    return result


def memory_verdict(before: float, levels: list[float], first_peak: float) -> tuple[bool, float, str]:
    """Whether the server's memory is bounded: ``(bounded, margin in MB, the reason in words)``.

    ``before``: the level before the sessions (the dataset loaded); ``levels``: the level after each round's
    sessions closed (two or more rounds); ``first_peak``: the highest sample during round 1 (NaN if none).

    - The margin is a quarter (``MARGIN_FRACTION``) of round 1's peak growth, ``first_peak - before``, or
      ``MARGIN_MB``, whichever is larger: the swing between rounds comes from the reruns in flight and what the
      allocator keeps of their memory, which is what that peak measures; round 1's after-close growth can be
      negative (the allocator gave memory back, the warm-up had pushed the start up) and says nothing of it.
    - A round is measured against the highest after-close level reached before it (``before`` included), not
      against the previous round's end: refilling a dip is not growth.
    - GROWS when the last round ended more than the margin above every earlier level (a leak of at least the
      margin a round, seen in two rounds), or when every round after the first ended higher than the one
      before and the last more than the margin above the highest level after round 1 (a steadier, smaller
      leak: with ``k`` rounds, one of more than ``margin / (k - 1)`` a round). A plateau of filled caches stops
      rising: some round ends at or below an earlier one.

    What it cannot tell: caches still filling in the last round from a leak (two rounds that both grow a lot
    are GROWS until more rounds show a plateau), nor a leak under the margin a round that a noisy round hides.

    >>> memory_verdict(560, [500, 610, 540, 640], 1100)[:2]  # a dip, then a plateau within the noise
    (True, 135.0)
    >>> memory_verdict(560, [700, 760, 820, 880], 1100)[0]  # +60 MB every round
    False
    """
    if len(levels) < 2:
        raise ValueError("the verdict needs two rounds or more")
    if any(math.isnan(x) for x in (before, *levels)):
        return False, float("nan"), "memory not measured"
    n = len(levels)
    peak = levels[0] if math.isnan(first_peak) else max(first_peak, levels[0])
    margin = max(MARGIN_MB, MARGIN_FRACTION * (peak - before))
    highest_before_last = max(before, *levels[:-1])
    rise = levels[-1] - highest_before_last
    climb = levels[-1] - max(before, levels[0])
    rising = all(b > a for a, b in zip(levels, levels[1:]))
    within = f"margin {margin:,.0f} MB (a quarter of round 1's peak growth, at least {MARGIN_MB:.0f})"
    against = f"{rise:+,.0f} MB against the highest level before it ({highest_before_last:,.0f} MB)"
    if rise > margin:
        reason = f"round {n} ended {against}; {within}"
        if n == 2:
            reason += "; two rounds cannot tell caches still filling from a leak: run more rounds"
        return False, margin, reason
    if n > 2 and rising and climb > margin:
        steady = f"rounds 2 to {n} each ended higher than the one before, the last {climb:+,.0f} MB against round 1"
        return False, margin, f"{steady}; {within}"
    reason = f"round {n} ended {against}; {within}"
    if n == 2 or rising:
        reason += f"; a leak under {margin:,.0f} MB a round needs more rounds to show"
    return True, margin, reason


def _copy(source, target: Path) -> Path:
    """A consistent copy of the SQLite file ``source`` (its backup API)."""
    import sqlite3

    with store.opened(source, readonly=True) as src:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    return target


def _after_close(m: dict, n: int) -> str:
    return f"{m[f'after_close{n}_mb']:,.0f} MB ({m[f'round{n}_growth_mb']:+.0f})"


def table(r: dict) -> str:
    """A short plain-text summary of ``run``'s figures."""
    m, last = r["memory"], r["rounds"]
    routes = ", ".join(f"{k}: {v}" for k, v in r.get("sessions_per_route", {}).items())
    rows = [
        ("target", r.get("target", "1 process") + (f" (sessions per route: {routes})" if routes else "")),
        ("sessions x rounds", f"{r['sessions']} x {r['rounds']} ({r['seconds_per_round']:.0f} s each)"),
        (
            "reruns",
            f"{r['reruns']:,} (fewest in a session: {r['min_reruns_per_session']}); "
            f"{r.get('reruns_per_s', float('nan')):.1f} per second",
        ),
        (
            "latency median / p95 / max",
            f"{r['latency_median_s']:.2f} / {r['latency_p95_s']:.2f} / {r['latency_max_s']:.2f} s",
        ),
        ("errors", str(r["errors"])),
        ("leaks (another session's filters)", str(r["leaks"])),
    ]
    if r.get("own_area"):
        o = r["own_area"]
        rows += [
            (
                "own area",
                f"PLM_VIEWING={o['viewing']}, {o['accounts']} signed-in accounts over {len(o['areas'])} areas",
            ),
            (
                "leaks across areas",
                f"{r['area_leaks']} (reruns naming their own area: {r['reruns_showing_own_area']:,})",
            ),
        ]
    if m["bounded"] is not None:
        rows += [
            ("memory before sessions", f"{m['before_mb']:,.0f} MB (server started: {m['started_mb']:,.0f} MB)"),
            (
                "memory peak (VmHWM / sampled)",
                f"{m['peak_hwm_mb']:,.0f} / {m['peak_sampled_mb']:,.0f} MB"
                f" (sampled in round 1: {m.get('round1_peak_sampled_mb', float('nan')):,.0f})",
            ),
            *((f"memory after close, round {n}", _after_close(m, n)) for n in range(1, last)),
            (f"memory after close, round {last}", _after_close(m, last)),
            ("memory", f"{'bounded' if m['bounded'] else 'GROWS'}: {m['verdict']}"),
        ]
    rows += [
        (
            "load average start / end",
            f"{r['machine']['loadavg_start'][0]:.2f} / {r['machine']['loadavg_end'][0]:.2f}"
            f" ({r['machine']['cpus']} cores)",
        ),
        ("result", "ok" if r["ok"] else "FAILED"),
    ]
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"{k:<{width}}  {v}" for k, v in rows)
