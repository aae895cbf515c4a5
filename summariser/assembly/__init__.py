"""Stage 3b, drafts to records: transfers and claims grounded in their sentences, checked
against the text's own cues, deduplicated and numbered (:func:`assemble`)."""

from summariser.assembly.assemble import Assembled, assemble

__all__ = ["Assembled", "assemble"]
