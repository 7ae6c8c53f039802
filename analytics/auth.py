"""Who may import: data officers, signed in by a shared password or by OIDC (``st.login``) when configured.

The password comes from ``st.secrets["data_officer_password"]`` or the environment variable
``PLM_DATA_OFFICER_PASSWORD``; with neither, nobody can sign in by password. When an ``[auth]`` section is in
``st.secrets``, Streamlit's own OIDC sign-in is offered instead and ``st.user.is_logged_in`` decides.
"""

from __future__ import annotations

import hmac
import os

import streamlit as st

from .i18n import t

SESSION_FLAG = "data_officer"
SESSION_USER = "data_officer_user"
PASSWORD_ENV = "PLM_DATA_OFFICER_PASSWORD"
PASSWORD_SECRET = "data_officer_password"


def _secret(name: str):
    try:
        return st.secrets.get(name)
    except Exception:  # no secrets.toml at all: Streamlit raises rather than returning nothing
        return None


def configured_password() -> str | None:
    value = _secret(PASSWORD_SECRET) or os.environ.get(PASSWORD_ENV)
    return str(value) if value else None


def oidc_configured() -> bool:
    return bool(_secret("auth"))


def password_matches(given: str, expected: str | None) -> bool:
    """Constant-time comparison; no configured password matches nothing."""
    if not expected or not given:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def is_data_officer() -> bool:
    if st.session_state.get(SESSION_FLAG) is True:
        return True
    if oidc_configured():
        try:
            return bool(st.user.is_logged_in)
        except Exception:
            return False
    return False


def user_name() -> str:
    if oidc_configured():
        try:
            if st.user.is_logged_in:
                return str(st.user.get("email") or st.user.get("name") or "oidc")
        except Exception:
            pass
    return str(st.session_state.get(SESSION_USER, "data-officer"))


def sign_in_form(lang: str) -> None:
    """The sign-in form shown instead of the import page to anyone not signed in."""
    st.title(t("import.signin.title", lang))
    st.write(t("import.signin.explain", lang))
    if oidc_configured():
        if st.button(t("import.signin.oidc", lang), key="oidc_login"):
            st.login()
        return
    expected = configured_password()
    if expected is None:
        st.warning(t("import.signin.none", lang))
        return
    with st.form("data_officer_sign_in"):
        password = st.text_input(t("import.signin.password", lang), type="password", key="data_officer_password")
        submitted = st.form_submit_button(t("import.signin.button", lang))
    if submitted:
        if password_matches(password, expected):
            st.session_state[SESSION_FLAG] = True
            st.session_state[SESSION_USER] = "data-officer"
            st.rerun()
        else:
            st.error(t("import.signin.wrong", lang))


def sign_out() -> None:
    st.session_state.pop(SESSION_FLAG, None)
    st.session_state.pop(SESSION_USER, None)
    if oidc_configured():
        try:
            if st.user.is_logged_in:
                st.logout()
        except Exception:
            pass
