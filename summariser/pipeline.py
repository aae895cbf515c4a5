"""``summarise``: article in, grounded :class:`ArticleSummary` out.

ingest (text, sentences) → extract (prompts, model passes) → actors + assembly (resolve,
ground, check) → records
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timezone
from typing import Optional, TypedDict, Union

import openai

from summariser._version import __version__
from summariser.assembly.assemble import assemble
from summariser.endpoint.connection import Connection, Endpoint, connect, from_client
from summariser.errors import InputError
from summariser.extract.passes import run_passes
from summariser.extract.prompting import prompt_hash
from summariser.ingest.documents import Document, from_html, from_text, looks_like_html
from summariser.ingest.injection import instruction_sentences
from summariser.ingest.published import Published, parse_published, trusted
from summariser.ingest.sentences import Sentence, split_sentences
from summariser.records import SCHEMA_VERSION, ArticleSummary, Discarded, Provenance, Usage

Client = Union[Connection, openai.OpenAI]
# instructor logs every failed call at ERROR with the server's words unmasked (a server may
# echo the API key back), and replies at DEBUG; summariser reports each failure itself, the
# key masked. Every entry point (summarise, summarise_many, summarise_dataset's actors,
# evaluate, the CLI) runs its articles through summarise(), which keeps this logger quiet.
_INSTRUCTOR_LOG = logging.getLogger("instructor")


def _quiet_instructor() -> None:
    if _INSTRUCTOR_LOG.level != logging.CRITICAL:
        _INSTRUCTOR_LOG.setLevel(logging.CRITICAL)


def _set_aside(sentence: Sentence) -> Discarded:
    return Discarded(
        kind="sentence",
        reason=f"sentence {sentence.id} carries instructions addressed to AI tools (a prompt "
        "injection): read as content, never asked about, no record taken from it",
        detail=sentence.text[:300],
    )


def _connection(client: Optional[Client], model: Optional[str]) -> tuple[Connection, bool]:
    """(connection, owned): reuse an injected client, else open the default one."""
    if isinstance(client, Connection):
        return client, False
    if isinstance(client, openai.OpenAI):
        return from_client(client, model), False
    return connect(Endpoint.from_env(model=model)), True


class MadeBy(TypedDict):
    model: str
    endpoint: str
    base_url: Optional[str]
    structured: str
    prompt_hash: str
    schema_version: str
    version: str


def made_by(conn: Connection) -> MadeBy:
    """How results are made on ``conn``: model, endpoint kind and URL, structured-output
    mode, prompt hash, schema and library versions (every result's provenance and every
    eval report carry them)."""
    return MadeBy(
        model=conn.model,
        endpoint=conn.endpoint_kind,
        base_url=None if conn.endpoint_kind == "embedded" else conn.base_url,
        structured=conn.structured.value,
        prompt_hash=prompt_hash(),
        schema_version=SCHEMA_VERSION,
        version=__version__,
    )


def summarise(
    article: Union[str, Document],
    *,
    client: Optional[Client] = None,
    model: Optional[str] = None,
    source: Optional[str] = None,
    published: Published = None,
) -> ArticleSummary:
    """Extract actors, claims and arms transfers from one article.

    ``article`` is plain text, HTML, or a :class:`~summariser.ingest.documents.Document`.
    ``client`` is a :class:`Connection` from :func:`summariser.connect` (reuse one for
    many articles), any ``openai.OpenAI`` client (give ``model``), or ``None`` for the
    endpoint named by ``SUMMARISER_BASE_URL`` / the embedded model. ``published`` (a
    date, or a string such as "2024-06-01") overrides the date found in the article;
    relative dates ("last week") are read against it.
    """
    started = time.perf_counter()
    given = parse_published(published, "published")
    _quiet_instructor()
    if isinstance(article, Document):
        document = article
    elif looks_like_html(article):
        document = from_html(article, source=source)
    else:
        document = from_text(article, source=source)
    sentences = split_sentences(document.text)
    if not sentences:
        raise InputError(f"{document.source or 'the article'} has no sentences to read")
    published_on, warnings = trusted(given or document.published)
    ingest_s = time.perf_counter() - started
    conn, owned = _connection(client, model)
    try:
        calls_before, attempts_before = conn.meter.llm_calls, conn.meter.attempts
        prompt_before, completion_before = conn.meter.prompt_tokens, conn.meter.completion_tokens
        cached_before = conn.meter.cached_prompt_tokens
        predicted_before = conn.meter.predicted_completion_tokens
        retries_before, hits_before = conn.retries, conn.cache_hits
        planted = instruction_sentences(document.text, sentences)
        passes = run_passes(conn, sentences, document.title, {s.id for s in planted})
        assembly_started = time.perf_counter()
        built = assemble(document.text, sentences, passes, document.title, published_on)
        assembly_s = time.perf_counter() - assembly_started
        usage = Usage(
            prompt_tokens=conn.meter.prompt_tokens - prompt_before,
            completion_tokens=conn.meter.completion_tokens - completion_before,
            cached_prompt_tokens=conn.meter.cached_prompt_tokens - cached_before,
            predicted_completion_tokens=conn.meter.predicted_completion_tokens - predicted_before,
            llm_calls=conn.meter.llm_calls - calls_before,
            # transport retries, plus every request beyond one per task (re-asks, and the
            # same request again after a reply that was no completion at all)
            retries=conn.retries
            - retries_before
            + max(0, conn.meter.attempts - attempts_before - passes.tasks_run),
            cache_hits=conn.cache_hits - hits_before,
        )
        provenance = Provenance(
            **made_by(conn),
            usage=usage,
            timings={
                "ingest": round(ingest_s, 4),
                "model": round(passes.model_seconds, 3),
                "assembly": round(assembly_s, 4),
                "total": round(time.perf_counter() - started, 3),
            },
            chunks=passes.parts,
            discarded=[*map(_set_aside, planted), *passes.discarded, *built.discarded],
            created_at=datetime.now(timezone.utc),
            warnings=warnings,
        )
        return ArticleSummary(
            title=document.title,
            published=published_on,
            source=document.source,
            text=document.text,
            summary=built.summary,
            actors=built.actors,
            arms_transfers=built.transfers,
            claims=built.claims,
            provenance=provenance,
        )
    finally:
        if owned:
            conn.close()


__all__ = ["Client", "summarise"]
