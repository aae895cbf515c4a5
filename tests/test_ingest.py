"""Tests for summariser.ingest.documents and .furniture (all text here is written for the tests)."""

from __future__ import annotations

import datetime
import io
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summariser import ingest
from summariser.errors import InputError
from summariser.ingest.furniture import strip_furniture

BODY = [
    "The defence ministry of Ruritania said on Tuesday it had ordered four patrol boats "
    "from a Freedonian shipyard, in a deal worth about $120 million.",
    "“These vessels will protect our fisheries,” Defence Minister Anna Berg told reporters.",
    "The first boat is expected to arrive in 2026, according to a U.S. consultancy.",
    "Critics in parliament said the price was too high; the ministry rejected that.",
]
HEADLINE = "Ruritania Orders Patrol Boats From Freedonia"

RAW_PAGE = "\n".join(
    [
        "Categories",
        "Europe News Defence",
        "",
        HEADLINE,
        "",
        *(p + "\n" for p in BODY),
        "ALSO READ-Freedonia Opens New Shipyard in Its Northern Port",
        "",
        "Leave a Reply",
        "",
        "Your email address will not be published. Required fields are marked *",
        "",
        "Comment *",
        "Name *",
    ]
)

EXPECTED_TEXT = HEADLINE + "\n\n" + "\n\n".join(BODY)


# --- plain text ------------------------------------------------------------------------


def test_raw_page_text_loses_furniture_at_both_ends() -> None:
    doc = ingest.from_text(RAW_PAGE, source="page.txt")
    assert doc.text == EXPECTED_TEXT
    assert doc.title == HEADLINE
    assert doc.source == "page.txt"
    assert doc.published is None


def test_clean_article_is_unchanged() -> None:
    assert ingest.from_text(EXPECTED_TEXT).text == EXPECTED_TEXT


def test_headline_gets_a_blank_line_after_it() -> None:
    doc = ingest.from_text(f"{HEADLINE}\n{BODY[0]}")
    assert doc.text == f"{HEADLINE}\n\n{BODY[0]}"


def test_first_sentence_is_not_mistaken_for_a_title() -> None:
    doc = ingest.from_text("\n\n".join(BODY))
    assert doc.title is None
    assert doc.text == "\n\n".join(BODY)


def test_markers_early_in_the_article_or_inside_sentences_are_kept() -> None:
    text = "\n\n".join(
        [
            HEADLINE,
            "Comments",  # a label line, but in the first part of the article: kept
            BODY[0],
            BODY[1],
            BODY[2],
            "Comments by the minister were welcomed by the navy.",
            "Read more about the deal in the ministry's annual report, officials said.",
            "More from Freedonia is expected next year, the minister added.",
        ]
    )
    assert ingest.from_text(text).text == text


def test_breadcrumbs_and_ad_lines_are_removed() -> None:
    text = f"Home › World › Europe\n\n{HEADLINE}\n\n{BODY[0]}\n\nAdvertisement\n\n{BODY[1]}"
    assert ingest.from_text(text).text == f"{HEADLINE}\n\n{BODY[0]}\n\n{BODY[1]}"


def test_wire_sign_offs_are_removed() -> None:
    assert strip_furniture(f"{BODY[0]} REUTER") == BODY[0]
    assert strip_furniture(f"{BODY[1]} reporter.name@agency.co.kr(END)") == BODY[1]
    assert strip_furniture("Officials spoke to Reuters") == "Officials spoke to Reuters"


def test_whitespace_is_normalised_but_characters_are_kept() -> None:
    text = f'{HEADLINE}  \r\n\r\n\r\n\r\n‘Quoted’ "words" — stay…   \r\nSecond line.\t'
    doc = ingest.from_text(text)
    assert doc.text == f'{HEADLINE}\n\n‘Quoted’ "words" — stay…\nSecond line.'


@pytest.mark.parametrize(
    "first_line", ["By Anna Berg, Defence Correspondent", "March 5, 2024", "Updated 10:00 GMT"]
)
def test_bylines_and_date_lines_are_not_titles(first_line: str) -> None:
    assert ingest.from_text(f"{first_line}\n\n{BODY[0]}").title is None


def test_dates_are_parsed_from_date_lines_and_datelines() -> None:
    dated = ingest.from_text(f"{HEADLINE}\n\nPublished: March 5, 2024 10:00 GMT\n\n{BODY[0]}")
    assert dated.published == datetime.date(2024, 3, 5)
    dateline = ingest.from_text(f"{HEADLINE}\n\nLONDON, 7 June 2023 (Agency) - {BODY[0]}")
    assert dateline.published == datetime.date(2023, 6, 7)
    no_year = ingest.from_text(f"{HEADLINE}\n\nSEOUL, Dec. 30 (Agency) -- {BODY[0]}")
    assert no_year.published is None


def test_a_date_inside_a_body_sentence_is_not_the_publication_date() -> None:
    text = f"{HEADLINE}\n\n{BODY[0]} The order was placed on January 2, 2019, officials said."
    assert ingest.from_text(text).published is None


def test_only_furniture_is_an_input_error() -> None:
    with pytest.raises(InputError, match="page furniture"):
        ingest.from_text("Categories\nAsia News\n")


# --- HTML ------------------------------------------------------------------------------

HTML_PAGE = f"""<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>{HEADLINE} | Example Times</title>
<meta property="og:title" content="{HEADLINE}">
<meta property="article:published_time" content="2024-03-05T10:00:00Z">
<script>var tracker = "script text must vanish";</script>
<style>body {{ color: red; }}</style>
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/defence">Defence</a></li></ul></nav>
<article>
<h1>{HEADLINE}</h1>
{"".join(f"<p>{p}</p>" for p in BODY)}
</article>
<section id="comments" class="comments"><h3>Comments</h3>
<div class="comment"><p>Reader comment that is not news and must be dropped entirely.</p></div>
</section>
<footer><p>Copyright 2024 Example Times. All rights reserved.</p>
<a href="/privacy">Privacy policy</a></footer>
</body></html>"""


def test_html_main_text_title_and_date() -> None:
    doc = ingest.from_html(HTML_PAGE, source="page.html")
    assert doc.title == HEADLINE
    assert doc.published == datetime.date(2024, 3, 5)
    assert doc.text == EXPECTED_TEXT
    for furniture in ("tracker", "Reader comment", "Copyright", "Privacy", "Home"):
        assert furniture not in doc.text


def test_html_is_sniffed_from_bytes_whatever_the_file_is_called(tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_text(HTML_PAGE, encoding="utf-8")
    assert ingest.load(path).text == EXPECTED_TEXT


@pytest.mark.parametrize(
    ("text", "is_html"),
    [
        (HTML_PAGE, True),
        ("<html><body><p>x</p></body></html>", True),
        ("<p>First paragraph.</p>\n<p>Second.</p>\n<p>Third.</p>", True),
        (EXPECTED_TEXT, False),
        ("The missile has a range of <300 km and costs >$1 million, sources said.", False),
    ],
)
def test_html_sniffing(text: str, is_html: bool) -> None:
    assert ingest.looks_like_html(text) is is_html


def test_html_without_main_text_is_an_input_error() -> None:
    with pytest.raises(InputError, match="no article text"):
        ingest.from_html("<html><body><nav><a href='/'>Home</a></nav></body></html>")


# --- bytes and decoding ----------------------------------------------------------------


def test_utf8_with_bom_and_crlf() -> None:
    data = b"\xef\xbb\xbf" + EXPECTED_TEXT.replace("\n", "\r\n").encode("utf-8")
    assert ingest.from_bytes(data).text == EXPECTED_TEXT


@pytest.mark.parametrize("codec", ["utf-16", "utf-32"])
def test_utf16_and_utf32_with_bom(codec: str) -> None:
    assert ingest.from_bytes(EXPECTED_TEXT.encode(codec)).text == EXPECTED_TEXT


def test_latin1_and_cp1252_are_decoded() -> None:
    latin = "Café owners in São Paulo said the order was signed in Brasília."
    assert ingest.from_bytes(latin.encode("latin-1")).text == latin
    windows = "The minister called the deal “historic” — worth €5 million."
    assert ingest.from_bytes(windows.encode("cp1252")).text == windows


def test_invalid_utf8_never_crashes() -> None:
    data = "Reporters in Zürich said “the deal is done”.".encode() + b" Bad byte: \xff."
    doc = ingest.from_bytes(data)
    assert doc.text.startswith("Reporters in Zürich said “the deal is done”.")
    assert doc.text.endswith("\ufffd.")
    ingest.from_bytes(bytes(range(0x80, 0x100)) + b" tail text")  # must not raise


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"  \n\t\r\n  ", "empty"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
        (b"some text\x00\x00\x01\x02 more", "NUL"),
    ],
)
def test_bad_bytes_are_input_errors(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        ingest.from_bytes(data, source="bad.file")
    assert "bad.file" in str(info.value)


def test_binary_error_tells_the_user_what_to_do() -> None:
    with pytest.raises(InputError, match="convert it to text or HTML first"):
        ingest.from_bytes(b"%PDF-1.4 rest of the file")


def test_whitespace_only_text_is_an_input_error() -> None:
    with pytest.raises(InputError, match="empty"):
        ingest.from_text(" \n \n\t")


TEN_MB = 10 * 1024 * 1024


def test_ten_megabytes_of_text_is_refused_as_more_than_one_article() -> None:
    """A 10 MB text (a feed or a dump pasted into one file) gets a one-line error saying
    how much there is and what to do, before any model time is spent on it."""
    paragraph = (" ".join(BODY) + "\n\n").encode()
    data = paragraph * (TEN_MB // len(paragraph) + 1)
    with pytest.raises(InputError) as info:
        ingest.from_bytes(data, source="feed-dump.txt")
    message = str(info.value)
    assert message.startswith("feed-dump.txt: ") and "\n" not in message
    assert "more than one article" in message and "split it into one file per article" in message
    # HTML: the limit applies to the extracted text (1 MB of distinct paragraphs here;
    # trafilatura drops repeated ones)
    body = " ".join(BODY)
    page = "".join(f"<p>{n}: {body}</p>" for n in range(2_000))
    html = f"<html><body><article><h1>{HEADLINE}</h1>{page}</article></body></html>"
    with pytest.raises(InputError, match="more than one article"):
        ingest.from_bytes(html.encode(), source="page.html")


def test_a_long_read_well_under_the_limit_is_an_article() -> None:
    paragraph = " ".join(BODY) + "\n\n"
    text = HEADLINE + "\n\n" + paragraph * (ingest.MAX_CHARS // len(paragraph) // 2)
    assert len(ingest.from_text(text).text) > ingest.MAX_CHARS // 3


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_any_bytes_give_a_document_or_an_input_error(data: bytes) -> None:
    try:
        doc = ingest.from_bytes(data)
    except InputError:
        return
    assert doc.text
    assert doc.text == doc.text.strip()
    assert "\r" not in doc.text
    assert "\n\n\n" not in doc.text


# --- load ------------------------------------------------------------------------------


def test_load_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "raw.txt"
    path.write_text(RAW_PAGE, encoding="utf-8")
    doc = ingest.load(str(path))
    assert doc.text == EXPECTED_TEXT
    assert doc.source == str(path)


def test_load_dash_reads_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    class FakeStdin:
        buffer = io.BytesIO(RAW_PAGE.encode("utf-8"))

    monkeypatch.setattr(sys, "stdin", FakeStdin())
    doc = ingest.load("-")
    assert doc.text == EXPECTED_TEXT
    assert doc.source == "<stdin>"


def test_load_missing_path(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file") as info:
        ingest.load(tmp_path / "missing.txt")
    assert "missing.txt" in str(info.value)


def test_load_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="directory"):
        ingest.load(tmp_path)


def test_load_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("text", encoding="utf-8")

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(InputError, match=r"cannot be read.*permissions"):
        ingest.load(path)


def test_load_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        ingest.load(path)
