"""Scoring saved output (``evaluate(folder, summaries=...)``, ``summariser eval --summaries``).

The summaries are made once per test by test_cli's loopback ``ArticleServer`` (no model),
through a real batch (``summarise_many(..., out=results.jsonl)``), over the fixture folder
of ``tests/test_evaluation.py`` (Chile and Kenya, with gold labels written by hand). The
same folder scored by running the model is the reference: saved output matched right must
score exactly as that run did, and matched wrong must not.

A Ray results folder is written here as ``extract --engine ray`` writes one
(``run=<id>/`` files of :mod:`summariser.batch.rows`), in Parquet and in JSONL; reading it
needs pyarrow, not a running Ray.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from test_cli import API_KEY, CHILE, ENV_VARS, KENYA, ArticleServer, run_cli
from test_evaluation import CHILE_GOLD, KENYA_GOLD, NORWAY, NORWAY_GOLD, _write

from summariser import ConfigurationError, InputError, evaluate, summarise_many
from summariser.batch.rows import result_line, table_of
from summariser.distributed import open_results
from summariser.evaluation.report import EvalReport
from summariser.records import ArticleSummary
from summariser.summary_files import Saved, SavedOutput


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SUMMARISER_CACHE_DIR", str(tmp_path / "user-cache"))


@pytest.fixture
def fixtures(tmp_path: Path) -> Path:
    folder = tmp_path / "fixtures"
    folder.mkdir()
    _write(folder, "01_chile", CHILE, CHILE_GOLD)
    _write(folder, "02_kenya", KENYA, KENYA_GOLD)
    return folder


@pytest.fixture
def server() -> Iterator[ArticleServer]:
    with ArticleServer() as srv:
        yield srv


def endpoint(server: ArticleServer) -> dict[str, Any]:
    return {"base_url": server.base_url, "model": "m", "api_key": API_KEY}


@pytest.fixture
def reference(server: ArticleServer, fixtures: Path) -> EvalReport:
    """The fixture folder scored by running the (fake) model."""
    return evaluate(fixtures, **endpoint(server), use_cache=False)


@pytest.fixture
def ledger(server: ArticleServer, fixtures: Path, tmp_path: Path) -> Path:
    """``extract fixtures/ --out results.jsonl``: one line per article, with its sha256."""
    out = tmp_path / "results.jsonl"
    outcomes = list(summarise_many([fixtures], jobs=2, out=out, **endpoint(server)))
    assert len(outcomes) == 2 and all(o.ok for o in outcomes)
    return out


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def by_name(records: list[dict[str, Any]], name: str) -> dict[str, Any]:
    return next(r for r in records if Path(r["source"]).name == name)


def write_run(folder: Path, run_id: str, records: list[dict[str, Any]], fmt: str) -> None:
    """One run of ``extract --engine ray``: rows as Parquet (summary as JSON text) or as
    the JSONL lines ``--out-format jsonl`` writes."""
    rows = [
        {**r, "summary": json.dumps(r["summary"]) if r.get("summary") else None, "run_id": run_id}
        for r in records
    ]
    target = folder / f"run={run_id}"
    target.mkdir(parents=True)
    if fmt == "parquet":
        pq.write_table(table_of(rows), target / "0_000000_000000.parquet")
    else:
        text = "".join(result_line(row) + "\n" for row in rows)
        (target / "0_000000_000000.jsonl").write_text(text, encoding="utf-8")


def no_summary(report: EvalReport) -> list[str]:
    return [run.article for run in report.article_runs if run.no_summary]


# --------------------------------------------------------------------------- matched right


def test_a_batch_results_file_scores_as_the_run_that_made_it(
    server: ArticleServer, fixtures: Path, reference: EvalReport, ledger: Path
) -> None:
    asked = len(server.chat_requests)
    report = evaluate(fixtures, summaries=ledger)
    assert len(server.chat_requests) == asked  # no model call
    assert report.scores == reference.scores
    assert report.transfers.f1 == 1.0 and report.claims.f1 == pytest.approx(1 / 3)
    assert report.benchmark.llm_calls == reference.benchmark.llm_calls  # from provenance
    assert (report.benchmark.failed, report.benchmark.no_summary) == (0, 0)
    run = report.run
    assert (run.summaries, run.folder, run.notes) == (str(ledger), str(fixtures), [])
    assert (run.model, run.endpoint, run.prompt_hash) == ("m", "openai-compatible",
                                                          reference.run.prompt_hash)  # fmt: skip
    md = report.to_markdown()
    assert f"scored from the saved summaries in `{ledger}` (no model run)" in md
    assert "What making the saved summaries cost, from their provenance:" in md


def test_bare_summaries_match_by_file_name(
    fixtures: Path, reference: EvalReport, ledger: Path, tmp_path: Path
) -> None:
    """``extract --format json`` output (no content hash): a folder of .json files named
    anything, and ArticleSummary records in hand, matched by the source's file name."""
    folder = tmp_path / "summaries"
    folder.mkdir()
    summaries = [ArticleSummary.model_validate(r["summary"]) for r in lines(ledger)]
    for n, summary in enumerate(reversed(summaries)):
        (folder / f"s{n}.json").write_text(summary.model_dump_json(), encoding="utf-8")
    elsewhere = summaries[0].model_copy(update={"source": "/feed/99_elsewhere.txt"})
    (folder / "z.json").write_text(elsewhere.model_dump_json(), encoding="utf-8")

    report = evaluate(fixtures, summaries=folder)
    assert report.scores == reference.scores and no_summary(report) == []
    assert report.run.notes == [
        "ignored 1 result(s) of articles not in the folder: 99_elsewhere.txt"
    ]
    in_hand = evaluate(fixtures, summaries=summaries)
    assert in_hand.scores == reference.scores
    assert in_hand.run.summaries == "2 summaries given to evaluate()"


@pytest.mark.parametrize("fmt", ["parquet", "jsonl"])
def test_a_ray_results_folder_with_a_failed_article_and_a_stranger(
    fixtures: Path,
    reference: EvalReport,
    ledger: Path,
    tmp_path: Path,
    fmt: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    records = lines(ledger)
    chile, kenya = by_name(records, "01_chile.txt"), by_name(records, "02_kenya.txt")
    failed = {**kenya, "ok": False, "summary": None, "error": "HTTP 500: the server gave up"}
    stranger = {**chile, "id": "feed/x.txt", "source": "feed/x.txt", "sha256": "ab" * 32}
    results = tmp_path / "results"
    write_run(results, "20261205T000000000000Z-aaaaaa", [chile, failed, stranger], fmt)

    report = evaluate(fixtures, summaries=open_results(results).saved())
    (chile_run, chile_score), (kenya_run, kenya_score) = report.rows()
    assert not chile_run.failed and chile_score == reference.scores.per_article[0]
    assert kenya_run.no_summary and kenya_run.predicted["arms_transfers"] == 0
    assert kenya_run.error == "its extraction failed (HTTP 500: the server gave up)"
    # Kenya stays in every denominator: its gold records are misses
    assert (report.transfers.tp, report.transfers.predicted, report.transfers.gold) == (1, 1, 2)
    assert report.claims.gold == reference.claims.gold == 3
    assert kenya_score.misses.transfers == ["Turkey -> Kenya: armoured vehicles"]
    assert (report.benchmark.failed, report.benchmark.no_summary) == (0, 1)
    assert report.run.notes == ["ignored 1 result(s) of articles not in the folder: x.txt"]
    md = report.to_markdown()
    assert "No summary (scored as producing nothing): 02_kenya.txt" in md
    assert "| 02_kenya.txt (no summary) |" in md
    assert "- **no summary**: its extraction failed (HTTP 500: the server gave up)" in md

    # a later run that got Kenya right: one row per article, the success
    write_run(results, "20261205T010000000000Z-bbbbbb", [kenya], fmt)
    assert evaluate(fixtures, summaries=open_results(results).saved()).scores == reference.scores

    # the same folder from the command line: report and Markdown, no .jsonl of summaries
    write_run(results, "20261205T020000000000Z-cccccc", [failed], fmt)  # superseded: still ok
    reports = tmp_path / "reports"
    code, out, err = run_cli(capsys, "eval", str(fixtures), "--summaries", str(results),
                             "--out-dir", str(reports))  # fmt: skip
    assert code == 0, err
    assert sorted(p.name for p in reports.iterdir()) == [
        "fixtures.report.json",
        "fixtures.report.md",
    ]
    assert f"scored from the saved summaries in `{results}`" in out
    assert EvalReport.from_json(reports / "fixtures.report.json").scores == reference.scores


def test_missing_articles_stay_in_the_denominators_and_exit_1(
    fixtures: Path, ledger: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(fixtures, "03_norway", NORWAY, NORWAY_GOLD)  # labelled, never extracted
    reports = tmp_path / "reports"
    code, out, err = run_cli(capsys, "eval", str(fixtures), "--summaries", str(ledger),
                             "--out-dir", str(reports))  # fmt: skip
    assert code == 1
    assert "No summary (scored as producing nothing): 03_norway.txt" in out
    [line] = [line for line in err.splitlines() if line.startswith("03_norway.txt")]
    assert line.split(None, 1)[1] == f"NO SUMMARY: none in {ledger}"
    assert f"summariser: 1 article(s) had no summary in {ledger}; see" in err
    report = EvalReport.from_json(reports / "fixtures.report.json")
    assert report.scores.articles == 3 and report.transfers.gold == 3
    assert report.transfers.recall == pytest.approx(2 / 3)


# --------------------------------------------------------------------------- matched wrong


def test_the_content_hash_decides_the_match(fixtures: Path, ledger: Path, tmp_path: Path) -> None:
    """Swap the two articles' hashes: each summary is now scored against the other's gold,
    whatever its source says, and transfer F1 falls from 1 to 0."""
    records = lines(ledger)
    chile, kenya = by_name(records, "01_chile.txt"), by_name(records, "02_kenya.txt")
    swapped = tmp_path / "swapped.jsonl"
    crossed = [{**chile, "sha256": kenya["sha256"]}, {**kenya, "sha256": chile["sha256"]}]
    swapped.write_text("".join(json.dumps(r) + "\n" for r in crossed), encoding="utf-8")
    report = evaluate(fixtures, summaries=swapped)
    assert no_summary(report) == []
    assert report.transfers.f1 == 0.0 and report.transfers.predicted == 2

    # a hash that matches no article under an article's name: another version of the text
    stale = tmp_path / "stale.jsonl"
    stale.write_text(json.dumps({**kenya, "sha256": "0" * 64}) + "\n", encoding="utf-8")
    report = evaluate(fixtures, summaries=[stale, ledger])  # the ledger's Kenya still wins
    assert no_summary(report) == []
    [kenya_run] = [r for r in evaluate(fixtures, summaries=stale).article_runs if r.article
                   == "02_kenya.txt"]  # fmt: skip
    assert kenya_run.no_summary and "was made from other content" in (kenya_run.error or "")


def test_a_summary_scored_twice_is_noted(fixtures: Path, ledger: Path, tmp_path: Path) -> None:
    report = evaluate(fixtures, summaries=[ledger, ledger])
    assert [n.split(";")[0] for n in report.run.notes] == [
        "01_chile.txt: 1 more summary ignored", "02_kenya.txt: 1 more summary ignored"
    ]  # fmt: skip


# --------------------------------------------------------------------------- split, options


def test_split_scores_its_articles_and_notes_the_others(
    fixtures: Path, ledger: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (fixtures / "splits.json").write_text('{"confirm": ["02_kenya"]}', encoding="utf-8")
    report = evaluate(fixtures, summaries=ledger, split="confirm")
    assert [r.article for r in report.article_runs] == ["02_kenya.txt"]
    assert report.transfers.f1 == 1.0 and report.run.split == "confirm"
    assert report.run.notes == [
        "ignored 1 result(s) of articles outside the confirm split: 01_chile.txt"
    ]
    reports = tmp_path / "reports"
    code, _, err = run_cli(capsys, "eval", str(fixtures), "--split", "tune", "--summaries",
                           str(ledger), "--out-dir", str(reports))  # fmt: skip
    assert code == 0, err
    tune = EvalReport.from_json(reports / "fixtures.tune.report.json")
    assert [r.article for r in tune.article_runs] == ["01_chile.txt"]


def test_model_options_with_saved_output_are_refused(
    fixtures: Path, ledger: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(ConfigurationError, match="runs no model: drop model, base_url"):
        evaluate(fixtures, summaries=ledger, model="m", base_url="http://127.0.0.1:9/v1")
    code, out, err = run_cli(capsys, "eval", str(fixtures), "--summaries", str(ledger),
                             "--base-url", "http://127.0.0.1:9/v1", "--no-cache")  # fmt: skip
    assert (code, out) == (2, "") and err.count("\n") == 1
    assert "--summaries scores saved output and runs no model: drop --base-url, --no-cache" in err


def test_unreadable_saved_output_is_one_line(
    fixtures: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"ok": true, "id": "a", "summary": {"title": 1}}\n', encoding="utf-8")
    code, _, err = run_cli(capsys, "eval", str(fixtures), "--summaries", str(bad))
    assert code == 2 and err.count("\n") == 1 and f"{bad}:1: not an ArticleSummary" in err
    with pytest.raises(InputError, match="no such file"):
        evaluate(fixtures, summaries=tmp_path / "missing.jsonl")
    with pytest.raises(InputError, match="holds no results to score"):
        evaluate(fixtures, summaries=SavedOutput("nothing", []))
    with pytest.raises(InputError, match="give paths, or ArticleSummary records"):
        evaluate(fixtures, summaries=[Saved("x"), 3])  # type: ignore[list-item]


def test_old_reports_without_the_new_fields_still_load(
    fixtures: Path, ledger: Path, tmp_path: Path
) -> None:
    """A baseline written before saved output could be scored still compares."""
    data = json.loads(evaluate(fixtures, summaries=ledger).to_json())
    for key in ("summaries", "notes"):
        del data["run"][key]
    del data["benchmark"]["no_summary"]
    for run in data["article_runs"]:
        del run["no_summary"]
    path = tmp_path / "old.report.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    old = EvalReport.from_json(path)
    assert old.run.summaries is None and old.benchmark.no_summary == 0
    assert KENYA_GOLD["article"] in [r.article for r in old.article_runs]
