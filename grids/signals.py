from django.dispatch import Signal

# Sent by `manage.py seed_yima` after the divisions, grids and demo people exist, so that later apps
# (categories, units, demo history) add their part without grids importing them.
# Arguments: demo (bool), history (int: synthetic tickets wanted with demo data), stdout (a writer
# for progress lines).
seed_yima = Signal()
