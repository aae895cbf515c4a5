"""What a server's refusal means, read from its status and error body.

A refusal is an answer, not a fault: asking again cannot change it, so it is never
retried, and the user is told what the server objected to and what to do next. Servers
word their errors differently; these are the shapes seen from OpenAI, vLLM, Ollama,
llama.cpp's ``llama-server`` and llama-cpp-python's server:

* ``format``: the ``response_format`` shape is not understood (llama-cpp-python answers
  HTTP 500 "Input should be 'text' or 'json_object'" for ``type: json_schema``);
* ``context``: the prompt does not fit the model's context window;
* ``model``: no such model on this server;
* ``auth``: the API key was refused;
* ``parameter``: some other request field was rejected;
* ``other``: any other 4xx that names none of these.

A 5xx is a refusal only when its body names the request (``format``, ``context``, or a
request that failed validation); any other 5xx is a fault, retried by
:mod:`summariser.endpoint.retry`.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Optional


class Refusal(Enum):
    format = "format"
    context = "context"
    model = "model"
    auth = "auth"
    parameter = "parameter"
    other = "other"


_FORMAT = re.compile(r"response_format|json_schema|json_object|structured output", re.I)
_CONTEXT = re.compile(
    r"context_length_exceeded|context (?:length|window|size)|maximum context|"
    r"too many tokens|prompt is too long|exceeds? the (?:available )?context",
    re.I,
)
_MODEL = re.compile(
    r"model\b[^.]{0,80}\b(?:not found|does not exist|not exist|unknown|not available|"
    r"not loaded|no such)|(?:unknown|invalid) model|model_not_found",
    re.I,
)
_PARAMETER = re.compile(
    r"unsupported|unrecognized|unknown (?:field|parameter|argument)|extra (?:inputs|fields)|"
    r"not permitted|invalid (?:parameter|argument|value)|validation error",
    re.I,
)


def refusal_of(status: int, body: str) -> Optional[Refusal]:
    """The kind of refusal an error response is, or None for a transient fault."""
    if status in (401, 403):
        return Refusal.auth
    if status < 400 or status == 429:
        return None
    if _CONTEXT.search(body):
        return Refusal.context
    if _FORMAT.search(body):
        return Refusal.format
    if status >= 500:  # llama-cpp-python answers a request it cannot validate with a 500
        return Refusal.parameter if "validation error" in body.lower() else None
    if status == 404:
        return Refusal.model if "model" in body.lower() else Refusal.other
    if _MODEL.search(body):
        return Refusal.model
    if _PARAMETER.search(body):
        return Refusal.parameter
    return Refusal.other


#: Refusals that may mean the ``response_format`` shape is not understood: while the mode
#: is still being detected, the next mode is tried (a server that rejects an unknown
#: field often says only "invalid request").
MAY_BE_FORMAT = frozenset({Refusal.format, Refusal.parameter, Refusal.other})

CONTEXT_HINT = (
    "start the server with a longer context (llama-cpp-python: --n_ctx 8192; llama.cpp's "
    "llama-server: -c 8192; vLLM: --max-model-len 8192; Ollama: num_ctx 8192) or serve a "
    "model with a longer one"
)


def next_step(refusal: Refusal, model: str, served: tuple[str, ...] = ()) -> str:
    """What the user can do about a refusal, in a few words."""
    if refusal is Refusal.auth:
        return "check --api-key (or SUMMARISER_API_KEY / OPENAI_API_KEY) for this endpoint"
    if refusal is Refusal.model:
        listed = f"; it serves {', '.join(served[:8])}" if served else ""
        return f"check --model: the endpoint does not serve {model!r}{listed}"
    if refusal is Refusal.context:
        return CONTEXT_HINT
    if refusal is Refusal.parameter:
        return "try --structured json, or a server that speaks the OpenAI chat API"
    if refusal is Refusal.format:
        return "drop --structured to detect a mode this server accepts, or try --structured json"
    return "check --model, --api-key and --base-url"


def what_was_refused(refusal: Refusal) -> str:
    return {
        Refusal.auth: "refused the API key",
        Refusal.model: "does not know the model",
        Refusal.context: "found the prompt longer than the model's context window",
        Refusal.parameter: "rejected a request parameter",
        Refusal.format: "does not accept this structured-output shape",
        Refusal.other: "refused the request",
    }[refusal]
