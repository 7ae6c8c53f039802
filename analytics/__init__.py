"""PLM dashboard: all logic of the Peer Learning Meeting analytics app (store, demo data, queries, metrics,
charts and the thin UI-facing part)."""
