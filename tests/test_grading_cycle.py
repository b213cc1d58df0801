"""End to end: a fake cohort through autograde, manual marking, rerun, feedback, export and report.

Real nbgrader, real kernels, the real commands; the cohort is made from the released exercise notebooks.
"""

from __future__ import annotations

import csv
import html
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from relational.grading import demo

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENT = "a1_relationships"
OTHER = "a2_story_of_self"
COHORT = {
    "ada_complete": "complete",
    "ben_partial": "partial",
    "cai_blank": "blank",
    "dev_raises": "raises",
    "eve_deleted": "deleted",
    "fay_loop": "loop",
    "gus_huge": "huge",
    "hal_corrupted": "corrupted",
    "ivy_script": "script",
}
NEVER = "zoe_never_submitted"
# A short time limit keeps the endless-loop learner quick; the course's own limit is a minute.
CONFIG_EXTRA = "c.ExecutePreprocessor.timeout = 4"



def test_the_course_has_what_the_grading_cycle_needs() -> None:
    """The cycle below runs on the course's own config and assignments; if they went missing, that is a failure,
    not a reason to skip."""
    assert (ROOT / "nbgrader_config.py").is_file()
    for name in (ASSIGNMENT, OTHER):
        assert (ROOT / "solutions" / name).is_dir(), name


def run(course: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """One grading command, as a facilitator would type it."""
    return subprocess.run([sys.executable, "-m", "relational.grading", "--course", str(course), *args],
                          capture_output=True, text=True, timeout=300, cwd=course)


def grades(course: Path) -> dict[tuple[str, str], tuple]:
    """(learner, grade id) -> (auto score, manual score, comment) for every grade in the gradebook."""
    from nbgrader.api import Gradebook

    found = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "relational") as gb:
        for submission in gb.assignment_submissions(ASSIGNMENT):
            for notebook in submission.notebooks:
                comments = {c.name: c.manual_comment for c in notebook.comments}
                for grade in notebook.grades:
                    found[(submission.student.id, grade.name)] = (
                        grade.auto_score, grade.manual_score, comments.get(grade.name))
    return found


def hidden_test_lines(course: Path) -> list[str]:
    """The code lines between nbgrader's hidden-test markers in the assignment's source notebooks."""
    lines = []
    for path in (course / "solutions" / ASSIGNMENT).glob("*.ipynb"):
        for cell in nbformat.read(str(path), as_version=4).cells:
            source = cell.source
            while "### BEGIN HIDDEN TESTS" in source:
                source = source.split("### BEGIN HIDDEN TESTS", 1)[1]
                inside, source = source.split("### END HIDDEN TESTS", 1)
                lines += [line.strip() for line in inside.splitlines() if len(line.strip()) > 10]
    return lines


def _wrong_hidden_answer(course: Path, learner: str) -> None:
    """Give a well-formed but wrong answer to the question checked by hidden tests, so they fail."""
    for path in (course / "submitted" / learner / ASSIGNMENT).glob("*.ipynb"):
        nb = nbformat.read(str(path), as_version=4)
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") == "a1_spot_the_parts":
                cell.source = 'spot_the_parts = {"exchange": "C", "commitment": "B", "repetition": "E"}'
        nbformat.write(nb, str(path))


@pytest.fixture(scope="module")
def cycle(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Run the whole grading cycle once; the tests below check what it left behind."""
    course = demo.make_course(tmp_path_factory.mktemp("course"), ROOT, [ASSIGNMENT], CONFIG_EXTRA)
    demo.make_cohort(course, ASSIGNMENT, COHORT)
    _wrong_hidden_answer(course, "ivy_script")
    (course / "roster.csv").write_text("learner\n" + "\n".join([*COHORT, NEVER]) + "\n", encoding="utf-8")
    out: dict = {"course": course}
    out["first"] = run(course, "autograde", ASSIGNMENT, "--jobs", "2")
    out["status_first"] = json.loads((course / "autograded" / ".relational" / "status.json").read_text())
    out["grades_first"] = grades(course)

    # The facilitator marks Ada's written answer in the formgrader (same gradebook calls).
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "relational") as gb:
        prose = [c for nb in gb.find_assignment(ASSIGNMENT).notebooks for c in nb.grade_cells
                 if c.cell_type == "markdown"]
        out["prose_ids"] = [c.name for c in prose]
        for cell in prose:
            grade = gb.find_grade(cell.name, cell.notebook.name, ASSIGNMENT, "ada_complete")
            grade.manual_score = 7.0
            grade.needs_manual_grade = False  # the formgrader clears this flag when it saves a mark
            comment = gb.find_comment(cell.name, cell.notebook.name, ASSIGNMENT, "ada_complete")
            comment.manual_comment = "A clear exchange <b>and</b> a kept promise. Say how often you meet."
        gb.db.commit()
    out["grades_marked"] = grades(course)
    out["export_marked"] = run(course, "export", "--output", "marked.csv")

    out["forced"] = run(course, "autograde", ASSIGNMENT, "--jobs", "2", "--force")
    out["grades_forced"] = grades(course)
    out["again"] = run(course, "autograde", ASSIGNMENT, "--jobs", "2")
    out["grades_again"] = grades(course)
    out["feedback"] = run(course, "feedback", ASSIGNMENT)
    out["export"] = run(course, "export", "--roster", "roster.csv")
    out["report"] = run(course, "report", ASSIGNMENT, "--roster", "roster.csv")
    return out


def test_every_learner_ends_with_a_grade_or_a_reason(cycle: dict) -> None:
    first = cycle["first"]
    assert "Traceback" not in first.stderr
    assert first.returncode == 1, "one learner's notebook is corrupted, so the run reports a failure"
    assert first.stdout.strip().count("\n") == 0, "the command ends with a one-line summary"
    assert "8 graded" in first.stdout and "1 failed" in first.stdout
    status = cycle["status_first"][ASSIGNMENT]
    assert set(status) == set(COHORT)
    for learner, outcome in status.items():
        assert outcome["status"] in ("graded", "failed")
        if outcome["status"] == "failed":
            assert outcome["reason"]
    assert status["hal_corrupted"]["status"] == "failed"
    assert "damaged" in status["hal_corrupted"]["reason"]
    assert any("time limit" in n for n in status["fay_loop"]["notes"])
    assert any("deleted" in n for n in status["eve_deleted"]["notes"])
    assert any("too much output" in n for n in status["gus_huge"]["notes"])
    assert any("stopped with an error" in n and "ValueError" in n for n in status["dev_raises"]["notes"])
    assert "hal_corrupted (" in first.stdout and "damaged" in first.stdout, "the summary says why a learner failed"
    assert "dev_raises" in first.stdout, "the summary names learners with notes"

    scores = cycle["grades_first"]
    learners = {learner for learner, _ in scores}
    assert learners == set(COHORT) - {"hal_corrupted"}
    tests = {g for _, g in scores if g not in cycle["prose_ids"]}
    assert all(scores[("ada_complete", g)][0] > 0 for g in tests), "the model answers pass every test"
    assert all(scores[("cai_blank", g)][0] == 0 for g in tests), "a blank notebook scores nothing"
    total = {who: sum(scores[(who, g)][0] or 0 for g in tests) for who in learners}
    assert total["ada_complete"] > total["ben_partial"] > 0
    assert total["ada_complete"] > total["fay_loop"], "the cell stopped by the time limit scores zero"
    assert total["ada_complete"] > total["ivy_script"], "the wrong answer fails the hidden test"


def test_nothing_in_the_gradebook_is_lost_or_overwritten(cycle: dict) -> None:
    forced = cycle["forced"]
    assert "Traceback" not in forced.stderr and "8 graded" in forced.stdout
    marked, after = cycle["grades_marked"], cycle["grades_forced"]
    assert set(after) == set(marked), "no grade row appeared or vanished"
    for key, (auto, manual, comment) in marked.items():
        assert after[key] == (auto, manual, comment), f"{key} changed on a rerun"
    for prose in cycle["prose_ids"]:
        assert after[("ada_complete", prose)][1] == 7.0
        assert "kept promise" in after[("ada_complete", prose)][2]


def test_rerunning_is_safe_and_skips_unchanged_work(cycle: dict) -> None:
    again = cycle["again"]
    assert "Traceback" not in again.stderr
    assert "8 unchanged and skipped" in again.stdout
    assert cycle["grades_again"] == cycle["grades_forced"]


def test_feedback_has_the_coach_escapes_learner_html_and_hides_hidden_tests(cycle: dict) -> None:
    course, result = cycle["course"], cycle["feedback"]
    assert result.returncode == 0, result.stdout + result.stderr
    assert "8 learners" in result.stdout
    # Who has no page, and why; and a reminder of the written answers still to mark.
    assert "hal_corrupted (autograding failed: " in result.stdout and "damaged" in result.stdout
    assert re.search(r"\d+ written answers are not marked yet: mark them in the formgrader", result.stdout)
    hidden = hidden_test_lines(course)
    assert hidden, "assignment 1 has hidden tests to keep out of feedback"
    pages = {p.parts[-3]: p.read_text(encoding="utf-8") for p in (course / "feedback").glob("*/*/*.html")}
    assert set(pages) == set(COHORT) - {"hal_corrupted"}
    for learner, page in pages.items():
        assert 'id="relational-written-feedback"' in page, learner
        # What a reader sees: tags gone (tracebacks are split into colour spans), entities decoded.
        visible = " ".join(html.unescape(re.sub(r"<[^>]+>", "", page)).split())
        for line in hidden:
            assert " ".join(line.split()) not in visible, f"a hidden test shows in {learner}'s feedback"
        assert "cdnjs" not in page and 'src="http' not in page, "feedback loads nothing from the internet"
    ada = pages["ada_complete"]
    assert "rc-mark" in ada, "the coach's highlighted values language is in the page"
    assert "7 out of 10" in ada and "A clear exchange &lt;b&gt;and&lt;/b&gt; a kept promise" in ada
    assert "What good looks like" in ada, "the rubric is shown next to the mark"
    ivy = pages["ivy_script"]
    assert "<script>alert" not in ivy
    assert "&lt;script&gt;alert(" in ivy
    assert "AssertionError" in ivy, "the failed hidden test still shows its friendly message"
    assert "not marked yet" in pages["ben_partial"]


def test_export_has_one_row_per_learner_and_assignment(cycle: dict) -> None:
    course, result = cycle["course"], cycle["export"]
    assert result.returncode == 0 and "Exported 10 rows" in result.stdout, result.stdout + result.stderr
    with (course / "grades.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["learner"] for r in rows] == sorted([*COHORT, NEVER])
    assert {r["assignment"] for r in rows} == {ASSIGNMENT}
    by = {r["learner"]: r for r in rows}
    assert by[NEVER]["status"] == "not submitted"
    assert by["hal_corrupted"]["status"] == "autograde failed" and "damaged" in by["hal_corrupted"]["reason"]
    assert float(by["ada_complete"]["manual_score"]) == 7.0 * len(cycle["prose_ids"])
    assert float(by["ada_complete"]["score"]) == float(by["ada_complete"]["autograded_score"]) + 7.0 * len(cycle["prose_ids"])
    assert by["ada_complete"]["timestamp"].startswith("2026-01-15")
    # Ben's writing still waits for a mark. Ada was marked, then autograded again with --force, and nbgrader
    # asks for a mark made before a rerun to be looked at again.
    assert by["ben_partial"]["status"] == "needs manual grading"
    assert by["ada_complete"]["status"] == "marked, needs review"
    assert float(by["ada_complete"]["manual_score"]) == 7.0 * len(cycle["prose_ids"]), "the mark itself is kept"
    assert all(r["status"] for r in rows)


def test_a_learner_marked_as_the_formgrader_marks_is_graded(cycle: dict) -> None:
    course, result = cycle["course"], cycle["export_marked"]
    assert result.returncode == 0, result.stdout + result.stderr
    with (course / "marked.csv").open(newline="") as handle:
        by = {r["learner"]: r for r in csv.DictReader(handle)}
    assert by["ada_complete"]["status"] == "graded", "saving a mark clears nbgrader's needs-manual-grading flag"
    assert by["ben_partial"]["status"] == "needs manual grading"
    assert by["cai_blank"]["status"] == "graded", "a blank written answer scores zero with nothing to mark"


def test_report_has_plots_tables_and_names_who_has_not_submitted(cycle: dict) -> None:
    course, result = cycle["course"], cycle["report"]
    assert result.returncode == 0, result.stdout + result.stderr
    page = (course / f"report_{ASSIGNMENT}.html").read_text(encoding="utf-8")
    assert page.count('src="data:image/png;base64,') >= 4
    assert page.count("<img") == page.count('alt="') and page.count("<table") >= 4
    assert NEVER in page and "hal_corrupted" in page
    assert "Story moves most often missing" in page and "Values families most often missing" in page
    assert 'src="http' not in page and "<link" not in page
    # Plain words in the tables: bands as "0 to 10", whole percentages, dates as people write them.
    assert "0 to 10" in page and "(-0.001" not in page and "assignment(s)" not in page
    assert ">status<" not in page and ">assignment<" not in page, "no stray header cells"
    assert re.search(r"Made on \d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d", page)
    assert not re.search(r"<td>\d+\.\d</td>", page), "percentages are whole numbers with a % sign"
    assert "1 missing submission," in result.stdout


def test_bad_input_gives_a_clear_message_and_no_traceback(tmp_path: Path, cycle: dict) -> None:
    course = cycle["course"]
    (tmp_path / "empty").mkdir()
    for args, words in [
        (("--course", str(tmp_path / "empty"), "export"), "not a course folder"),
        (("--course", str(course), "autograde", "no_such_assignment"), "no assignment called"),
        (("--course", str(course), "feedback", "no_such_assignment"), "no assignment called"),
        (("--course", str(course), "report", "no_such_assignment"), "no assignment called"),
    ]:
        result = subprocess.run([sys.executable, "-m", "relational.grading", *args],
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert words in result.stderr and "Traceback" not in result.stderr


def test_an_assignment_nobody_submitted_is_reported_clearly(tmp_path: Path) -> None:
    course = tmp_path / "course"
    course.mkdir()
    (course / "nbgrader_config.py").write_text((ROOT / "nbgrader_config.py").read_text(encoding="utf-8"))
    (course / "solutions").mkdir()
    (course / "solutions" / OTHER).symlink_to(ROOT / "solutions" / OTHER)
    for command in ("autograde", "feedback"):
        result = run(course, command, OTHER)
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert "yet" in result.stderr
