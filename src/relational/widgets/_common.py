"""Shared pieces for the course's widgets: the learner's folder, atomic writes, labelled controls and page style.

Nothing here displays anything or loads the coach's model.
"""

from __future__ import annotations

import asyncio
import html
import json
import os
import threading
from pathlib import Path
from typing import Any, Callable

import ipywidgets as widgets

from relational.files import write_atomic

HOME_ENV = "RELATIONAL_HOME"


def learner_home() -> Path:
    """The learner's own folder for drafts and logs: RELATIONAL_HOME, or ~/relational."""
    override = os.environ.get(HOME_ENV)
    return Path(override).expanduser() if override else Path.home() / "relational"


def esc(text: Any) -> str:
    """HTML-escape anything a learner typed (or anything read from a file) before it is shown."""
    return html.escape(str(text), quote=True)


def write_atomically(path: Path, text: str) -> None:
    """Write a learner's file atomically and privately (see relational.files.write_atomic).

    Raises:
        OSError: when the folder cannot be written; the caller tells the learner the save failed.
    """
    write_atomic(path, text, private=True)


def write_json_atomically(path: Path, data: Any) -> None:
    """Write data as pretty JSON, atomically."""
    write_atomically(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")


class Debouncer:
    """Call fn once, delay seconds after the last trigger (a new trigger restarts the wait).

    In a running kernel (JupyterLab or Voila) the wait runs on the kernel's event loop, so the call happens on the
    same thread as button clicks; with no running loop (a script, a test) a threading.Timer is used instead.
    """

    def __init__(self, delay: float, fn: Callable[[], None]):
        self.delay = delay
        self.fn = fn
        self._handle: Any = None
        self._lock = threading.Lock()

    def trigger(self) -> None:
        """Start (or restart) the wait."""
        with self._lock:
            self._cancel_locked()
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                loop = None
            if loop is not None:
                self._handle = loop.call_later(self.delay, self._fire)
            else:
                timer = threading.Timer(self.delay, self._fire)
                timer.daemon = True
                self._handle = timer
                timer.start()

    def cancel(self) -> None:
        """Forget a pending call."""
        with self._lock:
            self._cancel_locked()

    @property
    def pending(self) -> bool:
        """Whether a call is waiting to happen."""
        return self._handle is not None

    def _cancel_locked(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def _fire(self) -> None:
        with self._lock:
            self._handle = None
        self.fn()


# Styles for every app. Colours meet WCAG 2.2 AA on white; focus is a thick dark outline (2.4.7, 2.4.13).
APP_CSS = """
<style>
.rl-app { max-width: 60rem; color: #1a1a1a; font-size: 1rem; line-height: 1.5; }
.rl-app .widget-label, .rl-app .widget-label-basic, .rl-app label { color: #1a1a1a; }
.rl-app .rl-stack { flex-direction: column !important; align-items: stretch !important;
  width: calc(100% - 4px) !important; max-width: calc(100% - 4px) !important; height: auto !important; }
.rl-app .rl-stack > select, .rl-app .rl-stack > input, .rl-app .rl-stack > textarea { flex: 0 0 auto !important; }
.rl-app .rl-stack select:not([multiple]) { height: 2.4em !important; }
.rl-app .rl-stack > .widget-label { width: auto !important; max-width: 100% !important; text-align: left !important;
  white-space: normal !important; font-weight: 700; margin: 0.6em 0 0.2em 0; line-height: 1.4; height: auto; }
.rl-app .rl-stack textarea, .rl-app .rl-stack input:not([type=radio]):not([type=checkbox]),
.rl-app .rl-stack select { width: 100% !important; max-width: 100% !important; box-sizing: border-box; font-size: 1rem; }
.rl-app .widget-text input, .rl-app .widget-textarea textarea { height: auto; min-height: 2.2em; }
.rl-app input[type=radio], .rl-app input[type=checkbox] { width: 24px !important; height: 24px !important;
  margin: 0 0.5em 0 0 !important; flex: 0 0 auto; vertical-align: middle; }
.rl-app .widget-radio-box label { display: flex; flex-direction: row-reverse; justify-content: flex-end; align-items: center; margin: 0.25em 0; line-height: 1.4;
  font-size: 1rem; }
.rl-app .widget-checkbox { width: calc(100% - 4px) !important; height: auto; }
.rl-app .widget-checkbox label { display: flex; align-items: center; white-space: normal !important; overflow: visible;
  text-overflow: clip; height: auto; line-height: 1.4; font-size: 1rem; margin: 0.3em 0; }
.rl-app .widget-html-content { line-height: 1.5; font-size: 1rem; }
.rl-app .widget-label, .rl-app .widget-label-basic { overflow: visible; text-overflow: clip; }
.rl-app textarea { font-family: inherit; }
.rl-app .rl-stack select[multiple] { height: auto; }
.rl-app .jupyter-button { font-size: 1rem; height: auto; min-height: 2.5em; padding: 0.3em 1em; white-space: normal;
  color: #ffffff; background-color: #00703c; border: 2px solid #004e2a; border-radius: 0.25em; margin: 0.4em 0.5em 0.4em 0; }
.rl-app .jupyter-button.rl-secondary { color: #1a1a1a; background-color: #f3f2f1; border-color: #505a5f; }
.rl-app .jupyter-button:hover { filter: brightness(0.92); }
.rl-app :focus, .rl-app :focus-visible { outline: 3px solid #0b0c0c !important; outline-offset: 2px !important;
  box-shadow: 0 0 0 6px #ffdd00 !important; }
.rl-app .rl-buttons { flex-wrap: wrap; }
.rl-app .rl-status { font-weight: 700; }
.rl-app .rl-status-ok { border-left: 5px solid #00703c; padding-left: 0.5em; }
.rl-app .rl-status-error { border-left: 5px solid #b10e1e; padding-left: 0.5em; color: #6b0010; }
.rl-app h2.rl-title { font-size: 1.5rem; margin: 0.6em 0 0.3em; }
.rl-app h3.rl-section { font-size: 1.2rem; margin: 1em 0 0.3em; border-top: 1px solid #b1b4b6; padding-top: 0.6em; }
.rl-app .rl-help { color: #3b3b3b; margin: 0.2em 0; }
.rl-app .rl-bars { list-style: none; padding: 0; margin: 0.3em 0; }
.rl-app .rl-bars li { display: flex; align-items: center; gap: 0.5em; margin: 0.15em 0; }
.rl-app .rl-bar-name { flex: 0 0 9.5em; }
.rl-app .rl-bar { display: inline-block; height: 1em; background: #1d70b8; border: 1px solid #003078; }
.rl-app .rl-check { list-style: none; padding: 0; }
.rl-app .rl-check li { margin: 0.2em 0; }
.rl-app .rl-yes { font-weight: 700; color: #005a30; }
.rl-app .rl-no { font-weight: 700; color: #6b2c00; }
.rl-app table.rl-table { border-collapse: collapse; margin: 0.4em 0; font-size: 0.95rem; }
.rl-app table.rl-table th, .rl-app table.rl-table td { border: 1px solid #767676; padding: 0.2em 0.5em; text-align: left;
  vertical-align: top; }
.rl-app .rl-table-wrap { overflow-x: auto; max-width: 100%; }
.rl-app .rl-stage-now { font-weight: 700; background: #fff7bf; }
.rl-app .rl-big { font-size: 1.6rem; font-weight: 700; }
.rl-app details > summary { cursor: pointer; font-weight: 700; color: #1a1a1a; }
.rl-app .rl-correct { border-left: 5px solid #00703c; padding-left: 0.5em; }
.rl-app .rl-wrong { border-left: 5px solid #b10e1e; padding-left: 0.5em; }
.rl-app .widget-dropdown > select { color: #1a1a1a; background-color: #ffffff; }
.rl-app .widget-html-content { overflow-wrap: break-word; }
/* Flex items default to min-width: auto, which lets a wide table push the whole app off a phone screen. */
.rl-app .widget-html, .rl-app .widget-html-content { max-width: 100%; min-width: 0; }
.rl-app .widget-inline-hbox, .rl-app .widget-inline-vbox { box-sizing: border-box; }
@media (max-width: 40rem) {
  .rl-app .rl-bar-name { flex-basis: 7.5em; }
  .rl-app .widget-hbox.rl-buttons { flex-direction: column; align-items: stretch; }
}
</style>
"""


def style() -> widgets.HTML:
    """A hidden HTML widget that carries the apps' stylesheet."""
    return widgets.HTML(value=APP_CSS, layout=widgets.Layout(margin="0", height="0", overflow="hidden"))


def app_box(children: list[widgets.Widget]) -> widgets.VBox:
    """The outer box of an app: the stylesheet first, then the children."""
    box = widgets.VBox([style(), *children], layout=widgets.Layout(width="100%"))
    box.add_class("rl-app")
    return box


def stacked(widget: widgets.Widget) -> widgets.Widget:
    """Put a control's description label above it (reads better, and fits a phone screen)."""
    widget.add_class("rl-stack")
    widget.style.description_width = "initial"
    widget.layout.width = "100%"
    return widget


def textarea(label: str, rows: int = 4, placeholder: str = "", value: str = "") -> widgets.Textarea:
    """A full-width text box with a visible label above it."""
    box = widgets.Textarea(value=value, description=label, placeholder=placeholder, rows=rows,
                           description_allow_html=False, continuous_update=True)
    return stacked(box)


def text(label: str, placeholder: str = "", value: str = "") -> widgets.Text:
    """A one-line text box with a visible label above it."""
    return stacked(widgets.Text(value=value, description=label, placeholder=placeholder, description_allow_html=False))


def dropdown(label: str, options, value=None) -> widgets.Dropdown:
    """A drop-down list with a visible label above it."""
    kwargs = {"value": value} if value is not None else {}
    return stacked(widgets.Dropdown(options=options, description=label, description_allow_html=False, **kwargs))


def button(label: str, secondary: bool = False, tooltip: str = "") -> widgets.Button:
    """A button with text (never just an icon)."""
    b = widgets.Button(description=label, tooltip=tooltip or label, layout=widgets.Layout(width="auto"))
    if secondary:
        b.add_class("rl-secondary")
    return b


def buttons(*items: widgets.Widget) -> widgets.HBox:
    """A row of buttons that wraps (and stacks on a phone)."""
    row = widgets.HBox(list(items), layout=widgets.Layout(flex_flow="row wrap"))
    row.add_class("rl-buttons")
    return row


def heading(text_: str, level: int = 3) -> widgets.HTML:
    """A section heading (text from the course, escaped anyway)."""
    cls = "rl-title" if level == 2 else "rl-section"
    return widgets.HTML(f'<h{level} class="{cls}">{esc(text_)}</h{level}>')


def help_text(text_: str) -> widgets.HTML:
    """A line of help under a heading."""
    return widgets.HTML(f'<p class="rl-help">{esc(text_)}</p>')


def status_html(message: str, ok: bool = True) -> str:
    """A status message in words (the colour bar only repeats what the words say)."""
    prefix = "Done:" if ok else "Problem:"
    cls = "rl-status-ok" if ok else "rl-status-error"
    return f'<p class="rl-status {cls}" role="status">{prefix} {esc(message)}</p>'


def status() -> widgets.HTML:
    """An empty status line."""
    return widgets.HTML("")
