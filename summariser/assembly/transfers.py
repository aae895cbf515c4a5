"""Transfer drafts to published :class:`ArmsTransfer` records.

The model names the parties, the item and the stage; code checks each against the
sentence the model cited: who supplies and who receives by the verbs around them, the
stage by the sentence's own verbs, the item by finding it in the text. Lists become one
record per item, and repeats of one transfer become one record at its furthest stage.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Optional

from rapidfuzz import fuzz

from summariser.assembly.attribution import mentioned
from summariser.assembly.context import ArticleContext
from summariser.assembly.cues import (
    category_cue,
    denied_or_false,
    item_status_cue,
    only_future,
    reports_use,
    stated_stage,
    status_cue,
)
from summariser.assembly.direction import (
    asked_supplier,
    attack_target,
    attacker,
    passive_parties,
    seek_source,
    sellers,
    supply_recipient,
    supply_subject,
)
from summariser.assembly.spans import (
    by_id,
    evidence_for,
    locate_weapon,
    quantity_in,
    split_items,
    weapon_spans,
)
from summariser.extract.drafts import TransferDraft
from summariser.ingest.sentences import Sentence
from summariser.knowledge.designations import split_designation
from summariser.knowledge.quantities import parse_quantity
from summariser.knowledge.weapons import SAME_WEAPON, names_kit, names_no_object
from summariser.records import DONE, ActorType, ArmsTransfer, Category, Evidence, Status, stage

NOT_PARTIES = frozenset({ActorType.media})
#: categories that say nothing about whether an item is materiel at all
NO_CATEGORY = frozenset({Category.other, Category.unknown})
STATE_ORGANS = frozenset({ActorType.government_body, ActorType.military})

#: Supplier, recipient (actor ids, either may be unknown) and stage of one transfer.
Parties = tuple[Optional[str], Optional[str], Status]


#: Whether a request's supplier must be named in its own sentence (evals/ablate.py).
SOUGHT_NEEDS_NAMED_SUPPLIER = True

#: Whether an item's own words must name materiel, the model's category not being enough
#: (evals/ablate.py).
MATERIEL_NEEDS_WORDS = True

#: The stages a sentence's own verbs may set over the model's reading of that sentence.
CUE_DECIDES: frozenset[Status] = frozenset(Status)


def verb_stage(text: str) -> Optional[Status]:
    """The stage the sentence's verbs report, where that kind of verb decides."""
    cue = status_cue(text)
    return cue if cue in CUE_DECIDES else None


def is_materiel(weapon: str, category: Category) -> bool:
    """Whether an item can be the object of an arms transfer: its own words name weapons,
    military equipment or kit, or a type ("Gripen E", "Caesars"). The model's weapon
    category alone is not enough: it files grain under artillery when a sentence asks
    for weapons. Phones, grain, money and a knife in a crime report name none. A phrase
    whose head noun names no object (an embargo, a standard, soldiers, funding) is no
    item, whatever its category. ``MATERIEL_NEEDS_WORDS`` off (evals/ablate.py): the
    model's category is enough, as before."""
    if names_no_object(weapon):
        return False
    if MATERIEL_NEEDS_WORDS:
        return bool(
            category_cue(weapon) is not None or names_kit(weapon) or split_designation(weapon)[0]
        )
    return category not in NO_CATEGORY or category_cue(weapon) is not None or names_kit(weapon)


class TransferBuilder:
    """Builds one article's transfers; what it drops goes to the shared context."""

    def __init__(self, article: ArticleContext) -> None:
        self.article = article

    def transfers(self, drafts: Iterable[TransferDraft]) -> list[ArmsTransfer]:
        """One record per item of each draft that survives the checks, repeats merged."""
        kept: list[ArmsTransfer] = []
        roles: dict[int, Parties] = {}
        for draft in drafts:
            parties = self._parties(draft, roles)
            if parties is None:
                continue
            supplier, recipient, status = parties
            roles[draft.sentence] = parties
            for weapon in split_items(self._plain(draft.weapon)):
                self._add_transfer(kept, draft, weapon, supplier, recipient, status)
        return self._without_partial_repeats([k for k in kept if self._staged(k)])

    def _staged(self, record: ArmsTransfer) -> bool:
        """Whether a record has a stage: one still 'unknown' after every sentence it rests
        on (neither the model nor any verb placed it) mentions an item, not a transfer."""
        if record.status is not Status.unknown:
            return True
        self.article.drop("arms_transfer", "no stage stated or implied", record.id)
        return False

    def _parties(self, draft: TransferDraft, roles: Mapping[int, Parties]) -> Optional[Parties]:
        """Supplier, recipient and stage of a draft, checked; None when it is dropped.

        A named party must be one the article mentions and may be no media outlet; a
        denial keeps only a stage its sentence states; a draft naming neither party takes
        the parties of the sentence before it; an attack's target is no recipient.
        """
        ok_s, supplier = self.article.actor_id(draft.supplier, "arms_transfer", draft)
        ok_r, recipient = self.article.actor_id(draft.recipient, "arms_transfer", draft)
        if not (ok_s and ok_r):
            return None
        (party_s, supplier), (party_r, recipient) = (
            self._party(supplier),
            self._party(recipient),
        )
        if not (party_s and party_r):
            self.article.drop(
                "arms_transfer", "a media outlet named as supplier or recipient", draft
            )
            return None
        status = self._status(draft)
        sentence = by_id(self.article.sentences, draft.sentence)
        refuted = denied_or_false(sentence.text) if sentence else None
        if refuted is not None and (
            status in (*DONE, Status.cancelled, Status.unknown)
            or not (sentence is not None and stated_stage(sentence.text, status))
        ):  # a denial keeps only a stage its sentence states ('refused to ship': sought)
            self.article.drop("arms_transfer", refuted, draft)
            return None
        if supplier is None and recipient is None:
            inherited = roles.get(draft.sentence - 1)
            if inherited is None:
                self.article.drop("arms_transfer", "no supplier or recipient named", draft)
                return None
            supplier, recipient, before = inherited
            status = before if status is Status.unknown else status
        if supplier is not None and supplier == recipient:
            self.article.drop("arms_transfer", "supplier and recipient are the same actor", draft)
            return None
        official = self._own_official(supplier, recipient)
        if official is not None:
            self.article.drop(
                "arms_transfer", f"{official!r} is the other party's own official", draft
            )
            return None
        if status is Status.sought:
            supplier, recipient = self._seek_direction(draft.sentence, supplier, recipient)
            supplier = self._asked_of(draft.sentence, supplier)
        supplier, recipient = self._supply_direction(draft.sentence, supplier, recipient)
        if self._rivals(draft.sentence, supplier, recipient):
            self.article.drop(
                "arms_transfer", "supplier and recipient both offer or sell: rivals", draft
            )
            return None
        if (
            status in (Status.used, Status.unknown)
            and recipient is not None
            and recipient == self._target(draft.sentence)
        ):
            self.article.drop("arms_transfer", "the 'recipient' is the target of an attack", draft)
            return None
        if supplier is not None and supplier == self._attacker(draft.sentence):
            self.article.drop(
                "arms_transfer", "the 'supplier' fires the weapon in an attack", draft
            )
            return None
        return supplier, recipient, status

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
                self.article.drop(
                    "arms_transfer", "a complete record covers this partial one", record.id
                )
            else:
                result.append(record)
        return result  # ids keep their numbers, so 'repeats tN' in discarded stays true

    def _status(self, draft: TransferDraft) -> Status:
        """The stage the sentence's own verbs report, else the model's.

        A 1.5B model confuses stages far more often than a verb lexicon does (it reads
        "is seeking X from Y" as a deal); the model's stage stands where no verb says
        otherwise, and when it is 'used' where the verbs only say 'delivered'.
        """
        sentence = by_id(self.article.sentences, draft.sentence)
        cue = verb_stage(sentence.text) if sentence else None
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
        first, second = self.article.actor(a), self.article.actor(b)
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
        cue = verb_stage(sentence.text)
        if cue is not None:
            return status if status is Status.used and cue is Status.delivered else cue
        if status in DONE and only_future(sentence.text):
            return Status.pledged
        return status

    def _clause_stage(self, sentence: Sentence, weapon: str, status: Status) -> Status:
        """The stage of the item's own clause where the sentence's verbs set it and that
        clause says another ("When the order was signed, X also proposed selling APCs":
        the APCs were offered, not agreed). An item named in several clauses takes the
        furthest of their stages, as repeated mentions across sentences do."""
        if status is not verb_stage(sentence.text):
            return status
        cues = [item_status_cue(sentence.text, *span) for span in weapon_spans(sentence, weapon)]
        found = [cue for cue in cues if cue is not None and cue in CUE_DECIDES]
        return max(found, key=stage) if found else status

    def _party(self, actor_id: Optional[str]) -> tuple[bool, Optional[str]]:
        """(ok, id) for a supplier or recipient, folding state organs into their state.

        SIPRI-style records name states (and companies) as parties: a ministry, a
        department or the armed forces of a state stand for that state when the
        state is among the actors. Media outlets report transfers, never make them.
        """
        actor = self.article.actor(actor_id)
        if actor is None:
            return True, actor_id
        if actor.type in NOT_PARTIES:
            return False, None
        state = next(
            (
                a
                for a in self.article.resolved.actors
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

    def _own_official(self, supplier: Optional[str], recipient: Optional[str]) -> Optional[str]:
        """The name of a party who is a person of the other party's state ("Romania will
        hand the radars over, Romanian Defence Minister X said": X speaks for the
        supplier, X receives nothing), else None. A state does not arm its own
        officials; armed groups and companies of the same country are kept."""
        one, other = self.article.actor(supplier), self.article.actor(recipient)
        for person, state in ((one, other), (other, one)):
            if (
                person is not None
                and state is not None
                and person.type is ActorType.person
                and state.type is ActorType.state
                and person.country is not None
                and person.country == state.country
            ):
                return person.name
        return None

    def _plain(self, weapon: str) -> str:
        """'North Korean ballistic missiles' -> 'ballistic missiles': the party is a field."""
        lowered = weapon.lower()
        for names in self.article.forms.values():
            for name in sorted(names, key=len, reverse=True):
                for lead in (f"{name.lower()}'s ", f"{name.lower()}’s ", f"{name.lower()} "):
                    if len(name) > 2 and lowered.startswith(lead) and len(weapon) > len(lead):
                        return weapon[len(lead) :].strip()
        return weapon.strip()

    def _rivals(self, sentence_id: int, supplier: Optional[str], recipient: Optional[str]) -> bool:
        """Whether the sentence makes both parties sellers ("X pitched A, while Y offered
        B"): rival bidders, not a sale from one to the other."""
        sentence = by_id(self.article.sentences, sentence_id)
        if sentence is None or supplier is None or recipient is None:
            return False
        return {supplier, recipient} <= sellers(sentence.text, self.article.forms)

    def _attacker(self, sentence_id: int) -> Optional[str]:
        """Who fires weapons in an attack the sentence tells of, if an actor."""
        sentence = by_id(self.article.sentences, sentence_id)
        return attacker(sentence.text, self.article.forms) if sentence else None

    def _target(self, sentence_id: int) -> Optional[str]:
        sentence = by_id(self.article.sentences, sentence_id)
        return attack_target(sentence.text, self.article.forms) if sentence else None

    def _seek_direction(
        self, sentence_id: int, supplier: Optional[str], recipient: Optional[str]
    ) -> tuple[Optional[str], Optional[str]]:
        """'X seeks Y from Z': Z supplies. Swap when the model put the seeker first; take Z
        as supplier when the model named someone else (often the source of the report)."""
        texts = [s.text for s in self.article.sentences if s.id in (sentence_id, sentence_id - 1)]
        source = seek_source(list(reversed(texts)), self.article.forms)
        if source is not None and source == recipient:
            return recipient, supplier
        if source is not None and source != supplier and recipient is not None:
            return source, recipient  # the supplier is whoever it is sought from
        return supplier, recipient

    def _asked_of(self, sentence_id: int, supplier: Optional[str]) -> Optional[str]:
        """Who a request is made of: a request names them in its own sentence ("asked
        Romania for radars", "seeks radars from Romania"); one that names no one ("is also
        seeking air defence systems") has no supplier, whoever else the article names."""
        actor = self.article.actor(supplier)
        sentence = by_id(self.article.sentences, sentence_id)
        if actor is None or sentence is None or not SOUGHT_NEEDS_NAMED_SUPPLIER:
            return supplier
        return supplier if mentioned(actor, sentence.text) else None

    def _supply_direction(
        self, sentence_id: int, supplier: Optional[str], recipient: Optional[str]
    ) -> tuple[Optional[str], Optional[str]]:
        """'X sends Y to Z' names Z the recipient; 'Z asked X for Y' names X the supplier;
        'Z was supplied with Y by X' names X the supplier. Swap when the model put either
        the other way round."""
        sentence = by_id(self.article.sentences, sentence_id)
        if sentence is None or supplier is None:
            return supplier, recipient
        if supply_recipient(sentence.text, self.article.forms) == supplier:
            return recipient, supplier
        if recipient is not None and asked_supplier(sentence.text, self.article.forms) == recipient:
            return recipient, supplier
        agent, patient = passive_parties(sentence.text, self.article.forms)
        if agent is not None or patient is not None:  # the passive puts the recipient first
            swapped = agent == recipient or patient == supplier
            return (recipient, supplier) if swapped else (supplier, recipient)
        subject = supply_subject(sentence.text, self.article.forms)
        if subject is not None and subject == recipient:
            return recipient, supplier
        if subject is not None and subject != supplier:
            return subject, recipient  # "officials believe Russia has supplied ..."
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
        window = [
            s.text for s in self.article.sentences if s.id in (1, 2, sentence_id - 1, sentence_id)
        ]
        for party, drafted in ((supplier, draft.supplier), (recipient, draft.recipient)):
            actor = self.article.actor(party)
            if actor is None or any(
                mentioned(actor, text) or (drafted and drafted.lower() in text.lower())
                for text in window
            ):
                continue
            return actor.name
        return None

    def _add_transfer(
        self,
        kept: list[ArmsTransfer],
        draft: TransferDraft,
        weapon: str,
        supplier: Optional[str],
        recipient: Optional[str],
        status: Status,
    ) -> None:
        if not is_materiel(weapon, draft.category):
            self.article.drop(
                "arms_transfer",
                f"{weapon!r} is not military materiel (no weapon category, "
                "no word for weapons or military equipment)",
                draft,
            )
            return
        sentence = locate_weapon(self.article.sentences, draft.sentence, weapon)
        if sentence is None:
            self.article.drop("arms_transfer", f"weapon {weapon!r} not found in the article", draft)
            return
        stranger = self._stranger(sentence.id, draft, supplier, recipient)
        if stranger is not None:
            self.article.drop(
                "arms_transfer", f"{stranger!r} is not named in or before its sentence", draft
            )
            return
        if sentence.id != draft.sentence:
            status = self._named_stage(sentence, status)
        else:
            status = self._clause_stage(sentence, weapon, status)
        evidence = evidence_for(self.article.text, sentence)
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
            self._merge(duplicate, draft, weapon, supplier, recipient, status, evidence)
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

    def _merge(
        self,
        duplicate: ArmsTransfer,
        draft: TransferDraft,
        weapon: str,
        supplier: Optional[str],
        recipient: Optional[str],
        status: Status,
        evidence: Evidence,
    ) -> None:
        """Fold a repeat into the record it repeats: the most specific wording, the
        company over its state as supplier, the furthest stage, every evidence span."""
        if len(weapon) > len(duplicate.weapon):  # keep the most specific wording
            duplicate.weapon, duplicate.category = weapon, draft.category
        duplicate.supplier = self._shared(duplicate.supplier, supplier)[1]
        duplicate.recipient = duplicate.recipient or recipient
        if stage(status) > stage(duplicate.status):
            duplicate.status = status
        if evidence not in duplicate.evidence:
            duplicate.evidence.append(evidence)
        self.article.drop("arms_transfer", f"repeats {duplicate.id}", draft)
