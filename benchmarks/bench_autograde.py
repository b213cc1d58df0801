"""Autograde 30 submissions of one assignment: plain ``nbgrader autograde`` against ours with ``--jobs 2``.

Both run in the same invocation, each in a fresh temporary course folder made from the released notebooks,
with the assignment already recorded in the gradebook (as after ``nbgrader generate_assignment``). Prints both
wall-clock times, the ratio, and whether both gave every learner the same scores. A measurement, not a test.

    .venv/bin/python benchmarks/bench_autograde.py [--learners 30] [--jobs 2] [--assignment a1_relationships]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from relational.grading import demo  # noqa: E402

MIX = ("complete", "partial", "blank", "raises", "complete", "deleted")


def _env() -> dict[str, str]:
    bindir = str(Path(sys.executable).parent)
    return {**os.environ, "PATH": bindir + os.pathsep + os.environ.get("PATH", "")}


def _course(base: Path, name: str, assignment: str, learners: int) -> Path:
    course = demo.make_course(base / name, ROOT, [assignment])
    demo.make_cohort(course, assignment, {f"learner{i:02d}": MIX[i % len(MIX)] for i in range(learners)})
    # Record the assignment in the gradebook first, for both runs, as a facilitator has after releasing it.
    with tempfile.TemporaryDirectory() as release:
        subprocess.run([str(Path(sys.executable).parent / "nbgrader"), "generate_assignment", assignment, "--force",
                        f"--CourseDirectory.release_directory={release}"], cwd=course, env=_env(), check=True,
                       capture_output=True)
    return course


def _timed(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=_env(), capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        print(result.stdout[-2000:], result.stderr[-2000:], sep="\n", file=sys.stderr)
        raise SystemExit(f"{' '.join(command[:3])} failed with exit code {result.returncode}")
    return seconds


def _scores(course: Path, assignment: str) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "relational") as gb:
        return {s.student.id: s.score for s in gb.assignment_submissions(assignment)}


def main() -> None:
    """Run both and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--assignment", default="a1_relationships")
    args = parser.parse_args()
    bindir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory(prefix="bench-autograde-") as tmp:
        plain = _course(Path(tmp), "plain", args.assignment, args.learners)
        ours = _course(Path(tmp), "ours", args.assignment, args.learners)
        print(f"{args.learners} submissions of {args.assignment}; {os.cpu_count()} cores")
        t_plain = _timed([str(bindir / "nbgrader"), "autograde", args.assignment], plain)
        print(f"plain nbgrader autograde {args.assignment}: {t_plain:6.1f} s")
        t_ours = _timed([sys.executable, "-m", "relational.grading", "--quiet", "autograde", args.assignment,
                         "--jobs", str(args.jobs)], ours)
        print(f"python -m relational.grading autograde {args.assignment} --jobs {args.jobs}: {t_ours:6.1f} s")
        print(f"ratio (plain / ours): {t_plain / t_ours:.2f}x")
        same = _scores(plain, args.assignment) == _scores(ours, args.assignment)
        print(f"same score for every learner: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
