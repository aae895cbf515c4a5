"""Batches beyond one machine, on Ray Data (``pip install 'summariser[ray]'``)::

    import ray
    from summariser.distributed import summarise_dataset

    ds = ray.data.read_json("feed/2026-12/", lines=True)     # rows of {"id", "text"}
    report = summarise_dataset(ds, "results/", actors=8, base_url=..., model=...)
    folder = open_results("results/")                         # every run, one row an article
    evaluate("evals/fixtures", summaries=folder.saved())      # scored, no model call

See :mod:`summariser.batch.distributed` for what a run does and
:mod:`summariser.batch.results` for reading the results back. Importing this module
imports Ray; ``import summariser`` does not.
"""

from __future__ import annotations

from summariser.batch.distributed import RunReport, summarise_dataset
from summariser.batch.results import ResultsFolder, open_results

__all__ = ["ResultsFolder", "RunReport", "open_results", "summarise_dataset"]
