"""议事 pages: a community's sessions (its staff and its grids' workers), the open decisions, the
photos (same people), and the community's public page (topics and outcomes, nobody's name).

A session outside the person's communities is 404 (its existence is not confirmed); the list
pages refuse (403) a person who records no community's sessions.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grids.models import Community, Grid
from mediation import access, deliberation, selectors
from mediation.forms import DecisionDoneForm, SessionForm, TopicForm
from mediation.models import Session, SessionPhoto, Topic
from mediation.views.common import done, form_error, private_file, run


def _require_recorder(user) -> set[int]:
    communities = access.deliberation_community_ids(user)
    if not communities:
        raise PermissionDenied(_("只有社区工作人员和网格员可以查看议事记录。"))
    return communities


def _session_or_404(user, session_id: int) -> Session:
    session = get_object_or_404(Session.objects.select_related("community", "grid"), id=session_id)
    if not access.may_record_sessions(user, session.community_id):
        raise Http404
    return session


@login_required
@require_GET
def sessions(request):
    _require_recorder(request.user)
    return render(
        request,
        "mediation/sessions.html",
        {
            "sessions": selectors.sessions_of(request.user)[:50],
            "open_decisions": selectors.open_decisions(request.user).count(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_new(request):
    _require_recorder(request.user)
    communities = access.deliberation_communities(request.user)
    form = SessionForm(request.POST or None, request.FILES or None, communities=communities)
    error, status = "", 200
    if request.method == "POST":
        if not form.is_valid():
            error, status = form_error(form), 400
        else:
            data = form.cleaned_data
            grid = None
            if data["grid"]:
                grid = Grid.objects.filter(code=data["grid"].strip()).first()
            if data["grid"] and grid is None:
                error, status = _("找不到该网格。"), 400
            else:
                session, problem = run(
                    request,
                    deliberation.record_session,
                    actor=request.user,
                    community=data["community"],
                    grid=grid,
                    held_on=data["held_on"],
                    place=data["place"],
                    facilitator=data["facilitator"],
                    attendance=data["attendance"],
                    photos=data["photos"],
                )
                if problem is None:
                    done(request, _("议事会已记录，请添加议题。"))
                    return redirect("mediation:session", session_id=session.id)
                status, error = problem
    return render(
        request, "mediation/session_new.html", {"form": form, "error": error}, status=status
    )


def _session_page(request, session, *, topic_form=None, error="", status=200):
    topics = list(session.topics.select_related("ticket").order_by("id"))
    return render(
        request,
        "mediation/session.html",
        {
            "session": session,
            "topics": topics,
            "photos": list(session.photos.all()),
            "topic_form": topic_form or TopicForm(initial={"outcome": Topic.Outcome.SETTLED}),
            "error": error,
        },
        status=status,
    )


@login_required
@require_GET
def session(request, session_id: int):
    return _session_page(request, _session_or_404(request.user, session_id))


@login_required
@require_POST
def topic_add(request, session_id: int):
    session = _session_or_404(request.user, session_id)
    form = TopicForm(request.POST)
    if not form.is_valid():
        return _session_page(request, session, topic_form=form, error=form_error(form), status=400)
    data = form.cleaned_data
    topic, problem = run(
        request,
        deliberation.add_topic,
        actor=request.user,
        session=session,
        title=data["title"],
        raised_by=data["raised_by"],
        outcome=data["outcome"],
        discussion=data["discussion"],
        decision_owner=data["decision_owner"],
        decision_due=data["decision_due"],
        category=data["category"],
    )
    if problem is not None:
        status, error = problem
        return _session_page(request, session, topic_form=form, error=error, status=status)
    if topic.ticket_id:
        done(request, _("议题已转为工单 %(number)s。") % {"number": topic.ticket.number})
    else:
        done(request, _("议题已记录。"))
    return redirect("mediation:session", session_id=session.id)


@login_required
@require_GET
def decisions(request):
    _require_recorder(request.user)
    return render(
        request,
        "mediation/decisions.html",
        {"decisions": selectors.open_decisions(request.user)[:200], "form": DecisionDoneForm()},
    )


@login_required
@require_POST
def decision_done(request, topic_id: int):
    topic = get_object_or_404(Topic.objects.select_related("session"), id=topic_id)
    if not access.may_record_sessions(request.user, topic.session.community_id):
        raise Http404
    form = DecisionDoneForm(request.POST)
    form.is_valid()
    _topic, problem = run(
        request,
        deliberation.complete_decision,
        actor=request.user,
        topic=topic,
        note=form.cleaned_data.get("note", ""),
    )
    if problem is not None:
        status, error = problem
        return render(
            request,
            "mediation/decisions.html",
            {
                "decisions": selectors.open_decisions(request.user)[:200],
                "form": DecisionDoneForm(),
                "error": error,
            },
            status=status,
        )
    done(request, _("决定已标记为完成。"))
    return redirect("mediation:decisions")


@login_required
@require_GET
def session_photo(request, photo_id: int):
    photo = get_object_or_404(SessionPhoto.objects.select_related("session"), id=photo_id)
    if not access.may_record_sessions(request.user, photo.session.community_id):
        raise Http404
    return private_file(photo.image.name, content_type="image/jpeg", filename=f"{photo.id}.jpg")


@require_GET
def community_public(request, code: str):
    """Public: a community's deliberation sessions, their topics and outcomes. No names, no
    discussion, no photos."""
    community = get_object_or_404(Community.objects.select_related("street"), code=code)
    return render(
        request,
        "mediation/community_public.html",
        {"community": community, "sessions": selectors.public_sessions(community)},
    )
