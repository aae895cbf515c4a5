"""Claim drafts to published :class:`Claim` records.

The model says which sentences attribute a statement and to whom; code checks who
speaks by the sentence's own speech verbs and quotation marks, reads the stance from
its cues, and keeps the claims that carry the story.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Optional

from summariser.assembly.attribution import (
    Spokespeople,
    Voice,
    mentioned,
    new_speaker,
    opens_quotation,
    speaker,
    stance,
    unquoted,
    voice,
)
from summariser.assembly.context import ArticleContext
from summariser.assembly.spans import by_id, claim_content, evidence_for
from summariser.extract.drafts import ClaimDraft
from summariser.ingest.sentences import Sentence
from summariser.records import Actor, ActorType, ArmsTransfer, Claim, ClaimType, Factuality

NEGATIVE = frozenset({Factuality.certainly_not, Factuality.probably_not})
MAX_CLAIMS = 12  # GUIDE.md: the claims that carry the story, typically 3-10 per article


class ClaimBuilder:
    """Builds one article's claims; what it drops goes to the shared context."""

    def __init__(self, article: ArticleContext) -> None:
        self.article = article
        self.spokespeople = Spokespeople(
            article.text, [s.start for s in article.sentences], article.speakers
        )

    def claims(self, drafts: Iterable[ClaimDraft]) -> list[Claim]:
        kept: list[Claim] = []
        for draft in drafts:
            sentence = by_id(self.article.sentences, draft.sentence)
            if sentence is None:  # drafts are validated against the ids; kept as a guard
                self.article.drop("claim", f"sentence {draft.sentence} does not exist", draft)
                continue
            ok, source = self.article.actor_id(draft.source, "claim", draft)
            if not ok:
                continue
            source = self._speaker(sentence, source, kept[-1] if kept else None)
            kind, factuality = stance(sentence.text) or (draft.type, draft.factuality)
            if kind is ClaimType.assertion and factuality in NEGATIVE:
                kind = ClaimType.denial  # asserting that something is not so is denying it
            evidence = evidence_for(self.article.text, sentence)
            duplicate = next(
                (k for k in kept if k.source == source and k.evidence[0] == evidence), None
            )
            if duplicate is not None:
                self.article.drop("claim", f"repeats {duplicate.id}", draft)
                continue
            kept.append(
                Claim(
                    id=f"c{len(kept) + 1}",
                    source=source,
                    content=claim_content(sentence),
                    type=kind,
                    factuality=factuality,
                    evidence=[evidence],
                )
            )
        return kept

    def story_claims(self, claims: list[Claim], transfers: Sequence[ArmsTransfer]) -> list[Claim]:
        """The claims that carry the story, at most :data:`MAX_CLAIMS`, in article order.

        A long feature quotes dozens of people; a briefing wants the statements the story
        rests on (GUIDE.md: typically 3-10). Ranked by: the sentence also reports an arms
        transfer, a stance beyond a plain assertion, a named person speaking, then the
        earlier in the article. The rest are listed in ``discarded``.
        """
        if len(claims) <= MAX_CLAIMS:
            return claims
        transfer_spans = {(e.start, e.end) for t in transfers for e in t.evidence}
        people = {a.id for a in self.article.resolved.actors if a.type is ActorType.person}

        def rank(item: tuple[int, Claim]) -> tuple[int, int]:
            index, claim = item
            evidence = claim.evidence[0]
            weight = (
                2 * ((evidence.start, evidence.end) in transfer_spans)
                + (claim.type is not ClaimType.assertion)
                + (claim.source in people)
            )
            return -weight, index

        chosen = sorted(enumerate(claims), key=rank)[:MAX_CLAIMS]
        keep = {id(claim) for _, claim in chosen}
        for claim in claims:
            if id(claim) not in keep:
                self.article.drop(
                    "claim", f"beyond the {MAX_CLAIMS} claims that carry the story", claim.id
                )
        kept = [claim for claim in claims if id(claim) in keep]
        return [claim.model_copy(update={"id": f"c{i}"}) for i, claim in enumerate(kept, 1)]

    def _speaker(
        self, sentence: Sentence, source: Optional[str], previous: Optional[Claim]
    ) -> Optional[str]:
        """Who speaks in the sentence, checked against what the model said.

        The speech verb's own subject speaks ('the Biden administration announced'; 'Kang,
        who ..., said') unless the model's source is a subject too. A state the model gives
        gives way to a body or person in speaking position ("..., according to Defence
        Intelligence": the state is only talked about). The model's source stands when the
        sentence names it. Otherwise the actor next to the speech verb speaks, if it is a
        person or outlet, or if the model's source is not even named in the sentences
        around ('A White House official said' stays with the Kirby named in the next
        sentence); with none named, a quotation opened here speaks with the voice of the
        sentence that closes it, and 'he said' goes on with the previous claim's source if
        it came from the sentence before. A spokesperson's role ("Ban's spokesman said")
        is the spokesperson the article names. Last, the guide prefers a named person: a
        state source gives way to the one person of that state the sentence names.
        """
        present = self.article.speakers
        current = next((a for a in present if a.id == source), None)
        found = voice(sentence.text, present)
        spoke = found.actor if found else None
        current = self._subject(sentence, current, found)
        if current is None or not mentioned(current, unquoted(sentence.text)):
            current = self._unnamed_source(sentence, current, spoke, previous)
        current = self._spokesperson(sentence, current)
        if current is not None and current.type is not ActorType.state:
            return current.id
        people = [
            a
            for a in present
            if a.type is ActorType.person
            and (current is None or a.country in (None, current.country))
            and mentioned(a, sentence.text)
        ]
        if len(people) == 1:
            return people[0].id
        return current.id if current is not None else source

    def _subject(
        self, sentence: Sentence, current: Optional[Actor], found: Optional[Voice]
    ) -> Optional[Actor]:
        """The speech verb's own subject over the model's source, and a body or person in
        speaking position over a state that is only talked about."""
        spoke = found.actor if found else None
        if found is not None and found.direct and current is not None and spoke is not current:
            own = voice(sentence.text, [current])
            if own is None or not own.direct:
                current = spoke  # the verb's own subject speaks, not who it talks about
        if (
            spoke is not None
            and current is not None
            and current.type is ActorType.state
            and spoke.type is not ActorType.state
            and speaker(sentence.text, [current]) is None
        ):
            current = spoke  # the state is only talked about; a body or person speaks
        return current

    def _unnamed_source(
        self,
        sentence: Sentence,
        current: Optional[Actor],
        spoke: Optional[Actor],
        previous: Optional[Claim],
    ) -> Optional[Actor]:
        """Who speaks when the sentence does not name the model's source: the voice next
        to the speech verb, the voice that closes a quotation opened here, or the previous
        claim's source when that claim is the sentence just before."""
        present = self.article.speakers
        if spoke is not None:
            if (
                spoke.type in (ActorType.person, ActorType.media)
                or current is None
                or not self._near(current, sentence)
            ):
                current = spoke
        elif (closer := self._closing_voice(sentence, present)) is not None:
            current = closer
        elif (
            previous is not None
            and previous.evidence[0].end < sentence.start
            and not new_speaker(sentence.text)
        ):
            gap = self.article.text[previous.evidence[0].end : sentence.start]
            if not gap.strip():
                current = next((a for a in present if a.id == previous.source), current)
        return current

    def _spokesperson(self, sentence: Sentence, current: Optional[Actor]) -> Optional[Actor]:
        """A spokesperson's role ("Ban's spokesman said") is the spokesperson the article
        names, unless the sentence names the current source outside that role."""
        role = self.spokespeople.for_sentence(sentence.text)
        if role is not None:
            person, (start, end) = role
            outside = sentence.text[:start] + " " + sentence.text[end:]
            if current is None or not mentioned(current, outside):
                current = person  # the named spokesperson, not the one they speak for
        return current

    def _closing_voice(self, sentence: Sentence, present: Sequence[Actor]) -> Optional[Actor]:
        """Who speaks a quotation this sentence opens: the voice where it closes."""
        if not opens_quotation(sentence.text):
            return None
        following = (s for s in self.article.sentences if sentence.id < s.id <= sentence.id + 3)
        for later in following:
            if re.search('["”]', later.text):
                found = voice(later.text, present)
                return found.actor if found else None
        return None

    def _near(self, actor: Actor, sentence: Sentence) -> bool:
        """Whether the sentence before or after names the actor."""
        return any(
            mentioned(actor, s.text) for s in self.article.sentences if abs(s.id - sentence.id) == 1
        )
