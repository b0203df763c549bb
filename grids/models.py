from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Street(models.Model):
    """街道: a sub-district. Code: 9-digit statistical division code."""

    code = models.CharField(_("代码"), max_length=9, unique=True)
    name = models.CharField(_("名称"), max_length=50)

    class Meta:
        verbose_name = _("街道")
        verbose_name_plural = _("街道")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Community(models.Model):
    """社区: a residents' committee area. Code: 12-digit statistical division code."""

    code = models.CharField(_("代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, related_name="communities", verbose_name=_("街道")
    )

    class Meta:
        verbose_name = _("社区")
        verbose_name_plural = _("社区")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Grid(models.Model):
    """网格: a comprehensive grid. Code: 15 digits = 社区 code + 3-digit sequence.

    The boundary is a GeoJSON Polygon or MultiPolygon in WGS-84. Its bounding box is copied into
    indexed columns so that databases without spatial types can still pre-filter by rectangle.
    """

    code = models.CharField(_("代码"), max_length=15, unique=True)
    name = models.CharField(_("名称"), max_length=80)
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="grids", verbose_name=_("社区")
    )
    boundary = models.JSONField(_("边界 (GeoJSON)"))
    min_lon = models.FloatField()
    min_lat = models.FloatField()
    max_lon = models.FloatField()
    max_lat = models.FloatField()
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("网格")
        verbose_name_plural = _("网格")
        ordering = ["code"]
        indexes = [
            # Rectangle pre-filter for "grids near this point" without PostGIS.
            models.Index(fields=["min_lon", "max_lon"], name="grid_bbox_lon"),
            models.Index(fields=["min_lat", "max_lat"], name="grid_bbox_lat"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def street(self) -> Street:
        return self.community.street

    def inside_point(self) -> tuple[float, float]:
        """A (lon, lat) point certainly inside the grid; a bounding box's centre need not be."""
        from shapely.geometry import shape

        point = shape(self.boundary).representative_point()
        return round(point.x, 6), round(point.y, 6)


class GridMembership(models.Model):
    """A person serving a grid: a grid worker (网格员) or the grid leader (网格长)."""

    class Role(models.TextChoices):
        WORKER = "worker", _("网格员")
        LEADER = "leader", _("网格长")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="grid_memberships",
        verbose_name=_("人员"),
    )
    grid = models.ForeignKey(
        Grid, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("网格")
    )
    role = models.CharField(_("职务"), max_length=10, choices=Role.choices, default=Role.WORKER)

    class Meta:
        verbose_name = _("网格成员")
        verbose_name_plural = _("网格成员")
        constraints = [
            models.UniqueConstraint(fields=["user", "grid"], name="one_membership_per_grid")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.grid.code}"


class StreetLeader(models.Model):
    """An official (领导) who leads one 街道: their dashboard, API, exports, overdue list and ticket
    pages cover that 街道 only. An official without one sees the whole city."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="street_leadership",
        verbose_name=_("人员"),
    )
    street = models.ForeignKey(
        Street, on_delete=models.CASCADE, related_name="leaders", verbose_name=_("街道")
    )

    class Meta:
        verbose_name = _("街道领导")
        verbose_name_plural = _("街道领导")

    def __str__(self) -> str:
        return f"{self.user} @ {self.street.name}"


class GridEvent(models.Model):
    """The audit trail of changes to divisions, grids and memberships (seed, import, edits)."""

    kind = models.CharField(_("类型"), max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("网格变更记录")
        verbose_name_plural = _("网格变更记录")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M}"


class Compound(models.Model):
    """小区 / 院落: a residential compound inside one grid. Code: the grid's 15 digits + 3.

    Located by a point (`lon`, `lat`, WGS-84) and, when known, an outline (`boundary`, a GeoJSON
    Polygon or MultiPolygon; its bounding box is copied into indexed columns like a grid's). A
    report or a visit falls in a compound when its point lies in the outline.
    """

    class Kind(models.TextChoices):
        ESTATE = "estate", _("小区")
        COURTYARD = "courtyard", _("院落")

    code = models.CharField(_("代码"), max_length=18, unique=True)
    name = models.CharField(_("名称"), max_length=80)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.ESTATE)
    grid = models.ForeignKey(
        Grid, on_delete=models.PROTECT, related_name="compounds", verbose_name=_("网格")
    )
    lon = models.FloatField(_("经度"))
    lat = models.FloatField(_("纬度"))
    boundary = models.JSONField(_("边界 (GeoJSON)"), null=True, blank=True)
    min_lon = models.FloatField(null=True, blank=True)
    min_lat = models.FloatField(null=True, blank=True)
    max_lon = models.FloatField(null=True, blank=True)
    max_lat = models.FloatField(null=True, blank=True)
    households = models.PositiveIntegerField(_("户数"), null=True, blank=True)
    property_manager = models.CharField(_("物业服务企业"), max_length=100, blank=True)
    # 楼栋长 / 院落长: the resident who speaks for the compound. Personal data: staff pages only.
    contact_name = models.CharField(_("联系人 (楼栋长)"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    party_branch = models.CharField(_("党支部"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("小区")
        verbose_name_plural = _("小区")
        ordering = ["code"]
        indexes = [
            # Rectangle pre-filter for "the compound at this point" within a grid.
            models.Index(fields=["grid", "min_lon", "max_lon"], name="compound_grid_bbox"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Building(models.Model):
    """A building (楼栋) of a compound; optional."""

    compound = models.ForeignKey(
        Compound, on_delete=models.CASCADE, related_name="buildings", verbose_name=_("小区")
    )
    name = models.CharField(_("名称"), max_length=40)
    households = models.PositiveIntegerField(_("户数"), null=True, blank=True)

    class Meta:
        verbose_name = _("楼栋")
        verbose_name_plural = _("楼栋")
        ordering = ["compound", "name"]
        constraints = [
            models.UniqueConstraint(fields=["compound", "name"], name="one_building_name")
        ]

    def __str__(self) -> str:
        return f"{self.compound.name} {self.name}"
