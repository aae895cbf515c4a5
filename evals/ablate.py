"""Ablation of the phrase-scoped rule families: switch one off, re-score from the cache.

    python evals/ablate.py NAME [--cache-dir .cache/s12]

NAME is ``none`` or one of the ``*_off`` functions below. Each patches one family back to
what it was before it (or to never firing) and prints F1 on dev, tune and confirm, scored
from cached replies (no model call when the cache holds them). It patches private names
of ``summariser.assembly``: a measuring tool, not part of the library.
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
from summariser.records import Factuality

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("name")
    parser.add_argument("--cache-dir", type=Path, default=ROOT / ".cache" / "s12")
    args = parser.parse_args()
    if args.name != "none":
        globals()[args.name]()
    cues.status_cue.cache_clear()
    row = [args.name]
    for label, folder, split in SETS:
        s = evaluate(folder, cache_dir=args.cache_dir, split=split).scores
        row.append(
            f"{label} t={s.transfers.f1:.3f} ts={s.transfers_strict.f1:.3f} "
            f"c={s.claims.f1:.3f} a={s.actors.f1:.3f}"
        )
    print(" | ".join(row))


if __name__ == "__main__":
    main()
