"""Paying people fairly: dated rate cards, benefits-aware schedules, claims, expenses and the
ledger.
"""
