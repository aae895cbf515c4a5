"""What got better or worse between two eval reports, per metric and per article.

Articles are matched by file name; articles in only one report are listed. A change is
``better`` or ``worse`` by each metric's direction (higher F1 is better, fewer seconds
are better). Scores and counts are deterministic, so any change counts; timings vary from
run to run, so a change below 5% of the baseline (and below 0.05 s) reads as ``same``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Optional

from summariser.evaluation.report import ArticleRun, EvalReport, table
from summariser.evaluation.scoring import SLOTS, ArticleScore

EXACT = 1e-9
SECONDS_NOISE = (0.05, 0.05)  # (share of the baseline, absolute): below both reads "same"
SHARE_NOISE = (0.05, 0.0)


@dataclass(frozen=True)
class Delta:
    """One metric in both reports."""

    metric: str
    current: Optional[float]
    baseline: Optional[float]
    higher_is_better: bool
    noise: tuple[float, float] = (0.0, 0.0)  # (relative, absolute) change that is "same"

    @property
    def change(self) -> Optional[float]:
        if self.current is None or self.baseline is None:
            return None
        return self.current - self.baseline

    @property
    def verdict(self) -> str:
        """'better', 'worse', 'same', or 'n/a' when one side has no value."""
        change = self.change
        if change is None or self.baseline is None:
            return "n/a"
        relative, absolute = self.noise
        if abs(change) <= max(relative * abs(self.baseline), absolute, EXACT):
            return "same"
        return "better" if (change > 0) == self.higher_is_better else "worse"


@dataclass(frozen=True)
class ArticleDelta:
    """One article present in both reports."""

    article: str
    deltas: list[Delta]

    @property
    def verdict(self) -> str:
        """'better' or 'worse' when every change points one way, 'mixed', or 'same'."""
        found = {d.verdict for d in self.deltas} & {"better", "worse"}
        return found.pop() if len(found) == 1 else ("mixed" if found else "same")


@dataclass(frozen=True)
class Comparison:
    """The current report against a baseline."""

    metrics: list[Delta]
    articles: list[ArticleDelta]
    only_current: list[str]
    only_baseline: list[str]
    changed_setup: list[str]  # e.g. "model: a -> b", "prompt_hash: x -> y"

    def to_markdown(self) -> str:
        return "\n".join(_markdown(self)) + "\n"


Getter = Callable[[EvalReport], Optional[float]]


def slot_rate(report: EvalReport, key: str) -> Optional[float]:
    """A slot's accuracy; None when the report has no such slot (an older baseline)."""
    found = report.slots.get(key)
    return found.rate if found is not None else None


Noise = tuple[float, float]
EXACT_ONLY: Noise = (0.0, 0.0)
# (label, value, higher is better, noise)
METRICS: list[tuple[str, Getter, bool, Noise]] = [
    ("transfers F1", lambda r: r.transfers.f1, True, EXACT_ONLY),
    ("transfers strict F1", lambda r: r.transfers_strict.f1, True, EXACT_ONLY),
    ("claims F1", lambda r: r.claims.f1, True, EXACT_ONLY),
    ("actors F1", lambda r: r.actors.f1, True, EXACT_ONLY),
    *[(f"slot {k}", (lambda r, k=k: slot_rate(r, k)), True, EXACT_ONLY) for k in SLOTS],
    ("grounding rate", lambda r: r.grounding.rate, True, EXACT_ONLY),
    ("median s/article", lambda r: r.benchmark.seconds_median, False, SECONDS_NOISE),
    ("p90 s/article", lambda r: r.benchmark.seconds_p90, False, SECONDS_NOISE),
    ("LLM calls/article", lambda r: r.benchmark.llm_calls.per_article, False, EXACT_ONLY),
    ("prompt tokens/article", lambda r: r.benchmark.prompt_tokens.per_article, False, EXACT_ONLY),
    (
        "completion tokens/article",
        lambda r: r.benchmark.completion_tokens.per_article,
        False,
        EXACT_ONLY,
    ),
    ("outside-model share", lambda r: r.benchmark.outside_model_share, False, SHARE_NOISE),
    ("invalid outputs", lambda r: r.benchmark.invalid_outputs, False, EXACT_ONLY),
    ("failed articles", lambda r: r.benchmark.failed, False, EXACT_ONLY),
]
Row = tuple[ArticleRun, ArticleScore]
ARTICLE_METRICS: list[tuple[str, Callable[[Row], float], bool, Noise]] = [
    ("transfers F1", lambda row: row[1].transfers.f1, True, EXACT_ONLY),
    ("strict F1", lambda row: row[1].transfers_strict.f1, True, EXACT_ONLY),
    ("claims F1", lambda row: row[1].claims.f1, True, EXACT_ONLY),
    ("actors F1", lambda row: row[1].actors.f1, True, EXACT_ONLY),
    ("seconds", lambda row: row[0].seconds, False, SECONDS_NOISE),
    ("prompt tokens", lambda row: row[0].prompt_tokens, False, EXACT_ONLY),
]
SETUP = ("model", "endpoint", "structured", "prompt_hash", "schema_version", "version", "folder")


def compare(current: EvalReport, baseline: EvalReport) -> Comparison:
    """Per-metric and per-article differences of ``current`` from ``baseline``."""
    metrics = [Delta(label, get(current), get(baseline), up, t) for label, get, up, t in METRICS]
    now = {run.article: (run, score) for run, score in current.rows()}
    before = {run.article: (run, score) for run, score in baseline.rows()}
    articles = [
        ArticleDelta(name, [Delta(m, f(now[name]), f(before[name]), up, t)
                            for m, f, up, t in ARTICLE_METRICS])
        for name in now if name in before
    ]  # fmt: skip
    setup = [
        f"{key}: {getattr(baseline.run, key)} -> {getattr(current.run, key)}"
        for key in SETUP
        if getattr(baseline.run, key) != getattr(current.run, key)
    ]
    return Comparison(
        metrics=metrics,
        articles=articles,
        only_current=[n for n in now if n not in before],
        only_baseline=[n for n in before if n not in now],
        changed_setup=setup,
    )


# --------------------------------------------------------------------------- Markdown

MARKS = {"better": "better ▲", "worse": "worse ▼", "same": "same", "n/a": "n/a"}


def _value(value: Optional[float]) -> str:
    if value is None:
        return "—"
    return f"{value:.0f}" if abs(value) >= 100 else f"{value:.3f}".rstrip("0").rstrip(".")


def _change(delta: Delta) -> str:
    change = delta.change
    return "—" if change is None else ("+" if change > 0 else "") + _value(change)


def _article_cell(delta: Delta) -> str:
    if delta.verdict in ("same", "n/a"):
        return _value(delta.current)
    arrow = "▲" if delta.verdict == "better" else "▼"
    return f"{_value(delta.baseline)} → {_value(delta.current)} {arrow}"


def _markdown(comparison: Comparison) -> list[str]:
    lines = ["## Compared with the baseline", ""]
    if comparison.changed_setup:
        lines += ["Changed since the baseline: " + "; ".join(comparison.changed_setup), ""]
    metrics = [
        (d.metric, _value(d.baseline), _value(d.current), _change(d), MARKS[d.verdict])
        for d in comparison.metrics
    ]
    lines += table(("metric", "baseline", "current", "change", ""), metrics)
    changed = [a for a in comparison.articles if a.verdict != "same"]
    unchanged = len(comparison.articles) - len(changed)
    lines += ["", "### Per article", "", f"{len(changed)} changed, {unchanged} unchanged."]
    if changed:
        header = ("article", *(m[0] for m in ARTICLE_METRICS), "")
        rows = [(a.article, *(_article_cell(d) for d in a.deltas), a.verdict) for a in changed]
        lines += ["", *table(header, rows)]
    if comparison.only_current or comparison.only_baseline:
        lines.append("")
    if comparison.only_current:
        lines.append("Only in the current run: " + ", ".join(comparison.only_current))
    if comparison.only_baseline:
        lines.append("Only in the baseline: " + ", ".join(comparison.only_baseline))
    return lines
