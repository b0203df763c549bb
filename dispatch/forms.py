"""Input of the worklist pages. Forms check the shape (required, lengths, numbers); the actions
check the rest and say why they refuse, and the views show both next to the form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dispatch.actions.guards import MAX_EXTENSION_HOURS, MAX_TEXT
from dispatch.models import CallBack, Task, Unit
from reports.models import Category, Status

OPEN = ""
ALL = "all"


class WorklistFilter(forms.Form):
    """?status=&category=&overdue=1 on the worker's and the unit's lists. Unknown values are
    reported on the form and ignored."""

    status = forms.ChoiceField(label=_("状态"), required=False)
    category = forms.ChoiceField(label=_("类别"), required=False)
    overdue = forms.BooleanField(label=_("只看超期"), required=False)

    def __init__(self, *args, states, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(OPEN, _("未办结")), (ALL, _("全部")), *states]
        self.fields["category"].choices = [(OPEN, _("全部类别"))] + [
            (c.code, f"{'　' if c.parent_id else ''}{c.name}")
            for c in Category.objects.filter(is_active=True)
            .exclude(catalogue=Category.Catalogue.COMPONENT)
            .order_by("code")
        ]

    def values(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {"status": OPEN, "category": OPEN, "overdue": False}
        return self.cleaned_data


def worker_filter(data) -> WorklistFilter:
    return WorklistFilter(data or None, states=Status.choices)


def unit_filter(data) -> WorklistFilter:
    return WorklistFilter(data or None, states=Task.Status.choices)


def _text(label, *, required=True):
    return forms.CharField(
        label=label,
        required=required,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NoteForm(forms.Form):
    note = _text(_("说明"), required=False)


class ProgressForm(forms.Form):
    note = _text(_("处置进展"))
    photos = forms.ImageField(label=_("照片"), required=False)


class FinishForm(forms.Form):
    note = _text(_("处置结果"))
    photo = forms.ImageField(label=_("处置后照片"))


class ReasonForm(forms.Form):
    reason = _text(_("理由"))


class ExtensionForm(forms.Form):
    hours = forms.IntegerField(
        label=_("延期时长 (小时)"), min_value=1, max_value=MAX_EXTENSION_HOURS
    )
    reason = _text(_("延期理由"))


class SuspensionForm(forms.Form):
    reason = _text(_("挂账理由"))


class CloseForm(forms.Form):
    photo = forms.ImageField(label=_("现场核查照片"))
    note = _text(_("核查说明"), required=False)
    dispute_settled = forms.TypedChoiceField(
        label=_("化解成功"),
        required=False,
        choices=[("", _("（非矛盾纠纷）")), ("1", _("化解成功")), ("0", _("未化解"))],
        coerce=lambda v: v == "1",
        empty_value=None,
    )


class RouteForm(forms.Form):
    lead = forms.ModelChoiceField(label=_("主办单位"), queryset=Unit.objects.none())
    cooperating = forms.ModelMultipleChoiceField(
        label=_("协办单位"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    hours = forms.IntegerField(
        label=_("办理时限 (小时，留空按规则)"), min_value=1, max_value=720, required=False
    )
    note = _text(_("说明"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = units
        self.fields["cooperating"].queryset = units

    def clean(self):
        data = super().clean()
        lead, cooperating = data.get("lead"), data.get("cooperating") or []
        if lead is not None:
            data["cooperating"] = [u for u in cooperating if u.id != lead.id]
        return data


class RerouteForm(RouteForm):
    reason = _text(_("改派原因"))


class RecategoriseForm(forms.Form):
    """The dispatcher's correction of a ticket's category: any matter or local entry, by code."""

    category = forms.ChoiceField(label=_("新类别（可输入代码或名称查找）"))
    reason = _text(_("更正原因"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "——")] + [
            (c.code, f"{c.code} {c.parent.name} · {c.name}")
            for c in Category.objects.reportable().select_related("parent").order_by("code")
        ]


class MergeForm(forms.Form):
    into = forms.CharField(label=_("合并到事项编号"), max_length=20)


class RemarkForm(forms.Form):
    note = _text(_("督办意见"))


class PatrolForm(forms.Form):
    category = forms.ChoiceField(label=_("类别"))
    lon = forms.FloatField(label=_("经度"), min_value=-180, max_value=180)
    lat = forms.FloatField(label=_("纬度"), min_value=-90, max_value=90)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    description = _text(_("发现的问题"))
    photo = forms.ImageField(label=_("现场照片"))
    handled_on_spot = forms.BooleanField(label=_("已现场处置，直接办结"), required=False)
    after_photo = forms.ImageField(label=_("处置后照片"), required=False)
    note = _text(_("处置说明"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "——")] + [
            (c.code, f"{c.code} {c.parent.name} · {c.name}")
            for c in Category.objects.reportable().select_related("parent").order_by("code")
        ]

    def clean(self):
        data = super().clean()
        if data.get("handled_on_spot") and not data.get("after_photo"):
            self.add_error("after_photo", _("现场处置办结时请上传处置后照片。"))
        return data


class CallBackForm(forms.Form):
    """回访: whether the reporter was reached and, if so, what they said."""

    reached = forms.ChoiceField(
        label=_("是否联系上"), choices=[("yes", _("已联系上")), ("no", _("未联系上"))]
    )
    solved = forms.ChoiceField(
        label=_("问题是否解决"),
        required=False,
        choices=[("", "—"), ("yes", _("已解决")), ("no", _("未解决"))],
    )
    satisfaction = forms.ChoiceField(
        label=_("满意度"),
        required=False,
        choices=[("", "—"), *CallBack.Answer.choices],
    )
    note = _text(_("回访记录"), required=False)
