"""The load test's own-area mode (issue 15, item 6): signed-in sessions, each in its own area, must never be shown
another area's provinces, districts or libraries (analytics/tools/load.py, ``run(own_area=True)``)."""

import pytest

from analytics import users
from analytics.tools import load


def _user(role, code):
    return users.User(id=1, email="x@example.org", name="X", role=role, areas=(code,), has_password=True)


def test_area_check_finds_other_areas_names_only(seed_db):
    names = load.names_of(seed_db)
    role, district = next(a for a in load.account_areas(names) if a[0] == "district_officer")
    province = district.split(".")[0]
    check = load.AreaCheck(_user(role, district), names)
    own_district, own_province = names.districts[district][1], names.provinces[province]
    other_province = next(n for c, n in names.provinces.items() if c != province and n not in check.unchecked)
    neighbour = next(
        n for c, (p, n) in names.districts.items() if p == province and c != district and n not in check.unchecked
    )
    other_library = next(n for n, d in names.libraries.values() if d != district and n in check.foreign_libraries)
    assert check.found([f"{own_province} · {own_district} · siklus 2018-3", "Median", own_district]) == []
    assert [h["name"] for h in check.found([f"{other_province} · siklus 2018-3"])] == [other_province]
    assert [h["name"] for h in check.found([f"{own_province} · {neighbour}"])] == [neighbour]  # same province
    assert check.found([other_library]) == [{"name": other_library, "in": "table cell"}]
    assert check.shows_own([f"{own_province} · {own_district}"]) and not check.shows_own([other_province])
    # a province officer sees the province's districts
    whole = load.AreaCheck(_user("province_officer", province), names)
    assert whole.found([f"{own_province} · {neighbour}"]) == []


def test_area_check_takes_the_areas_villages_as_its_own():
    """Seen at national scale: a library in Aceh is drawn as "Perpustakaan Desa Banyuwangi — Banyuwangi" (its
    village), and Banyuwangi is also a district of Jawa Timur: not a leak; Jawa Timur's own library is one."""
    names = load.Names(
        {"11": "Aceh", "35": "Jawa Timur"},
        {"11.01": ("11", "Aceh Selatan"), "35.10": ("35", "Banyuwangi")},
        {1: ("Perpustakaan Desa Banyuwangi", "11.01"), 2: ("TBM Pelita Timur", "35.10")},
        {"11.01": {"Banyuwangi", "Kluet"}, "35.10": {"Genteng"}},
    )
    check = load.AreaCheck(_user("district_officer", "11.01"), names)
    assert check.found(["Perpustakaan Desa Banyuwangi — Banyuwangi", "Aceh · Aceh Selatan"]) == []
    assert [h["name"] for h in check.found(["Jawa Timur · siklus 2018-3", "TBM Pelita Timur"])] == [
        "Jawa Timur",
        "TBM Pelita Timur",
    ]
    without_places = load.AreaCheck(_user("district_officer", "11.01"), load.Names(*list(vars(names).values())[:3]))
    assert [h["name"] for h in without_places.found(["Perpustakaan Desa Banyuwangi — Banyuwangi"])] == ["Banyuwangi"]


def test_accounts_spread_over_areas_share_one_hash(seed_db_copy):
    names = load.names_of(seed_db_copy)
    made = load.accounts(seed_db_copy, 10, names)
    assert len({u.areas for u in made}) == min(10, load.AREAS)
    assert {u.role for u in made} == {"province_officer", "district_officer"}
    from analytics import store

    with store.opened(seed_db_copy, readonly=True) as conn:
        hashes = {r[0] for r in conn.execute("SELECT password_hash FROM users WHERE email LIKE 'load%'")}
        ok = users.authenticate(conn, made[7].email, load.PASSWORD, client="t", database=seed_db_copy)
    assert len(hashes) == 1 and ok.ok and ok.user.email == made[7].email


@pytest.mark.slow  # a load run per mode (~11 s each): CI's second step
@pytest.mark.parametrize("mode", ["own-area", "signed-in"])
def test_own_area_load_no_leak_across_areas_and_the_check_fails_without_it(seed_db, mode):
    """With the server in own-area viewing every session, signed in by the form, sees only its own area; with the
    restriction off (signed-in viewing: the same sign-in, every area visible) the same walks find other areas."""
    r = load.run(
        seed_db, sessions=3, seconds=5, seed=2, settle=0.5, rounds=1, code=None, own_area=True, viewing_mode=mode
    )
    assert r["errors"] == 0, r["error_samples"]  # every session signed in (a failed sign-in is an error)
    assert r["reruns"] >= 3 and r["reruns_showing_own_area"] == r["reruns"]
    if mode == "own-area":
        assert r["area_leaks"] == 0, r["area_leak_samples"]
        assert r["leaks"] == 0, r["leak_samples"]
        assert r["ok"]
    else:
        assert r["area_leaks"] > 0 and not r["ok"]


def test_simultaneous_right_sign_ins_from_one_address_are_not_throttled(seed_db_copy):
    """Found by the own-area load test: eight right passwords from one address (an office behind one NAT, or a
    proxy without PLM_CLIENT_IP_HEADER) at the same moment all sign in; the attempts being checked no longer
    count against the client as failures (tests/test_users.py has the wrong ones' bound)."""
    import threading

    from analytics import store

    made = load.accounts(seed_db_copy, 8, load.names_of(seed_db_copy))
    statuses, start = [], threading.Barrier(len(made))

    def sign_in(user):
        start.wait()
        with store.opened(seed_db_copy, readonly=True) as conn:
            statuses.append(users.authenticate(conn, user.email, load.PASSWORD, client="10.0.0.1").status)

    threads = [threading.Thread(target=sign_in, args=(u,)) for u in made]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == ["ok"] * len(made)
