"""What the 议事 and 调解 pages share: running an action and mapping its refusal to a status."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404

from dispatch.errors import TransitionRefused
from mediation.storage import private_storage
from reports.errors import ReportError, StateConflict


def run(request, action, **kwargs):
    """Call the action; returns (result, None) or (None, (status, message))."""
    try:
        return action(**kwargs), None
    except PermissionDenied as exc:
        return None, (403, str(exc) or "")
    except (TransitionRefused, StateConflict) as exc:
        return None, (409, str(exc.message))
    except ReportError as exc:
        return None, (400, str(exc.message))


def form_error(form) -> str:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        return f"{label}：{errors[0]}" if label else errors[0]
    return ""


def done(request, text: str) -> None:
    messages.success(request, text)


def private_file(name: str, *, content_type: str, filename: str) -> FileResponse:
    """A private file, after the view checked who asks. Never cached by shared caches."""
    try:
        handle = private_storage.open(name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type, filename=filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
