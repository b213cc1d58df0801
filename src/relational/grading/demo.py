"""A practice cohort: fake submissions made from the released notebooks, for trying the commands and for tests.

Facilitators can rehearse a whole grading cycle on it before a real cohort; the tests and the benchmark use it
too. Every submission starts as a copy of the released exercise notebook, and answers are filled in from the
model answers in solutions/ (the lines between ``### BEGIN SOLUTION`` and ``### END SOLUTION``).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

import nbformat

from .course import CONFIG_NAME

# Written for these tests: a story of self with challenge, choice and outcome, and an abstract draft.
GOOD_PROSE = (
    "When I started in housing, a tenant called M. rang every week about damp in her flat. I was new, and I felt "
    "out of my depth. I could have logged it and closed the case, as we usually did. Instead I chose to visit her "
    "on a Thursday with the repairs officer, and I promised to ring her every Friday until the work was done. "
    "She said nobody had ever come back before. The damp was fixed in six weeks, and she now runs the tenants' "
    "coffee morning with me. It mattered to me because everyone deserves to be treated with dignity, and I "
    "learned that a kept promise builds more trust than any leaflet."
)
ABSTRACT_PROSE = (
    "I believe in fairness and respect. Relationships are important in public services. "
    "Good partnership working is essential and communities matter."
)
SCRIPT_PROSE = (
    "My manager and I meet every month <script>alert('gotcha')</script> and I felt stuck. "
    "I chose to ask her for help, and we kept our promise to meet again."
)

KINDS = ("complete", "partial", "blank", "raises", "deleted", "loop", "huge", "corrupted", "script")


def _is_answer(cell: nbformat.NotebookNode) -> bool:
    meta = cell.metadata.get("nbgrader", {})
    return bool(meta.get("solution")) and not meta.get("task")


def _model_answer(source_cell: nbformat.NotebookNode) -> str:
    """The release stub plus the model answer, without nbgrader's solution markers."""
    lines = [line for line in source_cell.source.splitlines() if "### BEGIN SOLUTION" not in line
             and "### END SOLUTION" not in line]
    return "\n".join(lines)


def _fill(release: nbformat.NotebookNode, source: nbformat.NotebookNode, prose: str,
          keep: Callable[[int], bool] = lambda i: True) -> nbformat.NotebookNode:
    """A copy of the released notebook with code answers from the model answers and ``prose`` as writing."""
    models = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in source.cells if _is_answer(c)}
    filled = nbformat.from_dict(release)
    code_index = 0
    for cell in filled.cells:
        if not _is_answer(cell):
            continue
        grade_id = cell.metadata["nbgrader"]["grade_id"]
        if cell.cell_type == "markdown":
            cell.source = prose
        elif grade_id in models:
            if keep(code_index):
                cell.source = _model_answer(models[grade_id])
            code_index += 1
    return filled


def _first_code_answer(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    return next(c for c in nb.cells if _is_answer(c) and c.cell_type == "code")


def make_submission(kind: str, release: nbformat.NotebookNode, source: nbformat.NotebookNode) -> str:
    """The text of a fake submitted notebook of the given kind (see KINDS)."""
    if kind == "blank":
        return nbformat.writes(release)
    if kind == "corrupted":
        # A download cut short: the file ends half-way through its JSON.
        text = nbformat.writes(release)
        return text[: len(text) // 3]
    if kind == "partial":
        nb = _fill(release, source, ABSTRACT_PROSE, keep=lambda i: i % 2 == 0)
        return nbformat.writes(nb)
    nb = _fill(release, source, SCRIPT_PROSE if kind == "script" else GOOD_PROSE)
    if kind == "raises":
        cell = _first_code_answer(nb)
        cell.source = "raise ValueError('I am not sure what to type here')\n" + cell.source
    elif kind == "deleted":
        nb.cells.remove(_first_code_answer(nb))
    elif kind == "loop":
        cell = _first_code_answer(nb)
        cell.source = "while True:\n    pass\n" + cell.source
    elif kind == "huge":
        cell = _first_code_answer(nb)
        cell.source = "for line in range(30000):\n    print('a very long story', line)\n" + cell.source
    return nbformat.writes(nb)


def make_course(dest: Path, project: Path, assignments: list[str], config_extra: str = "") -> Path:
    """A course folder at ``dest`` with the project's config, solutions and released exercises.

    Args:
        dest: the new course folder (created).
        project: the project folder holding nbgrader_config.py, solutions/ and exercises/.
        assignments: which assignments to copy.
        config_extra: lines appended to nbgrader_config.py (for example a short timeout for tests).

    Returns:
        ``dest``.
    """
    dest.mkdir(parents=True, exist_ok=True)
    config = (project / CONFIG_NAME).read_text(encoding="utf-8")
    (dest / CONFIG_NAME).write_text(config + "\n" + config_extra + "\n", encoding="utf-8")
    for assignment in assignments:
        shutil.copytree(project / "solutions" / assignment, dest / "solutions" / assignment)
        released = project / "exercises" / assignment
        if released.is_dir():
            shutil.copytree(released, dest / "exercises" / assignment)
        else:
            # Not released yet in the project: release it here with nbgrader, as the facilitator would.
            bindir = Path(sys.executable).parent
            subprocess.run([str(bindir / "nbgrader"), "generate_assignment", assignment, "--force"],
                           cwd=dest, check=True, capture_output=True,
                           env={"PATH": f"{bindir}:/usr/bin:/bin"})
    return dest


def make_cohort(course: Path, assignment: str, learners: dict[str, str]) -> None:
    """Write one fake submission per learner into ``course``/submitted/<learner>/<assignment>/.

    Args:
        course: a course folder made by make_course.
        assignment: the assignment to submit.
        learners: learner id -> kind (one of KINDS).
    """
    released = course / "exercises" / assignment
    for learner, kind in learners.items():
        folder = course / "submitted" / learner / assignment
        folder.mkdir(parents=True, exist_ok=True)
        for path in sorted(released.glob("*.ipynb")):
            release = nbformat.read(str(path), as_version=4)
            source = nbformat.read(str(course / "solutions" / assignment / path.name), as_version=4)
            (folder / path.name).write_text(make_submission(kind, release, source), encoding="utf-8")
        (folder / "timestamp.txt").write_text("2026-01-15 10:00:00.000000 UTC\n", encoding="utf-8")
