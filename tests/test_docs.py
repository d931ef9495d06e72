"""Documentation that cannot drift: the SPARQL examples in ontology/README.md run on the
seed graph and return rows; the README names the commands the Makefile runs."""

from __future__ import annotations

import re

import pytest

from .conftest import ROOT

ONTOLOGY_README = (ROOT / "ontology" / "README.md").read_text(encoding="utf-8")
SPARQL_BLOCKS = re.findall(r"```sparql\n(.*?)```", ONTOLOGY_README, re.S)


def test_the_ontology_readme_has_sparql_examples():
    assert len(SPARQL_BLOCKS) >= 2


@pytest.mark.parametrize("query", SPARQL_BLOCKS, ids=[f"example-{i}" for i in range(len(SPARQL_BLOCKS))])
def test_ontology_readme_queries_return_rows_on_the_seed_graph(seed_store, query):
    rows = list(seed_store.query(query, use_default_graph_as_union=True))
    assert rows, "the example returns nothing on the seed graph"


def test_readme_quick_start_matches_the_makefile():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme
    assert re.search(r"^run:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci


def _python_blocks(section: str) -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    body = readme.split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", body, re.S)


def test_the_readme_from_python_section_runs(tmp_path, monkeypatch, capsys):
    blocks = _python_blocks("From Python")
    assert blocks, "the README's From Python section has no python block"
    monkeypatch.chdir(tmp_path)  # an empty folder: the block builds the bundled corpus there
    for block in blocks:
        exec(compile(block, "README.md (From Python)", "exec"), {"__name__": "__readme__"})
    said = capsys.readouterr().out
    assert "documents," in said and "main-class entity F1" in said
    assert (tmp_path / "build" / "graph.ttl").is_file() and (tmp_path / "build" / "graph.store").is_dir()
    assert (tmp_path / "build" / "copartners.html").is_file()
