"""Reading pages in tests."""

from __future__ import annotations

from html.parser import HTMLParser


class _Rows(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self._skip = 0  # inside a responsive table's repeated heading

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if self._skip:
            self._skip += 1
        elif "nhsuk-table-responsive__heading" in classes:
            self._skip = 1
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if self._skip:
            self._skip -= 1
        elif tag in ("td", "th") and self._cell is not None and self.rows:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None and not self._skip:
            self._cell.append(data)


def table_rows(html: str) -> list[list[str]]:
    """Each table row's cells as text, header rows included, without the
    headings the NHS.UK responsive table repeats inside cells for phones."""
    parser = _Rows()
    parser.feed(html)
    return [row for row in parser.rows if row]
