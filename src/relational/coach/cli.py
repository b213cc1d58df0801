"""Command line: python -m relational.coach [--kind self|us|now] [--format json|text|html] [FILE|-], or --jsonl IN.jsonl."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import BinaryIO

from relational.coach.results import KINDS

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE = 0, 1, 2


class InputError(Exception):
    """Input the coach cannot read; the message is for the learner or facilitator."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m relational.coach",
        description="Feedback on a story draft: values language, narrative moves, emotions, the ask, and prompts.",
        epilog="Batch mode: --jsonl IN.jsonl reads one JSON object a line ({\"text\": ..., \"id\": ..., \"kind\": ...}) "
               "and writes one JSON result a line, each with its id (the line number when none is given).",
    )
    parser.add_argument("file", nargs="?", default="-", help="a UTF-8 text file with the draft, or - for standard input")
    parser.add_argument("--kind", choices=KINDS, help="which story the draft is meant to be")
    parser.add_argument("--format", choices=("json", "text", "html"), default="json", help="output format (default json)")
    parser.add_argument("--jsonl", metavar="IN.jsonl", help="analyse many drafts, one JSON object a line (- for stdin)")
    parser.add_argument("--check-data", action="store_true",
                        help="validate the coach's data files (and local terms) and print the lexicon size per family")
    return parser


def _read_bytes(name: str) -> bytes:
    if name == "-":
        return sys.stdin.buffer.read()
    path = Path(name)
    if not path.exists():
        raise InputError(f"{name}: no such file.")
    if path.is_dir():
        raise InputError(f"{name}: is a folder; give a text file.")
    try:
        return path.read_bytes()
    except OSError as err:
        raise InputError(f"{name}: cannot read the file ({err.strerror or err}).") from None


def _decode(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(
            f"{where}: not valid UTF-8 text (byte 0x{data[err.start]:02x} at position {err.start}). "
            "Save the file as UTF-8 (plain text) and try again."
        ) from None


def _write(out: BinaryIO, text: str) -> None:
    out.write(text.encode("utf-8", errors="replace"))


def _format(feedback, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(feedback.to_dict(), ensure_ascii=False) + "\n"
    from relational import render

    return render.to_text(feedback) if fmt == "text" else render.highlight(feedback) + "\n"


def run_one(args: argparse.Namespace, out: BinaryIO) -> int:
    """Analyse one draft and write it in the chosen format."""
    from relational.coach.analysis import analyse

    source = "standard input" if args.file == "-" else args.file
    text = _decode(_read_bytes(args.file), source)
    feedback = analyse(text, args.kind)
    too_long = [n for n in feedback.notices if n.code == "too_long"]
    if too_long:
        raise InputError(f"{source}: {too_long[0].message}")
    _write(out, _format(feedback, args.format))
    return EXIT_OK


def run_batch(args: argparse.Namespace, out: BinaryIO) -> int:
    """Analyse one draft a line of a JSONL file; a bad line gets an error result and a message on stderr."""
    from relational.coach.analysis import analyse

    if args.format != "json":
        raise InputError("--jsonl writes JSON lines; leave out --format or use --format json.")
    source = "standard input" if args.jsonl == "-" else args.jsonl
    data = _read_bytes(args.jsonl)
    status = EXIT_OK
    for number, raw in enumerate(data.splitlines(), start=1):
        if not raw.strip():
            continue
        ident: object = number
        try:
            line = _decode(raw, f"{source}, line {number}")
            try:
                item = json.loads(line)
            except json.JSONDecodeError as err:
                raise InputError(f"{source}, line {number}: not valid JSON ({err.msg}).") from None
            if not isinstance(item, dict):
                raise InputError(f"{source}, line {number}: each line must be a JSON object with a \"text\" field.")
            ident = item.get("id", number)
            text = item.get("text")
            if not isinstance(text, str):
                raise InputError(f"{source}, line {number}: \"text\" is missing or is not a string.")
            kind = item.get("kind", args.kind)
            if kind is not None and kind not in KINDS:
                raise InputError(f"{source}, line {number}: kind must be one of {', '.join(KINDS)}, not {kind!r}.")
            feedback = analyse(text, kind)
            too_long = [n for n in feedback.notices if n.code == "too_long"]
            if too_long:
                raise InputError(f"{source}, line {number}: {too_long[0].message}")
            result = {"id": ident, **feedback.to_dict()}
        except InputError as err:
            print(f"coach: {err}", file=sys.stderr)
            status = EXIT_BAD_INPUT
            result = {"id": ident, "error": str(err)}
        _write(out, json.dumps(result, ensure_ascii=False) + "\n")
    return status


def check_data(out: BinaryIO) -> int:
    """Validate the data files and print the lexicon size per family."""
    from relational.coach.lexicon import load_lexicon

    lexicon = load_lexicon()
    lines = [f"{family}: {count}" for family, count in lexicon.family_counts().items()]
    lines.append(f"total values entries: {len(lexicon.values)}; traps: {len(lexicon.traps)}; cues: {len(lexicon.cues)}")
    _write(out, "\n".join(lines) + "\n")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 bad input, 2 usage or data error)."""
    from relational.coach.lexicon import LexiconError

    args = _parser().parse_args(argv)
    out = sys.stdout.buffer
    try:
        if args.check_data:
            return check_data(out)
        if args.jsonl:
            if args.file != "-":
                raise InputError("give either a FILE or --jsonl, not both.")
            return run_batch(args, out)
        return run_one(args, out)
    except InputError as err:
        print(f"coach: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except LexiconError as err:
        print(f"coach: a data file is not valid: {err}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. piped into head); nothing more to say.
        sys.stderr.close()
        return EXIT_OK
    finally:
        try:
            out.flush()
        except (BrokenPipeError, ValueError):
            pass
