"""Writes of 调解: opening a case from a dispute ticket, its mediators, parties and sessions, the
agreement, the follow-up visit, the outcome, and closing the ticket from that outcome.

Every action takes `actor`, runs in one transaction and writes one event on the case. An action
that touches the ticket locks the ticket first and the case second, the order dispatch uses
(ticket, then task), so a case action and a dispatch action on one ticket cannot deadlock.

The ticket closes from the case's outcome through dispatch's own actions, never by writing its
row: the actor's units finish their live tasks (accept_task, finish_task) and, when the actor may
check the site (a worker of the ticket's grid or a dispatcher), check_and_close records
化解成功 exactly when the outcome is SETTLED. When the actor may not, the ticket waits with its
holders and `close_ticket_from_case` lets someone who may finish the job with the same answer.
"""

import datetime as dt
import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from dispatch import membership
from dispatch.actions.closure import check_and_close
from dispatch.actions.unit_work import accept_task, finish_task
from dispatch.errors import NotPermitted, TransitionRefused
from dispatch.events import label
from dispatch.events import record as record_ticket_event
from dispatch.models import Task
from mediation import access
from mediation.events import TICKET_CASE_OPENED, TICKET_CASE_OUTCOME, Kind, record
from mediation.files import FileGuard, store
from mediation.models import Case, CaseSession, Mediator, Organisation, Party
from mediation.text import clean_text
from mediation.uploads import clean_agreement_file
from reports.errors import SubmissionError
from reports.models import AT_WORK_STATUSES, FINAL_STATUSES, OPEN_STATUSES, Category, Report, Status

PHONE = re.compile(r"^1[3-9]\d{9}$")
MEDIATION = "人民调解"
# What an erased volunteer mediator is called (a name is required of one without an account).
ERASED = "—"
FINAL_TICKET_STATUSES = FINAL_STATUSES


def _require_worker(actor: User, case: Case) -> None:
    if not access.may_work_case(actor, case):
        raise NotPermitted(gettext_lazy("只有本案调解员、本社区工作人员和指挥中心可以办理此案件。"))


def _lock_case(case: Case) -> Case:
    return (
        Case.objects.select_for_update(of=("self",)).select_related("organisation").get(id=case.id)
    )


def _refuse_unless(case: Case, *statuses: str) -> None:
    if case.status not in statuses:
        raise TransitionRefused(
            gettext_lazy("案件当前状态为“%(status)s”，不能进行此操作。")
            % {"status": case.get_status_display()}
        )


def open_case(*, actor: User, ticket: Report, organisation: Organisation, summary: str) -> Case:
    """受理: a dispute ticket becomes a mediation case; the opener is its first mediator (a
    dispatcher opens it for others and is not)."""
    summary = clean_text(
        summary,
        field="summary",
        limit=1000,
        required=True,
        message=gettext_lazy("请填写纠纷概况。"),
    )
    if organisation is None or not organisation.is_active:
        raise SubmissionError(
            gettext_lazy("请选择调解组织。"), field="organisation", code="required"
        )
    with transaction.atomic():
        ticket = Report.objects.select_for_update().select_related("category").get(id=ticket.id)
        if not access.may_open_case(actor, ticket):
            raise NotPermitted(gettext_lazy("只有承办人员、本社区工作人员和指挥中心可以受理调解。"))
        if ticket.category.kind != Category.Kind.DISPUTE:
            raise SubmissionError(
                gettext_lazy("只有矛盾纠纷可以进入调解。"), field="ticket", code="not_dispute"
            )
        if ticket.status not in (*OPEN_STATUSES, Status.SUSPENDED):
            raise TransitionRefused(gettext_lazy("该事项已结束，不能再受理调解。"))
        if Case.objects.filter(ticket=ticket).exists():
            raise TransitionRefused(gettext_lazy("该事项已有调解案件。"))
        if organisation.community_id not in (None, ticket.community_id):
            raise SubmissionError(
                gettext_lazy("该调解组织不服务此社区。"), field="organisation", code="bad_org"
            )
        case = Case.objects.create(
            ticket=ticket,
            community_id=ticket.community_id,
            grid_id=ticket.grid_id,
            organisation=organisation,
            summary=summary,
            opened_by=actor,
        )
        if not actor.is_dispatcher:
            Mediator.objects.create(case=case, user=actor)
        record_ticket_event(
            report=ticket,
            kind=TICKET_CASE_OPENED,
            actor=actor,
            actor_label=label(MEDIATION),
            note=_("已进入调解（%(org)s）。") % {"org": organisation.name},
            public=False,
            data={"case": case.id},
        )
        record(kind=Kind.CASE_OPENED, actor=actor, case=case, data={"ticket": ticket.number})
    return case


def add_mediator(*, actor: User, case: Case, user: User | None = None, name: str = "") -> Mediator:
    """A staff user (a worker or the staff of the case's community) or a named volunteer."""
    name = clean_text(name, field="name", limit=50, required=False)
    if user is None and not name:
        raise SubmissionError(
            gettext_lazy("请填写调解员的手机号（工作人员）或姓名（志愿者）。"),
            field="name",
            code="required",
        )
    with transaction.atomic():
        case = _lock_case(case)
        _require_worker(actor, case)
        _refuse_unless(case, Case.Status.OPEN, Case.Status.AGREED)
        if user is not None:
            if case.community_id not in access.deliberation_community_ids(user):
                raise SubmissionError(
                    gettext_lazy("该用户不是本社区的工作人员或网格员，请按姓名添加为志愿调解员。"),
                    field="phone",
                    code="not_staff",
                )
            if case.mediators.filter(user=user).exists():
                raise SubmissionError(
                    gettext_lazy("该调解员已在本案中。"), field="phone", code="duplicate"
                )
            name = ""
        mediator = Mediator.objects.create(case=case, user=user, name=name)
        record(
            kind=Kind.MEDIATOR_ADDED,
            actor=actor,
            case=case,
            data={"mediator": mediator.id, "staff": user is not None},
        )
    return mediator


def add_party(*, actor: User, case: Case, name: str, phone: str = "") -> Party:
    """当事人: a name and, optionally, a mainland mobile number. No ID numbers are taken."""
    name = clean_text(
        name,
        field="party_name",
        limit=50,
        required=True,
        message=gettext_lazy("请填写当事人姓名。"),
    )
    phone = (phone or "").strip()
    if phone and not PHONE.match(phone):
        raise SubmissionError(
            gettext_lazy("请填写 11 位手机号码。"), field="party_phone", code="bad_phone"
        )
    with transaction.atomic():
        case = _lock_case(case)
        _require_worker(actor, case)
        _refuse_unless(case, Case.Status.OPEN, Case.Status.AGREED)
        if case.parties_erased_at:
            raise TransitionRefused(gettext_lazy("本案当事人信息已删除。"))
        party = Party.objects.create(case=case, name=name, phone=phone)
        # The event names no one: the party's id is enough for the audit trail.
        record(kind=Kind.PARTY_ADDED, actor=actor, case=case, data={"party": party.id})
    return party


def record_case_session(
    *, actor: User, case: Case, held_on: dt.date, attendees: str, summary: str, agreed: bool
) -> CaseSession:
    """One mediation session: the date, who attended, what was agreed or not."""
    attendees = clean_text(
        attendees,
        field="attendees",
        limit=200,
        required=True,
        message=gettext_lazy("请填写参加人员。"),
    )
    summary = clean_text(
        summary,
        field="summary",
        limit=1000,
        required=True,
        message=gettext_lazy("请填写调解情况。"),
    )
    if held_on is None or held_on > timezone.localdate():
        raise SubmissionError(
            gettext_lazy("请填写调解日期（不能晚于今天）。"), field="held_on", code="bad_date"
        )
    with transaction.atomic():
        case = _lock_case(case)
        _require_worker(actor, case)
        _refuse_unless(case, Case.Status.OPEN)
        session = CaseSession.objects.create(
            case=case, held_on=held_on, attendees=attendees, summary=summary, agreed=bool(agreed)
        )
        record(
            kind=Kind.CASE_SESSION_RECORDED,
            actor=actor,
            case=case,
            data={"session": session.id, "agreed": bool(agreed)},
        )
    return session


def record_agreement(*, actor: User, case: Case, text: str, file) -> Case:
    """调解协议: its text and a photo or PDF of the signed paper; the follow-up visit falls due
    after the organisation's number of days."""
    text = clean_text(
        text,
        field="agreement_text",
        limit=3000,
        required=True,
        message=gettext_lazy("请填写协议内容。"),
    )
    if not file:
        raise SubmissionError(
            gettext_lazy("请上传签字协议的照片或 PDF。"), field="agreement_file", code="required"
        )
    cleaned = clean_agreement_file(file)
    with FileGuard() as written, transaction.atomic():
        case = _lock_case(case)
        _require_worker(actor, case)
        _refuse_unless(case, Case.Status.OPEN)
        if not case.sessions.filter(agreed=True).exists():
            raise TransitionRefused(gettext_lazy("请先记录一次达成一致的调解。"))
        now = timezone.now()
        case.agreement_text = text
        case.agreement_file = store(cleaned, folder=f"agreements/{now:%Y/%m}", written=written)
        case.agreement_content_type = cleaned.content_type
        case.agreed_at = now
        case.follow_up_due = timezone.localdate(now) + dt.timedelta(
            days=case.organisation.follow_up_days
        )
        case.status = Case.Status.AGREED
        case.save(
            update_fields=[
                "agreement_text",
                "agreement_file",
                "agreement_content_type",
                "agreed_at",
                "follow_up_due",
                "status",
                "updated_at",
            ]
        )
        record(
            kind=Kind.AGREEMENT_RECORDED,
            actor=actor,
            case=case,
            data={"follow_up_due": case.follow_up_due.isoformat()},
        )
    return case


def _close_ticket(case: Case, *, actor: User, photo, note: str) -> bool:
    """Close the case's ticket from its outcome through dispatch's actions, as far as the actor
    may: finish the tasks their units hold, then check and close. True when it closed."""
    ticket = Report.objects.select_for_update().get(id=case.ticket_id)
    if ticket.status in AT_WORK_STATUSES:
        for task in ticket.tasks.filter(
            status__in=(Task.Status.PENDING, Task.Status.ACCEPTED)
        ).select_related("unit"):
            if not membership.is_member(actor, task.unit):
                continue
            if task.status == Task.Status.PENDING:
                accept_task(task=task, actor=actor)
            finish_task(task=task, actor=actor, note=note, photo=photo)
        ticket.refresh_from_db()
    if ticket.status == Status.HANDLED and access.may_close_ticket(actor, ticket):
        check_and_close(
            report=ticket,
            actor=actor,
            photo=photo,
            note=note,
            dispute_settled=case.outcome == Case.Outcome.SETTLED,
        )
        record(
            kind=Kind.TICKET_CLOSED_FROM_CASE,
            actor=actor,
            case=case,
            data={"ticket": ticket.number},
        )
        return True
    record_ticket_event(
        report=ticket,
        kind=TICKET_CASE_OUTCOME,
        actor=actor,
        actor_label=label(MEDIATION),
        note=_("调解结果：%(outcome)s。") % {"outcome": case.get_outcome_display()},
        public=False,
        data={"case": case.id, "outcome": case.outcome},
    )
    # The stats refresh follows tickets by updated_at: a closed ticket's 化解率 fact reads the
    # case's outcome, so the ticket is touched when that outcome arrives.
    Report.objects.filter(id=ticket.id).update(updated_at=timezone.now())
    return False


def _require_photo(photo) -> None:
    if not photo:
        raise SubmissionError(
            gettext_lazy("请上传回访或现场照片（用于工单核查结案）。"),
            field="photo",
            code="no_photo",
        )


def _conclude(case: Case, *, actor: User, outcome: str, referral: str, note: str, photo) -> Case:
    now = timezone.now()
    case.outcome = outcome
    case.referral = referral
    case.outcome_note = note
    case.concluded_at = now
    case.status = Case.Status.CONCLUDED
    case.save(
        update_fields=[
            "outcome",
            "referral",
            "outcome_note",
            "concluded_at",
            "status",
            "updated_at",
        ]
    )
    text = note or _("调解结果：%(outcome)s。") % {"outcome": case.get_outcome_display()}
    case.ticket_closed = _close_ticket(case, actor=actor, photo=photo, note=text)
    return case


def _clean_referral(outcome: str, referral: str) -> str:
    if outcome != Case.Outcome.UNSETTLED:
        return ""
    if referral not in Case.Referral.values:
        raise SubmissionError(
            gettext_lazy("未化解的纠纷请选择移交单位（司法所、法院或公安）。"),
            field="referral",
            code="required",
        )
    return referral


def record_follow_up(
    *, actor: User, case: Case, held: bool, photo, note: str = "", referral: str = ""
) -> Case:
    """回访: on or after the due date, whether the agreement held. Held: 化解成功; broken: 未化解,
    referred on. Either way the ticket closes from the outcome."""
    note = clean_text(note, field="note", limit=1000, required=False)
    outcome = Case.Outcome.SETTLED if held else Case.Outcome.UNSETTLED
    referral = _clean_referral(outcome, referral)
    _require_photo(photo)
    with transaction.atomic():
        Report.objects.select_for_update().filter(id=case.ticket_id).first()
        case = _lock_case(case)
        _require_worker(actor, case)
        _refuse_unless(case, Case.Status.AGREED)
        if timezone.localdate() < case.follow_up_due:
            raise TransitionRefused(
                gettext_lazy("回访日期为 %(date)s，届时再回访。")
                % {"date": case.follow_up_due.isoformat()}
            )
        case.followed_up_at = timezone.now()
        case.agreement_held = bool(held)
        case.save(update_fields=["followed_up_at", "agreement_held", "updated_at"])
        record(
            kind=Kind.FOLLOWED_UP,
            actor=actor,
            case=case,
            note=note,
            data={"held": bool(held), "referral": referral},
        )
        _conclude(case, actor=actor, outcome=outcome, referral=referral, note=note, photo=photo)
    return case


def conclude_case(
    *, actor: User, case: Case, outcome: str, photo, note: str = "", referral: str = ""
) -> Case:
    """结案 without a follow-up: 未化解 (no agreement reached; referred on) or withdrawn."""
    note = clean_text(note, field="note", limit=1000, required=False)
    if outcome not in (Case.Outcome.UNSETTLED, Case.Outcome.WITHDRAWN):
        raise SubmissionError(gettext_lazy("请选择结案结果。"), field="outcome", code="required")
    referral = _clean_referral(outcome, referral)
    _require_photo(photo)
    with transaction.atomic():
        Report.objects.select_for_update().filter(id=case.ticket_id).first()
        case = _lock_case(case)
        _require_worker(actor, case)
        allowed = (Case.Status.OPEN,)
        if outcome == Case.Outcome.WITHDRAWN:
            allowed = (Case.Status.OPEN, Case.Status.AGREED)
        _refuse_unless(case, *allowed)
        record(
            kind=Kind.CASE_CONCLUDED,
            actor=actor,
            case=case,
            note=note,
            data={"outcome": outcome, "referral": referral},
        )
        _conclude(case, actor=actor, outcome=outcome, referral=referral, note=note, photo=photo)
    return case


def close_ticket_from_case(*, actor: User, case: Case, photo, note: str = "") -> Case:
    """The ticket of a concluded case, still open because whoever recorded the outcome could not
    close it: its holders or its checker finish the job with the case's answer."""
    note = clean_text(note, field="note", limit=1000, required=False)
    _require_photo(photo)
    with transaction.atomic():
        ticket = Report.objects.select_for_update().get(id=case.ticket_id)
        case = _lock_case(case)
        if not (access.may_work_case(actor, case) or access.may_close_ticket(actor, ticket)):
            raise NotPermitted(gettext_lazy("您不能为此案件的工单结案。"))
        _refuse_unless(case, Case.Status.CONCLUDED)
        if ticket.status in FINAL_TICKET_STATUSES:
            raise TransitionRefused(gettext_lazy("该工单已结束。"))
        text = note or _("调解结果：%(outcome)s。") % {"outcome": case.get_outcome_display()}
        if not _close_ticket(case, actor=actor, photo=photo, note=text):
            raise TransitionRefused(
                gettext_lazy("工单尚有其他单位未处置完毕，或需本网格网格员、指挥中心现场核查。")
            )
    return case


def erase_parties(*, actor: User, case: Case) -> Case:
    """Remove the parties' names and phones and the volunteer mediators' names of a concluded
    case (the retention policy, when it comes, calls this); counts and outcomes stay."""
    with transaction.atomic():
        case = _lock_case(case)
        if not (
            actor.is_authenticated
            and actor.is_active
            and (actor.is_dispatcher or case.community_id in access.staff_community_ids(actor))
        ):
            raise NotPermitted(gettext_lazy("只有本社区工作人员和指挥中心可以删除当事人信息。"))
        _refuse_unless(case, Case.Status.CONCLUDED)
        if case.parties_erased_at:
            raise TransitionRefused(gettext_lazy("本案当事人信息已删除。"))
        erased = case.parties.update(name="", phone="")
        case.mediators.filter(user__isnull=True).update(name=ERASED)
        case.parties_erased_at = timezone.now()
        case.save(update_fields=["parties_erased_at", "updated_at"])
        record(kind=Kind.PARTIES_ERASED, actor=actor, case=case, data={"parties": erased})
    return case


def save_organisation(
    *, actor: User | None, organisation: Organisation, created: bool
) -> Organisation:
    """The administrators' edit of the organisation list (from the admin), with its event."""
    with transaction.atomic():
        organisation.save()
        record(
            kind=Kind.ORGANISATION_SAVED,
            actor=actor,
            data={"organisation": organisation.id, "created": created, "name": organisation.name},
        )
    return organisation
