"""Story studio without a browser: type, click, read the HTML; debounce; save, reopen, compare and export drafts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from relational.widgets.drafts import DraftError, DraftStore, slugify
from relational.widgets.studio import StoryStudio

DRAFT = ("When I was nine, the bailiffs came to our flat in Walsall. My mum stood up for our neighbours. "
         "The council sent a care package. I chose to speak up at the next tenants' meeting. "
         "Nobody should have to live like that, and it still matters to me.")


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("RELATIONAL_HOME", str(tmp_path))
    return tmp_path


@pytest.fixture
def studio(home):
    return StoryStudio(DraftStore(home), debounce_seconds=0.05)


def test_importing_the_widgets_loads_no_model_and_shows_nothing():
    code = ("import sys, relational.widgets as w\n"
            "from relational.widgets import studio, drafts\n"
            "print(sorted(m for m in ('spacy', 'matplotlib', 'pandas') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_check_highlights_values_with_family_labels_and_not_the_trap(studio):
    studio.draft.value = DRAFT
    feedback = studio.check()
    assert feedback is not None and feedback.values
    html = studio.feedback.value
    assert 'class="rc-mark rc-universalism"' in html
    assert "stood up for" in html and "(universalism)" in html
    # The service sense is left alone.
    assert "care package" in html
    assert not any("care" in v.text.lower() for v in feedback.values)
    assert "Done:" in studio.status.value
    assert "Challenge" in studio.checklist.value and "Choice" in studio.checklist.value
    assert "Values by family" in studio.chart.value and "universalism" in studio.chart.value


def test_button_click_gives_feedback(studio):
    studio.draft.value = DRAFT
    studio.check_button.click()
    assert "rc-mark" in studio.feedback.value


def test_the_checklist_says_found_or_not_yet_in_words(studio):
    studio.draft.value = "I believe in fairness."
    studio.check()
    assert "Not yet" in studio.checklist.value
    studio.draft.value = DRAFT
    studio.check()
    assert "Found" in studio.checklist.value


def test_empty_draft_says_so_in_words(studio):
    studio.draft.value = "   "
    assert studio.check() is None
    assert "Problem:" in studio.status.value and "empty" in studio.status.value
    assert studio.feedback.value == ""
    assert studio.save() is None


def test_learner_text_is_escaped(studio):
    studio.draft.value = "<script>alert('x')</script> I stood up for <b>fairness</b>."
    studio.name.value = "<img src=x onerror=alert(1)>"
    studio.check()
    assert "<script>" not in studio.feedback.value and "&lt;script&gt;" in studio.feedback.value
    assert "<b>" not in studio.feedback.value
    studio.save()
    assert "<img" not in studio.status.value
    studio.export()
    assert "<img" not in studio.export_out.value


def test_huge_draft_is_handled_with_a_message(studio):
    studio.draft.value = "I stood up for fairness. " * 20000
    start = time.perf_counter()
    assert studio.check() is None
    assert time.perf_counter() - start < 1, "a huge paste does not keep the kernel busy"
    assert "Problem:" in studio.status.value and "500,000 characters" in studio.status.value
    assert studio.feedback.value == ""
    assert studio.save() is not None, "a long draft can still be saved"


def test_a_coach_error_is_reported_not_raised(home):
    def broken(text, kind):
        raise ValueError("boom")

    s = StoryStudio(DraftStore(home), analyse=broken, debounce_seconds=0.05)
    s.draft.value = DRAFT
    assert s.check() is None
    assert "Problem:" in s.status.value


def test_feedback_arrives_after_a_pause_in_typing(studio):
    calls = []
    real = studio.analyse
    studio.analyse = lambda text, kind: calls.append(text) or real(text, kind)
    for end in range(40, len(DRAFT), 40):  # typing fast: each change restarts the wait
        studio.draft.value = DRAFT[:end]
    studio.draft.value = DRAFT
    assert calls == []
    deadline = time.time() + 5
    while not calls and time.time() < deadline:
        time.sleep(0.02)
    time.sleep(0.2)
    assert calls == [DRAFT], "one analysis, of the final text"
    assert "rc-mark" in studio.feedback.value


def test_turning_off_live_feedback_still_keeps_the_working_copy(studio, home):
    studio.live.value = False
    studio.draft.value = DRAFT
    deadline = time.time() + 5
    while studio.debouncer.pending and time.time() < deadline:
        time.sleep(0.02)
    time.sleep(0.1)
    assert studio.feedback.value == ""
    saved = json.loads((home / "drafts" / slugify(studio.name.value) / "working.json").read_text(encoding="utf-8"))
    assert saved["text"] == DRAFT


def test_save_versions_and_reopen_after_a_restart(studio, home):
    studio.name.value = "Mould on the wall"
    studio.draft.value = "First go."
    v1 = studio.save()
    studio.draft.value = DRAFT
    v2 = studio.save()
    assert (v1.number, v2.number) == (1, 2)
    assert "version 2" in studio.status.value
    files = sorted(p.name for p in (home / "drafts" / "mould-on-the-wall").iterdir())
    assert files == ["draft.json", "v0001.json", "v0002.json", "working.json"]
    assert not list(home.rglob("*.tmp")), "no temporary files left behind"

    # A "restart": new objects, same folder. The latest draft is open again.
    again = StoryStudio(DraftStore(home), debounce_seconds=0.05)
    assert again.draft.value == DRAFT
    assert again.name.value == "Mould on the wall"
    assert "Welcome back" in again.status.value
    assert [v.number for v in again.store.versions("mould-on-the-wall")] == [1, 2]
    assert again.version_a.value == 1 and again.version_b.value == 2


def test_working_copy_survives_a_restart_without_saving_a_version(studio, home):
    studio.name.value = "Unsaved"
    studio.draft.value = DRAFT
    assert studio.keep_working_copy()
    again = StoryStudio(DraftStore(home))
    assert again.draft.value == DRAFT


def test_open_a_chosen_draft(studio, home):
    studio.name.value = "One"
    studio.draft.value = "The first story."
    studio.save()
    studio.name.value = "Two"
    studio.kind.value = "us"
    studio.draft.value = "The second story."
    studio.save()
    assert studio.open("one")
    assert studio.draft.value == "The first story." and studio.kind.value == "self"
    assert not studio.open("")
    assert "Problem:" in studio.status.value


def test_compare_two_versions(studio):
    studio.name.value = "Compare me"
    studio.draft.value = "I care about my job."
    studio.save()
    studio.draft.value = DRAFT
    studio.save()
    studio.version_a.value, studio.version_b.value = 1, 2
    result = studio.compare()
    assert result is not None
    assert any("stood up for" in v for v in result.values_added)
    assert "From version 1 to version 2" in studio.compare_out.value
    assert "Values language added" in studio.compare_out.value


def test_compare_needs_versions(studio):
    assert studio.compare() is None
    assert "Problem:" in studio.compare_out.value


def test_export_markdown(studio, home):
    studio.name.value = "Export me"
    studio.draft.value = DRAFT
    studio.save()
    path = studio.export()
    assert path == home / "exports" / "export-me-v0001.md"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Export me")
    assert DRAFT in text and "Values language:" in text and "(universalism)" in text
    assert "Challenge, choice and outcome" in text
    assert 'download="export-me-v0001.md"' in studio.export_out.value
    assert "data:text/markdown" in studio.export_out.value


def test_a_failed_save_says_so_clearly(home):
    blocker = home / "blocked"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    s = StoryStudio(DraftStore(blocker))
    s.draft.value = DRAFT
    assert s.save() is None
    assert "NOT saved" in s.status.value and "Problem:" in s.status.value


def test_slugs_are_safe():
    assert slugify("../../etc/passwd") == "etc-passwd"
    assert slugify("   ") == "my-story"
    assert slugify("Café <b>") == "cafe-b"
    with pytest.raises(DraftError):
        DraftStore().versions("../x")


def test_every_app_function_is_importable_after_its_module(tmp_path):
    """A submodule named like its app would hide the app function; the apps' notebooks import these names."""
    code = ("import relational.widgets.now_builder, relational.widgets.one_to_one, relational.widgets.quiz\n"
            "from relational.widgets import (story_studio, story_of_now_builder, one_to_one_planner,\n"
            "    relationship_log, quizzes, chapter_quiz)\n"
            "assert all(callable(f) for f in (story_studio, story_of_now_builder, one_to_one_planner,\n"
            "    relationship_log, quizzes, chapter_quiz))\n")
    subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ, "RELATIONAL_HOME": str(tmp_path)})


@pytest.mark.parametrize("name", ["story_studio", "now_builder", "one_to_one", "relationship_log", "quizzes"])
def test_app_notebooks_have_no_code_to_read_and_no_outputs(name):
    """Each app: a markdown title, then one hidden setup cell that builds the app; committed with no outputs."""
    from relational.paths import PROJECT_ROOT

    nb = json.loads((PROJECT_ROOT / "apps" / f"{name}.ipynb").read_text(encoding="utf-8"))
    cells = nb["cells"]
    assert cells[0]["cell_type"] == "markdown" and "".join(cells[0]["source"]).startswith("# ")
    code = [c for c in cells if c["cell_type"] == "code"]
    assert len(code) == 1
    assert "remove-input" in code[0]["metadata"]["tags"] and code[0]["metadata"]["jupyter"]["source_hidden"]
    assert code[0]["outputs"] == [] and code[0]["execution_count"] is None
    assert "widgets" not in nb["metadata"]
