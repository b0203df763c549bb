"""Worklist pages: the grid worker's (/work/), the unit's (/unit/), the dispatcher's console
(/console/), the ticket page with the actions allowed now, and patrol reports.

Who may open what: a page refuses (403) a person without the role; a ticket or task outside the
person's scope is 404 (its existence is not confirmed). Every POST validates its form, calls one
action and redirects; a refusal re-renders the ticket page with the action's message (400 bad
input, 403 not permitted, 409 refused transition) and nothing changed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dispatch import call_backs as call_backs_module
from dispatch import category_actions, forms, lifecycle, membership, selectors
from dispatch.actions.closure import (
    check_and_close,
    reopen_after_unsatisfied,
    reopen_on_request,
    send_back,
)
from dispatch.actions.extensions import approve_extension, refuse_extension, request_extension
from dispatch.actions.patrol import file_patrol_report
from dispatch.actions.routing import reroute, route_manually
from dispatch.actions.supervision import add_supervision_remark
from dispatch.actions.suspension import (
    approve_suspension,
    refuse_suspension,
    request_suspension,
    resume_report,
    suspend_report,
)
from dispatch.actions.triage import merge_duplicate, reject_report
from dispatch.actions.unit_work import (
    accept_task,
    add_progress_note,
    escalate_task,
    finish_task,
    return_task,
)
from dispatch.errors import NotPermitted, SubmissionError, TransitionRefused
from dispatch.models import OPEN_TASK_STATUSES, CallBack, Extension, SuspensionRequest, Task
from dispatch.pipeline import pipeline_health
from dispatch.routing import NEXT_LEVEL
from grids.navigation import navigation_links
from reports.errors import ReportError
from reports.models import Category, Rating, Report, Status


def _page(request, queryset, size=selectors.PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- lists ---------------------------------------------------------------------------------------


@login_required
@require_GET
def work_list(request: HttpRequest) -> HttpResponse:
    """The grid worker's tickets: their grids' tickets, the grid team's tasks on them."""
    if not selectors.grid_ids_of(request.user):
        raise PermissionDenied(_("只有网格员可以查看此页面。"))
    filters = forms.worker_filter(request.GET)
    chosen = filters.values()
    page = _page(
        request,
        selectors.worker_tickets(
            request.user,
            status=chosen["status"],
            category=chosen["category"],
            overdue=chosen["overdue"],
        ),
    )
    return render(
        request,
        "dispatch/work_list.html",
        {"page": page, "filters": filters, "query": _query_without_page(request)},
    )


@login_required
@require_GET
def unit_list(request: HttpRequest) -> HttpResponse:
    """A unit's tasks, with the other units of joint tickets and their progress."""
    if not selectors.staff_unit_ids_of(request.user):
        raise PermissionDenied(_("只有单位人员可以查看此页面。"))
    filters = forms.unit_filter(request.GET)
    chosen = filters.values()
    tasks = selectors.unit_tasks(request.user, status=chosen["status"], category=chosen["category"])
    if chosen["overdue"]:
        tasks = tasks.filter(is_overdue=True)
    page = _page(request, tasks)
    return render(
        request,
        "dispatch/unit_list.html",
        {"page": page, "filters": filters, "query": _query_without_page(request)},
    )


def _require_dispatcher(request) -> None:
    if not request.user.is_dispatcher:
        raise PermissionDenied(_("只有指挥中心调度员可以查看此页面。"))


@login_required
@require_GET
def console(request: HttpRequest) -> HttpResponse:
    """The dispatcher's queues."""
    _require_dispatcher(request)
    context = selectors.console_queues()
    context["pipeline"] = pipeline_health()
    return render(request, "dispatch/console.html", context)


# --- call-backs (回访) ---------------------------------------------------------------------------


def _require_caller(request) -> None:
    if not lifecycle.may_call_back(request.user):
        raise PermissionDenied(_("只有12345热线坐席和指挥中心可以登记回访。"))


@login_required
@require_GET
def call_backs(request: HttpRequest) -> HttpResponse:
    """Closed tickets without a rating, due for a call to their reporter."""
    _require_caller(request)
    page = _page(request, call_backs_module.due_call_backs())
    return render(
        request,
        "dispatch/call_backs.html",
        {"page": page, "answers": CallBack.Answer.choices, "query": _query_without_page(request)},
    )


@login_required
@require_POST
def call_back(request: HttpRequest, number: str) -> HttpResponse:
    _require_caller(request)
    report = Report.objects.filter(number=number).first()
    if report is None:
        raise Http404
    form = forms.CallBackForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("dispatch:call_backs")
    data = form.cleaned_data
    try:
        call_backs_module.record_call_back(
            report=report,
            actor=request.user,
            reached=data["reached"] == "yes",
            solved={"yes": True, "no": False}.get(data["solved"]),
            satisfaction=data["satisfaction"],
            note=data["note"],
        )
    except (ReportError, NotPermitted, TransitionRefused) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已登记 %(number)s 的回访。") % {"number": report.number})
    return redirect("dispatch:call_backs")


# --- the ticket page -----------------------------------------------------------------------------


def _ticket_or_404(request, number: str) -> Report:
    report = selectors.ticket_for(request.user, number)
    if report is None:
        raise Http404
    return report


def _task_or_404(request, task_id: int) -> Task:
    task = selectors.visible_tasks(request.user).filter(id=task_id).select_related("report").first()
    if task is None:
        raise Http404
    return task


TASK_FORMS = {
    "accept": forms.NoteForm,
    "progress": forms.ProgressForm,
    "finish": forms.FinishForm,
    "return": forms.ReasonForm,
    "extension": forms.ExtensionForm,
    "suspension": forms.SuspensionForm,
    "escalate": forms.ReasonForm,
}


def _route_forms(report: Report, bound: dict) -> dict:
    units = selectors.unit_choices_for(report)
    return {
        "route": bound.get("route") or forms.RouteForm(units=units, prefix="route"),
        "reroute": bound.get("reroute") or forms.RerouteForm(units=units, prefix="reroute"),
    }


def _ticket_context(request, report: Report, *, bound=None, error: str = "", failed=None):
    """Everything the ticket page shows, and the forms of the actions the viewer may take now."""
    user = request.user
    bound = bound or {}
    unit_ids = membership.unit_ids_of(user)
    my_tasks = [
        t for t in report.all_tasks if t.unit_id in unit_ids and t.status in OPEN_TASK_STATUSES
    ]
    for task in my_tasks:
        task.available = lifecycle.available_on_task(task, report, user, unit_ids)
        task.can_escalate = "escalate" in task.available and task.level in NEXT_LEVEL
        task.has_pending_extension = bool(task.pending_extensions)
        task.can_request_suspension = "suspension" in task.available and not any(
            t.pending_suspensions for t in report.all_tasks
        )
        task.forms = {
            name: (
                bound[name]
                if failed == ("task", task.id) and name in bound
                else form_class(prefix=f"t{task.id}-{name}")
            )
            for name, form_class in TASK_FORMS.items()
        }
    is_dispatcher = user.is_dispatcher
    available = lifecycle.available(report, user, grid_ids=set(selectors.grid_ids_of(user)))
    can_check = lifecycle.CLOSE.name in available
    context = {
        "report": report,
        "timeline": selectors.timeline(report),
        "tasks": report.all_tasks,
        "my_tasks": my_tasks,
        "phone": selectors.reporter_phone(user, report),
        "before_photos": [p for p in report.photos.all() if p.kind == "before"],
        "later_photos": [p for p in report.photos.all() if p.kind != "before"],
        "can_check": can_check,
        "is_dispatcher": is_dispatcher,
        "can_remark": lifecycle.REMARK.name in available,
        "action_error": error,
        "failed": failed,
        "close_form": bound.get("close") or forms.CloseForm(prefix="close"),
        "send_back_form": bound.get("send-back") or forms.ReasonForm(prefix="send-back"),
        "remark_form": bound.get("remark") or forms.RemarkForm(prefix="remark"),
        "point": {"lon": report.lon, "lat": report.lat, "number": report.number},
        "nearby_points": [],
        "navigation": navigation_links(
            lon=report.lon,
            lat=report.lat,
            name=report.address or f"{report.category.name} {report.number}",
            detail=f"{report.community.name} · {report.grid.name}",
        ),
        "place_text": " ".join(
            filter(None, [report.address, report.community.name, report.grid.name])
        ),
    }
    if is_dispatcher:
        pending = [e for t in report.all_tasks for e in t.pending_extensions]
        for extension in pending:
            extension.task_unit = next(
                t.unit for t in report.all_tasks if t.id == extension.task_id
            )
        suspensions = [s for t in report.all_tasks for s in t.pending_suspensions]
        for suspension in suspensions:
            suspension.task_unit = next(
                t.unit for t in report.all_tasks if t.id == suspension.task_id
            )
        context.update(
            {
                "pending_suspensions": suspensions,
                "can_route": lifecycle.ROUTE_MANUALLY.name in available,
                "can_recategorise": lifecycle.RECATEGORISE.name in available,
                "recategorise_form": bound.get("recategorise")
                or forms.RecategoriseForm(prefix="recategorise"),
                "can_reject": lifecycle.REJECT.name in available,
                "can_merge": lifecycle.MERGE.name in available,
                "can_suspend": lifecycle.SUSPEND.name in available,
                "can_resume": lifecycle.RESUME.name in available,
                "can_reopen": lifecycle.REOPEN.name in available,
                "unsatisfied": report.rating == Rating.UNSATISFIED,
                "pending_extensions": pending,
                "reject_form": bound.get("reject") or forms.ReasonForm(prefix="reject"),
                "suspend_form": bound.get("suspend") or forms.ReasonForm(prefix="suspend"),
                "resume_form": bound.get("resume") or forms.NoteForm(prefix="resume"),
                "reopen_form": bound.get("reopen") or forms.NoteForm(prefix="reopen"),
                "merge_form": bound.get("merge") or forms.MergeForm(prefix="merge"),
                "decision_form": forms.NoteForm(prefix="decide"),
                **_route_forms(report, bound),
            }
        )
        if context["can_merge"]:
            candidates = selectors.merge_candidates(report)
            context["merge_candidates"] = candidates
            context["nearby_points"] = [
                {
                    "lon": r.lon,
                    "lat": r.lat,
                    "number": r.number,
                    "label": f"{r.number} {r.category.name} {r.distance_m}m",
                }
                for r in candidates
            ]
    return context


def _render_ticket(request, report: Report, *, status: int = 200, **kwargs) -> HttpResponse:
    context = _ticket_context(request, report, **kwargs)
    context["map_words"] = {"here": _("本事项"), "nearby": _("附近事项")}
    return render(request, "dispatch/ticket.html", context, status=status)


@login_required
@require_GET
def ticket(request: HttpRequest, number: str) -> HttpResponse:
    return _render_ticket(request, _ticket_or_404(request, number))


@login_required
@require_GET
def task(request: HttpRequest, task_id: int) -> HttpResponse:
    """Where task notifications link: the ticket page, at the task."""
    found = _task_or_404(request, task_id)
    return redirect(reverse("dispatch:ticket", args=[found.report.number]) + f"#task-{found.id}")


def _run(request, report: Report, call, *, name: str, form, failed=None, done: str):
    """Call the action; on refusal, show the ticket page with the message and the bound form."""
    try:
        call()
    except NotPermitted as exc:
        error, status = str(exc), 403
    except TransitionRefused as exc:
        error, status = str(exc.message), 409
    except ReportError as exc:
        error, status = str(exc.message), 400
        if exc.field and exc.field in form.fields:
            form.add_error(exc.field, error)
    else:
        messages.success(request, done)
        return redirect("dispatch:ticket", number=report.number)
    report = _ticket_or_404(request, report.number)
    return _render_ticket(
        request, report, status=status, bound={name: form}, error=error, failed=failed
    )


def _invalid(request, report, *, name: str, form, failed=None) -> HttpResponse:
    return _render_ticket(
        request,
        _ticket_or_404(request, report.number),
        status=400,
        bound={name: form},
        error=_("请检查填写的内容。"),
        failed=failed,
    )


@login_required
@require_POST
def task_action(request: HttpRequest, task_id: int, action: str) -> HttpResponse:
    """accept / progress / finish / return / extension / suspension / escalate on one task."""
    if action not in TASK_FORMS:
        raise Http404
    found = _task_or_404(request, task_id)
    report = found.report
    form = TASK_FORMS[action](request.POST, request.FILES, prefix=f"t{found.id}-{action}")
    failed = ("task", found.id)
    if not form.is_valid():
        return _invalid(request, report, name=action, form=form, failed=failed)
    data, user = form.cleaned_data, request.user
    calls = {
        "accept": lambda: accept_task(task=found, actor=user, note=data["note"]),
        "progress": lambda: add_progress_note(
            task=found,
            actor=user,
            note=data["note"],
            photos=[data["photos"]] if data["photos"] else [],
        ),
        "finish": lambda: finish_task(
            task=found, actor=user, note=data["note"], photo=data["photo"]
        ),
        "return": lambda: return_task(task=found, actor=user, reason=data["reason"]),
        "extension": lambda: request_extension(
            task=found, actor=user, hours=data["hours"], reason=data["reason"]
        ),
        "suspension": lambda: request_suspension(task=found, actor=user, reason=data["reason"]),
        "escalate": lambda: escalate_task(task=found, actor=user, reason=data["reason"]),
    }
    done = {
        "accept": _("已签收。"),
        "progress": _("已记录处置进展。"),
        "finish": _("已提交处置结果。"),
        "return": _("已退回指挥中心。"),
        "extension": _("延期申请已提交。"),
        "suspension": _("挂账申请已提交。"),
        "escalate": _("已上报上级。"),
    }
    return _run(
        request, report, calls[action], name=action, form=form, failed=failed, done=done[action]
    )


TICKET_FORMS = {
    "close": lambda report, *a, **k: forms.CloseForm(*a, **k),
    "send-back": lambda report, *a, **k: forms.ReasonForm(*a, **k),
    "remark": lambda report, *a, **k: forms.RemarkForm(*a, **k),
    "reject": lambda report, *a, **k: forms.ReasonForm(*a, **k),
    "suspend": lambda report, *a, **k: forms.ReasonForm(*a, **k),
    "resume": lambda report, *a, **k: forms.NoteForm(*a, **k),
    "reopen": lambda report, *a, **k: forms.NoteForm(*a, **k),
    "merge": lambda report, *a, **k: forms.MergeForm(*a, **k),
    "route": lambda report, *a, **k: forms.RouteForm(
        *a, units=selectors.unit_choices_for(report), **k
    ),
    "reroute": lambda report, *a, **k: forms.RerouteForm(
        *a, units=selectors.unit_choices_for(report), **k
    ),
    "recategorise": lambda report, *a, **k: forms.RecategoriseForm(*a, **k),
}


def _reopen(report: Report, user, note: str):
    if report.rating == Rating.UNSATISFIED:
        return reopen_after_unsatisfied(report=report, actor=user, note=note)
    return reopen_on_request(report=report, actor=user, note=note)


def _merge(report: Report, user, into_number: str):
    into = Report.objects.filter(number=into_number.strip()).first()
    if into is None:
        raise SubmissionError(_("找不到该编号的事项。"), field="into", code="unknown")
    return merge_duplicate(report=report, into=into, actor=user)


@login_required
@require_POST
def ticket_action(request: HttpRequest, number: str, action: str) -> HttpResponse:
    """The on-site check (close, send back) and the dispatcher's and officials' ticket actions."""
    if action not in TICKET_FORMS:
        raise Http404
    report = _ticket_or_404(request, number)
    form = TICKET_FORMS[action](report, request.POST, request.FILES, prefix=action)
    if not form.is_valid():
        return _invalid(request, report, name=action, form=form)
    data, user = form.cleaned_data, request.user
    calls = {
        "close": lambda: check_and_close(
            report=report,
            actor=user,
            photo=data["photo"],
            note=data["note"],
            dispute_settled=data["dispute_settled"],
        ),
        "send-back": lambda: send_back(report=report, actor=user, reason=data["reason"]),
        "remark": lambda: add_supervision_remark(report=report, actor=user, note=data["note"]),
        "reject": lambda: reject_report(report=report, actor=user, reason=data["reason"]),
        "suspend": lambda: suspend_report(report=report, actor=user, reason=data["reason"]),
        "resume": lambda: resume_report(report=report, actor=user, note=data["note"]),
        "reopen": lambda: _reopen(report, user, data["note"]),
        "merge": lambda: _merge(report, user, data["into"]),
        "route": lambda: route_manually(
            report=report,
            actor=user,
            lead_unit=data["lead"],
            cooperating_units=data["cooperating"],
            hours=data["hours"],
            note=data["note"],
        ),
        "reroute": lambda: reroute(
            report=report,
            actor=user,
            lead_unit=data["lead"],
            cooperating_units=data["cooperating"],
            reason=data["reason"],
            hours=data["hours"],
        ),
        "recategorise": lambda: category_actions.recategorise_report(
            report=report,
            category=Category.objects.by_code(data["category"]),
            actor=user,
            reason=data["reason"],
        ),
    }
    done = {
        "close": _("已核查结案。"),
        "send-back": _("已返工。"),
        "remark": _("督办意见已发送。"),
        "reject": _("已作不予受理处理。"),
        "suspend": _("已挂账。"),
        "resume": _("已恢复办理。"),
        "reopen": _("已重新交办。"),
        "merge": _("已合并为重复件。"),
        "route": _("已派遣。"),
        "reroute": _("已改派。"),
        "recategorise": _("已更正类别并重新派遣。"),
    }
    return _run(request, report, calls[action], name=action, form=form, done=done[action])


def _decide_unit_request(
    request: HttpRequest, model, request_id: int, decision: str, *, approve, refuse, done
) -> HttpResponse:
    """The dispatcher approves or refuses a unit's request (an extension, a 挂账)."""
    if decision not in ("approve", "refuse"):
        raise Http404
    unit_request = (
        model.objects.filter(id=request_id, task__in=selectors.visible_tasks(request.user))
        .select_related("task__report")
        .first()
    )
    if unit_request is None:
        raise Http404
    report = unit_request.task.report
    form = forms.NoteForm(request.POST, prefix="decide")
    if not form.is_valid():
        return _invalid(request, report, name="decide", form=form)
    decide = approve if decision == "approve" else refuse
    return _run(
        request,
        report,
        lambda: decide(unit_request, actor=request.user, note=form.cleaned_data["note"]),
        name="decide",
        form=form,
        done=done[decision],
    )


@login_required
@require_POST
def extension_action(request: HttpRequest, extension_id: int, decision: str) -> HttpResponse:
    return _decide_unit_request(
        request,
        Extension,
        extension_id,
        decision,
        approve=lambda ext, **kw: approve_extension(extension=ext, **kw),
        refuse=lambda ext, **kw: refuse_extension(extension=ext, **kw),
        done={"approve": _("已批准延期。"), "refuse": _("已不批准延期。")},
    )


@login_required
@require_POST
def suspension_action(request: HttpRequest, suspension_id: int, decision: str) -> HttpResponse:
    return _decide_unit_request(
        request,
        SuspensionRequest,
        suspension_id,
        decision,
        approve=lambda req, **kw: approve_suspension(suspension=req, **kw),
        refuse=lambda req, **kw: refuse_suspension(suspension=req, **kw),
        done={"approve": _("已批准挂账。"), "refuse": _("已不批准挂账。")},
    )


# --- patrol ----------------------------------------------------------------------------------------


@login_required
def patrol(request: HttpRequest) -> HttpResponse:
    """A grid worker files what they found on patrol; fixed on the spot, it closes at once."""
    if not selectors.grid_ids_of(request.user):
        raise PermissionDenied(_("只有网格员可以提交巡查上报。"))
    form = forms.PatrolForm(request.POST or None, request.FILES or None)
    status, error = 200, ""
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = file_patrol_report(
                    actor=request.user,
                    category=data["category"],
                    lon=data["lon"],
                    lat=data["lat"],
                    address=data["address"],
                    description=data["description"],
                    photos=[data["photo"]],
                    handled_on_spot=data["handled_on_spot"],
                    after_photo=data["after_photo"],
                    note=data["note"],
                )
            except NotPermitted as exc:
                error, status = str(exc), 403
            except ReportError as exc:
                error = str(exc.message)
                if exc.field in form.fields:
                    form.add_error(exc.field, error)
            else:
                done = (
                    _("巡查上报 %(number)s 已现场办结。")
                    if report.status == Status.CLOSED
                    else _("巡查上报 %(number)s 已提交。")
                )
                messages.success(request, done % {"number": report.number})
                return redirect("dispatch:ticket", number=report.number)
        else:
            error = _("请检查填写的内容。")
    return render(request, "dispatch/patrol.html", {"form": form, "error": error}, status=status)
