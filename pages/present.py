"""Presentasi / Presentation: the PLM agenda deck, one slide per screen (analytics/presenting.py)."""

from analytics import presenting

presenting.show()
