"""Keep hidden tests out of feedback: their code, the lines a traceback quotes, and their messages.

nbgrader's ClearHiddenTests removes the hidden lines from a test cell's source, but the cell's output from
autograding stays: a traceback quotes the failing line, and an assert message in a hidden test may name the
right answer ("The exchange is sentence B"). ``HideHiddenTestOutput`` runs before ClearHiddenTests, in our
feedback command and (through nbgrader_config.py) in plain ``nbgrader generate_feedback`` and the formgrader.
"""

from __future__ import annotations

import ast
import re
import textwrap

from nbgrader.preprocessors import NbGraderPreprocessor

HIDDEN_BEGIN = "BEGIN HIDDEN TESTS"
HIDDEN_END = "END HIDDEN TESTS"
# What a learner reads instead of a failed hidden test's own message.
HIDDEN_MESSAGE = ("Not quite: your facilitator's extra check found a mistake in this answer. Read the question "
                  "again, and ask your facilitator if you would like to talk it through.")


def hidden_messages(source: str) -> list[str]:
    """The strings (assert messages) written inside a cell's hidden tests."""
    blocks = re.findall(rf"{HIDDEN_BEGIN}[^\n]*\n(.*?)(?:\n[^\n]*{HIDDEN_END}|\Z)", source, re.S)
    found: list[str] = []
    for block in blocks:
        try:
            tree = ast.parse(textwrap.dedent(block))
        except SyntaxError:  # a block inside an if or a loop: take its quoted strings as they are
            found += [m[1] for m in re.findall(r"(['\"])(.{12,}?)\1", block)]
            continue
        found += [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    return [text for text in found if len(text.strip()) >= 12]


class HideHiddenTestOutput(NbGraderPreprocessor):
    """In cells with hidden tests, reduce errors to 'ErrorName: message', and replace hidden messages."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and HIDDEN_BEGIN in cell.source:
            secrets = hidden_messages(cell.source)
            for output in cell.get("outputs", []):
                if output.get("output_type") != "error":
                    continue
                value = str(output.get("evalue", ""))
                if value.strip() and any(s in value or value.strip() in s for s in secrets):
                    output["evalue"] = value = HIDDEN_MESSAGE
                output["traceback"] = [f"{output.get('ename', 'Error')}: {value}".strip()]
        return cell, resources
