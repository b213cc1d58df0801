"""Self-checks: a short quiz per chapter (choice, ordering and matching questions), each answer explained.

The questions live in `data/quizzes/*.yaml` (schema in that folder's README.md) and are checked when they load;
a mistake is reported with the file and the line.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import ipywidgets as widgets
import yaml

from relational.paths import data_dir
from relational.widgets import _common as ui

TYPES = ("choice", "ordering", "matching")
PLACEHOLDER = "(choose)"


class QuizError(ValueError):
    """A quiz file is malformed; the message names the file and the line."""


@dataclass(frozen=True)
class Option:
    text: str
    correct: bool
    explanation: str


@dataclass(frozen=True)
class Question:
    """One question. choice: options; ordering: items in the right order; matching: (left, right) pairs."""

    id: str
    type: str
    prompt: str
    options: tuple[Option, ...] = ()
    items: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()
    explanation: str = ""

    def shuffled(self, values: tuple[str, ...]) -> list[str]:
        """The values in a fixed, shuffled order (the same every time, never the answer order)."""
        out = list(values)
        rng = random.Random(self.id)
        for _ in range(10):
            rng.shuffle(out)
            if out != list(values):
                break
        return out


@dataclass(frozen=True)
class Quiz:
    chapter: str
    title: str
    order: int
    questions: tuple[Question, ...]


# -- loading and checking ----------------------------------------------------------------------------------------
def _where(path: Path, node) -> str:
    return f"{path}, line {node.start_mark.line + 1}"


def _mapping(path, node, what):
    if not isinstance(node, yaml.MappingNode):
        raise QuizError(f"{_where(path, node)}: {what} must be a mapping of keys to values.")
    out = {}
    for key, value in node.value:
        if key.value in out:
            raise QuizError(f"{_where(path, key)}: the key '{key.value}' appears twice.")
        out[key.value] = value
    return out


def _string(path, node, what) -> str:
    if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
        raise QuizError(f"{_where(path, node)}: {what} must be some text.")
    return str(node.value).strip()


def _sequence(path, node, what, at_least: int):
    if not isinstance(node, yaml.SequenceNode) or len(node.value) < at_least:
        raise QuizError(f"{_where(path, node)}: {what} must be a list of at least {at_least}.")
    return node.value


def _require(path, fields, node, keys, allowed, what):
    for key in keys:
        if key not in fields:
            raise QuizError(f"{_where(path, node)}: {what} needs '{key}'.")
    for key in fields:
        if key not in allowed:
            raise QuizError(f"{_where(path, fields[key])}: unknown key '{key}' in {what}; "
                            f"use {', '.join(sorted(allowed))}.")


def _question(path: Path, node) -> Question:
    f = _mapping(path, node, "a question")
    _require(path, f, node, ("id", "type", "prompt"), {"id", "type", "prompt", "options", "items", "pairs",
                                                        "explanation"}, "a question")
    qid = _string(path, f["id"], "id")
    qtype = _string(path, f["type"], "type")
    if qtype not in TYPES:
        raise QuizError(f"{_where(path, f['type'])}: unknown type '{qtype}'; use {', '.join(TYPES)}.")
    prompt = _string(path, f["prompt"], "prompt")
    if qtype == "choice":
        _require(path, f, node, ("options",), {"id", "type", "prompt", "options", "explanation"}, f"choice question {qid}")
        options = []
        for o in _sequence(path, f["options"], "options", 2):
            of = _mapping(path, o, "an option")
            _require(path, of, o, ("text", "explanation"), {"text", "correct", "explanation"}, "an option")
            correct = of.get("correct")
            if correct is not None and not (isinstance(correct, yaml.ScalarNode) and correct.tag.endswith(":bool")):
                raise QuizError(f"{_where(path, correct)}: correct must be true or false.")
            is_correct = correct is not None and correct.value.lower() in ("true", "yes", "on")
            options.append(Option(_string(path, of["text"], "text"), is_correct,
                                  _string(path, of["explanation"], "explanation")))
        if sum(o.correct for o in options) != 1:
            raise QuizError(f"{_where(path, f['options'])}: question {qid} needs exactly one option with correct: true.")
        return Question(qid, qtype, prompt, options=tuple(options),
                        explanation=_string(path, f["explanation"], "explanation") if "explanation" in f else "")
    if qtype == "ordering":
        _require(path, f, node, ("items", "explanation"), {"id", "type", "prompt", "items", "explanation"},
                 f"ordering question {qid}")
        items = tuple(_string(path, n, "an item") for n in _sequence(path, f["items"], "items", 2))
        if len(set(items)) != len(items):
            raise QuizError(f"{_where(path, f['items'])}: question {qid} lists an item twice.")
        return Question(qid, qtype, prompt, items=items, explanation=_string(path, f["explanation"], "explanation"))
    _require(path, f, node, ("pairs", "explanation"), {"id", "type", "prompt", "pairs", "explanation"},
             f"matching question {qid}")
    pairs = []
    for p in _sequence(path, f["pairs"], "pairs", 2):
        two = _sequence(path, p, "a pair", 2)
        if len(two) != 2:
            raise QuizError(f"{_where(path, p)}: a pair must have exactly two parts, [left, right].")
        pairs.append((_string(path, two[0], "the left of a pair"), _string(path, two[1], "the right of a pair")))
    if len({a for a, _ in pairs}) != len(pairs) or len({b for _, b in pairs}) != len(pairs):
        raise QuizError(f"{_where(path, f['pairs'])}: question {qid} repeats a left or right side.")
    return Question(qid, qtype, prompt, pairs=tuple(pairs), explanation=_string(path, f["explanation"], "explanation"))


def load_quiz(path: Path) -> Quiz:
    """Read and check one quiz file.

    Raises:
        QuizError: naming the file and line of the first problem.
    """
    path = Path(path)
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark else ""
        raise QuizError(f"{path}{line}: not valid YAML ({getattr(err, 'problem', err)}).") from err
    except OSError as err:
        raise QuizError(f"{path}: cannot be read ({err.strerror or err}).") from err
    if root is None:
        raise QuizError(f"{path}: the file is empty.")
    f = _mapping(path, root, "the file")
    _require(path, f, root, ("chapter", "title", "questions"), {"chapter", "title", "order", "questions"}, "the file")
    order = int(f["order"].value) if "order" in f and str(f["order"].value).isdigit() else 99
    questions = tuple(_question(path, q) for q in _sequence(path, f["questions"], "questions", 1))
    ids = [q.id for q in questions]
    if len(set(ids)) != len(ids):
        raise QuizError(f"{path}: two questions share an id.")
    return Quiz(_string(path, f["chapter"], "chapter"), _string(path, f["title"], "title"), order, questions)


def load_quizzes(folder: Path | None = None) -> dict[str, Quiz]:
    """Every quiz in the folder, by chapter, in course order."""
    folder = Path(folder) if folder is not None else data_dir() / "quizzes"
    quizzes = [load_quiz(p) for p in sorted(folder.glob("*.yaml"))]
    return {q.chapter: q for q in sorted(quizzes, key=lambda q: (q.order, q.chapter))}


# -- marking -----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Result:
    correct: bool
    answered: bool
    message: str  # plain text; escaped when shown


def mark(question: Question, answer) -> Result:
    """Mark an answer: for choice the option text, for ordering a list of items, for matching a {left: right} dict."""
    if question.type == "choice":
        chosen = next((o for o in question.options if o.text == answer), None)
        if chosen is None:
            return Result(False, False, "Choose an answer first.")
        right = next(o for o in question.options if o.correct)
        if chosen.correct:
            return Result(True, True, f"Correct. {chosen.explanation}")
        return Result(False, True, f"Not quite. {chosen.explanation} The answer is: \u201c{right.text}\u201d. "
                                   f"{right.explanation}")
    if question.type == "ordering":
        answer = list(answer or [])
        if len(answer) != len(question.items) or any(a in (None, "", PLACEHOLDER) for a in answer):
            return Result(False, False, "Choose something for every step first.")
        if len(set(answer)) != len(answer):
            return Result(False, True, "Not quite: you used the same answer twice. " + _order_text(question))
        if tuple(answer) == question.items:
            return Result(True, True, f"Correct. {question.explanation}")
        wrong = sum(a != b for a, b in zip(answer, question.items))
        return Result(False, True, f"Not quite: {wrong} step{'s are' if wrong != 1 else ' is'} in the wrong place. "
                                   + _order_text(question))
    answer = dict(answer or {})
    if any(answer.get(left) in (None, "", PLACEHOLDER) for left, _ in question.pairs):
        return Result(False, False, "Choose a match for every line first.")
    wrong = [left for left, right in question.pairs if answer.get(left) != right]
    if not wrong:
        return Result(True, True, f"Correct. {question.explanation}")
    pairs = "; ".join(f"{left} goes with {right}" for left, right in question.pairs)
    return Result(False, True, f"Not quite: {len(wrong)} of {len(question.pairs)} do not match. "
                               f"The pairs are: {pairs}. {question.explanation}")


def _order_text(question: Question) -> str:
    steps = "; ".join(f"{i}. {item}" for i, item in enumerate(question.items, start=1))
    return f"The order is: {steps}. {question.explanation}"


def answer_html(question: Question) -> str:
    """The answer and every explanation, for a page with no kernel (inside a <details> box)."""
    if question.type == "choice":
        items = "".join(f"<li><strong>{'Right' if o.correct else 'Not right'}:</strong> {ui.esc(o.text)}. "
                        f"{ui.esc(o.explanation)}</li>" for o in question.options)
        body = f"<ul>{items}</ul>"
    elif question.type == "ordering":
        body = "<ol>" + "".join(f"<li>{ui.esc(i)}</li>" for i in question.items) + "</ol>"
        body += f"<p>{ui.esc(question.explanation)}</p>"
    else:
        body = "<ul>" + "".join(f"<li>{ui.esc(a)}: {ui.esc(b)}</li>" for a, b in question.pairs) + "</ul>"
        body += f"<p>{ui.esc(question.explanation)}</p>"
    return f"<details><summary>Answer and explanation</summary>{body}</details>"


# -- widgets -----------------------------------------------------------------------------------------------------
class QuestionView:
    """The widgets of one question: the prompt, the answer controls, a button and the feedback."""

    def __init__(self, question: Question, number: int, live: bool = True):
        self.question = question
        self.number = number
        self.result: Result | None = None
        q = question
        self.prompt = widgets.HTML(f'<p class="rl-q"><strong>Question {number}.</strong> {ui.esc(q.prompt)}</p>')
        self.controls: list[widgets.Widget]
        if q.type == "choice":
            self.choice = ui.stacked(widgets.RadioButtons(options=[o.text for o in q.options], value=None,
                                                          description="Your answer", description_allow_html=False))
            self.controls = [self.choice]
        elif q.type == "ordering":
            options = [PLACEHOLDER, *q.shuffled(q.items)]
            self.steps = [ui.dropdown(f"Step {i}", options=options, value=PLACEHOLDER)
                          for i in range(1, len(q.items) + 1)]
            self.controls = list(self.steps)
        else:
            rights = [PLACEHOLDER, *q.shuffled(tuple(b for _, b in q.pairs))]
            self.matches = {left: ui.dropdown(f"{left} goes with", options=rights, value=PLACEHOLDER)
                            for left, _ in q.pairs}
            self.controls = list(self.matches.values())
        self.button = ui.button(f"Check my answer to question {number}")
        self.feedback = widgets.HTML("" if live else answer_html(q))
        self.button.on_click(lambda _: self.check())
        children = [self.prompt, *self.controls]
        if live:
            children.append(ui.buttons(self.button))
        children.append(self.feedback)
        self.box = widgets.VBox(children, layout=widgets.Layout(margin="0 0 1em 0"))

    def answer(self):
        q = self.question
        if q.type == "choice":
            return self.choice.value
        if q.type == "ordering":
            return [s.value for s in self.steps]
        return {left: dd.value for left, dd in self.matches.items()}

    def check(self) -> Result:
        """Mark the current answer and show the explanation."""
        self.result = mark(self.question, self.answer())
        cls = "rl-correct" if self.result.correct else ("rl-wrong" if self.result.answered else "rl-status-error")
        self.feedback.value = f'<p class="{cls}" role="status">{ui.esc(self.result.message)}</p>'
        return self.result


class QuizView:
    """One chapter's quiz, or (with several quizzes) a chapter picker above it."""

    def __init__(self, quizzes: dict[str, Quiz] | None = None, chapter: str | None = None, live: bool = True):
        self.quizzes = quizzes if quizzes is not None else load_quizzes()
        self.live = live
        self.views: list[QuestionView] = []
        self.questions_box = widgets.VBox([])
        self.score = widgets.HTML("")
        self.score_button = ui.button("Show my score", secondary=True)
        self.score_button.on_click(lambda _: self.show_score())
        first = chapter or next(iter(self.quizzes))
        if first not in self.quizzes:
            raise QuizError(f"There is no quiz for the chapter '{first}'; there are: {', '.join(self.quizzes)}.")
        self.chapter = ui.dropdown("Choose a part of the course",
                                   options=[(q.title, key) for key, q in self.quizzes.items()], value=first)
        self.chapter.observe(lambda _: self.show(self.chapter.value), names="value")
        head = [self.chapter] if chapter is None else []
        tail = [ui.buttons(self.score_button), self.score] if live else []
        self.box = ui.app_box([*head, self.questions_box, *tail])
        self.show(first)

    def show(self, chapter: str) -> None:
        quiz = self.quizzes[chapter]
        self.views = [QuestionView(q, i, self.live) for i, q in enumerate(quiz.questions, start=1)]
        self.questions_box.children = [ui.heading(f"Self-check: {quiz.title}"), *[v.box for v in self.views]]
        self.score.value = ""

    def show_score(self) -> tuple[int, int]:
        right = sum(1 for v in self.views if v.result and v.result.correct)
        total = len(self.views)
        checked = sum(1 for v in self.views if v.result and v.result.answered)
        self.score.value = (f'<p role="status">You have checked {checked} of {total} questions and got {right} right. '
                            "Read the explanations: they matter more than the score.</p>")
        return right, total


def quizzes(chapter: str | None = None) -> widgets.VBox:
    """Build the self-checks (all chapters with a picker, or one chapter)."""
    return QuizView(chapter=chapter).box


def chapter_quiz(chapter: str, live: bool = False) -> widgets.VBox:
    """One chapter's quiz; live=False (for a book page) shows each answer in a box the reader can open."""
    return QuizView(chapter=chapter, live=live).box
