"""A stand-in for ``llama_cpp.server`` (run as ``python -m standin_llama_server``): takes the
same command line, binds the ``--host``/``--port`` it is given and answers ``GET /v1/models``,
in a fraction of a second and without a model. test_embedded_server starts it through
:class:`summariser.endpoint.embedded.EmbeddedServer` to check where the server listens, that it
dies with its parent, and what happens when it dies while answering: with
``STANDIN_CRASHES=N`` in its environment, each of the first N chat requests (counted in a
file beside the model) kills the server with SIGSEGV, as a crash inside llama.cpp would;
later ones get a one-word chat completion."""

from __future__ import annotations

import argparse
import json
import os
import signal
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any


class _Models(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        body = json.dumps({"object": "list", "data": [{"id": "standin", "object": "model"}]})
        self.send_response(200 if self.path.rstrip("/") == "/v1/models" else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body.encode())

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        counter = f"{MODEL}.crashes"
        crashed = int(open(counter).read()) if os.path.exists(counter) else 0
        if crashed < int(os.environ.get("STANDIN_CRASHES", "0")):
            with open(counter, "w") as file:
                file.write(str(crashed + 1))
            print(f"standin: crash {crashed + 1}", flush=True)
            os.kill(os.getpid(), signal.SIGSEGV)
        message = {"role": "assistant", "content": "ok"}
        body = json.dumps(
            {
                "id": "standin", "object": "chat.completion", "created": 0, "model": "standin",
                "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
            }
        )  # fmt: skip
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body.encode())


MODEL = ""


def main() -> None:
    global MODEL
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--model", required=True)
    args, _ = parser.parse_known_args()  # --n_ctx, --n_threads, ... as llama_cpp.server takes
    MODEL = args.model
    HTTPServer((args.host, args.port), _Models).serve_forever()


if __name__ == "__main__":
    main()
