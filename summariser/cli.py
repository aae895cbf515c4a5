"""Command line: ``summariser extract FILE... [-]``, ``summariser brief FILE...``,
``summariser eval [DIR]`` and ``summariser results DIR``.

Parsing and printing only; no logic."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, Optional, TypedDict, Union

from tqdm import tqdm

from summariser._version import __version__
from summariser.batch.cli import (
    read_output,
    results_summaries,
    run_batch,
    run_distributed,
    show_results,
)
from summariser.briefing import brief
from summariser.endpoint.connection import Endpoint, connect
from summariser.errors import ConfigurationError, InputError, SummariserError
from summariser.evaluation.comparison import compare
from summariser.evaluation.report import GATES, EvalReport, article_line, summary_markdown
from summariser.evaluation.run import SPLITS, Progress, evaluate
from summariser.ingest.documents import Document, load
from summariser.pipeline import summarise
from summariser.records import ArticleSummary
from summariser.render import to_json, to_markdown
from summariser.summary_files import is_summary_file, read_summaries

ENDPOINT_HELP = (
    "model endpoint (default: the embedded model; env SUMMARISER_BASE_URL/_API_KEY/_MODEL)"
)
DEFAULT_EVAL_FOLDER = Path("evals/fixtures")
BRIEF_FORMATS = {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown"}


def _add_endpoint_options(parser: argparse.ArgumentParser) -> None:
    endpoint = parser.add_argument_group(ENDPOINT_HELP)
    endpoint.add_argument("--base-url", help="OpenAI-compatible endpoint, e.g. http://host:8000/v1")
    endpoint.add_argument("--api-key", help="API key for --base-url (or SUMMARISER_API_KEY)")
    endpoint.add_argument("--model", help="model name the endpoint serves")
    endpoint.add_argument(
        "--structured",
        choices=["llama-grammar", "json-schema", "json"],
        help="how replies are constrained (default: llama-grammar embedded, else json-schema)",
    )
    endpoint.add_argument(
        "--parallel-calls",
        type=int,
        metavar="N",
        help="one article's model calls in flight at once (default 8; the embedded "
        "server then decodes that many together)",
    )


class _EndpointOptions(TypedDict):
    base_url: Optional[str]
    api_key: Optional[str]
    model: Optional[str]
    structured: Optional[str]
    parallel_calls: Optional[int]


def _endpoint_options(args: argparse.Namespace) -> _EndpointOptions:
    return _EndpointOptions(
        base_url=args.base_url,
        api_key=args.api_key,
        model=args.model,
        structured=args.structured,
        parallel_calls=args.parallel_calls,
    )


def _add_brief_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    brief_cmd = commands.add_parser(
        "brief", help="merge many articles into one cited briefing (Markdown or HTML)"
    )
    brief_cmd.add_argument(
        "inputs", nargs="+",
        help="article files, or .jsonl/.json summaries from `extract`/`eval`, or the --out "
        "folder of `extract --engine ray` (no model call)",
    )  # fmt: skip
    brief_cmd.add_argument(
        "-o", "--output",
        help="write here; .html or .md picks the format (default: Markdown on standard output)",
    )  # fmt: skip
    brief_cmd.add_argument(
        "--format", choices=["markdown", "html"], help="output format (default: from -o)"
    )
    brief_cmd.add_argument("--title", help="briefing title (default: 'Briefing: N articles')")
    brief_cmd.add_argument(
        "--transfers-csv", metavar="PATH", help="also write the merged transfers as CSV here"
    )
    _add_endpoint_options(brief_cmd)


def _add_ray_options(parser: argparse.ArgumentParser) -> None:
    ray = parser.add_argument_group(
        "batch on Ray (pip install 'summariser[ray]'; RAY_ADDRESS joins an existing cluster)"
    )
    ray.add_argument(
        "--engine", choices=["local", "ray"], default="local",
        help="local: threads in this process (default); ray: an actor pool on Ray Data",
    )  # fmt: skip
    ray.add_argument("--actors", type=int, metavar="N", help="Ray actors (default: 2)")
    ray.add_argument(
        "--batch-size", type=int, metavar="B",
        help="articles an actor takes at a time (default: 2 embedded, else 4 × --jobs)",
    )  # fmt: skip
    ray.add_argument(
        "--out-format", choices=["parquet", "jsonl"],
        help="files a Ray run writes under --out (default: parquet)",
    )  # fmt: skip


def _add_results_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    results = commands.add_parser(
        "results", help="one row per article from every run of `extract --engine ray`"
    )
    results.add_argument("folder", help="the --out folder (or URI) of `extract --engine ray`")
    results.add_argument(
        "--format", choices=["jsonl", "parquet"], default="jsonl",
        help="jsonl: the lines `extract --out x.jsonl` writes (default); parquet: one file",
    )  # fmt: skip
    results.add_argument("-o", "--output", help="write here (default: standard output)")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="summariser",
        description="Grounded actors, claims and arms transfers from defence news.",
    )
    parser.add_argument("--version", action="version", version=f"summariser {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    extract = commands.add_parser(
        "extract", help="extract records from articles (text or HTML files, '-' for stdin)"
    )
    extract.add_argument(
        "inputs", nargs="+",
        help="article files, folders, globs, .jsonl of {id, text|path|html}; '-' reads stdin",
    )  # fmt: skip
    extract.add_argument("--format", choices=["json", "markdown"], default="json")
    extract.add_argument("-o", "--output", help="write here instead of standard output")
    extract.add_argument(
        "--out", metavar="RESULTS.jsonl|DIR",
        help="batch mode: append one JSON line per article as it finishes (with --engine "
        "ray: a results folder or URI); a re-run resumes",
    )  # fmt: skip
    extract.add_argument(
        "--jobs", type=int, default=4,
        help="batch mode: articles at a time (default: 4; with --engine ray, per actor)",
    )  # fmt: skip
    extract.add_argument(
        "--threads", type=int, metavar="T",
        help="CPU threads of the embedded model server (default: every core; with --engine "
        "ray, per actor: the node's cores shared among the actors)",
    )  # fmt: skip
    extract.add_argument(
        "--published", type=_iso_date, metavar="YYYY-MM-DD",
        help="publication date of the articles (overrides the one found in them; JSONL "
        "records may give their own 'published'); relative dates are read against it",
    )  # fmt: skip
    _add_ray_options(extract)
    _add_endpoint_options(extract)
    _add_brief_parser(commands)
    eval_cmd = commands.add_parser(
        "eval", help="score summariser on a folder of hand-labelled articles and time it"
    )
    eval_cmd.add_argument(
        "folder",
        nargs="?",
        help=f"articles with gold .json labels (default: {DEFAULT_EVAL_FOLDER})",
    )
    eval_cmd.add_argument(
        "--out-dir", type=Path, default=Path("reports"),
        help="where FOLDER.jsonl, FOLDER.report.json and FOLDER.report.md go (default: reports)",
    )  # fmt: skip
    eval_cmd.add_argument(
        "--baseline", type=Path, help="a previous .report.json: print what got better or worse"
    )
    eval_cmd.add_argument(
        "--fail-under", action="append", default=[], metavar="METRIC=VALUE",
        help=f"exit 1 when METRIC falls below VALUE (repeatable); METRIC: {', '.join(GATES)}",
    )  # fmt: skip
    eval_cmd.add_argument(
        "--split", choices=SPLITS,
        help="score only the tune or the confirm articles the folder's splits.json names; "
        "confirm prints no per-article lines (read its errors only when the work is done)",
    )  # fmt: skip
    eval_cmd.add_argument(
        "--summaries", nargs="+", metavar="PATH",
        help="score saved output instead of running the model: the --out folder of `extract "
        "--engine ray`, a .jsonl from `extract --out` or `eval`, .json files from `extract "
        "--format json`, or folders of them (name FOLDER before this option); matched to "
        "the articles by content hash, else by file name",
    )  # fmt: skip
    eval_cmd.add_argument("--no-cache", action="store_true", help="ask the model every time")
    eval_cmd.add_argument(
        "--cache-dir", type=Path, help="response cache folder (default: the user cache dir)"
    )
    _add_endpoint_options(eval_cmd)
    _add_results_parser(commands)
    return parser


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is no date; give it as YYYY-MM-DD, e.g. 2024-06-01"
        ) from None


OnError = Callable[[Document, SummariserError], None]


def _summarise_all(
    endpoint: Endpoint,
    documents: Sequence[Document],
    on_error: OnError,
    published: Optional[date] = None,
) -> list[ArticleSummary]:
    """Summarise documents over one connection; ``on_error`` decides what a failure does.
    Each result's warnings go to standard error."""
    results: list[ArticleSummary] = []
    with connect(endpoint) as conn:
        for document in documents:
            try:
                result = summarise(document, client=conn, published=published)
            except SummariserError as error:
                on_error(document, error)
                continue
            for warning in result.provenance.warnings:
                print(f"summariser: warning: {document.source}: {warning}", file=sys.stderr)
            results.append(result)
    return results


def _write(path: str, text: str) -> None:
    try:
        with open(path, "w", encoding="utf-8") as out:
            out.write(text)
    except OSError as error:
        raise ConfigurationError(
            f"cannot write {path} ({error.strerror or error}); check that its folder exists "
            "and is writable"
        ) from error


def _ray_only(args: argparse.Namespace) -> None:
    if args.engine == "ray":
        if args.published is not None:
            raise ConfigurationError(
                "--published applies to local runs; on Ray give each row a 'published' column"
            )
        if args.out is None:
            raise ConfigurationError("--engine ray writes a results folder: add --out DIR")
        if args.out.endswith(".jsonl"):
            raise ConfigurationError(
                f"--out {args.out}: --engine ray writes a folder of files (--out-format jsonl "
                "for JSONL ones): give a folder, e.g. --out results/"
            )
        return
    for option in ("actors", "batch_size", "out_format"):
        if getattr(args, option) is not None:
            flag = "--" + option.replace("_", "-")
            raise ConfigurationError(f"{flag} applies to --engine ray: add --engine ray")


def _extract(args: argparse.Namespace) -> int:
    _ray_only(args)
    endpoint = Endpoint.from_env(**_endpoint_options(args), threads=args.threads)
    if args.engine == "ray":
        return run_distributed(
            args.inputs, endpoint, args.out, actors=args.actors, jobs=args.jobs,
            batch_size=args.batch_size, out_format=args.out_format or "parquet",
        )  # fmt: skip
    if args.out is not None:
        published = args.published.isoformat() if args.published else None
        return run_batch(args.inputs, endpoint, Path(args.out), args.jobs, published)
    documents, failed = [], 0
    for name in args.inputs:
        try:
            documents.append(load(name))
        except SummariserError as error:
            print(f"summariser: {error}", file=sys.stderr)
            failed += 1

    def report(document: Document, error: SummariserError) -> None:
        nonlocal failed
        print(f"summariser: {document.source}: {error}", file=sys.stderr)
        failed += 1

    results = _summarise_all(endpoint, documents, report, args.published) if documents else []
    if results:
        if args.format == "json":
            rendered = to_json(results, single=len(args.inputs) == 1) + "\n"
        else:
            rendered = "\n\n".join(to_markdown(r) for r in results)
        if args.output:
            _write(args.output, rendered)
        else:
            sys.stdout.write(rendered)
    return 1 if failed else 0


def _brief_format(chosen: Optional[str], output: Optional[str]) -> str:
    if chosen or output is None:
        return chosen or "markdown"
    suffix = Path(output).suffix.lower()
    if suffix not in BRIEF_FORMATS:
        raise ConfigurationError(
            f"-o {output}: cannot tell the format from {suffix or 'a name without a suffix'}; "
            "name the file .html or .md, or pass --format html|markdown"
        )
    return BRIEF_FORMATS[suffix]


def _stop(document: Document, error: SummariserError) -> None:
    raise type(error)(f"{document.source}: {error}") from error


def _note(message: str) -> None:
    print(f"summariser: {message}", file=sys.stderr)


def _brief_inputs(args: argparse.Namespace) -> list[ArticleSummary]:
    """Summaries in input order: read from .jsonl/.json files, or extracted from articles
    (every input is read before the model is asked anything)."""
    loaded: list[Union[list[ArticleSummary], Document]] = [
        read_summaries(name, on_skip=_note)
        if is_summary_file(name)
        else results_summaries(name, on_skip=_note) or load(name)
        for name in args.inputs
    ]
    documents = [item for item in loaded if isinstance(item, Document)]
    extracted = iter(
        _summarise_all(Endpoint.from_env(**_endpoint_options(args)), documents, _stop)
        if documents
        else []
    )
    return [
        summary
        for item in loaded
        for summary in (item if isinstance(item, list) else [next(extracted)])
    ]


def _brief(args: argparse.Namespace) -> int:
    fmt = _brief_format(args.format, args.output)
    summaries = _brief_inputs(args)
    briefing = brief(summaries, title=args.title or f"Briefing: {len(summaries)} articles")
    rendered = briefing.to_html() if fmt == "html" else briefing.to_markdown()
    if args.output:
        _write(args.output, rendered)
    else:
        sys.stdout.write(rendered)
    if args.transfers_csv:
        _write(args.transfers_csv, briefing.to_csv())
    written = [p for p in (args.output, args.transfers_csv) if p]
    if written:
        print(f"summariser: wrote {', '.join(written)}", file=sys.stderr)
    return 0


def _eval_folder(folder: Optional[str]) -> Path:
    if folder is not None:
        return Path(folder)
    if not DEFAULT_EVAL_FOLDER.is_dir():
        raise InputError(
            f"no {DEFAULT_EVAL_FOLDER} folder here; pass the folder to score: summariser eval DIR"
        )
    return DEFAULT_EVAL_FOLDER


def _gates(specs: Sequence[str]) -> dict[str, float]:
    """``--fail-under`` values by metric name."""
    gates = {}
    for spec in specs:
        name, _, value = (part.strip() for part in spec.partition("="))
        try:
            if name not in GATES:
                raise ValueError(name)
            gates[name] = float(value)
        except ValueError:
            raise ConfigurationError(
                f"--fail-under {spec!r}: expected METRIC=VALUE with METRIC one of "
                f"{', '.join(GATES)}, e.g. --fail-under transfers=0.7"
            ) from None
    return gates


class _ProgressBar:
    """A tqdm bar on stderr (silent when stderr is not a terminal) plus, unless told not
    to, one line per article."""

    def __init__(self, per_article: bool = True) -> None:
        self.bar: Any = None
        self.per_article = per_article

    def __call__(self, event: Progress) -> None:
        if self.bar is None:
            self.bar = tqdm(total=event.total, file=sys.stderr, unit="article", disable=None)
        if event.run is None or event.score is None:
            self.bar.set_description_str(event.article[:40])
            return
        if self.per_article:
            tqdm.write(article_line(event.run, event.score), file=sys.stderr)
        self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _saved_only(args: argparse.Namespace) -> None:
    """Model options make no sense when ``--summaries`` scores saved output."""
    given = [
        "--" + name.replace("_", "-")
        for name, value in {**_endpoint_options(args), "cache_dir": args.cache_dir}.items()
        if value is not None
    ] + (["--no-cache"] if args.no_cache else [])
    if given:
        raise ConfigurationError(
            f"--summaries scores saved output and runs no model: drop {', '.join(given)}"
        )


def _eval(args: argparse.Namespace) -> int:
    folder = _eval_folder(args.folder)
    gates = _gates(args.fail_under)
    baseline = EvalReport.from_json(args.baseline) if args.baseline else None
    stem = args.out_dir / (folder.resolve().name + (f".{args.split}" if args.split else ""))
    paths = [
        stem.with_name(stem.name + suffix) for suffix in (".jsonl", ".report.json", ".report.md")
    ]
    if args.summaries:
        _saved_only(args)
        saved = read_output(args.summaries)
        paths = paths[1:]  # the summaries exist already: no .jsonl of them
    bar = _ProgressBar(per_article=args.split != "confirm")
    try:
        if args.summaries:
            report = evaluate(folder, summaries=saved, progress=bar, split=args.split)
        else:
            report = evaluate(
                folder, **_endpoint_options(args), cache_dir=args.cache_dir,
                use_cache=not args.no_cache, out=paths[0], progress=bar, split=args.split,
            )  # fmt: skip
    finally:
        bar.close()
    json_path, md_path = paths[-2:]
    comparison = compare(report, baseline).to_markdown() if baseline else ""
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(report.to_json() + "\n", encoding="utf-8")
    md_path.write_text(report.to_markdown() + ("\n" + comparison if comparison else ""), "utf-8")
    sys.stdout.write(summary_markdown(report) + ("\n" + comparison if comparison else ""))
    print(f"summariser: wrote {', '.join(str(p) for p in paths)}", file=sys.stderr)
    problems = [
        f"{name} {report.metric(name):.3f} is below --fail-under {floor}"
        for name, floor in gates.items()
        if report.metric(name) < floor
    ]
    if report.benchmark.failed:
        problems.append(f"{report.benchmark.failed} article(s) failed; see {md_path}")
    if report.benchmark.no_summary:
        problems.append(
            f"{report.benchmark.no_summary} article(s) had no summary in {report.run.summaries}; "
            f"see {md_path}"
        )
    for problem in problems:
        print(f"summariser: {problem}", file=sys.stderr)
    return 1 if problems else 0


def _results(args: argparse.Namespace) -> int:
    return show_results(args.folder, args.format, args.output)


COMMANDS = {"extract": _extract, "brief": _brief, "eval": _eval, "results": _results}


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except SummariserError as error:
        print(f"summariser: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("summariser: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
