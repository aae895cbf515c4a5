"""Many articles on one machine: concurrent, resumable, one JSONL line per article.

On a Ray cluster: :mod:`summariser.batch.distributed` (not imported here: it needs Ray)."""

from summariser.batch.runner import ARTICLE_SUFFIXES, Article, Outcome, expand, summarise_many

__all__ = ["ARTICLE_SUFFIXES", "Article", "Outcome", "expand", "summarise_many"]
