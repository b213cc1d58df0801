"""The story coach: points out values language, narrative moves, emotions and the ask in a learner's draft.

Importing this package loads no model and does not import spaCy; ``load()`` builds the pipeline on first use.
Limits: a draft longer than ``MAX_CHARS`` (1,000,000 characters, about 170,000 words) is refused with a
``too_long`` notice; a draft that is mostly not English gets a ``not_english`` notice instead of guesses.
The rules and lexicons are data files in data/coach (see data/coach/README.md).
"""

from __future__ import annotations

from relational.coach.analysis import MAX_CHARS, analyse, feedback_from_doc, load
from relational.coach.lexicon import Lexicon, LexiconError, load_lexicon
from relational.coach.results import (
    EMOTION_PAIRS, EMOTIONS, FAMILIES, KINDS, MOVES,
    CallToAction, Feedback, Notice, SentenceFeedback, ValueMention,
)

__all__ = [
    "EMOTIONS", "EMOTION_PAIRS", "FAMILIES", "KINDS", "MAX_CHARS", "MOVES",
    "CallToAction", "Feedback", "Lexicon", "LexiconError", "Notice", "SentenceFeedback", "ValueMention",
    "analyse", "feedback_from_doc", "load", "load_lexicon",
]
