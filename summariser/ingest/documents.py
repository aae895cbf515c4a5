"""Ingest: turn a file, bytes, HTML or plain text into the exact article text the model sees.

The first stage of the pipeline. Whatever comes in, a :class:`Document` comes out whose
``text`` is the headline (when known) on its own first line, a blank line, then the body
paragraphs separated by blank lines. Evidence offsets are later computed on that text, so
cleaning only ever removes whole lines of page furniture and normalises line breaks and
trailing spaces; it never rewrites the characters of a sentence (no quote "fixing").

HTML goes through trafilatura (main-text extraction, tuned for precision); plain text goes
through the conservative rules in :mod:`summariser.ingest.furniture`.
"""

from __future__ import annotations

import datetime
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from summariser.errors import InputError
from summariser.ingest.furniture import strip_furniture

#: Far larger than any news article; protects against feeding a disk image by mistake.
MAX_BYTES = 20_000_000

#: Characters of text one article may hold, once decoded (and for HTML, extracted): some
#: 60,000 words, several times the longest long-read. More is a feed, a book or a dump
#: pasted into one file, and would cost hours of model time to no purpose.
MAX_CHARS = 400_000

#: Leading bytes of common binary formats people mistake for articles.
_MAGIC = (
    (b"%PDF-", "a PDF file"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (e.g. .docx, .odt, .epub)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office file (.doc)"),
    (b"{\\rtf", "an RTF document"),
)
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)

#: Strong HTML signals anywhere near the top; or several paragraph/break tags in a fragment.
_HTML_START = re.compile(r"^\s*(<\?xml[^>]*>\s*)?(<!doctype\s+html|<html[\s>]|<!--)", re.I)
_HTML_TAG = re.compile(r"<(html|head|body)[\s>]", re.I)
_BLOCK_TAG = re.compile(r"</?(p|div|br|article|section|h[1-6]|li|span|a)(\s[^>]*)?/?>", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_-]+)", re.I)

#: A headline: one line, not ending like a sentence, not too long, at least two words.
_MAX_TITLE_CHARS = 200
_NOT_A_TITLE_END = (".", ",", ";", ":", '."', ".”", ".'", ".’")
_NOT_A_TITLE_START = re.compile(r"^(by|published|updated|posted)\b", re.I)  # bylines, dates

_MONTHS = {
    name: number
    for number, name in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
_MONTH = r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"  # noqa: E501
_DATE_PATTERNS = (
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b"),
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<year>(?:19|20)\d\d)\b"),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mnum>\d\d)-(?P<day>\d\d)\b"),
)
#: A dateline opening the first paragraph: "WASHINGTON, April 5, 2024 -" / "(Reuters) -".
_DATELINE = re.compile(r"^[A-Z][A-Z .'’-]+,\s+(?P<rest>.{0,40}?)\s*(\(|-|–|—)")
_DATE_LINE_MAX_CHARS = 100
_DATE_SCAN_LINES = 4


@dataclass(frozen=True)
class Document:
    """One article, cleaned and ready for the model.

    ``text`` is the headline (when known) on its own first line, a blank line, then the
    body paragraphs separated by blank lines. ``source`` is the file path, ``"<stdin>"``,
    or ``None`` for text passed in directly.
    """

    text: str
    title: str | None
    published: datetime.date | None
    source: str | None


def load(source: str | os.PathLike[str]) -> Document:
    """Read an article from a file path, or from standard input when *source* is ``"-"``."""
    if os.fspath(source) == "-":
        return from_bytes(sys.stdin.buffer.read(MAX_BYTES + 1), source="<stdin>")
    path = Path(source)
    return from_bytes(read_file(path), source=str(path))


def read_file(path: Path) -> bytes:
    """The raw bytes of one article file (at most ``MAX_BYTES + 1``), or an InputError."""
    if not path.exists():
        raise InputError(f"{path}: no such file; check the path (use '-' to read standard input).")
    if path.is_dir():
        raise InputError(f"{path}: is a directory; pass the path of one article file.")
    try:
        with path.open("rb") as handle:
            return handle.read(MAX_BYTES + 1)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputError(f"{path}: cannot be read ({reason}); check its permissions.") from exc


def from_bytes(data: bytes, *, source: str | None = None) -> Document:
    """Decode raw bytes (any common encoding), sniff HTML vs plain text, and clean them."""
    name = source or "<input>"
    if len(data) > MAX_BYTES:
        raise InputError(
            f"{name}: larger than {MAX_BYTES // 1_000_000} MB, far too big for one article; "
            "pass a single article."
        )
    _reject_binary(data, name)
    text = _decode(data)
    if looks_like_html(text):
        return from_html(text, source=source)
    return from_text(text, source=source)


def from_text(text: str, *, source: str | None = None) -> Document:
    """Clean plain (possibly scraped) article text: line breaks, page furniture, title, date."""
    name = source or "<text>"
    text = _normalise(text, name)
    body = strip_furniture(text)
    if not body:
        raise InputError(
            f"{name}: holds only page furniture (menus, promos, a comment form); "
            "pass the article body."
        )
    lines = body.split("\n")
    title = _title_of(lines[0])
    if title is not None:
        rest = "\n".join(lines[1:]).strip("\n")
        body = f"{title}\n\n{rest}" if rest else title
    published = _date_of(lines[1:] if title else lines)
    return Document(text=body, title=title, published=published, source=source)


def from_html(html: str, *, source: str | None = None) -> Document:
    """Extract the main article text, headline and date from an HTML page with trafilatura."""
    import trafilatura  # imported lazily: it is slow to import and plain text needs none of it

    name = source or "<html>"
    if not html.strip():
        raise InputError(f"{name}: is empty; pass a file that holds the article.")
    extracted = trafilatura.bare_extraction(
        html,
        favor_precision=True,
        include_comments=False,
        include_tables=False,
        include_links=False,
        with_metadata=True,
        # Dates from the page's metadata only; no guessing from text such as "© 2024".
        date_extraction_params={"original_date": True, "extensive_search": False},
    )
    page = None if isinstance(extracted, dict) else extracted  # dict only with as_dict=True
    raw = (page.text or "") if page is not None else ""
    body = strip_furniture(_normalise(raw, name, allow_empty=True)) if raw.strip() else ""
    if page is None or not body:
        raise InputError(
            f"{name}: no article text found in the HTML; save the article's text (copy and paste "
            "it into a .txt file) and try again."
        )
    title = " ".join((page.title or "").split()) or None
    paragraphs = [line.strip() for line in body.split("\n") if line.strip()]
    if title is not None and paragraphs and _same_words(paragraphs[0], title):
        paragraphs = paragraphs[1:]  # trafilatura repeats the <h1> as the first paragraph
    if title is not None:
        paragraphs.insert(0, title)
    published = _parse_iso(page.date)
    return Document(text="\n\n".join(paragraphs), title=title, published=published, source=source)


def looks_like_html(text: str) -> bool:
    """True when *text* is an HTML page or fragment rather than plain article text."""
    head = text[:4096]
    if _HTML_START.match(head) or _HTML_TAG.search(head):
        return True
    # A fragment ("<p>...</p><p>...</p>"): several block tags, and the text starts with one.
    return head.lstrip().startswith("<") and len(_BLOCK_TAG.findall(head)) >= 3


# --- bytes -> str ----------------------------------------------------------------------


def _reject_binary(data: bytes, name: str) -> None:
    if not data.strip():
        raise InputError(f"{name}: is empty; pass a file that holds the article text.")
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise InputError(
                f"{name}: looks like {kind}, not article text; convert it to text or HTML first."
            )
    if not data.startswith(tuple(bom for bom, _ in _BOMS)) and b"\x00" in data[:8192]:
        raise InputError(
            f"{name}: contains NUL bytes, so it looks like a binary file (or UTF-16 without a "
            "byte-order mark); convert it to UTF-8 text or HTML first."
        )


def _decode(data: bytes) -> str:
    """Decode without ever failing: BOM, UTF-8, HTML meta charset, then Western fallbacks."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Mostly UTF-8 with a few corrupt bytes: keep UTF-8, replace the bad bytes (U+FFFD).
    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    if sum(1 for ch in lenient if ord(ch) > 127) - bad > bad:
        return lenient
    declared = _META_CHARSET.search(data[:4096])
    if declared is not None:
        try:
            return data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    # Charset detection is unreliable on short Western text (it picks cp1250 for "São"), so
    # mostly-ASCII input is read as Windows-1252; heavily non-ASCII input gets detection.
    if sum(1 for byte in data if byte > 127) > len(data) // 5:
        from charset_normalizer import from_bytes as detect

        best = detect(data).best()
        if best is not None:
            return str(best)
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")  # total: every byte maps to a character


# --- cleaning --------------------------------------------------------------------------


def _normalise(text: str, name: str, *, allow_empty: bool = False) -> str:
    """Unify line breaks, drop trailing spaces and extra blank lines; keep all other characters."""
    if "\x00" in text:
        raise InputError(
            f"{name}: contains NUL characters, so it is not plain text; convert it to text first."
        )
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2029", "\n\n").replace("\u2028", "\n")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n")
    if not text.strip() and not allow_empty:
        raise InputError(
            f"{name}: is empty or only whitespace; pass a file that holds the article text."
        )
    if len(text) > MAX_CHARS:
        raise InputError(
            f"{name}: {len(text):,} characters of text, far more than one article (at most "
            f"{MAX_CHARS:,}); split it into one file per article."
        )
    return text


def _title_of(line: str) -> str | None:
    """The first line, if it reads like a headline rather than the first sentence."""
    line = line.strip()
    if (
        len(line) > _MAX_TITLE_CHARS
        or len(line.split()) < 2
        or line.endswith(_NOT_A_TITLE_END)
        or not any(ch.isalpha() for ch in line)
        or _NOT_A_TITLE_START.match(line)
        or (len(line.split()) <= 6 and any(p.search(line) for p in _DATE_PATTERNS))
    ):
        return None
    return line


def _date_of(lines: list[str]) -> datetime.date | None:
    """Best effort: a date with a year on a short line or in a dateline near the top."""
    candidates = [line.strip() for line in lines if line.strip()][:_DATE_SCAN_LINES]
    for line in candidates:
        dateline = _DATELINE.match(line)
        if dateline is not None:
            scope = dateline.group("rest")
        else:
            scope = line if len(line) <= _DATE_LINE_MAX_CHARS else ""
        for pattern in _DATE_PATTERNS:
            match = pattern.search(scope)
            if match is not None:
                found = _to_date(match)
                if found is not None:
                    return found
    return None


def _to_date(match: re.Match[str]) -> datetime.date | None:
    groups = match.groupdict()
    month = int(groups["mnum"]) if groups.get("mnum") else _MONTHS[groups["month"][:3].lower()]
    try:
        return datetime.date(int(groups["year"]), month, int(groups["day"]))
    except ValueError:
        return None


def _parse_iso(value: str | None) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _same_words(a: str, b: str) -> bool:
    return a.split() == b.split() or a.casefold().split() == b.casefold().split()
