"""Catalog entries of the import feature (merged into ``analytics.i18n.CATALOG``; keys start with ``import.``)."""

MESSAGES: dict[str, dict[str, str]] = {}
