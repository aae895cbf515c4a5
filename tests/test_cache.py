"""The on-disk response cache, against the real loopback chat server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from chat_server import ChatServer, ok, status

from summariser.endpoint import Endpoint, connect
from summariser.errors import ModelError
from summariser.extract import PassOutput, run_task
from summariser.prompting import TRANSFERS
from summariser.retry import RetryPolicy
from summariser.sentences import split_sentences

ARTICLE = "Ruritania ordered four patrol boats from Freedonia."
REPLY = json.dumps(
    {
        "deals": [
            {
                "items": [{"weapon": "patrol boats", "quantity": "four", "category": "ship"}],
                "supplier": "Freedonia",
                "recipient": "Ruritania",
                "status": "agreed",
            }
        ]
    }
)


@pytest.fixture
def server() -> Iterator[ChatServer]:
    running = ChatServer().start()
    try:
        yield running
    finally:
        running.stop()


def _ask(server: ChatServer, folder: Path, article: str = ARTICLE) -> tuple[object, int]:
    endpoint = Endpoint(
        base_url=server.base_url, model="m", api_key="secret-key", cache_dir=folder,
        retry=RetryPolicy(attempts=1),
    )  # fmt: skip
    with connect(endpoint) as conn:
        sentences = split_sentences(article)
        reply = run_task(conn, TRANSFERS, sentences, [sentences[0]], out=PassOutput())
        return reply, conn.cache_hits


def test_identical_request_is_answered_from_disk(server: ChatServer, tmp_path: Path) -> None:
    server.script(ok(REPLY))
    first, hits_first = _ask(server, tmp_path)
    second, hits_second = _ask(server, tmp_path)  # a new connection: the cache is on disk
    assert first is not None and second is not None
    assert first.model_dump() == second.model_dump()  # type: ignore[attr-defined]
    assert (hits_first, hits_second) == (0, 1)
    assert len(server.chat_requests) == 1
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert b"secret-key" not in path.read_bytes()


def test_a_changed_article_misses(server: ChatServer, tmp_path: Path) -> None:
    server.script(ok(REPLY), ok(REPLY))
    _ask(server, tmp_path)
    _, hits = _ask(server, tmp_path, ARTICLE.replace("four", "five"))
    assert hits == 0 and len(server.chat_requests) == 2


def test_errors_are_never_cached(server: ChatServer, tmp_path: Path) -> None:
    server.script(status(400), ok(REPLY))
    with pytest.raises(ModelError):
        _ask(server, tmp_path)
    reply, hits = _ask(server, tmp_path)
    assert reply is not None and hits == 0 and len(server.chat_requests) == 2
