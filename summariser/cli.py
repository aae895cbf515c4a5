"""Command line: ``summariser extract FILE... [-]``. Parsing and printing only; no logic."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from typing import Optional

from . import __version__
from .endpoint import Endpoint, connect
from .errors import SummariserError
from .ingest import load
from .pipeline import summarise
from .records import ArticleSummary
from .render import to_json, to_markdown


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
    extract.add_argument("inputs", nargs="+", help="article files; '-' reads standard input")
    extract.add_argument("--format", choices=["json", "markdown"], default="json")
    extract.add_argument("-o", "--output", help="write here instead of standard output")
    endpoint = extract.add_argument_group(
        "model endpoint (default: the embedded model; env SUMMARISER_BASE_URL/_API_KEY/_MODEL)"
    )
    endpoint.add_argument("--base-url", help="OpenAI-compatible endpoint, e.g. http://host:8000/v1")
    endpoint.add_argument("--api-key", help="API key for --base-url (or SUMMARISER_API_KEY)")
    endpoint.add_argument("--model", help="model name the endpoint serves")
    endpoint.add_argument(
        "--structured",
        choices=["llama-grammar", "json-schema", "json"],
        help="how replies are constrained (default: llama-grammar embedded, else json-schema)",
    )
    return parser


def _extract(args: argparse.Namespace) -> int:
    endpoint = Endpoint.from_env(
        base_url=args.base_url, api_key=args.api_key, model=args.model, structured=args.structured
    )
    documents, failed = [], 0
    for name in args.inputs:
        try:
            documents.append(load(name))
        except SummariserError as error:
            print(f"summariser: {error}", file=sys.stderr)
            failed += 1
    results: list[ArticleSummary] = []
    if documents:
        with connect(endpoint) as conn:
            for document in documents:
                try:
                    results.append(summarise(document, client=conn))
                except SummariserError as error:
                    print(f"summariser: {document.source}: {error}", file=sys.stderr)
                    failed += 1
    if results:
        if args.format == "json":
            rendered = to_json(results, single=len(args.inputs) == 1) + "\n"
        else:
            rendered = "\n\n".join(to_markdown(r) for r in results)
        if args.output:
            with open(args.output, "w", encoding="utf-8") as out:
                out.write(rendered)
        else:
            sys.stdout.write(rendered)
    return 1 if failed else 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = _parser().parse_args(argv)
    # instructor logs every rejected reply at ERROR; the CLI reports outcomes itself
    logging.getLogger("instructor").setLevel(logging.CRITICAL)
    try:
        return _extract(args)
    except SummariserError as error:
        print(f"summariser: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("summariser: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
