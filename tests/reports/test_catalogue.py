"""The national catalogue GB/T 47678.5-2026 in the categories, local extensions, and loading a
newer edition with manage.py load_catalogue (all or nothing, retired entries kept for old tickets)."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from reports.catalogue import CURRENT_CSV
from reports.models import CatalogueEdition, Category, Report
from tests.reports.helpers import upload

STANDARD_COLUMNS = "code,kind,major_code,major_name,group_name,name"


def standard_rows() -> list[dict]:
    with open(CURRENT_CSV, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_every_national_entry_is_present_with_the_standards_code_and_name(categories):
    rows = standard_rows()
    assert Counter_kinds(rows) == {"component": 153, "matter": 250}
    national = {
        (c.catalogue, c.code): c
        for c in Category.objects.filter(catalogue__in=["component", "matter"]).select_related(
            "parent"
        )
    }
    for row in rows:
        category = national[(row["kind"], row["code"])]
        assert category.name == row["name"], row
        assert (category.parent.code, category.parent.name) == (
            row["major_code"],
            row["major_name"],
        )
        assert category.is_active and category.edition.name == "GB/T 47678.5-2026"
    leaves = [c for c in national.values() if c.parent_id]
    assert len(leaves) == len(rows) == 403


def Counter_kinds(rows):
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["kind"]] = counts.get(row["kind"], 0) + 1
    return counts


def test_the_project_copy_of_the_catalogue_is_the_shared_data_file():
    shared = Path("/work/shared/data/gbt47678_5_catalogue.csv")
    if shared.exists():  # only on the machine the data came from; the copy is what runs
        assert shared.read_bytes() == Path(CURRENT_CSV).read_bytes()
    assert Path(CURRENT_CSV).read_text(encoding="utf-8").splitlines()[0] == STANDARD_COLUMNS


def test_local_extensions_are_marked_and_use_a_range_the_standard_does_not(categories):
    local = Category.objects.filter(catalogue=Category.Catalogue.LOCAL)
    assert {c.code[:2] for c in local} == {"91", "92", "93"}
    assert {c.code[:2] for c in Category.objects.exclude(catalogue="local")}.isdisjoint(
        {"91", "92", "93"}
    )
    dispute = Category.objects.by_code("93001")
    assert (dispute.name, dispute.kind, dispute.is_local) == ("邻里纠纷", "dispute", True)
    assert dispute.edition is None


def test_a_code_means_the_matter_not_the_component(categories):
    assert Category.objects.filter(code="01001").count() == 2  # 供水井盖 and 供水井盖异常
    assert Category.objects.by_code("01001").name == "供水井盖异常"
    assert Category.objects.by_code("99999") is None
    reportable = Category.objects.reportable()
    assert not reportable.filter(catalogue="component").exists()
    assert reportable.filter(code="01030", name="电力立杆异常").exists()


def test_defaults_move_onto_the_new_codes(categories):
    pole = Category.objects.by_code("01030")
    assert (pole.handling_level, pole.sla_working_hours, pole.urgent) == ("department", 48, True)
    assert Category.objects.by_code("06010").handling_level == "grid"
    assert Category.objects.by_code("01057").public is False  # gas: not on the public map


def edition_csv(tmp_path, *, drop=(), rename=None, add=()) -> Path:
    rows = standard_rows()
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=STANDARD_COLUMNS.split(","), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        if (row["kind"], row["code"]) in drop:
            continue
        if rename and (row["kind"], row["code"]) == rename[0]:
            row = {**row, "name": rename[1]}
        writer.writerow(row)
    for row in add:
        writer.writerow(dict(zip(STANDARD_COLUMNS.split(","), row, strict=True)))
    path = tmp_path / "edition.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def test_a_newer_edition_adds_renames_and_retires_without_breaking_old_tickets(
    categories, client, point_a, tmp_path
):
    where = {"lon": point_a[0], "lat": point_a[1]}
    response = client.post("/api/v1/reports/", {"category": "06051", **where, "photos": [upload()]})
    assert response.status_code == 201, response.content
    ticket = Report.objects.get()
    path = edition_csv(
        tmp_path,
        drop=[("matter", "06051")],
        rename=(("matter", "01037"), "路灯设施异常"),
        add=[("10003", "matter", "10", "其他事项类", "", "城市家具破损")],
    )
    out = io.StringIO()
    call_command("load_catalogue", str(path), "--edition", "GB/T 47678.5-2030", stdout=out)
    assert "created: 1" in out.getvalue() and "retired: 1" in out.getvalue()
    assert Category.objects.by_code("10003").name == "城市家具破损"
    assert Category.objects.by_code("01037").name == "路灯设施异常"
    retired = Category.objects.by_code("06051")
    assert retired.is_active is False
    assert not Category.objects.reportable().filter(code="06051").exists()
    ticket.refresh_from_db()
    assert ticket.category_id == retired.id  # the old ticket keeps its category
    assert client.get(f"/t/{ticket.tracking_token}/").status_code == 200
    current = CatalogueEdition.objects.get(is_current=True)
    assert current.name == "GB/T 47678.5-2030"
    assert Category.objects.by_code("01037").edition == current
    # Loading the same edition again changes nothing.
    again = io.StringIO()
    call_command("load_catalogue", str(path), "--edition", "GB/T 47678.5-2030", stdout=again)
    assert "nothing changed" in again.getvalue()
    # A retired entry is refused for new reports, with the usual message.
    refused = client.post("/api/v1/reports/", {"category": "06051", **where, "photos": [upload()]})
    assert refused.status_code == 400 and "类别" in refused.json()["category"][0]


def test_a_bad_edition_names_every_problem_with_its_line_and_changes_nothing(categories, tmp_path):
    before = list(Category.objects.order_by("id").values_list("id", "code", "name", "is_active"))
    path = edition_csv(
        tmp_path,
        add=[
            ("01001", "component", "01", "市政公用设施", "", "重复的井盖"),
            ("1234", "matter", "12", "x", "", "y"),
            ("91001", "matter", "91", "本地", "", "z"),
            ("10009", "event", "10", "其他事项类", "", "w"),
            ("10010", "matter", "10", "其他事项类", "", ""),
        ],
    )
    with pytest.raises(CommandError) as refused:
        call_command("load_catalogue", str(path), "--edition", "broken")
    message = str(refused.value)
    for line in ("第 405 行", "第 406 行", "第 407 行", "第 408 行", "第 409 行"):
        assert line in message, message
    assert "与第 2 行重复" in message
    after = list(Category.objects.order_by("id").values_list("id", "code", "name", "is_active"))
    assert after == before
    assert not CatalogueEdition.objects.filter(name="broken").exists()


def test_a_file_with_the_wrong_columns_is_refused(categories, tmp_path):
    path = tmp_path / "wrong.csv"
    path.write_text("code,name\n01001,供水井盖\n", encoding="utf-8")
    with pytest.raises(CommandError, match="第 1 行：表头"):
        call_command("load_catalogue", str(path), "--edition", "wrong")
