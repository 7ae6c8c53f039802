"""Who is signed in, checked on every rerun: the Streamlit side of ``analytics/users.py``.

Two ways in, both ending at a row of the ``users`` table (docs/accounts.md):

- OIDC, when an ``[auth]`` section is in ``st.secrets``: Streamlit's ``st.login``; the provider's email must
  belong to a user (and to a domain of ``allowed_email_domains`` / ``PLM_ALLOWED_EMAIL_DOMAINS`` when set).
  Being signed in at the provider is not enough.
- Otherwise email and password of a user created with ``python -m analytics users add ... --password-prompt``
  (Argon2id hashes; wrong attempts throttled per account and per client, counted in ``<db>.signin.sqlite``
  beside the data file, so that signing in never changes the data file the dashboard's caches are keyed on).

The session keeps only ``{"email", "since", "via"}``; every rerun reads the user again (a removed user or a
changed role takes effect at once) and ends the session ``session_hours`` / ``PLM_SESSION_HOURS`` (default 8)
after the sign-in. The old shared data-officer password (``PLM_DATA_OFFICER_PASSWORD``) is retired: when it is
still set the form says so.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import sqlite3
import time

import streamlit as st

from .. import config, store, users, viewing
from ..i18n import t

SESSION_ACCOUNT = "account"  # the session's {"email", "since", "via"}; anything else there is ignored
SESSION_EXPIRED = "account_expired"
PASSWORD_ENV = "PLM_DATA_OFFICER_PASSWORD"  # retired: only read to tell a deployment still setting it
PASSWORD_SECRET = "data_officer_password"  # retired likewise
DOMAINS_ENV = "PLM_ALLOWED_EMAIL_DOMAINS"
DOMAINS_SECRET = "allowed_email_domains"
HOURS_ENV = "PLM_SESSION_HOURS"
HOURS_SECRET = "session_hours"
CLIENT_HEADER_ENV = "PLM_CLIENT_IP_HEADER"  # e.g. X-Real-IP, set by the reverse proxy in front of the app
DEFAULT_HOURS = 8.0


def _secret(name: str):
    try:
        return st.secrets.get(name)
    except Exception:  # no secrets.toml at all: Streamlit raises rather than returning nothing
        return None


def oidc_configured() -> bool:
    return bool(_secret("auth"))


def allowed_domains() -> list[str]:
    return users.parse_domains(_secret(DOMAINS_SECRET) or os.environ.get(DOMAINS_ENV))


def session_hours() -> float:
    value = _secret(HOURS_SECRET) or os.environ.get(HOURS_ENV)
    try:
        hours = float(value) if value is not None else DEFAULT_HOURS
    except ValueError:
        return DEFAULT_HOURS
    return hours if hours > 0 and math.isfinite(hours) else DEFAULT_HOURS


def shared_password_set() -> bool:
    return bool(_secret(PASSWORD_SECRET) or os.environ.get(PASSWORD_ENV))


def client_id() -> str:
    """The client a wrong attempt is counted against: the address the trusted proxy's header names
    (``PLM_CLIENT_IP_HEADER``), else the peer address Streamlit saw, else ``unknown``."""
    header = os.environ.get(CLIENT_HEADER_ENV)
    try:
        if header:
            value = st.context.headers.get(header)
            if value:
                return value.split(",")[0].strip()
        return str(st.context.ip_address or "unknown")
    except Exception:
        return "unknown"


def _oidc_identity() -> tuple[str, float | None, bool] | None:
    """``(email, issued-at, verified)`` of the provider's signed-in user, or None. An email the provider says
    it has not verified (``email_verified`` false) could be anyone's, so it is not taken as the user's."""
    try:
        if not st.user.is_logged_in:
            return None
        email = users.normal_email(st.user.get("email") or "")
        issued = st.user.get("iat")
        verified = st.user.get("email_verified") is not False
    except Exception:
        return None
    return email, float(issued) if isinstance(issued, int | float) else None, verified


def _lookup(email: str) -> users.User | None:
    with store.opened(config.db_path(), readonly=True) as conn:
        return users.get(conn, email)


def status() -> tuple[users.User | None, str | None, str | None]:
    """``(user, refusal, email)`` for this rerun: the user allowed in, or None with why (``expired``,
    ``unverified``, ``domain``, ``not_registered``, ``unavailable``; None when nobody has signed in)."""
    state = st.session_state
    record = state.get(SESSION_ACCOUNT)
    identity = _oidc_identity() if oidc_configured() else None
    if identity is None and isinstance(record, dict) and record.get("via") == "oidc":
        record = None  # signed out at the provider (another tab, or its cookie ended): out here too
    if identity is not None:
        email, issued, verified = identity
        if not verified:
            state.pop(SESSION_ACCOUNT, None)
            return None, "unverified", email
        if not (isinstance(record, dict) and record.get("via") == "oidc" and record.get("email") == email):
            record = {"email": email, "since": issued or time.time(), "via": "oidc"}
            state[SESSION_ACCOUNT] = record
    if not (
        isinstance(record, dict)
        and isinstance(record.get("email"), str)
        and isinstance(record.get("since"), int | float)
        and record.get("via") in ("password", "oidc")
    ):
        state.pop(SESSION_ACCOUNT, None)
        return None, None, None
    email = record["email"]
    if time.time() - record["since"] > session_hours() * 3600:
        state.pop(SESSION_ACCOUNT, None)
        if record["via"] == "password":
            state[SESSION_EXPIRED] = True
            return None, None, None
        return None, "expired", email  # the provider's sign-in stays until signed out there
    if not users.email_allowed(email, allowed_domains()):
        return None, "domain", email
    try:
        user = _lookup(email)
    except sqlite3.Error:
        return None, "unavailable", email
    if user is None:  # never added, or removed since the sign-in
        if record["via"] == "password":
            state.pop(SESSION_ACCOUNT, None)
        return None, "not_registered", email
    return user, None, email


def current_user() -> users.User | None:
    return status()[0]


def is_data_officer() -> bool:
    """Whether the signed-in user may import and undo (which rows: ``users.may_change``)."""
    user = current_user()
    return user is not None and user.may_import


def user_name() -> str:
    """The signed-in user's email: what imports and undos record as who made them."""
    user = current_user()
    return user.email if user else ""


def _refused(message: str, lang: str) -> None:
    st.error(message)
    if st.button(t("import.signout", lang), key="sign_out_refused"):
        sign_out()
        st.rerun()


def _wait_text(retry_at: dt.datetime, lang: str) -> str:
    minutes = max(1, math.ceil((retry_at - users.now()).total_seconds() / 60))
    return t("account.throttled", lang, time=retry_at.astimezone(dt.UTC).strftime("%H:%M"), minutes=minutes)


def sign_in_form(lang: str, *, viewing_only: bool = False) -> None:
    """What the import page shows to anyone who may not import: why, and the way in. ``viewing_only``: the
    prompt of a dashboard whose viewing needs a sign-in (``gate``), where any account is let in."""
    if viewing_only:
        st.title(t("viewing.signin.title", lang))
        st.write(t("viewing.signin.explain", lang))
    else:
        st.title(t("import.signin.title", lang))
        st.write(t("import.signin.explain", lang))
    if st.session_state.pop(SESSION_EXPIRED, False):
        st.info(t("account.expired", lang, hours=f"{session_hours():g}"))
    user, refusal, email = status()
    if user is not None and viewing_only:
        return
    if user is not None:  # signed in, but a viewer
        _refused(t("account.may_not_import", lang, email=user.email, role=t(f"role.{user.role}", lang)), lang)
        return
    if refusal == "expired":
        _refused(t("account.expired", lang, hours=f"{session_hours():g}"), lang)
        return
    if refusal == "unverified":
        _refused(t("account.unverified", lang, email=email), lang)
        return
    if refusal == "domain":
        _refused(t("account.domain_refused", lang, email=email, domains=", ".join(allowed_domains())), lang)
        return
    if refusal == "not_registered":
        _refused(t("account.not_registered", lang, email=email), lang)
        return
    if refusal == "unavailable":
        st.error(t("account.unavailable", lang, path=str(config.db_path())))
        return
    if shared_password_set():
        st.warning(t("account.shared_password_retired", lang))
    if oidc_configured():
        if st.button(t("import.signin.oidc", lang), key="oidc_login"):
            st.login()
        return
    _password_form(lang)


def _password_form(lang: str) -> None:
    path = config.db_path()
    try:
        with store.opened(path, readonly=True) as conn:
            any_password = users.any_password(conn)
    except sqlite3.Error:
        st.error(t("account.unavailable", lang, path=str(path)))
        return
    if not any_password:
        st.info(t("account.no_accounts", lang))
    with st.form("sign_in"):
        email = st.text_input(t("account.email", lang), key="sign_in_email")
        password = st.text_input(t("import.signin.password", lang), type="password", key="sign_in_password")
        submitted = st.form_submit_button(t("import.signin.button", lang))
    if not submitted:
        return
    # Read-only: the data file must not change when someone signs in (the dashboard's caches are keyed on it;
    # even closing a read-write connection last removes the -wal file, which changes that key).
    with store.opened(path, readonly=True) as conn:
        result = users.authenticate(conn, email, password, client=client_id(), database=path)
    if result.ok:
        st.session_state[SESSION_ACCOUNT] = {"email": result.user.email, "since": time.time(), "via": "password"}
        st.rerun()
    if result.status == "unavailable":  # wrong attempts could not be counted: nobody is let in
        st.error(t("account.attempts_unavailable", lang, path=str(result.attempts_file or users.attempts_path(path))))
        return
    if result.status == "wrong":
        st.error(t("account.wrong", lang))
    if result.retry_at is not None:
        st.error(_wait_text(result.retry_at, lang))


def sign_out() -> None:
    st.session_state.pop(SESSION_ACCOUNT, None)
    if oidc_configured():
        try:
            if st.user.is_logged_in:
                st.logout()
        except Exception:
            pass


# --- who may view what (analytics/viewing.py; docs/accounts.md "Viewing") ----------------------------------------


def viewing_mode() -> str:
    """``open`` (default), ``signed-in`` or ``own-area``: the secret ``viewing``, else ``PLM_VIEWING``."""
    return viewing.parse_mode(_secret(viewing.SECRET) or os.environ.get(viewing.ENV))


def visible_area(choices) -> viewing.Area | None:
    """What this session may see: None for everything (open or signed-in mode, a national admin), else the
    signed-in account's area (empty for nobody signed in: the gate stops those before anything is shown)."""
    if viewing_mode() != "own-area":
        return None
    return viewing.area(current_user(), choices)


def gate(lang: str, choices) -> users.User | None:
    """Stop the run with a sign-in prompt when the viewing mode needs an account and none is signed in (or, in
    own-area mode, the account has no area among ``choices``); the signed-in user otherwise (None in open mode
    when nobody is)."""
    mode = viewing_mode()
    user = current_user()
    if mode == "open":
        return user
    if user is None:
        sign_in_form(lang, viewing_only=True)
        st.stop()
    if mode == "own-area" and not user.is_admin and not viewing.area(user, choices).provinces:
        _refused(t("viewing.no_area", lang, email=user.email), lang)
        st.stop()
    return user
