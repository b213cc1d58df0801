"""The workshop command line: add and list in JSON and CSV, export, rota, and clear errors without tracebacks."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from relational.workshop.__main__ import main

NASTY = "<script>alert('x')</script>"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "relational.workshop", *args], capture_output=True, text=True,
                          encoding="utf-8")


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_pledge_add_and_list_json_and_csv(tmp_path):
    """Through the real entry point: pledges come back as JSON objects and as CSV rows."""
    board = str(tmp_path)
    assert run("pledge", "add", "--board", board, "--who", "Siân", "--text", "I will ring 5 tenants",
               "--by", "30/06/2026").returncode == 0
    assert run("pledge", "add", "--board", board, "--who", NASTY, "--text", "=1+1 and more").returncode == 0
    listed = run("pledge", "list", "--board", board, "--format", "json")
    assert listed.returncode == 0
    data = json.loads(listed.stdout)
    assert [(d["who"], d["text"], d["by"]) for d in data] == [
        ("Siân", "I will ring 5 tenants", "2026-06-30"), (NASTY, "=1+1 and more", None)]
    assert all(d["created"] and d["id"] for d in data)
    rows = list(csv.DictReader(io.StringIO(run("pledge", "list", "--board", board, "--format", "csv").stdout)))
    assert [r["who"] for r in rows] == ["Siân", NASTY]
    assert rows[1]["text"] == "'=1+1 and more"  # a spreadsheet shows it as text, not a formula
    assert {"id", "who", "text", "by", "created"} <= set(rows[0])


def test_retry_with_same_id_adds_once(tmp_path, capsys):
    """A script that retries with --id never adds twice."""
    args = ["pledge", "add", "--board", str(tmp_path), "--who", "Ana", "--text", "I will ring 5 tenants",
            "--id", "8d0f2a4e-5b7c-4c1e-9a3d-2f6b8e1c0a97"]
    assert cli(capsys, *args)[1].startswith("Added pledge")
    assert cli(capsys, *args)[1].startswith("Already on the board")
    code, out, _ = cli(capsys, "pledge", "list", "--board", str(tmp_path), "--format", "json")
    assert len(json.loads(out)) == 1


def test_story_and_feedback_add_and_list(tmp_path, capsys):
    """Stories (values only, if asked) and feedback forms list as JSON and CSV."""
    board = str(tmp_path)
    code, out, err = cli(capsys, "story", "add", "--board", board, "--who", "Ana", "--values-only",
                         "--text", "I stood up for fairness when my nan was refused help.")
    assert code == 0, err
    code, out, _ = cli(capsys, "story", "list", "--board", board, "--format", "json")
    (story,) = json.loads(out)
    assert story["who"] == "Ana" and story["text"] is None and story["shared"] is False
    assert "universalism" in {v["family"] for v in story["values"]}
    assert cli(capsys, "feedback", "add", "--board", board, "--teller", "Ana", "--coach", NASTY, "--timekeeper",
               "Cy", "--round", "1", "--moved", "The phone call", "--values-heard", "fairness",
               "--more-detail", "What did your nan say?", "--suggestion", "Start in the kitchen")[0] == 0
    code, out, _ = cli(capsys, "feedback", "list", "--board", board, "--format", "csv")
    (form,) = list(csv.DictReader(io.StringIO(out)))
    assert (form["teller"], form["coach"], form["timekeeper"], form["round"]) == ("Ana", NASTY, "Cy", "1")
    assert form["more_detail"] == "What did your nan say?"
    code, out, _ = cli(capsys, "feedback", "list", "--board", board, "--format", "html")
    assert "<script>" not in out and "&lt;script&gt;" in out


def test_pledge_board_html_through_the_cli(tmp_path, capsys):
    """The board's HTML view escapes what people typed."""
    cli(capsys, "pledge", "add", "--board", str(tmp_path), "--who", NASTY, "--text", "<b>bold</b> pledge")
    code, out, _ = cli(capsys, "pledge", "list", "--board", str(tmp_path), "--format", "html", "--target", "5")
    assert code == 0 and "<script>" not in out and "<b>" not in out and "&lt;b&gt;bold&lt;/b&gt;" in out


def test_export_writes_csvs_for_the_facilitator(tmp_path, capsys):
    """export writes pledges, stories, feedback and the values matrix as CSV files Excel can open."""
    board, out = tmp_path / "board", tmp_path / "out"
    board.mkdir()
    cli(capsys, "pledge", "add", "--board", str(board), "--who", "Zoë", "--text", "I will ring 5 tenants")
    cli(capsys, "story", "add", "--board", str(board), "--who", "Zoë", "--text", "Fairness matters to me.")
    code, message, err = cli(capsys, "export", "--board", str(board), "--out", str(out))
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir()) == ["feedback.csv", "pledges.csv", "stories.csv",
                                                     "values_by_member.csv"]
    pledges = list(csv.DictReader(io.StringIO((out / "pledges.csv").read_text(encoding="utf-8-sig"))))
    assert pledges[0]["who"] == "Zoë"
    matrix = list(csv.DictReader(io.StringIO((out / "values_by_member.csv").read_text(encoding="utf-8-sig"))))
    assert matrix[0]["member"] == "Zoë" and int(matrix[0]["universalism"]) >= 1


def test_rota_from_a_names_file(tmp_path, capsys):
    """rota prints pairs as JSON with everyone in every round."""
    names = tmp_path / "names.txt"
    names.write_text("\n".join(f"P{i}" for i in range(9)), encoding="utf-8")
    code, out, _ = cli(capsys, "rota", "--names", str(names), "--format", "json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 9 * 5
    code, out, _ = cli(capsys, "rota", "--names", str(names), "--kind", "trios", "--format", "csv")
    assert code == 0 and out.startswith("session,group,turn,teller,coach,timekeeper")


@pytest.mark.parametrize("args, message", [
    (["pledge", "add", "--board", "{missing}", "--who", "A", "--text", "B"], "does not exist"),
    (["pledge", "add", "--board", "{board}", "--who", " ", "--text", "B"], "name is needed"),
    (["pledge", "add", "--board", "{board}", "--who", "A", "--text", "B", "--by", "soon"], "not a date"),
    (["pledge", "add", "--board", "{board}", "--who", "A", "--text", "B", "--id", "x"], "not a valid entry id"),
    (["pledge", "list", "--board", "{board}"], "no workshop board"),
    (["feedback", "add", "--board", "{board}", "--teller", "A", "--coach", "B"], "feedback form is empty"),
    (["story", "add", "--board", "{board}", "--who", "A"], "exactly one of --text or --file"),
    (["story", "add", "--board", "{board}", "--who", "A", "--file", "{missing}"], "Could not read"),
    (["rota", "--names", "{missing}"], "Could not read"),
])
def test_bad_input_is_a_message_not_a_traceback(tmp_path, capsys, args, message):
    """Each mistake gives one clear line on stderr and exit status 1."""
    args = [a.format(board=tmp_path, missing=tmp_path / "missing") for a in args]
    code, out, err = cli(capsys, *args)
    assert code == 1 and message in err and err.startswith("error: ") and "Traceback" not in err


def test_usage_mistakes_exit_2_without_traceback(tmp_path):
    """An unknown format or a missing option is argparse's usage message, exit 2."""
    result = run("pledge", "list", "--board", str(tmp_path), "--format", "xml")
    assert result.returncode == 2 and "invalid choice" in result.stderr and "Traceback" not in result.stderr
    result = run("pledge", "add", "--board", str(tmp_path), "--who", "A")
    assert result.returncode == 2 and "--text" in result.stderr


def test_init_makes_the_folder_but_other_commands_never_do(tmp_path, capsys):
    """init creates a missing workshop folder; a mistyped --board elsewhere is an error, not a stray folder."""
    code, out, err = cli(capsys, "init", "--board", str(tmp_path / "spring" / "workshop"))
    assert code == 0 and (tmp_path / "spring" / "workshop" / "workshop.sqlite").is_file()
    code, out, err = cli(capsys, "pledge", "add", "--board", str(tmp_path / "typo"), "--who", "Sam", "--text", "I will")
    assert code != 0 and "does not exist" in err and not (tmp_path / "typo").exists()
