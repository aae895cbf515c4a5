"""Transport retries, validation re-asks and salvage, against a real misbehaving HTTP server.

Everything goes through the production path: ``connect(Endpoint(...))`` builds the
openai client on :class:`summariser.endpoint.retry.RetryingTransport`, wrapped by instructor, and
``run_task`` makes one structured call on a real task from ``TASKS``. The server in
``tests/chat_server.py`` answers over a loopback socket from a per-test script.

Tenacity's backoff jitter is pinned to zero by an autouse fixture so waits are
deterministic (``initial_wait_s * 2**n``) and the module stays fast; the one test about
jitter itself pins it to its maximum instead.
"""

from __future__ import annotations

import email.utils
import json
import time
import types
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Optional

import httpx
import pytest
import tenacity.wait
from chat_server import (
    ChatServer,
    content,
    invalid_json,
    ok,
    reset,
    slow,
    status,
    truncated,
)
from tenacity import RetryCallState, Retrying

from summariser.endpoint.connection import Connection, Endpoint, connect
from summariser.endpoint.modes import StructuredOutput
from summariser.endpoint.retry import RetryingTransport, RetryPolicy, retry_after_seconds
from summariser.errors import ModelError, TransportError
from summariser.extract.drafts import OverviewDraft, PassOutput, TransfersDraft, claim_slots
from summariser.extract.passes import VALIDATION_REASKS, run_task
from summariser.extract.prompting import TASKS, Task, system_prompt
from summariser.ingest.sentences import Sentence, split_sentences

POLICY = RetryPolicy(attempts=3, initial_wait_s=0.01, max_wait_s=2)
TIMEOUT_S = 5.0
KEY = "sk-test-9f8e7d6c5b4a3210"

ARTICLE = (
    "Ruritania ordered four patrol boats from Freedonia.\n"
    "The boats will be delivered next year, officials said."
)
TASK: Task = next(t for t in TASKS if t.name == "transfers")
OVERVIEW: Task = next(t for t in TASKS if t.name == "overview")
CLAIMS: Task = next(t for t in TASKS if t.name == "claims")

# The transfers task asks about one sentence per call (sentence 1 here) and the model
# answers with deals, each a list of items moving from one supplier to one recipient.
ITEM = {"weapon": "patrol boats", "quantity": "four", "category": "ship"}
DEAL = {"items": [ITEM], "supplier": "Freedonia", "recipient": "Ruritania", "status": "agreed"}
VALID = json.dumps({"deals": [DEAL]})
# breaks the schema: "laser" is not a Category (a grammar would never let it through)
BAD_CATEGORY = json.dumps({"deals": [{**DEAL, "items": [{**ITEM, "category": "laser"}]}]})
NOT_A_CATEGORY = "Input should be 'aircraft'"  # pydantic's enum message for it
# cut off at max_tokens inside a second deal, after a complete first one
CUT = '{"deals": [' + json.dumps(DEAL) + ', {"items": [{"weap'


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(autouse=True)
def no_jitter(monkeypatch: pytest.MonkeyPatch) -> None:
    """random.uniform(a, b) -> a inside tenacity.wait only: backoff is exactly exponential."""
    monkeypatch.setattr(tenacity.wait, "random", types.SimpleNamespace(uniform=lambda a, b: a))


@pytest.fixture
def chat_server() -> Iterator[ChatServer]:
    server = ChatServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def sentences() -> list[Sentence]:
    found = split_sentences(ARTICLE)
    assert [s.id for s in found] == [1, 2]
    return found


@pytest.fixture
def open_conn(chat_server: ChatServer) -> Iterator[Callable[..., Connection]]:
    """Factory: ``open_conn(**endpoint_overrides)`` -> Connection to the test server."""
    opened: list[Connection] = []

    def factory(**overrides: Any) -> Connection:
        options: dict[str, Any] = {
            "base_url": chat_server.base_url,
            "model": "m",
            "api_key": "k",
            "retry": POLICY,
            "timeout_s": TIMEOUT_S,
            **overrides,
        }
        conn = connect(Endpoint(**options))
        opened.append(conn)
        return conn

    yield factory
    for conn in opened:
        conn.close()  # closes the HTTP pool (the RetryingTransport) too


def run(
    conn: Connection,
    sentences: list[Sentence],
    task: Task = TASK,
    out: Optional[PassOutput] = None,
    slots: Optional[Sequence[Sentence]] = None,
) -> tuple[Any, PassOutput]:
    """One ``run_task`` call over the whole article.

    Default slots per task: transfers asks about sentence 1 only (its template renders
    ``slot.id``), claims about every sentence, overview about none.
    """
    out = out if out is not None else PassOutput()
    if slots is None:
        slots = sentences[: task.max_slots]
    result = run_task(conn, task, sentences, slots, index=1, count=1, out=out)
    return result, out


def behaviours(server: ChatServer) -> list[Optional[str]]:
    return [r.behaviour for r in server.chat_requests]


def all_consumed(server: ChatServer) -> None:
    assert server.pending == 0, "not every scripted behaviour was requested"
    assert server.exhausted == 0, "the client sent more requests than were scripted"


def assert_valid_item(result: Any) -> None:
    assert isinstance(result, TransfersDraft)
    assert [d.model_dump(mode="json") for d in result.deals] == [DEAL]


# --------------------------------------------------------------------------- the fake itself


def test_server_lists_model_and_refuses_unscripted_requests(chat_server: ChatServer) -> None:
    with httpx.Client() as client:
        models = client.get(chat_server.base_url + "/models")
        extra = client.post(chat_server.base_url + "/chat/completions", json={"model": "m"})
    assert models.status_code == 200
    assert [m["id"] for m in models.json()["data"]] == ["m"]
    assert extra.status_code == 418
    assert chat_server.exhausted == 1
    assert [(r.method, r.path) for r in chat_server.requests] == [
        ("GET", "/v1/models"),
        ("POST", "/v1/chat/completions"),
    ]
    assert chat_server.requests[1].body == {"model": "m"}


# --------------------------------------------------------------------------- happy path + body


def test_json_schema_mode_request_body(
    chat_server: ChatServer, open_conn: Callable[..., Connection], sentences: list[Sentence]
) -> None:
    chat_server.script(ok(VALID))
    conn = open_conn()
    result, out = run(conn, sentences)

    assert_valid_item(result)
    assert out.discarded == []
    [request] = chat_server.chat_requests
    body = request.body
    assert request.headers["authorization"] == "Bearer k"
    assert body["model"] == "m"
    assert body["max_tokens"] == TASK.max_tokens(1)
    assert body["temperature"] == 0.0
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["schema"] == TransfersDraft.model_json_schema()
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert "Ruritania ordered four patrol boats" in body["messages"][1]["content"]
    # the one sentence asked about is named in the task line and quoted at the end
    assert "sentence [1]" in body["messages"][1]["content"]
    assert (
        body["messages"][1]["content"]
        .rstrip()
        .endswith("[1] Ruritania ordered four patrol boats from Freedonia.")
    )
    assert conn.retries == 0
    assert conn.meter.llm_calls == 1


OVERVIEW_REPLY = json.dumps(
    {"actors": [{"name": "Ruritania", "type": "state", "country": "Ruritania"}]}
)


@pytest.mark.parametrize(
    "task, draft, reply",
    [(OVERVIEW, OverviewDraft, OVERVIEW_REPLY), (TASK, TransfersDraft, VALID)],
    ids=["overview", "transfers"],
)
def test_llama_grammar_mode_sends_json_object_with_schema_on_every_ask(
    task: Task,
    draft: type[Any],
    reply: str,
    chat_server: ChatServer,
    open_conn: Callable[..., Connection],
    sentences: list[Sentence],
) -> None:
    """llama-cpp-python's server compiles {"type": "json_object", "schema": ...} to a grammar;
    the override must survive instructor's validation re-ask too."""
    chat_server.script(content("not json at all"), ok(reply))
    conn = open_conn(structured=StructuredOutput.llama_grammar)
    result, out = run(conn, sentences, task=task)

    assert isinstance(result, draft)
    assert result.model_dump(mode="json") == json.loads(reply)
    assert out.discarded == []
    assert len(chat_server.chat_requests) == 2
    assert conn.meter.llm_calls == 2
    for request in chat_server.chat_requests:
        assert request.body["response_format"] == {
            "type": "json_object",
            "schema": draft.model_json_schema(),
        }
        assert "json_schema" not in json.dumps(request.body["response_format"])
    all_consumed(chat_server)


def test_json_mode_sends_plain_json_object(
    chat_server: ChatServer, open_conn: Callable[..., Connection], sentences: list[Sentence]
) -> None:
    chat_server.script(ok(VALID))
    result, _ = run(open_conn(structured=StructuredOutput.json), sentences)
    assert_valid_item(result)
    [request] = chat_server.chat_requests
    assert request.body["response_format"] == {"type": "json_object"}
    # the schema went into the prompt (the static system prompt names no draft model)
    system = request.body["messages"][0]["content"]
    assert '"DealDraft"' in system and '"DealDraft"' not in system_prompt()
    assert '"maxItems": 2' in system  # the deals bound travels with it


# --------------------------------------------------------------------------- transport retries


def test_429_honours_retry_after(
    chat_server: ChatServer, open_conn: Callable[..., Connection], sentences: list[Sentence]
) -> None:
    chat_server.script(status(429, headers={"Retry-After": "1"}), ok(VALID))
    conn = open_conn()
    result, out = run(conn, sentences)

    assert_valid_item(result)
    assert behaviours(chat_server) == ["status", "ok"]
    [gap] = chat_server.gaps()
    assert 0.95 <= gap < 1.9, f"Retry-After: 1 should set the wait, got {gap:.3f}s"
    assert conn.retries == 1
    assert conn.meter.llm_calls == 1  # a transport retry is not a completion
    assert out.discarded == []
    all_consumed(chat_server)


def test_retry_after_is_capped_by_max_wait(
    chat_server: ChatServer, open_conn: Callable[..., Connection], sentences: list[Sentence]
) -> None:
    chat_server.script(status(429, headers={"Retry-After": "30"}), ok(VALID))
    conn = open_conn(retry=RetryPolicy(attempts=2, initial_wait_s=0.01, max_wait_s=0.2))
    result, _ = run(conn, sentences)
    assert_valid_item(result)
    [gap] = chat_server.gaps()
    assert 0.18 <= gap < 1.0
    assert conn.retries == 1


def test_429_with_unparseable_retry_after_falls_back_to_backoff(
    chat_server: ChatServer, open_conn: Callable[..., Connection], sentences: list[Sentence]
) -> None:
    chat_server.script(status(429, headers={"Retry-After": "soon"}), ok(VALID))
    conn = open_conn()
    result, _ = run(conn, sentences)
    assert_valid_item(result)
    assert len(chat_server.chat_requests) == 2
    assert conn.retries == 1


def test_5xx_then_ok(
    chat_server: ChatServer, open_conn: Callable[..., Connection], sentences: list[Sentence]
) -> None:
    # 3 failures + 1 success need 4 attempts (POLICY's 3 would give up after the 503).
    chat_server.script(status(500), status(502), status(503), ok(VALID))
    conn = open_conn(retry=RetryPolicy(attempts=4, initial_wait_s=0.01, max_wait_s=2))
    result, out = run(conn, sentences)

    assert_valid_item(result)
    assert len(chat_server.chat_requests) == 4
    assert conn.retries == 3
    assert conn.meter.llm_calls == 1
    assert out.discarded == []
    # exponential backoff, not hammering: 0.01, 0.02, 0.04 s (jitter pinned to 0)
    for gap, floor in zip(chat_server.gaps(), (0.01, 0.02, 0.04), strict=True):
        assert gap >= floor * 0.9
    # the very same request is re-sent
    bodies = [r.raw for r in chat_server.chat_requests]
    assert all(b == bodies[0] for b in bodies)
    all_consumed(chat_server)


def test_504_is_retried(
    chat_server: ChatServer, open_conn: Callable[..., Connection], sentences: list[Sentence]
) -> None:
    chat_server.script(status(504), ok(VALID))
    conn = open_conn()
    result, _ = run(conn, sentences)
    assert_valid_item(result)
    assert len(chat_server.chat_requests) == 2
    assert conn.retries == 1


@pytest.mark.parametrize(
    ("code", "advice"),
    [(401, "--api-key"), (403, "--api-key"), (404, "--model")],
)
def test_refusals_fail_at_once_as_model_error(
    code: int,
    advice: str,
    chat_server: ChatServer,
    open_conn: Callable[..., Connection],
    sentences: list[Sentence],
) -> None:
    chat_server.script(status(code, message="no model named m here" if code == 404 else None))
    conn = open_conn()
    with pytest.raises(ModelError) as caught:
        run(conn, sentences)

    assert type(caught.value) is ModelError  # not TransportError: retrying cannot help
    assert len(chat_server.chat_requests) == 1
    assert conn.retries == 0
    message = str(caught.value)
    assert f"HTTP {code}" in message and advice in message
    assert "running and reachable" not in message
    all_consumed(chat_server)


@pytest.mark.parametrize("code", [400, 422])
def test_a_request_refused_in_every_shape_alike_fails_as_the_request(
    code: int,
    chat_server: ChatServer,
    open_conn: Callable[..., Connection],
    sentences: list[Sentence],
) -> None:
    """A 400 that does not name the format may be a refusal of the response_format shape,
    so the next shape is tried once; the same words again mean the request itself is
    refused: it fails with the server's words, and detection starts over next time."""
    chat_server.script(status(code), status(code))
    conn = open_conn()
    with pytest.raises(ModelError) as caught:
        run(conn, sentences)

    shapes = [r.body["response_format"]["type"] for r in chat_server.chat_requests]
    assert shapes == ["json_schema", "json_object"]
    assert conn.retries == 0
    assert f"refused the request (HTTP {code}: scripted HTTP {code})" in str(caught.value)
    assert conn.structured is StructuredOutput.json_schema and not conn.detection.settled
    assert conn.detection.refused == []
    all_consumed(chat_server)


def test_all_attempts_503_is_transport_error(
    chat_server: ChatServer, open_conn: Callable[..., Connection], sentences: list[Sentence]
) -> None:
    chat_server.script(*[status(503)] * POLICY.attempts)
    conn = open_conn()
    out = PassOutput()
    with pytest.raises(TransportError) as caught:
        run(conn, sentences, out=out)

    assert len(chat_server.chat_requests) == POLICY.attempts
    assert conn.retries == POLICY.attempts - 1
    assert "503" in str(caught.value)
    assert "try again later" in str(caught.value)
    assert conn.meter.llm_calls == 0
    assert out.discarded == []
    all_consumed(chat_server)


def test_all_attempts_429_is_transport_error(
    chat_server: ChatServer, open_conn: Callable[..., Connection], sentences: list[Sentence]
) -> None:
    chat_server.script(*[status(429, headers={"Retry-After": "0"})] * POLICY.attempts)
    conn = open_conn()
    with pytest.raises(TransportError):
        run(conn, sentences)
    assert len(chat_server.chat_requests) == POLICY.attempts


def test_all_attempts_reset_is_transport_error(
    chat_server: ChatServer, open_conn: Callable[..., Connection], sentences: list[Sentence]
) -> None:
    chat_server.script(*[reset()] * POLICY.attempts)
    conn = open_conn()
    with pytest.raises(TransportError) as caught:
        run(conn, sentences)
    assert len(chat_server.chat_requests) == POLICY.attempts
    assert "reachable" in str(caught.value)


@pytest.mark.parametrize("failure", [reset(), truncated(VALID)], ids=["reset", "truncated"])
def test_broken_connection_then_ok(
    failure: Any,
    chat_server: ChatServer,
    open_conn: Callable[..., Connection],
    sentences: list[Sentence],
) -> None:
    chat_server.script(failure, ok(VALID))
    conn = open_conn()
    result, out = run(conn, sentences)

    assert_valid_item(result)
    assert behaviours(chat_server) == [failure.kind, "ok"]
    assert conn.retries == 1
    assert conn.meter.llm_calls == 1
    assert out.discarded == []
    assert chat_server.chat_requests[0].raw == chat_server.chat_requests[1].raw
    all_consumed(chat_server)


def test_timeout_then_ok(
    chat_server: ChatServer, open_conn: Callable[..., Connection], sentences: list[Sentence]
) -> None:
    chat_server.script(slow(0.8, then=VALID), ok(VALID))
    conn = open_conn(timeout_s=0.3)
    result, _ = run(conn, sentences)

    assert_valid_item(result)
    assert behaviours(chat_server) == ["slow", "ok"]
    assert conn.retries == 1
    [gap] = chat_server.gaps()
    assert gap >= 0.28  # the client waited out its timeout before retrying...
    assert gap < 0.75  # ...and did not wait for the slow answer (due at 0.8 s)
    all_consumed(chat_server)


# --------------------------------------------------------------------------- bad replies


def test_invalid_json_body_is_not_a_transport_retry(
    chat_server: ChatServer, open_conn: Callable[..., Connection], sentences: list[Sentence]
) -> None:
    """A 200 whose body is not JSON is not retried by the transport; instructor spends its
    one re-ask on it, then run_task raises ModelError pointing at --base-url (a wrong URL
    that serves an HTML page must not yield silently empty output)."""
    chat_server.script(invalid_json(), invalid_json())
    conn = open_conn()
    with pytest.raises(ModelError, match="base-url") as raised:
        run(conn, sentences)
    assert not isinstance(raised.value, TransportError)
    assert len(chat_server.chat_requests) == 1 + VALIDATION_REASKS
    assert conn.retries == 0
    assert conn.meter.llm_calls == 0
    all_consumed(chat_server)


def test_invalid_json_body_once_then_ok(
    chat_server: ChatServer, open_conn: Callable[..., Connection], sentences: list[Sentence]
) -> None:
    chat_server.script(invalid_json(), ok(VALID))
    conn = open_conn()
    result, out = run(conn, sentences)
    assert_valid_item(result)
    assert len(chat_server.chat_requests) == 2
    assert conn.retries == 0
    assert out.discarded == []
    # nothing was fed back: the re-sent request is identical
    assert chat_server.chat_requests[0].raw == chat_server.chat_requests[1].raw


def test_schema_broken_twice_is_discarded_after_one_reask(
    chat_server: ChatServer, open_conn: Callable[..., Connection], sentences: list[Sentence]
) -> None:
    chat_server.script(content(BAD_CATEGORY), content(BAD_CATEGORY))
    conn = open_conn()
    result, out = run(conn, sentences)

    assert VALIDATION_REASKS == 1
    assert len(chat_server.chat_requests) == 2
    assert conn.retries == 0
    assert conn.meter.llm_calls == 2
    # salvage keeps nothing: the only deal holds an item whose category is not in the enum,
    # so `deals` is emptied, and a TransfersDraft needs at least one deal
    assert result is None
    reasons = [d.reason for d in out.discarded]
    assert len(reasons) == 2
    assert reasons[0].startswith("reply unusable after re-ask")
    assert reasons[1].startswith("invalid deals[0].items.0.category: " + NOT_A_CATEGORY)
    assert out.discarded[0].detail == BAD_CATEGORY  # the model's last reply, verbatim
    assert "laser" in out.discarded[1].detail
    assert all(d.kind == "transfers" for d in out.discarded)
    # the re-ask fed the validation error back to the model
    first, second = (r.body["messages"] for r in chat_server.chat_requests)
    assert len(second) > len(first)
    assert second[: len(first)] == first
    assert NOT_A_CATEGORY in json.dumps(second[len(first) :])
    all_consumed(chat_server)


CLAIM = {"source": "officials", "type": "assertion", "factuality": "certain"}


def test_schema_broken_twice_salvages_the_valid_fields(
    chat_server: ChatServer, open_conn: Callable[..., Connection], sentences: list[Sentence]
) -> None:
    """Salvage works field by field: the claims schema has one field per sentence, so a
    valid sentence_2 survives an invalid sentence_1 (emptied to null and reported).

    (The transfers schema has a single field, ``deals``, which is kept or dropped whole.)
    """
    mixed = json.dumps({"sentence_1": {**CLAIM, "type": "rumour"}, "sentence_2": CLAIM})
    chat_server.script(content(mixed), content(mixed))
    conn = open_conn()
    result, out = run(conn, sentences, task=CLAIMS)

    schema = claim_slots((1, 2))
    assert isinstance(result, schema)
    assert result.model_dump(mode="json") == {"sentence_1": None, "sentence_2": CLAIM}
    assert len(chat_server.chat_requests) == 2
    assert conn.meter.llm_calls == 2
    assert conn.retries == 0
    for request in chat_server.chat_requests:
        assert request.body["response_format"]["json_schema"]["schema"] == (
            schema.model_json_schema()
        )
    reasons = [d.reason for d in out.discarded]
    assert len(reasons) == 2
    assert reasons[0].startswith("reply unusable after re-ask")
    assert reasons[1].startswith("invalid sentence_1.type: ")
    assert "rumour" in out.discarded[1].detail
    assert all(d.kind == "claims" for d in out.discarded)
    all_consumed(chat_server)


def test_non_json_content_twice_returns_none(
    chat_server: ChatServer, open_conn: Callable[..., Connection], sentences: list[Sentence]
) -> None:
    chat_server.script(content("Sorry, I cannot help."), content("Sorry, I cannot help."))
    result, out = run(open_conn(), sentences)
    assert result is None
    assert len(chat_server.chat_requests) == 2
    [discarded] = out.discarded
    assert discarded.reason.startswith("reply unusable after re-ask")
    assert discarded.detail == "Sorry, I cannot help."
    all_consumed(chat_server)


def test_schema_broken_once_then_valid_sums_usage(
    chat_server: ChatServer, open_conn: Callable[..., Connection], sentences: list[Sentence]
) -> None:
    chat_server.script(
        content(BAD_CATEGORY, usage={"prompt_tokens": 100, "completion_tokens": 10}),
        ok(VALID, usage={"prompt_tokens": 130, "completion_tokens": 20,
                         "completion_tokens_details": {"accepted_prediction_tokens": 12}}),
    )  # fmt: skip
    conn = open_conn()
    result, out = run(conn, sentences)

    assert_valid_item(result)
    assert len(chat_server.chat_requests) == 2
    assert conn.meter.llm_calls == 2
    assert conn.meter.prompt_tokens == 230
    assert conn.meter.completion_tokens == 30
    assert conn.meter.predicted_completion_tokens == 12  # tokens the server did not sample
    assert out.discarded == []
    assert conn.retries == 0
    all_consumed(chat_server)


def test_reply_cut_off_between_deals_keeps_the_complete_deal(
    chat_server: ChatServer, open_conn: Callable[..., Connection], sentences: list[Sentence]
) -> None:
    cut = '{"deals": [' + json.dumps(DEAL) + ", "
    chat_server.script(ok(cut, finish_reason="length"))
    conn = open_conn()
    result, out = run(conn, sentences)

    assert_valid_item(result)
    assert len(chat_server.chat_requests) == 1  # no re-ask for a truncated reply
    assert conn.meter.llm_calls == 1
    [discarded] = out.discarded  # the cut-off must be reported
    assert discarded.kind == "transfers"
    assert "cut off" in discarded.reason
    assert discarded.detail == cut
    all_consumed(chat_server)


def test_reply_cut_off_inside_a_deal_is_reported(
    chat_server: ChatServer, open_conn: Callable[..., Connection], sentences: list[Sentence]
) -> None:
    """Cut off inside the second deal: salvage checks the list entry by entry, keeps the
    complete first deal and reports both the cut-off and the partial second deal."""
    chat_server.script(ok(CUT, finish_reason="length"))
    conn = open_conn()
    result, out = run(conn, sentences)

    assert isinstance(result, TransfersDraft)
    assert [d.model_dump(mode="json") for d in result.deals] == [DEAL]
    assert len(chat_server.chat_requests) == 1  # no re-ask for a truncated reply
    assert conn.meter.llm_calls == 1
    cut_off, dropped = out.discarded
    assert "cut off" in cut_off.reason
    assert cut_off.detail == CUT
    assert dropped.reason.startswith("invalid deals[1]")
    assert "patrol boats" not in dropped.detail  # only the partial deal was rejected
    assert all(d.kind == "transfers" for d in out.discarded)
    all_consumed(chat_server)


# --------------------------------------------------------------------------- secrets


def test_api_key_never_leaks(
    chat_server: ChatServer, open_conn: Callable[..., Connection], sentences: list[Sentence]
) -> None:
    masked = KEY[:7] + "*" * 10 + KEY[-4:]  # what OpenAI echoes in a 401
    texts: list[str] = []
    out = PassOutput()
    conn = open_conn(api_key=KEY)
    texts.append(str(conn.base_url))

    chat_server.script(status(401, message=f"Incorrect API key provided: {masked}."))
    with pytest.raises(ModelError) as refused:
        run(conn, sentences, out=out)
    chat_server.script(*[status(503)] * POLICY.attempts)
    with pytest.raises(TransportError) as failed:
        run(conn, sentences, out=out)
    chat_server.script(*[reset()] * POLICY.attempts)
    with pytest.raises(TransportError) as unreachable:
        run(conn, sentences, out=out)
    chat_server.script(
        content(BAD_CATEGORY),
        content(BAD_CATEGORY),
        invalid_json(),
        invalid_json(),
        ok(CUT, finish_reason="length"),
    )
    run(conn, sentences, out=out)
    with pytest.raises(ModelError) as not_chat:
        run(conn, sentences, out=out)
    run(conn, sentences, out=out)

    for error in (refused.value, failed.value, unreachable.value, not_chat.value):
        texts += [str(error), repr(error)]
    texts += [f"{d.reason} {d.detail}" for d in out.discarded]
    assert len(out.discarded) == 4  # re-ask exhausted + dropped deals, cut-off + dropped deals
    # the key really was sent, so a leak would have been possible
    assert {r.headers["authorization"] for r in chat_server.chat_requests} == {f"Bearer {KEY}"}
    for text in texts:
        assert KEY not in text
    all_consumed(chat_server)


def test_credentials_in_base_url_are_redacted(
    chat_server: ChatServer, open_conn: Callable[..., Connection]
) -> None:
    conn = open_conn(base_url=f"http://user:{KEY}@127.0.0.1:{chat_server.port}/v1?api-key={KEY}")
    assert KEY not in str(conn.base_url)
    assert conn.base_url == chat_server.base_url


# --------------------------------------------------------------------------- unit: Retry-After


def _response(retry_after: Optional[str]) -> httpx.Response:
    headers = {} if retry_after is None else {"Retry-After": retry_after}
    return httpx.Response(429, headers=headers)


@pytest.mark.parametrize("value, expected", [("7", 7.0), ("0", 0.0), ("-3", 0.0), ("1.5", 1.5)])
def test_retry_after_delta_seconds(value: str, expected: float) -> None:
    assert retry_after_seconds(_response(value)) == expected


def test_retry_after_http_date() -> None:
    future = email.utils.formatdate(time.time() + 30, usegmt=True)
    seconds = retry_after_seconds(_response(future))
    assert seconds is not None and 28.0 <= seconds <= 30.5
    past = email.utils.formatdate(time.time() - 3600, usegmt=True)
    assert retry_after_seconds(_response(past)) == 0.0


@pytest.mark.parametrize("value", ["soon", "Wed, 99 Foo 20xx", "1e", "   "])
def test_retry_after_garbage_is_ignored(value: str) -> None:
    assert retry_after_seconds(_response(value)) is None


@pytest.mark.parametrize("value", [None, ""])
def test_retry_after_missing(value: Optional[str]) -> None:
    assert retry_after_seconds(_response(value)) is None


# --------------------------------------------------------------------------- unit: backoff


def test_first_backoff_follows_initial_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """With jitter at its maximum, the first wait must still be of the order of
    initial_wait_s; otherwise RetryPolicy(initial_wait_s=0.01) still sleeps ~1 s."""
    monkeypatch.setattr(tenacity.wait, "random", types.SimpleNamespace(uniform=lambda a, b: b))
    transport = RetryingTransport(RetryPolicy(attempts=3, initial_wait_s=0.01, max_wait_s=2))
    state = RetryCallState(Retrying(), None, (), {})  # attempt 1, no outcome: pure backoff
    assert state.attempt_number == 1
    assert transport._wait(state) <= 0.05
    transport.close()


def test_time_waiting_on_the_endpoint_is_measured(
    chat_server: ChatServer, open_conn: Callable[..., Connection]
) -> None:
    """Provenance's 'model' time is what the endpoint took, not our own code around it."""
    from summariser.extract.passes import run_passes

    chat_server.script(slow(0.3, then=OVERVIEW_REPLY), ok(VALID))
    conn = open_conn(parallel_calls=1)  # the script answers the overview first
    assert conn.transport is not None and conn.transport.seconds == 0.0
    article = split_sentences("Chile ordered four patrol boats from Spain.")
    started = time.perf_counter()
    out = run_passes(conn, article)
    wall = time.perf_counter() - started
    assert 0.3 <= out.model_seconds <= wall
    assert out.model_seconds == pytest.approx(conn.transport.seconds)
