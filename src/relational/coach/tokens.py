"""Per-word facts the coach needs (lower case, lemma, flags, word classes), cached once per distinct word form.

Reading spaCy attributes token by token is slow in Python; a draft has far fewer distinct forms than tokens, so the
coach looks each form up once (``np.unique``) and spreads the answers back over the tokens with numpy.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from spacy.attrs import ORTH
from spacy.pipeline.sentencizer import Sentencizer
from spacy.tokens import Doc
from spacy.vocab import Vocab

# One bit per fact about a word form.
(ALPHA, PUNCT, SPACE, QUOTE, NUM, TITLE, ASCII, SENT_END, PARAGRAPH, ENGLISH, FIRST, PLURAL, SECOND, ACTION, OPENER,
 CLAIM_OPENER, CLAIM_VERB, PAST, PERFECT, WORDLIKE, DIGIT, SERVICE_HEAD, NAME_HEAD, STOP, NEGATION,
 COMMIT_SKIP, CONDITION, APOSTROPHE) = (1 << i for i in range(28))

FIRST_PERSON = ("i", "me", "my", "mine", "myself")
PLURAL_PERSON = ("we", "us", "our", "ours", "ourselves")
SECOND_PERSON = ("you", "your", "yours", "yourself", "yourselves")
# Words that may open an imperative ask before its verb ("So, bring a friend", "Please sign").
ASK_OPENERS = ("so", "and", "now", "please", "then", "today", "tonight", "first", "just", "simply", "all", "tomorrow",
               ",", "-", "–", "—")
# After a value word that opens a sentence, these verbs (lemmas) make it a claim about the value ("Fairness is...").
CLAIM_VERBS = ("be", "matter", "matt", "mean", "drive", "guide", "motivate", "shape", "lie", "sit", "come", "start",
               "begin", "underpin", "define", "run", "should", "must", "have")
CLAIM_OPENERS = ("for", "to", "but", "and", "so")
# "have" before a participle makes a present perfect ("we have achieved"): a claim more than a moment; a form of
# "be" before it makes a passive ("every child should be protected"), whose tense is carried by the "be".
PERFECT_AUXILIARIES = ("have", "has", "'ve", "having", "be", "is", "are", "am", "'re", "'m", "been", "being")
# Before "we will", these make it a consequence, not a pledge ("If we wait, we will lose the library").
CONDITIONS = ("if", "unless", "otherwise", "or", "without", "until")
NEGATIONS = ("not", "n't", "never", "no", "nt", "nothing", "nobody")
# Words that may stand between a pledge's "I will" and its verb ("I will also personally ring...", "try to visit").
COMMIT_SKIPS = ("also", "personally", "definitely", "certainly", "then", "each", "both", "all", "now", "just", "first",
                "really", "actually", "always", "still", "try", "to", "at", "least", "myself", "ourselves", "gladly",
                "happily", "soon", "today", "tomorrow", "tonight", ",")
SENTENCE_CHARS = frozenset(Sentencizer.default_punct_chars)


@dataclass(frozen=True)
class TokenArrays:
    """Per-token arrays for one Doc: lower-case and lemma hashes, fact bits, and lengths."""

    lower: np.ndarray
    lemma: np.ndarray
    bits: np.ndarray
    length: np.ndarray


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
                            (COMMIT_SKIP, COMMIT_SKIPS), (CONDITION, CONDITIONS), (APOSTROPHE, ("'", "’"))):
            for word in words:
                self.lower_bits[word] = self.lower_bits.get(word, 0) | flag
        self.claim_verbs = frozenset(CLAIM_VERBS)
        self.service_heads = frozenset(service_heads)
        self.name_heads = frozenset(name_heads)
        self.row: dict[int, int] = {}
        self.size = 0
        self.t_lower = np.zeros(1024, dtype=np.uint64)
        self.t_lemma = np.zeros(1024, dtype=np.uint64)
        self.t_bits = np.zeros(1024, dtype=np.int64)
        self.t_length = np.zeros(1024, dtype=np.int64)

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
                         (SERVICE_HEAD, lemma in self.service_heads), (NAME_HEAD, text in self.name_heads),
                         (WORDLIKE, lex.is_alpha or lex.like_num or (
                             not lex.is_punct and not lex.is_space and text[:1] not in ("'", "’") and text != "n't"
                             and any(c.isalpha() for c in text)))):
            if on:
                bits |= flag
        if self.size == len(self.t_bits):
            for name in ("t_lower", "t_lemma", "t_bits", "t_length"):
                old = getattr(self, name)
                setattr(self, name, np.concatenate([old, np.zeros_like(old)]))
        i = self.size
        self.t_lower[i] = strings.add(lower)
        self.t_lemma[i] = strings.add(lemma)
        self.t_bits[i] = bits
        self.t_length[i] = len(text)
        self.row[orth] = i
        self.size += 1
        return i

    def arrays(self, doc: Doc) -> TokenArrays:
        """The per-token arrays of a Doc."""
        if len(doc) == 0:
            empty = np.zeros(0, dtype=np.uint64)
            return TokenArrays(empty, empty, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
        orths = doc.to_array(ORTH)
        forms, inverse = np.unique(orths, return_inverse=True)
        get = self.row.get
        rows = [get(o) for o in forms.tolist()]
        if None in rows:
            rows = [r if r is not None else self._add(o) for r, o in zip(rows, forms.tolist())]
        at = np.asarray(rows, dtype=np.int64)[inverse]
        return TokenArrays(self.t_lower[at], self.t_lemma[at], self.t_bits[at], self.t_length[at])


def token_arrays(doc: Doc) -> TokenArrays:
    """The arrays the coach_tokens component stored on a Doc."""
    found = doc.user_data.get("coach_tokens")
    if found is None:
        raise ValueError("This Doc was not made by the coach's pipeline (no coach_tokens); use relational.coach.load().")
    return found
