"""Presentasi / Presentation: the PLM agenda deck, one slide per screen (analytics/app/presenting.py)."""

from analytics.app import cache, page, presenting

presenting.show(cache.get_dataset(), page.current_filters())
