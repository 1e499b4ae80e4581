"""Money: whole pence, one formatter, one parser, one column type."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask, render_template_string
from hypothesis import given
from hypothesis import strategies as st

from crm.money import MAX_PENCE, MoneyError, PenceType, format_pence, parse_pence


@pytest.mark.parametrize(("pence", "text"), [
    (0, "£0.00"), (1, "£0.01"), (50, "£0.50"), (1250, "£12.50"), (123450, "£1,234.50"),
    (100000000, "£1,000,000.00"), (-1250, "-£12.50"), (-123450, "-£1,234.50"),
])
def test_format(pence: int, text: str) -> None:
    assert format_pence(pence) == text


@pytest.mark.parametrize("value", [12.5, True, "1250"])
def test_format_refuses_anything_but_pence(value: object) -> None:
    with pytest.raises(TypeError):
        format_pence(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "pence"), [
    ("12", 1200), ("12.5", 1250), ("12.50", 1250), ("£12.50", 1250), (" £ 12.50 ", 1250),
    ("0", 0), (".5", 50), ("12.", 1200), ("1,234.50", 123450), ("1234.5", 123450),
])
def test_parse(text: str, pence: int) -> None:
    assert parse_pence(text) == pence


@pytest.mark.parametrize(("text", "message"), [
    ("", "Enter fee"),
    ("-5", "Fee cannot be less than £0"),
    ("−5", "Fee cannot be less than £0"),
    ("(5.00)", "Fee cannot be less than £0"),
    ("12.505", "no more than 2 numbers after the point"),
    ("12.500", "no more than 2 numbers after the point"),
    ("twelve", "must be an amount of money in pounds, like 12 or 12.50"),
    ("12,34", "must be an amount of money"),
    ("1e3", "must be an amount of money"),
    ("£", "must be an amount of money"),
    (".", "must be an amount of money"),
    ("1.2.3", "must be an amount of money"),
    ("99999999999", "must be £21,474,836.47 or less"),
])
def test_parse_refuses_with_a_plain_message(text: str, message: str) -> None:
    with pytest.raises(MoneyError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_pence(text, what="Fee")


@given(st.integers(min_value=0, max_value=MAX_PENCE))
def test_format_then_parse_gives_the_same_pence(pence: int) -> None:
    assert parse_pence(format_pence(pence)) == pence


@given(st.integers(min_value=0, max_value=10**7), st.sampled_from(["", "£"]),
       st.sampled_from(["{p}", "{p}.{d}", "{p}.{d}{d2}"]), st.integers(0, 9), st.integers(0, 9))
def test_typed_amounts_parse_then_format_consistently(pounds: int, prefix: str, shape: str,
                                                      d: int, d2: int) -> None:
    text = prefix + shape.format(p=pounds, d=d, d2=d2)
    pence = parse_pence(text)
    assert format_pence(pence).replace(",", "") == "£" + f"{pence // 100}.{pence % 100:02d}"
    assert pence == round(float(text.removeprefix("£")) * 100)


def test_pence_column_stores_whole_pence_and_refuses_floats() -> None:
    engine = sa.create_engine("sqlite://")
    table = sa.Table("t", sa.MetaData(), sa.Column("amount", PenceType()))
    table.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(table.insert().values(amount=1250))
        assert conn.execute(sa.select(table.c.amount)).scalar_one() == 1250
        with pytest.raises(sa.exc.StatementError, match="whole pence"):
            conn.execute(table.insert().values(amount=12.5))


def test_templates_format_pence_with_the_one_formatter(app: Flask) -> None:
    with app.app_context():
        assert render_template_string("{{ 123450 | pence }}") == "£1,234.50"
