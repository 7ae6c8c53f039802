"""The presentation mode's stylesheet and arrival script: constants, no data ever goes into them."""

from __future__ import annotations

import streamlit as st

# Presentation mode: one screen per slide for a projector, nothing below the fold at 1280x720, no text under
# 20 px (deck.screens splits what would not fit). A constant stylesheet (no data ever goes into it).
PRESENTATION_CSS = """
<style>
[data-testid="stMainBlockContainer"] { padding: 4rem 2rem 0.5rem 2rem; max-width: 100%; }
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] { gap: 0.5rem; }
[data-testid="stMainBlockContainer"] h1 { font-size: 2.4rem; line-height: 1.2; padding: 0; }
[data-testid="stMainBlockContainer"] h3 { font-size: 1.5rem; font-weight: 400; line-height: 1.3; padding: 0; }
[data-testid="stMainBlockContainer"] p, [data-testid="stMainBlockContainer"] li,
[data-testid="stMainBlockContainer"] [data-testid="stText"],
[data-testid="stMainBlockContainer"] [data-testid="stCaptionContainer"],
[data-testid="stMainBlockContainer"] [data-testid="stTable"] td,
[data-testid="stMainBlockContainer"] [data-testid="stTable"] th,
[data-testid="stMainBlockContainer"] button p, [data-testid="stMainBlockContainer"] kbd,
[data-testid="stMainBlockContainer"] [data-testid="stIconMaterial"] { font-size: 1.25rem; }
[data-testid="stMainBlockContainer"] [data-testid="stTable"] td:first-child { white-space: nowrap; }
[data-testid="stMainBlockContainer"] [data-testid="stText"] { font-family: inherit; white-space: pre-wrap; }
[data-testid="stMainBlockContainer"] [data-testid="stTable"] td,
[data-testid="stMainBlockContainer"] [data-testid="stTable"] th { padding: 0.2rem 0.6rem; line-height: 1.35; }
[data-testid="stMainBlockContainer"] [data-testid="stAlertContentInfo"] { padding: 0; }
</style>
"""


# Every page: a disabled widget's label (the district select before a province is chosen) keeps readable
# contrast (Streamlit draws it at 40 % of the text colour: 2.3:1); the control itself still looks disabled.
# The top navigation's links closer together: with Streamlit's 8 px on each side, the ninth page (Presentasi)
# went into a "1 more" menu at 1280 px, and at 4.8 px a data officer's tenth (Impor data) took Presentasi
# with it (issue 13, item 8). 2.4 px a side and the 4 px between links still part the words.
# On a phone the impact scorecard (the container keyed "scorecard") is drawn 640 px wide and scrolls sideways in
# its own box: in 358 px its province names and strategy names left 9 px a cell for labels 55 px wide.
APP_CSS = """
<style>
[data-testid="stTopNavLink"] { padding-left: 0.15rem; padding-right: 0.15rem; }
[data-testid="stElementContainer"]:has(:disabled) [data-testid="stWidgetLabel"] p { color: #5f5e5c; }
@media (max-width: 640px) {
  .st-key-scorecard { overflow-x: auto; }
  .st-key-scorecard > [data-testid="stElementContainer"] { min-width: 640px; }
}
</style>
"""

# The page's language for screen readers and the browser (``<html lang>``; Streamlit always says "en"). One
# constant script per language (no data in it); it runs again when the language changes.
_LANG_SCRIPT = """<script>document.documentElement.lang = "{lang}";</script>"""
LANG_SCRIPTS = {"id": _LANG_SCRIPT.format(lang="id"), "en": _LANG_SCRIPT.format(lang="en")}


def app_style(lang: str) -> None:
    """The constant stylesheet of every page, and the page's language (issue 13, accessibility)."""
    st.html(APP_CSS)  # style only: no element
    st.sidebar.html(LANG_SCRIPTS.get(lang, LANG_SCRIPTS["id"]), unsafe_allow_javascript=True)


def presentation_style() -> None:
    st.html(PRESENTATION_CSS)  # style only: applied to the page without an element, and never with data in it


def fold_sidebar() -> None:
    """Give the slide the projector's width and the arrow keys at once, when the deck appears.

    The sidebar, open (the officer has just turned presentation mode on there), is folded on a screen narrower
    than 1700 px (the officer can open it again); the focus is taken off the sidebar's field it was in (the
    toggle keeps it, and the buttons' key shortcuts do not fire while a field has the focus). A constant
    script, no data in it; it runs when the deck appears, not on every slide (its element, first on the
    screen, stays the same), and tries for a second while the page settles."""
    st.html(_ARRIVAL_SCRIPT, unsafe_allow_javascript=True)


_ARRIVAL_SCRIPT = """<script>
(() => {
  const arrive = (tries) => {
    const field = document.activeElement;
    if (field && field !== document.body && (field.closest('[data-testid=stSidebar]')
        || field.matches('input, textarea, select, [contenteditable]'))) {
      field.blur();
    }
    const sidebar = document.querySelector('[data-testid=stSidebar]');
    if (sidebar && sidebar.getAttribute('data-collapsed') === 'false' && window.innerWidth < 1700) {
      const fold = document.querySelector('[data-testid=stSidebarCollapseButton] button');
      if (fold) { fold.click(); return; }
    }
    if (tries > 0) setTimeout(() => arrive(tries - 1), 100);
  };
  arrive(10);
})();
</script>"""
