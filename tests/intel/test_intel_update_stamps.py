"""A live page's updates: the latest by its stamp tells the figure, wherever the page puts it."""

from __future__ import annotations

from dataclasses import dataclass

from outrider.intel.pipeline import TextInput, extract_documents
from outrider.intel.update_stamps import newest_first, ordered_stamps

OLDEST_FIRST = (
    "LIVE: Blast at a police post in Bannu\n\n"
    "Published: 14 March 2031\n\n"
    "09:10\nA bomb went off at a police post in Bannu, killing two policemen, officials said.\n\n"
    "11:45\nThe bomb attack at the post in Bannu killed four policemen, hospital officials said.\n\n"
    "15:30\nThe attack on the Bannu police post killed six policemen, the district police chief said.\n"
)


def _killed(text: str) -> list[int | None]:
    return [i["killed"] for res in extract_documents([TextInput("t", text)]) for i in res.incidents]


def test_a_page_telling_its_updates_oldest_first_gives_the_latest_updates_toll() -> None:
    assert _killed(OLDEST_FIRST) == [6]


def test_a_page_telling_its_newest_update_on_top_is_read_in_its_order() -> None:
    heads = ["09:10", "11:45", "15:30"]
    blocks = OLDEST_FIRST.split("\n\n")[2:]
    newest_on_top = "\n\n".join(OLDEST_FIRST.split("\n\n")[:2] + blocks[::-1])
    assert all(h in newest_on_top for h in heads)
    assert [v for _, v in ordered_stamps(newest_on_top.splitlines())] == [930, 705, 550]
    assert _killed(newest_on_top) == [6]


def test_a_revised_toll_told_in_an_older_update_does_not_supersede_the_latest_updates_figure() -> None:
    page = OLDEST_FIRST.replace(
        "The bomb attack at the post in Bannu killed four policemen", "The toll rose to four"
    )
    blocks = page.split("\n\n")
    newest_on_top = "\n\n".join(blocks[:2] + blocks[2:][::-1])
    assert _killed(newest_on_top) == [6]
    assert _killed(page) == [6]
    unstamped = "\n\n".join(b.split("\n", 1)[-1] for b in blocks[:2] + blocks[2:][::-1])
    assert _killed(unstamped) == [4]  # no stamps: a toll said to be revised supersedes the figures


@dataclass(frozen=True)
class _At:
    start: int
    text: str = ""


def test_stamps_order_numbered_and_timed_updates_but_not_a_mixed_or_unordered_page() -> None:
    assert [v for _, v in ordered_stamps(["UPDATE 1", "x", "UPDATE 2", "UPDATE 3"])] == [1, 2, 3]
    assert [v for _, v in ordered_stamps(["9:05 pm", "10:20 pm", "11:48 pm"])] == [1265, 1340, 1428]
    assert [v for _, v in ordered_stamps(["0530 hrs — left", "0915 hrs — Komila", "1040 hrs — news"])] == [
        330,
        555,
        640,
    ]
    assert [v for _, v in ordered_stamps(["UPDATE 3", "UPDATE 2", "UPDATE 1"])] == [3, 2, 1]
    assert ordered_stamps(["UPDATE 1", "10:20", "11:48"]) == []
    assert ordered_stamps(["1900 hrs — a", "0700 hrs — b", "1100 hrs — c"]) == []
    stamps = ordered_stamps(["lead", "09:10", "a", "11:45", "b"])
    assert stamps == []  # two stamps: too few to tell the page's order
    stamps = [(5, 1), (10, 2), (20, 3)]
    got = newest_first([_At(0), _At(7), _At(12), _At(25), _At(26)], stamps)
    assert got == [_At(0), _At(25), _At(26), _At(12), _At(7)]


def test_the_latest_updates_figures_told_in_sentences_naming_no_attack_are_its_toll() -> None:
    page = (
        "LIVE: Blast at a police post in Bannu\n\nPublished: 14 March 2031\n\n"
        "18:40\nThe death toll has risen to nine, a district police official told reporters. "
        "Twelve people are being treated for injuries at the hospital in Kohat.\n\n"
        "14:20\nThe attack on the post in Bannu killed six policemen and the number of injured rose to eight."
        "\n\n"
        "10:10\nA bomb went off at a police post in Bannu, killing four policemen.\n"
    )
    got = [
        (i["killed"], i["wounded"])
        for res in extract_documents([TextInput("t", page)])
        for i in res.incidents
    ]
    assert got == [(9, 12)]
