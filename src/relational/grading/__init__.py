"""Facilitator grading commands around nbgrader: autograde, feedback, export and report.

Run them with ``python -m relational.grading COMMAND`` in the course folder. Importing this package loads
neither nbgrader nor the story coach; each command imports what it needs when it runs.
"""

from .course import Course, GradingError

__all__ = ["Course", "GradingError"]
