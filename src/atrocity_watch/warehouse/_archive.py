"""The raw archive: every imported file kept as it was, under its checksum.

``$ATROCITY_WATCH_HOME/raw/<source>/<first 12 hex digits of sha256>/<file name>``. Paths are
content-addressed, so an archived file is never overwritten and a new release never hides an
old one; ``raw/<source>/SHA256SUMS`` lists them in the format ``sha256sum -c`` checks.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from atrocity_watch.sources._files import file_sha256

__all__ = ["archive_path", "file_sha256"]


def archive_path(raw_dir: Path, source: str, sha256: str, file_name: str) -> Path:
    """Where the file with this checksum is (or will be) archived."""
    return raw_dir / source / sha256[:12] / file_name


def archive_file(
    raw_dir: Path, source: str, path: Path, sha256: str, *, move: bool = False
) -> Path:
    """Keep ``path`` in the raw archive and return where it is.

    ``move=True`` moves a freshly downloaded file in. Otherwise the copy is made under a
    temporary name and renamed into place, so an interrupted copy never looks like an archived
    file; a hard link is used when the file system allows it (no second copy of a large file).
    """
    dest = archive_path(raw_dir, source, sha256, path.name)
    if dest.exists():
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(f".{dest.name}.partial-{os.getpid()}")
    with contextlib.suppress(FileNotFoundError):
        partial.unlink()
    if move:
        shutil.move(path, partial)
    else:
        try:
            os.link(path, partial)
        except OSError:
            shutil.copyfile(path, partial)
    os.replace(partial, dest)
    _record_checksum(raw_dir / source, sha256, dest)
    return dest


def forget_file(raw_dir: Path, source: str, dest: Path) -> None:
    """Remove a file archived by a load that then failed, and its checksum line."""
    with contextlib.suppress(FileNotFoundError):
        dest.unlink()
    with contextlib.suppress(OSError):
        dest.parent.rmdir()  # only when empty
    sums = raw_dir / source / "SHA256SUMS"
    if not sums.exists():
        return
    rel = dest.relative_to(raw_dir / source).as_posix()
    lines = sums.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.rstrip("\n").endswith(f"  {rel}")]
    if kept != lines:
        partial = sums.with_name(f".SHA256SUMS.partial-{os.getpid()}")
        partial.write_text("".join(kept), encoding="utf-8")
        os.replace(partial, sums)


def _record_checksum(folder: Path, sha256: str, dest: Path) -> None:
    sums = folder / "SHA256SUMS"
    line = f"{sha256}  {dest.relative_to(folder).as_posix()}\n"
    existing = sums.read_text(encoding="utf-8") if sums.exists() else ""
    if line in existing:
        return
    partial = sums.with_name(f".SHA256SUMS.partial-{os.getpid()}")
    partial.write_text(existing + line, encoding="utf-8")
    os.replace(partial, sums)
