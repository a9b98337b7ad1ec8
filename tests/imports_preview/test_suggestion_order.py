"""The near-duplicate suggestions of a new agency do not depend on the order the database
returned the existing agencies in: agencies of equal name are offered by id."""

from cadres.models import Agency, Level
from imports.preview import agency_tokens, near_duplicates


def test_agencies_of_one_name_are_suggested_in_the_same_order_whatever_the_read_order():
    province = 51
    new = Agency(name="UBND Quảng Ngãi", level=Level.LOCAL, locality_id=province)
    existing = [
        Agency(pk=pk, name="Ủy ban nhân dân tỉnh Quảng Ngãi", level=Level.LOCAL, locality_id=51)
        for pk in (7, 3, 9, 5)
    ]
    candidates = [(agency, agency_tokens(agency.name)) for agency in existing]
    current_unit = {province: province}
    forwards = near_duplicates(new, candidates, current_unit)
    backwards = near_duplicates(new, candidates[::-1], current_unit)
    assert [a.pk for a in forwards] == [a.pk for a in backwards] == [3, 5, 7]
