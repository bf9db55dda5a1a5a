"""The stunting-risk pages, tried by every role of the shared world (``conftest.py``), on the
fixed day ``ON``. Sentences are checked in English (the language cookie), the figures and names
in any language."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from kampungkb.core.models import AuditEvent
from kampungkb.core.tables import XLSX_TYPE
from kampungkb.families.services import family_deactivate
from kampungkb.stunting.exports import COLUMNS
from kampungkb.stunting.risk import RiskReason, TargetReason, Unknown
from kampungkb.stunting.tests.conftest import ON, Krs, _couple_family
from kampungkb.testing.world import KEC, OTHER_VILLAGE, RT, RT_2, USERS, VILLAGE, VILLAGE_2

LIST = reverse("stunting:at_risk")
ALL_USERS = tuple(USERS)
DAY = {"on": ON.isoformat()}
# The families at risk each user's list opens on (their first area at village level or below),
# and those who must choose a village first (an empty list).
OPENS_ON: dict[str, tuple[int, list[str]]] = {
    "admin": (200, []),
    "district": (200, []),
    "pkb": (200, ["I Wayan Sudarma", "Joko Susilo"]),
    "cadre": (200, ["I Wayan Sudarma", "Joko Susilo"]),
    "cadre_rt": (200, ["I Wayan Sudarma"]),
    "partner": (404, []),
    "viewer": (404, []),
    "other_district": (200, []),
    "other_cadre": (200, ["Lalu Ahmad"]),
}
VILLAGE_READERS = ("admin", "district", "pkb", "cadre")
WAYAN_READERS = (*VILLAGE_READERS, "cadre_rt")


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def text(response: Any) -> str:
    return response.content.decode()


def heads(response: Any) -> list[str]:
    page = response.context.get("page")
    if page is None:
        return []
    return [row.family.head.full_name for row in page.object_list]


def family_url(family: Any) -> str:
    return reverse("stunting:family", args=[family.pk])


# -- The list: who sees what ----------------------------------------------------------------------


@pytest.mark.parametrize("username", ALL_USERS)
def test_list_opens_on_the_users_village(krs: Krs, client_for: Any, username: str) -> None:
    status, expected = OPENS_ON[username]
    response = client_for(username).get(LIST, DAY)
    assert response.status_code == status
    if status == 200:
        assert heads(response) == expected
        assert ("summary" in response.context) is bool(expected)


@pytest.mark.parametrize("username", ["admin", "district", "other_district"])
def test_users_above_villages_are_asked_to_choose_one(
    krs: Krs, client_for: Any, username: str
) -> None:
    response = english(client_for(username)).get(LIST, DAY)
    assert '<p id="choose-village" role="status">Choose a village (or an RW/RT in it).</p>' in (
        text(response)
    )
    assert '<option value="">Choose a village</option>' in text(response)


@pytest.mark.parametrize("username", ALL_USERS)
def test_list_of_the_village(krs: Krs, client_for: Any, username: str) -> None:
    response = client_for(username).get(LIST, {**DAY, "area": VILLAGE})
    if username not in VILLAGE_READERS:
        assert response.status_code == 404
        assert "Wayan" not in text(response)
        return
    assert response.status_code == 200
    assert heads(response) == ["I Wayan Sudarma", "Joko Susilo"]
    summary = response.context["summary"]
    assert (summary.families, summary.target, summary.at_risk) == (4, 3, 2)


@pytest.mark.parametrize(
    ("username", "area", "expected"),
    [
        ("pkb", VILLAGE_2, ["Agus Salim"]),
        ("cadre", RT_2, ["Joko Susilo"]),
        ("cadre_rt", RT, ["I Wayan Sudarma"]),
        ("admin", OTHER_VILLAGE, ["Lalu Ahmad"]),
        ("other_district", OTHER_VILLAGE, ["Lalu Ahmad"]),
    ],
)
def test_list_of_other_areas(krs: Krs, client_for: Any, username, area, expected) -> None:
    assert heads(client_for(username).get(LIST, {**DAY, "area": area})) == expected


@pytest.mark.parametrize(
    ("username", "area"),
    [("cadre", VILLAGE_2), ("cadre_rt", RT_2), ("other_cadre", RT), ("pkb", OTHER_VILLAGE)],
)
def test_list_outside_the_users_areas_is_not_found(
    krs: Krs, client_for: Any, username: str, area: str
) -> None:
    response = client_for(username).get(LIST, {**DAY, "area": area})
    assert response.status_code == 404


def test_an_area_above_a_village_asks_for_a_village(krs: Krs, client_for: Any) -> None:
    response = english(client_for("district")).get(LIST, {**DAY, "area": KEC})
    assert response.status_code == 200
    assert (
        "Choose a village (or an RW/RT in it): Kota Bangun is larger than a village. Counts per "
        "sub-district and district will come with the indicator facts."
    ) in text(response)
    assert "summary" not in response.context
    # The picker offers the sub-district's villages.
    assert f'<option value="{VILLAGE}">' in text(response)


# -- The list: counts, filters, dates ---------------------------------------------------------------


def test_summary_counts_link_to_the_filtered_list(krs: Krs, client_for: Any) -> None:
    response = english(client_for("cadre")).get(LIST, DAY)
    page = text(response)
    assert '<article data-count="target"><p class="figure">3</p>' in page
    assert '<article data-count="at_risk"><p class="figure">2</p>' in page
    assert '<article data-count="house_not_recorded"><p class="figure">1</p>' in page
    for reason in RiskReason:
        assert (
            f'<article data-count="{reason.value}"><p class="figure">1</p><p>'
            f'<a href="?on={ON.isoformat()}&amp;area={VILLAGE}&amp;reason={reason.value}">'
            f"{reason.label}</a>"
        ) in page


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        ("too_young", ["Joko Susilo"]),
        ("too_old", ["I Wayan Sudarma"]),
        ("unsafe_water", ["Joko Susilo"]),
        ("too_many", ["I Wayan Sudarma"]),
    ],
)
def test_list_by_reason(krs: Krs, client_for: Any, reason: str, expected: list[str]) -> None:
    response = client_for("cadre").get(LIST, {**DAY, "reason": reason})
    assert heads(response) == expected
    assert response.context["reason"] == reason
    assert response.context["summary"].at_risk == 2  # the counts stay those of the village


def test_the_table_shows_reasons_and_what_is_not_recorded(krs: Krs, client_for: Any) -> None:
    page = text(english(client_for("cadre")).get(LIST, DAY))
    wayan = page[page.index(f'<tr id="family-{krs.wayan.pk}">') :]
    wayan = wayan[: wayan.index("</tr>")]
    assert f'<a href="{family_url(krs.wayan)}?on={ON.isoformat()}">' in wayan
    assert f'<a href="{reverse("families:detail", args=[krs.wayan.pk])}">' in wayan
    assert "Kota Bangun Ulu \u203a RW 001 \u203a RT 001 · Jl. Pelabuhan 2" in wayan
    assert '<span class="badge">Couple of reproductive age (PUS)</span>' in wayan
    assert '<span class="badge warn">Wife too old</span>' in wayan
    assert '<span class="badge off">Septic tank</span>' in wayan
    assert "6402" not in page  # no NIK or KK number


def test_an_earlier_day(krs: Krs, client_for: Any) -> None:
    response = client_for("cadre").get(LIST, {"on": "2025-01-01"})
    assert heads(response) == ["I Wayan Sudarma"]


def test_today_by_default(krs: Krs, client_for: Any) -> None:
    response = client_for("cadre").get(LIST)
    assert response.context["on"] == timezone.localdate()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"on": "30-06-2026"}, "The date must be written YYYY-MM-DD"),
        ({"on": "2999-01-01"}, "The date of the assessment cannot be in the future"),
        ({"reason": "poverty"}, "The reason poverty is not known"),
    ],
)
def test_a_bad_query_is_a_bilingual_400(krs: Krs, client_for: Any, query, message) -> None:
    response = client_for("cadre").get(LIST, query)
    assert response.status_code == 400
    assert message in text(response)


def test_partial_for_htmx(krs: Krs, client_for: Any) -> None:
    response = client_for("cadre").get(LIST, {**DAY, "area": RT}, HTTP_HX_REQUEST="true")
    page = text(response)
    assert response.templates[0].name == "stunting/_at_risk_results.html"
    assert "<html" not in page
    assert 'hx-swap-oob="true"' in page
    assert heads(response) == ["I Wayan Sudarma"]


@override_settings(KAMPUNGKB_PAGE_SIZE=1)
def test_pages(krs: Krs, client_for: Any) -> None:
    client = client_for("cadre")
    assert heads(client.get(LIST, {**DAY, "page": 2})) == ["Joko Susilo"]
    page = text(english(client).get(LIST, DAY))
    assert f'href="?on={ON.isoformat()}&amp;area={VILLAGE}&amp;page=2"' in page


# Session, user, scope (the page's decorator); the user's first village; the area picker (the
# area, its ancestors, its children); the area again (selector); families, persons, couples,
# pregnancies: the same for any number of families.
LIST_QUERIES = 12


@pytest.mark.parametrize("extra", [0, 8])
def test_list_query_count_is_pinned(
    krs: Krs, client_for: Any, django_assert_num_queries: Any, extra: int
) -> None:
    for serial in range(extra):
        _couple_family(
            RT,
            head=(f"Suami {serial}", ON.replace(year=1995)),
            wife=(f"Istri {serial}", ON.replace(year=2008)),
            married_on=ON.replace(year=2025),
            serial=500 + 2 * serial,
        )
    client = client_for("cadre")
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(LIST, DAY)
    assert len(heads(response)) == 2 + extra


# -- Exports --------------------------------------------------------------------------------------


def header() -> list[str]:
    with translation.override("id"):
        return [str(c) for c in COLUMNS]


def labels(*choices: Any) -> str:
    with translation.override("id"):
        return "; ".join(str(c.label) for c in choices)


def csv_rows(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_csv_export(krs: Krs, client_for: Any, world: Any) -> None:
    response = client_for("cadre").get(LIST, {**DAY, "format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        f'filename="kampungkb-krs-{VILLAGE}-{ON.isoformat()}.csv"'
        in (response["Content-Disposition"])
    )
    assert csv_rows(response) == [
        header(),
        [
            "I Wayan Sudarma",
            "Kota Bangun Ulu \u203a RW 001 \u203a RT 001",
            "Jl. Pelabuhan 2",
            labels(TargetReason.PUS),
            labels(RiskReason.TOO_OLD, RiskReason.TOO_CLOSE, RiskReason.TOO_MANY),
            labels(*Unknown),
        ],
        [
            "Joko Susilo",
            "Kota Bangun Ulu \u203a RW 001 \u203a RT 002",
            "Gang Pelita 7",
            labels(TargetReason.PUS, TargetReason.UNDER_2),
            labels(RiskReason.UNSAFE_WATER, RiskReason.NO_DECENT_LATRINE, RiskReason.TOO_YOUNG),
            "",
        ],
    ]
    assert "6402" not in response.content.decode("utf-8-sig")
    event = AuditEvent.objects.get(action="export.stunting_at_risk")
    assert (event.actor, event.area_code) == (world.user("cadre"), VILLAGE)
    assert event.after == {
        "format": "csv",
        "area": VILLAGE,
        "rows": 2,
        "on": ON.isoformat(),
        "reason": "",
    }


def test_xlsx_export_by_reason(krs: Krs, client_for: Any) -> None:
    query = {**DAY, "area": VILLAGE, "reason": "too_young", "format": "xlsx"}
    response = client_for("district").get(LIST, query)
    assert response["Content-Type"] == XLSX_TYPE
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[0] for row in sheet.iter_rows(values_only=True)] == [
        header()[0],
        "Joko Susilo",
    ]
    assert AuditEvent.objects.get(action="export.stunting_at_risk").after["reason"] == "too_young"


@pytest.mark.parametrize(
    ("username", "query", "status"),
    [
        ("district", {}, 400),  # no village chosen
        ("district", {"area": KEC}, 400),
        ("partner", {"area": VILLAGE}, 404),
        ("cadre", {"area": VILLAGE_2}, 404),
    ],
)
def test_refused_exports_write_no_audit_event(
    krs: Krs, client_for: Any, username: str, query: dict[str, str], status: int
) -> None:
    response = client_for(username).get(LIST, {**DAY, **query, "format": "csv"})
    assert response.status_code == status
    assert not AuditEvent.objects.filter(action="export.stunting_at_risk").exists()


# -- One family -----------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ALL_USERS)
def test_family_page_by_role(krs: Krs, client_for: Any, username: str) -> None:
    response = client_for(username).get(family_url(krs.wayan), DAY)
    assert response.status_code == (200 if username in WAYAN_READERS else 404)
    if response.status_code == 404:
        assert "Ni Made Sari" not in text(response)


@pytest.mark.parametrize("username", ALL_USERS)
def test_family_page_of_lombok_timur(krs: Krs, client_for: Any, username: str) -> None:
    response = client_for(username).get(family_url(krs.lalu), DAY)
    readers = ("admin", "other_district", "other_cadre")
    assert response.status_code == (200 if username in readers else 404)


def test_family_page_explains_each_reason(krs: Krs, client_for: Any) -> None:
    page = text(english(client_for("cadre")).get(family_url(krs.wayan), DAY))
    for sentence in (
        '<span class="badge warn">At risk of stunting</span>',
        "on 30-06-2026, from the family register.",
        "Ni Made Sari (37) and I Wayan Sudarma are a married couple of reproductive age.",
        "Ni Made Sari is 37: over 35.",
        "The two youngest children of Ni Made Sari, Komang Tri (born 10-01-2016) and Ketut "
        "Catur (born 10-03-2017), were born 14 months apart.",
        "Ni Made Sari has 4 living children: more than 3.",
        "<li><strong>Septic tank</strong>: Does the latrine drain into a septic tank?</li>",
        f'<a href="{reverse("families:housing", args=[krs.wayan.pk])}" role="button"',
        f'<a href="{LIST}?area={VILLAGE}">Families at risk of stunting</a>',
    ):
        assert sentence in page, sentence


def test_family_page_of_a_young_family(krs: Krs, client_for: Any) -> None:
    # The RT cadre works in RT 001: the Joko family (RT 002) is not found.
    assert client_for("cadre_rt").get(family_url(krs.joko), DAY).status_code == 404
    response = english(client_for("cadre")).get(family_url(krs.joko), DAY)
    page = text(response)
    for sentence in (
        "Dewi Lestari (17) and Joko Susilo are a married couple of reproductive age.",
        "Putri is 4 months old.",
        "Drinking water: River, lake or pond.",
        "The family has no latrine.",
        "Dewi Lestari is 17: under 20.",
    ):
        assert sentence in page, sentence
    assert 'id="not-recorded"' not in page


def test_family_page_of_a_pregnant_wife(krs: Krs, client_for: Any) -> None:
    page = text(english(client_for("cadre")).get(family_url(krs.sutrisno), DAY))
    assert "Siti Aminah is pregnant (recorded on 04-05-2026)." in page
    assert "Target family, no risk reason found" in page
    assert "No risk reason found in the registers." in page


def test_family_page_of_a_family_that_is_no_target(krs: Krs, client_for: Any) -> None:
    page = text(english(client_for("cadre")).get(family_url(krs.rahmawati), DAY))
    assert '<span class="badge off">Not a target family</span>' in page
    assert "Drinking water: Unprotected well." in page
    assert "These count only for a target family." in page


def test_family_page_of_a_deactivated_family_offers_no_housing_form(
    krs: Krs, client_for: Any
) -> None:
    family_deactivate(family=krs.wayan, reason="Pindah ke luar kota", actor=None)
    page = text(english(client_for("cadre")).get(family_url(krs.wayan), DAY))
    assert "Pindah ke luar kota" in page
    assert reverse("families:housing", args=[krs.wayan.pk]) not in page


def test_family_page_bad_date(krs: Krs, client_for: Any) -> None:
    assert client_for("cadre").get(family_url(krs.wayan), {"on": "kemarin"}).status_code == 400


def test_family_page_back_link_for_an_rt_cadre(krs: Krs, client_for: Any) -> None:
    page = text(english(client_for("cadre_rt")).get(family_url(krs.wayan), DAY))
    assert f'<a href="{LIST}?area={RT}">Families at risk of stunting</a>' in page
