"""``summarise_many``: many articles, concurrently, each result kept as it finishes.

Inputs are file paths, folders (every .txt/.html/.htm inside, sorted), glob patterns, ``-``
(standard input) and JSONL files of ``{"id", "text" | "path" | "html"}`` records (with an
optional ``"published"`` date, which overrides the one found in the article). A bad input
becomes a failed :class:`Outcome`; the rest carry on.

``jobs`` worker threads each own one :class:`~summariser.endpoint.connection.Connection` (its meters
then count one article at a time, so per-article usage stays exact). The embedded server
decodes one article's calls together (``parallel_calls`` at once) and keeps one article's
prefix in its cache, so with it the batch runs on one connection, in order. With
``out``, every result is appended to a :class:`~summariser.batch.ledger.Ledger` the moment it is
done, and a re-run skips the articles whose content hash already has a success there.

Workers are daemon threads: when the caller stops early (Ctrl-C, ``close()`` on the
generator) no new article starts, the ledger is closed whole, connections are closed (which
stops an embedded model server), and articles still in flight are abandoned.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import queue
import sys
import threading
import time
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Union

import openai

from summariser.batch.ledger import Ledger
from summariser.endpoint.connection import (
    Connection,
    Endpoint,
    connect,
    from_client,
    structured_mode,
)
from summariser.errors import InputError
from summariser.ingest.documents import MAX_BYTES, Document, from_bytes, from_html, read_file
from summariser.pipeline import summarise
from summariser.records import ArticleSummary

ARTICLE_SUFFIXES = (".txt", ".html", ".htm")
_GLOB_CHARS = frozenset("*?[")
STOP_GRACE_S = 2.0  # how long a stopped batch waits for articles in flight


@dataclass(frozen=True)
class Article:
    """One unit of work: where it came from and how to get its bytes (or why not)."""

    id: str
    source: str
    path: Optional[Path] = None  # read when the article runs
    text: Optional[str] = None  # given inline (JSONL "text"/"html", standard input)
    html: bool = False
    error: Optional[str] = None  # known bad before reading (bad JSONL record, no match)
    data: Optional[bytes] = None  # the bytes, already read (a Ray binary-files row)
    published: Optional[str] = None  # the record's publication date, as given


@dataclass(frozen=True)
class Outcome:
    """What became of one article: a summary, an error message, or skipped (already done)."""

    id: str
    source: str
    sha256: Optional[str]
    summary: Optional[ArticleSummary] = None
    error: Optional[str] = None
    skipped: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None


# --------------------------------------------------------------------------- inputs


def _jsonl_articles(path: Path) -> Iterator[Article]:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as error:
        yield Article(str(path), str(path), error=f"{path}: cannot be read ({error.strerror})")
        return
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except ValueError:
            yield Article(where, where, error=f"{where}: not a JSON line; fix or remove it")
            continue
        if not isinstance(record, dict):
            yield Article(where, where, error=f"{where}: expected a JSON object")
            continue
        ident = str(record.get("id", where))
        given = record.get("published")
        published = None if given is None else str(given)
        if isinstance(record.get("text"), str):
            yield Article(ident, where, text=record["text"], published=published)
        elif isinstance(record.get("html"), str):
            yield Article(ident, where, text=record["html"], html=True, published=published)
        elif isinstance(record.get("path"), str):
            target = path.parent / record["path"]
            yield Article(ident, str(target), path=target, published=published)
        else:
            message = f'{where}: no "text", "html" or "path" string; give one of them'
            yield Article(ident, where, error=message)


def _folder_articles(folder: Path) -> Iterator[Article]:
    found = sorted(
        p for p in folder.rglob("*") if p.suffix.lower() in ARTICLE_SUFFIXES and p.is_file()
    )
    if not found:
        message = f"{folder}: no {'/'.join(ARTICLE_SUFFIXES)} files inside"
        yield Article(str(folder), str(folder), error=message)
    for path in found:
        yield Article(str(path), str(path), path=path)


def _one_input(name: str) -> Iterator[Article]:
    if name == "-":
        text = sys.stdin.buffer.read(MAX_BYTES + 1).decode("utf-8", errors="replace")
        yield Article("<stdin>", "<stdin>", text=text)
        return
    path = Path(name)
    if path.is_dir():
        yield from _folder_articles(path)
    elif path.suffix.lower() == ".jsonl" and path.is_file():
        yield from _jsonl_articles(path)
    elif not path.exists() and _GLOB_CHARS & set(name):
        matches = sorted(glob.glob(name, recursive=True))
        if not matches:
            yield Article(name, name, error=f"{name}: no files match; check the pattern")
        for match in matches:
            yield from _one_input(match)
    else:
        yield Article(name, name, path=path)  # a missing path fails when it runs


def expand(inputs: Iterable[Union[str, os.PathLike[str], Article]]) -> list[Article]:
    """Every article the inputs name, in order (folders and globs sorted)."""
    articles: list[Article] = []
    for item in inputs:
        if isinstance(item, Article):
            articles.append(item)
        else:
            articles.extend(_one_input(os.fspath(item)))
    return articles


def _read(article: Article) -> tuple[bytes, Document]:
    """(the bytes hashed, the cleaned document); raises InputError for unusable input."""
    if article.error is not None:
        raise InputError(article.error)
    if article.data is not None:
        return article.data, from_bytes(article.data, source=article.source)
    if article.text is not None:
        data = article.text.encode("utf-8")
        if article.html:
            return data, from_html(article.text, source=article.source)
        return data, from_bytes(data, source=article.source)
    if article.path is None:
        raise InputError(f"{article.source}: no text, html, bytes or path to read")
    data = read_file(article.path)
    return data, from_bytes(data, source=str(article.path))


def read_article(article: Article) -> tuple[str, Document]:
    """(sha256 of the article's bytes, its cleaned document); raises InputError for unusable
    input. The hash is what a results file remembers an article by."""
    data, document = _read(article)
    return hashlib.sha256(data).hexdigest(), document


def failed(article: Article, sha: Optional[str], error: Exception) -> Outcome:
    """The outcome of an article that raised ``error``; the message names the article."""
    message = str(error) or type(error).__name__
    if article.source not in message:
        message = f"{article.source}: {message}"
    return Outcome(article.id, article.source, sha, error=message)


# --------------------------------------------------------------------------- running


@dataclass
class _Run:
    """State shared by the workers of one batch."""

    connection: Any  # () -> Connection for the calling thread
    ledger: Optional[Ledger]
    results: queue.Queue[Optional[Outcome]] = field(default_factory=queue.Queue)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    claimed: set[str] = field(default_factory=set)
    published: Optional[str] = None  # for articles that give none of their own

    def claim(self, sha: str) -> bool:
        """True for the first run of this content (not done before, not already running)."""
        with self.lock:
            done = self.ledger.done if self.ledger else set()
            if sha in done or sha in self.claimed:
                return False
            self.claimed.add(sha)
            return True

    def process(self, article: Article) -> Optional[Outcome]:
        sha: Optional[str] = None
        try:
            sha, document = read_article(article)
            if not self.claim(sha):
                return Outcome(article.id, article.source, sha, skipped=True)
            if self.stop.is_set():
                return None
            summary = summarise(
                document, client=self.connection(), published=article.published or self.published
            )
        except Exception as error:  # one article's failure never stops the batch
            outcome = failed(article, sha, error)
        else:
            outcome = Outcome(article.id, article.source, sha, summary=summary)
        return outcome if self._keep(outcome) else None

    def _keep(self, outcome: Outcome) -> bool:
        """Write the outcome to the ledger; False when the batch was stopped meanwhile."""
        if self.ledger is None:
            return not self.stop.is_set()
        record: dict[str, Any] = {"id": outcome.id, "source": outcome.source}
        record |= {"sha256": outcome.sha256, "ok": outcome.ok}
        if outcome.summary is None:
            record["error"] = outcome.error
            return self.ledger.write(record)
        return self.ledger.write(record, outcome.summary.model_dump_json())

    def work(self, todo: queue.Queue[Optional[Article]]) -> None:
        try:
            while not self.stop.is_set():
                article = todo.get()
                if article is None:
                    break
                outcome = self.process(article)
                if outcome is not None:
                    self.results.put(outcome)
        finally:
            self.results.put(None)  # this worker is done


def summarise_many(
    inputs: Iterable[Union[str, os.PathLike[str], Article]],
    *,
    jobs: int = 4,
    client: Optional[Union[Connection, openai.OpenAI]] = None,
    model: Optional[str] = None,
    base_url: Optional[str] = None,
    api_key: Optional[str] = None,
    structured: Optional[str] = None,
    parallel_calls: Optional[int] = None,
    endpoint: Optional[Endpoint] = None,
    out: Optional[Path] = None,
    published: Optional[str] = None,
) -> Generator[Outcome, None, None]:
    """Summarise every article the inputs name, ``jobs`` at a time; yield each as it finishes.

    The model is chosen as for :func:`summarise` (``client``/``model``/``base_url``/
    ``api_key``/``structured``/``parallel_calls``, or a ready :class:`Endpoint`). An
    ``openai.OpenAI`` client is shared by the workers (httpx is thread-safe); a
    :class:`Connection` is used by one worker.
    ``out`` is a JSONL results file, appended to and resumed (see :mod:`summariser.batch.ledger`).
    ``published`` (e.g. "2024-06-01") is the publication date of every article whose JSONL
    record gives none.
    Close the generator (``contextlib.closing``) if you stop early.
    """
    if jobs < 1:
        raise InputError(f"jobs={jobs}: give at least 1")
    articles = expand(inputs)
    chosen = endpoint
    structured_mode(structured)  # an unknown shape fails here, not once per article
    if client is None and chosen is None:
        chosen = Endpoint.from_env(
            base_url=base_url,
            api_key=api_key,
            model=model,
            structured=structured,
            parallel_calls=parallel_calls,
        )
    if isinstance(client, Connection) or (chosen is not None and chosen.base_url is None):
        jobs = 1  # one connection: the embedded server takes one article's calls at once
    jobs = max(1, min(jobs, len(articles)))
    opened: list[Connection] = []
    local = threading.local()
    opened_lock = threading.Lock()

    def connection() -> Connection:
        conn: Optional[Connection] = getattr(local, "conn", None)
        if conn is None:
            if isinstance(client, Connection):
                conn = client
            elif isinstance(client, openai.OpenAI):
                conn = from_client(client, model, structured)
            else:
                assert chosen is not None
                conn = connect(chosen)
                with opened_lock:
                    opened.append(conn)
            local.conn = conn
        return conn

    ledger = Ledger(out) if out is not None else None
    run = _Run(connection, ledger, published=published)
    todo: queue.Queue[Optional[Article]] = queue.Queue()
    for article in articles:
        todo.put(article)
    for _ in range(jobs):
        todo.put(None)
    workers = [
        threading.Thread(target=run.work, args=(todo,), daemon=True, name=f"summarise-{i}")
        for i in range(jobs)
    ]
    try:
        for worker in workers:
            worker.start()
        running = len(workers)
        while running:
            try:
                outcome = run.results.get(timeout=0.1)  # a timeout keeps Ctrl-C responsive
            except queue.Empty:
                continue
            if outcome is None:
                running -= 1
            else:
                yield outcome
    finally:
        run.stop.set()  # no article starts now; those in flight get a moment to finish
        deadline = time.monotonic() + STOP_GRACE_S
        for worker in workers:
            if worker.is_alive():
                worker.join(max(0.0, deadline - time.monotonic()))
        if ledger is not None:
            ledger.close()
        with opened_lock:
            for conn in opened:
                conn.close()
