"""Where summariser keeps its files on this machine: one user cache folder.

It holds the assembled embedded model, the model server's log and the eval response
cache; ``SUMMARISER_CACHE_DIR`` puts it elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs


def cache_dir() -> Path:
    """The user cache folder (``SUMMARISER_CACHE_DIR`` overrides the platform's default)."""
    override = os.environ.get("SUMMARISER_CACHE_DIR")
    return Path(override) if override else Path(platformdirs.user_cache_dir("summariser"))
