"""The project's own fixtures (``evals/fixtures``) are well formed by ``shared/evalset/GUIDE.md``.

Every label file parses; every evidence span is verbatim in its article, and so are the date
words a transfer may carry (``date_text``, optional: absent is "not labelled", null is "the
article gives no time"); every supplier, recipient and claim source is an actor of the file;
the confirm split names existing articles.
Run on one folder with ``pytest tests/test_fixture_files.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summariser.evaluation.scoring import load_gold

FOLDER = Path(__file__).resolve().parent.parent / "evals" / "fixtures"
LABELS = sorted(FOLDER.glob("[0-9][0-9]_*.json"))


def test_there_are_fixtures() -> None:
    assert len(LABELS) >= 18


@pytest.mark.parametrize("path", LABELS, ids=lambda p: p.stem)
def test_labels_fit_their_article(path: Path) -> None:
    gold = load_gold(path)
    assert gold.article == path.with_suffix(".txt").name
    text = path.with_suffix(".txt").read_text(encoding="utf-8")
    names = {actor.name for actor in gold.actors}
    assert len(names) == len(gold.actors), "two actors share a name"
    for actor in gold.actors:
        assert actor.name.strip(), "an actor without a name"
    for transfer in gold.arms_transfers:
        assert transfer.evidence in text, f"evidence not verbatim: {transfer.evidence!r}"
        words = transfer.date_text
        assert words is None or words in text, f"date_text not verbatim: {words!r}"
        for party in (transfer.supplier, transfer.recipient):
            assert party is None or party in names, f"{party!r} is not an actor of the file"
    for claim in gold.claims:
        assert claim.evidence in text, f"evidence not verbatim: {claim.evidence!r}"
        assert claim.source is None or claim.source in names, f"{claim.source!r} not an actor"


def test_some_transfers_say_when() -> None:
    labelled = [t for path in LABELS for t in load_gold(path).arms_transfers if t.date_labelled]
    assert len(labelled) >= 60 and any(t.date_text is None for t in labelled)


def test_the_confirm_split_names_existing_articles() -> None:
    confirm = json.loads((FOLDER / "splits.json").read_text(encoding="utf-8"))["confirm"]
    stems = {path.stem for path in LABELS}
    assert set(confirm) <= stems
    assert 0.25 <= len(confirm) / len(stems) <= 0.4, "about a third of the fixtures confirm"
