"""Drafts to published records: ground, resolve actors, deduplicate, number.

Nothing the model wrote reaches a record unchecked. A record is discarded, and
listed in ``provenance.discarded`` with the reason, when its weapon or content cannot
be found in the article, when it names an actor the article never mentions, or when
it repeats a record already kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Optional

from rapidfuzz import fuzz

from .attribution import (
    Spokespeople,
    mentioned,
    new_speaker,
    opens_quotation,
    speaker,
    stance,
    unquoted,
    voice,
)
from .candidates import names_materiel
from .drafts import ClaimDraft, TransferDraft
from .extract import PassOutput
from .grounding import (
    asked_supplier,
    attack_target,
    by_id,
    category_cue,
    claim_content,
    denied_or_false,
    evidence_for,
    locate_weapon,
    only_future,
    quantity_in,
    reports_use,
    seek_source,
    split_items,
    stated_stage,
    status_cue,
    supply_recipient,
    supply_subject,
)
from .normalise import ActorCandidate, ResolvedActors, parse_quantity, resolve_actors
from .records import (
    Actor,
    ActorType,
    ArmsTransfer,
    Claim,
    ClaimType,
    Discarded,
    Factuality,
    Status,
)
from .sentences import Sentence
from .speakers import named_bodies, named_speakers

DONE = frozenset({Status.delivered, Status.used})
NEGATIVE = frozenset({Factuality.certainly_not, Factuality.probably_not})
MAX_CLAIMS = 12  # GUIDE.md: the claims that carry the story, typically 3-10 per article
STAGES = (Status.sought, Status.offered, Status.pledged, Status.agreed, Status.delivered,
          Status.used)  # fmt: skip
NOT_PARTIES = frozenset({ActorType.media})
STATE_ORGANS = frozenset({ActorType.government_body, ActorType.military})
UNNAMED = frozenset({"unknown", "none", "null", "n/a", "unspecified", "not specified", "unnamed"})
SAME_WEAPON = 90.0  # token-set: 'ballistic missiles' == 'North Korean ballistic missiles'


@dataclass
class Assembled:
    summary: str
    actors: list[Actor]
    transfers: list[ArmsTransfer]
    claims: list[Claim]
    discarded: list[Discarded] = field(default_factory=list)


def _stage(status: Status) -> int:
    return STAGES.index(status) if status in STAGES else -1


def _is_materiel(name: str, kind: Optional[ActorType], weapons: Sequence[str]) -> bool:
    """A weapon the model listed as an actor ('HIMARS', 'artillery ammunition')."""
    if any(fuzz.ratio(name.lower(), w.lower()) >= SAME_WEAPON for w in weapons):
        return True
    return kind in (None, ActorType.other) and names_materiel(name)


def _candidates(passes: PassOutput) -> list[ActorCandidate]:
    found: list[ActorCandidate] = []
    weapons = [t.weapon for t in passes.transfers]
    for overview in passes.overviews:
        found += [
            ActorCandidate(a.name, a.type, a.country)
            for a in overview.actors
            if not _is_materiel(a.name, a.type, weapons)
        ]
    for t in passes.transfers:
        found += [ActorCandidate(n, None) for n in (t.supplier, t.recipient) if n]
    found += [ActorCandidate(c.source, None) for c in passes.claims if c.source]
    return [c for c in found if c.name.strip().lower() not in UNNAMED]


class _Builder:
    def __init__(self, text: str, sentences: Sequence[Sentence], resolved: ResolvedActors) -> None:
        self.text = text
        self.sentences = sentences
        self.resolved = resolved
        self.speakers = [a for a in resolved.actors if a.evidence]  # named in the text
        self.present = {a.id for a in self.speakers}
        self.forms = {a.id: [a.name, *a.aliases] for a in resolved.actors}
        self.spokespeople = Spokespeople(text, [s.start for s in sentences], self.speakers)
        self.discarded: list[Discarded] = []

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

    def transfers(self, drafts: Iterable[TransferDraft]) -> list[ArmsTransfer]:
        kept: list[ArmsTransfer] = []
        roles: dict[int, tuple[Optional[str], Optional[str], Status]] = {}
        for draft in drafts:
            ok_s, supplier = self.actor_id(draft.supplier, "arms_transfer", draft)
            ok_r, recipient = self.actor_id(draft.recipient, "arms_transfer", draft)
            if not (ok_s and ok_r):
                continue
            (party_s, supplier), (party_r, recipient) = (
                self._party(supplier),
                self._party(recipient),
            )
            if not (party_s and party_r):
                self.drop("arms_transfer", "a media outlet named as supplier or recipient", draft)
                continue
            status = self._status(draft)
            sentence = by_id(self.sentences, draft.sentence)
            refuted = denied_or_false(sentence.text) if sentence else None
            if refuted is not None and (
                status in (*DONE, Status.cancelled, Status.unknown)
                or not (sentence is not None and stated_stage(sentence.text, status))
            ):  # a denial keeps only a stage its sentence states ('refused to ship': sought)
                self.drop("arms_transfer", refuted, draft)
                continue
            if supplier is None and recipient is None:
                inherited = roles.get(draft.sentence - 1)
                if inherited is None:
                    self.drop("arms_transfer", "no supplier or recipient named", draft)
                    continue
                supplier, recipient, before = inherited
                status = before if status is Status.unknown else status
            if supplier is not None and supplier == recipient:
                self.drop("arms_transfer", "supplier and recipient are the same actor", draft)
                continue
            if status is Status.sought:
                supplier, recipient = self._seek_direction(draft.sentence, supplier, recipient)
            supplier, recipient = self._supply_direction(draft.sentence, supplier, recipient)
            if (
                status in (Status.used, Status.unknown)
                and recipient is not None
                and recipient == self._target(draft.sentence)
            ):
                self.drop("arms_transfer", "the 'recipient' is the target of an attack", draft)
                continue
            roles[draft.sentence] = (supplier, recipient, status)
            for weapon in split_items(self._plain(draft.weapon)):
                self._add_transfer(kept, draft, weapon, supplier, recipient, status)
        return self._without_partial_repeats(kept)

    def _without_partial_repeats(self, kept: list[ArmsTransfer]) -> list[ArmsTransfer]:
        """Drop a record missing a party when a complete record of the same item names its
        known party on either side: it is a vaguer reading of the same transfer."""
        result: list[ArmsTransfer] = []
        for record in kept:
            known = {record.supplier, record.recipient} - {None}
            partial = len(known) == 1
            fuller = partial and any(
                other is not record
                and other.supplier is not None
                and other.recipient is not None
                and known <= {other.supplier, other.recipient}
                and fuzz.token_set_ratio(other.weapon.lower(), record.weapon.lower()) >= SAME_WEAPON
                for other in kept
            )
            if fuller:
                self.drop("arms_transfer", "a complete record covers this partial one", record.id)
            else:
                result.append(record)
        return result  # ids keep their numbers, so 'repeats tN' in discarded stays true

    def _status(self, draft: TransferDraft) -> Status:
        """The stage the sentence's own verbs report, else the model's.

        A 1.5B model confuses stages far more often than a verb lexicon does (it reads
        "is seeking X from Y" as a deal); the model's stage stands where no verb says
        otherwise, and when it is 'used' where the verbs only say 'delivered'.
        """
        sentence = by_id(self.sentences, draft.sentence)
        cue = status_cue(sentence.text) if sentence else None
        if (
            cue is None
            and sentence is not None
            and draft.status in DONE
            and only_future(sentence.text)
        ):
            return Status.pledged  # "will hand over 15 more": promised, not yet delivered
        if draft.status is Status.used and cue in (None, Status.delivered):
            # the model's 'used' stands only where a verb of use is in the sentence
            used = sentence is not None and reports_use(sentence.text)
            return Status.used if used else Status.delivered
        return draft.status if cue is None else cue

    def _shared(
        self, a: Optional[str], b: Optional[str], companies: bool = True
    ) -> tuple[bool, Optional[str]]:
        """Whether two mentions of one transfer can name the same party, and the party.

        The same actor; one side unknown (a record that names fewer actors is no new
        one); or, for suppliers (``companies``), a state and one of its companies ("South
        Korea" and "Hanwha Aerospace" for the same howitzers), where the company is the
        party, as the guide records makers; recipients stay states.
        """
        if a is None or b is None or a == b:
            return True, a or b
        if not companies:
            return False, None
        actors = {x.id: x for x in self.resolved.actors if x.id in (a, b)}
        first, second = actors.get(a), actors.get(b)
        if first is None or second is None or first.country != second.country:
            return False, None
        kinds = {first.type, second.type}
        if kinds == {ActorType.state, ActorType.company} and first.country:
            return True, a if first.type is ActorType.company else b
        return False, None

    def _named_stage(self, sentence: Sentence, status: Status) -> Status:
        """The stage when the weapon is named in another sentence than the one the model
        cited ('the Archers will come from army stocks' cites the package sentence).

        That sentence's verbs decide where they state a stage, except that use reported
        of 'them' goes beyond a delivery there; a sentence that only promises the weapon
        makes a delivery or use a pledge. Otherwise the cited sentence's stage stands.
        """
        cue = status_cue(sentence.text)
        if cue is not None:
            return status if status is Status.used and cue is Status.delivered else cue
        if status in DONE and only_future(sentence.text):
            return Status.pledged
        return status

    def _party(self, actor_id: Optional[str]) -> tuple[bool, Optional[str]]:
        """(ok, id) for a supplier or recipient, folding state organs into their state.

        SIPRI-style records name states (and companies) as parties: a ministry, a
        department or the armed forces of a state stand for that state when the
        state is among the actors. Media outlets report transfers, never make them.
        """
        actor = next((a for a in self.resolved.actors if a.id == actor_id), None)
        if actor is None:
            return True, actor_id
        if actor.type in NOT_PARTIES:
            return False, None
        state = next(
            (
                a
                for a in self.resolved.actors
                if a.type is ActorType.state and actor.country and a.country == actor.country
            ),
            None,
        )
        if actor.name == actor.name.lower():
            # "South Korean companies" trade for South Korea; "civilian aircraft" is no party
            return True, state.id if state is not None else None
        if actor.type in STATE_ORGANS and state is not None:
            return True, state.id
        return True, actor_id

    def _plain(self, weapon: str) -> str:
        """'North Korean ballistic missiles' -> 'ballistic missiles': the party is a field."""
        lowered = weapon.lower()
        for names in self.forms.values():
            for name in sorted(names, key=len, reverse=True):
                for lead in (f"{name.lower()}'s ", f"{name.lower()}’s ", f"{name.lower()} "):
                    if len(name) > 2 and lowered.startswith(lead) and len(weapon) > len(lead):
                        return weapon[len(lead) :].strip()
        return weapon.strip()

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
        present = self.speakers
        current = next((a for a in present if a.id == source), None)
        found = voice(sentence.text, present)
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
        if current is None or not mentioned(current, unquoted(sentence.text)):
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
                gap = self.text[previous.evidence[0].end : sentence.start]
                if not gap.strip():
                    current = next((a for a in present if a.id == previous.source), current)
        role = self.spokespeople.for_sentence(sentence.text)
        if role is not None:
            person, (start, end) = role
            outside = sentence.text[:start] + " " + sentence.text[end:]
            if current is None or not mentioned(current, outside):
                current = person  # the named spokesperson, not the one they speak for
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

    def _closing_voice(self, sentence: Sentence, present: Sequence[Actor]) -> Optional[Actor]:
        """Who speaks a quotation this sentence opens: the voice where it closes."""
        if not opens_quotation(sentence.text):
            return None
        following = (s for s in self.sentences if sentence.id < s.id <= sentence.id + 3)
        for later in following:
            if re.search('["”]', later.text):
                found = voice(later.text, present)
                return found.actor if found else None
        return None

    def _near(self, actor: Actor, sentence: Sentence) -> bool:
        """Whether the sentence before or after names the actor."""
        return any(mentioned(actor, s.text) for s in self.sentences if abs(s.id - sentence.id) == 1)

    def _target(self, sentence_id: int) -> Optional[str]:
        sentence = by_id(self.sentences, sentence_id)
        return attack_target(sentence.text, self.forms) if sentence else None

    def _seek_direction(
        self, sentence_id: int, supplier: Optional[str], recipient: Optional[str]
    ) -> tuple[Optional[str], Optional[str]]:
        """'X seeks Y from Z': Z supplies. Swap when the model put the seeker first; take Z
        as supplier when the model named someone else (often the source of the report)."""
        texts = [s.text for s in self.sentences if s.id in (sentence_id, sentence_id - 1)]
        source = seek_source(list(reversed(texts)), self.forms)
        if source is not None and source == recipient:
            return recipient, supplier
        if source is not None and source != supplier and recipient is not None:
            return source, recipient  # the supplier is whoever it is sought from
        return supplier, recipient

    def _stranger(
        self,
        sentence_id: int,
        draft: TransferDraft,
        supplier: Optional[str],
        recipient: Optional[str],
    ) -> Optional[str]:
        """A party named neither in its sentence, nor the one before, nor the headline and
        lead: the model took it from elsewhere in the article ("Ukraine's allies promised
        ..." read as the Netherlands, named three paragraphs later). A state organ the
        sentence names ("the White House") counts for its state."""
        window = [s.text for s in self.sentences if s.id in (1, 2, sentence_id - 1, sentence_id)]
        for party, drafted in ((supplier, draft.supplier), (recipient, draft.recipient)):
            actor = next((a for a in self.resolved.actors if a.id == party), None)
            if actor is None or any(
                mentioned(actor, text) or (drafted and drafted.lower() in text.lower())
                for text in window
            ):
                continue
            return actor.name
        return None

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
        people = {a.id for a in self.resolved.actors if a.type is ActorType.person}

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
                self.drop("claim", f"beyond the {MAX_CLAIMS} claims that carry the story", claim.id)
        kept = [claim for claim in claims if id(claim) in keep]
        return [claim.model_copy(update={"id": f"c{i}"}) for i, claim in enumerate(kept, 1)]

    def _supply_direction(
        self, sentence_id: int, supplier: Optional[str], recipient: Optional[str]
    ) -> tuple[Optional[str], Optional[str]]:
        """'X sends Y to Z' names Z the recipient; 'Z asked X for Y' names X the supplier.
        Swap when the model put either the other way round."""
        sentence = by_id(self.sentences, sentence_id)
        if sentence is None or supplier is None:
            return supplier, recipient
        if supply_recipient(sentence.text, self.forms) == supplier:
            return recipient, supplier
        if recipient is not None and asked_supplier(sentence.text, self.forms) == recipient:
            return recipient, supplier
        subject = supply_subject(sentence.text, self.forms)
        if subject is not None and subject == recipient:
            return recipient, supplier
        if subject is not None and subject != supplier:
            return subject, recipient  # "officials believe Russia has supplied ..."
        return supplier, recipient

    def _add_transfer(
        self,
        kept: list[ArmsTransfer],
        draft: TransferDraft,
        weapon: str,
        supplier: Optional[str],
        recipient: Optional[str],
        status: Status,
    ) -> None:
        sentence = locate_weapon(self.sentences, draft.sentence, weapon)
        if sentence is None:
            self.drop("arms_transfer", f"weapon {weapon!r} not found in the article", draft)
            return
        stranger = self._stranger(sentence.id, draft, supplier, recipient)
        if stranger is not None:
            self.drop(
                "arms_transfer", f"{stranger!r} is not named in or before its sentence", draft
            )
            return
        if sentence.id != draft.sentence:
            status = self._named_stage(sentence, status)
        evidence = evidence_for(self.text, sentence)
        duplicate = next(
            (
                k
                for k in kept
                if self._shared(k.supplier, supplier)[0]
                and self._shared(k.recipient, recipient, companies=False)[0]
                and fuzz.token_set_ratio(k.weapon.lower(), weapon.lower()) >= SAME_WEAPON
            ),
            None,
        )
        if duplicate is not None:
            if len(weapon) > len(duplicate.weapon):  # keep the most specific wording
                duplicate.weapon, duplicate.category = weapon, draft.category
            duplicate.supplier = self._shared(duplicate.supplier, supplier)[1]
            duplicate.recipient = duplicate.recipient or recipient
            if _stage(status) > _stage(duplicate.status):
                duplicate.status = status
            if evidence not in duplicate.evidence:
                duplicate.evidence.append(evidence)
            self.drop("arms_transfer", f"repeats {duplicate.id}", draft)
            return
        quantity_text = quantity_in(sentence, draft.quantity)
        kept.append(
            ArmsTransfer(
                id=f"t{len(kept) + 1}",
                supplier=supplier,
                recipient=recipient,
                weapon=weapon,
                category=category_cue(weapon) or draft.category,
                quantity=parse_quantity(quantity_text),
                quantity_text=quantity_text,
                status=status,
                evidence=[evidence],
            )
        )

    def claims(self, drafts: Iterable[ClaimDraft]) -> list[Claim]:
        kept: list[Claim] = []
        for draft in drafts:
            sentence = by_id(self.sentences, draft.sentence)
            if sentence is None:  # drafts are validated against the ids; kept as a guard
                self.drop("claim", f"sentence {draft.sentence} does not exist", draft)
                continue
            ok, source = self.actor_id(draft.source, "claim", draft)
            if not ok:
                continue
            source = self._speaker(sentence, source, kept[-1] if kept else None)
            kind, factuality = stance(sentence.text) or (draft.type, draft.factuality)
            if kind is ClaimType.assertion and factuality in NEGATIVE:
                kind = ClaimType.denial  # asserting that something is not so is denying it
            evidence = evidence_for(self.text, sentence)
            duplicate = next(
                (k for k in kept if k.source == source and k.evidence[0] == evidence), None
            )
            if duplicate is not None:
                self.drop("claim", f"repeats {duplicate.id}", draft)
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


_PLACE_OR_GROUP = re.compile(
    r"\b(?:city|town|village|airport|air ?base|base|port|harbou?r|island|province|region|"
    r"district|stocks?|stockpiles?|depots?|companies|manufacturers|aircraft)$",
    re.IGNORECASE,
)
_ORGANISATIONS = {
    ActorType.company,
    ActorType.government_body,
    ActorType.international_org,
    ActorType.media,
    ActorType.ngo,
}


def not_an_actor(actor: Actor) -> bool:
    """A place ('Clark Air Base'), a stock of arms ('army stocks'), a generic group
    ('companies') or materiel ('NASAMS') the model listed as an actor. Only applied to
    actors no record refers to: those are the model's overview alone."""
    if _PLACE_OR_GROUP.search(actor.name):
        return True
    words = actor.name.split()
    if actor.type in (ActorType.other, ActorType.company) and words[-1].islower():
        return True  # "European producers", "cargo ships": a description, not a name
    return actor.type not in _ORGANISATIONS and names_materiel(actor.name)


def lead_summary(sentences: Sequence[Sentence], title: Optional[str], words: int = 70) -> str:
    """The article's lead: its first body sentences, up to about ``words`` words.

    Extractive on purpose: every word of it is the article's own, so it cannot
    misstate the story, and it costs no model time.
    """
    body = [s.text for s in sentences if s.text != title] or [s.text for s in sentences]
    chosen: list[str] = []
    for text in body:
        if chosen and (
            len(chosen) == 3 or sum(len(t.split()) for t in chosen) + len(text.split()) > words
        ):
            break
        chosen.append(text)
    return " ".join(chosen)


def _speaks_unseen(resolved: ResolvedActors, actor_id: Optional[str]) -> bool:
    """Whether a speaker found in the text is missing from the actors: unknown, read as a
    state ('Romanian defence ministry' is not Romania), or known only by a form the text
    never uses ("Romania's defence ministry")."""
    actor = next((a for a in resolved.actors if a.id == actor_id), None)
    return actor is None or actor.type is ActorType.state or not actor.evidence


def assemble(
    text: str, sentences: Sequence[Sentence], passes: PassOutput, title: Optional[str] = None
) -> Assembled:
    """Turn every pass's drafts into grounded, deduplicated, numbered published records."""
    candidates = _candidates(passes)
    resolved = resolve_actors(candidates, text)
    asked = {c.sentence for c in passes.claims}
    speakers = [
        ActorCandidate(name, kind)
        for sentence in sentences
        if sentence.id in asked
        for kind, names in (
            (ActorType.person, named_speakers(sentence.text)),
            (ActorType.government_body, named_bodies(sentence.text)),
        )
        for name in names
        if _speaks_unseen(resolved, resolved.lookup(name))
    ]
    if speakers:  # a person or body the overview missed speaks in a claim sentence
        resolved = resolve_actors(candidates + speakers, text)
    builder = _Builder(text, sentences, resolved)
    for candidate, reason in resolved.dropped:
        builder.drop("actor", reason, candidate.name)
    transfers = builder.transfers(passes.transfers)
    claims = builder.story_claims(builder.claims(passes.claims), transfers)
    referenced = (
        {t.supplier for t in transfers}
        | {t.recipient for t in transfers}
        | {c.source for c in claims}
    )
    actors: list[Actor] = []
    for actor in resolved.actors:
        if actor.id not in referenced and not actor.evidence:
            builder.drop("actor", f"{actor.name!r} is not mentioned in the article", actor.name)
        elif actor.id not in referenced and not_an_actor(actor):
            builder.drop("actor", "names a place, materiel or a generic group", actor.name)
        else:
            actors.append(actor)
    return Assembled(
        summary=lead_summary(sentences, title),
        actors=actors,
        transfers=transfers,
        claims=claims,
        discarded=builder.discarded,
    )
