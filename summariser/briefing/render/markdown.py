"""Markdown rendering of a :class:`~summariser.briefing.model.BriefingModel`, for mail and wikis.

Everything that comes from an article or a record file is hostile: it goes through
:func:`md`, which folds whitespace and backslash-escapes the characters Markdown or inline
HTML act on, so ``<script>`` reads as text and ``[x](javascript:...)`` is no link.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Optional

from summariser.briefing.estimative import STANCE, Statement, count, quoted
from summariser.briefing.merging import Cite
from summariser.briefing.model import BriefingModel
from summariser.briefing.narrative import MERGE_NOTE
from summariser.briefing.timeline import span
from summariser.briefing.transfers import TransferReport

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
NONE = "—"


def md(text: object) -> str:
    """Article-derived text made inert for Markdown: one line, special characters escaped."""
    return _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def cites(found: Iterable[Cite]) -> str:
    return " ".join(f"[{md(c.label)}]" for c in found)


def statement(s: Statement) -> str:
    return f"{md(s.text)} {cites(s.cites)}".rstrip()


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    return [_row(header), _row(["---"] * len(header)), *(_row(r) for r in rows)]


def _bullets(statements: Sequence[Statement]) -> list[str]:
    return [f"- {statement(s)}" for s in statements] or ["None."]


def _date(report: Optional[TransferReport]) -> str:
    return span(report.date) if report is not None and report.date is not None else NONE


def _number(value: Optional[int]) -> str:
    return NONE if value is None else str(value)


def _transfers(b: BriefingModel) -> list[str]:
    if not b.transfers:
        return ["No arms transfers reported."]
    rows = [
        [
            t.id,
            md(t.supplier.name if t.supplier else NONE),
            md(t.recipient.name if t.recipient else NONE),
            md(t.designation or NONE),
            md(t.description or NONE),
            t.category.value,
            _number(t.ordered),
            _number(t.delivered),
            _date(t.order_date),
            _date(t.delivery_date),
            t.status.value + (", disputed" if t.id in b.disputed else ""),
            cites(t.cites),
        ]
        for t in b.transfers
    ]
    header = ["", "supplier", "recipient", "designation", "description", "category"]
    header += ["ordered", "delivered", "order date", "delivery date", "status", "sources"]
    return [*_table(header, rows), "", "### Timeline", "", *_timeline(b)]


def _timeline(b: BriefingModel) -> list[str]:
    """A dated list: one line per dated report, earliest first."""
    lines = [
        f"- {span(e.date)} · {e.report.status.value} · {e.transfer.id} "
        f"{md(e.transfer.supplier.name if e.transfer.supplier else NONE)} → "
        f"{md(e.transfer.recipient.name if e.transfer.recipient else NONE)}: "
        f"{md(e.report.weapon)}, “{md(e.report.date_text)}” {cites([e.report.cite])}"
        for e in b.timeline
    ]
    dated = {e.transfer.id for e in b.timeline}
    undated = len(b.transfers) - len(dated)
    if undated:
        lines.append(f"- Undated: {count(undated, 'transfer')} (no article says when).")
    return lines


def _actors(b: BriefingModel) -> list[str]:
    rows = [
        [
            f"**{md(a.name)}**",
            a.type.value,
            md(a.country or NONE),
            md(", ".join(a.aliases) or NONE),
            cites(a.cites),
        ]
        for a in b.actors
    ]
    if not rows:
        return ["No actors named."]
    return _table(["actor", "type", "country", "also called", "cited"], rows)


def _claims(b: BriefingModel) -> list[str]:
    lines: list[str] = []
    for group in b.claims:
        name = md(group.source.name) if group.source else "Unattributed"
        lines += [f"### {name} ({count(len(group.claims), 'claim')})", ""]
        lines += [f"- {md(quoted(c))} {cites([c.cite])}" for c in group.claims]
        lines.append("")
    return lines[:-1] or ["No attributed claims."]


def _disputes(b: BriefingModel) -> list[str]:
    lines: list[str] = []
    for d in b.disputes:
        lines.append(f"- **{md(d.heading)}**")
        lines += [f"  - Reported: {statement(s)}" for s in d.for_side]
        lines += [f"  - Disputed: {statement(s)}" for s in d.against]
    lines += [f"- Dates disagree: {statement(c.statement())}" for c in b.date_conflicts]
    lines += [f"- Open question: {statement(s)}" for s in b.open_questions]
    return lines or ["No contradictions or open questions found."]


def _sources(b: BriefingModel) -> list[str]:
    rows = [
        [
            s.label,
            md(s.title),
            md(s.location or NONE),
            s.published.isoformat() if s.published else NONE,
        ]
        for s in b.sources
    ]
    return _table(["", "title", "source", "published"], rows)


def _method(b: BriefingModel) -> list[str]:
    key = "; ".join(f"{phrase} = {f.value}" for f, phrase in STANCE.items())
    return [
        *(f"- {md(line)}" for line in b.method),
        f"- {MERGE_NOTE}",
        f"- Estimative language (how sure the source is): {key}. A denial stays a denial.",
    ]


def render(b: BriefingModel) -> str:
    intro = (
        f"*{count(len(b.sources), 'article')}, {count(len(b.transfers), 'arms transfer')}, "
        f"{count(len(b.actors), 'actor')}. [A2:t3] cites record t3 of article A2 (see "
        "Sources).*"
    )
    sections: list[tuple[str, list[str]]] = [
        ("Bottom line", [" ".join(statement(s) for s in b.bottom_line)]),
        ("Key judgements", _bullets(b.key_judgements)),
        ("Arms transfers", _transfers(b)),
        ("Actors", _actors(b)),
        ("Claims by source", _claims(b)),
        ("Contradictions and open questions", _disputes(b)),
        ("Sources", _sources(b)),
        ("Method", _method(b)),
    ]
    lines = [f"# {md(b.title)}", "", intro]
    for heading, body in sections:
        lines += ["", f"## {heading}", "", *body]
    return "\n".join(lines) + "\n"
