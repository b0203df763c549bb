"""Exports of the figures and of the ticket list: CSV streamed row by row, Excel in openpyxl's
write-only mode (rows go to a temporary file, not a tree in memory)."""

import csv
import tempfile

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from openpyxl import Workbook

from stats import selectors

TICKET_COLUMNS = [
    ("number", _lazy("编号")),
    ("category_code", _lazy("类别代码")),
    ("catalogue", _lazy("目录")),
    ("category", _lazy("类别名称")),
    ("kind", _lazy("性质")),
    ("channel", _lazy("渠道")),
    ("status", _lazy("状态")),
    ("street", _lazy("街道")),
    ("community", _lazy("社区")),
    ("grid", _lazy("网格")),
    ("submitted_at", _lazy("上报时间")),
    ("dispatched_at", _lazy("派遣时间")),
    ("accepted_at", _lazy("首次签收时间")),
    ("handled_at", _lazy("处置完成时间")),
    ("closed_at", _lazy("办结时间")),
    ("deadline", _lazy("办理时限")),
    ("rated_at", _lazy("评价时间")),
    ("rating", _lazy("评价")),
    ("holders", _lazy("当前承办单位")),
]


def figure_rows(period, scope) -> list[tuple[str, object]]:
    f = selectors.figures(period, scope)
    return [
        (_("统计范围"), str(scope.name)),
        (_("渠道"), scope.channel or _("全部")),
        (_("开始日期"), period.start.isoformat()),
        (_("结束日期"), period.end.isoformat()),
        (_("受理量"), f.received),
        (_("办结量"), f.closed),
        (_("办结率"), f.closure_rate),
        (_("到期件数"), f.due),
        (_("按期办结数"), f.on_time),
        (_("按期办结率"), f.on_time_rate),
        (_("评价数"), f.rated),
        (_("满意率"), f.satisfaction_rate),
        (_("矛盾纠纷受理数"), f.disputes),
        (_("化解率"), f.settlement_rate),
        (_("网格内解决率"), f.grid_resolution_rate),
        (_("社区内解决率"), f.community_resolution_rate),
        (_("平均办理时长 (工作小时)"), f.mean_duration),
        (_("办理时长中位数 (工作小时)"), f.median_duration),
        (_("平均响应时长 (工作小时)"), f.mean_response),
        (_("退单率"), f.return_rate),
        (_("返工率"), f.rework_rate),
        (_("延期率"), f.extension_rate),
        (_("核查及时率"), f.check_rate),
        (_("响应率"), f.response_rate),
        (_("解决率"), f.resolution_rate),
        (_("准确派遣率"), f.dispatch_accuracy),
        (_("超期率"), f.overdue_rate),
        (_("巡查自行处置"), f.on_spot),
        *mediation_rows(period, scope),
        *minqing_rows(period, scope),
    ]


def mediation_rows(period, scope) -> list[tuple[str, object]]:
    """议事 and 调解: counts and rates only, never a party (mediation.selectors defines them)."""
    m = selectors.mediation_figures(period, scope)
    cases, talks = m["cases"], m["deliberation"]
    return [
        (_("受理纠纷 (调解)"), cases["accepted"]),
        (_("已过回访的调解案件"), cases["counted"]),
        (_("化解成功 (调解)"), cases["settled"]),
        (_("化解率 (调解)"), cases["settlement_rate"]),
        (_("议事场次"), talks["sessions_held"]),
        (_("议题数"), talks["topics_raised"]),
        (_("当场解决议题"), talks["topics_settled"]),
        (_("逾期未办决定"), talks["decisions_overdue"]),
    ]


def minqing_rows(period, scope) -> list[tuple[str, object]]:
    """民情: counts, coverage and hours (gridwork.selectors.MinqingFigures defines them)."""
    m = selectors.minqing_figures(period, scope)
    return [
        (_("入户走访次数"), m["visits"]),
        (_("巡查摸排次数"), m["patrols"]),
        (_("民情信息收集"), m["items_collected"]),
        (_("民情当场解决"), m["items_settled"]),
        (_("民情转为工单"), m["items_ticketed"]),
        (_("民情待跟进"), m["items_open"]),
        (_("民情矛盾纠纷"), m["disputes"]),
        (_("民情矛盾纠纷化解"), m["disputes_settled"]),
        (_("民生实事办结"), m["projects_done"]),
        (_("小区走访覆盖率"), m["coverage"]),
        (_("志愿服务时长 (小时)"), m["volunteer_hours"]),
    ]


def _cell(value):
    if hasattr(value, "astimezone"):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
    return "" if value is None else value


class _Echo:
    def write(self, value):
        return value


def _filename(what: str, period, ext: str) -> str:
    return f"yima-{what}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{ext}"


def csv_response(what: str, period, scope):
    writer = csv.writer(_Echo())

    def rows():
        yield "\ufeff"  # so Excel opens the Chinese text as UTF-8
        if what == "figures":
            yield writer.writerow([_("指标"), _("数值")])
            for row in figure_rows(period, scope):
                yield writer.writerow([_cell(v) for v in row])
        else:
            yield writer.writerow([str(label) for _key, label in TICKET_COLUMNS])
            for ticket in selectors.ticket_rows(period, scope):
                yield writer.writerow([_cell(ticket[key]) for key, _label in TICKET_COLUMNS])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(what, period, "csv")}"'
    return response


def xlsx_response(what: str, period, scope):
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("统计指标") if what == "figures" else _("事项清单"))
    if what == "figures":
        sheet.append([_("指标"), _("数值")])
        for row in figure_rows(period, scope):
            sheet.append([_cell(v) for v in row])
    else:
        sheet.append([str(label) for _key, label in TICKET_COLUMNS])
        for ticket in selectors.ticket_rows(period, scope):
            sheet.append([_cell(ticket[key]) for key, _label in TICKET_COLUMNS])
    handle = tempfile.TemporaryFile()
    book.save(handle)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=_filename(what, period, "xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
