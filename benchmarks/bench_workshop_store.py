"""Pledges per second into a workshop board, with 1 and with 8 concurrent writer processes.

Run:  .venv/bin/python benchmarks/bench_workshop_store.py [--pledges N] [--repeats R] [--folder DIR]
Each pledge is its own committed transaction with synchronous=FULL (it is on disk when add_pledge returns),
as when people add them one by one. A third line shows one writer with synchronous=NORMAL, which the store
does not use, to show what the fsync per commit costs. Figures depend on the disk: printed, not checked.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import tempfile
import time
from pathlib import Path

from relational.workshop.store import Store


def _write(folder: str, writer: int, count: int, start, synchronous: str) -> None:
    store = Store(folder, create=True)
    if synchronous != "FULL":
        store._conn.execute(f"PRAGMA synchronous = {synchronous}")  # comparison only; the store always uses FULL
    start.wait()
    for i in range(count):
        store.add_pledge(f"Writer {writer}", f"Pledge {i} from writer {writer}: I will ring 5 tenants")
    store.close()


def measure(writers: int, total: int, parent: Path, synchronous: str = "FULL") -> float:
    """Pledges per second for writers processes adding total pledges between them, from a shared start."""
    folder = Path(tempfile.mkdtemp(dir=parent))
    Store(folder, create=True).close()
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    per_writer = total // writers
    processes = [context.Process(target=_write, args=(str(folder), w, per_writer, start, synchronous))
                 for w in range(writers)]
    for p in processes:
        p.start()
    time.sleep(1.0)  # interpreters started and boards opened before the clock starts
    began = time.perf_counter()
    start.set()
    for p in processes:
        p.join()
    elapsed = time.perf_counter() - began
    if any(p.exitcode for p in processes):
        raise SystemExit("a writer failed")
    with Store(folder) as store:
        assert len(store.pledges()) == writers * per_writer
        assert store.integrity_check() == ["ok"]
    return writers * per_writer / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pledges", type=int, default=800, help="pledges per run (default 800)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per line; the median is shown (default 3)")
    parser.add_argument("--folder", type=Path, default=None, help="where to make the boards (default: temp)")
    args = parser.parse_args()
    lines = [("1 writer", 1, "FULL"), ("8 writers", 8, "FULL"), ("1 writer, NORMAL", 1, "NORMAL")]
    results = {}
    with tempfile.TemporaryDirectory(dir=args.folder) as parent:
        for label, writers, sync in lines:
            results[label] = [measure(writers, args.pledges, Path(parent), sync) for _ in range(args.repeats)]
    print(f"{'':<18} {'median/s':>9} {'min/s':>7} {'max/s':>7}")
    for label, rates in results.items():
        print(f"{label:<18} {statistics.median(rates):>9.0f} {min(rates):>7.0f} {max(rates):>7.0f}")
    ratio = statistics.median(results["8 writers"]) / statistics.median(results["1 writer"])
    print(f"8 writers / 1 writer: {ratio:.2f} (SQLite takes one writer at a time; each commit waits for the disk)")


if __name__ == "__main__":
    main()
