"""The story of us builder: what the group's stories share, and prompts that start a story of us.

Input is the stories on the workshop board. Each story carries the values the coach found in it (so members
who share only their values, not their text, still count); experiences in common come from the texts that
members chose to share. Nothing here loads the coach or spaCy; plotting uses matplotlib's object API, so no
global pyplot state is touched.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from relational.workshop.store import FAMILIES, MAX_STORY, Added, Store, Story, clean_text

FAMILY_LABELS = {
    "self_direction": "Self-direction",
    "stimulation": "Stimulation",
    "hedonism": "Enjoyment",
    "achievement": "Achievement",
    "power": "Power",
    "security": "Security",
    "conformity": "Conformity",
    "tradition": "Tradition",
    "benevolence": "Benevolence",
    "universalism": "Universalism",
}
FAMILY_MEANINGS = {
    "self_direction": "choosing your own path and thinking for yourself",
    "stimulation": "challenge, novelty and courage",
    "hedonism": "enjoyment and pleasure in life",
    "achievement": "doing well and showing what you can do",
    "power": "having a say, standing and control",
    "security": "safety, stability and looking after what matters",
    "conformity": "restraint and keeping faith with the people around you",
    "tradition": "respect for custom, faith and where you come from",
    "benevolence": "caring for the people close to you",
    "universalism": "fairness, dignity and care for everyone",
}

# Small on purpose: enough to keep "of the" and "and I" out of the experiences in common.
_STOPWORDS = frozenset("""
a about above after again against all am an and any are as at be because been before being below between both
but by can could did do does doing down during each few for from further had has have having he her here hers
herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on
once only or other our ours ourselves out over own same she should so some such than that the their theirs them
themselves then there these they this those through to too under until up very was we were what when where which
while who whom why will with would you your yours yourself yourselves also got get really still went said one
lot much many like back even ever every never always very quite just been being im ive id dont didnt wasnt
""".split())
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


@dataclass(frozen=True)
class GroupPicture:
    """What the group's stories have in common, ready to show the facilitator."""

    matrix: pd.DataFrame
    shared_values: pd.DataFrame
    shared_phrases: pd.DataFrame
    experiences: pd.DataFrame
    prompts: tuple[str, ...]
    members: int
    values_only: int = field(default=0)

    def to_html(self) -> str:
        """The picture as escaped HTML tables and a list of prompts."""
        return picture_html(self)


def values_matrix(stories: Iterable[Story], *, all_families: bool = True) -> pd.DataFrame:
    """Members by value family: how many value mentions each member's stories hold in each family.

    Args:
        stories: stories from the board (a member's several stories are added together).
        all_families: keep all ten families as columns (False: only those someone mentioned).

    Returns:
        DataFrame of whole numbers: one row a member (in the order they first appear), one column a family.
    """
    counts: dict[str, dict[str, int]] = {}
    names: dict[str, str] = {}
    for story in stories:
        key = story.who.casefold()
        names.setdefault(key, story.who)
        row = counts.setdefault(key, dict.fromkeys(FAMILIES, 0))
        for value in story.values:
            row[value.family] += 1
    frame = pd.DataFrame([counts[k] for k in names], index=pd.Index(list(names.values()), name="member"),
                         columns=list(FAMILIES), dtype="int64")
    frame.columns.name = "family"
    if not all_families:
        frame = frame.loc[:, frame.sum(axis=0) > 0]
    return frame


def shared_values(matrix: pd.DataFrame) -> pd.DataFrame:
    """Families ranked by how many members showed them: family, label, members, mentions, names."""
    rows = []
    for family in matrix.columns:
        holders = matrix.index[matrix[family] > 0].tolist()
        if holders:
            rows.append({"family": family, "label": FAMILY_LABELS.get(family, family), "members": len(holders),
                         "mentions": int(matrix[family].sum()), "names": ", ".join(holders)})
    frame = pd.DataFrame(rows, columns=["family", "label", "members", "mentions", "names"])
    return frame.sort_values(["members", "mentions"], ascending=False, kind="stable").reset_index(drop=True)


def shared_phrases(stories: Iterable[Story], min_members: int = 2) -> pd.DataFrame:
    """Values language used by at least min_members people: phrase (the coach's cue), family, members, names."""
    who_by_cue: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    for story in stories:
        for value in story.values:
            who_by_cue[(value.cue.casefold(), value.family)][story.who.casefold()] = story.who
    rows = [{"phrase": cue, "family": family, "members": len(who), "names": ", ".join(who.values())}
            for (cue, family), who in who_by_cue.items() if len(who) >= min_members]
    frame = pd.DataFrame(rows, columns=["phrase", "family", "members", "names"])
    return frame.sort_values(["members", "phrase"], ascending=[False, True], kind="stable").reset_index(drop=True)


def _phrases(text: str, longest: int = 3) -> set[str]:
    """Two- and three-word phrases that start and end with a content word (no value cues needed here)."""
    words = _WORD.findall(text.casefold().replace("\u2019", "'"))
    found = set()
    for size in range(2, longest + 1):
        for i in range(len(words) - size + 1):
            gram = words[i:i + size]
            if gram[0] not in _STOPWORDS and gram[-1] not in _STOPWORDS:
                found.add(" ".join(gram))
            elif size == 2 and gram[0] in {"my", "our"} and gram[1] not in _STOPWORDS:
                found.add(" ".join(gram))  # "my nan", "our estate": who and where a story happens
    return found


def experiences_in_common(stories: Iterable[Story], min_members: int = 2, limit: int = 15) -> pd.DataFrame:
    """Phrases from the shared texts that two or more members used: phrase, members, names.

    Only texts that members chose to share are read. Shorter phrases inside a longer shared one are dropped.
    """
    who_by_phrase: dict[str, dict[str, str]] = defaultdict(dict)
    for story in stories:
        if story.text:
            for phrase in _phrases(story.text):
                who_by_phrase[phrase][story.who.casefold()] = story.who
    common = {p: who for p, who in who_by_phrase.items() if len(who) >= min_members}
    # A shorter phrase inside a longer one used by exactly the same people adds nothing: keep the longer.
    kept = {p: who for p, who in common.items()
            if not any(p != q and f" {p} " in f" {q} " and who.keys() == common[q].keys() for q in common)}
    rows = [{"phrase": p, "members": len(who), "names": ", ".join(who.values())} for p, who in kept.items()]
    frame = pd.DataFrame(rows, columns=["phrase", "members", "names"])
    frame = frame.sort_values(["members", "phrase"], ascending=[False, True], kind="stable")
    return frame.head(limit).reset_index(drop=True)


def _count_words(n: int) -> str:
    words = ["no one", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    return words[n] if n < len(words) else str(n)


def story_of_us_prompts(shared: pd.DataFrame, phrases: pd.DataFrame, experiences: pd.DataFrame,
                        members: int, limit: int = 6) -> list[str]:
    """Questions that start the group on a story of us, built from what its stories share.

    Args:
        shared: the result of shared_values.
        phrases: the result of shared_phrases.
        experiences: the result of experiences_in_common.
        members: how many members have added a story.
        limit: at most this many prompts.

    Returns:
        list[str]: plain-English prompts, most shared first, ending with one that asks for a choice.
    """
    prompts: list[str] = []
    if members < 2:
        return ["A story of us needs at least two stories. Ask each person to add their story of self, "
                "or just the values in it, then look again."]
    for row in shared[shared["members"] >= 2].head(2).itertuples():
        share = "All of you" if row.members == members else f"{_count_words(row.members).capitalize()} of you"
        prompts.append(f"{share} showed {row.label.lower()} ({FAMILY_MEANINGS.get(row.family, row.family)}) in "
                       "your stories. Each of you, tell the moment you learned it. What do those moments share?")
    for row in phrases.head(2).itertuples():
        prompts.append(f"'{row.phrase}' came up in {_count_words(row.members)} stories. What does it mean in "
                       "this group? When have you seen it in the work you do together?")
    for row in experiences.head(2).itertuples():
        prompts.append(f"{_count_words(row.members).capitalize()} of you wrote about '{row.phrase}'. "
                       "Is that an experience this group shares? What did it ask of you?")
    if not prompts:
        prompts.append("Your stories show different values so far. Ask each other: what brought each of us to "
                       "this work, and what do we want for the people we serve?")
    prompts = prompts[:limit - 1]
    prompts.append("Now name a challenge this group faced together, the choice you made, and what happened. "
                   "That moment is the heart of your story of us.")
    return prompts


def add_story(store: Store, who: str, text: str, *, kind: str = "self", share_text: bool = True,
              id: str | None = None) -> Added:
    """Find the values in a story with the coach, then add it to the board (text kept only if shared).

    Args:
        store: the open board.
        who: the storyteller.
        text: the story, or its key moments.
        kind: "self", "us" or "now".
        share_text: False stores only the values found (the member's opt-out); the text never reaches the file.
        id: a UUID made by the caller, so a retried write is recognised.

    Returns:
        Added: the stored story, and whether this call stored it.
    """
    text = clean_text(text, "story", MAX_STORY)
    from relational import coach  # imported here: loading the coach's pipeline takes a moment

    values = coach.analyse(text, kind=kind).to_dict()["values"]
    return store.add_story(who, text, values, kind=kind, share_text=share_text, id=id)


def build_picture(stories: Sequence[Story], *, min_members: int = 2) -> GroupPicture:
    """Everything the facilitator's notebook shows about the group's stories.

    Args:
        stories: the stories from the board.
        min_members: how many members must share a phrase for it to count as shared.

    Returns:
        GroupPicture
    """
    stories = list(stories)
    matrix = values_matrix(stories)
    shared = shared_values(matrix)
    phrases = shared_phrases(stories, min_members)
    experiences = experiences_in_common(stories, min_members)
    with_text = {s.who.casefold() for s in stories if s.text}
    values_only = len({s.who.casefold() for s in stories} - with_text)
    prompts = story_of_us_prompts(shared, phrases, experiences, len(matrix))
    return GroupPicture(matrix, shared, phrases, experiences, tuple(prompts), len(matrix), values_only)


def _table(frame: pd.DataFrame, caption: str, columns: dict[str, str]) -> str:
    head = "".join(f'<th scope="col">{html.escape(label)}</th>' for label in columns.values())
    rows = "".join("<tr>" + "".join(f"<td>{html.escape(str(row[c]))}</td>" for c in columns) + "</tr>"
                   for _, row in frame.iterrows())
    if not rows:
        rows = f'<tr><td colspan="{len(columns)}">None yet.</td></tr>'
    return f"<table><caption>{html.escape(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def picture_html(picture: GroupPicture) -> str:
    """The group picture as HTML: shared values, phrases, experiences and prompts; every name and text escaped."""
    note = (f"<p>{picture.members} members have added a story"
            + (f"; {picture.values_only} shared only the values in it" if picture.values_only else "") + ".</p>")
    prompts = "".join(f"<li>{html.escape(p)}</li>" for p in picture.prompts)
    return "\n".join([
        '<section class="relational-story-of-us" aria-label="Story of us builder">', note,
        _table(picture.shared_values, "Values the group shares",
               {"label": "Value family", "members": "Members", "mentions": "Mentions", "names": "Who"}),
        _table(picture.shared_phrases, "Values language used by more than one person",
               {"phrase": "Phrase", "family": "Family", "members": "Members", "names": "Who"}),
        _table(picture.experiences, "Experiences in common",
               {"phrase": "Phrase", "members": "Members", "names": "Who"}),
        f"<h3>Prompts for your story of us</h3><ol>{prompts}</ol>", "</section>"])


def _plain(label: str) -> str:
    """A label matplotlib shows as written: a '$' would otherwise start mathematical notation."""
    return label.replace("$", r"\$")


def heatmap(matrix: pd.DataFrame, *, title: str = "Values in the group's stories"):
    """A members-by-family heatmap with the count written in every cell (so colour is never the only cue).

    Args:
        matrix: the result of values_matrix.
        title: the figure's title.

    Returns:
        matplotlib.figure.Figure (not attached to pyplot; display it, or save it with fig.savefig).
    """
    # Imported here: the store and the command line do not need matplotlib.
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    rows, cols = matrix.shape
    fig = Figure(figsize=(max(6.0, 0.8 * cols + 2.5), max(3.0, 0.4 * rows + 2.0)), layout="constrained")
    ax = fig.add_subplot()
    values = matrix.to_numpy(dtype=float) if rows and cols else [[0.0]]
    top = max(1.0, float(matrix.to_numpy().max()) if rows and cols else 1.0)
    # cividis: ordered light-to-dark and readable with the common colour-vision deficiencies.
    image = ax.imshow(values, cmap="cividis", vmin=0, vmax=top, aspect="auto")
    ax.set_title(_plain(title))
    ax.set_xlabel("Value family")
    ax.set_ylabel("Member")
    ax.set_xticks(range(cols), [FAMILY_LABELS.get(c, c) for c in matrix.columns], rotation=35, ha="right")
    ax.set_yticks(range(rows), [_plain(str(name)) for name in matrix.index])
    for i in range(rows):
        for j in range(cols):
            count = int(matrix.iat[i, j])
            # Dark text on the light (high) end of cividis, white on the dark end: contrast either way.
            ax.text(j, i, str(count), ha="center", va="center",
                    color="black" if count / top > 0.6 else "white", fontsize=10)
    bar = fig.colorbar(image, ax=ax)
    bar.set_label("Value mentions")
    bar.locator = MaxNLocator(integer=True)  # counts are whole numbers
    bar.update_ticks()
    return fig


def heatmap_alt_text(matrix: pd.DataFrame) -> str:
    """A text description of the heatmap, for its alt text."""
    if matrix.empty:
        return "Heatmap of values in the group's stories: no stories yet."
    shared = shared_values(matrix)
    top = shared.head(3)
    parts = [f"{row.label}: {row.members} of {len(matrix)} members" for row in top.itertuples()]
    return (f"Heatmap of value mentions for {len(matrix)} members across ten value families. "
            + ("Most shared: " + "; ".join(parts) + "." if parts else "No values found yet."))
