"""Tests for ctn_graph.text: sentence splitting and tokenising with character offsets."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ctn_graph.ingest import read_document
from ctn_graph.resources import data_path
from ctn_graph.text import split_sentences, tokenize

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
        assert not any(c in s.text for c in "\n\r\u2028")
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
