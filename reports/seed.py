"""The catalogue of problems: GB/T 47678.5's entries (reports.catalogue) with Yima's defaults and
local extensions from data/categories.csv. Idempotent."""

import csv
from pathlib import Path

from django.db import transaction

from reports.catalogue import load_current_edition
from reports.models import CatalogueEdition, Category

DATA = Path(__file__).resolve().parent / "data"
CATEGORIES_CSV = DATA / "categories.csv"
COMMON_PROBLEMS_CSV = DATA / "common_problems.csv"


def read_categories() -> list[dict]:
    with open(CATEGORIES_CSV, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def read_common_problems() -> list[dict]:
    with open(COMMON_PROBLEMS_CSV, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _defaults(row: dict) -> dict:
    return {
        "kind": row["kind"],
        "handling_level": row["handling_level"],
        "sla_working_hours": int(row["sla_working_hours"]) if row["sla_working_hours"] else None,
        "urgent": row["urgent"] == "y",
        "public": row["public"] != "n",
        "synonyms": row["synonyms"],
    }


@transaction.atomic
def seed_categories() -> int:
    """Load the national catalogue when no edition is loaded yet, create the missing local
    extensions and give national matters that were never configured (no level, no limit, no
    synonyms) Yima's defaults. What an administrator edited is left as it is. Returns how many
    categories were created or configured."""
    changed = 0
    if not CatalogueEdition.objects.exists():
        changed += len(load_current_edition().created)
    existing = {(c.catalogue, c.code): c for c in Category.objects.all()}
    for row in read_categories():
        key = (row["catalogue"], row["code"])
        category = existing.get(key)
        if row["catalogue"] == Category.Catalogue.LOCAL:
            if category is not None:
                continue
            parent = existing.get((row["catalogue"], row["parent_code"]))
            fields = _defaults(row) if row["parent_code"] else {"kind": row["kind"]}
            existing[key] = Category.objects.create(
                catalogue=row["catalogue"],
                code=row["code"],
                name=row["name"],
                parent=parent,
                **fields,
            )
            changed += 1
        elif category is not None and not (
            category.handling_level or category.sla_working_hours or category.synonyms
        ):
            for name, value in _defaults(row).items():
                setattr(category, name, value)
            category.save(update_fields=list(_defaults(row)))
            changed += 1
    return changed
