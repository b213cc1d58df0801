"""Typed, frozen results of analysing a draft (no spaCy here, so rendering can import them cheaply)."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any

FAMILIES: tuple[str, ...] = (
    "self_direction", "stimulation", "hedonism", "achievement", "power",
    "security", "conformity", "tradition", "benevolence", "universalism",
)
MOVES: tuple[str, ...] = ("challenge", "choice", "outcome")
EMOTIONS: tuple[str, ...] = (
    "inertia", "urgency", "apathy", "anger", "fear", "hope", "isolation", "solidarity", "self_doubt", "self_worth",
)
# The five pairs the course teaches: the emotion that blocks action, then the one that overcomes it.
EMOTION_PAIRS: tuple[tuple[str, str], ...] = (
    ("inertia", "urgency"), ("apathy", "anger"), ("fear", "hope"), ("isolation", "solidarity"),
    ("self_doubt", "self_worth"),
)
KINDS: tuple[str, ...] = ("self", "us", "now")


@dataclass(frozen=True)
class ValueMention:
    """A word or short phrase that names, claims or enacts a value."""

    start: int
    end: int
    text: str
    family: str
    cue: str

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of the coach contract."""
        return {"start": self.start, "end": self.end, "text": self.text, "family": self.family, "cue": self.cue}


@dataclass(frozen=True)
class SentenceFeedback:
    """One sentence: its narrative moves, whether it is an abstract value claim, and its emotions."""

    start: int
    end: int
    moves: tuple[str, ...] = ()
    abstract_claim: bool = False
    emotions: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of the coach contract."""
        return {
            "start": self.start,
            "end": self.end,
            "moves": list(self.moves),
            "abstract_claim": self.abstract_claim,
            "emotions": list(self.emotions),
        }


@dataclass(frozen=True)
class CallToAction:
    """Whether the draft asks people to do something, where, and whether the ask is specific."""

    present: bool = False
    start: int | None = None
    end: int | None = None
    specific: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of the coach contract (start and end are null when there is no ask)."""
        return {"present": self.present, "start": self.start, "end": self.end, "specific": self.specific}


@dataclass(frozen=True)
class Notice:
    """Something the learner should know about the draft as a whole (too long, not English)."""

    code: str
    message: str

    def to_dict(self) -> dict[str, str]:
        """A small JSON object with a machine code and a plain-English message."""
        return {"code": self.code, "message": self.message}


@dataclass(frozen=True)
class Feedback:
    """Everything the coach says about one draft."""

    text: str
    kind: str | None = None
    values: tuple[ValueMention, ...] = ()
    sentences: tuple[SentenceFeedback, ...] = ()
    call_to_action: CallToAction = field(default_factory=CallToAction)
    prompts: tuple[str, ...] = ()
    word_count: int = 0
    notices: tuple[Notice, ...] = ()

    def sentences_with_values(self) -> list[bool]:
        """For each sentence, whether a value mention starts inside it (so a claim names a value rather than only
        stating a belief). The mentions are in order, so one bisection a sentence keeps a long paste linear."""
        starts = [v.start for v in self.values]
        found = []
        for s in self.sentences:
            at = bisect_left(starts, s.start)
            found.append(at < len(starts) and starts[at] < s.end)
        return found

    def to_dict(self) -> dict[str, Any]:
        """The coach's JSON (contract keys plus kind, word_count and notices); the draft itself is left out.

        Returns:
            A dict ready for ``json.dumps``.
        """
        return {
            "values": [v.to_dict() for v in self.values],
            "sentences": [s.to_dict() for s in self.sentences],
            "call_to_action": self.call_to_action.to_dict(),
            "prompts": list(self.prompts),
            "kind": self.kind,
            "word_count": self.word_count,
            "notices": [n.to_dict() for n in self.notices],
        }
