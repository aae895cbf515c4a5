"""End to end on Ray with the real embedded model: two actors, each with its own llama.cpp
server on one thread, over the four shortest hand-labelled fixtures (one article at a time
per actor, on one core each: minutes per article; the whole folder is a benchmark, not a
test, see evals/README.md)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_cli import assert_grounded
from test_distributed import assert_once_each, descendants, local_ray

from summariser.distributed import open_results, summarise_dataset
from summariser.endpoint.embedded import SERVER_MODULE, model_path
from summariser.records import ArticleSummary

FIXTURES = Path(__file__).parent.parent / "evals" / "fixtures"

pytestmark = [
    pytest.mark.model,
    pytest.mark.filterwarnings("ignore::DeprecationWarning:ray.data.context"),
]


@pytest.fixture(scope="module")
def cluster() -> Iterator[Path]:
    """A local Ray cluster whose workers serve the assembled embedded model; yields the
    cache folder the workers use (their server logs go there)."""
    with local_ray(SUMMARISER_MODEL_PATH=str(model_path())) as temp:  # assembled once
        yield temp / "summariser-cache"


def test_two_actors_with_one_thread_each_summarise_fixtures(cluster: Path, tmp_path: Path) -> None:
    articles = sorted(sorted(FIXTURES.glob("*.txt"), key=lambda p: p.stat().st_size)[:4])
    servers: dict[int, str] = {}
    stop = threading.Event()
    # a server an earlier test of the session started (the shared `embedded` fixture's)
    # is no actor's
    before = set(descendants(os.getpid()))

    def watch() -> None:  # the model servers the actors start, while they run
        while not stop.wait(0.5):
            found = descendants(os.getpid())
            servers.update(
                {p: cmd for p, cmd in found.items() if SERVER_MODULE in cmd and p not in before}
            )

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        report = summarise_dataset(
            [str(p) for p in articles], tmp_path / "out", actors=2, threads=1, batch_size=1
        )
    finally:
        stop.set()
        watcher.join(5)

    assert (report.succeeded, report.failed) == (len(articles), 0), report.failures
    # at most one server per actor, started when its actor gets work (Ray may hand every
    # batch to one actor), each on one thread with a log of its own
    assert 1 <= len(servers) <= 2, servers
    for command in servers.values():
        assert " --n_threads 1 " in command and " --n_threads_batch 1 " in command
    assert len(list(cluster.glob("llama-server-*.log"))) == len(servers)

    rows = list(open_results(tmp_path / "out").latest())
    assert len(rows) == len(articles) and all(r["ok"] for r in rows)
    assert_once_each(rows)
    for row in rows:
        summary = ArticleSummary.model_validate_json(row["summary"])
        assert summary.provenance.endpoint == "embedded"
        assert_grounded(summary)
    assert sum(len(ArticleSummary.model_validate_json(r["summary"]).arms_transfers) for r in rows)
