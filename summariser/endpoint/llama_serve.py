"""The embedded model server: several greedy requests at once, grammar on every token.

An OpenAI-compatible ``/v1/chat/completions`` over :class:`~summariser.endpoint.llama_batch.Engine`
(up to ``--parallel`` requests decoded together, prompt prefixes shared in one KV
cache). It replaces llama-cpp-python's server, which answers one request at a time,
and keeps what this project needed from it: the GGUF's own chat template, grammars from
``response_format={"type": "json_object", "schema": ...}`` (and ``json_schema``), and
OpenAI's ``usage.prompt_tokens_details.cached_tokens``. Only prompt tokens past a
reused prefix are evaluated, and for their last logits only.

Sampling is greedy. llama-cpp-python puts the grammar sampler in its chain ahead of the
greedy pick, so under a JSON schema every generated token checks all ~151k vocabulary
entries against the grammar: about 40% of decode time on this model.
:class:`GreedyGrammarSampler` does as llama.cpp's own samplers (``common_sampler_sample``):
it checks the grammar on the chosen token first and searches the vocabulary only when the
grammar rejects it. For greedy decoding the two give the same token: the best allowed
token is the best token whenever the grammar allows it. :func:`avoid_amx` keeps llama.cpp
off its AMX kernels.

Where a request's JSON schema leaves no choice (the next key of an object, a bracket, the
rest of an enum value), the text is appended without sampling (jump-forward; see
:mod:`summariser.endpoint.json_forcing`) and reported as
``usage.completion_tokens_details.accepted_prediction_tokens``, OpenAI's field for
completion tokens that were predicted rather than generated; ``--no_jump_forward``
samples every token, as llama-cpp-python does.

Run as ``python -m summariser.endpoint.llama_serve --model FILE.gguf --port N``; it is
never imported by the library itself (it needs ``llama_cpp``).
"""

from __future__ import annotations

import argparse
import ctypes
import json
import math
import os
import sys
import time
import uuid
from collections.abc import Sequence
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Optional

import llama_cpp
import numpy as np
from llama_cpp import llama_chat_format, llama_grammar
from llama_cpp import llama_cpp as llama_lowlevel  # the module Llama() reads its defaults from

from summariser.endpoint.json_forcing import JsonForcer
from summariser.endpoint.llama_batch import ArgmaxSampler, Engine, PromptTooLong, Request

# requests decoded together: one token of each of 8 sequences costs ~148 ms here, against
# ~32 ms for one token of one
DEFAULT_SLOTS = 8

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

    def force(self, token: int) -> bool:
        """Accept ``token`` unsampled if the grammar allows it here; False if not."""
        self._one[0] = llama_cpp.llama_token_data(token, 0.0, 0.0)
        self._apply(self._one, 1)
        if math.isinf(self._one[0].logit):
            return False
        llama_cpp.llama_sampler_accept(self.grammar, token)
        return True

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


class BadRequest(ValueError):
    """A request this server cannot honour; answered with HTTP 400 and the message."""

    def __init__(self, message: str, code: Optional[str] = None, param: Optional[str] = None):
        super().__init__(message)
        self.code = code
        self.param = param


@lru_cache(maxsize=256)
def _gbnf(schema_json: Optional[str]) -> str:
    """The GBNF grammar for a JSON schema (any JSON value without one)."""
    if schema_json is None:
        return llama_grammar.JSON_GBNF
    try:
        return llama_grammar.LlamaGrammar.from_json_schema(schema_json, verbose=False)._grammar
    except Exception as error:  # the converter raises bare Exceptions and ValueErrors
        raise BadRequest(
            f"response_format: the JSON schema cannot be turned into a grammar ({error})",
            param="response_format",
        ) from error


def _schema_of(response_format: Any) -> Optional[str]:
    """The schema (as JSON text) a ``response_format`` asks for; "" for plain text."""
    if response_format is None:
        return ""
    if not isinstance(response_format, dict):
        raise BadRequest("response_format must be an object", param="response_format")
    kind = response_format.get("type")
    if kind == "text":
        return ""
    if kind == "json_object":
        schema = response_format.get("schema")
        return None if schema is None else json.dumps(schema)
    if kind == "json_schema":
        inner = response_format.get("json_schema")
        if not isinstance(inner, dict) or not isinstance(inner.get("schema"), dict):
            raise BadRequest(
                "response_format: type json_schema needs json_schema.schema",
                param="response_format",
            )
        return json.dumps(inner["schema"])
    raise BadRequest(
        f"response_format.type {kind!r}: use text, json_object or json_schema",
        param="response_format",
    )


class Completions:
    """OpenAI chat completions for one GGUF model, several requests decoded at once.

    Greedy only: a request must ask for ``temperature`` 0 (what summariser sends) and no
    penalties; a grammar from its ``response_format`` is enforced on every token.
    """

    def __init__(
        self,
        model_path: str,
        alias: str,
        *,
        context: int,
        threads: int,
        batch: int = 512,
        slots: int = DEFAULT_SLOTS,
        jump_forward: bool = True,
    ) -> None:
        self.alias = alias
        self.jump_forward = jump_forward  # append what the schema fixes without sampling it
        self.llm = llama_cpp.Llama(
            model_path,
            n_ctx=256,  # the engine makes its own context; this one only loads the model
            n_batch=batch,
            n_threads=threads,
            n_threads_batch=threads,
            verbose=False,
        )
        template = self.llm.metadata.get("tokenizer.chat_template")
        if not template:
            raise SystemExit(f"{model_path} carries no chat template; it cannot serve chats")
        eos = self.llm.token_eos()
        bos = self.llm.token_bos()
        token_text = self.llm._model.token_get_text
        self.formatter = llama_chat_format.Jinja2ChatFormatter(
            template=template,
            eos_token=token_text(eos) if eos != -1 else "",
            bos_token=token_text(bos) if bos != -1 else "",
            stop_token_ids=[eos],
        )
        self.engine = Engine(self.llm, slots=slots, context=context, batch=batch)

    def close(self) -> None:
        self.engine.close()

    def models(self) -> dict[str, Any]:
        return {
            "object": "list",
            "data": [{"id": self.alias, "object": "model", "owned_by": "summariser"}],
        }

    def _sampler(self, schema: Optional[str]) -> Any:
        if schema == "":
            return ArgmaxSampler(self.llm.n_vocab())
        grammar = llama_grammar.LlamaGrammar.from_string(_gbnf(schema), verbose=False)
        return GreedyGrammarSampler(self.llm._model.vocab, self.llm.n_vocab(), grammar)

    def _forcer(self, schema: Optional[str]) -> Optional[JsonForcer]:
        if not self.jump_forward or not schema:
            return None
        parsed = json.loads(schema)
        return JsonForcer(parsed) if isinstance(parsed, dict) else None

    def chat(self, body: dict[str, Any]) -> dict[str, Any]:
        """One ``/v1/chat/completions`` request body to its reply."""
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            raise BadRequest("messages must be a non-empty list", param="messages")
        _check_greedy(body)
        prompt = self.formatter(messages=messages)
        tokens = self.llm.tokenize(
            prompt.prompt.encode("utf-8"), add_bos=not prompt.added_special, special=True
        )
        stop = body.get("stop") or []
        stops = [stop] if isinstance(stop, str) else list(stop)
        stops += [prompt.stop] if isinstance(prompt.stop, str) else list(prompt.stop or [])
        max_tokens = body.get("max_tokens") or body.get("max_completion_tokens") or 0
        if not isinstance(max_tokens, int) or max_tokens < 0:
            raise BadRequest("max_tokens must be a positive integer", param="max_tokens")
        schema = _schema_of(body.get("response_format"))
        request = Request(
            prompt=tokens,
            max_tokens=max_tokens,
            sampler=self._sampler(schema),
            stop=stops,
            forcer=self._forcer(schema),
        )
        try:
            self.engine.complete(request)
        except PromptTooLong as error:
            raise BadRequest(
                f"This model's maximum context length is {error.context} tokens. "
                f"However, you requested {error.tokens + max_tokens} tokens "
                f"({error.tokens} in the messages, {max_tokens} in the completion). "
                "Please reduce the length of the messages or completion.",
                code="context_length_exceeded",
                param="messages",
            ) from error
        finally:
            if isinstance(request.sampler, GreedyGrammarSampler):
                request.sampler.close()  # llama.cpp's grammar state, freed now
        generated = len(request.completion)
        return {
            "id": f"chatcmpl-{uuid.uuid4().hex}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": self.alias,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": request.text},
                    "logprobs": None,
                    "finish_reason": request.finish_reason,
                }
            ],
            "usage": {
                "prompt_tokens": len(tokens),
                "completion_tokens": generated,
                "total_tokens": len(tokens) + generated,
                "prompt_tokens_details": {"cached_tokens": request.cached},
                # tokens the schema fixed, appended without sampling (jump-forward): of
                # OpenAI's fields, the one for completion tokens that were predicted
                "completion_tokens_details": {"accepted_prediction_tokens": request.forced},
            },
        }


def _check_greedy(body: dict[str, Any]) -> None:
    if body.get("stream"):
        raise BadRequest("stream: this server answers whole replies only", param="stream")
    if body.get("n", 1) != 1:
        raise BadRequest("n: this server gives one choice per request", param="n")
    if body.get("tools") or body.get("functions"):
        raise BadRequest(
            "tools: not served here; ask with response_format and a JSON schema instead",
            param="tools",
        )
    if body.get("temperature", 0) != 0:
        raise BadRequest(
            "temperature: this server decodes greedily; send temperature 0",
            param="temperature",
        )
    for name, neutral in (
        ("repeat_penalty", 1.0),
        ("presence_penalty", 0.0),
        ("frequency_penalty", 0.0),
    ):
        if body.get(name, neutral) != neutral:
            raise BadRequest(f"{name}: not supported; leave it at {neutral}", param=name)


def _handler(service: Completions) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _send(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _error(self, status: int, message: str, kind: str, **extra: Any) -> None:
            self._send(status, {"error": {"message": message, "type": kind, **extra}})

        def do_GET(self) -> None:
            if self.path.rstrip("/") in ("/v1/models", "/models"):
                self._send(200, service.models())
            elif self.path.rstrip("/") == "/health":
                self._send(200, {"status": "ok"})
            else:
                self._error(404, f"no route {self.path}", "not_found")

        def do_POST(self) -> None:
            if self.path.rstrip("/") not in ("/v1/chat/completions", "/chat/completions"):
                self._error(404, f"no route {self.path}", "not_found")
                return
            try:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"null")
                if not isinstance(body, dict):
                    raise BadRequest("the request body must be a JSON object")
                self._send(200, service.chat(body))
            except json.JSONDecodeError as error:
                self._error(400, f"the request body is not JSON: {error}", "invalid_request_error")
            except BadRequest as error:
                self._error(
                    400, str(error), "invalid_request_error", code=error.code, param=error.param
                )
            except Exception as error:  # the reply says what failed; the server lives on
                self._error(500, f"{type(error).__name__}: {error}", "server_error")

        def log_message(self, format: str, *args: Any) -> None:
            sys.stderr.write(f"{self.address_string()} {format % args}\n")

    return Handler


def serve(argv: Optional[Sequence[str]] = None) -> None:
    """Serve a GGUF model on ``--host``/``--port`` until the process is stopped."""
    parser = argparse.ArgumentParser(prog="python -m summariser.endpoint.llama_serve")
    parser.add_argument("--model", required=True)
    parser.add_argument("--model_alias")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--n_ctx", type=int, default=8192, help="tokens per request")
    parser.add_argument("--n_threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--n_threads_batch", type=int, help="ignored: --n_threads serves both")
    parser.add_argument("--n_batch", type=int, default=512)
    parser.add_argument("--parallel", type=int, default=DEFAULT_SLOTS, help="requests at once")
    parser.add_argument(
        "--no_jump_forward",
        action="store_true",
        help="sample every token, even where the JSON schema leaves no choice",
    )
    args = parser.parse_args(argv)
    if avoid_amx():
        print("summariser: llama.cpp has AMX kernels; serving from plain CPU buffers", flush=True)
    service = Completions(
        args.model,
        args.model_alias or os.path.splitext(os.path.basename(args.model))[0],
        context=args.n_ctx,
        threads=args.n_threads,
        batch=args.n_batch,
        slots=args.parallel,
        jump_forward=not args.no_jump_forward,
    )
    server = ThreadingHTTPServer((args.host, args.port), _handler(service))
    server.daemon_threads = True
    print(
        f"summariser: serving {service.alias} on http://{args.host}:{args.port}/v1 "
        f"({args.parallel} requests at once, {args.n_ctx} tokens each)",
        flush=True,
    )
    try:
        server.serve_forever()
    finally:
        server.server_close()
        service.close()


if __name__ == "__main__":
    serve()
