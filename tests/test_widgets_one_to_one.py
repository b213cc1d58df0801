"""One-to-one planner, practice timer (with a fake clock) and reflection form, without a browser."""

from __future__ import annotations

from datetime import date

import pytest

from relational.paths import data_dir
from relational.widgets.log import RelationshipLog
from relational.widgets.one_to_one import (
    STAGES, OneToOne, PracticeTimer, QuestionBankError, load_questions, stage_seconds,
)


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def app(tmp_path, clock):
    return OneToOne(home=tmp_path, clock=clock)


def test_the_bank_has_at_least_60_questions_for_every_stage():
    questions = load_questions()
    assert len(questions) >= 60
    for stage in STAGES:
        assert len([q for q in questions if q.stage == stage]) >= 8, stage
    assert len({q.id for q in questions}) == len(questions)


@pytest.mark.parametrize("line, message", [
    ("q999,opening,Hello?,any,x", "unknown stage 'opening'"),
    ("q999,attention,,any,x", "the question is empty"),
    ("q999,attention,Hello?,friends,x", "purposes must be"),
    ("q001,attention,Hello?,any,x", "used twice"),
    ("q999,attention,Hello, there?,any,x", "expected 5 columns"),
])
def test_a_bad_bank_line_is_reported_with_file_and_line(tmp_path, line, message):
    good = (data_dir() / "one_to_one" / "questions.csv").read_text(encoding="utf-8").rstrip("\n")
    bad = tmp_path / "questions.csv"
    bad.write_text(good + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(QuestionBankError) as err:
        load_questions(bad)
    n = len(good.splitlines()) + 1
    assert f"{bad}, line {n}" in str(err.value) and message in str(err.value)


def test_a_bad_header_is_reported(tmp_path):
    bad = tmp_path / "q.csv"
    bad.write_text("id,stage,text\n", encoding="utf-8")
    with pytest.raises(QuestionBankError, match="line 1: the header"):
        load_questions(bad)


def test_stage_times_add_up_and_exploration_is_longest():
    for minutes in (6, 8, 10, 30, 40, 45):
        seconds = stage_seconds(minutes)
        assert sum(seconds) == minutes * 60
        assert max(seconds) == seconds[STAGES.index("exploration")]


def test_timer_walks_the_stages_with_a_fake_clock(clock):
    t = PracticeTimer(10, clock)
    assert t.stage == "attention" and not t.running
    t.start()
    clock.advance(59)
    t.update()
    assert t.stage == "attention" and round(t.stage_left) == 1
    clock.advance(2)  # 61 s: attention (60 s) is over
    t.update()
    assert t.stage == "purpose"
    clock.advance(60 + 300)  # purpose and exploration
    t.update()
    assert t.stage == "exchange"
    t.pause()
    clock.advance(1000)  # paused: the clock does not count
    t.update()
    assert t.stage == "exchange"
    t.start()
    clock.advance(120 + 60)
    t.update()
    assert t.finished and not t.running and t.total_left == 0


def test_a_stage_can_be_advanced_by_hand(clock):
    t = PracticeTimer(40, clock)
    t.start()
    for expected in STAGES[1:]:
        t.next_stage()
        assert t.stage == expected
        assert t.stage_left == t.durations[t.index]
    t.next_stage()
    assert t.finished


def test_the_widget_shows_stage_prompts_and_time(app, clock):
    assert "Stage 1 of 5: Attention" in app.stage_html.value
    app.start_button.click()
    clock.advance(50)  # 8-minute workshop round: attention is 48 s
    app.tick()
    assert "Stage 2 of 5: Purpose" in app.stage_html.value
    assert "Say in one or two sentences why you asked to meet" in app.stage_html.value
    assert "(now)" in app.stages_html.value and "(done)" in app.stages_html.value
    app.next_button.click()
    assert "Stage 3 of 5: Exploration" in app.stage_html.value
    assert "Time left in this stage: <strong>4:00</strong>" in app.clock_html.value
    app.reset_button.click()
    assert "Stage 1 of 5" in app.stage_html.value and "ready to start" in app.stage_html.value


def test_the_real_meeting_mode_is_30_to_45_minutes(app):
    app.mode.value = "meeting"
    assert (app.minutes.min, app.minutes.max, app.minutes.value) == (30, 45, 40)
    assert sum(app.timer.durations) == 40 * 60
    app.mode.value = "workshop"
    assert (app.minutes.min, app.minutes.max, app.minutes.value) == (6, 10, 8)


def test_plan_questions_by_stage_and_purpose(app, tmp_path):
    app.purpose.value = "resident"
    app.stage.value = "exploration"
    shown = [cb.question for cb in app.question_boxes.children]
    assert shown and all(q.stage == "exploration" and q.fits("resident") for q in shown)
    app.question_boxes.children[0].value = True
    app.question_boxes.children[1].value = True
    assert app.add_ticked() == 2
    app.stage.value = "commitment"
    app.question_boxes.children[0].value = True
    app.add_button.click()
    assert len(app.plan) == 3
    assert "Exploration" in app.plan_html.value and "Commitment" in app.plan_html.value
    app.purpose_text.value = "I want to <learn> what the estate cares about."
    path = app.export_plan()
    text = path.read_text(encoding="utf-8")
    assert "## Exploration" in text and shown[0].question in text
    assert "&lt;learn&gt;" not in text  # Markdown file keeps the words as typed
    assert "data:text/markdown" in app.plan_status.value
    app.clear_button.click()
    assert app.plan == []


def test_adding_nothing_says_so(app):
    assert app.add_ticked() == 0
    assert "Problem:" in app.plan_status.value


def test_reflection_form_goes_to_the_log(app, tmp_path):
    app.person.value = "JB"
    app.met_on.value = date(2026, 3, 2)
    app.interests.value = "Her son's school; fairness for carers"
    app.resources.value = "Runs the tenants' WhatsApp group"
    app.exchanged.value = "I shared my story; she offered introductions"
    app.commitment.value = "Meet again on 1 April; she will invite two neighbours"
    app.follow_up.value = date(2026, 4, 1)
    app.save_button.click()
    assert "Saved your one-to-one with JB" in app.reflect_status.value
    assert app.person.value == "" and app.commitment.value == ""
    frame = RelationshipLog(tmp_path).frame(today=date(2026, 4, 2))
    assert list(frame["person"]) == ["JB"]
    assert bool(frame.loc[0, "follow_up_due"])


def test_reflection_needs_a_person_and_a_sensible_follow_up(app):
    app.person.value = ""
    app.save_button.click()
    assert "Problem:" in app.reflect_status.value and "who you met" in app.reflect_status.value
    app.person.value = "AB"
    app.met_on.value = date(2026, 3, 2)
    app.follow_up.value = date(2026, 3, 1)
    assert app.save_reflection() is None
    assert "before the meeting" in app.reflect_status.value


def test_question_text_is_escaped(tmp_path, clock):
    from relational.widgets.one_to_one import Question

    q = Question("x1", "attention", "<script>alert(1)</script>", ("any",), "why")
    app = OneToOne(home=tmp_path, clock=clock, questions=[q])
    app.stage.value = "attention"
    app.question_boxes.children[0].value = True
    app.add_ticked()
    assert "<script>" not in app.plan_html.value and "&lt;script&gt;" in app.plan_html.value
