"""`ctn-graph serve`'s YASGUI page: served from the server itself, set to its endpoint,
fetching nothing from anywhere else; in headless Chromium (driven by selenium) it runs
its first query and shows the rows. The browser part is skipped when Chromium,
chromedriver or selenium are missing (CI installs them, as for tests/test_viz_browser.py).
"""

from __future__ import annotations

import json
import shutil
import time
import urllib.error
import urllib.request

import pyoxigraph as ox
import pytest

from .servers import Server, start_ctn_serve

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
except ImportError:  # pragma: no cover - depends on the machine
    webdriver = None

# a page that reached beyond the server would find nothing: no proxy, no name resolves
FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update "
    "--disable-sync --no-first-run --disable-default-apps --disable-extensions --window-size=1400,900 "
    "--proxy-server=http://127.0.0.1:9 --host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
)
CTN = "https://w3id.org/ctn/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
NAMES = ["Biedrība “Drošā māja”", "Valsts robežsardze", "Zemgales reģiona biedrība"]


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Server:
    """ctn-graph serve on a store of three organisations of our own."""
    work = tmp_path_factory.mktemp("serve-page")
    store = ox.Store(str(work / "g.store"))
    graph = ox.NamedNode("https://w3id.org/ctn/id/doc/d1")
    label, kind = ox.NamedNode(SKOS + "prefLabel"), ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    for i, name in enumerate(NAMES):
        org = ox.NamedNode(f"https://w3id.org/ctn/id/org/o{i}")
        store.add(ox.Quad(org, label, ox.Literal(name, language="lv"), graph))
        store.add(ox.Quad(org, kind, ox.NamedNode(CTN + "Organisation"), graph))
    store.flush()
    del store
    s = start_ctn_serve(work / "g.store", work)
    try:
        yield s
    finally:
        s.stop()


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()


def test_the_server_announces_its_yasgui_page(server):
    deadline = time.monotonic() + 10
    while "YASGUI:" not in server.log_tail() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert f"YASGUI: {server.base}/  (a query page served from here" in server.log_tail()


def test_the_page_and_its_files_come_from_the_server(server):
    status, headers, page = _get(server.base + "/")
    assert status == 200 and headers["content-type"].startswith("text/html")
    csp = headers["content-security-policy"]
    assert "default-src 'none'" in csp and "connect-src 'self'" in csp and "script-src 'self'" in csp
    text = page.decode("utf-8")
    for src in ("yasgui.min.js", "yasgui.min.css", "ctn-graph-yasgui.js"):
        assert f'"{src}"' in text
        status, headers, body = _get(f"{server.base}/{src}")
        assert status == 200 and len(body) > 100 and headers["x-content-type-options"] == "nosniff"
    assert "http" not in text.replace("http-equiv", "")  # nothing from elsewhere
    _, _, settings = _get(server.base + "/ctn-graph-yasgui.js")
    assert b"PREFIX " in settings and json.dumps(CTN).encode() in settings
    with pytest.raises(urllib.error.HTTPError) as e:
        _get(server.base + "/yasgui.min.js.map")
    assert e.value.code == 404


@pytest.mark.skipif(webdriver is None, reason="selenium is not installed (pip install selenium)")
@pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None,
    reason="chromium and chromedriver are not installed (apt-get install chromium chromium-driver)",
)
def test_the_page_runs_a_query_in_a_browser(server, tmp_path):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS.split(" --"):
        options.add_argument(flag if flag.startswith("--") else "--" + flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'profile'}")
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        driver.get(server.base + "/")
        deadline = time.monotonic() + 60
        while not driver.execute_script("return !!(window.yasgui && window.yasgui.getTab())"):
            assert time.monotonic() < deadline, "YASGUI did not start"
            time.sleep(0.1)
        tab = "window.yasgui.getTab()"
        assert driver.execute_script(f"return {tab}.getEndpoint()") == server.base + "/query"
        assert "PREFIX ctn: <" + CTN + ">" in driver.execute_script(f"return {tab}.getQuery()")
        driver.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
        cells: list[str] = []
        while not all(any(name in c for c in cells) for name in NAMES):  # shown as "name"@lv
            assert time.monotonic() < deadline, f"no rows shown; {driver.get_log('browser')}"
            time.sleep(0.2)
            cells = [c.text for c in driver.find_elements(By.CSS_SELECTOR, ".yasr table td")]
        fetched = []
        for entry in driver.get_log("performance"):
            msg = json.loads(entry["message"])["message"]
            if msg["method"] == "Network.requestWillBeSent":
                fetched.append(msg["params"]["request"]["url"])
        web = [u for u in fetched if u.startswith(("http:", "https:", "ws:", "wss:", "ftp:"))]
        assert server.base + "/yasgui.min.js" in web and server.base + "/query" in web, web
        assert all(u.startswith(server.base + "/") for u in web), web  # nothing from elsewhere
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        assert not errors, errors
    finally:
        driver.quit()
