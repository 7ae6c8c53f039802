"""The shared filters: one ``Filters`` value in session state, kept in step with the URL both ways, and the
sidebar and page widgets that change it."""

from __future__ import annotations

import json

import streamlit as st

from .. import dataset, filters, viewing
from ..i18n import DEFAULT_LANGUAGE, LANGUAGES, localized, t
from . import auth, navigation

LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}
DRILL_PREFIX = "drill:"
DRILLED = "_drilled"
OWN_RERUN = "_own_rerun"


def language() -> str:
    """The interface language: the sidebar choice, else ``?lang=``, else Bahasa Indonesia."""
    navigation.entrypoint_first()
    state = st.session_state.get(STATE)
    value = state.lang if state is not None else st.query_params.get("lang", DEFAULT_LANGUAGE)
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


# --- the shared filters ---
# One canonical Filters value lives in session state (not in a widget, so it survives every rerun); the
# sidebar widgets are views of it whose keys carry a version, bumped whenever the state changes from
# elsewhere (a new link, a chart click, the language), so that fresh widgets show the new state.
#
# The widgets' options are language-neutral codes shown through a format_func from the catalog, with ``ALL``
# for "every province/tier/...": never None, which a select would send back as "nothing chosen" (it then
# shows its placeholder). Streamlit keeps a select's value in the browser as the *label* shown, so the
# language switch gives every widget a fresh key (and re-sends the value of a page's own keyed selects):
# a label of the other language is never read back (issue 13, item 1).
STATE = "_filters"


VERSION = "_filters_version"
URL_WRITTEN = "_url_written"
ALL = "*"  # the "all" option of the sidebar's selects (not a valid code of anything)


def _key(name: str) -> str:
    return f"w_{name}_{st.session_state.get(VERSION, 0)}"


def _set(**changes) -> None:
    st.session_state[STATE] = st.session_state[STATE].with_(**changes)


def _from_widget(field: str, key: str, **also) -> None:
    value = st.session_state[key]
    _set(**{field: None if value == ALL else value}, **also)


def _language_changed(key: str) -> None:
    _set(lang=st.session_state[key])
    # Fresh sidebar widgets, labelled in the new language.
    st.session_state[VERSION] = st.session_state.get(VERSION, 0) + 1
    _resend_option_widgets()


# The serialisers of the widgets whose value travels to the browser as the label shown.
_OPTION_SERDES = {
    "SelectboxSerde",
    "MultiSelectSerde",
    "RadioSerde",
    "SelectSliderSerde",
    "_SingleSelectButtonGroupSerde",
    "_MultiSelectButtonGroupSerde",
}


def _resend_option_widgets() -> None:
    """Write back the current value of every keyed option widget (a page's own select, segmented control...),
    so that the next run sends it to the browser labelled in the new language instead of reading back the
    old language's label (which matches no option there). Streamlit keeps no public list of widget types; a
    widget not recognised here keeps its value as before."""
    from streamlit.runtime.state import get_session_state

    try:
        state = get_session_state()._state  # the SessionState inside its thread-safe wrapper
        mapping = dict(state._key_id_mapper._key_id_mapping)
        metadata = state._new_widget_state.widget_metadata
    except AttributeError:  # another Streamlit version: the sidebar's own widgets are renewed anyway
        return
    for key, widget_id in mapping.items():
        meta = metadata.get(widget_id)
        serde = getattr(getattr(meta, "serializer", None), "__self__", None)
        if key.startswith("w_") or type(serde).__name__ not in _OPTION_SERDES or key not in st.session_state:
            continue
        st.session_state[key] = st.session_state[key]


def set_filters(scope: str = "app", **changes) -> None:
    """Change filters from a page (a click, a choice on the page) and show the result at once."""
    _set(**changes)
    st.session_state[VERSION] = st.session_state.get(VERSION, 0) + 1
    st.session_state[OWN_RERUN] = True  # this rerun may carry the old query string: the URL is still ours
    st.rerun(scope=scope)


def drill_key(level: str, f: filters.Filters) -> str:
    """The key of a drill-down chart (it includes the view, so each level starts with no selection)."""
    return f"{DRILL_PREFIX}{level}:{f.province or ''}:{f.district or ''}"


def drill(event, key: str, level: str, choices: filters.Choices) -> None:
    """A click on a bar of a drill-down chart selects that province, district or library (once per click)."""
    handled = st.session_state.setdefault(DRILLED, {})
    point = selected_point(event)
    if point is None:
        handled.pop(key, None)  # no selection now: the next click counts, even on the same bar
        return
    signature = json.dumps(point, sort_keys=True, default=str)
    if handled.get(key) == signature:
        return
    handled[key] = signature
    code = point.get("customdata")
    code = code[0] if isinstance(code, list | tuple) else code
    if level == "province" and code in choices.provinces:
        set_filters(province=code, district=None)
    elif level == "district" and code in choices.districts:
        set_filters(province=choices.districts[code][0], district=code)
    elif level == "library" and str(code).isdigit() and int(code) in choices.libraries:
        set_filters(library=int(code))


def sidebar(ds: dataset.Dataset) -> tuple[filters.Filters, list[filters.LinkProblem]]:
    """Draw the shared filters; the URL and the filters stay in step both ways."""
    user = auth.gate(language(), ds.choices)  # viewing limited to accounts: a sign-in prompt for anonymous visitors
    scope = auth.visible_area(ds.choices)  # own-area viewing: only the account's area can be chosen
    choices = viewing.restrict_choices(ds.choices, scope)
    s = st.session_state
    params = st.query_params.to_dict()
    own_rerun = s.pop(OWN_RERUN, False)
    requested = navigation.page_requested()
    warnings: list[filters.LinkProblem] = []
    if STATE in s and not params and requested and requested != s.get(navigation.PAGE):
        # A click in the page navigation: Streamlit drops the query string on the way (issue 13, item 2). The
        # filters follow the officer to the new page and are written back to its URL below; presenting ends.
        if s[STATE].present or s[STATE].slide != 1:
            _set(present=False, slide=1)
            s[VERSION] = s.get(VERSION, 0) + 1
    elif STATE not in s or (s.get(URL_WRITTEN) != params and not own_rerun):
        # A new session, or a URL changed from outside (a pasted link, back/forward): the URL wins.
        s[STATE], warnings = filters.parse(params, choices)
        s[STATE] = viewing.preset(s[STATE], user, choices)  # an officer lands on their area
        s[VERSION] = s.get(VERSION, 0) + 1
    s[STATE] = viewing.restrict_filters(s[STATE], scope)
    f: filters.Filters = s[STATE]
    lang = f.lang
    sb = st.sidebar
    key = _key("lang")
    sb.segmented_control(
        t("lang.label", lang),
        list(LANGUAGES),
        default=f.lang,
        key=key,
        required=True,
        format_func=LANGUAGE_NAMES.get,
        on_change=_language_changed,
        args=(key,),
    )
    choose = t("common.choose", lang)  # the placeholder in the language (Streamlit's own is English)
    everything = t("filters.all", lang)
    key = _key("province")
    provinces = [ALL, *choices.provinces][scope is not None :]  # own-area: no "every province"
    sb.selectbox(
        t("filters.province", lang),
        provinces,
        index=provinces.index(f.province or ALL),
        key=key,
        placeholder=choose,
        format_func=lambda c: everything if c == ALL else choices.provinces[c],
        on_change=_from_widget,
        args=("province", key),
        kwargs={"district": None},
    )
    districts = [ALL] + ([c for c, (p, _) in choices.districts.items() if p == f.province] if f.province else [])
    districts = districts[scope is not None and f.province not in scope.whole :]
    key = _key("district")
    sb.selectbox(
        t("filters.district", lang),
        districts,
        index=districts.index(f.district) if f.district in districts else 0,
        key=key,
        placeholder=choose,
        format_func=lambda c: everything if c == ALL else choices.districts[c][1],
        disabled=not f.province,
        on_change=_from_widget,
        args=("district", key),
    )
    key = _key("tier")
    tiers = [ALL, *choices.tiers]
    sb.selectbox(
        t("filters.tier", lang),
        tiers,
        index=tiers.index(f.tier or ALL),
        key=key,
        placeholder=choose,
        format_func=lambda c: everything if c == ALL else t(f"tier.{c}", lang),
        on_change=_from_widget,
        args=("tier", key),
    )
    key = _key("cohort")
    cohorts = [ALL, *choices.cohorts]
    sb.selectbox(
        t("filters.cohort", lang),
        cohorts,
        index=cohorts.index(f.cohort or ALL),
        key=key,
        placeholder=choose,
        format_func=lambda c: everything if c == ALL else filters.cohort_label(c, lang),
        on_change=_from_widget,
        args=("cohort", key),
    )
    if len(choices.cycles) > 1:
        key = _key("range")

        def on_range(key=key):
            first, last = st.session_state[key]
            _set(
                from_cycle=first if first != choices.cycles[0] else None,
                to_cycle=last if last != choices.cycles[-1] else None,
            )

        sb.select_slider(
            t("filters.cycles", lang),
            options=list(choices.cycles),
            value=filters.cycle_bounds(f, choices),
            key=key,
            on_change=on_range,
            format_func=lambda c: filters.cycle_label(c, lang, year=False),
            help=t("ui13.cycle_help", lang),
        )
    ind = ds.indicators
    # The indicator's own name fits the sidebar (its strategy, "Layanan informasi · ...", did not: issue 13,
    # item 5); the strategy and the full name are in the help and the dropdown's list.
    names = dict(zip(ind["code"], localized(ind, lang)))
    strategies = dict(zip(ind["code"], ind["strategy"]))
    codes = list(names)
    chosen = f.indicator if f.indicator in codes else (codes[0] if codes else None)
    key = _key("indicator")
    sb.selectbox(
        t("filters.indicator", lang),
        codes,
        index=codes.index(chosen) if chosen else 0,
        key=key,
        on_change=_from_widget,
        args=("indicator", key),
        format_func=lambda c: short_indicator(c, names[c], lang),
        placeholder=choose,
        help=t("ui13.indicator_help", lang, strategy=t(f"strategy.{strategies[chosen]}", lang), indicator=names[chosen])
        if chosen
        else None,
    )
    key = _key("present")
    sb.toggle(
        t("present.toggle", lang),
        value=f.present,
        key=key,
        on_change=_from_widget,
        args=("present", key),
        help=t("present.toggle_help", lang),
    )
    wanted = filters.to_params(f)
    if wanted != params:
        st.query_params.from_dict(wanted)
    s[URL_WRITTEN] = wanted
    return f, warnings


def short_indicator(code: str, name: str, lang: str) -> str:
    """An indicator's name as the sidebar shows it: the catalog's short form (``indicator_short.<code>``) for
    the few names too long for the sidebar's select, else the name itself."""
    short = t(f"indicator_short.{code}", lang)
    return name if short == f"indicator_short.{code}" else short


def choose(label: str, options: list, field: str, value, **options_kw):
    """A selectbox on a page that sets one filter field (kept in the URL like the sidebar's)."""
    key = _key(field)
    index = options.index(value) if value in options else 0
    if value not in options and options:
        _set(**{field: options[0]})
    options_kw.setdefault("placeholder", t("common.choose", language()))  # never Streamlit's English one
    return st.selectbox(label, options, index=index, key=key, on_change=_from_widget, args=(field, key), **options_kw)


def choose_many(label: str, options: list, field: str, value: tuple, **options_kw) -> list:
    """A multiselect on a page that sets one tuple-valued filter field."""
    key = _key(f"{field}_{hash(tuple(options)) & 0xFFFF}")

    def changed():
        _set(**{field: tuple(st.session_state[key])})

    options_kw.setdefault("placeholder", t("common.choose_many", language()))  # never Streamlit's English one
    return st.multiselect(
        label, options, default=[v for v in value if v in options], key=key, on_change=changed, **options_kw
    )


def selected_point(event) -> dict | None:
    """The first clicked point of a chart selection event (or None)."""
    try:
        points = event["selection"]["points"]
    except (KeyError, TypeError):
        return None
    return points[0] if points else None
