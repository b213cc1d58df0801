"""One-to-one planner and practice: choose a purpose, pick questions by stage, practise with a timer, then reflect.

The question bank is `data/one_to_one/questions.csv` (schema in that folder's README.md), checked when it loads.
The practice timer is plain Python with an injected clock, so tests (and a facilitator) can drive it by hand.
"""

from __future__ import annotations

import asyncio
import base64
import csv
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

import ipywidgets as widgets

from relational.paths import data_dir
from relational.widgets import _common as ui
from relational.widgets.log import LogError, Reflection, RelationshipLog

STAGES: tuple[str, ...] = ("attention", "purpose", "exploration", "exchange", "commitment")
STAGE_NAMES = {
    "attention": "Attention", "purpose": "Purpose", "exploration": "Exploration", "exchange": "Exchange",
    "commitment": "Commitment",
}
# Most of a one-to-one is exploration; the shares add up to 1.
STAGE_SHARES = {"attention": 0.1, "purpose": 0.1, "exploration": 0.5, "exchange": 0.2, "commitment": 0.1}
STAGE_PROMPTS = {
    "attention": "Settle in and give each other your full attention. Phones away. Ask how they are, and listen.",
    "purpose": "Say in one or two sentences why you asked to meet. Check that it makes sense to them.",
    "exploration": "Ask open questions about their interests, values and resources. Ask 'why?' and 'when did you "
                   "learn that?'. Listen far more than you talk.",
    "exchange": "Share something of your own story and what you can offer. Ask what would be useful to them.",
    "commitment": "Agree something specific: another meeting, an introduction, or a clear ask, with a date.",
}
PURPOSES = {
    "get_to_know": "Get to know a colleague or partner",
    "resident": "Build a relationship with a resident or community group",
    "shared_problem": "Explore a problem we share",
    "recruit": "Invite someone to act with me",
    "follow_up": "Follow up an earlier one-to-one",
}
MODES = {
    "workshop": ("Workshop practice round (6 to 10 minutes)", 6, 10, 8),
    "meeting": ("Real one-to-one (30 to 45 minutes)", 30, 45, 40),
}
COLUMNS = ("id", "stage", "question", "purposes", "why")


class QuestionBankError(ValueError):
    """The question bank file is malformed; the message names the file and the line."""


@dataclass(frozen=True)
class Question:
    """One question from the bank."""

    id: str
    stage: str
    question: str
    purposes: tuple[str, ...]
    why: str

    def fits(self, purpose: str | None) -> bool:
        """Whether the question suits a purpose (questions tagged 'any' suit every purpose)."""
        return not purpose or "any" in self.purposes or purpose in self.purposes


def load_questions(path: Path | None = None) -> list[Question]:
    """Read and check the question bank.

    Raises:
        QuestionBankError: naming the file and line of the first problem found.
    """
    path = Path(path) if path is not None else data_dir() / "one_to_one" / "questions.csv"
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as err:
        raise QuestionBankError(f"{path}: cannot be read ({err.strerror or err}).") from err
    lines = raw.splitlines()
    numbered = [(i, line) for i, line in enumerate(lines, start=1) if line.strip() and not line.startswith("#")]
    if not numbered:
        raise QuestionBankError(f"{path}: the file is empty.")
    header_line, header = numbered[0]
    reader = csv.reader([line for _, line in numbered])
    columns = next(reader)
    if tuple(c.strip() for c in columns) != COLUMNS:
        raise QuestionBankError(f"{path}, line {header_line}: the header must be {','.join(COLUMNS)}; found {header!r}.")
    questions, seen = [], set()
    for (number, _), row in zip(numbered[1:], reader):
        where = f"{path}, line {number}"
        if len(row) != len(COLUMNS):
            raise QuestionBankError(f"{where}: expected {len(COLUMNS)} columns, found {len(row)} "
                                    "(put a question that contains a comma in double quotes).")
        qid, stage, question, purposes, why = (c.strip() for c in row)
        if not qid or qid in seen:
            raise QuestionBankError(f"{where}: the id {qid!r} is empty or used twice.")
        if stage not in STAGES:
            raise QuestionBankError(f"{where}: unknown stage {stage!r}; use one of {', '.join(STAGES)}.")
        if not question:
            raise QuestionBankError(f"{where}: the question is empty.")
        tags = tuple(t.strip() for t in purposes.split(";") if t.strip())
        unknown = [t for t in tags if t != "any" and t not in PURPOSES]
        if not tags or unknown or ("any" in tags and len(tags) > 1):
            raise QuestionBankError(f"{where}: purposes must be 'any' or one or more of {', '.join(PURPOSES)} "
                                    f"separated by ';' (found {purposes!r}).")
        seen.add(qid)
        questions.append(Question(qid, stage, question, tags, why))
    return questions


# -- the practice timer ------------------------------------------------------------------------------------------
def stage_seconds(minutes: int) -> list[int]:
    """Seconds for each stage of a practice of so many minutes (whole seconds that add up to the total)."""
    total = int(minutes * 60)
    out = [int(total * STAGE_SHARES[s]) for s in STAGES]
    out[STAGES.index("exploration")] += total - sum(out)
    return out


class PracticeTimer:
    """Walks a pair through the five stages; the clock is injected so it can be tested without waiting."""

    def __init__(self, minutes: int, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self.set_length(minutes)

    def set_length(self, minutes: int) -> None:
        """Set the practice length and start again from the first stage."""
        self.minutes = minutes
        self.durations = stage_seconds(minutes)
        self.reset()

    def reset(self) -> None:
        """Back to the start, stopped."""
        self.index = 0
        self.elapsed = 0.0
        self.running = False
        self.finished = False
        self._last: float | None = None

    def start(self) -> None:
        """Start or carry on."""
        if self.finished:
            return
        self._last = self.clock()
        self.running = True

    def pause(self) -> None:
        """Stop the clock (the stage and time are kept)."""
        self.update()
        self.running = False

    def update(self) -> None:
        """Move the clock on to now; stages change by themselves when their time is up."""
        if not self.running or self._last is None:
            return
        now = self.clock()
        delta, self._last = max(0.0, now - self._last), now
        while delta > 0 and not self.finished:
            left = self.durations[self.index] - self.elapsed
            if delta < left:
                self.elapsed += delta
                delta = 0
            else:
                delta -= left
                self._next()

    def next_stage(self) -> None:
        """Move on to the next stage by hand (a pair that is ready early, or a facilitator)."""
        self.update()
        self._next()
        if self.running:
            self._last = self.clock()

    def _next(self) -> None:
        if self.index >= len(STAGES) - 1:
            self.finished = True
            self.running = False
            self.elapsed = float(self.durations[self.index])
            return
        self.index += 1
        self.elapsed = 0.0

    @property
    def stage(self) -> str:
        return STAGES[self.index]

    @property
    def stage_left(self) -> float:
        """Seconds left in the current stage."""
        return max(0.0, self.durations[self.index] - self.elapsed)

    @property
    def total_left(self) -> float:
        """Seconds left in the whole practice."""
        return self.stage_left + sum(self.durations[self.index + 1:])


def _mmss(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def _minutes_words(seconds: float) -> str:
    m, s = divmod(int(round(seconds)), 60)
    parts = [f"{m} minute{'s' if m != 1 else ''}"] if m else []
    if s or not m:
        parts.append(f"{s} second{'s' if s != 1 else ''}")
    return " ".join(parts)


class OneToOne:
    """Planner, practice timer and reflection form; `.box` is what is displayed."""

    def __init__(self, home: Path | None = None, clock: Callable[[], float] = time.monotonic,
                 questions: list[Question] | None = None, tick_seconds: float = 1.0):
        self.home = Path(home) if home is not None else ui.learner_home()
        self.log = RelationshipLog(self.home)
        self.questions = questions if questions is not None else load_questions()
        self.plan: list[Question] = []
        self.tick_seconds = tick_seconds
        self._ticker: asyncio.Task | None = None

        # Plan
        self.purpose = ui.dropdown("What is the one-to-one for?", options=[(v, k) for k, v in PURPOSES.items()],
                                   value="get_to_know")
        self.purpose_text = ui.text("Your purpose in one sentence (you will say it near the start)",
                                    placeholder="I asked to meet because ...")
        self.stage = ui.dropdown("Show questions for the stage", options=[(STAGE_NAMES[s], s) for s in STAGES],
                                 value="exploration")
        self.question_boxes = widgets.VBox([])
        self.add_button = ui.button("Add the ticked questions to my plan")
        self.clear_button = ui.button("Clear my plan", secondary=True)
        self.export_button = ui.button("Save my plan as Markdown", secondary=True)
        self.plan_html = widgets.HTML("")
        self.plan_status = ui.status()

        # Practise
        self.mode = ui.dropdown("Kind of practice", options=[(v[0], k) for k, v in MODES.items()], value="workshop")
        self.minutes = ui.stacked(widgets.BoundedIntText(value=8, min=6, max=10, step=1, description="Length in minutes",
                                                         description_allow_html=False))
        self.timer = PracticeTimer(self.minutes.value, clock)
        self.start_button = ui.button("Start")
        self.pause_button = ui.button("Pause", secondary=True)
        self.next_button = ui.button("Next stage", secondary=True)
        self.reset_button = ui.button("Start again", secondary=True)
        self.stage_html = widgets.HTML("")
        self.clock_html = widgets.HTML("")
        self.stages_html = widgets.HTML("")

        # Reflect
        self.person = ui.text("Who did you meet? (a name or initials)")
        self.met_on = ui.stacked(widgets.DatePicker(value=date.today(), description="Date of the one-to-one",
                                                    description_allow_html=False))
        self.interests = ui.textarea("Interests and values you heard", rows=3)
        self.resources = ui.textarea("Resources they have (skills, time, contacts, places)", rows=3)
        self.exchanged = ui.textarea("What was exchanged, both ways", rows=3)
        self.commitment = ui.textarea("The commitment you made (who will do what, by when)", rows=2)
        self.follow_up = ui.stacked(widgets.DatePicker(value=None, description="Follow-up date",
                                                       description_allow_html=False))
        self.save_button = ui.button("Save to my relationship log")
        self.reflect_status = ui.status()

        self.stage.observe(lambda _: self._show_questions(), names="value")
        self.purpose.observe(lambda _: self._show_questions(), names="value")
        self.add_button.on_click(lambda _: self.add_ticked())
        self.clear_button.on_click(lambda _: self.clear_plan())
        self.export_button.on_click(lambda _: self.export_plan())
        self.mode.observe(self._on_mode, names="value")
        self.minutes.observe(lambda _: self._set_length(), names="value")
        self.start_button.on_click(lambda _: self.start())
        self.pause_button.on_click(lambda _: self.pause())
        self.next_button.on_click(lambda _: self.next_stage())
        self.reset_button.on_click(lambda _: self.reset())
        self.save_button.on_click(lambda _: self.save_reflection())

        self.box = ui.app_box([
            ui.heading("1. Plan"),
            ui.help_text("Choose what the one-to-one is for, then pick a few questions for each stage. "
                         "You will not ask them all: they are there if the conversation needs them."),
            self.purpose, self.purpose_text, self.stage, self.question_boxes,
            ui.buttons(self.add_button, self.clear_button, self.export_button),
            self.plan_status, self.plan_html,
            ui.heading("2. Practise"),
            ui.help_text("Work in pairs. The timer walks you through the five stages; move on early with "
                         "'Next stage'. Most of the time goes on exploration."),
            self.mode, self.minutes,
            ui.buttons(self.start_button, self.pause_button, self.next_button, self.reset_button),
            self.stage_html, self.clock_html, self.stages_html,
            ui.heading("3. Reflect"),
            ui.help_text("Straight after the one-to-one, note what you heard. It is saved in your relationship log, "
                         "in your own folder."),
            self.person, self.met_on, self.interests, self.resources, self.exchanged, self.commitment,
            self.follow_up, ui.buttons(self.save_button), self.reflect_status,
        ])
        self._show_questions()
        self._show_plan()
        self.render_timer()

    # -- plan ---------------------------------------------------------------------------------------------------
    def questions_for(self, stage: str, purpose: str | None = None) -> list[Question]:
        """The bank's questions for a stage that suit the purpose."""
        return [q for q in self.questions if q.stage == stage and q.fits(purpose)]

    def _show_questions(self) -> None:
        boxes = []
        for q in self.questions_for(self.stage.value, self.purpose.value):
            cb = widgets.Checkbox(value=q in self.plan, description=q.question, description_allow_html=False,
                                  indent=False, tooltip=q.why)
            cb.question = q  # type: ignore[attr-defined]
            boxes.append(cb)
        self.question_boxes.children = boxes

    def add_ticked(self) -> int:
        """Add the ticked questions to the plan; returns how many were added."""
        added = 0
        for cb in self.question_boxes.children:
            if cb.value and cb.question not in self.plan:
                self.plan.append(cb.question)
                added += 1
        if added:
            self.plan_status.value = ui.status_html(f"Added {added} question{'s' if added != 1 else ''} to your plan.")
        else:
            self.plan_status.value = ui.status_html("Tick one or more questions first.", ok=False)
        self._show_plan()
        return added

    def clear_plan(self) -> None:
        self.plan = []
        self._show_questions()
        self._show_plan()
        self.plan_status.value = ui.status_html("Your plan is empty again.")

    def plan_markdown(self) -> str:
        """The plan as Markdown: purpose, then the chosen questions stage by stage."""
        lines = ["# My one-to-one plan", "", f"What it is for: {PURPOSES[self.purpose.value]}"]
        if self.purpose_text.value.strip():
            lines += ["", f"My purpose, in one sentence: {self.purpose_text.value.strip()}"]
        for stage in STAGES:
            chosen = [q for q in self.plan if q.stage == stage]
            lines += ["", f"## {STAGE_NAMES[stage]}", "", f"*{STAGE_PROMPTS[stage]}*", ""]
            lines += [f"- {q.question}" for q in chosen] or ["- (no questions chosen)"]
        return "\n".join(lines) + "\n"

    def _show_plan(self) -> None:
        if not self.plan:
            self.plan_html.value = "<p>Your plan has no questions yet.</p>"
            return
        parts = ['<p><strong>Your plan</strong></p>']
        for stage in STAGES:
            chosen = [q for q in self.plan if q.stage == stage]
            if chosen:
                items = "".join(f"<li>{ui.esc(q.question)}</li>" for q in chosen)
                parts.append(f"<p>{ui.esc(STAGE_NAMES[stage])}</p><ul>{items}</ul>")
        self.plan_html.value = "".join(parts)

    def export_plan(self) -> Path | None:
        """Save the plan as Markdown in the learner's folder and offer it as a download."""
        path = self.home / "plans" / f"one-to-one-plan-{date.today().isoformat()}.md"
        text = self.plan_markdown()
        try:
            ui.write_atomically(path, text)
        except OSError as err:
            self.plan_status.value = ui.status_html(f"Your plan was NOT saved to {path}: {err.strerror or err}.", ok=False)
            return None
        data = base64.b64encode(text.encode("utf-8")).decode("ascii")
        self.plan_status.value = (ui.status_html(f"Saved your plan to {path}.")
                                  + f'<p><a download="{ui.esc(path.name)}" href="data:text/markdown;charset=utf-8;'
                                    f'base64,{data}">Download {ui.esc(path.name)}</a></p>')
        return path

    # -- practise -----------------------------------------------------------------------------------------------
    def _on_mode(self, _change=None) -> None:
        _, low, high, default = MODES[self.mode.value]
        # Widen first so that the new value is always inside the bounds.
        self.minutes.min, self.minutes.max = min(low, self.minutes.min), max(high, self.minutes.max)
        self.minutes.value = default
        self.minutes.min, self.minutes.max = low, high
        self._set_length()

    def _set_length(self) -> None:
        self._stop_ticker()
        self.timer.set_length(self.minutes.value)
        self.render_timer()

    def start(self) -> None:
        self.timer.start()
        self.render_timer()
        self._start_ticker()

    def pause(self) -> None:
        self.timer.pause()
        self._stop_ticker()
        self.render_timer()

    def next_stage(self) -> None:
        self.timer.next_stage()
        self.render_timer()

    def reset(self) -> None:
        self._stop_ticker()
        self.timer.reset()
        self.render_timer()

    def tick(self) -> None:
        """Move the timer on to now and redraw (the kernel calls this every second while it runs)."""
        self.timer.update()
        self.render_timer()
        if not self.timer.running:
            self._stop_ticker()

    def _start_ticker(self) -> None:
        if self._ticker is not None and not self._ticker.done():
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no running kernel loop (a test): the caller drives tick() by hand
        self._ticker = loop.create_task(self._tick_forever())

    def _stop_ticker(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
            self._ticker = None

    async def _tick_forever(self) -> None:
        while self.timer.running:
            await asyncio.sleep(self.tick_seconds)
            self.timer.update()
            self.render_timer()

    def render_timer(self) -> None:
        """Show the current stage, its prompt, the time left and the list of stages."""
        t = self.timer
        if t.finished:
            self.stage_html.value = ('<p class="rl-big">Finished</p><p role="status">Time is up. Thank each other, then '
                                     "fill in the reflection below while it is fresh.</p>")
        else:
            state = "running" if t.running else ("paused" if t.elapsed else "ready to start")
            self.stage_html.value = (
                f'<p class="rl-big">Stage {t.index + 1} of {len(STAGES)}: {STAGE_NAMES[t.stage]}</p>'
                f'<p role="status">{ui.esc(STAGE_PROMPTS[t.stage])}</p><p>The timer is {state}.</p>')
        self.clock_html.value = (f"<p>Time left in this stage: <strong>{_mmss(t.stage_left)}</strong> "
                                 f"({_minutes_words(t.stage_left)}). Time left in all: {_mmss(t.total_left)}.</p>")
        items = []
        for i, stage in enumerate(STAGES):
            if t.finished or i < t.index:
                where, cls = "done", ""
            elif i == t.index:
                where, cls = "now", ' class="rl-stage-now"'
            else:
                where, cls = "to come", ""
            items.append(f"<li{cls}>{STAGE_NAMES[stage]}, {_minutes_words(t.durations[i])} ({where})</li>")
        self.stages_html.value = f'<ol aria-label="The five stages">{"".join(items)}</ol>'

    # -- reflect ------------------------------------------------------------------------------------------------
    def save_reflection(self) -> Reflection | None:
        """Save the reflection form to the relationship log; says clearly whether it worked."""
        purpose = self.purpose_text.value.strip() or PURPOSES[self.purpose.value]
        reflection = Reflection(
            person=self.person.value.strip(),
            date=self.met_on.value.isoformat() if self.met_on.value else "",
            purpose=purpose,
            interests_values=self.interests.value.strip(),
            resources=self.resources.value.strip(),
            exchanged=self.exchanged.value.strip(),
            commitment=self.commitment.value.strip(),
            follow_up=self.follow_up.value.isoformat() if self.follow_up.value else None,
        )
        try:
            self.log.add(reflection)
        except LogError as err:
            self.reflect_status.value = ui.status_html(str(err), ok=False)
            return None
        self.reflect_status.value = ui.status_html(
            f"Saved your one-to-one with {reflection.person} to your relationship log.")
        for box in (self.person, self.interests, self.resources, self.exchanged, self.commitment):
            box.value = ""
        self.follow_up.value = None
        return reflection


def one_to_one_planner(home=None) -> widgets.VBox:
    """Build the one-to-one planner, practice timer and reflection form (display it, or open it in Voila)."""
    return OneToOne(home).box
