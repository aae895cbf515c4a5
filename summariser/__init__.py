"""summariser: grounded, typed intelligence records from defence and geopolitics news.

Public entry points: :func:`summarise` (one article -> :class:`ArticleSummary`),
:func:`summarise_many` (many articles, concurrent and resumable), :func:`connect` (open one
model connection to reuse across many articles), :func:`brief`
(many summaries -> one cited :class:`Briefing` in Markdown, HTML or CSV) and
:func:`evaluate` (score a folder of hand-labelled articles and measure the run).
"""

from __future__ import annotations

__version__ = "0.1.0"

from .batch import Outcome, summarise_many
from .briefing import Briefing, brief
from .endpoint import Connection, Endpoint, connect
from .errors import (
    ConfigurationError,
    InputError,
    ModelError,
    ModelUnavailableError,
    SummariserError,
    TransportError,
)
from .evaluation import evaluate
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
    "Briefing",
    "Claim",
    "ConfigurationError",
    "Connection",
    "Document",
    "Endpoint",
    "Evidence",
    "InputError",
    "ModelError",
    "ModelUnavailableError",
    "Outcome",
    "SummariserError",
    "TransportError",
    "__version__",
    "brief",
    "connect",
    "evaluate",
    "summarise",
    "summarise_many",
]
