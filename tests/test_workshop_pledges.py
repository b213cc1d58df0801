"""The pledge board: counts against a target, vague pledges flagged through the coach, escaped HTML."""

from __future__ import annotations

import sys
import types

import pytest

import relational
from relational.workshop.pledges import NOT_CHECKED, board_html, board_text, build_board, check_pledge
from relational.workshop.store import Pledge


def pledge(who: str, text: str, by: str | None = None, n: int = 0) -> Pledge:
    return Pledge(f"00000000-0000-0000-0000-{n:012d}", who, text, by, "2026-06-01T10:00:00+00:00")


@pytest.fixture
def fake_coach(monkeypatch):
    """A stand-in coach that treats an ask as specific when it holds a digit, and as present when it has 'will'."""
    def analyse(text, kind=None):
        assert kind == "now"
        present = "will" in text or text.startswith("Join")
        specific = present and any(ch.isdigit() for ch in text)
        cta = {"present": present, "start": 0 if present else None, "end": len(text) if present else None,
               "specific": specific}
        return types.SimpleNamespace(to_dict=lambda: {"values": [], "sentences": [], "call_to_action": cta,
                                                      "prompts": []})
    fake = types.ModuleType("relational.coach")
    fake.analyse = analyse
    monkeypatch.setitem(sys.modules, "relational.coach", fake)
    monkeypatch.setattr(relational, "coach", fake, raising=False)
    return fake


def test_counts_against_a_target(fake_coach):
    """Count, people, what is left and progress follow the pledges and the target."""
    pledges = [pledge("Ana", "I will call 3 residents", n=1), pledge("Ana", "I will do more", n=2),
               pledge("Bo", "I will visit 2 day centres", "2026-07-01", n=3)]
    board = build_board(pledges, target=4)
    assert (board.count, board.people, board.remaining, board.vague) == (3, 2, 1, 1)
    assert board.progress == pytest.approx(0.75)
    assert board.summary() == "3 pledges from 2 people, against a target of 4 (1 to go); 1 could be more specific."
    assert build_board(pledges, target=2).remaining == 0 and build_board(pledges, target=2).progress == 1.0
    with pytest.raises(ValueError, match="target"):
        build_board(pledges, target=0)


def test_vague_flag_follows_the_coach_call_to_action(fake_coach):
    """No ask: vague; an ask without a detail: vague; a specific ask: not vague."""
    assert check_pledge("Be kinder").vague is True
    assert "say what you will do" in check_pledge("Be kinder").reason
    assert check_pledge("I will help out").vague is True
    assert "when, where, or how many" in check_pledge("I will help out").reason
    assert check_pledge("I will ring 5 tenants").vague is False


def test_without_the_coach_pledges_are_shown_unchecked(monkeypatch):
    """If the coach cannot be imported, the board still works and says the pledges were not checked."""
    monkeypatch.setitem(sys.modules, "relational.coach", None)
    monkeypatch.delattr(relational, "coach", raising=False)
    result = check_pledge("I will ring 5 tenants")
    assert result.vague is None and result.reason == NOT_CHECKED
    assert build_board([pledge("Ana", "x")]).vague == 0


def test_real_coach_flags_a_bare_ask():
    """With the real story coach: a bare 'Join us.' is vague, a dated, counted ask is not."""
    assert check_pledge("Join us.").vague is True
    assert check_pledge("Sign up three colleagues by Friday.").vague is False


def test_board_html_escapes_and_says_flags_in_words(fake_coach):
    """Names and texts with markup are escaped; a vague flag is written out, not shown by colour alone."""
    board = build_board([pledge("<script>alert('x')</script>", "<img src=x onerror=alert(1)> do more", n=1),
                         pledge("Bo & Co", "I will ring 5 tenants", "2026-07-01", n=2)], target=10)
    shown = board_html(board)
    assert "<script>" not in shown and "<img" not in shown
    assert "&lt;script&gt;" in shown and "&lt;img src=x" in shown and "Bo &amp; Co" in shown
    assert "Could be more specific" in shown and "2 of 10" in shown
    assert "could be more specific" in board_text(board)
