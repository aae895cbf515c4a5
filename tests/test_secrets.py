"""Secrets: the API key never leaves the Authorization header.

Every command is run with a key against a real loopback server, with every logger at
DEBUG (what a user turns on to debug a failing endpoint); then every byte the tool wrote
(results JSONL, single-article JSON and Markdown, eval reports, the response cache's
SQLite files, a briefing), everything it printed and everything it logged is searched
for the key. A server that echoes the key back in an error message is masked too.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Optional

import openai
import pytest
from chat_server import Behaviour, status
from test_cli import API_KEY, CHILE, ENV_VARS, KENYA, ArticleServer, run_cli
from test_evaluation import CHILE_GOLD, KENYA_GOLD

from summariser import Endpoint, SummariserError, connect, evaluate, summarise, summarise_many
from summariser.endpoint.connection import redact_url, secrets_of, wrap
from summariser.records import ArticleSummary


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SUMMARISER_CACHE_DIR", str(tmp_path / "user-cache"))


@pytest.fixture
def server() -> Iterator[ArticleServer]:
    with ArticleServer() as srv:
        yield srv


def _files_holding(folder: Path, secret: str) -> list[Path]:
    needle = secret.encode()
    return [p for p in folder.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_the_key_is_sent_but_never_written_printed_or_logged(
    server: ArticleServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger: openai, httpx, httpcore, instructor
    feed = tmp_path / "feed"
    feed.mkdir()
    (feed / "01_chile.txt").write_text(CHILE, encoding="utf-8")
    (feed / "01_chile.json").write_text(json.dumps(CHILE_GOLD), encoding="utf-8")
    (feed / "02_kenya.txt").write_text(KENYA, encoding="utf-8")
    (feed / "02_kenya.json").write_text(json.dumps(KENYA_GOLD), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    endpoint = ["--base-url", server.base_url, "--model", "m"]
    runs = [
        ("extract", str(feed / "01_chile.txt"), "-o", str(out / "chile.json")),
        ("extract", str(feed / "02_kenya.txt"), "--format", "markdown", "-o", str(out / "k.md")),
        ("extract", str(feed / "01_chile.txt"), str(feed / "02_kenya.txt"),
         "--out", str(out / "results.jsonl"), "--jobs", "2"),
        ("eval", str(feed), "--out-dir", str(out / "reports"), "--cache-dir", str(out / "cache")),
        ("eval", str(feed), "--out-dir", str(out / "reports"), "--cache-dir", str(out / "cache")),
        ("brief", str(out / "results.jsonl"), "-o", str(out / "brief.html")),
    ]  # fmt: skip
    printed = []
    for n, argv in enumerate(runs):
        if n % 2:  # the key by flag and by environment variable, in turn
            monkeypatch.setenv("SUMMARISER_API_KEY", API_KEY)
            code, stdout, stderr = run_cli(capsys, *argv, *endpoint)
            monkeypatch.delenv("SUMMARISER_API_KEY")
        else:
            code, stdout, stderr = run_cli(capsys, *argv, *endpoint, "--api-key", API_KEY)
        assert code == 0, stderr
        printed.append(stdout + stderr)

    # the key was really in play: every request carried it, and the tool wrote and logged
    assert server.chat_requests
    assert all(r.headers["authorization"] == f"Bearer {API_KEY}" for r in server.chat_requests)
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert {"chile.json", "k.md", "results.jsonl", "brief.html"} <= set(written)
    assert any(name.startswith("reports/") for name in written)
    assert any(name.startswith("cache/") and name.endswith(".db") for name in written)
    assert any(r.name.startswith(("httpx", "openai")) for r in caplog.records)

    assert _files_holding(tmp_path, API_KEY) == []
    assert not any(API_KEY in text for text in printed)
    assert API_KEY not in caplog.text
    summary = ArticleSummary.model_validate_json((out / "chile.json").read_text(encoding="utf-8"))
    assert summary.provenance.base_url == server.base_url.rstrip("/")


class EchoingServer(ArticleServer):
    """Refuses every request with a message that quotes the key it was sent (as some
    proxies do), so an error message carried verbatim would leak it."""

    def _next(self) -> Optional[Behaviour]:
        record = getattr(self._local, "record", None)
        sent = record.headers.get("authorization", "") if record is not None else ""
        return status(401, message=f"Incorrect API key provided: {sent.removeprefix('Bearer ')}")


def test_a_key_echoed_back_in_an_error_is_masked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "chile.txt"
    article.write_text(CHILE, encoding="utf-8")
    results = tmp_path / "results.jsonl"
    with EchoingServer() as server:
        endpoint = ["--base-url", server.base_url, "--model", "m", "--api-key", API_KEY]
        one = run_cli(capsys, "extract", str(article), *endpoint)
        many = run_cli(capsys, "extract", str(article), "--out", str(results), *endpoint)
        assert server.chat_requests
    for code, stdout, stderr in (one, many):
        assert code == 1
        assert "Incorrect API key provided: ***" in stderr  # the message, minus the key
        assert API_KEY not in stdout + stderr
    [line] = results.read_text(encoding="utf-8").splitlines()
    assert "HTTP 401" in line and API_KEY not in line


def test_credentials_in_the_base_url_are_secrets_and_never_shown() -> None:
    url = "https://analyst:pa55-w0rd-xyz@llm.example.org/v1?api-key=q-secret-123&region=eu"
    client = openai.OpenAI(base_url=url, api_key=API_KEY)
    assert set(secrets_of(client)) == {API_KEY, "pa55-w0rd-xyz", "q-secret-123"}
    shown = redact_url(url)
    assert shown == "https://llm.example.org/v1"
    conn = wrap(client, model="m")
    assert conn.base_url == shown
    assert conn.redact(f"bad key {API_KEY} for {url}") == (
        "bad key *** for https://analyst:***@llm.example.org/v1?api-key=***&region=eu"
    )
    assert API_KEY not in repr(conn)
    assert secrets_of(openai.OpenAI(base_url="http://localhost:8080/v1", api_key="x")) == ()


@pytest.fixture
def instructor_logging_as_found() -> Iterator[None]:
    """instructor's logger as a fresh process has it (nothing set), restored afterwards:
    earlier tests in the session (or the CLI) may have quietened it already."""
    logger = logging.getLogger("instructor")
    level = logger.level
    logger.setLevel(logging.NOTSET)
    try:
        yield
    finally:
        logger.setLevel(level)


@pytest.mark.parametrize("entry", ["summarise", "summarise_many", "evaluate"])
@pytest.mark.usefixtures("instructor_logging_as_found")
def test_python_entry_points_log_no_key_a_server_echoes(
    entry: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """From Python (no CLI to quieten it), instructor would log each refused call with the
    server's words at ERROR: here they quote the key. Nothing logged may hold it."""
    caplog.set_level(logging.DEBUG)  # every logger, as a user debugging an endpoint would
    feed = tmp_path / "feed"
    feed.mkdir()
    (feed / "01_chile.txt").write_text(CHILE, encoding="utf-8")
    (feed / "01_chile.json").write_text(json.dumps(CHILE_GOLD), encoding="utf-8")
    with EchoingServer() as server:
        options = {"base_url": server.base_url, "model": "m", "api_key": API_KEY}
        if entry == "summarise":
            with connect(Endpoint(**options)) as conn, pytest.raises(SummariserError) as caught:
                summarise(CHILE, client=conn)
            errors = [str(caught.value)]
        elif entry == "summarise_many":
            errors = [o.error or "" for o in summarise_many([feed], **options)]
        else:
            errors = [run.error or "" for run in evaluate(feed, **options).article_runs]
        assert server.chat_requests  # the key was sent and refused
    assert errors and all("Incorrect API key provided: ***" in e for e in errors)
    assert any(r.name.startswith(("httpx", "openai")) for r in caplog.records)  # logging is on
    assert API_KEY not in caplog.text
