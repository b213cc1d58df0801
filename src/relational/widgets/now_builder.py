"""Story of now builder: guided fields for the urgent challenge, the hopeful vision and the ask, put together into a
draft that goes through the coach; an ask that is still vague is pointed out, part by part.
"""

from __future__ import annotations

import re
from typing import Callable

import ipywidgets as widgets

from relational.coach.results import Feedback
from relational.render import highlight
from relational.widgets import _common as ui
from relational.widgets.drafts import DraftError, DraftStore

# Words that make an ask sound like action without saying what to do.
VAGUE_WHAT = ("get involved", "support", "think about", "consider", "help out", "raise awareness", "engage",
              "do more", "do better", "be part of", "look into", "work together", "make a difference", "care")
VAGUE_WHEN = ("soon", "sometime", "some time", "one day", "in future", "in the future", "when you can",
              "at some point", "going forward", "asap", "when possible", "whenever")
_TIME = re.compile(r"\b(\d{1,2}(:\d{2})?\s*(am|pm)|\d{1,2}(st|nd|rd|th)?|monday|tuesday|wednesday|thursday|friday|"
                   r"saturday|sunday|today|tonight|tomorrow|january|february|march|april|may|june|july|august|"
                   r"september|october|november|december|next week|this week|by the end of)\b", re.I)


def _analyse(text: str, kind: str | None) -> Feedback:
    from relational.coach import analyse  # imported late: importing this module loads no model

    return analyse(text, kind)


def ask_problems(who: str, what: str, when: str, where: str) -> list[str]:
    """What makes the ask vague, in plain words (an empty list means it is specific)."""
    problems = []
    if not who.strip():
        problems.append("Who: say who you are asking (the people in this room, your team, each councillor).")
    if not what.strip():
        problems.append("What: say the one thing you want them to do.")
    else:
        lowered = what.lower()
        vague = [w for w in VAGUE_WHAT if re.search(rf"\b{re.escape(w)}\b", lowered)]
        if vague and len(what.split()) < 8:
            problems.append(f"What: \u201c{what.strip()}\u201d is vague ({', '.join(vague)}). "
                            "Name an action someone could do and you could see done.")
    if not when.strip():
        problems.append("When: give a day, a date or a time.")
    elif any(re.search(rf"\b{re.escape(w)}\b", when.lower()) for w in VAGUE_WHEN) or not _TIME.search(when):
        problems.append(f"When: \u201c{when.strip()}\u201d is not a time people can put in a diary. Give a day or a date.")
    if not where.strip():
        problems.append("Where: say where (a room, a place, an online meeting, a form).")
    return problems


def assemble(challenge: str, vision: str, who: str, what: str, when: str, where: str) -> str:
    """Put the three parts together into one draft, in the order a story of now is told."""
    parts = [p.strip() for p in (challenge, vision) if p.strip()]
    ask_bits = [b.strip().rstrip(".") for b in (what, when, where) if b.strip()]
    if who.strip() or ask_bits:
        opening = f"{who.strip().rstrip(',')}, I am asking you to" if who.strip() else "I am asking you to"
        what_part = ask_bits[0] if ask_bits else "act"
        ask = f"{opening} {what_part[0].lower() + what_part[1:] if what_part else ''}"
        rest = " ".join(ask_bits[1:])
        parts.append((ask + (" " + rest if rest else "")).strip() + ".")
    return "\n\n".join(parts)


class NowBuilder:
    """The builder's widgets and wiring; `.box` is what is displayed."""

    def __init__(self, store: DraftStore | None = None, analyse: Callable[[str, str | None], Feedback] | None = None):
        self.store = store or DraftStore()
        self.analyse = analyse or _analyse
        self.challenge = ui.textarea("1. The urgent challenge: what is happening now, to whom, and why can it not wait?",
                                     rows=4, placeholder="This winter, 40 families on the Brookfield estate ...")
        self.vision = ui.textarea("2. The hopeful vision: what could be different if we act?", rows=3,
                                  placeholder="Imagine if every family ...")
        self.who = ui.text("3a. Who are you asking?", placeholder="Everyone in this room")
        self.what = ui.text("3b. What do you want them to do?", placeholder="Sign up for one door-knocking shift")
        self.when = ui.text("3c. When?", placeholder="Saturday 14 March, 10am to 12 noon")
        self.where = ui.text("3d. Where?", placeholder="Meet at the Brookfield community centre")
        self.build_button = ui.button("Put my story of now together")
        self.save_button = ui.button("Save it in the Story studio", secondary=True)
        self.status = ui.status()
        self.ask_check = widgets.HTML("")
        self.draft = widgets.HTML("")
        self.feedback = widgets.HTML("")
        self.text = ""
        self.build_button.on_click(lambda _: self.build())
        self.save_button.on_click(lambda _: self.save())
        self.box = ui.app_box([
            ui.help_text("Fill in the three parts. The builder puts them together and the coach reads the result. "
                         "Your answers stay on this computer."),
            self.challenge, self.vision, self.who, self.what, self.when, self.where,
            ui.buttons(self.build_button, self.save_button), self.status,
            self.ask_check, self.draft, self.feedback,
        ])

    def build(self) -> Feedback | None:
        """Assemble the draft, check the ask, and show the coach's feedback."""
        self.text = assemble(self.challenge.value, self.vision.value, self.who.value, self.what.value,
                             self.when.value, self.where.value)
        if not self.text.strip():
            self.status.value = ui.status_html("Fill in at least one part first.", ok=False)
            self.ask_check.value = self.draft.value = self.feedback.value = ""
            return None
        problems = ask_problems(self.who.value, self.what.value, self.when.value, self.where.value)
        try:
            fb = self.analyse(self.text, "now")
        except Exception as err:  # the learner gets words, not a traceback
            self.status.value = ui.status_html(f"The coach could not read this draft ({type(err).__name__}).", ok=False)
            return None
        if fb.call_to_action.present and not fb.call_to_action.specific and not problems:
            problems.append("The coach reads your ask as not yet specific. Check that it names one action, a time "
                            "and a place.")
        if problems:
            items = "".join(f"<li>{ui.esc(p)}</li>" for p in problems)
            self.ask_check.value = (f'<p class="rl-status rl-status-error"><strong>Your ask is still vague.</strong> '
                                    f"To make it specific:</p><ul>{items}</ul>")
        else:
            self.ask_check.value = ('<p class="rl-status rl-status-ok"><strong>Your ask is specific</strong>: it says '
                                    "who, what, when and where.</p>")
        self.draft.value = ('<p><strong>Your story of now, put together</strong></p>'
                            f'<div class="rc-draft" style="white-space: pre-wrap">{ui.esc(self.text)}</div>')
        self.feedback.value = highlight(fb)
        self.status.value = ui.status_html("Your story of now is put together; the coach's notes are below.")
        return fb

    def save(self):
        """Save the assembled draft as a version in the Story studio's folder."""
        if not self.text.strip():
            self.build()
        if not self.text.strip():
            return None
        try:
            version = self.store.save_version("My story of now", "now", self.text)
        except DraftError as err:
            self.status.value = ui.status_html(str(err), ok=False)
            return None
        self.status.value = ui.status_html(f"Saved as version {version.number} of \u201cMy story of now\u201d. "
                                           "Open it in the Story studio to keep working on it.")
        return version


def story_of_now_builder(home=None) -> widgets.VBox:
    """Build the story of now builder (display it as a cell's last line, or in Voila)."""
    return NowBuilder(DraftStore(home)).box
