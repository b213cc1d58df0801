"""Autograde every submission of an assignment, in parallel, without ever losing a grade.

How the gradebook stays safe
----------------------------
nbgrader keeps grades in one SQLite file, and SQLite lets one process write at a time. Running several
``nbgrader autograde --student X`` at once against that file works until two writes collide: nbgrader then
stops with "There was an error accessing the nbgrader database" and deletes that learner's autograded folder.
The slow part of autograding is running each notebook in a fresh kernel; the writes are a few quick updates.
So this module splits the two:

1. **Run in isolation, in parallel.** Each learner is autograded by nbgrader's own ``Autograde`` converter
   (sanitise, restore the locked cells, execute with the course's timeout, limit output, score) in a worker
   process, inside a private temporary course: a *copy* of the gradebook (taken once with SQLite's backup API,
   so it is consistent even while the formgrader is open) and a private ``autograded/`` folder. The learner's
   real ``submitted/`` folder and the real ``solutions/`` are read, never written. Workers never open the
   real gradebook, so they cannot lock it, corrupt it, or overwrite anything in it.
2. **Record one at a time.** The main process takes each finished learner in turn and runs nbgrader's
   ``Autograde`` again on the *executed* notebook with only its bookkeeping steps (``SaveAutoGrades``,
   ``AssignLatePenalties``; no kernel), pointed at the real gradebook. So every write to the real gradebook is
   made by nbgrader's own code, from a single process, exactly as plain ``nbgrader autograde`` would make it.
   ``SaveAutoGrades`` sets only ``auto_score`` (and flags cells a facilitator already marked for review);
   it never touches ``manual_score`` or a facilitator's comments, so manual grades survive any rerun.
   A write that meets a lock held by someone else (the formgrader) is retried with a back-off.

Why not one ``nbgrader autograde --student X`` command per learner, with retries on "database is locked"?
Measured on a two-core machine: one nbgrader command takes about 2.6 s just to start, and a learner of
assignment 1 takes about 1.2 s to grade. For 30 learners on two cores that is at least 30 x 2.6 / 2 = 39 s of
start-up alone, more than plain ``nbgrader autograde`` needed for the whole cohort (37.5 s). Here the two worker
processes start once, and recording a learner costs about 0.15 s. ``benchmarks/bench_autograde.py`` measured
37.5 s (plain) against 29.7 s (``--jobs 2``), 1.26x, with the same score for every learner, on a busy machine.

Every learner ends with an outcome in the status ledger (``autograded/.relational/status.json``): graded
(with notes such as a cell stopped by the timeout, a deleted answer cell, a missing notebook, output cut
short) or failed with a plain reason (a damaged .ipynb, no notebook at all, a kernel that died). A failed run
leaves the learner's earlier autograded work and grades as they were. Rerunning skips learners whose
submission has not changed since they were graded, unless ``force`` is given; either way it is safe.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
import shutil
import tempfile
import time
import warnings
from contextlib import contextmanager
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .course import Course, GradingError, now_iso

LOCK_RETRIES = 8


@dataclass(frozen=True)
class Job:
    """One learner's submission to autograde in a private temporary course."""

    root: str
    assignment: str
    learner: str
    snapshot: str
    workdir: str


@dataclass
class Outcome:
    """What happened to one learner's submission."""

    learner: str
    status: str  # graded | failed | skipped
    reason: str = ""
    notes: list[str] = field(default_factory=list)
    workdir: str = ""
    log: str = ""
    seconds: float = 0.0


@dataclass
class AutogradeSummary:
    """The result of one autograde run."""

    assignment: str
    outcomes: dict[str, Outcome]
    seconds: float

    def count(self, status: str) -> int:
        """How many learners ended with ``status``."""
        return sum(1 for o in self.outcomes.values() if o.status == status)

    def line(self) -> str:
        """The one-line summary printed at the end."""
        failed = {o.learner: o.reason for o in self.outcomes.values() if o.status == "failed"}
        noted = sorted(o.learner for o in self.outcomes.values() if o.status == "graded" and o.notes)
        text = (
            f"Autograded {self.assignment}: {self.count('graded')} graded"
            f" ({len(noted)} with notes), {len(failed)} failed, {self.count('skipped')} unchanged and skipped,"
            f" in {self.seconds:.0f} s."
        )
        if failed:
            text += " Failed: " + "; ".join(f"{k} ({v or 'no reason recorded'})" for k, v in sorted(failed.items())) + "."
        if noted:
            text += f" Notes for {', '.join(noted)}: see the reason column of grades.csv (run export)."
        return text


# ---------------------------------------------------------------------------------------------------------
# Worker side: runs in a separate process and touches only its own temporary course.

_COURSES: dict[str, Course] = {}


def _quiet_logger() -> logging.Logger:
    """A logger that keeps nbgrader's chatter out of the terminal (capture_log still records it)."""
    logger = logging.getLogger("relational.grading.nbgrader")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())
    return logger


def _init_worker() -> None:
    """Worker start-up: library deprecation warnings are not for facilitators."""
    warnings.filterwarnings("ignore")


@contextmanager
def _stderr_to(path: Path):
    """Send this process's stderr (and so the kernel's, which inherits it) to a file while nbgrader runs."""
    import sys

    sys.stderr.flush()
    saved = os.dup(2)
    with open(path, "ab") as target:
        os.dup2(target.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


def _course(root: str) -> Course:
    if root not in _COURSES:
        _COURSES[root] = Course.open(root)
    return _COURSES[root]


def fingerprint(folder: Path) -> str:
    """A hash of every file in a submission, so an unchanged submission is not graded twice."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode())
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def _check_notebooks(submission: Path) -> str:
    """A plain reason when the submission has no readable notebook, else an empty string."""
    import nbformat

    notebooks = sorted(submission.glob("*.ipynb"))
    if not notebooks:
        return "there is no notebook (.ipynb) in the submission folder"
    for path in notebooks:
        try:
            nbformat.read(str(path), as_version=4)
        except Exception as error:  # nbformat raises several kinds for damaged files
            kind = "not valid notebook JSON" if isinstance(error, ValueError) else type(error).__name__
            return (
                f"{path.name} is damaged ({kind}) and cannot be opened; "
                "ask the learner to download the notebook again and resubmit it"
            )
    return ""


def _reason_from_log(result: dict[str, Any]) -> str:
    """A facilitator-readable reason from nbgrader's captured log and traceback."""
    text = (result.get("log") or "") + "\n" + (result.get("error") or "")
    known = [
        ("UnresponsiveKernelError", "the notebook's kernel stopped responding (an endless loop eating memory?)"),
        ("kernel became unresponsive", "the notebook's kernel stopped responding (an endless loop eating memory?)"),
        ("DeadKernelError", "the notebook crashed its Python kernel"),
        ("Kernel died", "the notebook crashed its Python kernel"),
        ("No notebooks were matched", "there is no notebook (.ipynb) in the submission folder"),
        ("NotJSONError", "a notebook file is damaged and cannot be opened"),
        ("database is locked", "the gradebook was busy (locked by another program) for too long"),
        ("No assignment with ID", "the assignment is not in the gradebook"),
        ("MemoryError", "the notebook ran out of memory"),
    ]
    for needle, reason in known:
        if needle in text:
            return reason
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line for line in lines if "Error" in line or "ERROR" in line]
    return "nbgrader could not autograde it: " + (errors[-1] if errors else lines[-1] if lines else "unknown error")


def _notes(job: Job, autograded: Path) -> list[str]:
    """Things a facilitator should know about a graded submission (timeouts, deleted cells, cut output)."""
    import nbformat
    from nbgrader.api import Gradebook

    notes: list[str] = []
    submitted = _course(job.root).folder("submitted") / job.learner / job.assignment
    with Gradebook(f"sqlite:///{job.workdir}/gradebook.db") as gb:
        expected = {nb.name: nb for nb in gb.find_assignment(job.assignment).notebooks}
        for name, notebook in sorted(expected.items()):
            if not (submitted / f"{name}.ipynb").is_file():
                notes.append(f"{name}.ipynb was not submitted: nbgrader gave its questions zero")
                continue
            original = nbformat.read(str(submitted / f"{name}.ipynb"), as_version=4)
            present = {c.metadata.get("nbgrader", {}).get("grade_id") for c in original.cells}
            answers = {c.name for c in notebook.solution_cells}
            for cell in sorted(answers - present):
                notes.append(f"the learner deleted answer cell {cell} in {name}.ipynb, so its question scored zero")
            for cell in sorted({c.name for c in notebook.grade_cells} - answers - present):
                notes.append(f"the learner deleted test cell {cell} in {name}.ipynb; it needs a manual grade")
            executed_path = autograded / f"{name}.ipynb"
            if not executed_path.is_file():
                continue
            executed = nbformat.read(str(executed_path), as_version=4)
            for cell in executed.cells:
                meta = cell.metadata.get("nbgrader", {})
                grade_id = meta.get("grade_id", "?")
                for output in cell.get("outputs", []):
                    if output.get("output_type") == "error" and output.get("ename") == "CellTimeoutError":
                        notes.append(f"cell {grade_id} ran past the time limit and was stopped (an endless loop?)")
                    elif output.get("output_type") == "error" and meta.get("solution") and not meta.get("grade"):
                        # The learner's own answer cell failed, so its check found no answer and scored zero.
                        error = f"{output.get('ename', 'Error')}: {output.get('evalue', '')}".strip().rstrip(":")
                        notes.append(f"answer cell {grade_id} stopped with an error ({error[:120]}); "
                                     "its question scored zero")
                    text = output.get("text", "")
                    if isinstance(text, str) and text.endswith("... Output truncated ..."):
                        notes.append(f"cell {grade_id} printed too much output; it was cut short")
    return list(dict.fromkeys(notes))


def grade_in_isolation(job: Job) -> Outcome:
    """Autograde one learner with nbgrader in a private temporary course (runs in a worker process).

    Args:
        job: the learner, the assignment, and where the gradebook snapshot and private folder are.

    Returns:
        The outcome; a graded outcome's executed notebooks are in ``job.workdir``/autograded.
    """
    from nbgrader.converters import Autograde
    from nbgrader.utils import capture_log

    started = time.perf_counter()
    course = _course(job.root)
    work = Path(job.workdir)
    work.mkdir(parents=True, exist_ok=True)
    submission = course.folder("submitted") / job.learner / job.assignment
    outcome = Outcome(job.learner, "failed", workdir=str(work))
    try:
        problem = _check_notebooks(submission)
        if problem:
            outcome.reason = problem
            return outcome
        shutil.copyfile(job.snapshot, work / "gradebook.db")
        coursedir = course.coursedir(
            autograded_directory=str(work / "autograded"),
            db_url=f"sqlite:///{work / 'gradebook.db'}",
            assignment_id=job.assignment,
            student_id=job.learner,
        )
        app = Autograde(coursedir=coursedir, config=course.config, log=_quiet_logger())
        app.force = True
        app.create_student = True
        with _stderr_to(work / "stderr.log"):
            result = capture_log(app)
        outcome.log = result.get("log", "")
        graded = work / "autograded" / job.learner / job.assignment
        if not result.get("success") or not any(graded.glob("*.ipynb")):
            outcome.reason = _reason_from_log(result)
            return outcome
        outcome.status = "graded"
        outcome.notes = _notes(job, graded)
        return outcome
    except Exception as error:  # one learner's odd submission must never stop the cohort
        outcome.status = "failed"
        outcome.reason = f"autograding stopped with {type(error).__name__}: {error}"
        return outcome
    finally:
        outcome.seconds = time.perf_counter() - started


# ---------------------------------------------------------------------------------------------------------
# Main-process side: the only code that writes to the real gradebook and the real autograded/ folder.


def _record_app(course: Course, assignment: str, learner: str, executed_root: Path) -> Any:
    """nbgrader's Autograde reduced to its bookkeeping: read executed notebooks, write the real gradebook."""
    from nbgrader.converters import Autograde
    from nbgrader.converters.base import BaseConverter
    from nbgrader.preprocessors import AssignLatePenalties, SaveAutoGrades

    class RecordGrades(Autograde):
        """Autograde without a kernel: the notebooks were executed in isolation already."""

        @property
        def _input_directory(self) -> str:
            return self.coursedir.submitted_directory

        def convert_single_notebook(self, notebook_filename: str) -> None:
            self._sanitizing = False
            self._init_preprocessors()
            BaseConverter.convert_single_notebook(self, notebook_filename)

    coursedir = course.coursedir(
        submitted_directory=str(executed_root),
        db_url=_with_busy_timeout(course.db_url),
        assignment_id=assignment,
        student_id=learner,
    )
    app = RecordGrades(coursedir=coursedir, config=course.config, log=_quiet_logger())
    # Set after construction so that a course config listing Autograde's preprocessors cannot add Execute back.
    app.sanitize_preprocessors = []
    app.autograde_preprocessors = [SaveAutoGrades, AssignLatePenalties]
    app.force = True
    app.create_student = True
    return app


def _with_busy_timeout(db_url: str) -> str:
    """Ask SQLite to wait for a lock (30 s) instead of failing at once."""
    if db_url.startswith("sqlite:///") and "?" not in db_url:
        return db_url + "?timeout=30"
    return db_url


def _is_locked(result: dict[str, Any]) -> bool:
    text = (result.get("log") or "") + (result.get("error") or "")
    return "database is locked" in text or "error accessing the nbgrader database" in text


def record(course: Course, assignment: str, outcome: Outcome) -> Outcome:
    """Write one isolated result into the real gradebook and autograded/ folder (main process only)."""
    from nbgrader.utils import capture_log

    if outcome.status != "graded":
        _ensure_student(course, outcome.learner)
        return outcome
    executed_root = Path(outcome.workdir) / "autograded"
    for attempt in range(LOCK_RETRIES):
        app = _record_app(course, assignment, outcome.learner, executed_root)
        result = capture_log(app)
        if result.get("success"):
            return outcome
        if not _is_locked(result):
            break
        time.sleep(min(0.25 * 2**attempt, 5))
    outcome.status = "failed"
    outcome.reason = "the grades could not be saved: " + _reason_from_log(result)
    return outcome


def _ensure_student(course: Course, learner: str) -> None:
    """Make sure the gradebook lists a learner whose submission could not be graded (so nobody vanishes)."""
    from sqlalchemy.exc import OperationalError

    for attempt in range(LOCK_RETRIES):
        try:
            from nbgrader.api import Gradebook

            with Gradebook(_with_busy_timeout(course.db_url), course.course_id) as gb:
                gb.update_or_create_student(learner)
            return
        except OperationalError:
            time.sleep(min(0.25 * 2**attempt, 5))


def ensure_registered(course: Course, assignment: str) -> None:
    """Make sure the gradebook knows the assignment (its cells and points), as generate_assignment records them.

    A fresh gradebook (a new laptop, a new cohort) does not know the assignments yet. nbgrader's
    generate_assignment records them; it runs here with its output sent to a temporary folder, so the
    published exercises/ folder is never rewritten.
    """
    if assignment in course.gradebook_assignments():
        return
    if assignment not in course.source_assignments():
        raise GradingError(
            f"The gradebook does not know '{assignment}' and there is no {course.folder('source').name}/"
            f"{assignment} folder to read it from."
        )
    from nbgrader.converters import GenerateAssignment
    from nbgrader.utils import capture_log

    with tempfile.TemporaryDirectory(prefix="relational-register-") as tmp:
        coursedir = course.coursedir(release_directory=tmp, assignment_id=assignment)
        app = GenerateAssignment(coursedir=coursedir, config=course.config, log=_quiet_logger())
        app.force = True
        result = capture_log(app)
    if not result.get("success"):
        raise GradingError(
            f"Could not record '{assignment}' in the gradebook from {course.folder('source').name}/: "
            + _reason_from_log(result)
        )


def autograde(
    course: Course, assignment: str, jobs: int | None = None, force: bool = False, progress: bool = True
) -> AutogradeSummary:
    """Autograde every submission of ``assignment`` in parallel, keeping the gradebook safe.

    Args:
        course: the course.
        assignment: the assignment's name (its folder in solutions/ and submitted/<learner>/).
        jobs: worker processes (default: the number of cores).
        force: autograde again even learners whose submission has not changed since it was graded.
        progress: show a progress bar on stderr.

    Returns:
        The outcome for every learner with a submission.

    Raises:
        GradingError: for an unknown assignment or when nobody has submitted it.
    """
    from tqdm import tqdm

    started = time.perf_counter()
    course.check_assignment(assignment)
    learners = course.submitted_learners(assignment)
    if not learners:
        raise GradingError(
            f"Nobody has submitted '{assignment}' yet: there is no "
            f"{course.folder('submitted').name}/<learner>/{assignment}/ folder. Collect the submissions first."
        )
    ensure_registered(course, assignment)
    jobs = max(1, jobs or os.cpu_count() or 1)
    previous = course.read_status().get(assignment, {})
    outcomes: dict[str, Outcome] = {}
    prints: dict[str, str] = {}
    todo: list[str] = []
    for learner in learners:
        prints[learner] = fingerprint(course.folder("submitted") / learner / assignment)
        before = previous.get(learner, {})
        done = course.folder("autograded") / learner / assignment
        if not force and before.get("status") == "graded" and before.get("fingerprint") == prints[learner] and done.is_dir():
            outcomes[learner] = Outcome(learner, "skipped", notes=list(before.get("notes", [])))
        else:
            todo.append(learner)

    with tempfile.TemporaryDirectory(prefix="relational-autograde-") as tmp:
        snapshot = Path(tmp) / "snapshot.db"
        if todo:
            course.snapshot_gradebook(snapshot)
        made = [Job(str(course.root), assignment, learner, str(snapshot), str(Path(tmp) / f"learner{i}"))
                for i, learner in enumerate(todo)]
        bar = tqdm(total=len(todo), desc=f"Autograding {assignment}", unit="learner", disable=not progress or not todo)
        try:
            for outcome in _run(made, jobs):
                outcome = record(course, assignment, outcome)
                outcomes[outcome.learner] = outcome
                course.write_status(assignment, {outcome.learner: _ledger(outcome, prints[outcome.learner])})
                shutil.rmtree(outcome.workdir, ignore_errors=True)
                bar.update(1)
        finally:
            bar.close()
    return AutogradeSummary(assignment, dict(sorted(outcomes.items())), time.perf_counter() - started)


def _ledger(outcome: Outcome, print_: str) -> dict[str, Any]:
    return {
        "status": outcome.status,
        "reason": outcome.reason,
        "notes": outcome.notes,
        "fingerprint": print_,
        "time": now_iso(),
    }


def _run(jobs_list: list[Job], jobs: int):
    """Yield outcomes as workers finish them (in this process when one job is asked for)."""
    if not jobs_list:
        return
    if jobs == 1 or len(jobs_list) == 1:
        for job in jobs_list:
            yield grade_in_isolation(job)
        return
    # spawn: a fresh interpreter per worker, so no lock or thread of this process is inherited half-way.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(jobs, len(jobs_list)), mp_context=context,
                             initializer=_init_worker) as pool:
        futures = {pool.submit(grade_in_isolation, job): job for job in jobs_list}
        for future in as_completed(futures):
            job = futures[future]
            try:
                yield future.result()
            except Exception as error:  # a worker that died (out of memory) must not take the run with it
                yield Outcome(job.learner, "failed", reason=f"the worker process died ({type(error).__name__})",
                              workdir=job.workdir)


def outcome_json(summary: AutogradeSummary) -> str:
    """The outcomes as JSON (for scripts)."""
    return json.dumps({k: v.__dict__ for k, v in summary.outcomes.items()}, indent=1)
