"""The partner page's figures, computed by hand on a small fixture.

Partner Rumah Kreatif BUMN (registered in Kutai Kartanegara, serving Kota Bangun Ilir):
- MoU M1, Kota Bangun (kecamatan), 1 Jan-30 Jun 2025: 4 activities, 20 people, Rp 5,000,000,
  3 villages.
- MoU M2, Kota Bangun Ulu (village), 1 Jul-31 Dec 2025: 2 activities.
Its activities:
- a1 10 Feb 2025, Kota Bangun Ulu: Sutrisno (M) and Siti Aminah (F) named; 10 F and 5 M counted;
  Rp 2,000,000 money + Rp 500,000 trainers' time (and Rp 9,999 from another partner).
- a2 15 Mar 2025, RT 001 of Kota Bangun Ulu: Siti Aminah again and Rizky (M); 3 F counted;
  Rp 1,250,000 goods.
- a3 20 Apr 2025, Kota Bangun Ilir: 7 M counted.
- a4 5 Aug 2025, Kota Bangun Ulu: Rahmawati (F); Rp 300,000 facilities.
- a5 1 May 2025, Tumbuh Mulia (Lombok Timur): 4 F counted; Rp 1,000,000 (only national users
  see it).
And a6, 1 Mar 2025 in Kota Bangun Ulu with 100 counted, held without the partner.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kampungkb.activities.models import (
    Activity,
    ActivityPartner,
    Attendance,
    AttendanceCount,
    PartnerContribution,
)
from kampungkb.families.models import Person
from kampungkb.indicators.models import Fact
from kampungkb.partners import services
from kampungkb.partners.models import Partner
from kampungkb.partners.tests.factories import make_mou, make_partner
from kampungkb.reports.partner_report import partner_report, village_code
from kampungkb.testing.world import KEC, OTHER_VILLAGE, RT, USERS, VILLAGE, VILLAGE_2, World

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 9, 1)


def activity(partner: Partner | None, on: dt.date, area: str, title: str) -> Activity:
    a = Activity.objects.create(
        kind="training",
        title=title,
        held_on=on,
        area_id=area,
        family_function="economy",
        organiser="DPPKB",
    )
    if partner is not None:
        ActivityPartner.objects.create(activity=a, partner=partner)
    return a


def named(a: Activity, *names: str) -> None:
    for name in names:
        Attendance.objects.create(activity=a, person=Person.objects.get(full_name=name))


def counted(a: Activity, sex: str, age: str, n: int) -> None:
    AttendanceCount.objects.create(activity=a, sex=sex, age_group=age, count=n)


def gave(a: Activity, partner: Partner, kind: str, value: int) -> None:
    link = ActivityPartner.objects.get(activity=a, partner=partner)
    PartnerContribution.objects.create(link=link, kind=kind, value=value)


def fact(code: str, area: str, month: dt.date, numerator: int, denominator: int | None) -> None:
    Fact.objects.create(
        indicator=code,
        area_code=area,
        level=4,
        period=month,
        numerator=numerator,
        denominator=denominator,
    )


@pytest.fixture
def partner(world: World) -> Partner:
    p = make_partner(served=[VILLAGE_2])
    other = make_partner("PKK Kukar", kind="pkk")
    make_mou(
        p,
        "M1",
        area=KEC,
        valid_from=dt.date(2025, 1, 1),
        valid_until=dt.date(2025, 6, 30),
        commitments=[
            ("activities", 4),
            ("people_reached", 20),
            ("value", 5_000_000),
            ("villages", 3),
        ],
    )
    make_mou(
        p,
        "M2",
        area=VILLAGE,
        valid_from=dt.date(2025, 7, 1),
        valid_until=dt.date(2025, 12, 31),
        commitments=[("activities", 2)],
    )
    a1 = activity(p, dt.date(2025, 2, 10), VILLAGE, "Pelatihan UPPKA")
    ActivityPartner.objects.create(activity=a1, partner=other)
    named(a1, "Sutrisno", "Siti Aminah")
    counted(a1, "F", "25-49", 10)
    counted(a1, "M", "25-49", 5)
    gave(a1, p, "money", 2_000_000)
    gave(a1, p, "trainers_time", 500_000)
    gave(a1, other, "money", 9_999)
    a2 = activity(p, dt.date(2025, 3, 15), RT, "Pelatihan lanjutan")
    named(a2, "Siti Aminah", "Rizky Pratama")
    counted(a2, "F", "15-24", 3)
    gave(a2, p, "goods", 1_250_000)
    a3 = activity(p, dt.date(2025, 4, 20), VILLAGE_2, "Penyuluhan")
    counted(a3, "M", "50+", 7)
    a4 = activity(p, dt.date(2025, 8, 5), VILLAGE, "Pameran produk")
    named(a4, "Rahmawati")
    gave(a4, p, "facilities", 300_000)
    a5 = activity(p, dt.date(2025, 5, 1), OTHER_VILLAGE, "Pelatihan di Lombok")
    counted(a5, "F", "25-49", 4)
    gave(a5, p, "money", 1_000_000)
    a6 = activity(other, dt.date(2025, 3, 1), VILLAGE, "Rapat PKK")
    counted(a6, "F", "25-49", 100)
    jan, mar, jun = dt.date(2025, 1, 1), dt.date(2025, 3, 1), dt.date(2025, 6, 1)
    facts: dict[str, dict[str, list[tuple[int, int | None]]]] = {
        "CPR": {
            VILLAGE: [(40, 100), (50, 100), (55, 100)],
            VILLAGE_2: [(20, 100), (30, 100), (35, 100)],
        },
        "MKJP": {VILLAGE: [(10, 40), (10, 50), (11, 55)], VILLAGE_2: [(5, 20), (5, 30), (9, 35)]},
        "PA": {
            VILLAGE: [(40, None), (50, None), (55, None)],
            VILLAGE_2: [(20, None), (30, None), (35, None)],
        },
    }
    for code, figures in facts.items():
        for area, values in figures.items():
            for month, (num, den) in zip((jan, mar, jun), values, strict=True):
                fact(code, area, month, num, den)
    fact("CPR", OTHER_VILLAGE, jun, 99, 100)
    return p


def test_village_code() -> None:
    assert village_code(RT) == VILLAGE
    assert village_code(VILLAGE) == VILLAGE
    assert village_code(KEC) is None


def test_delivery_per_mou_against_commitments(world: World, partner: Partner) -> None:
    report = partner_report(user=world.user("district"), partner=partner, today=TODAY)
    assert [(m.mou.number, m.status) for m in report.mous] == [
        ("M2", "in_force"),
        ("M1", "expired"),
    ]
    m2, m1 = report.mous
    assert (
        m1.delivery.activities,
        m1.delivery.people,
        m1.delivery.value,
        m1.delivery.villages,
    ) == (
        3,
        28,
        3_750_000,
        2,
    )
    assert [(c.measure, c.target, c.delivered, c.percent) for c in m1.commitments] == [
        ("activities", 4, 3, Decimal("75.0")),
        ("people_reached", 20, 28, Decimal("140.0")),
        ("value", 5_000_000, 3_750_000, Decimal("75.0")),
        ("villages", 3, 2, Decimal("66.7")),
    ]
    assert (
        m2.delivery.activities,
        m2.delivery.people,
        m2.delivery.value,
        m2.delivery.villages,
    ) == (
        1,
        1,
        300_000,
        1,
    )
    assert [(c.delivered, c.percent) for c in m2.commitments] == [(1, Decimal("50.0"))]


def test_totals_reach_and_villages_in_the_users_scope(world: World, partner: Partner) -> None:
    report = partner_report(user=world.user("district"), partner=partner, today=TODAY)
    t = report.totals
    assert (t.activities, t.people, t.value, t.villages) == (4, 29, 4_050_000, 2)
    r = report.reach
    assert (r.named_male, r.named_female, r.counted_male, r.counted_female) == (2, 2, 12, 13)
    assert (r.male, r.female, r.total) == (14, 15, 29)
    assert [a.code for a in report.villages_served] == [VILLAGE, VILLAGE_2]
    assert report.first_activity == dt.date(2025, 2, 10)


def test_a_national_user_also_counts_the_activity_in_lombok(world: World, partner: Partner) -> None:
    report = partner_report(user=world.user("admin"), partner=partner, today=TODAY)
    t = report.totals
    assert (t.activities, t.people, t.value, t.villages) == (5, 33, 5_050_000, 3)
    m1 = report.mous[1]
    assert (m1.delivery.activities, m1.delivery.value) == (
        3,
        3_750_000,
    )  # Lombok is not in M1's area
    assert [a.code for a in report.villages_served] == [OTHER_VILLAGE, VILLAGE, VILLAGE_2]


def test_indicators_before_the_first_activity_and_in_the_latest_month(
    world: World, partner: Partner
) -> None:
    report = partner_report(user=world.user("district"), partner=partner, today=TODAY)
    assert (report.baseline, report.latest) == (dt.date(2025, 1, 1), dt.date(2025, 6, 1))
    assert report.indicator_areas == [VILLAGE, VILLAGE_2]
    rows = [(i.code, i.before, i.after, i.change) for i in report.indicators]
    assert rows == [
        ("CPR", Decimal("30.0"), Decimal("45.0"), Decimal("15.0")),
        ("MKJP", Decimal("25.0"), Decimal("22.2"), Decimal("-2.8")),
        ("UNMET_NEED", None, None, None),
        ("PA", Decimal("60"), Decimal("90"), Decimal("30")),
    ]


def test_a_partner_without_activities_has_no_comparison(world: World) -> None:
    report = partner_report(user=world.user("district"), partner=make_partner("Baru"), today=TODAY)
    assert (report.baseline, report.latest, report.first_activity) == (None, None, None)
    assert [(i.before, i.after) for i in report.indicators] == [(None, None)] * 4
    assert (report.totals.activities, report.reach.total) == (0, 0)


# -- The page -------------------------------------------------------------------------------------

PAGE_STATUS = {
    "admin": 200,
    "district": 200,
    "pkb": 200,  # the partner serves Kota Bangun Ilir, one of the PKB's villages
    "cadre": 404,
    "cadre_rt": 404,
    "partner": 404,  # a partner-role user not linked to this partner
    "viewer": 200,
    "other_district": 404,
    "other_cadre": 404,
}


@pytest.mark.parametrize("username", list(USERS))
def test_partner_page_by_role(client_for: Any, partner: Partner, username: str) -> None:
    response = client_for(username).get(reverse("reports:partner", args=[partner.pk]))
    assert response.status_code == PAGE_STATUS[username]


def test_partner_page_shows_the_figures_in_indonesian(client_for: Any, partner: Partner) -> None:
    body = (
        client_for("district").get(reverse("reports:partner", args=[partner.pk])).content.decode()
    )
    assert "Komitmen dibandingkan capaian" in body
    assert "Rp 4.050.000" in body
    assert "Rp 3.750.000" in body
    assert "75,0%" in body or "75.0%" in body
    assert "bukan bukti" in body
    assert "Pelatihan UPPKA" in body
    training = Activity.objects.get(title="Pelatihan UPPKA")
    assert f'href="{reverse("activities:detail", args=[training.pk])}"' in body
    assert "Pelatihan di Lombok" not in body
    assert "Sutrisno" not in body  # never named persons


def test_partner_page_in_english_formats_money_with_commas(
    client_for: Any, partner: Partner
) -> None:
    client = client_for("district")
    client.cookies["django_language"] = "en"
    body = client.get(
        reverse("reports:partner", args=[partner.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Rp 4,050,000" in body
    assert "not proof" in body


def test_a_linked_partner_user_sees_its_own_page_only(
    client_for: Any, world: World, partner: Partner
) -> None:
    services.partner_user_link(partner=partner, user=world.user("partner"), actor=None)
    client = client_for("partner")
    assert client.get(reverse("reports:partner", args=[partner.pk])).status_code == 200
    other = Partner.objects.get(name="PKK Kukar")
    assert client.get(reverse("reports:partner", args=[other.pk])).status_code == 404


def test_partner_page_query_count_is_pinned(
    client_for: Any, partner: Partner, django_assert_num_queries: Any
) -> None:
    client = client_for("district")
    url = reverse("reports:partner", args=[partner.pk])
    client.get(url)
    with django_assert_num_queries(32):
        client.get(url)


def test_partner_page_excel_reads_back(client_for: Any, partner: Partner) -> None:
    response = client_for("district").get(
        reverse("reports:partner", args=[partner.pk]), {"format": "xlsx"}
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Komitmen",
        "Capaian per MoU",
        "Kegiatan",
        "Desa yang dilayani",
        "Orang yang dijangkau",
        "Indikator",
    ]
    rows = [list(r) for r in book["Komitmen"].iter_rows(values_only=True)]
    assert rows[0] == ["MoU", "Status", "Komitmen", "Ukuran", "Target", "Capaian", "Tercapai (%)"]
    assert rows[1:] == [
        ["M2", "Berakhir", "activities target", "Kegiatan bersama yang dilaksanakan", 2, 1, 50.0],
        ["M1", "Berakhir", "activities target", "Kegiatan bersama yang dilaksanakan", 4, 3, 75.0],
        ["M1", "Berakhir", "people_reached target", "Orang yang dijangkau", 20, 28, 140.0],
        ["M1", "Berakhir", "value target", "Nilai kontribusi (Rupiah)", 5_000_000, 3_750_000, 75.0],
        ["M1", "Berakhir", "villages target", "Desa yang dilayani", 3, 2, 66.7],
    ]
    activities = [list(r) for r in book["Kegiatan"].iter_rows(values_only=True)]
    assert [r[1] for r in activities[1:]] == [
        "Pameran produk",
        "Penyuluhan",
        "Pelatihan lanjutan",
        "Pelatihan UPPKA",
    ]
    assert [r[4:] for r in activities[1:]] == [
        [1, 300_000],
        [7, 0],
        [5, 1_250_000],
        [17, 2_500_000],
    ]
    reach = [list(r) for r in book["Orang yang dijangkau"].iter_rows(values_only=True)]
    assert reach[1:] == [["Laki-laki", 2, 12, 14], ["Perempuan", 2, 13, 15], ["Jumlah", 4, 25, 29]]
    indicators = [list(r) for r in book["Indikator"].iter_rows(values_only=True)]
    assert indicators[0] == ["Indikator", "Sebelum 01-2025", "Terakhir 06-2025", "Perubahan"]
    assert indicators[1] == ["CPR (%)", 30.0, 45.0, 15.0]


# -- The API --------------------------------------------------------------------------------------


def test_partner_report_api(client_for: Any, partner: Partner) -> None:
    response = client_for("district").get(f"/api/partners/{partner.pk}/report")
    assert response.status_code == 200
    data = response.json()
    assert data["totals"] == {"activities": 4, "people": 29, "value": 4_050_000, "villages": 2}
    assert data["people_reached"] == {
        "total": 29,
        "male": 14,
        "female": 15,
        "named": 4,
        "counted": 25,
    }
    assert data["villages_served"] == [VILLAGE, VILLAGE_2]
    assert data["mous"][1]["number"] == "M1"
    assert data["mous"][1]["commitments"][3] == {
        "description": "villages target",
        "measure": "villages",
        "target": 3,
        "delivered": 2,
        "percent": "66.7",
    }
    assert data["baseline_month"] == "2025-01-01"
    assert data["latest_month"] == "2025-06-01"
    assert data["indicators"][0] == {
        "code": "CPR",
        "before": "30.0",
        "after": "45.0",
        "change": "15.0",
    }
    assert data["note_id"].startswith("Perubahan indikator")
    assert data["note_en"].startswith("A change")


@pytest.mark.parametrize("username", list(USERS))
def test_partner_report_api_by_role(client_for: Any, partner: Partner, username: str) -> None:
    response = client_for(username).get(f"/api/partners/{partner.pk}/report")
    assert response.status_code == PAGE_STATUS[username]
