"""Stage 1: decoding and clean-up of PDF-extracted text, with offsets back to the source."""
from collections import Counter

import pytest

from report_graph.errors import EncodingError
from report_graph.normalize import clean_lines, decode, header_symbols, join_lines, keeps_hyphen, vocabulary


def texts(lines):
    return [line.text for line in lines]


# --------------------------------------------------------------------------- decode

@pytest.mark.parametrize("data, message", [
    (b"", "empty"),
    (b"  \n\n\t ", "empty"),
    (b"CTOC/COP\n\x00\x01binary", "NUL byte"),
    ("1. Les États devraient".encode("latin-1"), "not UTF-8"),
])
def test_decode_refuses_what_is_not_a_text_report(data, message):
    with pytest.raises(EncodingError, match=message) as info:
        decode(data, "in.txt")
    assert str(info.value).startswith("in.txt")


def test_decode_names_the_line_of_a_bad_byte():
    data = "ligne un\nligne deux\nÉtats\n".encode("utf-8") + "Pérou\n".encode("latin-1")
    with pytest.raises(EncodingError) as info:
        decode(data, "r.txt")
    assert info.value.line == 4
    assert "r.txt:line 4" in str(info.value)


def test_decode_drops_a_byte_order_mark():
    assert decode("\ufeff1. Texte".encode("utf-8"), "x") == "1. Texte"


# --------------------------------------------------------------------------- page furniture

PAGE = """fin d’une page.

V.15-08682 5

 CTOC/COP/WG.7/2015/6

suite de la page
4 V.15-08682
*1508682*
12
texte
"""


def test_page_headers_footers_and_page_numbers_are_dropped():
    lines = clean_lines(PAGE, "CTOC/COP/WG.7/2015/6")
    assert [t for t in texts(lines) if t] == ["fin d’une page.", "suite de la page", "texte"]


def test_a_bare_number_far_from_page_furniture_is_kept():
    text = "un\ndeux\ntrois\nquatre\n42\ncinq\nsix\nsept\nhuit\n"
    assert "42" in texts(clean_lines(text, None))


def test_only_the_reports_own_symbol_is_a_running_header():
    text = "voir le document\nA/RES/71/313\nCTOC/COP/WG.7/2015/6\n"
    assert texts(clean_lines(text, "CTOC/COP/WG.7/2015/6")) == ["voir le document", "A/RES/71/313"]


def test_header_symbols_counts_symbols_alone_on_a_line():
    counts = header_symbols("CTOC/COP/WG.7/2015/6\ntexte (CTOC/COP/WG.7/2015/2)\n CTOC/COP/WG.7/2015/6 \n")
    assert counts == {"CTOC/COP/WG.7/2015/6": 2}


# --------------------------------------------------------------------------- characters

def test_typography_is_made_canonical():
    text = "l'article\u00a015, \"le texte\", l\u2018Office, ﬁn, par\u00adtie, non\u2011refoulement"
    (line,) = clean_lines(text, None)
    assert line.text == "l’article 15, “le texte”, l’Office, fin, partie, non-refoulement"


def test_leading_and_repeated_spaces_are_folded():
    (line,) = clean_lines("   Les   États \t devraient  ", None)
    assert line.text == "Les États devraient"


def test_every_clean_character_maps_back_to_its_source_character():
    source = "  Les États\u00a0d'origine \n  devraient   agir."
    for line in clean_lines(source, None):
        for i, c in enumerate(line.text):
            src = source[line.offsets[i]]
            assert src == c or (c, src) in {(" ", "\u00a0"), ("’", "'")}


# --------------------------------------------------------------------------- joining

def lines_of(text):
    return [line for line in clean_lines(text, None) if line.text]


def test_wrapped_lines_join_with_one_space():
    lines = lines_of("Les États \ndevraient\n  envisager.")
    assert join_lines(lines, Counter())[0] == "Les États devraient envisager."


def test_symbol_broken_after_a_slash_is_joined_without_space():
    lines = lines_of("le document CTOC/COP/WG.7/2015/ \nINF/1/Rev.1.")
    assert join_lines(lines, Counter())[0] == "le document CTOC/COP/WG.7/2015/INF/1/Rev.1."


def test_join_keeps_source_offsets():
    source = "Les États\ndevraient agir."
    text, offsets = join_lines(lines_of(source), Counter())
    assert text == "Les États devraient agir."
    assert source[offsets[text.index("devraient")]] == "d"
    assert source[offsets[text.index(" devraient")]] == "\n"


@pytest.mark.parametrize("left, right, vocab, kept", [
    ("infor", "mation", {"information"}, False),       # the text writes the word joined
    ("sous", "région", {"sous-region"}, True),         # the text writes the compound
    ("non", "refoulement", set(), True),               # a prefix that keeps its hyphen
    ("États", "Unis", set(), True),                     # capital after the hyphen
    ("pangouverne", "mentale", set(), False),          # a typesetting break
    ("capacity", "building", set(), True),             # English compound prefix
    # E/2025/27 read from its PDF: the text layer joins 3 of the 17 «sixty-ninth» it broke
    ("sixty", "ninth", {"sixtyninth": 3, "sixty-ninth": 14}, True),
    ("coopé", "ration", {"cooperation": 5, "coo-peration": 1}, False),  # the more often written
])
def test_keeps_hyphen(left, right, vocab, kept):
    assert keeps_hyphen(left, right, Counter(vocab)) is kept


def test_hyphenated_line_end_is_repaired_from_the_documents_own_words():
    lines = lines_of("la coopé-\nration et la coopération\nle non-\nrefoulement")
    vocab = vocabulary(lines)
    text = join_lines(lines, vocab)[0]
    assert text == "la coopération et la coopération le non-refoulement"
