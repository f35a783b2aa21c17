"""Getting a source's files: from the publisher over HTTPS, or from a local mirror.

A mirror is a folder on an air-gapped network (or the test data of CI) that holds the
publishers' files. Two layouts are understood, so that both a copy made with ``wget -x`` and a
hand-made folder like ``../shared/data`` work: the publisher's address without ``https://``
(``ucdp.uu.se/downloads/ged/ged251-csv.zip``), and each source's ``mirror_patterns`` (globs such
as ``ucdp/OneSided_v*.csv``). Every file is written to the destination under a temporary name
and renamed when complete, so an interrupted fetch never leaves half a file behind.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from pathlib import Path

from atrocity_watch import config
from atrocity_watch.sources._errors import FetchError, NotInMirrorError, SourceFormatError
from atrocity_watch.sources._files import file_sha256
from atrocity_watch.sources._spec import Download, SourceSpec

_CHUNK = 1 << 20
_USER_AGENT = "atrocity-watch (https://github.com/atrocity-watch; data fetch)"

Progress = Callable[[str, int, int | None], None]
"""Called as ``progress(file_name, bytes_done, bytes_total_or_None)`` while downloading."""


def fetch(
    name: str,
    dest_dir: str | Path,
    mirror: str | Path | None = None,
    *,
    urls: Mapping[str, str] | None = None,
    timeout: float = 120.0,
    progress: Progress | None = None,
) -> list[Path]:
    """Put the files of source ``name`` in ``dest_dir`` and return their paths.

    With a ``mirror`` (or ``ATROCITY_WATCH_MIRROR``) the files are copied from that folder;
    otherwise they are downloaded from the publisher, unless ``ATROCITY_WATCH_OFFLINE`` is true,
    which is then an error. ``urls`` replaces a publisher's address, keyed by the file name the
    source declares (for a moved file, or a local server). Each downloaded file must be
    recognised as the source, so a moved address that now serves a web page is an error.

    >>> fetch("ucdp_onesided", "var/raw/ucdp_onesided", mirror="../shared/data")  # doctest: +SKIP
    [PosixPath('var/raw/ucdp_onesided/OneSided_v25_1.csv')]
    """
    from atrocity_watch.sources._api import get_source

    spec = get_source(name)
    dest = Path(dest_dir)
    dest.mkdir(parents=True, exist_ok=True)
    mirror_dir = Path(mirror).expanduser() if mirror is not None else config.mirror()
    if mirror_dir is not None:
        return _from_mirror(spec, mirror_dir, dest)
    if config.offline():
        raise FetchError(
            f"Cannot fetch {spec.name}: ATROCITY_WATCH_OFFLINE is true and no mirror is set. "
            "Set ATROCITY_WATCH_MIRROR to a folder holding the publishers' files, or import a "
            "file you already have with `atrocity-watch data import PATH`."
        )
    if not spec.downloads:
        raise FetchError(
            f"{spec.title} ({spec.name}) has no public download address; fetch it from a "
            "mirror (ATROCITY_WATCH_MIRROR) or import the file with `atrocity-watch data import`."
        )
    fetched = []
    for download in spec.downloads:
        if download.kind == "worldbank_api":
            from atrocity_watch.sources._worldbank_api import fetch_indicators

            fetched.append(fetch_indicators(spec, download, dest, urls=urls))
        else:
            url = (urls or {}).get(download.file_name, download.url)
            fetched.append(_download(spec, download, url, dest, timeout, progress))
    return fetched


def mirror_files(spec: SourceSpec, mirror: Path) -> list[Path]:
    """The files of ``spec`` present in a mirror folder (both layouts), sorted."""
    if not mirror.is_dir():
        raise FetchError(f"The mirror {mirror} is not a folder that exists.")
    found: dict[Path, None] = {}
    for download in spec.downloads:
        candidate = mirror / download.mirror_path()
        if candidate.is_file():
            found[candidate.resolve()] = None
    from atrocity_watch.sources._api import recognise

    for pattern in spec.mirror_patterns:
        for candidate in sorted(mirror.glob(pattern)):
            # A pattern can catch a neighbouring file of another kind (a mirror folder may hold
            # derived tables beside the publisher's files): only files whose columns are this
            # source's are taken.
            if candidate.is_file() and recognise(candidate) == spec.name:
                found[candidate.resolve()] = None
    return sorted(found)


def _from_mirror(spec: SourceSpec, mirror: Path, dest: Path) -> list[Path]:
    files = mirror_files(spec, mirror)
    if not files:
        places = [str(d.mirror_path()) for d in spec.downloads] + list(spec.mirror_patterns)
        raise NotInMirrorError(
            f"No file of {spec.title} ({spec.name}) in the mirror {mirror}; looked for "
            + ", ".join(places)
        )
    copied = []
    for source in files:
        target = dest / source.name
        if not (target.is_file() and _same_file(source, target)):
            _atomic_copy(source, target)
        copied.append(target)
    return copied


def _same_file(a: Path, b: Path) -> bool:
    if a.stat().st_size != b.stat().st_size:
        return False
    return file_sha256(a) == file_sha256(b)


def _atomic_copy(source: Path, target: Path) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as sink, source.open("rb") as stream:
            shutil.copyfileobj(stream, sink, _CHUNK)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _download(
    spec: SourceSpec,
    download: Download,
    url: str,
    dest: Path,
    timeout: float,
    progress: Progress | None,
) -> Path:
    if not url.startswith(("https://", "http://")):
        raise FetchError(f"{spec.name}: {url!r} is not an http(s) address.")
    target = dest / download.file_name
    request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})  # noqa: S310
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=dest)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            total = response.headers.get("Content-Length")
            expected = int(total) if total and total.isdigit() else None
            content_type = response.headers.get("Content-Type", "")
            done = 0
            with os.fdopen(handle, "wb") as sink:
                while chunk := response.read(_CHUNK):
                    sink.write(chunk)
                    done += len(chunk)
                    if progress is not None:
                        progress(download.file_name, done, expected)
        if expected is not None and done != expected:
            raise FetchError(
                f"{spec.name}: the download of {url} stopped after {done} of {expected} bytes; "
                "try again"
            )
        if "text/html" in content_type.lower():
            raise FetchError(
                f"{spec.name}: {url} answered with a web page, not the data file; the "
                "publisher may have moved it — check the address on "
                f"{spec.url} and pass the new one"
            )
        _check_recognised(spec, Path(temporary), url)
        os.replace(temporary, target)
    except urllib.error.HTTPError as exc:
        raise FetchError(
            f"{spec.name}: {url} answered HTTP {exc.code} ({exc.reason}); the publisher may "
            f"have moved the file — check {spec.url}"
        ) from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        if isinstance(exc, FetchError):
            raise
        reason = getattr(exc, "reason", exc)
        raise FetchError(
            f"{spec.name}: cannot download {url} ({reason}). Without internet access, set "
            "ATROCITY_WATCH_MIRROR to a folder holding the files."
        ) from None
    finally:
        Path(temporary).unlink(missing_ok=True)
    return target


def _check_recognised(spec: SourceSpec, path: Path, url: str) -> None:
    from atrocity_watch.sources._api import recognise

    if path.stat().st_size == 0:
        raise FetchError(f"{spec.name}: {url} sent an empty file.")
    if spec.sheet is not None:
        return  # workbooks are checked when they are read
    try:
        found = recognise(path)
    except SourceFormatError as exc:
        raise FetchError(f"{spec.name}: the file from {url} cannot be read: {exc.reason}") from None
    if found != spec.name:
        raise FetchError(
            f"{spec.name}: the file from {url} does not look like {spec.title} "
            f"(recognised as {found or 'nothing known'}); the address may have moved"
        )
