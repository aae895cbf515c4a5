"""summariser: grounded, typed intelligence records from defence and geopolitics news.

Public entry points: :func:`summarise` (one article -> :class:`ArticleSummary`),
:func:`summarise_many` (many articles, concurrent and resumable), :func:`connect` (open one
model connection to reuse across many articles), :func:`brief`
(many summaries -> one cited :class:`Briefing` in Markdown, HTML or CSV) and
:func:`evaluate` (score a folder of hand-labelled articles and measure the run).
"""

from __future__ import annotations

from summariser._version import __version__
from summariser.batch import Outcome, summarise_many
from summariser.briefing import Briefing, brief
from summariser.endpoint import Connection, Endpoint, connect
from summariser.errors import (
    ConfigurationError,
    InputError,
    ModelError,
    ModelUnavailableError,
    SummariserError,
    TransportError,
)
from summariser.evaluation import evaluate
from summariser.ingest import Document
from summariser.pipeline import summarise
from summariser.records import (
    Actor,
    ArmsTransfer,
    ArticleSummary,
    Claim,
    DateInterval,
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
    "DateInterval",
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
