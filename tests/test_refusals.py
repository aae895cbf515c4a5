"""Reading a server's refusal (status and error body), and the note of modes found.

The bodies are written for these tests in the shapes servers send; the classifier must
tell a refusal of the request from a fault worth retrying.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from summariser.endpoint.modes import CHAIN, Detection, ModeNotes, StructuredOutput
from summariser.endpoint.refusals import Refusal, refusal_of

LLAMA_CPP_PYTHON = (
    "1 validation error:\n  {'type': 'literal_error', 'loc': ('body', 'response_format', "
    "'type'), 'msg': \"Input should be 'text' or 'json_object'\", 'input': 'json_schema'}"
)


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (500, LLAMA_CPP_PYTHON, Refusal.format),
        (400, "Invalid parameter: 'response_format' of type 'json_schema'", Refusal.format),
        (400, "This model's maximum context length is 4096 tokens; 5210 asked", Refusal.context),
        (400, '{"error": {"code": "context_length_exceeded"}}', Refusal.context),
        (500, "the request exceeds the available context size, try increasing it", Refusal.context),
        (404, "The model `qwen-72b` does not exist or you have no access.", Refusal.model),
        (400, "model 'llama9' not found, try pulling it first", Refusal.model),
        (404, "no route /v2/chat", Refusal.other),
        (401, "Incorrect API key provided: sk-abc***", Refusal.auth),
        (403, "forbidden", Refusal.auth),
        (400, "Unrecognized request argument supplied: repeat_penalty", Refusal.parameter),
        (422, "extra inputs are not permitted", Refusal.parameter),
        (500, "1 validation error: ('body', 'messages', 0, 'role')", Refusal.parameter),
        (400, "Bad request", Refusal.other),
    ],
)  # fmt: skip
def test_refusals_are_read_from_status_and_words(status: int, body: str, expected: Refusal) -> None:
    assert refusal_of(status, body) is expected


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (500, "Internal Server Error"),
        (502, "Bad Gateway"),
        (503, "model is loading, retry later"),
        (429, "Rate limit reached for requests; please try again in 2s"),
        (500, "CUDA error: out of memory"),
    ],
)
def test_faults_are_no_refusals(status: int, body: str) -> None:
    assert refusal_of(status, body) is None


def test_notes_keep_the_newest_mode_per_endpoint_and_survive_damage(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "modes.json"
    notes = ModeNotes(path)
    assert notes.get("http://a/v1 m") is None  # no file yet
    notes.put("http://a/v1 m", StructuredOutput.llama_grammar)
    notes.put("http://b/v1 m", StructuredOutput.json)
    notes.put("http://a/v1 m", StructuredOutput.json_schema)
    assert ModeNotes(path).get("http://a/v1 m") is StructuredOutput.json_schema
    assert ModeNotes(path).get("http://b/v1 m") is StructuredOutput.json
    path.write_text("{not json", encoding="utf-8")
    assert ModeNotes(path).get("http://a/v1 m") is None  # a damaged note costs one probe


def test_a_refusal_that_does_not_name_the_format_is_believed_once() -> None:
    found = Detection(mode=CHAIN[0])
    assert found.refuse(CHAIN[0], 400, "Bad request", named=False)
    found.mode = CHAIN[1]
    # the same words for another shape: it was the request, not the shape
    assert not found.refuse(CHAIN[1], 400, "Bad request", named=False)
    assert found.mode is CHAIN[0] and found.refused == []
    # a refusal that names the format is believed at once
    assert found.refuse(CHAIN[0], 500, LLAMA_CPP_PYTHON, named=True)
    assert found.refused == [(CHAIN[0], 500)] and found.next_mode() is CHAIN[1]
