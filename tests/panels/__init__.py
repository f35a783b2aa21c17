"""Tests of the panels: semantics, real data, the registry, Spark."""
