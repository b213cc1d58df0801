"""spaCy components of the story coach, registered as factories (and through the spacy_factories entry point)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from bisect import bisect_right
from operator import itemgetter

import numpy as np
from spacy.attrs import LEMMA, SENT_START
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span

from relational.coach.lexicon import ANY_FAMILY, CUE_LABELS as CUE_GROUPS, Lexicon, load_lexicon
from relational.coach.tokens import (
    ALPHA, BULLET, CLAUSE_OPENER, COMMA, HYPHEN, LEX_STOP, NAME_HEAD, NAME_JOINER, NEGATION, NEWLINE, NUM, PARAGRAPH,
    PUNCT, SENT_END, SERVICE_HEAD, SPACE, SUBJECT, TITLE, UPPER, TokenArrays, TokenTable, token_arrays,
)

# Families a "*" term (such as "it mattered to me") takes when its sentence names no other value.
DEFAULT_FAMILY = "benevolence"
# A care verb whose object is itself a value is one span with the object's family ("looking after the environment",
# "care about nature"); at most one of these words may stand between them.
CARE_VERBS = frozenset({"look after", "looking after", "care about", "care for", "look out for", "take care of", "protect",
                        "care deeply about", "cared for", "cared about"})
CARE_OBJECT_JOINERS = frozenset({"the", "our", "their", "my", "your", "this", "his", "her", "its"})
# "To be fair" and "to be honest" are fillers at the edge of a clause ("To be fair, they backed it"), but after one of
# these verbs (or judging adjectives) they say what someone means to be: "the job is to be fair, not popular", "I try
# to be honest with her".
INTENT_VERBS = frozenset({"is", "was", "are", "were", "be", "been", "'s", "want", "wants", "wanted", "try", "tries",
                          "tried", "trying", "need", "needs", "needed", "aim", "aims", "aimed", "chose", "choose",
                          "chooses", "decided", "decide", "learned", "learnt", "learn", "learns", "learning",
                          "promise", "promised", "promises", "teach", "teaches",
                          "mean", "means", "meant", "expect", "expected", "hope", "hoped", "strive", "strived", "taught",
                          "believe", "believed", "believes", "believing",
                          # ...and after an adjective that judges it: "a mirror makes it easier to be honest".
                          "easier", "harder", "easy", "important", "better", "brave", "braver", "vital", "essential",
                          "safer", "simpler", "right"})
# After a head noun that can also be a verb ("costs", "pays"), these words show it is the verb: "Kindness costs
# nothing", "Respect costs less than an eviction" (not "care costs are rising").
VERB_OBJECTS = frozenset({"nothing", "less", "more", "little", "us", "them", "you", "everyone", "everybody", "nobody",
                          "far", "so", "too", "very", "dearly", "lives", "anything"})
# After one of these verbs and its object, "to be honest" says what someone is asked to be ("they need us to be honest
# and to ring them back", "she asked them to be fair"), not a filler.
ASKING_VERBS = INTENT_VERBS | frozenset({"ask", "asks", "asked", "asking", "tell", "tells", "told", "telling", "expect",
                                         "expects", "urge", "urged", "encourage", "encouraged", "trust", "trusted",
                                         "trusts", "remind", "reminded", "need", "want"})
OBJECT_PRONOUNS = frozenset({"us", "them", "him", "her", "me"})
# "If I'm honest with you" (or "with myself") is a filler, and so is "to be honest with no budget"; honest with
# someone else is how they are dealt with: "people will pay what they can if we are honest with them".
HONEST_WITH = OBJECT_PRONOUNS | frozenset({"people", "everyone", "everybody", "each", "families", "residents",
                                           "tenants", "staff", "patients", "clients", "their", "his", "our", "my"})
# Ordinal words are numbers to spaCy ("second"), but a sense rule's @NUM means a number: "the fair 2024", not "a fair
# second chance".
ORDINAL_WORDS = frozenset({"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
                           "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
                           "eighteenth", "nineteenth", "twentieth", "thirtieth", "fortieth", "fiftieth", "hundredth",
                           "thousandth", "millionth"})
ORDINAL_HASHES = frozenset(get_string_id(w) for w in ORDINAL_WORDS)


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
            doc.from_array([LEMMA], arrays.lemma)
        return doc


# SENT_START values for from_array: 1 starts a sentence, -1 (as uint64) does not.
_NOT_START = np.uint64(0xFFFF_FFFF_FFFF_FFFF)


class CoachSentencizer:
    """Rule-based sentence splitting, vectorised: spaCy's sentencizer rule, plus blank lines as breaks.

    A sentence starts at the first word after a run of punctuation that holds a sentence-final character
    (. ! ? and their equivalents in other scripts), or after a blank line; a bullet mark after a line break starts
    one too (a list item).
    """

    def __init__(self, nlp: Language, name: str = "coach_sentencizer"):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        return self.mark(doc, spans=True)

    def mark(self, doc: Doc, spans: bool = True) -> Doc:
        """Find sentence starts; with spans=False they go only in doc.user_data (what analyse reads), not on tokens."""
        n = len(doc)
        if n == 0:
            return doc
        bits = token_arrays(doc).bits
        enders = np.flatnonzero(bits & (SENT_END | PARAGRAPH))
        # Punctuation and spaces sit between sentences; a word (or a symbol such as an emoji) can start one.
        words = np.flatnonzero((bits & (PUNCT | SPACE | SENT_END)) == 0)
        starts = np.zeros(n, dtype=bool)
        starts[0] = True
        if len(enders) and len(words) > 1:
            # The first word after each ender starts a sentence (when a word came before the ender).
            after = np.searchsorted(words, enders)
            starts[words[after[(after > 0) & (after < len(words))]]] = True
        # A list item starts a sentence: a bullet mark just after a line break ("...minutes\n- 2014: my sister...").
        newlines = np.flatnonzero(bits[:-1] & NEWLINE)
        if len(newlines):
            bullets = newlines[(bits[newlines + 1] & BULLET) != 0] + 1
            if len(bullets):
                starts[bullets] = True
        doc.user_data["coach_sent_starts"] = starts
        if not spans:  # analyse reads the starts from user_data only
            return doc
        values = np.full(n, _NOT_START, dtype=np.uint64)
        values[starts] = 1
        doc.from_array([SENT_START], values)
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
        self.used: list[str] = []

    def add(self, key: str, phrases: list[str], match: str) -> None:
        """Add phrases under one key."""
        if match == "lemma" and not any(isinstance(p, CoachTokens) for _, p in self.nlp.pipeline):
            match = "lower"
        self.by_attr[match].add(key, pattern_docs(self.nlp, phrases))
        if match not in self.used:
            self.used.append(match)
            self.used.sort()  # lemma before lower, whatever order the keys came in

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        found: list[tuple[int, int, int]] = []
        for attr in self.used:
            found.extend(self.by_attr[attr](doc))
        return found


def _prefer_longest(spans: list[tuple[int, int, int]], rank: dict[int, int] | None = None) -> list[tuple[int, int, int]]:
    """Non-overlapping (key, start, end) matches: longest first, then earliest, then lowest rank (lexicon order)."""
    by_start = sorted(spans, key=itemgetter(1))
    end = -1
    for match in by_start:
        if match[1] < end:
            break
        end = match[2]
    else:
        return by_start  # nothing overlaps, so every match is kept
    chosen: list[tuple[int, int, int]] = []
    taken: set[int] = set()
    rank = rank or {}
    for key, start, end in sorted(spans, key=lambda m: (m[1] - m[2], m[1], rank.get(m[0], 0))):
        if taken.isdisjoint(range(start, end)):
            chosen.append((key, start, end))
            taken.update(range(start, end))
    chosen.sort(key=itemgetter(1))
    return chosen


class DocView:
    """What the sense checks read about a Doc's tokens: fact bits, sentence starts, lower-case and lemma hashes."""

    __slots__ = ("bits", "starts", "lower", "lemma", "n", "has_starts", "_first_tokens")

    def __init__(self, doc: Doc, arrays: TokenArrays | None = None):
        arrays = arrays if arrays is not None else token_arrays(doc)
        self.bits = arrays.bit_list if arrays.bit_list is not None else arrays.bits.tolist()
        found = doc.user_data.get("coach_sent_starts")
        self.has_starts = found is not None
        self.starts = found if found is not None else np.array([bool(t.is_sent_start) for t in doc], dtype=bool)
        self.lower = arrays.lower
        self.lemma = arrays.lemma
        self.n = len(self.bits)
        self._first_tokens: list[int] | None = None

    def first_tokens(self) -> list[int]:
        """The first token of each sentence, in order."""
        if self._first_tokens is None:
            self._first_tokens = np.flatnonzero(self.starts).tolist()
        return self._first_tokens


def _view(doc: Doc) -> DocView:
    """The DocView of a Doc, made once and kept in its user_data."""
    view = doc.user_data.get("coach_view")
    if view is None or view.n != len(doc):
        view = DocView(doc)
        doc.user_data["coach_view"] = view
    return view


class SenseChecker:
    """Decides whether a matched cue is in a service or name sense, from its neighbours."""

    def __init__(self, lexicon: Lexicon, strings=None):
        self.service_heads = lexicon.service_heads
        self.name_heads = lexicon.name_heads
        self.rules = lexicon.sense_rules
        if strings is not None:
            self.bind(strings)

    def bind(self, strings) -> None:
        """Hash the words the checks compare, so tokens are compared by their hashes."""
        add = strings.add
        self.head_hashes = {add(head): frozenset(add(c) for c in cues) for head, cues in self.service_heads.items()}
        self.verb_object_hashes = frozenset(add(w) for w in VERB_OBJECTS)
        self.of_hash = add("of")
        self.rule_hashes = {
            term: tuple((rule, frozenset(add(w) for w in rule.words if not w.startswith("@")),
                         frozenset(add(w) for w in rule.unless if not w.startswith("@"))) for rule in rules)
            for term, rules in self.rules.items()
        }

    @staticmethod
    def _word_class(view: DocView, i: int, words: frozenset[str], hashes: frozenset[int]) -> bool:
        if int(view.lower[i]) in hashes:
            return True
        b = view.bits[i]
        if "@PUNCT" in words and b & (PUNCT | SPACE):
            return True
        if "@NUM" in words and b & NUM and int(view.lower[i]) not in ORDINAL_HASHES:
            return True
        if "@TITLE" in words and b & TITLE and not view.starts[i]:
            return True
        if "@WORD" in words and b & ALPHA and not b & LEX_STOP:
            return True
        return False

    def rule_sense(self, view: DocView, start: int, end: int, term: str) -> str | None:
        """The sense a sense_rules.csv rule gives this cue, or None."""
        rules = self.rule_hashes.get(term)
        if not rules:
            return None
        for rule, hashes, unless in rules:
            if rule.side == "prev":
                # The token after the term cancels the rule when it is one of `unless` (@END: nothing follows).
                cancelled = bool(rule.unless) and (self._word_class(view, end, rule.unless, unless) if end < view.n
                                                   else "@END" in rule.unless)
                if start == 0 or view.starts[start]:
                    if "@START" in rule.words:
                        if not cancelled:
                            return rule.sense
                        continue
                    if start == 0:
                        continue
                if not cancelled and self._word_class(view, start - 1, rule.words, hashes):
                    return rule.sense
            else:
                cancelled = bool(rule.unless) and (self._word_class(view, start - 1, rule.unless, unless) if start > 0
                                                   else "@START" in rule.unless)
                if end >= view.n:
                    if "@END" in rule.words and not cancelled:
                        return rule.sense
                    continue
                if not cancelled and self._word_class(view, end, rule.words, hashes):
                    return rule.sense
        return None

    def context_sense(self, view: DocView, start: int, end: int) -> str | None:
        """'service' when a service head follows ("care package"), 'name' for a proper name ("Hope Street")."""
        n = view.n
        bits = view.bits
        starts = view.starts
        # A cue that starts with a small word ("the environment") is read by its last word ("the Environment Agency").
        first_title = bits[start] & TITLE or (end - start > 1 and bits[start] & LEX_STOP and bits[end - 1] & TITLE)
        # A service head right after the value word, or after one more modifier ("equality impact assessment").
        for j in range(end, min(end + 2, n)):
            b = bits[j]
            if b & HYPHEN:
                continue
            if b & SERVICE_HEAD and not (j + 1 < n and int(view.lower[j + 1]) in self.verb_object_hashes):
                # By lemma, or by the word as written: a head listed as "funding" or "gardens" has the lemma
                # "fund" or "garden".
                allowed = self.head_hashes.get(int(view.lemma[j]), self.head_hashes.get(int(view.lower[j])))
                if allowed is not None and (not allowed or int(view.lemma[end - 1]) in allowed
                                            or int(view.lower[end - 1]) in allowed):
                    if (not b & TITLE or first_title) and (j == end or not allowed):
                        return "service"
            if b & (LEX_STOP | PUNCT | SPACE | NUM) or (b & TITLE and not first_title):
                break
        if not first_title:
            return None
        # A Title Case run ending in a name head: Hope Street, the Justice Centre, Unity Housing Trust.
        i = end
        while i < n and i < end + 6:
            b = bits[i]
            if b & NAME_HEAD:
                return "name"
            if not b & (TITLE | UPPER | NAME_JOINER) or starts[i]:
                break
            i += 1
        # A name head that is itself the cue ("Trust", "Pride") is a name, unless it opens a sentence on its own
        # ("Trust is at the heart of our service").
        if bits[start] & NAME_HEAD and all(bits[j] & TITLE for j in range(start, end)) and not (
                starts[start] and (end >= n or not bits[end] & TITLE)):
            return "name"
        # A capitalised value word inside a sentence is a name (Grace, Faith, Healthy Columbia), unless it
        # follows a quote, colon or bullet, where a new clause may start.
        if not starts[start] and start > 0:
            prev = bits[start - 1]
            if not prev & (CLAUSE_OPENER | SPACE) and not (prev & PUNCT and not prev & COMMA):
                # After a comma, only a run of Title Case ("Unity Housing") or "X of Y" ("Pride of Hindley") names.
                if prev & COMMA and not (start + 1 < n and (bits[start + 1] & TITLE or (
                        bits[start + 1] & NAME_JOINER and start + 2 < n and bits[start + 2] & TITLE))):
                    return None
                return "name"
            if start + 1 < n and bits[start + 1] & TITLE and bits[start + 1] & NAME_HEAD:
                return "name"
            # After a quotation mark or bracket too, "X of Y" in Title Case is a name ('"Pride of Preston" painted
            # under the windscreen').
            if start + 2 < n and int(view.lower[start + 1]) == self.of_hash and bits[start + 2] & TITLE:
                return "name"
        return None


class ValuesMarker:
    """Marks values language in doc.spans["values"] (family as label, cue as span id) and senses it skipped."""

    def __init__(self, nlp: Language, name: str = "values_marker", data_dir: str = "", overrides: str = ""):
        self.name = name
        self.lexicon = cached_lexicon(data_dir, overrides)
        self.senses = SenseChecker(self.lexicon, nlp.vocab.strings)
        self.matcher = CueMatcher(nlp)
        self.source = (data_dir, overrides)
        strings = nlp.vocab.strings
        self.entries: dict[int, tuple[str, str]] = {}
        self.rank: dict[int, int] = {}
        self.traps: dict[int, str] = {}
        # What each matcher key is: 0 a lexicon entry, 1 a window pattern's head, 2 a trap, 3 another component's cue.
        self.key_kind: dict[int, int] = {}
        groups: dict[tuple[str, str], list[str]] = {}
        for entry in self.lexicon.values:
            key = f"value|{entry.family}|{entry.term}"
            self.entries[strings.add(key)] = (entry.family, entry.term)
            self.key_kind[strings[key]] = 0
            # Exact-form entries first, then lexicon order, so "stood up for" is cued by "stand up for".
            self.rank[strings[key]] = len(self.rank) + (0 if entry.match == "lower" else 100_000)
            self.matcher.add(key, [entry.term], entry.match)
        # Window patterns ("help" + a person within four words): the head is matched, the window checked per match.
        self.patterns: dict[int, list] = {}
        self.pattern_hashes: dict[int, tuple[frozenset[int], frozenset[int]]] = {}
        for pattern in self.lexicon.patterns:
            key = f"pattern|{pattern.head}"
            h = strings.add(key)
            if h not in self.patterns:
                self.patterns[h] = []
                self.matcher.add(key, [pattern.head], "lemma")
                self.key_kind[h] = 1
            self.patterns[h].append(pattern)
            self.pattern_hashes[id(pattern)] = (frozenset(strings.add(w) for w in pattern.unless_prev),
                                                frozenset(strings.add(w) for w in pattern.words))
        for trap in self.lexicon.traps:
            groups.setdefault((trap.sense, trap.match), []).append(trap.phrase)
        for (sense, match), phrases in groups.items():
            key = f"trap|{sense}|{match}"
            self.traps[strings.add(key)] = sense
            self.key_kind[strings[key]] = 2
            self.matcher.add(key, phrases, match)
        self.care_joiners = frozenset(strings.add(w) for w in CARE_OBJECT_JOINERS)
        self.intent_hashes = frozenset(strings.add(w) for w in INTENT_VERBS)
        self.filler_heads = frozenset(strings.add(w) for w in ("to", "in"))
        self.asking_hashes = frozenset(strings.add(w) for w in ASKING_VERBS)
        self.to_hash = strings.add("to")
        self.object_hashes = frozenset(strings.add(w) for w in OBJECT_PRONOUNS)
        self.honest_with_hashes = frozenset(strings.add(w) for w in HONEST_WITH)
        self.honest_hash = strings.add("honest")
        self.with_hash = strings.add("with")

    def share(self, key: str, phrases: list[str], match: str) -> None:
        """Match another component's cues in the same pass; they go in doc.user_data["coach_shared_matches"]."""
        self.key_kind[self.matcher.nlp.vocab.strings.add(key)] = 3
        self.matcher.add(key, phrases, match)

    def __call__(self, doc: Doc) -> Doc:
        return self.mark(doc, spans=True)

    def mark(self, doc: Doc, spans: bool = True) -> Doc:
        """Mark the values language; with spans=False only doc.user_data is set (what analyse reads)."""
        matches = self.matcher(doc)
        kinds = self.key_kind
        entries = [m for m in matches if kinds[m[0]] == 0]
        shared = [m for m in matches if kinds[m[0]] == 3]
        traps: list[tuple[int, int, str]] = []
        heads: list[tuple[int, int, int]] = []
        if len(entries) + len(shared) < len(matches):
            traps = [(m[1], m[2], self.traps[m[0]]) for m in matches if kinds[m[0]] == 2]
            heads = [m for m in matches if kinds[m[0]] == 1]
            if traps:
                traps = self._intended(doc, traps)
        doc.user_data["coach_shared_matches"] = shared
        view = _view(doc)
        if heads:
            entries += self._window_matches(doc, heads, view)
        candidates = _prefer_longest(entries, self.rank)
        # For each token, the shortest trap over it (index into traps), so each check is a lookup, not a scan.
        trap_at: dict[int, int] = {}
        if traps:
            for i in sorted(range(len(traps)), key=lambda i: traps[i][0] - traps[i][1], reverse=True):
                for t in range(traps[i][0], traps[i][1]):
                    trap_at[t] = i
        kept: list[tuple[int, int, str, str]] = []
        skipped: list[tuple[int, int, str, str | None]] = []
        bits = view.bits
        senses = self.senses
        rule_terms = senses.rule_hashes
        service_heads = set(np.flatnonzero(token_arrays(doc).bits & SERVICE_HEAD).tolist()) if candidates else set()
        for key, start, end in candidates:
            family, term = self.entries[key]
            sense = None
            if trap_at:
                get = trap_at.get
                for i in set([get(t, -1) for t in range(start, end)]) - {-1}:
                    t_start, t_end, t_sense = traps[i]
                    if not (start <= t_start and t_end <= end and end - start > t_end - t_start):
                        sense = t_sense
                        break
            if sense is None and term in rule_terms:
                sense = senses.rule_sense(view, start, end, term)
            # Only a capitalised cue or one with a service head just after it can be a name or a service sense.
            if sense is None and (bits[start] & TITLE or bits[end - 1] & TITLE or (service_heads and (
                    end in service_heads or end + 1 in service_heads or end + 2 in service_heads))):
                sense = senses.context_sense(view, start, end)
            if sense is not None:
                skipped.append((start, end, sense, term))
            else:
                kept.append((start, end, family, term))
        for t_start, t_end, t_sense in traps:
            skipped.append((t_start, t_end, t_sense, None))
        kept = _resolve_any_family(doc, _merge_care_objects(view, kept, self.care_joiners), view)
        doc.user_data["coach_values"] = kept  # (start, end, family, cue) tuples, read without building Spans
        # Traps (names, services, fillers, a facilitator's blocked terms) hide the emotion words inside them too
        # ("Hope Street"); a word a sense rule reads in some other sense ("nobody cares") may still carry one.
        doc.user_data["coach_not_values"] = [(s, e) for s, e, sense, term in skipped if term is None or sense != "other"]
        if spans:
            doc.spans["values"] = [Span(doc, s, e, label=f, span_id=t) for s, e, f, t in kept]
            doc.spans["not_values"] = [Span(doc, s, e, label=sense) if t is None else Span(doc, s, e, label=sense, span_id=t)
                                       for s, e, sense, t in skipped]
        return doc

    def _intended(self, doc: Doc, traps: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        """The traps without fillers that are not fillers where they stand: "to be fair" or "in fairness" after a verb
        of aim or belief ("the job is to be fair", "I believed in fairness") or after such a verb and its object
        ("they need us to be honest"), a filler after a negation, a subject or "to" ("if they didn't trust me",
        "a reason to trust me"; not "Trust me, ..."), and being honest with people other than the listeners ("if we
        are honest with them")."""
        arrays = None
        kept = []
        for trap in traps:
            start, end = trap[0], trap[1]
            if trap[2] == "filler":
                if arrays is None:
                    arrays = token_arrays(doc)
                if (int(arrays.lower[end - 1]) == self.honest_hash and end + 1 < len(arrays.lower)
                        and int(arrays.lower[end]) == self.with_hash
                        and int(arrays.lower[end + 1]) in self.honest_with_hashes):
                    continue  # "if we are honest with them": how they are dealt with (see HONEST_WITH)
            if trap[2] == "filler" and start > 0:
                first, before = int(arrays.lower[start]), int(arrays.lower[start - 1])
                if first in self.filler_heads and before in self.intent_hashes:
                    continue
                if (first in self.filler_heads and before in self.object_hashes and start > 1
                        and int(arrays.lower[start - 2]) in self.asking_hashes):
                    continue
                if not first in self.filler_heads and (arrays.bit_list[start - 1] & (NEGATION | SUBJECT)
                                                       or before == self.to_hash):
                    continue  # "if they didn't trust me", "any reason to trust me"
            kept.append(trap)
        return kept

    def _window_matches(self, doc: Doc, heads: list[tuple[int, int, int]], view: DocView) -> list[tuple[int, int, int]]:
        """Entries for pattern heads whose window holds one of the pattern's words (punctuation ends the window)."""
        found = []
        if not heads:
            return found
        bits = view.bits
        starts = view.starts if view.has_starts else None
        lower = view.lower
        n = view.n
        strings = doc.vocab.strings
        for key, start, end in heads:
            for pattern in self.patterns[key]:
                unless, words = self.pattern_hashes[id(pattern)]
                if unless and start > 0 and int(lower[start - 1]) in unless:
                    continue
                if pattern.side == "next":
                    span = range(end, min(end + pattern.window, n))
                else:
                    span = range(start - 1, max(start - pattern.window, 0) - 1, -1)
                hit = False
                for j in span:
                    if bits[j] & (PUNCT | SPACE) or (starts is not None and starts[j] and pattern.side == "next"):
                        break
                    if int(lower[j]) in words:
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


def _merge_care_objects(view: DocView, kept: list[tuple[int, int, str, str]],
                        joiners: frozenset[int]) -> list[tuple[int, int, str, str]]:
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
            if n_family not in (family, ANY_FAMILY) and (gap == 0 or (gap == 1 and int(view.lower[end]) in joiners)):
                merged.append((start, n_end, n_family, term))
                i += 2
                continue
        merged.append(kept[i])
        i += 1
    return merged


def _resolve_any_family(doc: Doc, kept: list[tuple[int, int, str, str]], view: DocView) -> list[tuple[int, int, str, str]]:
    """A "*" term ("it mattered to me") is a frame when its sentence names a value ("Peace matters to me"): the value
    is the span, so the frame is dropped. With no named value it is the value itself, in benevolence."""
    if not any(f == ANY_FAMILY for _, _, f, _ in kept):
        return kept
    first_tokens = view.first_tokens()
    named = {bisect_right(first_tokens, start) for start, _, family, _ in kept if family != ANY_FAMILY}
    return [(start, end, DEFAULT_FAMILY if family == ANY_FAMILY else family, term) for start, end, family, term in kept
            if family != ANY_FAMILY or bisect_right(first_tokens, start) not in named]


# Every cue label as "group:label"; story_moves stores cues as indexes into this tuple.
CUE_LABELS: tuple[str, ...] = tuple(f"{group}:{label}" for group, labels in CUE_GROUPS.items() for label in labels)
EMOTION_LABELS = frozenset(i for i, label in enumerate(CUE_LABELS) if label.startswith("emotion:"))
EMOTION_BITS = sum(1 << i for i in EMOTION_LABELS)


class StoryMoves:
    """Finds cues for moves, emotions, abstract claims and asks.

    The cues go in ``doc.user_data["coach_cues"]`` as a pair: per-token bits (bit i for label CUE_LABELS[i]) of the
    one-word cues, and a list of (label index, start, end) for longer cues, which is fast; with ``spans=True`` they
    also go in ``doc.spans["cues"]`` (label "group:label") for displaCy. One-word cues are facts about word forms,
    kept on the coach_tokens table; when the values_marker before it reads the same data, its matcher finds the
    longer cues in the same pass over the Doc.
    """

    def __init__(self, nlp: Language, name: str = "story_moves", data_dir: str = "", overrides: str = "",
                 spans: bool = False):
        self.name = name
        self.spans = spans
        self.lexicon = cached_lexicon(data_dir, overrides)
        self.senses = SenseChecker(self.lexicon, nlp.vocab.strings)
        marker = next((p for _, p in nlp.pipeline if isinstance(p, ValuesMarker) and p.source == (data_dir, overrides)),
                      None)
        self.marker = marker
        self.matcher = CueMatcher(nlp)
        self.label_index: dict[int, int] = {}
        groups: dict[tuple[str, str, str], list[str]] = {}
        for cue in self.lexicon.cues:
            groups.setdefault((cue.group, cue.label, cue.match), []).append(cue.cue)
        # Single-word action verbs that can open an imperative ask ("Bring a neighbour on Thursday").
        self.actions = frozenset(c.cue for c in self.lexicon.cues if c.group == "ask" and c.label == "action" and " " not in c.cue)
        # One-word cues become label bits on the token table (a fact about the word form, read for every token at
        # once); longer cues go to the matcher.
        tokens = next((p for _, p in nlp.pipeline if isinstance(p, CoachTokens)), None)
        self.table = tokens.table if tokens is not None else None
        by_attr: dict[str, dict[int, int]] = {"lemma": {}, "lower": {}}
        for (group, label, match), phrases in groups.items():
            key = f"{group}:{label}|{match}"
            bit = 1 << CUE_LABELS.index(f"{group}:{label}")
            self.label_index[nlp.vocab.strings.add(key)] = CUE_LABELS.index(f"{group}:{label}")
            if self.table is not None:
                longer = []
                for phrase, doc in zip(phrases, pattern_docs(nlp, phrases)):
                    if len(doc) == 1:
                        word = int(doc[0].lemma) if match == "lemma" else int(doc[0].lower)
                        by_attr[match][word] = by_attr[match].get(word, 0) | bit
                    else:
                        longer.append(phrase)
                phrases = longer
            if not phrases:
                continue
            if marker is not None:
                marker.share(key, phrases, match)
            else:
                self.matcher.add(key, phrases, match)
        if self.table is not None:
            self.table.set_word_cues(by_attr["lemma"], by_attr["lower"])

    def __call__(self, doc: Doc) -> Doc:
        return self.mark(doc, spans=self.spans)

    def mark(self, doc: Doc, spans: bool = False) -> Doc:
        """Find the cues; with spans=True also put them in doc.spans["cues"]."""
        if self.marker is None:
            matches = self.matcher(doc)
        else:
            matches = doc.user_data.pop("coach_shared_matches", None)
            if matches is None:  # the values_marker did not run on this Doc
                kinds = self.marker.key_kind
                matches = [m for m in self.marker.matcher(doc) if kinds.get(m[0]) == 3]
        index = self.label_index
        longer = [(index[k], s, e) for k, s, e in matches]
        words = None
        if self.table is not None and len(doc):
            words = token_arrays(doc).cues
            if words is not None:
                words = words.copy()
        if words is None:
            words = np.zeros(len(doc), dtype=np.int64)
        if len(words):
            longer, words = self._not_names(doc, longer, words)
        doc.user_data["coach_cues"] = (words, longer)
        if spans:
            found = [(int(lab), t, t + 1) for t in np.flatnonzero(words).tolist() for lab in range(len(CUE_LABELS))
                     if int(words[t]) >> lab & 1] + longer
            doc.spans["cues"] = [Span(doc, s, e, label=CUE_LABELS[lab]) for lab, s, e in sorted(found, key=lambda c: c[1])]
        return doc

    def _not_names(self, doc: Doc, cues: list[tuple[int, int, int]], words: np.ndarray):
        """The cues to keep: emotion words inside a service or name sense ("Hope Street", "power cut") are dropped.

        Args:
            doc: the Doc.
            cues: cues of more than one word, as (label, start, end).
            words: label bits of the one-word cues of each token (changed in place).

        Returns:
            The longer cues kept, and the one-word cue bits with the dropped emotions cleared.
        """
        emotion_words = np.flatnonzero(words & EMOTION_BITS).tolist()
        if not emotion_words and not any(c[0] in EMOTION_LABELS for c in cues):
            return cues, words
        ranges = doc.user_data.get("coach_not_values")
        if ranges is None:
            ranges = [(span.start, span.end) for span in doc.spans.get("not_values", [])
                      if not span.id_ or span.label_ != "other"]
        view = _view(doc)
        bits = view.bits
        blocked = {t for start, end in ranges for t in range(start, end)}
        for t in emotion_words:
            if t in blocked or (bits[t] & TITLE and self.senses.context_sense(view, t, t + 1) is not None):
                words[t] &= ~EMOTION_BITS
        def named(s: int, e: int) -> bool:
            return (any(t in blocked for t in range(s, e))
                    or bool(bits[s] & TITLE and self.senses.context_sense(view, s, e) is not None))

        return [c for c in cues if c[0] not in EMOTION_LABELS or not named(c[1], c[2])], words


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
