"""Story studio: write a story of self, us or now and get the coach's feedback; save, reopen, compare, export.

All the analysis is the coach's and all the feedback HTML is render's; this module only wires widgets to them.
"""

from __future__ import annotations

import base64
from typing import Callable

import ipywidgets as widgets

from relational.coach.results import FAMILIES, Feedback
from relational.render import FAMILY_LABELS, highlight
from relational.widgets import _common as ui
from relational.widgets.drafts import KIND_NAMES, Comparison, DraftError, DraftStore, compare, family_counts, moves_found

DEBOUNCE_SECONDS = 1.2
# A spoken story runs to a few hundred words. Beyond this the studio does not ask the coach (a huge paste would
# keep the kernel busy for a minute and fill the page); the draft can still be saved.
STUDIO_MAX_CHARS = 20_000
KIND_OPTIONS = [("Story of self: why I am called", "self"), ("Story of us: what we share", "us"),
                ("Story of now: why we must act now", "now")]
MOVE_HELP = {
    "challenge": "a moment when something was hard, or at stake",
    "choice": "what you (or someone) decided to do",
    "outcome": "what happened, and what you learned",
}


def _analyse(text: str, kind: str | None) -> Feedback:
    # Imported here: importing this module must not load spaCy or the coach's pipeline.
    from relational.coach import analyse

    return analyse(text, kind)


def values_chart_html(feedback: Feedback) -> str:
    """A small bar chart of values by family: an HTML list with the numbers in words (reads out well)."""
    counts = family_counts(feedback)
    if not counts:
        return ('<p class="rl-section-label"><strong>Values by family</strong></p>'
                "<p>No values language found yet. Try naming what mattered to you, in a moment you lived.</p>")
    top = max(counts.values())
    items = []
    for family in sorted(FAMILIES, key=lambda f: (-counts.get(f, 0), FAMILIES.index(f))):
        n = counts.get(family, 0)
        if not n:
            continue
        width = max(0.4, 10 * n / top)
        label = FAMILY_LABELS.get(family, family)
        items.append(f'<li><span class="rl-bar-name">{ui.esc(label)}</span>'
                     f'<span class="rl-bar" style="width: {width:.1f}em" aria-hidden="true"></span>'
                     f"<span>{n}</span></li>")
    return ('<p><strong>Values by family</strong> (how many words or phrases in each)</p>'
            f'<ul class="rl-bars" aria-label="Values by family">{"".join(items)}</ul>')


def checklist_html(feedback: Feedback) -> str:
    """Challenge, choice and outcome: found (and where) or not yet, in words."""
    rows = []
    for move, where in moves_found(feedback).items():
        if where:
            place = "sentence" + ("s " if len(where) > 1 else " ") + ", ".join(map(str, where))
            state = f'<span class="rl-yes">Found</span> in {place}'
        else:
            state = f'<span class="rl-no">Not yet</span>: add {ui.esc(MOVE_HELP[move])}'
        rows.append(f"<li><strong>{move.capitalize()}</strong>: {state}</li>")
    return ('<p><strong>Challenge, choice, outcome</strong></p>'
            f'<ul class="rl-check" aria-label="Challenge, choice and outcome checklist">{"".join(rows)}</ul>')


def comparison_html(before_label: str, after_label: str, c: Comparison) -> str:
    """What changed between two versions, as an HTML summary."""
    def items(values: tuple[str, ...], empty: str) -> str:
        if not values:
            return f"<li>{ui.esc(empty)}</li>"
        return "".join(f"<li>{ui.esc(v)}</li>" for v in values)

    fams = sorted(set(c.families_before) | set(c.families_after), key=FAMILIES.index)
    fam_rows = "".join(
        f"<tr><td>{ui.esc(FAMILY_LABELS.get(f, f))}</td><td>{c.families_before.get(f, 0)}</td>"
        f"<td>{c.families_after.get(f, 0)}</td></tr>" for f in fams)
    table = ('<div class="rl-table-wrap" tabindex="0" role="region" aria-label="Values by family (scrolls sideways on a small screen)"><table class="rl-table"><caption>Values by family</caption><thead><tr>'
             f'<th scope="col">Family</th><th scope="col">{ui.esc(before_label)}</th>'
             f'<th scope="col">{ui.esc(after_label)}</th></tr></thead><tbody>{fam_rows}</tbody></table></div>'
             if fams else "<p>Neither version has values language yet.</p>")
    return (f'<div class="rl-compare"><p><strong>From {ui.esc(before_label)} to {ui.esc(after_label)}</strong>: '
            f"{c.words_before} words, then {c.words_after} words.</p>"
            f"<p><strong>Values language added</strong></p><ul>{items(c.values_added, 'None added.')}</ul>"
            f"<p><strong>Values language taken out</strong></p><ul>{items(c.values_removed, 'None taken out.')}</ul>"
            f"{table}"
            f"<p><strong>Story moves gained</strong></p><ul>{items(c.moves_gained, 'None gained.')}</ul>"
            f"<p><strong>Story moves lost</strong></p><ul>{items(c.moves_lost, 'None lost.')}</ul>"
            f"<p><strong>New questions from the coach</strong></p><ul>{items(c.prompts_added, 'None.')}</ul>"
            f"<p><strong>Questions your changes answered</strong></p><ul>{items(c.prompts_resolved, 'None.')}</ul>"
            "</div>")


class StoryStudio:
    """The Story studio's widgets and their wiring; `.box` is what is displayed."""

    def __init__(self, store: DraftStore | None = None, analyse: Callable[[str, str | None], Feedback] | None = None,
                 debounce_seconds: float = DEBOUNCE_SECONDS, kind: str = "self"):
        self.store = store or DraftStore()
        self.analyse = analyse or _analyse
        self.last_feedback: Feedback | None = None

        self.kind = ui.stacked(widgets.RadioButtons(options=KIND_OPTIONS, value=kind, description="Kind of story",
                                                    description_allow_html=False))
        self.name = ui.text("Name of this draft", value=f"My {KIND_NAMES[kind].lower()}")
        self.draft = ui.textarea("Your draft", rows=10,
                                 placeholder="Write or paste your story here. Take us to one moment: where were you, "
                                             "what happened, what did you choose to do?")
        self.live = widgets.Checkbox(value=True, description="Give feedback as I type (after a short pause)",
                                     description_allow_html=False, indent=False)
        self.check_button = ui.button("Check my draft")
        self.save_button = ui.button("Save a version", secondary=True)
        self.status = ui.status()
        self.feedback = widgets.HTML("")
        self.chart = widgets.HTML("")
        self.checklist = widgets.HTML("")

        self.drafts = ui.dropdown("Your saved drafts", options=[("(none saved yet)", "")], value="")
        self.open_button = ui.button("Open this draft", secondary=True)
        self.version_a = ui.dropdown("Compare this version", options=[("(no versions)", 0)], value=0)
        self.version_b = ui.dropdown("with this version", options=[("(no versions)", 0)], value=0)
        self.compare_button = ui.button("Compare the two versions", secondary=True)
        self.export_button = ui.button("Export the newest version as Markdown", secondary=True)
        self.compare_out = widgets.HTML("")
        self.export_out = widgets.HTML("")

        self.debouncer = ui.Debouncer(debounce_seconds, self._on_pause)
        self.check_button.on_click(lambda _: self.check())
        self.save_button.on_click(lambda _: self.save())
        self.open_button.on_click(lambda _: self.open(self.drafts.value))
        self.compare_button.on_click(lambda _: self.compare())
        self.export_button.on_click(lambda _: self.export())
        self.draft.observe(self._on_typing, names="value")
        self.drafts.observe(lambda _: self._refresh_versions(), names="value")

        self.box = ui.app_box([
            ui.help_text("Write a short story. The coach marks your values language, checks for a challenge, a "
                         "choice and an outcome, and asks you questions."),
            self.kind, self.name, self.draft, self.live,
            ui.buttons(self.check_button, self.save_button),
            self.status,
            ui.heading("What the coach noticed"),
            self.checklist, self.chart, self.feedback,
            ui.heading("Your saved drafts"),
            ui.help_text(f"Saved in {self.store.root}. Each save makes a new version; old versions are kept."),
            self.drafts, ui.buttons(self.open_button),
            self.version_a, self.version_b,
            ui.buttons(self.compare_button, self.export_button),
            self.compare_out, self.export_out,
        ])
        self._refresh_drafts()
        self._reopen_latest()

    # -- feedback -----------------------------------------------------------------------------------------------
    def check(self) -> Feedback | None:
        """Run the coach on the draft and show its feedback."""
        self.debouncer.cancel()
        text = self.draft.value
        if not text.strip():
            self.feedback.value = ""
            self.chart.value = ""
            self.checklist.value = ""
            self.status.value = ui.status_html("Your draft is empty. Write a few sentences first.", ok=False)
            return None
        if len(text) > STUDIO_MAX_CHARS:
            self.feedback.value = ""
            self.chart.value = ""
            self.checklist.value = ""
            self.status.value = ui.status_html(
                f"Your draft is {len(text):,} characters long. The studio gives feedback on drafts of up to "
                f"{STUDIO_MAX_CHARS:,} characters (a spoken story is usually 150 to 400 words). "
                "Try one moment at a time.", ok=False)
            return None
        try:
            fb = self.analyse(text, self.kind.value)
        except Exception as err:  # the learner gets words, not a traceback
            self.status.value = ui.status_html(f"The coach could not read this draft ({type(err).__name__}).", ok=False)
            return None
        self.last_feedback = fb
        self.feedback.value = highlight(fb)
        self.chart.value = values_chart_html(fb)
        self.checklist.value = checklist_html(fb)
        words = f"{fb.word_count} word{'s' if fb.word_count != 1 else ''}"
        self.status.value = ui.status_html(f"Feedback updated for your draft ({words}).")
        return fb

    def _on_typing(self, _change=None) -> None:
        if self.live.value or self.draft.value.strip():
            self.debouncer.trigger()

    def _on_pause(self) -> None:
        """After a pause in typing: keep the working copy, then (if asked) give feedback."""
        self.keep_working_copy()
        if self.live.value:
            self.check()

    # -- saving -------------------------------------------------------------------------------------------------
    def _name(self) -> str:
        return self.name.value.strip() or f"My {KIND_NAMES[self.kind.value].lower()}"

    def keep_working_copy(self) -> bool:
        """Keep the text typed so far, so a restart loses nothing (not a numbered version)."""
        if not self.draft.value.strip():
            return False
        try:
            self.store.save_working(self._name(), self.kind.value, self.draft.value)
        except DraftError as err:
            self.status.value = ui.status_html(str(err), ok=False)
            return False
        return True

    def save(self):
        """Save the draft as a new version; says clearly whether it worked."""
        if not self.draft.value.strip():
            self.status.value = ui.status_html("There is nothing to save yet: your draft is empty.", ok=False)
            return None
        try:
            version = self.store.save_version(self._name(), self.kind.value, self.draft.value)
        except DraftError as err:
            self.status.value = ui.status_html(str(err), ok=False)
            return None
        self.status.value = ui.status_html(f"Saved \u201c{version.name}\u201d as version {version.number}.")
        self._refresh_drafts(select=version.slug)
        return version

    def open(self, slug: str) -> bool:
        """Put a saved draft (its working copy, else its newest version) back in the editor."""
        if not slug:
            self.status.value = ui.status_html("Choose a saved draft first.", ok=False)
            return False
        try:
            data = self.store.working(slug)
            if data is None:
                versions = self.store.versions(slug)
                if not versions:
                    raise DraftError("That draft has no saved text.")
                v = versions[-1]
                data = {"name": v.name, "kind": v.kind, "text": v.text}
        except DraftError as err:
            self.status.value = ui.status_html(str(err), ok=False)
            return False
        self.debouncer.cancel()
        self.kind.value = data.get("kind") if data.get("kind") in KIND_NAMES else "self"
        self.name.value = data.get("name", "")
        self.draft.value = data.get("text", "")
        self.debouncer.cancel()  # opening is not typing
        self.status.value = ui.status_html(f"Opened \u201c{self.name.value}\u201d.")
        self._refresh_drafts(select=slug)
        if self.draft.value.strip():
            self.check()
        return True

    def _reopen_latest(self) -> None:
        slug = self.store.latest_slug()
        if slug:
            self.open(slug)
            self.status.value = ui.status_html(f"Welcome back. Your latest draft, \u201c{self.name.value}\u201d, is open.")

    def _refresh_drafts(self, select: str | None = None) -> None:
        names = self.store.names()
        options = [(name, slug) for name, slug in names] or [("(none saved yet)", "")]
        current = select if select is not None else self.drafts.value
        self.drafts.options = options
        values = [v for _, v in options]
        self.drafts.value = current if current in values else values[0]
        self._refresh_versions()

    def _refresh_versions(self) -> None:
        slug = self.drafts.value
        versions = self.store.versions(slug) if slug else []
        options = [(v.label, v.number) for v in versions] or [("(no versions)", 0)]
        for dd, pick in ((self.version_a, -2), (self.version_b, -1)):
            dd.options = options
            dd.value = options[pick][1] if len(options) >= abs(pick) else options[-1][1]

    # -- compare and export -------------------------------------------------------------------------------------
    def compare(self) -> Comparison | None:
        """Compare the two chosen versions of the chosen draft."""
        slug, a, b = self.drafts.value, self.version_a.value, self.version_b.value
        if not slug or not a or not b:
            self.compare_out.value = ui.status_html("Save at least two versions of a draft to compare them.", ok=False)
            return None
        try:
            va, vb = self.store.version(slug, a), self.store.version(slug, b)
        except DraftError as err:
            self.compare_out.value = ui.status_html(str(err), ok=False)
            return None
        result = compare(self.analyse(va.text, va.kind), self.analyse(vb.text, vb.kind))
        self.compare_out.value = comparison_html(f"version {a}", f"version {b}", result)
        return result

    def export(self):
        """Export the newest version of the chosen draft as Markdown (a file, and a download link)."""
        slug = self.drafts.value
        versions = self.store.versions(slug) if slug else []
        if not versions:
            self.export_out.value = ui.status_html("Save a version first, then export it.", ok=False)
            return None
        version = versions[-1]
        try:
            path = self.store.export_markdown(version, self.analyse(version.text, version.kind))
        except DraftError as err:
            self.export_out.value = ui.status_html(str(err), ok=False)
            return None
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        self.export_out.value = (
            ui.status_html(f"Exported version {version.number} to {path}.")
            + f'<p><a download="{ui.esc(path.name)}" href="data:text/markdown;charset=utf-8;base64,{data}">'
              f"Download {ui.esc(path.name)}</a> (a Markdown file to share with your coach)</p>")
        return path


def story_studio(kind: str = "self", home=None) -> widgets.VBox:
    """Build the Story studio (display it as a cell's last line, or in Voila).

    Args:
        kind: the story to start with: "self", "us" or "now".
        home: the learner's folder (default: RELATIONAL_HOME or ~/relational).

    Returns:
        The studio's outer box.
    """
    return StoryStudio(DraftStore(home), kind=kind).box
