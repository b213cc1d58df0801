"""Who meets whom: pairs for one-to-one rounds, and trios with rotating roles for coaching rounds.

One-to-one rounds. With an even number of people, the circle method of a round-robin tournament gives n-1
rounds in which nobody meets the same person twice. With an odd number, we add a placeholder to make the
number even; whoever the placeholder "meets" in a round joins another pair as a third. We chose a trio over
a rotating sit-out because the point of a workshop round is practice: a person sitting out misses a
one-to-one that the others get, and is alone in a room full of conversations. A trio costs nothing but a
few minutes' more time in one group. The trio's guest changes every round (the placeholder meets each person
once), and the pair they join is chosen by a small search so that the guest meets two new people whenever
that is possible, and the fewest possible meetings repeat across the whole rota.

`minimum_repeats` is the floor no rota can beat: each round holds a fixed number of meetings, and only
n(n-1)/2 different pairs exist. Tests check the rota reaches that floor for every group of 6 to 30 over 5 rounds.
What the rota holds to, in order: everyone is in a group every round; repeats at the floor; the trio's seats
shared out evenly; then everyone meeting someone new each round. Only 7 people over 5 rounds cannot have all
four: 4 repeats are forced there, and with the trio shared fairly one pair must meet twice (an exhaustive
search confirms it), so the rota does exactly that rather than keep two people in the trio every round.
"""

from __future__ import annotations

import html
import itertools
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

Group = tuple[str, ...]
Round = tuple[Group, ...]

ROLES = ("teller", "coach", "timekeeper")
# The search for a trio's pair, and the wider search used when the circle method falls short, stop after
# this many steps, so a rota is always quick and the same people always get the same rota.
_SEARCH_STEPS = 20_000
_SMALL_SEARCH_STEPS = 400


@dataclass(frozen=True)
class Rota:
    """A rota of one-to-one rounds: each round is a tuple of groups (pairs, and one trio if numbers are odd)."""

    people: tuple[str, ...]
    rounds: tuple[Round, ...]

    def meetings(self) -> list[tuple[int, frozenset[str]]]:
        """Every (round number, pair) that talks, trios counted as their three pairs; rounds count from 1."""
        return [(number, frozenset(pair)) for number, groups in enumerate(self.rounds, start=1)
                for group in groups for pair in itertools.combinations(group, 2)]

    def repeats(self) -> int:
        """How many meetings are between two people who have already met in an earlier round."""
        seen: set[frozenset[str]] = set()
        count = 0
        for _, pair in self.meetings():
            count += pair in seen
            seen.add(pair)
        return count

    def partners(self, person: str) -> list[tuple[str, ...]]:
        """The people person talks with in each round."""
        return [tuple(p for group in groups if person in group for p in group if p != person)
                for groups in self.rounds]

    def to_frame(self) -> pd.DataFrame:
        """One row a person a round: round, person, partners (joined with ' and '), and whether in a trio."""
        rows = [{"round": number, "person": person, "partners": " and ".join(p for p in group if p != person),
                 "trio": len(group) == 3}
                for number, groups in enumerate(self.rounds, start=1) for group in groups for person in group]
        return pd.DataFrame(rows, columns=["round", "person", "partners", "trio"])

    def to_text(self) -> str:
        """The rota as plain text, a round a block."""
        lines = []
        for number, groups in enumerate(self.rounds, start=1):
            lines.append(f"Round {number}")
            lines += [f"  {' and '.join(group)}" + ("  (a trio)" if len(group) == 3 else "") for group in groups]
        return "\n".join(lines)

    def to_html(self) -> str:
        """The rota as an accessible HTML table (a row a round); every name is escaped."""
        head = "".join(f'<th scope="col">Group {i}</th>' for i in range(1, max(map(len, self.rounds), default=0) + 1))
        body = []
        for number, groups in enumerate(self.rounds, start=1):
            cells = "".join(
                "<td>" + " and ".join(html.escape(p) for p in group) + (" (trio)" if len(group) == 3 else "") + "</td>"
                for group in groups)
            body.append(f'<tr><th scope="row">Round {number}</th>{cells}</tr>')
        return ('<table class="relational-rota"><caption>One-to-one rounds: who meets whom</caption>'
                f'<thead><tr><th scope="col">Round</th>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>')


def meetings_per_round(n: int) -> int:
    """How many pairs talk in one round: n/2 pairs, or (n-3)/2 pairs and a trio (three pairs) when n is odd."""
    return n // 2 if n % 2 == 0 else (n - 3) // 2 + 3


def minimum_repeats(n: int, rounds: int) -> int:
    """The fewest repeated meetings any rota of n people over rounds can have (pairs and at most one trio)."""
    if n < 2:
        return 0
    return max(0, rounds * meetings_per_round(n) - n * (n - 1) // 2)


def _circle(m: int, rounds: int) -> list[list[tuple[int, int]]]:
    """Round-robin pairings of 0..m-1 (m even) by the circle method; after m-1 rounds it starts again."""
    out = []
    for r in range(rounds):
        turn = r % (m - 1)
        pairs = [(turn, m - 1)]
        pairs += [((turn + i) % (m - 1), (turn - i) % (m - 1)) for i in range(1, m // 2)]
        out.append(pairs)
    return out


def _repeats_of(schedule: Iterable[Iterable[tuple[int, ...]]]) -> int:
    seen: set[frozenset[int]] = set()
    count = 0
    for groups in schedule:
        for group in groups:
            for pair in itertools.combinations(group, 2):
                key = frozenset(pair)
                count += key in seen
                seen.add(key)
    return count


def _odd_by_circle(n: int, rounds: int) -> list[list[tuple[int, ...]]]:
    """Circle method with a placeholder; the placeholder's partner joins the pair that costs fewest repeats."""
    ghost = n
    plan = []
    for pairs in _circle(n + 1, rounds):
        guest = next(a if b == ghost else b for a, b in pairs if ghost in (a, b))
        plan.append((guest, [p for p in pairs if ghost not in p]))
    met: Counter[frozenset[int]] = Counter(frozenset(p) for _, rest in plan for p in rest)
    in_trio = Counter(guest for guest, _ in plan)  # the guests are in a trio already
    # The cost of a choice: repeats, with a heavy extra cost when the guest meets nobody new at all.
    best: dict[str, object] = {"cost": None, "choice": None}
    steps = 0

    def cost_now() -> int:
        return sum(v - 1 for v in met.values() if v > 1)

    def search(r: int, choice: list[tuple[int, int]], penalty: int) -> None:
        nonlocal steps
        steps += 1
        cost = cost_now() + penalty
        if best["cost"] is not None and (cost >= best["cost"] or steps > _SEARCH_STEPS):
            return
        if r == len(plan):
            best["cost"], best["choice"] = cost, list(choice)
            return
        guest, rest = plan[r]
        options = sorted(rest, key=lambda p: ((met[frozenset((guest, p[0]))] > 0) + (met[frozenset((guest, p[1]))] > 0),
                                              in_trio[p[0]] + in_trio[p[1]], p))
        for a, b in options:
            old = (met[frozenset((guest, a))] > 0) + (met[frozenset((guest, b))] > 0)
            met[frozenset((guest, a))] += 1
            met[frozenset((guest, b))] += 1
            in_trio[a] += 1
            in_trio[b] += 1
            choice.append((a, b))
            search(r + 1, choice, penalty + (1000 if old == 2 else 0))
            choice.pop()
            in_trio[a] -= 1
            in_trio[b] -= 1
            met[frozenset((guest, a))] -= 1
            met[frozenset((guest, b))] -= 1

    search(0, [], 0)
    schedule = []
    for (guest, rest), host in zip(plan, best["choice"]):  # type: ignore[arg-type]
        groups: list[tuple[int, ...]] = [p for p in rest if p != host]
        groups.append((host[0], host[1], guest))
        schedule.append(groups)
    return schedule


def _partitions(people: Sequence[int]) -> list[tuple[tuple[int, ...], ...]]:
    """Every way to split an odd number of people into one trio and pairs (used for small groups only)."""
    def pairings(rest: list[int]) -> Iterable[list[tuple[int, int]]]:
        if not rest:
            yield []
            return
        for b in rest[1:]:
            for more in pairings([x for x in rest if x not in (rest[0], b)]):
                yield [(rest[0], b), *more]

    return [(*pairs, trio) for trio in itertools.combinations(people, 3)
            for pairs in pairings([x for x in people if x not in trio])]


def _odd_by_search(n: int, rounds: int) -> list[list[tuple[int, ...]]] | None:
    """Branch and bound over whole rounds, for small odd groups where the circle method can fall short.

    Hard limits: no more repeats than the floor, and nobody in the trio more often than a fair share.
    Within those, it looks for the rota in which fewest people meet nobody new in a round.
    """
    people = list(range(n))
    parts = _partitions(people)
    random.Random(n * 1000 + rounds).shuffle(parts)  # fixed seed: the same group size, the same rota
    target, cap = minimum_repeats(n, rounds), -(-3 * rounds // n)
    best: dict[str, object] = {"stale": None, "rota": None}
    steps = 0

    def score(part: tuple[tuple[int, ...], ...], met: set[frozenset[int]]) -> tuple[int, int]:
        stale = sum(all(frozenset((x, y)) in met for y in g if y != x) for g in part for x in g)
        return stale, sum(frozenset(p) in met for g in part for p in itertools.combinations(g, 2))

    def search(r: int, met: set[frozenset[int]], repeats: int, stale: int, in_trio: list[int], rota: list) -> None:
        nonlocal steps
        steps += 1
        if r == rounds:
            best["stale"], best["rota"] = stale, [list(part) for part in rota]
            return
        options = []
        for part in parts:
            if any(in_trio[i] >= cap for i in part[-1]):
                continue
            more_stale, more_repeats = score(part, met)
            if repeats + more_repeats <= target and (best["stale"] is None or stale + more_stale < best["stale"]):
                options.append((more_stale, more_repeats, sum(in_trio[i] for i in part[-1]), part))
        options.sort(key=lambda o: o[:3])
        for more_stale, more_repeats, _, part in options:
            if steps > _SMALL_SEARCH_STEPS or best["stale"] == 0:
                return
            if best["stale"] is not None and stale + more_stale >= best["stale"]:
                continue
            for i in part[-1]:
                in_trio[i] += 1
            rota.append(part)
            search(r + 1, met | {frozenset(p) for g in part for p in itertools.combinations(g, 2)},
                   repeats + more_repeats, stale + more_stale, in_trio, rota)
            rota.pop()
            for i in part[-1]:
                in_trio[i] -= 1

    search(0, set(), 0, 0, [0] * n, [])
    return best["rota"]  # type: ignore[return-value]


def _quality(schedule: list[list[tuple[int, ...]]], n: int) -> tuple[int, int, int]:
    """(repeats, most trios for one person, times someone meets nobody new in a round): lower is better."""
    met: set[frozenset[int]] = set()
    stale = 0
    trios: Counter[int] = Counter()
    for groups in schedule:
        for group in groups:
            stale += sum(all(frozenset((x, y)) in met for y in group if y != x) for x in group)
            if len(group) == 3:
                trios.update(group)
        met |= {frozenset(p) for group in groups for p in itertools.combinations(group, 2)}
    return _repeats_of(schedule), max(trios.values(), default=0), stale


def pair_rounds(people: Sequence[str], rounds: int = 5, *, seed: int | None = None) -> Rota:
    """A rota of one-to-one rounds with the fewest possible repeated partners.

    Args:
        people: the names (at least 2, all different once trimmed and case-folded).
        rounds: how many rounds.
        seed: shuffle the people first (same seed, same rota); None keeps their order.

    Returns:
        Rota: every person is in exactly one group each round; with an odd number, one group is a trio.
    """
    names = _check_people(people, minimum=2)
    if rounds < 1:
        raise ValueError("A rota needs at least one round.")
    if seed is not None:
        random.Random(seed).shuffle(names)
    n = len(names)
    if n % 2 == 0:
        schedule: list[list[tuple[int, ...]]] = [list(pairs) for pairs in _circle(n, rounds)]
    elif n == 3:
        schedule = [[(0, 1, 2)] for _ in range(rounds)]
    else:
        schedule = _odd_by_circle(n, rounds)
        ideal = (minimum_repeats(n, rounds), -(-3 * rounds // n), 0)
        # Only 7 and 9 people can fall short with the circle method over up to 6 rounds (checked for 5
        # to 30 people); the direct search is small there and would be slow for larger groups.
        if _quality(schedule, n) > ideal and n <= 9 and rounds <= 6:
            searched = _odd_by_search(n, rounds)
            if searched is not None and _quality(searched, n) < _quality(schedule, n):
                schedule = searched
    return Rota(tuple(names), tuple(tuple(tuple(names[i] for i in group) for group in groups)
                                    for groups in schedule))


# --- coaching trios ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Turn:
    """One turn in a coaching group: who tells, who coaches, who keeps time (and who else listens, in a four)."""

    teller: str
    coach: str
    timekeeper: str
    listeners: tuple[str, ...] = ()


@dataclass(frozen=True)
class CoachingGroup:
    """A coaching group (three people, or four when numbers do not divide by three) and its turns."""

    members: tuple[str, ...]
    turns: tuple[Turn, ...]


@dataclass(frozen=True)
class CoachingSession:
    """One coaching round: the room split into groups; in each group everyone tells, coaches and keeps time once."""

    number: int
    groups: tuple[CoachingGroup, ...]

    def to_frame(self) -> pd.DataFrame:
        """One row a turn: session, group, turn, teller, coach, timekeeper, listeners."""
        rows = [{"session": self.number, "group": g, "turn": t, "teller": turn.teller, "coach": turn.coach,
                 "timekeeper": turn.timekeeper, "listeners": ", ".join(turn.listeners)}
                for g, group in enumerate(self.groups, start=1) for t, turn in enumerate(group.turns, start=1)]
        return pd.DataFrame(rows)

    def to_html(self) -> str:
        """Role cards for each group as an accessible HTML table; every name is escaped."""
        parts = []
        for g, group in enumerate(self.groups, start=1):
            rows = "".join(
                f'<tr><th scope="row">Turn {t}</th><td>{html.escape(turn.teller)}</td><td>{html.escape(turn.coach)}</td>'
                f'<td>{html.escape(turn.timekeeper)}</td><td>{", ".join(html.escape(p) for p in turn.listeners)}</td></tr>'
                for t, turn in enumerate(group.turns, start=1))
            parts.append(
                f'<table class="relational-roles"><caption>Coaching round {self.number}, group {g}: '
                f'{html.escape(", ".join(group.members))}</caption><thead><tr><th scope="col">Turn</th>'
                '<th scope="col">Teller</th><th scope="col">Coach</th><th scope="col">Timekeeper</th>'
                f'<th scope="col">Also listening</th></tr></thead><tbody>{rows}</tbody></table>')
        return "\n".join(parts)


def group_sizes(n: int) -> list[int]:
    """Sizes of coaching groups for n people: threes, with one or two fours when n does not divide by three."""
    if n < 3:
        raise ValueError("Coaching rounds need at least three people.")
    if n in (4, 5):
        return [n]
    fours = n % 3  # remainder 1: one group of four; remainder 2: two groups of four
    return [4] * fours + [3] * ((n - 4 * fours) // 3)


def _turns(members: tuple[str, ...]) -> tuple[Turn, ...]:
    """Rotate the roles so each member tells once, coaches once and keeps time once."""
    k = len(members)
    return tuple(Turn(members[t], members[(t + 1) % k], members[(t + 2) % k],
                      tuple(members[(t + j) % k] for j in range(3, k))) for t in range(k))


def coaching_rounds(people: Sequence[str], sessions: int = 1, *, seed: int = 0) -> list[CoachingSession]:
    """Coaching groups for one or more sessions, re-mixed so people work with new colleagues each time.

    Args:
        people: the names (at least 3).
        sessions: how many coaching rounds.
        seed: varies the mix (the same seed always gives the same groups).

    Returns:
        list[CoachingSession]: in each group, roles rotate teller -> coach -> timekeeper.
    """
    names = _check_people(people, minimum=3)
    rng = random.Random(seed)
    sizes = group_sizes(len(names))
    together: Counter[frozenset[str]] = Counter()
    result = []

    def cost(groups: list[list[str]]) -> int:
        return sum(together[frozenset(p)] for g in groups for p in itertools.combinations(g, 2))

    for number in range(1, sessions + 1):
        best: list[list[str]] | None = None
        for _ in range(60):
            order = names[:]
            rng.shuffle(order)
            groups, start = [], 0
            for size in sizes:
                groups.append(order[start:start + size])
                start += size
            improved = True
            while improved:  # swap people between groups while that lowers the number of repeated pairings
                improved = False
                for (i, gi), (j, gj) in itertools.combinations(enumerate(groups), 2):
                    for a, b in itertools.product(range(len(gi)), range(len(gj))):
                        before = cost([gi, gj])
                        gi[a], gj[b] = gj[b], gi[a]
                        if cost([gi, gj]) < before:
                            improved = True
                        else:
                            gi[a], gj[b] = gj[b], gi[a]
            if best is None or cost(groups) < cost(best):
                best = [g[:] for g in groups]
            if cost(best) == 0:
                break
        assert best is not None
        for g in best:
            together.update(frozenset(p) for p in itertools.combinations(g, 2))
        result.append(CoachingSession(number, tuple(CoachingGroup(tuple(g), _turns(tuple(g))) for g in best)))
    return result


def _check_people(people: Iterable[str], minimum: int) -> list[str]:
    if isinstance(people, str):
        raise ValueError("Give a list of names, not one string.")
    names = [" ".join(str(p).split()) for p in people]
    if any(not name for name in names):
        raise ValueError("Every person needs a name (one of the names is blank).")
    seen: dict[str, str] = {}
    for name in names:
        if name.casefold() in seen:
            raise ValueError(f"'{name}' is in the list twice; give each person a different name.")
        seen[name.casefold()] = name
    if len(names) < minimum:
        raise ValueError(f"This needs at least {minimum} people; {len(names)} were given.")
    return names
