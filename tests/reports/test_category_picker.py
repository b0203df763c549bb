"""The resident's category picker: the short list of common problems, and the search that
understands everyday words, codes, pinyin and English (/api/v1/categories/search/)."""

import pytest

from reports.models import Category
from reports.seed import read_common_problems

SEARCH = "/api/v1/categories/search/"


def codes(client, q, **extra):
    response = client.get(SEARCH, {"q": q}, **extra)
    assert response.status_code == 200, response.content
    return [r["code"] for r in response.json()]


def test_without_a_query_the_search_offers_the_common_problems_in_plain_words(client, categories):
    found = client.get(SEARCH).json()
    assert 30 <= len(found) <= 50 or len(found) == 20  # capped at the page size
    assert found[0] == {
        "code": "01037",
        "name": "路灯异常",
        "label": "路灯不亮",
        "group": "市政公用设施类",
        "catalogue": "matter",
        "local": False,
    }


def test_every_common_problem_is_one_reportable_code(categories):
    problems = read_common_problems()
    assert 30 <= len(problems) <= 50
    reportable = set(Category.objects.reportable().values_list("code", flat=True))
    assert {p["code"] for p in problems} <= reportable
    # and each has a route or a level, so it does not simply wait for the dispatcher
    for p in problems:
        assert Category.objects.by_code(p["code"]).handling_level, p


@pytest.mark.parametrize(
    "q, first",
    [
        ("路灯不亮", "01037"),
        ("井盖丢失", "01023"),
        ("井盖没了", "01023"),
        ("垃圾满了", "06042"),
        ("电线杆倾斜", "01030"),
        ("ludeng", "01037"),
        ("street light", "01037"),
        ("01030", "01030"),
        ("93001", "93001"),
        ("邻居吵架", "93001"),
    ],
)
def test_search_finds_what_people_say(client, categories, q, first):
    assert codes(client, q)[0] == first


def test_search_for_a_missing_cover_lists_the_cover_entries(client, categories):
    found = codes(client, "井盖没了")
    covers = {"01001", "01002", "01003", "01005", "01023"}
    assert covers <= set(found)


def test_search_for_uncollected_rubbish_offers_exposed_rubbish_and_full_bins(client, categories):
    assert set(codes(client, "垃圾没人收")[:2]) == {"06010", "06042"}


def test_search_marks_local_extensions(client, categories):
    dispute = client.get(SEARCH, {"q": "邻里纠纷"}).json()[0]
    assert dispute["local"] is True and dispute["catalogue"] == "local"


def test_search_never_offers_components_or_retired_entries(client, categories):
    Category.objects.filter(code="01037").update(is_active=False)
    found = client.get(SEARCH, {"q": "路灯"}).json()
    assert "01037" not in [r["code"] for r in found]
    assert {r["catalogue"] for r in found} <= {"matter", "local"}


def test_a_query_that_matches_nothing_is_an_empty_list_and_a_long_one_is_refused(
    client, categories
):
    assert codes(client, "qqqqzzzz") == []
    response = client.get(SEARCH, {"q": "路" * 51})
    assert response.status_code == 400 and "q" in response.json()


def test_the_report_page_starts_with_the_common_problems_and_keeps_the_full_catalogue(
    client, categories
):
    html = client.get("/report/").content.decode()
    assert 'data-code="01037"' in html and "路灯不亮" in html
    assert '<option value="93001">93001 邻里纠纷</option>' in html
    assert "（本地扩展）" in html  # the local 大类 are marked
    assert 'value="01001">01001 供水井盖异常' in html  # every matter, by the standard's name


def test_the_report_page_in_english_shows_english_labels(client, categories):
    client.post("/i18n/setlang/", {"language": "en", "next": "/report/"})
    html = client.get("/report/").content.decode()
    assert "Street light out" in html
