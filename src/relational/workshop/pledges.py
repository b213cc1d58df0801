"""The pledge board: all pledges, a count against a target, and a flag on pledges too vague to act on.

On NHS Change Day 2013 organisers sought 65,000 pledges and 189,000 were made; a workshop board works the same
way at the scale of a room. A pledge is flagged when the story coach's call-to-action check does not find a
specific action in it (what, and when, where or how many), because a vague pledge is hard to keep or follow up.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

from relational.workshop.store import Pledge

NOT_CHECKED = "Not checked: the story coach is not available here."
# A pledge's first-person opening: "I will", "I'll", "I am going to", "We will" ...
_FIRST_PERSON = re.compile(r"^\s*(?:i|we)\s*(?:will|shall|'ll|’ll|am going to|are going to|'m going to|"
                           r"’m going to|'re going to|’re going to)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class PledgeCheck:
    """The coach's verdict on one pledge: vague is None when it could not be checked."""

    vague: bool | None
    reason: str


@dataclass(frozen=True)
class BoardEntry:
    """A pledge as shown on the board, with its check."""

    pledge: Pledge
    check: PledgeCheck


@dataclass(frozen=True)
class PledgeBoard:
    """Every pledge with its check, and the count against the target (if one was set)."""

    entries: tuple[BoardEntry, ...]
    target: int | None = None

    @property
    def count(self) -> int:
        return len(self.entries)

    @property
    def people(self) -> int:
        """How many different people have pledged."""
        return len({entry.pledge.who.casefold() for entry in self.entries})

    @property
    def vague(self) -> int:
        """How many pledges were flagged as vague."""
        return sum(entry.check.vague is True for entry in self.entries)

    @property
    def remaining(self) -> int | None:
        """Pledges still needed to reach the target (0 once it is reached), or None with no target."""
        return None if self.target is None else max(0, self.target - self.count)

    @property
    def progress(self) -> float | None:
        """The share of the target reached, capped at 1.0, or None with no target."""
        return None if not self.target else min(1.0, self.count / self.target)

    def summary(self) -> str:
        """One plain sentence: how many pledges, from how many people, against what target."""
        pledges = f"{self.count} pledge{'s' if self.count != 1 else ''}"
        people = f"{self.people} {'person' if self.people == 1 else 'people'}"
        text = f"{pledges} from {people}"
        if self.target:
            text += f", against a target of {self.target}"
            text += " (target reached)" if self.remaining == 0 else f" ({self.remaining} to go)"
        if self.vague:
            text += f"; {self.vague} could be more specific"
        return text + "."

    def to_dict(self) -> dict:
        return {"count": self.count, "people": self.people, "target": self.target, "remaining": self.remaining,
                "vague": self.vague,
                "pledges": [{**e.pledge.to_dict(), "vague": e.check.vague, "reason": e.check.reason}
                            for e in self.entries]}


def check_pledge(text: str) -> PledgeCheck:
    """Ask the story coach whether a pledge names a specific action.

    Args:
        text: the pledge as written.

    Returns:
        PledgeCheck: vague True/False with a plain-English reason, or vague None if the coach is unavailable.
    """
    try:
        # Imported here: the coach loads spaCy, and a board that is only listed or exported should not pay for it.
        from relational import coach
    except ImportError:
        return PledgeCheck(None, NOT_CHECKED)
    ask = coach.analyse(text, kind="now").to_dict()["call_to_action"]
    # The coach looks for an ask of others ("Join us on Tuesday"); a pledge asks it of yourself ("I will visit
    # ..."). Read "I will visit ..." also as the ask "Visit ...", and keep the better of the two readings.
    bare = _FIRST_PERSON.sub("", text, count=1)
    if bare != text and not ask["specific"]:
        as_ask = coach.analyse(bare[:1].upper() + bare[1:], kind="now").to_dict()["call_to_action"]
        if as_ask["present"]:
            ask = as_ask
    if not ask["present"]:
        return PledgeCheck(True, "No clear action found: say what you will do.")
    if not ask["specific"]:
        return PledgeCheck(True, "Add a detail to act on: when, where, or how many.")
    return PledgeCheck(False, "Specific: it says what you will do, with a detail to act on.")


def build_board(pledges: Iterable[Pledge], target: int | None = None, *, check: bool = True) -> PledgeBoard:
    """The board for a list of pledges.

    Args:
        pledges: the pledges, in the order to show them.
        target: how many pledges the group is aiming for (a positive whole number), or None.
        check: run the coach's check on each pledge (False: every pledge is shown as not checked).

    Returns:
        PledgeBoard
    """
    if target is not None and (isinstance(target, bool) or not isinstance(target, int) or target < 1):
        raise ValueError(f"The target must be a whole number of 1 or more, not {target!r}.")
    unchecked = PledgeCheck(None, "Not checked.")
    return PledgeBoard(tuple(BoardEntry(p, check_pledge(p.text) if check else unchecked) for p in pledges), target)


def board_html(board: PledgeBoard) -> str:
    """The board as HTML: a summary, a progress bar with its numbers in words, and the pledges; all escaped."""
    parts = ['<section class="relational-pledges" aria-label="Pledge board">',
             f"<p><strong>{html.escape(board.summary())}</strong></p>"]
    if board.target:
        parts.append(f'<progress max="{board.target}" value="{min(board.count, board.target)}" '
                     f'aria-label="Pledges against the target">{board.count} of {board.target}</progress>')
    parts.append("<ol>")
    for entry in board.entries:
        p = entry.pledge
        by = f" <span>(by {html.escape(p.by)})</span>" if p.by else ""
        flag = ""
        if entry.check.vague:
            # Said in words, not only by colour, so it reaches screen readers and colour-blind readers.
            flag = f' <em class="relational-vague">Could be more specific: {html.escape(entry.check.reason)}</em>'
        parts.append(f"<li><strong>{html.escape(p.who)}</strong>: {html.escape(p.text)}{by}{flag}</li>")
    parts.append("</ol></section>")
    return "\n".join(parts)


def board_text(board: PledgeBoard) -> str:
    """The board as plain text, for a terminal or a printed sheet."""
    lines = [board.summary()]
    for entry in board.entries:
        p = entry.pledge
        line = f"- {p.who}: {p.text}" + (f" (by {p.by})" if p.by else "")
        if entry.check.vague:
            line += f"  [could be more specific: {entry.check.reason}]"
        lines.append(line)
    return "\n".join(lines)
