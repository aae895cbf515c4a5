"""Many article summaries -> one cited briefing: :func:`brief` and :class:`Briefing`.

Merging (:mod:`.merging`, :mod:`.transfers`, :mod:`.contradictions`), wording
(:mod:`.estimative`, :mod:`.narrative`), the briefing model (:mod:`.model`) and its
renderers (:mod:`.render`). Reads only records and knowledge: no model is called."""

from summariser.briefing.build import Briefing, brief

__all__ = ["Briefing", "brief"]
