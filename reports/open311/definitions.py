"""Extra questions (GeoReport v2 "attributes") that some services ask, keyed by category code.

Kept in code, not in the database: they change with a release, and each answer is folded into the
report's description, where dispatchers and units read it. A category listed here has metadata=true.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

DATATYPES = ("string", "number", "datetime", "text", "singlevaluelist", "multivaluelist")


@dataclass(frozen=True)
class Attribute:
    code: str
    datatype: str
    description: str
    required: bool = False
    datatype_description: str = ""
    values: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (key, name)
    variable: bool = True


ATTRIBUTES: dict[str, tuple[Attribute, ...]] = {
    # 路灯异常: which lamp and what is wrong with it, so the crew brings the right parts.
    "01037": (
        Attribute(
            code="lamp_state",
            datatype="singlevaluelist",
            description=_("路灯的状况"),
            required=True,
            values=(
                ("dark", _("不亮")),
                ("flicker", _("闪烁")),
                ("daytime", _("白天常亮")),
                ("damaged", _("灯具或灯杆损坏")),
            ),
        ),
        Attribute(
            code="pole_number",
            datatype="string",
            description=_("灯杆上喷涂的编号（如有）"),
            datatype_description=_("例如 YM-0231"),
        ),
    ),
    # 不明井盖异常: a missing cover is urgent, a rattling one is not.
    "01023": (
        Attribute(
            code="cover_state",
            datatype="singlevaluelist",
            description=_("井盖的状况"),
            required=True,
            values=(
                ("missing", _("缺失")),
                ("broken", _("破损")),
                ("loose", _("松动或异响")),
            ),
        ),
    ),
    # 暴露垃圾: how much, so the grid team knows whether to call a truck.
    "06010": (
        Attribute(
            code="volume",
            datatype="singlevaluelist",
            description=_("垃圾的大致数量"),
            values=(
                ("bag", _("几袋")),
                ("cart", _("一车以内")),
                ("truck", _("需要清运车")),
            ),
        ),
        Attribute(
            code="kinds",
            datatype="multivaluelist",
            description=_("垃圾种类"),
            values=(
                ("household", _("生活垃圾")),
                ("construction", _("建筑垃圾")),
                ("bulky", _("大件垃圾")),
            ),
        ),
    ),
}


def attributes_for(service_code: str) -> tuple[Attribute, ...]:
    return ATTRIBUTES.get(service_code, ())
