"""Bulk imports: everything is checked first, nothing is written when any row is bad."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient


def _upload(client: TestClient, path: str, name: str, content: bytes, who: Any) -> Any:
    return client.post(f"/api/v1/{path}/import", files={"file": (name, content)}, headers=who.headers)


def _count(client: TestClient, path: str, who: Any) -> int:
    return int(client.get(f"/api/v1/{path}", headers=who.headers).json()["total"])


SITES_CSV = b"""name,kind,lat,lon,inner_radius_m,outer_radius_m
Dasu Dam,project,35.29,73.29,800,3000
Bisham Camp,camp,34.80,72.93,200,1000
"""


def test_good_csv_imports_every_row(client: TestClient, world: Any) -> None:
    resp = _upload(client, "sites", "sites.csv", SITES_CSV, world["coord"])
    assert resp.status_code == 201, resp.text
    assert resp.json()["created"] == 2
    assert _count(client, "sites", world["coord"]) == 2


def test_one_bad_row_names_file_line_and_field_and_writes_nothing(client: TestClient, world: Any) -> None:
    bad = SITES_CSV + b"Gwadar,port,95.0,62.33,,\n"
    resp = _upload(client, "sites", "corridor.csv", bad, world["coord"])
    assert resp.status_code == 422
    body = resp.json()
    assert body["errors"][0]["loc"] == ["corridor.csv", 4, "lat"]
    assert "corridor.csv line 4 field lat" in body["detail"]
    assert _count(client, "sites", world["coord"]) == 0


def test_malformed_csv_is_refused(client: TestClient, world: Any) -> None:
    cases = {
        "missing column": b"name,kind,lat\nA,camp,1\n",
        "unknown column": b"name,kind,lat,lon,colour\nA,camp,1,2,red\n",
        "extra field": b"name,kind,lat,lon\nA,camp,1,2,3\n",
        "not utf-8": b"name,kind,lat,lon\n\xff\xfe\x00bad,camp,1,2\n",
        "empty": b"",
    }
    for label, content in cases.items():
        resp = _upload(client, "sites", "x.csv", content, world["coord"])
        assert resp.status_code == 422, label
        assert resp.headers["content-type"].startswith("application/problem+json")
    assert _count(client, "sites", world["coord"]) == 0


def test_duplicates_inside_a_file_and_against_the_database(client: TestClient, world: Any) -> None:
    csv_text = b"plate,kind,seats\nAB-1,armoured,4\nab-1,soft_skin,8\n"
    resp = _upload(client, "vehicles", "v.csv", csv_text, world["coord"])
    assert resp.status_code == 422 and "duplicate of line 2" in resp.text
    assert (
        _upload(
            client, "vehicles", "v.csv", b"plate,kind,seats\nAB-1,armoured,4\n", world["coord"]
        ).status_code
        == 201
    )
    again = _upload(
        client, "vehicles", "v2.csv", b"plate,kind,seats\nCD-2,armoured,4\nAB-1,armoured,4\n", world["coord"]
    )
    assert again.status_code == 422 and "already exists" in again.text
    assert _count(client, "vehicles", world["coord"]) == 1


def _feature(lon: Any, lat: Any, **props: Any) -> dict[str, Any]:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": props}


def test_geojson_sites_import(client: TestClient, world: Any) -> None:
    fc = {
        "type": "FeatureCollection",
        "features": [
            _feature(62.33, 25.12, name="Gwadar Port", kind="port", outer_radius_m=2000),
            _feature(73.06, 33.72, name="Islamabad Office", kind="office"),
        ],
    }
    resp = _upload(client, "sites", "sites.geojson", json.dumps(fc).encode(), world["coord"])
    assert resp.status_code == 201, resp.text
    assert _count(client, "sites", world["coord"]) == 2


def test_bad_geojson_is_refused_whole(client: TestClient, world: Any) -> None:
    good = _feature(62.33, 25.12, name="Gwadar Port", kind="port")
    cases = [
        b"{not json",
        json.dumps({"type": "Feature"}).encode(),
        json.dumps(
            {"type": "FeatureCollection", "features": [good, _feature("x", 25, name="B", kind="port")]}
        ).encode(),
        json.dumps(
            {"type": "FeatureCollection", "features": [good, _feature(200, 25, name="C", kind="port")]}
        ).encode(),
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    good,
                    {
                        "type": "Feature",
                        "geometry": {"type": "LineString", "coordinates": [[1, 2], [3, 4]]},
                        "properties": {"name": "D", "kind": "port"},
                    },
                ],
            }
        ).encode(),
    ]
    for content in cases:
        resp = _upload(client, "sites", "bad.geojson", content, world["coord"])
        assert resp.status_code == 422, content[:60]
        assert "bad.geojson" in resp.json()["detail"]
    assert _count(client, "sites", world["coord"]) == 0


def test_units_import_resolves_sites_and_plates(client: TestClient, world: Any) -> None:
    duty = world["duty"]
    assert (
        _upload(
            client, "sites", "s.csv", b"name,kind,lat,lon\nBase One,camp,34.8,72.9\n", world["admin"]
        ).status_code
        == 201
    )
    assert (
        _upload(
            client, "vehicles", "v.csv", b"plate,kind,seats\nSPU-1,armoured,6\nSPU-2,soft_skin,8\n", duty
        ).status_code
        == 201
    )
    units = (
        b"call_sign,strength,base_site,vehicle_plates\n"
        b"HAWK-1,10,Base One,SPU-1;SPU-2\n"
        b"HAWK-2,8,Nowhere,SPU-9\n"
    )
    resp = _upload(client, "escort-units", "u.csv", units, duty)
    assert resp.status_code == 422
    problems = {tuple(e["loc"]) for e in resp.json()["errors"]}
    assert ("u.csv", 3, "base_site") in problems and ("u.csv", 3, "vehicle_plates") in problems
    assert _count(client, "escort-units", duty) == 0
    ok = _upload(client, "escort-units", "u.csv", units.rsplit(b"\n", 2)[0] + b"\n", duty)
    assert ok.status_code == 201, ok.text


def test_oversized_upload_is_413_and_writes_nothing(client: TestClient, world: Any, monkeypatch: Any) -> None:
    from outrider.settings import get_settings

    monkeypatch.setattr(get_settings(), "max_body_bytes", 200)
    big = SITES_CSV + b"".join(b"Site %d,camp,34.8,72.9,,\n" % i for i in range(50))
    resp = _upload(client, "sites", "big.csv", big, world["coord"])
    assert resp.status_code == 413
    assert _count(client, "sites", world["coord"]) == 0
