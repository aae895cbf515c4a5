"""The embedded server's grammar fast path gives llama-cpp-python's greedy answer, and
still never lets a token the grammar forbids through.

Runs llama.cpp in-process on the real model: the same request through the stock sampler
chain and through :class:`GreedyGrammarSampler` must give the same text, and a prompt
that fights the grammar must force the fallback path and still come back schema-valid.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from summariser.extract.drafts import TransfersDraft

pytestmark = pytest.mark.model

llama_cpp = pytest.importorskip("llama_cpp")
llama_serve = pytest.importorskip("summariser.endpoint.llama_serve")

ARTICLE = (
    "Norway will send 24 NASAMS missiles to Ukraine, its defence minister said on "
    "Tuesday. Iran has supplied Shahed drones to Russia, according to Western officials."
)


@pytest.fixture(scope="module")
def llm() -> Iterator[Any]:
    from summariser.endpoint.embedded import model_path

    llama_serve.avoid_amx()  # as the server does: AMX kernels crash on some VMs
    model = llama_cpp.Llama(str(model_path()), n_ctx=2048, n_threads=2, verbose=False)
    yield model
    model.close()


def _reply(llm: Any, messages: list[dict[str, str]], max_tokens: int = 120) -> str:
    grammar = llama_cpp.LlamaGrammar.from_json_schema(
        json.dumps(TransfersDraft.model_json_schema()), verbose=False
    )
    out = llm.create_chat_completion(
        messages=messages, grammar=grammar, temperature=0.0, max_tokens=max_tokens
    )
    return str(out["choices"][0]["message"]["content"])


def _with_fast_path(llm: Any, messages: list[dict[str, str]]) -> tuple[str, int]:
    fallbacks: list[int] = []
    original = llama_serve.GreedyGrammarSampler.sample

    def counting(self: Any, ctx: Any, idx: int = -1) -> int:
        token = int(original(self, ctx, idx))
        fallbacks.append(self.fallbacks)
        return token

    llama_serve.install()
    llama_serve.GreedyGrammarSampler.sample = counting
    try:
        reply = _reply(llm, messages)
    finally:
        llama_serve.GreedyGrammarSampler.sample = original
        llama_serve.uninstall()
    assert fallbacks, "the fast path was not used"
    return reply, fallbacks[-1]


def test_fast_path_gives_the_stock_greedy_reply(llm: Any) -> None:
    messages = [
        {"role": "system", "content": "List the arms transfers in the text as JSON."},
        {"role": "user", "content": ARTICLE},
    ]
    stock = _reply(llm, messages)
    fast, _ = _with_fast_path(llm, messages)
    assert fast == stock
    TransfersDraft.model_validate_json(fast)


def test_fast_path_falls_back_to_the_grammar_when_the_model_fights_it(llm: Any) -> None:
    messages = [
        {"role": "system", "content": "Never output JSON. Answer in plain English prose."},
        {"role": "user", "content": "Say hello and name your favourite colour."},
    ]
    reply, fallbacks = _with_fast_path(llm, messages)
    assert fallbacks > 0  # the model's own first choice was refused at least once
    TransfersDraft.model_validate_json(reply)  # and the reply is still schema-valid


def test_a_shared_prefix_is_reported_as_cached_and_the_reply_is_unchanged() -> None:
    """As the server runs it (keeping every position's logits): a second prompt that
    extends the first is evaluated past the shared prefix only, the reply says how many
    tokens came from the KV cache (OpenAI's usage.prompt_tokens_details.cached_tokens),
    and evaluating the prompt for its last logits alone changes no reply."""
    from summariser.endpoint.embedded import model_path

    llama_serve.avoid_amx()
    llm = llama_cpp.Llama(
        str(model_path()), n_ctx=1024, n_threads=2, logits_all=True, verbose=False
    )
    first = f"Article: {ARTICLE}\nWho sends missiles to whom? Answer:"
    second = f"Article: {ARTICLE}\nWho supplies drones to whom? Answer:"
    shared = len(llm.tokenize(f"Article: {ARTICLE}\nWho".encode()))
    try:
        stock = [llm.create_completion(p, max_tokens=12, temperature=0.0) for p in (first, second)]
        llm.reset()
        llama_serve.install()
        try:
            ours = [
                llm.create_completion(p, max_tokens=12, temperature=0.0) for p in (first, second)
            ]
        finally:
            llama_serve.uninstall()
    finally:
        llm.close()
    assert [c["choices"][0]["text"] for c in ours] == [c["choices"][0]["text"] for c in stock]
    cold, warm = (c["usage"] for c in ours)
    assert cold["prompt_tokens_details"]["cached_tokens"] == 0
    cached = warm["prompt_tokens_details"]["cached_tokens"]
    assert shared - 2 <= cached < warm["prompt_tokens"]
    assert "prompt_tokens_details" not in stock[1]["usage"]  # uninstall() restores the stock path


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
