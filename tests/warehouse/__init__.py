"""Tests of the warehouse: atomic loads, provenance, concurrency, the data CLI."""
