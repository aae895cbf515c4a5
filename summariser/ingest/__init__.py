"""Stage 1, text in: documents from files, HTML or plain text; page furniture stripped;
sentences numbered; prompt-injection sentences found. ``summariser.ingest`` is also the
public way to load a document."""

from summariser.ingest.documents import (
    MAX_BYTES,
    MAX_CHARS,
    Document,
    from_bytes,
    from_html,
    from_text,
    load,
    looks_like_html,
    read_file,
)

__all__ = [
    "MAX_BYTES",
    "MAX_CHARS",
    "Document",
    "from_bytes",
    "from_html",
    "from_text",
    "load",
    "looks_like_html",
    "read_file",
]
