"""How well the story coach agrees with the annotated drafts in data/annotated/drafts.jsonl.

Runs relational.coach.analyse(text, kind) on the drafts and compares the result with the gold
annotation, for the dev split, the held-out split and both together ("all" = dev + heldout). Figures are
printed as a table (or as JSON with --json), next to the targets from issue 3. Tune on dev; read held-out last.

The `fresh` split (the newest batch of drafts, which nobody tuning the coach has seen) is left out by
default: its drafts are not even given to the coach. It is measured with --fresh, once per release, by
someone who did not tune the coach on it (see data/annotated/README.md, "The fresh split"); after that the
batch is retired into dev and a new one is written. --errors never lists fresh or held-out drafts.

Usage:
    python benchmarks/bench_coach_quality.py              # table: dev, heldout, all
    python benchmarks/bench_coach_quality.py --json       # machine-readable figures
    python benchmarks/bench_coach_quality.py --errors     # also list disagreements on dev drafts
    python benchmarks/bench_coach_quality.py --fresh      # also the fresh split (once per release)

How each figure is scored (see data/annotated/README.md for the gold definitions):
- value spans: a predicted span is a true positive when it overlaps a gold value span; each gold span is
  matched once (pairs are taken largest overlap first). Precision = matched predictions / predictions,
  recall = matched gold spans / gold spans, micro-averaged over the drafts in the split.
- family accuracy: share of matched pairs whose families agree.
- traps wrongly flagged: share of gold trap phrases overlapped by any predicted value span.
- abstract claims: each gold sentence takes the label of the predicted sentence that overlaps it most
  (no overlap: not abstract); precision, recall and F1 of abstract_claim over gold sentences.
- call to action: a draft is right when `present` agrees and, if the gold ask is present, `specific`
  agrees too. Also shown: `present` alone, and `specific` where both have an ask.
- moves per story: for each move, does the draft have at least one sentence with it (predicted vs gold);
  accuracy over drafts. Moves per sentence: the same per gold sentence, using its best-overlap prediction.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "annotated" / "drafts.jsonl"
SPLITS = ("dev", "heldout", "all")  # reported by default; "all" = dev + heldout
FRESH = "fresh"                       # reported only with --fresh
MOVES = ("challenge", "choice", "outcome")

# Targets from issue 3: (figure key, comparison, value).
TARGETS = {
    "span_f1": (">=", 0.85),
    "traps_flagged": ("<=", 0.05),
    "family_accuracy": (">=", 0.80),
    "abstract_f1": (">=", 0.75),
    "cta_accuracy": (">=", 0.90),
}


def load_drafts(path: Path = DATA) -> list[dict]:
    """The annotated drafts, one dict per line of the JSONL file."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _overlap(a: dict, b: dict) -> int:
    return max(0, min(a["end"], b["end"]) - max(a["start"], b["start"]))


def match_spans(pred: list[dict], gold: list[dict]) -> list[tuple[int, int]]:
    """Pairs (pred index, gold index) of overlapping spans, each side used once, largest overlap first."""
    pairs = sorted(
        ((_overlap(p, g), i, j) for i, p in enumerate(pred) for j, g in enumerate(gold) if _overlap(p, g) > 0),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    used_p, used_g, matched = set(), set(), []
    for _, i, j in pairs:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            matched.append((i, j))
    return matched


def best_overlap(target: dict, candidates: list[dict]) -> dict | None:
    """The candidate sentence that overlaps target most (the first on a tie), or None."""
    best, best_len = None, 0
    for cand in candidates:
        n = _overlap(target, cand)
        if n > best_len:
            best, best_len = cand, n
    return best


def _ratio(num: float, den: float) -> float | None:
    return num / den if den else None


def _f1(p: float | None, r: float | None) -> float | None:
    if p is None or r is None:
        return None
    return 2 * p * r / (p + r) if p + r else 0.0


def score(pairs: list[tuple[dict, dict]]) -> dict:
    """Figures for (gold draft, predicted to_dict()) pairs."""
    c = {k: 0 for k in (
        "pred_spans", "gold_spans", "matched", "family_ok", "traps", "traps_flagged",
        "sentences", "abs_tp", "abs_fp", "abs_fn", "gold_abstract",
        "cta_ok", "cta_present_ok", "cta_both", "cta_specific_ok", "cta_gold_present", "cta_pred_present",
    )}
    story_ok = {m: 0 for m in MOVES}
    sentence_ok = {m: 0 for m in MOVES}
    for gold, pred in pairs:
        pv = pred.get("values", [])
        gv = gold["values"]
        matched = match_spans(pv, gv)
        c["pred_spans"] += len(pv)
        c["gold_spans"] += len(gv)
        c["matched"] += len(matched)
        c["family_ok"] += sum(pv[i].get("family") == gv[j]["family"] for i, j in matched)
        c["traps"] += len(gold["traps"])
        c["traps_flagged"] += sum(any(_overlap(t, p) > 0 for p in pv) for t in gold["traps"])

        psents = pred.get("sentences", [])
        for gs in gold["sentences"]:
            ps = best_overlap(gs, psents)
            p_abs = bool(ps and ps.get("abstract_claim"))
            g_abs = gs["abstract_claim"]
            c["sentences"] += 1
            c["gold_abstract"] += g_abs
            c["abs_tp"] += g_abs and p_abs
            c["abs_fp"] += p_abs and not g_abs
            c["abs_fn"] += g_abs and not p_abs
            p_moves = set(ps.get("moves", [])) if ps else set()
            for m in MOVES:
                sentence_ok[m] += (m in p_moves) == (m in gs["moves"])
        for m in MOVES:
            g_has = any(m in s["moves"] for s in gold["sentences"])
            p_has = any(m in s.get("moves", []) for s in psents)
            story_ok[m] += g_has == p_has

        gc = gold["call_to_action"]
        pc = pred.get("call_to_action") or {}
        p_present = bool(pc.get("present"))
        present_ok = p_present == gc["present"]
        c["cta_present_ok"] += present_ok
        c["cta_gold_present"] += gc["present"]
        c["cta_pred_present"] += p_present
        if gc["present"] and p_present:
            c["cta_both"] += 1
            c["cta_specific_ok"] += bool(pc.get("specific")) == gc["specific"]
        c["cta_ok"] += present_ok and (not gc["present"] or bool(pc.get("specific")) == gc["specific"])

    n = len(pairs)
    precision = _ratio(c["matched"], c["pred_spans"])
    recall = _ratio(c["matched"], c["gold_spans"])
    abs_p = _ratio(c["abs_tp"], c["abs_tp"] + c["abs_fp"])
    abs_r = _ratio(c["abs_tp"], c["abs_tp"] + c["abs_fn"])
    return {
        "drafts": n,
        "span_precision": precision,
        "span_recall": recall,
        "span_f1": _f1(precision, recall),
        "family_accuracy": _ratio(c["family_ok"], c["matched"]),
        "traps_flagged": _ratio(c["traps_flagged"], c["traps"]),
        "abstract_precision": abs_p,
        "abstract_recall": abs_r,
        "abstract_f1": _f1(abs_p, abs_r),
        "cta_accuracy": _ratio(c["cta_ok"], n),
        "cta_present_accuracy": _ratio(c["cta_present_ok"], n),
        "cta_specific_accuracy": _ratio(c["cta_specific_ok"], c["cta_both"]),
        **{f"story_{m}_accuracy": _ratio(story_ok[m], n) for m in MOVES},
        **{f"sentence_{m}_accuracy": _ratio(sentence_ok[m], c["sentences"]) for m in MOVES},
        "counts": c,
    }


def analyse_all(drafts: list[dict]) -> tuple[list[dict], list[str], float]:
    """The coach's to_dict() for every draft, messages for drafts it failed on, and seconds taken."""
    try:
        import relational.coach as coach
    except ImportError:
        sys.path.insert(0, str(ROOT / "src"))
        import relational.coach as coach
    if not callable(getattr(coach, "analyse", None)):
        raise SystemExit("relational.coach has no analyse() yet: nothing to measure.")
    failures, predictions = [], []
    started = time.perf_counter()
    for d in drafts:
        try:
            result = coach.analyse(d["text"], d["kind"])
            predictions.append(result.to_dict() if hasattr(result, "to_dict") else dict(result))
        except Exception as err:  # a failure on one draft is reported, not fatal
            failures.append(f"{d['id']}: {type(err).__name__}: {err}")
            predictions.append({"values": [], "sentences": [], "call_to_action": {"present": False}})
    return predictions, failures, time.perf_counter() - started


def without_fresh(drafts: list[dict]) -> list[dict]:
    """The drafts of the dev and heldout splits only (the default set the coach is run on)."""
    return [d for d in drafts if d["split"] != FRESH]


def evaluate(drafts: list[dict], predictions: list[dict], fresh: bool = False) -> dict:
    """Figures for dev, heldout and all (= dev + heldout); for the fresh split too when fresh is true.

    Fresh drafts never count towards "all", whether or not they are reported."""
    pairs = list(zip(drafts, predictions))
    figures = {
        "dev": score([p for p in pairs if p[0]["split"] == "dev"]),
        "heldout": score([p for p in pairs if p[0]["split"] == "heldout"]),
        "all": score([p for p in pairs if p[0]["split"] in ("dev", "heldout")]),
    }
    if fresh:
        figures[FRESH] = score([p for p in pairs if p[0]["split"] == FRESH])
    return figures


ROWS = [
    ("value spans: precision", "span_precision"),
    ("value spans: recall", "span_recall"),
    ("value spans: F1", "span_f1"),
    ("family accuracy (matched spans)", "family_accuracy"),
    ("traps wrongly flagged", "traps_flagged"),
    ("abstract claims: precision", "abstract_precision"),
    ("abstract claims: recall", "abstract_recall"),
    ("abstract claims: F1", "abstract_f1"),
    ("call to action: accuracy", "cta_accuracy"),
    ("  present right", "cta_present_accuracy"),
    ("  specific right (both have one)", "cta_specific_accuracy"),
    ("moves per story: challenge", "story_challenge_accuracy"),
    ("moves per story: choice", "story_choice_accuracy"),
    ("moves per story: outcome", "story_outcome_accuracy"),
    ("moves per sentence: challenge", "sentence_challenge_accuracy"),
    ("moves per sentence: choice", "sentence_choice_accuracy"),
    ("moves per sentence: outcome", "sentence_outcome_accuracy"),
]


def _fmt(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def meets(key: str, value: float | None) -> bool | None:
    """Whether a figure meets its target (None when it has no target or no value)."""
    if key not in TARGETS or value is None:
        return None
    op, target = TARGETS[key]
    return value >= target if op == ">=" else value <= target


def table(figures: dict) -> str:
    """The figures as a plain-text table with targets; 'met' is judged on the held-out split (and, when the
    figures include the fresh split, on it too, in a second status column)."""
    splits = SPLITS + ((FRESH,) if FRESH in figures else ())
    judged = ("heldout",) + ((FRESH,) if FRESH in figures else ())
    lines = [f"{'metric':34} " + " ".join(f"{s:>8}" for s in splits) + f"   {'target':>7}  "
             + "  ".join(f"{s:7}" for s in judged)]
    lines.append("-" * len(lines[0]))
    for label, key in ROWS:
        vals = " ".join(f"{_fmt(figures[s][key]):>8}" for s in splits)
        target, statuses = "", []
        if key in TARGETS:
            op, value = TARGETS[key]
            target = f"{op} {value:.2f}"
            for s in judged:
                ok = meets(key, figures[s][key])
                statuses.append("n/a" if ok is None else ("met" if ok else "NOT met"))
        lines.append(f"{label:34} {vals}   {target:>7}  " + "  ".join(f"{x:7}" for x in statuses))
    lines.append("-" * len(lines[0]))
    for label, key in [("drafts", "drafts")]:
        lines.append(f"{label:34} " + " ".join(f"{figures[s][key]:>8}" for s in splits))
    for label, key in [("gold value spans", "gold_spans"), ("predicted value spans", "pred_spans"),
                       ("trap phrases", "traps"), ("gold sentences", "sentences"),
                       ("gold abstract sentences", "gold_abstract"), ("gold calls to action", "cta_gold_present"),
                       ("predicted calls to action", "cta_pred_present")]:
        lines.append(f"{label:34} " + " ".join(f"{figures[s]['counts'][key]:>8}" for s in splits))
    return "\n".join(line.rstrip() for line in lines)


def errors(drafts: list[dict], predictions: list[dict]) -> str:
    """Disagreements on dev drafts only (held-out and fresh errors are never shown, so nobody tunes to them)."""
    out = []
    for gold, pred in zip(drafts, predictions):
        if gold["split"] != "dev":
            continue
        pv, gv = pred.get("values", []), gold["values"]
        matched = match_spans(pv, gv)
        mi, mj = {i for i, _ in matched}, {j for _, j in matched}
        lines = []
        lines += [f"  extra span   {p['text']!r} ({p.get('family')})" for i, p in enumerate(pv) if i not in mi]
        lines += [f"  missed span  {g['text']!r} ({g['family']})" for j, g in enumerate(gv) if j not in mj]
        lines += [f"  family       {pv[i]['text']!r}: said {pv[i].get('family')}, gold {gv[j]['family']}"
                  for i, j in matched if pv[i].get("family") != gv[j]["family"]]
        lines += [f"  trap flagged {t['text']!r}" for t in gold["traps"] if any(_overlap(t, p) for p in pv)]
        for gs in gold["sentences"]:
            ps = best_overlap(gs, pred.get("sentences", []))
            p_abs = bool(ps and ps.get("abstract_claim"))
            if p_abs != gs["abstract_claim"]:
                lines.append(f"  abstract {'missed' if gs['abstract_claim'] else 'extra '} "
                             f"{gold['text'][gs['start']:gs['end']][:70]!r}")
        gc, pc = gold["call_to_action"], pred.get("call_to_action") or {}
        if bool(pc.get("present")) != gc["present"] or (
                gc["present"] and bool(pc.get("specific")) != gc["specific"]):
            lines.append(f"  call to action: gold present={gc['present']} specific={gc['specific']}, "
                         f"said present={pc.get('present')} specific={pc.get('specific')}")
        if lines:
            out.append(f"{gold['id']} ({gold['kind']})")
            out.extend(lines)
    return "\n".join(out) if out else "no disagreements on dev drafts"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Story coach quality against the annotated drafts.")
    parser.add_argument("--data", type=Path, default=DATA, help="annotated drafts (JSONL)")
    parser.add_argument("--json", action="store_true", help="print machine-readable figures")
    parser.add_argument("--errors", action="store_true", help="list disagreements on dev drafts")
    parser.add_argument("--fresh", action="store_true",
                        help="also run and report the fresh split (once per release, by someone who did not "
                             "tune the coach on it)")
    args = parser.parse_args(argv)

    drafts = load_drafts(args.data)
    if not args.fresh:
        drafts = without_fresh(drafts)  # the coach never sees the fresh drafts unless asked
    predictions, failures, seconds = analyse_all(drafts)
    figures = evaluate(drafts, predictions, fresh=args.fresh)
    if args.json:
        targets = {}
        for k, (op, v) in TARGETS.items():
            targets[k] = {"op": op, "value": v, "heldout_met": meets(k, figures["heldout"][k])}
            if args.fresh:
                targets[k]["fresh_met"] = meets(k, figures[FRESH][k])
        print(json.dumps({
            "data": str(args.data),
            "drafts": len(drafts),
            "failures": failures,
            "seconds": round(seconds, 3),
            "targets": targets,
            "figures": figures,
        }, indent=2))
        return 0
    n = {s: sum(d["split"] == s for d in drafts) for s in ("dev", "heldout", FRESH)}
    fresh_note = f", {n[FRESH]} fresh" if args.fresh else ""
    print(f"Story coach quality on {args.data.relative_to(ROOT) if args.data.is_relative_to(ROOT) else args.data}: "
          f"{len(drafts)} drafts ({n['dev']} dev, {n['heldout']} held-out{fresh_note}), analysed in {seconds:.2f} s")
    if failures:
        print(f"{len(failures)} draft(s) raised an error and were scored as empty feedback:")
        for f in failures:
            print(f"  {f}")
    print()
    print(table(figures))
    if args.errors:
        print()
        print(errors(drafts, predictions))
    return 0


if __name__ == "__main__":
    sys.exit(main())
