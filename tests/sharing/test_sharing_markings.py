"""TLP 2.0 markings: the order, parse and format, and the OASIS marking definitions carried as data."""

from __future__ import annotations

import json
from importlib.resources import files

import pytest
import stix2

from outrider.errors import InvalidInput
from outrider.sharing import markings
from outrider.sharing.markings import Tlp

# The OASIS TLP 2.0 marking definitions (cti-stix-common-objects, extension-definition-specifications/
# tlp-2.0: the schema's enums of id, name and tlp_2_0, and the created of its published examples).
PUBLISHED = {
    "TLP:CLEAR": ("marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", "clear"),
    "TLP:GREEN": ("marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", "green"),
    "TLP:AMBER": ("marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", "amber"),
    "TLP:AMBER+STRICT": ("marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", "amber+strict"),
    "TLP:RED": ("marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", "red"),
}


def test_the_order_is_tlp_2_0s() -> None:
    assert [t.label for t in sorted(Tlp)] == list(PUBLISHED)
    assert Tlp.clear < Tlp.green < Tlp.amber < Tlp.amber_strict < Tlp.red
    assert markings.DEFAULT is Tlp.amber


@pytest.mark.parametrize("text", ["TLP:AMBER+STRICT", "amber+strict", "tlp:amber_strict", " AMBER+STRICT "])
def test_parse_takes_the_label_in_any_spelling(text: str) -> None:
    assert markings.parse(text) is Tlp.amber_strict


@pytest.mark.parametrize("text", ["", "WHITE", "TLP:WHITE", "AMBER+", "TLP:RED;", "secret"])
def test_parse_refuses_what_tlp_2_0_does_not_name(text: str) -> None:
    with pytest.raises(InvalidInput):
        markings.parse(text)


def test_may_release_up_to_the_ceiling_only() -> None:
    for marking in Tlp:
        for ceiling in Tlp:
            assert markings.may_release(marking, ceiling) is (marking.value <= ceiling.value)


def test_the_carried_definitions_are_the_published_ones_field_by_field() -> None:
    carried = json.loads(files("outrider.sharing").joinpath("data/tlp2.json").read_text("utf-8"))
    assert len(carried) == 5
    for obj, (label, (ident, level)) in zip(carried, PUBLISHED.items(), strict=True):
        assert obj == {
            "type": "marking-definition",
            "spec_version": "2.1",
            "id": ident,
            "created": "2022-10-01T00:00:00.000Z",
            "name": label,
            "extensions": {
                "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d": {
                    "extension_type": "property-extension",
                    "tlp_2_0": level,
                }
            },
        }
        tlp = markings.parse(label)
        assert markings.definition(tlp) == obj and markings.definition_id(tlp) == ident
        assert tlp.stix_level == level
        parsed = stix2.parse(obj, allow_custom=True)
        assert parsed.id == ident and parsed.name == label
