"""A bride-to-be whose wedding will not take place (decision 0040): the registration cancelled
with a reason and reopened when cancelled by mistake; the list, the alerts, the pages, the Excel
and the API leave her out of those to accompany."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kampungkb.core.models import AuditEvent
from kampungkb.indicators.models import DirtyMark
from kampungkb.regions.models import Area
from kampungkb.stunting import bride_selectors, bride_services
from kampungkb.stunting.bride_selectors import BrideFilter, BrideStatus
from kampungkb.stunting.bride_services import BrideData
from kampungkb.stunting.models import BrideScreening, BrideToBe, CancelReason
from kampungkb.testing.world import RT, VILLAGE, World

D = dt.date
TODAY = timezone.localdate()
REGISTERED = TODAY - dt.timedelta(days=60)
WEDDING = TODAY + dt.timedelta(days=60)
CALLED_OFF = TODAY - dt.timedelta(days=10)


def codes(error: ValidationError) -> list[str]:
    return [e.code for errors in error.error_dict.values() for e in errors]  # type: ignore[misc]


def register(name: str, years: int = 18, **kw: Any) -> BrideToBe:
    values: dict[str, Any] = {
        "area": Area.objects.get(code=RT),
        "full_name": name,
        "birth_date": WEDDING.replace(year=WEDDING.year - years),
        "groom_name": "Rahmat",
        "groom_birth_date": WEDDING.replace(year=WEDDING.year - 26),
        "wedding_on": WEDDING,
        "registered_on": REGISTERED,
    }
    values.update(kw)
    return bride_services.bride_register(data=BrideData(**values), actor=None)


@pytest.fixture
def brides(world: World) -> tuple[BrideToBe, BrideToBe]:
    """Nur Aini (18 at the wedding: an early-marriage alert) and Dewi (24), both registered 60
    days ago for a wedding in 60 days."""
    return register("Nur Aini"), register("Dewi", years=24)


def state(bride: BrideToBe) -> tuple[Any, str]:
    bride.refresh_from_db()
    return bride.cancelled_on, bride.cancel_reason


# -- Services -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_cancel_then_reopen(world: World, brides: tuple[BrideToBe, BrideToBe]) -> None:
    nur, dewi = brides
    cadre = world.user("cadre")
    DirtyMark.objects.all().delete()
    bride_services.bride_cancel(
        bride=nur, on=CALLED_OFF, reason=CancelReason.CALLED_OFF, actor=cadre
    )
    assert state(nur) == (CALLED_OFF, "called_off")
    event = AuditEvent.objects.get(action="bride.cancel")
    assert (event.area_code, event.object_id) == (RT, str(nur.pk))
    assert DirtyMark.objects.filter(area_code=VILLAGE, period=CALLED_OFF.replace(day=1)).exists()
    assert bride_selectors.bride_get(user=cadre, pk=nur.pk, on=TODAY).status == (
        BrideStatus.CANCELLED
    )
    # The day before, she was still a planned wedding.
    before = CALLED_OFF - dt.timedelta(days=1)
    assert bride_selectors.bride_get(user=cadre, pk=nur.pk, on=before).status == (
        BrideStatus.PLANNED
    )
    listed = bride_selectors.bride_list(user=cadre, area_code=VILLAGE, on=TODAY)
    assert [r.bride for r in listed] == [dewi]
    cancelled = bride_selectors.bride_list(
        user=cadre, area_code=VILLAGE, on=TODAY, status=BrideFilter.CANCELLED
    )
    assert [r.bride for r in cancelled] == [nur]
    every = bride_selectors.bride_rows(user=cadre, area_code=VILLAGE, on=TODAY)
    assert [(s.value if s else None, n) for s, n in bride_selectors.status_counts(every)] == [
        (None, 1),
        ("planned", 1),
        ("passed", 0),
        ("married", 0),
        ("cancelled", 1),
    ]

    DirtyMark.objects.all().delete()
    bride_services.bride_reopen(bride=nur, actor=cadre)
    assert state(nur) == (None, "")
    assert AuditEvent.objects.get(action="bride.reopen").before["cancelled_on"] == (
        CALLED_OFF.isoformat()
    )
    assert DirtyMark.objects.filter(area_code=VILLAGE, period=CALLED_OFF.replace(day=1)).exists()
    listed = bride_selectors.bride_list(user=cadre, area_code=VILLAGE, on=TODAY)
    assert [r.bride.full_name for r in listed] == ["Dewi", "Nur Aini"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("on", "reason", "code"),
    [
        (TODAY + dt.timedelta(days=1), "called_off", "bride.cancel_date"),
        (REGISTERED - dt.timedelta(days=1), "called_off", "bride.cancel_date"),
        (CALLED_OFF, "eloped", "bride.cancel_reason"),
        (CALLED_OFF, "", "bride.cancel_reason"),
    ],
)
def test_bad_cancellations_write_nothing(
    world: World, brides: tuple[BrideToBe, BrideToBe], on: dt.date, reason: str, code: str
) -> None:
    nur, _dewi = brides
    with pytest.raises(ValidationError) as error:
        bride_services.bride_cancel(bride=nur, on=on, reason=reason, actor=world.user("cadre"))
    assert codes(error.value) == [code]
    assert state(nur) == (None, "")
    assert not AuditEvent.objects.filter(action="bride.cancel").exists()


@pytest.mark.django_db
def test_a_marriage_is_not_cancelled_nor_a_cancellation_married(
    world: World, brides: tuple[BrideToBe, BrideToBe]
) -> None:
    nur, dewi = brides
    bride_services.bride_mark_married(bride=dewi, married_on=TODAY, couple=None, actor=None)
    with pytest.raises(ValidationError) as error:
        bride_services.bride_cancel(bride=dewi, on=TODAY, reason="other", actor=None)
    assert codes(error.value) == ["bride.cancel_married"]
    assert state(dewi) == (None, "")

    bride_services.bride_cancel(bride=nur, on=CALLED_OFF, reason="moved_away", actor=None)
    refused = {
        "married_on": lambda: bride_services.bride_mark_married(
            bride=nur, married_on=TODAY, couple=None, actor=None
        ),
        "screened_on": lambda: bride_services.screening_record(
            bride=nur,
            screened_on=TODAY,
            weight_kg="50",
            height_cm="155",
            lila_cm="24",
            hb_g_dl="",
            smokes=False,
            actor=None,
        ),
        "cancelled_on": lambda: bride_services.bride_cancel(
            bride=nur, on=TODAY, reason="other", actor=None
        ),
    }
    expected = {
        "married_on": "bride.cancelled",
        "screened_on": "bride.cancelled",
        "cancelled_on": "bride.already_cancelled",
    }
    for field, write in refused.items():
        with pytest.raises(ValidationError) as error:
            write()
        assert list(error.value.error_dict) == [field]
        assert codes(error.value) == [expected[field]]
    nur.refresh_from_db()
    assert (nur.married_on, nur.cancelled_on, nur.cancel_reason) == (None, CALLED_OFF, "moved_away")
    assert not BrideScreening.objects.exists()
    with pytest.raises(ValidationError) as error:
        bride_services.bride_reopen(bride=dewi, actor=None)
    assert [e.code for e in error.value.error_list] == ["bride.not_cancelled"]


@pytest.mark.django_db
def test_scope_of_the_writes(world: World, brides: tuple[BrideToBe, BrideToBe]) -> None:
    nur, dewi = brides
    for username in ("other_cadre", "other_district", "partner", "viewer"):
        with pytest.raises(Http404):
            bride_services.bride_cancel(
                bride=nur, on=CALLED_OFF, reason="other", actor=world.user(username)
            )
    assert state(nur) == (None, "")
    for username in ("cadre_rt", "pkb", "district"):  # each may edit her RT's register
        bride_services.bride_cancel(
            bride=nur, on=CALLED_OFF, reason="other", actor=world.user(username)
        )
        with pytest.raises(Http404):
            bride_services.bride_reopen(bride=nur, actor=world.user("other_cadre"))
        assert state(nur) == (CALLED_OFF, "other")
        bride_services.bride_reopen(bride=nur, actor=world.user(username))
    assert AuditEvent.objects.filter(action="bride.cancel").count() == 3
    assert AuditEvent.objects.filter(action="bride.reopen").count() == 3
    assert state(dewi) == (None, "")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "name"),
    [
        ({"cancelled_on": CALLED_OFF, "cancel_reason": ""}, "bride_cancelled_with_reason"),
        ({"cancelled_on": None, "cancel_reason": "other"}, "bride_cancelled_with_reason"),
        (
            {"cancelled_on": REGISTERED - dt.timedelta(days=1), "cancel_reason": "other"},
            "bride_cancelled_with_reason",
        ),
        (
            {"cancelled_on": CALLED_OFF, "cancel_reason": "other", "married_on": TODAY},
            "bride_cancelled_not_married",
        ),
    ],
)
def test_the_database_keeps_a_cancellation_whole(
    world: World, brides: tuple[BrideToBe, BrideToBe], changes: dict[str, Any], name: str
) -> None:
    nur, _dewi = brides
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        BrideToBe.objects.filter(pk=nur.pk).update(**changes)
    assert name in str(error.value) or "CHECK constraint failed" in str(error.value)
    assert state(nur) == (None, "")


@pytest.mark.django_db
def test_cancelled_weddings_raise_no_alert(
    world: World, brides: tuple[BrideToBe, BrideToBe]
) -> None:
    nur, _dewi = brides
    cadre = world.user("cadre")
    assert [
        a.name for a in bride_selectors.early_marriages(user=cadre, area_code=VILLAGE, on=TODAY)
    ] == ["Nur Aini"]
    bride_services.bride_cancel(bride=nur, on=CALLED_OFF, reason="postponed", actor=None)
    assert bride_selectors.early_marriages(user=cadre, area_code=VILLAGE, on=TODAY) == []
    before = CALLED_OFF - dt.timedelta(days=1)
    assert [
        a.name for a in bride_selectors.early_marriages(user=cadre, area_code=VILLAGE, on=before)
    ] == ["Nur Aini"]


# -- Pages ----------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "seen", "edits"),
    [
        ("admin", True, True),
        ("district", True, True),
        ("pkb", True, True),
        ("cadre", True, True),
        ("cadre_rt", True, True),
        ("partner", False, False),
        ("viewer", False, False),
        ("other_district", False, False),
        ("other_cadre", False, False),
    ],
)
def test_bride_page_by_role(
    world: World,
    client_for: Any,
    brides: tuple[BrideToBe, BrideToBe],
    username: str,
    seen: bool,
    edits: bool,
) -> None:
    nur, _dewi = brides
    url = reverse("stunting:bride", args=[nur.pk])
    client = client_for(username)
    page = client.get(url)
    assert page.status_code == (200 if seen else 404)
    if seen:
        assert ('id="cancel-form"' in page.content.decode()) is edits
    cancel = {
        "form": "cancel",
        "c-cancelled_on": CALLED_OFF.isoformat(),
        "c-cancel_reason": "other",
    }
    response = client.post(url, cancel)
    if not edits:
        assert response.status_code == 404
        assert state(nur) == (None, "")
        return
    assert response.status_code == 302 and response["Location"] == url
    assert state(nur) == (CALLED_OFF, "other")
    text = client.get(url).content.decode()
    assert 'id="cancelled"' in text and 'id="reopen-form"' in text
    assert 'id="cancel-form"' not in text and 'name="form" value="screening"' not in text
    assert client.post(url, {"form": "reopen"}).status_code == 302
    assert state(nur) == (None, "")


@pytest.mark.django_db
def test_bride_page_shows_a_refused_cancellation(
    world: World, client_for: Any, brides: tuple[BrideToBe, BrideToBe]
) -> None:
    nur, _dewi = brides
    url = reverse("stunting:bride", args=[nur.pk])
    client = client_for("cadre")
    future = (TODAY + dt.timedelta(days=1)).isoformat()
    page = client.post(
        url, {"form": "cancel", "c-cancelled_on": future, "c-cancel_reason": "other"}
    )
    assert page.status_code == 200
    assert page.context["cancel_form"].errors["cancelled_on"] == [
        "Tanggal pembatalan ({}) tidak boleh sebelum pendaftaran ({}) atau di masa depan.".format(
            (TODAY + dt.timedelta(days=1)).strftime("%d-%m-%Y"), REGISTERED.strftime("%d-%m-%Y")
        )
    ]
    assert 'id="cancel" open' in page.content.decode()
    refused = client.post(url, {"form": "reopen"}, follow=True)
    assert [str(m) for m in refused.context["messages"]] == [
        "Pendaftaran ini tidak dibatalkan: tidak ada yang dibuka kembali."
    ]
    assert state(nur) == (None, "")
    assert not AuditEvent.objects.filter(action__in=["bride.cancel", "bride.reopen"]).exists()


@pytest.mark.django_db
def test_brides_list_tabs_and_excel(
    world: World, client_for: Any, brides: tuple[BrideToBe, BrideToBe], django_assert_num_queries
) -> None:
    nur, dewi = brides
    bride_services.bride_cancel(bride=nur, on=CALLED_OFF, reason="called_off", actor=None)
    client = client_for("cadre")
    url = reverse("stunting:brides")
    page = client.get(url, {"area": VILLAGE})
    assert [r.bride for r in page.context["rows"]] == [dewi]
    assert [(s.value if s else None, n) for s, n in page.context["tabs"]] == [
        (None, 1),
        ("planned", 1),
        ("passed", 0),
        ("married", 0),
        ("cancelled", 1),
    ]
    text = page.content.decode()
    assert 'data-status="cancelled"' in text and "Pendaftaran dibatalkan" in text
    assert page.context["alerts"] == []
    query = {"area": VILLAGE, "status": "cancelled"}
    with django_assert_num_queries(12):  # whatever the number of brides
        client.get(url, query, HTTP_HX_REQUEST="true")
    for name in ("Sari", "Wulan", "Intan"):
        bride_services.bride_cancel(
            bride=register(name, years=22), on=CALLED_OFF, reason="other", actor=None
        )
    with django_assert_num_queries(12):
        crowded = client.get(url, query, HTTP_HX_REQUEST="true")
    assert len(crowded.context["rows"]) == 4
    BrideToBe.objects.exclude(pk__in=[nur.pk, dewi.pk]).delete()
    fragment = client.get(url, query, HTTP_HX_REQUEST="true")
    assert [r.bride for r in fragment.context["rows"]] == [nur]
    assert "Pernikahan batal" in fragment.content.decode()
    assert client.get(url, {"area": VILLAGE, "status": "pregnant"}).status_code == 400
    excel = client.get(url, {"area": VILLAGE, "status": "cancelled", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(excel.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-2:] == ("Dibatalkan pada", "Alasan pembatalan")
    assert [(r[0], r[6], r[-2].date(), r[-1]) for r in rows[1:]] == [
        ("Nur Aini", "Pendaftaran dibatalkan: tidak jadi menikah", CALLED_OFF, "Pernikahan batal")
    ]
    assert AuditEvent.objects.filter(action="export.stunting_brides_cancelled").count() == 1
    default = client.get(url, {"area": VILLAGE, "format": "xlsx"})
    listed = list(load_workbook(io.BytesIO(default.content)).active.iter_rows(values_only=True))
    assert [(r[0], r[-2], r[-1]) for r in listed[1:]] == [("Dewi", None, None)]


# -- API ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_cancel_and_reopen(
    world: World, api_as: Any, brides: tuple[BrideToBe, BrideToBe]
) -> None:
    nur, _dewi = brides
    url = f"/api/stunting/brides/{nur.pk}/cancel"
    body = json.dumps({"cancelled_on": CALLED_OFF.isoformat(), "cancel_reason": "moved_away"})
    for username in ("other_cadre", "partner"):
        refused = api_as(username).post(url, body, content_type="application/json")
        assert refused.status_code == 404
    bad = api_as("cadre").post(
        url,
        json.dumps(
            {"cancelled_on": (TODAY + dt.timedelta(days=3)).isoformat(), "cancel_reason": "other"}
        ),
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["code"] == "bride.cancel_date"
    unknown = api_as("cadre").post(
        url, json.dumps({"cancel_reason": "eloped"}), content_type="application/json"
    )
    assert unknown.status_code == 422
    assert state(nur) == (None, "")

    client = api_as("cadre")
    done = client.post(url, body, content_type="application/json")
    assert done.status_code == 200
    out = done.json()
    assert (out["status"], out["cancelled_on"], out["cancel_reason"]) == (
        "cancelled",
        CALLED_OFF.isoformat(),
        "moved_away",
    )
    listed = client.get(f"/api/stunting/brides?area={VILLAGE}").json()["items"]
    assert [(b["name"], b["cancelled_on"], b["cancel_reason"]) for b in listed] == [
        ("Dewi", None, None)
    ]
    cancelled = client.get(f"/api/stunting/brides?area={VILLAGE}&status=cancelled").json()
    assert [b["name"] for b in cancelled["items"]] == ["Nur Aini"]
    assert client.get(f"/api/stunting/brides?area={VILLAGE}&status=pregnant").status_code == 422

    reopen = f"/api/stunting/brides/{nur.pk}/reopen"
    assert api_as("other_cadre").post(reopen).status_code == 404
    assert state(nur) == (CALLED_OFF, "moved_away")
    reopened = client.post(reopen)
    assert reopened.status_code == 200
    assert (reopened.json()["status"], reopened.json()["cancel_reason"]) == ("planned", None)
    again = client.post(reopen)
    assert again.status_code == 422
    assert again.json()["errors"][0]["code"] == "bride.not_cancelled"
