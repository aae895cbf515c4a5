"""Saved output matched to the articles of a labelled folder (``summariser eval --summaries``).

Per article, the result scored is one whose ``sha256`` is the content hash of the article
file (what a batch records: ``extract --out``, ``extract --engine ray``), else one without a
hash (a bare summary, e.g. from ``extract --format json`` or an eval's ``.jsonl``) whose
source has the article's file name. A success beats a failure; of several successes the
first is scored and the others are noted; of failures, the last.

A result under the article's name but with another content hash summarises another version
of the text: it is not scored, and the article is reported without a summary, saying so.
An article with no result, or only a failed one, is scored as producing nothing and listed
as "no summary" with the reason. Results of articles the folder does not hold (or holds
outside the split being scored) are ignored with a note.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from summariser.summary_files import Saved, SavedOutput

MAX_NAMED = 8  # ignored results named in a note; the rest are counted


@dataclass(frozen=True)
class Match:
    """What the saved output holds for one article: a summary to score, or why not."""

    article: Path
    saved: Optional[Saved]  # the result scored, or the failure reported
    reason: Optional[str] = None  # set when there is no summary to score

    @property
    def summary_found(self) -> bool:
        return self.reason is None


def content_hash(path: Path) -> str:
    """The sha256 of a file's bytes, as a batch records it for the article."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _label(saved: Saved) -> str:
    return saved.name or saved.id or saved.where


def _named(results: Sequence[Saved]) -> str:
    names = [_label(r) for r in results[:MAX_NAMED]]
    more = len(results) - len(names)
    return ", ".join(names) + (f" and {more} more" if more else "")


@dataclass
class _Index:
    """Articles by content hash and by file name."""

    by_sha: dict[str, int]
    by_name: dict[str, int]

    @classmethod
    def of(cls, articles: Sequence[Path]) -> _Index:
        return cls(
            {content_hash(p): i for i, p in enumerate(articles)},
            {p.name: i for i, p in enumerate(articles)},
        )

    def find(self, saved: Saved) -> Optional[int]:
        if saved.sha256:
            return self.by_sha.get(saved.sha256)
        return self.by_name.get(saved.name or "")


def match(
    articles: Sequence[Path],
    output: SavedOutput,
    *,
    others: Sequence[Path] = (),
    outside: str = "outside the split scored",
) -> tuple[list[Match], list[str]]:
    """(one :class:`Match` per article, in order; notes on what was ignored).

    ``others`` are the folder's article files that are not scored (the other split, or
    without labels): their results are ignored as ``outside``, not as strangers."""
    scored, skipped = _Index.of(articles), _Index.of(others)
    chosen: dict[int, Saved] = {}
    stale: dict[int, Saved] = {}
    extra: dict[int, int] = {}
    not_ours: list[Saved] = []
    left_out: list[Saved] = []
    for saved in output.results:
        index = scored.find(saved)
        if index is None:
            name = saved.name or ""
            if saved.sha256 and name in scored.by_name:
                stale.setdefault(scored.by_name[name], saved)
            elif skipped.find(saved) is not None:
                left_out.append(saved)
            else:
                not_ours.append(saved)
            continue
        current = chosen.get(index)
        if current is None or not current.ok:
            chosen[index] = saved  # a success replaces a failure; a later failure an earlier
        elif saved.ok:
            extra[index] = extra.get(index, 0) + 1
    matches = []
    for index, article in enumerate(articles):
        picked = chosen.get(index)
        if picked is not None and picked.ok:
            matches.append(Match(article, picked))
        elif picked is not None:
            matches.append(Match(article, picked, f"its extraction failed ({picked.error})"))
        elif index in stale:
            found = stale[index]
            matches.append(Match(article, None, (
                f"the result under its name ({found.where}) was made from other content "
                "(another sha256): the article changed since, or another copy was read"
            )))  # fmt: skip
        else:
            matches.append(Match(article, None, f"none in {output.origin}"))
    notes = list(output.notes)
    for index, count in sorted(extra.items()):
        plural = "summaries" if count > 1 else "summary"
        notes.append(f"{articles[index].name}: {count} more {plural} ignored; scored "
                     f"{chosen[index].where}")  # fmt: skip
    if left_out:
        notes.append(f"ignored {len(left_out)} result(s) of articles {outside}: "
                     f"{_named(left_out)}")  # fmt: skip
    if not_ours:
        notes.append(f"ignored {len(not_ours)} result(s) of articles not in the folder: "
                     f"{_named(not_ours)}")  # fmt: skip
    return matches, notes
