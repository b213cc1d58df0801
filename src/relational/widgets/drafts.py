"""The learner's drafts on disk: named drafts with numbered versions, a working copy, comparison and export.

Layout under the learner's folder (RELATIONAL_HOME or ~/relational):

    drafts/<slug>/draft.json        name and kind of the draft
    drafts/<slug>/working.json      the text as last typed (saved while typing, so a restart loses nothing)
    drafts/<slug>/v0001.json ...    saved versions, never overwritten
    exports/<slug>-v0001.md         Markdown exports to share with a coach

Every file is written atomically (a temporary file, then os.replace), so a crash never leaves half a draft.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from relational.coach.results import Feedback
from relational.render import FAMILY_LABELS
from relational.widgets._common import learner_home, write_atomically, write_json_atomically

KIND_NAMES = {"self": "Story of self", "us": "Story of us", "now": "Story of now"}
_VERSION = re.compile(r"^v(\d{4,})\.json$")


class DraftError(Exception):
    """A draft could not be saved or read; the message says what to do."""


@dataclass(frozen=True)
class Version:
    """One saved version of a draft."""

    slug: str
    number: int
    name: str
    kind: str
    text: str
    saved_at: str

    @property
    def label(self) -> str:
        """How the version is shown in a list: number and time saved."""
        when = self.saved_at.replace("T", " ")[:16]
        return f"Version {self.number} ({when})"


def slugify(name: str) -> str:
    """A safe folder name for a draft's title (letters, digits and hyphens only)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60].strip("-")
    return slug or "my-story"


def _now() -> str:
    return datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")


class DraftStore:
    """Named drafts with versions in the learner's folder."""

    def __init__(self, home: Path | None = None):
        self.home = Path(home) if home is not None else learner_home()
        self.root = self.home / "drafts"
        self.exports = self.home / "exports"

    # -- drafts -------------------------------------------------------------------------------------------------
    def names(self) -> list[tuple[str, str]]:
        """(name, slug) of every draft, most recently changed first."""
        if not self.root.is_dir():
            return []
        found = []
        for folder in self.root.iterdir():
            meta = folder / "draft.json"
            if folder.is_dir() and meta.is_file():
                try:
                    name = json.loads(meta.read_text(encoding="utf-8")).get("name") or folder.name
                except (OSError, ValueError):
                    name = folder.name
                latest = max((p.stat().st_mtime for p in folder.glob("*.json")), default=0.0)
                found.append((latest, name, folder.name))
        return [(name, slug) for _, name, slug in sorted(found, reverse=True)]

    def latest_slug(self) -> str | None:
        """The draft changed most recently, if any."""
        names = self.names()
        return names[0][1] if names else None

    def _folder(self, slug: str) -> Path:
        if slugify(slug) != slug:
            raise DraftError(f"'{slug}' is not a draft name this course made.")
        return self.root / slug

    def _write_meta(self, slug: str, name: str, kind: str) -> None:
        write_json_atomically(self._folder(slug) / "draft.json", {"name": name, "kind": kind})

    def save_working(self, name: str, kind: str, text: str) -> str:
        """Keep the text as typed so far (not a version); returns the draft's slug."""
        slug = slugify(name)
        try:
            self._write_meta(slug, name, kind)
            write_json_atomically(self._folder(slug) / "working.json",
                                  {"name": name, "kind": kind, "text": text, "saved_at": _now()})
        except OSError as err:
            raise DraftError(f"Your draft could not be kept in {self.root}: {err.strerror or err}.") from err
        return slug

    def working(self, slug: str) -> dict | None:
        """The working copy of a draft (name, kind, text), or None."""
        path = self._folder(slug) / "working.json"
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as err:
            raise DraftError(f"The working copy {path} could not be read: {err}.") from err

    def save_version(self, name: str, kind: str, text: str) -> Version:
        """Save a new numbered version of the draft called name.

        Raises:
            DraftError: the folder could not be written (nothing is half-saved).
        """
        slug = slugify(name)
        folder = self._folder(slug)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self._write_meta(slug, name, kind)
            number = max((int(m.group(1)) for p in folder.iterdir() if (m := _VERSION.match(p.name))), default=0) + 1
            path = folder / f"v{number:04d}.json"
            while path.exists():  # another window saved at the same moment
                number += 1
                path = folder / f"v{number:04d}.json"
            version = Version(slug, number, name, kind, text, _now())
            write_json_atomically(path, {"name": name, "kind": kind, "text": text, "saved_at": version.saved_at,
                                         "version": number})
            write_json_atomically(folder / "working.json",
                                  {"name": name, "kind": kind, "text": text, "saved_at": version.saved_at})
        except OSError as err:
            raise DraftError(f"Your draft was NOT saved in {self.root}: {err.strerror or err}. "
                             "Copy your text somewhere safe and try again.") from err
        return version

    def versions(self, slug: str) -> list[Version]:
        """Every saved version of a draft, oldest first."""
        folder = self._folder(slug)
        if not folder.is_dir():
            return []
        out = []
        for path in sorted(folder.iterdir()):
            m = _VERSION.match(path.name)
            if not m:
                continue
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as err:
                raise DraftError(f"The saved version {path} could not be read: {err}.") from err
            out.append(Version(slug, int(m.group(1)), data.get("name", slug), data.get("kind", "self"),
                               data.get("text", ""), data.get("saved_at", "")))
        return sorted(out, key=lambda v: v.number)

    def version(self, slug: str, number: int) -> Version:
        """One saved version."""
        for v in self.versions(slug):
            if v.number == number:
                return v
        raise DraftError(f"Version {number} of this draft was not found.")

    # -- export -------------------------------------------------------------------------------------------------
    def export_markdown(self, version: Version, feedback: Feedback) -> Path:
        """Write a version and the coach's notes as Markdown in the exports folder; returns the file."""
        path = self.exports / f"{version.slug}-v{version.number:04d}.md"
        try:
            write_atomically(path, to_markdown(version, feedback))
        except OSError as err:
            raise DraftError(f"The export was NOT written to {self.exports}: {err.strerror or err}.") from err
        return path


# -- comparison and Markdown ------------------------------------------------------------------------------------
def moves_found(feedback: Feedback) -> dict[str, list[int]]:
    """For challenge, choice and outcome: the (1-based) sentences where the coach found it."""
    found: dict[str, list[int]] = {"challenge": [], "choice": [], "outcome": []}
    for i, sentence in enumerate(feedback.sentences, start=1):
        for move in sentence.moves:
            found.setdefault(move, []).append(i)
    return found


def family_counts(feedback: Feedback) -> Counter:
    """How many values words or phrases the draft has in each family."""
    return Counter(v.family for v in feedback.values)


@dataclass(frozen=True)
class Comparison:
    """What changed between two versions of a draft."""

    words_before: int
    words_after: int
    values_added: tuple[str, ...]
    values_removed: tuple[str, ...]
    families_before: dict
    families_after: dict
    moves_gained: tuple[str, ...]
    moves_lost: tuple[str, ...]
    prompts_added: tuple[str, ...]
    prompts_resolved: tuple[str, ...]


def compare(before: Feedback, after: Feedback) -> Comparison:
    """Values, moves and prompts that changed from one version's feedback to another's."""
    def value_words(fb: Feedback) -> Counter:
        return Counter(f"{v.text.lower()} ({FAMILY_LABELS.get(v.family, v.family)})" for v in fb.values)

    vb, va = value_words(before), value_words(after)
    mb = {m for m, where in moves_found(before).items() if where}
    ma = {m for m, where in moves_found(after).items() if where}
    order = ("challenge", "choice", "outcome")
    return Comparison(
        words_before=before.word_count,
        words_after=after.word_count,
        values_added=tuple(sorted((va - vb).elements())),
        values_removed=tuple(sorted((vb - va).elements())),
        families_before=dict(family_counts(before)),
        families_after=dict(family_counts(after)),
        moves_gained=tuple(m for m in order if m in ma - mb),
        moves_lost=tuple(m for m in order if m in mb - ma),
        prompts_added=tuple(p for p in after.prompts if p not in before.prompts),
        prompts_resolved=tuple(p for p in before.prompts if p not in after.prompts),
    )


def to_markdown(version: Version, feedback: Feedback) -> str:
    """A version of a draft and what the coach noticed, as Markdown to share with a coach."""
    kind = KIND_NAMES.get(version.kind, "Story")
    lines = [f"# {version.name}", "", f"*{kind}, version {version.number}, saved {version.saved_at[:16].replace('T', ' ')}*",
             "", version.text.strip(), "", "## What the story coach noticed", ""]
    if feedback.values:
        lines.append("Values language:")
        lines.append("")
        lines += [f"- \u201c{v.text}\u201d ({FAMILY_LABELS.get(v.family, v.family)})" for v in feedback.values]
    else:
        lines.append("No values language found yet.")
    lines += ["", "Challenge, choice and outcome:", ""]
    for move, where in moves_found(feedback).items():
        state = f"found in sentence {', '.join(map(str, where))}" if where else "not found yet"
        lines.append(f"- {move.capitalize()}: {state}")
    cta = feedback.call_to_action
    lines += ["", "The ask: " + ("none found" if not cta.present else ("specific" if cta.specific else "not yet specific"))]
    if feedback.prompts:
        lines += ["", "## Questions from the coach", ""]
        lines += [f"{i}. {p}" for i, p in enumerate(feedback.prompts, start=1)]
    lines += ["", "*The coach is a tool that spots patterns in words. Trust your own judgement and your coach's.*", ""]
    return "\n".join(lines)
