"""GeoReport v2 discovery, GET Service List and GET Service Definition, in JSON and XML."""

import pytest

from reports.models import Category
from tests.open311.conftest import parse_xml

pytestmark = pytest.mark.django_db


def test_discovery_names_the_v2_endpoint_and_both_formats(client):
    response = client.get("/open311/v2/discovery.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert set(body) == {"changeset", "contact", "key_service", "endpoints"}
    (endpoint,) = body["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2/"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    assert endpoint["type"] == "production"


def test_discovery_in_xml_uses_the_spec_element_names(client):
    root = parse_xml(client.get("/open311/v2/discovery.xml"))
    assert root.tag == "discovery"
    formats = [f.text for f in root.findall("./endpoints/endpoint/formats/format")]
    assert formats == ["text/xml", "application/json"]


def test_service_list_offers_active_public_leaf_categories_grouped_by_parent(client, categories):
    Category.objects.filter(code="02017").update(is_active=False)
    services = client.get("/open311/v2/services.json").json()
    codes = [s["service_code"] for s in services]
    expected = list(
        Category.objects.reportable()
        .filter(public=True)
        .order_by("code")
        .values_list("code", flat=True)
    )
    assert codes == expected
    assert "01057" not in codes  # 露天燃气管道异常 is private
    assert "02017" not in codes  # deactivated by an administrator
    assert "01" not in codes  # parents are groups, not services
    light = next(s for s in services if s["service_code"] == "01037")
    assert light == {
        "service_code": "01037",
        "service_name": "路灯异常",
        "description": "路灯异常",
        "metadata": True,
        "type": "realtime",
        "keywords": light["keywords"],
        "group": "市政公用设施类",
    }
    road = next(s for s in services if s["service_code"] == "06013")
    assert road["metadata"] is False and road["group"] == "市容环境类"
    assert "93001" not in codes  # 邻里纠纷, a local extension, is private
    assert "92001" in codes  # 消防通道堵塞, a public local extension
    offered = Category.objects.filter(code__in=codes).exclude(catalogue="component")
    assert offered.count() == len(codes)  # every service is a matter or ours, none a component


def test_service_list_in_xml_has_one_service_element_per_service(client, categories):
    json_codes = [s["service_code"] for s in client.get("/open311/v2/services.json").json()]
    root = parse_xml(client.get("/open311/v2/services.xml"))
    assert root.tag == "services"
    assert [s.findtext("service_code") for s in root.findall("service")] == json_codes
    light = root.find("service[service_code='01037']")
    assert light.findtext("metadata") == "true"
    assert light.findtext("group") == "市政公用设施类"
    assert light.findtext("type") == "realtime"


def test_service_definition_lists_attributes_in_order_with_their_values(client, categories):
    body = client.get("/open311/v2/services/01037.json").json()
    assert body["service_code"] == "01037"
    state, pole = body["attributes"]
    assert (state["code"], state["order"], state["required"], state["variable"]) == (
        "lamp_state",
        1,
        True,
        True,
    )
    assert state["datatype"] == "singlevaluelist"
    assert {"key": "dark", "name": "不亮"} in state["values"]
    assert (pole["code"], pole["order"], pole["datatype"], pole["required"]) == (
        "pole_number",
        2,
        "string",
        False,
    )


def test_service_definition_in_xml_nests_attributes_and_values(client, categories):
    root = parse_xml(client.get("/open311/v2/services/06010.xml"))
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "06010"
    kinds = root.find("attributes/attribute[code='kinds']")
    assert kinds.findtext("datatype") == "multivaluelist"
    assert kinds.findtext("required") == "false"
    assert [v.findtext("key") for v in kinds.findall("values/value")] == [
        "household",
        "construction",
        "bulky",
    ]


def test_service_without_attributes_has_an_empty_definition(client, categories):
    assert client.get("/open311/v2/services/06013.json").json() == {
        "service_code": "06013",
        "attributes": [],
    }


@pytest.mark.parametrize("code", ["01057", "99999", "01"])
def test_private_unknown_or_group_service_code_is_404_in_the_error_format(client, categories, code):
    response = client.get(f"/open311/v2/services/{code}.json")
    assert response.status_code == 404
    (error,) = response.json()
    assert error["code"] == 404 and code in error["description"]


def test_not_found_in_xml_is_an_errors_document(client, categories):
    response = client.get("/open311/v2/services/01057.xml")
    assert response.status_code == 404
    root = parse_xml(response)
    assert root.tag == "errors"
    assert root.findtext("error/code") == "404"
    assert "01057" in root.findtext("error/description")


def test_an_unsupported_format_extension_is_not_found(client, categories):
    assert client.get("/open311/v2/services.csv").status_code == 404
