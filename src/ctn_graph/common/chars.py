"""Which characters may go where: into a document's text, an XML file, a terminal.

Documents are untrusted text, and so is a graph made by another tool. Three rules:

* `clean_text` (ingest): control characters (C0 but tab, line feed and carriage return;
  DEL; C1) become a space, NEL a line break; lone surrogates become U+FFFD; the
  noncharacters (U+FDD0-U+FDEF and the last two code points of every plane, U+FFFE and
  U+FFFF among them) are dropped: they are not text, and XML 1.0 cannot hold the
  surrogates, U+FFFE, U+FFFF and the C0 controls at all.
* `xml_safe` (every XML writer, on its own): what XML 1.0 cannot hold becomes U+FFFD.
* `terminal_safe` (everything printed for a person): control characters, bidirectional
  formatting characters and lone surrogates are shown as escapes (``\\x1b``, ``\\u202e``),
  so text can neither drive the terminal nor reorder what is read on it.

>>> clean_text("Saule\\x1b]0;x\\x07 m\\x9bāja\\ufffe\\x85Beigas")
'Saule ]0;x  m āja\\nBeigas'
>>> xml_safe("a\\x01b\\ufffec\\x9bd")
'a\\ufffdb\\ufffdc\\x9bd'
>>> terminal_safe("Saule\\x1b[2J \\u202eājam")
'Saule\\\\x1b[2J \\\\u202eājam'
"""

from __future__ import annotations

import re
from typing import IO

_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17)
)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_NONCHARACTER = re.compile(f"[{_NONCHARACTERS}]")
_NOT_TEXT = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff{_NONCHARACTERS}]")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""Bidirectional formatting characters: shown escaped on a terminal, kept elsewhere."""
_TERMINAL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029{BIDI_CONTROLS}\ud800-\udfff]")
_TERMINAL_CELL = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{BIDI_CONTROLS}\ud800-\udfff]")


def clean_text(text: str) -> str:
    """A document's text with no character that is not text (see the module's rules)."""
    if _NOT_TEXT.search(text) is None:  # nearly every document
        return text
    text = _CONTROL.sub(" ", text).replace("\x85", "\n")
    return _NONCHARACTER.sub("", _SURROGATE.sub("\ufffd", text))


def has_xml_illegal(text: str) -> bool:
    return _XML_ILLEGAL.search(text) is not None


def xml_safe(text: str) -> str:
    """The text with every character XML 1.0 cannot hold (even as a reference) as U+FFFD."""
    return text if _XML_ILLEGAL.search(text) is None else _XML_ILLEGAL.sub("\ufffd", text)


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: str, *, cell: bool = False) -> str:
    """Text to print: control and bidirectional formatting characters as escapes. Line
    breaks and tabs are kept, unless `cell` (a table cell, on one line)."""
    pattern = _TERMINAL_CELL if cell else _TERMINAL
    return text if pattern.search(text) is None else pattern.sub(_escape, text)


def escape_json_controls(text: str) -> str:
    """JSON text with C1, DEL, U+2028/U+2029 and bidirectional formatting characters as
    \\u escapes: the same JSON to a parser, nothing a terminal acts on."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_JSON_UNSAFE = re.compile(f"[\x7f-\x9f\u2028\u2029{BIDI_CONTROLS}]")


class TerminalWriter:
    """A text stream for a terminal: everything written goes through `terminal_safe`."""

    def __init__(self, out: IO[str]) -> None:
        self._out = out

    def write(self, text: str) -> int:
        return self._out.write(terminal_safe(text.replace("\r\n", "\n")))  # CSV ends its lines with CR LF

    def flush(self) -> None:
        self._out.flush()

    def __getattr__(self, name: str):  # noqa: ANN204 - everything else as the stream has it
        return getattr(self._out, name)
