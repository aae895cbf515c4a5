"""Score an :class:`ArticleSummary` against gold labels (``shared/evalset/GUIDE.md`` format).

Matching (all one-to-one, by an assignment that first maximises the number of matched
pairs, then their similarity):

* Actors match when any normalised form (name or alias; case, accents, punctuation and a
  leading "the" ignored) of one equals any form of the other.
* A predicted supplier/recipient/source (an actor id) is the same entity as a gold one (a
  name) when its actor was matched to that gold actor, or when their forms overlap; None
  only matches None. Transfers need both supplier and recipient to be the same entity (a
  swapped pair does not match) and weapon ``token_set_ratio`` >= 60, or >= 40 with an equal
  category. Strict transfer matching also requires an equal status.
* Claims need the same source and content ``token_set_ratio`` >= 50, or evidence quote
  ``token_set_ratio`` >= 70.

Slot accuracy is measured on matched pairs. ``transfer.date`` counts only the pairs whose
gold transfer labels ``date_text`` (the guide leaves it optional: a missing field is "not
labelled", never wrong; an explicit null says the article gives no time): the predicted
words agree when one contains the other as whole words after :func:`normalise` ("in 2019"
and "2019"), or both are null. Words are compared, not resolved dates, so the score does
not depend on the publication date or on the date parser it checks.

Conventions: when nothing is predicted and nothing is gold, P = R = F1 = 1.0; when only one
side is empty, P = R = F1 = 0.0. Grounding rate is 1.0 when there are no evidence spans;
slot accuracy is None when no pair was matched. Aggregates are micro-averaged (summed
counts). An article with no prediction at all (its run failed) is scored by
:func:`score_missing`, so its gold records count as misses. Results are dataclasses:
``dataclasses.asdict`` gives JSON-ready data.
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Optional

from pydantic import BaseModel, ConfigDict
from rapidfuzz.fuzz import token_set_ratio

from summariser.records import (
    Actor,
    ActorType,
    ArticleSummary,
    Category,
    ClaimType,
    Factuality,
    Status,
)

WEAPON_MIN, WEAPON_MIN_SAME_CATEGORY, CONTENT_MIN, QUOTE_MIN = 60.0, 40.0, 50.0, 70.0
BOOTSTRAP_BELOW = 30  # bootstrap intervals only for fewer articles than this
METRICS = ("actors", "transfers", "transfers_strict", "claims")
SLOTS = ("transfer.status transfer.category transfer.quantity transfer.date claim.type "
         "claim.factuality").split()  # fmt: skip


class _Gold(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GoldActor(_Gold):
    name: str
    aliases: list[str] = []
    type: ActorType
    country: Optional[str] = None


class GoldTransfer(_Gold):
    supplier: Optional[str]
    recipient: Optional[str]
    weapon: str
    category: Category
    quantity: Optional[int] = None
    quantity_text: Optional[str] = None
    status: Status
    evidence: str
    date_text: Optional[str] = None  # absent: not labelled; null: the article gives no time

    @property
    def date_labelled(self) -> bool:
        return "date_text" in self.model_fields_set


class GoldClaim(_Gold):
    source: Optional[str]
    content: str
    type: ClaimType
    factuality: Factuality
    evidence: str


class Gold(_Gold):
    """One gold file: the labels of one article (``article`` is the ``.txt`` file name)."""

    article: str
    actors: list[GoldActor] = []
    arms_transfers: list[GoldTransfer] = []
    claims: list[GoldClaim] = []


def load_gold(path: Path) -> Gold:
    """Read and validate one gold JSON file."""
    return Gold.model_validate_json(Path(path).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class PRF:
    """Match counts with precision, recall and F1 (see the module conventions)."""

    tp: int
    predicted: int
    gold: int
    precision: float
    recall: float
    f1: float


def prf(tp: int, predicted: int, gold: int) -> PRF:
    """Precision/recall/F1 from counts: 1.0 when both sides are empty, 0.0 if one is."""
    if predicted == 0 and gold == 0:
        return PRF(tp, predicted, gold, 1.0, 1.0, 1.0)
    p, r = tp / predicted if predicted else 0.0, tp / gold if gold else 0.0
    return PRF(tp, predicted, gold, p, r, 2 * p * r / (p + r) if p + r else 0.0)


@dataclass(frozen=True)
class Ratio:
    """``hits`` of ``total`` (slot agreement on matched pairs, or grounded evidence spans)."""

    hits: int
    total: int
    rate: Optional[float]


def _ratio(hits: int, total: int, empty: Optional[float] = None) -> Ratio:
    return Ratio(hits, total, hits / total if total else empty)


@dataclass(frozen=True)
class Errors:
    """Short descriptions of unmatched records, e.g. ``"North Korea -> Russia: launchers"``."""

    actors: list[str]
    transfers: list[str]
    claims: list[str]


@dataclass(frozen=True)
class _Scores:
    actors: PRF
    transfers: PRF
    transfers_strict: PRF
    claims: PRF
    slots: dict[str, Ratio]  # keys: SLOTS
    grounding: Ratio


@dataclass(frozen=True)
class ArticleScore(_Scores):
    """Scores of one article, with its false positives and misses."""

    article: str
    false_positives: Errors
    misses: Errors


@dataclass(frozen=True)
class Report(_Scores):
    """Micro-averaged totals; ``f1_interval`` (metric -> 95% low, high) only below 30 articles."""

    articles: int
    f1_interval: dict[str, tuple[float, float]]
    per_article: list[ArticleScore]

    def to_json(self, indent: int = 2) -> str:
        """The whole report as JSON text."""
        return json.dumps(asdict(self), indent=indent, ensure_ascii=False)


def normalise(text: str) -> str:
    """Casefold, strip accents and punctuation (dots and apostrophes vanish), drop "the"."""
    s = unicodedata.normalize("NFKD", text.casefold())
    s = re.sub(r"[.'\u2019]", "", "".join(c for c in s if not unicodedata.combining(c)))
    s = " ".join(re.sub(r"[\W_]+", " ", s).split())
    return s[4:] if s.startswith("the ") else s


def same_date_words(predicted: Optional[str], gold: Optional[str]) -> bool:
    """Whether two date phrases agree: one holds the other as whole words ("in 2019",
    "2019"), or both are None."""
    if predicted is None or gold is None:
        return predicted is None and gold is None
    a, b = f" {normalise(predicted)} ", f" {normalise(gold)} "
    return a.strip() != "" and b.strip() != "" and (a in b or b in a)


def _sim(a: str, b: str) -> float:
    return float(token_set_ratio(normalise(a), normalise(b)))


def _hungarian(cost: list[list[float]]) -> list[int]:
    """Minimum-cost assignment for ``len(cost) <= len(cost[0])``: the column of each row."""
    n, m, inf = len(cost), len(cost[0]), float("inf")
    u, v, p, way = [0.0] * (n + 1), [0.0] * (m + 1), [0] * (m + 1), [0] * (m + 1)
    for i in range(1, n + 1):
        p[0], j0 = i, 0
        minv, used = [inf] * (m + 1), [False] * (m + 1)
        while p[j0]:
            used[j0] = True
            i0, delta, j1 = p[j0], inf, 0
            for j in range(1, m + 1):
                if not used[j]:
                    cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(m + 1):
                if used[j]:
                    u[p[j]], v[j] = u[p[j]] + delta, v[j] - delta
                else:
                    minv[j] -= delta
            j0 = j1
        while j0:
            p[j0], j0 = p[way[j0]], way[j0]
    cols = [-1] * n
    for j in range(1, m + 1):
        if p[j]:
            cols[p[j] - 1] = j - 1
    return cols


def assign(quality: list[list[Optional[float]]]) -> dict[int, int]:
    """One-to-one pairs (row -> column) maximising the number of compatible pairs, then the
    summed quality (each in [0, 1]); ``None`` marks an incompatible pair."""
    if not quality or not quality[0]:
        return {}
    big = min(len(quality), len(quality[0])) + 1.0  # one more pair outweighs all quality
    cost = [[0.0 if q is None else -big - q for q in row] for row in quality]
    flip = len(cost) > len(cost[0])
    picked = _hungarian([list(c) for c in zip(*cost, strict=True)] if flip else cost)
    pairs = sorted((j, i) if flip else (i, j) for i, j in enumerate(picked) if j >= 0)
    return {i: j for i, j in pairs if quality[i][j] is not None}


def _match(n: int, m: int, quality: Callable[[int, int], Optional[float]]) -> dict[int, int]:
    return assign([[quality(i, j) for j in range(m)] for i in range(n)])


def _forms(name: str, aliases: Sequence[str]) -> set[str]:
    return {normalise(f) for f in (name, *aliases)} - {""}


class _Entities:
    """Actor matching of one article, and the same-entity test built on it."""

    def __init__(self, pred: Sequence[Actor], gold: Sequence[GoldActor]) -> None:
        self.p_forms = [_forms(a.name, a.aliases) for a in pred]
        self.g_forms = [_forms(a.name, a.aliases) for a in gold]
        p_names, g_names = [normalise(a.name) for a in pred], [normalise(a.name) for a in gold]

        def quality(i: int, j: int) -> Optional[float]:  # prefer pairs with equal names
            shared = self.p_forms[i] & self.g_forms[j]
            return float(p_names[i] == g_names[j]) if shared else None

        self.pairs = _match(len(pred), len(gold), quality)
        self.p_index = {a.id: i for i, a in reversed(list(enumerate(pred)))}
        self.g_index = {normalise(a.name): j for j, a in reversed(list(enumerate(gold)))}

    def same(self, pred_id: Optional[str], gold_name: Optional[str]) -> bool:
        """Whether a predicted actor id and a gold actor name denote one entity."""
        if pred_id is None or gold_name is None:
            return pred_id is None and gold_name is None
        i, j = self.p_index.get(pred_id), self.g_index.get(normalise(gold_name))
        if i is not None and j is not None and self.pairs.get(i) == j:
            return True
        pf = self.p_forms[i] if i is not None else {normalise(pred_id)}
        return bool(pf & (self.g_forms[j] if j is not None else {normalise(gold_name)}))


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def score_article(pred: ArticleSummary, gold: Gold) -> ArticleScore:
    """Match ``pred`` to ``gold`` one-to-one per record type and score it."""
    ent = _Entities(pred.actors, gold.actors)
    pt, gt, pc, gc = pred.arms_transfers, gold.arms_transfers, pred.claims, gold.claims

    def transfer(i: int, j: int, strict: bool = False) -> Optional[float]:
        p, g = pt[i], gt[j]
        if not (ent.same(p.supplier, g.supplier) and ent.same(p.recipient, g.recipient)):
            return None
        sim = _sim(p.weapon, g.weapon)
        ok = sim >= WEAPON_MIN or (sim >= WEAPON_MIN_SAME_CATEGORY and p.category == g.category)
        return sim / 100 if ok and (p.status == g.status or not strict) else None

    def claim(i: int, j: int) -> Optional[float]:
        p, g = pc[i], gc[j]
        if not ent.same(p.source, g.source):
            return None
        content = _sim(p.content, g.content)
        quote = max((_sim(e.quote, g.evidence) for e in p.evidence), default=0.0)
        ok = content >= CONTENT_MIN or quote >= QUOTE_MIN
        return max(content, quote) / 100 if ok else None

    t_pairs = _match(len(pt), len(gt), transfer)
    strict = _match(len(pt), len(gt), lambda i, j: transfer(i, j, strict=True))
    c_pairs = _match(len(pc), len(gc), claim)

    matched: dict[str, list[tuple[object, object]]] = {
        "transfer": [(pt[i], gt[j]) for i, j in t_pairs.items()],
        "claim": [(pc[i], gc[j]) for i, j in c_pairs.items()],
    }
    slots = {}
    for key in SLOTS:
        kind, attr = key.split(".")
        pairs = matched[kind]
        if key == "transfer.date":
            labelled = [(pt[i], gt[j]) for i, j in t_pairs.items() if gt[j].date_labelled]
            hits = sum(same_date_words(p.date_text, g.date_text) for p, g in labelled)
            slots[key] = _ratio(hits, len(labelled))
            continue
        slots[key] = _ratio(sum(getattr(p, attr) == getattr(g, attr) for p, g in pairs), len(pairs))

    spans = [e for a in pred.actors for e in a.evidence] + [e for t in pt for e in t.evidence]
    spans += [e for c in pc for e in c.evidence]
    grounded = sum(
        0 <= e.start <= e.end <= len(pred.text) and pred.text[e.start : e.end] == e.quote
        for e in spans
    )

    def name(actor_id: Optional[str]) -> str:
        actor = pred.actor(actor_id)
        return actor.name if actor else (actor_id or "?")

    return ArticleScore(
        actors=prf(len(ent.pairs), len(pred.actors), len(gold.actors)),
        transfers=prf(len(t_pairs), len(pt), len(gt)),
        transfers_strict=prf(len(strict), len(pt), len(gt)),
        claims=prf(len(c_pairs), len(pc), len(gc)),
        slots=slots,
        grounding=_ratio(grounded, len(spans), 1.0),
        article=gold.article,
        false_positives=Errors(
            [a.name for i, a in enumerate(pred.actors) if i not in ent.pairs],
            [f"{name(t.supplier)} -> {name(t.recipient)}: {t.weapon}"
             for i, t in enumerate(pt) if i not in t_pairs],
            [f"{name(c.source)}: {_short(c.content)}"
             for i, c in enumerate(pc) if i not in c_pairs],
        ),
        misses=_misses(gold, set(ent.pairs.values()), set(t_pairs.values()),
                       set(c_pairs.values())),
    )  # fmt: skip


def _misses(gold: Gold, actors: set[int], transfers: set[int], claims: set[int]) -> Errors:
    """The gold records whose index is not among the matched ones."""
    return Errors(
        [a.name for j, a in enumerate(gold.actors) if j not in actors],
        [f"{g.supplier or '?'} -> {g.recipient or '?'}: {g.weapon}"
         for j, g in enumerate(gold.arms_transfers) if j not in transfers],
        [f"{c.source or '?'}: {_short(c.content)}"
         for j, c in enumerate(gold.claims) if j not in claims],
    )  # fmt: skip


def score_missing(gold: Gold) -> ArticleScore:
    """Scores of an article that has no prediction at all (its run failed): every gold
    record is a miss, so micro-averaged totals count the failure against recall."""
    none = Errors([], [], [])
    transfers = prf(0, 0, len(gold.arms_transfers))
    return ArticleScore(
        actors=prf(0, 0, len(gold.actors)),
        transfers=transfers,
        transfers_strict=transfers,
        claims=prf(0, 0, len(gold.claims)),
        slots={key: _ratio(0, 0) for key in SLOTS},
        grounding=_ratio(0, 0, 1.0),
        article=gold.article,
        false_positives=none,
        misses=_misses(gold, set(), set(), set()),
    )


def _micro(scores: Sequence[ArticleScore], metric: str) -> PRF:
    parts: list[PRF] = [getattr(s, metric) for s in scores]
    return prf(*(sum(getattr(x, k) for x in parts) for k in ("tp", "predicted", "gold")))


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolation percentile of sorted, non-empty ``values`` (``q`` in [0, 1])."""
    pos = q * (len(values) - 1)
    lo = int(pos)
    return values[lo] + (values[min(lo + 1, len(values) - 1)] - values[lo]) * (pos - lo)


@dataclass(frozen=True)
class Gap:
    """One metric's F1 on two sets of articles, their difference and its 95% interval."""

    first: float
    second: float
    gap: float
    low: float
    high: float


def split_gap(
    first: Sequence[ArticleScore],
    second: Sequence[ArticleScore],
    metric: str,
    *,
    bootstrap: int = 2000,
    seed: int = 0,
) -> Optional[Gap]:
    """``metric``'s micro F1 on ``first`` minus that on ``second`` (tune minus confirm),
    with a 95% percentile interval from resampling each set's articles with replacement,
    independently; None when either set is empty."""
    if not first or not second:
        return None
    rng = random.Random(seed)
    gaps = sorted(
        _micro(rng.choices(first, k=len(first)), metric).f1
        - _micro(rng.choices(second, k=len(second)), metric).f1
        for _ in range(bootstrap)
    )
    one, two = _micro(first, metric).f1, _micro(second, metric).f1
    return Gap(one, two, one - two, percentile(gaps, 0.025), percentile(gaps, 0.975))


def aggregate(scores: Sequence[ArticleScore], *, bootstrap: int = 1000, seed: int = 0) -> Report:
    """Micro-averaged totals; with fewer than 30 articles (and ``bootstrap`` > 0) also a 95%
    percentile interval per F1 from ``bootstrap`` resamples of articles with replacement."""
    intervals: dict[str, tuple[float, float]] = {}
    if 0 < len(scores) < BOOTSTRAP_BELOW and bootstrap > 0:
        rng = random.Random(seed)
        samples: dict[str, list[float]] = {m: [] for m in METRICS}
        for _ in range(bootstrap):
            resample = rng.choices(scores, k=len(scores))
            for m in METRICS:
                samples[m].append(_micro(resample, m).f1)
        for m, values in samples.items():
            values.sort()
            intervals[m] = (percentile(values, 0.025), percentile(values, 0.975))
    return Report(
        actors=_micro(scores, "actors"),
        transfers=_micro(scores, "transfers"),
        transfers_strict=_micro(scores, "transfers_strict"),
        claims=_micro(scores, "claims"),
        slots={
            k: _ratio(sum(s.slots[k].hits for s in scores), sum(s.slots[k].total for s in scores))
            for k in SLOTS
        },
        grounding=_ratio(
            sum(s.grounding.hits for s in scores), sum(s.grounding.total for s in scores), 1.0
        ),
        articles=len(scores),
        f1_interval=intervals,
        per_article=list(scores),
    )
