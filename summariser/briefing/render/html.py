"""A briefing as one self-contained, interactive HTML page (no network fetches).

Article text is hostile input, so:

* the page is rendered by Jinja with autoescape on, from ``summariser/templates/``; no
  article-derived string reaches an ``href``, ``src``, ``style`` or event attribute (the
  page has none) or ``innerHTML``;
* each article's text travels in a non-executable JSON data block (``tojson`` escapes
  ``<``, ``>``, ``&`` and ``'``); the page's script highlights evidence by building text
  nodes and a ``<mark>`` with ``textContent``;
* a Content-Security-Policy meta tag lets nothing run but the page's own inline script
  (allowed by its sha256 hash) and nothing load at all (inline styles and ``data:`` images
  only), so even markup that slipped through could neither run nor fetch.

The supplier -> recipient flow diagram is inline SVG laid out here, the timeline in
:mod:`.timeline`; only numbers and escaped text reach them.
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Optional

import jinja2
from markupsafe import Markup

from summariser.briefing.estimative import STANCE, parties, quoted
from summariser.briefing.merging import MergedActor
from summariser.briefing.model import BriefingModel
from summariser.briefing.narrative import MERGE_NOTE
from summariser.briefing.render.timeline import layout
from summariser.briefing.timeline import span
from summariser.briefing.transfers import MergedTransfer, TransferReport, furthest
from summariser.records import Status, stage

WIDTH, LABEL, BAR, NODE, ROW, PAD = 800, 230, 10, 22, 32, 12
MAX_LABEL = 30
MAX_EDGE = 14
TRANSFER_COLUMNS = (
    "#", "Supplier", "Recipient", "Designation", "Description", "Category", "Ordered",
    "Delivered", "Order date", "Delivery date", "Status", "Sources",
)  # fmt: skip


@dataclass(frozen=True)
class FlowNode:
    name: str
    short: str
    y: int


@dataclass(frozen=True)
class FlowEdge:
    d: str
    width: int
    stage: str
    title: str


@dataclass(frozen=True)
class Flow:
    height: int
    left: tuple[FlowNode, ...]
    right: tuple[FlowNode, ...]
    edges: tuple[FlowEdge, ...]
    width: int = WIDTH
    left_x: int = LABEL
    right_x: int = WIDTH - LABEL - BAR


def _nodes(names: Iterable[str]) -> tuple[FlowNode, ...]:
    """Most transfers first; a long name is shortened on the diagram (full in its title)."""
    ordered = [name for name, _ in Counter(names).most_common()]
    return tuple(
        FlowNode(n, n if len(n) <= MAX_LABEL else n[: MAX_LABEL - 1] + "…", PAD + i * ROW)
        for i, n in enumerate(ordered)
    )


def flow(transfers: Sequence[MergedTransfer]) -> Flow:
    """Suppliers on the left, recipients on the right, one curve per pair of them."""
    pairs: dict[tuple[str, str], list[MergedTransfer]] = {}
    for t in transfers:
        pairs.setdefault(parties(t), []).append(t)
    left = _nodes(s for s, _ in map(parties, transfers))
    right = _nodes(r for _, r in map(parties, transfers))
    ly = {n.name: n.y + NODE // 2 for n in left}
    ry = {n.name: n.y + NODE // 2 for n in right}
    x1, x2 = LABEL + BAR, WIDTH - LABEL - BAR
    middle = (x1 + x2) // 2
    edges = tuple(
        FlowEdge(
            d=f"M{x1},{ly[s]} C{middle},{ly[s]} {middle},{ry[r]} {x2},{ry[r]}",
            width=min(2 + 3 * (len(ts) - 1), MAX_EDGE),
            stage=furthest(t.status for t in ts).value,
            title=f"{s} → {r}: " + "; ".join(f"{t.weapon} ({t.status.value})" for t in ts),
        )
        for (s, r), ts in pairs.items()
    )
    rows = max(len(left), len(right), 1)
    return Flow(2 * PAD + rows * ROW - (ROW - NODE), left, right, edges)


def _resource(name: str) -> str:
    return (resources.files("summariser.briefing") / "templates" / name).read_text("utf-8")


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FunctionLoader(_resource),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def policy(script: str) -> str:
    """The page's Content-Security-Policy: its own script (by hash) and nothing else."""
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    return (
        f"default-src 'none'; script-src 'sha256-{digest}'; style-src 'unsafe-inline'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


def _name(actor: Optional[MergedActor]) -> str:
    return actor.name if actor else "—"


@dataclass(frozen=True)
class DateCell:
    text: str  # ISO 8601, or '—'
    sort: str  # the first day, for sorting ('' when undated)
    words: str  # the article's words, shown on hover


def date_cell(report: Optional[TransferReport]) -> DateCell:
    if report is None or report.date is None:
        return DateCell("—", "", "")
    return DateCell(span(report.date), report.date.start.isoformat(), report.date_text or "")


def _context(b: BriefingModel) -> dict[str, Any]:
    script = _resource("brief.js")
    return {
        "b": b,
        "flow": flow(b.transfers),
        "node_height": NODE,
        "bar": BAR,
        "columns": TRANSFER_COLUMNS,
        "stages": [s.value for s in Status],
        "merge_note": MERGE_NOTE,
        "stance_key": [(phrase, f.value) for f, phrase in STANCE.items()],
        "articles": [{"label": s.label, "title": s.title, "text": s.text} for s in b.sources],
        "css": Markup(_resource("brief.css")),
        "script": Markup(script),
        "csp": policy(script),
        "name": _name,
        "quoted": quoted,
        "stage": stage,
        "timeline": layout(b.timeline),
        "undated": len(b.transfers) - len({e.transfer.id for e in b.timeline}),
        "date_cell": date_cell,
    }


def render(b: BriefingModel) -> str:
    return _environment().get_template("brief.html").render(_context(b)).lstrip()
