"""One article as both record builders read it: its text, numbered sentences, resolved
actors, and the list of what was discarded, which both builders add to.

A draft naming an actor must name one the article mentions (:meth:`ArticleContext.actor_id`);
everything dropped is kept with its reason (:meth:`ArticleContext.drop`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Optional

from summariser.actors.resolve import ResolvedActors
from summariser.ingest.sentences import Sentence
from summariser.records import Actor, Discarded

#: What a small model writes for "no one": read as no actor, never as a name.
UNNAMED = frozenset({"unknown", "none", "null", "n/a", "unspecified", "not specified", "unnamed"})


class ArticleContext:
    """The article and its actors, shared by :class:`~.transfers.TransferBuilder` and
    :class:`~.claims.ClaimBuilder`."""

    def __init__(self, text: str, sentences: Sequence[Sentence], resolved: ResolvedActors) -> None:
        self.text = text
        self.sentences = sentences
        self.resolved = resolved
        self.speakers = [a for a in resolved.actors if a.evidence]  # named in the text
        self.present = {a.id for a in self.speakers}
        self.forms = {a.id: [a.name, *a.aliases] for a in resolved.actors}
        self._by_id = {a.id: a for a in resolved.actors}
        self.discarded: list[Discarded] = []

    def actor(self, actor_id: Optional[str]) -> Optional[Actor]:
        """The published actor with this id, or None."""
        return self._by_id.get(actor_id or "")

    def drop(self, kind: str, reason: str, draft: object) -> None:
        self.discarded.append(Discarded(kind=kind, reason=reason, detail=str(draft)[:300]))

    def actor_id(self, name: Optional[str], kind: str, draft: object) -> tuple[bool, Optional[str]]:
        """(ok, id): a named actor must resolve to one the article mentions."""
        if not name or name.strip().lower() in UNNAMED:
            return True, None
        found = self.resolved.lookup(name)
        if found is None or found not in self.present:
            self.drop(kind, f"actor {name!r} is not mentioned in the article", draft)
            return False, None
        return True, found
