"""Sentence-level features of a processed Doc (moves, emotions, abstract claims, asks, voice).

Per-token facts are combined with a few numpy operations over the whole Doc; per-sentence and per-cue work is plain
Python, since a draft has a few dozen sentences and numpy has a high fixed cost on such small arrays.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

import numpy as np
from spacy.attrs import SPACY
from spacy.strings import get_string_id
from spacy.tokens import Doc

from relational.coach.components import CUE_LABELS
from relational.coach.results import EMOTIONS, SentenceFeedback
from relational.coach.tokens import (
    ACTION, ALPHA, APOSTROPHE, CLAIM_OPENER, CLAIM_VERB, COMMA, COMMIT_SKIP, CONDITION, ENGLISH, FACT_ANCHOR,
    FACT_APOSTROPHE, FACT_PAST, FACT_PRESENT, FACT_QUOTE, FACT_SECOND, FACT_TITLE, FIRST, HYPHEN, LEAD_SKIP, LEX_STOP,
    NARRATOR, NEGATION, NUM, PAST, PERFECT, PLURAL, PRESENT, PUNCT, SECOND, SENT_END, SPACE, STATE, STOP, SUBJECT,
    TIME_CLAUSE, TITLE, WORDLIKE, LESSON, token_arrays,
)

# Bit of each cue label ("move:choice", "emotion:hope"...) in a sentence's int of label bits.
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
# Cue labels as bits of one int per sentence: moves are bits 0-2 and emotions bits 3-12 (in EMOTIONS order).
if MOVE_COLUMNS != [0, 1, 2] or EMOTION_COLUMNS != list(range(3, 3 + len(EMOTIONS))):
    raise ImportError("features.py expects the move labels first, then the emotions, in CUE_LABELS.")
B = {label: 1 << i for label, i in L.items()}
# Label bits read in the per-sentence loops (module constants: no dict lookup per sentence).
B_FRAME = B["claim:frame"]
B_ACTION_CUE = B["ask:action"]
B_BELIEF = B["claim:belief"]
B_RHETORICAL = B["ask:rhetorical"]
B_ASK_CUE = B["ask:ask"]
B_COMMIT_CUE = B["ask:commit"]
B_ANCHOR_CUE = B["claim:anchor"]
B_URGENCY = B["emotion:urgency"]
B_HOPE = B["emotion:hope"]
B_WHEN = B["ask:when"]
B_WHERE = B["ask:where"]
CHALLENGE_MASK = sum(1 << EMOTION_COLUMNS[i] for i in CHALLENGE_EMOTIONS)
EMOTION_SHIFT, EMOTION_MASK = EMOTION_COLUMNS[0], (1 << len(EMOTIONS)) - 1
VAGUE_LABEL, ACTION_LABEL, COMMIT_LABEL, ASK_LABEL = L["ask:vague"], L["ask:action"], L["ask:commit"], L["ask:ask"]
BELIEF_LABEL, FRAME_LABEL = L["claim:belief"], L["claim:frame"]
# Generic subjects and modals of what ought to be: "Every child in this town should...", "Nobody ... deserves...".
GENERIC_SUBJECTS = frozenset(get_string_id(w) for w in ("every", "each", "nobody", "everyone", "everybody", "no"))
NORMATIVE = frozenset(get_string_id(w) for w in ("should", "shouldn't", "shouldnt", "must", "mustn't", "deserve",
                                                 "deserves", "ought", "shud", "shudnt", "shoud"))  # and common typos
# Before "must", these make it a guess, not a belief ("what must be his fortieth cup of tea").
EPISTEMIC_BEFORE = frozenset(get_string_id(w) for w in ("what", "it", "that", "there", "which"))
MUST = get_string_id("must")
THAT = get_string_id("that")
ABOUT = get_string_id("about")
ONE = get_string_id("one")
PLEASE = np.array([get_string_id(w) for w in ("please", "pls", "plz")], dtype=np.uint64)
PROUD, OF = get_string_id("proud"), get_string_id("of")
DEMONSTRATIVES = frozenset(get_string_id(w) for w in ("that", "this", "those", "these"))
PROUD_OF = DEMONSTRATIVES | frozenset(get_string_id(w) for w in ("her", "him", "them", "you", "us", "every", "each"))
LET = get_string_id("let")
# A question to people in the room: it opens with one of these and names them with one of ROOM_WORDS.
MODAL_QUESTIONS = frozenset(get_string_id(w) for w in ("will", "would", "can", "could"))
ROOM_WORDS = frozenset(get_string_id(w) for w in ("here", "you"))
QUESTION_MARK = get_string_id("?")
STRAIGHT_QUOTE, OPENING_QUOTE = get_string_id('"'), get_string_id("\u201c")
QUOTE_MARKS = np.array([STRAIGHT_QUOTE, OPENING_QUOTE, get_string_id("\u201d")], dtype=np.uint64)
WANT = frozenset(get_string_id(w) for w in ("want", "wants"))
# "I'd like the members of the committee to add...", "I would love each of you to...": a wish put politely.
LIKE = frozenset(get_string_id(w) for w in ("like", "love"))
WOULD = frozenset(get_string_id(w) for w in ("'d", "’d", "would"))
WANT_ARRAY = np.array(sorted(WANT | LIKE), dtype=np.uint64)
BE = get_string_id("be")
# "I still believe we will be cooking somewhere in September", "We know this can be fixed": a belief about what the
# speaker's own side will do or can get done, naming no value, is hope, not a claim (none of the 5 in the dev drafts
# was a claim). Naming a value, it still claims one ("We believe we can build a fairer ward").
OUR_SIDE = frozenset(get_string_id(w) for w in ("we", "it", "this"))
WILL_CAN = frozenset(get_string_id(w) for w in ("will", "'ll", "\u2019ll", "can", "could"))
TO = get_string_id("to")
GENERIC_QUANTIFIERS = frozenset(get_string_id(w) for w in ("every", "each", "no", "any", "all"))
DETERMINERS = frozenset(get_string_id(w) for w in ("a", "an", "the", "every", "each", "this", "my", "your", "our",
                                                  "their", "his", "its"))
# "so do", "neither does": an inversion, not an imperative.
DO_FORMS = frozenset(get_string_id(w) for w in ("do", "does", "did"))
SO_NEITHER = frozenset(get_string_id(w) for w in ("so", "neither", "nor"))
SO_THEN = frozenset(get_string_id(w) for w in ("so", "then"))
WE = get_string_id("we")
COLON = get_string_id(":")
SAYS = frozenset(get_string_id(w) for w in ("says", "said", "say", "saying", "reads", "read", "wrote", "writes",
                                            "written", "asked", "asks", "told", "tells", "printed"))
# "I need to tell you what's happening": the speaker's own need to speak opens the story; it asks nothing.
SPEAK = frozenset(get_string_id(w) for w in ("tell", "say", "talk", "explain", "admit", "ask", "share", "speak"))
CONCEDERS = frozenset(get_string_id(w) for w in ("that", "because", "as", "if", "like"))
HERE = get_string_id("here")
# "Now is the time to stand with us": "now" as the subject of "is" names the moment for a slogan, not when to act.
NOW = get_string_id("now")
IS_FORMS = frozenset(get_string_id(w) for w in ("is", "'s", "\u2019s"))
# The speaker asking, in a label before a colon ("I've come to ask one thing: ...").
ASKING_WORDS = frozenset(get_string_id(w) for w in ("ask", "asking"))
# "come and walk with us one Sunday", "if you've got a spare Saturday": a day left to the listener is no time for the ask.
DAYS = frozenset(get_string_id(w) for w in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                                            "sunday"))
ANY_DAY = frozenset(get_string_id(w) for w in ("one", "any", "some", "a", "spare"))
PLEASE_SET = frozenset(int(h) for h in PLEASE)
# The words sentence_features finds by position in one scan (see _where).
LOOKED_UP = np.array(sorted(PLEASE_SET | DAYS | {HERE, COLON, NOW}), dtype=np.uint64)
HERE_PEOPLE = frozenset(get_string_id(w) for w in ("everyone", "everybody", "you", "all", "people", "those", "us",
                                                     "anyone", "anybody", "who"))
# Hope in what the listeners can do together.
TOGETHER = get_string_id("together")
WE_YOU = frozenset(get_string_id(w) for w in ("we", "you"))
CAN = frozenset(get_string_id(w) for w in ("can", "could"))
CAN_ARRAY = np.array(sorted(CAN), dtype=np.uint64)
# Asks to consider acting, which leave the details to the listener.
CONSIDER = frozenset(get_string_id(w) for w in ("consider", "considering"))
THINK = frozenset(get_string_id(w) for w in ("think", "thinking"))
THINK_OF = frozenset(get_string_id(w) for w in ("about", "of", "whether", "how"))
# Everyone in the room told what they need to do: the subject, where it is placed, and the modals of need.
ROOM_SUBJECTS = frozenset(get_string_id(w) for w in ("everyone", "everybody"))
ROOM_PLACES = frozenset(get_string_id(w) for w in ("here", "room", "tonight", "hall"))
NEED_MODALS = frozenset(get_string_id(w) for w in ("need", "needs", "must", "has", "have"))
FEEL = frozenset(get_string_id(w) for w in ("feel", "feels", "feeling"))
FEEL_JOINERS = frozenset(get_string_id(w) for w in ("i", "we", "they", "he", "she", "you", "like", "so", "very",
                                                     "really", "properly", "truly", "more", "less"))
# A sentence of more than this many tokens (about 24 words) with no belief frame carries detail: a description, not
# a slogan ("I know which passengers need a minute to sit down before I pull away, ..."). On dev, abstract claims
# predicted for such sentences were right only about half the time.
LONG_SENTENCE = 28
# A "sentence" of more than this many tokens is a run-on (a draft typed with no full stops), not one sentence.
RUN_ON = 80
ONE_PERSON = frozenset(get_string_id(w) for w in ("she", "he"))
# Values that are feelings (pleasure, excitement, pride), and power: in a present-tense sentence with no frame they
# say how the speaker feels, or who holds power ("the council have all the power"), not what the speaker stands for;
# framed, they are claims ("Residents should have real power over what happens next", "we do want influence").
FEELING_FAMILIES = frozenset({"hedonism", "stimulation", "power"})
FEELING_CUES = frozenset({"proud", "pride", "free"})  # "free" is marked only after "feel"
# Negations of a verb: before a belief frame they deny the necessity ("It doesn't have to be this way").
VERB_NEGATIONS = frozenset(get_string_id(w) for w in ("not", "n't", "nt", "never"))
# Per-token facts or-ed over a sentence (one bit each), kept above the cue label bits.
T_ANCHOR, T_QUOTE, T_SECOND, T_PAST = FACT_ANCHOR, FACT_QUOTE, FACT_SECOND, FACT_PAST
T_NAME = 8  # a Title Case word inside a sentence (a free bit among the FACT_* bits)
LABEL_COUNT = len(CUE_LABELS)
FACT_SHIFT = 32
LABEL_MASK = (1 << FACT_SHIFT) - 1


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
    b = tokens.bits
    bits = tokens.bit_list if tokens.bit_list is not None else b.tolist()
    lower = tokens.lower

    # Sentences: the sentencizer's starts, trimmed of spaces, dropping those with no word.
    starts_mask = doc.user_data.get("coach_sent_starts")
    if starts_mask is None:
        starts_mask = np.array([t.is_sent_start for t in doc], dtype=bool)
    raw = np.flatnonzero(starts_mask).tolist()
    if not raw or raw[0] != 0:
        raw.insert(0, 0)
    raw.append(n)
    s_start: list[int] = []
    s_end: list[int] = []
    for a, z in zip(raw, raw[1:]):
        w = a
        while w < z and bits[w] & (SPACE | PUNCT):
            w += 1
        if w == z:
            continue  # no word
        first = a
        while bits[first] & SPACE:
            first += 1
        last = z - 1
        while bits[last] & SPACE:
            last -= 1
        s_start.append(first)
        s_end.append(last + 1)
    n_sent = len(s_start)
    if n_sent == 0:
        return DocFeatures([], None)

    # Cues: label bits of one-word cues per token, and longer cues (label, start, end) counted at their first token.
    words, longer = doc.user_data.get("coach_cues", (None, ()))
    if words is None:
        words = np.zeros(n, dtype=np.int64)
    cue_bits = words
    if longer:
        # An ask that opens with a verb ("join us", "meet us", "sign up") asks only where an imperative can stand: at
        # the head of a clause, or after "you", "to" or an opener ("will you join us", "please sign up"); after a
        # subject it tells ("Most people only meet us when they want a certificate").
        # "let us" / "let's" likewise: "the head let us put out the toast" tells what was allowed.
        longer = [c for c in longer if c[0] != ASK_LABEL or not (bits[c[1]] & ACTION or int(lower[c[1]]) == LET)
                  or c[1] == 0 or bits[c[1] - 1] & (LEAD_SKIP | SECOND | COMMIT_SKIP) or starts_mask[c[1]]]
        # "not that we need one", "it's not as if we need you": a negation just before an ask cue concedes; it asks
        # nothing.
        longer = [c for c in longer if c[0] != ASK_LABEL or c[1] == 0 or not (
            bits[c[1] - 1] & NEGATION or (c[1] > 1 and bits[c[1] - 2] & NEGATION and int(lower[c[1] - 1]) in CONCEDERS))]
        # "Everyone has a right to come and go freely": what a right or a belief is to, it does not ask for.
        belief_ends = {c[2] for c in longer if c[0] == BELIEF_LABEL}
        if belief_ends:
            longer = [c for c in longer if c[0] != ASK_LABEL or c[1] not in belief_ends]
        # "I need to tell you...", "we need to talk about...": the speaker's own need to speak (see SPEAK).
        longer = [c for c in longer if c[0] != ASK_LABEL or not bits[c[1]] & NARRATOR or c[2] + 1 >= n
                  or int(lower[c[2]]) != TO or int(lower[c[2] + 1]) not in SPEAK]
        # "Could anyone have stopped it?" asks about the past, not for help: a perfect after the ask asks nothing.
        longer = [c for c in longer if c[0] != ASK_LABEL or c[2] + 1 >= n or not bits[c[2]] & PERFECT
                  or not bits[c[2] + 1] & PAST or bits[c[2] + 1] & PRESENT]
        # A belief frame told in the past ("a place everyone had written off") narrates; one after "not" ("this
        # doesn't have to be the end") denies a necessity. Neither claims a belief.
        longer = [c for c in longer if c[0] != BELIEF_LABEL or not _narrated(bits, lower, c[1], c[2])]
        # "We are proud of that": pride in something just told is a feeling about it, not a stated belief.
        # So is pride in a person ("We are proud of her, and of us") or in each one ("proud of every one of them": 5 of
        # the 6 such dev sentences were not claims).
        longer = [c for c in longer if c[0] != BELIEF_LABEL or int(lower[c[2] - 1]) != PROUD or c[2] + 1 >= n
                  or int(lower[c[2]]) != OF or int(lower[c[2] + 1]) not in PROUD_OF]
        # "it's about one in three": "about" before a number means roughly, so "it's about" frames nothing.
        longer = [c for c in longer if c[0] not in (BELIEF_LABEL, FRAME_LABEL) or c[2] >= n
                  or int(lower[c[2] - 1]) != ABOUT or not bits[c[2]] & NUM]
        cue_bits = words.copy()
        for label, start, _ in longer:
            cue_bits[start] |= 1 << label
    # 'a sticker that says please leave your bin at the kerb': "please" after a verb of saying reports a sign's or a
    # person's words; it asks nothing of these listeners.
    # One scan finds the few words the rules below look up by position: please, here and the colon.
    found = _where(lower, LOOKED_UP)
    please_pos = [t for t in found if int(lower[t]) in PLEASE_SET]
    reported = [t for t in please_pos if t and int(lower[t - 1]) in SAYS]
    for t in reported:
        if cue_bits[t] & (1 << ASK_LABEL):
            if cue_bits is words:
                cue_bits = words.copy()
            cue_bits[t] &= ~(1 << ASK_LABEL)
    if reported:
        please_pos = [t for t in please_pos if t not in reported]
    # "everyone here", "those of you here": "here" picks out the listeners; it is not where the ask happens. And "now"
    # before "is" ("Now is the time to...") is a slogan's subject, and "one Sunday" any Sunday: neither is when the ask
    # happens.
    for t in found:
        word = int(lower[t])
        if ((word == HERE and t and int(lower[t - 1]) in HERE_PEOPLE and cue_bits[t] & B_WHERE)
                or (word == NOW and t + 1 < n and int(lower[t + 1]) in IS_FORMS and cue_bits[t] & B_WHEN)
                or (word in DAYS and t and int(lower[t - 1]) in ANY_DAY and cue_bits[t] & B_WHEN)):
            if cue_bits is words:
                cue_bits = words.copy()
            cue_bits[t] &= ~(B_WHERE if word == HERE else B_WHEN)
    value_spans = doc.user_data.get("coach_values")
    if value_spans is None:  # a Doc whose values were set by hand
        value_spans = [(s.start, s.end, s.label_, s.id_) for s in doc.spans.get("values", [])]

    # Per-token facts, or-ed per sentence:
    # anchor = lived-moment anchors: digits (a date, an age, a bus number; not "one person"), names (Title Case inside
    #   a sentence), quotation marks; quote = quotation marks; second = "you"; past = verbs in the simple past ("have"
    #   + participle is a present perfect, which claims more than it tells).
    facts = tokens.facts
    code = facts & (FACT_ANCHOR | FACT_QUOTE | FACT_SECOND)
    # A Title Case word that opens a sentence is not a name, so only those inside one are looked at.
    context = np.flatnonzero(facts & (FACT_PAST | FACT_PRESENT | FACT_APOSTROPHE | FACT_SECOND)
                             | ((facts & FACT_TITLE) & ~(starts_mask * FACT_TITLE)))
    spaces = None
    # A sentence's tense is that of its first finite verb: a simple past ("She was kind to me") makes it a moment,
    # a present or a modal before any past ("We are patient because grief makes everyone impatient, us included")
    # a standing claim. tensed = the sentence of the last finite verb seen (context is in token order).
    tensed = -1
    past_at: dict[int, int] = {}  # sentence -> its first finite verb, when that is a simple past
    for t, x in zip(context.tolist(), facts[context].tolist()):
        before = bits[t - 1] if t else PUNCT
        if x & FACT_TITLE and not before & (PUNCT | SPACE) and not starts_mask[t]:
            code[t] |= T_NAME  # a name inside a sentence
        # After a determiner a past form is a noun ("learn a bit of sign language", "a left turn").
        if x & (FACT_PAST | FACT_PRESENT) and (x & FACT_PRESENT or not (before & PERFECT or t and int(lower[t - 1]) in
                                                                         DETERMINERS)):
            if tensed < 0 or t >= s_end[tensed]:
                tensed = bisect_right(s_start, t) - 1
                if x & FACT_PAST and not x & FACT_PRESENT:
                    code[t] |= T_PAST
                    past_at[tensed] = t
        # "If you ..." speaks of anyone, not to the listeners ("most people are honest if you give them a way").
        if x & FACT_SECOND and before & (CONDITION | HYPHEN):
            if before & HYPHEN:  # "a thank-you card": part of a word, unless the hyphen is a dash with a space
                if spaces is None:
                    spaces = doc.to_array(SPACY)
                if spaces[t - 1] == 0:
                    code[t] &= ~T_SECOND
            else:
                code[t] &= ~T_SECOND
        # A straight or curly apostrophe stuck to the word before it is a plural possessive ("the residents'
        # meeting") or a closing quote; only one that opens (after a space) marks a quotation.
        if x & FACT_APOSTROPHE and t:
            if spaces is None:
                spaces = doc.to_array(SPACY)
            if spaces[t - 1] == 0:
                code[t] &= ~(T_QUOTE | T_ANCHOR)
    # A sentence that opens with a capitalised word that is not an English word opens with a name ("Sheila has
    # looked after her husband for eleven years"): a person or place, so a lived detail.
    opening = np.flatnonzero(starts_mask & ((facts & FACT_TITLE) > 0) & ((b & (ENGLISH | ALPHA)) == ALPHA))
    if len(opening):
        code[opening] |= T_NAME
    if value_spans:
        named = set(np.flatnonzero(code & T_NAME).tolist())
        if named:
            for v in value_spans:
                for t in range(v[0], v[1]):
                    if t in named:
                        code[t] &= ~T_NAME  # a capitalised value word is not a lived detail
    code = (code << FACT_SHIFT) | cue_bits
    bounds = np.empty(2 * n_sent, dtype=np.int64)
    bounds[0::2] = s_start
    bounds[1::2] = s_end
    per_sentence = np.bitwise_or.reduceat(np.append(code, 0), bounds)[0::2].tolist()
    labels_of = [x & LABEL_MASK for x in per_sentence]
    per_sentence = [x >> FACT_SHIFT for x in per_sentence]

    def sent_of(t: int) -> int:
        i = bisect_right(s_start, t) - 1
        return i if i >= 0 and t < s_end[i] else -1

    if past_at:
        # A frame that comes after a sentence's opening simple past is reported or subordinate ("I went to the
        # director and told her we should take responsibility"): the sentence tells a moment. A frame that comes
        # first, or is itself in the past ("What I learned is that..."), still frames a claim.
        own = set()
        frames = [(t, t + 1) for t in np.flatnonzero(words & (1 << FRAME_LABEL)).tolist()]
        for s, e in frames + [(c[1], c[2]) for c in longer if c[0] == FRAME_LABEL]:
            si = sent_of(s)
            # "I thought she had been treated unfairly" tells what the narrator thought then: a moment (none of the
            # 22 such sentences in the dev drafts was a claim). A lesson ("I learned that...") still frames one.
            if bits[s] & NARRATOR and any(bits[t] & PAST and not bits[t] & LESSON for t in range(s, e)):
                continue
            if si in past_at and (s <= past_at[si] or any(bits[t] & PAST for t in range(s, e))
                                  or not _after_subject(bits, past_at[si])
                                  or any(bits[t] & LESSON for t in range(past_at[si] + 1, s))):
                own.add(si)
        for si in past_at:
            if si not in own:
                labels_of[si] &= ~B_FRAME
    # "Every child in this town should...", "Nobody with Parkinson's should...": a generic subject with a modal of
    # what ought to be states a belief, however many words stand between them.
    firsts = lower[s_start].tolist()
    seconds = lower[np.minimum(np.array(s_start) + 1, n - 1)].tolist()
    # Such a sentence asks nothing of the listeners, even with an ask cue in it ("No one should have to lie on a toilet
    # floor to take part in their own town"): none of the 242 in the dev drafts was an ask.
    generic = set()
    for i in range(n_sent):
        if ((firsts[i] in GENERIC_SUBJECTS or seconds[i] in GENERIC_SUBJECTS)
                and _generic_norm(bits, lower, s_start[i], s_end[i])):
            generic.add(i)
            labels_of[i] |= B_BELIEF
    # A lesson drawn in a "that" clause ("Maureen taught me that nobody should feel ashamed", "I learned from Mr
    # Heaney that...") states what the moment taught: a claim, even beside the name of who taught it.
    lessons = set()
    for t in np.flatnonzero(b & LESSON).tolist():
        if any(int(lower[j]) == THAT for j in range(t + 1, min(t + 5, n))):
            si = sent_of(t)
            if si >= 0:
                lessons.add(si)
    predicted = set()
    for c in longer:
        if c[0] == BELIEF_LABEL and c[2] + 2 < n and bits[c[1]] & NARRATOR:  # "I believe", "we know"
            t = c[2] + (int(lower[c[2]]) == THAT)
            if int(lower[t]) in OUR_SIDE and int(lower[t + 1]) in WILL_CAN:
                predicted.add(sent_of(t))
    values = [0] * n_sent
    claims = [0] * n_sent  # values other than feelings of pleasure, excitement or pride
    frame = [bool(m & B_FRAME) for m in labels_of]
    for v_start, v_end, family, cue in value_spans:
        si = sent_of(v_start)
        if si < 0:
            continue
        values[si] += 1
        # A value just after "feel" is how someone feels ("I feel I belong", "we feel safe here"), not a claim.
        # "We all feel a duty to the street" is still a claim: only "feel" right before, or with a pronoun or an
        # adverb between, makes a feeling.
        felt = v_start > s_start[si] and (int(lower[v_start - 1]) in FEEL or (
            v_start - 1 > s_start[si] and int(lower[v_start - 2]) in FEEL and int(lower[v_start - 1]) in FEEL_JOINERS))
        if family not in FEELING_FAMILIES and cue not in FEELING_CUES and not felt:
            claims[si] += 1
        # A sentence that opens with a value word and a claim verb ("Fairness matters") is a claim frame too.
        home = s_start[si]
        opens = v_start == home or (v_start == home + 1 and bits[v_start - 1] & CLAIM_OPENER)
        if opens and v_end < s_end[si] and bits[min(v_end, n - 1)] & CLAIM_VERB:
            frame[si] = True

    # Commas followed by an action verb: only a sentence with one of these can hold an imperative after commas, so
    # the walk in _imperative_after_commas is skipped for the others (most sentences).
    comma_asks = []
    for j in np.flatnonzero(b & COMMA).tolist():
        k = j + 1
        while k < n and bits[k] & LEAD_SKIP:
            k += 1
        if k + 1 < n and bits[k] & ACTION and not _inverted_do(lower, k):
            comma_asks.append(j)
    # Where a cue of several words that asks for an action starts ("back us", "fill in"): at the head of a sentence
    # it is an imperative just as a one-word action verb is.
    action_heads = {c[1] for c in longer if c[0] == ACTION_LABEL}
    # "please" before an action asks wherever it stands, even in a run-on sentence with no full stop before it
    # ("...and they havent forgot it so please back us on this").
    please_at: dict[int, int] = {}  # sentence -> its first asking "please"
    for j in please_pos:  # reported words ("says please leave...") are already left out
        k = j + 1
        while k < n and bits[k] & LEAD_SKIP and not bits[k] & SENT_END:
            k += 1
        if k + 1 < n and (bits[k] & ACTION or k in action_heads):
            please_at.setdefault(sent_of(j), j)
        # "pls do something to help us": "do" after "please" is an imperative, unless it is negated ("please do not
        # feed the donkeys", a sign's words, is left to the quotation rules) or the end of the sentence.
        elif k + 1 < n and int(lower[k]) in DO_FORMS and not bits[k + 1] & (NEGATION | PUNCT | SPACE):
            please_at.setdefault(sent_of(j), j)
        # "so pls, after langar this sunday, stop at the table": a time clause or condition between "please" and
        # the action.
        elif k < n and bits[k] & (CONDITION | TIME_CLAUSE):
            si = sent_of(j)
            if si >= 0 and _imperative_after_commas(bits, lower, k, s_end[si]):
                please_at.setdefault(si, j)
    # "so" or "then" after a comma, before an action, turns the sentence to an imperative ("The cabinet decides on
    # Wednesday 9 July, so come to the Town Hall at 6pm that night").
    so_at = {sent_of(j) for j in comma_asks if int(lower[j + 1]) in SO_THEN and not _inverted_do(lower, j + 2)}
    colons = [t for t in found if int(lower[t]) == COLON]
    if colons:
        colons.append(n)  # a sentinel, so a lookup past the last colon finds n
    # Imperative asks: the first token that is not an opener ("so", "please", "tonight") or punctuation, within
    # the first five, is an action verb followed by more of the sentence ("So, bring one neighbour").
    last_lead = n - 1
    while last_lead >= 0 and bits[last_lead] & LEAD_SKIP:
        last_lead -= 1
    imperative = [False] * n_sent
    ask = [False] * n_sent
    clause_from: dict[int, int] = {}  # sentence -> the token where its ask starts, when not at the sentence's head
    # The first ask cue of each sentence that has a simple past, by token.
    first_ask: dict[int, int] = {}
    if past_at:
        for t in np.flatnonzero(words & (1 << ASK_LABEL)).tolist() + [c[1] for c in longer if c[0] == ASK_LABEL]:
            si = sent_of(t)
            if si in past_at and t < first_ask.get(si, n):
                first_ask[si] = t
    quotes = [False] * n_sent
    # Only a story of now (or a draft of no stated kind) ends by turning to "you" to ask; at the end of a story of
    # self or us, "you" is reflective ("the sense of belonging you get when you are handed a shovel").
    to_listeners = kind not in ("self", "us")
    # In a story of now, what the speaker wants others to do is asked of them ("so i want the school council to vote
    # now"), at the head of a clause even in a run-on sentence; in a story of self or us it is a hope ("I want every
    # kid to find the thing...").
    wants_at = set()
    if to_listeners:
        for j in _where(lower, WANT_ARRAY):
            subject = j - 1 if int(lower[j]) in WANT else j - 2  # "I want", "I'd like"
            if subject < 0 or not bits[subject] & NARRATOR or (subject < j - 1 and int(lower[j - 1]) not in WOULD):
                continue
            clause_head = subject == 0 or bits[subject - 1] & (LEAD_SKIP | PUNCT | SPACE) or starts_mask[subject]
            if clause_head and _wants_others_to_act(bits, lower, j, n):
                wants_at.add(sent_of(j))
    # Sentences that start inside a quotation opened in an earlier sentence ('The sign said "Pitch closed. Please keep
    # off."'): what they ask, someone else asked.
    within_quote = _within_quote(lower, s_start) if any(x & T_QUOTE for x in per_sentence) else set()
    for i in range(n_sent):
        a, z = s_start[i], s_end[i]
        limit = a + 5 if a + 5 < z else z
        at = a
        while at < limit and bits[at] & LEAD_SKIP:
            at += 1
        if at >= limit and last_lead < a:  # no lead token from here on: the last one before stands in
            at = last_lead if last_lead >= 0 else a
        imp = head = bool(at < limit and (bits[at] & ACTION or at in action_heads) and at + 1 < z
                          and not (at + 2 >= z and bits[at + 1] & PUNCT) and not _inverted_do(lower, at))
        if not imp and at < z and comma_asks:
            k = bisect_left(comma_asks, at)
            if k < len(comma_asks) and comma_asks[k] < min(z, at + 30):
                imp = _imperative_after_commas(bits, lower, at, z)
        if not imp and (i in please_at or i in so_at):
            imp = True
            if i in please_at and z - a > RUN_ON and please_at[i] > at + 5:
                # The ask is the clause that "please" opens, late in a run-on draft with no full stops: its details
                # are its own. In a sentence of usual length the details may come first ("The meeting is at the
                # Methodist hall on Thursday at 7pm, so please come with me").
                clause_from[i] = please_at[i]
        # "Members of the environment committee: on 3 March, vote for option B": the listeners named, a colon, then
        # the imperative.
        if not imp and at < z and colons and colons[bisect_left(colons, at)] < min(z, at + 10):
            imp = _after_label(bits, lower, at, z)
        imperative[i] = imp
        m, f = labels_of[i], per_sentence[i]
        quotes[i] = quoted = bool(f & T_QUOTE) or i in within_quote
        # Near the end of a draft, a sentence to "you" with an action in it is an ask ("You can sign up at the
        # door"). A belief frame ("We believe health shouldn't depend on your postcode") speaks of a generic "you".
        # "You can't put it in a spreadsheet" speaks of anyone: a negated sentence to "you" asks nothing.
        # "be" and "have" are not actions here ("if you're honest with folk, they'll be honest with you").
        to_you = (to_listeners and i >= n_sent - 2 and f & T_SECOND and m & B_ACTION_CUE
                  and not m & (B_BELIEF | B_FRAME) and not f & T_PAST and not any(bits[t] & NEGATION for t in range(a, z))
                  and _has_action(words, longer, bits, a, z))
        # An ask cue after a simple past that opens the sentence reports an ask made then ("We put the pictures up
        # in the library and asked people to come and name faces"); it asks nothing of these listeners.
        cued = bool(m & B_ASK_CUE) and not (i in past_at and first_ask.get(i, n) > past_at[i])
        # A question put to people in the room ("Will the three ward councillors here tonight walk the block?",
        # "Could seven of you...?") asks them to act, however the people are named.
        if not cued and not imp and int(lower[at]) in MODAL_QUESTIONS:
            cued = _question_to_room(bits, lower, at, z)
        # So is everyone in the room told what they need to do ("Everyone in this room needs to get behind Highwood").
        if not cued and not imp and int(lower[at]) in ROOM_SUBJECTS:
            cued = _room_told(bits, lower, at, z)
        if not cued and not imp and i in wants_at:
            cued = True
        # A quotation reports an ask; an imperative that opens the sentence before any quotation mark is one
        # ('Sign the pledge sheet by the door tonight: "I will do one hour..."').
        outside = quoted and head and i not in within_quote and not any(int(code[t]) >> FACT_SHIFT & T_QUOTE
                                                                        for t in range(max(a - 1, 0), at + 1))
        # So is a "please" after a quotation has closed, in a run-on sentence ('i tell every adopter "dont let him
        # near your socks" and nobody listens so if any of you can, pls do something to help us').
        if quoted and not outside and i in please_at and i not in within_quote:
            outside = not _quote_open_at(lower, a, please_at[i])
        # In a story of self or us, "We should all look after the environment we share" states a belief about
        # everyone; in a story of now the same words ("We must all stand together and support the fund") ask.
        shared_duty = not to_listeners and m & B_BELIEF and int(lower[at]) == WE and not imp
        ask[i] = ((not quoted or outside) and not m & B_RHETORICAL and bool(cued or imp or to_you)
                  and i not in generic and not shared_duty)
    # With no ask of others, a first-person pledge ("I will phone three residents by Friday") is the story of now's
    # call to action: the commitment the speaker makes in front of the room.
    commit_action = [False] * n_sent
    if kind not in ("self", "us") and not any(ask) and any(m & B_COMMIT_CUE for m in labels_of):
        commit, commit_action = _commitments(bits, _cues_by_sentence(words, longer, s_start, s_end, sent_of), s_start,
                                             s_end, n_sent)
        ask = [commit[i] and not quotes[i] and not labels_of[i] & B_RHETORICAL for i in range(n_sent)]

    idx = tokens.idx if tokens.idx is not None else doc.to_array("IDX").astype(np.int64)
    start_chars = idx[s_start].tolist()
    last = np.array(s_end) - 1
    end_chars = (idx[last] + tokens.length[last]).tolist()
    now = kind == "now"
    when = doc.vocab.strings["when"] if now else 0
    # Only sentences with "can"/"could" or a question mark need the checks for hope and questions below.
    can_sentences = {sent_of(t) for t in _where(lower, CAN_ARRAY)}
    question_sentences = {sent_of(t) for t in np.flatnonzero(lower == QUESTION_MARK).tolist()}
    sentences = []
    for i in range(n_sent):
        m, f = labels_of[i], per_sentence[i]
        # A sentence told in the simple past ("She was kind to me") is a moment; present-tense value talk with no
        # anchor ("Our team works hard") is a claim even without a frame; a belief frame ("I believe", "everyone
        # deserves") is a claim even without a value word.
        belief = bool(m & B_BELIEF)
        # A name anchors a sentence to a lived moment, unless a belief frame makes it a claim about that group or
        # place ("At Unity Savers we stand for independence and trust").
        lesson = i in lessons
        # So does a sentence about one person ("She looks out for people in a way no app ever will", "He's eighty-one
        # and fiercely independent"): a portrait, not a standing claim.
        person = firsts[i] in ONE_PERSON or (seconds[i] in ONE_PERSON and bits[s_start[i]] & LEAD_SKIP)
        anchored = bool((f & (T_ANCHOR | T_NAME) or m & B_ANCHOR_CUE or person)
                        and not (belief and not f & T_PAST) and not lesson)
        # A feeling about something in the present ("We are proud of the brickwork", "we just enjoy it") tells how
        # the speaker feels; it claims a value only when framed ("Every child should have some fun").
        told = frame[i] or belief or lesson or (claims[i] > 0 and not f & T_PAST)
        long_told = not belief and s_end[i] - s_start[i] > LONG_SENTENCE  # a long sentence tells; see LONG_SENTENCE
        # "Together we can build a fairer ward" voices hope in what the listeners can do, not a value claim: none of the
        # 32 such sentences in the dev drafts was a claim, even with a stock phrase such as "make a difference".
        hopeful = (i in can_sentences and _can_together(bits, lower, s_start[i], s_end[i])) or (
            i in predicted and not values[i])
        # A question asks; it does not claim ("Who looks after the people who look after everyone else?"): none of the
        # 61 questions in the dev drafts was a claim.
        asked = i in question_sentences and _ends_with_question(bits, lower, s_start[i], s_end[i]) >= 0
        # A line that ends in a colon ("What I believe:") heads what follows; it claims nothing itself (none of the 21
        # in the dev drafts was a claim).
        heading = int(lower[s_end[i] - 1]) == COLON
        abstract = (((values[i] > 0 and told) or belief) and not anchored and not ask[i] and not long_told
                    and not hopeful and not asked and not heading)
        moves = m & 7
        if not now and not moves & 2 and _narrator_acts(bits, s_start[i], s_end[i]):
            moves |= 2
        # A feeling that blocks action (inertia, apathy, fear, isolation, self-doubt), or anger, marks a difficulty:
        # a challenge.
        if m & CHALLENGE_MASK:
            moves |= 1
        if now:
            # A story of now runs challenge, hope, choice (Ganz): urgency names the challenge, hope is the outcome
            # we can reach, and the ask is the listeners' choice.
            if m & B_URGENCY:
                moves |= 1
            if ask[i]:
                moves |= 2
            if m & B_HOPE:
                moves |= 4
            # Evidence that change can happen is told as a past "when ..." ("When the villages packed the transport
            # meeting, the councillors found the subsidy"): the hope of a story of now, so an outcome.
            if f & T_PAST and _opens_with(bits, tokens.lower, s_start[i], s_end[i], when):
                moves |= 4
        sentences.append(SentenceFeedback(start_chars[i], end_chars[i], MOVE_SETS[moves], abstract,
                                          EMOTION_SETS[m >> EMOTION_SHIFT & EMOTION_MASK]))
    cta = None
    if any(ask):
        # A content word right after "to" in an asking sentence is what the listeners are asked to do.
        to_verbs = [t + 1 for t in np.flatnonzero(tokens.lower[:-1] == TO).tolist()
                    if bits[t + 1] & ALPHA and not bits[t + 1] & (LEX_STOP | TITLE)]
        ask_start, ask_chars, ask_labels = s_start, start_chars, labels_of
        clause_from = {i: t for i, t in clause_from.items() if ask[i]}
        if clause_from:
            ask_start, ask_chars, ask_labels = list(s_start), list(start_chars), list(labels_of)
            for i, t in clause_from.items():
                ask_start[i], ask_chars[i] = t, int(idx[t])
                ask_labels[i] = int(np.bitwise_or.reduce(cue_bits[t:s_end[i]]))
        cta = _call_to_action(ask_chars, end_chars, ask, [x or y for x, y in zip(imperative, commit_action)], ask_labels,
                              _ask_cues(words, longer, ask_start, s_end, ask, bits), ask_start, s_end, bits, to_verbs,
                              lower, {i for i in range(n_sent) if per_sentence[i] & T_PAST})
    counts = [int(np.count_nonzero(b & flag)) for flag in (FIRST, PLURAL, SECOND)]
    return DocFeatures(sentences, cta, counts[0], counts[1], counts[2], len(value_spans))


def _opens_with(bits: list[int], lower: np.ndarray, a: int, z: int, word: int) -> bool:
    """Whether a sentence's first word (after a bullet or an opener such as "but" or "and") is `word` (a hash)."""
    at = a
    while at < z and at < a + 2 and bits[at] & (LEAD_SKIP | CLAIM_OPENER) and int(lower[at]) != word:
        at += 1
    return at < z and int(lower[at]) == word


def _where(lower: np.ndarray, hashes: np.ndarray) -> list[int]:
    """Positions of the tokens whose lower-case hash is one of a few hashes (np.isin costs about 25 us a call on a
    draft; two or three comparisons cost a few)."""
    mask = lower == hashes[0]
    for h in hashes[1:]:
        mask |= lower == h
    return np.flatnonzero(mask).tolist()


def _quote_open_at(lower: np.ndarray, a: int, t: int) -> bool:
    """Whether a double quotation opened after token a is still open at token t."""
    open_quote = False
    for j in _where(lower[a:t], QUOTE_MARKS):
        word = int(lower[a + j])
        open_quote = (not open_quote) if word == STRAIGHT_QUOTE else word == OPENING_QUOTE
    return open_quote


def _within_quote(lower: np.ndarray, s_start: list[int]) -> set[int]:
    """The sentences (by index) that start inside a double quotation opened before them: a straight quote opens and
    closes by turns, a curly one says which it is."""
    inside = set()
    open_quote = False
    marks = _where(lower, QUOTE_MARKS)
    k = 0
    for i, a in enumerate(s_start):
        while k < len(marks) and marks[k] < a:
            word = int(lower[marks[k]])
            open_quote = (not open_quote) if word == STRAIGHT_QUOTE else word == OPENING_QUOTE
            k += 1
        if open_quote:
            inside.add(i)
    return inside


def _ends_with_question(bits: list[int], lower: np.ndarray, a: int, z: int) -> int:
    """The question mark that ends tokens a to z (perhaps before a closing quotation mark or bracket), or -1."""
    end = z - 1
    while end > a and bits[end] & PUNCT and int(lower[end]) != QUESTION_MARK:
        end -= 1
    return end if int(lower[end]) == QUESTION_MARK else -1


def _question_to_room(bits: list[int], lower: np.ndarray, at: int, z: int) -> bool:
    """Whether a question that opens with "will", "would", "can" or "could" (at token `at`) names people in the room
    ("here", "you") before its first action verb within the next eight tokens, and ends with a question mark."""
    end = _ends_with_question(bits, lower, at, z)
    if end < 0:
        return False
    room = False
    for t in range(at + 1, min(end, at + 9)):
        if bits[t] & ACTION:
            return room
        if bits[t] & PUNCT:
            return False
        if int(lower[t]) in ROOM_WORDS:
            room = True
    return False


def _room_told(bits: list[int], lower: np.ndarray, at: int, z: int) -> bool:
    """Whether a sentence that opens with "everyone" or "everybody" (at token `at`) places them in the room ("here",
    "in this room", "tonight") and then says what they need to do ("needs to", "has to", "must") with an action
    verb within three tokens. "Everyone should feel welcome here" states a belief: no room before the modal."""
    room = False
    for t in range(at + 1, min(z, at + 7)):
        word = int(lower[t])
        if word in ROOM_PLACES:
            room = True
        elif word in NEED_MODALS:
            return room and any(bits[k] & ACTION for k in range(t + 1, min(z, t + 4)))
        elif bits[t] & PUNCT:
            return False
    return False


def _wants_others_to_act(bits: list[int], lower: np.ndarray, at: int, z: int) -> bool:
    """Whether the wish at token `at` ("I want", "we'd like") names others who are to do something ("i want the
    school council to vote now"), not a state ("I want every one of those trees to have the order", "I'd love the
    third school to be next") and not people in general ("I want every kid to find the thing that makes moving feel
    like an adventure")."""
    obj = at + 1  # who is to act
    if obj + 2 >= z or int(lower[obj]) == TO:
        return False
    # "I want every kid to find the thing...": people in general, a hope; but "all of you" and "every club secretary in
    # this room" are the listeners.
    general = int(lower[obj]) in GENERIC_QUANTIFIERS and int(lower[obj + 1]) != OF
    for t in range(obj, min(z - 1, obj + 10)):
        if bits[t] & PUNCT:
            return False
        if int(lower[t]) in ROOM_PLACES:
            general = False
        if int(lower[t]) == TO:
            return (bool(bits[t + 1] & ACTION and not bits[t + 1] & PERFECT) and int(lower[t + 1]) != BE
                    and not general)
    return False


def _can_together(bits: list[int], lower: np.ndarray, a: int, z: int) -> bool:
    """Whether a sentence opens (after "and", "so", "together" or a comma) with "we can", "we could", "you can" or
    "you could"."""
    at = a
    while at < z - 2 and at < a + 3 and (bits[at] & (LEAD_SKIP | CLAIM_OPENER) or int(lower[at]) == TOGETHER):
        at += 1
    return at + 1 < z and int(lower[at]) in WE_YOU and int(lower[at + 1]) in CAN


def _to_consider(lower: np.ndarray, a: int, z: int) -> bool:
    """Whether tokens a to z ask the listeners to consider ("consider", "think about", "think of", "think whether")."""
    for t in range(a, z):
        word = int(lower[t])
        if word in CONSIDER or (word in THINK and t + 1 < z and int(lower[t + 1]) in THINK_OF):
            return True
    return False


def _generic_norm(bits: list[int], lower: np.ndarray, a: int, z: int) -> bool:
    """Whether a sentence opens (perhaps after "and" or "but") with a generic subject ("every", "nobody", "each") and
    has a modal of what ought to be ("should", "must", "deserves") within the next eight words of the clause."""
    at = a
    if at < z - 1 and bits[at] & (LEAD_SKIP | CLAIM_OPENER) and int(lower[at]) not in GENERIC_SUBJECTS:
        at += 1
    if int(lower[at]) not in GENERIC_SUBJECTS:
        return False
    for t in range(at + 1, min(z, at + 9)):
        if bits[t] & PUNCT and not bits[t] & APOSTROPHE:
            return False
        if int(lower[t]) in NORMATIVE:
            return True
    return False


def _after_subject(bits: list[int], t: int) -> bool:
    """Whether token t reads as a finite verb after its subject ("we voted", "I then went", "the manager said we")
    and not as a participle set off by commas ("Small kindness, repeated, is what...")."""
    if t > 0 and bits[t - 1] & SUBJECT or t > 1 and bits[t - 2] & SUBJECT:
        return True
    return bool(t > 0 and bits[t - 1] & WORDLIKE and t + 1 < len(bits) and not bits[t + 1] & PUNCT)


def _has_action(words: np.ndarray, longer, bits: list[int], a: int, z: int) -> bool:
    """Whether tokens a to z hold an action cue other than "be" or "have"."""
    for t in range(a, z):
        if int(words[t]) >> ACTION_LABEL & 1 and not bits[t] & PERFECT:
            return True
    return any(c[0] == ACTION_LABEL and a <= c[1] < z for c in longer)


def _narrated(bits: list[int], lower: np.ndarray, s: int, e: int) -> bool:
    """Whether a belief frame (tokens s to e) is told in the simple past ("everyone had written it off"; not "I have
    always believed") or follows a verb's negation ("doesn't have to be")."""
    if s > 0 and bits[s - 1] & NEGATION and int(lower[s - 1]) in VERB_NEGATIONS:
        return True
    if s > 0 and int(lower[s]) == MUST and int(lower[s - 1]) in EPISTEMIC_BEFORE:
        return True  # "what must be his fortieth cup of tea": a guess
    return any(bits[t] & PAST and not bits[t] & PRESENT and not (t > 0 and bits[t - 1] & PERFECT)
               and not (t > 1 and bits[t - 2] & PERFECT) for t in range(s, e))  # "we have always valued"


def _inverted_do(lower: np.ndarray, k: int) -> bool:
    """Whether "do" at token k follows "so", "neither" or "nor" ("and so do the people who visit them"): an inversion
    that says the same is true of others, not an imperative."""
    return k > 0 and int(lower[k]) in DO_FORMS and int(lower[k - 1]) in SO_NEITHER


def _imperative_after_commas(bits: list[int], lower: np.ndarray, at: int, z: int) -> bool:
    """Whether an imperative follows a comma after a leading condition ("If you swim there, or your kids do, come to
    the meeting") or time clause in the present ("So before you leave tonight, save the number"), or after people
    named in a list ("so parents, escorts, drivers, anyone, come to the civic centre"). A named list has short parts
    with no verb or pronoun of their own; a time clause in the past tells a moment ("When I got home, ...")."""
    condition = bool(bits[at] & (CONDITION | TIME_CLAUSE))
    timed = not bits[at] & CONDITION and condition
    part, commas = 0, 0
    for j in range(at, min(z, at + 30)):
        bj = bits[j]
        if bj & COMMA:
            commas += 1
            k = j + 1
            while k < z and bits[k] & LEAD_SKIP:
                k += 1
            if k + 1 < z and bits[k] & ACTION and not bits[k + 1] & HYPHEN and not _inverted_do(lower, k):
                return True
            if commas >= 4:
                return False
            part = 0
            continue
        part += 1
        if timed and bj & PAST and not bj & PRESENT:
            return False
        # A verb of doing before the comma makes it a clause, not a list of people ("Now eleven men cook, share a
        # table and have a laugh").
        if not condition and (part > 3 or bj & (PAST | PRESENT | FIRST | PLURAL | NARRATOR | SENT_END | ACTION)):
            return False
    return False


def _after_label(bits: list[int], lower: np.ndarray, at: int, z: int) -> bool:
    """Whether an imperative follows a label and a colon at the head of a sentence ("Members of the environment
    committee: on 3 March, vote for option B", "My ask tonight: come to the hall"). The label names people or the ask;
    a verb or "I"/"we" before the colon makes it a clause ("He told me: come back tomorrow" reports), unless the
    clause is the speaker asking now ("I've come to ask one thing: ...", "What I'm asking: ...")."""
    if int(lower[at]) in DETERMINERS:
        return False  # "The usual answer: paint over it at 7am" names a thing, not the listeners
    j = at
    clause = asking = False
    while j < z and int(lower[j]) != COLON:
        if bits[j] & (SENT_END | PAST) and not bits[j] & PRESENT or j >= at + 10:
            return False
        if bits[j] & (PRESENT | ACTION | NARRATOR):
            clause = True
        asking = asking or int(lower[j]) in ASKING_WORDS
        j += 1
    if clause and not asking:
        return False
    k = j + 1
    while k < z and bits[k] & LEAD_SKIP:
        k += 1
    if k + 1 < z and bits[k] & ACTION and not bits[k + 1] & TITLE and not _inverted_do(lower, k):
        return True  # but "Dec: Coach Samir explained offside" opens with a name
    return k < z and _imperative_after_commas(bits, lower, k, z)


def _narrator_acts(bits: list[int], a: int, z: int) -> bool:
    """Whether a sentence opens (after at most two openers) with "I" or "we" and a verb of doing in the simple past
    ("We wrote one letter together", "So I rang her back"), perhaps after an adverb ("we also changed")."""
    at = a
    while at < z and at < a + 2 and bits[at] & LEAD_SKIP:
        at += 1
    if at >= z or not bits[at] & NARRATOR:
        return False
    at += 1
    while at < z and at < a + 5 and bits[at] & COMMIT_SKIP and not bits[at] & PAST:
        at += 1
    return at < z and bool(bits[at] & PAST) and not bits[at] & STATE


def _cues_by_sentence(words, longer, s_start, s_end, sent_of, only=None) -> dict[int, list[tuple[int, int, int]]]:
    """The cues (label, start, end) of each sentence (or of the sentences in `only`), one-word cues included."""
    found: dict[int, list[tuple[int, int, int]]] = {}
    for i in (only if only is not None else range(len(s_start))):
        a, z = s_start[i], s_end[i]
        part = words[a:z]
        for t in np.flatnonzero(part).tolist():
            x = int(part[t])
            found.setdefault(i, []).extend((label, a + t, a + t + 1) for label in range(LABEL_COUNT) if x >> label & 1)
    wanted = None if only is None else set(only)
    for cue in longer:
        i = sent_of(cue[1])
        if i >= 0 and (wanted is None or i in wanted):
            found.setdefault(i, []).append(cue)
    return found


def _ask_cues(words, longer, s_start, s_end, ask, bits) -> dict[int, list[tuple[int, int, int]]]:
    """The action and vague cues (label, start, end) of each asking sentence: all _call_to_action reads."""
    at = np.flatnonzero(words & ((1 << ACTION_LABEL) | (1 << VAGUE_LABEL)))
    positions, marks = at.tolist(), words[at].tolist()
    asking = sorted((c for c in longer if c[0] == ACTION_LABEL or c[0] == VAGUE_LABEL), key=lambda c: c[1])
    asking_starts = [c[1] for c in asking]
    # The verb of an asking frame ("I would ask everyone here to...", "we're asking you") asks; it is not the action
    # asked for, so it makes no ask specific.
    framed = {t for c in longer if c[0] == ASK_LABEL and bits[c[1]] & NARRATOR for t in range(c[1], c[2])}
    found: dict[int, list[tuple[int, int, int]]] = {}
    for i in range(len(s_start)):
        if not ask[i]:
            continue
        a, z = s_start[i], s_end[i]
        cues = found[i] = []
        for k in range(bisect_left(positions, a), bisect_left(positions, z)):
            t, x = positions[k], marks[k]
            if x >> ACTION_LABEL & 1 and t not in framed:
                cues.append((ACTION_LABEL, t, t + 1))
            if x >> VAGUE_LABEL & 1:
                cues.append((VAGUE_LABEL, t, t + 1))
        cues.extend(asking[bisect_left(asking_starts, a):bisect_left(asking_starts, z)])
    return found


def _commitments(bits, by_sentence, s_start, s_end, n_sent) -> tuple[list[bool], list[bool]]:
    """Sentences with a first-person pledge ("I will ...", "we're going to ..."), and those whose verb is concrete.

    The verb is the first word after the pledge frame that is not an adverb such as "also" or "personally"; a
    negation ("I will never forget") or the end of the sentence means no pledge, and so does a condition before it
    ("If we wait, we will lose the library": a consequence), and so does a belief frame ("I believe we will win").
    The verb is concrete when it is an action cue or a content word ("phone", "mentor"), and not the start of a vague
    phrase ("help out").
    """
    commit = [False] * n_sent
    concrete = [False] * n_sent
    vague: set[int] = set()
    for cues in by_sentence.values():
        for label, s, e in cues:
            if label == VAGUE_LABEL:
                vague.update(range(s, e))
    for si, cues in by_sentence.items():
        for label, start, end in cues:
            if label != COMMIT_LABEL:
                continue
            if any(bits[t] & CONDITION for t in range(s_start[si], start)):
                continue
            # "I still believe we will be cooking somewhere in September": a belief about what will happen, not a
            # promise to the room.
            if any(c[0] == BELIEF_LABEL and c[2] <= start for c in cues):
                continue
            stop = min(end + 5, s_end[si])
            j = end
            while j < stop and bits[j] & COMMIT_SKIP and not bits[j] & ACTION:
                j += 1
            if j >= stop or bits[j] & (NEGATION | PUNCT | SPACE):
                continue
            commit[si] = True
            if j not in vague and (bits[j] & ACTION or not bits[j] & STOP):
                concrete[si] = True
    return commit, concrete


def _call_to_action(start_chars, end_chars, ask, imperative, labels_of, by_sentence, s_start, s_end, bits,
                    to_verbs, lower, past) -> AskInfo | None:
    """The draft's ask: the most specific asking sentence (the last one on a tie), with the next sentence's details.
    to_verbs: tokens that follow "to" and are verbs of doing ("We need you, as heads, to release two assistants").
    lower: the tokens' lower-case hashes; past: the sentences told in the simple past."""
    best: AskInfo | None = None
    n_sent = len(start_chars)
    when, where = B_WHEN, B_WHERE
    for i in range(n_sent):
        if not ask[i]:
            continue
        cues = by_sentence.get(i, ())
        vague = [(s, e) for label, s, e in cues if label == VAGUE_LABEL]
        action_starts = [s for label, s, _ in cues if label == ACTION_LABEL]
        a = s_start[i]
        has_action = any(not any(vs <= s < ve for vs, ve in vague) for s in action_starts) or (
            bool(imperative[i]) and not any(vs <= a + 2 and ve > a for vs, ve in vague)) or any(
            not any(vs <= t < ve for vs, ve in vague)
            for t in to_verbs[bisect_left(to_verbs, a):bisect_left(to_verbs, s_end[i])])
        has_when = bool(labels_of[i] & when)
        has_where = bool(labels_of[i] & where)
        # A number counts as a detail of the ask ("20 people", "one trip a fortnight"), but not as part of a name
        # ("Ward 7", "Route 42").
        # "one" is rarely a count in an ask ("one week if you can", "one way or another").
        # A capital that opens the sentence ("Will 20 of you...") is not a name.
        number = any(bits[t] & NUM and not (t > a + 1 and bits[t - 1] & TITLE)
                     and int(lower[t]) != ONE for t in range(a, s_end[i]))
        end_char = end_chars[i]
        # The next sentence can give the ask's time or place ("It's on Thursday at 7 in the hall"), but not one told in
        # the past ("Last winter twelve men slept in our hall").
        if i + 1 < n_sent and not ask[i + 1] and not (has_when and has_where) and i + 1 not in past:
            nxt_when, nxt_where = bool(labels_of[i + 1] & when), bool(labels_of[i + 1] & where)
            if nxt_when or nxt_where:
                has_when, has_where = has_when or nxt_when, has_where or nxt_where
                end_char = end_chars[i + 1]
        # An ask to think about acting ("Please think about whether you could give a night this winter") leaves the
        # acting to the listener: it is not specific, whatever details it names. Writers marked all six such asks in
        # the dev drafts vague.
        specific = has_action and (has_when or has_where or number) and not _to_consider(lower, a, s_end[i])
        candidate = AskInfo(start_chars[i], end_char, specific, has_action, has_when, has_where)
        if best is None or specific or not best.specific:
            best = candidate
    return best
