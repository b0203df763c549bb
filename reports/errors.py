"""The exceptions reports' actions raise. Each carries a message a resident can read (Chinese msgid,
translated on display) and the field it is about, so views can show it next to the right input."""


class ReportError(Exception):
    """Base class: `message` is user-facing, `field` names the input (or None), `code` is stable."""

    def __init__(self, message, *, field: str | None = None, code: str = "invalid"):
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.code = code


class SubmissionError(ReportError):
    """Invalid input to an action: nothing was saved. Views answer 400 (429 for code="throttled")."""


class StateConflict(ReportError):
    """The ticket is not in a state that allows this (rating an open ticket). Views answer 409."""
