"""The on-disk response cache, against the real loopback chat server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from chat_server import ChatServer, ok, status

from summariser.endpoint.connection import Endpoint, connect
from summariser.endpoint.retry import RetryPolicy
from summariser.errors import ModelError
from summariser.extract.drafts import PassOutput
from summariser.extract.passes import run_task
from summariser.extract.prompting import TRANSFERS
from summariser.ingest.sentences import split_sentences

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
    server.script(status(401), ok(REPLY))
    with pytest.raises(ModelError):
        _ask(server, tmp_path)
    reply, hits = _ask(server, tmp_path)
    assert reply is not None and hits == 0 and len(server.chat_requests) == 2


class _StandInServer:
    """Takes the embedded server's place: 'starting' it points at the loopback server."""

    starts = 0

    def __init__(self, path: Path, port: int) -> None:
        self.path, self.port, self.model_name = path, 0, "stand-in"
        self._port = port

    def start(self) -> _StandInServer:
        if not self.port:
            type(self).starts += 1
            self.port = self._port
        return self

    def stop(self) -> None:
        self.port = 0


def test_embedded_server_starts_only_when_the_cache_cannot_answer(
    server: ChatServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import summariser.endpoint.connection as endpoint_module

    model_file = tmp_path / "model.gguf"
    monkeypatch.setattr(endpoint_module, "model_path", lambda: model_file)
    monkeypatch.setattr(
        endpoint_module, "EmbeddedServer", lambda path: _StandInServer(path, server.port)
    )
    server.script(ok(REPLY))

    def ask() -> tuple[object, int]:
        endpoint = Endpoint(cache_dir=tmp_path / "cache", retry=RetryPolicy(attempts=1))
        with connect(endpoint) as conn:
            assert conn.endpoint_kind == "embedded"
            sentences = split_sentences(ARTICLE)
            reply = run_task(conn, TRANSFERS, sentences, [sentences[0]], out=PassOutput())
            return reply, conn.cache_hits

    first, hits_first = ask()
    assert (_StandInServer.starts, hits_first, len(server.requests)) == (1, 0, 1)
    second, hits_second = ask()  # answered from disk: nothing starts, nothing is sent
    assert (_StandInServer.starts, hits_second, len(server.requests)) == (1, 1, 1)
    assert first is not None and second is not None
    assert first.model_dump() == second.model_dump()  # type: ignore[attr-defined]


def test_server_that_cannot_start_surfaces_its_own_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import summariser.endpoint.connection as endpoint_module
    from summariser.errors import ModelUnavailableError

    class Broken(_StandInServer):
        def start(self) -> Broken:
            raise ModelUnavailableError("llama-cpp-python is not installed; run: pip install x")

    monkeypatch.setattr(endpoint_module, "model_path", lambda: tmp_path / "model.gguf")
    monkeypatch.setattr(endpoint_module, "EmbeddedServer", lambda path: Broken(path, 1))
    with connect(Endpoint(retry=RetryPolicy(attempts=1))) as conn:
        sentences = split_sentences(ARTICLE)
        with pytest.raises(ModelUnavailableError, match="not installed"):
            run_task(conn, TRANSFERS, sentences, [sentences[0]], out=PassOutput())
