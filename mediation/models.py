"""议事 (deliberation sessions and their topics) and 调解 (mediation cases), plus one audit trail.

Personal data lives in two places only: a case's parties (name and phone, never an ID number) and
its mediators who have no account (a name). Both are erased per case by
`mediation.cases.erase_parties`; topics record *who* raised them only as a kind (resident, worker,
party member), never a name, so a session's public summary needs no filtering of people.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grids.models import Community, Grid
from mediation.storage import private_storage
from reports.models import Report

# --- 议事 ------------------------------------------------------------------------------------------


class Session(models.Model):
    """One deliberation session (议事会) of a community or one of its grids."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("社区")
    )
    # Set for a grid's own session; a compound FK can join it when grids get compounds.
    grid = models.ForeignKey(
        Grid,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("网格"),
    )
    held_on = models.DateField(_("议事日期"))
    place = models.CharField(_("地点"), max_length=100)
    facilitator = models.CharField(_("主持人"), max_length=50)
    attendance = models.PositiveIntegerField(_("参加人数"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("议事会")
        verbose_name_plural = _("议事会")
        ordering = ["-held_on", "-id"]
        # Figures and the public page read a community's sessions by date.
        indexes = [models.Index(fields=["community", "held_on"], name="session_community_day")]

    def __str__(self) -> str:
        return f"{self.community} {self.held_on}"


def session_photo_path(instance: "SessionPhoto", filename: str) -> str:
    return f"sessions/{timezone.now():%Y/%m}/{instance.sha256}.jpg"


class SessionPhoto(models.Model):
    """A photo of the session (re-encoded without EXIF); people are in it, so it is never public."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(storage=private_storage, upload_to=session_photo_path)
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "sha256"], name="one_copy_per_session")
        ]

    def __str__(self) -> str:
        return f"{self.session_id} {self.sha256[:8]}"


class Topic(models.Model):
    """A matter raised at a session, and what became of it."""

    class RaisedBy(models.TextChoices):
        RESIDENT = "resident", _("居民")
        WORKER = "worker", _("网格员/社区工作者")
        PARTY_MEMBER = "party_member", _("党员")

    class Outcome(models.TextChoices):
        SETTLED = "settled", _("当场解决")  # 民事就地议: agreed on the spot
        DECISION = "decision", _("形成决定")  # someone owns it until a due date
        TICKET = "ticket", _("转为工单")  # filed as a ticket through reports' submission

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="topics")
    title = models.CharField(_("议题"), max_length=100)
    raised_by = models.CharField(_("提出人"), max_length=12, choices=RaisedBy.choices)
    discussion = models.TextField(_("讨论情况"), max_length=1000, blank=True)
    outcome = models.CharField(_("结果"), max_length=10, choices=Outcome.choices)
    decision_owner = models.CharField(_("责任人"), max_length=50, blank=True)
    decision_due = models.DateField(_("完成期限"), null=True, blank=True)
    decision_done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    decision_done_note = models.CharField(_("完成情况"), max_length=200, blank=True)
    # Linked both ways: ticket.deliberation_topic leads back here.
    ticket = models.OneToOneField(
        Report,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deliberation_topic",
        verbose_name=_("工单"),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("议题")
        verbose_name_plural = _("议题")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="decision")
                | (Q(decision_due__isnull=False) & ~Q(decision_owner="")),
                name="decision_has_owner_and_due_date",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="ticket") | Q(ticket__isnull=False),
                name="ticket_topic_has_its_ticket",
            ),
        ]
        # The open-decisions list: undone decisions by due date.
        indexes = [
            models.Index(fields=["outcome", "decision_done_at", "decision_due"], name="topic_open")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open_decision(self) -> bool:
        return self.outcome == self.Outcome.DECISION and self.decision_done_at is None

    def is_overdue(self, today: dt.date) -> bool:
        return self.is_open_decision and self.decision_due < today


# --- 调解 ------------------------------------------------------------------------------------------


class Organisation(models.Model):
    """A mediation organisation: the editable list administrators keep (admin)."""

    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("社区居委会")
        FIVE_ELDERS = "five_elders", _("“五老”调解工作室")
        PEOPLES = "peoples", _("人民调解委员会")
        OTHER = "other", _("其他")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    # Empty: serves the whole city.
    community = models.ForeignKey(
        Community,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("社区"),
    )
    follow_up_days = models.PositiveIntegerField(_("回访间隔 (天)"), default=15)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("调解组织")
        verbose_name_plural = _("调解组织")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class Case(models.Model):
    """A mediation case (调解案件) opened from a dispute.

    Its source today is a dispute ticket. A 民情 item of kind dispute becomes a second source by a
    nullable OneToOneField next to `ticket` and widening `case_has_a_source` to "exactly one
    source"; everything else reads the case's own community and grid, copied at opening.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("调解中")  # sessions being held
        AGREED = "agreed", _("已达成协议")  # agreement signed; waiting for the follow-up visit
        CONCLUDED = "concluded", _("已结案")  # an outcome was recorded

    class Outcome(models.TextChoices):
        SETTLED = "settled", _("化解成功")  # the agreement held at the follow-up
        UNSETTLED = "unsettled", _("未化解")  # no agreement, or it broke; referred on
        WITHDRAWN = "withdrawn", _("撤回")  # the parties withdrew

    class Referral(models.TextChoices):
        JUSTICE_OFFICE = "justice_office", _("司法所")
        COURT = "court", _("人民法院")
        POLICE = "police", _("公安派出所")

    ticket = models.OneToOneField(
        Report,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mediation_case",
        verbose_name=_("纠纷工单"),
    )
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("社区")
    )
    grid = models.ForeignKey(
        Grid,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("网格"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="cases", verbose_name=_("调解组织")
    )
    summary = models.TextField(_("纠纷概况"), max_length=1000)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(_("受理时间"), default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    agreement_text = models.TextField(_("调解协议"), max_length=3000, blank=True)
    agreement_file = models.FileField(storage=private_storage, upload_to="agreements/", blank=True)
    agreement_content_type = models.CharField(max_length=40, blank=True)
    agreed_at = models.DateTimeField(_("协议时间"), null=True, blank=True)
    follow_up_due = models.DateField(_("回访日期"), null=True, blank=True)

    followed_up_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    agreement_held = models.BooleanField(_("协议履行"), null=True, blank=True)
    outcome = models.CharField(_("结果"), max_length=10, choices=Outcome.choices, blank=True)
    referral = models.CharField(_("移交"), max_length=16, choices=Referral.choices, blank=True)
    outcome_note = models.TextField(_("结案说明"), max_length=1000, blank=True)
    concluded_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    parties_erased_at = models.DateTimeField(_("当事人信息删除时间"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("调解案件")
        verbose_name_plural = _("调解案件")
        ordering = ["-opened_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ticket__isnull=False), name="case_has_a_source"),
            models.CheckConstraint(
                condition=~Q(outcome="unsettled") | ~Q(referral=""),
                name="unsettled_case_is_referred",
            ),
        ]
        indexes = [models.Index(fields=["community", "opened_at"], name="case_community_day")]

    def __str__(self) -> str:
        return _("调解 %(id)s") % {"id": self.id}


class Mediator(models.Model):
    """A mediator of a case: a staff user, or a named volunteer without an account."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="mediators")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mediations",
        verbose_name=_("工作人员"),
    )
    name = models.CharField(_("姓名"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("调解员")
        verbose_name_plural = _("调解员")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(name=""), name="mediator_is_someone"
            ),
            models.UniqueConstraint(
                fields=["case", "user"], condition=Q(user__isnull=False), name="one_seat_per_user"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return str(self.user) if self.user_id else self.name


class Party(models.Model):
    """A party to the dispute: name and phone only (no ID number), masked outside the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("电话"), max_length=11, blank=True)

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.masked_name

    @property
    def masked_name(self) -> str:
        return (self.name[:1] + "*" * max(len(self.name) - 1, 1)) if self.name else ""

    @property
    def masked_phone(self) -> str:
        return f"{self.phone[:3]}****{self.phone[-4:]}" if len(self.phone) == 11 else ""


class CaseSession(models.Model):
    """One mediation session (调解): who attended, what was or was not agreed."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("调解日期"))
    attendees = models.CharField(_("参加人员"), max_length=200)
    summary = models.TextField(_("调解情况"), max_length=1000)
    agreed = models.BooleanField(_("达成一致"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("调解记录")
        verbose_name_plural = _("调解记录")
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.held_on}"


# --- audit trail -----------------------------------------------------------------------------------


class Event(models.Model):
    """One change in this app (a session, topic, case or organisation): written in the action's
    transaction, never edited. `data` holds ids and kinds, never a party's name or phone."""

    kind = models.CharField(max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M}"
