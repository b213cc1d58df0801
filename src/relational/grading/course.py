"""The course folder: its nbgrader config, assignments, learners and gradebook."""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from relational.files import write_atomic  # noqa: F401  (report, export and feedback import it from here)

CONFIG_NAME = "nbgrader_config.py"
# The status ledger lives inside autograded/, which .gitignore keeps out of git with the grades themselves.
STATUS_DIR = ".relational"


class GradingError(Exception):
    """A problem the facilitator can fix; the command prints the message and exits non-zero."""


def ensure_tools_on_path() -> None:
    """Put this Python's bin folder first on PATH.

    nbgrader runs the ``alembic`` command when it creates a new gradebook; called as ``.venv/bin/python``
    without an activated environment, that command is not found and nbgrader leaves a half-made gradebook.
    """
    bindir = str(Path(sys.executable).parent)
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if bindir not in parts:
        os.environ["PATH"] = os.pathsep.join([bindir, *parts])


def find_course(start: str | os.PathLike[str] | None = None) -> Path:
    """The course folder: ``start`` (or the working folder) or the nearest parent holding nbgrader_config.py.

    Raises:
        GradingError: when no folder on the way up has an nbgrader_config.py.
    """
    here = Path(start or os.getcwd()).resolve()
    if start is not None and not here.is_dir():
        raise GradingError(f"The course folder {here} does not exist.")
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise GradingError(
        f"{here} is not a course folder: there is no {CONFIG_NAME} in it or above it. "
        "Run the command in the course folder, or give it with --course DIR."
    )


def load_config(root: Path) -> Any:
    """The course's nbgrader configuration (a traitlets Config), with the course root set."""
    from traitlets.config import Config
    from traitlets.config.loader import ConfigFileNotFound, PyFileConfigLoader

    try:
        config = PyFileConfigLoader(CONFIG_NAME, path=str(root)).load_config()
    except ConfigFileNotFound as error:
        raise GradingError(f"Could not read {root / CONFIG_NAME}: {error}") from None
    except Exception as error:  # a syntax error or a bad import in the facilitator's config
        raise GradingError(f"{root / CONFIG_NAME} has an error: {type(error).__name__}: {error}") from None
    merged = Config()
    merged.merge(config)
    merged.CourseDirectory.root = str(root)
    return merged


@dataclass(frozen=True)
class Course:
    """A course folder and the nbgrader settings read from it."""

    root: Path
    config: Any

    @classmethod
    def open(cls, start: str | os.PathLike[str] | None = None) -> "Course":
        """The course at ``start`` (or found from the working folder).

        Args:
            start: a folder in the course, or None for the working folder.

        Returns:
            The course, with its nbgrader config loaded.
        """
        ensure_tools_on_path()
        root = find_course(start)
        return cls(root, load_config(root))

    def coursedir(self, **overrides: Any) -> Any:
        """A fresh nbgrader CourseDirectory for this course, with attributes overridden."""
        from nbgrader.coursedir import CourseDirectory

        coursedir = CourseDirectory(config=self.config)
        coursedir.root = str(self.root)
        for name, value in overrides.items():
            setattr(coursedir, name, value)
        return coursedir

    def folder(self, kind: str) -> Path:
        """One of nbgrader's folders (source, release, submitted, autograded, feedback) as an absolute path."""
        name = getattr(self.coursedir(), f"{kind}_directory")
        return (self.root / name).resolve()

    @property
    def db_url(self) -> str:
        """The gradebook's database URL."""
        return self.coursedir().db_url

    @property
    def db_path(self) -> Path | None:
        """The gradebook file, when the gradebook is SQLite."""
        url = self.db_url
        if not url.startswith("sqlite:///"):
            return None
        return Path(url[len("sqlite:///"):].split("?", 1)[0])

    @property
    def course_id(self) -> str:
        """The course id that nbgrader stores in the gradebook."""
        return self.coursedir().course_id

    def gradebook(self) -> Any:
        """An open nbgrader Gradebook (use it as a context manager)."""
        from nbgrader.api import Gradebook

        return Gradebook(self.db_url, self.course_id)

    def source_assignments(self) -> list[str]:
        """Assignments with a folder of notebooks in the source folder (solutions/)."""
        source = self.folder("source")
        if not source.is_dir():
            return []
        return sorted(p.name for p in source.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))

    def gradebook_assignments(self) -> list[str]:
        """Assignments the gradebook knows, or none when there is no gradebook yet."""
        if not self.has_gradebook():
            return []
        with self.gradebook() as gb:
            return sorted(a.name for a in gb.assignments)

    def has_gradebook(self) -> bool:
        """Whether there is a gradebook to read (creating one just to read it would be a surprise)."""
        path = self.db_path
        return path is None or path.is_file()

    def submitted_learners(self, assignment: str) -> list[str]:
        """Learners with a folder for ``assignment`` in submitted/."""
        submitted = self.folder("submitted")
        if not submitted.is_dir():
            return []
        return sorted(p.name for p in submitted.iterdir() if (p / assignment).is_dir() and not p.name.startswith("."))

    def submitted_assignments(self) -> list[str]:
        """Every assignment anyone has submitted."""
        submitted = self.folder("submitted")
        if not submitted.is_dir():
            return []
        return sorted({a.name for p in submitted.iterdir() if p.is_dir() for a in p.iterdir() if a.is_dir()})

    def check_assignment(self, assignment: str) -> None:
        """Raise a clear error when ``assignment`` is not an assignment of this course."""
        known = set(self.source_assignments()) | set(self.gradebook_assignments())
        if assignment not in known:
            listing = ", ".join(sorted(known)) or "none yet"
            raise GradingError(
                f"There is no assignment called '{assignment}' in this course. Known assignments: {listing}."
            )

    def snapshot_gradebook(self, dest: Path) -> None:
        """Copy the gradebook to ``dest`` consistently, even while someone else is writing to it."""
        path = self.db_path
        if path is None:
            raise GradingError("Parallel autograding needs an SQLite gradebook; use --jobs 1 with other databases.")
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as source, sqlite3.connect(dest) as target:
            source.backup(target)

    # The status ledger: why a learner has no grade (or what to look at), kept next to the autograded work.
    def status_path(self) -> Path:
        """Where the per-learner autograding outcomes are kept."""
        return self.folder("autograded") / STATUS_DIR / "status.json"

    def read_status(self) -> dict[str, dict[str, dict[str, Any]]]:
        """Autograding outcomes: assignment -> learner -> {status, reason, notes, fingerprint, time}."""
        path = self.status_path()
        if not path.is_file():
            return {}
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def write_status(self, assignment: str, outcomes: dict[str, dict[str, Any]]) -> None:
        """Merge ``outcomes`` for ``assignment`` into the ledger (atomically: a crash leaves the old file)."""
        status = self.read_status()
        status.setdefault(assignment, {}).update(outcomes)
        write_atomic(self.status_path(), json.dumps(status, indent=1, sort_keys=True))


def read_roster(path: str | os.PathLike[str]) -> list[str]:
    """Learner ids from a roster CSV: a column named learner, student_id, id or username, else the first column.

    Raises:
        GradingError: when the file is missing or has no learners.
    """
    roster = Path(path)
    if not roster.is_file():
        raise GradingError(f"The roster file {roster} does not exist.")
    with roster.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    if not rows:
        raise GradingError(f"The roster file {roster} is empty.")
    header = [h.strip().lower() for h in rows[0]]
    for name in ("learner", "student_id", "student", "id", "username"):
        if name in header:
            column = header.index(name)
            body = rows[1:]
            break
    else:
        column, body = 0, rows
    learners = sorted({row[column].strip() for row in body if len(row) > column and row[column].strip()})
    if not learners:
        raise GradingError(f"The roster file {roster} has no learner ids.")
    return learners


def now_iso() -> str:
    """The time now, in UTC, to the second."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def iter_notebooks(folder: Path) -> Iterator[Path]:
    """The notebooks directly in ``folder``, by name."""
    yield from sorted(folder.glob("*.ipynb"))
