"""Amounts and counts as Vietnamese staff write them: ``150.000.000`` (dots between thousands),
``150 000 000`` or ``150000000``.

A browser's number input drops the dots (``150.000.000`` arrived as 150) and shows
``150000000`` back; this field is a text input with ``inputmode="numeric"`` (the phone still
shows digits) that reads every grouping staff use, refuses anything it cannot read for sure
(``150.000,5``, ``1.50``, ``1,000``) with a message on the field, and shows values with dots.
It never rounds or truncates: a value is read whole or refused.
"""

import re

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

# Spaces staff (and spreadsheets) put between thousands: plain, no-break, narrow no-break.
_SPACES = " \u00a0\u202f\u2009"
# A currency mark typed after the number is fine: it says what the unit already is.
_CURRENCY = re.compile(r"\s*(₫|đ|đồng|vnđ|vnd)\s*$", re.IGNORECASE)
_PLAIN = re.compile(r"^\d+$")
_DOTTED = re.compile(r"^\d{1,3}(\.\d{3})+$")
_SPACED = re.compile(r"^\d{1,3}( \d{3})+$")


def group_thousands(value):
    """``192500000`` -> ``192.500.000`` (the Vietnamese way, whatever the page language)."""
    if value in (None, ""):
        return ""
    number = int(value)
    sign = "-" if number < 0 else ""
    return sign + f"{abs(number):,}".replace(",", ".")


def parse_amount(raw):
    """The whole number written in ``raw``, or ValueError with the reason staff can act on."""
    text = str(raw).strip()
    text = _CURRENCY.sub("", text)
    for space in _SPACES:
        text = text.replace(space, " ")
    text = re.sub(" +", " ", text).strip()
    negative = text.startswith("-")
    if negative:
        text = text[1:].strip()
    if _PLAIN.match(text):
        digits = text
    elif _DOTTED.match(text):
        digits = text.replace(".", "")
    elif _SPACED.match(text):
        digits = text.replace(" ", "")
    elif "," in text:
        raise ValueError(
            _(
                "Write a whole number, with dots between thousands (150.000.000): a comma "
                "would be a decimal mark, and amounts have no decimals."
            )
        )
    else:
        raise ValueError(
            _(
                "Cannot read “%(value)s” as a whole number: write it as 150.000.000, "
                "150 000 000 or 150000000 (groups of three digits)."
            )
            % {"value": str(raw).strip()[:40]}
        )
    number = int(digits)
    return -number if negative else number


class AmountInput(forms.TextInput):
    """A text input that shows ``192.500.000`` and asks phones for the digit keypad;
    ``suffix`` (``₫``) is shown after it."""

    def __init__(self, attrs=None, suffix=""):
        self.suffix = suffix
        defaults = {"inputmode": "numeric", "autocomplete": "off", "class": "vAmountField"}
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return group_thousands(value)
        return super().format_value(value)

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        if self.suffix:
            return format_html('{} <span class="amount-unit">{}</span>', html, self.suffix)
        return html


class AmountField(forms.IntegerField):
    """A whole number (a count or đồng) typed the Vietnamese way; see the module docstring."""

    default_error_messages = {"invalid": _("Enter a whole number, such as 150.000.000.")}

    def __init__(self, *, suffix="", **kwargs):
        kwargs.pop("localize", None)
        kwargs.setdefault("widget", AmountInput(suffix=suffix))
        super().__init__(**kwargs)
        # IntegerField adds min/max attributes meant for a number input; a text input
        # would only confuse browsers with them.
        for attr in ("min", "max", "step"):
            self.widget.attrs.pop(attr, None)

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        try:
            return parse_amount(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc.args[0]), code="invalid") from None

    def widget_attrs(self, widget):
        return {}


class MoneyField(AmountField):
    """An amount of đồng: shown with ``₫`` after the input."""

    def __init__(self, **kwargs):
        kwargs.setdefault("suffix", "₫")
        super().__init__(**kwargs)


# The largest value each column takes on every database (SQLite would take more, PostgreSQL
# would refuse it with an error page): a bigger number is refused on the field.
MAX_VALUES = {
    "PositiveIntegerField": 2_147_483_647,
    "IntegerField": 2_147_483_647,
    "PositiveBigIntegerField": 9_223_372_036_854_775_807,
    "BigIntegerField": 9_223_372_036_854_775_807,
}


def amount_fields(*names, money=()):
    """Class decorator for a ModelAdmin or an inline: the model fields ``names`` (counts) and
    ``money`` (đồng) get an AmountField / MoneyField in its forms. A decorator rather than a
    base class, so an admin's bases stay as they are."""

    def decorate(admin_class):
        original = admin_class.formfield_for_dbfield

        def formfield_for_dbfield(self, db_field, request, **kwargs):
            if db_field.name in money or db_field.name in names:
                kwargs.setdefault("max_value", MAX_VALUES.get(db_field.get_internal_type()))
            if db_field.name in money:
                return db_field.formfield(form_class=MoneyField, **kwargs)
            if db_field.name in names:
                return db_field.formfield(form_class=AmountField, **kwargs)
            return original(self, db_field, request, **kwargs)

        admin_class.formfield_for_dbfield = formfield_for_dbfield
        return admin_class

    return decorate
