"""The annotated drafts in data/annotated are well formed and match their marked-up source (no coach needed)."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ANNOTATED = ROOT / "data" / "annotated"
DRAFTS = ANNOTATED / "drafts.jsonl"

FAMILIES = {
    "self_direction", "stimulation", "hedonism", "achievement", "power",
    "security", "conformity", "tradition", "benevolence", "universalism",
}
KINDS = {"self", "us", "now"}
MOVES = {"challenge", "choice", "outcome"}
KEYS = ["id", "kind", "split", "text", "values", "traps", "sentences", "call_to_action", "notes"]
SPLITS = {"dev", "heldout", "fresh"}
# The dev/heldout assignment of the original 85 drafts (README.md, "Splits"); adding a batch must never
# change it.
HELDOUT_IDS = {
    "self-002", "self-004", "self-007", "self-012", "self-017", "self-018", "self-021", "self-023", "self-025",
    "us-001", "us-002", "us-007", "us-011", "us-012", "us-017", "us-020", "us-022", "us-023", "us-028",
    "now-003", "now-008", "now-012", "now-015", "now-016", "now-017", "now-022", "now-025", "now-027",
}


def _load_module(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def drafts() -> list[dict]:
    with DRAFTS.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


@pytest.fixture(scope="module")
def convert():
    return _load_module("annotated_convert", ANNOTATED / "convert.py")


def _batch(draft_id: str) -> str | None:
    """The fixed batch of a draft ("fresh", "fresh2", ...) or None for the original 85."""
    head = draft_id.split("-")[0]
    return head if head.startswith("fresh") else None


def test_enough_drafts_of_every_kind_in_both_splits(drafts):
    """At least 60 original drafts, all three kinds, each kind in dev and heldout, about a third held out."""
    original = [d for d in drafts if _batch(d["id"]) is None]
    assert len(original) >= 60
    by = Counter((d["kind"], d["split"]) for d in original)
    for kind in KINDS:
        assert by[kind, "dev"] > 0 and by[kind, "heldout"] > 0, f"{kind} is missing a split"
    heldout = sum(d["split"] == "heldout" for d in original) / len(original)
    assert 0.25 <= heldout <= 0.4
    assert {d["split"] for d in drafts} == SPLITS


def test_fresh_split_is_the_newest_batch_listed_last(drafts, convert):
    """The fresh split is exactly the newest batch, at least 10 drafts of each kind, after all the others;
    retired batches are dev, and no draft of a batch is ever heldout."""
    newest = convert.FRESH_BATCHES[-1]
    assert newest not in convert.RETIRED_BATCHES
    fresh = [d for d in drafts if d["split"] == "fresh"]
    assert [d["split"] == "fresh" for d in drafts] == [_batch(d["id"]) == newest for d in drafts]
    assert all(n >= 10 for n in Counter(d["kind"] for d in fresh).values()) and len(fresh) >= 30
    assert drafts[-len(fresh):] == fresh, "the fresh batch must come after all other drafts in drafts.jsonl"
    for d in fresh:
        assert d["id"] == f"{newest}-{d['kind']}-{d['id'][-2:]}" and d["id"][-2:].isdigit(), d["id"]
    for d in drafts:
        if _batch(d["id"]) in convert.RETIRED_BATCHES:
            assert d["split"] == "dev", d["id"]


def test_original_dev_heldout_assignment_unchanged(drafts):
    """The 85 original drafts keep exactly their documented dev/heldout split."""
    original = {d["id"]: d["split"] for d in drafts if _batch(d["id"]) is None}
    assert len(original) == 85
    assert {i for i, s in original.items() if s == "heldout"} == HELDOUT_IDS
    assert set(original.values()) == {"dev", "heldout"}


def test_adding_batches_does_not_move_other_splits(convert, tmp_path):
    """convert.py leaves batches out of the random draw: the others' splits are the same with or without."""
    for path in (convert.SOURCE_DIR).glob("*.md"):
        if path.stem not in convert.FRESH_BATCHES:
            (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    without = {d["id"]: d["split"] for d in convert.build(tmp_path)}
    with_batches = {d["id"]: d["split"] for d in convert.build() if _batch(d["id"]) is None}
    assert without == with_batches


@pytest.mark.parametrize(
    "name, draft_id, message",
    [
        ("self.md", "fresh2-self-01", "belong in fresh2.md"),
        ("fresh.md", "fresh2-self-01", "holds only ids starting 'fresh-'"),
        ("fresh2.md", "self-001", "holds only ids starting 'fresh2-'"),
        ("fresh2.md", "fresh2-self-001", "should look like"),
        ("fresh99.md", "fresh99-self-01", "not a known batch"),
    ],
)
def test_batch_ids_only_in_their_file(convert, tmp_path, name, draft_id, message):
    """fresh2-* ids live in source/fresh2.md, and fresh2.md holds nothing else; unknown batches are refused."""
    filler = " ".join(["word"] * 45)
    (tmp_path / name).write_text(f"### {draft_id}\n{filler}.\n", encoding="utf-8")
    with pytest.raises(convert.MarkupError, match=message):
        convert.build(tmp_path)


def test_ids_unique_and_schema_keys(drafts):
    """Every draft has exactly the documented keys, a unique id and a kind that matches its id."""
    assert len({d["id"] for d in drafts}) == len(drafts)
    for d in drafts:
        assert list(d) == KEYS, d["id"]
        assert d["kind"] in KINDS and d["id"].split("-")[-2] == d["kind"]
        assert d["split"] in SPLITS
        assert isinstance(d["notes"], str)


def test_value_and_trap_offsets_match_text(drafts):
    """text[start:end] is the span text for every value and trap; families are Schwartz's ten."""
    for d in drafts:
        for span in d["values"]:
            assert d["text"][span["start"]:span["end"]] == span["text"], (d["id"], span)
            assert span["family"] in FAMILIES, (d["id"], span)
        for span in d["traps"]:
            assert d["text"][span["start"]:span["end"]] == span["text"], (d["id"], span)
            assert set(span) == {"start", "end", "text"}


def test_values_and_traps_never_overlap(drafts):
    """A phrase is either values language or a trap, never both, and marks do not overlap."""
    for d in drafts:
        marks = sorted(d["values"] + d["traps"], key=lambda s: s["start"])
        for a, b in zip(marks, marks[1:]):
            assert a["end"] <= b["start"], (d["id"], a["text"], b["text"])


def test_sentences_cover_the_text_in_order(drafts):
    """Sentences are in order, do not overlap, and only whitespace lies between them."""
    for d in drafts:
        text, pos = d["text"], 0
        for s in d["sentences"]:
            assert pos <= s["start"] < s["end"] <= len(text), (d["id"], s)
            assert not text[pos:s["start"]].strip(), (d["id"], text[pos:s["start"]])
            assert text[s["start"]:s["end"]] == text[s["start"]:s["end"]].strip()
            assert isinstance(s["abstract_claim"], bool)
            assert set(s["moves"]) <= MOVES and len(set(s["moves"])) == len(s["moves"])
            pos = s["end"]
        assert not text[pos:].strip()


def _original(drafts):
    return [d for d in drafts if d["split"] != "fresh"]


def _fresh(drafts):
    return [d for d in drafts if d["split"] == "fresh"]


@pytest.mark.parametrize("part", [_original, _fresh], ids=["dev+heldout", "fresh"])
def test_calls_to_action_are_well_formed(drafts, part):
    """An ask has a span and a specific flag; no ask has nulls; most stories of now have one (in each part)."""
    drafts = part(drafts)
    for d in drafts:
        cta = d["call_to_action"]
        assert set(cta) == {"present", "start", "end", "specific"}
        if cta["present"]:
            assert 0 <= cta["start"] < cta["end"] <= len(d["text"]), d["id"]
            assert isinstance(cta["specific"], bool)
        else:
            assert cta["start"] is cta["end"] is cta["specific"] is None
    now = [d for d in drafts if d["kind"] == "now"]
    with_ask = [d for d in now if d["call_to_action"]["present"]]
    assert len(with_ask) >= 0.75 * len(now)
    assert any(d["call_to_action"]["specific"] for d in with_ask), "need some specific asks"
    assert any(not d["call_to_action"]["specific"] for d in with_ask), "need some vague asks"
    assert any(not d["call_to_action"]["present"] for d in now), "need some stories of now with no ask"


@pytest.mark.parametrize("part, scale, no_values", [(_original, 1.0, 2), (_fresh, 0.35, 1)],
                         ids=["dev+heldout", "fresh"])
def test_coverage_of_the_annotation(drafts, part, scale, no_values):
    """Plenty of traps, every family used, abstract claims and all three moves present, varied lengths
    (the fresh split, about a third the size, to about a third of the thresholds)."""
    drafts = part(drafts)
    assert sum(len(d["traps"]) for d in drafts) >= 60 * scale
    assert {v["family"] for d in drafts for v in d["values"]} == FAMILIES
    sentences = [s for d in drafts for s in d["sentences"]]
    assert sum(s["abstract_claim"] for s in sentences) >= 30 * scale
    for move in MOVES:
        assert sum(move in s["moves"] for s in sentences) >= 30 * scale
    words = [len(d["text"].split()) for d in drafts]
    assert min(words) >= 40 and max(words) <= 400
    assert sum(len(d["values"]) <= 1 for d in drafts) >= no_values, "need drafts with almost no values language"


def test_drafts_jsonl_counts(drafts):
    """85 original drafts (28 self, 29 us, 28 now), the retired batches in dev (batch 1: 10 of each kind; batches 2
    to 27: 15 of each kind), and the fresh batch after them."""
    by_batch = Counter((_batch(d["id"]), d["kind"]) for d in drafts)
    assert {k: by_batch[None, k] for k in KINDS} == {"self": 28, "us": 29, "now": 28}
    assert {k: by_batch["fresh", k] for k in KINDS} == {"self": 10, "us": 10, "now": 10}
    for batch in (f"fresh{n}" for n in range(2, 28)):
        assert {k: by_batch[batch, k] for k in KINDS} == {"self": 15, "us": 15, "now": 15}
    assert len(drafts) == 1285 + len(_fresh(drafts))


def test_convert_reproduces_drafts_jsonl(convert):
    """drafts.jsonl is exactly what convert.py makes from source/*.md (edit the source, then regenerate)."""
    assert convert.dumps(convert.build()) == DRAFTS.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "body, message",
    [
        ("An [unclosed mark in a sentence that goes on.", "not closed"),
        ("A [value]{kindness} with an unknown family.", "unknown label"),
        ("A sentence with a bad tag. {{abstrakt}}", "unknown sentence tag"),
        ("<<An ask that never closes.", "never closed"),
    ],
)
def test_convert_names_file_and_line_on_bad_markup(convert, tmp_path, body, message):
    """Malformed markup raises MarkupError naming the file and line."""
    source = tmp_path / "bad.md"
    filler = " ".join(["word"] * 45)
    source.write_text(f"### self-001\n{filler}.\n{body}\n", encoding="utf-8")
    with pytest.raises(convert.MarkupError, match=message) as info:
        convert.build(tmp_path)
    assert "bad.md" in str(info.value)


def test_convert_joins_lines_as_documented(convert, tmp_path):
    """Sentences join with a space, '| ' lines with a newline, blank lines with a paragraph break."""
    filler = " ".join(["word"] * 40)
    (tmp_path / "x.md").write_text(
        "### now-001\n%% a note\nFirst [fair]{universalism} one. {{abstract}}\nSecond [to be fair]{trap}.\n"
        f"| - a bullet {{{{challenge, choice}}}}\n\n<<Come on Tuesday at 7pm.>>{{specific}} {{{{choice}}}}\n{filler}\n",
        encoding="utf-8",
    )
    [d] = convert.build(tmp_path)
    assert d["text"].startswith("First fair one. Second to be fair.\n- a bullet\n\nCome on Tuesday at 7pm. word")
    assert [v["text"] for v in d["values"]] == ["fair"] and [t["text"] for t in d["traps"]] == ["to be fair"]
    assert d["sentences"][0]["abstract_claim"] and d["sentences"][2]["moves"] == ["challenge", "choice"]
    cta = d["call_to_action"]
    assert cta["present"] and cta["specific"] and d["text"][cta["start"]:cta["end"]] == "Come on Tuesday at 7pm."
    assert d["notes"] == "a note"


def test_quality_benchmark_scores_gold_as_perfect(drafts):
    """The benchmark's scorer gives perfect figures when the gold annotation is its own prediction."""
    bench = _load_module("bench_coach_quality", ROOT / "benchmarks" / "bench_coach_quality.py")
    gold_as_pred = [{"values": d["values"], "sentences": d["sentences"],
                     "call_to_action": d["call_to_action"]} for d in drafts]
    every = bench.evaluate(drafts, gold_as_pred, fresh=True)
    for split in ("all", "fresh"):
        figures = every[split]
        for key in ("span_precision", "span_recall", "span_f1", "family_accuracy", "abstract_f1", "cta_accuracy",
                    "story_choice_accuracy", "sentence_outcome_accuracy"):
            assert figures[key] == pytest.approx(1.0), (split, key)
        assert figures["traps_flagged"] == 0.0
    empty = bench.evaluate(drafts, [{} for _ in drafts])["all"]
    assert empty["span_recall"] == 0.0 and empty["span_precision"] is None


def test_quality_benchmark_hides_fresh_split_by_default(drafts):
    """By default the benchmark reports dev, heldout and all (= dev + heldout) only; fresh needs --fresh;
    --errors lists dev drafts only, never heldout or fresh ones."""
    bench = _load_module("bench_coach_quality", ROOT / "benchmarks" / "bench_coach_quality.py")
    assert all(d["split"] != "fresh" for d in bench.without_fresh(drafts))
    preds = [{} for _ in drafts]
    figures = bench.evaluate(drafts, preds)
    assert set(figures) == {"dev", "heldout", "all"}
    assert figures["all"]["drafts"] == figures["dev"]["drafts"] + figures["heldout"]["drafts"] == 1285
    assert "fresh" not in bench.table(figures)
    with_fresh = bench.evaluate(drafts, preds, fresh=True)
    assert with_fresh["fresh"]["drafts"] == len(_fresh(drafts)) >= 30 and with_fresh["all"]["drafts"] == 1285
    assert "fresh" in bench.table(with_fresh)
    listed = bench.errors(drafts, preds)
    ids = {line.split()[0] for line in listed.splitlines() if not line.startswith(" ")}
    assert ids and all(i in {d["id"] for d in drafts if d["split"] == "dev"} for i in ids)
