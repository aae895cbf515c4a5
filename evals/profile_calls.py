"""Profile articles call by call: task, prompt / evaluated / generated tokens, seconds.

    python evals/profile_calls.py ARTICLE [ARTICLE ...] [--base-url URL --model NAME]

Runs ``summarise`` on each article without the response cache (every call reaches the
model) and prints one line per model call, then totals per task. "evaluated" is the
prompt less what the server served from its KV cache, as the server reports it
(``usage.prompt_tokens_details.cached_tokens``; the embedded server does).
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from summariser import summarise
from summariser.endpoint.connection import Endpoint, connect
from summariser.ingest.documents import load


def _task(messages: list[dict[str, str]]) -> str:
    last = messages[-1]["content"] if messages else ""
    line = next((ln for ln in reversed(last.splitlines()) if ln.startswith("Task ")), "Task ?")
    return line.split()[1].rstrip(":")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("articles", nargs="+", type=Path)
    parser.add_argument("--base-url")
    parser.add_argument("--model")
    args = parser.parse_args()
    conn = connect(Endpoint.from_env(base_url=args.base_url, model=args.model))
    calls: list[tuple[str, int, int, int, float]] = []
    started: dict[str, Any] = {}

    def on_request(*_: Any, **kwargs: Any) -> None:
        started.update(at=time.perf_counter(), task=_task(kwargs.get("messages") or []))

    def on_response(response: Any) -> None:
        usage = response.usage
        details = getattr(usage, "prompt_tokens_details", None)
        cached = int(getattr(details, "cached_tokens", 0) or 0)
        seconds = time.perf_counter() - started["at"]
        prompt, generated = usage.prompt_tokens, usage.completion_tokens
        calls.append((started["task"], prompt, prompt - cached, generated, seconds))

    conn.client.on("completion:kwargs", on_request)
    conn.client.on("completion:response", on_response)
    with conn:
        for path in args.articles:
            calls.clear()
            begun = time.perf_counter()
            summary = summarise(load(path), client=conn)
            total = time.perf_counter() - begun
            print(
                f"{path.name}: {total:.1f} s, {len(calls)} calls, {len(summary.actors)} actors, "
                f"{len(summary.arms_transfers)} transfers, {len(summary.claims)} claims"
            )
            for task, prompt, evaluated, generated, seconds in calls:
                print(
                    f"  {task:10} prompt={prompt:6} evaluated={evaluated:5} "
                    f"generated={generated:4} {seconds:6.1f} s"
                )
            per_task: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0, 0.0])
            for task, _, evaluated, generated, seconds in calls:
                row = per_task[task]
                row[0] += 1
                row[1] += evaluated
                row[2] += generated
                row[3] += seconds
            for task, (n, evaluated, generated, seconds) in per_task.items():
                print(
                    f"  = {task:8} calls={n:3.0f} evaluated={evaluated:6.0f} "
                    f"generated={generated:5.0f} {seconds:6.1f} s"
                )


if __name__ == "__main__":
    main()
