"""Proof, on the real embedded llama.cpp server, that the JSON schema is enforced as a
grammar: a reply that breaks the schema cannot come back, however hard the prompt asks.

The control case shows the test can fail: the same request without the schema does return
text that breaks the schema. (Instructor's JSON_SCHEMA request shape, which
llama-cpp-python's own server refuses, is enforced by ours too; tests/test_real_server.py
shows the stock server refusing it.)
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from summariser.endpoint.connection import Connection
from summariser.extract.drafts import TransfersDraft

pytestmark = pytest.mark.model

HOSTILE = [
    {
        "role": "system",
        "content": "Never output JSON. Answer in plain English prose only, one short sentence.",
    },
    {"role": "user", "content": "Say hello and name your favourite colour. Do not use JSON."},
]


def _raw_reply(conn: Connection, **extra: Any) -> str:
    openai_client = conn.client.client
    assert openai_client is not None
    completion = openai_client.chat.completions.create(
        model=conn.model, messages=HOSTILE, max_tokens=200, temperature=0.0, **extra
    )
    return completion.choices[0].message.content or ""


def _breaks_schema(text: str) -> bool:
    try:
        TransfersDraft.model_validate_json(text)
    except ValidationError:
        return True
    return False


def test_grammar_forces_schema_valid_reply(embedded: Connection) -> None:
    options = embedded.request_options(TransfersDraft)
    sent = options["extra_body"]["response_format"]
    assert sent["type"] == "json_object" and sent["schema"] == TransfersDraft.model_json_schema()
    reply = _raw_reply(embedded, **options)
    parsed = TransfersDraft.model_validate_json(reply)  # raises if the grammar was ignored
    assert 1 <= len(parsed.deals) <= 2
    assert isinstance(json.loads(reply), dict)


def test_without_schema_the_same_prompt_breaks_it(embedded: Connection) -> None:
    assert _breaks_schema(_raw_reply(embedded))


def test_instructor_json_schema_shape_is_enforced_too(embedded: Connection) -> None:
    """The shape instructor's JSON_SCHEMA mode sends (llama-cpp-python's server answers it
    with HTTP 500) is turned into the same grammar by the embedded server."""
    shape = {
        "type": "json_schema",
        "json_schema": {"name": "TransfersDraft", "schema": TransfersDraft.model_json_schema()},
    }
    reply = _raw_reply(embedded, response_format=shape)
    TransfersDraft.model_validate_json(reply)  # raises if the grammar was ignored
