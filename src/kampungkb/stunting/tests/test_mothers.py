"""The mothers to follow in Kota Bangun Ulu on 30 June 2025, counted by hand:

- Putri: pregnant since 1 May, due 1 December -> pregnant.
- Qori: delivered on 10 June (20 days before), injectable from 25 June -> post-partum, with a
  method; her baby is under 2 but she uses a method -> not on the spacing list.
- Rina: stillbirth on 1 May (60 days before) -> past the 42 days.
- Sari: child born 1 March 2024 (15 months), no method -> birth spacing.
- Tuti: child born 15 January 2024, IUD since June 2024 -> none.
- Umi: child born 1 May 2023 (25 months), no method -> none (the child is 2).
- Vivi: child born 1 January 2025 and pregnant again since 1 June, due February -> pregnant, not
  on the spacing list (already pregnant).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from kampungkb.contraception.models import Episode
from kampungkb.families.models import Couple, PregnancyOutcome, Relation, Sex
from kampungkb.families.services import (
    birth_record,
    couple_register,
    family_register,
    person_add,
    pregnancy_end,
    pregnancy_record,
)
from kampungkb.regions.models import Area
from kampungkb.stunting.mothers import MotherList, mother_list
from kampungkb.testing.world import KEC, OTHER_VILLAGE, RT, VILLAGE, World, person

D = dt.date
ON = D(2025, 6, 30)
URL = reverse("stunting:mothers")

pytestmark = pytest.mark.django_db


def _couple(name: str, n: int) -> Couple:
    family = family_register(
        area=Area.objects.get(code=RT),
        kk_number=None,
        address=f"Jl. Ibu {n}",
        head=person(f"Suami {name}", Sex.MALE, D(1992, 1, n), Relation.HEAD, 80 + n),
        actor=None,
    )
    wife = person_add(
        family=family,
        data=person(name, Sex.FEMALE, D(1996, 2, n), Relation.WIFE, 90 + n),
        actor=None,
    )
    return couple_register(wife=wife, husband=family.head, married_on=D(2018, 1, 1), actor=None)


def _episode(couple: Couple, method: str, started: dt.date) -> None:
    Episode.objects.create(
        couple=couple,
        method_id=method,
        started_on=started,
        is_new_user=True,
        is_switch=False,
        is_postpartum=False,
    )


def _child(couple: Couple, born: dt.date) -> None:
    birth_record(
        mother=couple.wife,
        full_name=f"Anak {couple.wife.full_name}",
        sex=Sex.MALE,
        birth_date=born,
        actor=None,
    )


@pytest.fixture
def mothers(world: World) -> dict[str, Couple]:
    c = {
        name: _couple(name, i)
        for i, name in enumerate(["Putri", "Qori", "Rina", "Sari", "Tuti", "Umi", "Vivi"], 1)
    }
    pregnancy_record(
        couple=c["Putri"], recorded_on=D(2025, 5, 1), expected_on=D(2025, 12, 1), actor=None
    )
    pregnancy_record(couple=c["Qori"], recorded_on=D(2025, 1, 1), expected_on=None, actor=None)
    _child(c["Qori"], D(2025, 6, 10))
    _episode(c["Qori"], "SUNTIK3", D(2025, 6, 25))
    rina = pregnancy_record(
        couple=c["Rina"], recorded_on=D(2024, 11, 1), expected_on=None, actor=None
    )
    pregnancy_end(
        pregnancy=rina, ended_on=D(2025, 5, 1), outcome=PregnancyOutcome.STILLBIRTH, actor=None
    )
    _child(c["Sari"], D(2024, 3, 1))
    _child(c["Tuti"], D(2024, 1, 15))
    _episode(c["Tuti"], "IUD", D(2024, 6, 1))
    _child(c["Umi"], D(2023, 5, 1))
    _child(c["Vivi"], D(2025, 1, 1))
    pregnancy_record(
        couple=c["Vivi"], recorded_on=D(2025, 6, 1), expected_on=D(2026, 2, 1), actor=None
    )
    return c


def names(kind: MotherList, on: dt.date = ON, area: str = VILLAGE) -> list[str]:
    return [r.wife.full_name for r in mother_list(Area.objects.get(code=area), on, kind)]


def test_the_three_lists_match_the_hand_count(mothers: dict[str, Couple]) -> None:
    assert names(MotherList.PREGNANT) == ["Putri", "Vivi"]
    assert names(MotherList.POSTPARTUM) == ["Qori"]
    assert names(MotherList.SPACING) == ["Sari"]
    (qori,) = mother_list(Area.objects.get(code=VILLAGE), ON, MotherList.POSTPARTUM)
    assert (qori.since, qori.until, qori.method) == (
        D(2025, 6, 10),
        D(2025, 7, 22),
        "Suntik 3 bulanan",
    )
    assert qori.days_left(ON) == 22
    (sari,) = mother_list(Area.objects.get(code=VILLAGE), ON, MotherList.SPACING)
    assert sari.child is not None and sari.child_months == 15


def test_the_lists_follow_the_date(mothers: dict[str, Couple]) -> None:
    # On 20 June Qori had delivered ten days before and had no method yet.
    (qori,) = mother_list(Area.objects.get(code=VILLAGE), D(2025, 6, 20), MotherList.POSTPARTUM)
    assert qori.method == ""
    # On 5 May Rina's stillbirth was 4 days old; Vivi was not pregnant yet and is on the spacing list.
    assert names(MotherList.POSTPARTUM, D(2025, 5, 5)) == ["Rina"]
    assert names(MotherList.SPACING, D(2025, 5, 5)) == ["Vivi", "Sari"]
    # Another village holds none of them.
    assert names(MotherList.PREGNANT, area=OTHER_VILLAGE) == []


def test_the_page_shows_each_list_to_those_who_see_persons(
    mothers, client_for, django_assert_num_queries
) -> None:
    client = client_for("cadre")
    response = client.get(f"{URL}?area={VILLAGE}&on=2025-06-30&list=postpartum")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Qori" in page and "22-07-2025" in page and "Suntik 3 bulanan" in page
    assert {k.value: n for k, n in response.context["tabs"]} == {
        "pregnant": 2,
        "postpartum": 1,
        "spacing": 1,
    }
    # The page's reads do not grow with the mothers listed.
    with django_assert_num_queries(12):
        client.get(f"{URL}?area={VILLAGE}&on=2025-06-30&list=spacing")
    assert client_for("partner").get(f"{URL}?area={VILLAGE}").status_code == 404
    assert client_for("other_cadre").get(f"{URL}?area={VILLAGE}").status_code == 404
    above = client_for("district").get(f"{URL}?area={KEC}")
    assert above.status_code == 200 and above.context["problem"]
    assert client.get(f"{URL}?area={VILLAGE}&list=twins").status_code == 400


def test_the_excel_file_and_the_api(mothers, client_for, api_as) -> None:
    response = client_for("pkb").get(f"{URL}?area={VILLAGE}&on=2025-06-30&list=spacing&format=xlsx")
    assert response["Content-Disposition"].startswith(
        'attachment; filename="kampungkb-ibu-spacing-'
    )
    body = (
        api_as("pkb")
        .get(f"/api/stunting/mothers?area={VILLAGE}&list=pregnant&on=2025-06-30")
        .json()
    )
    assert [r["name"] for r in body["items"]] == ["Putri", "Vivi"]
    assert body["items"][0]["until"] == "2025-12-01"
    assert (
        api_as("partner").get(f"/api/stunting/mothers?area={VILLAGE}&list=pregnant").status_code
        == 404
    )
    assert api_as("pkb").get(f"/api/stunting/mothers?area={VILLAGE}&list=twins").status_code == 422
