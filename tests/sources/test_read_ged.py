"""Reading GED files: what is accepted, and the exact message for each kind of bad input."""

from __future__ import annotations

import gzip
import zipfile
from pathlib import Path

import pyarrow as pa
import pytest

from atrocity_watch.sources import (
    SourceFormatError,
    UnknownSourceError,
    UnrecognisedFileError,
    read_file,
    recognise,
)

from .conftest import GED_HEADER, ged_row, write_csv


def _error(path: Path, source: str | None = "ucdp_ged") -> SourceFormatError:
    with pytest.raises(SourceFormatError) as caught:
        read_file(path, source)
    return caught.value


def test_a_valid_file_gives_typed_columns_and_iso3(ged_file: Path) -> None:
    result = read_file(ged_file, "ucdp_ged")
    assert (result.source, result.version, result.rows, result.layout) == (
        "ucdp_ged",
        "25.1",
        20,
        "ged_global",
    )
    assert result.file_name == "GEDEvent_v25_1.csv"
    assert len(result.sha256) == 64
    table = result.table
    assert table.column_names == [*GED_HEADER, "iso3"]
    assert table.schema.field("best").type == pa.int64()
    assert table.schema.field("latitude").type == pa.float64()
    assert table.schema.field("date_start").type == pa.date32()
    assert table.schema.field("active_year").type == pa.bool_()
    assert set(table.column("iso3").to_pylist()) == {"NGA"}


def test_the_file_is_recognised_by_its_header(ged_file: Path) -> None:
    assert recognise(ged_file) == "ucdp_ged"
    assert read_file(ged_file).source == "ucdp_ged"


def test_column_order_does_not_matter(tmp_path: Path) -> None:
    shuffled = list(reversed(GED_HEADER))
    path = write_csv(tmp_path / "g.csv", [ged_row(i) for i in range(3)], shuffled)
    table = read_file(path, "ucdp_ged").table
    assert table.column_names[:3] == ["id", "relid", "year"]
    assert table.column("best").to_pylist() == [5, 5, 5]


@pytest.mark.parametrize(
    ("row", "values", "line", "column", "reason"),
    [
        (4, {"best": "abc"}, 6, "best", "'abc' is not a whole number"),
        (4, {"best": "-3"}, 6, "best", "'-3' is below the smallest value allowed, 0"),
        (7, {"latitude": "95.5"}, 9, "latitude", "'95.5' is above the largest value allowed, 90"),
        (2, {"year": "1975"}, 4, "year", "'1975' is below the smallest value allowed, 1989"),
        (2, {"year": "3020"}, 4, "year", "'3020' is above the largest value allowed, "),
        (3, {"year": "2020.5"}, 5, "year", "'2020.5' is not a whole number"),
        (5, {"date_start": "2020-02-30"}, 7, "date_start", "'2020-02-30' is not a date"),
        (
            5,
            {"type_of_violence": "4"},
            7,
            "type_of_violence",
            "'4' is not one of the allowed values (1, 2, 3)",
        ),
        (6, {"country_id": ""}, 8, "country_id", "the value is empty"),
        (6, {"active_year": "maybe"}, 8, "active_year", "'maybe' is not true or false"),
        (1, {"deaths_civilians": "nan"}, 3, "deaths_civilians", "'nan' is not a finite number"),
    ],
)
def test_bad_values_name_file_line_and_column(
    tmp_path: Path,
    row: int,
    values: dict[str, object],
    line: int,
    column: str,
    reason: str,
) -> None:
    rows = [ged_row(i) for i in range(10)]
    rows[row] = ged_row(row, **values)
    path = write_csv(tmp_path / "bad.csv", rows)
    error = _error(path)
    assert (error.file, error.line, error.column) == (str(path), line, column)
    assert error.reason.startswith(reason)
    assert str(error).startswith(f"{path}, line {line}, column '{column}': {reason}")


def test_line_numbers_count_line_breaks_inside_quoted_fields(tmp_path: Path) -> None:
    rows = [ged_row(i, source_headline=f"first line\nsecond line {i}") for i in range(30)]
    rows[25] = ged_row(25, source_headline="one\ntwo\nthree", best="-1")
    path = write_csv(tmp_path / "multiline.csv", rows)
    # header (1) + 25 records of two lines each, so record 25 starts on line 52
    assert _error(path).line == 52


def test_a_text_value_in_a_numeric_column_after_multiline_rows(tmp_path: Path) -> None:
    rows = [ged_row(i, where_description="a, b\nc") for i in range(10)]
    rows[9] = ged_row(9, deaths_a="seven")
    error = _error(write_csv(tmp_path / "t.csv", rows))
    assert (error.line, error.column, error.reason) == (
        20,
        "deaths_a",
        "'seven' is not a whole number",
    )


def test_duplicate_event_ids_are_refused_with_both_lines(tmp_path: Path) -> None:
    rows = [ged_row(i) for i in range(10)]
    rows[8] = ged_row(3)
    error = _error(write_csv(tmp_path / "dup.csv", rows))
    assert (error.line, error.column) == (10, "id")
    assert error.reason == (
        "duplicate event id (id='100003'): the same event id is already on line 5; "
        "each row must have a unique id"
    )


def test_a_missing_required_column_is_named_with_what_was_found(tmp_path: Path) -> None:
    header = [h for h in GED_HEADER if h != "country_id"]
    error = _error(write_csv(tmp_path / "m.csv", [ged_row(1)], header))
    assert (error.line, error.column) == (1, "country_id")
    assert error.reason.startswith(
        "required column 'country_id' missing for UCDP Georeferenced Event Dataset (GED) "
        "(ucdp_ged); the header has: id, relid, year,"
    )


def test_a_renamed_column_is_pointed_out(tmp_path: Path) -> None:
    header = ["best_est" if h == "best" else h for h in GED_HEADER]
    rows = [{("best_est" if k == "best" else k): v for k, v in ged_row(1).items()}]
    error = _error(write_csv(tmp_path / "r.csv", rows, header))
    assert error.column == "best"
    assert error.reason.endswith("'best_est' looks like a renamed 'best'")


def test_a_repeated_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "twice.csv"
    path.write_text(",".join([*GED_HEADER, "BEST"]) + "\n", encoding="utf-8")
    error = _error(path)
    assert (error.line, error.column) == (1, "best")
    assert "the header has column 'best' twice" in error.reason


def test_wrong_delimiter(tmp_path: Path) -> None:
    path = tmp_path / "semicolons.csv"
    path.write_text(";".join(GED_HEADER) + "\n" + ";".join("1" * 49) + "\n", encoding="utf-8")
    error = _error(path)
    assert error.line == 1
    assert error.reason.endswith(
        "the file seems to use ';' between values, but UCDP Georeferenced Event Dataset (GED) "
        "files use commas"
    )


def test_wrong_encoding_in_the_header_lines(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "latin.csv", [ged_row(1, adm_1="Région Nord")], encoding="latin-1")
    error = _error(path)
    assert error.line == 2
    assert error.reason.startswith("the text is not valid utf-8 (byte 0xe9")


def test_wrong_encoding_far_into_the_file(tmp_path: Path) -> None:
    rows = [ged_row(i) for i in range(40)]
    rows[35] = ged_row(35, adm_1="Région Nord")
    path = write_csv(tmp_path / "latin_late.csv", rows, encoding="latin-1")
    error = _error(path)
    assert error.line == 37
    assert error.reason.startswith("the text is not valid UTF-8")


def test_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    assert str(_error(path)) == f"{path}: the file is empty (0 bytes)"


def test_a_header_without_rows(tmp_path: Path) -> None:
    path = tmp_path / "header.csv"
    path.write_text(",".join(GED_HEADER) + "\n", encoding="utf-8")
    assert _error(path).reason == "the file has a header but no rows of data"


def test_a_last_line_cut_mid_record(tmp_path: Path, ged_file: Path) -> None:
    data = ged_file.read_bytes()
    cut = tmp_path / "cut.csv"
    cut.write_bytes(data[: data.rindex(b",Africa,")])
    error = _error(cut)
    assert error.line == 21
    assert error.reason == (
        "the line has fewer values than the header: the record is incomplete; the file does "
        "not end with a line break, so it may have been cut short"
    )


def test_a_last_line_cut_inside_quotes(tmp_path: Path, ged_file: Path) -> None:
    data = ged_file.read_bytes()
    cut = tmp_path / "cut_quote.csv"
    cut.write_bytes(data[: data.rindex(b"Reuters")])
    error = _error(cut)
    assert error.line == 21
    assert error.reason.startswith("a quoted value is not closed")


def test_valid_quirks_bom_crlf_quoted_commas_and_newlines(tmp_path: Path) -> None:
    rows = [ged_row(i, where_description='Kolofata, "north", near\nthe border') for i in range(5)]
    plain = write_csv(tmp_path / "plain.csv", rows)
    crlf = write_csv(tmp_path / "crlf.csv", rows, newline="\r\n")
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + crlf.read_bytes())
    tables = [read_file(p, "ucdp_ged").table for p in (plain, crlf, bom)]
    for table in tables:
        assert table.num_rows == 5
        assert table.column("id").to_pylist() == tables[0].column("id").to_pylist()
    text = tables[0].column("where_description")[0].as_py()
    assert text == 'Kolofata, "north", near\nthe border'


def test_formula_like_text_is_stored_as_plain_text(tmp_path: Path) -> None:
    formulas = ['=HYPERLINK("http://evil.example","click")', "+cmd|' /C calc'!A0", "@SUM(1+1)"]
    rows = [ged_row(i, side_a=text) for i, text in enumerate(formulas)]
    table = read_file(write_csv(tmp_path / "f.csv", rows), "ucdp_ged").table
    assert table.column("side_a").to_pylist() == formulas


def test_gzip_and_zip_give_the_same_table(tmp_path: Path, ged_file: Path) -> None:
    data = ged_file.read_bytes()
    gz = tmp_path / "GEDEvent_v25_1.csv.gz"
    gz.write_bytes(gzip.compress(data))
    archive = tmp_path / "ged251-csv.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("GEDEvent_v25_1.csv", data)
    plain = read_file(ged_file, "ucdp_ged")
    for path in (gz, archive):
        result = read_file(path)
        assert result.table.equals(plain.table)
        assert result.version == "25.1"
        assert result.sha256 != plain.sha256  # the checksum is of the file as given


def test_a_cut_gzip_file(tmp_path: Path, ged_file: Path) -> None:
    rows = [ged_row(i, source_headline="x" * 200) for i in range(2000)]
    data = write_csv(tmp_path / "big.csv", rows).read_bytes()
    compressed = gzip.compress(data)
    cut = tmp_path / "cut.csv.gz"
    cut.write_bytes(compressed[: len(compressed) // 2])
    assert _error(cut).reason == "the compressed file is damaged or cut short; download it again"


def test_a_gzip_file_cut_between_two_records(tmp_path: Path) -> None:
    """DuckDB reads such a file as a shorter, complete one; the stream's end is checked."""
    data = write_csv(tmp_path / "all.csv", [ged_row(i) for i in range(3000)]).read_bytes()
    compressed = gzip.compress(data)
    for cut_at in (len(compressed) - 8, len(compressed) // 2):
        cut = tmp_path / "cut.csv.gz"
        cut.write_bytes(compressed[:cut_at])
        assert _error(cut).reason == (
            "the compressed file is damaged or cut short; download it again"
        )


def test_a_cut_zip_file(tmp_path: Path, ged_file: Path) -> None:
    archive = tmp_path / "ged.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.write(ged_file, "GEDEvent_v25_1.csv")
    data = archive.read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(data[: len(data) // 2])
    assert _error(cut).reason.startswith("the zip archive is damaged or cut short")


def test_a_zip_with_several_files_is_refused(tmp_path: Path, ged_file: Path) -> None:
    archive = tmp_path / "two.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(ged_file, "a.csv")
        zipped.write(ged_file, "b.csv")
    assert "holds several data files (a.csv, b.csv)" in _error(archive).reason


def test_an_unknown_country_code_is_listed(tmp_path: Path) -> None:
    rows = [ged_row(i) for i in range(10)]
    rows[4] = ged_row(4, country_id=999)
    rows[7] = ged_row(7, country_id=999, year=2021)
    rows[8] = ged_row(8, country_id=1234)
    error = _error(write_csv(tmp_path / "c.csv", rows))
    assert (error.line, error.column) == (6, "country_id")
    assert error.reason.startswith(
        "2 countries the country registry does not know (UCDP country ids): "
        "'999' in 2020–2021 (first on line 6"
    )
    assert "'1234' in 2020 (first on line 10" in error.reason


def test_a_file_that_matches_no_source(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("Variable,Description,Values\nx,y,z\n", encoding="utf-8")
    assert recognise(path) is None
    with pytest.raises(UnrecognisedFileError) as caught:
        read_file(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: the columns (Variable, Description, Values) match no")
    assert "ucdp_ged (columns id, year, type_of_violence" in message


def test_an_unknown_source_name_lists_the_known_ones(ged_file: Path) -> None:
    with pytest.raises(UnknownSourceError, match="Known sources: ucdp_ged, ucdp_onesided"):
        read_file(ged_file, "ged")


def test_a_missing_file(tmp_path: Path) -> None:
    assert _error(tmp_path / "nope.csv").reason == "no such file"


def test_rows_can_be_written_to_the_callers_duckdb_connection(
    tmp_path: Path, ged_file: Path
) -> None:
    import duckdb

    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    result = read_file(ged_file, "ucdp_ged", connection=con, table="staged_ged")
    assert result.table_name == "staged_ged"
    assert con.execute("SELECT count(*), sum(best) FROM staged_ged").fetchone() == (20, 100)
    # no temporary tables are left behind
    leftovers = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'aw_%'"
    ).fetchall()
    assert leftovers == []
    batches = list(result.to_batches(7))
    assert sum(b.num_rows for b in batches) == 20


def test_nothing_is_left_in_the_callers_connection_after_an_error(tmp_path: Path) -> None:
    import duckdb

    rows = [ged_row(i) for i in range(5)]
    rows[3] = ged_row(3, best=-1)
    path = write_csv(tmp_path / "bad.csv", rows)
    con = duckdb.connect()
    with pytest.raises(SourceFormatError):
        read_file(path, "ucdp_ged", connection=con, table="staged")
    assert con.execute("SELECT count(*) FROM duckdb_tables()").fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM duckdb_views() WHERE NOT internal").fetchone() == (0,)


def test_line_numbers_count_line_breaks_in_ignored_columns(tmp_path: Path) -> None:
    """Columns a source ignores are not loaded, but their line breaks still move lines."""
    header = [*GED_HEADER, "coder_notes"]
    rows = [{**ged_row(i), "coder_notes": "checked\nagain\ntwice"} for i in range(10)]
    rows[8] = {**ged_row(8, best=-2), "coder_notes": "x"}
    error = _error(write_csv(tmp_path / "extra.csv", rows, header))
    assert error.line == 2 + 8 * 3  # header, then eight records of three lines each
    result = read_file(write_csv(tmp_path / "ok.csv", [rows[0]], header), "ucdp_ged")
    assert result.ignored_columns == ("coder_notes",)
    assert "coder_notes" not in result.table.column_names
