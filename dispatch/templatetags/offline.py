"""{% offline_words %}: the offline worklist's interface text, translated, for its scripts."""

from django import template
from django.utils.html import json_script
from django.utils.translation import gettext as _

register = template.Library()


def words() -> dict:
    return {
        "online": _("在线"),
        "offline": _("离线：操作保存在本机，恢复连接后发送"),
        "synced": _("上次同步：%(time)s"),
        "never": _("尚未同步"),
        "waiting": _("%(count)s 项操作待发送"),
        "none_waiting": _("没有待发送的操作"),
        "too_many": _("待发送的操作已达 %(max)s 项上限：请先在有信号的地方发送。"),
        "too_big": _("待发送的照片已超过 %(max)s MB 上限：请先在有信号的地方发送。"),
        "conflict": _("%(action)s 未能完成：%(message)s"),
        "refused": _("服务器拒绝了此操作（%(status)s）。"),
        "server_down": _("服务器暂时无法处理，稍后自动重试。"),
        "retry": _("重试"),
        "discard": _("放弃"),
        "saved": _("已保存在本机，恢复连接后发送。"),
        "sending": _("正在发送……"),
        "accept_queued": _("签收待发送"),
        "finish_queued": _("办结待发送"),
        "kind_accept": _("签收"),
        "kind_finish": _("办结任务"),
        "kind_progress": _("记录进展"),
        "kind_close": _("核查结案"),
        "kind_patrol": _("巡查上报"),
        "no_location": _("无法获取当前位置，请手动填写经纬度。"),
    }


@register.simple_tag
def offline_words():
    return json_script(words(), "offline-words")
