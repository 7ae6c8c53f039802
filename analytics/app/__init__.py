"""The Streamlit layer: with app.py, pages/ and the developer tools (analytics/tools), the only code that imports
streamlit.

``navigation`` (which page a run shows), ``cache`` (what pages read, per database version), ``state`` (the
shared filters, URL and sidebar), ``widgets`` (tables, downloads, charts), ``style`` (the presentation CSS),
``page`` (a page script's start), ``presenting`` (the deck on screen) and ``auth`` (who is signed in). There is
no import cycle among them or with the domain modules (tests/test_layout.py)."""
