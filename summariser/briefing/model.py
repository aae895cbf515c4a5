"""The briefing model: what one briefing over many articles says, in reading order.

Built by :func:`summariser.briefing.build.brief`; read by the renderers in
:mod:`summariser.briefing.render`, which import this model and never the reverse.
"""

from __future__ import annotations

from dataclasses import dataclass

from summariser.briefing.contradictions import Contradiction
from summariser.briefing.estimative import Statement
from summariser.briefing.merging import ClaimGroup, MergedActor, Source
from summariser.briefing.narrative import Dispute, dispute
from summariser.briefing.timeline import DateConflict, TimelineEntry, date_conflicts, timeline
from summariser.briefing.transfers import MergedTransfer


@dataclass(frozen=True)
class BriefingModel:
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
    def timeline(self) -> tuple[TimelineEntry, ...]:
        """Every dated report of a transfer, earliest first."""
        return timeline(self.transfers)

    @property
    def date_conflicts(self) -> tuple[DateConflict, ...]:
        """Where sources date one step of a transfer differently."""
        return date_conflicts(self.transfers)

    @property
    def disputed(self) -> frozenset[str]:
        """Ids of the transfers some source disputes."""
        return frozenset(c.transfer.id for c in self.contradictions)
