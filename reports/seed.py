"""The starting catalogue of problems, from data/categories.csv. Idempotent."""

import csv
from pathlib import Path

from django.db import transaction

from reports.models import Category

CATEGORIES_CSV = Path(__file__).resolve().parent / "data" / "categories.csv"


def read_categories() -> list[dict]:
    with open(CATEGORIES_CSV, encoding="utf-8") as f:
        return list(csv.DictReader(f))


@transaction.atomic
def seed_categories() -> int:
    """Create the categories that do not exist yet; existing ones (maybe edited by an
    administrator) are left as they are. Returns how many were created."""
    existing = set(Category.objects.values_list("code", flat=True))
    created = 0
    parents: dict[str, Category] = {c.code: c for c in Category.objects.filter(parent=None)}
    for row in read_categories():
        if row["code"] in existing:
            continue
        category = Category.objects.create(
            code=row["code"],
            name=row["name"],
            parent=parents.get(row["parent_code"]) if row["parent_code"] else None,
            kind=row["kind"],
            handling_level=row["handling_level"],
            sla_working_hours=int(row["sla_working_hours"]) if row["sla_working_hours"] else None,
            urgent=row["urgent"] == "y",
            public=row["public"] != "n",
        )
        if not row["parent_code"]:
            parents[category.code] = category
        created += 1
    return created
