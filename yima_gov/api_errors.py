"""The API's one exception handler (REST_FRAMEWORK["EXCEPTION_HANDLER"]): the actions' refusals
become answers here, not in each view.

- reports.errors.StateConflict (dispatch's TransitionRefused too): 409 {"detail", "code"};
- reports.errors.ReportError (SubmissionError): 400 {field: [message]} with its code;
- NotPermitted (a PermissionDenied) and everything else: DRF's own handling (403, 404, 400…).

Open311 keeps its own handler (reports/open311/views.py), which the standard's error format needs.
"""

from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from reports.errors import ReportError, StateConflict


def exception_handler(exc, context):
    if isinstance(exc, StateConflict):
        return Response(
            {"detail": str(exc.message), "code": exc.code}, status=status.HTTP_409_CONFLICT
        )
    if isinstance(exc, ReportError):
        exc = ValidationError({exc.field or "non_field_errors": [str(exc.message)]}, code=exc.code)
    return drf_exception_handler(exc, context)
