"""Text out of the document formats people have: PDF and DOCX reports, saved web pages.

Each reader is a well-kept library: pdfminer.six for PDF (its layout analysis groups a
page's lines into paragraphs), python-docx for DOCX, trafilatura for the main text of a
web page (without its menus, cookie banners, footers and related-article lists). What
they give is put in the form the plain-text reader expects: one paragraph a line,
paragraphs apart by an empty line, a word broken at a line end ("tirdz-\\nniecība")
joined again. A PDF keeps where each page begins, so that a sentence (and the evidence
of a relation read from it) names its page.

A file that cannot be read raises ReadError with a one-line reason; ingest.py adds the
file's name.
"""

from __future__ import annotations

import io
import itertools
import re
import zlib
from collections.abc import Iterator
from typing import NamedTuple

from ..common.chars import clean_text

PDF_SUFFIXES = frozenset({".pdf"})
DOCX_SUFFIXES = frozenset({".docx"})


class ReadError(Exception):
    """Why a file's bytes are not a document of its format (one line, without the file name)."""


class PagedText(NamedTuple):
    text: str  # the document's text: pages one after another, apart by an empty line
    pages: tuple[int, ...]  # offset in `text` where each page begins (page n at pages[n - 1])


# a word broken at a line end: a letter, a hyphen, the line end, a lower-case letter. A
# capital after it ("Latvijas-\nIgaunijas") keeps the hyphen: a compound, not a break.
_BROKEN_WORD = re.compile(r"(?<=[^\W\d_])[-\u00ad]\n[ \t]*(?=[^\W\d_])")
_SPACES = re.compile(r"[ \t\u00a0]+")


def unbreak(paragraph: str) -> str:
    """A paragraph's lines as one line, words broken at a line end joined again.

    >>> unbreak("cilvēku tirdz-\\nniecība un Latvijas-\\nIgaunijas projekts")
    'cilvēku tirdzniecība un Latvijas-Igaunijas projekts'
    """

    def join(m: re.Match[str]) -> str:
        return "" if paragraph[m.end()].islower() else "-"

    text = _BROKEN_WORD.sub(join, paragraph)
    return " ".join(_SPACES.sub(" ", ln).strip() for ln in text.splitlines() if ln.strip())


def _paragraphs_text(paragraphs: list[str]) -> str:
    return "\n\n".join(p for p in (unbreak(clean_text(p)) for p in paragraphs) if p)


DEFAULT_LIMIT = 20 * 1024 * 1024
"""The text of one document read at most, unless the caller says (build --max-mb)."""
UNPACKED_PER_LIMIT = 10
"""A DOCX's parts, or a PDF's compressed streams, may unpack to this many times the limit
(markup and layout take room); more is a compression bomb, not a report."""
BYTES_PER_PAGE = 1024
"""A PDF may have one page per this many bytes of the limit (20,480 pages at 20 MB): a
report with more is none, and reading each page costs time even when it is empty."""


def _mb(n: float) -> str:
    return f"{n / 1_048_576:.3g}"


def _limit_text(limit: int) -> str:
    return f"the {_mb(limit)} MB limit for one document (split it, or raise --max-mb)"


class _TooLarge(Exception):
    pass


def _inflate(chunks: Iterator[bytes | memoryview]) -> Iterator[bytes]:
    """The bytes a zlib stream unpacks to, 256 KB at a time (never more in memory);
    zlib.error where the input is not one. Input after the stream's end is ignored."""
    d = zlib.decompressobj()
    for chunk in chunks:
        data: bytes | memoryview = chunk
        while data:
            yield d.decompress(data, 1 << 18)
            if d.eof:
                return
            data = d.unconsumed_tail


def _looks_zlib(head: bytes) -> bool:
    return len(head) >= 2 and head[0] & 0x0F == 8 and (head[0] << 8 | head[1]) % 31 == 0


def _unpacked_size(chunks: Iterator[bytes] | Iterator[memoryview], budget: list[int], depth: int = 0) -> None:
    """Spend on `budget` (a one-item list) the size a stream unpacks to, and that of a
    stream compressed twice (/Filter [/FlateDecode /FlateDecode]) inside it; _TooLarge
    when the budget runs out."""

    def counted() -> Iterator[bytes]:
        for out in _inflate(chunks):
            budget[0] -= len(out)
            if budget[0] < 0:
                raise _TooLarge
            yield out

    out = counted()
    first = next((c for c in out if c), b"")
    if depth < 3 and _looks_zlib(first):
        try:
            _unpacked_size(itertools.chain([first], out), budget, depth + 1)
        except zlib.error:
            pass  # not compressed twice: what is left of the outer stream is counted below
    for _ in out:
        pass


_STREAM = re.compile(rb"(?<!end)stream\r?\n")


def _check_streams(raw: bytes, limit: int) -> None:
    """A ReadError when the PDF's compressed streams unpack to more than UNPACKED_PER_LIMIT
    times the limit: pdfminer unpacks a stream whole in memory, so a few kilobytes that
    unpack to gigabytes (a compression bomb) are refused before it reads them."""
    budget = [UNPACKED_PER_LIMIT * limit]
    view = memoryview(raw)

    def source(at: int) -> Iterator[memoryview]:
        for i in range(at, len(view), 1 << 14):
            yield view[i : i + (1 << 14)]

    for m in _STREAM.finditer(raw):
        try:
            _unpacked_size(source(m.end()), budget)
        except zlib.error:
            continue  # not a compressed stream (or a damaged one: pdfminer says so)
        except _TooLarge:
            raise ReadError(
                f"its compressed streams unpack to more than {_mb(UNPACKED_PER_LIMIT * limit)} MB, "
                f"{UNPACKED_PER_LIMIT} times {_limit_text(limit)}"
            ) from None


def pdf_text(raw: bytes, limit: int = DEFAULT_LIMIT) -> PagedText:
    """The text of a PDF, page by page, each text block of a page a paragraph. A PDF with
    no text at all (a scan) is a ReadError: there is nothing to read without OCR. So is
    one whose text is larger than `limit` bytes (UTF-8), or has more than one page per
    BYTES_PER_PAGE of it, or whose compressed streams unpack to more than
    UNPACKED_PER_LIMIT times it: the reading stops there."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextContainer
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psexceptions import PSException

    _check_streams(raw, limit)
    max_pages = max(1, limit // BYTES_PER_PAGE)
    pages: list[str] = []
    size = 0
    try:
        for page in extract_pages(io.BytesIO(raw), laparams=LAParams()):
            if len(pages) == max_pages:
                raise ReadError(
                    f"more than {max_pages} pages (the {_mb(limit)} MB limit for one document allows a page per "
                    f"{BYTES_PER_PAGE // 1024} KB; split it, or raise --max-mb)"
                )
            blocks = [el.get_text() for el in page if isinstance(el, LTTextContainer)]
            pages.append(_paragraphs_text(blocks))
            size += len(pages[-1].encode("utf-8")) + 2
            if size > limit:
                raise ReadError(f"its text (to page {len(pages)}) is larger than {_limit_text(limit)}")
    except ReadError:
        raise
    except (PDFPasswordIncorrect, PDFEncryptionError) as e:
        raise ReadError("encrypted PDF that needs a password; save a copy without one") from e
    except (PDFSyntaxError, PSException) as e:
        raise ReadError(f"not a readable PDF ({_reason(e)})") from e
    except Exception as e:  # noqa: BLE001 - a damaged file can fail anywhere inside the parser
        raise ReadError(f"not a readable PDF ({_reason(e)})") from e
    if not pages:
        raise ReadError("a PDF with no pages")
    if not any(p.strip() for p in pages):
        raise ReadError(f"no text layer ({len(pages)} page{'s' if len(pages) != 1 else ''} of images); OCR it first")
    text, starts = "", []
    for p in pages:
        if text:
            text += "\n\n"
        starts.append(len(text))
        text += p
    return PagedText(text + "\n", tuple(starts))


def docx_text(raw: bytes, limit: int = DEFAULT_LIMIT) -> str:
    """The text of a DOCX report: its paragraphs and its tables' cells (a row's cells one
    paragraph each), in the order of the document's body. A ReadError when its parts
    unpack to more than UNPACKED_PER_LIMIT times `limit` (checked on the sizes the
    package declares, before anything is unpacked: zipfile stops reading a part there),
    or its text is larger than `limit` bytes (UTF-8)."""
    import zipfile

    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as e:  # pragma: no cover - a dependency
        raise ReadError(f"python-docx is needed to read DOCX ({e})") from e
    if raw.startswith(b"\xd0\xcf\x11\xe0"):  # an OLE file: Word 97-2003, or a DOCX with a password
        raise ReadError("an encrypted DOCX or an old Word .doc file; save it as an unprotected .docx")
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as package:  # sizes as the package declares them; reads stop there
            parts = package.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as e:
        raise ReadError(f"not a readable DOCX ({_reason(e)})") from e
    unpacked = sum(info.file_size for info in parts)
    if unpacked > UNPACKED_PER_LIMIT * limit:
        largest = max(parts, key=lambda info: info.file_size)
        raise ReadError(
            f"a DOCX that unpacks to {_mb(unpacked)} MB ({largest.filename[:80]!r} {_mb(largest.file_size)} MB), "
            f"more than {UNPACKED_PER_LIMIT} times {_limit_text(limit)}"
        )
    try:
        document = docx.Document(io.BytesIO(raw))
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise ReadError(f"not a readable DOCX ({_reason(e)})") from e
    except Exception as e:  # noqa: BLE001 - a damaged package can fail anywhere inside the reader
        raise ReadError(f"not a readable DOCX ({_reason(e)})") from e
    paragraphs: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            paragraphs.append(block.text)
        elif isinstance(block, Table):
            for row in block.rows:
                seen: set[int] = set()
                for cell in row.cells:  # a merged cell comes once per column it spans
                    if id(cell._tc) not in seen:
                        seen.add(id(cell._tc))
                        paragraphs.extend(p.text for p in cell.paragraphs)
    text = _paragraphs_text(paragraphs)
    if len(text) > limit or len(text.encode("utf-8")) > limit:
        raise ReadError(f"its text is larger than {_limit_text(limit)}")
    if not text.strip():
        raise ReadError("a DOCX with no text")
    return text + "\n"


class MainText(NamedTuple):
    text: str  # the main text, one paragraph a line, apart by empty lines
    title: str | None
    date: str | None  # ISO date of publication from the page's metadata


MAX_MAIN_TEXT_BYTES = 5 * 1024 * 1024
"""Pages larger than this are read whole by htmltext (a news page is far smaller)."""


def html_main_text(markup: str) -> MainText | None:
    """The main text of a saved web page (trafilatura), its title and publication date from
    its metadata; None where trafilatura finds no main text (the caller reads the page
    whole instead)."""
    if len(markup) > MAX_MAIN_TEXT_BYTES:
        return None
    try:
        import trafilatura

        doc = trafilatura.bare_extraction(
            markup,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            favor_precision=True,
            deduplicate=False,
            fast=True,  # no justext or readability fallback: justext takes quadratic time on many paragraphs
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception:  # noqa: BLE001 - a page it cannot take is read whole by htmltext
        return None
    if doc is None:
        return None
    text = getattr(doc, "text", None) or ""
    if not text.strip():
        return None
    paragraphs = [p for p in (" ".join(ln.split()) for ln in text.splitlines()) if p]
    date = getattr(doc, "date", None)
    iso = date if isinstance(date, str) and re.fullmatch(r"(?:19|20)\d{2}-\d{2}-\d{2}", date) else None
    title = getattr(doc, "title", None)
    return MainText("\n\n".join(paragraphs) + "\n", title if isinstance(title, str) and title.strip() else None, iso)


def _reason(e: BaseException) -> str:
    """An exception as a short clause for a one-line message."""
    s = " ".join(str(e).split())[:120]
    return f"{type(e).__name__}: {s}" if s else type(e).__name__
