import pytest

from outrider.intel.cleaning import MAX_BYTES, ReportError, clean_html, clean_text, decode, filter_lines

SCRAPED = """THE RIVER POST
Home | World | Sport | Business
Advertisement
Gunmen raid toll plaza near Sukkur
Attackers opened fire on a toll plaza on Monday, police said.
ALSO READ: Twelve hurt in Hyderabad grenade attack
Attackers opened fire on a toll plaza on Monday, police said.
1,204 shares
RELATED ARTICLES
- Rangers boost patrols on highway
2 COMMENTS
Sana | 3 hours ago
Terrible news.
"""


def test_filter_keeps_article_and_related_apart() -> None:
    kept, related = filter_lines(SCRAPED)
    assert "Gunmen raid toll plaza near Sukkur" in kept
    assert kept.count("Attackers opened fire on a toll plaza on Monday, police said.") == 1
    assert "Twelve hurt in Hyderabad grenade attack" in related
    assert "Rangers boost patrols on highway" in related
    assert not any("Terrible" in k or "shares" in k or "Advertisement" in k for k in kept)


def test_bad_inputs_have_one_clear_message() -> None:
    with pytest.raises(ReportError, match="empty"):
        decode(b"  \n")
    with pytest.raises(ReportError, match="binary"):
        decode(b"\x89PNG\x00\x00\x01")
    with pytest.raises(ReportError, match="too large"):
        decode(b"a" * (MAX_BYTES + 1))


def test_legacy_encoding_is_detected() -> None:
    text = "Explosion près du marché de Quetta, selon la police locale. " * 5
    assert "marché" in decode(text.encode("cp1252"))


def test_html_without_article() -> None:
    with pytest.raises(ReportError):
        clean_html("<html><body><nav>Home</nav></body></html>")


def test_clean_text_title() -> None:
    doc = clean_text("Rocket hits depot in Bannu\n\nA rocket struck a fuel depot.")
    assert doc.title == "Rocket hits depot in Bannu"


def test_a_long_table_row_is_no_menu_and_is_read_at_once() -> None:
    """A data row of short cells with a colon in its last ones (a codebook's example) is kept; the menu
    pattern tried every split of the spaces around its bars before (minutes for eighteen cells)."""
    cells = ["EV-0412", "2025-06-14", "AF", "Sheberghan", "road S of town", "36.58"] * 3
    row = " | ".join([*cells, "CN:1", "1"])
    kept, _ = filter_lines(f"Menu | News | Sport\nGunmen fired at a wind farm gate.\n{row}\n")
    assert row in kept
    assert "Menu | News | Sport" not in kept
