import unicodedata

import pytest

from marketplace.search.analysis import edits1, query_tokens, tokens


def test_tokens_fold_marks_case_nfd_and_d_stroke():
    nfd = unicodedata.normalize("NFD", "Đường Thốt Nốt")
    assert tokens(nfd) == ["duong", "thot", "not"]
    assert tokens("ĐẶC SẢN Phú-Quốc") == ["dac", "san", "phu", "quoc"]


def test_filler_words_are_dropped_unless_nothing_else_is_left():
    assert query_tokens("đặc sản Phú Quốc") == ["phu", "quoc"]
    assert query_tokens("mua nước mắm") == ["nuoc", "mam"]
    assert query_tokens("đặc sản") == ["dac", "san"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        (None, []),
        ("   ", []),
        ("!!! ??? ...", []),
        ('"*:(-~', []),
        ('nuoc" mam* ti:eu (-~', ["nuoc", "mam", "ti", "eu"]),
        ("mắm\x00\x07\x1b[31m thái", ["mam", "31m", "thai"]),
        ("' OR 1=1; DROP TABLE x; --", ["or", "1", "1", "drop", "table", "x"]),
    ],
)
def test_bad_input_is_sanitised_not_rejected(text, expected):
    assert query_tokens(text) == expected


def test_a_huge_query_is_cut_to_a_few_words():
    assert len(query_tokens("nước mắm " * 5000)) == 8


def test_edits1_covers_the_four_kinds_of_typo():
    neighbours = edits1("tram")
    assert {"tam", "trma", "trao", "tramm"} <= neighbours
    assert "tram" not in neighbours
