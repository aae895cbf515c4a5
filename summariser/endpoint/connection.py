"""Model access: one factory that turns options into an instructor-wrapped OpenAI client.

Every backend goes through the ``openai`` client wrapped by ``instructor``:

* ``embedded`` (default): the bundled GGUF served by :mod:`summariser.endpoint.embedded`;
* ``openai-compatible``: any ``--base-url`` (OpenAI, vLLM, Ollama, llama.cpp server).

How the reply is constrained (``StructuredOutput``, see :mod:`summariser.endpoint.modes`):

* ``llama-grammar``: ``response_format={"type": "json_object", "schema": ...}``, the one
  shape llama-cpp-python's server compiles into a grammar (its decoder cannot emit a
  token that breaks the schema). instructor's JSON_SCHEMA mode sends another shape, so
  we override the body field with ``extra_body``.
* ``json-schema``: OpenAI structured outputs (``type: json_schema``), also understood by
  vLLM, Ollama and the C++ llama.cpp server.
* ``json``: plain JSON mode for endpoints that know nothing better (schema in the prompt).

The embedded model uses ``llama-grammar``; any other endpoint has its mode detected on
the first structured call unless the user names one (:meth:`Connection.create`).
Refusals become errors that name the cause and the next step (:meth:`Connection.error_for`).
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional, TypeVar, cast
from urllib.parse import urlsplit, urlunsplit

import httpx
import instructor
import openai
from pydantic import BaseModel

from summariser.endpoint.cache import CachingTransport
from summariser.endpoint.embedded import PENDING_BASE_URL, EmbeddedServer, StartOnDemand, model_path
from summariser.endpoint.modes import (
    Detection,
    StructuredOutput,
    detection,
)
from summariser.endpoint.refusals import (
    MAY_BE_FORMAT,
    Refusal,
    next_step,
    refusal_of,
    what_was_refused,
)
from summariser.endpoint.retry import RetryingTransport, RetryPolicy
from summariser.errors import (
    ConfigurationError,
    InputError,
    ModelError,
    SummariserError,
    TransportError,
    abbreviate,
)

DEFAULT_TIMEOUT_S = 600.0
DEFAULT_PARALLEL_CALLS = 8  # one article's calls in flight at once, on any endpoint

Draft = TypeVar("Draft", bound=BaseModel)


@dataclass(frozen=True)
class Endpoint:
    """Where to send requests. ``base_url=None`` means the embedded model."""

    base_url: Optional[str] = None
    api_key: Optional[str] = field(default=None, repr=False)
    model: Optional[str] = None
    structured: Optional[StructuredOutput] = None
    timeout_s: float = DEFAULT_TIMEOUT_S
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    cache_dir: Optional[Path] = None  # on-disk response cache; None: no cache
    parallel_calls: int = DEFAULT_PARALLEL_CALLS  # per article; the embedded server decodes as many
    mode_notes: Optional[Path] = None  # where detected modes are noted; None: the cache dir
    threads: Optional[int] = None  # the embedded server's CPU threads; None: every core

    def __post_init__(self) -> None:
        if self.threads is not None and self.threads < 1:
            raise ConfigurationError(f"--threads {self.threads}: give at least 1")

    @classmethod
    def from_env(
        cls,
        base_url: Optional[str] = None,
        api_key: Optional[str] = None,
        model: Optional[str] = None,
        structured: Optional[str] = None,
        parallel_calls: Optional[int] = None,
        threads: Optional[int] = None,
        **extra: Any,
    ) -> Endpoint:
        """Explicit values win, then ``SUMMARISER_BASE_URL/_API_KEY/_MODEL/_STRUCTURED/
        _PARALLEL_CALLS``. ``threads`` is for the embedded model only."""
        base_url = base_url or os.environ.get("SUMMARISER_BASE_URL") or None
        api_key = api_key or os.environ.get("SUMMARISER_API_KEY") or None
        model = model or os.environ.get("SUMMARISER_MODEL") or None
        structured = structured or os.environ.get("SUMMARISER_STRUCTURED") or None
        if base_url and not urlsplit(base_url).scheme.startswith("http"):
            raise ConfigurationError(
                f"--base-url {redact_url(base_url)!r} is not an http(s) URL; "
                "give e.g. http://localhost:8000/v1"
            )
        if base_url and not model:
            raise ConfigurationError(
                "--model (or SUMMARISER_MODEL) is required with --base-url; "
                "give the model name the endpoint serves"
            )
        parallel = parallel_calls
        if parallel is None:
            parallel = _positive_env("SUMMARISER_PARALLEL_CALLS")
        if parallel is not None and parallel < 1:
            raise ConfigurationError(f"--parallel-calls {parallel}: give at least 1")
        if parallel is not None:
            extra["parallel_calls"] = parallel
        if threads is not None:
            if base_url:
                raise ConfigurationError(
                    "--threads sets the embedded model's CPU threads; an endpoint given with "
                    "--base-url decides its own: drop --threads"
                )
            extra["threads"] = threads
        mode = structured_mode(structured)
        return cls(base_url=base_url, api_key=api_key, model=model, structured=mode, **extra)

    @property
    def kind(self) -> str:
        return "embedded" if self.base_url is None else "openai-compatible"


def _positive_env(name: str) -> Optional[int]:
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise ConfigurationError(f"{name}={value!r} is not a whole number; give e.g. 4") from None


def secrets_of(client: openai.OpenAI) -> tuple[str, ...]:
    """What must never be shown: the client's API key, and a password or query values
    in its base URL. Strings of fewer than 6 characters are placeholders, not secrets."""
    parts = urlsplit(str(client.base_url))
    found = [client.api_key or "", parts.password or ""]
    found += [value for _, _, value in (p.partition("=") for p in parts.query.split("&"))]
    return tuple(sorted({s for s in found if len(s) >= 6 and s != "not-needed"}, key=len)[::-1])


def redact_url(url: str) -> str:
    """The URL without user:password and without query (where keys tend to hide)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path.rstrip("/"), "", ""))


@dataclass
class Meter:
    """Counts every completion instructor receives, re-asks included, and every request
    it sends (``attempts``: also those answered with a body that is no completion at all,
    such as an HTML error page; thread-safe)."""

    llm_calls: int = 0
    attempts: int = 0
    prompt_tokens: int = 0
    cached_prompt_tokens: int = 0  # of prompt_tokens, served from the server's KV cache
    completion_tokens: int = 0
    predicted_completion_tokens: int = 0  # of completion_tokens, appended unsampled
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def record(self, response: Any) -> None:
        usage = getattr(response, "usage", None)
        prompt = int(getattr(usage, "prompt_tokens", 0) or 0) if usage is not None else 0
        completion = int(getattr(usage, "completion_tokens", 0) or 0) if usage is not None else 0
        details = getattr(usage, "prompt_tokens_details", None)
        cached = int(getattr(details, "cached_tokens", 0) or 0) if details is not None else 0
        done = getattr(usage, "completion_tokens_details", None)
        predicted = getattr(done, "accepted_prediction_tokens", 0) if done is not None else 0
        with self._lock:
            self.llm_calls += 1
            self.prompt_tokens += prompt
            self.cached_prompt_tokens += min(cached, prompt)
            self.completion_tokens += completion
            self.predicted_completion_tokens += min(int(predicted or 0), completion)

    def attempt(self, *args: Any, **kwargs: Any) -> None:
        with self._lock:
            self.attempts += 1


@dataclass
class Connection:
    """An open route to a model: the client, model name, structured-output mode, meters
    and the server it owns."""

    openai_client: openai.OpenAI
    model: str
    endpoint_kind: str
    base_url: Optional[str]
    detection: Detection
    meter: Meter
    transport: Optional[RetryingTransport] = None
    server: Optional[EmbeddedServer] = None
    cache: Optional[CachingTransport] = None
    parallel_calls: int = 1  # how many of one article's calls may be in flight at once
    secrets: tuple[str, ...] = field(default=(), repr=False)  # masked in every message
    _clients: dict[StructuredOutput, instructor.Instructor] = field(
        default_factory=dict, repr=False
    )

    @property
    def structured(self) -> StructuredOutput:
        """The mode calls are made in now (detected on the first call unless given)."""
        return self.detection.mode

    @property
    def decodes_together(self) -> bool:
        """Whether an article's calls are decoded side by side on this machine (the
        embedded server): a call's length is then the article's time, while a hosted
        endpoint bills each call's prompt."""
        return self.server is not None

    @property
    def mode_known(self) -> bool:
        """Whether a structured call in the current mode has been answered."""
        return self.detection.settled

    @property
    def client(self) -> instructor.Instructor:
        """The instructor client for the current mode."""
        mode = self.structured
        if mode not in self._clients:
            wrapped = instructor.from_openai(self.openai_client, mode=_MODES[mode])
            wrapped.on("completion:response", self.meter.record)
            wrapped.on("completion:kwargs", self.meter.attempt)
            self._clients[mode] = wrapped
        return self._clients[mode]

    def redact(self, text: str) -> str:
        """``text`` with the API key and any URL credentials masked (a server's error
        message may echo them back; it must not carry them into outputs or the terminal)."""
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return text

    @property
    def retries(self) -> int:
        return self.transport.retries if self.transport else 0

    @property
    def cache_hits(self) -> int:
        return self.cache.hits if self.cache else 0

    def request_options(self, draft: type[BaseModel]) -> dict[str, Any]:
        """Extra keyword arguments for one structured call in this connection's mode."""
        if self.structured is StructuredOutput.llama_grammar:
            schema = json_schema(draft)
            return {
                "extra_body": {
                    "response_format": {"type": "json_object", "schema": schema},
                    # llama-cpp-python defaults to 1.1, which punishes the keys, quotes and
                    # names a JSON reply must repeat; the grammar already stops loops
                    "repeat_penalty": 1.0,
                }
            }
        return {}

    def create(self, draft: type[Draft], **kwargs: Any) -> Draft:
        """One structured call replying with ``draft`` (instructor's ``create``).

        While the endpoint's mode is unknown, calls go one at a time and the first finds
        it: a refusal of the ``response_format`` shape is tried again one step down
        :data:`~summariser.endpoint.modes.CHAIN`, never retried as it was. A named mode
        is never changed. Errors are the SDK's and instructor's; see :meth:`error_for`.
        """
        found = self.detection
        if not found.settled:
            with found.lock:
                while not found.settled:
                    mode = found.mode
                    try:
                        result = self._create(draft, kwargs)
                    except Exception as error:
                        if not self._step_down(mode, error):
                            raise
                        continue
                    found.settle()
                    return result
        return self._create(draft, kwargs)

    def _create(self, draft: type[Draft], kwargs: dict[str, Any]) -> Draft:
        reply = self.client.create(
            response_model=response_model(draft), **kwargs, **self.request_options(draft)
        )
        return cast(Draft, reply)

    def _step_down(self, mode: StructuredOutput, error: Exception) -> bool:
        """After a failed call in ``mode`` while detecting: True to try the next mode.
        False to let the error through: it is no refusal of the shape (the mode is then
        settled when the server did answer). Raises when no mode is left."""
        status_error = _status_error(error)
        if status_error is None:
            unanswered = (openai.APIConnectionError, SummariserError, httpx.HTTPError)
            if not any(isinstance(cause, unanswered) for cause in _cause_chain(error)):
                self.detection.settle()  # answered: the reply was bad, not the request
            return False
        refusal = refusal_of(status_error.status_code, _body(status_error))
        if self.detection.explicit or refusal not in MAY_BE_FORMAT:
            return False
        named = refusal is Refusal.format
        if not self.detection.refuse(mode, status_error.status_code, _words(status_error), named):
            return False
        following = self.detection.next_mode()
        if following is None:
            tried = ", ".join(f"{m.value}: HTTP {code}" for m, code in self.detection.refused)
            raise ModelError(
                f"the endpoint accepts none of the structured-output modes ({tried}; last: "
                f"{abbreviate(self.redact(_words(status_error)), 200)}); summariser needs "
                "JSON replies: use a server that speaks the OpenAI chat API with JSON mode"
            ) from error
        self.detection.mode = following
        return True

    def error_for(self, error: openai.OpenAIError) -> SummariserError:
        """Our error for an SDK error that outlasted the retry policy: a refusal names what
        the server objected to and the next step; a fault says the endpoint kept failing.
        The server's message is quoted with the API key masked."""
        for cause in _cause_chain(error):  # ours, raised in the transport (no server start)
            if isinstance(cause, SummariserError):
                return cause
        status_error = _status_error(error)
        refusal = (
            refusal_of(status_error.status_code, _body(status_error)) if status_error else None
        )
        if status_error is not None and refusal is not None:
            said = abbreviate(self.redact(_words(status_error)), 200)
            what = what_was_refused(refusal)
            if refusal is Refusal.format and self.detection.explicit:
                what = f"does not accept --structured {self.structured.value}"
            served = self._served_models() if refusal is Refusal.model else ()
            return ModelError(
                f"the model endpoint {what} (HTTP {status_error.status_code}: {said}); "
                f"{next_step(refusal, self.model, served)}"
            )
        return TransportError(
            f"the model endpoint kept failing ({type(error).__name__}: "
            f"{abbreviate(self.redact(str(error)), 200)}); "
            "check that it is running and reachable, or try again later"
        )

    def _served_models(self) -> tuple[str, ...]:
        """The model names the endpoint lists, if it lists any (best effort)."""
        try:
            return tuple(m.id for m in self.openai_client.models.list())
        except (openai.OpenAIError, ValueError, TypeError):
            return ()

    def close(self) -> None:
        if self.cache is not None:
            self.cache.close()  # closes the retry transport inside it too
            self.cache = self.transport = None
        if self.transport is not None:
            self.transport.close()
        if self.server is not None:
            self.server.stop()
            self.server = None

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _cause_chain(error: BaseException) -> list[BaseException]:
    """``error`` and its causes, outermost first (instructor wraps the SDK's errors)."""
    chain: list[BaseException] = []
    current: Optional[BaseException] = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _status_error(error: BaseException) -> Optional[openai.APIStatusError]:
    for cause in _cause_chain(error):
        if isinstance(cause, openai.APIStatusError):
            return cause
    return None


def _words(error: openai.APIStatusError) -> str:
    """What the server said: the message of its error body, else the SDK's summary."""
    body = error.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        for found in (
            inner.get("message") if isinstance(inner, dict) else inner,
            body.get("detail"),
        ):
            if isinstance(found, str) and found.strip():
                return found.strip()
    return str(error.message)


def _body(error: openai.APIStatusError) -> str:
    try:
        return error.response.text
    except (AttributeError, httpx.ResponseNotRead):
        return str(error.message)


@lru_cache(maxsize=512)
def _schema_text(model: type[BaseModel]) -> str:
    return json.dumps(model.model_json_schema())


def json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """``model.model_json_schema()``, generated once per class (a fresh copy each call)."""
    return cast(dict[str, Any], json.loads(_schema_text(model)))


@lru_cache(maxsize=512)
def response_model(draft: type[BaseModel]) -> type[BaseModel]:
    """``draft`` made ready for instructor once, not on every call.

    instructor wraps a plain model in a new class (``openai_schema``) and regenerates its
    JSON schema for every request: milliseconds of CPU per call, which a batch of many short
    articles on a fast endpoint feels. The wrapped class is kept here, and its default JSON
    schema is generated once; the request bodies are byte for byte the same as before.
    """
    wrapped: type[BaseModel] = instructor.openai_schema(draft)
    generate = BaseModel.model_json_schema.__func__  # type: ignore[attr-defined]
    text = json.dumps(generate(wrapped))

    def model_json_schema(cls: type[BaseModel], *args: Any, **kwargs: Any) -> dict[str, Any]:
        if cls is not wrapped or args or kwargs:
            return cast(dict[str, Any], generate(cls, *args, **kwargs))
        return cast(dict[str, Any], json.loads(text))

    wrapped.model_json_schema = classmethod(model_json_schema)  # type: ignore[method-assign,assignment]
    return wrapped


_MODES = {
    StructuredOutput.llama_grammar: instructor.Mode.JSON_SCHEMA,
    StructuredOutput.json_schema: instructor.Mode.JSON_SCHEMA,
    StructuredOutput.json: instructor.Mode.JSON,
}


def from_client(
    client: openai.OpenAI, model: Optional[str], structured: Optional[str] = None
) -> Connection:
    """A caller's ``openai.OpenAI`` client as a connection: ``model`` is required (the
    client does not know it); ``structured`` fixes the reply shape, else it is detected."""
    if not model:
        raise InputError("pass model=... together with an openai.OpenAI client")
    return wrap(client, model=model, structured=structured_mode(structured))


def structured_mode(structured: Optional[str]) -> Optional[StructuredOutput]:
    """The reply shape a caller named, or None (detect it); an unknown name is an error."""
    if not structured:
        return None
    try:
        return StructuredOutput(structured)
    except ValueError:
        choices = ", ".join(s.value for s in StructuredOutput)
        raise ConfigurationError(
            f"unknown structured-output mode {structured!r}; choose one of {choices}"
        ) from None


def wrap(
    client: openai.OpenAI,
    *,
    model: str,
    structured: Optional[StructuredOutput] = None,
    endpoint_kind: str = "openai-compatible",
    transport: Optional[RetryingTransport] = None,
    server: Optional[EmbeddedServer] = None,
    parallel_calls: int = 1,
    mode_notes: Optional[Path] = None,
) -> Connection:
    """Wrap any ``openai.OpenAI`` client (yours, with your own retry settings) for summariser.

    ``structured`` fixes the mode; without it the mode is detected on the first call and
    noted in ``mode_notes`` (default: the user cache folder).
    ``parallel_calls`` > 1 sends that many of an article's calls at once (give it for an
    endpoint that serves concurrent requests; the client must be thread-safe, as openai's is).
    """
    if parallel_calls < 1:
        raise ConfigurationError(f"parallel_calls={parallel_calls}: give at least 1")
    base_url = redact_url(str(client.base_url))
    return Connection(
        openai_client=client,
        model=model,
        endpoint_kind=endpoint_kind,
        base_url=base_url,
        detection=detection(f"{base_url} {model}", structured, mode_notes),
        meter=Meter(),
        transport=transport,
        server=server,
        parallel_calls=parallel_calls,
        secrets=secrets_of(client),
    )


def connect(endpoint: Optional[Endpoint] = None) -> Connection:
    """The default factory: start the embedded server if needed, build the client."""
    endpoint = endpoint or Endpoint.from_env()
    server: Optional[EmbeddedServer] = None
    base_url = endpoint.base_url
    model = endpoint.model
    if base_url is None:  # started by the first request the response cache cannot answer
        server = EmbeddedServer(model_path())
        server.parallel = endpoint.parallel_calls  # decoded together: all an article sends
        if endpoint.threads is not None:
            server.threads = endpoint.threads
        base_url, model = PENDING_BASE_URL, server.model_name
    assert model is not None
    structured = endpoint.structured or (
        StructuredOutput.llama_grammar if server is not None else None
    )
    transport = RetryingTransport(endpoint.retry, StartOnDemand(server) if server else None)
    cache: Optional[CachingTransport] = None
    if endpoint.cache_dir is not None:
        identity = f"embedded:{server.path}" if server else redact_url(base_url)
        cache = CachingTransport(transport, endpoint.cache_dir, identity)
    http_client = httpx.Client(transport=cache or transport, timeout=endpoint.timeout_s)
    client = openai.OpenAI(
        base_url=base_url,
        api_key=endpoint.api_key or os.environ.get("OPENAI_API_KEY") or "not-needed",
        max_retries=0,  # retries live in RetryingTransport, never stacked
        timeout=endpoint.timeout_s,
        http_client=cast(Any, http_client),  # openai 3 accepts httpx and httpx2 clients
    )
    connection = wrap(
        client,
        model=model,
        structured=structured,
        endpoint_kind=endpoint.kind,
        transport=transport,
        server=server,
        parallel_calls=endpoint.parallel_calls,
        mode_notes=endpoint.mode_notes,
    )
    connection.cache = cache
    if server is not None:
        # our own server enforces every structured mode it is sent (tests/test_grammar.py):
        # nothing to detect, so an article's first call need not go alone
        connection.detection.settle()
    return connection
