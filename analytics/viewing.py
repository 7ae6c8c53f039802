"""Who may view what (issue 15, item 2): the viewing mode and, for "own area only", the part of the data a
signed-in user sees. No Streamlit here (``analytics/app/auth.py`` applies it to a session); docs/accounts.md.

Modes (``PLM_VIEWING`` or the secret ``viewing``):

- ``open`` (the default): anyone sees every page and area;
- ``signed-in``: anonymous visitors see a sign-in prompt only; every account sees every area;
- ``own-area``: signed-in only, and each account sees its own area only: a district officer their districts,
  a province officer their provinces, a viewer the districts and provinces of their account; a national admin
  everything. A value not among these is taken as ``own-area`` (a typo must not open the data).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from . import filters, users

MODES = ("open", "signed-in", "own-area")
ENV = "PLM_VIEWING"
SECRET = "viewing"


def parse_mode(value) -> str:
    """``'Own-Area'`` -> ``'own-area'``; nothing -> ``'open'``; anything unknown -> ``'own-area'`` (fails
    closed)."""
    text = str(value or "").strip().lower().replace("_", "-")
    if not text:
        return "open"
    return text if text in MODES else "own-area"


@dataclass(frozen=True)
class Area:
    """What an account sees in own-area mode: ``provinces`` it may pick, ``districts`` it may pick, and
    ``whole`` the provinces it sees entirely (there "every district" is a choice)."""

    provinces: frozenset[str]
    districts: frozenset[str]
    whole: frozenset[str]

    @property
    def key(self) -> str:
        """A text naming the area, for cache keys."""
        return "|area:" + ",".join(sorted(self.districts)) + ";" + ",".join(sorted(self.whole))


def area(user: users.User | None, choices: filters.Choices) -> Area | None:
    """The area ``user`` sees in own-area mode (None: everything, for a national admin). An account without
    areas (a viewer given none) sees nothing: an empty area."""
    if user is not None and user.is_admin:
        return None
    codes = user.areas if user is not None else ()
    whole = frozenset(c for c in codes if c in choices.provinces and user.role != "district_officer")
    districts = frozenset(c for c in codes if c in choices.districts) | frozenset(
        d for d, (p, _) in choices.districts.items() if p in whole
    )
    provinces = whole | frozenset(choices.districts[d][0] for d in districts)
    return Area(provinces, districts, whole)


def restrict_choices(choices: filters.Choices, scope: Area | None) -> filters.Choices:
    """The choices of the filters within ``scope`` (all of them for None)."""
    if scope is None:
        return choices
    return replace(
        choices,
        provinces={c: n for c, n in choices.provinces.items() if c in scope.provinces},
        districts={c: v for c, v in choices.districts.items() if c in scope.districts},
        libraries={i: v for i, v in choices.libraries.items() if v[1] in scope.districts},
    )


def restrict_filters(f: filters.Filters, scope: Area | None) -> filters.Filters:
    """``f`` with its region inside ``scope``: a province of the area (the first when none or another is
    asked for) and, unless the area holds that whole province, one of its districts there."""
    if scope is None or not scope.provinces:
        return f
    province = f.province if f.province in scope.provinces else min(scope.provinces)
    district = f.district if f.district in scope.districts and f.district.startswith(province + ".") else None
    if district is None and province not in scope.whole:
        district = min(d for d in scope.districts if d.startswith(province + "."))
    changes = {"province": province, "district": district}
    if f.compare:
        changes["compare"] = tuple(e for e in f.compare if _entity_inside(e, scope))
    return (
        f.with_(**changes) if changes != {"province": f.province, "district": f.district, "compare": f.compare} else f
    )


def _entity_inside(entity: str, scope: Area) -> bool:
    kind, _, code = entity.partition(":")
    if kind == "p":
        return code in scope.whole
    if kind == "d":
        return code in scope.districts
    return True  # a library: filters.parse already checked it against the restricted choices


def preset(f: filters.Filters, user: users.User | None, choices: filters.Choices) -> filters.Filters:
    """Where a district or province officer lands when the URL names no region: their own area (their first
    district, or their first province), in every viewing mode."""
    if user is None or user.role not in users.OFFICERS or f.province or f.district or not user.areas:
        return f
    first = min(user.areas)
    if user.role == "district_officer" and first in choices.districts:
        return f.with_(province=choices.districts[first][0], district=first)
    if user.role == "province_officer" and first in choices.provinces:
        return f.with_(province=first)
    return f


def restrict_dataset(ds, scope: Area):
    """A ``dataset.Dataset`` holding only the area's provinces, districts, libraries and their rows (PLMs: those
    of the area's districts and provinces, and the national ones)."""
    from .dataset import Dataset

    libraries = ds.libraries[ds.libraries["district_code"].isin(scope.districts).to_numpy()].reset_index(drop=True)
    ids = set(libraries["id"].tolist())

    def rows(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[frame["library_id"].isin(ids).to_numpy()].reset_index(drop=True)

    m = ds.meetings
    meetings = m[
        (
            (m["level"] == "nasional") | m["region_code"].isin(scope.districts) | m["region_code"].isin(scope.provinces)
        ).to_numpy()
    ].reset_index(drop=True)
    return Dataset(
        ds.provinces[ds.provinces["code"].isin(scope.provinces).to_numpy()].reset_index(drop=True),
        ds.districts[ds.districts["code"].isin(scope.districts).to_numpy()].reset_index(drop=True),
        ds.cycles,
        ds.indicators,
        libraries,
        rows(ds.activity),
        rows(ds.values),
        rows(ds.visits),
        meetings,
        {**ds.meta, "area": scope.key},
    )
