"""Learners' written answers (manually graded markdown cells), their rubrics, and the coach's reading of them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

MOVES = ("challenge", "choice", "outcome")


@dataclass(frozen=True)
class RubricRow:
    """One criterion of a rubric table."""

    criterion: str
    points: str
    good: str


@dataclass(frozen=True)
class ProseAnswer:
    """One manually graded written answer in a learner's notebook."""

    notebook: str
    grade_id: str
    title: str
    text: str
    answered: bool
    rubric: tuple[RubricRow, ...]


def _meta(cell: Any) -> dict[str, Any]:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def is_prose(cell: Any) -> bool:
    """Whether a cell is a written answer the facilitator marks by hand."""
    meta = _meta(cell)
    return cell.get("cell_type") == "markdown" and bool(meta.get("grade")) and bool(meta.get("solution"))


def _is_rubric(cell: Any) -> bool:
    meta = _meta(cell)
    source = cell.get("source", "")
    return cell.get("cell_type") == "markdown" and (
        "rubric" in str(meta.get("grade_id", "")).lower() or bool(re.search(r"^\|\s*criteri", source, re.I | re.M))
    )


def parse_rubric(markdown: str) -> tuple[RubricRow, ...]:
    """The rows of the first markdown table in a rubric cell (criterion, points, what good looks like)."""
    rows: list[RubricRow] = []
    for line in markdown.splitlines():
        line = line.strip()
        if not line.startswith("|"):
            if rows:
                break
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        if not cells or set("".join(cells)) <= set("-: ") or cells[0].lower().startswith("criteri"):
            continue
        cells = [re.sub(r"\*\*(.*?)\*\*", r"\1", c) for c in cells] + ["", ""]
        rows.append(RubricRow(cells[0], cells[1], cells[2]))
    return tuple(rows)


def _title(cells: list[Any], index: int, grade_id: str) -> str:
    """The nearest heading above a cell (the question), else a readable form of its grade id."""
    for cell in reversed(cells[:index]):
        if cell.get("cell_type") != "markdown":
            continue
        headings = [h for h in re.findall(r"^#{1,4}\s+(.+)$", cell.get("source", ""), re.M)
                    if "rubric" not in h.lower()]
        if headings:
            return headings[-1].strip()
    return grade_id.replace("_", " ")


def prose_answers(path: Path, stubs: dict[str, str] | None = None) -> list[ProseAnswer]:
    """Every written answer in a notebook, with the rubric found above it.

    Args:
        path: a learner's notebook (submitted or autograded).
        stubs: grade id -> the released text of the cell, so an untouched cell counts as unanswered.

    Returns:
        The answers in notebook order.
    """
    nb = nbformat.read(str(path), as_version=4)
    stubs = stubs or {}
    answers = []
    for index, cell in enumerate(nb.cells):
        if not is_prose(cell):
            continue
        grade_id = _meta(cell).get("grade_id", f"cell{index}")
        rubric: tuple[RubricRow, ...] = ()
        for earlier in reversed(nb.cells[:index]):
            if is_prose(earlier):
                break
            if _is_rubric(earlier):
                rubric = parse_rubric(earlier.get("source", ""))
                break
        text = cell.get("source", "")
        answered = bool(text.strip()) and text.strip() != stubs.get(grade_id, "\0").strip()
        answers.append(ProseAnswer(path.stem, grade_id, _title(nb.cells, index, grade_id), text, answered, rubric))
    return answers


def kind_for(assignment: str, grade_id: str) -> str | None:
    """The story kind the coach should read an answer as (self, us, now), from the assignment and cell names."""
    words = set(re.split(r"[^a-z]+", f"{assignment} {grade_id}".lower()))
    for kind in ("self", "us", "now"):
        if kind in words:
            return kind
    return None


def release_stubs(course: Any, assignment: str) -> dict[str, str]:
    """grade id -> the text a written-answer cell had when released (from the gradebook)."""
    stubs: dict[str, str] = {}
    if not course.has_gradebook():
        return stubs
    from nbgrader.api import MissingEntry

    with course.gradebook() as gb:
        try:
            found = gb.find_assignment(assignment)
        except MissingEntry:
            return stubs
        for notebook in found.notebooks:
            for cell in notebook.source_cells:
                if cell.cell_type == "markdown":
                    stubs[cell.name] = cell.source or ""
    return stubs


def analyse_answer(answer: ProseAnswer, assignment: str) -> Any:
    """The coach's Feedback for one answer (the coach is imported only when needed)."""
    from relational.coach import analyse

    return analyse(answer.text if answer.answered else "", kind_for(assignment, answer.grade_id))


def missing_moves(feedback: Any) -> list[str]:
    """Which of challenge, choice and outcome no sentence of the answer makes."""
    made = {move for sentence in feedback.sentences for move in sentence.moves}
    return [move for move in MOVES if move not in made]
