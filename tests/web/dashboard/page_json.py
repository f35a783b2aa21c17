"""Reading what a dashboard page embeds: its Vega-Lite specs and the world map's rows."""

from __future__ import annotations

import json
import re
from typing import Any


def embedded_json(html: str, element_id: str) -> Any:
    """The JSON a page embeds with ``json_script`` under ``element_id``."""
    found = re.search(
        rf'<script id="{re.escape(element_id)}" type="application/json">(.*?)</script>',
        html,
        flags=re.S,
    )
    assert found, f"no JSON block {element_id!r} in the page"
    return json.loads(found.group(1))


def map_rows(html: str) -> dict[str, dict[str, Any]]:
    """The world map's rows by shape key ("729" is Sudan), from the page's spec."""
    spec = embedded_json(html, "map-spec")
    lookup = next(t for t in spec["transform"] if "lookup" in t)
    return {row["key"]: row for row in lookup["from"]["data"]["values"]}
