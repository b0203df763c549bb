"""Writes of the dispatch app, one module per stage of a ticket's life (see README, "How a report
travels"). Every action runs in one transaction, locks the ticket (then the task) with
select_for_update — always in that order, so two actions on one ticket cannot deadlock — checks
who may act, refuses an impossible transition with TransitionRefused (nothing written), writes one
timeline event, and notifies inside the transaction (e-mail/SMS copies leave after commit).

Shared helpers live in small modules: guards, locking, notifications, photos, bookkeeping.
This package exports nothing itself: import from the module where a thing lives.
"""
