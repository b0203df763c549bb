"""The national catalogue (GB/T 47678.5) in the categories: reading an edition's CSV and loading it.

An edition's CSV has the shape of `data/gbt47678_5_2026.csv`: `code,kind,major_code,major_name,
group_name,name`, one row per 管理部件 (kind component) or 管理事项 (kind matter). Loading is all or
nothing: every problem is reported with its line and nothing changes. Entries missing from a newer
edition are retired (inactive), never deleted, so old tickets keep their category.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.models import CatalogueEdition, Category

DATA = Path(__file__).resolve().parent / "data"
CURRENT_EDITION = "GB/T 47678.5-2026"
CURRENT_CSV = DATA / "gbt47678_5_2026.csv"
COLUMNS = ["code", "kind", "major_code", "major_name", "group_name", "name"]
CODE = re.compile(r"^\d{5}$")
# 大类 91–99 are ours (local extensions); a national edition must not use them.
LOCAL_MAJOR_CODES = {f"{n}" for n in range(91, 100)}
NAME_MAX = Category._meta.get_field("name").max_length


@dataclass(frozen=True)
class Entry:
    catalogue: str  # Category.Catalogue.COMPONENT or MATTER
    code: str
    major_code: str
    major_name: str
    name: str


class CatalogueError(Exception):
    """The CSV cannot be loaded; `problems` names each one with its line."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class LoadResult:
    edition: CatalogueEdition
    created: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    reactivated: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.renamed or self.retired or self.reactivated)


def national_kind(catalogue: str, major_code: str) -> str:
    """The nature of a national entry: components and their matters (大类 01–05) are 部件
    problems, the other matters (06–10: 市容环境, 宣传广告, …) are 事件."""
    if catalogue == Category.Catalogue.COMPONENT or major_code <= "05":
        return Category.Kind.COMPONENT
    return Category.Kind.EVENT


def read_catalogue(text: str) -> list[Entry]:
    """Parse and check an edition's CSV text; raise CatalogueError listing every problem."""
    problems: list[str] = []
    text = text.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames != COLUMNS:
        raise CatalogueError(
            [
                _("第 1 行：表头应为 %(expected)s，实际为 %(actual)s。")
                % {"expected": ",".join(COLUMNS), "actual": ",".join(reader.fieldnames or [])}
            ]
        )
    entries: list[Entry] = []
    seen: dict[tuple[str, str], int] = {}
    major_names: dict[tuple[str, str], tuple[str, int]] = {}
    kinds = {"component": Category.Catalogue.COMPONENT, "matter": Category.Catalogue.MATTER}
    for row in reader:
        line = reader.line_num
        values = {k: (row.get(k) or "").strip() for k in COLUMNS}
        before = len(problems)
        catalogue = kinds.get(values["kind"])
        if catalogue is None:
            problems.append(
                _("第 %(line)d 行：类型“%(kind)s”无效，应为 component 或 matter。")
                % {"line": line, "kind": values["kind"]}
            )
        code = values["code"]
        if not CODE.match(code):
            problems.append(
                _("第 %(line)d 行：代码“%(code)s”应为 5 位数字。") % {"line": line, "code": code}
            )
        elif code[:2] != values["major_code"]:
            problems.append(
                _("第 %(line)d 行：代码 %(code)s 与大类代码“%(major)s”不符。")
                % {"line": line, "code": code, "major": values["major_code"]}
            )
        elif code[:2] in LOCAL_MAJOR_CODES:
            problems.append(
                _("第 %(line)d 行：大类 %(major)s 留给本地扩展，国家目录不能使用。")
                % {"line": line, "major": code[:2]}
            )
        for column in ("name", "major_name"):
            if not values[column]:
                problems.append(
                    _("第 %(line)d 行：%(column)s 不能为空。") % {"line": line, "column": column}
                )
            elif len(values[column]) > NAME_MAX:
                problems.append(
                    _("第 %(line)d 行：%(column)s 超过 %(max)d 个字。")
                    % {"line": line, "column": column, "max": NAME_MAX}
                )
        if len(problems) > before:
            continue
        key = (catalogue, code)
        if key in seen:
            problems.append(
                _("第 %(line)d 行：%(kind)s %(code)s 与第 %(first)d 行重复。")
                % {"line": line, "kind": values["kind"], "code": code, "first": seen[key]}
            )
            continue
        seen[key] = line
        major_key = (catalogue, values["major_code"])
        known = major_names.setdefault(major_key, (values["major_name"], line))
        if known[0] != values["major_name"]:
            problems.append(
                _(
                    "第 %(line)d 行：大类 %(major)s 的名称“%(name)s”与第 %(first)d 行“%(known)s”不一致。"
                )
                % {
                    "line": line,
                    "major": values["major_code"],
                    "name": values["major_name"],
                    "first": known[1],
                    "known": known[0],
                }
            )
            continue
        entries.append(
            Entry(catalogue, code, values["major_code"], values["major_name"], values["name"])
        )
    if not entries and not problems:
        problems.append(_("文件中没有任何条目。"))
    if problems:
        raise CatalogueError(problems)
    return entries


def read_catalogue_file(path: Path) -> list[Entry]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise CatalogueError([_("文件不是 UTF-8 编码的 CSV。")]) from None
    return read_catalogue(text)


@transaction.atomic
def load_edition(*, entries: list[Entry], edition_name: str, actor=None) -> LoadResult:
    """Make the national categories match an edition: create what is new, rename what changed,
    retire what the edition no longer lists. Local extensions are not touched. Idempotent.

    Handling levels, units and limits are Yima's own (`reports.seed`, routing rules in the
    admin) and are kept across editions."""
    edition, _created = CatalogueEdition.objects.get_or_create(name=edition_name)
    CatalogueEdition.objects.filter(is_current=True).exclude(id=edition.id).update(is_current=False)
    if not edition.is_current:
        edition.is_current = True
        edition.loaded_at = timezone.now()
        edition.save(update_fields=["is_current", "loaded_at"])
    result = LoadResult(edition=edition)
    national = {
        (c.catalogue, c.code): c
        for c in Category.objects.select_for_update().filter(
            catalogue__in=Category.NATIONAL_CATALOGUES
        )
    }
    wanted: dict[tuple[str, str], tuple[str, str | None]] = {}  # key → (name, parent code)
    for entry in entries:
        wanted.setdefault((entry.catalogue, entry.major_code), (entry.major_name, None))
        wanted[(entry.catalogue, entry.code)] = (entry.name, entry.major_code)

    def apply(key: tuple[str, str], name: str, parent: Category | None) -> Category:
        category = national.get(key)
        if category is None:
            category = Category.objects.create(
                catalogue=key[0],
                code=key[1],
                name=name,
                parent=parent,
                kind=national_kind(key[0], key[1][:2]),
                edition=edition,
            )
            national[key] = category
            result.created.append(f"{key[0]} {key[1]}")
            return category
        fields = []
        if category.name != name:
            category.name = name
            fields.append("name")
            result.renamed.append(f"{key[0]} {key[1]}")
        if not category.is_active:
            category.is_active = True
            fields.append("is_active")
            result.reactivated.append(f"{key[0]} {key[1]}")
        if category.parent_id != (parent.id if parent else None):
            category.parent = parent
            fields.append("parent")
        if category.edition_id != edition.id:
            category.edition = edition
            fields.append("edition")
        if fields:
            category.save(update_fields=fields)
        return category

    # 大类 first, so their 小类 can point at them.
    for key, (name, parent_code) in sorted(wanted.items(), key=lambda kv: kv[1][1] is not None):
        parent = national[(key[0], parent_code)] if parent_code else None
        apply(key, name, parent)
    retire = [c for key, c in national.items() if key not in wanted and c.is_active]
    for category in retire:
        category.is_active = False
        category.save(update_fields=["is_active"])
        result.retired.append(f"{category.catalogue} {category.code}")
    return result


class _DryRun(Exception):
    def __init__(self, result: LoadResult):
        self.result = result


def preview_edition(*, entries: list[Entry], edition_name: str) -> LoadResult:
    """What load_edition would change, with nothing changed."""
    try:
        with transaction.atomic():
            raise _DryRun(load_edition(entries=entries, edition_name=edition_name))
    except _DryRun as done:
        return done.result


def load_current_edition() -> LoadResult:
    return load_edition(entries=read_catalogue_file(CURRENT_CSV), edition_name=CURRENT_EDITION)
