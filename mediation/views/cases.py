"""调解 pages: the cases a person may work (and disputes waiting for one), opening a case from a
dispute ticket, the case page with its actions, and the signed agreement's file.

A case is for its mediators, its community's staff and the dispatchers: anyone else gets 404 for
the case, its actions and its file. Parties' names and phones appear on the case page only.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from mediation import access, cases, selectors
from mediation.events import KIND_LABELS
from mediation.forms import (
    AgreementForm,
    CaseSessionForm,
    CloseTicketForm,
    ConcludeForm,
    EraseForm,
    FollowUpForm,
    MediatorForm,
    OpenCaseForm,
    PartyForm,
)
from mediation.models import Case
from mediation.views.common import done, form_error, private_file, run
from reports.models import Report


def _may_use_cases(user) -> bool:
    return bool(
        user.is_dispatcher
        or access.deliberation_community_ids(user)
        or user.mediations.exists()
        or selectors.disputes_awaiting_case(user).exists()
    )


@login_required
@require_GET
def case_list(request):
    if not _may_use_cases(request.user):
        raise PermissionDenied(_("只有调解员、社区工作人员和指挥中心可以查看调解案件。"))
    return render(
        request,
        "mediation/cases.html",
        {
            "cases": selectors.cases_of(request.user)[:100],
            "awaiting": selectors.disputes_awaiting_case(request.user)[:50],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_open(request, number: str):
    ticket = get_object_or_404(
        Report.objects.select_related("category", "community"), number=number
    )
    if not access.may_open_case(request.user, ticket):
        raise Http404
    organisations = selectors.organisations_for(ticket.community_id)
    form = OpenCaseForm(request.POST or None, organisations=organisations)
    error, status = "", 200
    if request.method == "POST":
        if not form.is_valid():
            error, status = form_error(form), 400
        else:
            case, problem = run(
                request,
                cases.open_case,
                actor=request.user,
                ticket=ticket,
                organisation=form.cleaned_data["organisation"],
                summary=form.cleaned_data["summary"],
            )
            if problem is None:
                done(request, _("已受理调解。"))
                return redirect("mediation:case", case_id=case.id)
            status, error = problem
    return render(
        request,
        "mediation/case_open.html",
        {"ticket": ticket, "form": form, "error": error},
        status=status,
    )


def _case_or_404(user, case_id: int) -> Case:
    case = get_object_or_404(
        Case.objects.select_related("organisation", "community", "ticket", "ticket__category"),
        id=case_id,
    )
    if not access.may_work_case(user, case):
        raise Http404
    return case


FORMS = {
    "mediator": MediatorForm,
    "party": PartyForm,
    "session": CaseSessionForm,
    "agreement": AgreementForm,
    "follow-up": FollowUpForm,
    "conclude": ConcludeForm,
    "close-ticket": CloseTicketForm,
    "erase": EraseForm,
}


def _case_page(request, case, *, bound=None, error="", status=200):
    # Template names cannot hold "-": follow-up's form is forms.follow_up there.
    forms = {name.replace("-", "_"): form() for name, form in FORMS.items()}
    if bound is not None:
        forms[bound[0].replace("-", "_")] = bound[1]
    ticket = case.ticket
    context = {
        "case": case,
        "ticket": ticket,
        "mediators": list(case.mediators.select_related("user")),
        "parties": list(case.parties.all()),
        "sessions": list(case.sessions.all()),
        "events": [
            (event, KIND_LABELS.get(event.kind, event.kind))
            for event in case.events.select_related("actor")
        ],
        "forms": forms,
        "error": error,
        "follow_up_open": case.status == Case.Status.AGREED,
        "ticket_waiting": case.status == Case.Status.CONCLUDED and ticket.is_open,
        "may_erase": case.status == Case.Status.CONCLUDED
        and not case.parties_erased_at
        and (
            request.user.is_dispatcher
            or case.community_id in access.staff_community_ids(request.user)
        ),
    }
    return render(request, "mediation/case.html", context, status=status)


@login_required
@require_GET
def case(request, case_id: int):
    return _case_page(request, _case_or_404(request.user, case_id))


def _mediator_kwargs(data) -> dict | str:
    phone = (data.get("phone") or "").strip()
    if phone:
        user = User.objects.filter(phone=phone, is_active=True).first()
        if user is None:
            return _("找不到该手机号的工作人员，请按姓名添加为志愿调解员。")
        return {"user": user}
    return {"name": data.get("name", "")}


@login_required
@require_POST
def case_action(request, case_id: int, action: str):
    case = _case_or_404(request.user, case_id)
    if action not in FORMS:
        raise Http404
    form = FORMS[action](request.POST, request.FILES)
    if not form.is_valid():
        return _case_page(request, case, bound=(action, form), error=form_error(form), status=400)
    data = form.cleaned_data
    actor = request.user
    if action == "mediator":
        kwargs = _mediator_kwargs(data)
        if isinstance(kwargs, str):
            return _case_page(request, case, bound=(action, form), error=kwargs, status=400)
        result, problem = run(request, cases.add_mediator, actor=actor, case=case, **kwargs)
        message = _("调解员已添加。")
    elif action == "party":
        result, problem = run(
            request,
            cases.add_party,
            actor=actor,
            case=case,
            name=data["party_name"],
            phone=data["party_phone"],
        )
        message = _("当事人已添加。")
    elif action == "session":
        result, problem = run(request, cases.record_case_session, actor=actor, case=case, **data)
        message = _("调解记录已保存。")
    elif action == "agreement":
        result, problem = run(
            request,
            cases.record_agreement,
            actor=actor,
            case=case,
            text=data["agreement_text"],
            file=data["agreement_file"],
        )
        message = _("调解协议已保存，请按期回访。")
    elif action == "follow-up":
        result, problem = run(request, cases.record_follow_up, actor=actor, case=case, **data)
        message = _("回访已记录。")
    elif action == "conclude":
        result, problem = run(request, cases.conclude_case, actor=actor, case=case, **data)
        message = _("案件已结案。")
    elif action == "close-ticket":
        result, problem = run(request, cases.close_ticket_from_case, actor=actor, case=case, **data)
        message = _("工单已按调解结果结案。")
    else:
        result, problem = run(request, cases.erase_parties, actor=actor, case=case)
        message = _("当事人信息已删除。")
    if problem is not None:
        status, error = problem
        return _case_page(request, case, bound=(action, form), error=error, status=status)
    if getattr(result, "ticket_closed", None) is True:
        message = _("案件已结案，工单已按调解结果办结。")
    elif getattr(result, "ticket_closed", None) is False:
        message = _("案件已结案；工单待承办单位处置完毕及现场核查后办结。")
    done(request, message)
    return redirect("mediation:case", case_id=case.id)


@login_required
@require_GET
def agreement_file(request, case_id: int):
    case = _case_or_404(request.user, case_id)
    if not case.agreement_file:
        raise Http404
    extension = "pdf" if case.agreement_content_type == "application/pdf" else "jpg"
    return private_file(
        case.agreement_file.name,
        content_type=case.agreement_content_type,
        filename=f"agreement-{case.id}.{extension}",
    )
