"""Workshop tools for a group: story of us builder, coaching rounds, one-to-one pairing and the pledge board.

Thin wiring over `relational.workshop`: the store keeps every entry, `group`, `rota` and `pledges` do the work,
and this module only connects widgets to them. Importing it displays nothing and loads no model; the coach is
loaded the first time a story is added or a pledge is checked.

    from relational.widgets.workshop import workshop_member, workshop_facilitator
    workshop_member()
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import io
import os
import threading
import time
import uuid
import warnings
from pathlib import Path
from typing import Any, Callable

import ipywidgets as widgets

from relational.widgets import _common as ui
from relational.workshop.store import FAMILIES, StoreError, Store

FOLDER_ENV = "RELATIONAL_WORKSHOP"
DEFAULT_FOLDER = "./workshop"
DEFAULT_TARGET = 20
# The tab bar's own colours are too faint for WCAG AA; the current tab is also shown in bold, not by colour alone.
TAB_CSS = """<style>
.rl-app .lm-TabBar-tab { color: #1a1a1a !important; background: #f3f2f1 !important; font-size: 1rem;
  min-height: 2.2em; line-height: 2.2em; }
.rl-app .lm-TabBar-tab.lm-mod-current { background: #ffffff !important; font-weight: 700; }
.rl-app .lm-TabBar-tabLabel { color: #1a1a1a !important; }
.rl-app table.rl-table th { white-space: nowrap; }
.rl-app .relational-story-of-us table, .rl-app table.relational-rota, .rl-app table.relational-roles {
  border-collapse: collapse; margin: 0.6em 0; }
.rl-app .relational-story-of-us caption, .rl-app .relational-rota caption, .rl-app .relational-roles caption {
  text-align: left; font-weight: 700; }
.rl-app .relational-story-of-us th, .rl-app .relational-story-of-us td, .rl-app .relational-rota th,
.rl-app .relational-rota td, .rl-app .relational-roles th, .rl-app .relational-roles td {
  border: 1px solid #767676; padding: 0.2em 0.5em; text-align: left; vertical-align: top; }
</style>"""

KIND_OPTIONS = [("Story of self", "self"), ("Story of us", "us"), ("Story of now", "now")]
STAGES = {"telling": ("The teller tells their story", 2), "coaching": ("The coach gives feedback", 4)}

ROLE_CARDS = (
    ("Teller", "Tell your story in about two minutes. Take us to one moment: the challenge, your choice and "
               "what happened. When the coach speaks, listen and say thank you. You do not need to explain."),
    ("Coach", "Listen with your full attention. Then give feedback in four steps, in three or four minutes: "
              "what moved you, what values you heard, where you wanted more detail, and one suggestion. "
              "Write the four answers in the feedback form so the teller can keep them."),
    ("Timekeeper", "Run the timer. Say when one minute is left, and stop the group when time is up, kindly "
                   "but firmly. Then everyone moves on to the next role."),
)


def default_folder() -> str:
    """The workshop folder to suggest: RELATIONAL_WORKSHOP if set, or ./workshop."""
    return os.environ.get(FOLDER_ENV) or DEFAULT_FOLDER


def _names(text: str) -> list[str]:
    """One name a line; blank lines are ignored."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def run_safely(status: widgets.HTML, action: Callable[[], str | None]) -> bool:
    """Run action and show its message in status; any error becomes a clear message, never a traceback.

    Returns:
        bool: True if action finished without an error.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            message = action()
        except StoreError as error:
            status.value = ui.status_html(str(error), ok=False)
            return False
        except ValueError as error:
            status.value = ui.status_html(str(error), ok=False)
            return False
        except OSError as error:
            where = f" ({error.filename})" if error.filename else ""
            status.value = ui.status_html(f"{error.strerror or error}{where}. Nothing was saved.", ok=False)
            return False
        except Exception as error:  # a workshop in full flow must never see a traceback
            status.value = ui.status_html(
                f"Something unexpected went wrong ({type(error).__name__}: {error}). Nothing was saved. "
                "Please tell your facilitator.", ok=False)
            return False
    notes = [str(w.message) for w in caught if issubclass(w.category, (RuntimeWarning, UserWarning))]
    html_ = ui.status_html(message) if message else ""
    html_ += "".join(f'<p class="rl-help"><strong>Please note:</strong> {ui.esc(n)}</p>' for n in notes)
    status.value = html_
    return True


def _table(caption: str, head: list[str], rows: list[list[Any]], row_header: bool = True) -> str:
    """An accessible HTML table; every cell is escaped."""
    th = "".join(f'<th scope="col">{ui.esc(h)}</th>' for h in head)
    body = []
    for row in rows:
        first, rest = row[0], row[1:]
        cell = f'<th scope="row">{ui.esc(first)}</th>' if row_header else f"<td>{ui.esc(first)}</td>"
        body.append("<tr>" + cell + "".join(f"<td>{ui.esc(c)}</td>" for c in rest) + "</tr>")
    return (f'<div class="rl-table-wrap"><table class="rl-table"><caption>{ui.esc(caption)}</caption>'
            f'<thead><tr>{th}</tr></thead><tbody>{"".join(body)}</tbody></table></div>')


# --- the workshop folder -----------------------------------------------------------------------------------------

class WorkshopFolder:
    """The text field with the workshop folder's path, shared by every tool in a notebook.

    Args:
        path: the folder to show first (default: RELATIONAL_WORKSHOP, or ./workshop).
        facilitator: True adds a button that makes the folder and its board.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, facilitator: bool = False):
        self.facilitator = facilitator
        self.path = ui.text("Workshop folder (the same for everyone in the group)",
                            value=str(path) if path is not None else default_folder())
        self.status = ui.status()
        self.setup_button = ui.button("Set up or check this folder", secondary=True)
        self.setup_button.on_click(lambda _: self.set_up())
        if facilitator:
            help_ = ("Type the folder that holds the group's board, then set it up. Tell the group this path. "
                     "The board is the file workshop.sqlite in it.")
        else:
            help_ = "Your facilitator will tell you this folder. Leave it as it is unless they say otherwise."
        self.box = widgets.VBox([ui.help_text(help_), self.path] +
                                ([ui.buttons(self.setup_button)] if facilitator else []) + [self.status])

    @property
    def folder(self) -> Path:
        text = self.path.value.strip()
        if not text:
            raise ValueError("Type the workshop folder first.")
        return Path(text).expanduser()

    def open(self, create: bool = True) -> Store:
        """Open the board in the folder (making workshop.sqlite there if create and it has none)."""
        folder = self.folder
        if not folder.is_dir():
            raise ValueError(f"The workshop folder {folder} does not exist. Check the path with your facilitator.")
        return Store(folder, create=create)

    def set_up(self) -> bool:
        """Make the folder and its board if needed, and say what is on it."""
        def action() -> str:
            folder = self.folder
            folder.mkdir(parents=True, exist_ok=True)
            with Store(folder, create=True) as store:
                counts = store.counts()
                path = store.path.resolve()
            return (f"The board is ready at {path}. It holds {counts['stories']} stories, {counts['pledges']} "
                    f"pledges and {counts['feedback']} feedback forms from {counts['members']} people.")
        return run_safely(self.status, action)


# --- story of us -------------------------------------------------------------------------------------------------

def _family_label(family: str) -> str:
    from relational.workshop.group import FAMILY_LABELS  # pandas: only when a story is shown

    return FAMILY_LABELS.get(family, family)


class StoryShare:
    """A member adds their story of self (or its key moments) to the workshop, or only the values in it."""

    def __init__(self, folder: WorkshopFolder):
        self.folder = folder
        self.who = ui.text("Your name", placeholder="The name the group knows you by")
        self.kind = ui.dropdown("Which story", KIND_OPTIONS, value="self")
        self.text = ui.textarea("Your story, or its key moments", rows=8,
                                placeholder="Paste your story of self, or write its key moments: the challenge, "
                                            "your choice and what happened.")
        self.values_only = widgets.Checkbox(value=False, description="Share only the values found, not my text",
                                            description_allow_html=False, indent=False)
        self.add_button = ui.button("Add to the workshop")
        self.status = ui.status()
        self.shared = widgets.HTML("")
        self._id = str(uuid.uuid4())
        self.add_button.on_click(lambda _: self.add())
        self.box = widgets.VBox([
            ui.heading("Add your story"),
            ui.help_text("The story coach finds the values in your story. The group sees the values, and the "
                         "phrases that more than one person used. Tick the box below to keep your words private: "
                         "then only the values found are shared, and your text is not saved anywhere."),
            self.who, self.kind, self.text, self.values_only, ui.buttons(self.add_button), self.status, self.shared])

    def add(self) -> bool:
        """Find the values with the coach and add the story (or only its values) to the board."""
        def action() -> str:
            from relational.workshop.group import add_story  # loads the coach: only when a story is added

            share = not self.values_only.value
            with self.folder.open() as store:
                added = add_story(store, self.who.value, self.text.value, kind=self.kind.value, share_text=share,
                                  id=self._id)
            self._id = str(uuid.uuid4())
            story = added.entry
            if story.values:
                items = "".join(f"<li>{ui.esc(v.text)} ({ui.esc(_family_label(v.family))})</li>"
                                for v in story.values)
                self.shared.value = f"<p><strong>Values shared with the group</strong></p><ul>{items}</ul>"
            else:
                self.shared.value = ("<p>The coach found no values language in this story, so no values were "
                                     "shared. Try naming what mattered to you in the moment you describe.</p>")
            kept = ("Your text was shared with the group." if story.shared
                    else "Only the values were shared: your text was not saved.")
            if not added.new:
                return f"This story was already on the board, so it was not added twice. {kept}"
            return f"Thank you, {story.who}: your story is on the board. {kept}"
        return run_safely(self.status, action)


class StoryOfUs:
    """The facilitator's view: members by value family (table and heatmap), shared phrases, experiences, prompts."""

    def __init__(self, folder: WorkshopFolder):
        self.folder = folder
        self.refresh_button = ui.button("Refresh: read the board again")
        self.status = ui.status()
        self.matrix = widgets.HTML("")
        self.heatmap = widgets.HTML("")
        self.picture = widgets.HTML("")
        self.refresh_button.on_click(lambda _: self.refresh())
        self.box = widgets.VBox([
            ui.heading("Story of us: what the group shares"),
            ui.help_text("Each member adds their story in the member notebook. Press Refresh to see what the "
                         "stories share. Only values and short shared phrases are shown here, never whole stories."),
            ui.buttons(self.refresh_button), self.status, self.matrix, self.heatmap, self.picture])

    def refresh(self) -> bool:
        """Read the stories from the board and show the group's picture."""
        def action() -> str:
            from relational.workshop.group import build_picture, heatmap, heatmap_alt_text

            with self.folder.open(create=False) as store:
                stories = store.stories()
            if not stories:
                self.matrix.value = self.heatmap.value = self.picture.value = ""
                return "No stories on the board yet. Ask the group to add theirs, then press Refresh."
            picture = build_picture(stories)
            m = picture.matrix
            families = [f for f in FAMILIES if f in m.columns]
            rows = [[name, *(int(m.at[name, f]) for f in families)] for name in m.index]
            self.matrix.value = _table("Value mentions: members by value family",
                                       ["Member", *(_family_label(f) for f in families)], rows)
            figure = heatmap(m)
            buffer = io.BytesIO()
            figure.savefig(buffer, format="png", dpi=90)
            data = base64.b64encode(buffer.getvalue()).decode("ascii")
            self.heatmap.value = (f'<figure><img src="data:image/png;base64,{data}" '
                                  f'alt="{ui.esc(heatmap_alt_text(m))}" style="max-width: 100%; height: auto">'
                                  "<figcaption>The same counts as the table above, as a heatmap. Every cell shows "
                                  "its number.</figcaption></figure>")
            self.picture.value = picture.to_html()
            return f"Read {len(stories)} stories from {picture.members} members."
        return run_safely(self.status, action)


# --- coaching rounds ----------------------------------------------------------------------------------------------

def role_cards_html() -> str:
    """The three role cards for a coaching trio."""
    cards = "".join(f"<li><strong>{ui.esc(role)}.</strong> {ui.esc(text)}</li>" for role, text in ROLE_CARDS)
    return ('<div class="rl-role-cards"><p><strong>Role cards</strong> (swap roles each turn, until everyone has '
            f"had each one)</p><ul>{cards}</ul></div>")


def _call_later(delay: float, fn: Callable[[], None]) -> Any:
    """Call fn after delay seconds on the kernel's event loop (or a timer thread when there is no loop)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        loop = None
    if loop is not None:
        return loop.call_later(delay, fn)
    timer = threading.Timer(delay, fn)
    timer.daemon = True
    timer.start()
    return timer


class RoundTimer:
    """A countdown for one stage of a coaching turn, with a one-minute warning in words.

    Args:
        clock: seconds from a monotonic clock (inject a fake one to test).
        ticker: schedules the next tick, as ticker(delay, fn); None means ticks only happen when tick() is called.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic,
                 ticker: Callable[[float, Callable[[], None]], Any] | None = _call_later):
        self.clock = clock
        self.ticker = ticker
        self.stage = ui.dropdown("Stage", [(f"{label} ({minutes} minutes)", key)
                                           for key, (label, minutes) in STAGES.items()], value="telling")
        self.minutes = ui.stacked(widgets.BoundedIntText(value=STAGES["telling"][1], min=1, max=60,
                                                         description="Minutes", description_allow_html=False))
        self.start_button = ui.button("Start the timer")
        self.stop_button = ui.button("Stop", secondary=True)
        self.display = widgets.HTML("")
        self.status = ui.status()
        self.deadline: float | None = None
        self.warned = False
        self._handle: Any = None
        self.stage.observe(lambda change: setattr(self.minutes, "value", STAGES[change["new"]][1]), names="value")
        self.start_button.on_click(lambda _: self.start())
        self.stop_button.on_click(lambda _: self.stop())
        self._show(self.minutes.value * 60)
        self.box = widgets.VBox([ui.heading("Round timer"), self.stage, self.minutes,
                                 ui.buttons(self.start_button, self.stop_button), self.display, self.status])

    @property
    def running(self) -> bool:
        return self.deadline is not None

    def remaining(self) -> float:
        """Seconds left (0 when time is up or the timer is stopped)."""
        return 0.0 if self.deadline is None else max(0.0, self.deadline - self.clock())

    def _show(self, seconds: float) -> None:
        whole = int(seconds + 0.999)
        self.display.value = (f'<p class="rl-big" role="timer" aria-label="Time left">'
                              f"{whole // 60}:{whole % 60:02d} left</p>")

    def start(self) -> None:
        """Start (or restart) the countdown from the chosen number of minutes."""
        self._cancel()
        self.deadline = self.clock() + self.minutes.value * 60
        self.warned = self.minutes.value <= 1
        self.status.value = ui.status_html(f"Timer started: {self.minutes.value} minutes for this stage.")
        self.tick()

    def stop(self) -> None:
        """Stop the countdown."""
        self._cancel()
        if self.deadline is not None:
            self.deadline = None
            self.status.value = ui.status_html("Timer stopped.")
        self._show(self.minutes.value * 60)

    def tick(self) -> None:
        """Update the display; warn at one minute; say so when time is up."""
        if self.deadline is None:
            return
        left = self.remaining()
        self._show(left)
        if left <= 0:
            self.deadline = None
            self._cancel()
            self.status.value = ui.status_html("Time is up. Thank the teller, then swap roles.")
            return
        if left <= 60 and not self.warned:
            self.warned = True
            self.status.value = ui.status_html("One minute left.")
        if self.ticker is not None:
            self._handle = self.ticker(min(1.0, left), self.tick)

    def _cancel(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None


class FeedbackForm:
    """The coach's feedback for the teller, in the four steps of the coaching protocol, saved to the board."""

    def __init__(self, folder: WorkshopFolder):
        self.folder = folder
        self.round = ui.stacked(widgets.BoundedIntText(value=1, min=1, max=100, description="Coaching round",
                                                       description_allow_html=False))
        self.teller = ui.text("Teller: whose story was it?")
        self.coach = ui.text("Coach: your name")
        self.timekeeper = ui.text("Timekeeper (optional)")
        self.moved = ui.textarea("1. What moved you?", rows=3, placeholder="The moment or detail that moved you.")
        self.values_heard = ui.textarea("2. What values did you hear?", rows=3)
        self.more_detail = ui.textarea("3. Where did you want more detail?", rows=3)
        self.suggestion = ui.textarea("4. One suggestion", rows=3, placeholder="Only one: the one that would help most.")
        self.save_button = ui.button("Save the feedback form")
        self.status = ui.status()
        self._id = str(uuid.uuid4())
        self.save_button.on_click(lambda _: self.save())
        self.box = widgets.VBox([
            ui.heading("Feedback form"),
            ui.help_text("The coach fills this in after each turn. It is saved on the workshop board for the teller."),
            self.round, self.teller, self.coach, self.timekeeper, self.moved, self.values_heard, self.more_detail,
            self.suggestion, ui.buttons(self.save_button), self.status])

    def save(self) -> bool:
        """Save the form to the board; on success the four answers are cleared for the next turn."""
        def action() -> str:
            with self.folder.open() as store:
                added = store.add_feedback(
                    self.teller.value, self.coach.value, timekeeper=self.timekeeper.value.strip() or None,
                    round=int(self.round.value), moved=self.moved.value, values_heard=self.values_heard.value,
                    more_detail=self.more_detail.value, suggestion=self.suggestion.value, id=self._id)
            self._id = str(uuid.uuid4())
            for box in (self.moved, self.values_heard, self.more_detail, self.suggestion):
                box.value = ""
            form = added.entry
            if not added.new:
                return f"This form was already saved for {form.teller}, so it was not added twice."
            return f"Saved your feedback for {form.teller} (round {form.round})."
        return run_safely(self.status, action)


class NamesInput:
    """A list of names typed one a line, or loaded from everyone who has written to the board."""

    def __init__(self, folder: WorkshopFolder, label: str, status: widgets.HTML):
        self.folder = folder
        self.status = status
        self.names = ui.textarea(label, rows=8, placeholder="One name a line")
        self.load_button = ui.button("Load everyone on the board", secondary=True)
        self.load_button.on_click(lambda _: self.load())

    def load(self) -> bool:
        """Fill the list with everyone who has added something to the board."""
        def action() -> str:
            with self.folder.open(create=False) as store:
                people = store.members()
            if not people:
                return "Nobody has written to the board yet: type the names instead."
            self.names.value = "\n".join(people)
            return f"Loaded {len(people)} names from the board."
        return run_safely(self.status, action)


class TrioPlanner:
    """The facilitator splits the room into coaching trios, with the roles for each turn."""

    def __init__(self, folder: WorkshopFolder):
        self.status = ui.status()
        self.people = NamesInput(folder, "Who is here (one name a line)", self.status)
        self.sessions = ui.stacked(widgets.BoundedIntText(value=1, min=1, max=6, description="Coaching rounds",
                                                          description_allow_html=False))
        self.make_button = ui.button("Make the trios")
        self.cards = widgets.HTML("")
        self.make_button.on_click(lambda _: self.make())
        self.box = widgets.VBox([
            ui.heading("Coaching trios"),
            ui.help_text("Groups of three: a teller, a coach and a timekeeper. If the numbers do not divide by "
                         "three, one or two groups have four, and the fourth person listens."),
            self.people.names, ui.buttons(self.people.load_button), self.sessions, ui.buttons(self.make_button),
            self.status, self.cards])

    def make(self) -> bool:
        """Make the groups and show who takes which role in each turn."""
        def action() -> str:
            from relational.workshop.rota import coaching_rounds

            sessions = coaching_rounds(_names(self.people.names.value), int(self.sessions.value))
            self.cards.value = "\n".join(s.to_html() for s in sessions)
            groups = len(sessions[0].groups)
            return f"{groups} groups for {len(_names(self.people.names.value))} people."
        return run_safely(self.status, action)


# --- one-to-one pairing ------------------------------------------------------------------------------------------

class PairingRota:
    """The facilitator's rota of one-to-one rounds: new partners each round, a trio when numbers are odd."""

    def __init__(self, folder: WorkshopFolder):
        self.status = ui.status()
        self.people = NamesInput(folder, "Who is here (one name a line)", self.status)
        self.rounds = ui.stacked(widgets.BoundedIntText(value=5, min=1, max=12, description="Number of rounds",
                                                        description_allow_html=False))
        self.make_button = ui.button("Make the rota")
        self.show_round = ui.dropdown("Show round", [("Round 1", 1)], value=1)
        self.show_round.layout.display = "none"
        self.current = widgets.HTML("")
        self.table = widgets.HTML("")
        self.rota: Any = None
        self.make_button.on_click(lambda _: self.make())
        self.show_round.observe(lambda _: self._show_current(), names="value")
        self.box = widgets.VBox([
            ui.heading("One-to-one pairs"),
            ui.help_text("Everyone meets someone new each round. With an odd number, one group is a trio, and "
                         "the trio changes every round, so nobody sits out."),
            self.people.names, ui.buttons(self.people.load_button), self.rounds, ui.buttons(self.make_button),
            self.status, self.show_round, self.current, self.table])

    def make(self) -> bool:
        """Make the rota and show it round by round."""
        def action() -> str:
            from relational.workshop.rota import minimum_repeats, pair_rounds

            names = _names(self.people.names.value)
            rota = pair_rounds(names, int(self.rounds.value))
            self.rota = rota
            self.show_round.options = [(f"Round {i}", i) for i in range(1, len(rota.rounds) + 1)]
            self.show_round.value = 1
            self.show_round.layout.display = None
            self._show_current()
            self.table.value = f'<div class="rl-table-wrap">{rota.to_html()}</div>'
            trio = " One group each round is a trio." if len(names) % 2 else ""
            repeats = rota.repeats()
            met = ("Nobody meets the same person twice." if repeats == 0 else
                   f"{repeats} meetings repeat a partner: the fewest possible is "
                   f"{minimum_repeats(len(names), len(rota.rounds))}.")
            return f"A rota of {len(rota.rounds)} rounds for {len(names)} people.{trio} {met}"
        return run_safely(self.status, action)

    def _show_current(self) -> None:
        if self.rota is None or not self.show_round.value:
            return
        number = self.show_round.value
        groups = self.rota.rounds[number - 1]
        items = "".join("<li>" + " and ".join(ui.esc(p) for p in group) + (" (a trio)" if len(group) == 3 else "")
                        + "</li>" for group in groups)
        self.current.value = f'<p class="rl-big">Round {number}</p><ul class="rl-help">{items}</ul>'


# --- pledge board ------------------------------------------------------------------------------------------------

class PledgeBoard:
    """Add a pledge (who, what, by when) and see the whole board with a count against the target."""

    def __init__(self, folder: WorkshopFolder, target: int = DEFAULT_TARGET):
        self.folder = folder
        self.who = ui.text("Your name")
        self.what = ui.textarea("What you will do", rows=3,
                                placeholder="For example: I will meet three residents on the Moor Lane estate "
                                            "before the end of June.")
        self.by = ui.text("By when (for example 30/06/2026)")
        self.target = ui.stacked(widgets.BoundedIntText(value=target, min=1, max=100_000,
                                                        description="The group's target (number of pledges)",
                                                        description_allow_html=False))
        self.add_button = ui.button("Add my pledge")
        self.refresh_button = ui.button("Refresh the board", secondary=True)
        self.status = ui.status()
        self.board = widgets.HTML("")
        self._id = str(uuid.uuid4())
        self.add_button.on_click(lambda _: self.add())
        self.refresh_button.on_click(lambda _: self.refresh())
        self.box = widgets.VBox([
            ui.heading("Pledge board"),
            ui.help_text("Say what you will do, and by when. The story coach flags a pledge that could be more "
                         "specific, so you can sharpen it."),
            self.who, self.what, self.by, ui.buttons(self.add_button), self.target, ui.buttons(self.refresh_button),
            self.status, self.board])

    def add(self) -> bool:
        """Add the pledge to the board, then show the board."""
        def action() -> str:
            with self.folder.open() as store:
                added = store.add_pledge(self.who.value, self.what.value, self.by.value, id=self._id)
                pledges = store.pledges()
            self._id = str(uuid.uuid4())
            self.what.value = ""
            self.by.value = ""
            self._show(pledges)
            if not added.new:
                return "This pledge was already on the board, so it was not added twice."
            return f"Thank you, {added.entry.who}: your pledge is on the board."
        return run_safely(self.status, action)

    def refresh(self) -> bool:
        """Read the board again and show every pledge."""
        def action() -> str:
            with self.folder.open(create=False) as store:
                pledges = store.pledges()
            board = self._show(pledges)
            return f"The board has {board.count} pledges."
        return run_safely(self.status, action)

    def _show(self, pledges: list) -> Any:
        from relational.workshop.pledges import board_html, build_board

        board = build_board(pledges, int(self.target.value))
        self.board.value = board_html(board)
        return board


class Export:
    """The facilitator writes the board to CSV files (pledges, stories, feedback forms, values by member)."""

    def __init__(self, folder: WorkshopFolder):
        self.folder = folder
        self.out = ui.text("Export to this folder", value="")
        self.out.placeholder = "Leave empty for a folder called export inside the workshop folder"
        self.export_button = ui.button("Export to CSV", secondary=True)
        self.status = ui.status()
        self.export_button.on_click(lambda _: self.export())
        self.box = widgets.VBox([ui.heading("Export"), self.out, ui.buttons(self.export_button), self.status])

    def export(self) -> bool:
        def action() -> str:
            from relational.workshop.__main__ import UsageError, cmd_export

            folder = self.folder.folder
            out = Path(self.out.value.strip()).expanduser() if self.out.value.strip() else folder / "export"
            with self.folder.open(create=False):
                pass  # check the board before any export folder is made
            printed = io.StringIO()
            try:
                with contextlib.redirect_stdout(printed):
                    cmd_export(argparse.Namespace(board=str(folder), out=str(out)))
            except UsageError as error:
                raise ValueError(str(error)) from None
            return printed.getvalue().strip() + " These files hold personal data: delete them when you are done."
        return run_safely(self.status, action)


def _tab_style() -> widgets.HTML:
    return widgets.HTML(TAB_CSS, layout=widgets.Layout(margin="0", height="0", overflow="hidden"))


# --- the two apps ------------------------------------------------------------------------------------------------

class MemberApp:
    """Everything a member uses: add a story, role cards, the timer, the feedback form and the pledge board."""

    def __init__(self, folder: str | os.PathLike[str] | None = None, clock: Callable[[], float] = time.monotonic):
        self.folder = WorkshopFolder(folder)
        self.story = StoryShare(self.folder)
        self.timer = RoundTimer(clock)
        self.feedback = FeedbackForm(self.folder)
        self.pledges = PledgeBoard(self.folder)
        coaching = widgets.VBox([ui.heading("Coaching rounds"), widgets.HTML(role_cards_html()), self.timer.box,
                                 self.feedback.box])
        self.tabs = widgets.Tab(children=[self.story.box, coaching, self.pledges.box])
        for i, title in enumerate(("Story of us", "Coaching rounds", "Pledge board")):
            self.tabs.set_title(i, title)
        self.box = ui.app_box([_tab_style(), ui.heading("Workshop: member's tools", level=2), self.folder.box,
                               self.tabs])


class FacilitatorApp:
    """Everything the facilitator uses: the folder, story of us, pairs, trios and timer, pledges and export."""

    def __init__(self, folder: str | os.PathLike[str] | None = None, clock: Callable[[], float] = time.monotonic):
        self.folder = WorkshopFolder(folder, facilitator=True)
        self.story = StoryOfUs(self.folder)
        self.pairs = PairingRota(self.folder)
        self.trios = TrioPlanner(self.folder)
        self.timer = RoundTimer(clock)
        self.pledges = PledgeBoard(self.folder)
        self.export = Export(self.folder)
        coaching = widgets.VBox([self.trios.box, widgets.HTML(role_cards_html()), self.timer.box])
        self.tabs = widgets.Tab(children=[self.story.box, self.pairs.box, coaching, self.pledges.box, self.export.box])
        for i, title in enumerate(("Story of us", "One-to-one pairs", "Coaching rounds", "Pledge board", "Export")):
            self.tabs.set_title(i, title)
        self.box = ui.app_box([_tab_style(), ui.heading("Workshop: facilitator's tools", level=2), self.folder.box,
                               self.tabs])


def workshop_member(folder: str | os.PathLike[str] | None = None) -> widgets.VBox:
    """The member's workshop tools, ready to display."""
    return MemberApp(folder).box


def workshop_facilitator(folder: str | os.PathLike[str] | None = None) -> widgets.VBox:
    """The facilitator's workshop tools, ready to display."""
    return FacilitatorApp(folder).box
