"""Forms of the 民情 pages: they parse types; the actions judge the values."""

from django import forms
from django.utils.translation import gettext_lazy as _

from grids.models import Compound
from gridwork.models import Item, PartyOrganisation, Visit, Volunteer
from reports.models import Category

ITEM_ROWS = 3  # item rows shown on the phone form; empty rows are ignored


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


class VisitForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=Visit.Kind.choices, widget=forms.RadioSelect)
    grid = forms.ModelChoiceField(queryset=None, label=_("网格"), empty_label=None)
    compound = forms.ModelChoiceField(
        queryset=None, label=_("小区（可选，按定位自动判断）"), required=False
    )
    household = forms.CharField(label=_("走访户 (楼栋/单元/门牌)"), required=False, max_length=60)
    minutes = forms.IntegerField(label=_("用时 (分钟)"), min_value=0, max_value=1440, initial=30)
    note = forms.CharField(
        label=_("情况"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    photos = MultipleFileField(label=_("照片"), required=False)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, grids=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = grids
        self.fields["compound"].queryset = Compound.objects.filter(grid__in=grids).order_by("code")
        for n in range(ITEM_ROWS):
            self.fields[f"item_kind_{n}"] = forms.ChoiceField(
                label=_("民情 %(n)s 类别") % {"n": n + 1},
                choices=[("", "—"), *Item.Kind.choices],
                required=False,
            )
            self.fields[f"item_text_{n}"] = forms.CharField(
                label=_("民情 %(n)s 内容") % {"n": n + 1}, required=False, max_length=500
            )

    def items(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        return [(data[f"item_kind_{n}"], data[f"item_text_{n}"]) for n in range(ITEM_ROWS)]


class SettleForm(forms.Form):
    note = forms.CharField(label=_("处理情况"), required=False, max_length=200)


class TicketForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("工单类别"),
        queryset=Category.objects.reportable(),
        to_field_name="code",
    )


class PlanForm(forms.Form):
    visits_per_week = forms.IntegerField(label=_("每周入户走访"), min_value=0, max_value=500)
    patrols_per_week = forms.IntegerField(label=_("每周巡查摸排"), min_value=0, max_value=500)


class PartyOrganisationForm(forms.Form):
    community = forms.ModelChoiceField(queryset=None, label=_("社区"), empty_label=None)
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=PartyOrganisation.Kind.choices)
    compound = forms.ModelChoiceField(queryset=None, label=_("小区（可选）"), required=False)

    def __init__(self, *args, communities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        self.fields["compound"].queryset = Compound.objects.filter(
            grid__community__in=communities
        ).order_by("code")


class PartyMemberForm(forms.Form):
    volunteer = forms.ModelChoiceField(queryset=None, label=_("志愿者"))
    organisation = forms.ModelChoiceField(queryset=None, label=_("所属党组织"))
    serves_as = forms.ChoiceField(label=_("服务岗位"), choices=Volunteer.ServesAs.choices)

    def __init__(self, *args, communities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = (
            Volunteer.objects.filter(grid__community__in=communities, active=True)
            .select_related("user")
            .order_by("id")
        )
        self.fields["volunteer"].label_from_instance = lambda v: v.user.name
        self.fields["organisation"].queryset = PartyOrganisation.objects.filter(
            community__in=communities
        )
