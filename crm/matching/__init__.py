"""Matching: who could take a role and why (pure rules in ``criteria``), the
ranked candidate list, the batch solver that fills many roles at once, and
offers with the replies people give.

Equality monitoring answers are never read here: the import contract in
``.importlinter`` forbids it, and a test changes them and checks that no
ranking moves.
"""
