"""Making each session work: access checklists, calendars, pre-meets, check-ins, further thoughts,
"you said, we did".
"""
