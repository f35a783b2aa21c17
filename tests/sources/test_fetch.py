"""Fetching source files from a mirror folder and over HTTP (a local server stands in for
the publisher: there is no internet here, but the download code path is the real one)."""

from __future__ import annotations

import threading
import zipfile
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from atrocity_watch.sources import FetchError, fetch, get_source, mirror_files, read_file

from .conftest import ged_row, write_csv


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A local HTTP server serving the folder it yields, as a publisher's site would."""
    root = tmp_path / "site"
    root.mkdir()
    handler = partial(_QuietHandler, directory=str(root))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", root
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def online(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ATROCITY_WATCH_OFFLINE", "false")


def _ged_zip(path: Path, tmp_path: Path) -> Path:
    csv_file = write_csv(tmp_path / "GEDEvent_v25_1.csv", [ged_row(i) for i in range(5)])
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(csv_file, "GEDEvent_v25_1.csv")
    return path


def test_fetch_downloads_from_the_publishers_address(
    tmp_path: Path, server: tuple[str, Path], online: None
) -> None:
    base, root = server
    _ged_zip(root / "downloads/ged/ged251-csv.zip", tmp_path)
    seen: list[int] = []
    files = fetch(
        "ucdp_ged",
        tmp_path / "raw",
        urls={"ged251-csv.zip": f"{base}/downloads/ged/ged251-csv.zip"},
        progress=lambda name, done, total: seen.append(done),
    )
    assert files == [tmp_path / "raw" / "ged251-csv.zip"]
    assert seen and seen[-1] == files[0].stat().st_size
    result = read_file(files[0])
    assert (result.source, result.version, result.rows) == ("ucdp_ged", "25.1", 5)
    assert [p.name for p in (tmp_path / "raw").iterdir()] == ["ged251-csv.zip"]


def test_a_missing_file_on_the_server_is_a_clear_error(
    tmp_path: Path, server: tuple[str, Path], online: None
) -> None:
    base, _root = server
    with pytest.raises(FetchError, match=r"answered HTTP 404 .*check https://ucdp"):
        fetch("ucdp_ged", tmp_path / "raw", urls={"ged251-csv.zip": f"{base}/moved.zip"})
    assert list((tmp_path / "raw").iterdir()) == []  # no partial file left behind


def test_a_web_page_instead_of_the_data_is_refused(
    tmp_path: Path, server: tuple[str, Path], online: None
) -> None:
    base, root = server
    (root / "ged251-csv.zip").write_text("<html><body>We moved</body></html>")
    (root / "page.html").write_text("<html><body>We moved</body></html>")
    with pytest.raises(FetchError, match="answered with a web page"):
        fetch("ucdp_ged", tmp_path / "raw", urls={"ged251-csv.zip": f"{base}/page.html"})
    with pytest.raises(FetchError, match="does not look like UCDP Georeferenced"):
        fetch("ucdp_ged", tmp_path / "raw", urls={"ged251-csv.zip": f"{base}/ged251-csv.zip"})
    assert list((tmp_path / "raw").iterdir()) == []


def test_an_unreachable_publisher_suggests_a_mirror(tmp_path: Path, online: None) -> None:
    with pytest.raises(FetchError, match="set ATROCITY_WATCH_MIRROR"):
        fetch("ucdp_ged", tmp_path, urls={"ged251-csv.zip": "http://127.0.0.1:9/ged.zip"})


def test_offline_without_a_mirror_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="ATROCITY_WATCH_OFFLINE is true and no mirror is set"):
        fetch("ucdp_onesided", tmp_path)


def test_a_mirror_laid_out_as_the_publishers_site(tmp_path: Path) -> None:
    mirror = tmp_path / "mirror"
    _ged_zip(mirror / "ucdp.uu.se/downloads/ged/ged251-csv.zip", tmp_path)
    files = fetch("ucdp_ged", tmp_path / "raw", mirror=mirror)
    assert [f.name for f in files] == ["ged251-csv.zip"]
    assert read_file(files[0]).rows == 5
    # a second fetch of the same files changes nothing
    before = files[0].stat().st_mtime_ns
    assert fetch("ucdp_ged", tmp_path / "raw", mirror=mirror) == files
    assert files[0].stat().st_mtime_ns == before


def test_the_mirror_setting_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mirror = tmp_path / "mirror"
    _ged_zip(mirror / "ucdp.uu.se/downloads/ged/ged251-csv.zip", tmp_path)
    monkeypatch.setenv("ATROCITY_WATCH_MIRROR", str(mirror))
    assert [f.name for f in fetch("ucdp_ged", tmp_path / "raw")] == ["ged251-csv.zip"]


def test_a_mirror_without_the_files_says_where_it_looked(tmp_path: Path) -> None:
    with pytest.raises(FetchError, match=r"No file of .* looked for ucdp.uu.se/downloads/ged"):
        fetch("ucdp_ged", tmp_path / "raw", mirror=tmp_path)


@pytest.mark.shared_data
def test_the_shared_test_data_works_as_a_mirror(shared_data: Path, tmp_path: Path) -> None:
    expected = {
        "ucdp_ged": 5,
        "ucdp_onesided": 1,
        "ucdp_organized_violence_cy": 1,
        "ewp_prepared": 2,
        "ewp_foos": 3,
        "ewp_mk_episodes": 1,
    }
    for name, count in expected.items():
        found = mirror_files(get_source(name), shared_data)
        assert len(found) == count, (name, found)
    files = fetch("ucdp_onesided", tmp_path / "raw", mirror=shared_data)
    assert [f.name for f in files] == ["OneSided_v25_1.csv"]
    assert read_file(files[0]).rows == 1330
