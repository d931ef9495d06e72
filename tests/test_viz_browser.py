"""The network page in a real browser: headless Chromium, offline, driven by selenium.

It draws every node, its filters, search and click change what is shown, it fetches
nothing but itself (and data: URLs), and document text in labels and tooltips runs
nothing. Skipped when Chromium, chromedriver or selenium are missing; CI installs them
(Debian's `chromium` and `chromium-driver`, and `pip install selenium`).
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from ctn_graph.networks.model import View, build_network
from ctn_graph.networks.viz import ColourBy, render_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select
except ImportError:  # pragma: no cover - depends on the machine
    webdriver = None

pytestmark = [
    pytest.mark.skipif(webdriver is None, reason="selenium is not installed (pip install selenium)"),
    pytest.mark.skipif(
        CHROMIUM is None or CHROMEDRIVER is None,
        reason="chromium and chromedriver are not installed (apt-get install chromium chromium-driver)",
    ),
]

PWN_LABEL = '<img src=x onerror="window.__pwned=1">'
PWN_SENTENCE = "Projektu finansē <script>window.__pwned=2</script> fonds & <b>co</b>."
FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update "
    "--disable-sync --no-first-run --disable-default-apps --disable-extensions --window-size=1400,900 "
    "--proxy-server=http://127.0.0.1:9 --host-resolver-rules=MAP * ~NOTFOUND"
)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    profile = tmp_path_factory.mktemp("chromium-profile")
    downloads = tmp_path_factory.mktemp("downloads")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS.split(" --"):
        options.add_argument(flag if flag.startswith("--") else "--" + flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads)})
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.downloads = downloads
    try:
        driver.execute_cdp_cmd("Network.enable", {})
        offline = {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
        driver.execute_cdp_cmd("Network.emulateNetworkConditions", offline)
        driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
        yield driver
    finally:
        driver.quit()


def requests_of(driver) -> list[tuple[str, str]]:
    """(url, documentURL) of every request the browser made since the last call."""
    out = []
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg["method"] == "Network.requestWillBeSent":
            out.append((msg["params"]["request"]["url"], msg["params"].get("documentURL", "")))
    return out


def assert_no_requests_but_the_page(driver, uri: str) -> None:
    for url, document in requests_of(driver):
        assert not url.startswith(("http:", "https:", "ws:", "wss:", "ftp:")), f"the page fetched {url}"
        if document == uri or url.startswith("file:"):
            assert url == uri or url.startswith("data:"), f"the page fetched {url}"


def assert_no_script_errors(driver) -> None:
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors


def open_page(driver, path: Path, timeout: float = 60.0) -> None:
    requests_of(driver)  # forget what came before (the new-tab page)
    driver.get(path.as_uri())
    deadline = time.monotonic() + timeout
    while not driver.execute_script("return !!(window.ctn && window.ctn.drawn && window.ctn.stable)"):
        assert time.monotonic() < deadline, "the network was not drawn in time"
        time.sleep(0.05)
    time.sleep(0.3)  # the last physics frame and the fit


def js(driver, script: str, *args: Any) -> Any:
    return driver.execute_script("return " + script, *args)


def dom_point(driver, node_id: int) -> tuple[float, float]:
    script = """(function(id){
      var d = ctnNetwork.canvasToDOM(ctnNetwork.getPositions([id])[id]); return [d.x, d.y]; })(arguments[0])"""
    return tuple(js(driver, script, node_id))


def edge_point(driver, edge_id: int) -> tuple[float, float]:
    script = """(function(id){
      var e = ctnNetwork.body.edges[id], p;
      try { p = e.edgeType.getPoint(0.5); } catch (err) {
        var a = e.from, b = e.to; p = {x: (a.x + b.x) / 2, y: (a.y + b.y) / 2}; }
      var d = ctnNetwork.canvasToDOM(p); return [d.x, d.y]; })(arguments[0])"""
    return tuple(js(driver, script, edge_id))


def pointer_to(driver, x: float, y: float, click: bool = False) -> None:
    """Move the mouse (and click) at a point of the network's canvas, in CSS pixels."""
    canvas = driver.find_element(By.CSS_SELECTOR, "#net canvas")
    size = canvas.size
    chain = ActionChains(driver).move_to_element_with_offset(
        canvas, int(x - size["width"] / 2), int(y - size["height"] / 2)
    )
    chain = chain.pause(0.1).move_by_offset(1, 0).pause(0.3)
    if click:
        chain = chain.click()
    chain.perform()
    time.sleep(0.3)


@pytest.fixture(scope="module")
def seed_page(tmp_path_factory, seed_store):
    g = build_network(seed_store, View.FULL)
    path = tmp_path_factory.mktemp("pages") / "seed.html"
    path.write_text(render_html(g), encoding="utf-8")
    return path, g


def hostile_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    common = {"label_en": "", "alt": [], "docs": ["d1"], "first_year": 2018, "last_year": 2018}
    g.add_node("x", iri="x", label=PWN_LABEL, country="LV", **{"class": "NGO"}, **common)
    g.add_node("p", iri="p", label="Projekts <i>P</i>", country="", **{"class": "Project"}, **common)
    g.add_node("f", iri="f", label="Fonds", country="", **{"class": "InternationalOrganisation"}, **common)
    g.add_edge("p", "x", key="partner", relation="partner", label="partner", weight=1, years=[2018],
               evidence=[{"doc": "d1", "sentence": "Partneris ir " + PWN_LABEL}])  # fmt: skip
    g.add_edge("p", "f", key="fundedBy", relation="fundedBy", label="funded by", weight=1, years=[2018],
               evidence=[{"doc": "d<1>", "sentence": PWN_SENTENCE}])  # fmt: skip
    g.graph["title"] = '<img src=y onerror="window.__pwned=3">'
    return g


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory):
    path = tmp_path_factory.mktemp("pages") / "hostile.html"
    path.write_text(render_html(hostile_graph()), encoding="utf-8")
    return path


def test_the_seed_network_draws_every_node_offline(browser, seed_page):
    path, g = seed_page
    open_page(browser, path)
    assert js(browser, "ctnNetwork.body.data.nodes.length") == g.number_of_nodes()
    assert js(browser, "ctnNetwork.body.nodeIndices.length") == g.number_of_nodes()
    assert js(browser, "ctn.visibleEdgeCount()") == g.number_of_edges()
    assert js(browser, "document.getElementById('counts').textContent").startswith(f"{g.number_of_nodes()} of ")
    assert_no_requests_but_the_page(browser, path.as_uri())
    assert_no_script_errors(browser)


def test_unchecking_a_class_hides_it_and_rechecking_brings_it_back(browser, seed_page):
    path, g = seed_page
    open_page(browser, path)
    countries = sum(1 for _, d in g.nodes(data=True) if d["class"] == "Country")
    browser.find_element(By.ID, "cls-Country").click()
    shown = js(browser, "ctnNetwork.body.nodeIndices.map(function(i){return ctn.nodes.get(+i).shape;})")
    assert "star" not in shown
    assert len(shown) <= g.number_of_nodes() - countries
    assert js(browser, "ctn.visibleNodeCount()") == len(shown)
    browser.find_element(By.ID, "cls-Country").click()
    assert js(browser, "ctnNetwork.body.nodeIndices.length") == g.number_of_nodes()
    assert_no_script_errors(browser)


def test_relation_and_year_filters(browser, seed_page):
    path, g = seed_page
    open_page(browser, path)
    Select(browser.find_element(By.ID, "year")).select_by_value("2010")
    in_2010 = sum(1 for _, _, ys in g.edges(data="years") if 2010 in ys)
    assert js(browser, "ctn.visibleEdgeCount()") == in_2010
    assert js(browser, "ctnNetwork.body.edgeIndices.length") == in_2010
    Select(browser.find_element(By.ID, "year")).select_by_value("")
    browser.find_element(By.ID, "rel-participantCountry").click()
    participant = sum(1 for _, _, r in g.edges(data="relation") if r == "participantCountry")
    assert js(browser, "ctn.visibleEdgeCount()") == g.number_of_edges() - participant
    browser.find_element(By.ID, "reset").click()
    assert js(browser, "ctn.visibleEdgeCount()") == g.number_of_edges()
    # a country: its actors and whatever they are directly linked to
    latvian = {n for n, cc in g.nodes(data="country") if cc == "LV"}
    near = latvian | {m for n in latvian for m in nx.all_neighbors(g, n)}
    shown_edges = [(u, v) for u, v in g.edges() if u in near and v in near]
    shown = {x for e in shown_edges for x in e}
    Select(browser.find_element(By.ID, "country")).select_by_value("LV")
    assert js(browser, "ctn.visibleEdgeCount()") == len(shown_edges)
    assert js(browser, "ctnNetwork.body.nodeIndices.length") == len(shown) < g.number_of_nodes()
    browser.find_element(By.ID, "edge-labels").click()  # relation names on the links, and off again
    browser.find_element(By.ID, "edge-labels").click()
    browser.find_element(By.ID, "reset").click()
    assert js(browser, "ctnNetwork.body.nodeIndices.length") == g.number_of_nodes()
    assert_no_script_errors(browser)


def pixel(driver, node_id: int) -> tuple[int, int, int]:
    """The colour the canvas shows at the centre of a node."""
    script = """(function(id){
      var c = document.querySelector('#net canvas'), r = c.width / c.clientWidth;
      var p = ctnNetwork.canvasToDOM(ctnNetwork.getPositions([id])[id]);
      var d = c.getContext('2d').getImageData(Math.round(p.x * r), Math.round(p.y * r), 1, 1).data;
      return [d[0], d[1], d[2]]; })(arguments[0])"""
    return tuple(js(driver, script, node_id))


def test_searching_focuses_a_node_and_clicking_the_background_resets(browser, seed_page):
    path, g = seed_page
    open_page(browser, path)
    ids = {d["label"]: i for i, (_, d) in enumerate(g.nodes(data=True))}
    icmpd, latvija = ids["Starptautiskais Migrācijas politikas attīstības centrs"], ids["Latvija"]
    red = pixel(browser, latvija)
    assert red[0] > 150 and red[1] < 100, red  # a red star
    box = browser.find_element(By.ID, "search")
    box.send_keys("ICMPD", Keys.ENTER)
    time.sleep(0.5)
    assert js(browser, "ctn.focused") == icmpd
    assert js(browser, "ctnNetwork.getSelectedNodes()") == [icmpd]
    details = browser.find_element(By.ID, "details").text
    assert "Starptautiskais Migrācijas politikas attīstības centrs" in details
    assert "International Centre for Migration Policy Development" in details
    js(browser, "ctnNetwork.fit()")  # the search zoomed in: show everything again, still focused
    time.sleep(0.3)
    assert min(pixel(browser, latvija)) > 200  # not a neighbour: dimmed
    orange = pixel(browser, icmpd)
    assert orange[0] > 180 and orange[2] < 80, orange  # the focused node keeps its colour
    pointer_to(browser, 5, 5, click=True)  # a corner of the canvas: the background
    assert js(browser, "ctn.focused") is None
    assert pixel(browser, latvija) == red
    assert_no_script_errors(browser)


def test_clicking_a_node_focuses_its_neighbourhood(browser, hostile_page):
    open_page(browser, hostile_page)
    x, y = dom_point(browser, 1)  # "Projekts <i>P</i>", linked to both others
    pointer_to(browser, x, y, click=True)
    assert js(browser, "ctn.focused") == 1
    assert "Projekts <i>P</i>" in browser.find_element(By.ID, "details").text


def test_document_text_in_labels_and_tooltips_runs_nothing(browser, hostile_page):
    open_page(browser, hostile_page)
    assert js(browser, "document.title") == 'ctn-graph: <img src=y onerror="window.__pwned=3">'
    assert js(browser, "document.querySelectorAll('img').length") == 0
    x, y = dom_point(browser, 0)
    pointer_to(browser, x, y)
    tip = browser.find_element(By.ID, "tip")
    assert tip.is_displayed() and PWN_LABEL in tip.text
    fx, fy = edge_point(browser, 1)  # the funding link, whose sentence holds a <script>
    pointer_to(browser, fx, fy)
    assert tip.is_displayed() and PWN_SENTENCE in tip.text, tip.text
    assert js(browser, "document.querySelectorAll('#tip script, #tip img, #tip b').length") == 0
    pointer_to(browser, fx, fy, click=True)
    assert PWN_SENTENCE in browser.find_element(By.ID, "details").text
    assert "d<1>" in browser.find_element(By.ID, "details").text
    assert js(browser, "typeof window.__pwned") == "undefined"
    assert js(browser, "document.querySelectorAll('script').length") == 3  # data, vis-network, ours
    assert_no_requests_but_the_page(browser, hostile_page.as_uri())
    assert_no_script_errors(browser)


def test_png_export_downloads_the_drawing(browser, hostile_page):
    open_page(browser, hostile_page)
    browser.find_element(By.ID, "png").click()
    deadline = time.monotonic() + 10
    while not list(Path(browser.downloads).glob("*.png")):
        assert time.monotonic() < deadline, "no PNG was downloaded"
        time.sleep(0.1)
    png = next(Path(browser.downloads).glob("*.png"))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 2000
    assert js(browser, "ctn.pngBytes") > 2000


def test_community_colours_and_large_graphs_draw(browser, tmp_path):
    g = nx.barabasi_albert_graph(2100, 2, seed=3)
    nx.set_node_attributes(g, {n: f"Organizācija {n}" for n in g}, "label")
    nx.set_node_attributes(g, {n: ("NGO", "Ministry", "Project")[n % 3] for n in g}, "class")
    nx.set_edge_attributes(g, "partner", "relation")
    path = tmp_path / "big.html"
    path.write_text(render_html(g, title="2100", colour_by=ColourBy.COMMUNITY), encoding="utf-8")
    open_page(browser, path)
    assert js(browser, "ctnNetwork.body.nodeIndices.length") == 2100
    assert js(browser, "ctnNetwork.physics.options.enabled") is False
    assert browser.find_element(By.ID, "communities-section").is_displayed()
    browser.find_element(By.ID, "search").send_keys("Organizācija 0", Keys.ENTER)  # the first hub
    time.sleep(0.3)
    assert js(browser, "ctn.focused") == 0 and js(browser, "ctn.veiled") is True
    assert f"links ({g.degree(0)})" in browser.find_element(By.ID, "details").text.lower()
    js(browser, "ctn.unfocus()")
    assert js(browser, "ctn.focused") is None
    assert_no_script_errors(browser)
