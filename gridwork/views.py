"""民情 pages: the ledger of the person's grids, recording a visit or patrol from the phone, a
visit with its items (settle on the spot, or file a ticket in one tap).

A visit outside what the person may see is 404 (its existence is not confirmed); the pages
refuse (403) a person who is neither a grid worker, a volunteer nor community staff.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dispatch.errors import TransitionRefused
from grids.models import Community, Grid
from gridwork import access, actions, selectors
from gridwork.forms import (
    PartyMemberForm,
    PartyOrganisationForm,
    PlanForm,
    SettleForm,
    TicketForm,
    VisitForm,
)
from gridwork.models import Item, Visit
from reports.errors import ReportError, StateConflict


def _run(action, **kwargs):
    """Call the action; returns (result, None) or (None, (status, message))."""
    try:
        return action(**kwargs), None
    except PermissionDenied as exc:
        return None, (403, str(exc) or "")
    except (TransitionRefused, StateConflict) as exc:
        return None, (409, str(exc.message))
    except ReportError as exc:
        return None, (400, str(exc.message))


def _form_error(form) -> str:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        return f"{label}：{errors[0]}" if label else errors[0]
    return ""


def _require_ledger(user) -> None:
    if not access.uses_ledger(user):
        raise PermissionDenied(_("只有网格员、志愿者和社区工作人员可以使用民情台账。"))


def _home(request, *, error="", status=200):
    user = request.user
    progress = selectors.week_progress(access.staff_grids(user), today=timezone.localdate())
    for row in progress:
        row["may_plan"] = access.may_plan(user, row["grid"])
    staff_grids = list(access.staff_grids(user))
    plannable = [g for g in staff_grids if access.may_plan(user, g)]
    return render(
        request,
        "gridwork/home.html",
        {
            "grids": access.recording_grids(user),
            "visits": selectors.visits_of(user)[:30],
            "open_items": selectors.open_items(user)[:50],
            "progress": progress,
            "plannable": plannable,
            "plan_form": PlanForm(auto_id=False),
            "sees_people": bool(staff_grids),
            "manages_party": bool(access.staff_community_ids(user)),
            "error": error,
        },
        status=status,
    )


@login_required
@require_GET
def home(request):
    _require_ledger(request.user)
    return _home(request)


@login_required
@require_POST
def plan_set(request, grid_id: int):
    grid = get_object_or_404(Grid, id=grid_id)
    if not access.staff_grids(request.user).filter(id=grid.id).exists():
        raise Http404
    form = PlanForm(request.POST)
    if not form.is_valid():
        return _home(request, error=_form_error(form), status=400)
    _plan, problem = _run(
        actions.set_patrol_plan,
        actor=request.user,
        grid=grid,
        visits_per_week=form.cleaned_data["visits_per_week"],
        patrols_per_week=form.cleaned_data["patrols_per_week"],
    )
    if problem is not None:
        status, error = problem
        return _home(request, error=error, status=status)
    messages.success(request, _("%(grid)s 的走访巡查计划已保存。") % {"grid": grid.name})
    return redirect("gridwork:home")


@login_required
@require_GET
def people(request):
    """A grid's volunteers for its workers and its community's staff (phones masked)."""
    grids = access.staff_grids(request.user)
    if not grids.exists():
        raise PermissionDenied(_("只有网格员和社区工作人员可以查看志愿者名单。"))
    return render(request, "gridwork/people.html", {"volunteers": selectors.volunteers_of(grids)})


@login_required
@require_http_methods(["GET", "POST"])
def visit_new(request):
    grids = access.recording_grids(request.user)
    if not grids.exists():
        raise PermissionDenied(_("只有网格员和志愿者可以记录走访巡查。"))
    initial = {"kind": request.GET.get("kind") or Visit.Kind.VISIT, "minutes": 30}
    form = VisitForm(request.POST or None, request.FILES or None, grids=grids, initial=initial)
    error, status = "", 200
    if request.method == "POST":
        if not form.is_valid():
            error, status = _form_error(form), 400
        else:
            data = form.cleaned_data
            visit, problem = _run(
                actions.record_visit,
                actor=request.user,
                kind=data["kind"],
                grid=data["grid"],
                compound=data["compound"],
                lon=data["lon"],
                lat=data["lat"],
                household=data["household"],
                note=data["note"],
                minutes=data["minutes"],
                items=form.items(),
                photos=data["photos"],
            )
            if problem is None:
                messages.success(request, _("已记录，请处理每条民情。"))
                return redirect("gridwork:visit", visit_id=visit.id)
            status, error = problem
    return render(request, "gridwork/visit_new.html", {"form": form, "error": error}, status=status)


def _visit_or_404(user, visit_id: int) -> Visit:
    visit = get_object_or_404(
        Visit.objects.select_related("grid__community", "compound", "recorded_by"), id=visit_id
    )
    if not access.may_see_visit(user, visit):
        raise Http404
    return visit


def _visit_page(request, visit, *, error="", status=200):
    items = list(visit.items.select_related("ticket").order_by("id"))
    for item in items:
        item.may_handle = item.status == Item.Status.OPEN and access.may_handle_item(
            request.user, item
        )
    return render(
        request,
        "gridwork/visit.html",
        {
            "visit": visit,
            "items": items,
            "photos": list(visit.photos.all()),
            "settle_form": SettleForm(auto_id=False),
            "ticket_form": TicketForm(auto_id=False),
            "error": error,
        },
        status=status,
    )


@login_required
@require_GET
def visit(request, visit_id: int):
    return _visit_page(request, _visit_or_404(request.user, visit_id))


@login_required
@require_GET
def visit_photo(request, visit_id: int, photo_id: int):
    """A visit's photo, to whoever may see the visit: nothing of the platform's is served from a
    public /media/ URL."""
    visit = _visit_or_404(request.user, visit_id)
    photo = get_object_or_404(visit.photos, id=photo_id)
    try:
        handle = default_storage.open(photo.image.name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _item_or_404(user, item_id: int) -> Item:
    item = get_object_or_404(Item.objects.select_related("visit"), id=item_id)
    if not access.may_see_visit(user, item.visit):
        raise Http404
    return item


@login_required
@require_POST
def item_settle(request, item_id: int):
    item = _item_or_404(request.user, item_id)
    form = SettleForm(request.POST)
    form.is_valid()
    _item, problem = _run(
        actions.settle_item, actor=request.user, item=item, note=form.cleaned_data.get("note", "")
    )
    if problem is not None:
        status, error = problem
        return _visit_page(
            request, _visit_or_404(request.user, item.visit_id), error=error, status=status
        )
    messages.success(request, _("已标记为当场解决。"))
    return redirect("gridwork:visit", visit_id=item.visit_id)


@login_required
@require_POST
def item_ticket(request, item_id: int):
    item = _item_or_404(request.user, item_id)
    form = TicketForm(request.POST)
    if not form.is_valid():
        return _visit_page(
            request, _visit_or_404(request.user, item.visit_id), error=_form_error(form), status=400
        )
    visit_id = item.visit_id
    item, problem = _run(
        actions.ticket_item, actor=request.user, item=item, category=form.cleaned_data["category"]
    )
    if problem is not None:
        status, error = problem
        visit = _visit_or_404(request.user, visit_id)
        return _visit_page(request, visit, error=error, status=status)
    messages.success(request, _("已转为工单 %(number)s。") % {"number": item.ticket.number})
    return redirect("gridwork:visit", visit_id=item.visit_id)


def _party_communities(user):
    ids = access.staff_community_ids(user)
    if not ids:
        raise PermissionDenied(_("只有社区工作人员可以管理党组织和党员。"))
    return Community.objects.filter(id__in=ids).order_by("code")


def _party_page(request, communities, *, org_form=None, member_form=None, error="", status=200):
    return render(
        request,
        "gridwork/party.html",
        {
            "organisations": selectors.party_organisations([c.id for c in communities]),
            "org_form": org_form or PartyOrganisationForm(communities=communities),
            "member_form": member_form or PartyMemberForm(communities=communities),
            "error": error,
        },
        status=status,
    )


@login_required
@require_GET
def party(request):
    """A community's party organisations and members, for its staff."""
    return _party_page(request, _party_communities(request.user))


@login_required
@require_POST
def party_organisation_add(request):
    communities = _party_communities(request.user)
    form = PartyOrganisationForm(request.POST, communities=communities)
    if not form.is_valid():
        return _party_page(request, communities, org_form=form, error=_form_error(form), status=400)
    data = form.cleaned_data
    _org, problem = _run(
        actions.add_party_organisation,
        actor=request.user,
        community=data["community"],
        name=data["name"],
        kind=data["kind"],
        compound=data["compound"],
    )
    if problem is not None:
        status, error = problem
        return _party_page(request, communities, org_form=form, error=error, status=status)
    messages.success(request, _("党组织已添加。"))
    return redirect("gridwork:party")


@login_required
@require_POST
def party_member_assign(request):
    communities = _party_communities(request.user)
    form = PartyMemberForm(request.POST, communities=communities)
    if not form.is_valid():
        return _party_page(
            request, communities, member_form=form, error=_form_error(form), status=400
        )
    data = form.cleaned_data
    _volunteer, problem = _run(
        actions.assign_party_member,
        actor=request.user,
        volunteer=data["volunteer"],
        organisation=data["organisation"],
        serves_as=data["serves_as"],
    )
    if problem is not None:
        status, error = problem
        return _party_page(request, communities, member_form=form, error=error, status=status)
    messages.success(request, _("党员已加入党组织。"))
    return redirect("gridwork:party")
