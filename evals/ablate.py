"""Ablation of the rule families: switch one off, re-score from the cache.

    python evals/ablate.py NAME [--cache-dir .cache/s14] [--sets dev,tune,confirm]

NAME is ``none``, one of the ``*_off`` functions below, or several joined by ``+``. Each
patches one family back to what it was before it (or to never firing) and prints F1 on
dev, tune and confirm, scored from cached replies (no model call when the cache holds
them). It patches private names of ``summariser.assembly``: a measuring tool, not part of
the library.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import summariser.assembly.attribution as attribution
import summariser.assembly.cues as cues
import summariser.assembly.direction as direction
import summariser.assembly.spans as spans
import summariser.assembly.transfers as transfers
from summariser import evaluate
from summariser.records import Factuality, Status

NEVER = re.compile(r"(?!x)x")
WHOLE_SENTENCE_FUTURE = re.compile(
    r"\b(?:will|would|shall|to be|set to|scheduled|expected to|due to|plans? to|going to)\b",
    re.IGNORECASE,
)
ROOT = Path(__file__).resolve().parent.parent
SETS = (
    ("dev", ROOT.parent / "shared" / "evalset" / "dev", None),
    ("tune", ROOT / "evals" / "fixtures", "tune"),
    ("confirm", ROOT / "evals" / "fixtures", "confirm"),
)


def scoped_off() -> None:
    """A negation or future anywhere in the sentence undoes every delivery in it."""

    def whole(text: str, verb: re.Match[str]) -> bool:
        return bool(cues._NEGATION.search(text) or cues._FUTURE.search(text))

    def only_future(text: str) -> bool:
        return bool(cues._FUTURE.search(text)) and not cues._DELIVERED.search(text)

    cues._unsure = whole
    cues.only_future = transfers.only_future = only_future


def passive_off() -> None:
    transfers.passive_parties = lambda text, forms: (None, None)
    direction._PASSIVE_BE = NEVER


def paperwork_off() -> None:
    cues._PAPERWORK = NEVER


def calibre_off() -> None:
    spans._CALIBRE = NEVER


def said_to_be_off() -> None:
    cues._FUTURE = WHOLE_SENTENCE_FUTURE


def may_off() -> None:
    hedge = re.compile(r"\b(?:may|might|could|possibly)\b", re.IGNORECASE)
    attribution._STANCES = tuple(
        (kind, fact, hedge if fact is Factuality.possible else pattern)
        for kind, fact, pattern in attribution._STANCES
    )


# --- the transfer builder's older families


def verb_stage_off() -> None:
    """The sentence's stage verbs override the model's stage (the furthest-verb rule)."""
    transfers.status_cue = lambda text: None


def _cue_off(stage: Status) -> None:
    """``cue_<stage>_off``: a verb of that stage ('requested', 'signed', 'delivered', ...)
    no longer sets the stage over the model's reading of its sentence."""
    transfers.CUE_DECIDES = transfers.CUE_DECIDES - {stage}


def future_pledge_off() -> None:
    """A delivery in a sentence that only speaks of the future becomes a pledge."""
    transfers.only_future = lambda text: False


def use_verb_off() -> None:
    """The model's 'used' stands only where a verb of use is in the sentence."""
    transfers.reports_use = lambda text: True


def denial_off() -> None:
    """A sentence that denies a delivery or calls it false yields no transfer."""
    transfers.denied_or_false = lambda text: None


def direction_off() -> None:
    """Sentence verbs swap supplier and recipient ('X sends Y to Z', 'seeks Y from Z', ...)."""
    transfers.seek_source = lambda texts, forms: None
    transfers.supply_recipient = lambda text, forms: None
    transfers.asked_supplier = lambda text, forms: None
    transfers.passive_parties = lambda text, forms: (None, None)
    transfers.supply_subject = lambda text, forms: None


def attack_verb_off() -> None:
    """A 'recipient' that the sentence names as the target of an attack is dropped."""
    transfers.attack_target = lambda text, forms: None


def stranger_off() -> None:
    """A party named neither in its sentence, the one before, nor the lead is dropped."""
    transfers.TransferBuilder._stranger = lambda self, *args: None


def clause_stage_off() -> None:
    """The item's own clause no longer sets its stage over the sentence's verbs."""
    transfers.TransferBuilder._clause_stage = lambda self, sentence, weapon, status: status


def asked_of_off() -> None:
    """A request keeps the supplier the model gave, named in its sentence or not."""
    transfers.SOUGHT_NEEDS_NAMED_SUPPLIER = False


def materiel_words_off() -> None:
    """The model's weapon category alone makes an item materiel again."""
    transfers.MATERIEL_NEEDS_WORDS = False


def own_official_off() -> None:
    """A person of the other party's state named as supplier or recipient is kept."""
    transfers.TransferBuilder._own_official = lambda self, *args: None


def attacker_off() -> None:
    """Whoever fires a weapon in an attack may still be drafted as its supplier."""
    transfers.attacker = lambda text, forms: None


def rivals_off() -> None:
    """Two parties that both offer or sell in the sentence may still be drafted as a sale."""
    transfers.sellers = lambda text, forms: set()


def subordinate_off() -> None:
    """An item's clause runs on past 'after', 'before', 'while', 'when' ... to the next comma."""
    cues._CLAUSE_END = re.compile(r"[,;:()\u2013\u2014]|\s-\s")


def category_words_off() -> None:
    """The weapon's own words name its category over the model's."""
    transfers.category_cue = lambda weapon: None


def stage_gate_off() -> None:
    """A record whose stage is unknown throughout is no transfer."""
    transfers.TransferBuilder._staged = lambda self, record: True


def materiel_gate_off() -> None:
    """An item with no weapon category and no word for materiel is no transfer."""
    transfers.is_materiel = lambda weapon, category: True


def no_object_off() -> None:
    """An item whose head noun names no object (an embargo, soldiers, funding) is no transfer."""
    transfers.names_no_object = lambda weapon: False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("name", help="none, a *_off function, or several joined by +")
    parser.add_argument("--sets", default="dev,tune,confirm")
    parser.add_argument("--cache-dir", type=Path, default=ROOT / ".cache" / "s14")
    args = parser.parse_args()
    for name in args.name.split("+"):  # several families at once: a+b
        if name.startswith("cue_") and name.endswith("_off"):
            _cue_off(Status(name[4:-4]))
        elif name != "none":
            globals()[name]()
    cues.status_cue.cache_clear()
    row = [args.name]
    for label, folder, split in SETS:
        if label not in args.sets.split(","):
            continue
        s = evaluate(folder, cache_dir=args.cache_dir, split=split).scores
        row.append(
            f"{label} t={s.transfers.f1:.3f} ts={s.transfers_strict.f1:.3f} "
            f"status={s.slots['transfer.status'].rate or 0:.2f} "
            f"c={s.claims.f1:.3f} a={s.actors.f1:.3f}"
        )
    print(" | ".join(row))


if __name__ == "__main__":
    main()
