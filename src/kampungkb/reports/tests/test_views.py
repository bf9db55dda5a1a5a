"""The recap page and its files, tried by every role, in and out of its area."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kampungkb.reports.exports import XLSX_TYPE
from kampungkb.reports.selectors import CODES
from kampungkb.testing.world import (
    AGGREGATE_AREAS,
    KAB,
    KEC,
    VILLAGE,
    VILLAGE_2,
    World,
)

RECAP = reverse("reports:recap")
MONTH = "2025-06"

AREAS = AGGREGATE_AREAS
HEADER = [
    "Kode wilayah",
    "Wilayah",
    "PUS",
    "PA",
    "PB",
    "CPR (%)",
    "mCPR (%)",
    "MKJP (%)",
    "Unmet need (%)",
    "Drop-out",
    "KBPP",
    "Partisipasi pria (%)",
    "CYP",
]


def get(client: Any, area: str, **params: str) -> Any:
    return client.get(RECAP, {"area": area, "month": MONTH, **params})


@pytest.mark.django_db
@pytest.mark.parametrize("username", AREAS)
def test_every_role_in_scope_and_out(world: World, client_for: Any, username: str) -> None:
    inside, outside = AREAS[username]
    client = client_for(username)
    assert get(client, inside).status_code == 200
    assert client.get(RECAP).status_code == 200  # the first root area, the last month
    if outside is not None:
        assert get(client, outside).status_code == 404
        assert get(client, outside, format="csv").status_code == 404


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(world: World, client: Any) -> None:
    response = get(client, KAB)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_malformed_month_is_a_bad_request(world: World, client_for: Any) -> None:
    assert client_for("district").get(RECAP, {"area": KAB, "month": "June"}).status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["partner", "viewer"])
def test_aggregate_roles_see_the_figures(
    world: World, filled: None, client_for: Any, username: str
) -> None:
    response = get(client_for(username), KEC)
    page = response.content.decode()
    assert "<h1>Rekapitulasi bulanan: Kota Bangun</h1>" in page
    assert {VILLAGE, VILLAGE_2} <= {r.area.code for r in response.context["recap"].rows}
    link = f"?area={VILLAGE_2}&amp;month={MONTH}"
    assert f'href="{link}" hx-get="{link}"' in page
    assert "<td><strong>5</strong></td>" in page  # PUS of Kota Bangun
    assert "Istri" not in page


@pytest.mark.django_db
def test_htmx_gets_the_fragment(world: World, filled: None, client_for: Any) -> None:
    response = client_for("district").get(
        RECAP, {"area": KEC, "month": MONTH}, headers={"HX-Request": "true"}
    )
    assert next(t.name for t in response.templates) == "reports/_recap.html"


def test_csv(world: World, filled: None, client_for: Any) -> None:
    response = get(client_for("district"), KEC, format="csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="rekap-64.02.08-2025-06.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == HEADER
    by_code = {r[0]: r for r in rows[1:]}
    assert by_code[VILLAGE_2][:5] == [VILLAGE_2, "Kota Bangun Ilir", "4", "3", "2"]
    assert rows[-1][:5] == [KEC, "Jumlah", "5", "3", "2"]
    assert rows[-1][5] == "60.0"  # CPR: 3 of 5 PUS


def test_json(world: World, filled: None, client_for: Any) -> None:
    response = get(client_for("partner"), KEC, format="json")
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["area"] == {"code": KEC, "name": "Kota Bangun", "level": 3}
    assert data["month"] == MONTH
    assert [c["code"] for c in data["columns"]] == list(CODES)
    assert data["total"]["values"]["PUS"] == 5
    assert data["total"]["values"]["CPR"] == 60.0
    village = {r["code"]: r for r in data["rows"]}[VILLAGE]
    assert village["values"]["PUS"] == 1
    assert village["values"]["CPR"] == 0.0


def test_xlsx_of_a_kabupaten_has_a_villages_sheet(
    world: World, filled: None, client_for: Any
) -> None:
    response = get(client_for("district"), KAB, format="xlsx")
    assert response["Content-Type"] == XLSX_TYPE
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Kecamatan", "Desa-Kelurahan"]
    sheet = book["Kecamatan"]
    assert sheet["A1"].value == "Rekapitulasi bulanan KB"
    assert sheet["A1"].font.b
    assert [sheet["A2"].value, sheet["B2"].value] == [
        "Wilayah",
        "Kabupaten Kutai Kartanegara (64.02)",
    ]
    assert [sheet["A3"].value, sheet["B3"].value] == ["Periode", "Juni 2025"]
    assert [c.value for c in sheet[5]] == HEADER
    assert all(c.font.b for c in sheet[5])
    total = sheet[sheet.max_row]
    assert [c.value for c in total[:4]] == [KAB, "Jumlah", 5, 3]
    assert total[5].value == 60.0
    assert total[5].number_format == "0.0"
    assert total[2].number_format == "#,##0"
    villages = {r[0].value: r for r in book["Desa-Kelurahan"].iter_rows(min_row=6)}
    assert villages[VILLAGE_2][2].value == 4


@pytest.mark.django_db
@pytest.mark.parametrize(("area", "queries"), [(KAB, 7), (KEC, 7), (VILLAGE, 6)])
def test_query_count_does_not_grow_with_sub_areas(
    world: World,
    filled: None,
    client_for: Any,
    django_assert_num_queries: Any,
    area: str,
    queries: int,
) -> None:
    """Session, user, scope, area, sub-areas (not for a village), facts, breadcrumb."""
    client = client_for("district")
    with django_assert_num_queries(queries):
        assert get(client, area).status_code == 200


def test_a_bad_month_is_explained_in_both_languages(client_for: Any) -> None:
    response = client_for("district").get(RECAP, {"area": KAB, "month": "Juni"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Bulan harus ditulis TTTT-BB, misalnya 2025-06 (tertulis: Juni)." in text
    assert "The month must be written YYYY-MM, e.g. 2025-06 (given: Juni)." in text
