"""Sentence-level features of a processed Doc (moves, emotions, abstract claims, asks, voice), computed with numpy."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from spacy.attrs import IDX, SPACY
from spacy.tokens import Doc

from relational.coach.components import CUE_LABELS
from relational.coach.results import EMOTIONS, SentenceFeedback
from relational.coach.tokens import (
    ACTION, APOSTROPHE, CLAIM_OPENER, CLAIM_VERB, COMMIT_SKIP, CONDITION, DIGIT, FIRST, NEGATION, NUM, OPENER, PAST, PERFECT, PLURAL, PUNCT,
    QUOTE, SECOND, SPACE, STOP, TITLE, token_arrays,
)

# Column of each cue label ("move:choice", "emotion:hope"...) in the sentence-by-label matrix.
L = {label: i for i, label in enumerate(CUE_LABELS)}
MOVE_COLUMNS = [L["move:challenge"], L["move:choice"], L["move:outcome"]]
MOVE_NAMES = ("challenge", "choice", "outcome")
EMOTION_COLUMNS = [L[f"emotion:{e}"] for e in EMOTIONS]
EMOTION_NAMES = EMOTIONS
CHALLENGE_EMOTIONS = [EMOTIONS.index(e) for e in ("inertia", "apathy", "anger", "fear", "isolation", "self_doubt")]


def _all_subsets(names: tuple[str, ...]) -> list[tuple[str, ...]]:
    """For every bit code, the names whose bits are set, in their canonical order."""
    return [tuple(name for i, name in enumerate(names) if code >> i & 1) for code in range(1 << len(names))]


MOVE_SETS = _all_subsets(MOVE_NAMES)
EMOTION_SETS = _all_subsets(EMOTION_NAMES)
MOVE_WEIGHTS = 1 << np.arange(len(MOVE_NAMES))
EMOTION_WEIGHTS = 1 << np.arange(len(EMOTION_NAMES))


@dataclass(frozen=True)
class AskInfo:
    """The draft's call to action."""

    start_char: int
    end_char: int
    specific: bool
    has_action: bool
    has_when: bool
    has_where: bool


@dataclass(frozen=True)
class DocFeatures:
    """Sentence features plus whole-draft counts that prompts use."""

    sentences: list[SentenceFeedback]
    call_to_action: AskInfo | None
    first_person: int = 0
    plural_person: int = 0
    second_person: int = 0
    values: int = 0


def _sentence_of(positions: np.ndarray, s_start: np.ndarray, s_end: np.ndarray) -> np.ndarray:
    """The sentence index of each token position (-1 for tokens between sentences)."""
    if len(positions) == 0:
        return np.zeros(0, dtype=np.int64)
    si = np.searchsorted(s_start, positions, "right") - 1
    safe = np.maximum(si, 0)
    return np.where((si >= 0) & (positions < s_end[safe]), si, -1)


def sentence_features(doc: Doc, kind: str | None = None) -> DocFeatures:
    """Moves, emotions, abstract claims and the call to action of a Doc processed by the coach's pipeline.

    Args:
        doc: a Doc from the coach's pipeline.
        kind: "self", "us", "now" or None; a first-person pledge counts as the call to action only in a story of
            now (or when the kind is not given).

    Returns:
        The features, one SentenceFeedback a sentence (sentences with no word are left out).
    """
    n = len(doc)
    if n == 0:
        return DocFeatures([], None)
    tokens = token_arrays(doc)
    bits = tokens.bits
    is_space = (bits & SPACE) > 0
    is_punct = (bits & PUNCT) > 0

    # Sentences: the sentencizer's starts, trimmed of spaces, dropping those with no word.
    starts_mask = doc.user_data.get("coach_sent_starts")
    if starts_mask is None:
        starts_mask = np.array([t.is_sent_start for t in doc], dtype=bool)
    raw_start = np.flatnonzero(starts_mask)
    if len(raw_start) == 0 or raw_start[0] != 0:
        raw_start = np.concatenate(([0], raw_start))
    raw_end = np.append(raw_start[1:], n)
    solid = np.flatnonzero(~is_space)
    if len(solid) == 0:
        return DocFeatures([], None)
    word_sum = np.concatenate(([0], np.cumsum(~(is_space | is_punct))))
    first = solid[np.minimum(np.searchsorted(solid, raw_start), len(solid) - 1)]
    last = solid[np.maximum(np.searchsorted(solid, raw_end) - 1, 0)]
    keep = (word_sum[raw_end] - word_sum[raw_start] > 0) & (first < raw_end)
    s_start, s_end = first[keep], last[keep] + 1
    n_sent = len(s_start)
    if n_sent == 0:
        return DocFeatures([], None)

    # Cues as a sentence-by-label matrix.
    labels, c_start, c_end = doc.user_data.get("coach_cues", (np.zeros(0, np.int64),) * 3)
    c_sent = _sentence_of(c_start, s_start, s_end)
    ok = c_sent >= 0
    order = np.argsort(c_sent[ok], kind="stable")
    labels, c_start, c_end, c_sent = labels[ok][order], c_start[ok][order], c_end[ok][order], c_sent[ok][order]
    matrix = np.zeros((n_sent, len(CUE_LABELS)), dtype=bool)
    matrix[c_sent, labels] = True
    anchor_cues = np.bincount(c_sent[labels == L["claim:anchor"]], minlength=n_sent)

    value_spans = doc.user_data.get("coach_values")
    if value_spans is None:  # a Doc whose values were set by hand
        value_spans = [(s.start, s.end, s.label_, s.id_) for s in doc.spans.get("values", [])]
    v_start = np.fromiter((v[0] for v in value_spans), dtype=np.int64, count=len(value_spans))
    v_end = np.fromiter((v[1] for v in value_spans), dtype=np.int64, count=len(value_spans))

    # Per-token facts, summed per sentence with one cumulative sum:
    # 0 lived-moment anchors: digits (a date, an age, a bus number; not "one person"), names (Title Case inside a
    #   sentence), quotation marks; 1 quotation marks; 2 "you"; 3 verbs in the simple past ("have" + participle is
    #   a present perfect, which claims more than it tells).
    prev_bits = np.concatenate(([PUNCT], bits[:-1]))
    is_quote = (bits & QUOTE) > 0
    # A straight or curly apostrophe stuck to the word before it is a plural possessive ("the residents' meeting")
    # or a closing quote; only one that opens (after a space) marks a quotation.
    apostrophe = np.flatnonzero(is_quote & ((bits & APOSTROPHE) > 0))
    if len(apostrophe):
        attached = doc.to_array(SPACY)[np.maximum(apostrophe - 1, 0)] == 0
        is_quote[apostrophe[attached & (apostrophe > 0)]] = False
    mid_title = ((bits & TITLE) > 0) & ~starts_mask & ((prev_bits & (PUNCT | SPACE)) == 0) & ((bits & FIRST) == 0)
    columns = np.zeros((n + 1, 4), dtype=np.int64)
    columns[1:, 0] = ((bits & DIGIT) > 0) | mid_title | is_quote
    for s, e in zip(v_start.tolist(), v_end.tolist()):
        columns[s + 1:e + 1, 0] = 0  # a capitalised value word is not a lived detail
    columns[1:, 1] = is_quote
    columns[1:, 2] = (bits & SECOND) > 0
    columns[1:, 3] = ((bits & PAST) > 0) & ((prev_bits & PERFECT) == 0)
    sums = np.cumsum(columns, axis=0)
    per_sentence = sums[s_end] - sums[s_start]
    anchors = per_sentence[:, 0] + anchor_cues
    quotes, second, past = per_sentence[:, 1], per_sentence[:, 2] > 0, per_sentence[:, 3] > 0
    v_sent = _sentence_of(v_start, s_start, s_end)
    values = np.bincount(v_sent[v_sent >= 0], minlength=n_sent)

    # A sentence that opens with a value word and a claim verb ("Fairness matters") is a claim frame too.
    frame = matrix[:, L["claim:frame"]].copy()
    if len(v_start):
        home = s_start[np.maximum(v_sent, 0)]
        opens = (v_start == home) | ((v_start == home + 1) & ((bits[np.maximum(v_start - 1, 0)] & CLAIM_OPENER) > 0))
        verb_next = (v_end < s_end[np.maximum(v_sent, 0)]) & ((bits[np.minimum(v_end, n - 1)] & CLAIM_VERB) > 0)
        frame[v_sent[(v_sent >= 0) & opens & verb_next]] = True

    # Imperative asks: the first token that is not an opener ("so", "please", "tonight") or punctuation, within
    # the first five, is an action verb followed by more of the sentence ("So, bring one neighbour").
    skip = ((bits & (OPENER | PUNCT | SPACE)) > 0) & ((bits & ACTION) == 0)
    lead = np.flatnonzero(~skip)
    at = lead[np.minimum(np.searchsorted(lead, s_start), len(lead) - 1)] if len(lead) else s_start
    imperative = ((at < np.minimum(s_start + 5, s_end)) & ((bits[np.minimum(at, n - 1)] & ACTION) > 0)
                  & (at + 1 < s_end) & ~((at + 2 >= s_end) & ((bits[np.minimum(at + 1, n - 1)] & PUNCT) > 0)))
    rhetorical = matrix[:, L["ask:rhetorical"]]
    # Near the end of a draft, a sentence to "you" with an action in it is an ask ("You can sign up at the door").
    # A belief frame ("We believe health shouldn't depend on your postcode") speaks of a generic "you", not to you.
    to_you = ((np.arange(n_sent) >= n_sent - 2) & second & matrix[:, L["ask:action"]]
              & ~matrix[:, L["claim:belief"]] & ~matrix[:, L["claim:frame"]])
    ask = (quotes == 0) & ~rhetorical & (matrix[:, L["ask:ask"]] | imperative | to_you)
    # With no ask of others, a first-person pledge ("I will phone three residents by Friday") is the story of now's
    # call to action: the commitment the speaker makes in front of the room.
    commit_action = np.zeros(n_sent, dtype=bool)
    if kind not in ("self", "us") and not ask.any() and matrix[:, L["ask:commit"]].any():
        commit, commit_action = _commitments(bits, labels, c_start, c_end, c_sent, s_start, s_end, n_sent)
        ask = commit & (quotes == 0) & ~rhetorical
    # A sentence told in the simple past ("She was kind to me") is a moment; present-tense value talk with no
    # anchor ("Our team works hard") is a claim even without a frame; a belief frame ("I believe", "everyone
    # deserves") is a claim even without a value word.
    belief = matrix[:, L["claim:belief"]]
    abstract = ((values > 0) & (frame | belief | ~past) | belief) & (anchors == 0) & ~ask

    idx = doc.to_array(IDX).astype(np.int64)
    start_chars = idx[s_start].tolist()
    end_chars = (idx[s_end - 1] + tokens.length[s_end - 1]).tolist()
    moves = matrix[:, MOVE_COLUMNS].copy()
    emotions = matrix[:, EMOTION_COLUMNS]
    # A feeling that blocks action (inertia, apathy, fear, isolation, self-doubt), or anger, marks a difficulty:
    # a challenge.
    moves[:, 0] |= emotions[:, CHALLENGE_EMOTIONS].any(axis=1)
    if kind == "now":
        # A story of now runs challenge, hope, choice (Ganz): urgency names the challenge, hope is the outcome we
        # can reach, and the ask is the listeners' choice.
        moves[:, 0] |= emotions[:, EMOTION_NAMES.index("urgency")]
        moves[:, 1] |= ask
        moves[:, 2] |= emotions[:, EMOTION_NAMES.index("hope")]
    move_codes = (moves @ MOVE_WEIGHTS).tolist()
    emotion_codes = (matrix[:, EMOTION_COLUMNS] @ EMOTION_WEIGHTS).tolist()
    sentences = [
        SentenceFeedback(a, b, MOVE_SETS[m], c, EMOTION_SETS[e])
        for a, b, m, c, e in zip(start_chars, end_chars, move_codes, abstract.tolist(), emotion_codes)
    ]
    cta = _call_to_action(start_chars, end_chars, ask, imperative | commit_action, matrix, labels, c_start, c_end, c_sent,
                          s_start, s_end, (bits & NUM) > 0)
    counts = [int(np.count_nonzero(bits & flag)) for flag in (FIRST, PLURAL, SECOND)]
    return DocFeatures(sentences, cta, counts[0], counts[1], counts[2], len(value_spans))


def _commitments(bits, labels, c_start, c_end, c_sent, s_start, s_end, n_sent) -> tuple[np.ndarray, np.ndarray]:
    """Sentences with a first-person pledge ("I will ...", "we're going to ..."), and those whose verb is concrete.

    The verb is the first word after the pledge frame that is not an adverb such as "also" or "personally"; a
    negation ("I will never forget") or the end of the sentence means no pledge, and so does a condition before it
    ("If we wait, we will lose the library": a consequence). The verb is concrete when it is
    an action cue or a content word ("phone", "mentor"), and not the start of a vague phrase ("help out").
    """
    commit = np.zeros(n_sent, dtype=bool)
    concrete = np.zeros(n_sent, dtype=bool)
    vague = np.zeros(len(bits) + 1, dtype=bool)
    for s, e in zip(c_start[labels == L["ask:vague"]].tolist(), c_end[labels == L["ask:vague"]].tolist()):
        vague[s:e] = True
    chosen = labels == L["ask:commit"]
    for start, end, si in zip(c_start[chosen].tolist(), c_end[chosen].tolist(), c_sent[chosen].tolist()):
        if (bits[int(s_start[si]):start] & CONDITION).any():
            continue
        stop = min(end + 5, int(s_end[si]))
        j = end
        while j < stop and bits[j] & COMMIT_SKIP and not bits[j] & ACTION:
            j += 1
        if j >= stop or bits[j] & (NEGATION | PUNCT | SPACE):
            continue
        commit[si] = True
        if not vague[j] and (bits[j] & ACTION or not bits[j] & STOP):
            concrete[si] = True
    return commit, concrete


def _call_to_action(start_chars, end_chars, ask, imperative, matrix, labels, c_start, c_end, c_sent, s_start, s_end, like_num) -> AskInfo | None:
    """The draft's ask: the most specific asking sentence (the last one on a tie), with the next sentence's details."""
    best: AskInfo | None = None
    n_sent = len(start_chars)
    for i in np.flatnonzero(ask).tolist():
        lo, hi = np.searchsorted(c_sent, [i, i + 1])
        labs, starts, ends = labels[lo:hi], c_start[lo:hi], c_end[lo:hi]
        is_vague = labs == L["ask:vague"]
        vague = list(zip(starts[is_vague].tolist(), ends[is_vague].tolist()))
        action_starts = starts[labs == L["ask:action"]].tolist()
        has_action = any(not any(vs <= s < ve for vs, ve in vague) for s in action_starts) or (
            bool(imperative[i]) and not any(vs <= int(s_start[i]) + 2 and ve > int(s_start[i]) for vs, ve in vague))
        has_when = bool(matrix[i, L["ask:when"]])
        has_where = bool(matrix[i, L["ask:where"]])
        number = bool(like_num[s_start[i]:s_end[i]].any())
        end_char = end_chars[i]
        if i + 1 < n_sent and not ask[i + 1] and not (has_when and has_where):
            nxt_when, nxt_where = bool(matrix[i + 1, L["ask:when"]]), bool(matrix[i + 1, L["ask:where"]])
            if nxt_when or nxt_where:
                has_when, has_where = has_when or nxt_when, has_where or nxt_where
                end_char = end_chars[i + 1]
        specific = has_action and (has_when or has_where or number)
        candidate = AskInfo(start_chars[i], end_char, specific, has_action, has_when, has_where)
        if best is None or specific or not best.specific:
            best = candidate
    return best
