from django import forms
from django.utils.translation import gettext_lazy as _
from shapely.geometry import shape

from accounts.validators import phone_validator
from grids.models import Grid
from reports.models import Category
from reports.photos import MAX_PHOTOS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name; the photos themselves are checked by the action."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(_("最多上传 9 张照片。"))
        return list(files)


class HotlineReportForm(forms.Form):
    """What an operator asks a caller. The page's map and gazetteer search fill the coordinates;
    without them the report is placed inside the grid the operator chose."""

    caller_phone = forms.CharField(
        label=_("来电号码"),
        max_length=11,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric"}),
    )
    caller_name = forms.CharField(label=_("来电人称呼"), max_length=50, required=False)
    category = forms.ModelChoiceField(
        label=_("问题类别"),
        queryset=Category.objects.reportable().order_by("code"),
        to_field_name="code",
        help_text=_("可在上方按代码、名称或常用说法查找。"),
    )
    grid = forms.ModelChoiceField(
        label=_("所在网格"),
        queryset=Grid.objects.select_related("community").order_by("code"),
        required=False,
        help_text=_("不知道经纬度时，请选择问题所在的网格。"),
    )
    lon = forms.FloatField(label=_("经度"), required=False, min_value=-180, max_value=180)
    lat = forms.FloatField(label=_("纬度"), required=False, min_value=-90, max_value=90)
    address = forms.CharField(label=_("详细地址"), max_length=200)
    description = forms.CharField(label=_("问题描述"), max_length=1000, widget=forms.Textarea)
    photos = MultipleFileField(label=_("照片（可选）"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].label_from_instance = lambda c: f"{c.code} {c.name}"
        self.fields["grid"].label_from_instance = lambda g: f"{g.community.name} · {g.name}"

    def clean(self):
        data = super().clean()
        lon, lat, grid = data.get("lon"), data.get("lat"), data.get("grid")
        if (lon is None) != (lat is None):
            raise forms.ValidationError(_("经度和纬度需要同时填写。"))
        if lon is None and grid is None and not self.has_error("grid"):
            self.add_error("grid", _("请选择网格，或填写经纬度。"))
        elif lon is None and grid is not None:
            point = shape(grid.boundary).representative_point()
            data["lon"], data["lat"] = point.x, point.y
        return data
