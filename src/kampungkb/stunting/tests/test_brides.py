"""Brides-to-be: the findings of the ages and the screening, the writes, the lists and the
early-marriage alerts (decision 0037), by hand."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from kampungkb.core.models import AuditEvent
from kampungkb.families.models import Relation, Sex
from kampungkb.families.services import couple_register, family_register, person_add
from kampungkb.regions.models import Area
from kampungkb.stunting import bride_selectors, bride_services
from kampungkb.stunting.bride_selectors import BrideStatus
from kampungkb.stunting.bride_services import BrideData
from kampungkb.stunting.brides import (
    Finding,
    bmi,
    marriage_findings,
    registered_late,
    screening_findings,
)
from kampungkb.stunting.models import BrideScreening, BrideToBe
from kampungkb.testing.world import KEC, RT, VILLAGE, World, person

D = dt.date
TODAY = timezone.localdate()
AHEAD = TODAY + dt.timedelta(days=120)
HB = Decimal(11)


def test_ages_at_the_wedding() -> None:
    wedding = D(2026, 7, 1)
    # 18 the day before her 19th birthday; the groom 19 on the day.
    assert marriage_findings(
        bride_born=D(2007, 7, 2), groom_born=D(2007, 7, 1), wedding_on=wedding
    ) == [Finding.BRIDE_UNDER_LEGAL_AGE, Finding.GROOM_UNDER_IDEAL_AGE]
    assert marriage_findings(
        bride_born=D(2005, 7, 2), groom_born=D(2001, 7, 1), wedding_on=wedding
    ) == [Finding.BRIDE_UNDER_IDEAL_AGE]
    assert marriage_findings(bride_born=D(2004, 1, 1), groom_born=None, wedding_on=wedding) == []


def test_registration_three_months_ahead() -> None:
    assert not registered_late(D(2026, 1, 10), D(2026, 4, 10))
    assert registered_late(D(2026, 1, 10), D(2026, 4, 9))


def test_screening_findings_by_hand() -> None:
    # 45 kg, 160 cm: 45 / 1.6^2 = 17.578 -> 17.6, thin.
    assert bmi(Decimal(45), Decimal(160)) == Decimal("17.6")
    found = screening_findings(
        weight_kg=Decimal(45),
        height_cm=Decimal(160),
        lila_cm=Decimal("23.4"),
        hb_g_dl=Decimal("10.9"),
        smokes=True,
        hb_threshold=HB,
    )
    assert found == [Finding.LOW_LILA, Finding.ANAEMIA, Finding.THIN, Finding.SMOKING]
    assert (
        screening_findings(
            weight_kg=Decimal(55),
            height_cm=Decimal(160),
            lila_cm=Decimal("23.5"),
            hb_g_dl=None,
            smokes=False,
            hb_threshold=HB,
        )
        == []
    )


def _data(**kw: object) -> BrideData:
    values: dict[str, object] = {
        "area": Area.objects.get(code=RT),
        "full_name": "Nur Aini",
        "birth_date": AHEAD.replace(year=AHEAD.year - 18),
        "groom_name": "Rahmat",
        "groom_birth_date": AHEAD.replace(year=AHEAD.year - 24),
        "wedding_on": AHEAD,
        "registered_on": TODAY,
        "nik": "",
    }
    values.update(kw)
    return BrideData(**values)  # type: ignore[arg-type]


@pytest.mark.django_db
def test_register_screen_and_marry(world: World) -> None:
    cadre = world.user("cadre")
    bride = bride_services.bride_register(data=_data(), actor=cadre)
    assert AuditEvent.objects.filter(action="bride.register").count() == 1
    bride_services.screening_record(
        bride=bride,
        screened_on=TODAY,
        weight_kg="45",
        height_cm="160",
        lila_cm="23,4",
        hb_g_dl="12.5",
        smokes=False,
        actor=cadre,
    )
    row = bride_selectors.bride_get(user=cadre, pk=bride.pk, on=TODAY)
    assert row.findings == [
        Finding.BRIDE_UNDER_LEGAL_AGE,
        Finding.GROOM_UNDER_IDEAL_AGE,
        Finding.LOW_LILA,
        Finding.THIN,
    ]
    assert row.delay_pregnancy and row.status == BrideStatus.PLANNED
    assert row.bmi == Decimal("17.6")
    assert bride_selectors.bride_list(user=cadre, area_code=VILLAGE, on=TODAY) == [row]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"full_name": " "}, "full_name"),
        ({"wedding_on": TODAY - dt.timedelta(days=1)}, "wedding_on"),
        ({"registered_on": TODAY + dt.timedelta(days=1)}, "registered_on"),
        ({"nik": "123"}, "nik"),
        ({"birth_date": AHEAD}, "birth_date"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(world: World, changes, field) -> None:
    with pytest.raises(ValidationError) as caught:
        bride_services.bride_register(data=_data(**changes), actor=world.user("cadre"))
    assert field in caught.value.error_dict
    assert not BrideToBe.objects.exists()


@pytest.mark.django_db
def test_scope_and_area_level(world: World) -> None:
    from django.http import Http404

    for username in ("other_cadre", "partner"):
        with pytest.raises(Http404):
            bride_services.bride_register(data=_data(), actor=world.user(username))
    with pytest.raises(ValidationError):
        bride_services.bride_register(
            data=_data(area=Area.objects.get(code=KEC)), actor=world.user("district")
        )
    assert not BrideToBe.objects.exists()


@pytest.mark.django_db
def test_early_marriage_alerts(world: World) -> None:
    cadre = world.user("cadre")
    bride_services.bride_register(data=_data(), actor=cadre)
    bride_services.bride_register(
        data=_data(full_name="Dewi", birth_date=AHEAD.replace(year=AHEAD.year - 20)), actor=cadre
    )
    bride_services.bride_register(
        data=_data(
            full_name="Sinta",
            birth_date=AHEAD.replace(year=AHEAD.year - 26),
            groom_birth_date=AHEAD.replace(year=AHEAD.year - 28),
        ),
        actor=cadre,
    )
    # A marriage recorded in the register two months ago: she was 18.
    married = TODAY - dt.timedelta(days=60)
    family = family_register(
        area=Area.objects.get(code=RT),
        kk_number=None,
        address="",
        head=person("Andi", Sex.MALE, married.replace(year=married.year - 22), Relation.HEAD, 71),
        actor=None,
    )
    wife = person_add(
        family=family,
        data=person("Lina", Sex.FEMALE, married.replace(year=married.year - 18), Relation.WIFE, 72),
        actor=None,
    )
    couple_register(wife=wife, husband=family.head, married_on=married, actor=None)

    alerts = bride_selectors.early_marriages(user=cadre, area_code=VILLAGE, on=TODAY)
    assert [(a.name, a.planned, a.below_legal_age) for a in alerts] == [
        ("Lina", False, True),
        ("Nur Aini", True, True),
        ("Dewi", True, False),
    ]
    assert alerts[0].findings == [Finding.BRIDE_UNDER_LEGAL_AGE, Finding.GROOM_UNDER_IDEAL_AGE]


@pytest.mark.django_db
def test_pages(world: World, client_for) -> None:
    client = client_for("cadre")
    response = client.post(
        reverse("stunting:bride_new"),
        {
            "area": RT,
            "full_name": "Nur Aini",
            "birth_date": AHEAD.replace(year=AHEAD.year - 18).isoformat(),
            "groom_name": "Rahmat",
            "wedding_on": AHEAD.isoformat(),
            "registered_on": TODAY.isoformat(),
        },
    )
    bride = BrideToBe.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "stunting:bride", args=[bride.pk]
    )
    url = reverse("stunting:bride", args=[bride.pk])
    client.post(
        url,
        {
            "form": "screening",
            "s-screened_on": TODAY.isoformat(),
            "s-weight_kg": "50",
            "s-height_cm": "155",
            "s-lila_cm": "22,5",
            "s-hb_g_dl": "10",
        },
    )
    assert BrideScreening.objects.count() == 1
    page = client.get(url).content.decode()
    assert 'id="delay"' in page and 'id="advice"' in page
    listing = client.get(f"{reverse('stunting:brides')}?area={VILLAGE}")
    assert [r.bride for r in listing.context["rows"]] == [bride]
    assert [a.name for a in listing.context["alerts"]] == ["Nur Aini"]
    assert client_for("partner").get(url).status_code == 404
    assert client_for("other_cadre").get(url).status_code == 404
    excel = client.get(f"{reverse('stunting:brides')}?area={VILLAGE}&format=xlsx")
    assert excel["Content-Disposition"].startswith('attachment; filename="kampungkb-catin-')
    assert AuditEvent.objects.filter(action__startswith="export").exists()
    # Someone who may not edit there posts nothing.
    client_for("other_cadre").post(url, {"form": "married", "m-married_on": TODAY.isoformat()})
    assert BrideToBe.objects.get().married_on is None


@pytest.mark.django_db
def test_api(world: World, api_as) -> None:
    client = api_as("cadre")
    body = {
        "area": RT,
        "full_name": "Nur Aini",
        "birth_date": AHEAD.replace(year=AHEAD.year - 18).isoformat(),
        "groom_name": "Rahmat",
        "wedding_on": AHEAD.isoformat(),
    }
    created = client.post("/api/stunting/brides", json.dumps(body), content_type="application/json")
    assert created.status_code == 201
    bride_id = created.json()["id"]
    screened = client.post(
        f"/api/stunting/brides/{bride_id}/screenings",
        json.dumps(
            {
                "screened_on": TODAY.isoformat(),
                "weight_kg": "55",
                "height_cm": "158",
                "lila_cm": "24",
                "hb_g_dl": "10.5",
            }
        ),
        content_type="application/json",
    )
    assert screened.status_code == 201
    assert screened.json()["findings"] == ["bride_under_19", "anaemia"]
    assert screened.json()["delay_pregnancy"] is True
    bad = client.post(
        "/api/stunting/brides",
        json.dumps(body | {"wedding_on": "2000-01-01"}),
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert api_as("partner").get(f"/api/stunting/brides?area={VILLAGE}").status_code == 404
    alerts = client.get(f"/api/stunting/early-marriages?area={VILLAGE}").json()
    assert [a["name"] for a in alerts] == ["Nur Aini"]
