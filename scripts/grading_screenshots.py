"""Regenerate the screenshots on the facilitators' grading page (book/facilitators/grading.md).

It runs one whole grading cycle on a practice cohort with invented learners, in a temporary course folder,
never in the project itself: autograde, marks and comments written to the gradebook as the formgrader would,
feedback, export and report. Then it photographs a learner's feedback page and the top of the cohort report
with Debian's Chromium. It prints what each command printed, so the page's examples can be checked.

Run it after changing the feedback or the report:

    .venv/bin/python scripts/grading_screenshots.py [--keep DIR]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from relational.grading import demo

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "book" / "facilitators" / "images"
ASSIGNMENT = "a2_story_of_self"
# Invented learners, one of each kind of submission a real cohort sends in (see relational.grading.demo).
COHORT = {
    "demo_ada": "complete",
    "demo_ben": "partial",
    "demo_cai": "blank",
    "demo_dev": "raises",
    "demo_eve": "deleted",
    "demo_fin": "complete",
    "demo_gus": "huge",
    "demo_hal": "corrupted",
}
NEVER = "demo_zoe"  # on the roster, never submitted
# What a facilitator types in the formgrader for each written answer: (mark out of 10, comment).
MARKS = {
    "demo_ada": (8, "Thank you for sharing this. \"She said nobody had ever come back before\" puts me right "
                    "there. Your choice to visit is clear, and so is the outcome. The last sentence names dignity "
                    "and trust. Could you show them instead? What did M. say at the first coffee morning?"),
    "demo_ben": (3, "Thank you. You name fairness and respect, and they clearly matter to you. Can you think of "
                    "one day at work when you saw them, or saw them missing? Where were you, and what happened?"),
    "demo_dev": (7, "A clear challenge, choice and outcome. Well done. What did the flat look like on that first "
                    "Thursday?"),
    "demo_eve": (7, "A strong moment with a time and a place. Could you say what you felt on the way to her door?"),
    "demo_fin": (9, "Thank you. Every part of the story is there. The promise to ring every Friday stays with me."),
    "demo_gus": (6, "A good story. The ending tells us your values; can you end on what you saw instead?"),
}
# The book's text column is about 700 pixels wide. A page photographed much wider than that would be shrunk
# until its text could not be read, so the browser window is a little wider than the column.
WIDTH = 800
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"]


def run(course: Path, *args: str) -> str:
    """One grading command, typed in the course folder; returns what it printed (the progress bar aside)."""
    command = [sys.executable, "-m", "relational.grading", *args]
    done = subprocess.run(command, cwd=course, capture_output=True, text=True, timeout=900)
    print(f"$ python -m relational.grading {' '.join(args)}   (exit status {done.returncode})")
    print(done.stdout.strip() or done.stderr.strip()[-2000:])
    print()
    return done.stdout


def mark(course: Path) -> None:
    """Give each written answer a mark and a comment, with the same gradebook calls the formgrader makes."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "relational") as gb:
        cells = [c for nb in gb.find_assignment(ASSIGNMENT).notebooks for c in nb.grade_cells
                 if c.cell_type == "markdown"]
        for learner, (score, text) in MARKS.items():
            for cell in cells:
                grade = gb.find_grade(cell.name, cell.notebook.name, ASSIGNMENT, learner)
                grade.manual_score = float(min(score, cell.max_score))
                grade.needs_manual_grade = False  # the formgrader clears this flag when it saves a mark
                comment = gb.find_comment(cell.name, cell.notebook.name, ASSIGNMENT, learner)
                comment.manual_comment = text
        gb.db.commit()


def screenshot(html: Path, png: Path, top: str, bottom: str, pad: int = 12) -> None:
    """Photograph ``html`` from the top of element ``top`` to the bottom of ``bottom`` (Playwright selectors)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                    args=BROWSER_ARGS)
        # Twice the pixels, so the picture stays sharp when a reader opens it full size.
        page = browser.new_page(viewport={"width": WIDTH, "height": 900}, device_scale_factor=2)
        # The pages must stand alone: anything from another host is refused, as it would be offline.
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:"))
                   else route.abort())
        page.goto(html.resolve().as_uri())
        page.wait_for_load_state("load")
        first = page.locator(top).first.bounding_box()
        last = page.locator(bottom).first.bounding_box()
        height = page.evaluate("document.documentElement.scrollHeight")
        y = max(0, first["y"] - pad)
        x = max(0, min(first["x"], last["x"]) - pad)
        right = min(WIDTH, max(first["x"] + first["width"], last["x"] + last["width"]) + pad)
        clip = {"x": x, "y": y, "width": right - x, "height": min(height, last["y"] + last["height"] + pad) - y}
        page.screenshot(path=str(png), clip=clip, full_page=True)
        browser.close()
    shrink(png)
    print(f"Wrote {png.relative_to(ROOT)} ({png.stat().st_size // 1024} kB)")


def shrink(png: Path) -> None:
    """Save the picture with a palette of 256 colours: plenty for text on white, and under the book's 300 kB."""
    from PIL import Image

    with Image.open(png) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(png, optimize=True)


def cycle(course: Path) -> None:
    """A whole grading cycle on the practice cohort, then the two screenshots."""
    demo.make_course(course, ROOT, [ASSIGNMENT])
    demo.make_cohort(course, ASSIGNMENT, COHORT)
    (course / "roster.csv").write_text("learner\n" + "\n".join([*COHORT, NEVER]) + "\n", encoding="utf-8")
    run(course, "autograde", ASSIGNMENT, "--jobs", "2")
    run(course, "autograde", ASSIGNMENT, "--jobs", "2")  # the rerun: unchanged submissions are skipped
    mark(course)
    run(course, "feedback", ASSIGNMENT)
    run(course, "export")
    run(course, "export", "--roster", "roster.csv")  # the roster adds the learner who never submitted
    print((course / "grades.csv").read_text(encoding="utf-8"))
    run(course, "report", ASSIGNMENT)
    run(course, "report", ASSIGNMENT, "--roster", "roster.csv")  # the one photographed

    IMAGES.mkdir(parents=True, exist_ok=True)
    feedback = course / "feedback" / "demo_ada" / ASSIGNMENT / "story_of_self.html"
    section = "#relational-written-feedback"
    screenshot(feedback, IMAGES / "feedback.png", f"{section} h3", f"{section} .rc-draft")  # mark, rubric, coach
    report = course / f"report_{ASSIGNMENT}.html"
    screenshot(report, IMAGES / "report.png", "h1", "figure >> nth=1")  # down to the chart of scores


def main() -> int:
    """Run the cycle in a temporary course folder (or the one given with --keep) and write the pictures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keep", metavar="DIR", help="make the practice course in DIR (new) and keep it")
    args = parser.parse_args()
    if args.keep:
        course = Path(args.keep).resolve()
        if course.exists():
            parser.error(f"{course} already exists; give a new folder")
        cycle(course)
    else:
        with tempfile.TemporaryDirectory(prefix="relational-screenshots-") as tmp:
            cycle(Path(tmp) / "relational")
    return 0


if __name__ == "__main__":
    sys.exit(main())
