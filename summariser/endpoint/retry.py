"""The one transport retry policy: tenacity inside an httpx transport.

Retried: HTTP 429 (honouring ``Retry-After``), 500/502/503/504, timeouts, connection
errors and truncated responses. Never retried: any other 4xx (400, 401, 403, 404, 422),
and a 5xx whose body says the request itself was refused (an unsupported
``response_format``, a prompt too long; see :mod:`summariser.endpoint.refusals`),
because asking again cannot fix them. The OpenAI SDK's own retries are switched off
(``max_retries=0``) where this transport is used, and validation re-asks happen one
layer up, in instructor, per complete reply — so the two never stack on one request.
"""

from __future__ import annotations

import datetime
import email.utils
import math
import threading
import time
from dataclasses import dataclass
from typing import Optional

import httpx
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

from summariser.endpoint.refusals import refusal_of

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
RETRY_EXCEPTIONS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently to retry one HTTP request.

    ``attempts=1`` disables retries (tests use it); ``max_wait_s`` caps any single wait,
    including one asked for by ``Retry-After``.
    """

    attempts: int = 5
    initial_wait_s: float = 1.0
    max_wait_s: float = 60.0


class _RetryableResponse(Exception):
    """Internal: a response whose status says 'try again'."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(f"HTTP {response.status_code}")
        self.response = response


def retry_after_seconds(response: httpx.Response) -> Optional[float]:
    """Seconds asked for by a ``Retry-After`` (delta-seconds or HTTP-date) header, if any."""
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            parsed = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=datetime.timezone.utc)
        seconds = parsed.timestamp() - time.time()
    return max(0.0, seconds) if math.isfinite(seconds) else None


def _refused(response: httpx.Response) -> bool:
    """A 5xx that answers the request rather than reporting a fault."""
    if response.status_code < 500:
        return False
    return refusal_of(response.status_code, response.text) is not None


class RetryingTransport(httpx.BaseTransport):
    """Wrap a transport so each request is retried under a :class:`RetryPolicy`."""

    def __init__(self, policy: RetryPolicy, inner: Optional[httpx.BaseTransport] = None) -> None:
        self.policy = policy
        self.inner = inner or httpx.HTTPTransport()
        self.retries = 0
        self.seconds = 0.0  # wall time with a request in flight, retries and back-off included
        self._lock = threading.Lock()
        self._in_flight = 0
        self._busy_since = 0.0

    def _wait(self, state: RetryCallState) -> float:
        backoff = wait_exponential_jitter(
            multiplier=self.policy.initial_wait_s,
            max=self.policy.max_wait_s,
            jitter=self.policy.initial_wait_s,
        )(state)
        outcome = state.outcome
        if outcome is not None and isinstance(outcome.exception(), _RetryableResponse):
            error = outcome.exception()
            assert isinstance(error, _RetryableResponse)
            asked = retry_after_seconds(error.response)
            if asked is not None:
                return min(asked, self.policy.max_wait_s)
        return backoff

    def _before_sleep(self, state: RetryCallState) -> None:
        with self._lock:
            self.retries += 1

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        # overlapping requests (one article's parallel calls) count their shared time once
        with self._lock:
            if self._in_flight == 0:
                self._busy_since = time.perf_counter()
            self._in_flight += 1
        try:
            return self._with_retries(request)
        finally:
            with self._lock:
                self._in_flight -= 1
                if self._in_flight == 0:
                    self.seconds += time.perf_counter() - self._busy_since

    def _with_retries(self, request: httpx.Request) -> httpx.Response:
        retrying = Retrying(
            stop=stop_after_attempt(self.policy.attempts),
            wait=self._wait,
            retry=retry_if_exception_type((_RetryableResponse, *RETRY_EXCEPTIONS)),
            before_sleep=self._before_sleep,
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    response = self.inner.handle_request(request)
                    try:
                        response.read()  # a truncated body raises here, inside the retry
                    finally:
                        response.close()
                    if response.status_code in RETRY_STATUSES and not _refused(response):
                        raise _RetryableResponse(response)
                    return response
        except _RetryableResponse as exhausted:
            return exhausted.response  # the SDK turns it into its own typed error
        raise AssertionError("unreachable: tenacity either returns or raises")

    def close(self) -> None:
        self.inner.close()
