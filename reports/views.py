"""Resident-facing pages: the report form, tracking, "my reports" and the public map and list.

Every page works without JavaScript (plain forms); static/js/report_*.js only enhances them.
"""

import os
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from rest_framework.exceptions import Throttled

from reports import actions, selectors, submission_keys
from reports.errors import ReportError, StateConflict
from reports.models import Category, Rating, Report
from reports.photos import MAX_PHOTOS
from reports.throttles import check_submit

FORM_FIELDS = (
    "category",
    "lon",
    "lat",
    "address",
    "description",
    "contact_name",
    "contact_phone",
    "idempotency_key",
)


def _checked(data, name: str) -> bool:
    return data.get(name) in ("1", "on", "true", "yes")


def _form_context(request, values: dict, errors: dict, nearby=None, status=200) -> HttpResponse:
    return render(
        request,
        "reports/report_form.html",
        {
            "values": values,
            "errors": errors,
            "tree": selectors.category_tree(),
            "common": selectors.common_problems(),
            "nearby": nearby,
            "max_photos": MAX_PHOTOS,
            "words": {
                "remove": _("删除"),
                "tooMany": _("最多上传 9 张照片。"),
                "sending": _("正在提交…"),
                "failed": _("网络异常，请稍后重试。"),
                "nearbyTitle": _("附近已有相同问题"),
                "chosen": _("已选择："),
                "noMatch": _("没有找到，请换个说法，或勾选“不确定类别”。"),
                "local": _("本地扩展"),
                "nearbyHint": _(
                    "如果是同一个问题，点击“我也遇到了”即可关注办理进展，无需重复上报。"
                ),
                "metoo": _("我也遇到了"),
                "meters": _(" 米"),
                "locating": _("正在获取您的位置…"),
                "locateDenied": _(
                    "无法获取位置：您没有允许本网站使用定位。可以在地图上拖动图钉、搜索地点，或在浏览器设置中允许定位后重试。"
                ),
                "locateTimeout": _("获取位置超时，请到信号较好的地方重试，或在地图上拖动图钉。"),
                "locateUnavailable": _("暂时无法获取位置，请在地图上拖动图钉或搜索地点。"),
                "locateUnsupported": _("此浏览器不支持定位，请在地图上拖动图钉或搜索地点。"),
                "located": _("已定位到您的当前位置（精度约 {m} 米）。"),
                "pin": _("图钉位置"),
                "alreadyFiled": _("此报告已经提交过，编号 {n}。"),
            },
        },
        status=status,
    )


def report_page(request: HttpRequest) -> HttpResponse:
    """GET shows the form (and, with category + point, the open reports nearby); POST files it."""
    if request.method == "POST":
        return _submit(request)
    values = {name: request.GET.get(name, "") for name in FORM_FIELDS}
    # Never from the URL: a link carrying a key would let its author replay the submission.
    values["idempotency_key"] = submission_keys.issue(request)
    values["hide_identity"] = _checked(request.GET, "hide_identity")
    values["category_unsure"] = _checked(request.GET, "category_unsure")
    nearby = None
    if request.GET.get("check") and values["category"] and values["lon"] and values["lat"]:
        category = Category.objects.by_code(values["category"])
        try:
            point = float(values["lon"]), float(values["lat"])
        except ValueError:
            point = None
        if category is not None and point is not None:
            nearby = selectors.nearby_open_reports(category=category, lon=point[0], lat=point[1])
    return _form_context(request, values, {}, nearby)


def _submit(request: HttpRequest) -> HttpResponse:
    data = request.POST
    values = {name: data.get(name, "") for name in FORM_FIELDS}
    values["hide_identity"] = _checked(data, "hide_identity")
    values["category_unsure"] = _checked(data, "category_unsure")
    try:
        check_submit(request)
    except Throttled as exc:
        return _form_context(request, values, {"form": exc.detail}, status=429)
    try:
        report = actions.submit_report(
            category=values["category"],
            lon=values["lon"],
            lat=values["lat"],
            address=values["address"],
            description=values["description"],
            photos=request.FILES.getlist("photos"),
            reporter=request.user if request.user.is_authenticated else None,
            contact_name=values["contact_name"],
            contact_phone=values["contact_phone"],
            hide_identity=values["hide_identity"],
            category_unsure=values["category_unsure"],
            idempotency_key=values["idempotency_key"],
        )
    except ReportError as exc:
        return _form_context(request, values, {exc.field or "form": str(exc.message)}, status=400)
    if not submission_keys.may_see_token(request, report, values["idempotency_key"]):
        # Someone else's key: the number, but not the tracking link.
        blank = {name: "" for name in FORM_FIELDS}
        blank["idempotency_key"] = submission_keys.issue(request)
        message = _("此报告已经提交过，编号 %(number)s。") % {"number": report.number}
        return _form_context(request, blank, {"form": message})
    return redirect(f"{reverse('reports:track', args=[report.tracking_token])}?new=1")


def _tracking_context(report: Report, *, request, token: str) -> dict:
    return {
        "report": report,
        "timeline": selectors.public_timeline(report),
        "before_photos": [p for p in report.photos.all() if p.kind == "before"],
        "after_photos": [p for p in report.photos.all() if p.kind in ("after", "check")],
        "is_reporter": selectors.is_reporter(report, user=request.user, token=token),
        "ratings": Rating.choices,
        "token": token,
    }


@require_GET
def track(request: HttpRequest, token: str) -> HttpResponse:
    """The private tracking page: whoever holds the link is the reporter; no account needed."""
    report = selectors.report_for_token(token)
    if report is None:
        raise Http404
    context = _tracking_context(report, request=request, token=token)
    context["new"] = request.GET.get("new") == "1"
    context["tracking_url"] = request.build_absolute_uri(reverse("reports:track", args=[token]))
    return render(request, "reports/track.html", context)


def _tracked_or_404(token: str) -> Report:
    report = selectors.report_for_token(token)
    if report is None:
        raise Http404
    return report


@require_POST
def rate(request: HttpRequest, token: str) -> HttpResponse:
    report = _tracked_or_404(token)
    actor = request.user if request.user.is_authenticated else None
    try:
        actions.rate_report(
            report=report,
            actor=actor,
            rating=request.POST.get("rating", ""),
            comment=request.POST.get("comment", ""),
        )
    except ReportError as exc:
        context = _tracking_context(report, request=request, token=token)
        context["rate_error"] = str(exc.message)
        status = 409 if isinstance(exc, StateConflict) else 400
        return render(request, "reports/track.html", context, status=status)
    messages.success(request, _("感谢您的评价。"))
    return redirect("reports:track", token=token)


@require_POST
def reopen(request: HttpRequest, token: str) -> HttpResponse:
    report = _tracked_or_404(token)
    actor = request.user if request.user.is_authenticated else None
    try:
        actions.request_reopen(report=report, actor=actor, reason=request.POST.get("reason", ""))
    except ReportError as exc:
        context = _tracking_context(report, request=request, token=token)
        context["reopen_error"] = str(exc.message)
        status = 409 if isinstance(exc, StateConflict) else 400
        return render(request, "reports/track.html", context, status=status)
    messages.success(request, _("已提交重办申请，指挥中心将尽快处理。"))
    return redirect("reports:track", token=token)


@require_POST
def support(request: HttpRequest, number: str) -> HttpResponse:
    """ "Me too" on an open public report, from the nearby list."""
    report = selectors.public_report(number)
    if report is None:
        raise Http404
    user = request.user if request.user.is_authenticated else None
    try:
        check_submit(request)
    except Throttled as exc:
        messages.error(request, exc.detail)
        return redirect("reports:public_detail", number=number)
    try:
        actions.support_report(
            report=report, user=user, contact_phone=request.POST.get("contact_phone", "")
        )
    except ReportError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("已附议，您将关注此事项的办理进展。"))
    return redirect("reports:public_detail", number=number)


@login_required
def my_reports(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.reports_of(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "reports/my_reports.html", {"page": page})


@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    """The public map and list: public categories only, nothing about the reporter."""
    page = Paginator(selectors.public_reports().order_by("-submitted_at"), 30).get_page(
        request.GET.get("page")
    )
    points = [
        {
            "number": r.number,
            "lon": round(r.lon, 5),
            "lat": round(r.lat, 5),
            "category": r.category.name,
            "status": r.get_status_display(),
        }
        for r in page
    ]
    return render(request, "reports/public_list.html", {"page": page, "points": points})


@require_GET
def public_detail(request: HttpRequest, number: str) -> HttpResponse:
    report = selectors.public_report(number)
    if report is None:
        raise Http404
    context = _tracking_context(report, request=request, token="")
    context["is_reporter"] = False
    return render(request, "reports/public_detail.html", context)


@csrf_exempt  # a benchmark client has no session; the view exists only with YIMA_BENCH_VIEWS=1
@require_POST
def bench_store_upload(request: HttpRequest) -> JsonResponse:
    """Benchmark baseline only (YIMA_BENCH_VIEWS=1): store the upload, nothing else."""
    if os.environ.get("YIMA_BENCH_VIEWS") != "1":
        raise Http404
    upload = request.FILES["photos"]
    name = default_storage.save(f"bench/{uuid.uuid4().hex}.jpg", ContentFile(upload.read()))
    return JsonResponse({"name": name}, status=201)
