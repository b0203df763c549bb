from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.validators import phone_validator


class Role(models.TextChoices):
    """The roles of DESIGN §2. Grid worker and unit staff follow from memberships; the others are
    granted on the user. A person may hold several."""

    RESIDENT = "resident", _("居民")
    GRID_WORKER = "grid_worker", _("网格员")
    UNIT_STAFF = "unit_staff", _("单位人员")
    DISPATCHER = "dispatcher", _("指挥中心")
    OFFICIAL = "official", _("领导")
    ADMIN = "admin", _("管理员")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, phone, password=None, **extra):
        if not phone:
            raise ValueError("A user needs a phone number.")
        user = self.model(phone=phone, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, phone, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(phone, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person, logging in by mainland mobile number and password."""

    phone = models.CharField(_("手机号"), max_length=11, unique=True, validators=[phone_validator])
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    is_staff = models.BooleanField(_("可进入管理后台"), default=False)
    is_dispatcher = models.BooleanField(_("指挥中心调度员"), default=False)
    is_official = models.BooleanField(_("领导"), default=False)
    date_joined = models.DateTimeField(_("注册时间"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "phone"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.name or self.phone

    def get_full_name(self) -> str:
        return self.name or self.phone

    def get_short_name(self) -> str:
        return self.name or self.phone

    @property
    def roles(self) -> set[str]:
        """Every role this person holds now (memberships are read from the database)."""
        roles = {Role.RESIDENT.value}
        if self.grid_memberships.exists():
            roles.add(Role.GRID_WORKER.value)
        if hasattr(self, "unit_memberships") and self.unit_memberships.exists():
            roles.add(Role.UNIT_STAFF.value)
        if self.is_dispatcher:
            roles.add(Role.DISPATCHER.value)
        if self.is_official:
            roles.add(Role.OFFICIAL.value)
        if self.is_superuser or self.is_staff:
            roles.add(Role.ADMIN.value)
        return roles


class Notification(models.Model):
    """One message in a person's in-app inbox. E-mail and SMS copies are sent after commit."""

    recipient = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("收件人")
    )
    kind = models.CharField(_("类型"), max_length=40)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        ordering = ["-created_at"]
        # The inbox lists a person's newest messages and counts their unread ones.
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"])]

    def __str__(self) -> str:
        return self.title


class ConfigChange(models.Model):
    """The configuration audit: one append-only row per administrator's change of categories,
    units, memberships, routing rules, calendar days, users' roles, API keys and street leaders
    (accounts.audit). Written by accounts.actions.record_config_change; never edited or deleted."""

    class Action(models.TextChoices):
        ADDED = "added", _("新增")
        CHANGED = "changed", _("修改")
        DELETED = "deleted", _("删除")
        ISSUED = "issued", _("签发")
        REVOKED = "revoked", _("吊销")
        LOADED = "loaded", _("导入")

    actor = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("操作人"),
    )
    actor_label = models.CharField(_("操作人（记录时）"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    model = models.CharField(_("对象类型"), max_length=100, db_index=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    # {field: [old, new]} as the admin showed them (secrets never recorded).
    changes = models.JSONField(_("变更内容"), default=dict, blank=True)

    class Meta:
        verbose_name = _("配置变更记录")
        verbose_name_plural = _("配置变更记录")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.model} {self.object_repr} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("configuration audit rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("configuration audit rows are append-only")
