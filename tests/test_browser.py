"""End-to-end: the analyst page in headless Chromium against a live server with the small real model."""

import json
import threading
import time
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from geostance.paragraphs import split_paragraphs

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = Path(__file__).parent.parent / "artifacts"

pytestmark = pytest.mark.skipif(not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
                                reason="Debian chromium and chromium-driver are not installed (.ci/run installs them)")

ARTICLE = """The Kremlin said Western sanctions had backfired on Europe, leaving German factories short of cheap gas \
while Russian exports found eager buyers in Asia.

Allied leaders condemned the missile strike on a Kharkiv apartment block as a war crime and pledged more air \
defence systems so Ukraine can protect its cities. Moscow's envoy told the Security Council that NATO's eastward \
march left Russia no choice but to defend its borders.

Moldova's accession talks with the European Union opened in Brussels, a milestone officials in Chisinau \
celebrated as proof that reform pays off.

Kazakhstan's president said Astana would keep friendly relations with Moscow, Beijing and Washington alike and \
would not take sides in a conflict between its partners.
"""
STANCES = {"balancing", "pro-Russia", "pro-West"}


@pytest.fixture()
def live_server(app):
    """The real app served over HTTP on an ephemeral port, in a background thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture()
def downloads(tmp_path):
    folder = tmp_path / "downloads"
    folder.mkdir()
    return folder


@pytest.fixture()
def browser(tmp_path, downloads):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-dev-shm-usage", "--window-size=1280,1800", f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def wait_for(driver, condition, timeout=120):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(condition)


def wait_for_file(folder, pattern, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [f for f in folder.glob(pattern) if not f.name.endswith(".crdownload")]
        if found:
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"no {pattern} file appeared in the download folder")


def test_analyst_pastes_an_article_reads_paragraphs_explains_and_downloads(live_server, browser, downloads):
    from selenium.webdriver.common.by import By

    expected = split_paragraphs(ARTICLE)
    browser.get(live_server + "/")
    wait_for(browser, lambda d: d.find_element(By.ID, "model-info").text.startswith("Model tiny-"))
    assert "macro-F1" in browser.find_element(By.ID, "model-info").text

    browser.find_element(By.ID, "text").send_keys(ARTICLE)
    browser.find_element(By.ID, "analyze").click()
    wait_for(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, ".paragraph")) == len(expected))
    paragraphs = browser.find_elements(By.CSS_SELECTOR, ".paragraph")
    assert [p.get_attribute("data-stance") in STANCES for p in paragraphs] == [True] * len(expected)
    for paragraph, source in zip(paragraphs, expected):
        assert paragraph.find_element(By.CSS_SELECTOR, ".body").text == source.text
        assert paragraph.get_attribute("data-stance") in paragraph.find_element(By.CSS_SELECTOR, ".chip").text
    assert len(browser.find_elements(By.CSS_SELECTOR, "#strip button")) == len(expected)
    assert "Analyzed 4 paragraphs" in browser.find_element(By.ID, "status").text

    second = paragraphs[1]
    second.find_element(By.CSS_SELECTOR, "button.why").click()
    wait_for(browser, lambda d: second.find_elements(By.CSS_SELECTOR, "mark.phrase, .sentence.supports, .sentence.against"))
    panel = second.find_element(By.CSS_SELECTOR, ".explanation")
    assert panel.is_displayed() and "Why " + second.get_attribute("data-stance") in panel.text
    assert second.find_element(By.CSS_SELECTOR, ".body").text == expected[1].text

    browser.find_element(By.ID, "download-json").click()
    saved = json.loads(wait_for_file(downloads, "*.json").read_text())
    assert [p["stance"]["label"] for p in saved["paragraphs"]] == [p.get_attribute("data-stance") for p in paragraphs]
    assert saved["explanations"]["1"]["label"] == second.get_attribute("data-stance")

    ARTIFACTS.mkdir(exist_ok=True)
    browser.set_window_size(1280, browser.execute_script("return document.documentElement.scrollHeight") + 150)
    assert browser.save_screenshot(str(ARTIFACTS / "analyst-page.png"))


def test_a_forty_paragraph_article_gets_forty_paragraphs_and_strip_cells(live_server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    article = "\n\n".join(f"Paragraph {i}: " + p.text for i, p in enumerate(split_paragraphs(ARTICLE) * 10))
    browser.get(live_server + "/")
    browser.execute_script("const t = document.getElementById('text'); t.value = arguments[0];"
                           "t.dispatchEvent(new Event('input'));", article)
    browser.find_element(By.ID, "text").send_keys(Keys.CONTROL, Keys.ENTER)
    wait_for(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, ".paragraph")) == 40)
    cells = browser.find_elements(By.CSS_SELECTOR, "#strip button")
    assert len(cells) == 40
    assert cells[39].get_attribute("aria-label").startswith("Paragraph 40: ")
    cells[39].send_keys(Keys.ENTER)
    assert browser.execute_script("return document.activeElement.id") == "p-39"


def test_errors_from_the_api_are_shown_in_plain_words(live_server, browser):
    from selenium.webdriver.common.by import By

    browser.get(live_server + "/")
    browser.find_element(By.ID, "analyze").click()
    assert "Paste an article" in browser.find_element(By.ID, "error").text
    browser.execute_script("document.getElementById('text').value = 'x'.repeat(200001)")
    browser.find_element(By.ID, "analyze").click()
    wait_for(browser, lambda d: d.find_element(By.ID, "error").text)
    message = browser.find_element(By.ID, "error").text
    assert "could not use this text" in message and "the limit is 200000" in message
