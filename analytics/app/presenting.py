"""Presentation mode: the PLM agenda deck, one chart or table per screen, for a projector.

Shown by ``pages/present.py`` and, for ``present=1`` on any page's URL, by app.py itself (``slide=N`` keeps
the position in a shared link). The deck's three parts follow the meeting's agenda (analytics/deck.py). On the
library page (``library=ID&present=1``, its "present this library" button) the deck is that library's own
(``deck.build_library``).
This is UI code: it renders, the deck module computes.
"""

import streamlit as st

from .. import deck
from ..i18n import t
from . import cache, navigation, state, style, widgets


def show(ds, f) -> None:
    """Draw the slide ``f.slide`` of the deck of filters ``f`` (the dataset ``ds``), with its keys and timer."""
    lang = f.lang
    style.presentation_style()
    style.fold_sidebar()  # first on the screen: kept (not run again) while the slides change
    # One screen per slide part: long tables, bar charts and story lists continue on the next screens, so that
    # every screen fits 1280x720 with text of at least 20 px (deck.screens); slide=N counts screens.
    # On the library page, present=1 presents that library (its profile's "present this library" button; the
    # URL library=ID&present=1 keeps it); anywhere else, the agenda deck of the filters.
    library = f.library if f.library is not None and navigation.current_path() == "library" else None
    slides = cache.library_screens(ds, f) if library is not None else cache.screens(ds, f)
    index = min(max(f.slide, 1), len(slides)) - 1
    slide = slides[index]

    position_text = t("present.position", lang, n=index + 1, total=len(slides))
    if library is None:
        about = widgets.describe(ds, f)
    else:  # the library and its district: the region and range filters do not apply to its deck
        name, district = ds.choices.libraries[library]
        about = f"{name} · {ds.choices.districts[district][1]}"
    st.caption(widgets.md_text(position_text + " · " + about))
    st.title(widgets.md_text(slide.title), anchor=False)
    if slide.subtitle:
        st.markdown(widgets.md_text(slide.subtitle))
    if slide.figure is not None:
        widgets.chart(deck.screen_figure(slide.figure), f"slide-{index + 1}-{slide.key}")
    if slide.table is not None:
        st.table(slide.table, hide_index=True)  # plain HTML: every row shown at the slide's type size, no scrolling
    for story in slide.stories or ():
        with st.container(border=True):
            where = f"{story.library} · {story.district} · {story.cycle} · {t('story.' + story.kind, lang)}"
            st.caption(widgets.md_text(where))
            st.text(story.text)  # plain text: a story is never read as Markdown or HTML
    if slide.note:
        st.info(widgets.md_text(slide.note))

    previous, position, following, leave = st.columns([1, 2, 1, 1], vertical_alignment="center")
    if previous.button(
        t("present.previous", lang),
        icon=":material/arrow_back:",
        shortcut="Left",
        disabled=index == 0,
        key="slide_previous",
        help=t("present.keys", lang),
    ):
        state.set_filters(slide=index)
    if following.button(
        t("present.next", lang),
        icon=":material/arrow_forward:",
        shortcut="Right",
        disabled=index == len(slides) - 1,
        key="slide_next",
        type="primary",
        help=t("present.keys", lang),
    ):
        state.set_filters(slide=index + 2)
    position.progress((index + 1) / len(slides))
    if leave.button(t("present.exit", lang), icon=":material/close_fullscreen:", key="slide_exit"):
        state.set_filters(present=False, slide=1)

    seconds = st.sidebar.select_slider(
        t("present.auto", lang),
        options=[0, 10, 20, 30, 60],
        value=0,
        key="slide_auto",
        format_func=lambda s: t("present.auto_off", lang) if s == 0 else f"{s} s",
    )
    if seconds:

        @st.fragment(run_every=seconds)
        def advance() -> None:
            # The first run of the fragment is this script run itself; later runs move to the next slide.
            if st.session_state.get("_slide_timer_armed"):
                next_slide = 1 if index + 1 >= len(slides) else index + 2
                state.set_filters(slide=next_slide, scope="app")
            st.session_state["_slide_timer_armed"] = True

        advance()
    else:
        st.session_state["_slide_timer_armed"] = False
    widgets.pack_download(ds, f.with_(slide=1, present=False), st.sidebar)  # the same deck, to take home
