"""Per-word facts the coach needs (lower case, lemma, flags, word classes), cached once per distinct word form.

Reading spaCy attributes token by token is slow in Python. The coach computes the facts about a word form once, keeps
them in numpy tables, and writes the form's row in the table into its lexeme's ``rank`` (spaCy's "sequential ID of
the lexical type, used to index into tables"; free in a pipeline without word vectors). One ``doc.to_array`` then
gives every token's row, and one fancy index per table spreads the facts over the tokens.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from spacy.attrs import ID, IDX, ORTH
from spacy.pipeline.sentencizer import Sentencizer
from spacy.tokens import Doc
from spacy.vocab import Vocab

# One bit per fact about a word form.
(ALPHA, PUNCT, SPACE, QUOTE, NUM, TITLE, ASCII, SENT_END, PARAGRAPH, ENGLISH, FIRST, PLURAL, SECOND, ACTION, OPENER,
 CLAIM_OPENER, CLAIM_VERB, PAST, PERFECT, WORDLIKE, DIGIT, SERVICE_HEAD, NAME_HEAD, STOP, NEGATION,
 COMMIT_SKIP, CONDITION, APOSTROPHE, UPPER, HYPHEN, NAME_JOINER, CLAUSE_OPENER, COMMA, LEX_STOP, LEAD_SKIP, PRESENT,
 BULLET, NEWLINE, NARRATOR, STATE, SUBJECT, TIME_CLAUSE, LESSON) = (1 << i for i in range(43))

FIRST_PERSON = ("i", "me", "my", "mine", "myself")
PLURAL_PERSON = ("we", "us", "our", "ours", "ourselves")
SECOND_PERSON = ("you", "your", "yours", "yourself", "yourselves")
# Words that may open an imperative ask before its verb ("So, bring a friend", "Please sign").
ASK_OPENERS = ("so", "and", "now", "please", "pls", "plz", "then", "today", "tonight", "first", "just", "simply", "all",
               "tomorrow", ",", "-", "–", "—")
# After a value word that opens a sentence, these verbs (lemmas) make it a claim about the value ("Fairness is...").
CLAIM_VERBS = ("be", "matter", "matt", "mean", "drive", "guide", "motivate", "shape", "lie", "sit", "come", "start",
               "begin", "underpin", "define", "run", "should", "must", "have")
CLAIM_OPENERS = ("for", "to", "but", "and", "so")
# "have" before a participle makes a present perfect ("we have achieved"): a claim more than a moment; a form of
# "be" before it makes a passive ("every child should be protected"), whose tense is carried by the "be".
PERFECT_AUXILIARIES = ("have", "has", "'ve", "ve", "having", "be", "is", "are", "am", "'re", "'m", "been", "being")
# Before "we will", these make it a consequence, not a pledge ("If we wait, we will lose the library").
CONDITIONS = ("if", "unless", "otherwise", "or", "without", "until")
# Words that open a leading time clause, after which an imperative may follow a comma ("So before you leave tonight,
# save the helpline number in your phone").
TIME_CLAUSES = ("before", "after", "when", "whenever", "once", "while", "next", "as")
# Verbs that draw a lesson from a moment ("that taught me the importance of...", "I learned from him that...").
LESSON_VERBS = ("taught", "learned", "learnt", "realised", "realized", "showed", "shown", "discovered", "understood")
NEGATIONS = ("not", "n't", "never", "no", "nt", "nothing", "nobody")
# Finite verbs in the present (or a modal): when one comes before any simple past in a sentence, the main clause is in
# the present ("We are patient with people because grief makes everyone impatient, us included").
PRESENT_FINITE = ("is", "are", "am", "'re", "'m", "isn't", "aren't", "do", "does", "don't", "doesn't", "has", "have",
                  "'ve", "ve", "hasn't", "haven't", "can", "can't", "cannot", "will", "'ll", "won't", "should", "shouldn't",
                  "must", "mustn't", "ought", "need", "needs", "ai")
# The narrator as a subject ("I", "we"): followed by a verb of doing in the simple past, the sentence tells what the
# narrator did, a choice ("We wrote one letter together, in three languages").
NARRATORS = ("i", "we")
# Simple pasts that tell a state, a feeling or a perception rather than something done.
STATE_VERBS = ("was", "were", "had", "felt", "knew", "thought", "wanted", "remembered", "loved", "liked", "hated",
               "needed", "saw", "heard", "grew", "lived", "used", "became", "seemed", "looked", "sounded", "noticed",
               "realised", "realized", "learned", "learnt", "found", "missed", "worried", "wondered", "hoped",
               "believed", "expected", "owned", "belonged", "got", "came", "met", "spent", "understood", "forgot",
               "didn't", "couldn't", "wasn't", "weren't", "hadn't", "wouldn't", "did", "could", "would", "might",
               "should", "lost", "fell", "cried", "laughed", "smiled", "sat", "stood", "lay", "slept", "woke", "stayed",
               "waited", "watched", "listened", "enjoyed", "cared", "meant", "said", "told", "asked")
# Subject pronouns: before a filler phrase they make it part of the clause ("they trust me", not "Trust me, ...").
SUBJECTS = ("i", "we", "you", "they", "he", "she", "it", "who", "people")
# Marks that open a list item ("- we stay patient when people shout"); after a line break they start a sentence.
BULLETS = ("-", "–", "—", "*", "•", "·", "+", ">")
# Words that may stand between a pledge's "I will" and its verb ("I will also personally ring...", "try to visit").
COMMIT_SKIPS = ("also", "personally", "definitely", "certainly", "then", "each", "both", "all", "now", "just", "first",
                "really", "actually", "always", "still", "try", "to", "at", "least", "myself", "ourselves", "gladly",
                "happily", "soon", "today", "tomorrow", "tonight", ",")
SENTENCE_CHARS = frozenset(Sentencizer.default_punct_chars)
# Words that may join the parts of a proper name ("the Bank of England", "Marks & Spencer").
NAME_JOINERS = frozenset({"of", "the", "for", "and", "&", "'s", "on", "upon", "in"})
# Tokens after which a capitalised word is still the start of a clause, not a name.
CLAUSE_OPENERS = frozenset({'"', "“", "‘", "'", ":", ";", "(", "-", "–", "—", "…", "*", "•", "\n"})
# What a word form may say about its sentence: an anchor of a lived moment (a digit, a quotation mark), a quotation,
# "you"; and candidates that depend on the token before: a Title Case word (a name inside a sentence), a verb in the
# simple past (not after "have"), an apostrophe (a quotation mark only when it opens).
FACT_ANCHOR, FACT_QUOTE, FACT_SECOND, FACT_TITLE, FACT_PAST, FACT_APOSTROPHE, FACT_PRESENT = 1, 2, 4, 16, 32, 64, 128

# Width of each packed count in TokenTable.t_words and t_alpha (enough for MAX_CHARS, 1,000,000 characters).
STAT_BITS = 21
STAT_MASK = (1 << STAT_BITS) - 1


@dataclass(frozen=True)
class TokenArrays:
    """Per-token arrays for one Doc: lower-case and lemma hashes, fact bits, lengths and character offsets."""

    lower: np.ndarray
    lemma: np.ndarray
    bits: np.ndarray
    length: np.ndarray
    idx: np.ndarray | None = None
    bit_list: list[int] | None = None  # bits as Python ints, for loops that read a few tokens each
    cues: np.ndarray | None = None  # one bit per cue label of the one-word cues each token matches
    rows: np.ndarray | None = None  # each token's row in the TokenTable
    facts: np.ndarray | None = None  # FACT_* bits: what a token may say about its sentence (see TokenTable._add)
    table: TokenTable | None = None


@lru_cache(maxsize=1)
def lookup_data() -> tuple[dict[str, str], frozenset[str]]:
    """spaCy's English lemma lookup table (lower-cased) and the past-tense forms it implies."""
    import spacy_lookups_data
    from spacy.util import load_language_data

    raw = load_language_data(spacy_lookups_data.en["lemma_lookup"])
    lemmas: dict[str, str] = {}
    for form, lemma in raw.items():
        lemmas.setdefault(form.lower(), str(lemma).lower())
    irregular = load_language_data(spacy_lookups_data.en["lemma_exc"])["verb"]
    past = {f for f, lemma in lemmas.items() if f.endswith("ed") and lemma != f and " " not in f}
    past.update(f for f in irregular if "_" not in f and not f.endswith(("ing", "s")) and f not in ("am", "are", "be"))
    past.update(("was", "were", "wasn't", "weren't", "didn't", "couldn't", "wouldn't"))  # "was" ends in s like "goes"
    return lemmas, frozenset(past)


class TokenTable:
    """Facts about word forms, computed once per form (keyed by ORTH) and kept in growing numpy arrays."""

    def __init__(self, vocab: Vocab, extra_english: Iterable[str] = (), actions: Iterable[str] = (),
                 service_heads: Iterable[str] = (), name_heads: Iterable[str] = ()):
        from spacy.lang.en.stop_words import STOP_WORDS

        self.vocab = vocab
        self.lemmas, past = lookup_data()
        english = set(self.lemmas) | set(self.lemmas.values()) | set(STOP_WORDS) | set(extra_english)
        self.lower_bits: dict[str, int] = {}
        for flag, words in ((ENGLISH, english), (FIRST, FIRST_PERSON), (PLURAL, PLURAL_PERSON), (SECOND, SECOND_PERSON),
                            (ACTION, actions), (OPENER, ASK_OPENERS), (CLAIM_OPENER, CLAIM_OPENERS), (PAST, past),
                            (PERFECT, PERFECT_AUXILIARIES), (STOP, STOP_WORDS), (NEGATION, NEGATIONS),
                            (COMMIT_SKIP, COMMIT_SKIPS), (CONDITION, CONDITIONS), (APOSTROPHE, ("'", "’")),
                            (NAME_JOINER, NAME_JOINERS), (PRESENT, PRESENT_FINITE), (BULLET, BULLETS),
                            (NARRATOR, NARRATORS), (STATE, STATE_VERBS),
                            (SUBJECT, SUBJECTS), (TIME_CLAUSE, TIME_CLAUSES), (LESSON, LESSON_VERBS)):
            for word in words:
                self.lower_bits[word] = self.lower_bits.get(word, 0) | flag
        self.claim_verbs = frozenset(CLAIM_VERBS)
        self.service_heads = frozenset(service_heads)
        self.name_heads = frozenset(name_heads)
        self.row: dict[int, int] = {}
        self.size = 0
        self.t_orth = np.zeros(1024, dtype=np.uint64)
        self.t_lower = np.zeros(1024, dtype=np.uint64)
        self.t_lemma = np.zeros(1024, dtype=np.uint64)
        self.t_bits = np.zeros(1024, dtype=np.int64)
        self.t_length = np.zeros(1024, dtype=np.int64)
        self.t_cues = np.zeros(1024, dtype=np.int64)
        self.t_facts = np.zeros(1024, dtype=np.int64)
        # Word counts packed in STAT_BITS-bit fields, so a draft's totals are one sum: see word_totals.
        self.t_words = np.zeros(1024, dtype=np.int64)
        self.t_alpha = np.zeros(1024, dtype=np.int64)
        # One-word cues, as label bits keyed by the lemma or the lower-case form they match (see set_word_cues).
        self.cues_by_lemma: dict[int, int] = {}
        self.cues_by_lower: dict[int, int] = {}

    def _add(self, orth: int) -> int:
        """Compute and store the facts about one word form; returns its row."""
        strings = self.vocab.strings
        text = strings[orth]
        lex = self.vocab[orth]
        lower = text.lower()
        lemma = self.lemmas.get(lower, lower)
        bits = self.lower_bits.get(lower, 0)
        for flag, on in ((ALPHA, lex.is_alpha), (PUNCT, lex.is_punct), (SPACE, lex.is_space), (QUOTE, lex.is_quote),
                         (NUM, lex.like_num), (TITLE, lex.is_title), (ASCII, lex.is_ascii),
                         (SENT_END, text in SENTENCE_CHARS), (PARAGRAPH, lex.is_space and text.count("\n") >= 2),
                         (CLAIM_VERB, lemma in self.claim_verbs), (DIGIT, any(c.isdigit() for c in text)),
                         (SERVICE_HEAD, lemma in self.service_heads or lower in self.service_heads),
                         (NAME_HEAD, text in self.name_heads),
                         (UPPER, lex.is_upper), (HYPHEN, text == "-"), (CLAUSE_OPENER, text in CLAUSE_OPENERS),
                         (COMMA, text == ","), (LEX_STOP, lex.is_stop), (NEWLINE, lex.is_space and "\n" in text),
                         (WORDLIKE, lex.is_alpha or lex.like_num or (
                             not lex.is_punct and not lex.is_space and text[:1] not in ("'", "’") and text != "n't"
                             and any(c.isalpha() for c in text)))):
            if on:
                bits |= flag
        # Words that an imperative ask may open with before its verb ("So, please bring..."), and punctuation.
        if bits & (OPENER | PUNCT | SPACE) and not bits & ACTION:
            bits |= LEAD_SKIP
        if self.size == len(self.t_bits):
            for name in ("t_orth", "t_lower", "t_lemma", "t_bits", "t_length", "t_cues", "t_words", "t_alpha", "t_facts"):
                old = getattr(self, name)
                setattr(self, name, np.concatenate([old, np.zeros_like(old)]))
        i = self.size
        self.t_orth[i] = orth
        self.t_lower[i] = strings.add(lower)
        self.t_lemma[i] = strings.add(lemma)
        self.t_bits[i] = bits
        self.t_length[i] = len(text)
        self.t_facts[i] = ((FACT_ANCHOR if bits & (DIGIT | QUOTE) else 0) | (FACT_QUOTE if bits & QUOTE else 0)
                           | (FACT_SECOND if bits & SECOND else 0) | (FACT_PAST if bits & PAST else 0)
                           | (FACT_TITLE if bits & TITLE and not bits & FIRST else 0)
                           | (FACT_APOSTROPHE if bits & QUOTE and bits & APOSTROPHE else 0)
                           | (FACT_PRESENT if bits & PRESENT else 0))
        if bits & WORDLIKE:
            self.t_words[i] = 1 | len(text) << STAT_BITS | (len(text) << 2 * STAT_BITS if bits & ASCII else 0)
        if bits & ALPHA:
            self.t_alpha[i] = 1 | (1 << STAT_BITS if bits & ENGLISH else 0)
        self.t_cues[i] = self.cues_by_lemma.get(int(self.t_lemma[i]), 0) | self.cues_by_lower.get(int(self.t_lower[i]), 0)
        self.row[orth] = i
        self.size += 1
        return i

    def set_word_cues(self, by_lemma: dict[int, int], by_lower: dict[int, int]) -> None:
        """Set the one-word cues (label bits keyed by lemma or lower-case hash), for the forms seen so far and to come."""
        self.cues_by_lemma, self.cues_by_lower = dict(by_lemma), dict(by_lower)
        for i in range(self.size):
            self.t_cues[i] = by_lemma.get(int(self.t_lemma[i]), 0) | by_lower.get(int(self.t_lower[i]), 0)

    def arrays(self, doc: Doc) -> TokenArrays:
        """The per-token arrays of a Doc."""
        if len(doc) == 0:
            empty = np.zeros(0, dtype=np.uint64)
            return TokenArrays(empty, empty, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64),
                               np.zeros(0, dtype=np.int64), [], np.zeros(0, dtype=np.int64),
                               facts=np.zeros(0, dtype=np.int64))
        if len(self.vocab.vectors):  # ranks index the word vectors here, so they are not ours to use
            return self._arrays_by_orth(doc)
        got = doc.to_array([ID, ORTH, IDX])
        rows = got[:, 0]
        # A rank is only a hint: it is ours when the row it names holds the same word form.
        safe = np.minimum(rows, self.size - 1 if self.size else 0).astype(np.int64)
        if not self.size or not (self.t_orth[safe] == got[:, 1]).all():
            for i in np.flatnonzero((rows >= self.size) | (self.t_orth[safe] != got[:, 1])).tolist():
                orth = int(got[i, 1])
                row = self.row.get(orth)
                if row is None:
                    row = self._add(orth)
                self.vocab[orth].rank = row
                rows[i] = row
            safe = rows.astype(np.int64)
        bits = self.t_bits[safe]
        return TokenArrays(self.t_lower[safe], self.t_lemma[safe], bits, self.t_length[safe],
                           got[:, 2].astype(np.int64), bits.tolist(), self.t_cues[safe], rows=safe, table=self,
                           facts=self.t_facts[safe])

    def _arrays_by_orth(self, doc: Doc) -> TokenArrays:
        """The per-token arrays, looked up by word form (for a vocab whose ranks belong to word vectors)."""
        orths = doc.to_array(ORTH)
        forms, inverse = np.unique(orths, return_inverse=True)
        get = self.row.get
        rows = [get(o) for o in forms.tolist()]
        if None in rows:
            rows = [r if r is not None else self._add(o) for r, o in zip(rows, forms.tolist())]
        at = np.asarray(rows, dtype=np.int64)[inverse]
        bits = self.t_bits[at]
        return TokenArrays(self.t_lower[at], self.t_lemma[at], bits, self.t_length[at],
                           doc.to_array(IDX).astype(np.int64), bits.tolist(), self.t_cues[at], rows=at, table=self,
                           facts=self.t_facts[at])


def word_totals(arrays: TokenArrays) -> tuple[int, int, int, int, int] | None:
    """Words, their letters, letters in ASCII words, alphabetic tokens and known English ones (None if not at hand)."""
    if arrays.table is None or arrays.rows is None:
        return None
    words = int(arrays.table.t_words[arrays.rows].sum())
    alpha = int(arrays.table.t_alpha[arrays.rows].sum())
    return (words & STAT_MASK, words >> STAT_BITS & STAT_MASK, words >> 2 * STAT_BITS, alpha & STAT_MASK,
            alpha >> STAT_BITS)


def token_arrays(doc: Doc) -> TokenArrays:
    """The arrays the coach_tokens component stored on a Doc."""
    found = doc.user_data.get("coach_tokens")
    if found is None:
        raise ValueError("This Doc was not made by the coach's pipeline (no coach_tokens); use relational.coach.load().")
    return found
