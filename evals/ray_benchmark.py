"""The Ray engine against the local runner (``--jobs``) on the same articles, through the
loopback server of ``evals/load_benchmark.py`` (its own process) answering after 500 ms.

    .venv/bin/python evals/ray_benchmark.py [--articles 1000] [--jobs 32] [--latency 0.5]
        [--actors 2,4,8] [--per-actor 8]

Runs, each on a fresh results file or folder:

* ``local``: ``summarise_many(jobs=--jobs)``, the engine of ``extract --out x.jsonl``;
* ``ray``: ``summarise_dataset`` with ``actors × --per-actor`` articles in flight, for
  each ``--actors`` (the one with ``actors × per-actor == jobs`` is the equal-concurrency
  comparison);
* ``ray, all done``: the last Ray run again on its own folder, where every article is
  already done: what a run costs before any article (actors started, results read back).

Printed per run (one JSON line): articles/s, wall seconds, results, duplicates, and peak
memory: this (driver) process's RSS, and for Ray the peak RSS summed over the cluster's
processes (raylet, GCS, workers, actors) and the largest actor. Also the time
``ray.init`` takes to start the local cluster. Not a unit test; no model is started.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import ray
from load_benchmark import ServerProcess, synthetic_articles

from summariser.batch.results import open_results
from summariser.batch.runner import summarise_many
from summariser.distributed import summarise_dataset
from summariser.endpoint.connection import Endpoint

ACTOR_TITLE = "ArticleMapper"


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            tree.setdefault(parent, []).append(int(entry.name))
    return tree


def _descendants(root: int) -> list[int]:
    tree, found, frontier = _children(), [], [root]
    while frontier:
        for child in tree.get(frontier.pop(), []):
            found.append(child)
            frontier.append(child)
    return found


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return ""


class ClusterMemory:
    """Samples the RSS of every process this one started (Ray's, here) twice a second."""

    def __init__(self) -> None:
        self.peak_total_kb = 0
        self.peak_actor_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        while not self._stop.wait(0.5):
            pids = _descendants(os.getpid())
            sizes = {pid: _rss_kb(pid) for pid in pids}
            self.peak_total_kb = max(self.peak_total_kb, sum(sizes.values()))
            actors = [size for pid, size in sizes.items() if ACTOR_TITLE in _command(pid)]
            self.peak_actor_kb = max([self.peak_actor_kb, *actors])

    def __enter__(self) -> ClusterMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(2)


def _driver_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def run_local(folder: Path, out: Path, endpoint: Endpoint, jobs: int) -> dict[str, Any]:
    started = time.perf_counter()
    outcomes = list(summarise_many([folder], jobs=jobs, endpoint=endpoint, out=out))
    seconds = time.perf_counter() - started
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    hashes = Counter(line["sha256"] for line in lines)
    return {
        "engine": "local",
        "in_flight": jobs,
        "seconds": round(seconds, 2),
        "articles_per_s": round(len(outcomes) / seconds, 1),
        "results_ok": sum(1 for line in lines if line["ok"]),
        "results_failed": sum(1 for line in lines if not line["ok"]),
        "duplicates": sum(c - 1 for c in hashes.values()),
        "driver_peak_rss_mb": _driver_rss_mb(),
    }


def run_ray(
    folder: Path, out: Path, endpoint: Endpoint, actors: int, per_actor: int, label: str
) -> dict[str, Any]:
    with ClusterMemory() as memory:
        started = time.perf_counter()
        report = summarise_dataset([folder], out, actors=actors, jobs=per_actor, endpoint=endpoint)
        seconds = time.perf_counter() - started
    rows = list(open_results(out).latest())
    written = report.succeeded + report.failed
    return {
        "engine": label,
        "actors": actors,
        "in_flight": actors * per_actor,
        "seconds": round(seconds, 2),
        "articles_per_s": round(written / seconds, 1) if written else None,
        "results_ok": sum(1 for r in rows if r["ok"]),
        "results_failed": sum(1 for r in rows if not r["ok"]),
        "skipped_as_done": report.skipped,
        "duplicates": len(rows) - len({r["sha256"] for r in rows}),
        "driver_peak_rss_mb": _driver_rss_mb(),
        "cluster_peak_rss_mb": round(memory.peak_total_kb / 1024, 1),
        "actor_peak_rss_mb": round(memory.peak_actor_kb / 1024, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=32)
    parser.add_argument("--latency", type=float, default=0.5)
    parser.add_argument("--actors", default="2,4,8", help="Ray pool sizes to try, comma-separated")
    parser.add_argument("--per-actor", type=int, default=8, help="articles in flight per actor")
    args = parser.parse_args()
    sizes = [int(n) for n in args.actors.split(",")]
    print(json.dumps({"cpus": os.cpu_count(), "articles": args.articles,
                      "latency_s": args.latency}), flush=True)  # fmt: skip
    server = ServerProcess(args.latency, 0.0)
    with tempfile.TemporaryDirectory() as tmp, server as base_url:
        folder = Path(tmp) / "feed"
        folder.mkdir()
        for n, text in enumerate(synthetic_articles(args.articles)):
            (folder / f"{n:04d}.txt").write_text(text, encoding="utf-8")
        endpoint = Endpoint(base_url=base_url, model="m", api_key="not-needed")
        result = run_local(folder, Path(tmp) / "local.jsonl", endpoint, args.jobs)
        print(json.dumps(result), flush=True)
        started = time.perf_counter()
        ray.init(include_dashboard=False)
        print(json.dumps({"ray_init_s": round(time.perf_counter() - started, 2),
                          "ray_cpus": ray.cluster_resources().get("CPU")}), flush=True)  # fmt: skip
        out = Path(tmp) / "none"
        for actors in sizes:
            out = Path(tmp) / f"ray-{actors}"
            result = run_ray(folder, out, endpoint, actors, args.per_actor, "ray")
            print(json.dumps(result), flush=True)
        again = run_ray(folder, out, endpoint, sizes[-1], args.per_actor, "ray, all done")
        print(json.dumps(again), flush=True)
        ray.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
