"""The coach's command line: formats, batch mode and bad input (clear message, non-zero exit, no traceback)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DRAFT = "When I was nine I stood up for my neighbour. Fairness is important to me. Will you join us on Friday?"


def coach(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    env.pop("RELATIONAL_COACH_OVERRIDES", None)
    return subprocess.run([sys.executable, "-m", "relational.coach", *args], input=stdin, capture_output=True,
                          env=env, timeout=120)


def assert_clean_failure(result: subprocess.CompletedProcess[bytes], words: str) -> None:
    assert result.returncode != 0
    err = result.stderr.decode()
    assert words in err and "Traceback" not in err, err


def test_json_from_a_file(tmp_path):
    path = tmp_path / "draft.txt"
    path.write_text(DRAFT, encoding="utf-8")
    result = coach("--kind", "now", str(path))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["kind"] == "now" and data["call_to_action"]["present"]
    for v in data["values"]:
        assert DRAFT[v["start"]:v["end"]] == v["text"]


def test_text_and_html_from_stdin():
    text = coach("--format", "text", "-", stdin=DRAFT.encode())
    assert text.returncode == 0 and b"Values language" in text.stdout
    html = coach("--format", "html", stdin=b"<script>x</script> I was kind.")
    assert html.returncode == 0
    assert b"&lt;script&gt;" in html.stdout and b"<script>" not in html.stdout


def test_empty_input_is_valid_feedback():
    result = coach("-", stdin=b"")
    assert result.returncode == 0
    assert len(json.loads(result.stdout)["prompts"]) == 1


def test_utf8_bom_is_accepted():
    result = coach("-", stdin="\ufeffI was kind.".encode())
    data = json.loads(result.stdout)
    assert result.returncode == 0 and data["values"][0]["text"] == "kind" and data["values"][0]["start"] == 6


def test_invalid_utf8_is_a_clear_message(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("I was kind to my caf\u00e9 neighbour.".encode("latin-1"))
    assert_clean_failure(coach(str(path)), "not valid UTF-8")


def test_missing_file_and_folder():
    assert_clean_failure(coach("/no/such/draft.txt"), "no such file")
    assert_clean_failure(coach(str(ROOT)), "is a folder")


def test_too_long_is_refused(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text("I stood up for my neighbour. " * 80_000, encoding="utf-8")
    assert_clean_failure(coach(str(path)), "Paste one story at a time")


def test_bad_kind_is_a_usage_error():
    result = coach("--kind", "story", stdin=b"hello")
    assert result.returncode == 2 and b"Traceback" not in result.stderr


def test_jsonl_batch(tmp_path):
    path = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"id": "a1", "text": DRAFT, "kind": "now"}),
        "",
        json.dumps({"text": "We stood together on the picket line.", "kind": "us"}),
        json.dumps({"id": 7, "text": "😊 ok"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = coach("--jsonl", str(path))
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [o["id"] for o in out] == ["a1", 3, 7]
    assert out[0]["kind"] == "now" and out[1]["kind"] == "us"
    assert all({"values", "sentences", "call_to_action", "prompts"} <= set(o) for o in out)


def test_jsonl_bad_lines_get_an_error_result_and_a_message(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes(b'{"id": 1, "text": "I was kind."}\nnot json\n{"id": 3}\n{"id": 4, "text": "ok", "kind": "x"}\n'
                     b'{"id": 5, "text": "caf\xe9"}\n[1, 2]\n{"id": 7, "text": "We won."}\n')
    result = coach("--jsonl", str(path))
    assert result.returncode == 1
    out = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [o["id"] for o in out] == [1, 2, 3, 4, 5, 6, 7]
    assert [("error" in o) for o in out] == [False, True, True, True, True, True, False]
    err = result.stderr.decode()
    assert "line 2: not valid JSON" in err and "line 3" in err and "line 5: not valid UTF-8" in err
    assert "Traceback" not in err


def test_jsonl_from_stdin_and_format_rules():
    result = coach("--jsonl", "-", stdin=b'{"id": "x", "text": "I care."}\n')
    assert result.returncode == 0 and json.loads(result.stdout)["id"] == "x"
    assert_clean_failure(coach("--jsonl", "-", "--format", "html", stdin=b"{}"), "writes JSON lines")


def test_check_data_prints_sizes_per_family():
    result = coach("--check-data")
    assert result.returncode == 0
    assert b"benevolence:" in result.stdout and b"total values entries" in result.stdout


@pytest.mark.parametrize("payload", [b"\x00\x01\x02 I was kind \x7f", "\u202eI was kind\u202c".encode()])
def test_control_characters_on_the_command_line(payload):
    result = coach("--format", "text", stdin=payload)
    assert result.returncode == 0 and b"Traceback" not in result.stderr


def test_runs_from_any_working_directory(tmp_path):
    """The coach finds its data from the package, whatever folder the facilitator is in."""
    result = subprocess.run([sys.executable, "-m", "relational.coach", "--format", "json", "-"], cwd=tmp_path,
                            input="I stood up for her dignity.".encode(), capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr.decode()
    assert {v["text"] for v in json.loads(result.stdout)["values"]} >= {"dignity"}


def test_spacy_finds_our_components_by_name_through_entry_points(tmp_path):
    """A fresh process that never imports relational can still add our factories to a blank pipeline."""
    code = ("import spacy; nlp = spacy.blank('en'); nlp.add_pipe('coach_tokens'); nlp.add_pipe('values_marker'); "
            "print(nlp.pipe_names)")
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "values_marker" in result.stdout
