"""Structured-output modes detected, not guessed: a real loopback server refuses chosen
``response_format`` shapes the way real servers do, and the client must fall back in
order, once, without retrying a refusal, remember what worked, and say what happened.

The refusal bodies are the shapes servers send (llama-cpp-python answers ``json_schema``
with a 500 naming ``response_format``; a prompt too long is a 400 with
``context_length_exceeded``); the wording is ours.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Optional

import pytest
from chat_server import Behaviour
from test_cli import API_KEY, CHILE, ArticleServer, assert_grounded, endpoint_args

from summariser import ModelError, TransportError, summarise, summarise_many
from summariser.cli import main
from summariser.endpoint import modes
from summariser.endpoint.connection import Connection, Endpoint, connect
from summariser.endpoint.modes import ModeNotes, StructuredOutput
from summariser.endpoint.retry import RetryPolicy

CALLS_PER_ARTICLE = 5  # overview, three transfer sentences, claims (see test_cli)
PATIENT = RetryPolicy(attempts=5, initial_wait_s=0.01, max_wait_s=0.05)  # would retry a 500

SCHEMA, OBJECT_WITH_SCHEMA, OBJECT = "json_schema", "json_object+schema", "json_object"


def llama_cpp_python_500(shape: str) -> Behaviour:
    """What llama-cpp-python's server answers a ``type: json_schema`` request."""
    message = (
        "1 validation error:\n  {'type': 'literal_error', 'loc': ('body', 'response_format', "
        f"'type'), 'msg': \"Input should be 'text' or 'json_object'\", 'input': '{shape}'}}"
    )
    return _error(500, message, "internal_server_error")


def _error(code: int, message: str, kind: str, extra: Optional[dict[str, Any]] = None) -> Behaviour:
    body = {
        "error": {"message": message, "type": kind, "param": None, "code": None, **(extra or {})}
    }
    return Behaviour("status", status=code, body=json.dumps(body).encode())


BAD = "invalid_request_error"
REFUSALS = {
    SCHEMA: lambda: llama_cpp_python_500("json_schema"),
    OBJECT_WITH_SCHEMA: lambda: _error(400, "Unrecognized request argument: schema", BAD),
    OBJECT: lambda: _error(400, "response_format json_object is not supported here", BAD),
}


def shape_of(body: dict[str, Any]) -> str:
    fmt = body.get("response_format") or {}
    if fmt.get("type") == "json_schema":
        return SCHEMA
    return OBJECT_WITH_SCHEMA if "schema" in fmt else OBJECT


class ShapeRefusingServer(ArticleServer):
    """Answers like the fake model of test_cli, but refuses the shapes in ``refuse``."""

    def __init__(self, refuse: set[str]) -> None:
        super().__init__()
        self.refuse = refuse

    def _next(self) -> Optional[Behaviour]:
        record = getattr(self._local, "record", None)
        if record is not None and shape_of(record.body) in self.refuse:
            return REFUSALS[shape_of(record.body)]()
        return super()._next()

    @property
    def shapes(self) -> list[str]:
        return [shape_of(r.body) for r in self.chat_requests]


@pytest.fixture
def opened() -> Iterator[list[Connection]]:
    conns: list[Connection] = []
    yield conns
    for conn in conns:
        conn.close()


def open_conn(server: ArticleServer, opened: list[Connection], **overrides: Any) -> Connection:
    endpoint = Endpoint(
        base_url=server.base_url, model="m", api_key=API_KEY, retry=PATIENT, **overrides
    )
    conn = connect(endpoint)
    opened.append(conn)
    return conn


@pytest.mark.parametrize(
    ("refuse", "expected", "first_shapes"),
    [
        (set(), StructuredOutput.json_schema, [SCHEMA]),
        ({SCHEMA}, StructuredOutput.llama_grammar, [SCHEMA, OBJECT_WITH_SCHEMA]),
        ({SCHEMA, OBJECT_WITH_SCHEMA}, StructuredOutput.json, [SCHEMA, OBJECT_WITH_SCHEMA, OBJECT]),
    ],
)
def test_the_first_call_finds_the_mode_in_order_and_never_retries_a_refusal(
    refuse: set[str],
    expected: StructuredOutput,
    first_shapes: list[str],
    opened: list[Connection],
) -> None:
    with ShapeRefusingServer(refuse) as server:
        conn = open_conn(server, opened, parallel_calls=4)
        result = summarise(CHILE, client=conn)

        refused = len(first_shapes) - 1
        assert server.shapes[: len(first_shapes)] == first_shapes
        final = first_shapes[-1]
        assert server.shapes[len(first_shapes) :] == [final] * (CALLS_PER_ARTICLE - 1)
        assert len(server.chat_requests) == CALLS_PER_ARTICLE + refused
        assert conn.retries == 0  # a refusal is an answer: never retried
        assert [m for m, _ in conn.detection.refused] == [
            StructuredOutput.json_schema,
            StructuredOutput.llama_grammar,
        ][:refused]
        assert conn.structured is expected and result.provenance.structured == expected.value
        assert result.arms_transfers and result.claims
        assert_grounded(result)


def test_a_server_that_refuses_every_shape_fails_naming_each(opened: list[Connection]) -> None:
    with ShapeRefusingServer({SCHEMA, OBJECT_WITH_SCHEMA, OBJECT}) as server:
        conn = open_conn(server, opened)
        with pytest.raises(ModelError) as caught:
            summarise(CHILE, client=conn)
        assert server.shapes == [SCHEMA, OBJECT_WITH_SCHEMA, OBJECT]
        assert conn.retries == 0
    message = str(caught.value)
    assert "json-schema: HTTP 500, llama-grammar: HTTP 400, json: HTTP 400" in message
    assert "running and reachable" not in message


def test_the_mode_found_is_noted_and_the_next_run_starts_there(
    opened: list[Connection], tmp_path: Path
) -> None:
    notes = tmp_path / "modes.json"
    with ShapeRefusingServer({SCHEMA}) as server:
        summarise(CHILE, client=open_conn(server, opened, mode_notes=notes))
        key = f"{server.base_url} m"
        assert ModeNotes(notes).get(key) is StructuredOutput.llama_grammar

        modes.forget()  # a new process: only the note remains
        before = len(server.chat_requests)
        again = summarise(CHILE, client=open_conn(server, opened, mode_notes=notes))
        assert server.shapes[before:] == [OBJECT_WITH_SCHEMA] * CALLS_PER_ARTICLE
        assert again.provenance.structured == "llama-grammar"


def test_a_batch_detects_once_for_all_its_connections(tmp_path: Path) -> None:
    feed = tmp_path / "feed"
    feed.mkdir()
    for n in range(6):
        (feed / f"a{n}.txt").write_text(CHILE + f"\nThe derby drew {1000 + n} fans.\n", "utf-8")
    with ShapeRefusingServer({SCHEMA}) as server:
        endpoint = Endpoint(base_url=server.base_url, model="m", api_key=API_KEY, retry=PATIENT)
        outcomes = list(summarise_many([feed], jobs=4, endpoint=endpoint))
        assert all(o.ok for o in outcomes) and len(outcomes) == 6
        assert server.shapes.count(SCHEMA) == 1  # one refusal, whichever article met it
        assert len(server.chat_requests) == 6 * CALLS_PER_ARTICLE + 1


def test_a_named_mode_is_never_changed(opened: list[Connection]) -> None:
    with ShapeRefusingServer({SCHEMA}) as server:
        conn = open_conn(server, opened, structured=StructuredOutput.json_schema)
        with pytest.raises(ModelError) as caught:
            summarise(CHILE, client=conn)
        assert server.shapes == [SCHEMA] and conn.retries == 0
    message = str(caught.value)
    assert "does not accept --structured json-schema (HTTP 500:" in message
    assert "drop --structured" in message and "running and reachable" not in message


def test_a_prompt_longer_than_the_context_is_its_own_error(opened: list[Connection]) -> None:
    too_long = _error(
        400,
        "This model's maximum context length is 2048 tokens. However, you requested 3012 "
        "tokens (2592 in the messages, 420 in the completion).",
        "invalid_request_error",
        {"code": "context_length_exceeded"},
    )
    with ShapeRefusingServer(set()) as server:
        server._next = lambda: too_long  # type: ignore[method-assign]
        conn = open_conn(server, opened)
        with pytest.raises(ModelError) as caught:
            summarise(CHILE, client=conn)
        assert server.shapes == [SCHEMA]  # neither retried nor tried in another shape
    message = str(caught.value)
    assert "longer than the model's context window (HTTP 400: This model's maximum" in message
    assert "--n_ctx 8192" in message


def test_a_model_the_server_does_not_serve_names_the_ones_it_does(
    opened: list[Connection],
) -> None:
    missing = _error(404, "The model `gpt-9` does not exist", "invalid_request_error")
    with ShapeRefusingServer(set()) as server:
        server._next = lambda: missing  # type: ignore[method-assign]
        endpoint = Endpoint(base_url=server.base_url, model="gpt-9", api_key=API_KEY)
        conn = connect(endpoint)
        opened.append(conn)
        with pytest.raises(ModelError) as caught:
            summarise(CHILE, client=conn)
        assert len(server.chat_requests) == 1
    assert "does not serve 'gpt-9'; it serves m" in str(caught.value)


def test_the_cli_needs_no_flag_for_a_llama_cpp_python_server(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    article = tmp_path / "chile.txt"
    article.write_text(CHILE, encoding="utf-8")
    with ShapeRefusingServer({SCHEMA}) as server:
        code = main(["extract", str(article), "--format", "json", *endpoint_args(server)])
        out = capsys.readouterr().out
        url = server.base_url
        assert code == 0
        assert server.shapes.count(SCHEMA) == 1
    assert json.loads(out)["provenance"]["structured"] == "llama-grammar"
    told = [r.getMessage() for r in caplog.records if r.name == "summariser.endpoint.modes"]
    assert told == [
        f"summariser: {url} (model m) refused json-schema (HTTP 500); replies are "
        "constrained as llama-grammar from now on (noted for later runs; --structured fixes "
        "a mode)"
    ]


def test_an_endpoint_that_cannot_be_reached_leaves_the_mode_to_find(
    opened: list[Connection],
) -> None:
    """A connection failure is no answer: the mode stays unknown, to be found once the
    server is up."""
    with ShapeRefusingServer({SCHEMA}) as server:
        url = server.base_url
    conn = connect(
        Endpoint(base_url=url, model="m", api_key=API_KEY, retry=RetryPolicy(attempts=1))
    )
    opened.append(conn)
    with pytest.raises(TransportError):
        summarise(CHILE, client=conn)
    assert not conn.detection.settled and conn.structured is StructuredOutput.json_schema
