"""The embedded model server listens on 127.0.0.1 only and dies with the process that
started it: on normal exit, on SIGTERM and on SIGKILL (where no Python code runs).

The fast tests start :class:`EmbeddedServer` with a stand-in server module
(``standin_llama_server``, no model) inside a real child process; the ``model`` test does
the same with the real llama.cpp server and the embedded model.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Optional

import httpx
import pytest

from summariser.endpoint.embedded import (
    MAX_CRASHES,
    PENDING_BASE_URL,
    SERVER_MODULE,
    EmbeddedServer,
    StartOnDemand,
)
from summariser.endpoint.retry import RetryingTransport, RetryPolicy
from summariser.errors import ModelUnavailableError

TESTS = Path(__file__).parent
STANDIN = "standin_llama_server"
WAIT_S = 10.0

# The parent: start the server, print its pid and port, then end as the test asks.
PARENT = textwrap.dedent(
    """
    import os, signal, sys, time
    from pathlib import Path
    from summariser.endpoint.embedded import EmbeddedServer
    server = EmbeddedServer(Path(sys.argv[1]) if sys.argv[1] != "-" else None, threads=1)
    server.module = sys.argv[2]
    server.start()
    print(server._process.pid, server.port, flush=True)
    if sys.argv[3] == "exit":
        sys.stdin.readline()  # the test has seen the server up; now exit normally
        sys.exit(0)
    time.sleep(600)
    """
)


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a socket in LISTEN state on ``port`` (from /proc/net/tcp{,6})."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, port_hex = fields[1].rsplit(":", 1)
            if int(port_hex, 16) == port and fields[3] == "0A":  # 0A: TCP_LISTEN
                found.add(_address(address))
    return found


def _address(hex_address: str) -> str:
    if len(hex_address) == 8:  # IPv4, little-endian
        return ".".join(str(int(hex_address[i : i + 2], 16)) for i in (6, 4, 2, 0))
    return hex_address  # IPv6: reported raw; loopback-only servers never show one


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")  # a zombie has stopped; only its exit status is left


def wait_gone(pid: int) -> bool:
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.05)
    return False


def start_parent(
    model: Optional[Path], module: str, ending: str
) -> tuple[subprocess.Popen[str], int, int]:
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, str(model) if model else "-", module, ending],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert parent.stdout is not None
    line = parent.stdout.readline()
    assert line, "the parent process did not start the server"
    pid, port = (int(field) for field in line.split())
    return parent, pid, port


def end(parent: subprocess.Popen[str]) -> None:
    parent.kill()
    parent.wait(timeout=WAIT_S)
    for stream in (parent.stdin, parent.stdout):
        if stream is not None:
            stream.close()


@pytest.fixture
def fake_model(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A model file for the stand-in; server processes find the stand-in module, and their
    logs go to the test's folder."""
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join(filter(None, [str(TESTS), os.environ.get("PYTHONPATH")]))
    )
    monkeypatch.setenv("SUMMARISER_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "standin.gguf"
    path.write_bytes(b"GGUF")
    return path


def test_the_server_listens_on_loopback_only(fake_model: Path) -> None:
    server = EmbeddedServer(fake_model, threads=1)
    server.module = STANDIN
    with server:
        assert listening_addresses(server.port) == {"127.0.0.1"}
        assert httpx.get(f"{server.base_url}/models").status_code == 200
        pid = server._process.pid if server._process else 0
    assert wait_gone(pid)


@pytest.mark.parametrize("ending", ["exit", "SIGTERM", "SIGKILL"])
def test_the_server_dies_with_the_process_that_started_it(fake_model: Path, ending: str) -> None:
    parent, pid, port = start_parent(fake_model, STANDIN, ending)
    try:
        assert alive(pid) and listening_addresses(port) == {"127.0.0.1"}
        if ending == "exit":
            assert parent.stdin is not None
            parent.stdin.write("\n")
            parent.stdin.flush()
        else:
            parent.send_signal(getattr(signal, ending))  # SIGKILL: no atexit, no finally
        parent.wait(timeout=WAIT_S)
        assert wait_gone(pid), f"the server (pid {pid}) outlived its parent ({ending})"
        assert listening_addresses(port) == set()
    finally:
        end(parent)
        if alive(pid):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.model
def test_the_real_model_server_listens_on_loopback_only_and_dies_with_a_killed_parent() -> None:
    parent, pid, port = start_parent(None, SERVER_MODULE, "SIGKILL")
    try:
        assert listening_addresses(port) == {"127.0.0.1"}
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=WAIT_S)
        assert wait_gone(pid), f"the model server (pid {pid}) outlived its killed parent"
    finally:
        end(parent)
        if alive(pid):
            os.kill(pid, signal.SIGKILL)


def chat(server: EmbeddedServer) -> httpx.Response:
    """One chat request the way the library sends it: retried, starting the server on demand."""
    transport = RetryingTransport(
        RetryPolicy(attempts=5, initial_wait_s=0.01, max_wait_s=0.05), StartOnDemand(server)
    )
    with httpx.Client(transport=transport, base_url=PENDING_BASE_URL) as client:
        return client.post("/chat/completions", json={"model": "m", "messages": []})


def crashing_standin(model: Path, monkeypatch: pytest.MonkeyPatch, crashes: int) -> EmbeddedServer:
    """The stand-in server, dying with SIGSEGV on each of its first ``crashes`` chat requests."""
    monkeypatch.setenv("STANDIN_CRASHES", str(crashes))
    server = EmbeddedServer(model, threads=1)
    server.module = STANDIN
    return server


def test_a_server_that_dies_while_answering_is_started_again(
    fake_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = crashing_standin(fake_model, monkeypatch, 1)
    with server:
        first_pid = server._process.pid if server._process else 0
        response = chat(server)
        assert response.status_code == 200, response.text
        assert response.json()["choices"][0]["message"]["content"] == "ok"
        assert server.crashes == 1 and server.running
        assert server._process is not None and server._process.pid != first_pid
    log = (Path(os.environ["SUMMARISER_CACHE_DIR"]) / "llama-server.log").read_text()
    assert "standin: crash 1" in log  # the crash's log was kept, not overwritten


def test_a_server_that_keeps_dying_gives_a_clear_error(
    fake_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = crashing_standin(fake_model, monkeypatch, 99)
    with server, pytest.raises(ModelUnavailableError) as raised:
        chat(server)
    message = str(raised.value)
    assert f"died {MAX_CRASHES} times" in message and "SIGSEGV" in message
    assert "standin: crash 2" in message  # the end of the log, where the cause would be
    assert "--base-url" in message
    assert server.crashes == MAX_CRASHES and not server.running


def test_a_server_started_by_a_thread_that_ends_lives_on(fake_model: Path) -> None:
    """Linux kills a child when the *thread* that forked it ends (PR_SET_PDEATHSIG): the
    first call of an article's fan-out, on a worker thread, must not take the server with
    it when that thread is done."""
    server = EmbeddedServer(fake_model, threads=1)
    server.module = STANDIN
    try:
        worker = threading.Thread(target=server.start)
        worker.start()
        worker.join(timeout=WAIT_S * 3)
        assert server._process is not None
        pid = server._process.pid
        time.sleep(1.0)  # the kernel's signal, had it been sent, has arrived by now
        assert alive(pid) and server.running
        assert chat(server).status_code == 200 and server.crashes == 0
    finally:
        server.stop()
