from django.dispatch import Signal

# Sent after commit when a visit recorded a dispute (矛盾纠纷) item, so that mediation (or any
# later app) may take it up without gridwork importing it. Arguments: item_id, visit_id.
dispute_item_recorded = Signal()
