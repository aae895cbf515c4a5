"""Plain renderings of one :class:`ArticleSummary` (Markdown for humans, JSON for tools)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Optional

from summariser.records import ArticleSummary, DateInterval, Evidence


def to_json(summaries: Sequence[ArticleSummary], *, single: bool) -> str:
    """One object when ``single``, else a list: exactly the published record shape."""
    if single:
        return summaries[0].model_dump_json(indent=2)
    return json.dumps([s.model_dump(mode="json") for s in summaries], indent=2, ensure_ascii=False)


def _cell(value: object) -> str:
    return str(value if value is not None else "—").replace("|", "\\|").replace("\n", " ")


def _quote(evidence: Sequence[Evidence]) -> str:
    if not evidence:
        return ""
    ev = evidence[0]
    return f"“{_cell(ev.quote)}” [{ev.start}:{ev.end}]"


def when(words: Optional[str], interval: Optional[DateInterval]) -> str:
    """'in March 2023 (2023-03-01 to 2023-03-31)'; the words alone when unresolved."""
    if words is None:
        return "—"
    if interval is None:
        return f"{_cell(words)} (unresolved)"
    span = interval.start.isoformat()
    if interval.end != interval.start:
        span += f" to {interval.end.isoformat()}"
    return f"{_cell(words)} ({span})"


def to_markdown(summary: ArticleSummary) -> str:
    """A readable report of one article: summary, transfers, claims, actors, provenance."""
    names = {a.id: a.name for a in summary.actors}
    lines = [f"# {summary.title or summary.source or 'Article'}", ""]
    if summary.published:
        lines += [f"Published: {summary.published.isoformat()}", ""]
    lines += [summary.summary, "", "## Arms transfers", ""]
    if summary.arms_transfers:
        lines += ["| id | supplier | recipient | weapon | category | quantity | status | when "
                  "| quote |", "|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
        for t in summary.arms_transfers:
            quantity = t.quantity if t.quantity is not None else t.quantity_text
            lines.append(
                f"| {t.id} | {_cell(names.get(t.supplier or ''))} | "
                f"{_cell(names.get(t.recipient or ''))} | {_cell(t.weapon)} | {t.category.value} "
                f"| {_cell(quantity)} | {t.status.value} | {when(t.date_text, t.date)} "
                f"| {_quote(t.evidence)} |"
            )
    else:
        lines.append("None reported.")
    lines += ["", "## Claims", ""]
    for c in summary.claims:
        source = names.get(c.source or "", "Unattributed")
        said = f", said {when(c.said_text, c.said)}" if c.said_text else ""
        lines.append(
            f"- **{c.id}** {_cell(source)} ({c.type.value}, {c.factuality.value}{said}): "
            f"{_cell(c.content)} — {_quote(c.evidence)}"
        )
    if not summary.claims:
        lines.append("None extracted.")
    lines += ["", "## Actors", ""]
    for a in summary.actors:
        aliases = ", ".join(x for x in a.aliases if x != a.name)
        country = f", {a.country}" if a.country else ""
        lines.append(
            f"- **{a.name}** ({a.type.value}{country})" + (f": {aliases}" if aliases else "")
        )
    p = summary.provenance
    lines += [
        "", "## Provenance", "",
        f"model {p.model} ({p.endpoint}), prompt {p.prompt_hash}, schema {p.schema_version}, "
        f"summariser {p.version}; {p.usage.llm_calls} LLM calls, {p.usage.prompt_tokens} prompt + "
        f"{p.usage.completion_tokens} completion tokens, {p.timings.get('total', 0):.1f} s; "
        f"{len(p.discarded)} model outputs discarded.",
        *(f"\nWarning: {_cell(w)}" for w in p.warnings),
        "",
    ]  # fmt: skip
    return "\n".join(lines)
