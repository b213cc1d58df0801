"""The workshop store: duplicate-safe writes, concurrent writers, a killed writer, and files that are not ours."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

from relational.workshop.store import (
    APPLICATION_ID, FILENAME, BoardBusyError, BoardDamagedError, BoardMissingError, BoardTooNewError,
    ForeignFileError, InvalidEntryError, Store,
)

WRITERS = 8
PER_WRITER = 200


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def siblings(path: Path) -> set[str]:
    return {p.name for p in path.parent.iterdir()}


# --- basic behaviour -----------------------------------------------------------------------------------------

def test_new_board_is_marked_as_ours(tmp_path):
    """A new board carries our application id and schema version, in WAL mode."""
    with Store(tmp_path, create=True) as store:
        assert store.integrity_check() == ["ok"]
    header = (tmp_path / FILENAME).read_bytes()[:100]
    assert int.from_bytes(header[68:72], "big") == APPLICATION_ID
    conn = sqlite3.connect(tmp_path / FILENAME)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()


def test_missing_folder_or_board_is_a_clear_error(tmp_path):
    """Listing never creates a board, and a folder that does not exist is named in the error."""
    with pytest.raises(BoardMissingError, match="does not exist"):
        Store(tmp_path / "nowhere", create=True)
    with pytest.raises(BoardMissingError, match="no workshop board"):
        Store(tmp_path)
    assert not (tmp_path / FILENAME).exists()


def test_retried_write_is_stored_once(tmp_path):
    """The same id twice, or the same person, words and date twice, stores one pledge."""
    with Store(tmp_path, create=True) as store:
        entry_id = str(uuid.uuid4())
        first = store.add_pledge("Ana", "I will call three residents by Friday", "30/06/2026", id=entry_id)
        again = store.add_pledge("Ana", "I will call three residents by Friday", "30/06/2026", id=entry_id)
        double_click = store.add_pledge(" ana ", "I will call  three residents by Friday", "2026-06-30")
        assert first.new and not again.new and not double_click.new
        assert again.entry == first.entry == double_click.entry
        assert len(store.pledges()) == 1
        with pytest.raises(InvalidEntryError, match="already has the id"):
            store.add_pledge("Bo", "Something else entirely", id=entry_id)
        assert len(store.pledges()) == 1


def test_bad_entries_are_refused_with_reasons(tmp_path):
    """Empty names, empty texts, unreadable dates and bad ids are refused before anything is written."""
    with Store(tmp_path, create=True) as store:
        for kwargs, message in [
            ({"who": "  ", "text": "x"}, "name is needed"),
            ({"who": "Ana", "text": ""}, "empty"),
            ({"who": "Ana", "text": "x", "by": "next week"}, "not a date"),
            ({"who": "Ana", "text": "x", "id": "not-a-uuid"}, "not a valid entry id"),
            ({"who": "A" * 101, "text": "x"}, "at most 100"),
        ]:
            with pytest.raises(InvalidEntryError, match=message):
                store.add_pledge(**kwargs)
        with pytest.raises(InvalidEntryError, match="empty"):
            store.add_feedback("Ana", "Bo")
        with pytest.raises(InvalidEntryError, match="value families"):
            store.add_story("Ana", "text", [{"text": "x", "family": "kindness", "cue": "x"}])
        assert store.counts() == {"members": 0, "stories": 0, "feedback": 0, "pledges": 0}


def test_opted_out_story_text_never_reaches_the_file(tmp_path):
    """With share_text=False only the values are stored; the text is in neither the database nor its WAL."""
    secret = "When my brother Tomasz lost his flat in Whitley I learned what dignity means"
    with Store(tmp_path, create=True) as store:
        added = store.add_story("Ana", secret, [{"text": "dignity", "family": "universalism", "cue": "dignity"}],
                                share_text=False)
        assert added.entry.text is None and not added.entry.shared
        assert [v.family for v in added.entry.values] == ["universalism"]
        raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith(FILENAME))
    assert b"Tomasz" not in raw and b"Whitley" not in raw


def test_feedback_form_keeps_the_protocol(tmp_path):
    """A feedback form stores the four questions and the three roles."""
    with Store(tmp_path, create=True) as store:
        form = store.add_feedback("Ana", "Bo", timekeeper="Cy", round=2, moved="Your nan's kitchen",
                                  values_heard="dignity", more_detail="What did you say to her?",
                                  suggestion="Start with the moment").entry
        assert (form.teller, form.coach, form.timekeeper, form.round) == ("Ana", "Bo", "Cy", 2)
        assert store.feedback() == [form]
        assert store.members() == ["Ana", "Bo", "Cy"]


def test_busy_board_says_nothing_was_saved(tmp_path):
    """A writer that cannot get the lock in time is told clearly, and nothing half-written is left."""
    Store(tmp_path, create=True).close()
    blocker = sqlite3.connect(tmp_path / FILENAME, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with Store(tmp_path, timeout=0.3) as store:
            with pytest.raises(BoardBusyError, match="NOT saved"):
                store.add_pledge("Ana", "I will ring the housing team on Monday")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    with Store(tmp_path) as store:
        assert store.counts()["pledges"] == 0 and store.counts()["members"] == 0
        store.add_pledge("Ana", "I will ring the housing team on Monday")
        assert len(store.pledges()) == 1


# --- many writers at once ---------------------------------------------------------------------------------------

def _writer(folder: str, writer: int, start) -> None:
    start.wait()
    store = Store(folder, create=True)  # all eight race to create the board, too
    for i in range(PER_WRITER):
        entry_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"writer-{writer}-pledge-{i}"))
        store.add_pledge(f"Writer {writer}", f"Pledge {i} from writer {writer}", id=entry_id)
        if i % 50 == 0:  # a client that retries after a timeout: the same id again must add nothing
            assert not store.add_pledge(f"Writer {writer}", f"Pledge {i} from writer {writer}", id=entry_id).new
    store.close()


def test_eight_processes_add_1600_pledges_at_once(tmp_path):
    """8 separate processes each add 200 pledges at the same moment; exactly 1,600 distinct pledges result."""
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    processes = [context.Process(target=_writer, args=(str(tmp_path), w, start)) for w in range(WRITERS)]
    for process in processes:
        process.start()
    time.sleep(0.5)  # let the interpreters start, so the writes really overlap
    start.set()
    for process in processes:
        process.join(timeout=120)
    assert [p.exitcode for p in processes] == [0] * WRITERS
    with Store(tmp_path) as store:
        pledges = store.pledges()
        assert store.integrity_check() == ["ok"]
    assert len(pledges) == WRITERS * PER_WRITER
    assert len({p.id for p in pledges}) == WRITERS * PER_WRITER
    assert len({(p.who, p.text) for p in pledges}) == WRITERS * PER_WRITER
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # no creation leftovers


def test_concurrent_cli_writers(tmp_path):
    """The command line, run by four processes at once, loses and duplicates nothing."""
    script = textwrap.dedent(f"""
        import subprocess, sys
        w = sys.argv[1]
        for i in range(3):
            subprocess.run([sys.executable, "-m", "relational.workshop", "pledge", "add", "--board", {str(tmp_path)!r},
                            "--who", "CLI " + w, "--text", f"CLI pledge {{i}}"], check=True, capture_output=True)
    """)
    runs = [subprocess.Popen([sys.executable, "-c", script, str(w)]) for w in range(4)]
    assert [r.wait(timeout=120) for r in runs] == [0] * 4
    with Store(tmp_path) as store:
        assert len({(p.who, p.text) for p in store.pledges()}) == len(store.pledges()) == 12


# --- a writer killed mid-run ---------------------------------------------------------------------------------

KILLED_WRITER = textwrap.dedent("""
    import sys
    from relational.workshop.store import Store
    store = Store(sys.argv[1], create=True)
    i = 0
    while True:
        added = store.add_pledge("Killed writer", f"Pledge number {i}")
        print(added.entry.id, flush=True)  # printed only after the commit returned
        i += 1
""")


@pytest.mark.parametrize("kill_after", [100, 500])
def test_killed_writer_leaves_an_intact_board(tmp_path, kill_after):
    """SIGKILL a writer mid-run: the board opens, passes integrity_check, keeps every commit, and takes more."""
    writer = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(tmp_path)], stdout=subprocess.PIPE,
                              text=True)
    committed = []
    for line in writer.stdout:
        committed.append(line.strip())
        if len(committed) >= kill_after:
            break
    os.kill(writer.pid, signal.SIGKILL)
    committed += [line.strip() for line in writer.stdout]  # anything printed before the kill landed
    writer.wait()
    assert writer.returncode == -signal.SIGKILL
    with Store(tmp_path) as store:
        assert store.integrity_check() == ["ok"]
        stored = {p.id for p in store.pledges()}
        assert set(committed) <= stored
        assert len(stored) in (len(committed), len(committed) + 1)  # at most one commit not yet printed
        assert store.add_pledge("After the crash", "I will keep going").new
        assert len(store.pledges()) == len(stored) + 1


# --- files that are not ours ---------------------------------------------------------------------------------

def _board_with_entries(folder: Path, n: int = 120) -> Path:
    with Store(folder, create=True) as store:
        for i in range(n):
            store.add_pledge(f"Person {i % 20}", f"Pledge {i}: I will speak to {i} neighbours about the park")
    path = folder / FILENAME
    assert path.stat().st_size >= 4096 * 4  # enough pages that trashing two of them hits real data
    return path


def _foreign(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('shopping list')")
    conn.commit()
    conn.close()


def _garbage(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 256)


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _damaged_pages(path: Path) -> None:
    _board_with_entries(path.parent)
    data = bytearray(path.read_bytes())
    data[4096 + 100:4096 * 3] = b"\xde\xad\xbe\xef" * ((4096 * 2 - 100) // 4)  # header fine, pages trashed
    path.write_bytes(bytes(data))


def _truncated(path: Path) -> None:
    _board_with_entries(path.parent)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _too_new(path: Path) -> None:
    _board_with_entries(path.parent, 3)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()


@pytest.mark.parametrize("make, error, message", [
    (_foreign, ForeignFileError, "another program"),
    (_garbage, BoardDamagedError, "not a SQLite database"),
    (_empty, BoardDamagedError, "empty file"),
    (_damaged_pages, BoardDamagedError, "damaged|integrity"),
    (_truncated, BoardDamagedError, "damaged|integrity"),
    (_too_new, BoardTooNewError, "newer version"),
], ids=["foreign", "garbage", "empty", "damaged-pages", "truncated", "too-new"])
def test_files_that_are_not_a_sound_board_are_refused_and_left_alone(tmp_path, make, error, message):
    """Opening (even with create=True) and writing give a clear error; the file is byte-for-byte unchanged."""
    path = tmp_path / FILENAME
    make(path)
    before, names = digest(path), siblings(path)
    with pytest.raises(error, match=message):
        with Store(tmp_path, create=True) as store:
            store.add_pledge("Ana", "I will not be written")
    assert digest(path) == before
    assert siblings(path) - names <= {FILENAME + "-wal", FILENAME + "-shm"} and siblings(path) >= names
    result = subprocess.run([sys.executable, "-m", "relational.workshop", "pledge", "add", "--board", str(tmp_path),
                             "--who", "Ana", "--text", "x"], capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr
    assert digest(path) == before
