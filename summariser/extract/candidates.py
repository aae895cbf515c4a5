"""Which sentences the model is asked about: cheap, high-recall cues found by code.

The transfer pass only visits sentences that name military materiel; the claim pass
only visits sentences with an attribution or stance cue. The model then decides, per
sentence, what (if anything) is there. Recall matters more than precision here: a
sentence wrongly visited costs a few tokens, a sentence skipped loses records.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from summariser.ingest.sentences import Sentence
from summariser.knowledge.weapons import MATERIEL

_TRANSFER_VERB = re.compile(
    r"\b(?:suppl|provid|deliver|send|sent|ship|transfer|sell|sold|sale|export|import|"
    r"buy|bought|purchas|acquir|procur|order|contract|deal|agreement|pledg|promis|donat|"
    r"gave|give|giv|smuggl|rush|lend|lent|loan|leas(?:e|ed|es|ing)\b|offer|seek|sought|request|ask|receiv|obtain|package|tranche|"
    r"aid|assistance|handed|hand|arm(?:ed|ing)\b|fire|fired|launch|used|using|"
    # the verbs the stage reader knows (cancelled, agreed, offered, delivered) and licences
    r"cancel|scrap|halt|suspend|sign(?:s|ed|ing)?\b|agree|commit|propos|arriv|licen[cs])",
    re.IGNORECASE,
)
_ATTRIBUTION = re.compile(
    r"\b(?:said|says|say|told|tells|according to|stated|states|announced|announces|"
    r"denied|denies|deny|warned|warns|believes?|believed|claimed|claims?|reported|reports|"
    r"accused|accuses|added|assess(?:es|ed|ment)?|confirmed|confirms|insisted|urged|"
    r"called|quoted|praised|refused|statement|release|alleg(?:ed|es|ations?)|dismiss(?:ed|es)?|reject(?:ed|s)?|insists?|"
    r"estimated?|expects?|expected|vowed|pledged|promised|threatened|demanded|"
    r"declined|acknowledged|noted|revealed|disclosed|verdict|no evidence|"
    r"could not (?:independently )?(?:confirm|verify)|unable to confirm)\b"
    r"|[“”\"]",
    re.IGNORECASE,
)


def transfer_sentences(sentences: Sequence[Sentence]) -> list[Sentence]:
    """Sentences that name materiel and a movement, sale, request or use of it."""
    return [s for s in sentences if MATERIEL.search(s.text) and _TRANSFER_VERB.search(s.text)]


def claim_sentences(sentences: Sequence[Sentence]) -> list[Sentence]:
    """Sentences that attribute a statement or stance to someone (or quote them)."""
    return [s for s in sentences if _ATTRIBUTION.search(s.text)]
