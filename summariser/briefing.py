"""Many article summaries -> one cited briefing: :func:`brief` and :class:`Briefing`.

    from summariser import brief, summarise
    b = brief([summarise(t) for t in texts], title="DPRK-Russia, week 2")
    b.to_markdown(); b.to_html(); b.to_csv()

The merging rules are in :mod:`summariser.merging`, :mod:`summariser.transfers` and
:mod:`summariser.contradictions`,
the wording in :mod:`summariser.estimative` and :mod:`summariser.narrative`. No model is
called: every sentence is built by code from the records and cites them as ``[A2:t3]``
(record ``t3`` of the second article).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from . import brief_csv, brief_html, brief_markdown
from .contradictions import Contradiction, contradictions
from .errors import InputError
from .estimative import Statement
from .merging import (
    ClaimGroup,
    MergedActor,
    Roster,
    Source,
    group_claims,
    sourced_claims,
    sources_of,
)
from .narrative import Dispute, bottom_line, dispute, key_judgements, method, open_questions
from .records import ArticleSummary
from .transfers import MergedTransfer, merge_transfers


@dataclass(frozen=True)
class Briefing:
    """One briefing over many articles, in the order it is read."""

    title: str
    sources: tuple[Source, ...]
    bottom_line: tuple[Statement, ...]
    key_judgements: tuple[Statement, ...]
    transfers: tuple[MergedTransfer, ...]
    actors: tuple[MergedActor, ...]
    claims: tuple[ClaimGroup, ...]
    contradictions: tuple[Contradiction, ...]
    open_questions: tuple[Statement, ...]
    method: tuple[str, ...]

    @property
    def disputes(self) -> tuple[Dispute, ...]:
        return tuple(dispute(c) for c in self.contradictions)

    @property
    def disputed(self) -> frozenset[str]:
        """Ids of the transfers some source disputes."""
        return frozenset(c.transfer.id for c in self.contradictions)

    def to_markdown(self) -> str:
        """Markdown for mail and wikis; article text is escaped, never live markup."""
        return brief_markdown.render(self)

    def to_html(self) -> str:
        """One self-contained HTML page: no network fetches, inline CSS and script only."""
        return brief_html.render(self)

    def to_csv(self) -> str:
        """The merged transfers, one row each, with SIPRI-like columns."""
        return brief_csv.render(self)


def brief(summaries: Sequence[ArticleSummary], *, title: str) -> Briefing:
    """Merge the summaries of many articles into one cited :class:`Briefing`.

    The same actor in several articles becomes one actor, the same transfer one row at the
    furthest stage reported, claims are grouped by source, and transfers that one source
    reports and another denies are listed with both sides cited.
    """
    if not summaries:
        raise InputError("brief() needs at least one ArticleSummary; summarise some articles first")
    sources = sources_of(summaries)
    roster = Roster(summaries)
    actors = tuple(sorted(roster.actors, key=lambda a: -len(a.articles)))
    transfers = merge_transfers(summaries, roster)
    claims = sourced_claims(summaries, roster)
    groups = group_claims(claims)
    disputes = contradictions(transfers, claims)
    return Briefing(
        title=title,
        sources=sources,
        bottom_line=bottom_line(sources, actors, transfers, groups, disputes),
        key_judgements=key_judgements(transfers, groups, disputes),
        transfers=transfers,
        actors=actors,
        claims=groups,
        contradictions=disputes,
        open_questions=open_questions(sources, transfers),
        method=method(sources),
    )
