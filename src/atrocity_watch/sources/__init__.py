"""Source loaders: one declared schema per external dataset, validated reading, and fetching.

>>> from atrocity_watch.sources import SOURCES, get_source, read_file, recognise, fetch
>>> [s.name for s in SOURCES][:2]
['ucdp_ged', 'ucdp_onesided']

Every file is read by :func:`read_file` into a validated table that keeps the publisher's
column names and adds ``iso3`` (the country registry's key); any problem raises a
:class:`SourceFormatError` naming the file, the line and the column. See ``docs/sources.md``.
"""

from __future__ import annotations

from atrocity_watch.sources._api import (
    UnrecognisedFileError,
    get_source,
    read_file,
    recognise,
)
from atrocity_watch.sources._errors import (
    FetchError,
    NotInMirrorError,
    SourceError,
    SourceFormatError,
    UnknownSourceError,
)
from atrocity_watch.sources._fetch import fetch, mirror_files
from atrocity_watch.sources._spec import (
    Column,
    CountryRule,
    Derived,
    Download,
    Layout,
    RowRule,
    ScopeRule,
    SourceSpec,
)
from atrocity_watch.sources._table import SourceTable
from atrocity_watch.sources.datasets import SOURCES

__all__ = [
    "SOURCES",
    "Column",
    "CountryRule",
    "Derived",
    "Download",
    "FetchError",
    "Layout",
    "NotInMirrorError",
    "RowRule",
    "ScopeRule",
    "SourceError",
    "SourceFormatError",
    "SourceSpec",
    "SourceTable",
    "UnknownSourceError",
    "UnrecognisedFileError",
    "fetch",
    "get_source",
    "mirror_files",
    "read_file",
    "recognise",
]
