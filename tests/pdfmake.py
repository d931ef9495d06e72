"""A minimal PDF written by hand for the tests: pages of text lines in Helvetica (one of
the fonts every PDF reader has), its encoding extended by glyph names with the Latvian
letters, so that a PDF text extractor gives back ā č ē ģ ī ķ ļ ņ š ū ž.

A page is a list of lines; an empty line leaves a gap as between paragraphs.
"""

from __future__ import annotations

# codes 128.. of the font's encoding, by glyph name (the Adobe Glyph List maps them to Unicode)
_GLYPHS = {
    "ā": "amacron", "č": "ccaron", "ē": "emacron", "ģ": "gcommaaccent", "ī": "imacron", "ķ": "kcommaaccent",
    "ļ": "lcommaaccent", "ņ": "ncommaaccent", "š": "scaron", "ū": "umacron", "ž": "zcaron",
    "Ā": "Amacron", "Č": "Ccaron", "Ē": "Emacron", "Ģ": "Gcommaaccent", "Ī": "Imacron", "Ķ": "Kcommaaccent",
    "Ļ": "Lcommaaccent", "Ņ": "Ncommaaccent", "Š": "Scaron", "Ū": "Umacron", "Ž": "Zcaron",
    "„": "quotedblbase", "”": "quotedblright", "“": "quotedblleft", "–": "endash",
}  # fmt: skip
_CODE = {ch: 128 + i for i, ch in enumerate(_GLYPHS)}


def _encode(line: str) -> bytes:
    out = bytearray()
    for ch in line:
        if ch in _CODE:
            out += b"\\%03o" % _CODE[ch]
        elif ch in "()\\":
            out += b"\\" + ch.encode()
        elif " " <= ch <= "~":
            out += ch.encode()
        else:
            raise ValueError(f"no glyph for {ch!r} in the test font")
    return bytes(out)


def pdf_bytes(pages: list[list[str]]) -> bytes:
    """A PDF of the given pages (lines of text, 14 pt apart; an empty line is a gap)."""
    objects: list[bytes] = []
    differences = b" ".join(b"/" + name.encode() for name in _GLYPHS.values())
    font = (
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding "
        b"/BaseEncoding /WinAnsiEncoding /Differences [128 " + differences + b"] >> >>"
    )
    n_pages = len(pages)
    # 1 catalog, 2 pages, 3 font, then (page, content) pairs
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(n_pages))
    objects.append(b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n_pages)
    objects.append(font)
    for i, lines in enumerate(pages):
        ops = [b"BT", b"/F1 11 Tf", b"14 TL", b"50 800 Td"]
        for line in lines:
            ops.append(b"(" + _encode(line) + b") Tj T*" if line else b"T*")
        ops.append(b"ET")
        stream = b"\n".join(ops)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents %d 0 R >>" % (5 + 2 * i)
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
