"""Many literal words as one character trie (`tries.trie_pattern`, used by `lexicon.alternation`, the
gazetteer and the actors' aliases): the same matches as the alternation of the words longest first."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from outrider.intel.lexicon import GAP, alternation
from outrider.intel.tries import trie_pattern

# few letters, so that words share prefixes and are prefixes of one another, and texts hold them often
WORDS = st.lists(st.text(alphabet="abc- ", min_size=1, max_size=5), min_size=1, max_size=12)
TEXT = st.text(alphabet="abc- .", max_size=40)


def _longest_first(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _spans(pattern: str, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(rf"(?:{pattern})(?![a-c])", text)]


@given(WORDS, TEXT)
def test_the_trie_matches_where_and_as_far_as_the_longest_first(words: list[str], text: str) -> None:
    assert _spans(trie_pattern(words), text) == _spans(_longest_first(words), text)


@given(WORDS, TEXT)
def test_the_trie_finds_the_same_word_from_every_position(words: list[str], text: str) -> None:
    trie, plain = re.compile(trie_pattern(words)), re.compile(_longest_first(words))
    for at in range(len(text) + 1):
        got, want = trie.match(text, at), plain.match(text, at)
        assert (got and got.group()) == (want and want.group())


def test_alternation_tries_a_phrase_with_a_gap_before_the_plain_words() -> None:
    pattern = re.compile(rf"\b(?:{alternation(['fired at', f'fired at{GAP}range', 'fired'])})\b", re.I)
    hit = pattern.search("a gunman fired at him at close range and fled")
    assert hit is not None and hit.group() == "fired at him at close range"
    hit = pattern.search("a gunman Fired At the post")
    assert hit is not None and hit.group() == "Fired At"
    assert pattern.search("the fireworks") is None


def test_alternation_matches_each_word_as_written_not_as_a_pattern() -> None:
    pattern = re.compile(alternation(["a.b", "c+"]))
    assert pattern.search("a.b") and pattern.search("c+")
    assert not pattern.search("axb") and not pattern.search("cc")
