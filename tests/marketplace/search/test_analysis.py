import unicodedata

import pytest

from marketplace.search import keyboard, segment, synonyms
from marketplace.search.analysis import edits1, plan_query, query_tokens, tokens
from marketplace.text import fold


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


# --- Keyboard without an input method, joined words, synonyms, shop words (issue 17) -------


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("nuowcs", "nuoc"),
        ("mawms", "mam"),
        ("dduowngf", "duong"),
        ("thoots", "thot"),
        ("quoocs", "quoc"),
        ("ruwowuj", "ruou"),
        ("ma8m1", "mam"),  # VNI
        ("d9u7o7ng2", "duong"),
        ("kho63", "kho"),
    ],
)
def test_telex_and_vni_sequences_decode_to_the_folded_word(typed, folded):
    assert keyboard.decode(typed) == folded


@pytest.mark.parametrize("typed", ["nuoc", "tieu", "xoai", "banh", "1kg", "500", "40", "mắm"])
def test_plain_words_and_quantities_are_not_decoded(typed):
    assert keyboard.decode(typed) is None


def test_joined_words_split_into_the_fewest_most_frequent_pieces():
    frequency = {"tieu": 5, "phu": 30, "quoc": 25, "ph": 1, "uq": 1, "banh": 9, "trang": 4}
    assert segment.split("tieuphuquoc", frequency) == ["tieu", "phu", "quoc"]
    assert segment.split("banhtrang", frequency) == ["banh", "trang"]
    # Two splits of two pieces: the more frequent wins.
    assert segment.split("abcd", {"ab": 1, "cd": 1, "abc": 9, "d": 9, "a": 1}) == ["ab", "cd"]
    assert segment.split("xyzw", frequency) is None
    assert segment.split("banh", frequency) is None  # one piece is not a split


def test_synonym_files_fold_and_expand_both_ways_for_groups_one_way_for_arrows():
    rules = synonyms.alternatives()
    assert {"thom", "dua"} <= set(rules["khom"]) and "khom" in rules["dua"]
    assert rules["fish sauce"] == ("nuoc mam",)
    assert "nuoc mam" not in rules  # "fish sauce => nước mắm" is one-way
    assert "fish sauce => nuoc mam" in synonyms.engine_rules()
    assert all("#" not in r and r == r.lower() for r in synonyms.engine_rules())


class _Vocabulary:
    """A tiny stand-in for SearchVocabulary: the folded words of a few product names."""

    def __init__(self, *names):
        self.words = {}
        for name in names:
            for word in name.split():
                self.words[fold(word)] = word.lower()

    def known(self, words):
        return {w: (self.words[w], 1) for w in words if w in self.words}

    def has_prefix(self, start):
        return any(w.startswith(start) for w in self.words)

    def look_up(self, words, starts):
        return self.known(words), {s for s in starts if self.has_prefix(s)}


VOCABULARY = _Vocabulary(
    "Nước mắm Phú Quốc", "Mắm thái Châu Đốc", "Tiêu sọ", "Mứt khóm", "Gạo thơm", "Tour"
)


def test_a_telex_query_is_decoded_and_suggested_with_marks():
    plan = plan_query("nuowcs mawms", VOCABULARY)
    assert [t.word for t in plan.terms] == ["nuoc", "mam"]
    assert plan.suggestion == "nước mắm"


def test_a_word_that_is_known_as_typed_is_not_decoded():
    plan = plan_query("tour", VOCABULARY)
    assert [t.word for t in plan.terms] == ["tour"] and plan.suggestion is None


def test_hashtags_emoji_and_joined_words_become_catalogue_words():
    plan = plan_query("#nuocmam 🌴🔥 tieuso", VOCABULARY)
    assert [t.word for t in plan.terms] == ["nuoc", "mam", "tieu", "so"]


def test_shop_words_are_left_out_of_matching_but_reported():
    plan = plan_query("hũ mắm thái 1kg loại 1 ngon giá rẻ", VOCABULARY)
    assert [t.word for t in plan.terms] == ["mam", "thai"]
    assert plan.ignored == ["hũ", "1kg", "loại", "1", "ngon", "giá", "rẻ"]
    only = plan_query("chai 500 ml ngon", VOCABULARY)
    assert only.empty and only.ignored


def test_synonyms_and_english_become_one_term_with_alternatives():
    plan = plan_query("mứt thơm", VOCABULARY)
    assert [(t.word, t.exact) for t in plan.terms] == [("mut", True), ("thom", True)]
    assert "khom" in plan.terms[1].synonyms
    english = plan_query("Phu Quoc fish sauce", VOCABULARY)
    assert [t.word for t in english.terms][-1] == "fish sauce"
    assert english.terms[-1].synonyms == ["nuoc mam"]


def test_places_and_old_districts_are_recognised():
    plan = plan_query("quà huyện Châu Phú", VOCABULARY)
    (term,) = plan.terms
    assert term.place and term.word == "chau phu"
    assert {"binh my", "my duc", "thanh my tay", "vinh thanh trung"} <= set(term.wards)
    gift = plan_query("quà Phú Quốc", VOCABULARY)
    assert [t.word for t in gift.terms] == ["phu quoc"] and gift.terms[0].place


def test_filler_is_never_split_into_catalogue_words():
    # "huyện" is in no product, but "hũ" and "yến" are: the split made "yến" a required word.
    vocabulary = _Vocabulary("Yến sào", "Hũ mắm Thoại Sơn")
    plan = plan_query("quà huyện Thoại Sơn", vocabulary)
    assert [t.word for t in plan.terms] == ["thoai son"] and plan.terms[0].place


def test_a_word_nothing_resembles_is_reported_not_silently_dropped():
    plan = plan_query("mắm pía", VOCABULARY)
    assert [t.word for t in plan.terms] == ["mam"] and plan.unmatched == ["pía"]


def test_key_sequences_the_decoder_trips_on_are_left_as_typed():
    assert keyboard.decode("4kre7twzf8qqtafc33wo") is None  # bogo raises KeyError on it
