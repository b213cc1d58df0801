"""Loading and validation of the coach's data files (values lexicon, traps, heads, sense rules, cues)."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from relational.coach.results import EMOTIONS, FAMILIES, MOVES

OVERRIDES_ENV = "RELATIONAL_COACH_OVERRIDES"
MATCH_MODES = ("lemma", "lower")
SENSES = ("service", "name", "filler", "hedge", "other")
CUE_LABELS: dict[str, tuple[str, ...]] = {
    "move": MOVES,
    "emotion": EMOTIONS,
    "claim": ("frame", "belief", "anchor"),
    "ask": ("ask", "rhetorical", "vague", "when", "where", "action", "commit"),
}
# A value term whose family is "*" takes the family of the nearest value in its sentence ("it mattered to me").
ANY_FAMILY = "*"
NOT_VALUE = "not_value"


class LexiconError(ValueError):
    """A data file is missing or malformed; the message names the file and the line."""


@dataclass(frozen=True)
class ValueEntry:
    """One values-lexicon entry."""

    term: str
    family: str
    match: str
    source: str


@dataclass(frozen=True)
class Trap:
    """A phrase in a service, name, filler or hedge sense that must not be flagged as values language."""

    phrase: str
    sense: str
    match: str
    source: str


@dataclass(frozen=True)
class SenseRule:
    """If the token on `side` of the cue is one of `words`, the cue is read in `sense` and not flagged, unless the
    token on the other side is one of `unless` ("a fair" is the event, but "a fair hearing" is a value)."""

    cue: str
    side: str
    words: frozenset[str]
    sense: str
    unless: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Cue:
    """A cue word or phrase for a narrative move, an emotion, an abstract claim or a call to action."""

    cue: str
    group: str
    label: str
    match: str


@dataclass(frozen=True)
class WindowPattern:
    """A head word or phrase that is values language when one of `words` is within `window` tokens on `side`.

    "help" is benevolence when a person follows within four words ("helped four hundred people"); "health" is
    security when a belief verb comes just before it ("we believe health should not depend on your postcode").
    Only the head is marked. A word in `unless_prev` just before the head cancels the pattern ("my health is").
    """

    head: str
    side: str
    window: int
    words: frozenset[str]
    family: str
    unless_prev: frozenset[str]
    source: str


@dataclass(frozen=True)
class Lexicon:
    """All the coach's data, validated."""

    values: tuple[ValueEntry, ...]
    traps: tuple[Trap, ...]
    service_heads: dict[str, frozenset[str]]  # head lemma -> value lemmas it applies to (empty = any)
    name_heads: frozenset[str]
    sense_rules: dict[str, tuple[SenseRule, ...]]
    cues: tuple[Cue, ...]
    patterns: tuple[WindowPattern, ...] = ()

    def family_counts(self) -> dict[str, int]:
        """How many values entries each family has."""
        counts = dict.fromkeys(FAMILIES, 0)
        for entry in self.values:
            if entry.family in counts:
                counts[entry.family] += 1
        return counts


def default_dir() -> Path:
    """The folder of the coach's data files (data/coach, or RELATIONAL_DATA/coach)."""
    from relational.paths import data_dir

    return data_dir() / "coach"


def read_rows(path: Path, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a CSV data file with their line numbers; '#' lines and blank lines are skipped.

    Args:
        path: the CSV file.
        required: columns that must be in the header and non-empty in every row.
        optional: columns that may be missing or empty.

    Returns:
        An iterator of (line number, row) pairs, values stripped.
    """
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as err:
        raise LexiconError(f"{path}: cannot read the file ({err.strerror or err}).") from None
    with handle:
        lines = ((n, line) for n, line in enumerate(handle, start=1) if line.strip() and not line.lstrip().startswith("#"))
        header: list[str] | None = None
        try:
            for number, line in lines:
                cells = next(csv.reader([line]))
                cells = [c.strip() for c in cells]
                if header is None:
                    header = cells
                    missing = [c for c in required if c not in header]
                    if missing:
                        raise LexiconError(f"{path}, line {number}: the header lacks the column(s) {', '.join(missing)}; "
                                           f"expected {', '.join(required + optional)}.")
                    unknown = [c for c in header if c not in required + optional]
                    if unknown:
                        raise LexiconError(f"{path}, line {number}: unknown column(s) {', '.join(unknown)}.")
                    continue
                if len(cells) > len(header):
                    raise LexiconError(f"{path}, line {number}: {len(cells)} cells but the header has {len(header)} columns "
                                       "(a comma inside a term? Terms cannot contain commas).")
                row = dict(zip(header, cells + [""] * (len(header) - len(cells))))
                for column in required:
                    if not row[column] and column != "cues":
                        raise LexiconError(f"{path}, line {number}: the column '{column}' is empty.")
                yield number, row
        except UnicodeDecodeError as err:
            raise LexiconError(f"{path}: not valid UTF-8 ({err.reason}).") from None
        if header is None:
            raise LexiconError(f"{path}: the file is empty (no header line).")


def _match(path: Path, number: int, row: dict[str, str]) -> str:
    """The match mode of a row (lemma when blank), checked."""
    mode = (row.get("match") or "lemma").lower()
    if mode not in MATCH_MODES:
        raise LexiconError(f"{path}, line {number}: match must be 'lemma' or 'lower', not '{row.get('match')}'.")
    return mode


def _term(path: Path, number: int, text: str) -> str:
    """A term normalised to single spaces, checked for length."""
    term = " ".join(text.split())
    if len(term.split()) > 8:
        raise LexiconError(f"{path}, line {number}: '{term}' is longer than 8 words; keep terms short.")
    return term


def load_values(path: Path, allow_block: bool = False,
                classes: dict[str, frozenset[str]] | None = None) -> tuple[list[ValueEntry], list[Trap]]:
    """Values entries (and, in an override file, blocked phrases) from a values CSV.

    Args:
        path: a CSV with columns term, family, match.
        allow_block: whether family may be 'not_value' (only in the facilitator's override file).
        classes: word classes from word_classes.csv; a term may name one ("make @POSS own decisions" stands for
            "make my own decisions", "make her own decisions" and the rest).

    Returns:
        The entries and any blocked phrases.
    """
    entries: list[ValueEntry] = []
    blocked: list[Trap] = []
    seen: dict[str, int] = {}
    for number, row in read_rows(path, ("term", "family"), ("match", "note")):
        term = _term(path, number, row["term"])
        family = row["family"].lower()
        mode = _match(path, number, row)
        key = term.lower()
        if key in seen:
            raise LexiconError(f"{path}, line {number}: '{term}' is already listed on line {seen[key]}.")
        seen[key] = number
        if family not in FAMILIES and family != ANY_FAMILY and not (family == NOT_VALUE and allow_block):
            allowed = ", ".join(FAMILIES) + (f", {NOT_VALUE}" if allow_block else "")
            raise LexiconError(f"{path}, line {number}: unknown family '{row['family']}'; use one of {allowed}.")
        for form in _expand(path, number, key, classes or {}):
            if form != key:
                if form in seen:
                    raise LexiconError(f"{path}, line {number}: '{form}' (from '{term}') is already listed on line "
                                       f"{seen[form]}.")
                seen[form] = number
            if family == NOT_VALUE and allow_block:
                blocked.append(Trap(form, "other", mode, f"{path.name}:{number}"))
            else:
                entries.append(ValueEntry(form, family, mode, f"{path.name}:{number}"))
    return entries, blocked


def _expand(path: Path, number: int, term: str, classes: dict[str, frozenset[str]]) -> list[str]:
    """The phrases a term stands for: itself, or one phrase per member of each word class it names."""
    forms = [[]]
    for word in term.split():
        if not word.startswith("@"):
            forms = [f + [word] for f in forms]
            continue
        name = word.upper()
        if name not in classes:
            known = ", ".join(sorted(classes)) or "none"
            raise LexiconError(f"{path}, line {number}: unknown word class '{word}' in '{term}'; define it in "
                               f"word_classes.csv (known: {known}).")
        forms = [f + [member] for f in forms for member in sorted(classes[name])]
    return [" ".join(f) for f in forms]


def load_traps(path: Path) -> list[Trap]:
    """Service, name, filler and hedge phrases."""
    traps = []
    for number, row in read_rows(path, ("phrase", "sense"), ("match", "note")):
        sense = row["sense"].lower()
        if sense not in SENSES:
            raise LexiconError(f"{path}, line {number}: unknown sense '{row['sense']}'; use one of {', '.join(SENSES)}.")
        traps.append(Trap(_term(path, number, row["phrase"]).lower(), sense, _match(path, number, row), f"{path.name}:{number}"))
    return traps


def load_heads(path: Path, classes: dict[str, frozenset[str]] | None = None) -> tuple[dict[str, frozenset[str]],
                                                                                      frozenset[str]]:
    """Service heads (lower-case lemmas, each with the value words it applies to) and name heads (Title Case).

    A service head's cues may name a word class from word_classes.csv (@NAMEVALUE), so a list shared by many heads is
    written once.
    """
    service: dict[str, set[str]] = {}
    names: set[str] = set()
    for number, row in read_rows(path, ("word", "type"), ("cues", "note")):
        word, kind = row["word"], row["type"].lower()
        if " " in word:
            raise LexiconError(f"{path}, line {number}: a head is one word, not '{word}'.")
        cues: set[str] = set()
        for cue in (c.strip() for c in row.get("cues", "").split("|") if c.strip()):
            if cue.startswith("@"):
                if classes is None or cue not in classes:
                    raise LexiconError(f"{path}, line {number}: unknown word class '{cue}'; define it in "
                                       "word_classes.csv.")
                cues.update(classes[cue])
            else:
                cues.add(cue.lower())
        if kind == "service":
            bucket = service.setdefault(word.lower(), set())
            # An unrestricted row makes the head apply to any value word.
            if not cues:
                bucket.add("")
            bucket.update(cues)
        elif kind == "name":
            names.add(word)
        else:
            raise LexiconError(f"{path}, line {number}: type must be 'service' or 'name', not '{row['type']}'.")
    return {w: frozenset() if "" in c else frozenset(c) for w, c in service.items()}, frozenset(names)


# Special words of sense_rules.csv: no token before (or a sentence start), nothing after, punctuation or a line
# break, a number, a Title Case word inside a sentence, and a content word (letters, not a stop word).
SPECIAL_WORDS = ("@START", "@END", "@PUNCT", "@NUM", "@TITLE", "@WORD")


def load_sense_rules(path: Path) -> dict[str, tuple[SenseRule, ...]]:
    """Context rules for value words with more than one sense, keyed by the lexicon term."""
    rules: dict[str, list[SenseRule]] = {}
    for number, row in read_rows(path, ("cue", "side", "words", "sense"), ("unless", "note")):
        side, sense = row["side"].lower(), row["sense"].lower()
        if side not in ("prev", "next"):
            raise LexiconError(f"{path}, line {number}: side must be 'prev' or 'next', not '{row['side']}'.")
        if sense not in SENSES:
            raise LexiconError(f"{path}, line {number}: unknown sense '{row['sense']}'; use one of {', '.join(SENSES)}.")
        words, unless = (frozenset(w.strip() if w.strip().startswith("@") else w.strip().lower()
                                   for w in (row.get(column) or "").split("|") if w.strip())
                         for column in ("words", "unless"))
        bad = [w for w in words | unless if w.startswith("@") and w not in SPECIAL_WORDS]
        if bad:
            raise LexiconError(f"{path}, line {number}: unknown special word(s) {', '.join(bad)}.")
        cue = " ".join(row["cue"].lower().split())
        rules.setdefault(cue, []).append(SenseRule(cue, side, words, sense, unless))
    return {k: tuple(v) for k, v in rules.items()}


def load_cues(path: Path) -> list[Cue]:
    """Cues for moves, emotions, abstract claims and asks."""
    cues = []
    for number, row in read_rows(path, ("cue", "group", "label"), ("match", "note")):
        group, label = row["group"].lower(), row["label"].lower()
        if group not in CUE_LABELS:
            raise LexiconError(f"{path}, line {number}: unknown group '{row['group']}'; use one of {', '.join(CUE_LABELS)}.")
        if label not in CUE_LABELS[group]:
            raise LexiconError(f"{path}, line {number}: unknown label '{row['label']}' for group {group}; "
                               f"use one of {', '.join(CUE_LABELS[group])}.")
        cues.append(Cue(_term(path, number, row["cue"]).lower(), group, label, _match(path, number, row)))
    return cues


def load_word_classes(path: Path) -> dict[str, frozenset[str]]:
    """Named word classes (@PERSON ...) that window patterns can use, from a CSV with columns class, words."""
    classes: dict[str, set[str]] = {}
    for number, row in read_rows(path, ("class", "words"), ("note",)):
        name = row["class"]
        if not (name.startswith("@") and name[1:].isupper() and name[1:].isalpha()):
            raise LexiconError(f"{path}, line {number}: a class name is @ and capital letters (@PERSON), not '{name}'.")
        classes.setdefault(name, set()).update(w.strip().lower() for w in row["words"].split("|") if w.strip())
    return {k: frozenset(v) for k, v in classes.items()}


def load_patterns(path: Path, classes: dict[str, frozenset[str]]) -> list[WindowPattern]:
    """Window patterns (head, side, window, words, family, unless_prev), with @CLASS names expanded."""
    patterns = []
    for number, row in read_rows(path, ("head", "side", "window", "words", "family"), ("unless_prev", "note")):
        side, family = row["side"].lower(), row["family"].lower()
        if side not in ("prev", "next"):
            raise LexiconError(f"{path}, line {number}: side must be 'prev' or 'next', not '{row['side']}'.")
        if family not in FAMILIES:
            raise LexiconError(f"{path}, line {number}: unknown family '{row['family']}'; use one of {', '.join(FAMILIES)}.")
        try:
            window = int(row["window"])
        except ValueError:
            window = 0
        if not 1 <= window <= 6:
            raise LexiconError(f"{path}, line {number}: window must be a whole number from 1 to 6, not '{row['window']}'.")
        words: set[str] = set()
        for word in (w.strip() for w in row["words"].split("|") if w.strip()):
            if word.startswith("@"):
                if word not in classes:
                    raise LexiconError(f"{path}, line {number}: unknown class '{word}' (define it in word_classes.csv).")
                words |= classes[word]
            else:
                words.add(word.lower())
        unless = frozenset(w.strip().lower() for w in row.get("unless_prev", "").split("|") if w.strip())
        patterns.append(WindowPattern(_term(path, number, row["head"]).lower(), side, window, frozenset(words), family,
                                      unless, f"{path.name}:{number}"))
    return patterns


def overrides_path(data: Path, explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """The facilitator's override file: explicit path, else RELATIONAL_COACH_OVERRIDES, else data/coach/local_terms.csv."""
    chosen = explicit or os.environ.get(OVERRIDES_ENV)
    if chosen:
        path = Path(chosen).expanduser()
        if not path.is_file():
            raise LexiconError(f"{path}: the override file named by {OVERRIDES_ENV} does not exist.")
        return path
    default = data / "local_terms.csv"
    return default if default.is_file() else None


def load_lexicon(folder: str | os.PathLike[str] | None = None, overrides: str | os.PathLike[str] | None = None) -> Lexicon:
    """Load and validate every coach data file, then apply the facilitator's local terms.

    Args:
        folder: the data folder (default data/coach from the project).
        overrides: a local terms CSV (default RELATIONAL_COACH_OVERRIDES or data/coach/local_terms.csv).

    Returns:
        The validated lexicon. Raises LexiconError naming the file and line on bad data.
    """
    data = Path(folder) if folder else default_dir()
    classes = load_word_classes(data / "word_classes.csv") if (data / "word_classes.csv").is_file() else {}
    values, _ = load_values(data / "values.csv", classes=classes)
    traps = load_traps(data / "traps.csv")
    service_heads, name_heads = load_heads(data / "heads.csv", classes)
    sense_rules = load_sense_rules(data / "sense_rules.csv")
    cues = load_cues(data / "cues.csv")
    patterns: list[WindowPattern] = []
    if (data / "patterns.csv").is_file():
        patterns = load_patterns(data / "patterns.csv", classes)
    local = overrides_path(data, overrides)
    if local is not None:
        extra, blocked = load_values(local, allow_block=True, classes=classes)
        replaced = {e.term for e in extra} | {b.phrase for b in blocked}
        values = [v for v in values if v.term not in replaced] + extra
        traps = traps + blocked
    if len(values) == 0:
        raise LexiconError(f"{data / 'values.csv'}: no values entries.")
    if local is not None:
        patterns = [p for p in patterns if p.head not in replaced]
    return Lexicon(tuple(values), tuple(traps), service_heads, name_heads, sense_rules, tuple(cues), tuple(patterns))
