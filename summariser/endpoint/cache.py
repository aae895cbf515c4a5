"""On-disk response cache: identical requests to the same endpoint get the same reply.

Keyed by the sha256 of the endpoint's identity (its URL, or for the embedded model the
model file, since its port changes every run), the path and the exact request body
(model, messages, prompt text, schema, sampling settings, article), so any change to a
prompt, schema or article misses. Only successful chat completions are stored, never
errors. It sits outside the retry transport, so a hit costs no request at all. Stored
in SQLite through ``diskcache``; API keys are never part of the key or the value.
"""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path
from typing import Any

import diskcache
import httpx

CACHE_VERSION = "1"


class CachingTransport(httpx.BaseTransport):
    """Answer repeated POST bodies from disk; pass everything else to ``inner``."""

    def __init__(self, inner: httpx.BaseTransport, folder: Path, identity: str) -> None:
        self.inner = inner
        self.identity = identity  # which model answers: stable across server restarts
        folder.mkdir(parents=True, exist_ok=True)
        self.store = diskcache.Cache(str(folder))
        self.hits = 0
        self.misses = 0
        self._count = threading.Lock()  # requests may arrive from several threads

    def key(self, request: httpx.Request) -> str:
        digest = hashlib.sha256(CACHE_VERSION.encode())
        for part in (self.identity.encode(), request.url.path.encode(), request.content):
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
        return digest.hexdigest()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method != "POST":
            return self.inner.handle_request(request)
        request.read()
        key = self.key(request)
        stored: Any = self.store.get(key)
        if isinstance(stored, bytes):
            with self._count:
                self.hits += 1
            return httpx.Response(
                200,
                headers={"content-type": "application/json", "x-summariser-cache": "hit"},
                content=stored,
                request=request,
            )
        with self._count:
            self.misses += 1
        response = self.inner.handle_request(request)
        if response.status_code == 200:
            body = response.read()
            if _is_completion(body):
                self.store.set(key, body)
        return response

    def close(self) -> None:
        self.store.close()
        self.inner.close()


def _is_completion(body: bytes) -> bool:
    try:
        data = json.loads(body)
    except ValueError:
        return False
    return isinstance(data, dict) and bool(data.get("choices"))
