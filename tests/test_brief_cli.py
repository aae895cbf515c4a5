"""``summariser brief``: from JSONL/JSON summaries (no model call), from articles through
the loopback chat server of test_cli.py, and its one-line errors."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from brief_articles import articles
from test_cli import (
    CHILE,
    ENV_VARS,
    KENYA,
    ArticleServer,
    assert_one_line_error,
    endpoint_args,
    run_cli,
    run_module,
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def model() -> Iterator[ArticleServer]:
    srv = ArticleServer()
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def jsonl(tmp_path: Path) -> Path:
    path = tmp_path / "results.jsonl"
    path.write_text("".join(s.model_dump_json() + "\n" for s in articles()), encoding="utf-8")
    return path


def test_markdown_from_jsonl_on_stdout(jsonl: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "brief", str(jsonl))  # no endpoint options at all
    assert code == 0, err
    assert out.startswith("# Briefing: 3 articles\n")
    assert "| T1 | North Korea | Russia | KN-23 | ballistic missiles | missile | — | 24 |" in out
    assert "Kremlin denied: “Russia has not received KN-23 missiles" in out


def test_html_and_csv_files_from_jsonl(
    jsonl: Path, tmp_path: Path, model: ArticleServer, capsys: pytest.CaptureFixture[str]
) -> None:
    page, table = tmp_path / "brief.html", tmp_path / "transfers.csv"
    code, out, err = run_cli(
        capsys, "brief", str(jsonl), "-o", str(page), "--transfers-csv", str(table),
        "--title", "Week 2", *endpoint_args(model),
    )  # fmt: skip
    assert code == 0, err
    assert out == ""
    assert model.requests == []  # records in, no model call
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<title>Week 2</title>" in html
    rows = list(csv.DictReader(table.read_text(encoding="utf-8").splitlines()))
    assert [r["id"] for r in rows] == ["T1", "T2", "T3"]
    assert rows[0]["sources"] == "A1:t1; A2:t1"
    assert str(page) in err and str(table) in err


def test_format_option_beats_the_suffix_and_json_lists_are_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listing = tmp_path / "out.json"  # what `extract a b --format json` writes
    listing.write_text(json.dumps([s.model_dump(mode="json") for s in articles()[:2]]), "utf-8")
    target = tmp_path / "brief.txt"
    code, _, err = run_cli(capsys, "brief", str(listing), "-o", str(target), "--format", "html")
    assert code == 0, err
    assert "<h1>Briefing: 2 articles</h1>" in target.read_text(encoding="utf-8")


def test_articles_are_extracted_then_briefed(
    model: ArticleServer, jsonl: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chile, kenya = tmp_path / "chile.txt", tmp_path / "kenya.txt"
    chile.write_text(CHILE, encoding="utf-8")
    kenya.write_text(KENYA, encoding="utf-8")
    target = tmp_path / "brief.md"
    code, _, err = run_cli(
        capsys, "brief", str(chile), str(jsonl), str(kenya), "-o", str(target),
        *endpoint_args(model),
    )  # fmt: skip
    assert code == 0, err
    assert model.chat_requests  # the two articles went through the model
    markdown = target.read_text(encoding="utf-8")
    sources = markdown.split("## Sources\n\n")[1].split("\n\n")[0].splitlines()[2:]
    assert [row.split(" | ")[1] for row in sources] == [
        "Chile Orders Coastal Radars From Sweden",
        "North Korea Ships Missiles to Russia",
        "Kremlin Denies Receiving Korean Missiles",
        "Iran Pledges Drones to Russia",
        "Kenya Takes Delivery of Armoured Vehicles",
    ]
    assert "| Sweden | Chile | — | coastal radars | sensor |" in markdown
    kenya = next(row for row in markdown.splitlines() if "| Turkey | Kenya |" in row)
    assert "| — | armoured vehicles | armoured_vehicle | — | 30 |" in kenya
    assert "| delivered |" in kenya


# --------------------------------------------------------------------------- errors


def test_missing_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "gone.jsonl"
    code, out, err = run_cli(capsys, "brief", str(missing), "-o", str(tmp_path / "b.md"))
    assert (code, out) == (2, "")
    assert_one_line_error(err, str(missing), "no such file")
    assert not (tmp_path / "b.md").exists()


def test_bad_jsonl_line_names_the_line(
    jsonl: Path, model: ArticleServer, capsys: pytest.CaptureFixture[str]
) -> None:
    with jsonl.open("a", encoding="utf-8") as handle:
        handle.write('{"title": "half a record"}\n')
    code, out, err = run_cli(capsys, "brief", str(jsonl), *endpoint_args(model))
    assert (code, out) == (2, "")
    assert_one_line_error(err, f"{jsonl}:4", "not an ArticleSummary", "summariser eval")
    assert model.requests == []


def test_invalid_json_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.jsonl"
    broken.write_text(articles()[0].model_dump_json() + "\n{not json\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "brief", str(broken))
    assert code == 2
    assert_one_line_error(err, f"{broken}:2", "not valid JSON")


def test_evidence_that_does_not_match_the_text_is_rejected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = json.loads(articles()[0].model_dump_json())
    record["arms_transfers"][0]["evidence"][0]["start"] += 1
    record["arms_transfers"][0]["evidence"][0]["end"] += 1
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(record) + "\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "brief", str(bad))
    assert code == 2
    assert_one_line_error(err, f"{bad}:1", "does not match")


def test_unknown_output_suffix(
    jsonl: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(capsys, "brief", str(jsonl), "-o", str(tmp_path / "brief.pdf"))
    assert (code, out) == (2, "")
    assert_one_line_error(err, ".pdf", "--format")


def test_output_folder_missing(
    jsonl: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "nowhere" / "brief.md"
    code, _, err = run_cli(capsys, "brief", str(jsonl), "-o", str(target))
    assert code == 2
    assert_one_line_error(err, str(target), "folder exists")


def test_an_article_without_an_endpoint_model_is_refused_before_any_call(
    tmp_path: Path, jsonl: Path, model: ArticleServer, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "chile.txt"
    article.write_text(CHILE, encoding="utf-8")
    code, _, err = run_cli(capsys, "brief", str(jsonl), str(article), "--base-url", model.base_url)
    assert code == 2
    assert_one_line_error(err, "--model")
    assert model.requests == []


def test_errors_in_a_real_subprocess_have_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": 1}\n', encoding="utf-8")
    result = run_module("brief", str(bad), "-o", str(tmp_path / "b.html"))
    err = result.stderr.decode("utf-8")
    assert result.returncode == 2 and result.stdout == b""
    assert_one_line_error(err, str(bad), "not an ArticleSummary")
    assert not (tmp_path / "b.html").exists()


def test_batch_results_are_briefed_and_failed_articles_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``extract --out`` writes one result per line; a failed article has no summary, so it
    is skipped with a note naming it, and the briefing covers the rest."""
    summaries = articles()
    lines = [
        {"id": f"feed/{n}.txt", "source": f"feed/{n}.txt", "sha256": f"{n:064x}", "ok": True,
         "summary": json.loads(s.model_dump_json())}
        for n, s in enumerate(summaries)
    ]  # fmt: skip
    lines.insert(1, {"id": "feed/scan.pdf", "source": "feed/scan.pdf", "sha256": None,
                     "ok": False, "error": "feed/scan.pdf: looks like a PDF file"})  # fmt: skip
    results = tmp_path / "results.jsonl"
    results.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    code, out, err = run_cli(capsys, "brief", str(results))
    assert code == 0, err
    assert out.startswith(f"# Briefing: {len(summaries)} articles\n")
    assert err == (
        f"summariser: {results}:2: skipped feed/scan.pdf: its extraction failed "
        "(feed/scan.pdf: looks like a PDF file)\n"
    )
    only_failed = tmp_path / "failed.jsonl"
    only_failed.write_text(json.dumps(lines[1]) + "\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "brief", str(only_failed))
    assert (code, out) == (2, "")
    assert "holds no summaries" in err.splitlines()[-1]
