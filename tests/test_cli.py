"""Tests for the command line, end to end against a real loopback chat server.

``summariser extract`` runs the whole pipeline (ingest, sentences, every model pass,
assembly, rendering) against :class:`ArticleServer`, a ``tests/chat_server.py`` server
that answers each request from its body rather than from a fixed queue: the task line
('Task overview' / 'Task transfers' / 'Task claims') says which pass is asking, the last
line of a transfers prompt says which sentence, and the claims schema's ``sentence_N``
properties say which sentences need a slot. Articles are written for these tests.

Most tests call ``summariser.cli.main`` in-process; two run ``python -m summariser.cli``
as a real subprocess (standard input, and errors without a traceback).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Optional, cast

import pytest
from chat_server import Behaviour, ChatServer, Recorded, ok, status

from summariser.cli import main
from summariser.records import ArticleSummary

API_KEY = "sk-cli-test-5d1e0a77c4b2"
ENV_VARS = (
    "SUMMARISER_BASE_URL",
    "SUMMARISER_API_KEY",
    "SUMMARISER_MODEL",
    "SUMMARISER_STRUCTURED",
    "OPENAI_API_KEY",
)
SUBPROCESS_TIMEOUT_S = 120

CHILE = "\n".join(
    [
        "Chile Orders Coastal Radars From Sweden",
        "",
        "Chile signed a contract with Sweden for six coastal radars, the Chilean navy said "
        "on Friday.",
        "",
        "The radars will be delivered in 2026, according to the Swedish manufacturer.",
        "",
        "Football fans filled the stadium in Santiago for the weekend derby.",
        "",
    ]
)
KENYA = "\n".join(
    [
        "Kenya Takes Delivery of Armoured Vehicles",
        "",
        "Kenya received 30 armoured vehicles from Turkey last week, officials in Nairobi said.",
        "",
        "Heavy rain kept the crowds away from the parade in the capital.",
        "",
    ]
)

# What the fake model "reads" in each article, written flat; ArticleServer shapes it into
# whatever schema the request carries (a flat list of transfers, or deals holding items).
# Keys are exact substrings of the sentence asked about.
ACTORS = [
    {"name": "Chile", "type": "state", "country": "Chile"},
    {"name": "Sweden", "type": "state", "country": "Sweden"},
    {"name": "Kenya", "type": "state", "country": "Kenya"},
    {"name": "Turkey", "type": "state", "country": "Turkey"},
]
TRANSFERS: dict[str, list[dict[str, Any]]] = {
    "signed a contract with Sweden": [
        {
            "weapon": "coastal radars",
            "quantity": "six",
            "category": "sensor",
            "supplier": "Sweden",
            "recipient": "Chile",
            "status": "agreed",
        }
    ],
    "will be delivered in 2026": [
        {
            "weapon": "radars",
            "quantity": None,
            "category": "sensor",
            "supplier": "Sweden",
            "recipient": "Chile",
            "status": "agreed",
        }
    ],
    "received 30 armoured vehicles": [
        {
            "weapon": "armoured vehicles",
            "quantity": "30",
            "category": "armoured_vehicle",
            "supplier": "Turkey",
            "recipient": "Kenya",
            "status": "delivered",
        }
    ],
}
CLAIMS: dict[str, dict[str, Any]] = {
    "the Chilean navy said": {"source": "Chile", "type": "assertion", "factuality": "certain"},
    "according to the Swedish": {"source": None, "type": "forecast", "factuality": "probable"},
    "officials in Nairobi said": {"source": "Kenya", "type": "assertion", "factuality": "certain"},
}

_TASK = re.compile(r"^Task (\w+):", re.MULTILINE)
_NUMBERED = re.compile(r"^\[(\d+)\] (.*)$", re.MULTILINE)


def _schema_of(body: dict[str, Any]) -> dict[str, Any]:
    """The JSON schema a request asks the reply to follow: in ``response_format``
    (json-schema, llama-grammar) or, in plain JSON mode, in the system message."""
    fmt = body["response_format"]
    if "json_schema" in fmt:
        return cast(dict[str, Any], fmt["json_schema"]["schema"])
    if "schema" in fmt:
        return cast(dict[str, Any], fmt["schema"])
    system = next(m["content"] for m in body["messages"] if m["role"] == "system")
    text = system.split("json_schema:", 1)[1].split("Make sure to return", 1)[0]
    return cast(dict[str, Any], json.loads(text))


def _resolve(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """Follow $ref and drop the null branch of Optional[...]."""
    if "$ref" in node:
        return _resolve(defs[node["$ref"].rsplit("/", 1)[-1]], defs)
    if "anyOf" in node:
        branches = [b for b in node["anyOf"] if b.get("type") != "null"]
        if len(branches) == 1:
            return _resolve(branches[0], defs)
    return node


def _nullable(node: dict[str, Any]) -> bool:
    return any(b.get("type") == "null" for b in node.get("anyOf", []))


def _is_object_list(node: dict[str, Any], defs: dict[str, Any]) -> bool:
    return node.get("type") == "array" and "properties" in _resolve(node.get("items", {}), defs)


def _fill(schema: dict[str, Any], defs: dict[str, Any], rows: list[dict[str, Any]]) -> Any:
    """An object of ``schema`` built from flat ``rows`` that share its scalar fields.

    A list-of-objects property gets one element per distinct combination of that
    element's scalar fields, so flat rows fit both ``{"transfers": [item, ...]}`` and
    ``{"deals": [{"items": [...], "supplier": ..., ...}]}``.
    """
    out: dict[str, Any] = {}
    for name, raw in schema["properties"].items():
        node = _resolve(raw, defs)
        if _is_object_list(node, defs):
            element = _resolve(node["items"], defs)
            keys = [k for k, v in element["properties"].items()
                    if not _is_object_list(_resolve(v, defs), defs)]  # fmt: skip
            groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
            for row in rows:
                groups.setdefault(tuple(json.dumps(row.get(k)) for k in keys), []).append(row)
            values = [_fill(element, defs, group) for group in groups.values()]
            if not values and node.get("minItems", 0) > 0:
                values = [_fill(element, defs, [])]  # e.g. a deal with no items
            out[name] = values
        elif rows and name in rows[0]:
            out[name] = rows[0][name]
        elif _nullable(raw):
            out[name] = None
        elif "enum" in node:
            out[name] = "unknown" if "unknown" in node["enum"] else node["enum"][0]
        else:
            out[name] = {"string": "", "array": [], "integer": 0, "boolean": False}.get(
                node.get("type", "string"), None
            )
    return out


class ArticleServer(ChatServer):
    """A :class:`ChatServer` that answers every chat request from what the request asks."""

    def __init__(self) -> None:
        super().__init__()
        self._local = threading.local()
        self.tasks: list[str] = []

    def _record(self, record: Recorded) -> None:
        super()._record(record)
        self._local.record = record  # _next runs next, on the same handler thread

    def _next(self) -> Optional[Behaviour]:
        record: Optional[Recorded] = getattr(self._local, "record", None)
        try:
            reply = self._reply(record.body if record else None)
        except (KeyError, IndexError, TypeError, ValueError) as error:
            return status(400, message=f"fake model cannot answer: {error!r}")
        return ok(json.dumps(reply))

    def _reply(self, body: Any) -> Any:
        # the first user message is the task; later ones would be instructor's re-asks
        prompt: str = next(m["content"] for m in body["messages"] if m["role"] == "user")
        [task] = _TASK.findall(prompt)
        with self._lock:
            self.tasks.append(task)
        schema = _schema_of(body)
        defs = schema.get("$defs", {})
        if task == "overview":
            return _fill(schema, defs, [a for a in ACTORS if a["name"] in prompt])
        if task == "transfers":
            asked = _NUMBERED.findall(prompt.rstrip("\n").rsplit("\n", 1)[-1])[0][1]
            rows = [row for key, found in TRANSFERS.items() if key in asked for row in found]
            return _fill(schema, defs, rows)
        if task == "claims":
            numbered = {int(n): text for n, text in _NUMBERED.findall(prompt)}
            reply: dict[str, Any] = {}
            for slot, raw in schema["properties"].items():
                text = numbered[int(slot.rsplit("_", 1)[-1])]
                claim = next((c for key, c in CLAIMS.items() if key in text), None)
                reply[slot] = None if claim is None else _fill(_resolve(raw, defs), defs, [claim])
            return reply
        raise ValueError(f"unknown task {task!r}")


# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def server() -> Iterator[ArticleServer]:
    srv = ArticleServer()
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def chile(tmp_path: Path) -> Path:
    path = tmp_path / "chile.txt"
    path.write_text(CHILE, encoding="utf-8")
    return path


@pytest.fixture
def kenya(tmp_path: Path) -> Path:
    path = tmp_path / "kenya.txt"
    path.write_text(KENYA, encoding="utf-8")
    return path


def endpoint_args(server: ChatServer) -> list[str]:
    return ["--base-url", server.base_url, "--model", "m", "--api-key", API_KEY]


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def subprocess_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ENV_VARS}
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def run_module(*argv: str, stdin: Optional[bytes] = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "summariser.cli", *argv],
        input=stdin,
        capture_output=True,
        env=subprocess_env(),
        timeout=SUBPROCESS_TIMEOUT_S,
        check=False,
    )


def assert_grounded(summary: ArticleSummary) -> None:
    records = [*summary.actors, *summary.arms_transfers, *summary.claims]
    for record in records:
        for ev in record.evidence:
            assert summary.text[ev.start : ev.end] == ev.quote


def assert_no_secret(*outputs: str) -> None:
    for output in outputs:
        assert API_KEY not in output


def assert_one_line_error(err: str, *must_contain: str) -> None:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got: {err!r}"
    assert lines[0].startswith("summariser:")
    for needle in must_contain:
        assert needle in lines[0], f"{needle!r} missing from {lines[0]!r}"


# --------------------------------------------------------------------------- the fake itself


def test_fake_model_walks_the_passes_in_order(
    server: ArticleServer, chile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ("extract", str(chile), *endpoint_args(server))
    code, in_order_out, err = run_cli(capsys, *args, "--parallel-calls", "1")
    assert code == 0, err
    # headline + two body sentences name radars; one claims call covers both said-sentences;
    # the long replies (overview, claims) start first
    assert server.tasks == ["overview", "claims", "transfers", "transfers", "transfers"]
    one_at_a_time = [r.raw for r in server.chat_requests]
    code, parallel_out, err = run_cli(capsys, *args)  # default: 8 calls in flight at once
    assert code == 0, err
    later = [r.raw for r in server.chat_requests[len(one_at_a_time) :]]
    assert sorted(later) == sorted(one_at_a_time)  # the same requests, in whatever order
    records = [json.loads(out) for out in (in_order_out, parallel_out)]
    for record in records:
        del record["provenance"]  # timings differ
    assert records[0] == records[1]  # and the same records: merged in plan order
    assert server.exhausted == 0
    assert all(r.behaviour == "ok" for r in server.chat_requests)
    assert all(r.headers["authorization"] == f"Bearer {API_KEY}" for r in server.chat_requests)
    assert all(r.body["model"] == "m" for r in server.chat_requests)


# --------------------------------------------------------------------------- JSON output


def test_extract_one_file_prints_one_valid_summary(
    server: ArticleServer, chile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(
        capsys, "extract", str(chile), "--format", "json", *endpoint_args(server)
    )
    assert code == 0, err
    assert err == ""
    data = json.loads(out)
    assert isinstance(data, dict)
    summary = ArticleSummary.model_validate(data)
    assert_grounded(summary)
    assert summary.title == "Chile Orders Coastal Radars From Sweden"
    assert summary.source == str(chile)

    usage = summary.provenance.usage
    assert usage.llm_calls == len(server.chat_requests) == 5
    assert usage.retries == 0
    assert usage.prompt_tokens == 11 * usage.llm_calls  # chat_server's fixed usage
    assert summary.provenance.model == "m"
    assert summary.provenance.endpoint == "openai-compatible"
    assert (summary.provenance.base_url or "").rstrip("/") == server.base_url

    names = {a.id: a.name for a in summary.actors}
    [radars] = summary.arms_transfers  # the second mention merges into the first
    assert (names[radars.supplier], names[radars.recipient]) == ("Sweden", "Chile")
    assert radars.weapon == "coastal radars"
    assert (radars.quantity, radars.quantity_text) == (6, "six")
    assert len(radars.evidence) == 2
    assert any(d.reason == f"repeats {radars.id}" for d in summary.provenance.discarded)
    assert {c.content for c in summary.claims} >= {
        "The radars will be delivered in 2026, according to the Swedish manufacturer."
    }
    assert_no_secret(out, err)


def test_two_files_print_a_list_of_two(
    server: ArticleServer, chile: Path, kenya: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(capsys, "extract", str(chile), str(kenya), *endpoint_args(server))
    assert code == 0, err
    data = json.loads(out)
    assert isinstance(data, list) and len(data) == 2
    summaries = [ArticleSummary.model_validate(d) for d in data]
    for summary in summaries:
        assert_grounded(summary)
    assert [s.source for s in summaries] == [str(chile), str(kenya)]
    assert sum(s.provenance.usage.llm_calls for s in summaries) == len(server.chat_requests)

    kenya_summary = summaries[1]
    names = {a.id: a.name for a in kenya_summary.actors}
    [vehicles] = kenya_summary.arms_transfers
    assert (names[vehicles.supplier], names[vehicles.recipient]) == ("Turkey", "Kenya")
    assert (vehicles.quantity, vehicles.status.value) == (30, "delivered")
    assert_no_secret(out, err)


def test_output_option_writes_the_file(
    server: ArticleServer, chile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out.json"
    code, out, err = run_cli(
        capsys, "extract", str(chile), "-o", str(target), *endpoint_args(server)
    )
    assert code == 0, err
    assert out == ""
    ArticleSummary.model_validate_json(target.read_text(encoding="utf-8"))


def test_markdown_format(
    server: ArticleServer, chile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(
        capsys, "extract", str(chile), "--format", "markdown", *endpoint_args(server)
    )
    assert code == 0, err
    assert out.startswith("# Chile Orders Coastal Radars From Sweden")
    assert "## Arms transfers" in out
    assert "## Claims" in out
    assert "## Provenance" in out
    row = next(line for line in out.splitlines() if line.startswith("| t1 |"))
    assert "coastal radars" in row
    assert "| Sweden | Chile |" in row and "agreed" in row
    assert f"{len(server.chat_requests)} LLM calls" in out
    assert_no_secret(out, err)


# --------------------------------------------------------------------------- real subprocess


def test_stdin_in_a_real_subprocess(server: ArticleServer) -> None:
    result = run_module("extract", "-", *endpoint_args(server), stdin=KENYA.encode("utf-8"))
    out, err = result.stdout.decode("utf-8"), result.stderr.decode("utf-8")
    assert result.returncode == 0, err
    assert "Traceback" not in err
    summary = ArticleSummary.model_validate_json(out)
    assert_grounded(summary)
    assert summary.source == "<stdin>"
    assert summary.title == "Kenya Takes Delivery of Armoured Vehicles"
    assert summary.provenance.usage.llm_calls == len(server.chat_requests) > 0
    assert [t.weapon for t in summary.arms_transfers] == ["armoured vehicles"]
    assert_no_secret(out, err)


def test_errors_in_a_real_subprocess_have_no_traceback(tmp_path: Path) -> None:
    png = tmp_path / "chart.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10")
    result = run_module("extract", str(png), "--base-url", "ftp://example.org/v1", "--model", "m")
    err = result.stderr.decode("utf-8")
    assert result.returncode == 2
    assert result.stdout == b""
    assert_one_line_error(err, "--base-url", "http")


# --------------------------------------------------------------------------- input errors


def test_missing_file(
    server: ArticleServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere.txt"
    code, out, err = run_cli(capsys, "extract", str(missing), *endpoint_args(server))
    assert code != 0
    assert out == ""
    assert_one_line_error(err, str(missing), "no such file", "check the path")
    assert server.requests == []  # nothing to summarise: the endpoint is never called
    assert_no_secret(out, err)


def test_empty_file(
    server: ArticleServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, out, err = run_cli(capsys, "extract", str(empty), *endpoint_args(server))
    assert code != 0
    assert out == ""
    assert_one_line_error(err, str(empty), "empty")
    assert server.requests == []


def test_whitespace_only_file(
    server: ArticleServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blank = tmp_path / "blank.txt"
    blank.write_text("  \n\n\t \n", encoding="utf-8")
    code, out, err = run_cli(capsys, "extract", str(blank), *endpoint_args(server))
    assert code != 0
    assert out == ""
    assert_one_line_error(err, str(blank), "empty")
    assert server.requests == []


def test_png_file(
    server: ArticleServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    png = tmp_path / "photo.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x00\xb4")
    code, out, err = run_cli(capsys, "extract", str(png), *endpoint_args(server))
    assert code != 0
    assert out == ""
    assert_one_line_error(err, str(png), "PNG", "convert it")
    assert server.requests == []


def test_directory(
    server: ArticleServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_cli(capsys, "extract", str(tmp_path), *endpoint_args(server))
    assert code != 0
    assert_one_line_error(err, str(tmp_path), "directory")


def test_input_error_names_the_file_once(
    server: ArticleServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere.txt"
    _, _, err = run_cli(capsys, "extract", str(missing), *endpoint_args(server))
    assert err.count(str(missing)) == 1


def test_one_good_one_missing_still_prints_the_good_one(
    server: ArticleServer, chile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "gone.txt"
    code, out, err = run_cli(capsys, "extract", str(chile), str(missing), *endpoint_args(server))
    assert code == 1
    assert_one_line_error(err, str(missing), "no such file")
    assert str(chile) not in err
    data = json.loads(out)
    items = data if isinstance(data, list) else [data]
    assert len(items) == 1
    summary = ArticleSummary.model_validate(items[0])
    assert summary.source == str(chile)
    assert summary.provenance.usage.llm_calls == len(server.chat_requests)
    assert_no_secret(out, err)


# --------------------------------------------------------------------------- option errors


def test_base_url_with_a_bad_scheme(chile: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(
        capsys, "extract", str(chile), "--base-url", "ftp://user:hunter2@example.org/v1",
        "--model", "m", "--api-key", API_KEY,
    )  # fmt: skip
    assert code != 0
    assert out == ""
    assert_one_line_error(err, "--base-url", "http")
    assert "hunter2" not in err  # credentials in the URL are not echoed
    assert_no_secret(out, err)


def test_base_url_without_model(
    server: ArticleServer, chile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(
        capsys, "extract", str(chile), "--base-url", server.base_url, "--api-key", API_KEY
    )
    assert code != 0
    assert out == ""
    assert_one_line_error(err, "--model", "--base-url")
    assert server.requests == []
    assert_no_secret(out, err)


def test_model_refusal_is_one_line_without_the_key(
    chile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An endpoint that refuses every request (HTTP 401): a one-line hint, no key echoed."""
    refusing = ChatServer().start()
    try:
        # one 401 for every request that may be in flight at once (--parallel-calls 8)
        refusing.script(*[status(401, message="invalid api key") for _ in range(16)])
        code, out, err = run_cli(capsys, "extract", str(chile), *endpoint_args(refusing))
    finally:
        refusing.stop()
    assert code != 0
    assert out == ""
    assert_one_line_error(err, str(chile), "401", "--api-key")
    assert_no_secret(out, err)
