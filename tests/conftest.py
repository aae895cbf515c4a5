"""Shared fixtures. The embedded model server starts once per session, only when a
test marked ``model`` asks for it; those tests are the real end-to-end tier."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from summariser.endpoint import modes
from summariser.endpoint.connection import Connection, connect


@pytest.fixture(scope="session")
def embedded() -> Iterator[Connection]:
    """A connection to the real embedded model (assembled GGUF on llama.cpp, loopback)."""
    with connect() as conn:
        yield conn


@pytest.fixture(autouse=True)
def _fresh_mode_detection(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Each test detects structured-output modes afresh, noting them in a folder of its own
    (never in the user's cache, and never from an earlier test on a reused port)."""
    notes = tmp_path_factory.mktemp("modes") / "endpoint-modes.json"
    monkeypatch.setattr(modes, "default_notes_path", lambda: notes)
    modes.forget()
    yield
    modes.forget()
