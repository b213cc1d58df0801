"""Feedback pages: nbgrader's feedback HTML, hidden tests cleared, plus the coach's notes on each written answer."""

from __future__ import annotations

import html
import re
import time
from dataclasses import dataclass, field
from typing import Any

from .course import Course, GradingError, write_atomic
from .hidden import HIDDEN_BEGIN, HIDDEN_END
from .prose import ProseAnswer, analyse_answer, prose_answers, release_stubs

SECTION_ID = "relational-written-feedback"

# nbgrader's feedback template (Bootstrap 3) sets the root font size to 10 px, so 1rem is 10 px there. Sizes
# are in px so the section reads at 18 px whatever the page around it does; the coach's notes (.rc-feedback,
# which sizes itself in rem for the book) are brought up to the same size. Text is #1a1a1a on white (17:1).
SECTION_STYLE = """
#relational-written-feedback { font-size: 18px; line-height: 1.6; color: #1a1a1a; background: #ffffff;
  margin: 16px 0 32px; }
#relational-written-feedback p, #relational-written-feedback td, #relational-written-feedback th,
#relational-written-feedback caption, #relational-written-feedback .rc-feedback { font-size: 18px; line-height: 1.6; }
#relational-written-feedback h2 { font-size: 27px; line-height: 1.3; margin: 8px 0 12px; }
#relational-written-feedback h3 { font-size: 22px; line-height: 1.3; margin: 28px 0 8px; }
#relational-written-feedback caption { text-align: left; font-weight: 700; color: #1a1a1a; }
#relational-written-feedback .rw-comment { white-space: pre-wrap; border-left: 4px solid #0b5394; padding: 0.4em 0.8em;
  background: #f3f7fb; }
#relational-written-feedback table.rw-rubric { border-collapse: collapse; margin: 0.4em 0; }
#relational-written-feedback table.rw-rubric th, #relational-written-feedback table.rw-rubric td {
  border: 1px solid #767676; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
"""


@dataclass
class FeedbackSummary:
    """The result of one feedback run."""

    assignment: str
    written: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)  # learner -> why there is no page
    unmarked: int = 0  # written answers on the pages that still wait for a facilitator's mark
    seconds: float = 0.0

    def line(self) -> str:
        """The one-line summary printed at the end."""
        pages = "1 learner's page" if len(self.written) == 1 else f"{len(self.written)} learners' pages"
        text = (f"Feedback for {self.assignment}: {pages} written to feedback/, {len(self.failed)} failed, "
                f"{len(self.skipped)} with no page, in {self.seconds:.0f} s.")
        if self.failed:
            text += " Failed: " + "; ".join(f"{k} ({v})" for k, v in sorted(self.failed.items())) + "."
        if self.skipped:
            text += " No page for: " + "; ".join(f"{k} ({v})" for k, v in sorted(self.skipped.items())) + "."
        if self.unmarked:
            answers = "1 written answer is" if self.unmarked == 1 else f"{self.unmarked} written answers are"
            text += (f" {answers} not marked yet: mark them in the formgrader, then run feedback again.")
        return text


def _esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _escape_preprocessors() -> tuple[type, type]:
    """Preprocessors that HTML-escape what learners (and graders) typed before nbgrader's template renders it.

    nbgrader's feedback template renders markdown cells and grader comments with ``markdown2html`` and does not
    sanitise them (nbconvert's ``sanitize_html`` only reaches outputs there), so a ``<script>`` typed into a
    written answer would run in the learner's feedback page. Escaping ``<``, ``>`` and ``&`` keeps markdown
    formatting (bold, lists) and shows any HTML as text. Locked cells came from solutions/ and are left alone.
    """
    from nbgrader.preprocessors import NbGraderPreprocessor

    class EscapeLearnerMarkdown(NbGraderPreprocessor):
        """Escape HTML in every markdown cell a learner could have typed in."""

        def preprocess_cell(self, cell, resources, index):
            if cell.cell_type == "markdown" and not cell.metadata.get("nbgrader", {}).get("locked"):
                cell.source = html.escape(cell.source, quote=False)
            return cell, resources

    class EscapeComments(NbGraderPreprocessor):
        """Escape HTML in graders' comments (they may quote the learner)."""

        def preprocess_cell(self, cell, resources, index):
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("comment"):
                meta["comment"] = html.escape(str(meta["comment"]), quote=False)
            return cell, resources

    return EscapeLearnerMarkdown, EscapeComments


def hidden_lines(course: Course, assignment: str) -> list[str]:
    """Every non-trivial line of hidden test code in the assignment's source notebooks."""
    import nbformat

    lines: list[str] = []
    for path in sorted((course.folder("source") / assignment).glob("*.ipynb")):
        nb = nbformat.read(str(path), as_version=4)
        for cell in nb.cells:
            inside = False
            for line in cell.source.splitlines():
                if HIDDEN_BEGIN in line:
                    inside = True
                elif HIDDEN_END in line:
                    inside = False
                elif inside and len(line.strip()) >= 12:
                    lines.append(line.strip())
    return lines


def _visible_text(page: str) -> str:
    """A page's text as a reader sees it: tags (such as colour spans inside a traceback) gone, entities decoded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", page)).split())


def leaks(page: str, hidden: list[str]) -> list[str]:
    """Hidden test lines that a reader of the page could see."""
    text = _visible_text(page)
    return [line for line in hidden if " ".join(line.split()) in text]


def _run_nbgrader(course: Course, assignment: str, learner: str) -> dict[str, Any]:
    """nbgrader's generate_feedback for one learner, with hidden tests cleared and learner HTML sanitised."""
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.converters import GenerateFeedback
    from nbgrader.preprocessors import ClearHiddenTests, GetGrades
    from nbgrader.utils import capture_log
    from traitlets.config import Config

    from .autograde import _quiet_logger
    from .hidden import HideHiddenTestOutput

    config = Config()
    config.merge(course.config)
    # Learners' markdown and outputs may hold HTML (even a <script>); bleach escapes anything unsafe.
    config.HTMLExporter.sanitize_html = True
    coursedir = course.coursedir(assignment_id=assignment, student_id=learner)
    app = GenerateFeedback(coursedir=coursedir, config=config, log=_quiet_logger())
    # Whatever the course config says, feedback never shows hidden tests.
    escape_markdown, escape_comments = _escape_preprocessors()
    app.preprocessors = [HideHiddenTestOutput, escape_markdown, ClearHiddenTests, GetGrades, escape_comments,
                         CSSHTMLHeaderPreprocessor]
    app.force = True
    return capture_log(app)


def _grades(course: Course, assignment: str, learner: str) -> dict[str, dict[str, Any]]:
    """grade id -> score, max score, whether it is marked, and the facilitator's comment."""
    from nbgrader.api import MissingEntry

    found: dict[str, dict[str, Any]] = {}
    with course.gradebook() as gb:
        try:
            submission = gb.find_submission(assignment, learner)
        except MissingEntry:
            return found
        for notebook in submission.notebooks:
            comments = {c.name: c for c in notebook.comments}
            for grade in notebook.grades:
                comment = comments.get(grade.name)
                found[grade.name] = {
                    "score": grade.score,
                    "max_score": grade.max_score,
                    # Marked by hand, or scored by nbgrader with nothing to mark (an answer left as released).
                    "marked": grade.manual_score is not None or not grade.needs_manual_grade,
                    "comment": (comment.manual_comment or "") if comment else "",
                }
    return found


def _rubric_table(answer: ProseAnswer) -> str:
    if not answer.rubric:
        return ""
    rows = "".join(
        f"<tr><td>{_esc(r.criterion)}</td><td>{_esc(r.points)}</td><td>{_esc(r.good)}</td></tr>" for r in answer.rubric
    )
    return (
        '<table class="rw-rubric"><caption>The marking rubric</caption>'
        '<thead><tr><th scope="col">Criterion</th><th scope="col">Points</th>'
        f'<th scope="col">What good looks like</th></tr></thead><tbody>{rows}</tbody></table>'
    )


def written_section(answers: list[ProseAnswer], grades: dict[str, dict[str, Any]], assignment: str) -> str:
    """The HTML section with, for each written answer: the mark, the comments, the rubric and the coach's notes."""
    from relational import render

    parts = [
        f'<section id="{SECTION_ID}" aria-labelledby="{SECTION_ID}-title">',
        f"<style>{SECTION_STYLE}</style>",
        f'<h2 id="{SECTION_ID}-title">Your written answers: your facilitator\'s marks and the story coach\'s notes</h2>',
        "<p>For each written answer: your mark, your facilitator's comments, the rubric they marked with, and "
        "what the story coach noticed in your writing. The coach's notes are questions to help your next draft; "
        "they are not part of your mark.</p>",
    ]
    for answer in answers:
        grade = grades.get(answer.grade_id, {})
        parts.append(f"<h3>{_esc(answer.title)}</h3>")
        if grade and grade.get("marked"):
            parts.append(f"<p><strong>Your mark:</strong> {grade['score']:g} out of {grade['max_score']:g}.</p>")
        elif grade:
            parts.append(f"<p><strong>Your mark:</strong> not marked yet (out of {grade['max_score']:g}).</p>")
        comment = grade.get("comment", "") if grade else ""
        if comment.strip():
            parts.append(f"<p><strong>Your facilitator's comments</strong></p><div class=\"rw-comment\">{_esc(comment)}</div>")
        else:
            parts.append("<p><strong>Your facilitator's comments:</strong> none yet.</p>")
        parts.append(_rubric_table(answer))
        parts.append("<p><strong>What the story coach noticed</strong></p>")
        if not answer.answered:
            parts.append("<p>You did not write an answer here, so the coach had nothing to read.</p>")
        else:
            parts.append(render.highlight(analyse_answer(answer, assignment)))
    parts.append("</section>")
    return "\n".join(parts)


_EXTERNAL = re.compile(r"<script[^>]*\bsrc=[\"']https?://[^\"']*[\"'][^>]*>\s*</script>|<link[^>]*\bhref=[\"']https?://[^>]*>", re.I)


def finish_page(page: str, section: str) -> str:
    """Insert the written-answers section near the top, and drop anything loaded from the internet."""
    # The feedback template loads MathJax from a CDN; the course promises pages that load nothing from outside.
    page = _EXTERNAL.sub("", page)
    marker = '<div class="panel-body">'
    if marker in page:
        return page.replace(marker, section + "\n" + marker, 1)
    if "<body>" in page:
        return page.replace("<body>", "<body>\n" + section, 1)
    return section + page


def no_page_reasons(course: Course, assignment: str, autograded: set[str]) -> dict[str, str]:
    """Why each learner known to the course has no autograded work (so no feedback page) for ``assignment``."""
    from .export import FAILED, MISSING, grade_rows

    reasons: dict[str, str] = {}
    for row in grade_rows(course, assignments=[assignment]):
        learner = row["learner"]
        if learner in autograded:
            continue
        if row["status"] == MISSING:
            reasons[learner] = "not submitted"
        elif row["status"] == FAILED:
            reasons[learner] = f"autograding failed: {row['reason'] or 'no reason recorded'}"
        else:
            reasons[learner] = f"submitted but not autograded yet: run autograde {assignment}"
    return reasons


def generate_feedback(course: Course, assignment: str, progress: bool = True) -> FeedbackSummary:
    """Write every autograded learner's feedback page for ``assignment``.

    Args:
        course: the course.
        assignment: the assignment's name.
        progress: show a progress bar on stderr.

    Returns:
        Which learners got a page, and why the others did not.

    Raises:
        GradingError: for an unknown assignment or when nothing has been autograded.
    """
    from tqdm import tqdm

    started = time.perf_counter()
    course.check_assignment(assignment)
    autograded = course.folder("autograded")
    learners = sorted(p.parent.name for p in autograded.glob(f"*/{assignment}") if p.is_dir() and not p.parent.name.startswith("."))
    if not learners:
        raise GradingError(
            f"Nothing has been autograded for '{assignment}' yet. "
            f"Run: python -m relational.grading autograde {assignment}"
        )
    hidden = hidden_lines(course, assignment)
    stubs = release_stubs(course, assignment)
    summary = FeedbackSummary(assignment)
    summary.skipped = no_page_reasons(course, assignment, set(learners))
    for learner in tqdm(learners, desc=f"Feedback for {assignment}", unit="learner", disable=not progress):
        try:
            result = _run_nbgrader(course, assignment, learner)
            if not result.get("success"):
                from .autograde import _reason_from_log

                summary.failed[learner] = _reason_from_log(result)
                continue
            grades = _grades(course, assignment, learner)
            out_folder = course.folder("feedback") / learner / assignment
            for notebook in sorted((autograded / learner / assignment).glob("*.ipynb")):
                page_path = out_folder / f"{notebook.stem}.html"
                if not page_path.is_file():
                    continue
                answers = prose_answers(notebook, stubs)
                section = written_section(answers, grades, assignment) if answers else ""
                summary.unmarked += sum(1 for a in answers if grades.get(a.grade_id) and not grades[a.grade_id]["marked"])
                page = finish_page(page_path.read_text(encoding="utf-8"), section)
                leaked = leaks(page, hidden)
                if leaked:
                    page_path.unlink()
                    raise GradingError(f"{page_path.name} would have shown a hidden test, so it was deleted")
                write_atomic(page_path, page)
            summary.written.append(learner)
        except Exception as error:  # one learner's page must never stop the others
            summary.failed[learner] = f"{type(error).__name__}: {error}"
    summary.seconds = time.perf_counter() - started
    return summary
