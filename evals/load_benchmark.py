"""Load benchmark for ``summarise_many``: 1,000 short articles through a loopback
OpenAI-compatible server that answers every chat completion after 500 ms.

    .venv/bin/python evals/load_benchmark.py [--articles 1000] [--jobs 32] [--latency 0.5]

Two runs: a clean one, then one where 5% of requests first fail (429 with Retry-After: 1,
or 500, retried with the default back-off). Each prints articles per second, peak RSS and
CPU time per article of this (client) process, results, failures, duplicates, and model
calls per article. The client is bound by one core (the interpreter lock) once its CPU
time per article reaches 1/rate: most of it is spent building and parsing requests inside
the openai SDK and instructor.
Not a unit test; the embedded model is never started.

The server runs in a child process, as a real endpoint would: its work does not compete
with the client's for this interpreter's lock, and peak RSS is the client's alone.

The server is ``tests/chat_server.py`` answering, for whatever schema the request carries,
the smallest valid reply (empty lists, nulls, the first enum value), so the run measures
the batch machinery and the pipeline, not a model.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import resource
import sys
import tempfile
import threading
import time
from collections import Counter
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Optional

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from chat_server import Behaviour, ChatServer, Recorded, ok, status

from summariser.batch.runner import summarise_many
from summariser.endpoint.connection import Endpoint

SUPPLIERS = ["France", "Germany", "Turkey", "South Korea", "Sweden", "Italy", "Brazil"]
RECIPIENTS = ["Chile", "Kenya", "Poland", "Indonesia", "Egypt", "Peru", "Norway"]
WEAPONS = ["patrol boats", "howitzers", "radars", "armoured vehicles", "helicopters"]
OTHER = [
    "The parliament in {r} debated the budget for the third day.",
    "Officials in {r} said the talks with {s} would resume next month.",
    "Heavy rain delayed the harvest across the north of {r}.",
    "{s} and {r} signed a memorandum on university exchanges.",
]


def synthetic_articles(count: int, seed: int = 7) -> list[str]:
    """One or two sentences each: some report a transfer, some a statement, some neither."""
    rng = random.Random(seed)
    articles = []
    for n in range(count):
        s, r, w = rng.choice(SUPPLIERS), rng.choice(RECIPIENTS), rng.choice(WEAPONS)
        first = (
            f"{r} ordered {n % 40 + 2} {w} from {s}, the defence ministry said."
            if n % 3 == 0
            else rng.choice(OTHER).format(s=s, r=r)
        )
        second = rng.choice(["", " " + rng.choice(OTHER).format(s=s, r=r)])
        articles.append(f"{first}{second} (Report {n}.)\n")
    return articles


def _minimal(node: dict[str, Any], defs: dict[str, Any]) -> Any:
    """The smallest value valid for a JSON-schema node."""
    if "$ref" in node:
        return _minimal(defs[node["$ref"].rsplit("/", 1)[-1]], defs)
    branches = node.get("anyOf", [])
    if any(b.get("type") == "null" for b in branches):
        return None
    if branches:
        return _minimal(branches[0], defs)
    if "enum" in node:
        return "unknown" if "unknown" in node["enum"] else node["enum"][0]
    kind = node.get("type", "string")
    if kind == "object":
        return {k: _minimal(v, defs) for k, v in node.get("properties", {}).items()}
    if kind == "array":
        return [_minimal(node["items"], defs) for _ in range(node.get("minItems", 0))]
    return {"string": "x", "integer": 0, "number": 0, "boolean": False}.get(kind)


class SlowServer(ChatServer):
    """Answers every chat request after ``latency`` seconds with the minimal valid reply;
    with ``fault_rate`` a request first fails with 429 (Retry-After: 1) or 500."""

    def __init__(self, latency: float, fault_rate: float = 0.0, seed: int = 11) -> None:
        super().__init__()
        self.latency, self.fault_rate = latency, fault_rate
        self.rng = random.Random(seed)
        self.faults: Counter[int] = Counter()
        self._local = threading.local()

    def _record(self, record: Recorded) -> None:
        super()._record(record)
        self._local.record = record

    def _next(self) -> Optional[Behaviour]:
        body = self._local.record.body
        time.sleep(self.latency)
        with self._lock:
            fault = self.rng.random() < self.fault_rate
            code = self.rng.choice([429, 500])
            if fault:
                self.faults[code] += 1
        if fault:
            return status(code, headers={"Retry-After": "1"} if code == 429 else None)
        fmt = body["response_format"]
        schema = fmt["json_schema"]["schema"] if "json_schema" in fmt else fmt["schema"]
        return ok(json.dumps(_minimal(schema, schema.get("$defs", {}))))


def _serve(latency: float, fault_rate: float, pipe: Connection) -> None:
    """Child process: run a SlowServer, send its base URL, then on any message its counts."""
    server = SlowServer(latency, fault_rate)
    with server:
        pipe.send(server.base_url)
        pipe.recv()
        pipe.send((len(server.chat_requests), dict(server.faults)))


class ServerProcess:
    """A SlowServer in its own process (with its own interpreter lock), as a real endpoint
    would be: the client's throughput is then measured without the server's CPU in it."""

    def __init__(self, latency: float, fault_rate: float) -> None:
        context = multiprocessing.get_context("spawn")
        self.pipe, child = context.Pipe()
        self.process = context.Process(
            target=_serve, args=(latency, fault_rate, child), daemon=True
        )

    def __enter__(self) -> str:
        self.process.start()
        base_url: str = self.pipe.recv()
        return base_url

    def counts(self) -> tuple[int, dict[int, int]]:
        """(chat requests received, faults injected by status code)."""
        self.pipe.send("done")
        requests, faults = self.pipe.recv()
        return requests, faults

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.join(5)


def run(articles: list[str], jobs: int, latency: float, fault_rate: float) -> dict[str, Any]:
    server = ServerProcess(latency, fault_rate)
    with tempfile.TemporaryDirectory() as tmp, server as base_url:
        folder = Path(tmp) / "feed"
        folder.mkdir()
        for n, text in enumerate(articles):
            (folder / f"{n:04d}.txt").write_text(text, encoding="utf-8")
        out = Path(tmp) / "results.jsonl"
        endpoint = Endpoint(base_url=base_url, model="m", api_key="not-needed")
        started, cpu_before = time.perf_counter(), time.process_time()
        outcomes = list(summarise_many([folder], jobs=jobs, endpoint=endpoint, out=out))
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu_before  # this (client) process only, all threads
        lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        calls, faults = server.counts()
    ids = Counter(o.id for o in outcomes)
    hashes = Counter(line["sha256"] for line in lines)
    good = [line for line in lines if line["ok"]]
    return {
        "articles": len(articles),
        "jobs": jobs,
        "parallel_calls": endpoint.parallel_calls,
        "latency_s": latency,
        "fault_rate": fault_rate,
        "faults_injected": faults,
        "seconds": round(seconds, 2),
        "articles_per_s": round(len(articles) / seconds, 1),
        "results_ok": len(good),
        "results_failed": len(lines) - len(good),
        "yielded": len(outcomes),
        "duplicates": sum(c - 1 for c in ids.values()) + sum(c - 1 for c in hashes.values()),
        "http_requests": calls,
        "model_calls_per_article": round(
            sum(line["summary"]["provenance"]["usage"]["llm_calls"] for line in good)
            / max(1, len(good)),
            2,
        ),
        "client_cpu_ms_per_article": round(1000 * cpu / len(articles), 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=32)
    parser.add_argument("--latency", type=float, default=0.5)
    parser.add_argument("--fault-rate", type=float, default=0.05)
    args = parser.parse_args()
    articles = synthetic_articles(args.articles)
    for rate in (0.0, args.fault_rate):
        print(json.dumps(run(articles, args.jobs, args.latency, rate)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
