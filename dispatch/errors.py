"""What dispatch actions raise. Messages are Chinese msgids a user can read.

- reports.errors.SubmissionError: bad input (missing reason, unknown unit); the API answers 400.
- TransitionRefused: the ticket or task is not in a state that allows this; the API answers 409.
- NotPermitted: the person may not do this to this ticket or task; the API answers 403.
"""

from django.core.exceptions import PermissionDenied

from reports.errors import StateConflict, SubmissionError  # noqa: F401  (re-exported)


class TransitionRefused(StateConflict):
    """A refused state change. Nothing was written."""


class NotPermitted(PermissionDenied):
    """Not a member of the task's unit, not a worker of the ticket's grid, not a dispatcher."""
