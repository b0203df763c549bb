"""The one way a report's photo leaves the server: /photos/<id>/<original|thumb>/.

Access is by signature (reports/photo_access.py) — only pages that checked their reader hand
them out — except the thumbnails of reports the public list shows. The file is sent by Django
(PHOTO_DELIVERY=django) or, behind nginx, handed to the proxy with X-Accel-Redirect
(PHOTO_DELIVERY=x-accel; nginx maps PHOTO_ACCEL_PREFIX to MEDIA_ROOT as an internal location).
"""

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.views.decorators.http import require_GET

from reports import photo_access
from reports.models import Photo
from reports.selectors import publicly_visible


@require_GET
def photo(request, photo_id: int, variant: str):
    if variant not in photo_access.VARIANTS:
        raise Http404
    found = Photo.objects.filter(pk=photo_id).only("id", "report_id", "image", "thumbnail").first()
    if found is None:
        raise Http404
    signed = photo_access.signature_valid(
        photo_id, variant, request.GET.get("e"), request.GET.get("s")
    )
    public = (
        not signed
        and variant == "thumb"
        and bool(found.thumbnail)
        and publicly_visible().filter(pk=found.report_id).exists()
    )
    if not (signed or public):
        # Not found rather than forbidden: an outsider learns nothing about which ids exist.
        raise Http404
    name = found.thumbnail.name if variant == "thumb" and found.thumbnail else found.image.name
    # A public thumbnail may sit in shared caches; everything else only in the reader's browser.
    cache_control = "public, max-age=86400" if public else "private, max-age=3600"
    if settings.PHOTO_DELIVERY == "x-accel":
        response = HttpResponse(content_type="image/jpeg")
        response["X-Accel-Redirect"] = settings.PHOTO_ACCEL_PREFIX + name
    else:
        try:
            handle = default_storage.open(name, "rb")
        except (FileNotFoundError, OSError):
            raise Http404 from None
        response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = cache_control
    response["X-Content-Type-Options"] = "nosniff"
    return response
