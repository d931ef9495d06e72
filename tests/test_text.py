"""Tests for ctn_graph.pipeline.text: sentence splitting and tokenising with character offsets."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ctn_graph.common.resources import data_path
from ctn_graph.pipeline.ingest import read_document
from ctn_graph.pipeline.text import split_sentences, tokenize

SEEDS = sorted(data_path("corpus", "seeds").glob("*.txt"))


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


def words(text: str) -> list[str]:
    return [t.text for t in tokenize(text)]


# ---------------------------------------------------------------- sentences


def test_plain_sentences_split_at_full_stops_and_other_end_marks() -> None:
    assert texts("Pirmais teikums. Otrais teikums! Vai trešais? Ceturtais") == [
        "Pirmais teikums.",
        "Otrais teikums!",
        "Vai trešais?",
        "Ceturtais",
    ]


def test_a_quoted_title_keeps_its_own_end_marks() -> None:
    text = "Notiks konference „Stop! Mēs varam. Kopā”. Tajā runās eksperti."
    assert texts(text) == ["Notiks konference „Stop! Mēs varam. Kopā”.", "Tajā runās eksperti."]
    assert texts("Sākums „nekad neaizvērts! Nākamais teikums.") == ["Sākums „nekad neaizvērts!", "Nākamais teikums."]


def test_sg_abbreviation_does_not_end_a_sentence() -> None:
    assert texts("Š.g. 8. decembrī notiks sanāksme.") == ["Š.g. 8. decembrī notiks sanāksme."]


def test_sentences_never_span_lines() -> None:
    text = "Virsraksts bez punkta\nTeksts turpinās nākamajā rindā\r\nUn vēl\n\nBeigas."
    got = split_sentences(text)
    assert [s.text for s in got] == [
        "Virsraksts bez punkta",
        "Teksts turpinās nākamajā rindā",
        "Un vēl",
        "Beigas.",
    ]
    for s in got:
        assert "\n" not in text[s.start : s.end] and "\r" not in text[s.start : s.end]


@pytest.mark.parametrize(
    "text",
    [
        # an initial before a surname
        "D. Trofimovs norāda, ka politika balstās uz dokumentiem.",
        # a year followed by "gada"
        "2018. gada 5. martā notika sanāksme.",
        # an ordinal day in a list of days
        "Šā gada 25. un 26.septembrī Rīgā notiek mācības.",
        # a number glued to an abbreviation
        "Ar rīkojumu Nr.657 “Par Latvijas dalību” tika noteikts iemaksu apmērs.",
        # an abbreviation before a number
        "Ar rīkojumu Nr. 657 tika noteikts iemaksu apmērs.",
        # a year range with a dash
        "Policijas attīstības stratēģijas 2016. – 2018.gadam prioritāte.",
        # common Latvian abbreviations
        "Piedalījās ministrijas, aģentūras u.c. iestādes, t.sk. policija.",
        "Sanāksme sāksies plkst. 10.00 Rīgā.",
    ],
)
def test_abbreviations_initials_and_ordinals_do_not_end_a_sentence(text: str) -> None:
    assert texts(text) == [text]


def test_abbreviation_inside_a_paragraph_keeps_the_real_boundaries() -> None:
    text = (
        "Iekšlietu ministrijas pārstāvis D. Trofimovs pārstāvēja Latviju. "
        "Konference notika 2010. gada 18. un 19.oktobrī Briselē. Tajā runāja ministri."
    )
    assert texts(text) == [
        "Iekšlietu ministrijas pārstāvis D. Trofimovs pārstāvēja Latviju.",
        "Konference notika 2010. gada 18. un 19.oktobrī Briselē.",
        "Tajā runāja ministri.",
    ]


def test_a_year_before_a_capitalised_sentence_still_ends_the_sentence() -> None:
    assert texts("Projektu finansē ICMPD. 2018.gada 23.martā notika sanāksme.") == [
        "Projektu finansē ICMPD.",
        "2018.gada 23.martā notika sanāksme.",
    ]


def test_closing_quote_after_a_full_stop_belongs_to_the_sentence() -> None:
    assert texts('Viņš teica: "Tas ir svarīgi." Tad sanāksme beidzās.') == [
        'Viņš teica: "Tas ir svarīgi."',
        "Tad sanāksme beidzās.",
    ]


def test_punctuation_only_lines_give_no_sentence() -> None:
    assert texts("Virsraksts\n\n---\n   \n* * *\nTeksts.") == ["Virsraksts", "Teksts."]


def test_empty_text_has_no_sentences() -> None:
    assert split_sentences("") == []
    assert split_sentences("\n \n\t\n") == []


def test_sentence_indices_count_up_from_zero_across_lines() -> None:
    got = split_sentences("Viens. Divi.\nTrīs.\n\nČetri.")
    assert [s.index for s in got] == [0, 1, 2, 3]


@pytest.mark.parametrize(
    "text",
    [
        "Ziņoja policijas pārstāvis (A. Bērziņš) Rīgā.",
        "Runāja „D. Trofimovs” un citi eksperti.",
        "Runāja Dž. Smits un citi eksperti.",
    ],
)
def test_initial_after_bracket_quote_or_digraph_does_not_end_a_sentence(text: str) -> None:
    assert texts(text) == [text]


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_sentence_offsets_index_every_seed_document(path: Path) -> None:
    doc = read_document(path)
    assert doc.sentences, "a seed document should have sentences"
    prev_end = 0
    for s in doc.sentences:
        assert doc.text[s.start : s.end] == s.text
        assert s.start >= prev_end
        assert "\n" not in s.text
        prev_end = s.end


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_token_offsets_index_every_seed_document(path: Path) -> None:
    doc = read_document(path)
    for tok in tokenize(doc.text):
        assert doc.text[tok.start : tok.end] == tok.text
    for s in doc.sentences:
        for tok in tokenize(s.text, s.start):
            assert doc.text[tok.start : tok.end] == tok.text


def test_seed_sentences_keep_abbreviations_whole() -> None:
    sents = [s.text for p in SEEDS for s in read_document(p).sentences]
    assert any(s.startswith("D. Trofimovs norāda") for s in sents)
    assert any(s.startswith("Šā gada 25. un 26.septembrī Rīgā") for s in sents)
    assert any("Nr.657 “Par Latvijas dalību" in s for s in sents)
    assert not any(s.split()[-1] in ("D.", "25.", "Nr.") for s in sents)


_ALPHABET = st.sampled_from(list('aAāĀšŠzZ .,!?…"”»)(–-:;\n\r\t\u2028 0123Nr'))


@settings(max_examples=300, derandomize=True, deadline=None, database=None)
@given(st.text(_ALPHABET, max_size=80) | st.text(max_size=40))
def test_offsets_hold_for_any_text(text: str) -> None:
    prev_end = 0
    for i, s in enumerate(split_sentences(text)):
        assert s.index == i
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip() and s.text
        # a line break inside a sentence only where a wrapped line goes on in lower case
        for line in s.text.splitlines()[1:]:
            assert line.strip()[:1].islower() or not line.strip(), s.text
        assert s.start >= prev_end
        prev_end = s.end
    for tok in tokenize(text, 7):
        assert ("x" * 7 + text)[tok.start : tok.end] == tok.text
        assert tok.text and not any(c.isspace() for c in tok.text)


# ---------------------------------------------------------------- tokens


def test_tokens_separate_words_numbers_and_punctuation() -> None:
    assert words("Iekšlietu ministrijas (IeM) “Centrs MARTA”, 18.10.2018.") == [
        "Iekšlietu",
        "ministrijas",
        "(",
        "IeM",
        ")",
        "“",
        "Centrs",
        "MARTA",
        "”",
        ",",
        "18.10.2018.",
    ]


def test_token_offsets_index_the_text_and_respect_a_base_offset() -> None:
    text = "Valsts  policija\tun ŠakočiusLietuvas, airBaltic."
    for base in (0, 100):
        toks = tokenize(text, base)
        assert toks
        for t in toks:
            assert text[t.start - base : t.end - base] == t.text


def test_run_together_capitalised_words_are_split() -> None:
    toks = tokenize("Alvydas ŠakočiusLietuvas Republikas")
    assert [t.text for t in toks] == ["Alvydas", "Šakočius", "Lietuvas", "Republikas"]
    # the two halves are adjacent, without a gap or an overlap
    assert toks[1].end == toks[2].start


@pytest.mark.parametrize("word", ["airBaltic", "AirBaltic", "FReM", "TF-THB", "ICMPD", "IeM", "LinkedIn"])
def test_mixed_case_words_and_acronyms_stay_whole(word: str) -> None:
    assert words(f"Projektā {word} piedalījās.") == ["Projektā", word, "piedalījās", "."]


def test_hyphenated_words_stay_whole() -> None:
    assert words("CBSS TF-THB un ziemeļ-rietumu reģions") == [
        "CBSS",
        "TF-THB",
        "un",
        "ziemeļ-rietumu",
        "reģions",
    ]


def test_token_word_and_capital_flags() -> None:
    toks = {t.text: t for t in tokenize("Valsts policija 2018 (")}
    assert toks["Valsts"].is_word and toks["Valsts"].is_upper_initial
    assert toks["policija"].is_word and not toks["policija"].is_upper_initial
    assert not toks["2018"].is_word
    assert not toks["("].is_word


# ---------------------------------------------------------------- linear time (issue 14)


def _reference_split(text: str) -> list[tuple[int, int, str]]:
    """The splitter as it was before issue 14 (quadratic in the line: a slice of the
    paragraph per full stop, the quotes counted again from the sentence's start), kept as
    the reference the linear one must agree with; paragraphs as text._paragraphs makes them
    (wrapped lines joined)."""
    import re

    from ctn_graph.pipeline.text import _ABBREVIATIONS, _ALNUM, _DAY, _INITIAL, _NUMBER, _paragraphs

    sent_end = re.compile(r"[.!?…]+[\"”»’)]*(?=\s+)")

    def boundary(dot_end: int, para: str) -> bool:
        before = para[:dot_end].rstrip('"”»’)')
        if not before.endswith("."):
            return True
        last = before.rsplit(None, 1)[-1]
        prev = (last[:-1] if len(last) >= 2 else "").lstrip("(\"„“«'‘")
        if prev.lower() in _ABBREVIATIONS or _INITIAL.fullmatch(prev) or _DAY.fullmatch(prev):
            return False
        rest = para[dot_end:].lstrip()
        if _NUMBER.fullmatch(prev) and (not rest or not rest[0].isupper()):
            return False
        return not (rest[:1].islower() or rest[:1] in "–-,;:")

    def in_title(body: str, start: int, at: int) -> bool:
        depth = 0
        for i in range(start, at):
            c = body[i]
            if c in "„“«\"" and (i == 0 or not body[i - 1].isalnum()) and i + 1 < len(body) and body[i + 1].isalnum():
                depth += 1
            elif c in "”“»\"" and depth and (i + 1 == len(body) or not body[i + 1].isalnum()):
                depth -= 1
        rest = body[at : at + 300]
        closes = (c in "”“»\"" and (k + 1 == len(rest) or not rest[k + 1].isalnum()) for k, c in enumerate(rest))
        return depth > 0 and any(closes)

    out: list[tuple[int, int, str]] = []
    for base, stop in _paragraphs(text):
        body = text[base:stop]
        cuts = []
        begin = 0
        for m in sent_end.finditer(body):
            if m.start() > 0 and body[m.start() - 1] in ".!?…":
                continue  # inside a run of end marks (the linear splitter matches the run whole)
            if boundary(m.end(), body) and not in_title(body, begin, m.end()):
                cuts.append(m.end())
                begin = m.end()
        cuts.append(len(body))
        start = 0
        for end in cuts:
            chunk = body[start:end]
            stripped = chunk.strip()
            if stripped and _ALNUM.search(stripped):
                s = base + start + len(chunk) - len(chunk.lstrip())
                out.append((s, s + len(stripped), stripped))
            start = end
    return out


_TRICKY = st.sampled_from(
    list("aAāĀšŠzZDž .,!?…\"”»’)(„“«'‘–-:;\n\r\t\u2028\x85\xa0 0123") + ["Nr", "u.c", "2018", "D"]
)


@settings(max_examples=1000, derandomize=True, deadline=None, database=None)
@given(st.lists(_TRICKY, max_size=60).map("".join) | st.text(max_size=60))
def test_the_linear_splitter_gives_the_sentences_of_the_old_one(text: str) -> None:
    assert [(s.start, s.end, s.text) for s in split_sentences(text)] == _reference_split(text)


def test_the_linear_splitter_gives_the_sentences_of_the_old_one_on_every_seed() -> None:
    for path in SEEDS:
        text = read_document(path).text
        assert [(s.start, s.end, s.text) for s in split_sentences(text)] == _reference_split(text), path.name


_LONG_LINES = {
    "prose": lambda n: ("Projektu finansē ICMPD. 2018. gada 5. martā notika sanāksme, ko vada D. Trofimovs. " * n)[:n],
    "full stops and spaces": lambda n: ". " * (n // 2),
    "abbreviations": lambda n: "Nr. " * (n // 4),
    "years": lambda n: "2018. gada " * (n // 11),
    "initials": lambda n: "D. " * (n // 3),
    "a run of full stops": lambda n: "." * n,
    "full stops and quotes": lambda n: '."' * (n // 2),
    "one long word": lambda n: "x" * n + ". Y",
    "closing brackets": lambda n: "." + ")" * n + " ",
}


@pytest.mark.parametrize("shape", list(_LONG_LINES), ids=lambda s: s.replace(" ", "-"))
def test_a_one_megabyte_line_splits_in_linear_time(shape: str) -> None:
    """Each took minutes or never ended when every full stop sliced the line (issue 14):
    1 MB of prose took 1.7 s, 4 MB 20 s, and a run of full stops without a space after it
    was tried again from each of its full stops. Now each is about a second or less."""
    import time

    text = _LONG_LINES[shape](1_000_000)
    started = time.perf_counter()
    got = split_sentences(text)
    seconds = time.perf_counter() - started
    assert seconds < 10, f"{seconds:.1f} s"
    for s in got[:50] + got[-50:]:
        assert text[s.start : s.end] == s.text
