"""Tests for ``evaluate``, the eval report, ``compare`` and ``summariser eval``.

Everything runs against the loopback :class:`ArticleServer` of ``tests/test_cli.py`` (a real
HTTP server that answers each pass from what the request asks), over a fixture folder
written in ``tmp_path``: the Chile and Kenya articles of the CLI tests, a Norway article
written here, and gold labels written by hand for these tests in the format of
``shared/evalset/GUIDE.md``.

Gold differs from what the fake model reads in two known ways, so the scores are not
trivially perfect: the Chile gold names the Chilean Navy as an actor and as the source of
the first claim (the fake model says "Chile"), and leaves the second claim unattributed
(the attribution code gives it to Sweden). Hence, over Chile and Kenya: transfers 2/2/2,
claims 1 matched of 3 predicted and 3 gold, actors 4 matched of 4 predicted and 5 gold.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, Optional

import openai
import pytest
from chat_server import Behaviour, content, status
from test_cli import API_KEY, CHILE, ENV_VARS, KENYA, ArticleServer, endpoint_args, run_cli

from summariser import Endpoint, InputError, connect, evaluate
from summariser.endpoint.connection import DEFAULT_PARALLEL_CALLS
from summariser.evaluation.comparison import compare
from summariser.evaluation.report import (
    ArticleRun,
    EvalReport,
    Figure,
    Integrity,
    benchmark,
)
from summariser.evaluation.scoring import prf
from summariser.extract.prompting import prompt_hash
from summariser.records import ArticleSummary

NORWAY = "\n".join(
    [
        "Norway Orders Patrol Boats From Finland",
        "",
        "Norway ordered four patrol boats from Finland, the defence ministry in Oslo said on "
        "Monday.",
        "",
    ]
)
CHILE_GOLD: dict[str, Any] = {
    "article": "01_chile.txt",
    "actors": [
        {"name": "Chile", "aliases": ["Chilean"], "type": "state", "country": "CHL"},
        {"name": "Sweden", "aliases": ["Swedish"], "type": "state", "country": "SWE"},
        {"name": "Chilean Navy", "aliases": ["Chilean navy"], "type": "military",
         "country": "CHL"},
    ],
    "arms_transfers": [
        {"supplier": "Sweden", "recipient": "Chile", "weapon": "coastal radars",
         "category": "sensor", "quantity": 6, "quantity_text": "six", "status": "agreed",
         "evidence": "Chile signed a contract with Sweden for six coastal radars"},
    ],
    "claims": [
        {"source": "Chilean Navy",
         "content": "Chile signed a contract with Sweden for six coastal radars.",
         "type": "assertion", "factuality": "certain",
         "evidence": "Chile signed a contract with Sweden for six coastal radars"},
        {"source": None, "content": "The coastal radars will be delivered to Chile in 2026.",
         "type": "forecast", "factuality": "probable",
         "evidence": "The radars will be delivered in 2026"},
    ],
}  # fmt: skip
KENYA_GOLD: dict[str, Any] = {
    "article": "02_kenya.txt",
    "actors": [
        {"name": "Kenya", "aliases": ["Kenyan", "Nairobi"], "type": "state", "country": "KEN"},
        {"name": "Turkey", "aliases": ["Turkish", "Türkiye"], "type": "state", "country": "TUR"},
    ],
    "arms_transfers": [
        {"supplier": "Turkey", "recipient": "Kenya", "weapon": "armoured vehicles",
         "category": "armoured_vehicle", "quantity": 30, "quantity_text": "30",
         "status": "delivered",
         "evidence": "Kenya received 30 armoured vehicles from Turkey last week"},
    ],
    "claims": [
        {"source": "Kenya", "content": "Kenya received 30 armoured vehicles from Turkey.",
         "type": "assertion", "factuality": "certain",
         "evidence": "Kenya received 30 armoured vehicles from Turkey last week"},
    ],
}  # fmt: skip
NORWAY_GOLD: dict[str, Any] = {
    "article": "03_norway.txt",
    "actors": [
        {"name": "Norway", "aliases": ["Oslo"], "type": "state", "country": "NOR"},
        {"name": "Finland", "aliases": [], "type": "state", "country": "FIN"},
    ],
    "arms_transfers": [
        {"supplier": "Finland", "recipient": "Norway", "weapon": "patrol boats",
         "category": "ship", "quantity": 4, "quantity_text": "four", "status": "agreed",
         "evidence": "Norway ordered four patrol boats from Finland"},
    ],
    "claims": [],
}  # fmt: skip


class FaultyServer(ArticleServer):
    """Answers like :class:`ArticleServer`, except for requests whose body holds a marker:
    ``garbage`` markers get prose instead of JSON, ``refuse`` markers get HTTP 401."""

    def __init__(self, garbage: tuple[str, ...] = (), refuse: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.garbage, self.refuse = garbage, refuse

    def _next(self) -> Optional[Behaviour]:
        record = getattr(self._local, "record", None)
        raw = record.raw.decode("utf-8") if record else ""
        if any(marker in raw for marker in self.refuse):
            return status(401, message="invalid api key")
        if any(marker in raw for marker in self.garbage):
            return content("Sorry, I would rather answer in prose.")
        return super()._next()

    def requests_naming(self, marker: str) -> int:
        return sum(marker in r.raw.decode("utf-8") for r in self.chat_requests)


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SUMMARISER_CACHE_DIR", str(tmp_path / "user-cache"))


def _write(folder: Path, stem: str, text: str, gold: Optional[dict[str, Any]]) -> None:
    (folder / f"{stem}.txt").write_text(text, encoding="utf-8")
    if gold is not None:
        (folder / f"{stem}.json").write_text(json.dumps(gold), encoding="utf-8")


@pytest.fixture
def fixtures(tmp_path: Path) -> Path:
    folder = tmp_path / "fixtures"
    folder.mkdir()
    _write(folder, "01_chile", CHILE, CHILE_GOLD)
    _write(folder, "02_kenya", KENYA, KENYA_GOLD)
    return folder


@pytest.fixture
def server() -> Iterator[FaultyServer]:
    srv = FaultyServer(garbage=("Oslo",), refuse=("Lisbon",))
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


def run_eval(server: ArticleServer, folder: Path, **options: Any) -> EvalReport:
    return evaluate(folder, base_url=server.base_url, model="m", api_key=API_KEY, **options)


# --------------------------------------------------------------------------- evaluate


def test_evaluate_scores_and_measures(server: FaultyServer, fixtures: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "run.jsonl"
    events: list[tuple[str, bool]] = []
    report = run_eval(server, fixtures, out=out, progress=lambda e: events.append(
        (e.article, e.run is not None)))  # fmt: skip

    assert (report.transfers.tp, report.transfers.predicted, report.transfers.gold) == (2, 2, 2)
    assert report.transfers.f1 == 1.0 and report.transfers_strict.f1 == 1.0
    assert (report.claims.tp, report.claims.predicted, report.claims.gold) == (1, 3, 3)
    assert report.claims.f1 == pytest.approx(1 / 3)
    assert (report.actors.tp, report.actors.predicted, report.actors.gold) == (4, 4, 5)
    assert report.actors.f1 == pytest.approx(8 / 9)
    assert report.grounding.rate == 1.0 and report.grounding.total > 0
    assert set(report.scores.f1_interval) == {"actors", "transfers", "transfers_strict", "claims"}

    chile, kenya = report.rows()
    assert [run.article for run, _ in report.rows()] == ["01_chile.txt", "02_kenya.txt"]
    assert chile[1].misses.actors == ["Chilean Navy"] and kenya[1].claims.f1 == 1.0
    assert chile[0].predicted == {"actors": 2, "arms_transfers": 1, "claims": 2}
    assert chile[0].gold == {"actors": 3, "arms_transfers": 1, "claims": 2}
    assert all(run.integrity == Integrity(0, 0, 0) for run in report.article_runs)
    assert events == [("01_chile.txt", False), ("01_chile.txt", True),
                      ("02_kenya.txt", False), ("02_kenya.txt", True)]  # fmt: skip

    b, calls = report.benchmark, len(server.chat_requests)
    # 5 calls for Chile, 4 for Kenya
    assert b.llm_calls == Figure(calls, calls / 2, calls / 2) and calls == 9
    assert b.prompt_tokens.total == 11 * calls and b.completion_tokens.total == 7 * calls
    seconds = sorted(run.seconds for run in report.article_runs)
    assert b.seconds_median == pytest.approx(sum(seconds) / 2)
    assert seconds[0] <= (b.seconds_p90 or 0) <= seconds[1]
    assert b.outside_model_share is not None and 0.0 <= b.outside_model_share < 1.0
    assert (b.cache_hits, b.retries, b.invalid_outputs, b.failed) == (0, 0, 0, 0)

    run = report.run
    assert (run.model, run.endpoint, run.structured) == ("m", "openai-compatible", "json-schema")
    assert run.prompt_hash == prompt_hash() and run.folder == str(fixtures)
    assert run.cache_dir == str(tmp_path / "user-cache" / "responses")
    assert run.wall_seconds >= sum(seconds)

    lines = out.read_text(encoding="utf-8").splitlines()
    assert [ArticleSummary.model_validate_json(line).source for line in lines] == [
        str(fixtures / "01_chile.txt"), str(fixtures / "02_kenya.txt")
    ]  # fmt: skip


def test_second_run_is_answered_from_the_cache(server: FaultyServer, fixtures: Path) -> None:
    first = run_eval(server, fixtures)
    asked = len(server.chat_requests)
    second = run_eval(server, fixtures)
    assert len(server.chat_requests) == asked  # nothing reached the model
    assert second.benchmark.cache_hits == asked == first.benchmark.llm_calls.total
    assert second.scores == first.scores
    third = run_eval(server, fixtures, use_cache=False)
    assert len(server.chat_requests) == 2 * asked and third.benchmark.cache_hits == 0
    assert third.run.cache_dir is None


def test_invalid_replies_are_counted_and_the_other_articles_still_scored(
    server: FaultyServer, fixtures: Path
) -> None:
    _write(fixtures, "03_norway", NORWAY, NORWAY_GOLD)
    report = run_eval(server, fixtures, use_cache=False)
    norway_run, norway = report.rows()[2]
    assert norway_run.error is None  # invalid replies are salvaged, not raised
    asked = server.requests_naming("Oslo")
    assert asked >= 4 and norway_run.invalid_outputs == asked // 2  # each task re-asked once
    assert norway_run.llm_calls == asked and norway_run.predicted["arms_transfers"] == 0
    assert norway.misses.transfers == ["Finland -> Norway: patrol boats"]
    assert report.benchmark.invalid_outputs == norway_run.invalid_outputs
    assert (report.transfers.tp, report.transfers.predicted, report.transfers.gold) == (2, 2, 3)
    assert [s.transfers.f1 for _, s in report.rows()[:2]] == [1.0, 1.0]


def test_a_failed_article_is_recorded_and_scored_as_empty(
    server: FaultyServer, fixtures: Path, tmp_path: Path
) -> None:
    lisbon = KENYA.replace("Nairobi", "Lisbon")  # the server refuses requests naming Lisbon
    _write(fixtures, "02_kenya", lisbon, KENYA_GOLD)
    out = tmp_path / "run.jsonl"
    report = run_eval(server, fixtures, out=out)
    (chile_run, chile), (kenya_run, kenya) = report.rows()
    assert kenya_run.failed and "401" in (kenya_run.error or "")
    # 401 is never retried: each call in flight when it came (up to 4 at once) was sent once
    lisbon_bodies = [r.raw for r in server.chat_requests if b"Lisbon" in r.raw]
    assert 1 <= len(lisbon_bodies) <= DEFAULT_PARALLEL_CALLS
    assert len(set(lisbon_bodies)) == len(lisbon_bodies)
    assert kenya_run.llm_calls == 0  # the meter counts completions received, and none was
    assert kenya_run.predicted["arms_transfers"] == 0
    assert kenya.misses.transfers == ["Turkey -> Kenya: armoured vehicles"]
    assert kenya.transfers == prf(0, 0, 1)
    assert not chile_run.failed and chile.transfers.f1 == 1.0
    assert report.benchmark.failed == 1
    assert (report.transfers.tp, report.transfers.gold) == (1, 2)
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1  # Chile only
    assert "**run failed**: the model endpoint refused" in report.to_markdown()


def test_injected_clients_are_used_and_left_open(server: FaultyServer, fixtures: Path) -> None:
    endpoint = Endpoint(base_url=server.base_url, api_key=API_KEY, model="m")
    with connect(endpoint) as conn:
        report = evaluate(fixtures, client=conn)
        assert report.run.cache_dir is None and report.benchmark.cache_hits == 0
        again = evaluate(fixtures, client=conn)  # still open: the caller owns it
    assert again.scores == report.scores
    sdk = openai.OpenAI(base_url=server.base_url, api_key=API_KEY, max_retries=0)
    try:
        via_sdk = evaluate(fixtures, client=sdk, model="m")
        with pytest.raises(InputError, match="pass model="):
            evaluate(fixtures, client=sdk)
    finally:
        sdk.close()
    assert via_sdk.scores == report.scores and via_sdk.run.structured == "json-schema"
    assert len(server.chat_requests) == 3 * report.benchmark.llm_calls.total


def test_folder_errors(tmp_path: Path, fixtures: Path) -> None:
    with pytest.raises(InputError, match="no such folder"):
        evaluate(tmp_path / "nowhere")
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("no labels here", encoding="utf-8")
    with pytest.raises(InputError, match=r"no labelled articles: expected NN_slug\.txt"):
        evaluate(empty)
    (fixtures / "02_kenya.json").write_text('{"article": "02_kenya.txt", "actors": [{}]}')
    with pytest.raises(InputError, match=r"02_kenya\.json: not a gold label file \(actors\.0"):
        evaluate(fixtures)
    (fixtures / "02_kenya.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match=r"02_kenya\.json: not a gold label file"):
        evaluate(fixtures)


def test_unlabelled_articles_are_skipped_and_listed(server: FaultyServer, fixtures: Path) -> None:
    _write(fixtures, "03_norway", NORWAY, None)
    report = run_eval(server, fixtures)
    assert report.run.skipped == ["03_norway.txt"] and report.scores.articles == 2
    assert server.requests_naming("Oslo") == 0
    assert "Skipped (no gold `.json` beside them): 03_norway.txt" in report.to_markdown()


# --------------------------------------------------------------------------- the report


def test_json_round_trip(server: FaultyServer, fixtures: Path, tmp_path: Path) -> None:
    report = run_eval(server, fixtures)
    path = tmp_path / "r.report.json"
    path.write_text(report.to_json(), encoding="utf-8")
    loaded = EvalReport.from_json(path)
    assert loaded == report
    assert loaded.claims.f1 == pytest.approx(1 / 3) and loaded.metric("actors") == report.actors.f1
    assert json.loads(report.to_json())["scores"]["transfers"]["f1"] == 1.0

    path.write_text('{"run": {}}', encoding="utf-8")
    with pytest.raises(InputError, match=r"r\.report\.json is not a summariser eval report"):
        EvalReport.from_json(path)
    with pytest.raises(InputError, match=r"cannot read the report"):
        EvalReport.from_json(tmp_path / "missing.json")


def test_markdown_report(server: FaultyServer, fixtures: Path) -> None:
    md = run_eval(server, fixtures).to_markdown()
    assert md.startswith("# Eval report: fixtures\n")
    assert "| arms transfers | 1.000 | 1.000 | **1.000** |" in md
    assert "| claims | 0.333 | 0.333 | **0.333** |" in md
    assert "| actors | 1.000 | 0.800 | **0.889** |" in md
    assert "| transfer.status | 100.0% | 2/2 |" in md
    assert "| LLM calls per article | 4.5 (9 in all) |" in md
    assert "- **missed actors** (1): Chilean Navy" in md
    row = next(line for line in md.splitlines() if line.startswith("| 01_chile.txt |"))
    cost, f1s = "| 5 | 55 | 55 | 35 | 35 | 0 | 0 |", "1.00 | 1.00 | 0.00 | 0.80 |"
    assert f"{cost} {f1s} 2/3 · 1/1 · 2/2 | 0 | 0 | 0 |" in row


def _run(article: str, seconds: float, model: float, calls: int = 1, error: str | None = None
         ) -> ArticleRun:  # fmt: skip
    counts = {"actors": 0, "arms_transfers": 0, "claims": 0}
    return ArticleRun(article, seconds, model, calls, 10 * calls, 2 * calls, 0, 1, 0,
                      counts, counts, Integrity(0, 0, 0), error,
                      cached_prompt_tokens=6 * calls,
                      predicted_completion_tokens=calls)  # fmt: skip


def test_benchmark_figures() -> None:
    runs = [_run("a", 10.0, 9.0), _run("b", 20.0, 19.0, 3), _run("c", 40.0, 38.0),
            _run("d", 1.0, 0.0, 2, error="boom")]  # fmt: skip
    b = benchmark(runs)
    assert b.seconds_median == 20.0 and b.seconds_p90 == pytest.approx(36.0)
    assert b.seconds_total == 70.0
    assert b.outside_model_share == pytest.approx(4.0 / 70.0)  # the failed run is left out
    assert b.llm_calls == Figure(7, 7 / 4, 1.5) and b.prompt_tokens == Figure(70, 17.5, 15.0)
    # what the server evaluated: the prompt less what its prefix cache served
    assert b.evaluated_prompt_tokens == Figure(28, 7.0, 6.0)
    # what took a decoding step each: the completion less what the schema fixed
    assert b.sampled_tokens == Figure(7, 7 / 4, 1.5)
    assert (b.cache_hits, b.failed) == (4, 1)
    empty = benchmark([])
    assert (empty.seconds_median, empty.outside_model_share, empty.llm_calls) == (
        None, None, Figure(0, None)
    )  # fmt: skip


def test_compare_with_a_hand_built_baseline(server: FaultyServer, fixtures: Path) -> None:
    current = run_eval(server, fixtures)
    chile, kenya = current.scores.per_article
    chile_run, kenya_run = current.article_runs
    chile_before = replace(chile, claims=prf(2, 2, 2))  # baseline got Chile's claims right
    gone = replace(kenya, article="03_gone.txt")
    baseline = replace(
        current,
        scores=replace(current.scores, transfers=prf(1, 1, 2), per_article=[chile_before, gone]),
        benchmark=replace(current.benchmark, seconds_median=1000.0),
        article_runs=[chile_run, replace(kenya_run, article="03_gone.txt")],
        run=replace(current.run, prompt_hash="0123abcd"),
    )
    comparison = compare(current, baseline)
    by_metric = {d.metric: d for d in comparison.metrics}
    assert by_metric["transfers F1"].change == pytest.approx(1.0 - 2 / 3)
    assert by_metric["transfers F1"].verdict == "better"
    assert by_metric["claims F1"].verdict == "same"
    assert by_metric["median s/article"].verdict == "better"  # fewer seconds
    assert by_metric["p90 s/article"].verdict == "same"
    [article] = comparison.articles
    assert article.article == "01_chile.txt" and article.verdict == "worse"
    claims = next(d for d in article.deltas if d.metric == "claims F1")
    assert (claims.baseline, claims.current, claims.verdict) == (1.0, 0.0, "worse")
    assert comparison.only_current == ["02_kenya.txt"]
    assert comparison.only_baseline == ["03_gone.txt"]
    assert comparison.changed_setup == [f"prompt_hash: 0123abcd -> {current.run.prompt_hash}"]

    md = comparison.to_markdown()
    assert "| transfers F1 | 0.667 | 1 | +0.333 | better ▲ |" in md
    assert "| 01_chile.txt |" in md and "| 1 → 0 ▼ |" in md and md.count("worse ▼") == 0
    assert "Only in the current run: 02_kenya.txt" in md
    assert "Only in the baseline: 03_gone.txt" in md


# --------------------------------------------------------------------------- the CLI


def eval_args(server: ArticleServer, folder: Path, out_dir: Path, *more: str) -> list[str]:
    return ["eval", str(folder), "--out-dir", str(out_dir), *more, *endpoint_args(server)]


def test_cli_eval_writes_the_three_files(
    server: FaultyServer, fixtures: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reports = tmp_path / "reports"
    code, out, err = run_cli(capsys, *eval_args(server, fixtures, reports))
    assert code == 0, err
    assert sorted(p.name for p in reports.iterdir()) == [
        "fixtures.jsonl", "fixtures.report.json", "fixtures.report.md"
    ]  # fmt: skip
    report = EvalReport.from_json(reports / "fixtures.report.json")
    assert report.claims.f1 == pytest.approx(1 / 3)
    assert len((reports / "fixtures.jsonl").read_text(encoding="utf-8").splitlines()) == 2
    md = (reports / "fixtures.report.md").read_text(encoding="utf-8")
    assert md == report.to_markdown()
    assert "| claims | 0.333 | 0.333 | **0.333** |" in out and "## Articles" not in out
    assert "| seconds per article, median |" in out
    logs = [line for line in err.splitlines() if line.startswith(("01_", "02_"))]
    assert len(logs) == 2 and "calls= 5" in logs[0] and "F1 t=1.00" in logs[0]
    assert "twins=0" in logs[0] and "furniture=0" in logs[0]
    assert f"summariser: wrote {reports / 'fixtures.jsonl'}" in err
    assert API_KEY not in out + err + md


@pytest.mark.parametrize(
    ("gates", "code"), [(["transfers=1.1"], 1), (["transfers=0"], 0), (["claims=0.3"], 0)]
)
def test_cli_fail_under(
    server: FaultyServer,
    fixtures: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    gates: list[str],
    code: int,
) -> None:
    more = [arg for gate in gates for arg in ("--fail-under", gate)]
    got, _, err = run_cli(capsys, *eval_args(server, fixtures, tmp_path / "r", *more))
    assert got == code, err
    below = "summariser: transfers 1.000 is below --fail-under 1.1"
    assert (below in err) == (code == 1)


def test_cli_failed_article_exits_1(
    server: FaultyServer, fixtures: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(fixtures, "02_kenya", KENYA.replace("Nairobi", "Lisbon"), KENYA_GOLD)
    code, _, err = run_cli(capsys, *eval_args(server, fixtures, tmp_path / "r"))
    assert code == 1
    assert "02_kenya.txt" in err and "FAILED: the model endpoint refused" in err
    assert "summariser: 1 article(s) failed" in err
    assert (tmp_path / "r" / "fixtures.report.json").is_file()


def test_cli_baseline_prints_the_differences(
    server: FaultyServer, fixtures: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_cli(capsys, *eval_args(server, fixtures, tmp_path / "first"))
    assert code == 0, err
    path = tmp_path / "first" / "fixtures.report.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["scores"]["actors"]["f1"] = 0.5
    data["scores"]["per_article"][1]["transfers"]["f1"] = 0.5
    path.write_text(json.dumps(data), encoding="utf-8")

    code, out, err = run_cli(
        capsys, *eval_args(server, fixtures, tmp_path / "second", "--baseline", str(path))
    )
    assert code == 0, err
    assert "## Compared with the baseline" in out
    assert "| actors F1 | 0.5 | 0.889 | +0.389 | better ▲ |" in out
    assert "| transfers F1 | 1 | 1 | 0 | same |" in out
    assert "| 02_kenya.txt | 0.5 → 1 ▲ |" in out
    md = (tmp_path / "second" / "fixtures.report.md").read_text(encoding="utf-8")
    assert "## Compared with the baseline" in md


def test_cli_missing_folder_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "nowhere"
    code, out, err = run_cli(capsys, "eval", str(missing), "--base-url", "http://x/v1",
                             "--model", "m")  # fmt: skip
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and err.startswith("summariser:") and str(missing) in err
    assert "no such folder" in err and "Traceback" not in err

    monkeypatch.chdir(tmp_path)  # no evals/fixtures here
    code, out, err = run_cli(capsys, "eval")
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "pass the folder to score: summariser eval DIR" in err


def test_cli_bad_options_are_one_line(
    fixtures: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_cli(capsys, "eval", str(fixtures), "--fail-under", "speed=3")
    assert code == 2 and err.count("\n") == 1
    assert "--fail-under 'speed=3': expected METRIC=VALUE" in err
    code, _, err = run_cli(capsys, "eval", str(fixtures), "--baseline", str(tmp_path / "no.json"))
    assert code == 2 and err.count("\n") == 1 and "cannot read the report" in err


# --------------------------------------------------------------------------- tune and confirm


def test_splits_score_the_tune_or_the_confirm_articles_apart(
    server: FaultyServer, fixtures: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (fixtures / "splits.json").write_text('{"confirm": ["02_kenya"]}', encoding="utf-8")
    tune = run_eval(server, fixtures, split="tune")
    confirm = run_eval(server, fixtures, split="confirm")
    assert [r.article for r in tune.article_runs] == ["01_chile.txt"]
    assert [r.article for r in confirm.article_runs] == ["02_kenya.txt"]
    assert (tune.run.split, confirm.run.split) == ("tune", "confirm")
    whole = run_eval(server, fixtures)  # no split: the whole folder, the splits compared
    assert whole.scores.articles == 2 and whole.run.confirm == ["02_kenya"]
    assert (tune.run.confirm, confirm.run.confirm) == ([], [])
    compared = whole.to_markdown()
    assert "## Tune (1) and confirm (1)" in compared
    assert "| arms transfers | " in compared.split("## Tune (1) and confirm (1)")[1]
    assert "## Tune" not in tune.to_markdown()

    reports = tmp_path / "reports"
    code, out, err = run_cli(capsys, *eval_args(server, fixtures, reports, "--split", "confirm"))
    assert code == 0, err
    assert (reports / "fixtures.confirm.report.json").is_file()
    assert "| claims |" in out  # the aggregate is shown ...
    assert not [line for line in err.splitlines() if line.startswith("02_")]  # ... not errors
    written = (reports / "fixtures.confirm.report.md").read_text(encoding="utf-8")
    assert "02_kenya" not in written and "False positives and misses" not in written
    assert "left out of the confirm split's report" in written
    assert "## False positives and misses" in tune.to_markdown()


def test_split_errors_name_the_file_and_what_it_needs(fixtures: Path) -> None:
    with pytest.raises(InputError, match=r"splits\.json not found: a split needs it"):
        evaluate(fixtures, split="confirm")
    (fixtures / "splits.json").write_text('{"confirm": ["09_nowhere"]}', encoding="utf-8")
    with pytest.raises(InputError, match=r"lists articles that are not in .*: 09_nowhere"):
        evaluate(fixtures, split="tune")
    (fixtures / "splits.json").write_text('["02_kenya"]', encoding="utf-8")
    with pytest.raises(InputError, match=r"expected \{\"confirm\": \[article stems\]\}"):
        evaluate(fixtures, split="tune")
