"""The exception family of the sources layer.

Every error names the file and, where it applies, the line and the column, so a user can open
the file in an editor and see what is wrong. Exceptions only carry information: raising one never
writes, logs or prints.
"""

from __future__ import annotations

from collections.abc import Sequence

from atrocity_watch.errors import AtrocityWatchError


class SourceError(AtrocityWatchError):
    """Base class of the errors raised by :mod:`atrocity_watch.sources`."""


class SourceFormatError(SourceError):
    """A file cannot be read as the source it claims to be.

    ``str()`` reads ``"<file>, line <n>, column '<name>': <reason>"``; the line and column parts
    are left out when they do not apply (for example a file that is empty).
    """

    def __init__(
        self,
        file: str,
        line: int | None = None,
        column: str | None = None,
        reason: str = "cannot be read",
    ) -> None:
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
        super().__init__(self._message())

    def _message(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.column is not None:
            where += f", column '{self.column}'"
        return f"{where}: {self.reason}"

    def __reduce__(self) -> tuple[type[SourceFormatError], tuple[str, int | None, str | None, str]]:
        return (type(self), (self.file, self.line, self.column, self.reason))


class UnknownSourceError(SourceError):
    """A source name that is not declared in :data:`atrocity_watch.sources.SOURCES`."""

    def __init__(self, name: str, known: Sequence[str]) -> None:
        self.name = name
        self.known = tuple(known)
        super().__init__(f"Unknown source {name!r}. Known sources: {', '.join(self.known)}.")

    def __reduce__(self) -> tuple[type[UnknownSourceError], tuple[str, tuple[str, ...]]]:
        return (type(self), (self.name, self.known))


class UnrecognisedFileError(SourceError):
    """A file whose header matches no declared source (raised when no source was given)."""

    def __init__(self, file: str, header: Sequence[str], expected: str) -> None:
        self.file = file
        self.header = tuple(header)
        self.expected = expected
        shown = ", ".join(self.header[:12]) + (", ..." if len(self.header) > 12 else "")
        super().__init__(
            f"{file}: the columns ({shown or 'none'}) match no known source. "
            f"Give the source with --source NAME, or use a file with the publisher's columns. "
            f"Expected one of: {expected}"
        )

    def __reduce__(self) -> tuple[type[UnrecognisedFileError], tuple[str, tuple[str, ...], str]]:
        return (type(self), (self.file, self.header, self.expected))


class FetchError(SourceError):
    """Files could not be fetched from the publisher or the mirror."""


class NotInMirrorError(FetchError):
    """The local mirror holds no file of this source (not a failure of the files it does hold)."""
