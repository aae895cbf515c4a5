"""Shared fixtures. The embedded model server starts once per session, only when a
test marked ``model`` asks for it; those tests are the real end-to-end tier."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from summariser.endpoint.connection import Connection, connect


@pytest.fixture(scope="session")
def embedded() -> Iterator[Connection]:
    """A connection to the real embedded model (assembled GGUF on llama.cpp, loopback)."""
    with connect() as conn:
        yield conn
