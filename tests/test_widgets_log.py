"""Relationship log without a browser: reflections accumulate, the pandas view counts, commitments are kept."""

from __future__ import annotations

import json
import threading
from datetime import date

import pytest

from relational.widgets.log import LogError, LogView, Reflection, RelationshipLog, chart_png, monthly, summary


def meeting(person, on, commitment="", follow_up=None):
    return Reflection(person=person, date=on, commitment=commitment, follow_up=follow_up)


@pytest.fixture
def log(tmp_path):
    lg = RelationshipLog(tmp_path)
    lg.add(meeting("JB", "2026-01-10", "Meet again", "2026-02-01"))
    lg.add(meeting("AK", "2026-01-20", "Introduce her to housing", "2026-03-01"))
    lg.add(meeting("JB", "2026-02-03", ""))
    return lg


def test_reflections_accumulate_as_json_lines(log):
    lines = log.path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3
    assert json.loads(lines[0])["person"] == "JB"


def test_pandas_view_and_summary(log):
    frame = log.frame(today=date(2026, 2, 15))
    assert list(frame.columns) == ["id", "date", "person", "purpose", "commitment", "follow_up", "kept", "kept_on",
                                   "follow_up_due"]
    s = summary(frame)
    assert s == {"meetings": 3, "people": 2, "commitments_made": 2, "commitments_kept": 0, "follow_ups_due": 1}


def test_marking_a_commitment_kept(log):
    frame = log.frame(today=date(2026, 2, 15))
    log.mark_kept(frame.loc[0, "id"], "2026-02-01")
    frame = log.frame(today=date(2026, 2, 15))
    assert bool(frame.loc[0, "kept"]) and not bool(frame.loc[0, "follow_up_due"])
    assert summary(frame)["commitments_kept"] == 1
    table = monthly(frame)
    assert table.loc["2026-01", "meetings"] == 2 and table.loc["2026-02", "commitments kept"] == 1
    with pytest.raises(LogError):
        log.mark_kept("nope")


def test_chart_is_a_png(log):
    png = chart_png(log.frame())
    assert png.startswith(b"\x89PNG")


def test_the_view_shows_counts_chart_with_alt_text_and_table(log):
    view = LogView(log, today=date(2026, 2, 15))
    assert "3 one-to-ones with 2 people" in view.headline.value
    assert "Follow-ups due: <strong>1</strong>" in view.headline.value
    assert '<img src="data:image/png;base64,' in view.chart.value and 'alt="Bar chart by month.' in view.chart.value
    assert "<table" in view.table.value and "due now" in view.table.value
    assert "JB: Meet again" in view.due.value
    view.kept_button.click()
    assert "Marked as kept" in view.status.value
    assert "Kept: <strong>1</strong>" in view.headline.value


def test_empty_log(tmp_path):
    view = LogView(RelationshipLog(tmp_path))
    assert "0 one-to-ones" in view.headline.value
    assert "No one-to-ones logged yet" in view.table.value
    assert not view.mark_kept()


def test_learner_text_is_escaped(tmp_path):
    lg = RelationshipLog(tmp_path)
    lg.add(meeting("<script>x</script>", "2026-01-10", "<b>promise</b>", "2026-01-11"))
    view = LogView(lg, today=date(2026, 2, 1))
    for html in (view.table.value, view.due.value, view.chart.value):
        assert "<script>" not in html and "<b>" not in html


def test_bad_reflections_are_refused(tmp_path):
    lg = RelationshipLog(tmp_path)
    with pytest.raises(LogError, match="who you met"):
        lg.add(meeting("", "2026-01-10"))
    with pytest.raises(LogError, match="date of the meeting"):
        lg.add(meeting("AB", "last Tuesday"))
    assert not lg.path.exists()


def test_a_damaged_line_is_named(tmp_path):
    lg = RelationshipLog(tmp_path)
    lg.add(meeting("AB", "2026-01-10"))
    with open(lg.path, "a", encoding="utf-8") as f:
        f.write("{not json\n")
    with pytest.raises(LogError, match="line 2"):
        lg.events()
    view = LogView(lg)
    assert "line 2" in view.status.value


def test_concurrent_writers_lose_nothing(tmp_path):
    lg = RelationshipLog(tmp_path)

    def write(n):
        for i in range(25):
            RelationshipLog(tmp_path).add(meeting(f"P{n}", "2026-01-10", f"c{i}"))

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(lg.events()) == 100


def test_a_restart_keeps_the_log(log, tmp_path):
    assert len(RelationshipLog(tmp_path).frame()) == 3
