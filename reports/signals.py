from django.dispatch import Signal

# Sent after the transaction that saved a new report commits (never inside it), so listeners — the
# dispatcher — see the committed row. Arguments: report_id.
report_submitted = Signal()

# Sent after the transaction that stored photos commits: their thumbnails are queued (receivers).
# Arguments: photo_ids. reports.actions sends it, so it never imports reports.tasks (which imports
# the actions): no import circle.
photos_stored = Signal()
