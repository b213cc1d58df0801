"""The facilitator's grading commands: python -m relational.grading autograde|feedback|export|report."""

from __future__ import annotations

import argparse
import sys
import warnings

from .course import Course, GradingError

DESCRIPTION = """\
Grade a cohort with nbgrader, one command per step. Run in the course folder (the one with
nbgrader_config.py), or give it with --course DIR.

  autograde ASSIGNMENT   run and score every submission in submitted/<learner>/ASSIGNMENT
  feedback ASSIGNMENT    write each learner's feedback page, with the story coach's notes on their writing
  export                 write grades.csv: one row per learner and assignment
  report [ASSIGNMENT]    write a cohort report (one HTML file with charts and tables)
"""


def build_parser() -> argparse.ArgumentParser:
    """The command-line parser."""
    parser = argparse.ArgumentParser(
        prog="python -m relational.grading", description=DESCRIPTION, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--course", metavar="DIR", help="the course folder (default: the working folder)")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    auto = sub.add_parser("autograde", help="autograde every submission of an assignment")
    auto.add_argument("assignment")
    auto.add_argument("--jobs", "-j", type=int, default=None, metavar="N", help="worker processes (default: cores)")
    auto.add_argument("--force", action="store_true", help="autograde again even unchanged submissions")

    feedback = sub.add_parser("feedback", help="write each learner's feedback page")
    feedback.add_argument("assignment")

    export = sub.add_parser("export", help="write grades.csv for the whole course")
    export.add_argument("--output", "-o", default=None, metavar="FILE", help="where to write (default: grades.csv)")
    export.add_argument("--roster", metavar="CSV", help="a CSV of learner ids, so learners who never submitted appear")

    report = sub.add_parser("report", help="write a cohort report as one HTML file")
    report.add_argument("assignment", nargs="?", default=None)
    report.add_argument("--output", "-o", default=None, metavar="FILE", help="where to write (default: report*.html)")
    report.add_argument("--roster", metavar="CSV", help="a CSV of learner ids, so learners who never submitted appear")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one grading command; returns the exit status (0 success, 1 failure, 2 bad input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    if args.command == "autograde" and args.jobs is not None and args.jobs < 1:
        print("error: --jobs must be 1 or more.", file=sys.stderr)
        return 2
    warnings.filterwarnings("ignore")  # library deprecation notices are not for facilitators
    progress = not args.quiet
    try:
        course = Course.open(args.course)
        if args.command == "autograde":
            from .autograde import autograde

            summary = autograde(course, args.assignment, jobs=args.jobs, force=args.force, progress=progress)
            print(summary.line())
            return 1 if summary.count("failed") else 0
        if args.command == "feedback":
            from .feedback import generate_feedback

            summary = generate_feedback(course, args.assignment, progress=progress)
            print(summary.line())
            return 1 if summary.failed else 0
        if args.command == "export":
            from .export import export

            summary = export(course, output=args.output, roster=args.roster, progress=progress)
            print(summary.line())
            return 0
        if args.command == "report":
            from .report import report

            summary = report(course, args.assignment, output=args.output, roster=args.roster, progress=progress)
            print(summary.line())
            return 0
    except GradingError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Stopped. Grades already saved are kept; run the command again to finish.", file=sys.stderr)
        return 130
    parser.print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
