"""Read plain-text, HTML, PDF and DOCX files into Document records.

What each format gives is told in formats.py; a saved web page is read for its main text
(trafilatura), else whole (htmltext.py).

A document's id is its file name without the extension (made safe for an IRI), so it
is the same on every run and in every order; two files with the same name in
different folders get a short hash of their path appended.
"""

from __future__ import annotations

import bisect
import fnmatch
import hashlib
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from ..common.chars import clean_text
from ..common.paths import is_output_folder, shown, why_missing
from ..ir import Document
from .dates import publication_dates
from .formats import DOCX_SUFFIXES, PDF_SUFFIXES, ReadError, docx_text, html_main_text, pdf_text
from .htmltext import html_text
from .text import split_sentences

TEXT_SUFFIXES = frozenset({".txt", ".text"})  # Markdown (.md) is not read: a folder's README is no document
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES | DOCX_SUFFIXES
"""The extensions of the files a folder's walk reads; the other files are reported, not read."""

_HTML_START = re.compile(r"\s*<(?:!doctype html|html)", re.IGNORECASE)  # markup in a .txt file
_URL = re.compile(r"https?://[^\s<>\"'\])]+")
_BOILERPLATE_TITLE = re.compile(r"^(Notikumu kalendārs|Publicēts:|Valsts informatīvais resurss)")


class IngestError(Exception):
    """A file that cannot be read as a document; the message names the file."""


MAX_BYTES = 20 * 1024 * 1024  # a news item or report is far smaller; larger files are skipped


def iter_paths(
    paths: Iterable[Path],
    skip: Callable[[str], bool] = is_output_folder,
    *,
    include: Sequence[str] = (),
    on_skip: Callable[[str], None] | None = None,
) -> Iterator[Path]:
    """Every document file under the given files and folders, sorted, each once.

    Folders are walked without following symbolic links to folders, so a link loop
    cannot trap the walk. A folder for which `skip` is true is not entered: by default
    those ctn-graph wrote (stores, a build's state and work files, the cache), so that
    outputs written inside an input folder are never read as documents.

    In a folder, only files of a format ctn-graph reads (SUFFIXES) are documents; each
    other file is told to `on_skip` ("notes.odt: .odt files are not read; ..."). With
    `include` (glob patterns such as "*.pdf"), only the files of a folder whose name, or
    path below the folder given, matches one of them are taken (a file named on its
    own is always taken).
    """
    seen: set[Path] = set()
    for p in paths:
        if not p.exists():
            raise IngestError(f"{shown(p)}: {why_missing(p)}")
        if p.is_dir():
            found: list[Path] = []
            for root, dirs, files in os.walk(p, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not skip(os.path.join(root, d)))
                for f in sorted(files):
                    full = os.path.join(root, f)
                    rel = os.path.relpath(full, p)
                    if include and not _included(f, rel, include):
                        continue
                    if _special(full):
                        continue
                    if Path(f).suffix.lower() not in SUFFIXES:
                        if on_skip is not None and not _written_by_us(rel):
                            on_skip(f"{shown(full)}: {_unread_format(f)}")
                        continue
                    found.append(Path(full))
            found.sort()
        elif _special(str(p)):
            raise IngestError(f"{shown(p)}: not a regular file or folder")
        else:
            found = [p]
        folders: dict[Path, Path] = {}
        for doc in found:
            key = _resolved(doc, folders)
            if key not in seen:
                seen.add(key)
                yield doc


def _included(name: str, rel: str, patterns: Sequence[str]) -> bool:
    """Whether a file matches one of the --include patterns, by name or by its path below
    the folder given ("*.pdf", "2019/*.docx")."""
    rel = rel.replace(os.sep, "/")
    return any(fnmatch.fnmatch(name, pat) or fnmatch.fnmatch(rel, pat) for pat in patterns)


# what ctn-graph itself writes (graph files, network files, work files): never a document,
# and not worth a "skipped" line when a build's outputs sit inside its input folder
_OUTPUT_SUFFIXES = frozenset(".ttl .trig .nt .nq .jsonld .rdf .graphml .gexf .tmp".split())


def _written_by_us(rel: str) -> bool:
    """A file below a hidden folder (.ctn-graph: the cache, the last build's note) or
    hidden itself, or of a format ctn-graph writes."""
    return any(part.startswith(".") for part in Path(rel).parts) or Path(rel).suffix.lower() in _OUTPUT_SUFFIXES


def _unread_format(name: str) -> str:
    suffix = Path(name).suffix.lower()
    known = " ".join(sorted(SUFFIXES))
    if suffix in {".doc", ".rtf", ".odt"}:
        return f"{suffix} files are not read; save it as .docx or .pdf (ctn-graph reads {known})"
    what = f"{suffix} files are" if suffix else "a file with no extension is"
    return f"{what} not read (ctn-graph reads {known})"


def _special(path: str) -> bool:
    """A pipe, socket or device: reading one would block or never end, so it is never a
    document. (A broken or looping link is kept, so that reading it reports it.)"""
    import stat

    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def read_document(path: Path, doc_id: str | None = None, max_bytes: int = MAX_BYTES) -> Document:
    """Read one file; an IngestError names the file and says what is wrong with it."""
    return document_from_bytes(read_file_bytes(path, max_bytes), Path(shown(path)), doc_id, max_bytes=max_bytes)


def read_file_bytes(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """A document file's bytes, unless it is too large or cannot be read (IngestError)."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise IngestError(
                f"{shown(path)}: {size / 1_048_576:.3g} MB is larger than the {max_bytes / 1_048_576:.3g} MB limit "
                "for one document (split it, or raise --max-mb)"
            )
        return path.read_bytes()
    except OSError as e:
        raise IngestError(f"{shown(path)}: cannot read ({e.strerror or e})") from e


def document_from_bytes(raw: bytes, path: Path, doc_id: str | None = None, *, max_bytes: int = MAX_BYTES) -> Document:
    """A Document from a file's bytes (read by read_file_bytes); an IngestError says why
    they are not a document. A PDF or DOCX whose text is larger than `max_bytes` (the
    build's --max-mb, as for the size of a file), or that unpacks to far more, is one
    (formats.py: the reading stops there)."""
    suffix = path.suffix.lower()
    doc_id = doc_id or safe_id(path.stem)
    if suffix in PDF_SUFFIXES or suffix in DOCX_SUFFIXES:
        if not raw.strip():
            raise IngestError(f"{path}: empty file")
        try:
            if suffix in PDF_SUFFIXES:
                paged = pdf_text(raw, max_bytes)
                return parse_document(paged.text, doc_id, str(path), pages=paged.pages)
            return parse_document(docx_text(raw, max_bytes), doc_id, str(path))
        except ReadError as e:
            raise IngestError(f"{path}: {e}") from None
    text = decode_text(raw, path)
    if not text.strip():
        raise IngestError(f"{path}: empty file")
    is_html = suffix in HTML_SUFFIXES or _HTML_START.match(text) is not None
    return parse_document(text, doc_id, str(path), is_html=is_html)


_BOMS = (  # UTF-32 first: its little-endian mark begins with UTF-16's
    (b"\xff\xfe\x00\x00", "utf-32", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32", "UTF-32"),
    (b"\xef\xbb\xbf", "utf-8-sig", "UTF-8"),
    (b"\xff\xfe", "utf-16", "UTF-16"),
    (b"\xfe\xff", "utf-16", "UTF-16"),
)


def decode_text(raw: bytes, path: Path) -> str:
    """A file's text: by its byte order mark (UTF-8, UTF-16 or UTF-32, either byte
    order), else as UTF-8; an IngestError says why it cannot be read."""
    codec = next(((c, name) for bom, c, name in _BOMS if raw.startswith(bom)), None)
    if codec is None and b"\x00" in raw[:4096]:
        raise IngestError(f"{path}: {_utf16_without_bom(raw[:4096]) or 'binary file, not a text or HTML document'}")
    name = codec[1] if codec else "UTF-8"
    try:
        text = raw.decode(codec[0] if codec else "utf-8")
    except UnicodeDecodeError as e:
        if codec:
            raise IngestError(
                f"{path}: not {name} (byte {e.start}), though it begins with {name}'s byte order mark"
            ) from e
        raise IngestError(
            f"{path}: not UTF-8 (byte {e.start}); convert it, e.g. `iconv -f WINDOWS-1257 -t UTF-8`"
        ) from e
    if "\x00" in text[:4096]:
        raise IngestError(f"{path}: binary file, not a text or HTML document")
    return text


def _utf16_without_bom(head: bytes) -> str | None:
    """The message for what looks like UTF-16 with no byte order mark: text in the Latin
    and Latvian ranges has a zero in every other byte, and few in the others."""
    even, odd = head[0::2], head[1::2]
    for zeros, others, order in ((odd, even, "LE"), (even, odd, "BE")):
        if len(head) >= 8 and zeros.count(0) >= 0.5 * len(zeros) and others.count(0) <= 0.05 * len(others):
            return f"UTF-16 without a byte order mark, it seems; convert it, e.g. `iconv -f UTF-16{order} -t UTF-8`"
    return None


def parse_document(
    text: str, doc_id: str, path: str = "", *, is_html: bool = False, pages: Sequence[int] = ()
) -> Document:
    """A Document from text (or HTML markup), with title, URL, dates and sentences.

    HTML: a page with site chrome (menus, footers, banners: htmltext.py tells) is read
    for its main text (formats.html_main_text); another page, or one where that finds
    none, for its whole visible text. The title is its first <h1>, else its <title>; the
    URL its canonical link, else og:url; the publication date that of its metadata where
    the text gives none.
    `pages`: the offsets in `text` at which pages begin (a PDF's): each sentence is
    given the number of the page it begins on.

    >>> d = parse_document("Titulis\\n\\n18.10.2018.\\n\\nProjektu finansē ICMPD.", "d1")
    >>> d.title, d.dates, len(d.sentences)
    ('Titulis', ('2018-10-18',), 3)
    """
    title = url = meta_date = None
    if is_html:
        page = html_text(text)
        # a page without chrome is all text; an odd one (htmltext.py) is read by the reader made for it
        main = html_main_text(text) if page.chrome and not page.odd else None
        text, title, url = page.text, page.title, page.url
        if main is not None:
            text, title, meta_date = main.text, title or main.title, main.date
    text = clean_text(text.replace("\r\n", "\n").replace("\r", "\n"))  # chars.py: what is not text
    if title:
        title = clean_text(title)
    if url:
        url = clean_text(url)
    if url is None:
        m = _URL.search(text)
        url = m.group().rstrip(".,;") if m else None
    if not title:
        title = next(
            (
                ln.strip()
                for ln in text.splitlines()
                if ln.strip() and not _BOILERPLATE_TITLE.match(ln.strip()) and any(c.isalpha() for c in ln)
            ),
            None,
        )
    sentences = split_sentences(text)
    if pages:
        sentences = [replace(s, page=bisect.bisect_right(pages, s.start)) for s in sentences]
    return Document(
        id=doc_id,
        path=path,
        text=text,
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        title=title,
        url=url,
        dates=publication_dates(text) or ((meta_date,) if meta_date else ()),
        sentences=tuple(sentences),
    )


def safe_id(stem: str) -> str:
    s = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.")
    return s or hashlib.sha256(os.fsencode(stem)).hexdigest()[:12]  # a name that is not UTF-8 too


def _resolved(p: Path, folders: dict[Path, Path] | None = None) -> Path:
    """The path with links resolved (absolute where a link loops). With `folders` (a
    cache of resolved folders), a file that is not a link costs one lstat: its folder is
    resolved once."""
    try:
        if folders is not None and not os.path.islink(p):
            parent = folders.get(p.parent)
            if parent is None:
                parent = folders[p.parent] = p.parent.resolve()
            return parent / p.name
        return p.resolve()
    except (OSError, RuntimeError):  # a link loop
        return p.absolute()


def unique_ids(paths: list[Path]) -> list[str]:
    """Stable document ids for paths: the safe stem, plus a path hash where stems collide."""
    stems = [safe_id(p.stem) for p in paths]
    counts: dict[str, int] = {}
    for s in stems:
        counts[s] = counts.get(s, 0) + 1
    folders: dict[Path, Path] = {}
    resolved = [_resolved(p, folders) for p in paths]
    if len(paths) > 1:
        root = os.path.commonpath({str(r.parent) for r in resolved})
    else:
        root = str(resolved[0].parent) if paths else ""
    # the hash is of the path below the common folder, so the id does not depend on
    # where the command runs or on how the path was typed
    return [
        s if counts[s] == 1 else f"{s}-{hashlib.sha256(os.fsencode(os.path.relpath(r, root))).hexdigest()[:8]}"
        for s, r in zip(stems, resolved, strict=True)
    ]
