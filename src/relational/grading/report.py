"""The cohort report: one self-contained HTML file with charts (inline PNG, alt text) and a table for each."""

from __future__ import annotations

import base64
import html
import io
import math
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from .course import Course, GradingError, write_atomic
from .export import FAILED, GRADED, MISSING, NEEDS_MARKING, NEEDS_REVIEW, WAITING, grade_rows
from .prose import MOVES, analyse_answer, missing_moves, prose_answers, release_stubs

STATUS_ORDER = [GRADED, NEEDS_REVIEW, NEEDS_MARKING, WAITING, FAILED, MISSING]
# Colour-blind-safe (Okabe-Ito) colours, one per status.
STATUS_COLOURS = ["#009E73", "#CC79A7", "#56B4E9", "#F0E442", "#D55E00", "#999999"]

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Arial, sans-serif; color: #1a1a1a; background: #fff;
  max-width: 60rem; margin: 0 auto; padding: 1rem 1.5rem; line-height: 1.5; font-size: 1rem; }
h1 { font-size: 2rem; } h2 { font-size: 1.5rem; margin-top: 2rem; border-top: 1px solid #b1b4b6; padding-top: 1rem; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; }
th, td { border: 1px solid #767676; padding: 0.25rem 0.6rem; text-align: left; vertical-align: top; }
caption { text-align: left; font-weight: 700; padding: 0.3rem 0; }
img { max-width: 100%; height: auto; }
.note { color: #3b3b3b; }
"""


@dataclass
class ReportSummary:
    """The result of one report run."""

    path: Path
    learners: int
    not_submitted: int
    answers: int
    seconds: float

    def line(self) -> str:
        """The one-line summary printed at the end."""
        return (f"Wrote the cohort report to {self.path}: {plural(self.learners, 'learner')}, "
                f"{plural(self.not_submitted, 'missing submission')}, "
                f"{plural(self.answers, 'written answer')} read by the coach, in {self.seconds:.0f} s.")


def plural(count: int, noun: str) -> str:
    """"1 learner", "2 learners": a count with its noun."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def when(moment: datetime) -> str:
    """A date and time as people write them: "27 November 2026, 10:15"."""
    return f"{moment.day} {moment:%B %Y, %H:%M}"


def percent(value: float) -> str:
    """A share as a whole percentage: "17%"."""
    return f"{value:.0f}%"


def band(value: float) -> str:
    """The ten-point band a percentage falls in, on whole percentages: "0 to 10", "11 to 20", ... "91 to 100"."""
    whole = round(value)
    top = max(10, min(100, 10 * math.ceil(whole / 10)))
    return "0 to 10" if top == 10 else f"{top - 9} to {top}"


BANDS = ["0 to 10"] + [f"{top - 9} to {top}" for top in range(20, 101, 10)]


def _esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _png(fig: Any) -> str:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _table(table: Any, caption: str) -> str:
    """A pandas table as plain HTML: a caption, one row of column headings, no index."""
    table = table.copy()
    table.columns.name = None  # pandas would print the columns' name ("status") in a stray header cell
    table_html = table.to_html(index=False, escape=True, border=0, na_rep="")
    table_html = table_html.replace('<table class="dataframe">', f"<table><caption>{_esc(caption)}</caption>", 1)
    return table_html.replace("<th>", '<th scope="col">').replace('<tr style="text-align: right;">', "<tr>")


def _whole_numbers(axis: Any) -> None:
    """Ticks on whole numbers only: a chart of learners never shows half a learner."""
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def _figure(title: str, png: str, alt: str, table: Any, caption: str) -> str:
    """A chart with alt text, followed by the same data as a table."""
    return (f'<figure><img src="data:image/png;base64,{png}" alt="{_esc(alt)}">'
            f"<figcaption>{_esc(title)}</figcaption></figure>\n{_table(table, caption)}")


def _completion(frame: Any) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd

    counts = pd.crosstab(frame["assignment"], frame["status"]).reindex(columns=STATUS_ORDER, fill_value=0)
    fig, ax = plt.subplots(figsize=(7, 0.6 + 0.5 * len(counts)))
    counts.plot.barh(stacked=True, ax=ax, color=STATUS_COLOURS, width=0.7)
    ax.set_xlabel("Learners")
    ax.set_ylabel("")
    _whole_numbers(ax.xaxis)
    ax.invert_yaxis()
    ax.legend(title="", loc="upper left", bbox_to_anchor=(1.02, 1), frameon=False)
    # One row per stage, one column per assignment: six stages side by side would not fit a narrow screen.
    table = counts.T.rename_axis("Stage").reset_index()
    table["Stage"] = [stage[:1].upper() + stage[1:] for stage in table["Stage"]]
    alt = "Stacked bar chart of how many learners are at each stage, per assignment. " + " ".join(
        f"{a}: " + ", ".join(f"{int(n)} {s}" for s, n in row.items() if n) + "." for a, row in counts.iterrows()
    )
    return _figure("Completion by assignment", _png(fig), alt, table, "Learners at each stage, per assignment")


def _scores(frame: Any) -> str:
    import matplotlib.pyplot as plt
    import pandas as pd

    scored = frame[frame["score"] != ""].copy()
    if scored.empty:
        return "<p>No scores yet.</p>"
    scored["percent"] = 100 * scored["score"].astype(float) / scored["max_score"].astype(float)
    fig, ax = plt.subplots(figsize=(7, 3.2))
    # The same bands as the table below, on whole percentages: 0 to 10, 11 to 20, ... 91 to 100.
    edges = [-0.5] + [top + 0.5 for top in range(10, 101, 10)]
    for assignment, group in scored.groupby("assignment"):
        ax.hist(group["percent"].round(), bins=edges, alpha=0.6, label=assignment, edgecolor="#1a1a1a")
    ax.set_xticks(range(0, 101, 10))
    ax.set_xlabel("Score (% of the maximum)")
    ax.set_ylabel("Learners")
    _whole_numbers(ax.yaxis)
    ax.legend(frameon=False)
    stats = scored.groupby("assignment")["percent"].agg(["count", "mean", "median", "min", "max"])
    table = stats.reset_index().rename(columns={"assignment": "Assignment", "count": "Learners with a score",
                                                "mean": "Mean", "median": "Median", "min": "Lowest",
                                                "max": "Highest"})
    for column in ("Mean", "Median", "Lowest", "Highest"):
        table[column] = table[column].map(percent)
    alt = "Histogram of scores as a percentage of the maximum. " + " ".join(
        f"{r['Assignment']}: {plural(int(r['Learners with a score']), 'learner')}, median {r['Median']}, "
        f"from {r['Lowest']} to {r['Highest']}." for _, r in table.iterrows()
    )
    bands = scored["percent"].map(band).rename("band")
    spread = pd.crosstab(bands, scored["assignment"]).reindex(BANDS, fill_value=0)
    spread = spread.reset_index().rename(columns={"band": "Score band (%)"})
    return (_figure("Score distribution", _png(fig), alt, table, "Score summary per assignment")
            + _table(spread, "Learners in each score band"))


def _bar(title: str, shares: Any, what: str, caption: str, heading: str) -> str:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 0.6 + 0.35 * len(shares)))
    ax.barh(list(shares.index), list(shares.values), color="#0072B2")
    ax.set_xlim(0, 100)
    ax.set_xlabel(f"Written answers {what} (%)")
    ax.invert_yaxis()
    table = shares.map(percent).reset_index()
    table.columns = [heading, f"Answers {what}"]
    alt = f"Bar chart of the share of written answers {what}. " + "; ".join(
        f"{k}: {percent(v)}" for k, v in shares.items()
    ) + "."
    return _figure(title, _png(fig), alt, table, caption)


def _prose(course: Course, assignments: list[str], progress: bool) -> tuple[Any, int]:
    """One row per written answer: learner, assignment, missing moves and families found."""
    import pandas as pd
    from tqdm import tqdm

    records = []
    jobs = []
    for assignment in assignments:
        stubs = release_stubs(course, assignment)
        for learner in course.submitted_learners(assignment):
            graded = course.folder("autograded") / learner / assignment
            folder = graded if graded.is_dir() else course.folder("submitted") / learner / assignment
            jobs.extend((assignment, learner, path, stubs) for path in sorted(folder.glob("*.ipynb")))
    for assignment, learner, path, stubs in tqdm(jobs, desc="Reading written answers", unit="notebook",
                                                 disable=not progress or not jobs):
        try:
            answers = prose_answers(path, stubs)
        except Exception:  # a damaged notebook is reported by autograde; it has no answers to read
            continue
        for answer in answers:
            if not answer.answered:
                continue
            feedback = analyse_answer(answer, assignment)
            records.append({
                "assignment": assignment,
                "learner": learner,
                "missing_moves": missing_moves(feedback),
                "families": {v.family for v in feedback.values},
            })
    return pd.DataFrame(records), len(records)


def _coach_sections(prose: Any) -> str:
    import pandas as pd
    from relational.coach import FAMILIES

    if prose.empty:
        return "<p>No written answers to read yet.</p>"
    moves = pd.Series({m: 100 * prose["missing_moves"].apply(lambda ms: m in ms).mean() for m in MOVES})
    moves = moves.sort_values(ascending=False)
    families = pd.Series({f.replace("_", "-"): 100 * prose["families"].apply(lambda fs: f not in fs).mean()
                          for f in FAMILIES})
    families["(no values language at all)"] = 100 * prose["families"].apply(lambda fs: not fs).mean()
    families = families.sort_values(ascending=False)
    return (
        "<h2>Story moves most often missing</h2>"
        "<p>For each written answer, the coach looks for sentences that make each move of a story: a challenge, "
        "a choice and an outcome. The chart shows how often a move is missing from an answer.</p>"
        + _bar("Story moves missing from written answers", moves, "missing this move", "Story moves missing",
               "Story move")
        + "<h2>Values families most often missing</h2>"
        "<p>The share of written answers with no values language from each of the ten values families. "
        "A high bar is normal for families a story does not call on; look at the families the assignment asks "
        "for, and at answers with no values language at all.</p>"
        + _bar("Values families missing from written answers", families, "without this family",
               "Values families missing", "Values family")
    )


def report(course: Course, assignment: str | None = None, output: str | None = None, roster: str | None = None,
           progress: bool = True) -> ReportSummary:
    """Write the cohort report.

    Args:
        course: the course.
        assignment: one assignment, or None for the whole course.
        output: where to write (default: report.html, or report_<assignment>.html, in the course folder).
        roster: an optional roster CSV of learner ids, so learners who never submitted are named.
        progress: show progress bars on stderr.

    Returns:
        Where it was written and the headline counts.

    Raises:
        GradingError: for an unknown assignment or a course with nothing to report.
    """
    import pandas as pd

    started = time.perf_counter()
    if assignment is not None:
        course.check_assignment(assignment)
    rows = grade_rows(course, roster=roster, assignments=[assignment] if assignment else None, progress=False)
    if not rows:
        raise GradingError("There is nothing to report yet: no assignment has been graded or submitted.")
    frame = pd.DataFrame(rows)
    assignments = sorted(frame["assignment"].unique())
    prose, answers = _prose(course, assignments, progress)
    missing = frame[frame["status"] == MISSING][["learner", "assignment"]]
    failed = frame[frame["status"] == FAILED][["learner", "assignment", "reason"]]
    title = f"Cohort report: {assignment}" if assignment else "Cohort report: the whole course"
    learners = frame["learner"].nunique()
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_esc(title)}</title><style>{STYLE}</style></head><body><main>",
        f"<h1>{_esc(title)}</h1>",
        f'<p class="note">Made on {when(datetime.now())} from the gradebook in {_esc(course.root.name)}. '
        f"{plural(learners, 'learner')}, {plural(len(assignments), 'assignment')}, "
        f"{plural(answers, 'written answer')} read by the coach. "
        "This page holds learners' names and marks: keep it private.</p>",
        "<h2>Completion</h2>",
        _completion(frame),
        "<h2>Scores</h2>",
        _scores(frame),
        _coach_sections(prose),
        "<h2>Who has not submitted</h2>",
    ]
    if missing.empty:
        parts.append("<p>Everyone known to the gradebook" + (" and the roster" if roster else "")
                     + " has submitted.</p>")
    else:
        table = missing.rename(columns={"learner": "Learner", "assignment": "Assignment"})
        parts.append(_table(table, "Learners with no submission"))
    if not failed.empty:
        parts.append("<h2>Submissions that could not be autograded</h2>")
        table = failed.rename(columns={"learner": "Learner", "assignment": "Assignment", "reason": "Reason"})
        parts.append(_table(table, "Why these have no grade"))
    parts.append("</main></body></html>")
    default = f"report_{assignment}.html" if assignment else "report.html"
    path = Path(output) if output else course.root / default
    if not path.is_absolute():
        path = Path.cwd() / path
    write_atomic(path, "\n".join(parts))
    return ReportSummary(path, learners, len(missing), answers, time.perf_counter() - started)
