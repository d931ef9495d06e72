"""Documents to records: the extractor, and files read and extracted (in worker processes
when it pays) into spill files of pickled records that resolution reads back."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..common.paths import shown
from ..ir import DocRecord, Document, Extraction
from . import workers
from .cache import RecordCache
from .collector import batch_gc
from .extract.gazetteer import Gazetteer
from .ingest import IngestError, document_from_bytes, read_file_bytes
from .options import BuildOptions, Progress
from .workers import input_bytes, warm_for_fork, worker_count


@lru_cache(maxsize=2)
def _extractor(actors: bool, default_country: str):
    from .extract.document import DocumentExtractor
    from .extract.lexicon import load_lexicon

    return DocumentExtractor(Gazetteer.default(actors=actors), load_lexicon(), default_country)


@batch_gc
def extract_documents(
    docs: Iterable[Document], options: BuildOptions = BuildOptions(), progress: Progress | None = None
) -> list[Extraction]:
    """Extract documents already read (in worker processes when options.jobs > 1), in
    their order. `build` reads and extracts files with `spill_records` instead."""
    docs = list(docs)
    out: list[Extraction] = []
    jobs = worker_count(options.jobs)
    if jobs > 1 and len(docs) > 1 and sum(len(d.text) for d in docs) >= workers.PARALLEL_BYTES:
        _extractor(options.actors, options.default_country)  # loaded once, before the workers fork
        warm_for_fork()
        chunk = max(1, min(64, len(docs) // (jobs * 4) or 1))
        with workers.pool(min(jobs, len(docs))) as pool:
            for x in pool.map(_extract_one, ((d, options) for d in docs), chunksize=chunk):
                out.append(x)
                if progress is not None:
                    progress(len(out), len(docs))
    else:
        ex = _extractor(options.actors, options.default_country)
        for d in docs:
            out.append(ex.extract(d))
            if progress is not None:
                progress(len(out), len(docs))
    return out


def _extract_one(args: tuple[Document, BuildOptions]) -> Extraction:
    doc, options = args
    return _extractor(options.actors, options.default_country).extract(doc)


def _record_bytes(path: Path, doc_id: str, options: BuildOptions, cache: RecordCache | None) -> tuple[str, bytes | str]:
    """One file's cache key ("" without a cache or when it cannot be read) and its record,
    pickled (from the cache when its bytes were extracted before), or what is wrong with
    the file. The file is read once: its bytes give the cache key and, on a miss, the
    document."""
    try:
        raw = read_file_bytes(path, options.max_bytes)
    except IngestError as e:
        return "", str(e)
    key = cache.key(raw, path, doc_id) if cache is not None else ""
    return key, record_from_bytes(raw, Path(shown(path)), doc_id, options, cache, key)


def record_from_bytes(
    raw: bytes, path: Path, doc_id: str, options: BuildOptions, cache: RecordCache | None, key: str
) -> bytes | str:
    """The pickled record of a file's bytes (from the cache under `key` when there), or
    what is wrong with them."""
    import pickle

    if cache is not None and (data := cache.get(key)) is not None:
        return data
    try:
        doc = document_from_bytes(raw, path, doc_id, max_bytes=options.max_bytes)
    except IngestError as e:
        return str(e)
    data = pickle.dumps(
        DocRecord.of(_extractor(options.actors, options.default_country).extract(doc)), protocol=pickle.HIGHEST_PROTOCOL
    )
    if cache is not None:
        cache.put(key, data)
    return data


ChunkTask = tuple[str, list[tuple[str, str]], BuildOptions, "RecordCache | None"]  # (spill file, (path, id)s, ...)


Outcome = tuple[str, str | None]  # a file's cache key, and None (its record is in the spill file) or what is wrong


def _extract_chunk(task: ChunkTask) -> list[Outcome]:
    """Extract a run of files into one spill file (in a worker process): per file its
    cache key and None (its record is the next one in the file) or what is wrong with it."""
    out_path, items, options, cache = task
    outcomes: list[Outcome] = []
    with open(out_path, "wb") as out:
        for path, doc_id in items:
            key, data = _record_bytes(Path(path), doc_id, options, cache)
            if isinstance(data, str):
                outcomes.append((key, data))
            else:
                out.write(data)  # pickles follow one another in a file; each load reads one
                outcomes.append((key, None))
    return outcomes


@dataclass(slots=True)
class Spill:
    """The records of a corpus on disk, as `spill_records` wrote them: chunk files of
    pickled DocRecords, read back in file order as often as needed (resolution reads them
    twice) without holding them in memory."""

    folder: Path
    paths: list[str]  # the files as given (a cached record keeps the path it was read from)
    chunks: list[tuple[int, list[Outcome]]] = field(default_factory=list)  # (first file, outcomes)

    def results(self) -> Iterator[DocRecord | IngestError]:
        """Each file's record, or the IngestError that says why it could not be read."""
        for n in range(len(self.chunks)):
            yield from self.chunk_results(n)

    def chunk_results(self, n: int) -> Iterator[DocRecord | IngestError]:
        """`results` of the n-th run of files."""
        import pickle

        start, outcomes = self.chunks[n]
        with self.chunk_path(n).open("rb") as f:
            for k, (_key, error) in enumerate(outcomes):
                if error is not None:
                    yield IngestError(error)
                    continue
                rec: DocRecord = pickle.load(f)
                yield rec.at(self.paths[start + k])

    def records(self) -> Iterator[DocRecord]:
        return (r for r in self.results() if isinstance(r, DocRecord))

    def outcomes(self) -> Iterator[Outcome]:
        """Each file's cache key and what is wrong with it (None: nothing)."""
        for _start, outcomes in self.chunks:
            yield from outcomes

    def chunk_path(self, n: int) -> Path:
        """The file of the n-th run of files' records."""
        return self.folder / f"records-{n:06d}.pickle"


@batch_gc
def spill_records(
    files: Sequence[Path],
    ids: Sequence[str],
    options: BuildOptions,
    folder: Path,
    progress: Progress | None = None,
    stop_at_error: bool = False,
    each_record: Callable[[DocRecord], None] | None = None,
) -> Spill:
    """Read and extract files into record files in `folder`: the extraction step of
    `build`.

    Runs of consecutive files go to worker processes (options.jobs > 1, or 0: one per
    core), which read, extract and write their records themselves and send back only one
    outcome per file, so the parent process does no extraction work and N workers use N
    cores; fewer than two files, or less than PARALLEL_BYTES of them, are extracted here
    (a pool costs more than it gives). With
    options.cache_dir set, a file whose bytes were extracted before (same id, same bytes,
    same extractor) is not extracted again. stop_at_error: raise the first IngestError,
    in file order. each_record: called with each record, in file order, as soon as its
    run of files is done, while the workers extract the next runs (`build` resolves as
    the records come: its process is otherwise idle meanwhile)."""
    cache = RecordCache(options.cache_dir, options) if options.cache_dir else None
    items = [(str(f), i) for f, i in zip(files, ids, strict=True)]
    jobs = worker_count(options.jobs)
    parallel = jobs > 1 and len(items) > 1 and input_bytes(files) >= workers.PARALLEL_BYTES
    size = max(1, min(32, len(items) // (jobs * 8))) if parallel else 256
    starts = range(0, len(items), size)
    spill = Spill(folder, [shown(p) for p, _ in items])
    tasks = [(str(spill.chunk_path(n)), items[i : i + size], options, cache) for n, i in enumerate(starts)]
    pool = None
    if parallel:
        _extractor(options.actors, options.default_country)  # loaded once, before the workers fork
        warm_for_fork()
        pool = workers.pool(min(jobs, len(tasks)))
        outcomes = pool.map(_extract_chunk, tasks)
    else:
        outcomes = map(_extract_chunk, tasks)
    try:
        done = 0
        for start, result in zip(starts, outcomes, strict=True):
            spill.chunks.append((start, result))
            if stop_at_error and (error := next((e for _k, e in result if e is not None), None)):
                raise IngestError(error)
            if each_record is not None:
                for rec in spill.chunk_results(len(spill.chunks) - 1):
                    if isinstance(rec, DocRecord):
                        each_record(rec)
            done += len(result)
            if progress is not None:
                progress(done, len(items))
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return spill
