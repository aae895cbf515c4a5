"""The briefing page in a real headless Chromium (Debian's ``chromium`` and
``chromium-driver``, driven by selenium; no browser download): clicking a citation shows the
article with the evidence highlighted, nothing from a hostile article runs, the transfer
table sorts, the timeline draws each dated report in time order and opens its evidence, and
a screenshot is saved under the test's tmp dir (and to
``reports/brief-screenshot.png`` and ``reports/brief-hostile-screenshot.png`` when
``SUMMARISER_SCREENSHOTS`` is set).

Skipped when Chromium, its driver or selenium is missing, except under ``CI=true``, where
that is a failure: CI installs them (``.ci/run``).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Optional

import pytest
from brief_articles import (
    DELIVERY_QUOTE,
    DENIAL_QUOTE,
    HOSTILE_QUOTE,
    PAYLOADS,
    articles,
    delivery,
    hostile,
)

from summariser import brief

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ROOT = Path(__file__).parent.parent
SCREENSHOT = ROOT / "reports" / "brief-screenshot.png"
HOSTILE_SCREENSHOT = ROOT / "reports" / "brief-hostile-screenshot.png"
TIMELINE_SCREENSHOT = ROOT / "reports" / "brief-timeline-screenshot.png"
WAIT_S = 10


def _unavailable() -> Optional[str]:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        return f"{', '.join(missing)} missing (apt-get install -y chromium chromium-driver)"
    return None


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    reason = _unavailable()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests must run in CI, but {reason}")
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=1400,1000", "--no-first-run", "--disable-extensions"):  # fmt: skip
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    try:
        yield browser
    finally:
        browser.quit()


def open_page(driver: Any, path: Path, html: str) -> None:
    path.write_text(html, encoding="utf-8")
    driver.get(path.as_uri())
    driver.get_log("browser")  # start each page with an empty console log


def click_citation(driver: Any, xpath: str) -> Any:
    """Click the citation at ``xpath``; return the <mark> the reader shows."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as seen
    from selenium.webdriver.support.ui import WebDriverWait

    driver.execute_script("document.getElementById('reader').hidden = true")
    driver.find_element(By.XPATH, xpath).click()
    return WebDriverWait(driver, WAIT_S).until(
        seen.visibility_of_element_located((By.CSS_SELECTOR, "#reader-text mark"))
    )


def assert_nothing_ran(driver: Any) -> None:
    from selenium.common.exceptions import NoAlertPresentException

    assert driver.execute_script("return typeof window.pwned") == "undefined"
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018 - no alert() was ever opened
    counts = driver.execute_script(
        "return [document.querySelectorAll('script').length,"
        " document.querySelectorAll('img, iframe, object, embed, a, link, base').length,"
        " document.querySelectorAll('[onerror], [onload], [onclick]').length]"
    )
    assert counts == [2, 0, 0]
    console = driver.get_log("browser")
    assert [e for e in console if e["level"] == "SEVERE"] == []  # no CSP refusal, no error


def screenshot(driver: Any, path: Path, keep: Path) -> None:
    """Save under the test's tmp dir; copy to ``keep`` when SUMMARISER_SCREENSHOTS is set."""
    assert driver.save_screenshot(str(path))
    assert path.stat().st_size > 10_000
    if os.environ.get("SUMMARISER_SCREENSHOTS"):
        keep.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, keep)


def test_citation_shows_the_article_with_the_evidence_highlighted(
    driver: Any, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    open_page(driver, tmp_path / "brief.html", brief(articles(), title="Week 2").to_html())
    mark = click_citation(driver, "//section[@id='contradictions']//button[text()='A2:c1']")
    assert mark.get_property("textContent") == DENIAL_QUOTE
    title = driver.find_element(By.ID, "reader-title").get_property("textContent")
    assert title == "A2 · Kremlin Denies Receiving Korean Missiles"
    article = driver.find_element(By.ID, "reader-text").get_property("textContent")
    assert article == articles()[1].text  # the whole article, exactly, around the mark
    assert driver.execute_script(
        "var r = arguments[0].getBoundingClientRect();"
        "return r.top >= 0 && r.bottom <= window.innerHeight;",
        mark,
    )  # scrolled into view
    assert_nothing_ran(driver)
    screenshot(driver, tmp_path / "brief.png", SCREENSHOT)
    driver.find_element(By.ID, "reader-close").click()
    assert driver.find_element(By.ID, "reader").get_property("hidden") is True


def test_hostile_article_runs_nothing_and_still_highlights(driver: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    page = brief([hostile(), delivery()], title=f"Week {PAYLOADS[0]}").to_html()
    open_page(driver, tmp_path / "hostile.html", page)
    assert driver.title == f"Week {PAYLOADS[0]}"  # shown as text
    assert_nothing_ran(driver)
    mark = click_citation(driver, "//table[@id='transfer-table']//button[text()='A1:t1']")
    assert mark.get_property("textContent") == HOSTILE_QUOTE  # offsets survive the emoji
    heading = driver.find_element(By.ID, "reader-title").get_property("textContent")
    assert heading == f"A1 · {hostile().title}"
    assert_nothing_ran(driver)
    screenshot(driver, tmp_path / "hostile.png", HOSTILE_SCREENSHOT)


def test_transfer_table_sorts_by_a_column(driver: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    open_page(driver, tmp_path / "sort.html", brief(articles(), title="Week 2").to_html())

    def column(index: int) -> list[str]:
        cells = driver.find_elements(
            By.CSS_SELECTOR, f"#transfer-table tbody td:nth-child({index})"
        )
        return [c.get_property("textContent").strip() for c in cells]

    def sort(name: str) -> None:
        xpath = f"//table[@id='transfer-table']//button[text()='{name}']"
        driver.find_element(By.XPATH, xpath).click()

    assert column(5) == ["ballistic missiles", "artillery shells", "drones"]
    sort("Description")
    assert column(5) == ["artillery shells", "ballistic missiles", "drones"]
    sort("Description")
    assert column(5) == ["drones", "ballistic missiles", "artillery shells"]
    sort("Status")
    # by stage (pledged < used), not by name; the two pledges keep the order they had
    assert column(1) == ["T3", "T2", "T1"]
    sort("Order date")  # by first day, undated first: T3 none, T1 2025, T2 spring 2026
    assert column(1) == ["T3", "T1", "T2"]
    assert column(9) == ["—", "2025", "2026-03/2026-05"]


def test_content_security_policy_is_enforced(driver: Any, tmp_path: Path) -> None:
    """A script element added after load is refused: only the page's own script may run."""
    open_page(driver, tmp_path / "csp.html", brief(articles(), title="Week 2").to_html())
    ran = driver.execute_script(
        "var probe = document.createElement('script');"
        "probe.textContent = 'window.cspProbe = 1;';"
        "document.body.appendChild(probe);"
        "return typeof window.cspProbe;"
    )
    assert ran == "undefined"
    console = [e["message"] for e in driver.get_log("browser")]
    assert any("Content Security Policy" in m for m in console), console


def test_timeline_draws_dated_reports_in_time_order_and_opens_their_evidence(
    driver: Any, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    open_page(driver, tmp_path / "timeline.html", brief(articles(), title="Week 2").to_html())
    marks = driver.find_elements(By.CSS_SELECTOR, "#timeline rect.mark")
    # agreed 'last year' (2025), used 'in January' (2026-01), pledged 'this spring' (2026)
    assert [m.get_attribute("aria-label") for m in marks] == ["A2:t1", "A1:t1", "A1:t2"]
    boxes = [m.rect for m in marks]
    assert [b["x"] for b in boxes] == sorted(b["x"] for b in boxes)
    assert boxes[0]["y"] == boxes[1]["y"] != boxes[2]["y"]  # one row per transfer
    assert boxes[0]["width"] > 3 * boxes[2]["width"] > 0  # a year against a season
    fills = [driver.execute_script("return getComputedStyle(arguments[0]).fill", m) for m in marks]
    swatch = driver.execute_script(
        "return getComputedStyle(document.querySelector('.legend .stage-agreed')).backgroundColor"
    )
    assert fills[0] == swatch and len(set(fills)) == 3  # coloured by stage, as the legend
    title = marks[1].find_element(By.TAG_NAME, "title").get_property("textContent")
    assert title == "A1:t1 · used · “in January” (2026-01)"
    rows = driver.find_elements(By.CSS_SELECTOR, "#timeline text.row")
    assert rows[0].get_property("textContent").endswith("KN-23 ballistic missiles")
    caption = driver.find_element(By.CSS_SELECTOR, "#timeline figcaption").text
    assert "1 transfer carries no date" in caption
    driver.execute_script("document.getElementById('reader').hidden = true")
    marks[1].click()
    from selenium.webdriver.support import expected_conditions as seen
    from selenium.webdriver.support.ui import WebDriverWait

    mark = WebDriverWait(driver, WAIT_S).until(
        seen.visibility_of_element_located((By.CSS_SELECTOR, "#reader-text mark"))
    )
    assert mark.get_property("textContent") == DELIVERY_QUOTE
    assert driver.find_element(By.ID, "reader-cite").get_property("textContent") == "A1:t1"
    assert_nothing_ran(driver)
    screenshot(driver, tmp_path / "timeline.png", TIMELINE_SCREENSHOT)


def test_hostile_date_words_stay_text_on_the_timeline(driver: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    page = brief([hostile(), delivery()], title="Hostile dates").to_html()
    open_page(driver, tmp_path / "hostile-timeline.html", page)
    titles = [
        t.get_property("textContent")
        for t in driver.find_elements(By.CSS_SELECTOR, "#timeline rect.mark title")
    ]
    assert f"A1:t1 · delivered · “{PAYLOADS[0]}” (2026-01-05)" in titles
    assert_nothing_ran(driver)
