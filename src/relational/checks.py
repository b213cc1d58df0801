"""Answer checks for the exercise notebooks: compare a fingerprint of an answer, never the answer itself.

A learner can read every check in an exercise notebook. So a check does not say ``answer == "C"``: it compares
a short SHA-256 digest of the learner's normalised answer with the digest of the right one. Each notebook's
locked setup cell carries a copy of ``normalise`` and ``digest`` (learners' computers need not have this package
installed); ``tests/test_checks.py`` keeps those copies identical to this module.

To change a right answer in ``solutions/``, print its new digest and paste it into the check::

    python -m relational.checks pick_the_choice C
"""

from __future__ import annotations

import argparse
import hashlib
import sys


def normalise(answer: object) -> str:
    """An answer as its lower-case letters and digits only, so that "(B)", " b." and "B" are the same answer."""
    return "".join(ch for ch in str(answer).lower() if ch.isalnum())


def digest(answer: object, salt: str = "") -> str:
    """A short fingerprint of an answer: the first 16 hex digits of the SHA-256 of salt, ":" and the answer.

    Args:
        answer: what the learner typed (any value; it is normalised first).
        salt: the question (and part) it answers, such as "kinds_of_ties:A", so that the same answer to two
            questions has two different digests and the digests cannot be compared with each other.

    Returns:
        16 lower-case hex digits.
    """
    return hashlib.sha256(f"{salt}:{normalise(answer)}".encode("utf-8")).hexdigest()[:16]


def main(argv: list[str] | None = None) -> int:
    """Print the digest of an answer, for pasting into a check in solutions/."""
    parser = argparse.ArgumentParser(prog="python -m relational.checks", description=main.__doc__)
    parser.add_argument("salt", help='the question (and part), as in the check: for example kinds_of_ties:A')
    parser.add_argument("answer", help="the right answer, for example C or bridging")
    args = parser.parse_args(argv)
    print(digest(args.answer, args.salt))
    return 0


if __name__ == "__main__":
    sys.exit(main())
