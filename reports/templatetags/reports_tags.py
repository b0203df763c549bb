"""Words a resident understands for ticket states and timeline events."""

from django import template
from django.utils.translation import gettext_lazy as _

from reports import photo_access
from reports.models import Status

register = template.Library()


@register.simple_tag
def photo_url(photo, variant: str = "original") -> str:
    """{% photo_url photo "thumb" %}: the signed URL of a photo the page's reader may see."""
    if variant == "thumb" and not photo.thumbnail:
        variant = "original"  # the thumbnail is made after commit; until then, the photo itself
    return photo_access.signed_url(photo, variant)


RESIDENT_STATUS_TEXT = {
    Status.SUBMITTED: _("已收到您的反映，正在分派给责任单位。"),
    Status.DISPATCHED: _("已派给责任单位，等待单位签收。"),
    Status.PROCESSING: _("责任单位正在处理。"),
    Status.HANDLED: _("单位已处理完毕，等待网格员到现场核查。"),
    Status.CLOSED: _("已办结。欢迎您对办理结果进行评价。"),
    Status.REJECTED: _("经核实不属于受理范围，未予受理。"),
    Status.DUPLICATE: _("已与此前反映的同一问题合并办理。"),
    Status.SUSPENDED: _("需要较长时间处理，已列入工作计划。"),
}

EVENT_TITLES = {
    "submitted": _("已上报"),
    "supported": _("居民附议"),
    "rated": _("上报人评价"),
    "reopen_requested": _("上报人申请重办"),
}


@register.filter
def resident_status(status: str) -> str:
    return RESIDENT_STATUS_TEXT.get(status, "")


@register.filter
def event_title(event) -> str:
    if event.kind in EVENT_TITLES:
        return EVENT_TITLES[event.kind]
    if event.to_status:
        try:
            return Status(event.to_status).label
        except ValueError:
            pass
    return event.kind
