"""The shared atomic writer: whole files or nothing, private when asked, existing permissions kept."""

from __future__ import annotations

import stat

import pytest

from relational.files import write_atomic


def test_writes_whole_file_and_makes_the_folder(tmp_path):
    target = tmp_path / "a" / "b" / "draft.md"
    write_atomic(target, "Siân stood up for her neighbours.\n")
    assert target.read_text(encoding="utf-8") == "Siân stood up for her neighbours.\n"
    assert [p.name for p in target.parent.iterdir()] == ["draft.md"]  # no temporary file left behind


def test_private_files_are_readable_by_their_owner_only(tmp_path):
    write_atomic(tmp_path / "mine.md", "x", private=True)
    assert stat.S_IMODE((tmp_path / "mine.md").stat().st_mode) == 0o600


def test_an_existing_file_keeps_its_permissions(tmp_path):
    target = tmp_path / "page.html"
    target.write_text("old")
    target.chmod(0o644)
    write_atomic(target, "new", private=True)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644 and target.read_text() == "new"


def test_excel_csv_gets_a_byte_order_mark(tmp_path):
    write_atomic(tmp_path / "x.csv", "who\nZoë\n", encoding="utf-8-sig")
    assert (tmp_path / "x.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "log.jsonl"
    target.write_text("kept\n")
    with pytest.raises(UnicodeEncodeError):
        write_atomic(target, "\udcff lone surrogate", encoding="utf-8")
    assert target.read_text() == "kept\n"
    assert [p.name for p in tmp_path.iterdir()] == ["log.jsonl"]
