"""Opening a source file: compression, zip archives, checksums and the first records.

Files come plain, gzip-compressed or inside a zip archive (UCDP serves zips). DuckDB reads plain
and gzip files itself; a zip member is extracted to a temporary folder first. The checksum is
always of the file as given (the archive, not its member), computed in a background thread
while the file is parsed.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import hashlib
import io
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal, cast

from atrocity_watch.sources._errors import SourceFormatError
from atrocity_watch.sources._spec import OpenedCsv

_GZIP_MAGIC = b"\x1f\x8b"
_ZIP_MAGIC = b"PK\x03\x04"
_EMPTY_ZIP_MAGIC = b"PK\x05\x06"
_HASH_CHUNK = 4 * 1024 * 1024
_SNIFF_RECORDS = 16


def sha256_of(path: Path, *, check_gzip: bool = False) -> str:
    """The SHA-256 checksum of a file, read in chunks (hashlib releases the GIL on big chunks).

    With ``check_gzip`` the gzip stream is also decompressed to its end: DuckDB reads a cut
    gzip file without complaint, and a download cut between two records would otherwise look
    like a complete, shorter file.
    """
    digest = hashlib.sha256()
    inflater = zlib.decompressobj(wbits=31) if check_gzip else None
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(_HASH_CHUNK):
                digest.update(chunk)
                data = chunk
                while inflater is not None and data:
                    if inflater.eof:  # another gzip member follows (a file may hold several)
                        inflater = zlib.decompressobj(wbits=31)
                    inflater.decompress(data, _HASH_CHUNK)
                    data = inflater.unused_data if inflater.eof else inflater.unconsumed_tail
    except zlib.error:
        inflater = zlib.decompressobj(wbits=31)  # damaged: never reaches its end
    if inflater is not None and not inflater.eof:
        raise SourceFormatError(
            str(path), reason="the compressed file is damaged or cut short; download it again"
        )
    return digest.hexdigest()


@dataclass(frozen=True)
class Head:
    """The first records of a file as text fields, and facts about its ending."""

    records: tuple[tuple[str, ...], ...]
    header_lines: int
    ends_with_newline: bool | None

    @property
    def header(self) -> tuple[str, ...]:
        """The first record: the column names of an ordinary CSV file."""
        return self.records[0] if self.records else ()


@contextmanager
def open_source_file(
    path: Path, encoding: str, sheet: str | None = None, *, checksum: bool = True
) -> Iterator[tuple[OpenedCsv, Future[str]]]:
    """Yield the file as something DuckDB can parse, with its checksum being computed.

    An Excel workbook is accepted when the source names the ``sheet`` to read; the sheet is
    written to a temporary CSV first. Raises :class:`SourceFormatError` for a missing, empty or
    damaged file. Without ``checksum`` (recognising a file by its first lines) nothing is
    hashed and the future holds an empty string.
    """
    display = str(path)
    if not path.is_file():
        raise SourceFormatError(display, reason="no such file")
    size = path.stat().st_size
    if size == 0:
        raise SourceFormatError(display, reason="the file is empty (0 bytes)")
    with path.open("rb") as stream:
        magic = stream.read(4)
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="aw-sha256")
    digest: Future[str]
    if checksum:
        digest = executor.submit(sha256_of, path, check_gzip=magic.startswith(_GZIP_MAGIC))
    else:
        digest = Future()
        digest.set_result("")
    tmpdir: str | None = None
    try:
        if magic.startswith(_ZIP_MAGIC) and is_workbook(path):
            tmpdir = tempfile.mkdtemp(prefix="aw-source-")
            converted = _workbook_sheet_to_csv(path, sheet, Path(tmpdir))
            yield OpenedCsv(f"{display}!{sheet}", str(converted), "none", "utf-8"), digest
        elif magic.startswith(_ZIP_MAGIC) or magic.startswith(_EMPTY_ZIP_MAGIC):
            tmpdir = tempfile.mkdtemp(prefix="aw-source-")
            member, extracted = _extract_zip_member(path, Path(tmpdir))
            compression: Literal["none", "gzip"] = "none"
            with extracted.open("rb") as stream:
                inner = stream.read(2)
            if inner == _GZIP_MAGIC:
                compression = "gzip"
            yield (
                OpenedCsv(f"{display}!{member}", str(extracted), compression, encoding),
                digest,
            )
        else:
            compression = "gzip" if magic.startswith(_GZIP_MAGIC) else "none"
            yield OpenedCsv(display, str(path), compression, encoding), digest
    finally:
        executor.shutdown(wait=True)
        if tmpdir is not None:
            shutil.rmtree(tmpdir, ignore_errors=True)


def utf8_instead(opened: OpenedCsv) -> OpenedCsv:
    """For a source published in Latin-1: the same file as UTF-8 when it is valid UTF-8.

    Every byte sequence is valid Latin-1, so a file a user re-saved as UTF-8 would otherwise
    be read without error and with mangled names ("CÃ´te d'Ivoire"). Such sources are small,
    so the whole file is checked.
    """
    if codecs.lookup(opened.encoding).name == "utf-8":
        return opened
    decoder = codecs.getincrementaldecoder("utf-8")()
    non_ascii = False
    with _binary_stream(opened) as raw:
        try:
            while chunk := raw.read(1 << 20):
                decoder.decode(chunk)
                non_ascii = non_ascii or max(chunk) > 0x7F
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return opened
    if not non_ascii:
        return opened
    return OpenedCsv(opened.display_name, opened.path, opened.compression, "utf-8")


def is_workbook(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def _workbook_sheet_to_csv(path: Path, sheet: str | None, folder: Path) -> Path:
    """Write one sheet of an Excel workbook as UTF-8 CSV (values, never formulas)."""
    import openpyxl

    display = str(path)
    if sheet is None:
        raise SourceFormatError(
            display, reason="is an Excel workbook; this source is read from CSV files"
        )
    try:
        # data_only: cached values of formula cells, so nothing is ever evaluated.
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise SourceFormatError(
            display, reason=f"the Excel workbook is damaged or cut short ({exc})"
        ) from None
    try:
        if sheet not in workbook.sheetnames:
            raise SourceFormatError(
                display,
                reason=f"the workbook has no sheet {sheet!r} (it has "
                f"{', '.join(workbook.sheetnames)})",
            )
        target = folder / f"{sheet}.csv"
        with target.open("w", encoding="utf-8", newline="") as sink:
            writer = csv.writer(sink, lineterminator="\n")
            width: int | None = None
            for row in workbook[sheet].iter_rows(values_only=True):
                cells = ["" if v is None else _cell_text(v) for v in row]
                if width is None:  # the header: columns after its last name are unused
                    width = max((i + 1 for i, c in enumerate(cells) if c.strip()), default=0)
                cells = cells[:width]
                if any(c.strip() for c in cells):  # Excel keeps formatted empty rows
                    writer.writerow(cells)
        return target
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return str(text)[:10] if str(text).endswith("T00:00:00") else str(text)
    return str(value)


def _extract_zip_member(path: Path, folder: Path) -> tuple[str, Path]:
    display = str(path)
    try:
        with zipfile.ZipFile(path) as archive:
            members = [
                info
                for info in archive.infolist()
                if not info.is_dir()
                and not info.filename.startswith("__MACOSX/")
                and info.filename.lower().endswith((".csv", ".csv.gz", ".txt", ".tsv"))
            ]
            if not members:
                names = ", ".join(i.filename for i in archive.infolist()) or "nothing"
                raise SourceFormatError(
                    display, reason=f"the zip archive holds no CSV file (it holds {names})"
                )
            if len(members) > 1:
                names = ", ".join(i.filename for i in members)
                raise SourceFormatError(
                    display,
                    reason=f"the zip archive holds several data files ({names}); "
                    "unzip it and import the files one by one",
                )
            info = members[0]
            target = folder / Path(info.filename).name
            with archive.open(info) as source, target.open("wb") as sink:
                shutil.copyfileobj(source, sink, _HASH_CHUNK)
            return info.filename, target
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        if isinstance(exc, OSError) and not isinstance(exc, EOFError) and exc.errno is not None:
            raise
        raise SourceFormatError(
            display,
            reason=f"the zip archive is damaged or cut short ({exc}); download it again",
        ) from None


def _binary_stream(opened: OpenedCsv) -> IO[bytes]:
    """The decompressed bytes of the file (the caller closes the stream)."""
    if opened.compression == "gzip":
        return cast(IO[bytes], gzip.open(opened.path, "rb"))
    return open(opened.path, "rb")


@contextmanager
def open_text(opened: OpenedCsv) -> Iterator[io.TextIOWrapper]:
    """The file as decoded text for Python's csv module (custom readers of small files)."""
    with _binary_stream(opened) as raw:
        text = io.TextIOWrapper(raw, encoding=python_encoding(opened.encoding), newline="")
        try:
            yield text
        except UnicodeDecodeError as exc:
            raise SourceFormatError(
                opened.display_name,
                line=_line_of_decode_error(opened, exc),
                reason=f"the text is not valid {opened.encoding} (byte "
                f"0x{exc.object[exc.start]:02x}: {exc.reason})",
            ) from None
        except csv.Error as exc:
            raise SourceFormatError(
                opened.display_name, reason=f"not a readable CSV file ({exc})"
            ) from None


def python_encoding(encoding: str) -> str:
    """The Python codec for a declared encoding (UTF-8 files may start with a BOM)."""
    folded = codecs.lookup(encoding).name
    return "utf-8-sig" if folded == "utf-8" else folded


def read_head(opened: OpenedCsv, records: int = _SNIFF_RECORDS) -> Head:
    """Read the first records with Python's csv module (quotes, BOM and CRLF handled).

    Raises :class:`SourceFormatError` for undecodable text and for a damaged gzip stream.
    """
    rows: list[tuple[str, ...]] = []
    header_lines = 1
    try:
        with _binary_stream(opened) as raw:
            text = io.TextIOWrapper(raw, encoding=python_encoding(opened.encoding), newline="")
            reader = csv.reader(text)
            for row in reader:
                rows.append(tuple(row))
                if len(rows) == 1:
                    header_lines = reader.line_num
                if len(rows) >= records:
                    break
    except UnicodeDecodeError as exc:
        line = _line_of_decode_error(opened, exc)
        raise SourceFormatError(
            opened.display_name,
            line=line,
            reason=f"the text is not valid {opened.encoding} (byte "
            f"0x{exc.object[exc.start]:02x}: {exc.reason}); the file may be in another "
            f"encoding such as Latin-1 — save it as {opened.encoding}",
        ) from None
    except (EOFError, gzip.BadGzipFile, zipfile.BadZipFile) as exc:
        raise SourceFormatError(
            opened.display_name,
            reason=f"the compressed file is damaged or cut short ({exc}); download it again",
        ) from None
    except csv.Error as exc:
        raise SourceFormatError(
            opened.display_name, reason=f"not a readable CSV file ({exc})"
        ) from None
    return Head(tuple(rows), header_lines, _ends_with_newline(opened))


def _ends_with_newline(opened: OpenedCsv) -> bool | None:
    if opened.compression != "none":
        return None
    with open(opened.path, "rb") as stream:
        stream.seek(-1, io.SEEK_END)
        return stream.read(1) in (b"\n", b"\r")


def _line_of_decode_error(opened: OpenedCsv, exc: UnicodeDecodeError) -> int | None:
    """The physical line of the first byte the codec rejected (counted in the raw bytes)."""
    decoder = codecs.getincrementaldecoder(python_encoding(opened.encoding))()
    line = 1
    with _binary_stream(opened) as raw:
        while chunk := raw.read(1 << 16):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as inner:
                return line + chunk[: inner.start].count(b"\n")
            line += chunk.count(b"\n")
    return None


def line_of_byte(opened: OpenedCsv, position: int) -> int:
    """The physical line (1-based) holding the byte at ``position`` of the decompressed text."""
    line = 1
    remaining = position
    with _binary_stream(opened) as raw:
        while remaining > 0:
            chunk = raw.read(min(remaining, 1 << 20))
            if not chunk:
                break
            line += chunk.count(b"\n")
            remaining -= len(chunk)
    return line


_CHECKSUM_CHUNK = 4 * 1024 * 1024


def file_sha256(path: Path) -> str:
    """The SHA-256 checksum of a file as it is on disk (read in 4 MB chunks)."""
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHECKSUM_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
