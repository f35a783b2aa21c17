"""Fetching every source (from the publishers or a local mirror) and importing it.

The first step of the pipeline (``make run``, ``atrocity-watch run``, ``data fetch``). It never
crashes half-way: each source is fetched and loaded on its own, and the report says for each
one whether it loaded, was already current, was skipped (for example offline without a mirror)
or failed, and why. A source that fails keeps its previous version.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from atrocity_watch import config
from atrocity_watch.errors import AtrocityWatchError
from atrocity_watch.warehouse._import import load_files
from atrocity_watch.warehouse._model import (
    FailedSource,
    ImportReport,
    LoadMode,
    LoadResult,
    ProgressCallback,
    SkippedFile,
)
from atrocity_watch.warehouse._store import Warehouse

OFFLINE_REASON = (
    "offline and no mirror: set ATROCITY_WATCH_MIRROR to a folder of the publishers' files "
    "(or allow internet access by setting ATROCITY_WATCH_OFFLINE=false)"
)


def _all_source_names() -> list[str]:
    from atrocity_watch import sources

    specs: Any = sources.SOURCES
    values = specs.values() if isinstance(specs, dict) else specs
    return [str(getattr(spec, "name", spec)) for spec in values]


def refresh_sources(
    progress: ProgressCallback | None = None,
    *,
    warehouse: Warehouse | None = None,
    sources: Sequence[str] | None = None,
) -> ImportReport:
    """Fetch (from ``ATROCITY_WATCH_MIRROR`` or the web) and import every source available.

    Returns the :class:`ImportReport`: ``loads`` for sources that were loaded or already
    current, ``skipped`` (``path`` holds the source name) for sources with nothing to fetch,
    ``failed`` for sources whose download or validation failed.
    """
    from atrocity_watch import sources as source_layer

    wh = warehouse or Warehouse()
    names = list(sources) if sources else _all_source_names()
    for name in names:
        source_layer.get_source(name)  # unknown names fail before anything is fetched
    mirror = config.mirror()
    if mirror is None and config.offline():
        return ImportReport(skipped=tuple(SkippedFile(name, OFFLINE_REASON) for name in names))

    loads: list[LoadResult] = []
    skipped: list[SkippedFile] = []
    failed: list[FailedSource] = []
    for index, name in enumerate(names, start=1):
        if progress:
            where = f"mirror {mirror}" if mirror else "the publisher"
            progress(f"{name}: fetching from {where}", index - 1, len(names))
        incoming = wh.raw_dir / name / f".incoming-{os.getpid()}"
        try:
            try:
                paths = [Path(p) for p in source_layer.fetch(name, incoming, mirror=mirror)]
            except source_layer.NotInMirrorError:
                # A mirror may carry only some datasets; the others keep their previous version.
                skipped.append(SkippedFile(name, "not in the mirror"))
                continue
            except (AtrocityWatchError, OSError) as exc:
                failed.append(FailedSource(name, str(mirror or "web"), f"fetch failed: {exc}"))
                continue
            if not paths:
                skipped.append(SkippedFile(name, "no files to fetch for this source"))
                continue
            try:
                loads.append(
                    load_files(
                        wh,
                        [(p, name) for p in paths],
                        mode=LoadMode.REPLACE,
                        sample=None,
                        progress=progress,
                        move=True,
                    )
                )
            except AtrocityWatchError as exc:
                failed.append(FailedSource(name, str(incoming), str(exc)))
        finally:
            shutil.rmtree(incoming, ignore_errors=True)
    if progress:
        progress("sources refreshed", len(names), len(names))
    return ImportReport(loads=tuple(loads), skipped=tuple(skipped), failed=tuple(failed))
