"""The workshop store: the one module that reads and writes `workshop.sqlite` in a workshop folder.

Many people in a room write to one board at once, so every write is a short `BEGIN IMMEDIATE` transaction
in WAL mode with a busy timeout, and every entry carries a client-made UUID: a retried write with the same
id (or the same content) is recognised and never stored twice. A file that is not ours (another program's
SQLite database, a damaged file, a newer schema) is refused with a clear message and never written to.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import time
import unicodedata
import uuid
import warnings
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

FILENAME = "workshop.sqlite"
# "RLWS" (Relational WorkShop): marks the file as ours in the SQLite header (bytes 68-71).
APPLICATION_ID = 0x524C5753
SCHEMA_VERSION = 1
BUSY_TIMEOUT_SECONDS = 30.0

STORY_KINDS = ("self", "us", "now")
FAMILIES = ("self_direction", "stimulation", "hedonism", "achievement", "power",
            "security", "conformity", "tradition", "benevolence", "universalism")
MAX_NAME = 100
MAX_PLEDGE = 1_000
MAX_ANSWER = 4_000
MAX_STORY = 20_000

_SQLITE_MAGIC = b"SQLite format 3\x00"
_NETWORK_FILESYSTEMS = {"nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "fuse.sshfs", "afs", "ceph", "glusterfs",
                        "fuse.glusterfs", "lustre", "gpfs", "fuse.s3fs", "fuse.gcsfuse", "fuse.rclone"}

_SCHEMA = """
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE members (
    seq      INTEGER PRIMARY KEY,
    id       TEXT NOT NULL UNIQUE,
    name     TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE,
    created  TEXT NOT NULL
);
CREATE TABLE stories (
    seq         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    member_id   TEXT NOT NULL REFERENCES members(id),
    kind        TEXT NOT NULL CHECK (kind IN ('self', 'us', 'now')),
    share_text  INTEGER NOT NULL CHECK (share_text IN (0, 1)),
    text        TEXT CHECK ((share_text = 1) = (text IS NOT NULL)),
    values_json TEXT NOT NULL,
    fingerprint TEXT UNIQUE,
    created     TEXT NOT NULL
);
CREATE TABLE feedback (
    seq           INTEGER PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    round         INTEGER,
    teller_id     TEXT NOT NULL REFERENCES members(id),
    coach_id      TEXT NOT NULL REFERENCES members(id),
    timekeeper_id TEXT REFERENCES members(id),
    moved         TEXT NOT NULL,
    values_heard  TEXT NOT NULL,
    more_detail   TEXT NOT NULL,
    suggestion    TEXT NOT NULL,
    fingerprint   TEXT NOT NULL UNIQUE,
    created       TEXT NOT NULL
);
CREATE TABLE pledges (
    seq         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    member_id   TEXT NOT NULL REFERENCES members(id),
    text        TEXT NOT NULL,
    by_date     TEXT,
    fingerprint TEXT NOT NULL UNIQUE,
    created     TEXT NOT NULL
);
"""
_TABLES = {"meta", "members", "stories", "feedback", "pledges"}

# Upgrades from one schema version to the next, each run in one transaction: {from_version: sql}.
_MIGRATIONS: dict[int, str] = {}


# --- errors -----------------------------------------------------------------------------------------------

class StoreError(Exception):
    """A workshop board could not be opened or written; the message says why and what to do."""


class BoardMissingError(StoreError):
    """The folder, or the board in it, does not exist."""


class BoardDamagedError(StoreError):
    """The board file exists but is not a readable SQLite database, or fails its integrity check."""


class ForeignFileError(StoreError):
    """The board file is a SQLite database made by another program."""


class BoardTooNewError(StoreError):
    """The board was made by a newer version of the course tools."""


class BoardBusyError(StoreError):
    """Other writers held the board for longer than the busy timeout; nothing was saved."""


class InvalidEntryError(StoreError, ValueError):
    """An entry's fields are missing, too long or malformed."""


# --- entries ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ValueFound:
    """One value mention kept with a story (the coach's `values` item, without offsets)."""

    text: str
    family: str
    cue: str


@dataclass(frozen=True)
class Pledge:
    """A pledge on the board."""

    id: str
    who: str
    text: str
    by: str | None
    created: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Story:
    """A member's story; `text` is None when they chose to share only the values found."""

    id: str
    who: str
    kind: str
    shared: bool
    text: str | None
    values: tuple[ValueFound, ...]
    created: str

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["values"] = [asdict(v) for v in self.values]
        return data


@dataclass(frozen=True)
class Feedback:
    """A coaching feedback form, written by the coach for the teller."""

    id: str
    round: int | None
    teller: str
    coach: str
    timekeeper: str | None
    moved: str
    values_heard: str
    more_detail: str
    suggestion: str
    created: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Added:
    """The result of an add: the entry as stored, and whether this call stored it (False: it was already there)."""

    entry: Pledge | Story | Feedback
    new: bool = field(default=True)


# --- cleaning input ---------------------------------------------------------------------------------------

_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_name(name: Any) -> str:
    """A person's name, trimmed and with runs of spaces collapsed; raises InvalidEntryError if unusable."""
    if not isinstance(name, str):
        raise InvalidEntryError("A name must be text.")
    name = _SPACE.sub(" ", unicodedata.normalize("NFC", name)).strip()
    if not name:
        raise InvalidEntryError("A name is needed: who is this from?")
    if _CONTROL.search(name):
        raise InvalidEntryError("A name cannot contain control characters.")
    if len(name) > MAX_NAME:
        raise InvalidEntryError(f"A name can be at most {MAX_NAME} characters (this one has {len(name)}).")
    return name


def clean_text(text: Any, what: str, limit: int, required: bool = True) -> str:
    """Free text, trimmed, NFC-normalised, with line breaks kept; raises InvalidEntryError if unusable."""
    if text is None:
        text = ""
    if not isinstance(text, str):
        raise InvalidEntryError(f"The {what} must be text.")
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").strip()
    if required and not text:
        raise InvalidEntryError(f"The {what} is empty.")
    if _CONTROL.search(text):
        raise InvalidEntryError(f"The {what} contains control characters.")
    if len(text) > limit:
        raise InvalidEntryError(f"The {what} can be at most {limit:,} characters (this one has {len(text):,}).")
    return text


def parse_date(value: Any) -> str | None:
    """An ISO date (YYYY-MM-DD) from ISO or UK day/month/year text, or None for no date."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y"):
        try:
            return datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    raise InvalidEntryError(f"'{text}' is not a date I can read: use a date like 2026-06-30 or 30/06/2026.")


def _entry_id(value: str | None) -> str:
    if value is None:
        return str(uuid.uuid4())
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise InvalidEntryError(f"'{value}' is not a valid entry id (a UUID such as {uuid.uuid4()}).") from None


def _key(name: str) -> str:
    return name.casefold()


def _fingerprint(*parts: object) -> str:
    """Identifies the same content written twice (a double click, a resent form), whatever its id."""
    joined = "\x1f".join("" if p is None else _SPACE.sub(" ", str(p)).strip().casefold() for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def _clean_values(values: Iterable[Mapping[str, Any] | ValueFound] | None) -> tuple[ValueFound, ...]:
    found = []
    for item in values or ():
        data = asdict(item) if isinstance(item, ValueFound) else dict(item)
        try:
            value = ValueFound(str(data["text"]), str(data["family"]), str(data.get("cue") or data["text"]))
        except KeyError as missing:
            raise InvalidEntryError(f"A value found needs {missing}; got {data!r}.") from None
        if value.family not in FAMILIES:
            raise InvalidEntryError(f"'{value.family}' is not one of the ten value families: {', '.join(FAMILIES)}.")
        found.append(value)
    return tuple(found)


# --- checking a file before SQLite touches it --------------------------------------------------------------

def _check_header(path: Path) -> None:
    """Refuse, without opening it in SQLite, a file that is empty, not SQLite, or another program's database."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(100)
    except OSError as error:
        raise StoreError(f"The workshop board {path} could not be read: {error.strerror}.") from None
    if not header:
        raise BoardDamagedError(
            f"{path} is an empty file, not a workshop board. It has been left as it is. "
            "If nothing of value is in it, delete it and the board will be made again.")
    if not header.startswith(_SQLITE_MAGIC) or len(header) < 100:
        raise BoardDamagedError(
            f"{path} is damaged or is not a SQLite database, so it cannot be opened as a workshop board. "
            "It has been left exactly as it is. Restore it from a backup, or use a new workshop folder.")
    application_id = int.from_bytes(header[68:72], "big")
    if application_id != APPLICATION_ID:
        raise ForeignFileError(
            f"{path} is a SQLite database made by another program (application id {application_id:#010x}), "
            "not a workshop board. It has been left exactly as it is. "
            "Use a different workshop folder, or move that file away.")


def filesystem_type(path: Path) -> str | None:
    """The type of the filesystem holding path (Linux only; None elsewhere or if unknown)."""
    try:
        lines = Path("/proc/self/mountinfo").read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    target = str(path.resolve())
    best, best_type = "", None
    for line in lines:
        left, _, right = line.partition(" - ")
        fields = left.split()
        if len(fields) < 5 or not right:
            continue
        mount = fields[4].replace("\\040", " ")
        inside = target == mount or target.startswith(mount.rstrip("/") + "/")
        if inside and len(mount) >= len(best):
            best, best_type = mount, right.split()[0]
    return best_type


# --- the store ----------------------------------------------------------------------------------------------

class Store:
    """The board in one workshop folder: open it, add entries, list them.

    Args:
        folder: the workshop folder (it must exist).
        create: make `workshop.sqlite` if the folder has none (safe when many people open it at once).
        timeout: seconds to wait for other writers before giving up with BoardBusyError.
    """

    def __init__(self, folder: str | os.PathLike[str], *, create: bool = False,
                 timeout: float = BUSY_TIMEOUT_SECONDS) -> None:
        self.folder = Path(folder)
        self.path = self.folder / FILENAME
        self.timeout = timeout
        if not self.folder.is_dir():
            raise BoardMissingError(f"The workshop folder {self.folder} does not exist (or is not a folder).")
        if not self.path.exists():
            if not create:
                raise BoardMissingError(
                    f"There is no workshop board in {self.folder} yet (no {FILENAME}). "
                    "Add a first entry, or run: python -m relational.workshop init --board FOLDER")
            _create(self.path)
        fstype = filesystem_type(self.folder)
        if fstype in _NETWORK_FILESYSTEMS:
            warnings.warn(
                f"The workshop folder {self.folder} is on a network filesystem ({fstype}). SQLite's WAL mode "
                "is only safe when every writer runs on the same computer; on a JupyterHub, keep the folder "
                "on the server that all the group's notebooks run on.", RuntimeWarning, stacklevel=2)
        _check_header(self.path)
        self._conn = self._connect()
        try:
            self._check_and_migrate()
        except BaseException:
            self._conn.close()
            raise

    # -- opening --

    def _connect(self) -> sqlite3.Connection:
        try:
            # isolation_level=None: we issue BEGIN IMMEDIATE / COMMIT ourselves, so a transaction is exactly
            # as long as we say and the write lock is taken up front (no deadlock on upgrading a read lock).
            conn = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
            conn.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
            # FULL: a commit has reached the disk when add() returns, so a power cut loses nothing we reported.
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.DatabaseError as error:
            raise self._damaged(error) from None
        return conn

    def _damaged(self, error: Exception) -> BoardDamagedError:
        return BoardDamagedError(
            f"The workshop board {self.path} is damaged (SQLite says: {error}). It has not been changed. "
            "Restore it from a backup, or start a new workshop folder.")

    def _check_and_migrate(self) -> None:
        conn = self._conn
        try:
            application_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if application_id != APPLICATION_ID:
                raise ForeignFileError(f"{self.path} is not a workshop board (application id {application_id:#x}).")
            if version > SCHEMA_VERSION:
                raise BoardTooNewError(
                    f"The workshop board {self.path} was made by a newer version of the course tools "
                    f"(schema {version}; this version understands up to {SCHEMA_VERSION}). "
                    "Update the course package; the board has not been changed.")
            problems = [row[0] for row in conn.execute("PRAGMA quick_check")]
            if problems != ["ok"]:
                raise BoardDamagedError(
                    f"The workshop board {self.path} fails SQLite's integrity check ({problems[0]}). "
                    "It has not been changed. Restore it from a backup, or start a new workshop folder.")
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if version == SCHEMA_VERSION and not _TABLES <= tables:
                raise BoardDamagedError(
                    f"The workshop board {self.path} is missing its tables ({', '.join(sorted(_TABLES - tables))}). "
                    "It has not been changed.")
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        except sqlite3.DatabaseError as error:
            raise self._damaged(error) from None
        if version < SCHEMA_VERSION:
            self._migrate(version)
        if mode.lower() != "wal":
            # Ours, but reset by a copying tool: WAL is what lets readers and writers work at once.
            try:
                conn.execute("PRAGMA journal_mode = WAL")
            except sqlite3.OperationalError:
                pass  # another process holds it; it will be switched by the next opener

    def _migrate(self, version: int) -> None:
        while version < SCHEMA_VERSION:
            if version not in _MIGRATIONS:
                raise BoardDamagedError(f"The workshop board {self.path} has schema {version}, which cannot be upgraded.")
            with self._write() as conn:
                current = conn.execute("PRAGMA user_version").fetchone()[0]
                if current == version:  # another process may have upgraded it while we waited
                    for statement in _MIGRATIONS[version].split(";"):
                        if statement.strip():
                            conn.execute(statement)
                    conn.execute(f"PRAGMA user_version = {version + 1}")
            version += 1

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it is committed, or none of it and a clear error is raised."""
        conn = self._conn
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                break
            except sqlite3.OperationalError as error:
                # The busy handler already waited; a last short retry loop covers the rare case where SQLite
                # returns SQLITE_BUSY at once (e.g. while another connection recovers the WAL).
                if "locked" in str(error) or "busy" in str(error):
                    if time.monotonic() < deadline:
                        time.sleep(0.05)
                        continue
                    raise BoardBusyError(
                        f"The workshop board {self.path} was busy for {self.timeout:.0f} seconds, "
                        "so this entry was NOT saved. Please try again.") from None
                raise self._damaged(error) from None
            except sqlite3.DatabaseError as error:
                raise self._damaged(error) from None
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException as error:
            if conn.in_transaction:
                try:
                    conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass  # SQLite rolls back an unfinished transaction itself when the connection closes
            if isinstance(error, sqlite3.OperationalError) and ("locked" in str(error) or "busy" in str(error)):
                raise BoardBusyError(f"The workshop board {self.path} was busy, so this entry was NOT saved. "
                                     "Please try again.") from None
            if isinstance(error, sqlite3.IntegrityError):
                raise InvalidEntryError(f"The entry was refused by the board ({error}); nothing was saved.") from None
            if isinstance(error, sqlite3.DatabaseError):
                raise self._damaged(error) from None
            raise

    def _read(self, sql: str, params: tuple = ()) -> list[sqlite3.Row]:
        try:
            cursor = self._conn.execute(sql, params)
            cursor.row_factory = sqlite3.Row
            return cursor.fetchall()
        except sqlite3.DatabaseError as error:
            raise self._damaged(error) from None

    def close(self) -> None:
        """Close the connection (entries are already committed)."""
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- members --

    @staticmethod
    def _member(conn: sqlite3.Connection, name: str) -> str:
        """The member id for name, adding the member if new (the first spelling of a name is kept)."""
        conn.execute("INSERT INTO members (id, name, name_key, created) VALUES (?, ?, ?, ?) "
                     "ON CONFLICT (name_key) DO NOTHING", (str(uuid.uuid4()), name, _key(name), _now()))
        return conn.execute("SELECT id FROM members WHERE name_key = ?", (_key(name),)).fetchone()[0]

    def members(self) -> list[str]:
        """Everyone who has written to the board, in the order they first did."""
        return [row["name"] for row in self._read("SELECT name FROM members ORDER BY seq")]

    def _insert(self, table: str, people: dict[str, str | None], make_row: Any, fetch: Any) -> Added:
        """Insert a row unless its id or content is stored already; either way return the stored entry.

        people maps a role to a name; make_row turns the roles' member ids into the row. Members and the
        entry are written in one transaction, so a crash leaves both or neither.
        """
        with self._write() as conn:
            ids = {role: self._member(conn, name) if name else None for role, name in people.items()}
            row = make_row(ids)
            columns, marks = ", ".join(row), ", ".join("?" for _ in row)
            cursor = conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks}) ON CONFLICT DO NOTHING",
                                  tuple(row.values()))
            new = cursor.rowcount == 1
            if not new:
                same_id = conn.execute(f"SELECT fingerprint FROM {table} WHERE id = ?", (row["id"],)).fetchone()
                if same_id is not None and same_id[0] != row["fingerprint"]:
                    raise InvalidEntryError(f"Another entry already has the id {row['id']}; nothing was saved.")
        if new:
            return Added(fetch("t.id = ?", (row["id"],))[0], True)
        return Added(fetch("t.id = ? OR t.fingerprint = ?", (row["id"], row["fingerprint"]))[0], False)

    # -- pledges --

    def add_pledge(self, who: str, text: str, by: str | date | None = None, *, id: str | None = None) -> Added:
        """Add a pledge, once: a retry with the same id, or the same person, words and date, adds nothing.

        Args:
            who: the person pledging.
            text: what they will do.
            by: the date they will do it by (ISO or day/month/year), or None.
            id: a UUID made by the caller, so a retried write is recognised; made here if None.

        Returns:
            Added: the stored pledge, and whether this call stored it.
        """
        who, text = clean_name(who), clean_text(text, "pledge", MAX_PLEDGE)
        by_date, entry_id = parse_date(by), _entry_id(id)
        return self._insert("pledges", {"who": who}, lambda ids: {
            "id": entry_id, "member_id": ids["who"], "text": text, "by_date": by_date,
            "fingerprint": _fingerprint("pledge", _key(who), text, by_date), "created": _now()}, self._pledges)

    def _pledges(self, where: str = "1", params: tuple = ()) -> list[Pledge]:
        rows = self._read("SELECT t.id, m.name, t.text, t.by_date, t.created FROM pledges t "
                          f"JOIN members m ON m.id = t.member_id WHERE {where} ORDER BY t.seq", params)
        return [Pledge(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    def pledges(self) -> list[Pledge]:
        """Every pledge, oldest first."""
        return self._pledges()

    # -- stories --

    def add_story(self, who: str, text: str | None, values: Iterable[Mapping[str, Any] | ValueFound] = (),
                  *, kind: str = "self", share_text: bool = True, id: str | None = None) -> Added:
        """Add a story; with share_text=False only the values found are stored, never the text.

        Args:
            who: the storyteller.
            text: the story (or its key moments); may be None when share_text is False.
            values: the values found in it (the coach's `values` items: text, family, cue).
            kind: "self", "us" or "now".
            share_text: False keeps the text out of the board entirely (the member's opt-out).
            id: a UUID made by the caller, so a retried write is recognised; made here if None.

        Returns:
            Added: the stored story, and whether this call stored it.
        """
        who = clean_name(who)
        if kind not in STORY_KINDS:
            raise InvalidEntryError(f"A story's kind is one of {', '.join(STORY_KINDS)}, not '{kind}'.")
        found = _clean_values(values)
        entry_id = _entry_id(id)
        if share_text:
            text = clean_text(text, "story", MAX_STORY)
            fingerprint = _fingerprint("story", _key(who), kind, text)
        else:
            text = None
            # No content fingerprint: a hash of a private text could be matched against a guess of it.
            fingerprint = None
        values_json = json.dumps([asdict(v) for v in found], ensure_ascii=False)
        return self._insert("stories", {"who": who}, lambda ids: {
            "id": entry_id, "member_id": ids["who"], "kind": kind, "share_text": int(share_text), "text": text,
            "values_json": values_json, "fingerprint": fingerprint, "created": _now()}, self._stories)

    def _stories(self, where: str = "1", params: tuple = ()) -> list[Story]:
        rows = self._read("SELECT t.id, m.name, t.kind, t.share_text, t.text, t.values_json, t.created "
                          f"FROM stories t JOIN members m ON m.id = t.member_id WHERE {where} ORDER BY t.seq", params)
        return [Story(r[0], r[1], r[2], bool(r[3]), r[4],
                      tuple(ValueFound(**v) for v in json.loads(r[5])), r[6]) for r in rows]

    def stories(self) -> list[Story]:
        """Every story, oldest first."""
        return self._stories()

    # -- feedback forms --

    def add_feedback(self, teller: str, coach: str, *, moved: str = "", values_heard: str = "",
                     more_detail: str = "", suggestion: str = "", timekeeper: str | None = None,
                     round: int | None = None, id: str | None = None) -> Added:
        """Add a coaching feedback form (the coach's notes for the teller), once.

        Args:
            teller: who told the story.
            coach: who listened and writes this form.
            moved: what moved you.
            values_heard: what values you heard.
            more_detail: where you wanted more detail.
            suggestion: one suggestion.
            timekeeper: who kept time, if anyone.
            round: the coaching round number, if known.
            id: a UUID made by the caller, so a retried write is recognised; made here if None.

        Returns:
            Added: the stored form, and whether this call stored it.
        """
        teller, coach = clean_name(teller), clean_name(coach)
        keeper = clean_name(timekeeper) if timekeeper not in (None, "") else None
        answers = {name: clean_text(value, label, MAX_ANSWER, required=False) for name, value, label in (
            ("moved", moved, "answer to 'what moved you'"),
            ("values_heard", values_heard, "answer to 'what values you heard'"),
            ("more_detail", more_detail, "answer to 'where you wanted more detail'"),
            ("suggestion", suggestion, "suggestion"))}
        if not any(answers.values()):
            raise InvalidEntryError("The feedback form is empty: answer at least one of its four questions.")
        if round is not None:
            if isinstance(round, bool) or not isinstance(round, int) or not 1 <= round <= 100:
                raise InvalidEntryError(f"The round must be a whole number from 1 to 100, not {round!r}.")
        entry_id = _entry_id(id)
        people = {"teller": teller, "coach": coach, "timekeeper": keeper}
        return self._insert("feedback", people, lambda ids: {
            "id": entry_id, "round": round, "teller_id": ids["teller"], "coach_id": ids["coach"],
            "timekeeper_id": ids["timekeeper"], **answers,
            "fingerprint": _fingerprint("feedback", _key(teller), _key(coach), round, *answers.values()),
            "created": _now()}, self._feedback)

    def _feedback(self, where: str = "1", params: tuple = ()) -> list[Feedback]:
        rows = self._read(
            "SELECT t.id, t.round, te.name, co.name, tk.name, t.moved, t.values_heard, t.more_detail, "
            "t.suggestion, t.created FROM feedback t JOIN members te ON te.id = t.teller_id "
            "JOIN members co ON co.id = t.coach_id LEFT JOIN members tk ON tk.id = t.timekeeper_id "
            f"WHERE {where} ORDER BY t.seq", params)
        return [Feedback(*r) for r in rows]

    def feedback(self) -> list[Feedback]:
        """Every feedback form, oldest first."""
        return self._feedback()

    # -- upkeep --

    def integrity_check(self) -> list[str]:
        """SQLite's full integrity check: ["ok"] when the file is sound."""
        return [row[0] for row in self._read("PRAGMA integrity_check")]

    def counts(self) -> dict[str, int]:
        """How many members, stories, feedback forms and pledges the board holds."""
        return {table: self._read(f"SELECT count(*) FROM {table}")[0][0]
                for table in ("members", "stories", "feedback", "pledges")}


def _create(path: Path) -> None:
    """Make a new, empty board at path, atomically: another process never sees a half-made file.

    The board is built under a temporary name and hard-linked into place; if someone else's board got
    there first, theirs is kept and ours is thrown away, so nothing is ever overwritten.
    """
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            # application_id is set before WAL mode, so it is in the main file's header from the start and
            # _check_header can read it without SQLite.
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute("BEGIN")
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute("INSERT INTO meta (key, value) VALUES ('made_by', 'relational.workshop'), "
                         "('created', ?), ('schema_version', ?)", (_now(), str(SCHEMA_VERSION)))
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
            conn.execute("PRAGMA journal_mode = WAL")
        finally:
            conn.close()
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        except OSError:
            # Filesystems without hard links: a plain rename, guarded (a tiny race remains only there).
            if not path.exists():
                os.replace(tmp, path)
        _fsync_dir(path.parent)
    except sqlite3.Error as error:
        raise StoreError(f"A new workshop board could not be made in {path.parent}: {error}.") from None
    except PermissionError:
        raise StoreError(f"A new workshop board could not be made in {path.parent}: permission denied.") from None
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + "-wal"), tmp.with_name(tmp.name + "-shm"),
                         tmp.with_name(tmp.name + "-journal")):
            try:
                leftover.unlink()
            except FileNotFoundError:
                pass


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def open_board(folder: str | os.PathLike[str], *, create: bool = False) -> Store:
    """Open the board in a workshop folder (see Store)."""
    return Store(folder, create=create)
