"""``summariser extract INPUTS... --out results.jsonl --jobs N``: the batch on the terminal.

Printing only: a tqdm bar on stderr (rate and ETA), one line per failed article, and on
Ctrl-C a line saying how many are done and how to resume (exit 130). Exit 1 when any
article failed, 0 otherwise.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path
from typing import Any

from tqdm import tqdm

from summariser.batch.runner import expand, summarise_many
from summariser.endpoint.connection import Endpoint
from summariser.errors import ConfigurationError

__all__ = ["run_batch"]


def _progress(total: int) -> Any:
    return tqdm(total=total, file=sys.stderr, unit="article", disable=None, smoothing=0.1)


def run_batch(inputs: Sequence[str], endpoint: Endpoint, out: Path, jobs: int) -> int:
    if jobs < 1:
        raise ConfigurationError(f"--jobs {jobs}: give at least 1")
    articles = expand(inputs)
    done = failed = skipped = 0
    bar = _progress(len(articles))
    try:
        with closing(summarise_many(articles, jobs=jobs, endpoint=endpoint, out=out)) as outcomes:
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
