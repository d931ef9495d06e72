"""What a SPARQL text asks for, read as SPARQL tokens before it is run or sent anywhere:
whether it is a query (and which form) or an update, and whether it calls SERVICE.

`query` runs only queries (SELECT, ASK, CONSTRUCT, DESCRIBE), on the embedded store and
on an endpoint alike; `push` is the one command that changes a store. A SERVICE clause
makes the engine that runs the query fetch another URL (SSRF), so embedded queries and
`serve` refuse it unless federation was asked for.

The text is cut into SPARQL's tokens (whitespace, comments, IRIs, strings, language tags,
variables, blank nodes, numbers, prefixed names, keywords), so a keyword inside a comment,
a string, an IRI or a name is not one, and a keyword after a PREFIX/BASE prologue or a
comment still is. The reading errs on the side of refusing:

* a text is a query only if its first keyword after the prologue is exactly SELECT, ASK,
  CONSTRUCT or DESCRIBE, and no keyword that only SPARQL Update has (INSERT, DELETE,
  LOAD, CLEAR, CREATE, DROP, COPY, MOVE, ADD, WITH, DATA, USING, INTO, TO, DEFAULT, ALL)
  appears anywhere;
* SERVICE is found in any keyword, prefix or language tag that holds it (Oxigraph's
  parser reads `SERVICE:`, `1SERVICE` and `"x"SERVICE` as the keyword), and inside an
  IRI-looking `<...>` after a `)` (`FILTER(?a<?b)SERVICE#>` is a comparison, the end of
  the filter and the keyword, not an IRI: a `<` can be less-than, and only a `)` leads
  out of an expression to where SERVICE can stand);
* the text is read with its comments ended at \\n and \\r (SPARQL's, Oxigraph's) and at
  any line break Python knows (U+2028 ...), and again with its \\u escapes decoded (the
  SPARQL specification decodes them before parsing; Oxigraph does not): what any reading
  finds counts, and a text is a query only if every reading says so.

>>> read_shape("PREFIX ex: <http://e/> # SELECT\\nDROP ALL").update
'DROP'
>>> read_shape("select * { ?s ex:service 'SERVICE' } # SERVICE").federated
False
>>> s = read_shape("SELECT * { SERVICE <http://10.0.0.1/> { ?s ?p ?o } }"); s.form, s.federated, s.service
('SELECT', True, '<http://10.0.0.1/>')
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .errors import QueryError

QUERY_FORMS = frozenset({"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"})
UPDATE_STARTS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")
UPDATE_ONLY = frozenset(UPDATE_STARTS) | {"DATA", "USING", "INTO", "TO", "DEFAULT", "ALL"}

_WS = re.compile(r"[ \t\r\n]+")
# SPARQL's comments end at \n or \r; other readers may end them at any line break Python
# knows: the text is read both ways (a comment that ends early shows code, and a bracket)
_COMMENTS = (re.compile(r"#[^\n\r]*"), re.compile("#[^\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]*"))
_IRI = re.compile(r'<(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>')
_VAR = re.compile(r"[?$][\w\u00b7\u0300-\u036f\u203f\u2040]+")
_LANGTAG = re.compile(r"@[\w-]+")
_NUMBER = re.compile(r"(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?")
_NAME_CHAR = r"(?:[\w\u00b7\u0300-\u036f\u203f\u2040.\-:]|%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_BNODE = re.compile(r"_:" + _NAME_CHAR + "*")
_NAME = re.compile(r"(?:[^\W\d]|:)" + _NAME_CHAR + "*")
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # word | pname | var | bnode | iri | string | lang | number | punct
    text: str


@dataclass(frozen=True, slots=True)
class Shape:
    """`form`: SELECT, CONSTRUCT, DESCRIBE or ASK when the text starts as a query, else None;
    `first`: the first keyword (or token) after the prologue; `update`: the SPARQL Update
    keyword found, if any; `federated`: SERVICE found; `service`: what it names, if seen."""

    form: str | None
    first: str
    update: str | None
    federated: bool
    service: str = ""


def _string_end(text: str, i: int) -> int:
    """The index after the string literal that starts at i (SPARQL's four kinds)."""
    q = text[i]
    n = len(text)
    if text.startswith(q * 3, i):
        j = i + 3
        while j < n:
            if text[j] == "\\":
                j += 2
            elif text.startswith(q * 3, j):
                return j + 3
            else:
                j += 1
        return n
    j = i + 1
    while j < n and text[j] != q and text[j] not in "\n\r":
        j += 2 if text[j] == "\\" else 1
    return min(n, j + 1)


def tokens(text: str, comment: re.Pattern[str] = _COMMENTS[0]) -> list[Token]:
    """The tokens of a SPARQL text (comments and whitespace left out)."""
    out: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        m = _WS.match(text, i) or comment.match(text, i)
        if m:
            i = m.end()
            continue
        if c in "\"'":
            j = _string_end(text, i)
            out.append(Token("string", text[i:j]))
            i = j
            continue
        if c == "<" and (m := _IRI.match(text, i)):
            out.append(Token("iri", m.group()))
            i = m.end()
            continue
        kind, m = _name_like(text, i, c)
        if m:
            word = m.group()
            if kind in ("word", "bnode") and len(word) > 1:
                word = word.rstrip(".") or word  # a name never ends with a dot: that ends the triple
            if kind == "word" and ":" in word:
                kind = "pname"
            out.append(Token(kind, word))
            i += len(word)
            continue
        out.append(Token("punct", c))
        i += 1
    return out


def _name_like(text: str, i: int, c: str) -> tuple[str, re.Match[str] | None]:
    if c in "?$":
        return "var", _VAR.match(text, i)
    if c == "@":
        return "lang", _LANGTAG.match(text, i)
    if c == "_" and text.startswith("_:", i):
        return "bnode", _BNODE.match(text, i)
    if c.isdigit() or (c == "." and text[i + 1 : i + 2].isdigit()):
        return "number", _NUMBER.match(text, i)
    return "word", _NAME.match(text, i)


def _calls_service(tok: Token) -> bool:
    low = tok.text.lower()
    if "service" not in low:
        return False
    if tok.kind in ("word", "lang"):
        return True
    if tok.kind in ("pname", "bnode"):
        prefix, _, local = low.partition(":")
        return "service" in prefix or any(seg.startswith("service") for seg in local.split(".")[1:])
    if tok.kind == "iri":  # `<` may be less-than: FILTER(?a<?b)SERVICE#> leaves the filter at its `)`
        close = low.find(")")
        return close >= 0 and "service" in low[close:]
    return False


def _read(text: str, comment: re.Pattern[str]) -> Shape:
    toks = tokens(text, comment)
    k = 0
    kinds = [t.kind for t in toks] + ["", ""]
    while k < len(toks):  # the prologue: BASE <iri> | PREFIX p: <iri>
        word = toks[k].text.upper() if kinds[k] == "word" else ""
        if word == "BASE" and kinds[k + 1] == "iri":
            k += 2
        elif word == "PREFIX" and kinds[k + 1] == "pname" and kinds[k + 2] == "iri" and toks[k + 1].text[-1] == ":":
            k += 3
        else:
            break
    first_tok = toks[k] if k < len(toks) else None
    first = first_tok.text if first_tok else ""
    upper = first.upper() if first_tok and first_tok.kind in ("word", "pname") else ""
    form = upper if upper in QUERY_FORMS else None
    update = next((u for u in UPDATE_STARTS if upper.startswith(u)), None)
    if update is None:
        update = next((t.text.upper() for t in toks if t.kind == "word" and t.text.upper() in UPDATE_ONLY), None)
    federated, service = False, ""
    for j, tok in enumerate(toks):
        if _calls_service(tok):
            federated = True
            if tok.kind == "word" and tok.text.upper() == "SERVICE" and not service:
                after = [t.text for t in toks[j + 1 : j + 3] if t.text.upper() != "SILENT"]
                service = after[0] if after else ""
    return Shape(form, first, update, federated, service)


@functools.lru_cache(maxsize=512)
def read_shape(text: str) -> Shape:
    """What `text` is, read as it is and with its \\u escapes decoded, its comments ended at
    \\n and \\r or at any line break (see the module): what any reading finds counts, and
    the form is the one every reading agrees on."""
    texts = [text]
    if _ESCAPE.search(text):
        texts.append(_ESCAPE.sub(lambda m: _char(m.group(1) or m.group(2)), text))
    shapes = [_read(t, comment) for t in texts for comment in _COMMENTS]
    first = shapes[0]
    updates = [s.update for s in shapes if s.update]
    starts = [u for u in updates if u in UPDATE_STARTS]  # an update is named by its first word
    forms = {s.form for s in shapes}
    return Shape(
        first.form if len(forms) == 1 else None,
        first.first,
        starts[0] if starts else updates[0] if updates else None,
        any(s.federated for s in shapes),
        next((s.service for s in shapes if s.service), ""),
    )


def _char(hex_digits: str) -> str:
    code = int(hex_digits, 16)
    return chr(code) if code <= 0x10FFFF else "\ufffd"


def check_query(
    text: str,
    name: str,
    *,
    federation: bool = False,
    remote: str | None = None,
    federation_hint: str = "pass --allow-federation to allow it",
    who: str = "this process",
) -> Shape:
    """Refuse a text that is not a query (an update anywhere; a text that does not start as
    a query, when it is to be sent to `remote`), and SERVICE unless `federation`."""
    shape = read_shape(text)
    unsent = f" (nothing was sent to {remote})" if remote else ""
    lead = f"{name}: " if name else ""
    if shape.update:
        raise QueryError(
            f"{lead}a SPARQL update ({shape.update}), not a query: `ctn-graph query` runs only SELECT, ASK, "
            f"CONSTRUCT and DESCRIBE; a store is changed with `ctn-graph push`{unsent}"
        )
    if remote and shape.form is None:
        said = f"not {shape.first[:40]!r}" if shape.first else "but it is empty"
        raise QueryError(
            f"{lead}not a SPARQL query: after its PREFIX and BASE lines it must start with SELECT, ASK, "
            f"CONSTRUCT or DESCRIBE, {said}{unsent}"
        )
    if shape.federated and not federation:
        what = f"SERVICE {shape.service}" if shape.service else "SERVICE"
        raise QueryError(
            f"{lead}the query calls {what}, which would make {who} fetch that URL; "
            f"federation is off ({federation_hint})"
        )
    return shape
