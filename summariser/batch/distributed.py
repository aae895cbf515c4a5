"""``summarise_dataset``: articles through Ray Data, one result row each, resumable.

The same work as :func:`~summariser.batch.runner.summarise_many`, on a Ray cluster (a
local one by default, an existing one with ``RAY_ADDRESS``)::

    rows (one per article) ─▶ map_batches(ArticleMapper, ActorPoolStrategy(size=actors))
                           ─▶ write_parquet / JSONL  ─▶  OUT/run=<id>/

* Inputs are what the local runner reads (files, folders, globs, JSONL records, expanded
  by :func:`~summariser.batch.runner.expand`; each actor reads its own files) or a Ray
  ``Dataset`` of article rows (:mod:`summariser.batch.rows`), e.g. from
  ``ray.data.read_json(..., lines=True)`` or ``read_binary_files(..., include_paths=True)``.
* Each actor holds its model connections: one embedded llama.cpp server with ``threads``
  CPU threads (the actor reserves that many CPUs, so ``actors × threads`` fit the
  cluster), or clients for a shared endpoint, ``jobs`` articles at a time (one connection
  per article in flight, so each article's usage in its provenance stays exact).
* An article that fails is an ``ok=false`` row with its error; it never fails the batch.
* Resume: a run first reads the content hashes of every ``ok`` row under ``OUT``
  (:class:`~summariser.batch.results.ResultsFolder`, skipping files cut short by a kill)
  and its actors skip those articles; failed ones run again. Ray retries the batches of
  an actor that dies, and a killed run leaves its finished files, so nothing is lost; a
  row written twice is one row in :meth:`~summariser.batch.results.ResultsFolder.latest`.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Optional, Union

import ray
from ray.data import ActorPoolStrategy, Dataset
from ray.data.block import BlockAccessor
from ray.data.datasource import BlockBasedFileDatasink
from ray.exceptions import RayActorError

from summariser.batch.results import ResultsFolder, new_run_id, open_results
from summariser.batch.rows import article_of, result_line, row_of, table_of
from summariser.batch.runner import Article, Outcome, expand, failed, read_article
from summariser.endpoint.connection import Connection, Endpoint, connect
from summariser.errors import ConfigurationError, InputError, SummariserError
from summariser.paths import cache_dir
from summariser.pipeline import summarise

DEFAULT_ACTORS = 2
DEFAULT_JOBS = 4  # articles at a time per actor on a shared endpoint
EMBEDDED_BATCH_SIZE = 2  # the embedded model takes tens of seconds an article
BATCHES_PER_JOB = 4  # a shared endpoint's batch: this many articles per job
# An actor on a shared endpoint mostly waits for replies (9-22 ms of client CPU an article).
ENDPOINT_ACTOR_CPUS = 0.25
FORMATS = ("parquet", "jsonl")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")  # Ray colours the actor names in its messages

logger = logging.getLogger(__name__)

Inputs = Union[Dataset, str, "os.PathLike[str]", Iterable[Union[str, "os.PathLike[str]", Article]]]

__all__ = ["ArticleMapper", "RunReport", "summarise_dataset"]


# --------------------------------------------------------------------------- the actors


class ArticleMapper:
    """The callable class Ray Data runs on every actor of the pool: a batch of article rows
    in (a ``pyarrow.Table``), a table of result rows out, without those already done."""

    def __init__(self, endpoint: Endpoint, done: frozenset[str], run_id: str, jobs: int) -> None:
        self.endpoint = endpoint
        self.done = done
        self.run_id = run_id
        self.jobs = 1 if endpoint.base_url is None else jobs  # one embedded server each
        self._local = threading.local()
        self._lock = threading.Lock()
        self._opened: list[Connection] = []
        self._pool = ThreadPoolExecutor(self.jobs, "summarise") if self.jobs > 1 else None
        self._first = self._open()  # opened now, so a bad endpoint fails the actor at its start

    def _open(self) -> Connection:
        conn = connect(self.endpoint)
        if conn.server is not None:  # one server per actor, each with its own log
            conn.server.log_path = cache_dir() / f"llama-server-{os.getpid()}.log"
        with self._lock:
            self._opened.append(conn)
        return conn

    def connection(self) -> Connection:
        """The connection for the calling thread: the actor's one connection, or with
        several articles at a time one per worker thread (opened on first use)."""
        if self._pool is None:
            return self._first
        conn: Optional[Connection] = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._open()
        return conn

    def _one(self, article: Article) -> Optional[dict[str, Any]]:
        sha: Optional[str] = None
        try:
            sha, document = read_article(article)
            if sha in self.done:
                return None  # an earlier run did it
            summary = summarise(document, client=self.connection(), published=article.published)
        except Exception as error:  # one article's failure never fails its batch
            outcome = failed(article, sha, error)
            message = self._first.redact(outcome.error or "")  # masks the API key
            return row_of(dataclasses.replace(outcome, error=message), self.run_id)
        return row_of(Outcome(article.id, article.source, sha, summary=summary), self.run_id)

    def __call__(self, batch: Any) -> Any:
        articles = [article_of(row) for row in batch.to_pylist()]
        results: Iterator[Optional[dict[str, Any]]]
        if self._pool is not None:
            results = self._pool.map(self._one, articles)
        else:
            results = map(self._one, articles)
        return table_of(row for row in results if row is not None)

    def __del__(self) -> None:  # Ray Data drops the actor's UDF when the pool shuts down
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
        for conn in self._opened:
            conn.close()  # stops an embedded server


class ResultLines(BlockBasedFileDatasink):
    """Writes result rows as the local runner's JSONL lines, one ``.jsonl`` file a block."""

    def __init__(self, path: str) -> None:
        super().__init__(path, file_format="jsonl")

    def write_block_to_file(self, block: BlockAccessor, file: Any) -> None:
        lines = [result_line(row) + "\n" for row in block.to_arrow().to_pylist()]
        file.write("".join(lines).encode("utf-8"))


# --------------------------------------------------------------------------- one run


@dataclass(frozen=True)
class RunReport:
    """What one run did: its id and folder, and the rows it wrote."""

    run_id: str
    location: str
    succeeded: int
    failures: list[tuple[str, str]]  # (article id, error), one per article
    articles: Optional[int] = None  # articles in the input, when known (not for a Dataset)
    unreadable: list[str] = field(default_factory=list)  # results files skipped on resume

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def skipped(self) -> Optional[int]:
        """Articles not run because an earlier run had done them (when the input is known)."""
        if self.articles is None:
            return None
        return max(0, self.articles - self.succeeded - self.failed)


def _start_ray() -> None:
    """Join the cluster ``RAY_ADDRESS`` names, else start a local one (no dashboard)."""
    if ray.is_initialized():
        return
    if os.environ.get("RAY_ADDRESS"):
        ray.init()
    else:
        ray.init(include_dashboard=False)


@dataclass(frozen=True)
class _Cluster:
    cpus: float  # in all
    largest: float  # on the largest node
    nodes: int

    @classmethod
    def now(cls) -> _Cluster:
        total = float(ray.cluster_resources().get("CPU", 0.0))  # type: ignore[no-untyped-call]
        alive = [n for n in ray.nodes() if n.get("Alive")]  # type: ignore[no-untyped-call]
        cpus = [float(n.get("Resources", {}).get("CPU", 0.0)) for n in alive]
        return cls(total, max(cpus, default=total), len(alive))


@dataclass(frozen=True)
class _Plan:
    actors: int
    cpus_per_actor: float
    batch_size: int
    endpoint: Endpoint


def _plan(
    endpoint: Endpoint,
    actors: int,
    threads: Optional[int],
    jobs: int,
    batch_size: Optional[int],
    spare_cpus: int,
) -> _Plan:
    """How many CPUs each actor takes and how big a batch is; an error when the actors
    cannot all start (Ray would wait for them forever)."""
    cluster = _Cluster.now()
    total, largest = cluster.cpus, cluster.largest
    embedded = endpoint.base_url is None
    if embedded:
        threads = threads or endpoint.threads
        if threads is None:
            threads = max(1, min(int(largest), int((total - spare_cpus) // actors)))
        endpoint = dataclasses.replace(endpoint, threads=threads)
        cpus = float(threads)
        what = f"{actors} actors × {threads} threads"
    else:
        cpus = ENDPOINT_ACTOR_CPUS
        what = f"{actors} actors × {cpus} CPU"
    needed = actors * cpus + spare_cpus
    if needed > total or cpus > largest:
        reading = " plus 1 to read the dataset" if spare_cpus else ""
        message = (
            f"{what} need {needed:g} CPUs{reading}, and the Ray cluster has {total:g} "
            f"(largest node: {largest:g}); lower --actors or --threads, or add nodes"
        )
        if cluster.nodes <= 1:
            raise ConfigurationError(message)
        logger.warning("%s (waiting for the autoscaler, if the cluster has one)", message)
    size = batch_size or (EMBEDDED_BATCH_SIZE if embedded else BATCHES_PER_JOB * jobs)
    return _Plan(actors, cpus, size, endpoint)


def _input_row(article: Article) -> dict[str, Any]:
    """An expanded input as a dataset row (every row has every column, so blocks agree);
    paths made absolute, for actors that run elsewhere."""
    text = article.text if not article.html else None
    html = article.text if article.html else None
    path = os.path.abspath(article.path) if article.path is not None else None
    return {"id": article.id, "source": article.source, "error": article.error,
            "text": text, "html": html, "path": path}  # fmt: skip


def _dataset(inputs: Inputs) -> tuple[Dataset, Optional[int], int]:
    """(the dataset of article rows, how many articles when known, CPUs its reading needs)."""
    if isinstance(inputs, Dataset):
        return inputs, None, 1
    articles = expand([inputs] if isinstance(inputs, (str, os.PathLike)) else inputs)
    if not articles:
        raise InputError("no inputs: name files, folders, globs or JSONL files of articles")
    return ray.data.from_items([_input_row(a) for a in articles]), len(articles), 0


def _check(actors: int, threads: Optional[int], jobs: int, batch_size: Optional[int]) -> None:
    for name, value in (("actors", actors), ("threads", threads), ("jobs", jobs)):
        if value is not None and value < 1:
            raise ConfigurationError(f"--{name} {value}: give at least 1")
    if batch_size is not None and batch_size < 1:
        raise ConfigurationError(f"--batch-size {batch_size}: give at least 1")


def summarise_dataset(
    inputs: Inputs,
    out: Union[str, os.PathLike[str]],
    *,
    actors: int = DEFAULT_ACTORS,
    threads: Optional[int] = None,
    jobs: int = DEFAULT_JOBS,
    batch_size: Optional[int] = None,
    format: str = "parquet",
    model: Optional[str] = None,
    base_url: Optional[str] = None,
    api_key: Optional[str] = None,
    structured: Optional[str] = None,
    parallel_calls: Optional[int] = None,
    endpoint: Optional[Endpoint] = None,
) -> RunReport:
    """Summarise every article of ``inputs`` on Ray; write one row each under
    ``out/run=<id>/`` (Parquet, or ``format="jsonl"``); skip those an earlier run under
    ``out`` finished. Returns what this run wrote.

    ``inputs``: a Ray ``Dataset`` of article rows, or what the local runner reads (file
    paths, folders, globs, JSONL files). The model is chosen as for
    :func:`~summariser.batch.runner.summarise_many` (or a ready :class:`Endpoint`).
    ``actors``: the size of the actor pool. ``threads``: each embedded model server's CPU
    threads (default: the node's CPUs shared among the actors). ``jobs``: articles at a
    time per actor on a shared endpoint. ``batch_size``: articles per batch an actor takes
    (default 2 on the embedded model, else ``4 × jobs``). Starts a local Ray unless one
    is running or ``RAY_ADDRESS`` names a cluster.
    """
    _check(actors, threads, jobs, batch_size)
    if format not in FORMATS:
        raise ConfigurationError(f"format {format!r}: choose one of {', '.join(FORMATS)}")
    chosen = endpoint or Endpoint.from_env(
        base_url=base_url,
        api_key=api_key,
        model=model,
        structured=structured,
        parallel_calls=parallel_calls,
        threads=threads,
    )
    if threads is not None and chosen.base_url is not None:
        raise ConfigurationError(
            "threads sets the embedded model's CPU threads; a shared endpoint decides its "
            "own: use jobs for articles at a time per actor"
        )
    folder = open_results(out, must_exist=False)
    done = folder.done()
    _start_ray()
    dataset, articles, spare = _dataset(inputs)
    plan = _plan(chosen, actors, threads, jobs, batch_size, spare)
    run_id = new_run_id()
    target = folder.run_path(run_id)
    mapped = dataset.map_batches(
        ArticleMapper,
        fn_constructor_kwargs={
            "endpoint": plan.endpoint,
            "done": frozenset(done),
            "run_id": run_id,
            "jobs": jobs,
        },
        batch_size=plan.batch_size,
        batch_format="pyarrow",
        compute=ActorPoolStrategy(size=plan.actors),
        num_cpus=plan.cpus_per_actor,
    )
    # writes take no CPU of their own, so actors that fill the cluster never starve them
    writes: dict[str, Any] = {"ray_remote_args": {"num_cpus": 0}}
    try:
        if format == "parquet":
            mapped.write_parquet(target, **writes)
        else:
            mapped.write_datasink(ResultLines(target), **writes)
    except RayActorError as error:
        if not error.actor_init_failed:
            raise
        raise _start_failure(error) from error
    return _report(folder, run_id, target, articles)


_RAISED = re.compile(r"^(?:[\w.]+\.)?(\w+(?:Error|Exception)): (.+)$")


def _error_kinds() -> dict[str, type[SummariserError]]:
    kinds: dict[str, type[SummariserError]] = {}
    todo: list[type[SummariserError]] = [SummariserError]
    while todo:
        kind = todo.pop()
        kinds[kind.__name__] = kind
        todo.extend(kind.__subclasses__())
    return kinds


def _start_failure(error: RayActorError) -> SummariserError:
    """Our error for actors that could not start: the one their ``__init__`` raised (Ray
    passes it on as the text of a traceback), else a note quoting Ray."""
    lines = [line.strip() for line in _ANSI.sub("", str(error)).splitlines() if line.strip()]
    for line in reversed(lines):
        found = _RAISED.match(line)
        if found:
            kind = _error_kinds().get(found.group(1))
            if kind is not None:
                return kind(found.group(2))
            break
    said = lines[-1] if lines else type(error).__name__
    return ConfigurationError(
        f"the Ray actors could not start ({said[:300]}); see the log above, fix it and run "
        "again (the results written so far are kept)"
    )


def _report(folder: ResultsFolder, run_id: str, target: str, articles: Optional[int]) -> RunReport:
    rows = folder.rows_of(run_id, ["id", "source", "sha256", "ok", "error"])
    outcome: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:  # a row written twice (a retried write) counts once
        key = ("sha", row["sha256"]) if row.get("sha256") else ("id", str(row.get("id")))
        if key not in outcome or row.get("ok"):
            outcome[key] = row
    succeeded = sum(1 for row in outcome.values() if row.get("ok"))
    failures = [
        (str(row.get("id")), str(row.get("error"))) for row in outcome.values() if not row.get("ok")
    ]
    return RunReport(run_id, target, succeeded, failures, articles, list(folder.skipped))
