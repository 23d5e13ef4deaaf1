"""lexicon.BoundedRegex: the same matches as the look-behind it replaces, on the project's own
patterns (theme triggers, names) and on generated text."""
from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings, strategies as st

from report_graph.extract.themes import NOT_AFTER, _theme_regexes
from report_graph.lexicon import BoundedRegex, NameIndex, actor_index, fold, organization_index, state_index


def with_lookbehind(bounded: BoundedRegex) -> re.Pattern:
    return re.compile(rf"(?<!{bounded.before.pattern})(?:{bounded.pattern})")


def spans(matches) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in matches]


WORDS = ["mer", "amer", "trafic", "de", "migrants", "traite", "des", "personnes", "xtrafic", "-", "mer-", "l'",
         "enfants", "non", "accompagnes", "france", "republique", "coree"]
texts = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from([" ", "  ", "", "-", "\n", ", "])),
                 max_size=14).map(lambda parts: "".join(w + sep for w, sep in parts))


@settings(max_examples=300, deadline=None)
@given(text=texts, start=st.integers(0, 20), length=st.integers(0, 80))
@example(text="xtrafic de migrants", start=0, length=80)
@example(text="amer mer- trafic de migrants", start=2, length=12)
def test_the_same_matches_as_the_lookbehind(text, start, length):
    start = min(start, len(text))
    stop = min(len(text), start + length)
    patterns = [BoundedRegex(r"mer|trafic\s+de\s+migrants|traite\s+des\s+personnes", r"[\w-]"),
                BoundedRegex(r"(?:enfants?\s+non\s+accompagn\w*|mer)(?!\w)", r"\w"),
                BoundedRegex(r"de(?:s)?", r"[\w/.\-]"),
                # a match inside a dropped one ("xtrafic de migrants"): the search goes on inside it
                BoundedRegex(r"trafic\s+de\s+migrants|de\s+migrants|migrants", r"[\w-]")]
    for bounded in patterns:
        assert spans(bounded.finditer(text, start, stop)) == \
            spans(with_lookbehind(bounded).finditer(text, start, stop)), bounded.pattern


@pytest.mark.parametrize("language", ["fr", "en"])
def test_theme_triggers_match_as_with_the_lookbehind(seed_result, language):
    folded = [fold(p.text) for p in seed_result.extractions[0].document.paragraphs] + \
        ["xtrafic de migrants, trafic de migrants par mer", "sub-smuggling of migrants by sea"]
    found = 0
    for _, bounded in _theme_regexes(language):
        assert NOT_AFTER == f"(?<!{bounded.before.pattern})"
        plain = with_lookbehind(bounded)
        for text in folded:
            ours = spans(bounded.finditer(text))
            assert ours == spans(plain.finditer(text))
            found += len(ours)
    assert found > 10


def longest_first(index: NameIndex) -> re.Pattern:
    """The names of an index as they were searched before tries: one alternation, longest name
    first, with the look-behind in the regex."""
    names = sorted(index._table, key=lambda n: (-len(n), n))
    return re.compile(r"(?<!\w)(?:" + "|".join(r"\s+".join(map(re.escape, n.split(" "))) for n in names)
                      + r")(?!\w)")


INDEXES = {"states": state_index, "organizations": organization_index, "actors": actor_index}


@pytest.mark.parametrize("name", INDEXES)
def test_names_match_as_the_longest_first_alternation(seed_result, name):
    index = INDEXES[name]()
    before = longest_first(index)
    names = sorted(index._table)
    # the seed, and every name glued to its neighbours, cut short, in a longer word, spaced out
    texts = [fold(p.text) for p in seed_result.extractions[0].document.paragraphs]
    texts += [" ".join(names[i:i + 7]) for i in range(0, len(names), 7)]
    texts += ["x" + n + " " + n[: len(n) // 2] + " " + n.replace(" ", "  ") + "s " + n for n in names]
    found = 0
    for text in texts:
        ours = spans(index._regex.finditer(text))
        assert ours == spans(before.finditer(text)), text[:80]
        found += len(ours)
    assert found > len(names)
