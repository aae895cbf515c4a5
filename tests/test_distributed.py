"""Batches on Ray Data (``summariser.distributed``, ``extract --engine ray``, ``summariser
results``) on a local Ray cluster, against test_cli's loopback ``ArticleServer``.

One cluster serves the module (``ray.init(num_cpus=4)``, no dashboard, its logs in a
folder of its own so they can be searched for the API key). What is checked: one row per
article, errors as rows, a re-run that asks only about the failed articles, an actor and
then the driver killed mid-run with nothing lost or doubled, and no API key in any output
or log. The results-folder rules and the command-line checks need no cluster.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Optional

import pyarrow.parquet as pq
import pytest
import ray
from chat_server import Behaviour, status
from ray.exceptions import RayActorError
from test_batch import article, write_articles
from test_cli import API_KEY, ArticleServer, assert_grounded, endpoint_args, subprocess_env

import summariser.distributed
from summariser.batch.distributed import _start_failure
from summariser.batch.results import open_results
from summariser.batch.rows import result_line, table_of
from summariser.cli import main
from summariser.endpoint.connection import Endpoint, connect
from summariser.endpoint.retry import RetryPolicy
from summariser.errors import ConfigurationError, ModelUnavailableError
from summariser.records import ArticleSummary

# Ray Data 2.60 warns about its own defaults whenever it builds its DataContext.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:ray.data.context")
TESTS = Path(__file__).parent
FAST = RetryPolicy(attempts=2, initial_wait_s=0.01, max_wait_s=0.05)
MAPPER_TITLE = "ray::MapWorker(MapBatches(ArticleMapper))"
RUN_TIMEOUT_S = 120


# --------------------------------------------------------------------------- helpers


class PoisonServer(ArticleServer):
    """Answers HTTP 500 (retried, then given up) to every request about a POISON article,
    echoing the request's Authorization header as careless servers do."""

    def _next(self) -> Optional[Behaviour]:
        record = getattr(self._local, "record", None)
        if record is not None and b"POISON" in record.raw:
            said = f"the model crashed on this article ({record.headers.get('authorization')})"
            return status(500, message=said)
        return super()._next()


class SlowServer(ArticleServer):
    """Answers every request after ``delay`` seconds, so a run lasts long enough to kill."""

    def __init__(self, delay: float) -> None:
        super().__init__()
        self.delay = delay

    def _next(self) -> Optional[Behaviour]:
        self._stopping.wait(self.delay)
        return super()._next()


def processes() -> dict[int, tuple[int, str]]:
    """Every process: pid -> (parent pid, command line)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, IndexError, ValueError):
            continue
        found[int(entry.name)] = (parent, command.strip())
    return found


def descendants(root: int) -> dict[int, str]:
    """The processes ``root`` started, and theirs: pid -> command line."""
    table = processes()
    found: dict[int, str] = {}
    frontier = [root]
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, command) in table.items():
            if ppid == parent and pid not in found:
                found[pid] = command
                frontier.append(pid)
    return found


def files_under(folder: Path) -> Iterator[Path]:
    return (p for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def assert_no_key_under(*folders: Path) -> None:
    for folder in folders:
        for path in files_under(folder):
            try:
                data = path.read_bytes()
            except OSError:  # a socket, or a file gone meanwhile
                continue
            assert API_KEY.encode() not in data, f"the API key is in {path}"


def endpoint(server: ArticleServer) -> Endpoint:
    return Endpoint(base_url=server.base_url, model="m", api_key=API_KEY, retry=FAST)


def derby(raw: bytes) -> set[str]:
    """Which articles (by their 'The derby drew N supporters' number) a request is about."""
    text = raw.decode("utf-8", errors="replace")
    return {part.split(" ", 1)[0] for part in text.split("The derby drew ")[1:]}


def latest(out: Path) -> list[dict[str, Any]]:
    return list(open_results(out).latest())


def assert_once_each(rows: list[dict[str, Any]]) -> None:
    hashes = [r["sha256"] for r in rows if r["sha256"]]
    assert len(hashes) == len(set(hashes)), "an article appears twice"
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), "an id appears twice"


# --------------------------------------------------------------------------- the cluster


@contextmanager
def local_ray(**env: str) -> Iterator[Path]:
    """A local Ray cluster (4 CPUs, no dashboard) in a short temporary folder, which it
    yields; summariser's cache goes to its ``summariser-cache`` subfolder, ``env`` is set
    for the workers too, and every variable is restored afterwards."""
    temp = Path(tempfile.mkdtemp(prefix="ray"))  # short: Ray's socket paths must stay short
    env = {"SUMMARISER_CACHE_DIR": str(temp / "summariser-cache"), **env}
    saved = {name: os.environ.pop(name, None) for name in ("RAY_ADDRESS", *env)}
    os.environ.update(env)
    ray.init(num_cpus=4, include_dashboard=False, _temp_dir=str(temp / "ray"))
    try:
        yield temp
    finally:
        ray.shutdown()
        for name, value in saved.items():
            os.environ.pop(name, None)
            if value is not None:
                os.environ[name] = value
        shutil.rmtree(temp, ignore_errors=True)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Path]:
    """A local Ray cluster for the module; yields the folder holding its logs. Its workers
    keep summariser's cache (mode notes) in a folder of their own."""
    with local_ray() as temp:
        yield temp


# --------------------------------------------------------------------------- on the cluster


def test_fifty_articles_give_fifty_rows_and_a_rerun_asks_only_about_the_failed(
    cluster: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    feed = tmp_path / "feed"
    write_articles(feed, 47)
    (feed / "empty.txt").write_bytes(b"")
    (feed / "chart.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10")
    (feed / "poison.txt").write_text(article(99) + "POISON\n", encoding="utf-8")
    out = tmp_path / "results"
    with PoisonServer() as server:
        first = summariser.distributed.summarise_dataset(
            [feed], out, actors=2, jobs=4, batch_size=5, endpoint=endpoint(server)
        )
        asked_first = len(server.chat_requests)
        second = summariser.distributed.summarise_dataset(
            [feed], out, actors=2, jobs=4, batch_size=5, endpoint=endpoint(server)
        )
        again = server.chat_requests[asked_first:]

    assert (first.succeeded, first.failed, first.skipped, first.articles) == (47, 3, 0, 50)
    errors = dict(first.failures)
    assert "is empty" in errors[str(feed / "empty.txt")]
    assert "looks like a PNG image" in errors[str(feed / "chart.txt")]
    assert "kept failing" in errors[str(feed / "poison.txt")]
    assert "500" in errors[str(feed / "poison.txt")]
    assert "Bearer ***" in errors[str(feed / "poison.txt")]  # the echoed key, masked
    assert all(message.startswith(str(feed)) for message in errors.values())  # names the file

    # a row Ray wrote twice (a retried write) is allowed here; `latest` drops it below
    rows = {r["sha256"] or r["id"]: r for r in open_results(out).rows_of(first.run_id)}
    assert len(rows) == 50 and {r["run_id"] for r in rows.values()} == {first.run_id}
    good = [r for r in rows.values() if r["ok"]]
    assert len(good) == 47 and all(r["error"] is None for r in good)
    summary = ArticleSummary.model_validate_json(good[0]["summary"])
    assert_grounded(summary)
    names = {a.id: a.name for a in summary.actors}
    transfers = {(names[t.supplier], names[t.recipient]) for t in summary.arms_transfers}
    assert transfers == {("Sweden", "Chile")}

    # the re-run asks only about the poisoned article (the empty and binary files fail unread)
    assert again and all(b"POISON" in r.raw for r in again), [derby(r.raw) for r in again]
    assert (second.succeeded, second.failed, second.skipped) == (0, 3, 47)

    code = main(["results", str(out)])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    lines = [json.loads(line) for line in printed.out.splitlines()]
    assert len(lines) == 50
    assert_once_each(lines)
    assert sum(line["ok"] for line in lines) == 47
    failed_runs = {line["run_id"] for line in lines if not line["ok"]}
    assert failed_runs == {second.run_id}  # the latest failure stands for the article
    assert "50 articles from 2 runs" in printed.err

    brief = tmp_path / "brief.md"
    code = main(["brief", str(out), "-o", str(brief)])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert "Sweden" in brief.read_text(encoding="utf-8")
    assert printed.err.count("its extraction failed") == 3

    assert API_KEY not in printed.out + printed.err
    assert_no_key_under(out, cluster)


def test_an_actor_killed_mid_run_loses_and_doubles_nothing(
    cluster: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    feed = tmp_path / "feed"
    write_articles(feed, 24)
    records = tmp_path / "records.jsonl"  # files and JSONL records in one run
    lines = [json.dumps({"id": f"r{n}", "text": article(n)}) + "\n" for n in range(24, 30)]
    records.write_text("".join(lines), encoding="utf-8")
    out = tmp_path / "results"
    killed: list[int] = []

    class KillingServer(ArticleServer):
        """At the 40th request (of 150), kills one of the actors with SIGKILL."""

        def _next(self) -> Optional[Behaviour]:
            with self._lock:
                now = len(self.requests) >= 40 and not killed
                if now:
                    mappers = [p for p, c in descendants(os.getpid()).items() if MAPPER_TITLE in c]
                    if mappers:
                        os.kill(mappers[0], signal.SIGKILL)
                        killed.append(mappers[0])
            return super()._next()

    with KillingServer() as server:
        code = main(
            ["extract", str(feed), str(records), "--engine", "ray", "--out", str(out),
             "--actors", "2", "--batch-size", "3", "--jobs", "2", "--out-format", "jsonl",
             *endpoint_args(server)]
        )  # fmt: skip
    printed = capsys.readouterr()
    assert killed, "no actor was killed"
    assert code == 0, printed.err
    assert "30 done, 0 already done, 0 failed" in printed.err
    assert list(out.glob("run=*/*.jsonl"))

    rows = latest(out)
    assert len(rows) == 30 and all(r["ok"] for r in rows)
    assert_once_each(rows)
    sources = {str(p) for p in feed.iterdir()} | {f"{records}:{n}" for n in range(1, 7)}
    assert sources == {r["source"] for r in rows}
    assert API_KEY not in printed.out + printed.err
    assert_no_key_under(out)


def test_a_killed_driver_is_resumed_by_running_the_same_command_again(tmp_path: Path) -> None:
    """The command line in a process of its own, with its own local Ray: killed with
    SIGKILL once it has written results, then run again to the end."""
    feed = tmp_path / "feed"
    write_articles(feed, 24)
    out = tmp_path / "results"
    temp = Path(tempfile.mkdtemp(prefix="ray"))
    env = {**subprocess_env(), "RAY_TMPDIR": str(temp), "SUMMARISER_CACHE_DIR": str(temp / "c")}
    env.pop("RAY_ADDRESS", None)
    try:
        with SlowServer(delay=0.2) as server:
            command = [
                sys.executable, "-m", "summariser.cli", "extract", str(feed), "--engine", "ray",
                "--out", str(out), "--actors", "2", "--jobs", "1", "--batch-size", "2",
                *endpoint_args(server),
            ]  # fmt: skip
            driver = subprocess.Popen(
                command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
            )
            deadline = time.monotonic() + RUN_TIMEOUT_S
            while time.monotonic() < deadline:  # until a result is readable, not just named
                assert driver.poll() is None, driver.communicate()[1].decode()
                if out.is_dir() and open_results(out).done():
                    break
                time.sleep(0.02)
            started = descendants(driver.pid)
            driver.kill()
            killed_out, killed_err = driver.communicate(timeout=30)
            for pid in started:  # Ray's agents outlive a killed driver: end those it started
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            done_before = {r["id"] for r in latest(out) if r["ok"]}
            assert 0 < len(done_before) < 24, f"not killed mid-run: {len(done_before)} done"
            asked_before = len(server.chat_requests)

            again = subprocess.run(command, env=env, capture_output=True, timeout=RUN_TIMEOUT_S)
            asked_again = server.chat_requests[asked_before:]
        assert again.returncode == 0, again.stderr.decode()
        rows = latest(out)
        assert len(rows) == 24 and all(r["ok"] for r in rows)
        assert_once_each(rows)
        numbers_done = {str(1000 + int(Path(ident).stem[1:])) for ident in done_before}
        numbers_again = set().union(*(derby(r.raw) for r in asked_again))
        assert numbers_again and not numbers_done & numbers_again  # done once, never again
        for output in (killed_out, killed_err, again.stdout, again.stderr):
            assert API_KEY.encode() not in output
        assert_no_key_under(out, temp)
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def test_a_ray_dataset_of_records_or_of_files_is_read_one_article_a_row(
    cluster: Path, tmp_path: Path
) -> None:
    records = tmp_path / "feed.jsonl"
    lines = [{"id": f"r{n}", "text": article(n)} for n in range(4)] + [{"id": "nothing"}]
    records.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    files = write_articles(tmp_path / "files", 3, start=10)
    out = tmp_path / "results"
    with ArticleServer() as server:
        by_record = summariser.distributed.summarise_dataset(
            ray.data.read_json(str(records), lines=True), out, endpoint=endpoint(server)
        )
        by_file = summariser.distributed.summarise_dataset(
            ray.data.read_binary_files(str(tmp_path / "files"), include_paths=True),
            out,
            endpoint=endpoint(server),
        )
        with pytest.raises(ConfigurationError, match=r"need 5 CPUs plus 1 .* lower --actors"):
            summariser.distributed.summarise_dataset(
                ray.data.read_json(str(records), lines=True), out, actors=16,
                endpoint=endpoint(server),
            )  # fmt: skip

    assert (by_record.succeeded, by_record.articles, by_record.skipped) == (4, None, None)
    [(ident, message)] = by_record.failures
    assert ident == "nothing" and "no text, html, bytes or path column" in message
    assert by_file.succeeded == 3 and not by_file.failures
    rows = {r["id"]: r for r in latest(out)}
    assert sorted(rows) == sorted(["nothing", "r0", "r1", "r2", "r3", *map(str, files)])
    for path in files:  # the hash the local runner gives the same file
        assert rows[str(path)]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert rows["r1"]["sha256"] == hashlib.sha256(article(1).encode()).hexdigest()


# --------------------------------------------------------------------------- no cluster


def _write_parquet(path: Path, rows: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table_of(rows), path)


def _row(ident: str, sha: Optional[str], ok: bool, run: str) -> dict[str, Any]:
    summary = json.dumps({"marker": f"{ident}@{run}"}) if ok else None
    error = None if ok else f"{ident}: failed in {run}"
    return {"id": ident, "source": ident, "sha256": sha, "ok": ok, "summary": summary,
            "error": error, "run_id": run}  # fmt: skip


def test_the_results_folder_keeps_one_row_per_article_and_skips_cut_files(tmp_path: Path) -> None:
    out = tmp_path / "results"
    _write_parquet(out / "run=1" / "a.parquet", [
        _row("a", "sha-a", False, "1"),   # fails, then succeeds in run 2
        _row("b", "sha-b", True, "1"),    # succeeds, and again in run 2 (a doubled row)
        _row("c", None, False, "1"),      # unreadable, then readable and done in run 2
        _row("d", "sha-d", False, "1"),   # fails twice: the later failure stands
    ])  # fmt: skip
    lines = [result_line(r) for r in (
        _row("a", "sha-a", True, "2"), _row("b", "sha-b", True, "2"),
        _row("c", "sha-c", True, "2"), _row("d", "sha-d", False, "2"),
    )]  # fmt: skip
    (out / "run=2").mkdir()
    (out / "run=2" / "x.jsonl").write_text("\n".join(lines) + '\n{"id": "e", "sha2', "utf-8")
    whole = out / "run=1" / "a.parquet"
    (out / "run=3").mkdir()
    (out / "run=3" / "cut.parquet").write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    (out / "notes.txt").write_text("not a run's file", encoding="utf-8")

    folder = open_results(out)
    kept = {row["id"]: row for row in folder.latest()}
    assert sorted(kept) == ["a", "b", "c", "d"]
    assert json.loads(kept["a"]["summary"]) == {"marker": "a@2"}
    assert json.loads(kept["b"]["summary"]) == {"marker": "b@1"}  # the first success
    assert kept["c"]["ok"] and kept["d"]["error"] == "d: failed in 2"
    assert folder.done() == {"sha-a", "sha-b", "sha-c"}
    assert folder.runs() == ["1", "2", "3"]
    assert any("cut.parquet: unreadable" in note for note in folder.skipped)
    assert any("x.jsonl:5: not a whole result line" in note for note in folder.skipped)

    as_parquet = tmp_path / "all.parquet"
    assert folder.write_parquet(str(as_parquet)) == 4
    assert sorted(pq.read_table(as_parquet).column("id").to_pylist()) == ["a", "b", "c", "d"]


def _one_line_error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code = main(list(argv))
    err = capsys.readouterr().err
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("summariser: error:"), err
    return lines[0]


def test_usage_errors_say_what_to_do(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = ["--base-url", "http://127.0.0.1:9/v1", "--model", "m"]
    assert "add --out DIR" in _one_line_error(capsys, "extract", "x.txt", "--engine", "ray", *url)
    line = _one_line_error(capsys, "extract", "x.txt", "--out", "r.jsonl", "--actors", "2", *url)
    assert "--actors applies to --engine ray" in line
    line = _one_line_error(capsys, "extract", "x.txt", "--threads", "2", *url)
    assert "drop --threads" in line
    line = _one_line_error(capsys, "extract", "x.txt", "--engine", "ray", "--out", "r.jsonl", *url)
    assert "give a folder" in line
    (tmp_path / "file").write_text("", encoding="utf-8")
    line = _one_line_error(
        capsys, "extract", "x.txt", "--engine", "ray", "--out", str(tmp_path / "file"), *url
    )
    assert "is a file" in line
    line = _one_line_error(capsys, "results", str(tmp_path / "nowhere"))
    assert "no such results folder" in line
    line = _one_line_error(capsys, "results", str(tmp_path), "--format", "parquet")
    assert "add -o results.parquet" in line


def test_without_ray_the_command_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` fails as if not installed
    monkeypatch.delitem(sys.modules, "summariser.batch.distributed")
    url = ["--base-url", "http://127.0.0.1:9/v1", "--model", "m"]
    line = _one_line_error(capsys, "extract", "x.txt", "--engine", "ray", "--out", "r/", *url)
    assert "pip install 'summariser[ray]'" in line


def test_the_embedded_server_runs_with_the_threads_it_is_given(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Prompt and generation threads alike (llama_cpp.server would take every core for
    prompts); a stand-in server with the real command line, no model."""
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join(filter(None, [str(TESTS), os.environ.get("PYTHONPATH")]))
    )
    monkeypatch.setenv("SUMMARISER_CACHE_DIR", str(tmp_path / "cache"))
    model = tmp_path / "standin.gguf"
    model.write_bytes(b"GGUF")
    monkeypatch.setenv("SUMMARISER_MODEL_PATH", str(model))
    with connect(Endpoint(threads=1)) as conn:
        assert conn.server is not None
        conn.server.module = "standin_llama_server"
        conn.server.start()
        pid = next(p for p, c in descendants(os.getpid()).items() if "standin_llama_server" in c)
        argv = (Path("/proc") / str(pid) / "cmdline").read_bytes().split(b"\0")
    assert argv[argv.index(b"--n_threads") + 1] == b"1"
    assert argv[argv.index(b"--n_threads_batch") + 1] == b"1"


def test_actors_that_cannot_start_give_the_error_their_start_raised() -> None:
    """Ray hands the driver an actor's failed ``__init__`` as the text of a traceback."""
    told = "\n".join(
        [
            "The actor died because of an error raised in its creation task, "
            "\x1b[36mray::MapWorker(MapBatches(ArticleMapper)).__init__()\x1b[39m",
            '  File "summariser/endpoint/embedded.py", line 107, in model_path',
            "summariser.errors.ModelUnavailableError: SUMMARISER_MODEL_PATH=/x.gguf is not a "
            "file; point it at a .gguf model",
        ]
    )
    error = _start_failure(RayActorError(error_msg=told, actor_init_failed=True))
    assert isinstance(error, ModelUnavailableError)
    assert str(error).startswith("SUMMARISER_MODEL_PATH=/x.gguf is not a file")
    other = _start_failure(RayActorError(error_msg="OSError: disk full", actor_init_failed=True))
    assert isinstance(other, ConfigurationError)
    assert "the Ray actors could not start (OSError: disk full)" in str(other)


def test_the_distributed_surface() -> None:
    assert sorted(summariser.distributed.__all__) == [
        "ResultsFolder", "RunReport", "open_results", "summarise_dataset",
    ]  # fmt: skip
    assert "summarise_dataset" not in summariser.__all__  # `import summariser` needs no Ray
