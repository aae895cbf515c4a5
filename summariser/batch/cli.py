"""``summariser extract INPUTS... --out results.jsonl --jobs N``: the batch on the terminal;
``--engine ray --out DIR`` runs it on Ray, and ``summariser results DIR`` reads that back
(as do ``summariser brief DIR`` and ``summariser eval --summaries DIR``).

Printing only: a tqdm bar on stderr (rate and ETA; Ray draws its own), one line per failed
article, and on Ctrl-C a line saying how to resume (exit 130). Exit 1 when any article
failed, 0 otherwise. Ray and pyarrow are imported only when asked for (the ``ray`` extra).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from contextlib import closing
from pathlib import Path
from typing import Any, Optional

from tqdm import tqdm

from summariser.batch.runner import expand, summarise_many
from summariser.endpoint.connection import Endpoint
from summariser.errors import ConfigurationError
from summariser.records import ArticleSummary
from summariser.summary_files import SavedOutput, is_results_folder, read_saved

__all__ = ["read_output", "results_summaries", "run_batch", "run_distributed", "show_results"]


def _progress(total: int) -> Any:
    return tqdm(total=total, file=sys.stderr, unit="article", disable=None, smoothing=0.1)


def run_batch(
    inputs: Sequence[str],
    endpoint: Endpoint,
    out: Path,
    jobs: int,
    published: Optional[str] = None,
) -> int:
    if jobs < 1:
        raise ConfigurationError(f"--jobs {jobs}: give at least 1")
    articles = expand(inputs)
    done = failed = skipped = 0
    bar = _progress(len(articles))
    try:
        outcomes_of = summarise_many(
            articles, jobs=jobs, endpoint=endpoint, out=out, published=published
        )
        with closing(outcomes_of) as outcomes:
            for outcome in outcomes:
                if outcome.skipped:
                    skipped += 1
                elif outcome.ok:
                    done += 1
                else:
                    failed += 1
                    tqdm.write(f"summariser: {outcome.error}", file=sys.stderr)
                bar.update(1)
    except KeyboardInterrupt:
        bar.close()
        print(  # the command line is not echoed: it may hold --api-key
            f"summariser: interrupted; {done + skipped} of {len(articles)} articles are done "
            f"in {out}; run the same command again to resume (finished articles are skipped)",
            file=sys.stderr,
        )
        return 130
    finally:
        bar.close()
    print(
        f"summariser: {done} done, {skipped} already done, {failed} failed; results in {out}",
        file=sys.stderr,
    )
    return 1 if failed else 0


# --------------------------------------------------------------------------- on Ray

MAX_FAILURES_SHOWN = 50  # the rest are in the results folder


def _missing_ray(error: ImportError) -> ConfigurationError:
    return ConfigurationError(
        f"this needs Ray Data ({error.name} is not installed); run: pip install 'summariser[ray]'"
    )


def _is_ray_missing(error: ImportError) -> bool:
    return (error.name or "").split(".")[0] in {"ray", "pyarrow"}


def run_distributed(
    inputs: Sequence[str],
    endpoint: Endpoint,
    out: str,
    *,
    actors: Optional[int],
    jobs: int,
    batch_size: Optional[int],
    out_format: str,
) -> int:
    """``extract --engine ray``: the run on Ray, then a summary of it on stderr."""
    try:
        from summariser.batch.distributed import DEFAULT_ACTORS, summarise_dataset
    except ImportError as error:
        if not _is_ray_missing(error):
            raise
        raise _missing_ray(error) from error
    try:
        report = summarise_dataset(
            inputs, out, actors=actors or DEFAULT_ACTORS, jobs=jobs, batch_size=batch_size,
            format=out_format, endpoint=endpoint,
        )  # fmt: skip
    except KeyboardInterrupt:
        print(  # the command line is not echoed: it may hold --api-key
            f"summariser: interrupted; the results written so far stay in {out}; run the "
            "same command again to resume (finished articles are skipped)",
            file=sys.stderr,
        )
        return 130
    for note in report.unreadable:
        print(f"summariser: {note}", file=sys.stderr)
    for _, message in report.failures[:MAX_FAILURES_SHOWN]:
        print(f"summariser: {message}", file=sys.stderr)
    if report.failed > MAX_FAILURES_SHOWN:
        print(
            f"summariser: and {report.failed - MAX_FAILURES_SHOWN} more failures "
            f"(`summariser results {out}` lists every article)",
            file=sys.stderr,
        )
    print(
        f"summariser: {report.succeeded} done, {report.skipped} already done, {report.failed} "
        f"failed; this run's results in {report.location}; every article once: "
        f"summariser results {out}",
        file=sys.stderr,
    )
    return 1 if report.failed else 0


def _results_folder(location: str, must_exist: bool = True) -> Any:
    try:
        from summariser.batch.results import open_results
    except ImportError as error:
        if not _is_ray_missing(error):
            raise
        raise _missing_ray(error) from error
    return open_results(location, must_exist=must_exist)


def show_results(location: str, fmt: str, output: Optional[str]) -> int:
    """``summariser results DIR``: one row per article over every run, as JSONL (standard
    output or ``output``) or as one Parquet file (``output``)."""
    folder = _results_folder(location)
    if fmt == "parquet":
        if output is None:
            raise ConfigurationError("--format parquet writes a file: add -o results.parquet")
        count = folder.write_parquet(output)
    elif output is None:
        count = folder.write_jsonl(sys.stdout)
    else:
        with open(output, "w", encoding="utf-8") as stream:
            count = folder.write_jsonl(stream)
    for note in folder.skipped:
        print(f"summariser: {note}", file=sys.stderr)
    where = f" to {output}" if output else ""
    runs = len(folder.runs())
    plural = "" if runs == 1 else "s"
    print(f"summariser: {count} articles from {runs} run{plural}{where}", file=sys.stderr)
    return 0


def results_summaries(name: str, on_skip: Callable[[str], None]) -> Optional[list[ArticleSummary]]:
    """The successful summaries in a results folder of ``extract --engine ray`` (one per
    article), or None when ``name`` is no such folder."""
    if not is_results_folder(name):
        return None
    summaries: list[ArticleSummary] = _results_folder(name).summaries(on_skip)
    return summaries


def read_output(names: Sequence[str]) -> SavedOutput:
    """Every saved result the names hold: results folders (or URIs) of ``extract --engine
    ray``, ``.jsonl``/``.json`` files and folders of them (``summariser eval --summaries``)."""
    parts = [
        _results_folder(name).saved()
        if "://" in name or is_results_folder(name)
        else read_saved([name])
        for name in names
    ]
    return SavedOutput.join(parts)
