"""A mirror pattern takes only files whose columns belong to the source."""

from __future__ import annotations

from pathlib import Path

from atrocity_watch.sources import get_source, mirror_files


def test_pattern_skips_a_neighbouring_file_of_another_kind(tmp_path: Path) -> None:
    folder = tmp_path / "worldbank"
    folder.mkdir()
    # matches worldbank/wdi_*.csv but is a Gleditsch-Ward keyed derived table, not World Bank data
    (folder / "wdi_infmort_gw_demspaces.csv").write_text(
        "gwcode,year,infmort\n2,2000,7.1\n", encoding="utf-8"
    )
    assert mirror_files(get_source("worldbank"), tmp_path) == []


def test_real_mirror_worldbank_files_are_world_bank_files(shared_data: Path) -> None:
    names = [p.name for p in mirror_files(get_source("worldbank"), shared_data)]
    assert "wdi_ewp_2025.csv" in names
    assert "wdi_infmort_gw_demspaces.csv" not in names
