from django.dispatch import Signal

# Sent after the transaction that saved a new report commits (never inside it), so listeners — the
# dispatcher — see the committed row. Arguments: report_id.
report_submitted = Signal()
