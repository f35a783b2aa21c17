"""The vendored front-end files are the ones scripts/vendor_assets.sh recorded, with licences."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "scripts" / "vendor_assets.sh"
VENDOR = ROOT / "src" / "atrocity_watch" / "web" / "static" / "vendor"


def _recorded() -> dict[str, str]:
    text = SCRIPT.read_text(encoding="utf-8")
    block = re.search(r"CHECKSUMS=\"\$\(cat <<'EOF'\n(.*?)\nEOF", text, flags=re.S)
    assert block, "no CHECKSUMS block in scripts/vendor_assets.sh"
    pairs = (line.split() for line in block.group(1).splitlines() if line.strip())
    return {path: digest for digest, path in pairs}


def test_every_vendored_file_matches_its_recorded_checksum() -> None:
    recorded = _recorded()
    on_disk = {
        str(p.relative_to(VENDOR))
        for p in VENDOR.rglob("*")
        if p.is_file() and p.name != "README.md"
    }
    assert on_disk == set(recorded), "vendored files and recorded checksums differ"
    for path, digest in recorded.items():
        assert hashlib.sha256((VENDOR / path).read_bytes()).hexdigest() == digest, path


def test_versions_in_the_readme_match_the_script() -> None:
    script = SCRIPT.read_text(encoding="utf-8")
    readme = (VENDOR / "README.md").read_text(encoding="utf-8")
    packages = re.findall(r'^  "([a-z.-]+) (\d+\.\d+\.\d+) sha512-', script, flags=re.M)
    assert len(packages) == 6
    for name, version in packages:
        row = rf"\[{re.escape(name)}\]\([^)]*\) \| {re.escape(version)} \|"
        assert re.search(row, readme), f"{name} {version} is not in vendor/README.md"


@pytest.mark.parametrize(
    "folder", ["vega", "vega-lite", "vega-embed", "vega-interpreter", "world-atlas", "htmx"]
)
def test_each_package_keeps_its_licence(folder: str) -> None:
    assert (VENDOR / folder / "LICENSE").stat().st_size > 200


def test_vega_lite_stays_on_6_4_for_node_20() -> None:
    assert re.search(r'"vega-lite 6\.4\.\d+ ', SCRIPT.read_text(encoding="utf-8"))


def test_interpreter_imports_only_the_local_shim() -> None:
    source = (VENDOR / "vega-interpreter" / "vega-interpreter.js").read_text(encoding="utf-8")
    imports = re.findall(r"^import .* from '([^']+)';", source, flags=re.M)
    assert imports == ["./vega-util-global.js"]
