"""Who may read the figures, the API with its filters and errors, the exports and the public
transparency page."""

import csv
import io

import pytest
from openpyxl import load_workbook

from stats import rollup

MARCH = "period=custom&start=2025-03-01&end=2025-03-31"


@pytest.fixture
def store(history):
    rollup.refresh_recent()
    return history


@pytest.mark.parametrize("who", ["resident", "worker_a"])
def test_residents_and_grid_workers_are_refused_the_dashboard_and_the_api(
    request, login, yima, who
):
    client = login(request.getfixturevalue(who))
    assert client.get("/dashboard/").status_code == 403
    assert client.get("/api/v1/stats/figures").status_code == 403
    assert client.get("/dashboard/export/tickets.csv").status_code == 403


def test_anonymous_visitor_is_sent_to_login_and_refused_by_the_api(client, yima):
    response = client.get("/dashboard/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get("/api/v1/stats/dashboard").status_code == 403


@pytest.mark.parametrize("who", ["official", "dispatcher"])
def test_officials_and_dispatchers_see_the_dashboard(request, login, store, who):
    client = login(request.getfixturevalue(who))
    page = client.get(f"/dashboard/?{MARCH}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "按期办结率" in html and "60.0%" in html  # 3 of 5 due on time
    assert "/static/vendor/echarts/echarts.min" in html and "/static/vendor/leaflet/leaflet" in html


def test_dashboard_api_returns_every_part_with_the_same_filters(login, official, store):
    data = login(official).get(f"/api/v1/stats/dashboard?{MARCH}&street=411281001").json()
    assert data["scope"]["level"] == "street"
    assert data["figures"]["received"] == 5
    assert data["map"]["level"] == "community"
    assert {"trend", "by_category", "by_channel", "ranking", "overdue"} <= set(data)


def test_figures_api_filters_by_channel(login, official, store):
    data = login(official).get(f"/api/v1/stats/figures?{MARCH}&channel=patrol").json()
    assert data["figures"]["received"] == 1 and data["figures"]["settlement_rate"] == 1.0


@pytest.mark.parametrize(
    "query, message",
    [
        ("period=forever", "统计周期无效"),
        ("period=custom&start=2025-03-31&end=2025-03-01", "结束日期不能早于开始日期"),
        ("period=custom&start=yesterday", "YYYY-MM-DD"),
        ("street=999", "找不到该街道"),
        ("channel=pigeon", "渠道无效"),
    ],
)
def test_bad_filters_get_a_clear_chinese_message(login, official, yima, query, message):
    client = login(official)
    response = client.get(f"/api/v1/stats/figures?{query}")
    assert response.status_code == 400
    assert message in response.json()["detail"]
    page = client.get(f"/dashboard/?{query}")
    assert page.status_code == 400 and message in page.content.decode()


def test_trend_api_refuses_an_unknown_granularity(login, official, yima):
    response = login(official).get("/api/v1/stats/trend?by=hour")
    assert response.status_code == 400 and "按日或按周" in response.json()["detail"]


def test_ticket_csv_export_streams_every_milestone_and_the_holder(login, official, store):
    response = login(official).get(f"/dashboard/export/tickets.csv?{MARCH}")
    assert response.status_code == 200 and response.streaming
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:11] == [
        "编号",
        "类别代码",
        "目录",
        "类别名称",
        "性质",
        "渠道",
        "状态",
        "街道",
        "社区",
        "网格",
        "上报时间",
    ]
    assert "首次签收时间" in rows[0] and "当前承办单位" in rows[0]
    assert len(rows) == 1 + 8
    open_row = next(r for r in rows if r[0] == store[4].number)
    assert open_row[-1] == store[4].grid.name  # the grid team holds it
    assert open_row[10] == "2025-03-05 09:00:00"  # shown in Asia/Shanghai
    report = store[4]
    assert open_row[1:5] == [
        report.category.code,  # the standard's code, its catalogue, name and kind
        "管理事项" if report.category.catalogue == "matter" else "本地扩展",
        report.category.name,
        report.category.get_kind_display(),
    ]


def test_excel_exports_open_with_openpyxl(login, official, store):
    client = login(official)
    tickets = client.get(f"/dashboard/export/tickets.xlsx?{MARCH}&street=411281001")
    sheet = load_workbook(io.BytesIO(b"".join(tickets.streaming_content))).active
    assert sheet.max_row == 1 + 7
    figures = client.get(f"/dashboard/export/figures.xlsx?{MARCH}")
    values = {
        row[0]: row[1]
        for row in load_workbook(io.BytesIO(b"".join(figures.streaming_content))).active.iter_rows(
            values_only=True
        )
    }
    assert values["受理量"] == 6 and values["按期办结率"] == 0.6


def test_unknown_export_is_not_found(login, official, yima):
    assert login(official).get("/dashboard/export/secrets.csv").status_code == 404


def test_transparency_page_is_public_and_shows_no_personal_data(client, history):
    from reports.models import Report

    Report.objects.filter(pk=history[1].pk).update(contact_phone="13912345678")
    rollup.refresh_recent()
    response = client.get("/transparency/")
    assert response.status_code == 200
    html = response.content.decode()
    from grids.models import Street

    assert "义马市" in html
    assert all(street.name in html for street in Street.objects.all())
    assert "13912345678" not in html and history[1].number not in html


def test_openapi_schema_documents_the_stats_endpoints(client, db):
    schema = client.get("/api/schema/?format=json").json()
    for path in ("figures", "trend", "dashboard", "categories", "channels", "ranking", "map"):
        assert f"/api/v1/stats/{path}" in schema["paths"]
    params = {p["name"] for p in schema["paths"]["/api/v1/stats/figures"]["get"]["parameters"]}
    assert {"period", "start", "end", "street", "community", "grid", "channel"} <= params
