"""relational.checks: answers compared by digest, and the copies of the helpers in each notebook's setup cell."""

from __future__ import annotations

import ast
import inspect
import re
import subprocess
import sys

import nbformat
import pytest

from conftest import ROOT
from relational import checks
from relational.checks import digest, normalise

SOLUTIONS = sorted((ROOT / "solutions").glob("*/*.ipynb"))
EXERCISES = sorted((ROOT / "exercises").glob("*/*.ipynb"))


def test_normalise_ignores_case_spaces_quotes_and_punctuation():
    assert normalise("B") == normalise(" b. ") == normalise("(B)") == normalise("'b'") == "b"
    assert normalise("Self-worth") == normalise("self worth") == "selfworth"
    assert normalise("B, E, D") == "bed"
    assert normalise(None) == "none" and normalise("") == ""


def test_a_digest_is_short_stable_and_differs_by_question():
    assert re.fullmatch(r"[0-9a-f]{16}", digest("C", "a2_pick_the_choice"))
    assert digest("C", "a2_pick_the_choice") == digest(" c.", "a2_pick_the_choice")
    assert digest("C", "a2_pick_the_choice") != digest("B", "a2_pick_the_choice")
    # The same answer to two questions (or two parts) has two digests, so they cannot be compared.
    assert digest("weak", "a5_strong_ask:a") != digest("weak", "a5_strong_ask:c")


def test_the_command_prints_a_digest_to_paste_into_a_check():
    done = subprocess.run([sys.executable, "-m", "relational.checks", "a2_pick_the_choice", "C"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == digest("C", "a2_pick_the_choice")


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.parent.name)
def test_each_setup_cell_carries_an_exact_copy_of_the_helpers(path):
    nb = nbformat.read(path, as_version=4)
    (setup,) = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id", "").endswith("_setup")]
    assert setup.metadata.nbgrader.locked and "remove-input" in setup.metadata.get("tags", [])
    for helper in (checks.normalise, checks.digest):
        assert inspect.getsource(helper).rstrip("\n") in setup.source, f"{path.name}: copy {helper.__name__} from relational.checks"
    assert "import hashlib" in setup.source


def _visible_tests(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("grade"):
            yield meta["grade_id"], cell.source.split("### BEGIN HIDDEN TESTS")[0]


@pytest.mark.parametrize("path", EXERCISES, ids=lambda p: p.parent.name)
def test_no_released_check_compares_an_answer_with_its_text(path):
    """Every equality a released check asserts is between digests, never between an answer and a word."""
    for grade_id, source in _visible_tests(path):
        assert "BEGIN HIDDEN TESTS" not in source
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.Assert):
                continue
            for compare in (n for n in ast.walk(node.test) if isinstance(n, ast.Compare)):
                if not any(isinstance(op, (ast.Eq, ast.NotEq)) for op in compare.ops):
                    continue
                sides = [compare.left, *compare.comparators]
                words = [s.value for s in sides if isinstance(s, ast.Constant) and isinstance(s.value, str)]
                hashed = isinstance(compare.left, ast.Call) and getattr(compare.left.func, "id", "") in ("digest",)
                hashed = hashed or (isinstance(compare.left, ast.Name) and compare.left.id == "given_digest")
                assert hashed or words in ([], [""]), f"{grade_id} compares with {words}: {ast.unparse(node)[:90]}"


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.parent.name)
def test_the_model_answers_match_the_digests_in_their_checks(path):
    """Run each check on its model answer with the setup cell's helpers: every check passes."""
    nb = nbformat.read(path, as_version=4)
    namespace: dict = {"normalise": normalise, "digest": digest}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("builtins.print", lambda *a, **k: None)
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if cell.cell_type == "code" and not meta.get("grade_id", "").endswith("_setup"):
                exec(compile(cell.source, meta.get("grade_id", "cell"), "exec"), namespace)
