"""The result of one eval run: scores, benchmark figures and per-article figures.

:class:`EvalReport` holds the scorer's micro-averaged :class:`~summariser.evaluation.scoring.Report`
(``report.transfers.f1``, ``report.claims.f1``, ...), one :class:`ArticleRun` per article
(time, calls, tokens, integrity checks, the error of a failed run) and the
:class:`Benchmark` computed from them. It round-trips through JSON
(:meth:`EvalReport.to_json`, :meth:`EvalReport.from_json`) so a later run can be compared
with it, and renders a Markdown report (:meth:`EvalReport.to_markdown`).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Optional, Union

from pydantic import TypeAdapter, ValidationError

from summariser.errors import InputError
from summariser.evaluation.scoring import (
    PRF,
    ArticleScore,
    Ratio,
    Report,
    percentile,
    split_gap,
)

REPORT_FORMAT = 1  # bump when the JSON shape changes incompatibly


@dataclass(frozen=True)
class Integrity:
    """Checks the scorer does not make; each should be 0."""

    bad_offsets: int  # evidence spans where text[start:end] != quote
    twin_actors: int  # pairs of actors that are one entity (shared form, or one state's code)
    furniture: int  # page-furniture markers left in the text the model saw


@dataclass(frozen=True)
class ArticleRun:
    """What running one article cost and produced (scores live in ``EvalReport.scores``)."""

    article: str  # the article's file name
    seconds: float  # provenance 'total', or wall seconds until the run failed
    model_seconds: float
    llm_calls: int
    prompt_tokens: int
    completion_tokens: int
    retries: int
    cache_hits: int
    invalid_outputs: int  # model replies or reply items rejected by validation, or cut off
    predicted: dict[str, int]  # record counts: actors, arms_transfers, claims
    gold: dict[str, int]
    integrity: Integrity
    error: Optional[str] = None  # why summarise raised; the article is scored as empty
    no_summary: bool = False  # scoring saved output: none for this article (``error`` says why)
    cached_prompt_tokens: int = 0  # of prompt_tokens, served from the server's prefix cache
    predicted_completion_tokens: int = 0  # of completion_tokens, appended without sampling

    @property
    def failed(self) -> bool:
        """No prediction was scored: its run failed, or no saved summary was found."""
        return self.error is not None

    @property
    def evaluated_prompt_tokens(self) -> int:
        """Prompt tokens the server had to evaluate (not served from its prefix cache)."""
        return self.prompt_tokens - self.cached_prompt_tokens

    @property
    def sampled_tokens(self) -> int:
        """Completion tokens that took a decoding step each (not fixed by the schema)."""
        return self.completion_tokens - self.predicted_completion_tokens


@dataclass(frozen=True)
class Figure:
    """A count summed over the articles, and its mean per article (None without articles)."""

    total: int
    per_article: Optional[float]
    median: Optional[float] = None


@dataclass(frozen=True)
class Benchmark:
    """Cost of the run. Seconds come from the articles that did not fail; counts from all."""

    seconds_median: Optional[float]
    seconds_p90: Optional[float]
    seconds_total: float  # summed article seconds (no server start)
    outside_model_share: Optional[float]  # sum(total - model) / sum(total)
    llm_calls: Figure
    prompt_tokens: Figure
    completion_tokens: Figure
    cache_hits: int
    retries: int
    invalid_outputs: int
    failed: int  # articles whose run failed
    no_summary: int = 0  # scoring saved output: articles with no summary (not in ``failed``)
    # not in reports written before it was measured
    evaluated_prompt_tokens: Figure = Figure(0, None)
    sampled_tokens: Figure = Figure(0, None)


def _figure(values: Sequence[int]) -> Figure:
    if not values:
        return Figure(0, None)
    return Figure(sum(values), statistics.fmean(values), percentile(sorted(values), 0.5))


def benchmark(runs: Sequence[ArticleRun]) -> Benchmark:
    """Benchmark figures of ``runs`` (median and p90 by linear interpolation)."""
    answered = [r for r in runs if not r.failed]
    seconds = sorted(r.seconds for r in answered)
    total = sum(seconds)
    outside = sum(max(0.0, r.seconds - r.model_seconds) for r in answered)
    return Benchmark(
        seconds_median=percentile(seconds, 0.5) if seconds else None,
        seconds_p90=percentile(seconds, 0.9) if seconds else None,
        seconds_total=total,
        outside_model_share=outside / total if total > 0 else None,
        llm_calls=_figure([r.llm_calls for r in runs]),
        prompt_tokens=_figure([r.prompt_tokens for r in runs]),
        completion_tokens=_figure([r.completion_tokens for r in runs]),
        cache_hits=sum(r.cache_hits for r in runs),
        evaluated_prompt_tokens=_figure([r.evaluated_prompt_tokens for r in runs]),
        sampled_tokens=_figure([r.sampled_tokens for r in runs]),
        retries=sum(r.retries for r in runs),
        invalid_outputs=sum(r.invalid_outputs for r in runs),
        failed=sum(1 for r in runs if r.failed and not r.no_summary),
        no_summary=sum(1 for r in runs if r.no_summary),
    )


@dataclass(frozen=True)
class RunInfo:
    """How the run was made (the reproducibility fields of every output, for the run)."""

    folder: str
    model: str
    endpoint: str  # 'embedded' or 'openai-compatible'
    base_url: Optional[str]  # credentials removed; None for the embedded model
    structured: str
    prompt_hash: str
    schema_version: str
    version: str  # summariser version
    created_at: datetime
    wall_seconds: float  # the whole run, server start included
    cache_dir: Optional[str]  # response cache used, or None
    skipped: list[str] = field(default_factory=list)  # article files without gold labels
    split: Optional[str] = None  # 'tune' or 'confirm' when only that part was scored
    summaries: Optional[str] = None  # scoring saved output: where it was read (no model run)
    notes: list[str] = field(default_factory=list)  # saved output ignored or unreadable
    confirm: list[str] = field(default_factory=list)  # confirm stems, when both splits scored
    format: int = REPORT_FORMAT


# --fail-under names: what each one gates
GATES: dict[str, Callable[[EvalReport], float]] = {
    "transfers": lambda r: r.transfers.f1,
    "transfers_strict": lambda r: r.transfers_strict.f1,
    "claims": lambda r: r.claims.f1,
    "actors": lambda r: r.actors.f1,
    "grounding": lambda r: r.grounding.rate if r.grounding.rate is not None else 1.0,
}


@dataclass(frozen=True)
class EvalReport:
    """Scores, benchmark and per-article figures of one eval run."""

    run: RunInfo
    scores: Report
    benchmark: Benchmark
    article_runs: list[ArticleRun]

    def __post_init__(self) -> None:
        if len(self.scores.per_article) != len(self.article_runs):
            raise ValueError("the report needs one score per article run")

    @property
    def transfers(self) -> PRF:
        return self.scores.transfers

    @property
    def transfers_strict(self) -> PRF:
        return self.scores.transfers_strict

    @property
    def claims(self) -> PRF:
        return self.scores.claims

    @property
    def actors(self) -> PRF:
        return self.scores.actors

    @property
    def slots(self) -> dict[str, Ratio]:
        return self.scores.slots

    @property
    def grounding(self) -> Ratio:
        return self.scores.grounding

    def rows(self) -> list[tuple[ArticleRun, ArticleScore]]:
        """Each article's run with its scores, in run order."""
        return list(zip(self.article_runs, self.scores.per_article, strict=True))

    def metric(self, name: str) -> float:
        """A gated figure by its ``--fail-under`` name (see :data:`GATES`)."""
        return GATES[name](self)

    def to_json(self, indent: int = 2) -> str:
        return _ADAPTER.dump_json(self, indent=indent).decode("utf-8")

    @classmethod
    def from_json(cls, path: Union[str, Path]) -> EvalReport:
        """Load a report written by :meth:`to_json` (e.g. a ``.report.json`` baseline)."""
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            reason = error.strerror or str(error)
            raise InputError(
                f"{path}: cannot read the report ({reason}); check the path"
            ) from error
        try:
            return _ADAPTER.validate_json(text)
        except (ValidationError, ValueError) as error:
            raise InputError(
                f"{path} is not a summariser eval report ({first_problem(error)}); "
                "pass a .report.json written by `summariser eval`"
            ) from error

    def to_markdown(self) -> str:
        """A readable report: headline scores, slots, benchmark, articles, their errors."""
        return "\n".join(_markdown(self)) + "\n"


def first_problem(error: Exception) -> str:
    """The first problem a parse or validation error names, as ``where: what``."""
    if isinstance(error, ValidationError):
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "top level"
        return f"{where}: {first['msg']}"
    return str(error).splitlines()[0]


_ADAPTER: TypeAdapter[EvalReport] = TypeAdapter(EvalReport)


# --------------------------------------------------------------------------- Markdown

HEADLINE = (
    ("transfers", "arms transfers"),
    ("transfers_strict", "arms transfers, status too"),
    ("claims", "claims"),
    ("actors", "actors"),
)
ERROR_KINDS = (("transfers", "transfers"), ("claims", "claims"), ("actors", "actors"))


def _num(value: Optional[float], digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _percent(value: Optional[float]) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    """A Markdown table (cells escaped)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]


def _run_lines(report: EvalReport) -> list[str]:
    run = report.run
    where = f"{run.endpoint} at {run.base_url}" if run.base_url else run.endpoint
    made = (
        f"model `{run.model}` ({where}, {run.structured}); prompt hash `{run.prompt_hash}`, "
        f"schema {run.schema_version}, summariser {run.version}; "
    )
    if run.summaries is not None:
        lines = [
            f"{report.scores.articles} articles from `{run.folder}`, scored from the saved "
            f"summaries in `{run.summaries}` (no model run); they were made by {made}"
            f"scored {run.created_at:%Y-%m-%d %H:%M} UTC in {run.wall_seconds:.1f} s."
        ]
    else:
        lines = [
            f"{report.scores.articles} articles from `{run.folder}`; {made}"
            f"{run.created_at:%Y-%m-%d %H:%M} UTC; {run.wall_seconds:.1f} s wall, server start "
            "included; "
            + (f"response cache `{run.cache_dir}`." if run.cache_dir else "no response cache.")
        ]
    if run.skipped:
        lines += ["", "Skipped (no gold `.json` beside them): " + ", ".join(run.skipped)]
    missing = [r.article for r in report.article_runs if r.no_summary]
    if missing:
        lines += ["", "No summary (scored as producing nothing): " + ", ".join(missing)]
    for note in run.notes:
        lines += ["", f"Note: {note}"]
    return lines


def _headline(report: EvalReport) -> list[str]:
    rows = []
    for key, label in HEADLINE:
        s: PRF = getattr(report.scores, key)
        low_high = report.scores.f1_interval.get(key)
        interval = f"{low_high[0]:.3f}–{low_high[1]:.3f}" if low_high else "—"
        row = (label, _num(s.precision), _num(s.recall), f"**{s.f1:.3f}**", interval, s.tp)
        rows.append((*row, s.predicted, s.gold))
    header = ("records", "precision", "recall", "F1", "95% interval", "matched", "predicted")
    g = report.grounding
    return [
        *table((*header, "gold"), rows),
        "",
        f"Grounding: {_percent(g.rate)} of {g.total} evidence spans satisfy "
        "`text[start:end] == quote`. Intervals: bootstrap over articles (below 30 articles).",
    ]


def _splits(report: EvalReport) -> list[str]:
    """Tune against confirm, when a folder with a ``splits.json`` was scored whole: each
    split's F1, the gap, and its 95% interval from resampling each split's articles."""
    confirm = set(report.run.confirm)
    if not confirm:
        return []
    stems = [Path(run.article).stem for run in report.article_runs]
    held = [s for s, stem in zip(report.scores.per_article, stems, strict=True) if stem in confirm]
    rest = [
        s for s, stem in zip(report.scores.per_article, stems, strict=True) if stem not in confirm
    ]
    if not held or not rest:
        return []
    rows = [
        (
            label,
            f"{g.first:.3f}",
            f"{g.second:.3f}",
            f"**{g.gap:+.3f}**",
            f"{g.low:+.3f} to {g.high:+.3f}",
        )
        for key, label in HEADLINE
        if (g := split_gap(rest, held, key)) is not None
    ]
    return [
        f"## Tune ({len(rest)}) and confirm ({len(held)})",
        "",
        *table(("records", "tune F1", "confirm F1", "gap", "95% interval of the gap"), rows),
        "",
        "Gap: tune F1 minus confirm F1; interval: bootstrap resampling each split's articles "
        "separately. A gap whose interval holds 0 is within what the articles' draw explains.",
        "",
    ]


def _slots(report: EvalReport) -> list[str]:
    rows = [(k, _percent(r.rate), f"{r.hits}/{r.total}") for k, r in report.slots.items()]
    lines = table(("slot", "accuracy on matched pairs", "agree / pairs"), rows)
    dates, matched = report.slots.get("transfer.date"), report.slots.get("transfer.status")
    if dates is not None and matched is not None:
        lines += [
            "",
            f"transfer.date: the date words, on the {dates.total} matched transfers whose gold "
            f"labels `date_text`; {matched.total - dates.total} matched transfers not labelled.",
        ]
    return lines


def _benchmark(report: EvalReport) -> list[str]:
    b = report.benchmark

    def mean_total(f: Figure) -> str:
        return f"{_num(f.per_article, 1)} ({f.total} in all)"

    def median_mean(f: Figure) -> str:
        return f"{_num(f.median, 0)} (mean {_num(f.per_article, 0)}, {f.total} in all)"

    rows = [
        ("seconds per article, median", _num(b.seconds_median, 1)),
        ("seconds per article, p90", _num(b.seconds_p90, 1)),
        ("LLM calls per article", mean_total(b.llm_calls)),
        ("prompt tokens per article", mean_total(b.prompt_tokens)),
        (
            "evaluated prompt tokens per article (not from the prefix cache), median",
            median_mean(b.evaluated_prompt_tokens),
        ),
        ("generated tokens per article, median", median_mean(b.completion_tokens)),
        (
            "sampled tokens per article (generated, less those the schema fixed), median",
            median_mean(b.sampled_tokens),
        ),
        ("completion tokens per article", mean_total(b.completion_tokens)),
        ("time outside the model (share of article time)", _percent(b.outside_model_share)),
        ("cache hits", b.cache_hits),
        ("retries and re-asks", b.retries),
        ("invalid model outputs", b.invalid_outputs),
        ("failed articles", b.failed),
        ("wall seconds, server start included", _num(report.run.wall_seconds, 1)),
    ]
    if report.run.summaries is None:
        return table(("figure", "value"), rows)
    rows[-1] = ("articles without a summary", b.no_summary)
    return [
        "What making the saved summaries cost, from their provenance:",
        "",
        *table(("figure", "value"), rows),
    ]


def _counts(run: ArticleRun) -> str:
    keys = ("actors", "arms_transfers", "claims")
    return " · ".join(f"{run.predicted.get(k, 0)}/{run.gold.get(k, 0)}" for k in keys)


def _articles(report: EvalReport) -> list[str]:
    header = ["article", "s", "calls", "prompt tok", "evaluated tok", "generated tok"]
    header += ["sampled tok"]
    header += ["cache hits", "invalid"]
    header += ["transfers F1", "strict F1", "claims F1", "actors F1", "a · t · c (pred/gold)"]
    header += ["bad offsets", "twin actors", "furniture"]
    rows = []
    for run, score in report.rows():
        f1s = [_num(getattr(score, k).f1, 2) for k, _ in HEADLINE]
        i = run.integrity
        status = " (no summary)" if run.no_summary else " (failed)" if run.failed else ""
        name = run.article + status
        cost = (run.llm_calls, run.prompt_tokens, run.evaluated_prompt_tokens,
                run.completion_tokens, run.sampled_tokens, run.cache_hits)  # fmt: skip
        checks = (i.bad_offsets, i.twin_actors, i.furniture)
        rows.append(
            (name, _num(run.seconds, 1), *cost, run.invalid_outputs, *f1s, _counts(run), *checks)
        )
    return table(header, rows)


def _errors(report: EvalReport) -> list[str]:
    lines: list[str] = []
    for run, score in report.rows():
        lines += ["", f"### {run.article}", ""]
        if run.error:
            lines.append(f"- **{'no summary' if run.no_summary else 'run failed'}**: {run.error}")
        for key, label in ERROR_KINDS:
            for title, found in (
                ("false positive", score.false_positives),
                ("missed", score.misses),
            ):
                items: list[str] = getattr(found, key)
                if items:
                    lines.append(f"- **{title} {label}** ({len(items)}): " + "; ".join(items))
        if lines[-1] == "":
            lines.append("No false positives, no misses.")
    return lines


def _markdown(report: EvalReport) -> list[str]:
    return [
        f"# Eval report: {Path(report.run.folder).name}",
        "",
        *_run_lines(report),
        "",
        "## Scores",
        "",
        *_headline(report),
        "",
        *_splits(report),
        "## Slot accuracy",
        "",
        *_slots(report),
        "",
        "## Benchmark",
        "",
        *_benchmark(report),
        "",
        *(_held_back() if report.run.split == "confirm" else _per_article(report)),
    ]


def _per_article(report: EvalReport) -> list[str]:
    return [
        "## Articles",
        "",
        *_articles(report),
        "",
        "## False positives and misses",
        *_errors(report),
    ]


def _held_back() -> list[str]:
    """What a confirm report says instead of its per-article scores and errors: the split
    is scored, not read, while the code changes (its JSON report still holds them)."""
    return [
        "## Articles",
        "",
        "Per-article scores, false positives and misses are left out of the confirm split's "
        "report: read them only when the work is done (the `.report.json` holds them, and "
        "`summariser eval` without `--split` reports every article).",
    ]


def article_line(run: ArticleRun, score: ArticleScore) -> str:
    """One log line per article: cost, record counts, integrity checks and F1s."""
    if run.no_summary:
        return f"{run.article[:40]:40} NO SUMMARY: {run.error}"
    if run.failed:
        return f"{run.article[:40]:40} {run.seconds:6.1f}s FAILED: {run.error}"
    i = run.integrity
    return (
        f"{run.article[:40]:40} {run.seconds:6.1f}s calls={run.llm_calls:2} "
        f"hits={run.cache_hits:2} prompt={run.prompt_tokens:6} "
        f"evaluated={run.evaluated_prompt_tokens:6} generated={run.completion_tokens:5} "
        f"sampled={run.sampled_tokens:5} "
        f"invalid={run.invalid_outputs} "
        f"a·t·c={_counts(run)} bad_offsets={i.bad_offsets} twins={i.twin_actors} "
        f"furniture={i.furniture} F1 t={score.transfers.f1:.2f} "
        f"ts={score.transfers_strict.f1:.2f} c={score.claims.f1:.2f} a={score.actors.f1:.2f}"
    )


def summary_markdown(report: EvalReport) -> str:
    """The headline scores and the benchmark table (what the CLI prints at the end)."""
    lines = [*_run_lines(report), "", *_headline(report), "", *_splits(report), *_benchmark(report)]
    return "\n".join(lines) + "\n"
