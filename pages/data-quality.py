"""Not a page of its own: the name Streamlit's older pages/ mode knows for the URL /data-quality.

A fresh server's very first request is run in that mode, which knows a page only by its file's name; the data
quality page's URL path is "data-quality" while its file is data_quality.py, so without this file that first
request would show "Page not found" (issue 13, item 3). Here, as in any page, the first call into analytics.app
runs app.py in place, whose st.navigation shows pages/data_quality.py. st.navigation never lists this file."""

from analytics.app import navigation

navigation.entrypoint_first()
