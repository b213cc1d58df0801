"""Self-check quizzes without a browser: loading and checking the files, marking, explanations, escaping."""

from __future__ import annotations

import pytest

from relational.paths import data_dir
from relational.widgets.quiz import PLACEHOLDER, QuizError, QuizView, load_quiz, load_quizzes, mark


def test_every_chapter_file_loads_with_all_three_types():
    quizzes = load_quizzes()
    assert "public_narrative" in quizzes and len(quizzes) >= 4
    types = {q.type for quiz in quizzes.values() for q in quiz.questions}
    assert types == {"choice", "ordering", "matching"}
    pn = quizzes["public_narrative"]
    assert {q.type for q in pn.questions} == {"choice", "ordering", "matching"}


def test_ordering_challenge_choice_outcome(tmp_path):
    view = QuizView(chapter="public_narrative")
    q = next(v for v in view.views if v.question.id == "pn_order_moves")
    assert [s.value for s in q.steps] == [PLACEHOLDER] * 3
    assert q.steps[0].options[1:] != q.question.items, "the choices are not shown in the answer order"
    q.button.click()
    assert "Choose something for every step" in q.feedback.value
    for step, item in zip(q.steps, reversed(q.question.items)):
        step.value = item
    q.check()
    assert "Not quite" in q.feedback.value and "The order is" in q.feedback.value
    for step, item in zip(q.steps, q.question.items):
        step.value = item
    result = q.check()
    assert result.correct and q.feedback.value.count("Correct.") == 1
    assert "challenge makes us pay attention" in q.feedback.value.lower() or "starts with a challenge" in q.feedback.value


def test_match_emotions_to_their_pairs():
    view = QuizView(chapter="public_narrative")
    q = next(v for v in view.views if v.question.id == "pn_match_emotions")
    for left, right in q.question.pairs:
        q.matches[left].value = right
    assert q.check().correct
    q.matches["Fear"].value = "Anger"
    q.matches["Apathy"].value = "Hope"
    result = q.check()
    assert not result.correct and "2 of 5 do not match" in result.message
    assert "Fear goes with Hope" in q.feedback.value


def test_abstract_claim_or_lived_moment_each_answer_explained():
    view = QuizView(chapter="public_narrative")
    q = next(v for v in view.views if v.question.id == "pn_lived_moment")
    for option in q.question.options:
        q.choice.value = option.text
        q.button.click()
        assert option.explanation.split(".")[0].replace("'", "&#x27;") in q.feedback.value
        assert ("Correct." in q.feedback.value) == option.correct
    q.choice.value = None
    assert "Choose an answer first" in q.check().message


def test_score(tmp_path):
    view = QuizView(chapter="one_to_ones")
    v = view.views[1]
    v.choice.value = next(o.text for o in v.question.options if o.correct)
    v.check()
    assert view.show_score() == (1, len(view.views))
    assert "got 1 right" in view.score.value


def test_chapter_picker_switches_quiz():
    view = QuizView()
    view.chapter.value = "relationships"
    assert "Self-check: What a relationship is" in view.questions_box.children[0].value


def test_static_mode_shows_answers_in_a_details_box_and_no_buttons():
    view = QuizView(chapter="public_narrative", live=False)
    for v in view.views:
        assert v.feedback.value.startswith("<details><summary>Answer and explanation</summary>")
        assert v.button not in [w for child in v.box.children for w in getattr(child, "children", [])]


def test_quiz_text_is_escaped(tmp_path):
    (tmp_path / "x.yaml").write_text(
        "chapter: x\ntitle: X\nquestions:\n  - id: a\n    type: choice\n    prompt: '<script>1</script>'\n"
        "    options:\n      - text: '<b>yes</b>'\n        correct: true\n        explanation: '<i>e</i>'\n"
        "      - text: no\n        explanation: fine\n", encoding="utf-8")
    view = QuizView(load_quizzes(tmp_path), chapter="x")
    v = view.views[0]
    v.choice.value = "<b>yes</b>"
    v.check()
    assert "<script>" not in v.prompt.value and "<i>" not in v.feedback.value


@pytest.mark.parametrize("body, line, message", [
    ("chapter: x\ntitle: X\nquestions:\n  - id: a\n    type: essay\n    prompt: p\n", 5, "unknown type 'essay'"),
    ("chapter: x\ntitle: X\nquestions:\n  - id: a\n    type: choice\n    prompt: p\n    options:\n"
     "      - text: a\n        explanation: e\n      - text: b\n        explanation: e\n", 8, "exactly one option"),
    ("chapter: x\ntitle: X\nquestions:\n  - id: a\n    type: ordering\n    prompt: p\n    items: [one]\n"
     "    explanation: e\n", 7, "at least 2"),
    ("chapter: x\ntitle: X\nquestions:\n  - id: a\n    type: matching\n    prompt: p\n    pairs:\n"
     "      - [a, b, c]\n      - [d, e]\n    explanation: e\n", 8, "exactly two parts"),
    ("chapter: x\ntitle: X\nquestions:\n  - id: a\n    type: choice\n    prompt: p\n    colour: red\n", 7, "unknown key 'colour'"),
    ("chapter: x\ntitle: [unclosed\n", 3, "not valid YAML"),
])
def test_bad_quiz_files_name_the_file_and_line(tmp_path, body, line, message):
    path = tmp_path / "bad.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(QuizError) as err:
        load_quiz(path)
    assert f"{path}, line {line}" in str(err.value) and message in str(err.value)


def test_data_readme_documents_each_quiz_file():
    readme = (data_dir() / "quizzes" / "README.md").read_text(encoding="utf-8")
    for path in (data_dir() / "quizzes").glob("*.yaml"):
        assert path.name in readme


def test_mark_rejects_unanswered_matching():
    quiz = load_quizzes()["public_narrative"]
    q = next(q for q in quiz.questions if q.type == "matching")
    assert not mark(q, {}).answered
