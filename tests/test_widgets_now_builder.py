"""Story of now builder without a browser: the parts are put together, the coach reads them, a vague ask is named."""

from __future__ import annotations

import pytest

from relational.widgets.drafts import DraftStore
from relational.widgets.now_builder import NowBuilder, ask_problems, assemble


@pytest.fixture
def builder(tmp_path, monkeypatch):
    monkeypatch.setenv("RELATIONAL_HOME", str(tmp_path))
    b = NowBuilder(DraftStore(tmp_path))
    b.challenge.value = "This winter, forty families on the Brookfield estate are living with black mould."
    b.vision.value = "Imagine every child on the estate sleeping in a dry, warm room by Christmas."
    b.who.value = "Everyone in this room"
    b.what.value = "Sign up for one door-knocking shift"
    b.when.value = "on Saturday 14 March at 10am"
    b.where.value = "at the Brookfield community centre"
    return b


def test_parts_are_assembled_in_story_order():
    text = assemble("The challenge.", "The vision.", "Everyone", "Sign the letter", "by Friday", "in the foyer")
    assert text.index("The challenge.") < text.index("The vision.") < text.index("Everyone, I am asking you to sign")
    assert text.endswith("by Friday in the foyer.")


def test_a_specific_ask_is_recognised(builder):
    fb = builder.build()
    assert fb is not None and fb.call_to_action.present
    assert "Your ask is specific" in builder.ask_check.value
    assert "rc-ask" in builder.feedback.value
    assert "Brookfield community centre" in builder.draft.value


def test_a_vague_ask_is_pointed_out_part_by_part(builder):
    builder.what.value = "get involved"
    builder.when.value = "soon"
    builder.where.value = ""
    builder.build()
    html = builder.ask_check.value
    assert "still vague" in html
    assert "What:" in html and "When:" in html and "Where:" in html
    assert "Who:" not in html


def test_ask_problems_names_each_missing_part():
    assert len(ask_problems("", "", "", "")) == 4
    assert ask_problems("Councillors", "Vote for the motion at full council", "on 3 June", "in the chamber") == []
    assert any("When" in p for p in ask_problems("You", "Come to the meeting", "sometime", "the hall"))


def test_empty_builder_says_so(tmp_path):
    b = NowBuilder(DraftStore(tmp_path))
    assert b.build() is None
    assert "Problem:" in b.status.value


def test_learner_text_is_escaped(builder):
    builder.challenge.value = "<script>alert(1)</script> Families wait."
    builder.what.value = "<b>sign</b>"
    builder.build()
    for html in (builder.draft.value, builder.feedback.value, builder.ask_check.value):
        assert "<script>" not in html and "<b>" not in html


def test_save_puts_it_in_the_story_studio_folder(builder, tmp_path):
    version = builder.save()
    assert version.kind == "now" and version.number == 1
    assert DraftStore(tmp_path).versions("my-story-of-now")[0].text == builder.text
    assert "Saved as version 1" in builder.status.value
