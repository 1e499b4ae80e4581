"""Paginating ``select()`` queries: one query for the page, one for the count."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask import current_app, request, url_for
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")


@dataclass
class Page(Generic[T]):
    items: list[T]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def first_index(self) -> int:
        return 0 if self.total == 0 else (self.page - 1) * self.per_page + 1

    @property
    def last_index(self) -> int:
        return min(self.total, self.page * self.per_page)

    def url_for_page(self, number: int) -> str:
        args: dict[str, Any] = dict(request.view_args or {})
        args.update(request.args.to_dict(flat=False))  # several values per filter
        args["page"] = number
        return url_for(request.endpoint or "", **args)


def requested_page() -> int:
    try:
        return max(1, int(request.args.get("page", "1")))
    except ValueError:
        return 1


def count_rows(session: Session, stmt: Select[Any] | Select[*tuple[Any, ...]]) -> int:
    """How many rows ``stmt`` gives (one query, its ordering dropped)."""
    return session.execute(
        select(func.count()).select_from(stmt.order_by(None).subquery())).scalar_one()


def paginate(session: Session, stmt: Select[Any] | Select[Any, Any], per_page: int | None = None,
             page: int | None = None, scalars: bool = True) -> Page[Any]:
    per_page = per_page or current_app.config["CRM_SETTINGS"].per_page
    page = page or requested_page()
    total = count_rows(session, stmt)
    pages = max(1, math.ceil(total / per_page))
    page = min(page, pages)
    result = session.execute(stmt.limit(per_page).offset((page - 1) * per_page))
    items = list(result.scalars() if scalars else result.all())
    return Page(items=items, page=page, per_page=per_page, total=total)
