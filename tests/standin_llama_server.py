"""A stand-in for ``llama_cpp.server`` (run as ``python -m standin_llama_server``): takes the
same command line, binds the ``--host``/``--port`` it is given and answers ``GET /v1/models``,
in a fraction of a second and without a model. test_embedded_server starts it through
:class:`summariser.embedded.EmbeddedServer` to check where the server listens and that it
dies with its parent."""

from __future__ import annotations

import argparse
import json
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--model", required=True)
    args, _ = parser.parse_known_args()  # --n_ctx, --n_threads, ... as llama_cpp.server takes
    HTTPServer((args.host, args.port), _Models).serve_forever()


if __name__ == "__main__":
    main()
