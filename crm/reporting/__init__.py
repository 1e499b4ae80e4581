"""Reporting: aggregate counts only, with small numbers protected.

The one package allowed to read equality monitoring answers (the forbidden
contract in .importlinter). Every figure it shows passes through
``disclosure`` first; no page here lists or links to a person.
"""
