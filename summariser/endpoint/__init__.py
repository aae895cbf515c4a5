"""The model endpoint: one :class:`Connection` per model server (the embedded llama.cpp
server or any OpenAI-compatible URL), with its transport retries, response cache and
fan-out of one article's calls."""

from summariser.endpoint.connection import (
    DEFAULT_PARALLEL_CALLS,
    Connection,
    Endpoint,
    connect,
    wrap,
)
from summariser.endpoint.modes import StructuredOutput

__all__ = [
    "DEFAULT_PARALLEL_CALLS",
    "Connection",
    "Endpoint",
    "StructuredOutput",
    "connect",
    "wrap",
]
