"""Fetching World Bank indicators from its API (v2) through ``wbgapi``.

The answer is written in the long layout the ``worldbank`` source reads (``economy,
economy_name, series, series_name, year, value``), one file per fetch, named with the date so
that its version says when the data were taken.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from atrocity_watch.sources._errors import FetchError
from atrocity_watch.sources._spec import Download, SourceSpec

FIRST_YEAR = 1960


def fetch_indicators(
    spec: SourceSpec,
    download: Download,
    dest: Path,
    *,
    urls: Mapping[str, str] | None = None,
) -> Path:
    """Ask the World Bank API for ``download.indicators`` (all economies, 1960 on)."""
    import requests
    import wbgapi

    base = (urls or {}).get(download.file_name, download.url).rstrip("/")
    today = datetime.now(UTC).date()
    target = dest / f"worldbank_indicators_{today.isoformat()}.csv"
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=dest)
    previous = wbgapi.endpoint
    wbgapi.endpoint = base  # wbgapi reads its address from this module-level setting
    rows = 0
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as sink:
            writer = csv.writer(sink, lineterminator="\n")
            writer.writerow(["economy", "economy_name", "series", "series_name", "year", "value"])
            for indicator in download.indicators:
                url = f"country/all/indicator/{indicator}"
                params = {"source": 2, "date": f"{FIRST_YEAR}:{today.year}"}
                for item in wbgapi.fetch(url, params):
                    row = _row(item)
                    if row is not None:
                        writer.writerow(row)
                        rows += 1
        if rows == 0:
            raise FetchError(f"{spec.name}: the World Bank API at {base} returned no values.")
        os.replace(temporary, target)
    except (requests.RequestException, wbgapi.APIError, ValueError, KeyError) as exc:
        raise FetchError(
            f"{spec.name}: the World Bank API at {base} could not be read ({exc}). Without "
            "internet access, set ATROCITY_WATCH_MIRROR to a folder holding the files."
        ) from None
    finally:
        wbgapi.endpoint = previous
        Path(temporary).unlink(missing_ok=True)
    return target


def _row(item: Mapping[str, Any]) -> list[str] | None:
    """One observation of the API's v2 answer as a CSV row; None for an empty value."""
    value = item.get("value")
    if value is None:
        return None
    country = item.get("country") or {}
    indicator = item.get("indicator") or {}
    code = item.get("countryiso3code") or ""
    return [
        str(code),
        str(country.get("value", "")),
        str(indicator.get("id", "")),
        str(indicator.get("value", "")),
        str(item.get("date", "")),
        repr(value) if isinstance(value, float) else str(value),
    ]
