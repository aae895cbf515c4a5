"""The publication date: read from what the caller, a feed record or the page gives, never
guessed, and not trusted when it lies in the future of the run. The command-line tests run
against the loopback fake-model server of test_cli.py (no model)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from test_cli import CHILE, ENV_VARS, ArticleServer, endpoint_args, run_cli

from summariser import ingest
from summariser.errors import InputError
from summariser.ingest.published import parse_published, trusted
from summariser.records import ArticleSummary


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("2024-06-01", date(2024, 6, 1)),
        ("2024-06-01T23:30:00-05:00", date(2024, 6, 1)),  # the page's own day
        ("Tue, 04 Jun 2024 10:00:00 GMT", date(2024, 6, 4)),  # RSS
        ("4 June 2024", date(2024, 6, 4)),
        (date(2024, 6, 1), date(2024, 6, 1)),
        (datetime(2024, 6, 1, 9, tzinfo=timezone.utc), date(2024, 6, 1)),
        (None, None),
        ("  ", None),
    ],
)
def test_a_given_publication_date_is_read(given: object, expected: date | None) -> None:
    assert parse_published(given) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("given", ["yesterday", "June 2024", "2024-02-30", "soon", 20240601])
def test_a_publication_date_that_cannot_be_read_is_an_error_naming_it(given: object) -> None:
    with pytest.raises(InputError, match=r"feed\.jsonl:3"):
        parse_published(given, "feed.jsonl:3")  # type: ignore[arg-type]


def test_a_future_publication_date_is_a_warning_and_not_trusted() -> None:
    today = date(2026, 12, 5)
    assert trusted(date(2026, 12, 6), today) == (date(2026, 12, 6), [])  # a day of grace
    found, warnings = trusted(date(2027, 1, 1), today)
    assert found is None
    [warning] = warnings
    assert "2027-01-01 is after the day of the run (2026-12-05): not trusted" in warning
    assert trusted(None, today) == (None, [])


def test_a_dateline_without_a_year_gives_no_date() -> None:
    text = "Navy Gets Boats\n\nLIMA, June 3 - Peru's navy received two patrol boats."
    assert ingest.from_text(text).published is None  # the year is never guessed
    dated = "Navy Gets Boats\n\nLIMA, June 3, 2024 - Peru's navy received two patrol boats."
    assert ingest.from_text(dated).published == date(2024, 6, 3)


# --------------------------------------------------------------------------- end to end


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[ArticleServer]:
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    srv = ArticleServer()
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def chile(tmp_path: Path) -> Path:
    path = tmp_path / "chile.txt"
    path.write_text(CHILE, encoding="utf-8")
    return path


def test_published_option_dates_the_article_and_its_relative_words(
    server: ArticleServer, chile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(
        capsys, "extract", str(chile), "--published", "2026-03-02", *endpoint_args(server)
    )
    assert code == 0 and err == ""
    summary = ArticleSummary.model_validate_json(out)
    assert summary.published == date(2026, 3, 2)  # a Monday
    said = {c.said_text: c.said for c in summary.claims if c.said_text}
    interval = said["on Friday"]
    assert interval is not None and interval.start == interval.end == date(2026, 2, 27)
    [radars] = summary.arms_transfers
    assert radars.date_text is None  # "will be delivered in 2026" dates no contract


def test_a_future_published_option_warns_and_is_dropped(
    server: ArticleServer, chile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(
        capsys, "extract", str(chile), "--published", "2999-01-01", *endpoint_args(server)
    )
    assert code == 0
    summary = ArticleSummary.model_validate_json(out)
    assert summary.published is None
    [warning] = summary.provenance.warnings
    assert "2999-01-01" in warning and "not trusted" in warning
    assert err.startswith(f"summariser: warning: {chile}: publication date 2999-01-01")


def test_an_unreadable_published_option_is_a_usage_error(
    chile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        run_cli(capsys, "extract", str(chile), "--published", "last Tuesday")
    assert stop.value.code == 2
    assert "give it as YYYY-MM-DD" in capsys.readouterr().err


def test_a_feed_record_gives_its_own_publication_date(
    server: ArticleServer, chile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    feed = tmp_path / "feed.jsonl"
    text = chile.read_text(encoding="utf-8")
    records = [
        {"id": "a", "text": text, "published": "Mon, 02 Mar 2026 08:00:00 GMT"},
        {"id": "b", "text": text + "\nA second copy.", "published": "not a date"},
    ]
    feed.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    out = tmp_path / "results.jsonl"
    code, _, err = run_cli(
        capsys, "extract", str(feed), "--out", str(out), "--jobs", "1", *endpoint_args(server)
    )
    assert code == 1  # the record whose date cannot be read fails, and says why
    lines = {line["id"]: line for line in map(json.loads, out.read_text().splitlines())}
    assert lines["a"]["ok"] and lines["a"]["summary"]["published"] == "2026-03-02"
    assert not lines["b"]["ok"] and "cannot read 'not a date' as a date" in lines["b"]["error"]
    assert "not a date" in err


def test_a_ray_row_carries_its_publication_date_to_the_article() -> None:
    from summariser.batch.rows import article_of

    row = {"id": "r1", "text": "Navy Gets Boats\n\nPeru got boats.", "published": "2024-06-01"}
    assert article_of(row).published == "2024-06-01"
    assert article_of({"id": "r2", "text": "x"}).published is None
