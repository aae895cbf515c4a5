"""Every error summariser raises on purpose derives from :class:`SummariserError`.

    SummariserError
    ├── InputError            unreadable, empty, binary or missing input (user can fix the file)
    ├── ConfigurationError    bad options or environment (user can fix the command)
    ├── ModelUnavailableError the embedded model or its runtime is not installed / will not start
    └── ModelError            the endpoint failed after retries, or never produced valid output
        └── TransportError    network, timeout, rate limit or server error after retries

Third-party exceptions are wrapped with ``raise ... from exc`` so the cause stays visible.
Every message ends with what the user can do next; :func:`abbreviate` cuts the server's
or the model's own words quoted in one.
"""

from __future__ import annotations


def abbreviate(value: object, limit: int = 300) -> str:
    """``value`` as text of at most ``limit`` characters, an ellipsis marking a cut."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class SummariserError(Exception):
    """Root of all summariser errors."""


class InputError(SummariserError):
    """The article could not be read or holds no usable text."""


class ConfigurationError(SummariserError):
    """Options or environment variables are inconsistent or invalid."""


class ModelUnavailableError(SummariserError):
    """The embedded model, or the runtime that serves it, is missing or failed to start."""


class ModelError(SummariserError):
    """The model endpoint failed or never returned output that fits the schema."""


class TransportError(ModelError):
    """Network errors, timeouts, rate limits or 5xx responses that outlasted the retries."""
