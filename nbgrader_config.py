# nbgrader settings for the Relational course. Only what differs from nbgrader's defaults is set here.
# Facilitators: edit solutions/, then run scripts/generate_exercises.sh; never edit exercises/ by hand.
import os

from nbgrader.preprocessors import ClearHiddenTests, GetGrades
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from relational.grading.hidden import HideHiddenTestOutput

c = get_config()  # noqa: F821 (nbgrader provides get_config when it loads this file)

# The course folder is wherever this file is, so commands work from any clone or copy.
ROOT = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.root = ROOT
c.CourseDirectory.course_id = "relational"
# Our layout: model answers in solutions/, learners' notebooks in exercises/ (see README in each).
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
# SQLite on one laptop; gitignored, because it holds learners' marks.
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(ROOT, "gradebook.db")

# Learners type their answer between quotes on a line above the solution, so the released cell needs no
# "raise NotImplementedError" stub; prose boxes get a plain instruction instead of "YOUR ANSWER HERE".
c.ClearSolutions.code_stub = {"python": ""}
c.ClearSolutions.text_stub = "Double-click here and write your answer in place of this line. Press Shift+Enter when you have finished."

# A submission that loops forever is stopped after a minute instead of holding up the whole cohort.
c.ExecutePreprocessor.timeout = 60
# A submission that prints a flood of output cannot bloat the gradebook or the feedback page.
c.LimitOutput.max_lines = 200
c.LimitOutput.max_traceback = 40
# Errors show only their last line ("AssertionError: Not quite: ..."). A full traceback would print the
# source lines around a failed check, and with them the hidden tests that follow it, into the feedback.
c.Execute.extra_arguments = ["--InteractiveShell.xmode=Minimal"]

# Feedback must not show the hidden tests that autograding put back into each notebook, nor their messages
# (one may name the right answer), also when it is made with plain nbgrader or the formgrader's button.
c.GenerateFeedback.preprocessors = [HideHiddenTestOutput, ClearHiddenTests, GetGrades, CSSHTMLHeaderPreprocessor]
