"""Command line for facilitators and scripts: add to and list the workshop board, export it, print a rota.

    python -m relational.workshop pledge add --board DIR --who NAME --text TEXT [--by DATE]
    python -m relational.workshop pledge list --board DIR [--format json|csv|text|html] [--target N] [--check]
    python -m relational.workshop story add --board DIR --who NAME (--text TEXT | --file FILE) [--values-only]
    python -m relational.workshop feedback add --board DIR --teller NAME --coach NAME --moved TEXT ...
    python -m relational.workshop export --board DIR --out FOLDER
    python -m relational.workshop rota (--board DIR | --names FILE) [--kind pairs|trios] [--rounds N]

Bad input gets a clear message on stderr and exit status 1 (2 for a mistake in the command itself).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from relational.files import write_atomic
from relational.workshop.store import STORY_KINDS, Feedback, Pledge, Store, StoreError, Story

# CSV exports carry a byte-order mark: Excel then reads names such as Siân or Zoë correctly.
EXCEL_UTF8 = "utf-8-sig"

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

PLEDGE_COLUMNS = ["id", "who", "text", "by", "created"]
STORY_COLUMNS = ["id", "who", "kind", "shared", "text", "values", "families", "created"]
FEEDBACK_COLUMNS = ["id", "round", "teller", "coach", "timekeeper", "moved", "values_heard", "more_detail",
                    "suggestion", "created"]


class UsageError(Exception):
    """A mistake in what was asked for (not a problem with the board)."""


def _safe_cell(value: Any) -> Any:
    """A cell a spreadsheet will show as text: a leading = + - @ would otherwise run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _story_row(story: Story) -> dict[str, Any]:
    return {"id": story.id, "who": story.who, "kind": story.kind, "shared": story.shared,
            "text": story.text if story.text is not None else "",
            "values": "; ".join(v.text for v in story.values),
            "families": "; ".join(sorted({v.family for v in story.values})), "created": story.created}


def _rows(kind: str, entries: Sequence[Pledge | Story | Feedback]) -> tuple[list[str], list[dict[str, Any]]]:
    if kind == "pledge":
        return PLEDGE_COLUMNS, [e.to_dict() for e in entries]  # type: ignore[union-attr]
    if kind == "story":
        return STORY_COLUMNS, [_story_row(e) for e in entries]  # type: ignore[arg-type]
    return FEEDBACK_COLUMNS, [e.to_dict() for e in entries]  # type: ignore[union-attr]


def _csv_text(columns: list[str], rows: Iterable[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _safe_cell("" if row.get(k) is None else row.get(k)) for k in columns})
    return buffer.getvalue()


def _open(args: argparse.Namespace, create: bool = False) -> Store:
    return Store(args.board, create=create)


def _announce(kind: str, added: Any) -> None:
    entry = added.entry
    if added.new:
        print(f"Added {kind} {entry.id} from {getattr(entry, 'who', None) or entry.coach}.")
    else:
        print(f"Already on the board: {kind} {entry.id} (nothing added twice).")


# --- commands --------------------------------------------------------------------------------------------------

def cmd_init(args: argparse.Namespace) -> None:
    # Only init makes the folder: a mistyped --board on any other command must not create a stray one.
    folder = Path(args.board)
    if not folder.exists():
        try:
            folder.mkdir(parents=True)
        except OSError as err:
            raise UsageError(f"Could not make the workshop folder {folder}: {err.strerror}.") from None
    with _open(args, create=True) as store:
        print(f"The workshop board is ready: {store.path}")


def cmd_pledge_add(args: argparse.Namespace) -> None:
    with _open(args, create=True) as store:
        _announce("pledge", store.add_pledge(args.who, args.text, args.by, id=args.id))


def cmd_story_add(args: argparse.Namespace) -> None:
    if (args.text is None) == (args.file is None):
        raise UsageError("Give the story with exactly one of --text or --file.")
    if args.file is not None:
        try:
            text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
        except OSError as error:
            raise UsageError(f"Could not read {args.file}: {error.strerror}.") from None
        except UnicodeDecodeError:
            raise UsageError(f"{args.file} is not UTF-8 text.") from None
    else:
        text = args.text
    from relational.workshop.group import add_story

    with _open(args, create=True) as store:
        _announce("story", add_story(store, args.who, text, kind=args.kind, share_text=not args.values_only,
                                     id=args.id))


def cmd_feedback_add(args: argparse.Namespace) -> None:
    with _open(args, create=True) as store:
        _announce("feedback form", store.add_feedback(
            args.teller, args.coach, timekeeper=args.timekeeper, round=args.round, moved=args.moved,
            values_heard=args.values_heard, more_detail=args.more_detail, suggestion=args.suggestion, id=args.id))


def _lister(kind: str) -> Callable[[argparse.Namespace], None]:
    def run(args: argparse.Namespace) -> None:
        with _open(args) as store:
            entries = {"pledge": store.pledges, "story": store.stories, "feedback": store.feedback}[kind]()
        if kind == "pledge" and (args.format in ("text", "html") or args.check or args.target):
            from relational.workshop.pledges import board_html, board_text, build_board

            board = build_board(entries, args.target, check=args.check)
            if args.format == "json":
                print(json.dumps(board.to_dict()["pledges"], ensure_ascii=False, indent=1))
            elif args.format == "csv":
                rows = board.to_dict()["pledges"]
                sys.stdout.write(_csv_text(PLEDGE_COLUMNS + ["vague", "reason"], rows))
            else:
                print(board_html(board) if args.format == "html" else board_text(board))
            return
        if args.format == "json":
            print(json.dumps([e.to_dict() for e in entries], ensure_ascii=False, indent=1))
        elif args.format == "csv":
            columns, rows = _rows(kind, entries)
            sys.stdout.write(_csv_text(columns, rows))
        else:
            columns, rows = _rows(kind, entries)
            if args.format == "html":
                import html

                head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in columns)
                body = "".join("<tr>" + "".join(f"<td>{html.escape(str(r.get(c) if r.get(c) is not None else ''))}</td>"
                                                for c in columns) + "</tr>" for r in rows)
                print(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
            else:
                for r in rows:
                    print(" | ".join(str(r.get(c) if r.get(c) is not None else "") for c in columns))
    return run


def cmd_export(args: argparse.Namespace) -> None:
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"Could not make the folder {out}: {error.strerror}.") from None
    with _open(args) as store:
        pledges, stories, forms = store.pledges(), store.stories(), store.feedback()
    written = []
    for name, kind, entries in (("pledges.csv", "pledge", pledges), ("stories.csv", "story", stories),
                                ("feedback.csv", "feedback", forms)):
        columns, rows = _rows(kind, entries)
        write_atomic(out / name, _csv_text(columns, rows), encoding=EXCEL_UTF8, private=True)
        written.append(f"{name} ({len(rows)} rows)")
    if stories:
        from relational.workshop.group import values_matrix

        matrix = values_matrix(stories).reset_index()
        write_atomic(out / "values_by_member.csv",
                     _csv_text(list(matrix.columns), matrix.to_dict(orient="records")), encoding=EXCEL_UTF8, private=True)
        written.append(f"values_by_member.csv ({len(matrix)} rows)")
    print(f"Exported to {out}: " + ", ".join(written) + ".")


def cmd_rota(args: argparse.Namespace) -> None:
    from relational.workshop.rota import coaching_rounds, pair_rounds

    if (args.board is None) == (args.names is None):
        raise UsageError("Give the people with exactly one of --board (everyone on the board) or --names FILE.")
    if args.board is not None:
        with Store(args.board) as store:
            people = store.members()
    else:
        try:
            source = sys.stdin.read() if args.names == "-" else Path(args.names).read_text(encoding="utf-8")
        except OSError as error:
            raise UsageError(f"Could not read {args.names}: {error.strerror}.") from None
        people = [line.strip() for line in source.splitlines() if line.strip()]
    if args.kind == "pairs":
        rota = pair_rounds(people, args.rounds, seed=args.seed)
        frame = rota.to_frame()
        shown = {"text": rota.to_text, "html": rota.to_html}
    else:
        sessions = coaching_rounds(people, args.rounds, seed=args.seed or 0)
        import pandas as pd

        frame = pd.concat([s.to_frame() for s in sessions], ignore_index=True)
        shown = {"text": lambda: frame.to_string(index=False), "html": lambda: "\n".join(s.to_html() for s in sessions)}
    if args.format == "json":
        print(frame.to_json(orient="records", force_ascii=False))
    elif args.format == "csv":
        sys.stdout.write(_csv_text(list(frame.columns), frame.to_dict(orient="records")))
    else:
        print(shown[args.format]())


def cmd_check(args: argparse.Namespace) -> None:
    with _open(args) as store:
        result = store.integrity_check()
        counts = store.counts()
    if result != ["ok"]:
        raise StoreError(f"The board failed its integrity check: {'; '.join(result[:5])}")
    print(f"The board is sound: {counts['pledges']} pledges, {counts['stories']} stories, "
          f"{counts['feedback']} feedback forms from {counts['members']} members.")


# --- parser ----------------------------------------------------------------------------------------------------

def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be 1 or more")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m relational.workshop",
                                     description="The workshop board: pledges, stories, feedback forms and rotas.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def board(p: argparse.ArgumentParser, required: bool = True) -> None:
        p.add_argument("--board", required=required, metavar="DIR", help="the workshop folder (holds workshop.sqlite)")

    def listing(p: argparse.ArgumentParser, kind: str) -> None:
        board(p)
        p.add_argument("--format", choices=["json", "csv", "text", "html"], default="text")
        p.set_defaults(run=_lister(kind))

    def entry_id(p: argparse.ArgumentParser) -> None:
        p.add_argument("--id", metavar="UUID", help="your own id for this entry, so a retry is never stored twice")

    init = commands.add_parser("init", help="make an empty board in a folder")
    board(init)
    init.set_defaults(run=cmd_init)

    pledge = commands.add_parser("pledge", help="add or list pledges").add_subparsers(dest="action", required=True)
    add = pledge.add_parser("add", help="add a pledge")
    board(add)
    add.add_argument("--who", required=True, help="who is pledging")
    add.add_argument("--text", required=True, help="what they will do")
    add.add_argument("--by", metavar="DATE", help="by when (2026-06-30 or 30/06/2026)")
    entry_id(add)
    add.set_defaults(run=cmd_pledge_add)
    show = pledge.add_parser("list", help="list pledges")
    listing(show, "pledge")
    show.add_argument("--target", type=_positive, help="the number of pledges the group is aiming for")
    show.add_argument("--check", action="store_true", help="flag vague pledges with the story coach")

    story = commands.add_parser("story", help="add or list stories").add_subparsers(dest="action", required=True)
    add = story.add_parser("add", help="add a story (its values are found by the coach)")
    board(add)
    add.add_argument("--who", required=True)
    add.add_argument("--text", help="the story")
    add.add_argument("--file", help="read the story from a UTF-8 file ('-' for standard input)")
    add.add_argument("--kind", choices=STORY_KINDS, default="self")
    add.add_argument("--values-only", action="store_true", help="share only the values found, not the text")
    entry_id(add)
    add.set_defaults(run=cmd_story_add)
    listing(story.add_parser("list", help="list stories"), "story")

    feedback = commands.add_parser("feedback", help="add or list coaching feedback forms").add_subparsers(
        dest="action", required=True)
    add = feedback.add_parser("add", help="add a feedback form (the coach writes it for the teller)")
    board(add)
    add.add_argument("--teller", required=True)
    add.add_argument("--coach", required=True)
    add.add_argument("--timekeeper")
    add.add_argument("--round", type=_positive)
    add.add_argument("--moved", default="", help="what moved you")
    add.add_argument("--values-heard", default="", help="what values you heard")
    add.add_argument("--more-detail", default="", help="where you wanted more detail")
    add.add_argument("--suggestion", default="", help="one suggestion")
    entry_id(add)
    add.set_defaults(run=cmd_feedback_add)
    listing(feedback.add_parser("list", help="list feedback forms"), "feedback")

    export = commands.add_parser("export", help="write CSV files for the facilitator")
    board(export)
    export.add_argument("--out", required=True, metavar="FOLDER")
    export.set_defaults(run=cmd_export)

    rota = commands.add_parser("rota", help="pairs for one-to-one rounds, or trios for coaching rounds")
    board(rota, required=False)
    rota.add_argument("--names", metavar="FILE", help="one name a line ('-' for standard input)")
    rota.add_argument("--kind", choices=["pairs", "trios"], default="pairs")
    rota.add_argument("--rounds", type=_positive, default=5)
    rota.add_argument("--seed", type=int, help="shuffle the people first (the same seed gives the same rota)")
    rota.add_argument("--format", choices=["json", "csv", "text", "html"], default="text")
    rota.set_defaults(run=cmd_rota)

    check = commands.add_parser("check", help="run SQLite's integrity check on the board")
    board(check)
    check.set_defaults(run=cmd_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure") and (stream.encoding or "").lower().replace("-", "") != "utf8":
            stream.reconfigure(encoding="utf-8")  # names like Siân must print whatever the locale
    args = build_parser().parse_args(argv)
    try:
        args.run(args)
    except (StoreError, UsageError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"error: {error.strerror or error} ({error.filename or 'file'})", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 130
    except Exception as error:  # never a traceback for a facilitator; say what went wrong in one line
        print(f"error: something unexpected went wrong ({type(error).__name__}: {error}). "
              "Please report this.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
