"""Coaching prompts: at most five questions a coach would ask about a draft, most useful first."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from relational.coach.features import DocFeatures
    from relational.coach.results import Feedback

MAX_PROMPTS = 5
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")

START = {
    None: "Start with one moment: where were you, what happened, and what did you do? Write a few sentences.",
    "self": "Start with one moment from your own life that called you to this work. Where were you, and what happened?",
    "us": "Start with a moment your group lived through together. Where were you all, and what happened?",
    "now": "Start with the challenge in front of us today. What is happening, and who does it affect?",
}
NOT_ENGLISH = "This draft looks mostly not English, and the coach only reads English. Could you write it in English?"
TOO_LONG = "This is longer than one story. Could you paste a single story of up to a few hundred words?"

NO_I = "A story of self is told in your own voice. Can you tell it with \"I\": what did you see, feel and do?"
NO_WE = "A story of us speaks for a group. Who is the \"we\" here? Can you tell it with \"we\" and \"us\"?"
NO_CHOICE = "What did you decide to do at that moment, and why?"
NO_CHALLENGE = "What was the challenge? What made that moment hard, and what was at stake?"
NO_OUTCOME = "What happened as a result of your choice, and what did you learn from it?"
US_NO_CHOICE = "What did your group choose to do together when it mattered?"
US_NO_CHALLENGE = "What challenge did your group face together? Take us to one moment you all remember."
ABSTRACT = "Your {ordinal} sentence names a value. Can you tell us the moment you learned it?"
ABSTRACT_MANY = "Your {which} sentences each name a value. Pick one: can you tell us the moment you learned it?"
# An abstract claim with no values language in it states a belief ("It is important that we all work together").
BELIEF = "Your {ordinal} sentence states a belief. Can you tell us the moment that taught it to you?"
BELIEF_MANY = "Your {which} sentences each state a belief. Pick one: can you tell us the moment that taught it to you?"
MIXED_MANY = ("Your {which} sentences each name a value or state a belief. Pick one: can you tell us the moment you "
              "learned it?")
NO_VALUES = "What did you care about in that moment? Show it through what you did, so we can feel why it mattered."
IMPLICIT_VALUES = ("Your story shows what you care about without naming it. What did that moment teach you? "
                   "One short line can say it, then go back to the moment.")
NO_EMOTION = "How did it feel? Let us feel what you felt in that moment."
NOW_NO_ASK = "What are you asking people to do? End with a clear ask."
NOW_VAGUE_ASK = "What exactly are you asking people to do, and by when?"
NOW_NO_URGENCY = "Why must we act now, and not next year? What happens if we wait?"
NOW_NO_HOPE = "What could be different if we act? Paint a picture of the hope."
NOW_NO_CHALLENGE = "What is the urgent challenge, in one concrete detail: a person, a place, a number?"
BLOCKING = "Your draft names {blocking}. Which feeling will move people past it ({counter})?"
GOOD = "This draft shows values through lived moments. Read it aloud to someone: what did they feel, and what did they remember?"


def empty_prompts(kind: str | None) -> tuple[str, ...]:
    """The single prompt for an empty draft."""
    return (START.get(kind, START[None]),)


def not_english_prompts() -> tuple[str, ...]:
    """The prompt for a draft that is mostly not English."""
    return (NOT_ENGLISH,)


def too_long_prompts() -> tuple[str, ...]:
    """The prompt for a draft over the length limit."""
    return (TOO_LONG,)


def _ordinal(i: int) -> str:
    """"first" ... "tenth" for the first ten sentences, then "11th", "12th", "21st", "22nd"..."""
    if i < len(ORDINALS):
        return ORDINALS[i]
    n = i + 1
    suffix = "th" if n % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def choose_prompts(feedback: Feedback, feats: DocFeatures) -> tuple[str, ...]:
    """At most five prompts for a draft, most useful first.

    Args:
        feedback: the draft's feedback so far (values, sentences, call to action).
        feats: the sentence features behind it (voice counts).

    Returns:
        The prompts, phrased as a coach would ask.
    """
    from relational.coach.results import EMOTION_PAIRS

    kind = feedback.kind
    moves = {m for s in feedback.sentences for m in s.moves}
    emotions = {e for s in feedback.sentences for e in s.emotions}
    abstract = [i for i, s in enumerate(feedback.sentences) if s.abstract_claim]
    prompts: list[str] = []

    if kind == "self" and feats.first_person == 0:
        prompts.append(NO_I)
    if kind == "us" and feats.plural_person == 0:
        prompts.append(NO_WE)
    if kind == "now":
        cta = feedback.call_to_action
        if not cta.present:
            prompts.append(NOW_NO_ASK)
        elif not cta.specific:
            prompts.append(NOW_VAGUE_ASK)
        if "urgency" not in emotions:
            prompts.append(NOW_NO_URGENCY)
        if "hope" not in emotions:
            prompts.append(NOW_NO_HOPE)
        if "challenge" not in moves:
            prompts.append(NOW_NO_CHALLENGE)
    elif kind == "us":
        if "challenge" not in moves:
            prompts.append(US_NO_CHALLENGE)
        if "choice" not in moves:
            prompts.append(US_NO_CHOICE)
    else:
        if "choice" not in moves:
            prompts.append(NO_CHOICE)
        if "challenge" not in moves:
            prompts.append(NO_CHALLENGE)

    if abstract:
        # Whether each abstract sentence holds values language, so the prompt does not say it names a value when
        # nothing in it is highlighted.
        with_values = feedback.sentences_with_values()
        valued = [with_values[i] for i in abstract]
    if len(abstract) == 1:
        prompts.append((ABSTRACT if valued[0] else BELIEF).format(ordinal=_ordinal(abstract[0])))
    elif abstract:
        named = [_ordinal(i) for i in abstract[:3]]
        which = ", ".join(named[:-1]) + " and " + named[-1] + (" (and more)" if len(abstract) > 3 else "")
        many = ABSTRACT_MANY if all(valued) else BELIEF_MANY if not any(valued) else MIXED_MANY
        prompts.append(many.format(which=which))
    if not feedback.values:
        prompts.append(IMPLICIT_VALUES if len(moves) >= 2 and not abstract else NO_VALUES)
    if kind != "now" and "outcome" not in moves:
        prompts.append(NO_OUTCOME)
    if not emotions:
        prompts.append(NO_EMOTION)
    else:
        for blocking, counter in EMOTION_PAIRS:
            if blocking in emotions and counter not in emotions:
                prompts.append(BLOCKING.format(blocking=blocking.replace("_", "-"), counter=counter.replace("_", "-")))
                break
    if not prompts:
        prompts.append(GOOD)
    return tuple(prompts[:MAX_PROMPTS])
