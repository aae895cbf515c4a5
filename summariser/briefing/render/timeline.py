"""The briefing's timeline laid out for inline SVG: one row per dated transfer, one mark per
dated report spanning its period, coloured by stage, on an axis of years.

Only numbers and escaped text reach the page: the template writes these fields as
attribute numbers and element text (autoescaped); the marks carry their citation's article
number and evidence offsets, so clicking one opens the evidence like a citation does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from summariser.briefing.estimative import parties
from summariser.briefing.timeline import TimelineEntry, span

WIDTH, LEFT, RIGHT, TOP, ROW, MARK, AXIS = 800, 230, 16, 8, 26, 14, 28
MIN_MARK = 6  # pixels: a single day stays visible and clickable
MAX_LABEL = 32


@dataclass(frozen=True)
class Mark:
    x: int
    y: int
    width: int
    stage: str
    title: str
    label: str  # the citation, e.g. 'A1:t1'
    article: int
    start: int
    end: int


@dataclass(frozen=True)
class Row:
    y: int
    label: str
    title: str


@dataclass(frozen=True)
class Tick:
    x: int
    label: str


@dataclass(frozen=True)
class TimelineLayout:
    height: int
    rows: tuple[Row, ...]
    marks: tuple[Mark, ...]
    ticks: tuple[Tick, ...]
    top: int
    bottom: int
    width: int = WIDTH
    left: int = LEFT
    mark_height: int = MARK


def _step(years: int) -> int:
    """Years between labelled ticks: every year up to 12 years, then 2, 5 and 10."""
    for limit, step in ((12, 1), (24, 2), (60, 5)):
        if years <= limit:
            return step
    return 10


def layout(entries: Sequence[TimelineEntry]) -> TimelineLayout | None:
    """Rows in the order their first date comes; None when nothing is dated."""
    if not entries:
        return None
    first = date(min(e.date.start for e in entries).year, 1, 1)
    last = date(max(e.date.end for e in entries).year + 1, 1, 1)
    days = (last - first).days
    scale = (WIDTH - LEFT - RIGHT) / days

    def x(day: date) -> int:
        return LEFT + round((day - first).days * scale)

    order: list[str] = []
    for e in entries:
        if e.transfer.id not in order:
            order.append(e.transfer.id)
    y = {tid: TOP + i * ROW for i, tid in enumerate(order)}
    rows: list[Row] = []
    for tid in order:
        t = next(e.transfer for e in entries if e.transfer.id == tid)
        supplier, recipient = parties(t)
        full = f"{t.id} {supplier} → {recipient}: {t.weapon}"
        short = f"{t.id} {t.weapon}"
        label = short if len(short) <= MAX_LABEL else short[: MAX_LABEL - 1] + "…"
        rows.append(Row(y[tid], label, full))
    marks = tuple(
        Mark(
            x=x(e.date.start),
            y=y[e.transfer.id] + (ROW - MARK) // 2,
            width=max(MIN_MARK, x(e.date.end + timedelta(days=1)) - x(e.date.start)),
            stage=e.report.status.value,
            title=f"{e.report.cite.label} · {e.report.status.value} · “{e.report.date_text}” "
            f"({span(e.date)})",
            label=e.report.cite.label,
            article=e.report.cite.article,
            start=e.report.cite.start,
            end=e.report.cite.end,
        )
        for e in entries
    )
    bottom = TOP + len(order) * ROW
    step = _step(last.year - first.year)
    ticks = tuple(
        Tick(x(date(year, 1, 1)), str(year))
        for year in range(first.year, last.year + 1)
        if (year - first.year) % step == 0
    )
    return TimelineLayout(bottom + AXIS, tuple(rows), marks, ticks, TOP, bottom)
