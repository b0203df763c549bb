"""Every category moves onto GB/T 47678.5-2026's codes, and the standard's 403 entries are loaded.

Until now our codes had the national shape but not its meaning (01001 was 路灯损坏 here and is
供水井盖 in the standard). Each old category row is changed IN PLACE — same id, new catalogue, code
and (for national entries) the standard's exact name — so every report, routing rule, task and
figure that points at it follows without being touched, and nothing is left on an old code.

The mapping, old code → new code (all national entries are 管理事项 matters: a report is about a
problem, and matters 01001–05009 are the component of the same code plus 异常):

    01    市政公用设施           → matter 01    市政公用设施类
    01001 路灯损坏               → matter 01037 路灯异常
    01002 井盖缺失或破损         → matter 01023 不明井盖异常 (a resident cannot tell whose cover)
    01003 供水设施损坏或漏水     → matter 01025 供水器异常
    01004 燃气设施隐患           → matter 01057 露天燃气管道异常
    01005 电线杆或杆线安全隐患   → matter 01030 电力立杆异常 (the six-unit pole case: 城管 lead,
                                   住建, 供电 and the three telecoms; 电力立杆 rather than 06008
                                   擅自架设管线、杆线设施, which is about unauthorised new lines)
    01006 供热设施故障           → matter 01061 露天供热管道异常
    01007 消防设施损坏           → matter 01013 消防设施异常
    02    交通设施               → matter 02    交通设施类
    02001 道路破损或塌陷         → matter 06013 道路破损
    02002 交通信号灯故障         → matter 02014 交通信号灯异常
    02003 护栏或隔离设施破损     → matter 02017 交通护栏异常
    03    市容环卫设施           → matter 03    市容环卫设施类
    03001 垃圾箱破损或满溢       → matter 06042 垃圾站（箱）满溢
    03002 公共厕所问题           → matter 03001 公共厕所异常
    03003 户外广告或牌匾隐患     → matter 03006 户外广告异常
    04    园林绿化设施           → matter 04    园林绿化设施类
    04001 树木倒伏或枯死         → matter 04002 行道树异常
    04002 绿地损毁               → matter 04013 绿地异常
    06    市容环境类             → matter 06    市容环境类
    06001 暴露垃圾或积存垃圾     → matter 06010 暴露垃圾
    06002 道路不洁               → matter 06012 道路不洁
    06003 私搭乱建               → matter 06001 私搭乱建
    06004 污水冒溢               → matter 06030 乱倒乱排污水、废水
    07    宣传广告类             → matter 07    宣传广告类
    07001 非法小广告             → matter 07001 非法小广告
    08    施工管理类             → matter 08    施工管理类
    08001 施工扰民               → matter 08001 施工扰民
    08002 工地扬尘               → matter 08004 工地扬尘
    08003 施工占道               → matter 08002 施工占道
    09    街面秩序类             → matter 09    街面秩序类
    09001 占道经营               → matter 09006 占道经营
    09002 机动车乱停放           → matter 09009 机动车乱停放
    09003 非机动车或共享单车乱停放 → matter 09010 非机动车乱停放
    10    其他事项类             → matter 10    其他事项类
    10001 道路积雪结冰           → matter 10001 道路积雪、结冰
    10002 架空线缆脱落           → matter 10002 架空线缆脱落
    11xxx 社区民生诉求, 12xxx 安全隐患, 13xxx 矛盾纠纷
                                 → local 91xxx, 92xxx, 93xxx (same names; 大类 91–99 are
                                   unused by the standard), e.g. 13001 邻里纠纷 → 93001

A category an administrator added on another old code becomes a local extension: 小类 under a
local 大类 99 其他本地类别 (numbered 99001, 99002, … in old-code order), an unmapped 大类 a local
大类 94…98. Handling level, time limit, urgency, public flag and the routing rules stay with the
row. The standard's entries are read from reports/data/gbt47678_5_2026.csv, frozen for this
migration. Reversible while no report uses an entry the old catalogue did not have.
"""

import csv
from pathlib import Path

from django.db import migrations

CSV = Path(__file__).resolve().parent.parent / "data" / "gbt47678_5_2026.csv"

# old code, old name, new catalogue, new code
MAPPING = [
    ("01", "市政公用设施", "matter", "01"),
    ("01001", "路灯损坏", "matter", "01037"),
    ("01002", "井盖缺失或破损", "matter", "01023"),
    ("01003", "供水设施损坏或漏水", "matter", "01025"),
    ("01004", "燃气设施隐患", "matter", "01057"),
    ("01005", "电线杆或杆线安全隐患", "matter", "01030"),
    ("01006", "供热设施故障", "matter", "01061"),
    ("01007", "消防设施损坏", "matter", "01013"),
    ("02", "交通设施", "matter", "02"),
    ("02001", "道路破损或塌陷", "matter", "06013"),
    ("02002", "交通信号灯故障", "matter", "02014"),
    ("02003", "护栏或隔离设施破损", "matter", "02017"),
    ("03", "市容环卫设施", "matter", "03"),
    ("03001", "垃圾箱破损或满溢", "matter", "06042"),
    ("03002", "公共厕所问题", "matter", "03001"),
    ("03003", "户外广告或牌匾隐患", "matter", "03006"),
    ("04", "园林绿化设施", "matter", "04"),
    ("04001", "树木倒伏或枯死", "matter", "04002"),
    ("04002", "绿地损毁", "matter", "04013"),
    ("06", "市容环境类", "matter", "06"),
    ("06001", "暴露垃圾或积存垃圾", "matter", "06010"),
    ("06002", "道路不洁", "matter", "06012"),
    ("06003", "私搭乱建", "matter", "06001"),
    ("06004", "污水冒溢", "matter", "06030"),
    ("07", "宣传广告类", "matter", "07"),
    ("07001", "非法小广告", "matter", "07001"),
    ("08", "施工管理类", "matter", "08"),
    ("08001", "施工扰民", "matter", "08001"),
    ("08002", "工地扬尘", "matter", "08004"),
    ("08003", "施工占道", "matter", "08002"),
    ("09", "街面秩序类", "matter", "09"),
    ("09001", "占道经营", "matter", "09006"),
    ("09002", "机动车乱停放", "matter", "09009"),
    ("09003", "非机动车或共享单车乱停放", "matter", "09010"),
    ("10", "其他事项类", "matter", "10"),
    ("10001", "道路积雪结冰", "matter", "10001"),
    ("10002", "架空线缆脱落", "matter", "10002"),
]
LOCAL_MAJORS = {"11": "91", "12": "92", "13": "93"}
OTHER_LOCAL_MAJOR = "99"
SPARE_LOCAL_MAJORS = ["94", "95", "96", "97", "98"]


def national_kind(catalogue, major_code):
    return "component" if catalogue == "component" or major_code <= "05" else "event"


def read_standard():
    with open(CSV, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def new_place(code, spare_majors, other_leaves):
    """(catalogue, code) for an old code."""
    for old, _name, catalogue, new in MAPPING:
        if old == code:
            return catalogue, new
    if code[:2] in LOCAL_MAJORS:
        return "local", LOCAL_MAJORS[code[:2]] + code[2:]
    if len(code) == 2:
        if not spare_majors:
            raise RuntimeError(f"no local 大类 left for old category {code}")
        return "local", spare_majors.pop(0)
    other_leaves.append(code)
    return "local", f"{OTHER_LOCAL_MAJOR}{len(other_leaves):03d}"


def forward(apps, schema_editor):
    Category = apps.get_model("reports", "Category")
    legacy = list(Category.objects.filter(catalogue="legacy").order_by("code"))
    spare, others = list(SPARE_LOCAL_MAJORS), []
    for category in legacy:
        category.catalogue, category.code = new_place(category.code, spare, others)
        category.save(update_fields=["catalogue", "code"])
    rows = {(c.catalogue, c.code): c for c in Category.objects.all()}
    if others and ("local", OTHER_LOCAL_MAJOR) not in rows:
        rows[("local", OTHER_LOCAL_MAJOR)] = Category.objects.create(
            catalogue="local", code=OTHER_LOCAL_MAJOR, name="其他本地类别", kind="event"
        )

    # The standard's 大类 and 小类, with their exact names; mapped rows are renamed here.
    for entry in read_standard():
        catalogue, major = entry["kind"], entry["major_code"]
        for code, name in ((major, entry["major_name"]), (entry["code"], entry["name"])):
            row = rows.get((catalogue, code))
            kind = national_kind(catalogue, major)
            if row is None:
                rows[(catalogue, code)] = Category.objects.create(
                    catalogue=catalogue, code=code, name=name, kind=kind
                )
            elif row.name != name or row.kind != kind:
                row.name, row.kind = name, kind
                row.save(update_fields=["name", "kind"])

    # Every 小类 under the 大类 of its own catalogue and first two digits.
    for (catalogue, code), row in rows.items():
        parent = rows.get((catalogue, code[:2])) if len(code) == 5 else None
        if row.parent_id != (parent.id if parent else None):
            row.parent = parent
            row.save(update_fields=["parent"])


def backward(apps, schema_editor):
    Category = apps.get_model("reports", "Category")
    Report = apps.get_model("reports", "Report")
    old_by_new = {(catalogue, new): (old, name) for old, name, catalogue, new in MAPPING}
    local_back = {new: old for old, new in LOCAL_MAJORS.items()}
    keep, drop = [], []
    for row in Category.objects.all():
        if (row.catalogue, row.code) in old_by_new:
            row.code, row.name = old_by_new[(row.catalogue, row.code)]
            keep.append(row)
        elif row.catalogue == "local" and row.code[:2] in local_back:
            row.code = local_back[row.code[:2]] + row.code[2:]
            keep.append(row)
        else:
            drop.append(row)
    used = Report.objects.filter(category__in=drop).values_list("category__code", flat=True)
    if used.exists():
        raise RuntimeError(f"reports use categories the old catalogue lacks: {sorted(set(used))}")
    by_code = {}
    for row in keep:
        row.catalogue = "legacy"
        row.parent = None
        row.save(update_fields=["code", "name", "catalogue", "parent"])
        by_code[row.code] = row
    for row in keep:
        if len(row.code) == 5 and row.code[:2] in by_code:
            row.parent = by_code[row.code[:2]]
            row.save(update_fields=["parent"])
    Category.objects.filter(parent__in=drop).update(parent=None)
    Category.objects.filter(id__in=[row.id for row in drop]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_category_catalogue_fields"),
    ]

    operations = [migrations.RunPython(forward, backward)]
