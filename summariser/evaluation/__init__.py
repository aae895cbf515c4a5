"""Scoring against hand-labelled fixtures, and the eval report: :func:`evaluate`."""

from summariser.evaluation.comparison import Comparison, compare
from summariser.evaluation.report import GATES, ArticleRun, EvalReport
from summariser.evaluation.run import Fixture, Progress, default_cache_dir, evaluate, find_fixtures

__all__ = [
    "GATES",
    "ArticleRun",
    "Comparison",
    "EvalReport",
    "Fixture",
    "Progress",
    "compare",
    "default_cache_dir",
    "evaluate",
    "find_fixtures",
]
