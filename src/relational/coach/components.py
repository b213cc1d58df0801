"""spaCy components of the story coach, registered as factories (and through the spacy_factories entry point)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import numpy as np
from spacy.attrs import LEMMA, SENT_START
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from relational.coach.lexicon import ANY_FAMILY, CUE_LABELS as CUE_GROUPS, Lexicon, load_lexicon
from relational.coach.tokens import (
    PARAGRAPH, PUNCT, SENT_END, SERVICE_HEAD, SPACE, TITLE, TokenTable, token_arrays,
)

# Families a "*" term (such as "it mattered to me") takes when its sentence names no other value.
DEFAULT_FAMILY = "benevolence"
# Tokens after which a capitalised word is still the start of a clause, not a name.
CLAUSE_OPENERS = frozenset({'"', "“", "‘", "'", ":", ";", "(", "-", "–", "—", "…", "*", "•", "\n"})
NAME_JOINERS = frozenset({"of", "the", "for", "and", "&", "'s", "on", "upon", "in"})
# A care verb whose object is itself a value is one span with the object's family ("looking after the environment",
# "care about nature"); at most one of these words may stand between them.
CARE_VERBS = frozenset({"look after", "looking after", "care about", "care for", "look out for", "take care of", "protect",
                        "care deeply about", "cared for", "cared about"})
CARE_OBJECT_JOINERS = frozenset({"the", "our", "their", "my", "your", "this", "his", "her", "its"})


@lru_cache(maxsize=4)
def cached_lexicon(folder: str, overrides: str) -> Lexicon:
    """The lexicon, loaded once per (folder, overrides) pair."""
    return load_lexicon(folder or None, overrides or None)


class CoachTokens:
    """Sets lower-case lemmas (spacy-lookups-data) and stores per-token facts in doc.user_data["coach_tokens"]."""

    def __init__(self, nlp: Language, name: str = "coach_tokens", data_dir: str = "", overrides: str = ""):
        lexicon = cached_lexicon(data_dir, overrides)
        words = {w for entry in lexicon.values for w in entry.term.split()}
        actions = {c.cue for c in lexicon.cues if c.group == "ask" and c.label == "action" and " " not in c.cue}
        self.name = name
        self.table = TokenTable(nlp.vocab, words, actions, lexicon.service_heads, lexicon.name_heads)

    def __call__(self, doc: Doc) -> Doc:
        arrays = self.table.arrays(doc)
        doc.user_data["coach_tokens"] = arrays
        if len(doc):
            doc.from_array([LEMMA], arrays.lemma.reshape(-1, 1))
        return doc


class CoachSentencizer:
    """Rule-based sentence splitting, vectorised: spaCy's sentencizer rule, plus blank lines as breaks.

    A sentence starts at the first word after a run of punctuation that holds a sentence-final character
    (. ! ? and their equivalents in other scripts), or after a blank line.
    """

    def __init__(self, nlp: Language, name: str = "coach_sentencizer"):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            return doc
        bits = token_arrays(doc).bits
        ender = (bits & (SENT_END | PARAGRAPH)) > 0
        # Punctuation and spaces sit between sentences; a word (or a symbol such as an emoji) can start one.
        between = (bits & (PUNCT | SPACE | SENT_END)) > 0
        starts = np.zeros(n, dtype=bool)
        starts[0] = True
        words = np.flatnonzero(~between)
        if len(words) > 1:
            enders_before = np.concatenate(([0], np.cumsum(ender)))  # enders among tokens [0, i)
            prev, cur = words[:-1], words[1:]
            starts[cur] = (enders_before[cur] - enders_before[prev + 1]) > 0
        doc.user_data["coach_sent_starts"] = starts
        doc.from_array([SENT_START], np.where(starts, 1, -1).astype(np.int64).astype(np.uint64).reshape(-1, 1))
        return doc


def pattern_docs(nlp: Language, phrases: Iterable[str]) -> list[Doc]:
    """Docs for matcher patterns, tokenised and lemmatised exactly as drafts are."""
    lemmas = next((p for n, p in nlp.pipeline if isinstance(p, CoachTokens)), None)
    docs = []
    for phrase in phrases:
        doc = nlp.make_doc(phrase)
        docs.append(lemmas(doc) if lemmas is not None else doc)
    return docs


class CueMatcher:
    """Two PhraseMatchers (on LEMMA and on LOWER) sharing one set of keys."""

    def __init__(self, nlp: Language):
        self.nlp = nlp
        self.by_attr = {"lemma": PhraseMatcher(nlp.vocab, attr="LEMMA"), "lower": PhraseMatcher(nlp.vocab, attr="LOWER")}
        self.used = set()

    def add(self, key: str, phrases: list[str], match: str) -> None:
        """Add phrases under one key."""
        if match == "lemma" and not any(isinstance(p, CoachTokens) for _, p in self.nlp.pipeline):
            match = "lower"
        self.by_attr[match].add(key, pattern_docs(self.nlp, phrases))
        self.used.add(match)

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        found: list[tuple[int, int, int]] = []
        for attr in self.used:
            found.extend(self.by_attr[attr](doc))
        return found


def _prefer_longest(spans: list[tuple[int, int, int]], rank: dict[int, int] | None = None) -> list[tuple[int, int, int]]:
    """Non-overlapping (key, start, end) matches: longest first, then earliest, then lowest rank (lexicon order)."""
    chosen: list[tuple[int, int, int]] = []
    taken: set[int] = set()
    rank = rank or {}
    for key, start, end in sorted(spans, key=lambda m: (m[1] - m[2], m[1], rank.get(m[0], 0))):
        if taken.isdisjoint(range(start, end)):
            chosen.append((key, start, end))
            taken.update(range(start, end))
    chosen.sort(key=lambda m: m[1])
    return chosen


class SenseChecker:
    """Decides whether a matched cue is in a service or name sense, from its neighbours."""

    def __init__(self, lexicon: Lexicon):
        self.service_heads = lexicon.service_heads
        self.name_heads = lexicon.name_heads
        self.rules = lexicon.sense_rules

    @staticmethod
    def _word_class(token, words: frozenset[str]) -> bool:
        if token.lower_ in words:
            return True
        if "@PUNCT" in words and (token.is_punct or token.is_space):
            return True
        if "@NUM" in words and token.like_num:
            return True
        if "@TITLE" in words and token.is_title and not token.is_sent_start:
            return True
        if "@START" in words and token.is_sent_start:
            return False
        return False

    def rule_sense(self, doc: Doc, start: int, end: int, term: str) -> str | None:
        """The sense a sense_rules.csv rule gives this cue, or None."""
        rules = self.rules.get(term)
        if not rules:
            return None
        for rule in rules:
            if rule.side == "prev":
                if start == 0 or doc[start].is_sent_start:
                    if "@START" in rule.words:
                        return rule.sense
                    if start == 0:
                        continue
                if self._word_class(doc[start - 1], rule.words):
                    return rule.sense
            else:
                if end >= len(doc):
                    if "@END" in rule.words:
                        return rule.sense
                    continue
                if self._word_class(doc[end], rule.words):
                    return rule.sense
        return None

    def context_sense(self, doc: Doc, start: int, end: int) -> str | None:
        """'service' when a service head follows ("care package"), 'name' for a proper name ("Hope Street")."""
        n = len(doc)
        # A service head right after the value word, or after one more modifier ("equality impact assessment").
        for j in range(end, min(end + 2, n)):
            nxt = doc[j]
            if nxt.text == "-":
                continue
            allowed = self.service_heads.get(nxt.lemma_)
            if allowed is not None and (not allowed or doc[end - 1].lemma_ in allowed or doc[end - 1].lower_ in allowed):
                if (not nxt.is_title or doc[start].is_title) and (j == end or not allowed):
                    return "service"
            if nxt.is_stop or nxt.is_punct or nxt.is_space or nxt.like_num or (nxt.is_title and not doc[start].is_title):
                break
        first = doc[start]
        if not first.is_title:
            return None
        # A Title Case run ending in a name head: Hope Street, the Justice Centre, Unity Housing Trust.
        i = end
        while i < n and i < end + 6:
            tok = doc[i]
            if tok.text in self.name_heads:
                return "name"
            if not (tok.is_title or tok.is_upper or tok.lower_ in NAME_JOINERS) or tok.is_sent_start:
                break
            i += 1
        if all(doc[j].is_title for j in range(start, end)) and first.text in self.name_heads:
            return "name"
        # A capitalised value word inside a sentence is a name (Grace, Faith, Healthy Columbia), unless it
        # follows a quote, colon or bullet, where a new clause may start.
        if not first.is_sent_start and start > 0:
            prev = doc[start - 1]
            if prev.text not in CLAUSE_OPENERS and not prev.is_space and not (prev.is_punct and prev.text not in (",",)):
                if prev.text == "," and not (start + 1 < n and doc[start + 1].is_title):
                    return None
                return "name"
            if start + 1 < n and doc[start + 1].is_title and doc[start + 1].text in self.name_heads:
                return "name"
        return None


class ValuesMarker:
    """Marks values language in doc.spans["values"] (family as label, cue as span id) and senses it skipped."""

    def __init__(self, nlp: Language, name: str = "values_marker", data_dir: str = "", overrides: str = ""):
        self.name = name
        self.lexicon = cached_lexicon(data_dir, overrides)
        self.senses = SenseChecker(self.lexicon)
        self.matcher = CueMatcher(nlp)
        strings = nlp.vocab.strings
        self.entries: dict[int, tuple[str, str]] = {}
        self.rank: dict[int, int] = {}
        self.traps: dict[int, str] = {}
        groups: dict[tuple[str, str], list[str]] = {}
        for entry in self.lexicon.values:
            key = f"value|{entry.family}|{entry.term}"
            self.entries[strings.add(key)] = (entry.family, entry.term)
            # Exact-form entries first, then lexicon order, so "stood up for" is cued by "stand up for".
            self.rank[strings[key]] = len(self.rank) + (0 if entry.match == "lower" else 100_000)
            self.matcher.add(key, [entry.term], entry.match)
        # Window patterns ("help" + a person within four words): the head is matched, the window checked per match.
        self.patterns: dict[int, list] = {}
        for pattern in self.lexicon.patterns:
            key = f"pattern|{pattern.head}"
            h = strings.add(key)
            if h not in self.patterns:
                self.patterns[h] = []
                self.matcher.add(key, [pattern.head], "lemma")
            self.patterns[h].append(pattern)
        for trap in self.lexicon.traps:
            groups.setdefault((trap.sense, trap.match), []).append(trap.phrase)
        for (sense, match), phrases in groups.items():
            key = f"trap|{sense}|{match}"
            self.traps[strings.add(key)] = sense
            self.matcher.add(key, phrases, match)

    def __call__(self, doc: Doc) -> Doc:
        matches = self.matcher(doc)
        traps = [(s, e, self.traps[k]) for k, s, e in matches if k in self.traps]
        entries = [m for m in matches if m[0] in self.entries]
        if self.patterns:
            entries += self._window_matches(doc, [m for m in matches if m[0] in self.patterns])
        candidates = _prefer_longest(entries, self.rank)
        # For each token, the longest trap over it (index into traps, or -1), so each check is a slice, not a scan.
        trap_at = np.full(len(doc) + 1, -1, dtype=np.int64)
        for i in sorted(range(len(traps)), key=lambda i: traps[i][0] - traps[i][1], reverse=True):
            trap_at[traps[i][0]:traps[i][1]] = i
        kept: list[tuple[int, int, str, str]] = []
        skipped: list[Span] = []
        bits = token_arrays(doc).bits
        # Only a capitalised cue or one with a service head just after it can be a name or a service sense.
        title = ((bits & TITLE) > 0).tolist()
        head = np.concatenate(((bits & SERVICE_HEAD) > 0, np.zeros(3, dtype=bool)))
        for key, start, end in candidates:
            family, term = self.entries[key]
            sense = None
            for i in set(trap_at[start:end].tolist()) - {-1} if traps else ():
                t_start, t_end, t_sense = traps[i]
                if not (start <= t_start and t_end <= end and end - start > t_end - t_start):
                    sense = t_sense
                    break
            if sense is None:
                sense = self.senses.rule_sense(doc, start, end, term)
            if sense is None and (title[start] or head[end:end + 3].any()):
                sense = self.senses.context_sense(doc, start, end)
            if sense is not None:
                skipped.append(Span(doc, start, end, label=sense, span_id=term))
            else:
                kept.append((start, end, family, term))
        for t_start, t_end, t_sense in traps:
            skipped.append(Span(doc, t_start, t_end, label=t_sense))
        kept = _resolve_any_family(doc, _merge_care_objects(doc, kept))
        doc.user_data["coach_values"] = kept  # (start, end, family, cue) tuples, read without building Spans
        doc.user_data["coach_not_values"] = [(s.start, s.end) for s in skipped]
        doc.spans["values"] = [Span(doc, s, e, label=f, span_id=t) for s, e, f, t in kept]
        doc.spans["not_values"] = skipped
        return doc


    def _window_matches(self, doc: Doc, heads: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
        """Entries for pattern heads whose window holds one of the pattern's words (punctuation ends the window)."""
        found = []
        if not heads:
            return found
        bits = token_arrays(doc).bits
        starts = doc.user_data.get("coach_sent_starts")
        n = len(doc)
        strings = doc.vocab.strings
        for key, start, end in heads:
            for pattern in self.patterns[key]:
                if pattern.unless_prev and start > 0 and doc[start - 1].lower_ in pattern.unless_prev:
                    continue
                if pattern.side == "next":
                    span = range(end, min(end + pattern.window, n))
                else:
                    span = range(start - 1, max(start - pattern.window, 0) - 1, -1)
                hit = False
                for j in span:
                    if bits[j] & (PUNCT | SPACE) or (starts is not None and starts[j] and pattern.side == "next"):
                        break
                    if doc[j].lower_ in pattern.words:
                        hit = True
                        break
                    if pattern.side == "prev" and starts is not None and starts[j]:
                        break
                if hit:
                    entry = f"value|{pattern.family}|{pattern.head}"
                    h = strings.add(entry)
                    if h not in self.entries:
                        self.entries[h] = (pattern.family, pattern.head)
                        self.rank[h] = 200_000 + len(self.rank)
                    found.append((h, start, end))
                    break
        return found


def _merge_care_objects(doc: Doc, kept: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    """Join a care verb and the value that is its object into one span with the object's family."""
    if len(kept) < 2:
        return kept
    merged: list[tuple[int, int, str, str]] = []
    i = 0
    while i < len(kept):
        start, end, family, term = kept[i]
        if term in CARE_VERBS and i + 1 < len(kept):
            n_start, n_end, n_family, _ = kept[i + 1]
            gap = n_start - end
            if n_family not in (family, ANY_FAMILY) and (gap == 0 or (gap == 1 and doc[end].lower_ in CARE_OBJECT_JOINERS)):
                merged.append((start, n_end, n_family, term))
                i += 2
                continue
        merged.append(kept[i])
        i += 1
    return merged


def _resolve_any_family(doc: Doc, kept: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    """Give each "*" term the family of the nearest named value in its sentence (benevolence if none)."""
    if not any(f == ANY_FAMILY for _, _, f, _ in kept):
        return kept
    starts = doc.user_data.get("coach_sent_starts")
    if starts is None:
        starts = np.array([t.is_sent_start for t in doc], dtype=bool)
    sentence = np.cumsum(starts)
    by_sentence: dict[int, list[tuple[int, str]]] = {}
    for start, _, family, _ in kept:
        if family != ANY_FAMILY:
            by_sentence.setdefault(int(sentence[start]), []).append((start, family))
    resolved = []
    for start, end, family, term in kept:
        if family == ANY_FAMILY:
            others = by_sentence.get(int(sentence[start]), [])
            family = min(others, key=lambda o: abs(o[0] - start))[1] if others else DEFAULT_FAMILY
        resolved.append((start, end, family, term))
    return resolved


# Every cue label as "group:label"; story_moves stores cues as indexes into this tuple.
CUE_LABELS: tuple[str, ...] = tuple(f"{group}:{label}" for group, labels in CUE_GROUPS.items() for label in labels)


class StoryMoves:
    """Finds cues for moves, emotions, abstract claims and asks.

    The cues go in ``doc.user_data["coach_cues"]`` as three arrays (label index into CUE_LABELS, start, end),
    which is fast; with ``spans=True`` they also go in ``doc.spans["cues"]`` (label "group:label") for displaCy.
    """

    def __init__(self, nlp: Language, name: str = "story_moves", data_dir: str = "", overrides: str = "",
                 spans: bool = False):
        self.name = name
        self.spans = spans
        self.lexicon = cached_lexicon(data_dir, overrides)
        self.senses = SenseChecker(self.lexicon)
        self.matcher = CueMatcher(nlp)
        self.label_index: dict[int, int] = {}
        groups: dict[tuple[str, str, str], list[str]] = {}
        for cue in self.lexicon.cues:
            groups.setdefault((cue.group, cue.label, cue.match), []).append(cue.cue)
        # Single-word action verbs that can open an imperative ask ("Bring a neighbour on Thursday").
        self.actions = frozenset(c.cue for c in self.lexicon.cues if c.group == "ask" and c.label == "action" and " " not in c.cue)
        for (group, label, match), phrases in groups.items():
            key = f"{group}:{label}|{match}"
            self.label_index[nlp.vocab.strings.add(key)] = CUE_LABELS.index(f"{group}:{label}")
            self.matcher.add(key, phrases, match)
        self.emotion_labels = np.array([label.startswith("emotion:") for label in CUE_LABELS])

    def __call__(self, doc: Doc) -> Doc:
        matches = self.matcher(doc)
        if matches:
            arr = np.array(matches, dtype=np.uint64)
            labels = np.fromiter((self.label_index[k] for k in arr[:, 0].tolist()), dtype=np.int64, count=len(arr))
            starts = arr[:, 1].astype(np.int64)
            ends = arr[:, 2].astype(np.int64)
            keep = self._not_names(doc, labels, starts, ends)
            labels, starts, ends = labels[keep], starts[keep], ends[keep]
        else:
            labels = starts = ends = np.zeros(0, dtype=np.int64)
        doc.user_data["coach_cues"] = (labels, starts, ends)
        if self.spans:
            doc.spans["cues"] = [Span(doc, int(s), int(e), label=CUE_LABELS[int(lab)])
                                 for lab, s, e in zip(labels, starts, ends)]
        return doc

    def _not_names(self, doc: Doc, labels, starts, ends):
        """Mask of cues to keep: emotion words inside a service or name sense ("Hope Street", "power cut") are dropped."""
        keep = np.ones(len(labels), dtype=bool)
        emotion = self.emotion_labels[labels]
        if not emotion.any():
            return keep
        blocked = np.zeros(len(doc) + 1, dtype=bool)
        ranges = doc.user_data.get("coach_not_values")
        if ranges is None:
            ranges = [(span.start, span.end) for span in doc.spans.get("not_values", [])]
        for start, end in ranges:
            blocked[start:end] = True
        title = (token_arrays(doc).bits & TITLE) > 0
        for j in np.flatnonzero(emotion).tolist():
            s, e = int(starts[j]), int(ends[j])
            if blocked[s:e].any() or (title[s] and self.senses.context_sense(doc, s, e) is not None):
                keep[j] = False
        return keep


@Language.factory("coach_tokens", default_config={"data_dir": "", "overrides": ""})
def make_coach_tokens(nlp: Language, name: str, data_dir: str, overrides: str) -> CoachTokens:
    """Lower-case lookup lemmas (spacy-lookups-data), so inflections of lexicon terms match, and per-token facts."""
    return CoachTokens(nlp, name, data_dir, overrides)


@Language.factory("coach_sentencizer")
def make_coach_sentencizer(nlp: Language, name: str) -> CoachSentencizer:
    """Rule-based, vectorised sentence splitting (sentence-final punctuation and blank lines)."""
    return CoachSentencizer(nlp, name)


@Language.factory("values_marker", default_config={"data_dir": "", "overrides": ""})
def make_values_marker(nlp: Language, name: str, data_dir: str, overrides: str) -> ValuesMarker:
    """Values language, with service, name, filler and hedge senses left out."""
    return ValuesMarker(nlp, name, data_dir, overrides)


@Language.factory("story_moves", default_config={"data_dir": "", "overrides": "", "spans": False})
def make_story_moves(nlp: Language, name: str, data_dir: str, overrides: str, spans: bool) -> StoryMoves:
    """Cues for challenge, choice, outcome, the ten emotions, abstract claims and calls to action."""
    return StoryMoves(nlp, name, data_dir, overrides, spans)
