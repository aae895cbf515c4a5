"""Rendered prompts are snapshot-tested so a prompt edit is a reviewable diff."""

from __future__ import annotations

import jinja2
import pytest
from syrupy.assertion import SnapshotAssertion

from summariser.extract import prompting
from summariser.extract.passes import plan_calls, split_parts
from summariser.extract.prompting import (
    CLAIMS,
    OVERVIEW,
    TRANSFERS,
    messages,
    prompt_hash,
    system_prompt,
)
from summariser.ingest.sentences import split_sentences

ARTICLE = "Minsk gets rockets\n\nBelarus received 20 rockets from Russia, officials said."


def test_system_prompt_snapshot(snapshot: SnapshotAssertion) -> None:
    assert system_prompt() == snapshot


def test_task_messages_snapshot(snapshot: SnapshotAssertion) -> None:
    sentences = split_sentences(ARTICLE)
    rendered = {
        "overview": messages(OVERVIEW, sentences)[1]["content"],
        "transfers": messages(TRANSFERS, sentences, [sentences[1]])[1]["content"],
        "claims": messages(CLAIMS, sentences, sentences)[1]["content"],
    }
    assert rendered == snapshot


def test_static_text_first_article_last() -> None:
    sentences = split_sentences(ARTICLE)
    first = messages(TRANSFERS, sentences, [sentences[0]])
    second = messages(CLAIMS, sentences, sentences)
    assert first[0] == second[0], "the system prompt must be identical for every call"
    article = first[1]["content"].split("Task ")[0]
    assert second[1]["content"].startswith(article), "the article must come before the task"


def test_prompt_hash_is_stable_and_short() -> None:
    assert prompt_hash() == prompt_hash() and len(prompt_hash()) == 16


def test_templates_are_strict() -> None:
    template = prompting._environment().from_string("{{ missing }}")
    with pytest.raises(jinja2.UndefinedError):
        template.render()


def test_every_part_of_a_long_article_gets_its_own_overview() -> None:
    """A long article is read in parts; each part names its own actors (a later part's
    actors may act in no record the model writes)."""
    paragraph = "Chile signed a contract with Spain for six coastal radars, officials said. " * 30
    sentences = split_sentences(paragraph * 4)
    parts = split_parts(sentences)
    assert len(parts) > 1
    overviews = [c for c in plan_calls(sentences) if c.task is OVERVIEW]
    assert [c.index for c in overviews] == list(range(1, len(parts) + 1))
    short = split_sentences("Chile signed a contract with Spain for six radars.")
    assert len([c for c in plan_calls(short) if c.task is OVERVIEW]) == 1


def test_claim_sentences_are_asked_in_even_groups() -> None:
    """Calls decoded side by side end when their longest reply does: eight attribution
    sentences go as two calls of four, not one of six and one of two."""
    said = " ".join(f"Officials in city {i} said the radar order was late." for i in range(8))
    claims = [c for c in plan_calls(split_sentences(said)) if c.task is CLAIMS]
    assert [len(c.slots) for c in claims] == [4, 4]
    assert all(len(c.slots) <= CLAIMS.slots_per_call(True) for c in claims)
    asked = [s.id for c in claims for s in c.slots]
    assert asked == sorted(set(asked))  # every sentence once, in order
    one = " ".join(f"Officials in city {i} said the order was late." for i in range(5))
    assert [len(c.slots) for c in plan_calls(split_sentences(one)) if c.task is CLAIMS] == [5]


def test_a_hosted_endpoint_gets_fewer_larger_claim_calls() -> None:
    """A hosted endpoint bills every call's prompt: the sentences the embedded server is
    asked about in groups of at most six go to it in as few calls as its bound allows."""
    said = " ".join(f"A spokesman in port {i} said the frigate was delayed." for i in range(20))
    sentences = split_sentences(said)
    together = [c for c in plan_calls(sentences) if c.task is CLAIMS]
    hosted = [c for c in plan_calls(sentences, decoded_together=False) if c.task is CLAIMS]
    assert [len(c.slots) for c in together] == [5, 5, 5, 5]
    assert [len(c.slots) for c in hosted] == [10, 10]
    assert [s.id for c in hosted for s in c.slots] == [s.id for c in together for s in c.slots]
    assert CLAIMS.slots_per_call(False) == CLAIMS.max_slots > CLAIMS.slots_per_call(True)
