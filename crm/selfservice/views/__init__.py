"""A contributor's own pages: their record, and nobody else's.

No URL here takes a record id: the record always comes from the signed-in
user (``access.own_record``), so nobody can reach another person's record by
changing a URL. A contributor whose account is not linked to a record yet
sees a kind page saying so, never someone else's record.

Changes go through the same rules as coordinators' pages
(crm.contributors.editing) via ``crm.selfservice.services``: every form
carries the version it was loaded from, so if a coordinator saved in between,
the person sees a calm page with what they entered, and nothing is
overwritten.

The blueprint lives in ``base``; the routes are grouped by why they change:
``record`` (overview, section summaries, training, who has looked, download,
removal, Easy Read switch), ``question_pages`` (one question per page), ``consents``, and
``everywhere`` (Easy Read and the person's name on the shared pages).
"""

from crm.selfservice.views import consents, everywhere, question_pages, record, roles
from crm.selfservice.views.base import bp

__all__ = ["bp", "consents", "everywhere", "question_pages", "record", "roles"]
