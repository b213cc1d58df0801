"""The workshop widgets, driven without a browser: set values, press buttons, read what is shown."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import ipywidgets as widgets
import pytest

from relational.widgets.workshop import FOLDER_ENV, FacilitatorApp, MemberApp, RoundTimer, WorkshopFolder
from relational.workshop.store import FILENAME, Store

ROOT = Path(__file__).resolve().parents[1]
SECRET = "My brother Callum slept in his car behind the Tesco on Brook Street"


def shown(box: widgets.Widget) -> str:
    """Every piece of HTML a box shows (all tabs included), joined."""
    parts = []
    if isinstance(box, widgets.HTML):
        parts.append(box.value)
    for child in getattr(box, "children", ()):
        parts.append(shown(child))
    return "\n".join(parts)


def board_bytes(folder: Path) -> bytes:
    """The raw bytes of the board and its write-ahead log, as they sit on disk."""
    return b"".join(p.read_bytes() for p in folder.glob(FILENAME + "*"))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "workshop"
    path.mkdir()
    return path


def add_story(app: MemberApp, who: str, text: str, values_only: bool = False) -> bool:
    app.story.who.value, app.story.text.value, app.story.values_only.value = who, text, values_only
    return app.story.add()


def test_importing_displays_nothing_and_loads_no_model():
    """Importing the module loads neither spaCy, the coach nor pandas."""
    code = ("import sys, relational.widgets.workshop; "
            "print([m for m in ('spacy', 'relational.coach', 'pandas', 'matplotlib') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]" and out.stderr == ""


def test_folder_defaults_to_the_environment_variable(monkeypatch, tmp_path):
    """The folder field starts from RELATIONAL_WORKSHOP, or ./workshop without it."""
    monkeypatch.setenv(FOLDER_ENV, str(tmp_path))
    assert WorkshopFolder().path.value == str(tmp_path)
    monkeypatch.delenv(FOLDER_ENV)
    assert WorkshopFolder().path.value == "./workshop"


def test_facilitator_sets_up_a_new_folder(tmp_path):
    """The facilitator's button makes the folder and the board, and says where it is."""
    app = FacilitatorApp(tmp_path / "new" / "workshop")
    assert app.folder.set_up()
    assert (tmp_path / "new" / "workshop" / FILENAME).exists()
    assert "The board is ready" in app.folder.status.value and "0 stories" in app.folder.status.value


def test_member_is_told_when_the_folder_does_not_exist(tmp_path):
    """A member's typo in the folder gives a clear message and makes nothing."""
    app = MemberApp(tmp_path / "nowhere")
    assert not add_story(app, "Ana", "I stood up for fairness.")
    assert "does not exist" in app.story.status.value and "Problem:" in app.story.status.value
    assert not (tmp_path / "nowhere").exists()


def test_stories_opt_out_and_the_facilitators_picture(folder):
    """Stories reach the board; an opted-out text never reaches the file or the facilitator's view."""
    member = MemberApp(folder)
    assert add_story(member, "Ana", "When my nan went into a care home, the staff treated her with dignity. "
                                    "I learned that fairness matters.")
    assert "Values shared with the group" in member.story.shared.value
    assert "dignity" in member.story.shared.value
    assert add_story(member, "Bo", "My nan raised me. In the care home I stood up for her dignity.")
    assert add_story(member, "Cy", SECRET + ". I learned about dignity and fairness that night.", values_only=True)
    assert "your text was not saved" in member.story.status.value

    with Store(folder) as store:
        stories = {s.who: s for s in store.stories()}
    assert stories["Cy"].text is None and not stories["Cy"].shared and stories["Cy"].values
    assert stories["Ana"].text.startswith("When my nan")
    assert b"Callum" not in board_bytes(folder) and b"Tesco" not in board_bytes(folder)

    facilitator = FacilitatorApp(folder)
    assert facilitator.story.refresh()
    assert "Read 3 stories from 3 members" in facilitator.story.status.value
    matrix = facilitator.story.matrix.value
    assert "members by value family" in matrix and all(f"<th scope=\"row\">{n}</th>" in matrix for n in "Ana Bo Cy".split())
    assert "Universalism" in matrix
    assert facilitator.story.heatmap.value.startswith("<figure><img src=\"data:image/png;base64,")
    assert 'alt="Heatmap of value mentions for 3 members' in facilitator.story.heatmap.value
    picture = facilitator.story.picture.value
    assert "Prompts for your story of us" in picture and "1 shared only the values" in picture
    assert "care home" in picture  # an experience two members shared
    everything = shown(facilitator.box)
    assert "Callum" not in everything and "Tesco" not in everything


def test_a_retried_story_is_not_added_twice(folder):
    """Pressing the button twice for the same story stores it once and says so."""
    member = MemberApp(folder)
    assert add_story(member, "Ana", "I stood up for fairness at the housing office.")
    assert add_story(member, "Ana", "I stood up for fairness at the housing office.")
    assert "already on the board" in member.story.status.value
    with Store(folder) as store:
        assert len(store.stories()) == 1


def test_refresh_with_no_stories_says_so(folder):
    facilitator = FacilitatorApp(folder)
    facilitator.folder.set_up()
    assert facilitator.story.refresh()
    assert "No stories on the board yet" in facilitator.story.status.value


def test_pledges_count_against_the_target_and_vague_ones_are_flagged(folder):
    """The board counts pledges against the target, in words and a progress bar; a vague pledge says so."""
    member = MemberApp(folder)
    board = member.pledges
    board.target.value = 10
    board.who.value, board.what.value, board.by.value = "Ana", "I will do more.", ""
    assert board.add()
    board.who.value = "Bo"
    board.what.value = "I will visit the food bank on Tuesday at 7 and ask the manager for a one-to-one."
    board.by.value = "30/06/2026"
    assert board.add()
    assert board.what.value == "" and "your pledge is on the board" in board.status.value
    shown_board = board.board.value
    assert "2 pledges from 2 people, against a target of 10 (8 to go); 1 could be more specific." in shown_board
    assert '<progress max="10" value="2"' in shown_board and ">2 of 10</progress>" in shown_board
    assert shown_board.count("Could be more specific") == 1
    vague_line = next(line for line in shown_board.splitlines() if "I will do more." in line)
    assert "Could be more specific" in vague_line  # the flag is words next to the pledge, not a colour
    assert "(by 2026-06-30)" in shown_board

    facilitator = FacilitatorApp(folder)
    assert facilitator.pledges.refresh()
    assert "The board has 2 pledges" in facilitator.pledges.status.value


def test_a_pledge_needs_a_name_and_a_readable_date(folder):
    board = MemberApp(folder).pledges
    board.who.value, board.what.value = "", "I will call 3 residents."
    assert not board.add() and "A name is needed" in board.status.value
    board.who.value, board.by.value = "Ana", "next-ish"
    assert not board.add() and "not a date I can read" in board.status.value
    assert board.what.value == "I will call 3 residents."  # nothing typed is lost on an error


def test_feedback_form_is_saved_to_the_board(folder):
    """The four answers of the coaching protocol are saved, then cleared for the next turn."""
    form = MemberApp(folder).feedback
    assert not form.save() and "Problem:" in form.status.value  # no names, no answers
    form.round.value = 2
    form.teller.value, form.coach.value, form.timekeeper.value = "Kelly", "Ben", "Sam"
    form.moved.value = "The knock on the door."
    form.values_heard.value = "Care, and respect."
    form.more_detail.value = "Who was the attendance officer?"
    form.suggestion.value = "Start with the knock on the door."
    assert form.save()
    assert "Saved your feedback for Kelly (round 2)" in form.status.value
    assert form.moved.value == form.suggestion.value == ""
    with Store(folder) as store:
        [saved] = store.feedback()
    assert (saved.teller, saved.coach, saved.timekeeper, saved.round) == ("Kelly", "Ben", "Sam", 2)
    assert saved.values_heard == "Care, and respect." and saved.suggestion == "Start with the knock on the door."


def test_rota_for_seven_people_has_a_trio_and_leaves_nobody_out(folder):
    """Seven people over five rounds: everyone is in a group every round, one group is a trio."""
    rota = FacilitatorApp(folder).pairs
    people = ["Ana", "Bo", "Cy", "Dee", "Ed", "Fay", "Gus"]
    rota.people.names.value = "\n".join(people) + "\n\n"
    rota.rounds.value = 5
    assert rota.make()
    assert "A rota of 5 rounds for 7 people. One group each round is a trio." in rota.status.value
    assert [label for label, _ in rota.show_round.options] == [f"Round {i}" for i in range(1, 6)]
    for number in range(1, 6):
        rota.show_round.value = number
        current = rota.current.value
        assert f"Round {number}" in current and current.count("(a trio)") == 1
        assert all(current.count(name) == 1 for name in people)
    assert rota.table.value.count("(trio)") == 5


def test_rota_errors_are_clear_messages(folder):
    rota = FacilitatorApp(folder).pairs
    rota.people.names.value = "Ana\nana"
    assert not rota.make() and "in the list twice" in rota.status.value
    rota.people.names.value = ""
    assert not rota.make() and "at least 2 people" in rota.status.value


def test_names_load_from_the_board_and_trios_get_roles(folder):
    """Everyone who wrote to the board can be loaded as the list of people; seven people make a three and a four."""
    with Store(folder, create=True) as store:
        for name in ["Ana", "Bo", "Cy", "Dee", "Ed", "Fay", "Gus"]:
            store.add_pledge(name, f"I will call {len(name)} residents by Friday.")
    trios = FacilitatorApp(folder).trios
    assert trios.people.load() and "Loaded 7 names" in trios.status.value
    assert trios.make()
    assert "2 groups for 7 people" in trios.status.value
    assert trios.cards.value.count("<caption>") == 2 and "Teller" in trios.cards.value


def test_round_timer_with_an_injected_clock():
    """The timer counts down, warns at one minute, and says when time is up."""
    now = [1000.0]
    timer = RoundTimer(clock=lambda: now[0], ticker=None)
    assert timer.minutes.value == 2 and "2:00 left" in timer.display.value
    timer.stage.value = "coaching"
    assert timer.minutes.value == 4
    timer.minutes.value = 2
    timer.start()
    assert timer.running and "Timer started: 2 minutes" in timer.status.value
    now[0] += 45
    timer.tick()
    assert "1:15 left" in timer.display.value
    now[0] += 20
    timer.tick()
    assert "0:55 left" in timer.display.value and "One minute left" in timer.status.value
    now[0] += 60
    timer.tick()
    assert "0:00 left" in timer.display.value and "Time is up" in timer.status.value and not timer.running


def test_round_timer_schedules_its_next_tick():
    """With a ticker, every tick asks for the next one until time is up; stop cancels it."""
    now = [0.0]
    asked = []

    class Handle:
        def cancel(self):
            asked.append("cancelled")

    timer = RoundTimer(clock=lambda: now[0], ticker=lambda delay, fn: asked.append(delay) or Handle())
    timer.minutes.value = 1
    timer.start()
    assert asked == [1.0]
    timer.stop()
    assert asked[-1] == "cancelled" and not timer.running and "Timer stopped" in timer.status.value


def test_markup_in_names_and_texts_is_escaped_everywhere(folder):
    """A <script> in a name or a text is shown as text in every tool."""
    evil = "<script>alert('x')</script>"
    member = MemberApp(folder)
    assert add_story(member, evil, "I stood up for fairness <b>every</b> day at the housing office.")
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in member.story.status.value
    assert add_story(member, "Bo", "I stood up for fairness at the housing office on Tuesdays.")
    member.pledges.who.value, member.pledges.what.value = evil, "<img src=x onerror=alert(1)> I will do more."
    assert member.pledges.add()
    facilitator = FacilitatorApp(folder)
    assert facilitator.story.refresh() and facilitator.pledges.refresh()
    facilitator.pairs.people.names.value = f"{evil}\nBo\nCy"
    assert facilitator.pairs.make()
    facilitator.trios.people.names.value = f"{evil}\nBo\nCy"
    assert facilitator.trios.make()
    for box in (member.box, facilitator.box):
        html_ = shown(box)
        assert "<script>alert" not in html_ and "<img src=x" not in html_ and "<b>every" not in html_
    for html_ in (facilitator.story.matrix.value, facilitator.pledges.board.value, facilitator.pairs.current.value,
                  facilitator.pairs.table.value, facilitator.trios.cards.value):
        assert "&lt;script&gt;" in html_


@pytest.mark.parametrize("content", [b"this is not a database, just some notes\n" * 50, "foreign"])
def test_a_corrupted_or_foreign_board_gives_a_clear_message_and_is_unchanged(folder, content):
    """Every tool refuses a damaged or foreign workshop.sqlite with a message, and leaves the file as it was."""
    path = folder / FILENAME
    if content == "foreign":
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE recipes (name TEXT)")
        conn.execute("INSERT INTO recipes VALUES ('soup')")
        conn.commit()
        conn.close()
    else:
        path.write_bytes(content)
    before = path.read_bytes()
    member, facilitator = MemberApp(folder), FacilitatorApp(folder)
    assert not add_story(member, "Ana", "I stood up for fairness.")
    member.pledges.who.value, member.pledges.what.value = "Ana", "I will call 3 residents by Friday."
    member.feedback.teller.value, member.feedback.coach.value, member.feedback.moved.value = "Ana", "Bo", "It."
    statuses = []
    for ok, status in ((member.pledges.add(), member.pledges.status), (member.feedback.save(), member.feedback.status),
                       (facilitator.story.refresh(), facilitator.story.status),
                       (facilitator.pledges.refresh(), facilitator.pledges.status),
                       (facilitator.pairs.people.load(), facilitator.pairs.status),
                       (facilitator.folder.set_up(), facilitator.folder.status),
                       (facilitator.export.export(), facilitator.export.status), (False, member.story.status)):
        assert not ok
        statuses.append(status.value)
    for message in statuses:
        assert "Problem:" in message and "Traceback" not in message
        assert ("damaged" in message or "another program" in message), message
        assert "left exactly as it is" in message
    assert path.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == [FILENAME]


def test_export_writes_csv_files(folder, tmp_path):
    member = MemberApp(folder)
    member.pledges.who.value, member.pledges.what.value = "Ana", "I will call 3 residents by Friday."
    assert member.pledges.add()
    export = FacilitatorApp(folder).export
    export.out.value = str(tmp_path / "out")
    assert export.export()
    assert "pledges.csv (1 rows)" in export.status.value and "delete them" in export.status.value
    assert "Ana" in (tmp_path / "out" / "pledges.csv").read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("name, build", [("workshop_member", MemberApp), ("workshop_facilitator", FacilitatorApp)])
def test_notebooks_open_with_a_title_and_one_hidden_setup_cell(name, build):
    """Committed with no outputs; a markdown title, purpose and time; one setup cell tagged remove-input."""
    nb = json.loads((ROOT / "apps" / f"{name}.ipynb").read_text(encoding="utf-8"))
    first, *rest = nb["cells"]
    intro = "".join(first["source"])
    assert first["cell_type"] == "markdown" and intro.startswith("# ") and "minutes" in intro
    code = [c for c in rest if c["cell_type"] == "code"]
    assert len(code) == 1 and "remove-input" in code[0]["metadata"]["tags"]
    assert code[0]["outputs"] == [] and code[0]["execution_count"] is None
    scope: dict = {}
    source = "".join(code[0]["source"]).replace(f"{name}()", f"app = {name}()")
    exec(source, scope)  # the cell builds the app (display() is a no-op outside a kernel)
    assert isinstance(scope["app"], widgets.VBox)
    assert all(isinstance(w, widgets.Widget) for w in scope["app"].children)
    assert build is not None
