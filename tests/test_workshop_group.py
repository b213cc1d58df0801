"""The story of us builder: values matrix, shared phrases, experiences in common, prompts and the heatmap."""

from __future__ import annotations

import pytest

from relational.workshop.group import (
    add_story, build_picture, experiences_in_common, heatmap, heatmap_alt_text, shared_phrases, values_matrix,
)
from relational.workshop.store import FAMILIES, Store, Story, ValueFound


def story(who: str, text: str | None, *values: tuple[str, str]) -> Story:
    return Story(f"id-{who}", who, "self", text is not None, text,
                 tuple(ValueFound(cue, family, cue) for cue, family in values), "2026-06-01T10:00:00+00:00")


STORIES = [
    story("Ana", "When my nan went into a care home the staff treated her with dignity.",
          ("dignity", "universalism"), ("fairness", "universalism"), ("family", "benevolence")),
    story("Bo", "My nan raised me. In the care home I learned to stand up for her dignity.",
          ("dignity", "universalism"), ("stand up for", "universalism")),
    story("Cy", None, ("fairness", "universalism"), ("tradition", "tradition")),
    story("<script>Dee</script>", "I moved to Reading for work and found my feet.", ("belonging", "benevolence")),
]


def test_values_matrix_counts_each_members_families():
    """One row a member, ten family columns, mentions counted; an opted-out member still counts."""
    matrix = values_matrix(STORIES)
    assert list(matrix.columns) == list(FAMILIES)
    assert list(matrix.index) == ["Ana", "Bo", "Cy", "<script>Dee</script>"]
    assert matrix.loc["Ana", "universalism"] == 2 and matrix.loc["Ana", "benevolence"] == 1
    assert matrix.loc["Cy", "tradition"] == 1
    assert int(matrix.to_numpy().sum()) == 8
    assert list(values_matrix(STORIES, all_families=False).columns) == ["tradition", "benevolence", "universalism"]


def test_shared_phrases_and_experiences():
    """Values language and experiences used by two or more members are found, with who used them."""
    phrases = shared_phrases(STORIES)
    assert set(phrases["phrase"]) == {"dignity", "fairness"}
    assert phrases.set_index("phrase").loc["fairness", "names"] == "Ana, Cy"
    experiences = experiences_in_common(STORIES)
    assert {"care home", "my nan"} <= set(experiences["phrase"])
    assert all(experiences["members"] >= 2)


def test_picture_prompts_seed_a_story_of_us():
    """Prompts name the most shared family, a shared phrase and an experience, and end asking for a choice."""
    picture = build_picture(STORIES)
    assert picture.members == 4 and picture.values_only == 1
    assert "universalism" in picture.prompts[0] and "Three of you" in picture.prompts[0]
    assert any("'dignity'" in p for p in picture.prompts)
    assert any("care home" in p for p in picture.prompts)
    assert "choice" in picture.prompts[-1]
    assert "at least two stories" in build_picture(STORIES[:1]).prompts[0]


def test_picture_html_escapes_names_and_texts():
    """A name with markup appears as text in every table."""
    shown = build_picture(STORIES).to_html()
    assert "<script>" not in shown and "&lt;script&gt;Dee&lt;/script&gt;" in shown
    assert "<caption>Values the group shares</caption>" in shown


def test_heatmap_is_labelled_and_annotated():
    """Title, axis labels, a labelled colour bar, and the count written in every cell."""
    matrix = values_matrix([*STORIES, story("Sam $mith", None, ("fair", "universalism"))])
    fig = heatmap(matrix)
    ax = fig.axes[0]
    assert ax.get_title() == "Values in the group's stories"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Value family", "Member")
    cells = [t.get_text() for t in ax.texts]
    assert len(cells) == matrix.size
    assert cells == [str(v) for v in matrix.to_numpy().ravel()]
    assert fig.axes[1].get_ylabel() == "Value mentions"
    assert r"Sam \$mith" in [t.get_text() for t in ax.get_yticklabels()]  # '$' shown as written, not as maths
    fig.canvas.draw()  # renders without error (a stray '$' would raise here)
    assert "5 members" in heatmap_alt_text(matrix) and "Universalism" in heatmap_alt_text(matrix)


def test_add_story_with_the_coach_keeps_private_text_out(tmp_path):
    """add_story finds the values with the real coach; an opted-out story keeps only them."""
    with Store(tmp_path, create=True) as store:
        text = "I stood up for fairness when the council closed my nan's day centre."
        shared = add_story(store, "Ana", text).entry
        private = add_story(store, "Bo", text.replace("nan's", "granddad's"), share_text=False).entry
        assert shared.text == text and private.text is None
        assert "universalism" in {v.family for v in private.values}
        assert {v.family for v in shared.values} == {v.family for v in private.values}
        matrix = values_matrix(store.stories())
        assert matrix.loc["Bo", "universalism"] >= 1
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert b"granddad" not in raw
