"""One article's calls side by side: order kept, width bounded, failures in call order,
endpoint time counted once for overlapping requests, the embedded model kept to one; and
response models wrapped for instructor once, sending the very schema instructor would."""

from __future__ import annotations

import threading
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import instructor
import pytest
from pydantic import BaseModel

import summariser.endpoint.connection as endpoint_module
import summariser.endpoint.retry as retry_module
from summariser import Endpoint, connect
from summariser.endpoint.connection import json_schema, response_model
from summariser.endpoint.fanout import run_all
from summariser.endpoint.retry import RetryingTransport, RetryPolicy
from summariser.errors import ConfigurationError
from summariser.extract.drafts import OverviewDraft, TransfersDraft, claim_slots


def test_results_come_back_in_call_order_with_at_most_width_running() -> None:
    lock = threading.Lock()
    running, peak = 0, 0
    gate = threading.Barrier(3)  # the first three calls must all be running together

    def call(n: int) -> int:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        if n < 3:
            gate.wait(timeout=10)
        with lock:
            running -= 1
        return n * n

    calls = [lambda n=n: call(n) for n in range(10)]
    assert run_all(calls, width=3) == [n * n for n in range(10)]
    assert peak == 3


def test_width_one_runs_in_order_on_the_calling_thread() -> None:
    seen: list[tuple[int, str]] = []
    calls = [lambda n=n: seen.append((n, threading.current_thread().name)) for n in range(4)]
    run_all(calls, width=1)
    assert seen == [(n, threading.current_thread().name) for n in range(4)]


def test_the_earliest_failing_call_is_raised_and_no_new_call_starts() -> None:
    started: list[int] = []
    both_failing = threading.Barrier(2)

    def call(n: int) -> int:
        started.append(n)
        if n in (0, 1):
            both_failing.wait(timeout=10)  # 0 and 1 fail together; 1 may finish first
            raise ValueError(f"call {n}")
        return n

    with pytest.raises(ValueError, match="call 0"):
        run_all([lambda n=n: call(n) for n in range(50)], width=2)
    assert sorted(started)[:2] == [0, 1] and len(started) <= 4  # the rest never began


def test_overlapping_requests_count_their_shared_endpoint_time_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = [0.0]
    monkeypatch.setattr(retry_module.time, "perf_counter", lambda: clock[0])
    transport: RetryingTransport

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/a":  # A runs from t=0 to t=4; B runs inside it, t=1 to t=3
            clock[0] = 1.0
            transport.handle_request(httpx.Request("POST", "http://x/b"))
            clock[0] = 4.0
        else:
            clock[0] = 3.0
        return httpx.Response(200, json={})

    transport = RetryingTransport(RetryPolicy(attempts=1), httpx.MockTransport(handler))
    transport.handle_request(httpx.Request("POST", "http://x/a"))
    assert transport.seconds == 4.0  # wall time with a request in flight, not 4 + 2


class _StandIn:
    """Enough of an EmbeddedServer for connect(); never started here."""

    model_name = "stand-in"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.parallel = 1

    def stop(self) -> None:
        pass


def test_the_embedded_server_decodes_as_many_calls_as_are_sent_at_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(endpoint_module, "model_path", lambda: tmp_path / "model.gguf")
    monkeypatch.setattr(endpoint_module, "EmbeddedServer", _StandIn)
    with connect(Endpoint()) as conn:
        assert conn.endpoint_kind == "embedded" and conn.parallel_calls == 8
        assert conn.server is not None and conn.server.parallel == 8
        assert conn.mode_known  # our own server: no call goes alone to find the mode
        assert conn.decodes_together  # so claim sentences go in small groups
    with connect(Endpoint(parallel_calls=2)) as conn:
        assert conn.parallel_calls == 2 and conn.server is not None and conn.server.parallel == 2
    hosted = Endpoint(base_url="http://127.0.0.1:9/v1", model="m", parallel_calls=3)
    with connect(hosted) as conn:
        assert conn.parallel_calls == 3
        assert not conn.decodes_together  # billed per call: fewer, larger calls


@pytest.mark.parametrize("value", ["0", "-2", "four"])
def test_a_bad_parallel_calls_setting_is_refused_with_what_to_give(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("SUMMARISER_PARALLEL_CALLS", value)
    with pytest.raises(ConfigurationError, match="give"):
        Endpoint.from_env(base_url="http://127.0.0.1:9/v1", model="m")


def test_parallel_calls_from_the_environment_and_explicit_values_win(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SUMMARISER_PARALLEL_CALLS", "6")
    options: dict[str, Any] = {"base_url": "http://127.0.0.1:9/v1", "model": "m"}
    assert Endpoint.from_env(**options).parallel_calls == 6
    assert Endpoint.from_env(**options, parallel_calls=2).parallel_calls == 2


@pytest.mark.parametrize("draft", [OverviewDraft, TransfersDraft, claim_slots((2, 5, 9))])
def test_a_response_model_is_wrapped_once_and_sends_instructors_own_schema(
    draft: type[BaseModel],
) -> None:
    wrapped = response_model(draft)
    assert response_model(draft) is wrapped  # no new class per call
    assert issubclass(wrapped, draft) and wrapped.__name__ == draft.__name__
    assert wrapped.model_json_schema() == instructor.openai_schema(draft).model_json_schema()
    first = wrapped.model_json_schema()
    first["properties"].clear()  # a caller that edits its copy changes nothing for the next
    assert wrapped.model_json_schema() == json_schema(draft) == draft.model_json_schema()
    by_name = wrapped.model_json_schema(by_alias=False)  # other arguments: generated as asked
    assert by_name == draft.model_json_schema(by_alias=False)


def test_a_lead_call_runs_alone_before_the_others_start() -> None:
    """While an endpoint's mode is unknown, its first call is asked alone: should it fail,
    no other call of the article has been sent."""
    started: list[int] = []

    def call(i: int) -> int:
        started.append(i)
        if i == 0:
            raise RuntimeError("refused")
        return i

    with pytest.raises(RuntimeError):
        run_all([partial(call, i) for i in range(5)], width=4, lead=True)
    assert started == [0]
    assert run_all([partial(call, i) for i in range(1, 4)], width=4, lead=True) == [1, 2, 3]
