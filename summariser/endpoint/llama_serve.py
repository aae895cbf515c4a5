"""The embedded model server: ``llama_cpp.server`` with llama.cpp's grammar fast path.

llama-cpp-python puts the grammar sampler in its chain ahead of the greedy pick, so under
a JSON schema every generated token checks all ~151k vocabulary entries against the
grammar: about 40% of decode time on this model. llama.cpp's own samplers
(``common_sampler_sample``) check the grammar on the chosen token first and only fall
back to the full vocabulary when the grammar rejects it. For greedy decoding the two give
the same token: the best allowed token is the best token whenever the grammar allows it.

This module applies that fast path to greedy requests (``temperature`` 0, no penalties,
no logits processors) and leaves every other request on llama-cpp-python's own chain,
and keeps llama.cpp off its AMX kernels (see :func:`avoid_amx`).

Two more changes to the stock server, neither of which changes a reply: a prompt is
evaluated for its last token's logits only (the server keeps every position's logits, so
stock llama-cpp-python computes and copies 151k floats per prompt token: measured here,
119 against 183 prompt tokens/s), and each reply reports the prompt tokens the server
served from its KV cache as OpenAI does, ``usage.prompt_tokens_details.cached_tokens``.
Run as ``python -m summariser.endpoint.llama_serve`` with ``llama_cpp.server``'s arguments; it is
never imported by the library itself (it needs ``llama_cpp``).
"""

from __future__ import annotations

import ctypes
import math
import os
from typing import Any, Optional, cast

import llama_cpp
import numpy as np
from llama_cpp import llama as llama_module
from llama_cpp import llama_cpp as llama_lowlevel  # the module Llama() reads its defaults from

_token_data = np.dtype([("id", np.intc), ("logit", np.single), ("p", np.single)], align=True)


class GreedyGrammarSampler:
    """Greedy pick, checked against the grammar; the full vocabulary only on rejection."""

    def __init__(self, vocab: Any, n_vocab: int, grammar: Any) -> None:
        self.n_vocab = n_vocab
        self.grammar = llama_cpp.llama_sampler_init_grammar(
            vocab, grammar._grammar.encode("utf-8"), grammar._root.encode("utf-8")
        )
        if not self.grammar:
            raise ValueError("llama.cpp could not compile the grammar")
        self._one = (llama_cpp.llama_token_data * 1)()
        self._all: Optional[Any] = None  # the whole vocabulary, allocated on first rejection
        self.fallbacks = 0

    def _vocabulary(self) -> tuple[Any, Any]:
        if self._all is None:
            self._all = (llama_cpp.llama_token_data * self.n_vocab)()
        view = np.ctypeslib.as_array(
            ctypes.cast(self._all, ctypes.POINTER(ctypes.c_byte)),
            shape=(self.n_vocab * _token_data.itemsize,),
        ).view(_token_data)
        return self._all, view

    def _apply(self, data: Any, size: int) -> None:
        array = llama_cpp.llama_token_data_array(
            data=ctypes.cast(data, llama_cpp.llama_token_data_p),
            size=size,
            selected=-1,
            sorted=False,
        )
        llama_cpp.llama_sampler_apply(self.grammar, ctypes.byref(array))

    def sample(self, ctx: Any, idx: int = -1) -> int:
        pointer = llama_cpp.llama_get_logits_ith(ctx.ctx, idx)
        logits = np.ctypeslib.as_array(pointer, shape=(self.n_vocab,))
        token = int(np.argmax(logits))
        self._one[0] = llama_cpp.llama_token_data(token, float(logits[token]), 0.0)
        self._apply(self._one, 1)
        if math.isinf(self._one[0].logit):  # the grammar forbids it: search the vocabulary
            self.fallbacks += 1
            data, view = self._vocabulary()
            view["id"] = np.arange(self.n_vocab, dtype=np.intc)
            view["logit"] = logits
            view["p"] = 0.0
            self._apply(data, self.n_vocab)
            token = int(np.argmax(view["logit"]))
        llama_cpp.llama_sampler_accept(self.grammar, token)
        return token

    def accept(self, token: int) -> None:  # llama_cpp calls sample(), which accepts already
        pass

    def reset(self) -> None:
        llama_cpp.llama_sampler_reset(self.grammar)

    def close(self) -> None:
        if self.grammar:
            llama_cpp.llama_sampler_free(self.grammar)
            self.grammar = None

    def __del__(self) -> None:
        self.close()


_original_init_sampler = llama_module.Llama._init_sampler


def _init_sampler(self: Any, *args: Any, **kwargs: Any) -> Any:
    grammar: Optional[Any] = kwargs.get("grammar")
    greedy = (
        not args
        and grammar is not None
        and kwargs.get("temp") == 0.0
        and kwargs.get("logits_processor") is None
        and kwargs.get("repeat_penalty", 1.0) == 1.0
        and kwargs.get("frequency_penalty", 0.0) == 0.0
        and kwargs.get("presence_penalty", 0.0) == 0.0
    )
    if not greedy:
        return _original_init_sampler(self, *args, **kwargs)
    return GreedyGrammarSampler(self._model.vocab, self._n_vocab, grammar)


_original_eval = llama_module.Llama.eval
_original_create_completion = llama_module.Llama.create_completion


def _eval(self: Any, tokens: Any) -> Any:
    # the first batch a request evaluates is its prompt past the reused prefix
    if getattr(self, "_summariser_prompt_evaluated", 0) is not None:
        return _original_eval(self, tokens)
    self._summariser_prompt_evaluated = len(tokens)
    # sampling needs the logits of the prompt's last token only; llama-cpp-python computes
    # and copies every prompt token's when it keeps all logits (for logprobs, or to check
    # speculative drafts, which come later and in batches of their own)
    keep_all, self._logits_all = self._logits_all, False
    try:
        return _original_eval(self, tokens)
    finally:
        self._logits_all = keep_all


def _create_completion(self: Any, *args: Any, **kwargs: Any) -> Any:
    self._summariser_prompt_evaluated = None
    completion = _original_create_completion(self, *args, **kwargs)
    evaluated = self._summariser_prompt_evaluated or 0
    usage = (
        cast(Optional[dict[str, Any]], completion.get("usage"))
        if isinstance(completion, dict)
        else None
    )
    if usage is not None:
        usage["prompt_tokens_details"] = {
            "cached_tokens": max(0, usage["prompt_tokens"] - evaluated)
        }
    return completion


def install() -> None:
    """Route greedy grammar requests through :class:`GreedyGrammarSampler`, and report
    the prompt tokens served from the KV cache as OpenAI's
    ``usage.prompt_tokens_details.cached_tokens``."""
    llama_module.Llama._init_sampler = _init_sampler  # type: ignore[method-assign]
    llama_module.Llama.eval = _eval  # type: ignore[method-assign]
    llama_module.Llama.create_completion = _create_completion  # type: ignore[method-assign]


def uninstall() -> None:
    """Back to llama-cpp-python's own sampler chain."""
    llama_module.Llama._init_sampler = _original_init_sampler  # type: ignore[method-assign]
    llama_module.Llama.eval = _original_eval  # type: ignore[method-assign]
    llama_module.Llama.create_completion = _original_create_completion  # type: ignore[method-assign]


_original_model_params = llama_lowlevel.llama_model_default_params


def _model_params_without_extra_buffers() -> Any:
    params = _original_model_params()
    params.use_extra_bufts = False
    return params


def avoid_amx() -> bool:
    """Keep the weights in plain CPU buffers when llama.cpp was built with AMX kernels.

    ``pip`` builds llama.cpp for the CPU it runs on. On Xeons with AMX that build puts
    quantised weights in AMX buffers, and on the virtual machines seen here the AMX
    matrix multiply dies with SIGSEGV at the first prompt of more than one token. Plain
    buffers also give up llama.cpp's weight repacking; measured on such a VM (2 threads,
    an AVX-512 build with repacking against plain buffers) that made prompts faster (133
    against 97 tokens/s) and generation slower (11.5 against 14.3 tokens/s), a gain for
    this project's long prompts and short replies. ``SUMMARISER_LLAMA_AMX=1`` keeps AMX
    where it works. True when the buffers were changed.
    """
    if os.environ.get("SUMMARISER_LLAMA_AMX") == "1":
        return False
    if b"AMX_INT8 = 1" not in llama_cpp.llama_print_system_info():
        return False
    llama_lowlevel.llama_model_default_params = _model_params_without_extra_buffers
    return True


def report_cached_tokens() -> None:
    """Let the server's replies carry ``usage.prompt_tokens_details``: its response model
    (a TypedDict) drops keys it does not declare. Call before ``llama_cpp.server`` is
    imported, which builds the routes' response models."""
    from llama_cpp import llama_types

    usage = llama_types.CompletionUsage
    usage.__annotations__["prompt_tokens_details"] = dict[str, int]
    usage.__optional_keys__ = frozenset({*usage.__optional_keys__, "prompt_tokens_details"})


if __name__ == "__main__":
    report_cached_tokens()
    from llama_cpp.server.__main__ import main

    install()
    if avoid_amx():
        print("summariser: llama.cpp has AMX kernels; serving from plain CPU buffers", flush=True)
    main()  # type: ignore[no-untyped-call]
