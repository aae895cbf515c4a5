"""Many article summaries -> one cited :class:`Briefing`: :func:`brief`.

    from summariser import brief, summarise
    b = brief([summarise(t) for t in texts], title="DPRK-Russia, week 2")
    b.to_markdown(); b.to_html(); b.to_csv()

The merging rules are in :mod:`.merging`, :mod:`.transfers` and :mod:`.contradictions`,
the wording in :mod:`.estimative` and :mod:`.narrative`. No model is called: every
sentence is built by code from the records and cites them as ``[A2:t3]`` (record ``t3``
of the second article).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from summariser.briefing.contradictions import contradictions
from summariser.briefing.merging import Roster, group_claims, sourced_claims, sources_of
from summariser.briefing.model import BriefingModel
from summariser.briefing.narrative import bottom_line, key_judgements, method, open_questions
from summariser.briefing.render import csv, html, markdown
from summariser.briefing.transfers import merge_transfers
from summariser.errors import InputError
from summariser.records import ArticleSummary


@dataclass(frozen=True)
class Briefing(BriefingModel):
    """One briefing over many articles, with its renderings."""

    def to_markdown(self) -> str:
        """Markdown for mail and wikis; article text is escaped, never live markup."""
        return markdown.render(self)

    def to_html(self) -> str:
        """One self-contained HTML page: no network fetches, inline CSS and script only."""
        return html.render(self)

    def to_csv(self) -> str:
        """The merged transfers, one row each, with SIPRI-like columns."""
        return csv.render(self)


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
