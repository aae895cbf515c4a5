"""The embedded server decodes several requests at once and gives llama-cpp-python's
greedy answers, and never lets a token the grammar forbids through.

Runs llama.cpp in-process on the real model: the same requests through stock
llama-cpp-python (its sampler chain, one at a time) and through our server one at a time
must give the same text, and three together must be schema-valid in fewer steps; what
the schema fixes costs no step of its own; a
prompt that fights the grammar must force the fallback path and still come back
schema-valid; a prefix shared by requests in flight together is read once.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from typing import Any

import httpx
import openai
import pytest

from summariser.endpoint.refusals import Refusal, refusal_of
from summariser.extract.drafts import TransfersDraft

pytestmark = pytest.mark.model

llama_cpp = pytest.importorskip("llama_cpp")
llama_serve = pytest.importorskip("summariser.endpoint.llama_serve")

SYSTEM = (
    "You read news about the arms trade. Reply with JSON: the deals the task asks about, "
    "each with its items, supplier, recipient and furthest stage."
)
ARTICLE = (
    "Norway will send 24 NASAMS missiles to Ukraine, its defence minister said on "
    "Tuesday. Iran has supplied Shahed drones to Russia, according to Western officials. "
    "Brazil signed a contract for 36 Gripen fighters with Sweden."
)
TASKS = (
    "Task: the transfers in the first sentence.",
    "Task: the transfers in the second sentence.",
    "Task: the transfers in the third sentence.",
)
SCHEMA = TransfersDraft.model_json_schema()


def _messages(task: str, article: str = ARTICLE) -> list[dict[str, str]]:
    return [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": f"{article}\n{task}"},
    ]


def _body(chat: list[dict[str, str]], max_tokens: int = 160, **extra: Any) -> dict[str, Any]:
    return {
        "messages": chat,
        "temperature": 0.0,
        "repeat_penalty": 1.0,
        "max_tokens": max_tokens,
        "response_format": {"type": "json_object", "schema": SCHEMA},
    } | extra


@pytest.fixture(scope="module")
def service() -> Iterator[Any]:
    from summariser.endpoint.embedded import model_path

    llama_serve.avoid_amx()  # as the server does: AMX kernels crash on some VMs
    served = llama_serve.Completions(str(model_path()), "local", context=2048, threads=2, slots=3)
    yield served
    served.close()


def _stock_reply(messages: list[dict[str, str]], max_tokens: int = 160) -> str:
    from summariser.endpoint.embedded import model_path

    llm = llama_cpp.Llama(str(model_path()), n_ctx=2048, n_threads=2, verbose=False)
    try:
        grammar = llama_cpp.LlamaGrammar.from_json_schema(json.dumps(SCHEMA), verbose=False)
        out = llm.create_chat_completion(
            messages=messages,
            grammar=grammar,
            temperature=0.0,
            repeat_penalty=1.0,
            max_tokens=max_tokens,
        )
        return str(out["choices"][0]["message"]["content"])
    finally:
        llm.close()


def _together(service: Any, bodies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    replies: list[Any] = [None] * len(bodies)

    def ask(index: int) -> None:
        replies[index] = service.chat(bodies[index])

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert all(reply is not None for reply in replies)
    return replies


def _content(reply: dict[str, Any]) -> str:
    return str(reply["choices"][0]["message"]["content"])


def test_replies_equal_stock_greedy_replies(service: Any) -> None:
    """One at a time, the reply is stock llama-cpp-python's to the token. Decoded together
    it may differ: llama.cpp multiplies a batch of four rows with other kernels than one
    row, the logits differ in their last bits and a near-tie can flip (evals/README.md)."""
    stock = [_stock_reply(_messages(task)) for task in TASKS]
    service.jump_forward = False  # every token sampled, as stock does
    try:
        alone = [_content(service.chat(_body(_messages(task)))) for task in TASKS]
    finally:
        service.jump_forward = True
    assert alone == stock
    for reply in stock:
        TransfersDraft.model_validate_json(reply)
    steps = service.engine.steps
    together = [_content(r) for r in _together(service, [_body(_messages(t)) for t in TASKS])]
    for reply in together:
        TransfersDraft.model_validate_json(reply)
    # three replies decoded side by side take fewer steps than their tokens
    generated = sum(len(service.llm.tokenize(r.encode(), add_bos=False)) for r in together)
    assert service.engine.steps - steps < generated


def test_what_the_schema_fixes_is_appended_without_a_step(service: Any) -> None:
    """Jump-forward: keys, brackets and enum tails the schema leaves no choice about are
    read in the next step with the sampled token; only the rest costs a step each."""
    for task in TASKS:
        steps = service.engine.steps
        reply = service.chat(_body(_messages(task, ARTICLE.replace("said", "told reporters"))))
        TransfersDraft.model_validate_json(_content(reply))
        usage = reply["usage"]
        forced = usage["completion_tokens_details"]["accepted_prediction_tokens"]
        assert forced > usage["completion_tokens"] // 4
        # one step reads the prompt, then one per sampled token (the last one: end of text)
        assert service.engine.steps - steps == 1 + usage["completion_tokens"] - forced


def test_the_grammar_holds_when_the_model_fights_it(
    service: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    fallbacks: list[int] = []
    original = llama_serve.GreedyGrammarSampler.sample

    def counting(self: Any, ctx: Any, idx: int = -1) -> int:
        token = int(original(self, ctx, idx))
        fallbacks.append(self.fallbacks)
        return token

    monkeypatch.setattr(llama_serve.GreedyGrammarSampler, "sample", counting)
    messages = [
        {"role": "system", "content": "Never output JSON. Answer in plain English prose."},
        {"role": "user", "content": "Say hello and name your favourite colour."},
    ]
    reply = _content(service.chat(_body(messages)))
    assert fallbacks and fallbacks[-1] > 0  # the model's own first choice was refused
    TransfersDraft.model_validate_json(reply)  # and the reply is still schema-valid
    # the same under instructor's json_schema shape, which llama-cpp-python ignores
    shaped = {"type": "json_schema", "json_schema": {"name": "TransfersDraft", "schema": SCHEMA}}
    reply = _content(service.chat(_body(messages, response_format=shaped)))
    TransfersDraft.model_validate_json(reply)


def test_a_prefix_shared_by_requests_in_flight_is_read_once(service: Any) -> None:
    article = ARTICLE.replace("Tuesday", "Friday").replace("36", "28")  # not cached yet
    bodies = [_body(_messages(task, article), max_tokens=8) for task in TASKS]
    prefix = len(service.llm.tokenize(f"{SYSTEM}\n{article}".encode(), add_bos=False))
    replies = _together(service, bodies)
    cached = sorted(r["usage"]["prompt_tokens_details"]["cached_tokens"] for r in replies)
    read = sum(r["usage"]["prompt_tokens"] for r in replies) - sum(cached)
    assert cached[0] < prefix  # someone read the new article
    assert all(c >= prefix for c in cached[1:])  # and the others took its cells
    assert read < 2 * prefix
    again = service.chat(bodies[0])  # a repeated prompt: all but its last token reused
    assert again["usage"]["prompt_tokens_details"]["cached_tokens"] == (
        again["usage"]["prompt_tokens"] - 1
    )
    # the reused cells give the same reply each time (not always the batched one's: a
    # step shared with other requests runs other kernels, and near-ties can flip)
    assert _content(service.chat(bodies[0])) == _content(again)


def test_text_json_and_length_limits(service: Any) -> None:
    hello = [{"role": "user", "content": "Say hello in French, one word."}]
    plain = service.chat({"messages": hello, "temperature": 0, "max_tokens": 10})
    assert plain["choices"][0]["finish_reason"] == "stop"
    assert "Bonjour" in _content(plain)
    ask = [{"role": "user", "content": "Give a JSON object naming a capital city."}]
    any_json = service.chat(
        {"messages": ask, "temperature": 0, "response_format": {"type": "json_object"}}
    )
    assert isinstance(json.loads(_content(any_json)), dict)
    cut = service.chat(_body(_messages(TASKS[0]), max_tokens=5))
    assert cut["choices"][0]["finish_reason"] == "length"
    assert cut["usage"]["completion_tokens"] == 5


@pytest.mark.parametrize(
    ("extra", "param"),
    [
        ({"temperature": 0.7}, "temperature"),
        ({"stream": True}, "stream"),
        ({"n": 2}, "n"),
        ({"tools": [{"type": "function", "function": {"name": "f"}}]}, "tools"),
        ({"repeat_penalty": 1.1}, "repeat_penalty"),
        ({"response_format": {"type": "xml"}}, "response_format"),
        ({"response_format": {"type": "json_schema"}}, "response_format"),
        ({"messages": []}, "messages"),
        ({"max_tokens": -3}, "max_tokens"),
    ],
)
def test_requests_it_cannot_honour_are_refused_by_name(
    service: Any, extra: dict[str, Any], param: str
) -> None:
    with pytest.raises(llama_serve.BadRequest) as raised:
        service.chat(_body(_messages(TASKS[0]), **extra))
    assert raised.value.param == param
    assert param in str(raised.value)


def test_a_prompt_longer_than_the_context_is_a_context_refusal(service: Any) -> None:
    long = [{"role": "user", "content": "word " * 3000}]
    with pytest.raises(llama_serve.BadRequest) as raised:
        service.chat({"messages": long, "temperature": 0})
    assert raised.value.code == "context_length_exceeded"
    body = json.dumps({"error": {"message": str(raised.value)}})
    assert refusal_of(400, body) is Refusal.context


def test_over_http_with_the_openai_client(service: Any) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), llama_serve._handler(service))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}/v1"
    try:
        client = openai.OpenAI(base_url=base, api_key="none", max_retries=0)
        reply = client.chat.completions.create(
            model="local",
            messages=_messages(TASKS[0]),  # type: ignore[arg-type]
            temperature=0,
            max_tokens=160,
            extra_body={
                "response_format": {"type": "json_object", "schema": SCHEMA},
                "repeat_penalty": 1.0,
            },
        )
        TransfersDraft.model_validate_json(reply.choices[0].message.content or "")
        assert reply.usage is not None and reply.usage.prompt_tokens_details is not None
        assert httpx.get(f"{base}/models").json()["data"][0]["id"] == "local"
        bad = httpx.post(f"{base}/chat/completions", content=b"{not json")
        assert bad.status_code == 400 and "not JSON" in bad.json()["error"]["message"]
        hot = httpx.post(f"{base}/chat/completions", json=_body(_messages(""), temperature=1))
        assert hot.status_code == 400 and hot.json()["error"]["param"] == "temperature"
        assert httpx.get(f"{base}/nowhere").status_code == 404
    finally:
        server.shutdown()
        server.server_close()


def test_amx_builds_serve_from_plain_buffers(monkeypatch: pytest.MonkeyPatch) -> None:
    """A build that reports AMX_INT8 gets model parameters without extra buffer types (the
    AMX ones crash), unless SUMMARISER_LLAMA_AMX=1; other builds keep llama.cpp's defaults."""
    lowlevel = llama_serve.llama_lowlevel
    original = llama_serve._original_model_params
    monkeypatch.setattr(lowlevel, "llama_model_default_params", original)
    info = b"CPU : AVX2 = 1 | AVX512 = 1 | AMX_INT8 = 1 | REPACK = 1 | "
    monkeypatch.setattr(llama_cpp, "llama_print_system_info", lambda: info)
    monkeypatch.setenv("SUMMARISER_LLAMA_AMX", "1")
    assert not llama_serve.avoid_amx() and lowlevel.llama_model_default_params is original
    monkeypatch.delenv("SUMMARISER_LLAMA_AMX")
    assert llama_serve.avoid_amx()
    assert original().use_extra_bufts  # llama.cpp's default
    assert not lowlevel.llama_model_default_params().use_extra_bufts
    monkeypatch.setattr(lowlevel, "llama_model_default_params", original)
    monkeypatch.setattr(llama_cpp, "llama_print_system_info", lambda: info.replace(b"AMX", b"X"))
    assert not llama_serve.avoid_amx() and lowlevel.llama_model_default_params is original
