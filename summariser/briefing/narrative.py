"""The prose of a briefing, built by code from merged records: the bottom line, key
judgements, disputes and open questions.

Deterministic: the same records give the same sentences, in the fixed wording of
:mod:`summariser.briefing.estimative`, each citing the records it rests on.

* Bottom line (2-4 sentences): what the articles cover and the largest supplier ->
  recipient flow; the best-supported transfer; the first dispute (or else the next
  transfer); the first hedged judgement a source makes.
* Key judgements: transfers pledged or further, or reported by several articles; then the
  claims sources hedge (probable or possible), assessments and forecasts first.
* Open questions: transfers whose articles give different stages, transfers with an
  unnamed party, and deliveries only one article reports (when there are several).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from summariser.briefing.contradictions import Contradiction
from summariser.briefing.estimative import (
    Statement,
    articles_phrase,
    claim_statement,
    count,
    parties,
    recipient_name,
    speaker,
    stance,
    supplier_name,
    transfer_clause,
    transfer_statement,
)
from summariser.briefing.merging import ClaimGroup, MergedActor, Source, SourcedClaim
from summariser.briefing.transfers import MergedTransfer, furthest
from summariser.records import DONE, ClaimType, Factuality, Status, stage

MERGE_NOTE = (
    "Built by code from the records above, no model call: the same actor in several "
    "articles is one actor (ISO code for states, else name and aliases); the same "
    "supplier, recipient and weapon is one transfer at the furthest stage reported."
)
MAX_TRANSFER_JUDGEMENTS = 6
MAX_CLAIM_JUDGEMENTS = 4
MAX_OPEN_QUESTIONS = 8
HEDGED = (Factuality.probable, Factuality.possible)
JUDGEMENT_TYPES = (ClaimType.assessment, ClaimType.forecast)


@dataclass(frozen=True)
class Dispute:
    """Both sides of a contradiction, each statement with its own citations."""

    heading: str
    for_side: tuple[Statement, ...]
    against: tuple[Statement, ...]


def overview(
    sources: Sequence[Source],
    transfers: Sequence[MergedTransfer],
    groups: Sequence[ClaimGroup],
    actors: Sequence[MergedActor],
) -> Statement:
    """What the articles cover, citing the records of the largest flow (or the claims)."""
    report = "reports" if len(sources) == 1 else "report"
    articles = count(len(sources), "article")
    if transfers:
        (supplier, recipient), size = Counter(map(parties, transfers)).most_common(1)[0]
        flow = [t for t in transfers if parties(t) == (supplier, recipient)]
        text = (
            f"{articles} {report} {count(len(transfers), 'distinct arms transfer')}; the "
            f"largest flow is from {supplier} to {recipient} ({count(size, 'transfer')}, "
            f"furthest stage {furthest(t.status for t in flow).value})."
        )
        return Statement(text, tuple(t.reports[0].cite for t in flow))
    claims = sum(len(g.claims) for g in groups)
    text = (
        f"{articles} {report} no arms transfers, only {count(len(actors), 'actor')} and "
        f"{count(claims, 'attributed claim')}."
    )
    cites = [g.claims[0].cite for g in groups] or [a.cites[0] for a in actors]
    return Statement(text, tuple(cites[:4]))


def _dispute_sentence(c: Contradiction) -> Statement:
    t, first = c.transfer, c.disputing[0]
    if c.reports:
        reported = sorted({r.cite.article for r in c.reports})
        verb = "reports" if len(reported) == 1 else "report"
        status = furthest(r.status for r in c.reports).value
        side = f"{articles_phrase(reported)} {verb} it as {status}"
    else:
        side = f"{speaker(c.affirming[0])} {stance(c.affirming[0])} it happened"
    text = (
        f"Sources disagree about {t.weapon} from {supplier_name(t)} to {recipient_name(t)}: "
        f"{side}, while {speaker(first)} {stance(first)} it."
    )
    return Statement(text, c.for_cites + c.against_cites)


def hedged_claims(groups: Sequence[ClaimGroup]) -> list[SourcedClaim]:
    """Claims a source hedges (probable or possible), assessments and forecasts first."""
    claims = [c for g in groups for c in g.claims if c.factuality in HEDGED]
    claims = [c for c in claims if c.type is not ClaimType.denial]
    return sorted(claims, key=lambda c: (c.type not in JUDGEMENT_TYPES, c.cite.article))


def bottom_line(
    sources: Sequence[Source],
    actors: Sequence[MergedActor],
    transfers: Sequence[MergedTransfer],
    groups: Sequence[ClaimGroup],
    disputes: Sequence[Contradiction],
) -> tuple[Statement, ...]:
    """Two to four sentences, most important first."""
    disputed = {c.transfer.id for c in disputes}
    lines = [overview(sources, transfers, groups, actors)]
    if transfers:
        lead = transfers[0]
        lines.append(transfer_statement(lead, disputed=lead.id in disputed))
    if disputes:
        lines.append(_dispute_sentence(disputes[0]))
    elif len(transfers) > 1:
        second = transfers[1]
        lines.append(transfer_statement(second, disputed=second.id in disputed))
    hedged = hedged_claims(groups)
    if hedged:
        lines.append(claim_statement(hedged[0]))
    if len(lines) < 2:
        first = next((c for g in groups for c in g.claims), None)
        if first is not None:
            lines.append(claim_statement(first))
    return tuple(lines[:4])


def key_judgements(
    transfers: Sequence[MergedTransfer],
    groups: Sequence[ClaimGroup],
    disputes: Sequence[Contradiction],
) -> tuple[Statement, ...]:
    disputed = {c.transfer.id for c in disputes}
    notable = [
        t for t in transfers if stage(t.status) >= stage(Status.pledged) or len(t.articles) > 1
    ]
    lines = [
        transfer_statement(t, disputed=t.id in disputed) for t in notable[:MAX_TRANSFER_JUDGEMENTS]
    ]
    lines += [claim_statement(c) for c in hedged_claims(groups)[:MAX_CLAIM_JUDGEMENTS]]
    return tuple(lines)


def dispute(c: Contradiction) -> Dispute:
    t = c.transfer
    heading = f"{t.id}: {t.weapon} from {supplier_name(t)} to {recipient_name(t)}"
    reports = tuple(
        Statement(f"A{r.cite.article + 1} reports it as {r.status.value}", (r.cite,))
        for r in c.reports
    )
    return Dispute(
        heading,
        reports + tuple(claim_statement(x) for x in c.affirming),
        tuple(claim_statement(x) for x in c.disputing),
    )


def _stage_question(t: MergedTransfer) -> Statement:
    said = "; ".join(f"A{r.cite.article + 1} reports {r.status.value}" for r in t.reports)
    return Statement(
        f"How far has the transfer of {t.weapon} from {supplier_name(t)} to "
        f"{recipient_name(t)} ({t.id}) gone? {said}.",
        t.cites,
    )


def _party_question(t: MergedTransfer) -> Statement:
    if t.supplier is None and t.recipient is None:
        text = f"Who supplied {t.weapon} ({t.id}), and to whom? No article names either party."
    elif t.supplier is None:
        text = (
            f"Who supplied {t.weapon} to {recipient_name(t)} ({t.id})? "
            "No article names the supplier."
        )
    else:
        text = (
            f"Who received {t.weapon} from {supplier_name(t)} ({t.id})? "
            "No article names the recipient."
        )
    return Statement(text, t.cites)


def _single_source_question(t: MergedTransfer) -> Statement:
    return Statement(
        f"Only {articles_phrase(t.articles)} reports that {transfer_clause(t)} ({t.id}); "
        "no other article confirms it.",
        t.cites,
    )


def open_questions(
    sources: Sequence[Source], transfers: Sequence[MergedTransfer]
) -> tuple[Statement, ...]:
    questions = [_stage_question(t) for t in transfers if len({r.status for r in t.reports}) > 1]
    questions += [_party_question(t) for t in transfers if not (t.supplier and t.recipient)]
    if len(sources) > 1:
        questions += [
            _single_source_question(t)
            for t in transfers
            if t.status in DONE and len(t.articles) == 1
        ]
    return tuple(questions[:MAX_OPEN_QUESTIONS])


def _utc(moment: datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def method(sources: Sequence[Source]) -> tuple[str, ...]:
    """One line per model set-up: which articles, model, prompt hash, when made."""
    runs: dict[tuple[str, ...], list[Source]] = {}
    for s in sources:
        p = s.provenance
        key = (p.model, p.endpoint, p.prompt_hash, p.schema_version, p.version)
        runs.setdefault(key, []).append(s)
    lines = []
    for (model, endpoint, prompt, schema, version), members in runs.items():
        made = sorted(s.provenance.created_at for s in members)
        when = _utc(made[0]) if made[0] == made[-1] else f"{_utc(made[0])} to {_utc(made[-1])}"
        calls = sum(s.provenance.usage.llm_calls for s in members)
        dropped = sum(len(s.provenance.discarded) for s in members)
        lines.append(
            f"{articles_phrase([s.index for s in members])}: model {model} ({endpoint}), "
            f"prompt hash {prompt}, schema {schema}, summariser {version}; made {when}; "
            f"{count(calls, 'LLM call')}, {count(dropped, 'model output')} discarded."
        )
    return tuple(lines)
