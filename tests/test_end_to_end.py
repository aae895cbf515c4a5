"""End-to-end on the real embedded model: an article we wrote, through the whole pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from summariser import ArticleSummary, summarise
from summariser.endpoint.connection import Connection
from summariser.ingest.documents import load

pytestmark = pytest.mark.model

ARTICLE = Path(__file__).parent.parent / "examples" / "article.txt"


@pytest.fixture(scope="module")
def result(embedded: Connection) -> ArticleSummary:
    return summarise(load(ARTICLE), client=embedded)


def test_output_is_valid_and_grounded(result: ArticleSummary) -> None:
    again = ArticleSummary.model_validate_json(result.model_dump_json())  # full validation
    records = [*again.actors, *again.arms_transfers, *again.claims]
    spans = [e for r in records for e in r.evidence]
    assert spans, "no evidence at all"
    assert all(again.text[e.start : e.end] == e.quote for e in spans)
    assert (
        again.title
        == "Norway to send air defence missiles to Ukraine as Kyiv presses allies for more"
    )


def test_provenance_is_complete(result: ArticleSummary) -> None:
    p = result.provenance
    assert p.endpoint == "embedded" and p.base_url is None
    assert p.usage.llm_calls >= 3 and p.usage.prompt_tokens > 0 and p.usage.completion_tokens > 0
    assert len(p.prompt_hash) == 16 and p.schema_version and p.version
    assert p.timings["total"] >= p.timings["model"] > 0
    # every call after the first shares the system prompt and the article with the one
    # before it: the server evaluates that prefix once and reports the rest as cached
    assert p.usage.prompt_tokens / 2 < p.usage.cached_prompt_tokens < p.usage.prompt_tokens
    # keys, brackets and enum tails of the replies are fixed by their schemas: the
    # embedded server appends them without sampling and reports them as predicted
    assert 0 < p.usage.predicted_completion_tokens < p.usage.completion_tokens


def test_actors_are_unique_entities(result: ArticleSummary) -> None:
    names = [a.name.lower() for a in result.actors]
    assert len(names) == len(set(names))
    forms = [f for a in result.actors for f in {x.lower() for x in (a.name, *a.aliases)}]
    assert len(forms) == len(set(forms)), "one surface form claimed by two actors"
    by_name = {a.name: a for a in result.actors}
    assert by_name["Ukraine"].country == "UKR"
    assert by_name["Norway"].country == "NOR"


def test_the_norwegian_missiles_are_found(result: ArticleSummary) -> None:
    names = {a.id: a.name for a in result.actors}
    pairs = {
        (names.get(t.supplier or ""), names.get(t.recipient or "")) for t in result.arms_transfers
    }
    assert ("Norway", "Ukraine") in pairs
