"""The former dev runner, kept so old commands still work: it forwards to ``summariser eval``.

    python evals/run.py ../shared/evalset/dev --out reports/dev.jsonl [--no-cache] [...]

is ``summariser eval ../shared/evalset/dev --out-dir reports --cache-dir .cache/responses``:
the reports land beside ``--out`` as ``<folder>.jsonl``, ``<folder>.report.json`` and
``<folder>.report.md``, and replies stay in this runner's cache folder. Any other option
goes to ``summariser eval`` unchanged. Prefer ``summariser eval`` (see evals/README.md).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Optional

from summariser.cli import main as cli_main


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("--out", type=Path, default=Path("reports/dev.jsonl"))
    parser.add_argument("--cache-dir", default=".cache/responses")
    args, rest = parser.parse_known_args(argv)
    out_dir = str(args.out.parent)
    return cli_main(
        ["eval", args.folder, "--out-dir", out_dir, "--cache-dir", args.cache_dir, *rest]
    )


if __name__ == "__main__":
    sys.exit(main())
