"""The coach's analysis: build the pipeline once, then turn a draft into typed Feedback."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from relational.coach.prompts import choose_prompts, empty_prompts, not_english_prompts, too_long_prompts
from relational.coach.results import KINDS, CallToAction, Feedback, Notice, ValueMention

if TYPE_CHECKING:  # spaCy is imported only when the pipeline is built, so importing the coach stays cheap.
    from spacy.language import Language
    from spacy.tokens import Doc

# Drafts longer than this are refused with a clear notice (about 170,000 words; a story is under 1,000).
MAX_CHARS = 1_000_000
# A draft is "mostly not English" when fewer than this share of its words are known English words.
ENGLISH_SHARE = 0.5
MIN_WORDS_FOR_LANGUAGE_CHECK = 4

_lock = threading.Lock()


@lru_cache(maxsize=4)
def load(data_dir: str = "", overrides: str = "") -> Language:
    """Build the coach's spaCy pipeline once (blank English, no downloaded model) and cache it.

    Args:
        data_dir: a folder with the coach's data files (default data/coach).
        overrides: a facilitator's local terms CSV (default RELATIONAL_COACH_OVERRIDES or data/coach/local_terms.csv).

    Returns:
        The pipeline: coach_tokens (lemmas and word facts), coach_sentencizer, values_marker, story_moves.
    """
    import spacy

    import relational.coach.components  # noqa: F401  (registers the factories even without the entry points)

    from spacy.util import compile_infix_regex

    nlp = spacy.blank("en")
    nlp.max_length = MAX_CHARS + 1
    # Split pasted HTML tags off words ("<b>fairness</b>"), so the words inside are still read.
    nlp.tokenizer.infix_finditer = compile_infix_regex(list(nlp.Defaults.infixes) + [r"[<>]"]).finditer
    nlp.add_pipe("coach_tokens", config={"data_dir": data_dir, "overrides": overrides})
    nlp.add_pipe("coach_sentencizer")
    nlp.add_pipe("values_marker", config={"data_dir": data_dir, "overrides": overrides})
    nlp.add_pipe("story_moves", config={"data_dir": data_dir, "overrides": overrides})
    return nlp


def _check_kind(kind: str | None) -> str | None:
    if kind is None:
        return None
    if not isinstance(kind, str) or kind.strip().lower() not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)} or None, not {kind!r}.")
    return kind.strip().lower()


def analyse(text: str, kind: str | None = None) -> Feedback:
    """Analyse a draft story: values language, sentences (moves, abstract claims, emotions), the ask, and prompts.

    Args:
        text: the learner's draft, exactly as typed (offsets in the result index into it).
        kind: "self", "us" or "now" for kind-specific prompts, or None.

    Returns:
        A frozen Feedback; ``Feedback.to_dict()`` gives the coach's JSON.
    """
    if not isinstance(text, str):
        raise TypeError(f"The draft must be text (str), not {type(text).__name__}.")
    kind = _check_kind(kind)
    if not text.strip():
        return Feedback(text=text, kind=kind, prompts=empty_prompts(kind))
    if len(text) > MAX_CHARS:
        message = (f"This draft is {len(text):,} characters long; the coach reads up to {MAX_CHARS:,} "
                   "(about 170,000 words). Paste one story at a time.")
        return Feedback(text=text, kind=kind, prompts=too_long_prompts(), notices=(Notice("too_long", message),))
    # A lone surrogate (from a broken paste) cannot be encoded; U+FFFD keeps every offset where it was.
    clean = text if text.isascii() else _without_surrogates(text)
    nlp = load()
    with _lock:  # the pipeline's components are not written for concurrent use of one Doc vocab
        doc = nlp.make_doc(clean)
        tokens = nlp.get_pipe("coach_tokens")
        doc = tokens(doc)
        words, english = _word_stats(doc, text)
        if words == 0:
            return Feedback(text=text, kind=kind, prompts=empty_prompts(kind))
        if (words >= MIN_WORDS_FOR_LANGUAGE_CHECK or english == 0.0) and english < ENGLISH_SHARE:
            message = ("This draft looks mostly not English. The coach only reads English, so it has not guessed; "
                       "write the story in English to get feedback.")
            return Feedback(text=text, kind=kind, word_count=words, prompts=not_english_prompts(),
                            notices=(Notice("not_english", message),))
        for _, proc in nlp.pipeline:
            if proc is not tokens:
                # The coach's own components can skip building Span objects, which analyse does not read.
                mark = getattr(proc, "mark", None)
                doc = mark(doc, spans=False) if mark is not None else proc(doc)
        return feedback_from_doc(doc, kind, words, text)


def analyse_many(texts: Iterable[str], kind: str | None = None) -> list[Feedback]:
    """Analyse several drafts (a convenience for batch tools)."""
    return [analyse(t, kind) for t in texts]


def _without_surrogates(text: str) -> str:
    """The text with lone surrogates replaced by U+FFFD (same length, so offsets are unchanged)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        import re

        return re.sub("[\ud800-\udfff]", "\ufffd", text)
    return text


def _word_stats(doc: Doc, text: str) -> tuple[int, float]:
    """Number of words in a draft, and the share of its words that are known English words.

    Args:
        doc: a Doc after coach_tokens.
        text: its text.

    Returns:
        (words, share); the share is 0.0 when most letters are outside the Latin alphabet.
    """
    import numpy as np

    from relational.coach.tokens import ALPHA, ASCII, ENGLISH, WORDLIKE, token_arrays, word_totals

    arrays = token_arrays(doc)
    totals = word_totals(arrays)
    if totals is not None:
        words, letters, ascii_letters, total, english = totals
        if letters >= 8 and ascii_letters < letters / 2:
            return words, 0.0  # mostly letters outside the Latin alphabet (Arabic, Chinese, Cyrillic...)
        return (words, 1.0) if total == 0 else (words, english / total)
    bits = arrays.bits
    wordlike = (bits & WORDLIKE) > 0
    words = int(np.count_nonzero(wordlike))
    letters = int(arrays.length[wordlike].sum())
    if letters >= 8 and int(arrays.length[wordlike & ((bits & ASCII) > 0)].sum()) < letters / 2:
        return words, 0.0  # mostly letters outside the Latin alphabet (Arabic, Chinese, Cyrillic...)
    alpha = (bits & ALPHA) > 0
    total = int(np.count_nonzero(alpha))
    if total == 0:
        return words, 1.0
    return words, int(np.count_nonzero(alpha & ((bits & ENGLISH) > 0))) / total


def feedback_from_doc(doc: Doc, kind: str | None = None, word_count: int | None = None, text: str | None = None) -> Feedback:
    """Feedback from a Doc the coach's pipeline has processed.

    Args:
        doc: a Doc from ``load()``.
        kind: "self", "us", "now" or None.
        word_count: words in the draft, if already counted.
        text: the Doc's text, if at hand (doc.text is rebuilt token by token, which is slow).

    Returns:
        The Feedback for the Doc's text.
    """
    from relational.coach.features import sentence_features

    if text is None:
        text = doc.text
    found = doc.user_data.get("coach_values")
    if found is None:
        found = [(s.start, s.end, s.label_, s.id_) for s in doc.spans["values"]]
    values = []
    if found:
        # Character offsets from the token arrays, not a Token object per span.
        from relational.coach.tokens import token_arrays

        arrays = token_arrays(doc)
        idx, length = arrays.idx, arrays.length
        for start, end, family, cue in sorted(found):
            a, b = int(idx[start]), int(idx[end - 1] + length[end - 1])
            values.append(ValueMention(a, b, text[a:b], family, cue or text[a:b].lower()))
    values = tuple(values)
    feats = sentence_features(doc, kind)
    sentences = tuple(feats.sentences)
    cta = feats.call_to_action
    call = CallToAction(cta is not None, cta.start_char if cta else None, cta.end_char if cta else None,
                        bool(cta and cta.specific))
    if word_count is None:
        word_count = _word_stats(doc, text)[0]
    draft = Feedback(text=text, kind=kind, values=values, sentences=sentences, call_to_action=call,
                     word_count=word_count)
    prompts = choose_prompts(draft, feats)
    return Feedback(text=text, kind=kind, values=values, sentences=sentences, call_to_action=call,
                    prompts=prompts, word_count=word_count)
