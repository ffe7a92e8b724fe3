"""The registry pages, on SQLite and PostgreSQL: forms that keep their input and show every error beside its
field (in the caller's language), changes through the registry's services (audited, refused with nothing
written), deletion refused while a record is in use, imports all or nothing, search and read scopes.
"""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from test_web_registry_access import acme_site, headers, site_form

from outrider import db
from outrider.audit.models import AuditRecord
from outrider.registry.models import EscortUnit, ProtectedPerson, Site, Vehicle


def _count(model: Any, **where: Any) -> int:
    with db.transaction() as session:
        stmt = select(func.count()).select_from(model)
        for key, value in where.items():
            stmt = stmt.where(getattr(model, key) == value)
        return int(session.scalar(stmt) or 0)


def _post(client: TestClient, world: Any, who: str, path: str, data: dict[str, Any], **kw: Any) -> Any:
    lang = kw.pop("lang", None)
    return client.post(
        path, data=data, headers=headers(world, who, change=True, lang=lang), follow_redirects=False, **kw
    )


def _get(client: TestClient, world: Any, who: str, path: str, lang: str | None = None) -> Any:
    return client.get(path, headers=headers(world, who, lang=lang), follow_redirects=False)


def _field_error(html: str, field: str) -> str:
    """The error shown beside a field (empty when none)."""
    found = re.search(rf'id="field-{field}-error">(.*?)</span>', html, re.S)
    return found.group(1).strip() if found else ""


def _value(html: str, field: str) -> str:
    found = re.search(rf'id="field-{field}" name="[^"]+"[^>]*value="([^"]*)"', html)
    return found.group(1) if found else ""


# --- sites -----------------------------------------------------------------------------------------------


def test_a_coordinator_creates_edits_and_deletes_a_site_with_its_cordons(
    client: TestClient, world: Any
) -> None:
    resp = _post(client, world, "coord", "/registry/sites/new", site_form("Tarbela Camp"))
    assert resp.status_code == 303, resp.text
    location = resp.headers["location"]
    assert re.fullmatch(r"/registry/sites/\d+\?done=created", location)
    site_id = int(location.split("/")[-1].split("?")[0])
    with db.transaction() as session:
        site = session.get_one(Site, site_id)
        assert (site.inner_radius_m, site.outer_radius_m, site.organization_id) == (
            200,
            800,
            world["coord"].organization_id,
        )
    page = _get(client, world, "coord", location)
    assert page.status_code == 200
    assert "Saved: the record was added." in page.text
    assert 'id="map"' in page.text and "/static/registry/site.js" in page.text
    config = json.loads(re.search(r'id="map-config">(.*?)</script>', page.text, re.S).group(1))  # type: ignore[union-attr]
    assert config["editable"] is True

    changed = site_form("Tarbela Camp", inner_radius_m="300", outer_radius_m="1500", lat="34.09")
    resp = _post(client, world, "acme_admin", f"/registry/sites/{site_id}", changed)
    assert resp.status_code == 303 and resp.headers["location"].endswith("done=changed")
    with db.transaction() as session:
        site = session.get_one(Site, site_id)
        assert (site.lat, site.inner_radius_m, site.outer_radius_m) == (34.09, 300, 1500)
        actions = list(
            session.scalars(
                select(AuditRecord.action)
                .where(AuditRecord.object_type == "site", AuditRecord.object_id == str(site_id))
                .order_by(AuditRecord.seq)
            )
        )
    assert actions == ["registry.site.created", "registry.site.changed"]

    confirm = _get(client, world, "coord", f"/registry/sites/{site_id}/delete")
    assert confirm.status_code == 200 and 'id="confirm-delete"' in confirm.text
    resp = _post(client, world, "coord", f"/registry/sites/{site_id}/delete", {})
    assert resp.status_code == 303 and resp.headers["location"] == "/registry/sites?done=deleted"
    assert _count(Site, id=site_id) == 0


def test_a_bad_form_keeps_its_input_and_shows_every_error_beside_its_field(
    client: TestClient, world: Any
) -> None:
    acme_site(client, world, name="Taken Name")
    form = site_form("Taken Name", lat="95", lon="east", timezone="Mars/Olympus", outer_radius_m="abc")
    form["kind"] = ""
    resp = _post(client, world, "coord", "/registry/sites/new", form)
    assert resp.status_code == 422
    html = resp.text
    assert _field_error(html, "name") == "Another site has this name."
    assert _field_error(html, "kind") == "Required."
    assert _field_error(html, "lat") == "At most 90."
    assert _field_error(html, "lon") == "Give a number."
    assert _field_error(html, "timezone") == "Unknown time zone: give a name such as Asia/Karachi."
    assert _field_error(html, "outer-radius-m") == "Give a number."
    assert _field_error(html, "inner-radius-m") == ""
    # what was typed is still there
    assert (_value(html, "name"), _value(html, "lon"), _value(html, "timezone")) == (
        "Taken Name",
        "east",
        "Mars/Olympus",
    )
    assert 'aria-invalid="true"' in html
    assert _count(Site, name="Taken Name") == 1


def test_errors_across_fields_land_beside_the_field_they_concern(client: TestClient, world: Any) -> None:
    resp = _post(
        client,
        world,
        "coord",
        "/registry/sites/new",
        site_form("Rings", inner_radius_m="900", outer_radius_m="500"),
    )
    assert resp.status_code == 422
    assert _field_error(resp.text, "outer-radius-m") == "The outer cordon must be larger than the inner one."
    assert _count(Site, name="Rings") == 0
    # with another field wrong too, the cordons' rule is still checked: every error at once
    form = site_form("", inner_radius_m="900", outer_radius_m="500")
    resp = _post(client, world, "coord", "/registry/sites/new", form)
    assert _field_error(resp.text, "name") == "Required."
    assert _field_error(resp.text, "outer-radius-m") == "The outer cordon must be larger than the inner one."
    form = site_form("", inner_radius_m="0")
    resp = _post(client, world, "coord", "/registry/sites/new", form)
    assert _field_error(resp.text, "inner-radius-m") == "A radius is more than 0 and at most 100000 metres."


def test_errors_are_in_the_callers_language(client: TestClient, world: Any) -> None:
    form = site_form("", lat="95")
    resp = _post(client, world, "coord", "/registry/sites/new", form, lang="ur")
    assert resp.status_code == 422
    assert 'dir="rtl"' in resp.text
    assert _field_error(resp.text, "name") == "لازمی ہے۔"
    assert _field_error(resp.text, "lat") == "زیادہ سے زیادہ 90۔"
    resp = _post(client, world, "coord", "/registry/sites/new", form, lang="zh-Hans")
    assert _field_error(resp.text, "name") == "必填。"
    assert "表单有错误" in resp.text


def test_who_may_not_change_a_record_sees_no_controls_and_a_direct_post_writes_nothing(
    client: TestClient, world: Any
) -> None:
    site_id = acme_site(client, world, inner_radius_m=100)
    page = _get(client, world, "duty", f"/registry/sites/{site_id}")  # host security reads every site
    assert page.status_code == 200
    assert 'id="read-only"' in page.text
    assert 'id="record-save"' not in page.text and 'id="record-delete"' not in page.text
    assert 'id="field-name" name="name"' in page.text and "disabled" in page.text
    for who in ("admin", "duty", "other_coord", "liaison"):
        resp = _post(client, world, who, f"/registry/sites/{site_id}", site_form("Hijacked"))
        assert resp.status_code in (403, 404), (who, resp.status_code)
        resp = _post(client, world, who, f"/registry/sites/{site_id}/delete", {})
        assert resp.status_code in (403, 404), (who, resp.status_code)
    with db.transaction() as session:
        site = session.get_one(Site, site_id)
        assert site.name.startswith("Acme site") and site.inner_radius_m == 100
    listing = _get(client, world, "duty", "/registry/sites")
    assert 'id="registry-new"' not in listing.text  # duty officers register no sites
    assert _get(client, world, "duty", "/registry/sites/new").status_code == 403
    # the other company does not learn that the site exists
    assert _get(client, world, "other_coord", f"/registry/sites/{site_id}").status_code == 404


def test_a_site_that_is_an_escort_units_base_is_kept_with_the_reason(client: TestClient, world: Any) -> None:
    base = client.post(
        "/api/v1/sites",
        json={"name": "Host Base", "kind": "camp", "lat": 34.0, "lon": 72.9},
        headers=world["admin"].headers,
    ).json()["id"]
    unit = client.post(
        "/api/v1/escort-units",
        json={"call_sign": "Falcon-1", "strength": 8, "base_site_id": base},
        headers=world["duty"].headers,
    )
    assert unit.status_code == 201, unit.text
    resp = _post(client, world, "admin", f"/registry/sites/{base}/delete", {})
    assert resp.status_code == 409
    assert "This site is the base of 1 escort unit(s): give them another base first." in resp.text
    assert _count(Site, id=base) == 1


def test_a_person_on_a_movement_is_kept_with_the_reason(client: TestClient, world: Any) -> None:
    from test_web_access import make_scene

    scene = make_scene(client, world)
    movement = client.get(f"/api/v1/movements/{scene.movement}", headers=world["coord"].headers).json()
    person_id = movement["person_ids"][0]
    resp = _post(client, world, "coord", f"/registry/persons/{person_id}/delete", {}, lang="ur")
    assert resp.status_code == 409
    assert "اسے حذف نہیں کیا جا سکتا۔" in resp.text
    assert _count(ProtectedPerson, id=person_id) == 1


# --- persons, vehicles, units ---------------------------------------------------------------------------


def test_persons_are_read_as_the_api_reads_them(client: TestClient, world: Any) -> None:
    for name, nationality in (("Li Wei", "CN"), ("Ayla Demir", "TR")):
        resp = _post(
            client, world, "coord", "/registry/persons/new", {"name": name, "nationality": nationality}
        )
        assert resp.status_code == 303, resp.text
    listed = {
        who: _get(client, world, who, "/registry/persons").text
        for who in ("coord", "liaison", "other_coord", "duty", "analyst")
    }
    assert "Li Wei" in listed["coord"] and "Ayla Demir" in listed["coord"]
    assert "Li Wei" in listed["liaison"] and "Ayla Demir" not in listed["liaison"]  # CN embassy: CN nationals
    for who in ("other_coord", "duty", "analyst"):  # no escort of Acme's movements yet
        assert "Li Wei" not in listed[who] and "Ayla Demir" not in listed[who], who
    bad = _post(client, world, "coord", "/registry/persons/new", {"name": "X", "nationality": "China"})
    assert bad.status_code == 422
    assert _field_error(bad.text, "nationality") == "Give a two-letter country code, e.g. PK."
    assert _value(bad.text, "nationality") == "China"


def test_vehicles_and_units_through_their_forms(client: TestClient, world: Any) -> None:
    resp = _post(
        client,
        world,
        "duty",
        "/registry/vehicles/new",
        {"plate": "lea 1234", "kind": "armoured", "seats": "4"},
    )
    assert resp.status_code == 303, resp.text
    with db.transaction() as session:
        vehicle = session.scalars(select(Vehicle)).one()
        vehicle_id = vehicle.id
        assert vehicle.plate == "LEA 1234"
    again = _post(
        client,
        world,
        "duty",
        "/registry/vehicles/new",
        {"plate": "LEA  1234", "kind": "armoured", "seats": "0"},
    )
    assert again.status_code == 422
    assert _field_error(again.text, "plate") == "Another vehicle has this plate."
    assert _field_error(again.text, "seats") == "At least 1."
    # escort units: host security only; their vehicles are their organisation's
    assert _get(client, world, "coord", "/registry/escort-units/new").status_code == 403
    form = _get(client, world, "duty", "/registry/escort-units/new").text
    assert f'name="vehicle_ids" value="{vehicle_id}"' in form
    resp = _post(
        client,
        world,
        "duty",
        "/registry/escort-units/new",
        {"call_sign": "Hawk-2", "strength": "6", "vehicle_ids": [str(vehicle_id)]},
    )
    assert resp.status_code == 303, resp.text
    with db.transaction() as session:
        unit = session.scalars(select(EscortUnit)).one()
        assert [v.id for v in unit.vehicles] == [vehicle_id]
    listing = _get(client, world, "admin", "/registry/escort-units")
    assert "Hawk-2" in listing.text and "LEA 1234" in listing.text
    # its members, who read the itineraries the unit escorts, are listed on its page
    page = _get(client, world, "admin", f"/registry/escort-units/{unit.id}")
    assert "No members yet." in page.text
    added = client.post(
        f"/api/v1/escort-units/{unit.id}/members",
        json={"user_id": world["duty"].user_id},
        headers=world["admin"].headers,
    )
    assert added.status_code == 201, added.text
    page = _get(client, world, "analyst", f"/registry/escort-units/{unit.id}", lang="zh-Hans")
    members = re.search(r'id="unit-members">(.*?)</section>', page.text, re.S)
    assert members is not None and '<td class="mono">duty</td>' in members.group(1)
    assert "成员" in members.group(1) and 'id="member-add"' not in members.group(1)  # a reader: no form


def test_search_finds_by_name_and_says_how_many(client: TestClient, world: Any) -> None:
    for name in ("Dasu Dam", "Dasu Camp", "Karachi Office"):
        acme_site(client, world, name=name)
    page = _get(client, world, "coord", "/registry/sites?q=dasu")
    assert page.status_code == 200
    assert "Dasu Dam" in page.text and "Dasu Camp" in page.text and "Karachi Office" not in page.text
    assert "2 records you may see." in page.text
    assert "No records found." in _get(client, world, "coord", "/registry/sites?q=nowhere").text
    assert _get(client, world, "coord", "/registry/nothing").status_code == 404


# --- imports ---------------------------------------------------------------------------------------------

HEADER = "name,kind,lat,lon,inner_radius_m,outer_radius_m\n"
BAD_CSV = HEADER + "Good Camp,camp,34.0,72.9,100,400\nBad Camp,castle,99,72.9,,\n"
GOOD_CSV = HEADER + "Good Camp,camp,34.0,72.9,100,400\nSecond Camp,camp,34.1,73.0,,\n"


def test_a_csv_with_a_bad_row_imports_nothing_and_lists_every_error(client: TestClient, world: Any) -> None:
    files = {"file": ("sites.csv", BAD_CSV.encode(), "text/csv")}
    resp = client.post(
        "/registry/sites/import",
        files=files,
        headers=headers(world, "coord", change=True),
        follow_redirects=False,
    )
    assert resp.status_code == 422
    rows = re.findall(r"<tr><td>(\d+)</td><td dir=\"ltr\">(\w+)</td><td>(.*?)</td></tr>", resp.text)
    assert ("3", "kind", "Choose one of the options.") in rows
    assert ("3", "lat", "At most 90.") in rows
    assert "Nothing was imported." in resp.text
    assert "Bad Camp,castle,99" in resp.text  # the file's content is kept to be corrected
    assert _count(Site) == 0
    # corrected and pasted back: every row is imported
    resp = _post(client, world, "coord", "/registry/sites/import", {"content": GOOD_CSV, "format": "csv"})
    assert resp.status_code == 303 and resp.headers["location"] == "/registry/sites?done=imported&count=2"
    assert _count(Site) == 2
    assert "Imported 2 records." in _get(client, world, "coord", resp.headers["location"]).text
    # the same rows again: already there, still nothing written, in Urdu
    resp = _post(
        client, world, "coord", "/registry/sites/import", {"content": GOOD_CSV, "format": "csv"}, lang="ur"
    )
    assert resp.status_code == 422 and "کچھ درآمد نہیں ہوا۔" in resp.text
    assert "&#39;Good Camp&#39; پہلے سے موجود ہے۔" in resp.text
    assert _count(Site) == 2


def test_sites_import_from_geojson_and_a_unit_names_its_base(client: TestClient, world: Any) -> None:
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [72.9, 34.0]},
                "properties": {
                    "name": "Geo Camp",
                    "kind": "camp",
                    "inner_radius_m": 150,
                    "outer_radius_m": 600,
                },
            }
        ],
    }
    files = {"file": ("sites.geojson", json.dumps(collection).encode(), "application/geo+json")}
    resp = client.post(
        "/registry/sites/import",
        files=files,
        headers=headers(world, "admin", change=True),
        follow_redirects=False,
    )
    assert resp.status_code == 303, resp.text
    csv = "call_sign,strength,base_site\nEagle-3,10,Geo Camp\nEagle-4,10,Nowhere\n"
    resp = _post(client, world, "duty", "/registry/escort-units/import", {"content": csv})
    assert resp.status_code == 422
    assert "Unknown site &#39;Nowhere&#39;." in resp.text
    assert _count(EscortUnit) == 0
    assert _post(client, world, "coord", "/registry/escort-units/import", {"content": csv}).status_code == 403
    empty = _post(client, world, "duty", "/registry/escort-units/import", {"content": " "})
    assert empty.status_code == 422 and "Choose a file or paste its content." in empty.text
