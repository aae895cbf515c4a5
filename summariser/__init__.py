"""summariser: grounded, typed intelligence records from defence and geopolitics news.

Public entry points: :func:`summarise` (one article -> :class:`ArticleSummary`) and
:func:`connect` (open one model connection to reuse across many articles).
"""

from __future__ import annotations

__version__ = "0.1.0"

from .endpoint import Connection, Endpoint, connect
from .errors import (
    ConfigurationError,
    InputError,
    ModelError,
    ModelUnavailableError,
    SummariserError,
    TransportError,
)
from .ingest import Document
from .pipeline import summarise
from .records import (
    Actor,
    ArmsTransfer,
    ArticleSummary,
    Claim,
    Evidence,
)

__all__ = [
    "Actor",
    "ArmsTransfer",
    "ArticleSummary",
    "Claim",
    "ConfigurationError",
    "Connection",
    "Document",
    "Endpoint",
    "Evidence",
    "InputError",
    "ModelError",
    "ModelUnavailableError",
    "SummariserError",
    "TransportError",
    "__version__",
    "connect",
    "summarise",
]
