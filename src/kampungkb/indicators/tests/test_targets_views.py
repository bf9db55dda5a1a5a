"""The targets pages, tried by every role: aggregates readers read, officers edit and import,
anyone else finds nothing; a refused write changes nothing."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kampungkb.core.models import AuditEvent
from kampungkb.indicators.models import Fact, Target
from kampungkb.indicators.tests.test_targets_services import xlsx
from kampungkb.regions.models import Area
from kampungkb.testing.world import KEC, OTHER_VILLAGE, VILLAGE, VILLAGE_2

PAGE = reverse("targets:page")
EDIT = reverse("targets:edit")
TEMPLATE = reverse("targets:template")
IMPORT = reverse("targets:import")

KEC_READERS = ("admin", "district", "partner", "viewer")
KEC_HIDDEN = ("pkb", "cadre", "cadre_rt", "other_district", "other_cadre")
KEC_EDITORS = ("admin", "district")
KEC_NOT_EDITORS = ("pkb", "cadre", "cadre_rt", "partner", "viewer", "other_district", "other_cadre")


def targets() -> set[tuple[str, int, str, int]]:
    return set(Target.objects.values_list("area_id", "year", "kind", "value"))


@pytest.fixture
def figures(world):
    Target.objects.create(area_id=KEC, year=2025, kind="PA", value=1000)
    Target.objects.create(area_id=VILLAGE, year=2025, kind="PB", value=8)
    for month, pa, pb in ((2, 800, 10), (3, 850, 20)):
        Fact.objects.create(
            indicator="PA", area_code=KEC, level=3, period=dt.date(2025, month, 1), numerator=pa
        )
        Fact.objects.create(
            indicator="PB", area_code=KEC, level=3, period=dt.date(2025, month, 1), numerator=pb
        )
    Fact.objects.create(
        indicator="PB", area_code=VILLAGE, level=4, period=dt.date(2025, 3, 1), numerator=2
    )


# -- The page -------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", KEC_READERS)
def test_page_reads_for_every_aggregates_reader(client_for, figures, username):
    response = client_for(username).get(PAGE, {"area": KEC, "year": 2025})
    assert response.status_code == 200
    table = response.context["table"]
    assert table.period == dt.date(2025, 3, 1)  # the latest filled month
    assert [(a.target, a.actual, a.percent) for a in table.total.achievements] == [
        (1000, Decimal(850), Decimal("85.0")),
        (None, Decimal(30), None),
    ]
    (village,) = [r for r in table.rows if r.area.code == VILLAGE]
    assert village.achievement("PB").percent == Decimal("25.0")
    content = response.content.decode()
    assert "85,0" in content or "85.0" in content
    assert (EDIT in content) == (username in KEC_EDITORS)
    assert (IMPORT in content) == (username in KEC_EDITORS)


@pytest.mark.parametrize("username", KEC_HIDDEN)
def test_page_out_of_scope_is_not_found(client_for, figures, username):
    assert client_for(username).get(PAGE, {"area": KEC, "year": 2025}).status_code == 404


def test_page_month_picked(client_for, figures):
    response = client_for("district").get(PAGE, {"area": KEC, "month": "2025-02"})
    table = response.context["table"]
    assert (table.year, table.period) == (2025, dt.date(2025, 2, 1))
    assert [(a.actual, a.percent) for a in table.total.achievements] == [
        (Decimal(800), Decimal("80.0")),
        (Decimal(10), None),
    ]


def test_page_htmx_gives_the_fragment(client_for, figures):
    response = client_for("district").get(PAGE, {"area": KEC, "year": 2025}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert response.templates[0].name == "indicators/_targets.html"


def test_page_query_count(client_for, figures, django_assert_num_queries):
    client = client_for("district")
    # session, user, scope, area, ancestors, latest month, areas with targets, facts, nav
    with django_assert_num_queries(8):
        response = client.get(PAGE, {"area": KEC, "year": 2025})
    assert response.status_code == 200


def test_page_default_area_and_year(client_for, world):
    response = client_for("cadre").get(PAGE)
    table = response.context["table"]
    assert (table.area.code, table.year, table.period) == (VILLAGE, timezone.localdate().year, None)
    assert EDIT not in response.content.decode()  # a cadre reads only


@pytest.mark.parametrize("query", [{"year": "1999"}, {"year": "abc"}, {"month": "2025-13"}])
def test_page_bad_year_or_month(client_for, world, query):
    assert client_for("district").get(PAGE, {"area": KEC, **query}).status_code == 400


def test_page_requires_login(client, world):
    response = client.get(PAGE, {"area": KEC})
    assert response.status_code == 302


# -- Editing --------------------------------------------------------------------------------------


def _post_data(values: dict[tuple[str, str], object]) -> dict[str, object]:
    data: dict[str, object] = {}
    for village in Area.objects.filter(parent_id=KEC, is_active=True):
        data[f"PA-{village.code}"] = ""
        data[f"PB-{village.code}"] = ""
    data.update({f"PA-{KEC}": "1000", f"PB-{KEC}": ""})
    data[f"PB-{VILLAGE}"] = "8"
    data.update({f"{kind}-{code}": value for (code, kind), value in values.items()})
    return data


@pytest.mark.parametrize("username", KEC_EDITORS)
def test_edit_saves_every_target(client_for, figures, username):
    client = client_for(username)
    response = client.get(EDIT, {"area": KEC, "year": 2025})
    assert response.status_code == 200
    assert response.context["form"][f"PA-{KEC}"].value() == 1000
    data = _post_data({(KEC, "PB"): "150", (VILLAGE_2, "PA"): "60", (VILLAGE, "PB"): ""})
    response = client.post(f"{EDIT}?area={KEC}&year=2025", data)
    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}?area={KEC}&year=2025"
    assert targets() == {
        (KEC, 2025, "PA", 1000),
        (KEC, 2025, "PB", 150),
        (VILLAGE_2, 2025, "PA", 60),
    }
    actions = sorted(
        AuditEvent.objects.filter(action__startswith="target.").values_list("action", "area_code")
    )
    assert actions == [("target.delete", VILLAGE), ("target.set", KEC), ("target.set", VILLAGE_2)]


def test_edit_refuses_a_negative_number(client_for, figures):
    data = _post_data({(VILLAGE_2, "PA"): "-4"})
    response = client_for("district").post(f"{EDIT}?area={KEC}&year=2025", data)
    assert response.status_code == 200
    assert response.context["form"].errors[f"PA-{VILLAGE_2}"]
    assert targets() == {(KEC, 2025, "PA", 1000), (VILLAGE, 2025, "PB", 8)}


def test_edit_of_a_village_by_its_pkb_officer(client_for, figures):
    client = client_for("pkb")
    response = client.post(
        f"{EDIT}?area={VILLAGE}&year=2025", {f"PA-{VILLAGE}": "40", f"PB-{VILLAGE}": "9"}
    )
    assert response.status_code == 302
    assert targets() == {
        (KEC, 2025, "PA", 1000),
        (VILLAGE, 2025, "PA", 40),
        (VILLAGE, 2025, "PB", 9),
    }


@pytest.mark.parametrize("username", KEC_NOT_EDITORS)
def test_edit_refused_to_everyone_else(client_for, figures, username):
    client = client_for(username)
    assert client.get(EDIT, {"area": KEC, "year": 2025}).status_code == 404
    response = client.post(f"{EDIT}?area={KEC}&year=2025", _post_data({(KEC, "PA"): "5"}))
    assert response.status_code == 404
    assert targets() == {(KEC, 2025, "PA", 1000), (VILLAGE, 2025, "PB", 8)}
    assert not AuditEvent.objects.filter(action__startswith="target.").exists()


def test_edit_of_a_village_refused_to_its_cadre(client_for, figures):
    response = client_for("cadre").post(f"{EDIT}?area={VILLAGE}&year=2025", {f"PA-{VILLAGE}": "40"})
    assert response.status_code == 404
    assert targets() == {(KEC, 2025, "PA", 1000), (VILLAGE, 2025, "PB", 8)}


# -- Excel ----------------------------------------------------------------------------------------


def test_template_download(client_for, figures):
    response = client_for("pkb").get(TEMPLATE, {"area": VILLAGE_2, "year": 2025})
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="ppm-{VILLAGE_2}-2025.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [
        ["kode wilayah", "nama wilayah", "tahun", "PPM-PA", "PPM-PB"],
        [VILLAGE_2, "Kota Bangun Ilir", 2025, None, None],
    ]


def test_template_of_a_kecamatan_is_prefilled(client_for, figures):
    response = client_for("district").get(TEMPLATE, {"area": KEC, "year": 2025})
    rows = list(
        load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True)
    )
    assert rows[1] == (KEC, "Kota Bangun", 2025, 1000, None)
    assert (VILLAGE, "Kota Bangun Ulu", 2025, None, 8) in rows
    assert len(rows) == 2 + Area.objects.filter(parent_id=KEC, is_active=True).count()


@pytest.mark.parametrize("username", ["cadre", "partner", "viewer", "other_district"])
def test_template_refused_without_edit_capability(client_for, world, username):
    assert client_for(username).get(TEMPLATE, {"area": VILLAGE, "year": 2025}).status_code == 404


def test_import_round_trip(client_for, figures):
    client = client_for("district")
    assert client.get(IMPORT, {"area": KEC, "year": 2025}).status_code == 200
    file = xlsx([(VILLAGE, "", 2025, 70, 8), (VILLAGE_2, "", 2025, 65, 7)])
    file.name = "ppm.xlsx"
    response = client.post(f"{IMPORT}?area={KEC}&year=2025", {"file": file})
    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}?area={KEC}&year=2025"
    assert targets() == {
        (KEC, 2025, "PA", 1000),
        (VILLAGE, 2025, "PA", 70),
        (VILLAGE, 2025, "PB", 8),
        (VILLAGE_2, 2025, "PA", 65),
        (VILLAGE_2, 2025, "PB", 7),
    }


def test_import_shows_every_bad_row_and_saves_nothing(client_for, figures):
    file = xlsx(
        [(VILLAGE, "", 2025, 70, 8), (OTHER_VILLAGE, "", 2025, 1, 1), (VILLAGE_2, "", 2025, "x", 1)]
    )
    file.name = "ppm.xlsx"
    response = client_for("district").post(f"{IMPORT}?area={KEC}&year=2025", {"file": file})
    assert response.status_code == 200
    assert [(r.row, r.column) for r in response.context["refused"]] == [(3, "area_code"), (4, "pa")]
    content = response.content.decode()
    assert f"Anda tidak berwenang mengubah target wilayah {OTHER_VILLAGE}." in content
    assert targets() == {(KEC, 2025, "PA", 1000), (VILLAGE, 2025, "PB", 8)}


@pytest.mark.parametrize("username", ["cadre", "partner", "viewer"])
def test_import_refused_without_edit_capability(client_for, figures, username):
    file = xlsx([(VILLAGE, "", 2025, 70, 8)])
    file.name = "ppm.xlsx"
    client = client_for(username)
    assert client.get(IMPORT, {"area": VILLAGE, "year": 2025}).status_code == 404
    assert client.post(f"{IMPORT}?area={VILLAGE}&year=2025", {"file": file}).status_code == 404
    assert targets() == {(KEC, 2025, "PA", 1000), (VILLAGE, 2025, "PB", 8)}


def test_import_of_another_area_is_not_found(client_for, figures):
    file = xlsx([(VILLAGE, "", 2025, 70, 8)])
    file.name = "ppm.xlsx"
    response = client_for("other_district").post(f"{IMPORT}?area={KEC}&year=2025", {"file": file})
    assert response.status_code == 404
    assert targets() == {(KEC, 2025, "PA", 1000), (VILLAGE, 2025, "PB", 8)}
