"""A user's own llama-cpp-python server, started as its documentation says, on the embedded
model's file: ``summarise`` with a base URL and no structured-output flag must find the one
shape this server turns into a grammar, after exactly one refused request.

This is the real server, not the loopback stand-in: it answers ``type: json_schema`` with
HTTP 500 "Input should be 'text' or 'json_object'" (tests/test_modes.py replays that body).
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from test_cli import CHILE

from summariser import summarise
from summariser.endpoint.connection import Endpoint, connect
from summariser.endpoint.embedded import CONTEXT_TOKENS, model_path
from summariser.endpoint.modes import StructuredOutput

pytestmark = pytest.mark.model

STARTUP_S = 180.0


def _free_port() -> int:
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# llama-cpp-python's own server; kept off llama.cpp's AMX kernels, which crash on the VMs
# seen here (a no-op on other builds), as the embedded server is
STOCK_SERVER = (
    "from summariser.endpoint.llama_serve import avoid_amx; avoid_amx(); "
    "from llama_cpp.server.__main__ import main; main()"
)


@pytest.fixture(scope="module")
def llama_cpp_python_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    log = tmp_path_factory.mktemp("server") / "server.log"
    command = [
        sys.executable, "-c", STOCK_SERVER,
        "--model", str(model_path()),
        "--host", "127.0.0.1", "--port", str(port),
        "--n_ctx", str(CONTEXT_TOKENS),  # its default, 2048, is shorter than our prompts
    ]  # fmt: skip
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + STARTUP_S
        while time.monotonic() < deadline:
            assert process.poll() is None, Path(log).read_text(errors="replace")[-2000:]
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base_url}/models", timeout=2.0).status_code == 200:
                    break
            time.sleep(0.5)
        else:
            pytest.fail(f"llama_cpp.server did not start in {STARTUP_S:.0f} s")
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def test_llama_cpp_python_server_needs_no_structured_flag(
    llama_cpp_python_server: str, tmp_path: Path
) -> None:
    endpoint = Endpoint(
        base_url=llama_cpp_python_server, model="local", mode_notes=tmp_path / "modes.json"
    )
    with connect(endpoint) as conn:
        result = summarise(CHILE, client=conn)
        assert conn.detection.refused == [(StructuredOutput.json_schema, 500)]
        assert conn.structured is StructuredOutput.llama_grammar
        assert conn.retries == 0  # the refusal was not retried
        assert conn.meter.attempts == conn.meter.llm_calls + 1  # one refused request
    assert result.provenance.structured == "llama-grammar"
    assert result.provenance.endpoint == "openai-compatible"
    transfers = [(t.supplier, t.recipient) for t in result.arms_transfers]
    assert ("sweden", "chile") in transfers, result.arms_transfers
