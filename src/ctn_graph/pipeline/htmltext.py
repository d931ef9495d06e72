"""The visible text of an HTML page, with lxml's HTML parser (libxml2's HTML5 tokenizer).

The parser hands on events (start tag, text, end tag) to `_Visible` instead of building
a tree: nothing in the markup can make it stop early or drop what follows, whatever its
shape (no `<html>`, `<head>` or `<body>` at all, a `<head>` and no `<body>`, a stray
`<head>`, `<body>` or `<html>` inside the body, content after `</html>`, unclosed `<p>`
and `<li>`), character references are decoded once, by the parser, and the work is
linear in the page. Script, style, template, noscript, iframe, SVG and the head are not
text; block elements put their text on lines of its own. The title is the first `<h1>`,
else the first `<title>` (never shown as text). `chrome` tells whether the page has site
chrome (menus, header, footer, banners, side lists), whose main text ingest then takes
from trafilatura (formats.html_main_text), unless `odd` tells that the markup is of a
shape a tree-building parser reads otherwise than a browser.

>>> page = html_text("<title>Lapa</title><p>Pirmā&nbsp;rindkopa<p>Otrā &amp; trešā")
>>> page.text, page.title, page.url
('Pirmā rindkopa\\n\\nOtrā & trešā\\n', 'Lapa', None)
"""

from __future__ import annotations

import re
from typing import NamedTuple

BLOCK = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 tr td th section article header footer blockquote pre table title".split()
)
"""Elements whose text is a line (or paragraph) of its own."""
HIDDEN = frozenset({"script", "style", "noscript", "template", "svg", "head", "iframe", "noembed", "noframes"})
"""Elements whose content is never text on the page."""
# An HTML start tag that ends the SVG it appears in (HTML5, "in foreign content"): an
# unclosed <svg> hides an icon, not the rest of the page. (libxml2 has no foreign content.)
_SVG_BREAKOUT = frozenset(
    "b big blockquote body br center code dd div dl dt em embed h1 h2 h3 h4 h5 h6 head hr i img li listing "
    "menu meta nobr ol p pre ruby s small span strong strike sub sup table tt u ul var".split()
)
_SVG_HTML = frozenset({"foreignobject", "desc", "title"})  # HTML inside SVG: no breakout in them
_VOID_BREAK = frozenset({"br"})  # a line break: no end tag in HTML, so one break, not two
_SURROGATE = re.compile("[\ud800-\udfff]")  # only a program can hand these in; UTF-8 cannot hold them


class HtmlText(NamedTuple):
    text: str
    title: str | None
    url: str | None
    chrome: bool = False  # whether the page has site chrome: menus, a header or footer, banners, side lists
    odd: bool = False  # markup a tree-building parser reads otherwise than a browser (see _Visible.odd)


CHROME_TAGS = frozenset({"nav", "header", "footer", "aside", "menu"})
"""Elements that hold a site's chrome, not an article's text."""
CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "menu", "menubar", "dialog"})
_CHROME_NAME = re.compile(r"cookie|consent|gdpr|banner|menu|navbar|navigation|breadcrumb|footer|sidebar|related", re.I)
_CHROME_ATTR_MAX = 200  # a class or id longer than this is not looked into (a page is read in linear time)


MAX_DEPTH = 512
"""Open elements past which the parser starts afresh (Blink stops nesting at 512 too)."""
_CHUNK = 8192  # bytes fed at a time, each chunk ending before a "<"


def html_text(markup: str) -> HtmlText:
    """The visible text of a page, its title and its canonical URL (or og:url).

    libxml2 looks through all the open elements for each end tag that matches none of
    them (and for some start tags): a page of 1.6 million unclosed <span> and 2.5
    million stray </x> would take hours. So the page is fed in chunks, and when more
    than MAX_DEPTH elements are open after one, that parser is closed and a new one
    reads on from there (the text is kept; what was open is taken as closed)."""
    from lxml import etree

    def parser() -> etree.HTMLParser:
        return etree.HTMLParser(target=visible, encoding="utf-8", huge_tree=True, no_network=True)

    def close(p: etree.HTMLParser) -> None:
        try:
            p.close()
        except etree.XMLSyntaxError:  # "no element found": a parser that was given nothing
            pass

    visible = _Visible()
    data = _SURROGATE.sub("\ufffd", markup).encode("utf-8")
    current = parser()
    at = 0
    while at < len(data):
        cut = data.find(b"<", at + _CHUNK + 1)
        cut = len(data) if cut < 0 else cut
        current.feed(data[at:cut])
        at = cut
        if visible.depth > MAX_DEPTH and at < len(data):
            visible.closing = True  # the end tags close() makes up are not the page's
            close(current)
            visible.start_afresh()
            current = parser()
    close(current)
    return visible.result()


class _Visible:
    """An lxml parser target: collects the visible text, the title and the URL. Every
    event costs the same whatever came before (counters, not lists of open elements)."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._hidden = 0  # open HIDDEN elements
        self._svg = 0  # open svg elements (a <title> in them is the image's, not the page's)
        self._svg_html = 0  # open foreignObject, desc and title elements inside them
        self._svg_left = 0  # svg elements an HTML tag ended whose end tag is still to come
        self._title_depth = 0  # open <title> elements
        self._title_parts: list[str] | None = None  # the first title's text, while it is read
        self._title: str | None = None
        self._h1_depth = 0
        self._h1_parts: list[str] = []
        self._h1_done = False
        self.url: str | None = None
        self.depth = 0  # open elements
        self.closing = False
        self.chrome = False
        # an unclosed <svg> ended by an HTML tag, or more than MAX_DEPTH open elements: a
        # parser that builds a tree (trafilatura's) would hide or drop the text after it
        self.odd = False

    def start_afresh(self) -> None:
        """A new parser reads on: nothing is open any more."""
        self.depth = self._hidden = self._svg = self._svg_html = self._svg_left = 0
        self.closing = False
        self.odd = True
        if self._title_depth and self._title_parts is not None:
            self._title = "".join(self._title_parts).strip()
            self._title_parts = None
        self._title_depth = 0
        if self._h1_depth:
            self._h1_depth, self._h1_done = 0, True

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if self.closing:
            return
        self.depth += 1
        if (
            self._svg
            and not self._svg_html
            and (tag in _SVG_BREAKOUT or (tag == "font" and attrib.keys() & {"color", "face", "size"}))
        ):
            self._hidden -= self._svg
            self._svg_left += self._svg
            self._svg = 0
            self.odd = True
        if self._svg and tag in _SVG_HTML:
            self._svg_html += 1
        if tag == "title" and not self._svg:
            self._title_depth += 1
            if not self._title and self._title_parts is None:
                self._title_parts = []
        if tag in HIDDEN:
            self._hidden += 1
            if tag == "svg":
                self._svg += 1
        if tag == "h1" and not self._h1_done:
            self._h1_depth += 1
        if not self.chrome and not self._hidden:
            self.chrome = _is_chrome(tag, attrib)
        if tag == "link" and (attrib.get("rel") or "").lower() == "canonical" and attrib.get("href"):
            self.url = attrib["href"]
        if tag == "meta" and attrib.get("property") == "og:url" and attrib.get("content") and not self.url:
            self.url = attrib["content"]
        if tag in BLOCK and not self._hidden:
            self._parts.append("\n")

    def end(self, tag: str) -> None:
        if self.closing:
            return
        self.depth -= 1
        if tag == "svg" and not self._svg and self._svg_left:
            self._svg_left -= 1  # an svg an HTML tag already ended
            return
        if tag in HIDDEN and self._hidden:
            self._hidden -= 1
            if tag == "svg" and self._svg:
                self._svg -= 1
                self._svg_html = 0 if not self._svg else self._svg_html
        if tag in _SVG_HTML and self._svg_html:
            self._svg_html -= 1
        if tag == "title" and self._title_depth:
            self._title_depth -= 1
            if not self._title_depth and self._title_parts is not None:
                self._title = "".join(self._title_parts).strip()
                self._title_parts = None
        if tag == "h1" and self._h1_depth:
            self._h1_depth -= 1
            if not self._h1_depth:
                self._h1_done = True
        if tag in BLOCK and tag not in _VOID_BREAK and not self._hidden:
            self._parts.append("\n")

    def data(self, data: str) -> None:
        if self._title_depth:  # a title's text is never on the page
            if self._title_parts is not None:
                self._title_parts.append(data)
            return
        if self._hidden:
            return
        if self._h1_depth:
            self._h1_parts.append(data)
        self._parts.append(data)

    def comment(self, text: str) -> None:  # comments are not text
        pass

    def close(self) -> None:
        pass

    def result(self) -> HtmlText:
        joined = "".join(self._parts)
        lines = [re.sub(r"[ \t\xa0]+", " ", ln).strip() for ln in joined.split("\n")]
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"
        h1 = " ".join("".join(self._h1_parts).split())
        title = self._title
        if title is None and self._title_parts is not None:  # a title the page never closed
            title = "".join(self._title_parts).strip()
        return HtmlText(text, h1 or title or None, self.url, self.chrome, self.odd)


def _is_chrome(tag: str, attrib: dict[str, str]) -> bool:
    """Whether an element is a site's chrome: a nav, header, footer, aside or menu, an
    element with such an ARIA role, or one whose class or id names a menu, a cookie
    banner, a footer, a sidebar or related articles."""
    if tag in CHROME_TAGS:
        return True
    if (attrib.get("role") or "").lower() in CHROME_ROLES:
        return True
    for name in ("class", "id"):
        value = attrib.get(name)
        if value and len(value) <= _CHROME_ATTR_MAX and _CHROME_NAME.search(value):
            return True
    return False
