"""Forms of the 议事 and 调解 pages: they parse types; the actions judge the values."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mediation.models import Case, Topic
from reports.models import Category


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


DATE = forms.DateInput(attrs={"type": "date"})


class SessionForm(forms.Form):
    community = forms.ModelChoiceField(queryset=None, label=_("社区"), empty_label=None)
    grid = forms.CharField(label=_("网格代码（可选）"), required=False, max_length=15)
    held_on = forms.DateField(label=_("议事日期"), widget=DATE)
    place = forms.CharField(label=_("地点"), max_length=100)
    facilitator = forms.CharField(label=_("主持人"), max_length=50)
    attendance = forms.IntegerField(label=_("参加人数"), min_value=1, max_value=10_000)
    photos = MultipleFileField(label=_("现场照片"), required=False)

    def __init__(self, *args, communities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities


class TopicForm(forms.Form):
    title = forms.CharField(label=_("议题"), max_length=100)
    raised_by = forms.ChoiceField(label=_("提出人"), choices=Topic.RaisedBy.choices)
    discussion = forms.CharField(
        label=_("讨论情况"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    outcome = forms.ChoiceField(
        label=_("结果"), choices=Topic.Outcome.choices, widget=forms.RadioSelect
    )
    decision_owner = forms.CharField(label=_("责任人"), required=False, max_length=50)
    decision_due = forms.DateField(label=_("完成期限"), required=False, widget=DATE)
    category = forms.ModelChoiceField(
        label=_("工单类别"),
        required=False,
        queryset=Category.objects.reportable(),
        to_field_name="code",
    )


class DecisionDoneForm(forms.Form):
    note = forms.CharField(label=_("完成情况"), required=False, max_length=200)


class OpenCaseForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, label=_("调解组织"), empty_label=None)
    summary = forms.CharField(
        label=_("纠纷概况"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class MediatorForm(forms.Form):
    phone = forms.CharField(label=_("工作人员手机号"), required=False, max_length=11)
    name = forms.CharField(label=_("或志愿者姓名"), required=False, max_length=50)


class PartyForm(forms.Form):
    party_name = forms.CharField(label=_("当事人姓名"), max_length=50)
    party_phone = forms.CharField(label=_("电话"), required=False, max_length=11)


class CaseSessionForm(forms.Form):
    held_on = forms.DateField(label=_("调解日期"), widget=DATE)
    attendees = forms.CharField(label=_("参加人员"), max_length=200)
    summary = forms.CharField(
        label=_("调解情况"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    agreed = forms.BooleanField(label=_("达成一致"), required=False)


class AgreementForm(forms.Form):
    agreement_text = forms.CharField(
        label=_("协议内容"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4})
    )
    agreement_file = forms.FileField(
        label=_("签字协议（照片或 PDF）"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf"}),
    )


REFERRALS = [("", _("（不需移交）")), *Case.Referral.choices]


class FollowUpForm(forms.Form):
    held = forms.TypedChoiceField(
        label=_("协议是否履行"),
        choices=[("1", _("已履行，化解成功")), ("0", _("未履行，未化解"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    referral = forms.ChoiceField(label=_("移交"), choices=REFERRALS, required=False)
    note = forms.CharField(
        label=_("回访情况"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    photo = forms.FileField(
        label=_("回访照片"), widget=forms.ClearableFileInput(attrs={"accept": "image/*"})
    )


class ConcludeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("结果"),
        choices=[(Case.Outcome.UNSETTLED, _("未化解")), (Case.Outcome.WITHDRAWN, _("撤回"))],
        widget=forms.RadioSelect,
    )
    referral = forms.ChoiceField(label=_("移交"), choices=REFERRALS, required=False)
    note = forms.CharField(
        label=_("结案说明"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    photo = forms.FileField(
        label=_("现场或书面材料照片"), widget=forms.ClearableFileInput(attrs={"accept": "image/*"})
    )


class CloseTicketForm(forms.Form):
    note = forms.CharField(label=_("说明"), required=False, max_length=1000)
    photo = forms.FileField(
        label=_("核查照片"), widget=forms.ClearableFileInput(attrs={"accept": "image/*"})
    )


class EraseForm(forms.Form):
    confirm = forms.BooleanField(label=_("确认删除本案当事人姓名和电话"))
