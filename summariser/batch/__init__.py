"""Many articles on one machine: concurrent, resumable, one JSONL line per article."""

from summariser.batch.runner import ARTICLE_SUFFIXES, Article, Outcome, expand, summarise_many

__all__ = ["ARTICLE_SUFFIXES", "Article", "Outcome", "expand", "summarise_many"]
