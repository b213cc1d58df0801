"""Relationship log: one-to-one reflections kept in the learner's folder, with a pandas view and plots over time.

The log is a JSON Lines file (`log/relationships.jsonl` in the learner's folder), one event a line:

    {"type": "meeting", "id": "...", "person": "AB", "date": "2026-03-02", "purpose": "...",
     "interests_values": "...", "resources": "...", "exchanged": "...", "commitment": "...",
     "follow_up": "2026-04-01" or null, "saved_at": "..."}
    {"type": "kept", "id": "...", "meeting": "<id of the meeting>", "date": "2026-03-20", "saved_at": "..."}

Lines are only ever appended (under a lock, then flushed to disk), so two windows writing at once never lose an
entry, and marking a commitment as kept never rewrites what came before.
"""

from __future__ import annotations

import base64
import io
import json
import os
import uuid
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path

import ipywidgets as widgets

from relational.widgets import _common as ui

try:  # POSIX file locks; on Windows appends of one short line are atomic enough for one learner
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]


class LogError(Exception):
    """The log could not be read or written; the message says what to do."""


@dataclass(frozen=True)
class Reflection:
    """What a learner noted after a one-to-one."""

    person: str
    date: str
    purpose: str = ""
    interests_values: str = ""
    resources: str = ""
    exchanged: str = ""
    commitment: str = ""
    follow_up: str | None = None
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])

    def problems(self) -> list[str]:
        """What is missing or wrong, in words (empty when the reflection can be saved)."""
        out = []
        if not self.person.strip():
            out.append("Say who you met (a name or initials).")
        try:
            met = date.fromisoformat(self.date)
        except (TypeError, ValueError):
            out.append("Give the date of the meeting.")
            met = None
        if self.follow_up:
            try:
                follow = date.fromisoformat(self.follow_up)
            except ValueError:
                out.append("The follow-up date is not a date.")
            else:
                if met and follow < met:
                    out.append("The follow-up date is before the meeting.")
        return out


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


class RelationshipLog:
    """The learner's log of one-to-ones (append-only JSON Lines)."""

    def __init__(self, home: Path | None = None):
        self.home = Path(home) if home is not None else ui.learner_home()
        self.path = self.home / "log" / "relationships.jsonl"

    def _append(self, event: dict) -> None:
        line = json.dumps(event, ensure_ascii=False) + "\n"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path, "a", encoding="utf-8") as handle:
                if fcntl:
                    fcntl.flock(handle, fcntl.LOCK_EX)
                try:
                    handle.write(line)
                    handle.flush()
                    os.fsync(handle.fileno())
                finally:
                    if fcntl:
                        fcntl.flock(handle, fcntl.LOCK_UN)
        except OSError as err:
            raise LogError(f"Your reflection was NOT saved to {self.path}: {err.strerror or err}.") from err

    def add(self, reflection: Reflection) -> Reflection:
        """Append a meeting; raises LogError with the problems if it cannot be saved."""
        problems = reflection.problems()
        if problems:
            raise LogError(" ".join(problems))
        self._append({"type": "meeting", **asdict(reflection), "saved_at": _now()})
        return reflection

    def mark_kept(self, meeting_id: str, on: str | None = None) -> None:
        """Record that the commitment made at a meeting was kept."""
        if meeting_id not in {e["id"] for e in self.events() if e.get("type") == "meeting"}:
            raise LogError("That meeting is not in your log.")
        self._append({"type": "kept", "id": uuid.uuid4().hex[:12], "meeting": meeting_id,
                      "date": on or date.today().isoformat(), "saved_at": _now()})

    def events(self) -> list[dict]:
        """Every event in the log, oldest first; a damaged line is reported with its line number."""
        if not self.path.exists():
            return []
        out = []
        with open(self.path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    event = json.loads(line)
                except ValueError as err:
                    raise LogError(f"{self.path}, line {number}: not valid JSON ({err.msg}). "
                                   "Fix or delete that line; the others are safe.") from err
                if not isinstance(event, dict) or event.get("type") not in ("meeting", "kept"):
                    raise LogError(f"{self.path}, line {number}: not a meeting or a kept commitment.")
                out.append(event)
        return out

    def frame(self, today: date | None = None):
        """The meetings as a pandas DataFrame: one row a meeting, with whether its commitment was kept and is due.

        Returns:
            Columns: id, date, person, purpose, commitment, follow_up, kept, kept_on, follow_up_due.
        """
        import pandas as pd

        today = today or date.today()
        events = self.events()
        kept = {}
        for e in events:
            if e["type"] == "kept":
                kept.setdefault(e["meeting"], e.get("date"))
        rows = []
        for e in events:
            if e["type"] != "meeting":
                continue
            follow = e.get("follow_up") or None
            has_commitment = bool((e.get("commitment") or "").strip())
            is_kept = e["id"] in kept
            rows.append({
                "id": e["id"],
                "date": pd.Timestamp(e["date"]),
                "person": e.get("person", ""),
                "purpose": e.get("purpose", ""),
                "commitment": e.get("commitment", ""),
                "follow_up": pd.Timestamp(follow) if follow else pd.NaT,
                "kept": is_kept,
                "kept_on": pd.Timestamp(kept[e["id"]]) if is_kept and kept[e["id"]] else pd.NaT,
                "follow_up_due": bool(follow and has_commitment and not is_kept and date.fromisoformat(follow) <= today),
            })
        columns = ["id", "date", "person", "purpose", "commitment", "follow_up", "kept", "kept_on", "follow_up_due"]
        frame = pd.DataFrame(rows, columns=columns)
        return frame.sort_values("date", kind="stable").reset_index(drop=True)


def summary(frame) -> dict:
    """Counts for the log's headline: meetings, people, commitments made and kept, follow-ups due."""
    made = int((frame["commitment"].fillna("").str.strip() != "").sum()) if len(frame) else 0
    return {
        "meetings": int(len(frame)),
        "people": int(frame["person"].str.strip().str.lower().nunique()) if len(frame) else 0,
        "commitments_made": made,
        "commitments_kept": int(frame["kept"].sum()) if len(frame) else 0,
        "follow_ups_due": int(frame["follow_up_due"].sum()) if len(frame) else 0,
    }


def monthly(frame):
    """Per month: meetings, commitments made and commitments kept (a DataFrame indexed by month)."""
    import pandas as pd

    if not len(frame):
        return pd.DataFrame(columns=["meetings", "commitments made", "commitments kept"])
    month = frame["date"].dt.to_period("M")
    made = frame["commitment"].fillna("").str.strip() != ""
    out = pd.DataFrame({
        "meetings": frame.groupby(month).size(),
        "commitments made": made.groupby(month).sum(),
        "commitments kept": frame["kept"].groupby(frame["kept_on"].dt.to_period("M")).sum()
        if frame["kept"].any() else 0,
    }).fillna(0).astype(int)
    # Every month from the first to the last (at most the last 12), so gaps in the habit show as gaps.
    months = pd.period_range(out.index.min(), out.index.max(), freq="M")[-12:]
    out = out.reindex(months, fill_value=0)
    out.index = out.index.astype(str)
    out.index.name = "month"
    return out


def chart_png(frame) -> bytes:
    """A bar chart of meetings, commitments made and kept per month, as PNG bytes (matplotlib, no display)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    table = monthly(frame)
    fig = Figure(figsize=(6.4, 3.0), dpi=100)
    ax = fig.add_subplot()
    if len(table):
        x = range(len(table))
        width = 0.27
        styles = (("meetings", "#1d70b8", ""), ("commitments made", "#f47738", "//"), ("commitments kept", "#00703c", ".."))
        for i, (column, colour, hatch) in enumerate(styles):
            ax.bar([p + (i - 1) * width for p in x], table[column], width, label=column, color=colour, hatch=hatch,
                   edgecolor="#0b0c0c")
        labels = [datetime.strptime(m, "%Y-%m").strftime("%b %Y") for m in table.index]
        ax.set_xticks(list(x), labels)
        if len(labels) > 4:  # keep month names readable when the log spans many months
            ax.tick_params(axis="x", labelrotation=45)
            for label in ax.get_xticklabels():
                label.set_horizontalalignment("right")
        ax.legend(frameon=False, fontsize=9)
    ax.set_ylabel("number")
    ax.set_title("Your one-to-ones, month by month", fontsize=11)
    ax.yaxis.get_major_locator().set_params(integer=True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def _table_html(frame) -> str:
    if not len(frame):
        return "<p>No one-to-ones logged yet. After a one-to-one, fill in the reflection form in the planner.</p>"
    rows = []
    for _, r in frame.iterrows():
        follow = r["follow_up"].date().isoformat() if not _isna(r["follow_up"]) else "none set"
        state = "kept" if r["kept"] else ("due now" if r["follow_up_due"] else ("open" if r["commitment"].strip() else "no commitment"))
        rows.append(f"<tr><td>{ui.esc(r['date'].date().isoformat())}</td><td>{ui.esc(r['person'])}</td>"
                    f"<td>{ui.esc(r['commitment'])}</td><td>{ui.esc(follow)}</td><td>{ui.esc(state)}</td></tr>")
    return ('<div class="rl-table-wrap" tabindex="0" role="region" aria-label="Your one-to-ones (scrolls sideways on a small screen)"><table class="rl-table"><caption>Your one-to-ones, oldest first</caption>'
            '<thead><tr><th scope="col">Date</th><th scope="col">Who</th><th scope="col">Commitment</th>'
            '<th scope="col">Follow up by</th><th scope="col">Commitment state</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def _isna(value) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


class LogView:
    """The relationship log's widgets: headline counts, a chart, the table, and marking commitments kept."""

    def __init__(self, log: RelationshipLog | None = None, today: date | None = None):
        self.log = log or RelationshipLog()
        self.today = today
        self.headline = widgets.HTML("")
        self.chart = widgets.HTML("")
        self.table = widgets.HTML("")
        self.due = widgets.HTML("")
        self.open_commitments = ui.dropdown("Commitment to mark as kept", options=[("(none open)", "")], value="")
        self.kept_button = ui.button("Mark as kept")
        self.refresh_button = ui.button("Refresh the log", secondary=True)
        self.status = ui.status()
        self.kept_button.on_click(lambda _: self.mark_kept())
        self.refresh_button.on_click(lambda _: self.refresh())
        self.box = ui.app_box([
            ui.help_text(f"Your log is kept in {self.log.path}. Only you can see it."),
            self.headline, self.due,
            ui.heading("Month by month"), self.chart,
            ui.heading("Every one-to-one"), self.table,
            ui.heading("Commitments kept"),
            ui.help_text("When a commitment is kept (by you or by them), mark it here. Trust grows as commitments "
                         "are made and kept."),
            self.open_commitments, ui.buttons(self.kept_button, self.refresh_button), self.status,
        ])
        self.refresh()

    def refresh(self):
        """Read the log again and redraw everything; returns the DataFrame."""
        try:
            frame = self.log.frame(self.today)
        except LogError as err:
            self.status.value = ui.status_html(str(err), ok=False)
            return None
        s = summary(frame)
        self.headline.value = (
            f'<p class="rl-big">{s["meetings"]} one-to-one{"s" if s["meetings"] != 1 else ""} with {s["people"]} '
            f'{"people" if s["people"] != 1 else "person"}</p>'
            f'<p>Commitments made: <strong>{s["commitments_made"]}</strong>. Kept: <strong>{s["commitments_kept"]}</strong>. '
            f'Follow-ups due: <strong>{s["follow_ups_due"]}</strong>.</p>')
        due = frame[frame["follow_up_due"]]
        if len(due):
            items = "".join(f"<li>{ui.esc(r['person'])}: {ui.esc(r['commitment'])} "
                            f"(follow up by {r['follow_up'].date().isoformat()})</li>" for _, r in due.iterrows())
            self.due.value = f'<p><strong>Follow-ups due now</strong></p><ul>{items}</ul>'
        else:
            self.due.value = "<p>No follow-ups are due.</p>"
        if len(frame):
            table = monthly(frame)
            alt = "; ".join(f"{m}: {r['meetings']} meetings, {r['commitments made']} commitments made, "
                            f"{r['commitments kept']} kept" for m, r in table.iterrows())
            data = base64.b64encode(chart_png(frame)).decode("ascii")
            self.chart.value = (f'<img src="data:image/png;base64,{data}" alt="Bar chart by month. {ui.esc(alt)}." '
                                'style="max-width: 100%; height: auto;">')
        else:
            self.chart.value = "<p>The chart appears after your first one-to-one is logged.</p>"
        self.table.value = _table_html(frame)
        open_rows = frame[(frame["commitment"].str.strip() != "") & ~frame["kept"]]
        options = [(f"{r['date'].date().isoformat()}, {r['person']}: {r['commitment'][:60]}", r["id"])
                   for _, r in open_rows.iterrows()] or [("(none open)", "")]
        self.open_commitments.options = options
        self.open_commitments.value = options[0][1]
        return frame

    def mark_kept(self) -> bool:
        """Mark the chosen commitment as kept today."""
        meeting = self.open_commitments.value
        if not meeting:
            self.status.value = ui.status_html("There is no open commitment to mark.", ok=False)
            return False
        try:
            self.log.mark_kept(meeting, (self.today or date.today()).isoformat())
        except LogError as err:
            self.status.value = ui.status_html(str(err), ok=False)
            return False
        self.refresh()
        self.status.value = ui.status_html("Marked as kept.")
        return True


def relationship_log(home=None) -> widgets.VBox:
    """Build the relationship log (display it as a cell's last line, or in Voila)."""
    return LogView(RelationshipLog(home)).box
