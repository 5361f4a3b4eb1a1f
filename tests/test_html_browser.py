"""The HTML report in a real browser: Debian's headless Chromium driven by Selenium through
chromedriver (never a downloaded browser). What the page shows must match the JSON output of the
same run, the filters must hide what they should, and hostile page text must stay text.

Skipped, with the reason, when chromium or chromedriver is not installed (``.ci/run`` installs
them: ``apt-get install chromium chromium-driver``)."""

from __future__ import annotations

import os
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from html_support import HOSTILE_NAME, HOSTILE_SCRIPT, HOSTILE_TEXTAREA, html_site, json_and_html

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)",
)
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--window-size=1280,1000",
)


def _browser(profile: Path, *, scripts: bool = True) -> Any:
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must not fetch a browser or a driver
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    if not scripts:
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2}
        )
    service = webdriver.ChromeService(executable_path=str(CHROMEDRIVER))
    return webdriver.Chrome(options=options, service=service)


@pytest.fixture(scope="module")
def run_(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path]:
    site = html_site(tmp_path_factory.mktemp("browser") / "site")
    data, _, path = json_and_html(site)
    return data, path


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    driver = _browser(tmp_path_factory.mktemp("profile"))
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def page(browser: Any, run_: tuple[dict, Path]) -> Any:
    browser.get(run_[1].as_uri())
    return browser


def _findings(driver: Any) -> list[Any]:
    return list(driver.find_elements(By.CSS_SELECTOR, "li.finding"))


def _shown(driver: Any) -> list[Any]:
    return [li for li in _findings(driver) if not li.get_property("hidden")]


def _text(element: Any) -> str:
    return " ".join(str(element.get_attribute("textContent")).split())


def test_counts_and_findings_shown_match_the_json_of_the_same_run(
    page: Any, run_: tuple[dict, Path]
) -> None:
    data = run_[0]
    counts = {
        e.get_attribute("data-count"): int(e.text)
        for e in page.find_elements(By.CSS_SELECTOR, "[data-count]")
    }
    summary = data["summary"]
    assert counts["files"] == summary["files"] and counts["findings"] == summary["findings"]
    assert {s: counts[s] for s in summary["by_severity"]} == summary["by_severity"]
    shown = Counter(
        (
            li.get_attribute("data-rule"),
            int(li.get_attribute("data-line")),
            int(li.get_attribute("data-column")),
            li.get_attribute("data-severity"),
            _text(li.find_element(By.TAG_NAME, "mark")),
            _text(li.find_element(By.CLASS_NAME, "msg")),
        )
        for li in _findings(page)
    )
    expected = Counter(
        (f["rule"], f["line"], f["column"], f["severity"], f["match"], f["message"])
        for f in data["findings"]
    )
    assert shown == expected
    status = page.find_element(By.ID, "shown")
    assert status.is_displayed() and status.text == f"Showing all {summary['findings']} findings."


def test_a_filter_hides_what_it_should(page: Any, run_: tuple[dict, Path]) -> None:
    data = run_[0]
    form = page.find_element(By.ID, "filters")
    assert form.is_displayed()  # the script ran under the report's own CSP
    Select(page.find_element(By.ID, "filter-severity")).select_by_value("error")
    shown = _shown(page)
    assert len(shown) == data["summary"]["by_severity"]["error"]
    assert {li.get_attribute("data-severity") for li in shown} == {"error"}
    many = page.find_element(By.CSS_SELECTOR, 'details[data-page="pages/many.md"]')
    assert not many.is_displayed()  # only warnings: the whole page is hidden

    page.find_element(By.CSS_SELECTOR, "#filters button[type=reset]").click()
    assert len(_shown(page)) == len(data["findings"])
    Select(page.find_element(By.ID, "filter-page")).select_by_value("pages/many.md")
    assert {li.get_attribute("data-rule") for li in _shown(page)} == {"demo/miracle"}
    assert len(_shown(page)) == sum(f["path"] == "pages/many.md" for f in data["findings"])
    assert many.get_property("open")  # a collapsed page opens when chosen
    assert all(li.is_displayed() for li in _shown(page))
    total = len(data["findings"])
    assert page.find_element(By.ID, "shown").text == f"Showing 12 of {total} findings."

    Select(page.find_element(By.ID, "filter-category")).select_by_value("cure-claim")
    assert _shown(page) == []


def test_hostile_page_text_stays_text(page: Any) -> None:
    with pytest.raises(NoAlertPresentException):
        page.switch_to.alert  # noqa: B018
    assert page.execute_script("return typeof window.pwned") == "undefined"
    quotes = [_text(q) for q in page.find_elements(By.TAG_NAME, "blockquote")]
    assert any(HOSTILE_SCRIPT in q and HOSTILE_TEXTAREA in q for q in quotes)
    headings = [_text(h) for h in page.find_elements(By.CSS_SELECTOR, "details.page h3")]
    assert HOSTILE_NAME.replace("<", "pages/<", 1) in headings
    # the report's own elements only: no image or text area came from the page
    assert page.find_elements(By.TAG_NAME, "img") == []
    assert page.find_elements(By.TAG_NAME, "textarea") == []


def test_why_and_references_are_one_click_away(page: Any) -> None:
    first = page.find_element(By.CSS_SELECTOR, "details[open] li.finding details.why")
    assert not first.find_element(By.TAG_NAME, "p").is_displayed()
    first.find_element(By.TAG_NAME, "summary").click()
    assert first.find_element(By.TAG_NAME, "p").is_displayed()


def test_keyboard_first_stop_is_the_skip_link(page: Any) -> None:
    page.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    active = page.switch_to.active_element
    assert active.get_attribute("class") == "skip" and active.is_displayed()


def test_urdu_context_is_right_to_left(page: Any) -> None:
    quote = next(
        q
        for q in page.find_elements(By.TAG_NAME, "blockquote")
        if "ہمارا" in str(q.get_attribute("textContent"))
    )
    assert page.execute_script("return getComputedStyle(arguments[0]).direction", quote) == "rtl"


def test_without_scripts_everything_is_visible(run_: tuple[dict, Path], tmp_path: Path) -> None:
    driver = _browser(tmp_path / "profile", scripts=False)
    try:
        driver.get(run_[1].as_uri())
        assert not driver.find_element(By.ID, "filters").is_displayed()
        assert len(_shown(driver)) == len(run_[0]["findings"])
        assert all(p.is_displayed() for p in driver.find_elements(By.CSS_SELECTOR, "details.page"))
    finally:
        driver.quit()
