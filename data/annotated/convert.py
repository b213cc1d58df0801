"""Turn the marked-up drafts in source/*.md into drafts.jsonl, computing offsets and validating everything.

The markup is described in README.md ("The source format"). In short:

    ### self-001                       starts a draft (the prefix gives its kind)
    ### fresh2-self-01                 a draft of a fixed batch (only in source/fresh2.md)
    %% a note                          annotator's note (optional, any number)
    One sentence per line. {{challenge, choice}}
    | A line starting with "| " follows the previous sentence after a single newline.
    (a blank line is a paragraph break)
    [dignity]{universalism}  [care package]{trap}  <<Come on Tuesday at 7.>>{specific}

Usage:
    python data/annotated/convert.py            # write drafts.jsonl
    python data/annotated/convert.py --check    # exit 1 if drafts.jsonl is out of date
    python data/annotated/convert.py --stats    # print the counts used in README.md
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE_DIR = HERE / "source"
OUTPUT = HERE / "drafts.jsonl"

FAMILIES = (
    "self_direction", "stimulation", "hedonism", "achievement", "power",
    "security", "conformity", "tradition", "benevolence", "universalism",
)
KINDS = ("self", "us", "now")
MOVES = ("challenge", "choice", "outcome")
SENTENCE_TAGS = ("abstract",) + MOVES
CTA_LABELS = {"specific": True, "vague": False}
MIN_WORDS, MAX_WORDS = 40, 400

# The held-out third of the original drafts is drawn per kind with this seed (see README.md, "Splits").
SPLIT_SEED = 20250603
HELDOUT_SHARE = 1 / 3

# Fresh batches are fixed, not drawn. A batch is a file source/<name>.md holding exactly the drafts whose
# ids start with "<name>-" (fresh-self-01 in fresh.md, fresh2-now-07 in fresh2.md). Batches take no part in
# the dev/heldout draw, so adding one leaves the assignment of the original drafts exactly as it was, and
# they come after the original drafts in drafts.jsonl, batch by batch. The newest batch is the "fresh"
# split: written after the coach was tuned, by someone who never saw the coach, and measured once. Once it
# has been measured and its errors read, it is retired: its drafts join dev and a new batch is written.
FRESH = "fresh"
FRESH_BATCHES = ("fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh6", "fresh7", "fresh8", "fresh9", "fresh10", "fresh11", "fresh12", "fresh13", "fresh14", "fresh15", "fresh16", "fresh17", "fresh18", "fresh19", "fresh20", "fresh21", "fresh22", "fresh23", "fresh24", "fresh25", "fresh26", "fresh27", "fresh28")  # oldest first
RETIRED_BATCHES = ("fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh6", "fresh7", "fresh8", "fresh9", "fresh10", "fresh11", "fresh12", "fresh13", "fresh14", "fresh15", "fresh16", "fresh17", "fresh18", "fresh19", "fresh20", "fresh21", "fresh22", "fresh23", "fresh24", "fresh25", "fresh26", "fresh27")  # each measured once, then used for tuning: split "dev"
SPLITS = ("dev", "heldout", FRESH)

ID_RE = re.compile(r"^(?:(fresh\d*)-(self|us|now)-\d{2}|(self|us|now)-\d{3})$")
TAGS_RE = re.compile(r"\s*\{\{([^{}]*)\}\}\s*$")
LABEL_RE = re.compile(r"\{([a-z_]+)\}")


class MarkupError(ValueError):
    """A problem in the marked-up source, naming the file and line."""


def _fail(where: str, message: str) -> None:
    raise MarkupError(f"{where}: {message}")


def _parse_tags(raw: str, where: str) -> tuple[bool, list[str]]:
    tags = [t.strip() for t in re.split(r"[,\s]+", raw) if t.strip()]
    for tag in tags:
        if tag not in SENTENCE_TAGS:
            _fail(where, f"unknown sentence tag {tag!r} (use {', '.join(SENTENCE_TAGS)})")
    if len(set(tags)) != len(tags):
        _fail(where, f"repeated sentence tag in {{{{{raw}}}}}")
    return "abstract" in tags, [m for m in MOVES if m in tags]


class _Draft:
    """Accumulates one draft's text and spans while its lines are read."""

    def __init__(self, draft_id: str, where: str) -> None:
        self.id = draft_id
        self.where = where
        m = ID_RE.match(draft_id)
        self.kind = m.group(2) or m.group(3)
        self.notes: list[str] = []
        self.out: list[str] = []
        self.length = 0
        self.values: list[dict] = []
        self.traps: list[dict] = []
        self.sentences: list[dict] = []
        self.cta: dict | None = None
        self.cta_open: int | None = None
        self.pending_break = False

    def emit(self, s: str) -> None:
        self.out.append(s)
        self.length += len(s)

    def add_line(self, line: str, where: str) -> None:
        m = TAGS_RE.search(line)
        abstract, moves = (False, [])
        if m:
            abstract, moves = _parse_tags(m.group(1), where)
            line = line[: m.start()]
        line = line.strip()
        if line.startswith("| "):
            if not self.sentences or self.pending_break:
                _fail(where, '"| " continues a previous sentence line, but there is none just above')
            self.emit("\n")
            line = line[2:].lstrip()
        elif self.sentences:
            self.emit("\n\n" if self.pending_break else " ")
        self.pending_break = False
        start = self.length
        self._scan(line, where)
        end = self.length
        if end == start:
            _fail(where, "empty sentence after removing the markup")
        self.sentences.append({"start": start, "end": end, "abstract_claim": abstract, "moves": moves})

    def _scan(self, line: str, where: str) -> None:
        value_open: int | None = None
        i = 0
        while i < len(line):
            ch = line[i]
            if ch == "\\" and i + 1 < len(line):
                self.emit(line[i + 1])
                i += 2
            elif line.startswith("<<", i):
                if self.cta_open is not None or self.cta is not None:
                    _fail(where, "only one call to action (<<...>>) per draft")
                if value_open is not None:
                    _fail(where, "a call to action cannot start inside a [value] mark")
                self.cta_open = self.length
                i += 2
            elif line.startswith(">>", i):
                m = LABEL_RE.match(line, i + 2)
                if self.cta_open is None or not m or m.group(1) not in CTA_LABELS:
                    _fail(where, "'>>' must close a '<<' and be followed by {specific} or {vague}")
                if value_open is not None:
                    _fail(where, "a call to action cannot end inside a [value] mark")
                self.cta = {"start": self.cta_open, "end": self.length, "specific": CTA_LABELS[m.group(1)]}
                self.cta_open = None
                i = m.end()
            elif ch == "[":
                if value_open is not None:
                    _fail(where, "marks cannot nest: '[' inside '[...]'")
                value_open = self.length
                i += 1
            elif ch == "]":
                m = LABEL_RE.match(line, i + 1)
                if value_open is None or not m:
                    _fail(where, "']' must close a '[' and be followed by {family} or {trap}")
                label = m.group(1)
                span = {"start": value_open, "end": self.length}
                if label == "trap":
                    self.traps.append(span)
                elif label in FAMILIES:
                    span["family"] = label
                    self.values.append(span)
                else:
                    _fail(where, f"unknown label {{{label}}} (a Schwartz family or 'trap')")
                value_open = None
                i = m.end()
            elif ch in "{}":
                _fail(where, f"stray {ch!r}; escape it as '\\{ch}' if it is part of the text")
            else:
                self.emit(ch)
                i += 1
        if value_open is not None:
            _fail(where, "a '[' is not closed on its line")

    def finish(self) -> dict:
        where = self.where
        if self.cta_open is not None:
            _fail(where, f"{self.id}: a '<<' is never closed")
        if not self.sentences:
            _fail(where, f"{self.id}: no text")
        text = "".join(self.out)
        for span in self.values + self.traps:
            span["text"] = text[span["start"]:span["end"]]
            if span["text"] != span["text"].strip():
                _fail(where, f"{self.id}: span {span['text']!r} starts or ends with a space")
        words = len(text.split())
        if not MIN_WORDS <= words <= MAX_WORDS:
            _fail(where, f"{self.id}: {words} words, outside {MIN_WORDS} to {MAX_WORDS}")
        marks = sorted(self.values + self.traps, key=lambda s: s["start"])
        for a, b in zip(marks, marks[1:]):
            if b["start"] < a["end"]:
                _fail(where, f"{self.id}: marks overlap: {a['text']!r} and {b['text']!r}")
        for span in marks:
            if not any(s["start"] <= span["start"] and span["end"] <= s["end"] for s in self.sentences):
                _fail(where, f"{self.id}: mark {span['text']!r} crosses a sentence boundary")
        cta = {"present": False, "start": None, "end": None, "specific": None}
        if self.cta:
            cta = {"present": True, **self.cta}
        return {
            "id": self.id,
            "kind": self.kind,
            "split": None,
            "text": text,
            "values": [{k: v[k] for k in ("start", "end", "text", "family")} for v in self.values],
            "traps": [{k: t[k] for k in ("start", "end", "text")} for t in self.traps],
            "sentences": self.sentences,
            "call_to_action": cta,
            "notes": " ".join(self.notes),
        }


def parse_file(path: Path) -> list[dict]:
    """Drafts in one marked-up source file, in file order."""
    drafts: list[dict] = []
    current: _Draft | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        where = f"{path.name}:{number}"
        line = raw.rstrip()
        if line.startswith("### "):
            if current:
                drafts.append(current.finish())
            draft_id = line[4:].strip()
            match = ID_RE.match(draft_id)
            if not match:
                _fail(where, f"draft id {draft_id!r} should look like self-001, us-001 or now-001 "
                             f"(or fresh2-self-01 in fresh2.md)")
            batch = match.group(1)
            if batch is not None and batch not in FRESH_BATCHES:
                _fail(where, f"draft id {draft_id!r}: {batch!r} is not a known batch "
                             f"({', '.join(FRESH_BATCHES)}); add it to FRESH_BATCHES in convert.py")
            if path.stem in FRESH_BATCHES and batch != path.stem:
                _fail(where, f"draft id {draft_id!r}: {path.name} holds only ids starting {path.stem + '-'!r}")
            if batch is not None and path.stem != batch:
                _fail(where, f"draft id {draft_id!r}: ids starting {batch + '-'!r} belong in {batch}.md")
            current = _Draft(draft_id, where)
        elif current is None:
            continue  # commentary before the first draft
        elif line.startswith("%%"):
            current.notes.append(line[2:].strip())
        elif not line.strip():
            if current.sentences:
                current.pending_break = True
        else:
            current.add_line(line, where)
    if current:
        drafts.append(current.finish())
    return drafts


def batch_of(draft: dict) -> str | None:
    """The fresh batch a draft was written in ("fresh", "fresh2", ...), or None for an original draft."""
    match = ID_RE.match(draft["id"])
    return match.group(1) if match else None


def is_fresh(draft: dict) -> bool:
    """Whether a draft was written in a fixed batch (retired or not), outside the dev/heldout draw."""
    return batch_of(draft) is not None


def batch_order(draft: dict) -> int:
    """0 for original drafts, then 1, 2, ... for the batches, oldest first."""
    batch = batch_of(draft)
    return 0 if batch is None else FRESH_BATCHES.index(batch) + 1


def assign_splits(drafts: list[dict]) -> None:
    """Drafts of the current batch get split "fresh", those of retired batches "dev"; of the original drafts,
    a random third of each kind is heldout (fixed seed), the rest dev. Batches are left out of the draw, so
    they cannot change the dev/heldout assignment."""
    rng = random.Random(SPLIT_SEED)
    for d in drafts:
        if is_fresh(d):
            d["split"] = "dev" if batch_of(d) in RETIRED_BATCHES else FRESH
    for kind in KINDS:
        ids = sorted(d["id"] for d in drafts if d["kind"] == kind and not is_fresh(d))
        heldout = set(rng.sample(ids, round(len(ids) * HELDOUT_SHARE)))
        for d in drafts:
            if d["kind"] == kind and not is_fresh(d):
                d["split"] = "heldout" if d["id"] in heldout else "dev"


def build(source_dir: Path = SOURCE_DIR) -> list[dict]:
    """All drafts from source_dir/*.md, validated, with splits assigned."""
    drafts: list[dict] = []
    for path in sorted(source_dir.glob("*.md")):
        drafts.extend(parse_file(path))
    seen = Counter(d["id"] for d in drafts)
    duplicates = [i for i, n in seen.items() if n > 1]
    if duplicates:
        raise MarkupError(f"duplicate draft ids: {', '.join(sorted(duplicates))}")
    # Original drafts first (by kind, then id), then each batch in the same order, oldest first, so a new
    # batch's lines are appended after all the earlier lines of drafts.jsonl.
    drafts.sort(key=lambda d: (batch_order(d), KINDS.index(d["kind"]), d["id"]))
    assign_splits(drafts)
    return drafts


def dumps(drafts: list[dict]) -> str:
    """The exact contents of drafts.jsonl."""
    return "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in drafts)


def stats(drafts: list[dict], title: str = "all drafts") -> str:
    """Counts for README.md, as plain text."""
    lines = [f"== {title} ({len(drafts)}) =="]
    by = Counter((d["kind"], d["split"]) for d in drafts)
    lines.append("drafts by kind and split:")
    for kind in KINDS:
        lines.append(f"  {kind:5} " + "  ".join(f"{s} {by[kind, s]:3}" for s in SPLITS)
                     + f"  total {sum(by[kind, s] for s in SPLITS):3}")
    lines.append("  all   " + "  ".join(f"{s} {sum(by[k, s] for k in KINDS):3}" for s in SPLITS)
                 + f"  total {len(drafts):3}")
    fam = Counter(v["family"] for d in drafts for v in d["values"])
    lines.append(f"value spans: {sum(fam.values())}")
    for f in FAMILIES:
        lines.append(f"  {f:15} {fam[f]:4}")
    traps = [t["text"] for d in drafts for t in d["traps"]]
    lines.append(f"trap spans: {len(traps)} ({len(set(t.lower() for t in traps))} distinct phrases)")
    sents = [s for d in drafts for s in d["sentences"]]
    lines.append(f"sentences: {len(sents)}; abstract claims: {sum(s['abstract_claim'] for s in sents)}")
    for m in MOVES:
        lines.append(f"  sentences with {m}: {sum(m in s['moves'] for s in sents)}; "
                     f"drafts with {m}: {sum(any(m in s['moves'] for s in d['sentences']) for d in drafts)}")
    for kind in KINDS:
        ctas = [d["call_to_action"] for d in drafts if d["kind"] == kind]
        specific = sum(bool(c["specific"]) for c in ctas)
        present = sum(c["present"] for c in ctas)
        lines.append(f"calls to action in {kind}: {present} present "
                     f"({specific} specific, {present - specific} vague) of {len(ctas)}")
    words = [len(d["text"].split()) for d in drafts]
    lines.append(f"words per draft: min {min(words)}, median {sorted(words)[len(words) // 2]}, max {max(words)}")
    lines.append(f"drafts with no value spans: {sum(not d['values'] for d in drafts)}; "
                 f"with at most one: {sum(len(d['values']) <= 1 for d in drafts)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if drafts.jsonl is out of date")
    parser.add_argument("--stats", action="store_true", help="print counts")
    args = parser.parse_args(argv)
    try:
        drafts = build()
    except MarkupError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    content = dumps(drafts)
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != content:
            print(f"{OUTPUT.name} is out of date: run python data/annotated/convert.py", file=sys.stderr)
            return 1
        print(f"{OUTPUT.name} is up to date ({len(drafts)} drafts)")
    else:
        OUTPUT.write_text(content, encoding="utf-8")
        print(f"wrote {len(drafts)} drafts to {OUTPUT}")
    if args.stats:
        groups = [("original drafts (dev and heldout)", [d for d in drafts if not is_fresh(d)])]
        groups += [(f"batch {b}" + (" (retired: dev)" if b in RETIRED_BATCHES else " (the fresh split)"),
                    [d for d in drafts if batch_of(d) == b]) for b in FRESH_BATCHES]
        for title, group in groups:
            if group:
                print(stats(group, title))
    return 0


if __name__ == "__main__":
    sys.exit(main())
