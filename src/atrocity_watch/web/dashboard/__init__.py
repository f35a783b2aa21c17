"""The dashboard: world risk map, watchlist and country pages, and their API read endpoints.

Reads the warehouse's derived tables (forecasts, drivers, panels) from their Parquet snapshots,
never waiting for an import (:mod:`.reads`), and the app database for assessments and (through
:mod:`.alerts_hook`) alerts. See ``docs/dashboard.md``.
"""
