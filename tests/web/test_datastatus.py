"""The start page's data summary: one line per dataset, however many files a mirror holds."""

from __future__ import annotations

from datetime import UTC, datetime

from atrocity_watch.web.core.datastatus import by_dataset


def _file(source: str, version: str, rows: int, day: int) -> dict[str, object]:
    return {
        "source": source,
        "version": version,
        "rows": rows,
        "imported_at": datetime(2026, 11, day, tzinfo=UTC),
        "licence": f"licence of {source}",
        "citation": f"citation of {source}",
    }


def test_files_of_one_dataset_become_one_line_with_totals() -> None:
    files = [_file("sipri_tiv", str(2000 + i), 10 + i, 1 + i) for i in range(6)]
    files.append(_file("ucdp_onesided", "25.1", 7, 3))
    lines = by_dataset(files)
    assert [line["source"] for line in lines] == ["sipri_tiv", "ucdp_onesided"]
    sipri = lines[0]
    assert sipri["title"].startswith("SIPRI")  # the dataset's own title from its declaration
    assert sipri["files"] == 6 and sipri["rows"] == sum(10 + i for i in range(6))
    assert sipri["imported_at"] == datetime(2026, 11, 6, tzinfo=UTC)  # the latest import
    assert sipri["versions"] == "6 versions, latest 2002, 2003, 2004, 2005"
    assert lines[1]["versions"] == "25.1" and lines[1]["files"] == 1


def test_a_source_the_code_no_longer_declares_keeps_its_key_as_title() -> None:
    (line,) = by_dataset([_file("retired_source", "", 3, 2)])
    assert line["title"] == "retired_source" and line["versions"] == ""
