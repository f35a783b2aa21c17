"""Static files with content-hashed names (cached for a year), compressed by whitenoise."""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_source_maps(patterns: tuple) -> tuple:  # type: ignore[type-arg]
    return tuple(
        (extension, tuple(p for p in rules if "sourceMappingURL" not in str(p)))
        for extension, rules in patterns
    )


class StaticStorage(CompressedManifestStaticFilesStorage):  # type: ignore[misc]
    """Like whitenoise's, but vendored files may name source maps that are not shipped.

    Source maps only help developers debug minified code; vendoring them would double the size
    of the vendored folder, and a missing one must not stop the server from starting.
    """

    patterns = _without_source_maps(CompressedManifestStaticFilesStorage.patterns)
