"""Equality monitoring: coming next; nothing lives here yet.

What will live here: the optional equality monitoring questions a contributor
may answer (ethnic group, religion, sexual orientation, gender identity, sex,
disability, age band), their answers in tables of their own behind their own
permission, and the comparison populations (Census 2021 by default).

The rule, from the domain rules (section 6, data protection): equality
monitoring rests on DPA 2018 Schedule 1 paragraph 8, which does not cover
decisions about a particular person. So answers never feed a decision about
anyone: not matching, not payments, not any choice a coordinator makes. They
are seen only as aggregate, suppressed counts in reports.

To keep that true in the code, only ``crm.reporting`` may import this
package; a ``forbidden`` contract in ``.importlinter`` stops every other crm
package from importing it, directly or indirectly. The two places that wire
every package together, the app factory (``crm/__init__.py``) and
``crm.models`` (which shows Alembic every table), may import it too, since
they make no decision about anyone. The person's own data
download and anonymisation reach these answers through the hooks in
``crm.hooks``, registered from here, never by importing this package.
"""
