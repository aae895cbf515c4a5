"""A real loopback HTTP server that speaks OpenAI chat completions and misbehaves on cue.

Used by the transport/retry tests: the client under test talks to it over a real socket,
so timeouts, resets and truncated bodies are the genuine article, not mocks.

    server = ChatServer().start()
    server.script(status(429, headers={"Retry-After": "1"}), ok('{"transfers": []}'))
    ...  # point the client at server.base_url
    assert len(server.chat_requests) == 2
    server.stop()

Each ``POST /v1/chat/completions`` consumes the next scripted behaviour. When the script
is empty the server answers HTTP 418 with ``"script exhausted"`` (418 is never retried,
so a test that under-scripts fails fast) and counts it in :attr:`ChatServer.exhausted`.
``GET /v1/models`` always lists the one model and consumes nothing. Every request is
recorded (method, path, headers, parsed JSON body, monotonic arrival time).
"""

from __future__ import annotations

import itertools
import json
import socket
import struct
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Optional, Self

MODEL = "m"
CHAT_PATH = "/v1/chat/completions"


# --------------------------------------------------------------------------- behaviours


@dataclass(frozen=True)
class Behaviour:
    """One scripted answer. Build with the helper functions below, not directly."""

    kind: str
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    content: Optional[str] = None
    finish_reason: str = "stop"
    usage: Optional[dict[str, int]] = None
    seconds: float = 0.0
    body: Optional[bytes] = None
    content_type: str = "application/json"


def ok(
    content: str,
    finish_reason: str = "stop",
    usage: Optional[dict[str, int]] = None,
) -> Behaviour:
    """200 with a well-formed chat.completion whose message content is ``content``."""
    return Behaviour("ok", content=content, finish_reason=finish_reason, usage=usage)


def content(text: str, usage: Optional[dict[str, int]] = None) -> Behaviour:
    """200, valid envelope, message content ``text`` (typically one that breaks the schema)."""
    return Behaviour("ok", content=text, usage=usage)


def status(
    code: int, headers: Optional[dict[str, str]] = None, message: Optional[str] = None
) -> Behaviour:
    """An error status with an OpenAI-style ``{"error": {...}}`` JSON body."""
    body = {
        "error": {
            "message": message or f"scripted HTTP {code}",
            "type": "server_error" if code >= 500 else "invalid_request_error",
            "code": code,
        }
    }
    return Behaviour(
        "status", status=code, headers=dict(headers or {}), body=json.dumps(body).encode()
    )


def reset() -> Behaviour:
    """Read the request, then close the socket without sending a single byte."""
    return Behaviour("reset")


def slow(seconds: float, then: str = '{"transfers": []}') -> Behaviour:
    """Sleep ``seconds`` (longer than the client's timeout), then answer 200 with ``then``."""
    return Behaviour("slow", seconds=seconds, content=then)


def truncated(then: str = '{"transfers": []}') -> Behaviour:
    """200 whose Content-Length promises more bytes than are sent, then close the socket."""
    return Behaviour("truncated", content=then)


def invalid_json(
    body: bytes = b"<html><body>502 Bad Gateway</body></html>",
    content_type: str = "application/json",
) -> Behaviour:
    """200 whose body is not JSON (by default while claiming to be JSON)."""
    return Behaviour("raw", body=body, content_type=content_type)


# --------------------------------------------------------------------------- recording


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: Any  # parsed JSON, or None when absent/unparseable
    raw: bytes
    at: float  # time.monotonic() when the request line and body had been read
    behaviour: Optional[str] = None


def completion(
    text: str, finish_reason: str = "stop", usage: Optional[dict[str, int]] = None
) -> dict[str, Any]:
    usage = usage or {"prompt_tokens": 11, "completion_tokens": 7}
    usage = {**usage, "total_tokens": usage["prompt_tokens"] + usage["completion_tokens"]}
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": MODEL,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "finish_reason": finish_reason,
                "logprobs": None,
            }
        ],
        "usage": usage,
    }


# --------------------------------------------------------------------------- server


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like real servers: resets hit pooled sockets
    disable_nagle_algorithm = True  # headers and body go in two writes: no 40 ms ACK stall
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet

    def _read(self) -> Recorded:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        record = Recorded(
            method=self.command,
            path=self.path,
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
            raw=raw,
            at=time.monotonic(),
        )
        self.server.owner._record(record)
        return record

    def _send(
        self,
        code: int,
        payload: bytes,
        content_type: str = "application/json",
        headers: Optional[dict[str, str]] = None,
        declared_length: Optional[int] = None,
    ) -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(declared_length or len(payload)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)
        self.wfile.flush()

    def _json(self, code: int, data: Any, headers: Optional[dict[str, str]] = None) -> None:
        self._send(code, json.dumps(data).encode(), headers=headers)

    def _abort(self, *, hard: bool) -> None:
        """End the connection now: ``hard`` resets it (RST), else a plain FIN after the data."""
        self.close_connection = True
        try:
            if hard:
                linger = struct.pack("ii", 1, 0)  # on close: RST, drop anything unsent
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
            else:
                self.connection.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def do_GET(self) -> None:
        self._read()
        if self.path.rstrip("/") == "/v1/models":
            self._json(
                200,
                {
                    "object": "list",
                    "data": [{"id": MODEL, "object": "model", "created": 0, "owned_by": "test"}],
                },
            )
        else:
            self._json(404, {"error": {"message": f"no route {self.path}", "code": 404}})

    def do_POST(self) -> None:
        record = self._read()
        if self.path.rstrip("/") != CHAT_PATH:
            self._json(404, {"error": {"message": f"no route {self.path}", "code": 404}})
            return
        behaviour = self.server.owner._next()
        record.behaviour = behaviour.kind if behaviour else None
        if behaviour is None:
            self._json(418, {"error": {"message": "script exhausted", "code": 418}})
            return
        if behaviour.kind == "ok":
            data = completion(behaviour.content or "", behaviour.finish_reason, behaviour.usage)
            self._json(200, data)
        elif behaviour.kind == "status":
            self._send(behaviour.status, behaviour.body or b"{}", headers=behaviour.headers)
        elif behaviour.kind == "reset":
            self._abort(hard=True)
        elif behaviour.kind == "slow":
            # wait on the stop event so a stopped server leaves no thread sleeping behind
            self.server.owner._stopping.wait(behaviour.seconds)
            self._json(200, completion(behaviour.content or ""))
        elif behaviour.kind == "truncated":
            payload = json.dumps(completion(behaviour.content or "")).encode()
            half = payload[: len(payload) // 2]
            self._send(200, half, declared_length=len(payload))
            self._abort(hard=False)
        elif behaviour.kind == "raw":
            self._send(200, behaviour.body or b"", content_type=behaviour.content_type)
        else:  # pragma: no cover - a typo in a test
            raise AssertionError(f"unknown behaviour {behaviour.kind}")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 256  # batches open many connections at once; 5 would drop SYNs
    owner: ChatServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that timed out and hung up makes the late write fail: expected here.
        pass


class ChatServer:
    """OpenAI-compatible chat server on 127.0.0.1 with a scripted queue of behaviours."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._script: deque[Behaviour] = deque()
        self._stopping = threading.Event()
        self.requests: list[Recorded] = []
        self.exhausted = 0
        self._httpd: Optional[_Server] = None
        self._thread: Optional[threading.Thread] = None

    # lifecycle ---------------------------------------------------------------------

    def start(self) -> Self:
        httpd = _Server(("127.0.0.1", 0), _Handler)
        httpd.owner = self
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # addresses ---------------------------------------------------------------------

    @property
    def port(self) -> int:
        assert self._httpd is not None, "server not started"
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT`` (no path)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """The OpenAI ``base_url``: ``http://127.0.0.1:PORT/v1``."""
        return self.url + "/v1"

    # script ------------------------------------------------------------------------

    def script(self, *behaviours: Behaviour) -> ChatServer:
        with self._lock:
            self._script.extend(behaviours)
        return self

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._script)

    def _next(self) -> Optional[Behaviour]:
        with self._lock:
            if self._script:
                return self._script.popleft()
            self.exhausted += 1
            return None

    def _record(self, record: Recorded) -> None:
        with self._lock:
            self.requests.append(record)

    # assertions helpers --------------------------------------------------------------

    @property
    def chat_requests(self) -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if r.path.rstrip("/") == CHAT_PATH]

    def gaps(self) -> list[float]:
        """Seconds between consecutive chat requests' arrivals."""
        times = [r.at for r in self.chat_requests]
        return [b - a for a, b in itertools.pairwise(times)]
