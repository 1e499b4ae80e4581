"""Projects: organisations, wards, ward projects, their roles and sessions,
and who attended each session.

Coordinators manage these (``Permission.PROJECTS_MANAGE``); matching
(``crm.matching``) reads roles and sessions to rank people, and payments will
read attendance. Nothing here reads equality monitoring answers.
"""
