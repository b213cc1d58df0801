"""grades.csv: one row per learner and assignment, with the score, its parts, and the status or reason."""

from __future__ import annotations

import csv
import io
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .course import Course, GradingError, read_roster, write_atomic

COLUMNS = ["learner", "assignment", "score", "max_score", "autograded_score", "manual_score",
           "status", "reason", "timestamp"]

GRADED = "graded"
NEEDS_MARKING = "needs manual grading"
# nbgrader flags a mark for review when the submission is autograded again after it was marked (a resubmission,
# or autograde --force); the mark stays, and the flag clears when the facilitator saves it again.
NEEDS_REVIEW = "marked, needs review"
FAILED = "autograde failed"
WAITING = "submitted, not autograded yet"
MISSING = "not submitted"


@dataclass
class ExportSummary:
    """The result of one export."""

    path: Path
    rows: list[dict[str, Any]]
    seconds: float

    def line(self) -> str:
        """The one-line summary printed at the end."""
        learners = len({r["learner"] for r in self.rows})
        assignments = len({r["assignment"] for r in self.rows})
        missing = sum(1 for r in self.rows if r["status"] == MISSING)
        failed = sum(1 for r in self.rows if r["status"] == FAILED)
        def count(n: int, noun: str) -> str:
            return f"{n} {noun}" if n == 1 else f"{n} {noun}s"

        return (f"Exported {count(len(self.rows), 'row')} ({count(learners, 'learner')}, "
                f"{count(assignments, 'assignment')}; {missing} not submitted, {failed} failed autograding) "
                f"to {self.path} in {self.seconds:.1f} s.")


def _round(value: float | None) -> float | str:
    return "" if value is None else round(float(value), 2)


def grade_rows(course: Course, roster: str | None = None, assignments: list[str] | None = None,
               progress: bool = False) -> list[dict[str, Any]]:
    """One dict per learner and assignment (see COLUMNS), from the gradebook, submitted/ and the status ledger.

    Args:
        course: the course.
        roster: an optional roster CSV, so learners who never submitted anything are listed too.
        assignments: limit to these assignments (default: every assignment graded or submitted).
        progress: show a progress bar on stderr.

    Returns:
        Rows sorted by assignment, then learner.
    """
    from tqdm import tqdm

    status = course.read_status()
    gradebook: dict[tuple[str, str], dict[str, Any]] = {}
    max_scores: dict[str, float] = {}
    learners: set[str] = set(read_roster(roster)) if roster else set()
    if course.has_gradebook():
        with course.gradebook() as gb:
            learners |= {s.id for s in gb.students}
            for assignment in tqdm(gb.assignments, desc="Reading the gradebook", unit="assignment",
                                   disable=not progress):
                max_scores[assignment.name] = assignment.max_score
                manual_cells = {c.name for nb in assignment.notebooks for c in nb.solution_cells}
                for submission in assignment.submissions:
                    auto = manual = 0.0
                    marked = False
                    needs = review = False
                    for notebook in submission.notebooks:
                        for grade in notebook.grades:
                            if grade.needs_manual_grade:
                                if grade.manual_score is None:
                                    needs = True
                                else:
                                    review = True
                            if grade.name in manual_cells:
                                if grade.manual_score is not None:
                                    manual += grade.manual_score
                                    marked = True
                            else:
                                auto += grade.score or 0.0
                    gradebook[(assignment.name, submission.student.id)] = {
                        "score": submission.score,
                        "autograded_score": auto,
                        "manual_score": manual if marked else None,
                        "needs": needs,
                        "review": review,
                        "timestamp": submission.timestamp.isoformat(sep=" ") if submission.timestamp else "",
                    }
    names = set(max_scores) | set(course.submitted_assignments()) | set(status)
    if assignments is not None:
        names &= set(assignments)
    for name in names:
        learners |= set(course.submitted_learners(name)) | set(status.get(name, {}))
    rows = []
    for assignment in sorted(names):
        submitted = set(course.submitted_learners(assignment))
        for learner in sorted(learners):
            entry = gradebook.get((assignment, learner))
            ledger = status.get(assignment, {}).get(learner, {})
            row: dict[str, Any] = {c: "" for c in COLUMNS}
            row.update(learner=learner, assignment=assignment, max_score=_round(max_scores.get(assignment)))
            if entry:
                row.update(score=_round(entry["score"]), autograded_score=_round(entry["autograded_score"]),
                           manual_score=_round(entry["manual_score"]), timestamp=entry["timestamp"])
            if ledger.get("status") == "failed":
                row["status"] = FAILED
                row["reason"] = ledger.get("reason", "")
                if entry:
                    row["reason"] += "; the score is from an earlier submission"
            elif entry:
                row["status"] = NEEDS_MARKING if entry["needs"] else NEEDS_REVIEW if entry["review"] else GRADED
                row["reason"] = "; ".join(ledger.get("notes", []))
            elif learner in submitted:
                row["status"] = WAITING
                row["reason"] = f"run: python -m relational.grading autograde {assignment}"
            else:
                row["status"] = MISSING
            rows.append(row)
    return rows


def export(course: Course, output: str | None = None, roster: str | None = None,
           progress: bool = True) -> ExportSummary:
    """Write grades.csv for the whole course.

    Args:
        course: the course.
        output: where to write (default: grades.csv in the course folder).
        roster: an optional roster CSV of learner ids.
        progress: show a progress bar on stderr.

    Returns:
        Where it was written and the rows.
    """
    started = time.perf_counter()
    rows = grade_rows(course, roster=roster, progress=progress)
    if not rows:
        raise GradingError("There is nothing to export yet: no assignment has been graded or submitted.")
    path = Path(output) if output else course.root / "grades.csv"
    if not path.is_absolute():
        path = Path.cwd() / path
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    write_atomic(path, buffer.getvalue())
    return ExportSummary(path, rows, time.perf_counter() - started)
