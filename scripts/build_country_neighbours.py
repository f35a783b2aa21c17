"""Build src/atrocity_watch/countries/data/neighbours.json: land borders from Natural Earth.

Two countries are neighbours when their shapes share a TopoJSON arc, i.e. a stretch of land
border. The shapes are Natural Earth's 1:50m admin-0 countries (public domain) as packaged by
the npm package world-atlas (ISC licence); feature ids are ISO 3166 numeric codes written as
zero-padded strings. Run it again when world-atlas publishes new shapes:

    cd /tmp && npm pack world-atlas && tar xzf world-atlas-*.tgz
    .venv/bin/python scripts/build_country_neighbours.py /tmp/package/countries-50m.json

The script only reads the file and writes the JSON; it never downloads anything.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from atrocity_watch.countries import get_registry

OUTPUT = (
    Path(__file__).resolve().parents[1] / "src" / "atrocity_watch" / "countries" / "data"
) / "neighbours.json"

#: Shapes without an ISO numeric id, and the registry keys their borders count for. Northern
#: Cyprus is drawn separately by Natural Earth but is part of Cyprus under international law,
#: so it is merged into Cyprus. Somaliland's borders count for Somaliland and for Somalia, of
#: which it is part under international law (so Somalia borders Djibouti, as it does).
UNNAMED: dict[str, tuple[str, ...]] = {
    "Kosovo": ("XKX",),
    "Somaliland": ("XSL", "SOM"),  # codespell:ignore
    "N. Cyprus": ("CYP",),
}
#: Shapes that are not countries: Australia's Indian Ocean territories share no land border,
#: and the Siachen Glacier is a disputed area between India and Pakistan that Natural Earth
#: draws on its own; its borders are attributed to both.
SKIPPED = {"Indian Ocean Ter.": (), "Siachen Glacier": ("IND", "PAK")}


def _arcs(geometry: dict[str, Any]) -> set[int]:
    """Indices of every arc a Polygon or MultiPolygon geometry uses (direction ignored)."""
    found: set[int] = set()

    def walk(item: Any) -> None:
        if isinstance(item, int):
            found.add(item if item >= 0 else ~item)
        elif isinstance(item, list):
            for sub in item:
                walk(sub)

    walk(geometry.get("arcs", []))
    return found


def build(topology_path: Path) -> dict[str, Any]:
    """The neighbours document for the TopoJSON file at ``topology_path``."""
    registry = get_registry()
    topology = json.loads(topology_path.read_text(encoding="utf-8"))
    geometries = topology["objects"]["countries"]["geometries"]
    owners: dict[int, set[str]] = defaultdict(set)
    unmatched: list[str] = []
    for geometry in geometries:
        name = geometry.get("properties", {}).get("name", "")
        if geometry.get("id") is None:
            if name in SKIPPED:
                keys: tuple[str, ...] = SKIPPED[name]
            elif name in UNNAMED:
                keys = UNNAMED[name]
            else:
                unmatched.append(name)
                continue
        else:
            country = registry.try_resolve(int(geometry["id"]), "iso_numeric")
            if country is None:
                unmatched.append(f"{name} ({geometry['id']})")
                continue
            keys = (country.iso3,)
        for arc in _arcs(geometry):
            owners[arc].update(keys)
    if unmatched:
        raise SystemExit(f"shapes the registry cannot name: {', '.join(unmatched)}")
    borders: dict[str, set[str]] = defaultdict(set)
    for keys in owners.values():
        for a in keys:
            borders[a].update(k for k in keys if k != a)
    return {
        "source": "Natural Earth 1:50m admin-0 countries (public domain), from the npm package "
        "world-atlas (ISC licence), countries-50m.json",
        "method": "two countries are neighbours when their shapes share a border arc",
        "limits": "1:50m shapes miss borders shorter than a few kilometres and follow Natural "
        "Earth's de facto lines (e.g. Western Sahara, Kashmir, Crimea)",
        "neighbours": {k: sorted(v) for k, v in sorted(borders.items()) if v},
    }


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topology", type=Path, help="path to world-atlas countries-50m.json")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    document = build(args.topology)
    # One country per line keeps the committed file readable and its diffs small.
    header = {k: v for k, v in document.items() if k != "neighbours"}
    lines = [f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in document["neighbours"].items()]
    text = json.dumps(header, indent=1, ensure_ascii=False)[:-2]
    text += ',\n "neighbours": {\n' + ",\n".join(lines) + "\n }\n}\n"
    json.loads(text)  # the hand-assembled layout must still be valid JSON
    args.output.write_text(text, "utf-8")
    print(f"{len(document['neighbours'])} countries with land neighbours -> {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
