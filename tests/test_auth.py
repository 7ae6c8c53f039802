"""The import page's gate (analytics/app/auth.py): each officer signs in to their own account, by password or by
OIDC mapped to a user; viewers, unknown or out-of-domain emails, expired sessions and throttled clients stay
out. The old shared password opens nothing."""

from __future__ import annotations

import datetime as dt
import sqlite3
import time

import pytest
from streamlit.testing.v1 import AppTest

from analytics import importing, snapshot, store, users
from analytics.app import auth
from analytics.config import ROOT

PAGE = str(ROOT / "pages" / "import.py")
SECRET = "kunci-rahasia-panjang"
OIDC = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "x" * 32,
        "client_id": "plm",
        "client_secret": "s",
        "server_metadata_url": "https://id.example.org/.well-known/openid-configuration",
    }
}


@pytest.fixture
def db(seed_db_copy, monkeypatch):
    monkeypatch.setenv("PLM_DB", str(seed_db_copy))
    for name in (auth.PASSWORD_ENV, auth.DOMAINS_ENV, auth.HOURS_ENV, auth.CLIENT_HEADER_ENV):
        monkeypatch.delenv(name, raising=False)
    return seed_db_copy


def district(db) -> str:
    """The district of library 123, which the imports below change (an officer undoes only her own area's)."""
    return sqlite3.connect(db).execute("SELECT district_code FROM libraries WHERE id = 123").fetchone()[0]


def add_user(db, email="ani@example.org", role="district_officer", password=SECRET):
    with store.opened(db) as conn:
        areas = [district(db)] if role == "district_officer" else []
        return users.add(conn, email, name="Ani", role=role, areas=areas, password=password, actor="os:test")


def page(lang="en") -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.query_params["lang"] = lang
    return at


def sign_in(at: AppTest, email: str, password: str) -> AppTest:
    at.text_input(key="sign_in_email").input(email)
    at.text_input(key="sign_in_password").input(password)
    return at.button[0].click().run()


def is_open(at: AppTest) -> bool:
    return bool(at.get("file_uploader")) and [t.value for t in at.title] == ["Import data"]


def attempts(db) -> sqlite3.Connection:
    """The attempts file beside the data file, opened as a plain file."""
    return sqlite3.connect(db.with_name(db.name + ".signin.sqlite"))


def _imports(path):
    return sqlite3.connect(path).execute("SELECT count(*) FROM imports").fetchone()[0]


def test_without_accounts_the_form_says_how_to_create_one(db):
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Masuk sebagai petugas data"]
    assert "python -m analytics users add" in at.info[0].value
    assert not at.get("file_uploader")
    assert _imports(db) == 0


def test_wrong_password_is_refused_and_the_right_one_opens_the_page(db):
    add_user(db)
    at = page().run()
    assert [t.value for t in at.title] == ["Sign in as a data officer"]
    assert not at.get("file_uploader") and not at.get("selectbox") and not at.info
    sign_in(at, "ani@example.org", "salah")
    assert [e.value for e in at.error] == ["Wrong email or password."]
    assert auth.SESSION_ACCOUNT not in at.session_state
    sign_in(at, "nobody@example.org", SECRET)
    assert [e.value for e in at.error] == ["Wrong email or password."]  # the same words: no account is revealed
    sign_in(at, "ANI@example.org ", SECRET)
    assert not at.exception
    assert is_open(at)
    assert at.session_state[auth.SESSION_ACCOUNT]["email"] == "ani@example.org"
    assert at.caption[0].value == "Signed in as ani@example.org"
    assert at.selectbox(key="import_kind").options == [
        "Libraries (registry)",
        "PLMs and attendance",
        "Indicator reports",
        "Awards",
        "Stories",
        "Monitoring visits",
    ]


def test_the_retired_shared_password_opens_nothing_and_says_so(db, monkeypatch):
    monkeypatch.setenv(auth.PASSWORD_ENV, "kunci-lama")
    add_user(db)
    at = page().run()
    assert "no longer used" in at.warning[0].value and "users add" in at.warning[0].value
    sign_in(at, "ani@example.org", "kunci-lama")
    assert not is_open(at) and [e.value for e in at.error] == ["Wrong email or password."]


def test_five_wrong_attempts_lock_the_account_with_the_time_to_try_again(db, monkeypatch):
    add_user(db)
    monkeypatch.setattr(auth, "client_id", lambda: "192.0.2.1")
    at = page().run()
    for _ in range(4):
        sign_in(at, "ani@example.org", "salah")
        assert [e.value for e in at.error] == ["Wrong email or password."]
    sign_in(at, "ani@example.org", "salah")
    first = dt.datetime.fromisoformat(
        attempts(db).execute("SELECT min(at) FROM sign_in_attempts WHERE email = 'ani@example.org'").fetchone()[0]
    )
    until = (first + dt.timedelta(minutes=15)).strftime("%H:%M")
    assert at.error[0].value == "Wrong email or password."
    assert at.error[1].value.startswith(f"Too many wrong attempts. Try again at {until} UTC (in about ")
    # a new session (another tab, another process) from another client is held to the account's count, kept in
    # the database
    monkeypatch.setattr(auth, "client_id", lambda: "198.51.100.2")
    again = sign_in(page("id").run(), "ani@example.org", SECRET)
    assert not is_open(again)
    assert [e.value for e in again.error] == [
        f"Terlalu banyak percobaan yang salah. Coba lagi pukul {until} UTC (sekitar 15 menit lagi)."
    ]
    assert attempts(db).execute("SELECT count(*) FROM sign_in_attempts").fetchone() == (5,)


def test_five_wrong_attempts_from_one_client_lock_that_client_out_of_every_account(db, monkeypatch):
    add_user(db)
    monkeypatch.setattr(auth, "client_id", lambda: "203.0.113.5")
    at = page().run()
    for n in range(5):
        sign_in(at, f"guess{n}@example.org", "salah")
    sign_in(at, "ani@example.org", SECRET)
    assert not is_open(at) and at.error[0].value.startswith("Too many wrong attempts.")
    monkeypatch.setattr(auth, "client_id", lambda: "198.51.100.9")
    assert is_open(sign_in(page().run(), "ani@example.org", SECRET))
    assert attempts(db).execute("SELECT DISTINCT client FROM sign_in_attempts").fetchall() == [("203.0.113.5",)]


def test_signing_in_through_the_page_never_changes_the_data_file(db, monkeypatch):
    # The dashboard reloads its data (and rebuilds its snapshot) when the file's fingerprint changes.
    add_user(db)
    monkeypatch.setattr(auth, "client_id", lambda: "203.0.113.5")
    at = page().run()
    before = snapshot.fingerprint(db), db.read_bytes()  # as the dashboard's readers leave it
    for _ in range(4):
        sign_in(at, "ani@example.org", "salah")
    assert is_open(sign_in(at, "ani@example.org", SECRET))  # clears the account's failures
    at = sign_in(page().run(), "ani@example.org", "salah")
    assert at.error[0].value == "Wrong email or password."
    assert at.error[1].value.startswith("Too many wrong attempts.")  # the client's fifth failure
    assert not is_open(sign_in(page().run(), "ani@example.org", SECRET))
    monkeypatch.setattr(auth, "client_id", lambda: "192.0.2.9")
    assert is_open(sign_in(page().run(), "ani@example.org", SECRET))
    assert (snapshot.fingerprint(db), db.read_bytes()) == before


def test_when_attempts_cannot_be_counted_the_page_says_so_and_stays_closed(db):
    add_user(db)
    side = db.with_name(db.name + ".signin.sqlite")
    side.mkdir()  # cannot be written as a file, like a read-only data folder
    at = sign_in(page().run(), "ani@example.org", SECRET)
    assert not at.exception and not is_open(at)
    assert [e.value for e in at.error] == [
        f"Signing in by password is not possible now: the file that counts sign-in attempts ({side}) cannot be "
        "written. An admin needs to make the data folder writable by the app."
    ]
    assert auth.SESSION_ACCOUNT not in at.session_state


def test_a_viewer_is_signed_in_but_may_not_import(db):
    add_user(db, "vera@example.org", role="viewer")
    at = sign_in(page().run(), "vera@example.org", SECRET)
    assert not at.exception and not is_open(at)
    assert [e.value for e in at.error] == [
        "The account vera@example.org (role: viewer) may not import or undo imports."
    ]
    at.button(key="sign_out_refused").click().run()
    assert auth.SESSION_ACCOUNT not in at.session_state
    assert at.text_input(key="sign_in_password")


def signed_in(db, email="ani@example.org", since=None) -> AppTest:
    at = page()
    at.session_state[auth.SESSION_ACCOUNT] = {"email": email, "since": since or time.time(), "via": "password"}
    return at


def test_the_session_expires_after_eight_hours(db):
    add_user(db)
    at = signed_in(db, since=time.time() - 7.9 * 3600).run()
    assert is_open(at)
    at = signed_in(db, since=time.time() - 8.1 * 3600).run()
    assert not is_open(at)
    assert [i.value for i in at.info] == ["Your session has ended (after 8 hours). Please sign in again."]
    assert auth.SESSION_ACCOUNT not in at.session_state


def test_the_session_length_is_configurable(db, monkeypatch):
    monkeypatch.setenv(auth.HOURS_ENV, "0.5")
    add_user(db)
    assert is_open(signed_in(db, since=time.time() - 20 * 60).run())
    at = signed_in(db, since=time.time() - 40 * 60).run()
    assert not is_open(at) and "after 0.5 hours" in at.info[0].value


def test_a_user_removed_or_made_viewer_loses_the_page_at_the_next_rerun(db):
    add_user(db)
    at = signed_in(db).run()
    assert is_open(at)
    with store.opened(db) as conn:
        users.set_role(conn, "ani@example.org", "viewer", actor="os:test")
    at.run()
    assert not is_open(at) and "(role: viewer)" in at.error[0].value
    with store.opened(db) as conn:
        users.remove(conn, "ani@example.org", actor="os:test")
    at.run()
    assert not is_open(at) and auth.SESSION_ACCOUNT not in at.session_state


@pytest.mark.parametrize(
    "state",
    [
        True,
        "ani@example.org",
        {"email": "ani@example.org"},
        {"email": "ani@example.org", "since": "now", "via": "password"},
        {"email": "nobody@example.org", "since": 0.0, "via": "password"},
    ],
)
def test_session_state_other_than_a_sign_in_opens_nothing(db, state):
    add_user(db)
    at = page()
    at.session_state[auth.SESSION_ACCOUNT] = state
    at.run()
    assert not at.exception and not is_open(at)


def test_signed_in_officer_sees_recent_imports_and_can_undo_one(db):
    add_user(db)
    data = b"id_perpustakaan;siklus;indikator;nilai\r\n123;2018-3;kunjungan;4321\r\n"
    outcome = importing.run_import(db, data, "r.csv", "reports", user="ani@example.org")
    assert outcome.status == "done"
    at = signed_in(db)
    at.query_params["lang"] = "id"
    at.run()
    assert not at.exception
    shown = at.dataframe[0].value
    assert shown["id"].tolist() == [outcome.import_id] and shown["status"].tolist() == ["done"]
    at.button(key=f"undo_{outcome.import_id}").click().run()
    assert not at.exception
    assert at.success[0].value == f"Impor {outcome.import_id} dibatalkan (1 baris dikembalikan)."
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT status FROM imports WHERE id = ?", (outcome.import_id,)).fetchone() == ("undone",)
    assert conn.execute(
        "SELECT count(*) FROM reports WHERE value = 4321 AND library_id = 123 AND cycle_id = '2018-3'"
    ).fetchone() == (0,)


def test_an_officer_of_another_district_cannot_undo_it_on_the_page(db):
    other = (
        sqlite3.connect(db)
        .execute("SELECT min(district_code) FROM libraries WHERE district_code != ?", (district(db),))
        .fetchone()[0]
    )
    with store.opened(db) as conn:
        users.add(
            conn,
            "budi@example.org",
            name="Budi",
            role="district_officer",
            areas=[other],
            password=SECRET,
            actor="os:test",
        )
    data = b"id_perpustakaan;siklus;indikator;nilai\r\n123;2018-3;kunjungan;4321\r\n"
    outcome = importing.run_import(db, data, "r.csv", "reports", user="ani@example.org")
    at = signed_in(db, email="budi@example.org").run()
    at.button(key=f"undo_{outcome.import_id}").click().run()
    assert not at.exception
    assert "outside your area" in at.error[0].value and district(db) in at.error[0].value
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT status FROM imports WHERE id = ?", (outcome.import_id,)).fetchone() == ("done",)
    assert conn.execute(
        "SELECT count(*) FROM reports WHERE value = 4321 AND library_id = 123 AND cycle_id = '2018-3'"
    ).fetchone() == (1,)


def test_sign_out_closes_the_page_again(db):
    add_user(db)
    at = signed_in(db).run()
    at.button(key="sign_out").click().run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Sign in as a data officer"]
    assert auth.SESSION_ACCOUNT not in at.session_state


# --- OIDC: the provider's email must be a user's ---------------------------------------------------------------


def oidc_page(email: str, **claims) -> AppTest:
    at = page()
    at.secrets.update(OIDC)
    at.user = {"is_logged_in": True, "email": email, **claims}
    return at


def test_oidc_signed_in_officer_opens_the_page(db):
    add_user(db, password=None)
    at = oidc_page("Ani@Example.org").run()
    assert not at.exception and is_open(at)
    assert at.caption[0].value == "Signed in as ani@example.org"


def test_oidc_signed_in_at_the_provider_but_not_a_user_is_refused(db):
    add_user(db, password=None)
    at = oidc_page("stranger@example.org").run()
    assert not at.exception and not is_open(at)
    assert [e.value for e in at.error] == [
        "The account stranger@example.org is not registered on this dashboard. Ask a national admin to add you."
    ]
    assert not at.text_input  # no password form beside OIDC
    in_indonesian = oidc_page("stranger@example.org")
    in_indonesian.query_params["lang"] = "id"
    assert [e.value for e in in_indonesian.run().error] == [
        "Akun stranger@example.org tidak terdaftar di dasbor ini. Minta admin nasional menambahkan Anda."
    ]
    at.button(key="sign_out_refused").click().run()
    assert at.button(key="oidc_login")  # signed out at the provider: the sign-in button again


def test_oidc_email_outside_the_allowed_domains_is_refused_even_for_a_user(db, monkeypatch):
    add_user(db, "ani@gmail.com", password=None)
    monkeypatch.setenv(auth.DOMAINS_ENV, "perpusnas.go.id, kemdikbud.go.id")
    at = oidc_page("ani@gmail.com").run()
    assert not is_open(at)
    assert [e.value for e in at.error] == [
        "The address ani@gmail.com is outside the allowed domains (perpusnas.go.id, kemdikbud.go.id)."
    ]
    add_user(db, "budi@perpusnas.go.id", password=None)
    assert is_open(oidc_page("budi@perpusnas.go.id").run())


def test_oidc_session_expires_from_the_providers_sign_in_time(db):
    add_user(db, password=None)
    assert is_open(oidc_page("ani@example.org", iat=int(time.time()) - 3600).run())
    at = oidc_page("ani@example.org", iat=int(time.time()) - 9 * 3600).run()
    assert not is_open(at) and "Your session has ended" in at.error[0].value


def test_oidc_not_signed_in_shows_the_provider_button(db):
    at = page()
    at.secrets.update(OIDC)
    at.user = {"is_logged_in": False}
    at.run()
    assert not at.exception and not is_open(at) and at.button(key="oidc_login") and not at.text_input


def test_signed_out_at_the_provider_closes_the_page(db):
    add_user(db, password=None)
    at = oidc_page("ani@example.org").run()
    assert is_open(at)
    at.user = {"is_logged_in": False}  # signed out in another tab, or the provider's cookie ended
    at.run()
    assert not at.exception and not is_open(at) and at.button(key="oidc_login")


@pytest.mark.parametrize(
    "header,headers,expected",
    [
        (None, {"X-Real-IP": "198.51.100.4"}, "10.0.0.1"),  # without the setting the header is not trusted
        ("X-Real-IP", {"X-Real-IP": "198.51.100.4"}, "198.51.100.4"),
        ("X-Forwarded-For", {"X-Forwarded-For": "198.51.100.4, 10.0.0.1"}, "198.51.100.4"),
        ("X-Real-IP", {}, "10.0.0.1"),  # header missing: the peer address
    ],
)
def test_the_client_is_the_proxys_header_only_when_configured(monkeypatch, header, headers, expected):
    from types import SimpleNamespace

    monkeypatch.setattr(auth, "st", SimpleNamespace(context=SimpleNamespace(headers=headers, ip_address="10.0.0.1")))
    if header:
        monkeypatch.setenv(auth.CLIENT_HEADER_ENV, header)
    else:
        monkeypatch.delenv(auth.CLIENT_HEADER_ENV, raising=False)
    assert auth.client_id() == expected


def test_oidc_email_the_provider_has_not_verified_is_refused(db):
    add_user(db, password=None)
    at = oidc_page("ani@example.org", email_verified=False).run()
    assert not at.exception and not is_open(at)
    assert [e.value for e in at.error] == [
        "The account provider has not verified the address ani@example.org; verify it there, then sign in again."
    ]
    assert is_open(oidc_page("ani@example.org", email_verified=True).run())


def test_every_role_has_a_label_in_both_languages():
    from analytics.i18n import CATALOG

    assert {r: set(CATALOG[f"role.{r}"]) for r in store.ROLES} == {r: {"id", "en"} for r in store.ROLES}
