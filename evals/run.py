"""Run summariser over a fixture folder and score it against the gold labels.

    python evals/run.py ../shared/evalset/dev --out reports/dev.jsonl

Prints, per article: seconds, LLM calls, prompt/completion tokens, record counts next
to the gold counts, evidence offsets that fail ``text[start:end] == quote``, and the
scores; then the aggregate report (JSON beside ``--out``). The full ``summariser eval``
command (issue 3) will supersede this script.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from summariser import connect, summarise
from summariser.endpoint import Endpoint
from summariser.ingest import load
from summariser.records import ArticleSummary
from summariser.scoring import aggregate, load_gold, score_article


def bad_offsets(result: ArticleSummary) -> int:
    records = [*result.actors, *result.arms_transfers, *result.claims]
    return sum(1 for r in records for e in r.evidence if result.text[e.start : e.end] != e.quote)


def twin_actors(result: ArticleSummary) -> int:
    """Pairs of actors that are one entity: a shared surface form, or two states with
    the same ISO code."""
    twins = 0
    actors = result.actors
    for i, a in enumerate(actors):
        forms_a = {f.lower() for f in (a.name, *a.aliases)}
        for b in actors[i + 1 :]:
            forms_b = {f.lower() for f in (b.name, *b.aliases)}
            same_state = a.type == b.type == "state" and a.country and a.country == b.country
            if forms_a & forms_b or same_state:
                twins += 1
    return twins


FURNITURE = ("ALSO READ", "Leave a Reply", "Your email address", "Categories\n")


def furniture_hits(result: ArticleSummary) -> int:
    """Page furniture left in the text the model saw (should be 0)."""
    return sum(result.text.count(marker) for marker in FURNITURE)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--out", type=Path, default=Path("reports/dev.jsonl"))
    parser.add_argument("--base-url")
    parser.add_argument("--model")
    parser.add_argument("--no-cache", action="store_true", help="ask the model every time")
    parser.add_argument("--cache-dir", type=Path, default=Path(".cache/responses"))
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    articles = sorted(args.folder.glob("*.txt"))
    scores = []
    cache_dir = None if args.no_cache else args.cache_dir
    endpoint = Endpoint.from_env(base_url=args.base_url, model=args.model, cache_dir=cache_dir)
    with connect(endpoint) as conn, \
            args.out.open("w", encoding="utf-8") as out:  # fmt: skip
        for path in articles:
            gold = load_gold(path.with_suffix(".json"))
            result = summarise(load(path), client=conn)
            out.write(result.model_dump_json() + "\n")
            out.flush()
            score = score_article(result, gold)
            scores.append(score)
            p = result.provenance
            print(
                f"{path.name[:40]:40} {p.timings['total']:6.1f}s calls={p.usage.llm_calls:2} "
                f"hits={p.usage.cache_hits:2} "
                f"prompt={p.usage.prompt_tokens:6} completion={p.usage.completion_tokens:5} "
                f"actors={len(result.actors):2}/{len(gold.actors):2} "
                f"transfers={len(result.arms_transfers):2}/{len(gold.arms_transfers):2} "
                f"claims={len(result.claims):2}/{len(gold.claims):2} "
                f"bad_offsets={bad_offsets(result)} twins={twin_actors(result)} "
                f"furniture={furniture_hits(result)} "
                f"F1 a={score.actors.f1:.2f} t={score.transfers.f1:.2f} "
                f"ts={score.transfers_strict.f1:.2f} c={score.claims.f1:.2f}",
                flush=True,
            )
    report = aggregate(scores)
    report_path = args.out.with_suffix(".report.json")
    report_path.write_text(report.to_json(), encoding="utf-8")
    data = json.loads(report.to_json())
    totals = {k: v for k, v in data.items() if k != "per_article"}
    print(json.dumps(totals, indent=1)[:4000])
    return 0


if __name__ == "__main__":
    sys.exit(main())
