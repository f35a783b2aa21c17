"""`atrocity-watch evidence ...` as a user and a script see it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.evidence.conftest import REPORT_EN, make_pdf, write
from typer.testing import CliRunner

from atrocity_watch.cli import app

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("learned_ready")


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["evidence", *args])
    return result.exit_code, result.stdout, result.stderr


def test_suggest_text_json_has_exactly_the_documented_shape() -> None:
    code, out, _ = _run(
        "suggest", "--text", "Les Casques bleus ont été attaqués dans leur base.", "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"language", "suggestions"} and data["language"] == "fr"
    assert len(data["suggestions"]) == 3
    for s in data["suggestions"]:
        assert set(s) == {"risk_factor", "indicator", "score"}
        assert isinstance(s["risk_factor"], int) and isinstance(s["score"], float)
        assert s["indicator"] is None or s["indicator"].startswith(f"{s['risk_factor']}.")
    scores = [s["score"] for s in data["suggestions"]]
    assert scores == sorted(scores, reverse=True)


def test_suggest_file_keeps_input_order(tmp_path: Path) -> None:
    lines = [
        "Government forces besieged the city and blocked food convoys.",
        "",
        "Власти отключили интернет в регионе.",
        "قُتل جنود حفظ السلام في هجوم على قاعدتهم.",
    ]
    path = tmp_path / "passages.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    code, out, _ = _run("suggest", "--file", str(path), "--json", "--top", "2")
    assert code == 0
    data = json.loads(out)
    assert [d["language"] for d in data] == ["en", "ru", "ar"]  # blank lines skipped
    assert all(len(d["suggestions"]) == 2 for d in data)


def test_suggest_human_output_names_risk_factors() -> None:
    code, out, _ = _run("suggest", "--text", "Hate speech against the minority spread online.")
    assert code == 0
    assert "[en]" in out and "Enabling circumstances or preparatory action" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give either --text"),
        (["--text", "a", "--file", "x.txt"], "not both"),
        (["--text", "   "], "is empty"),
        (["--file", "absent.txt"], "absent.txt: no such file"),
        (["--text", "x", "--method", "magic"], "no suggestion method 'magic'"),
        (["--text", "x", "--top", "20"], "from 1 to 14. Got 20"),
    ],
)
def test_suggest_errors_are_one_line_and_exit_2(args: list[str], message: str) -> None:
    code, out, err = _run("suggest", *args)
    assert code == 2 and out == ""
    assert message in err and err.count("\n") == 1


def test_suggest_file_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("ok\nun \xe9t\xe9\n".encode("latin-1"))
    code, _, err = _run("suggest", "--file", str(path))
    assert code == 2 and "latin.txt, line 2: not UTF-8" in err


def test_add_list_show_search_judge_train(tmp_path: Path) -> None:
    pdf = write(tmp_path, "coi.pdf", make_pdf([REPORT_EN[:2], REPORT_EN[2:]], title="COI report"))
    code, out, _ = _run(
        "add", str(pdf), "--country", "SYR", "--source-url", "https://a.org/r", "--json"
    )
    assert code == 0
    [entry] = json.loads(out)
    assert entry["status"] == "added" and entry["document"]["page_count"] == 2
    doc_id = entry["document"]["id"]

    code, out, _ = _run("add", str(pdf))
    assert code == 0 and "already in the library as document" in out

    code, out, _ = _run("list", "--json")
    assert [d["id"] for d in json.loads(out)] == [doc_id]

    code, out, _ = _run("show", str(doc_id), "--json")
    passages = json.loads(out)["passages"]
    assert [p["page"] for p in passages] == [1, 2]
    assert all(len(p["suggestions"]) == 5 for p in passages)
    first = passages[0]["id"]

    code, out, _ = _run("search", "convoy", "--country", "SYR", "--json")
    hits = json.loads(out)
    assert [h["id"] for h in hits] == [first]
    assert "COI report, p. 1" in hits[0]["citation"]

    code, out, _ = _run(
        "judge", str(first), "--risk-factor", "13", "--indicator", "13.8", "--reviewer", "alice"
    )
    assert code == 0 and "risk factor 13 accepted" in out
    code, out, _ = _run("search", "--indicator", "13.8", "--json")
    assert first in [h["id"] for h in json.loads(out)]

    code, out, _ = _run("train", "--json")
    assert code == 0
    trained = json.loads(out)
    assert trained["judgements"] == 1 and trained["passages_resuggested"] == len(passages)
    assert Path(trained["classifier"]).is_file()


def test_add_reports_each_bad_file_and_keeps_the_good_ones(tmp_path: Path) -> None:
    good = write(tmp_path, "good.txt", "\n\n".join(REPORT_EN).encode())
    empty = write(tmp_path, "empty.pdf", b"")
    broken = write(tmp_path, "broken.docx", b"PK\x03\x04broken" * 20)
    code, out, err = _run("add", str(empty), str(good), str(broken), str(tmp_path / "gone.txt"))
    assert code == 2
    assert "good.txt: added as document 1" in out
    lines = err.strip().splitlines()
    assert len(lines) == 3
    assert "empty.pdf: is empty" in lines[0] and "broken.docx: is a damaged Word file" in lines[1]
    assert "gone.txt: does not exist" in lines[2]
    code, out, _ = _run("list", "--json")
    assert [d["file_name"] for d in json.loads(out)] == ["good.txt"]


def test_search_and_judge_errors(tmp_path: Path) -> None:
    code, _, err = _run("search", "x", "--since", "yesterday")
    assert code == 2 and "--since must be a date written YYYY-MM-DD" in err
    code, _, err = _run("search", "x", "--indicator", "99.1")
    assert code == 2 and "no risk factor 99" in err
    code, _, err = _run("judge", "12345", "--risk-factor", "7", "--reviewer", "bob")
    assert code == 2 and "no passage 12345" in err
    code, _, err = _run("show", "42")
    assert code == 2 and "no document 42" in err


def test_delete_asks_and_removes(tmp_path: Path) -> None:
    good = write(tmp_path, "good.txt", "\n\n".join(REPORT_EN).encode())
    _run("add", str(good))
    result = runner.invoke(app, ["evidence", "delete", "1"], input="n\n")
    assert result.exit_code == 2 and "nothing deleted" in result.stderr
    code, out, _ = _run("delete", "1", "--yes")
    assert code == 0 and "Deleted document 1" in out
    code, out, _ = _run("list", "--json")
    assert json.loads(out) == []
    code, _, err = _run("delete", "1", "--yes")
    assert code == 2 and "no document 1" in err


def test_list_on_an_empty_library_says_how_to_add() -> None:
    code, out, _ = _run("list")
    assert code == 0 and "atrocity-watch evidence add" in out


def test_help_is_written_for_analysts() -> None:
    code, out, _ = _run("--help")
    assert code == 0
    for command in (
        "suggest",
        "add",
        "list",
        "show",
        "search",
        "judge",
        "train",
        "evaluate",
        "delete",
    ):
        assert command in out
