"""Form parsing and its messages (pure: no app, no database)."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from api.pages.forms import Form
from models.partner import OwnerCreate
from services.errors import FieldError, InvalidInput


def dated(day: str, month: str, year: str) -> Form:
    return Form(
        {"due[day]": day, "due[month]": month, "due[year]": year},
        labels={"due": "Due date"},
        dates=["due"],
    )


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (("", "", ""), "Enter the due date"),
        (("14", "", ""), "Due date must include a month and a year"),
        (("", "1", "2027"), "Due date must include a day"),
        (("29", "2", "2027"), "Due date must be a real date, like 14 1 2026"),
        (("1", "13", "2027"), "Due date must be a real date, like 14 1 2026"),
        (("one", "2", "2027"), "Due date must be a real date, like 14 1 2026"),
        (("1", "2", "27"), "Due date must be a real date, like 14 1 2026"),
    ],
)
def test_a_date_that_is_not_right_says_what_is_wrong(
    parts: tuple[str, str, str], message: str
) -> None:
    form = dated(*parts)
    assert form.parse_date("due", required=True) is None
    assert form.errors == {"due": message}
    assert form.summary == [{"text": message, "href": "#due-day"}]


def test_a_real_date_is_read_and_an_empty_optional_one_is_none() -> None:
    assert dated("29", "2", "2028").parse_date("due") == date(2028, 2, 29)
    form = dated("", "", "")
    assert form.parse_date("due") is None and not form.errors


def test_pydantic_errors_land_on_their_fields_in_plain_english() -> None:
    form = Form(
        labels={"name": "Full name", "email": "Email address", "partner_id": "Organisation"}
    )
    with pytest.raises(ValidationError) as raised:
        OwnerCreate.model_validate({"name": "", "email": "nope", "partner_id": "x"})
    form.add_validation_errors(raised.value)
    assert form.errors == {
        "name": "Enter the full name",
        "email": "Email address must be an email address in the correct format, "
        "like name@example.org",
        "partner_id": "Choose the organisation from the list",
    }


def test_service_errors_keep_their_words_and_name_the_field() -> None:
    form = Form(labels={"actions-*-owner_id": "Owner"})
    form.add_validation_errors(
        InvalidInput(FieldError("actions.1.owner_id", "there is no such owner"))
    )
    assert form.errors == {"actions-1-owner_id": "Owner: there is no such owner"}


def test_values_are_kept_as_typed_but_the_csrf_token_is_not() -> None:
    form = Form({"theme": "Damp", "csrf_token": "secret", "n": 3})  # type: ignore[dict-item]
    assert form.values == {"theme": "Damp"}
