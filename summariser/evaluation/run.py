"""``evaluate``: run summariser over a labelled folder, score it and measure what it cost.

A fixture folder holds article files (``.txt``, ``.html``) each with a gold ``.json`` of
the same stem (format: ``shared/evalset/GUIDE.md``). Every gold file is read before the
model starts, so a broken label fails fast. One connection serves every article. An
article whose run raises (the endpoint refuses, keeps failing, or the article is
unreadable) is recorded with its error and scored as an empty prediction; the others
still run. Scores come from :mod:`summariser.evaluation.scoring`, benchmark figures from each
article's provenance, both in one :class:`~summariser.evaluation.report.EvalReport`.

With ``summaries``, no model runs: saved output (a batch's results, summary files, or a Ray
results folder read by ``open_results(DIR).saved()``) is matched to the articles by
:mod:`summariser.evaluation.matching` and scored; an article without a summary is scored as
an empty prediction and reported as "no summary".
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Optional, Union

import openai
from pydantic import ValidationError

from summariser.endpoint.connection import Connection, Endpoint, connect, from_client
from summariser.errors import ConfigurationError, InputError, SummariserError
from summariser.evaluation.matching import Match, match
from summariser.evaluation.report import (
    ArticleRun,
    EvalReport,
    Integrity,
    RunInfo,
    benchmark,
    first_problem,
)
from summariser.evaluation.scoring import (
    ArticleScore,
    Gold,
    aggregate,
    load_gold,
    score_article,
    score_missing,
)
from summariser.extract.prompting import TASKS
from summariser.ingest.documents import load
from summariser.paths import cache_dir as user_cache_dir
from summariser.pipeline import Client, MadeBy, made_by, summarise
from summariser.records import ArticleSummary
from summariser.summary_files import Saved, SavedOutput, read_saved

ARTICLE_SUFFIXES = (".txt", ".html", ".htm")
FURNITURE = ("ALSO READ", "Leave a Reply", "Your email address", "Categories\n")
_TASK_KINDS = frozenset(task.name for task in TASKS)  # discards of whole or partial replies
# What ``evaluate(summaries=...)`` scores: a file or folder of saved summaries (or several),
# results already read (SavedOutput), or summaries in hand.
Summaries = Union[
    str,
    "os.PathLike[str]",
    SavedOutput,
    Iterable[Union[str, "os.PathLike[str]", ArticleSummary, Saved]],
]


@dataclass(frozen=True)
class Fixture:
    """One labelled article."""

    article: Path
    gold: Gold


@dataclass(frozen=True)
class Progress:
    """Reported when an article starts (``run`` is None) and when it is done."""

    index: int  # 1-based
    total: int
    article: str
    run: Optional[ArticleRun] = None
    score: Optional[ArticleScore] = None


SPLITS_FILE = "splits.json"
SPLITS = ("tune", "confirm")


def find_fixtures(
    folder: Union[str, Path], split: Optional[str] = None
) -> tuple[list[Fixture], list[str]]:
    """(labelled articles in name order, names of article files without a gold file).

    ``split`` keeps the ``confirm`` articles that the folder's ``splits.json`` lists
    (``{"confirm": ["03_slug", ...]}``), or the ``tune`` articles, all the others.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder}: no such folder; pass a folder of articles with gold labels")
    articles = sorted(p for p in folder.iterdir() if p.suffix.lower() in ARTICLE_SUFFIXES)
    labelled = [p for p in articles if p.with_suffix(".json").is_file()]
    if split is not None:
        confirm = _confirm_set(folder, {p.stem for p in labelled})
        labelled = [p for p in labelled if (p.stem in confirm) == (split == "confirm")]
    if not labelled:
        raise InputError(
            f"{folder} holds no labelled articles{f' in its {split} split' if split else ''}: "
            "expected NN_slug.txt (or .html) files, each beside a gold NN_slug.json "
            "(see shared/evalset/GUIDE.md)"
        )
    fixtures = [Fixture(p, _gold(p.with_suffix(".json"))) for p in labelled]
    return fixtures, [p.name for p in articles if not p.with_suffix(".json").is_file()]


def _confirm_set(folder: Path, stems: set[str]) -> set[str]:
    """The article stems ``splits.json`` puts in the confirm split, checked."""
    path = folder / SPLITS_FILE
    try:
        listed = json.loads(path.read_text(encoding="utf-8"))["confirm"]
    except FileNotFoundError:
        raise InputError(
            f'{path} not found: a split needs it ({{"confirm": ["03_slug", ...]}})'
        ) from None
    except (ValueError, KeyError, TypeError) as error:
        raise InputError(f'{path}: expected {{"confirm": [article stems]}} ({error})') from None
    unknown = sorted(set(listed) - stems)
    if unknown:
        raise InputError(f"{path} lists articles that are not in {folder}: {', '.join(unknown)}")
    return set(listed)


def _gold(path: Path) -> Gold:
    try:
        return load_gold(path)
    except (ValidationError, ValueError, OSError) as error:
        raise InputError(
            f"{path}: not a gold label file ({first_problem(error)}); "
            "fix it by shared/evalset/GUIDE.md"
        ) from error


# --------------------------------------------------------------------------- checks


def bad_offsets(result: ArticleSummary) -> int:
    """Evidence spans that fail ``text[start:end] == quote`` (should be 0)."""
    spans = [e for a in result.actors for e in a.evidence]
    spans += [e for t in result.arms_transfers for e in t.evidence]
    spans += [e for c in result.claims for e in c.evidence]
    return sum(result.text[e.start : e.end] != e.quote for e in spans)


def twin_actors(result: ArticleSummary) -> int:
    """Pairs of actors that are one entity: a shared surface form, or two states with the
    same ISO code (should be 0)."""
    twins = 0
    forms = [{f.lower() for f in (a.name, *a.aliases)} for a in result.actors]
    for i, a in enumerate(result.actors):
        for j in range(i + 1, len(result.actors)):
            b = result.actors[j]
            same_state = a.type == b.type == "state" and a.country and a.country == b.country
            twins += bool(forms[i] & forms[j] or same_state)
    return twins


def furniture_hits(result: ArticleSummary) -> int:
    """Page furniture left in the text the model saw (should be 0)."""
    return sum(result.text.count(marker) for marker in FURNITURE)


def invalid_outputs(result: ArticleSummary) -> int:
    """Model replies, or items of replies, that were cut off or failed validation."""
    return sum(1 for d in result.provenance.discarded if d.kind in _TASK_KINDS)


# --------------------------------------------------------------------------- one article


def _counts(actors: int, transfers: int, claims: int) -> dict[str, int]:
    return {"actors": actors, "arms_transfers": transfers, "claims": claims}


def _answered(fixture: Fixture, result: ArticleSummary) -> ArticleRun:
    p, g = result.provenance, fixture.gold
    return ArticleRun(
        article=fixture.article.name,
        seconds=p.timings.get("total", 0.0),
        model_seconds=p.timings.get("model", 0.0),
        llm_calls=p.usage.llm_calls,
        prompt_tokens=p.usage.prompt_tokens,
        completion_tokens=p.usage.completion_tokens,
        cached_prompt_tokens=p.usage.cached_prompt_tokens,
        predicted_completion_tokens=p.usage.predicted_completion_tokens,
        retries=p.usage.retries,
        cache_hits=p.usage.cache_hits,
        invalid_outputs=invalid_outputs(result),
        predicted=_counts(len(result.actors), len(result.arms_transfers), len(result.claims)),
        gold=_counts(len(g.actors), len(g.arms_transfers), len(g.claims)),
        integrity=Integrity(bad_offsets(result), twin_actors(result), furniture_hits(result)),
    )


@dataclass(frozen=True)
class _Meters:
    """A connection's counters at one moment, to tell what a failed run cost."""

    at: float
    calls: int
    prompt: int
    completion: int
    cached: int
    predicted: int
    retries: int
    hits: int

    @classmethod
    def read(cls, conn: Connection) -> _Meters:
        m = conn.meter
        return cls(time.perf_counter(), m.llm_calls, m.prompt_tokens, m.completion_tokens,
                   m.cached_prompt_tokens, m.predicted_completion_tokens, conn.retries,
                   conn.cache_hits)  # fmt: skip


def _failed(fixture: Fixture, conn: Connection, before: _Meters, error: Exception) -> ArticleRun:
    now, g = _Meters.read(conn), fixture.gold
    return ArticleRun(
        article=fixture.article.name,
        seconds=round(now.at - before.at, 3),
        model_seconds=0.0,
        llm_calls=now.calls - before.calls,
        prompt_tokens=now.prompt - before.prompt,
        completion_tokens=now.completion - before.completion,
        cached_prompt_tokens=now.cached - before.cached,
        predicted_completion_tokens=now.predicted - before.predicted,
        retries=now.retries - before.retries,
        cache_hits=now.hits - before.hits,
        invalid_outputs=0,
        predicted=_counts(0, 0, 0),
        gold=_counts(len(g.actors), len(g.arms_transfers), len(g.claims)),
        integrity=Integrity(0, 0, 0),
        error=str(error),
    )


def run_article(
    conn: Connection, fixture: Fixture
) -> tuple[ArticleRun, ArticleScore, Optional[ArticleSummary]]:
    """Summarise and score one article; a :class:`SummariserError` is recorded, not raised."""
    before = _Meters.read(conn)
    try:
        result = summarise(load(fixture.article), client=conn)
    except SummariserError as error:
        return _failed(fixture, conn, before, error), score_missing(fixture.gold), None
    return _answered(fixture, result), score_article(result, fixture.gold), result


# --------------------------------------------------------------------------- the run


@contextmanager
def _connection(
    client: Optional[Client],
    model: Optional[str],
    structured: Optional[str],
    endpoint: Callable[[], Endpoint],
) -> Iterator[Connection]:
    """The injected client (never closed here), or one opened from ``endpoint()``."""
    if isinstance(client, Connection):
        yield client
    elif isinstance(client, openai.OpenAI):
        yield from_client(client, model, structured)
    else:
        with connect(endpoint()) as conn:
            yield conn


def _run_info(
    conn: Connection, folder: Union[str, Path], cache: Optional[Path], skipped: list[str]
) -> RunInfo:
    """How the run is made; ``wall_seconds`` is filled in once the run has ended."""
    return RunInfo(
        folder=str(folder),
        **made_by(conn),
        created_at=datetime.now(timezone.utc),
        wall_seconds=0.0,
        cache_dir=str(cache) if cache else None,
        skipped=skipped,
    )


def default_cache_dir() -> Path:
    """Where eval responses are cached: ``responses`` in the user cache directory
    (``SUMMARISER_CACHE_DIR`` overrides it)."""
    return user_cache_dir() / "responses"


def evaluate(
    folder: Union[str, Path] = "evals/fixtures",
    *,
    model: Optional[str] = None,
    client: Optional[Client] = None,
    base_url: Optional[str] = None,
    api_key: Optional[str] = None,
    structured: Optional[str] = None,
    parallel_calls: Optional[int] = None,
    cache_dir: Optional[Path] = None,
    use_cache: bool = True,
    out: Optional[Path] = None,
    progress: Optional[Callable[[Progress], None]] = None,
    split: Optional[str] = None,
    summaries: Optional[Summaries] = None,
) -> EvalReport:
    """Summarise every labelled article in ``folder``, score it, and measure the run.

    ``client``, ``model``, ``base_url``, ``api_key``, ``structured`` and ``parallel_calls``
    choose the model as for :func:`summarise` and ``summariser extract`` (default: the
    embedded model). When no
    client is given, replies are cached on disk in ``cache_dir`` (default
    :func:`default_cache_dir`) unless ``use_cache`` is False. ``out`` receives one
    :class:`ArticleSummary` JSON line per article that ran, written as each finishes.
    ``progress`` is called when each article starts and when it is done. ``split``
    (``tune`` or ``confirm``) scores only that part of a folder with a ``splits.json``.

    ``summaries`` scores saved output instead of running the model (then give no model
    options): a ``.jsonl`` from ``extract --out`` or an eval, ``.json`` files from ``extract
    --format json`` or folders of them (a path or a list of paths), a Ray results folder as
    ``summariser.distributed.open_results(DIR).saved()``, or :class:`ArticleSummary` records.
    They are matched to the articles by content hash, else by file name
    (:mod:`summariser.evaluation.matching`).
    """
    started = time.perf_counter()
    fixtures, skipped = find_fixtures(folder, split)
    if summaries is not None:
        options = {"client": client, "model": model, "base_url": base_url, "api_key": api_key,
                   "structured": structured, "parallel_calls": parallel_calls,
                   "cache_dir": cache_dir}  # fmt: skip
        given = [name for name, value in options.items() if value is not None]
        if given:
            raise ConfigurationError(
                f"summaries= scores saved output and runs no model: drop {', '.join(given)}"
            )
        saved = saved_output(summaries)
        report = _score_saved(Path(folder), fixtures, saved, split, out, progress)
        elapsed = round(time.perf_counter() - started, 3)
        info = replace(report.run, skipped=skipped, wall_seconds=elapsed)
        return replace(report, run=replace(info, confirm=_confirm_stems(Path(folder), split)))
    cache = (cache_dir or default_cache_dir()) if use_cache and client is None else None

    def endpoint() -> Endpoint:
        return Endpoint.from_env(
            base_url=base_url,
            api_key=api_key,
            model=model,
            structured=structured,
            parallel_calls=parallel_calls,
            cache_dir=cache,
        )

    runs: list[ArticleRun] = []
    scores: list[ArticleScore] = []
    with _connection(client, model, structured, endpoint) as conn, _jsonl(out) as sink:
        info = replace(_run_info(conn, folder, cache, skipped), split=split)
        for index, fixture in enumerate(fixtures, start=1):
            if progress:
                progress(Progress(index, len(fixtures), fixture.article.name))
            run, score, result = run_article(conn, fixture)
            if result is not None and sink is not None:
                sink.write(result.model_dump_json() + "\n")
                sink.flush()
            runs.append(run)
            scores.append(score)
            if progress:
                progress(Progress(index, len(fixtures), fixture.article.name, run, score))
        info = replace(info, structured=conn.structured.value)  # as detected
    info = replace(info, wall_seconds=round(time.perf_counter() - started, 3))  # server stopped
    info = replace(info, confirm=_confirm_stems(Path(folder), split))
    return EvalReport(info, aggregate(scores), benchmark(runs), runs)


def _confirm_stems(folder: Path, split: Optional[str]) -> list[str]:
    """The confirm split's article stems when the whole of a folder with a ``splits.json``
    was scored (the report then compares the two splits), else none."""
    if split is not None or not (folder / SPLITS_FILE).is_file():
        return []
    stems = {p.stem for p in folder.iterdir() if p.suffix.lower() in ARTICLE_SUFFIXES}
    return sorted(_confirm_set(folder, stems))


@contextmanager
def _jsonl(path: Optional[Path]) -> Iterator[Optional[IO[str]]]:
    if path is None:
        yield None
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        yield handle


# --------------------------------------------------------------------------- saved output


def saved_output(summaries: Summaries) -> SavedOutput:
    """What ``evaluate(summaries=...)`` was given, read (see :data:`Summaries`)."""
    if isinstance(summaries, SavedOutput):
        return summaries
    if isinstance(summaries, (str, os.PathLike)):
        return read_saved([summaries])
    items = list(summaries)
    paths = [item for item in items if isinstance(item, (str, os.PathLike))]
    if items and len(paths) == len(items):
        return read_saved(paths)
    results = []
    for number, item in enumerate(items, start=1):
        if isinstance(item, Saved):
            results.append(item)
        elif isinstance(item, ArticleSummary):
            results.append(Saved(f"summary {number}", item))
        else:
            raise InputError(
                f"summaries= item {number} is a {type(item).__name__}: give paths, or "
                "ArticleSummary records, not both"
            )
    return SavedOutput(f"{len(results)} summaries given to evaluate()", results)


def _no_summary(fixture: Fixture, reason: str) -> ArticleRun:
    g = fixture.gold
    return ArticleRun(
        article=fixture.article.name, seconds=0.0, model_seconds=0.0, llm_calls=0,
        prompt_tokens=0, completion_tokens=0, retries=0, cache_hits=0, invalid_outputs=0,
        predicted=_counts(0, 0, 0),
        gold=_counts(len(g.actors), len(g.arms_transfers), len(g.claims)),
        integrity=Integrity(0, 0, 0), error=reason, no_summary=True,
    )  # fmt: skip


def _made_by_saved(summaries: Sequence[ArticleSummary]) -> MadeBy:
    """How the saved summaries were made (every distinct value, in order of appearance)."""
    made = [s.provenance for s in summaries]

    def each(values: Iterable[Optional[str]]) -> str:
        return ", ".join(dict.fromkeys(v for v in values if v)) or "unknown"

    return MadeBy(
        model=each(p.model for p in made),
        endpoint=each(p.endpoint for p in made),
        base_url=", ".join(dict.fromkeys(p.base_url for p in made if p.base_url)) or None,
        structured=each(p.structured for p in made),
        prompt_hash=each(p.prompt_hash for p in made),
        schema_version=each(p.schema_version for p in made),
        version=each(p.version for p in made),
    )


def _score_saved(
    folder: Path,
    fixtures: list[Fixture],
    output: SavedOutput,
    split: Optional[str],
    out: Optional[Path],
    progress: Optional[Callable[[Progress], None]],
) -> EvalReport:
    if not output.results:
        raise InputError(f"{output.origin}: holds no results to score")
    scored = {f.article.name for f in fixtures}
    others = sorted(
        p for p in folder.iterdir()
        if p.suffix.lower() in ARTICLE_SUFFIXES and p.is_file() and p.name not in scored
    )  # fmt: skip
    outside = f"outside the {split} split" if split else "without a gold label"
    matches, notes = match([f.article for f in fixtures], output, others=others, outside=outside)
    runs: list[ArticleRun] = []
    scores: list[ArticleScore] = []
    found: list[ArticleSummary] = []
    with _jsonl(out) as sink:
        for index, (fixture, matched) in enumerate(zip(fixtures, matches, strict=True), start=1):
            if progress:
                progress(Progress(index, len(fixtures), fixture.article.name))
            run, score = _score_match(fixture, matched)
            if matched.saved is not None and matched.saved.summary is not None:
                found.append(matched.saved.summary)
                if sink is not None:
                    sink.write(matched.saved.summary.model_dump_json() + "\n")
            runs.append(run)
            scores.append(score)
            if progress:
                progress(Progress(index, len(fixtures), fixture.article.name, run, score))
    info = RunInfo(
        folder=str(folder), **_made_by_saved(found), created_at=datetime.now(timezone.utc),
        wall_seconds=0.0, cache_dir=None, split=split, summaries=output.origin, notes=notes,
    )  # fmt: skip
    return EvalReport(info, aggregate(scores), benchmark(runs), runs)


def _score_match(fixture: Fixture, matched: Match) -> tuple[ArticleRun, ArticleScore]:
    summary = matched.saved.summary if matched.saved is not None else None
    if summary is None or matched.reason is not None:
        return _no_summary(fixture, matched.reason or "none found"), score_missing(fixture.gold)
    return _answered(fixture, summary), score_article(summary, fixture.gold)
