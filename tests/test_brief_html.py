"""The briefing page is self-contained and inert against hostile article text; Markdown
and CSV outputs are too. Parsed with the standard library's HTML parser (the browser
tests in test_brief_browser.py check the same in Chromium)."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import re
from html.parser import HTMLParser
from typing import Optional

import pytest
from brief_articles import FORMULA_WEAPON, HOSTILE_QUOTE, PAYLOADS, articles, delivery, hostile
from markdown_it import MarkdownIt

from summariser import Briefing, brief

# Every element the template writes; anything else would have come from an article.
TEMPLATE_TAGS = {
    "html", "head", "meta", "title", "style", "body", "main", "header", "h1", "h2", "h3", "p",
    "em", "strong", "section", "ul", "li", "button", "figure", "figcaption", "svg", "path",
    "rect", "text", "span", "table", "thead", "tbody", "tr", "th", "td", "aside", "div",
    "script",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "style", "srcdoc"}


class Page(HTMLParser):
    """Tags, attributes and script bodies, as an HTML tokenizer sees them."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, Optional[str]]]] = []
        self.scripts: list[str] = []
        self._script = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, Optional[str]]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._script = True
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = False

    def handle_data(self, data: str) -> None:
        if self._script:
            self.scripts[-1] += data

    def attributes(self) -> list[tuple[str, str, str]]:
        return [(tag, k, v or "") for tag, attrs in self.tags for k, v in attrs.items()]


@pytest.fixture(scope="module")
def benign() -> str:
    return brief(articles(), title="DPRK–Russia, week 2").to_html()


@pytest.fixture(scope="module")
def hostile_brief() -> Briefing:
    return brief([hostile(), delivery()], title=f"Week {PAYLOADS[0]}")


def assert_inert(page: Page) -> None:
    tags = [tag for tag, _ in page.tags]
    assert set(tags) <= TEMPLATE_TAGS, set(tags) - TEMPLATE_TAGS
    assert tags.count("script") == 2 and tags.count("svg") <= 2  # flow and timeline
    for tag, name, value in page.attributes():
        assert not name.startswith("on"), (tag, name, value)
        assert name not in URL_ATTRIBUTES, (tag, name, value)
        if name.startswith("data-") and name != "data-sort":
            assert value.isdigit(), (tag, name, value)
    data, code = page.scripts
    assert dict(page.tags[[t for t, _ in page.tags].index("script")][1]) == {
        "type": "application/json",
        "id": "brief-articles",
    }
    assert "window.pwned" not in code
    json.loads(data)


def test_page_is_self_contained(benign: str) -> None:
    page = Page(benign)
    assert_inert(page)
    assert not re.search(r"https?:|url\(|@import", benign, flags=re.I)  # nothing to fetch
    assert "<svg" in benign and "<path" in benign
    assert benign.startswith("<!DOCTYPE html>")


def test_content_security_policy_allows_only_the_page_script(benign: str) -> None:
    page = Page(benign)
    metas = [attrs for tag, attrs in page.tags if tag == "meta"]
    assert metas[0] == {"charset": "utf-8"}
    assert metas[1]["http-equiv"] == "Content-Security-Policy"
    policy = metas[1]["content"] or ""
    code = page.scripts[1]
    digest = base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode()
    assert policy.split("; ")[:4] == [
        "default-src 'none'",
        f"script-src 'sha256-{digest}'",
        "style-src 'unsafe-inline'",
        "img-src data:",
    ]
    first_title = [tag for tag, _ in page.tags].index("title")
    assert [tag for tag, _ in page.tags].index("meta") < first_title


def test_sections_in_order(benign: str) -> None:
    ids = re.findall(r'<section id="([\w-]+)"', benign)
    assert ids == [
        "bottom-line", "key-judgements", "arms-transfers", "actors", "claims",
        "contradictions", "sources", "method",
    ]  # fmt: skip


def test_citations_carry_offsets_into_the_embedded_article(benign: str) -> None:
    page = Page(benign)
    articles_data = json.loads(page.scripts[0])
    cites = [attrs for tag, attrs in page.tags if tag == "button" and attrs.get("class") == "cite"]
    assert len(cites) > 10
    for attrs in cites:
        text = articles_data[int(attrs["data-article"] or "")]["text"]
        start, end = int(attrs["data-start"] or ""), int(attrs["data-end"] or "")
        assert text[start:end] == attrs["title"]


def test_hostile_article_cannot_run_or_load_anything(hostile_brief: Briefing) -> None:
    html = hostile_brief.to_html()
    page = Page(html)
    assert_inert(page)
    for raw in ("<script>window", "<img", "<a ", "<svg onload", "</script><script>"):
        assert raw not in html
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in html  # shown as text
    [hostile_text, _] = [a["text"] for a in json.loads(page.scripts[0])]
    assert hostile_text == hostile().text  # the reader still gets the exact article
    assert HOSTILE_QUOTE in hostile_text


def test_hostile_markdown_renders_no_markup(hostile_brief: Briefing) -> None:
    markdown = hostile_brief.to_markdown()
    without_citations = re.sub(r"\[A\d+:(?:\\.|[^\]\\])*\]", "", markdown)
    assert re.search(r"(?<!\\)[<>\[\]]", without_citations) is None
    rendered = MarkdownIt("commonmark").enable("table").render(markdown)  # raw HTML allowed
    page = Page(rendered)
    tags = {tag for tag, _ in page.tags}
    assert tags <= {"h1", "h2", "h3", "p", "em", "strong", "ul", "li", "table", "thead",
                    "tbody", "tr", "th", "td"}, tags  # fmt: skip
    assert "window.pwned=1" in rendered  # the text is there, as text


def test_hostile_csv_cannot_start_a_formula(hostile_brief: Briefing) -> None:
    rows = list(csv.reader(io.StringIO(hostile_brief.to_csv())))
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    assert f"'{FORMULA_WEAPON}" in cells
