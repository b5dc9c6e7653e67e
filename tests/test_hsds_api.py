"""The HSDS 3.0 API under /hsds/: every response validates against the published schemas.

The real app on a seeded copy of the sample directory; every page of every
list is read and each item validated against HSDS 3.0's compiled schemas
(``../shared/data/hsds3-examples/schema-compiled``, format checks on), each
object fetched by id likewise. Our OpenAPI file is checked against the routes
and against Open Referral's API description.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from starlette.testclient import TestClient

from bot.directory.hsds.homeward_terms import CATEGORY_TAXONOMY, uid
from bot.web.hsds_api import OPENAPI, PARAMETERS
from tests.conftest import SHARED
from tests.console_helpers import console_app, console_settings

SCHEMAS = SHARED / "data" / "hsds3-examples" / "schema-compiled"
OPEN_REFERRAL_API = SHARED / "data" / "hsds3-api" / "openapi.json"
needs_schemas = pytest.mark.skipif(not SCHEMAS.exists(), reason="HSDS 3.0 schemas are absent")
PAGE_KEYS = {
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
    "contents",
}


@pytest.fixture
def database_url(sample_database_url: str) -> str:
    return sample_database_url


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    with console_app(console_settings(database_url)) as app_client:
        yield app_client


def _validator(name: str, definition: str = "") -> Draft202012Validator:
    schema: dict[str, Any] = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    if definition:
        schema = {"$ref": f"#/definitions/{definition}", "definitions": schema["definitions"]}
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _valid(validator: Draft202012Validator, document: Any) -> None:
    errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(document)]
    assert errors == [], errors[:5]


def _pages(client: TestClient, path: str, per_page: int = 7, **params: str) -> list[Any]:
    """Every item of a list, page by page, checking each page's bookkeeping."""
    items: list[Any] = []
    number = 1
    while True:
        response = client.get(path, params={"page": number, "per_page": per_page, **params})
        assert response.status_code == 200, response.text
        page = response.json()
        assert set(page) == PAGE_KEYS
        assert page["page_number"] == number
        assert page["size"] == len(page["contents"]) <= per_page
        assert page["first_page"] is (number == 1)
        items += page["contents"]
        if page["last_page"]:
            assert page["total_items"] == len(items)
            assert page["total_pages"] == number
            return items
        number += 1


def test_the_root_says_version_profile_publisher_and_where_the_description_is(
    client: TestClient,
) -> None:
    root = client.get("/hsds/").json()
    assert root["version"] == "3.0.0"
    assert root["profile"].startswith("https://")
    assert root["openapi_url"] == "http://testserver/hsds/openapi.json"
    assert root["publisher"]["sample"] is True
    assert client.get("/hsds/openapi.json").json()["info"]["title"] == "Homeward HSDS API"


@needs_schemas
def test_every_service_validates_page_by_page_in_list_full_and_by_id(client: TestClient) -> None:
    listed = _pages(client, "/hsds/services")
    view = client.app.state.conversation.search.index.directory  # type: ignore[attr-defined]
    assert len(listed) == len(view.services)
    item, full = _validator("service_list.json"), _validator("service.json")
    for service in listed:
        _valid(item, service)
    for service in _pages(client, "/hsds/services", per_page=25, full="true"):
        _valid(full, service)
    for service in listed[:15]:
        one = client.get(f"/hsds/services/{service['id']}")
        assert one.status_code == 200
        _valid(full, one.json())
        assert one.json()["name"] == service["name"]
    for service in _pages(client, "/hsds/services", per_page=500, minimal="true"):
        _valid(item, service)
        assert set(service) == {"id", "name", "status", "last_modified"}


@needs_schemas
def test_organizations_taxonomies_and_terms_validate(client: TestClient) -> None:
    orgs = _pages(client, "/hsds/organizations")
    listed, full = _validator("organization_list.json"), _validator("organization.json")
    for org in orgs:
        _valid(listed, org)
    for org in orgs[:10]:
        one = client.get(f"/hsds/organizations/{org['id']}", params={"full_service": "true"})
        _valid(full, one.json())
        assert one.json()["services"]
    taxonomy = _validator("service_with_definitions.json", "taxonomy")
    for found in _pages(client, "/hsds/taxonomies"):
        _valid(taxonomy, found)
        _valid(taxonomy, client.get(f"/hsds/taxonomies/{found['id']}").json())
    term = _validator("service_with_definitions.json", "taxonomy_term")
    terms = _pages(client, "/hsds/taxonomy_terms", per_page=10)
    for found in terms:
        _valid(term, found)
    categories = uid("taxonomy", CATEGORY_TAXONOMY)
    twelve = _pages(client, "/hsds/taxonomy_terms", taxonomy_id=categories)
    assert len(twelve) == 12


@needs_schemas
def test_service_at_locations_validate_and_find_what_is_near_a_zip(client: TestClient) -> None:
    listed = _validator("service_at_location_list.json")
    items = _pages(client, "/hsds/service_at_locations", per_page=20)
    for found in items:
        _valid(listed, found)
    one = client.get(f"/hsds/service_at_locations/{items[0]['id']}")
    _valid(_validator("service_at_location.json"), one.json())
    near = _pages(client, "/hsds/service_at_locations", postcode="94607", proximity="3000")
    assert near
    assert len(near) < len(items)
    here = _pages(client, "/hsds/service_at_locations", postcode="94607")
    assert all(
        a["location"]["addresses"][0]["postal_code"] == "94607"
        for a in here
        if "addresses" in a["location"]
    )


def test_search_uses_our_engine_and_filters_combine(client: TestClient) -> None:
    food = client.get("/hsds/services", params={"search": "comida 94607", "per_page": 3}).json()
    assert food["contents"]
    engine = client.app.state.conversation.search  # type: ignore[attr-defined]
    first = engine.search("comida 94607").hits[0].service
    assert food["contents"][0]["id"] == uid("service", first.id)
    chatter = client.get("/hsds/services", params={"search": "what is the capital of france"})
    assert chatter.json()["empty"] is True
    term = uid("taxonomy_term", f"{CATEGORY_TAXONOMY}:food")
    only_food = _pages(client, "/hsds/services", taxonomy_term_id=term)
    ids = {uid("service", s.id): s for s in engine.index.directory.services}
    assert only_food
    assert all("food" in ids[s["id"]].categories for s in only_food)
    org = only_food[0]["organization_id"]
    mine = _pages(client, "/hsds/services", organization_id=org)
    assert {s["organization_id"] for s in mine} == {org}
    assert client.get("/hsds/services", params={"modified_after": "2999-01-01T00:00:00Z"}).json()[
        "empty"
    ]


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/hsds/services?per_page=0", 400),
        ("/hsds/services?page=x", 400),
        ("/hsds/services?full=perhaps", 400),
        ("/hsds/services?modified_after=yesterday", 400),
        ("/hsds/service_at_locations?proximity=100", 400),
        ("/hsds/service_at_locations?postcode=00000&proximity=5", 400),
        ("/hsds/services/not-a-service", 404),
        ("/hsds/organizations/00000000-0000-0000-0000-000000000000", 404),
    ],
)
def test_bad_parameters_and_unknown_ids_get_a_plain_error(
    client: TestClient, path: str, status: int
) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert response.json()["error"]


def test_each_address_is_rate_limited(database_url: str) -> None:
    settings = console_settings(database_url, HOMEWARD_HSDS_API_RATE="3")
    with console_app(settings) as client:
        codes = [client.get("/hsds/taxonomies").status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        blocked = client.get("/hsds/")
        assert blocked.status_code == 429
        assert int(blocked.headers["retry-after"]) >= 1


def test_the_api_can_be_switched_off(database_url: str) -> None:
    with console_app(console_settings(database_url, HOMEWARD_HSDS_API="0")) as client:
        assert client.get("/hsds/services").status_code == 404
        assert client.get("/healthz").status_code in (200, 503)


def test_our_openapi_file_matches_the_routes_and_their_parameters(client: TestClient) -> None:
    ours = json.loads(OPENAPI.read_text(encoding="utf-8"))
    routes = {r.path for r in client.app.routes if getattr(r, "path", "").startswith("/hsds/")}  # type: ignore[attr-defined]
    documented = {"/hsds" + path for path in ours["paths"]}
    assert documented == routes - {"/hsds/openapi.json"}
    for path, item in ours["paths"].items():
        names = {
            p["$ref"].rsplit("/", 1)[1] for p in item["get"].get("parameters", []) if "$ref" in p
        }
        assert names == set(PARAMETERS.get(path, ())), path
        for name in names:
            assert ours["components"]["parameters"][name]["name"] == name


@pytest.mark.skipif(not OPEN_REFERRAL_API.exists(), reason="Open Referral's API is absent")
def test_our_paths_and_parameters_are_open_referrals(client: TestClient) -> None:
    theirs = json.loads(OPEN_REFERRAL_API.read_text(encoding="utf-8"))
    ours = json.loads(OPENAPI.read_text(encoding="utf-8"))
    assert set(ours["paths"]) <= set(theirs["paths"])
    named = theirs["components"]["parameters"]
    for path, item in ours["paths"].items():
        their_item = theirs["paths"][path]
        allowed = {
            named[p["$ref"].rsplit("/", 1)[1]]["name"] if "$ref" in p else p["name"]
            for p in [*their_item.get("parameters", []), *their_item["get"].get("parameters", [])]
        }
        mine = {p["$ref"].rsplit("/", 1)[1] for p in item["get"].get("parameters", [])}
        assert mine <= allowed, (path, mine - allowed)
