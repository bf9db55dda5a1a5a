"""CSV and Excel exports of the follow-up lists: the same rows as the page, unpaginated and within
scope, Indonesian headers, no NIK, and an audit event for each export."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from kampungkb.contraception.tests.test_views import (  # noqa: F401 (fixture)
    KB,
    add_couple,
    days_ago,
    kb_fixture,
    start,
)
from kampungkb.core.models import AuditEvent
from kampungkb.core.tables import XLSX_TYPE
from kampungkb.testing.world import RT

HEADER = [
    "Istri",
    "Suami",
    "Wilayah",
    "Metode",
    "Mulai",
    "Jatuh tempo",
    "Keperluan kunjungan",
    "Drop-out sejak",
    "Telepon",
    "Tindak lanjut terakhir",
    "Tanggal tindak lanjut",
]


def csv_rows(response: Any) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_csv_of_the_due_list(kb: KB, client_for: Any) -> None:
    response = client_for("cadre").get(reverse("contraception:due"), {"format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    started = days_ago(80)
    due = started + dt.timedelta(days=84)
    rows = csv_rows(response)
    assert rows[0] == HEADER
    assert rows[1:] == [
        [
            "Siti Aminah",
            "Sutrisno",
            "Kota Bangun Ulu \u203a RW 001 \u203a RT 001",
            "Suntik 3 bulanan",
            started.strftime("%d-%m-%Y"),
            due.strftime("%d-%m-%Y"),
            "Suntik ulang",
            rows[1][7],
            "",
            "",
            "",
        ]
    ]
    assert rows[1][7]  # the drop-out day is set for an injectable
    assert "6402084407920002" not in response.content.decode("utf-8-sig")


def test_xlsx_of_the_overdue_list(kb: KB, client_for: Any) -> None:
    response = client_for("district").get(reverse("contraception:overdue"), {"format": "xlsx"})
    assert response["Content-Type"] == XLSX_TYPE
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == HEADER
    assert sheet["A1"].font.bold
    assert [(r[0], r[1], r[3], r[5].date()) for r in values[1:]] == [
        ("Dewi Sartika", "Joko Susilo", "Suntik 3 bulanan", days_ago(100) + dt.timedelta(days=84))
    ]


def test_export_is_audited(kb: KB, client_for: Any) -> None:
    client_for("cadre").get(reverse("contraception:due"), {"format": "csv", "area": RT})
    event = AuditEvent.objects.get(action="export.due")
    assert event.actor is not None and event.actor.username == "cadre"
    assert event.area_code == RT
    assert event.after["rows"] == 1
    assert event.after["format"] == "csv"
    client_for("pkb").get(reverse("contraception:dropouts"), {"format": "xlsx"})
    event = AuditEvent.objects.get(action="export.dropouts")
    assert (event.area_code, event.after["rows"], event.after["format"]) == ("", 1, "xlsx")


@override_settings(KAMPUNGKB_PAGE_SIZE=2)
def test_export_is_not_paginated_and_stays_in_scope(kb: KB, client_for: Any) -> None:
    for serial in range(3):
        start(
            add_couple(f"Istri {serial}", f"Suami {serial}", RT, 300 + 2 * serial),
            "SUNTIK3",
            days_ago(75),
        )
    client = client_for("cadre")
    page = client.get(reverse("contraception:due"))
    assert len(page.context["rows"]) == 2
    rows = csv_rows(client.get(reverse("contraception:due"), {"format": "csv"}))
    assert sorted(r[0] for r in rows[1:]) == ["Istri 0", "Istri 1", "Istri 2", "Siti Aminah"]
    other = csv_rows(client_for("other_cadre").get(reverse("contraception:due"), {"format": "csv"}))
    assert [r[0] for r in other[1:]] == ["Baiq Nurul"]


@pytest.mark.parametrize("username", ["partner", "viewer"])
def test_aggregate_roles_cannot_export(kb: KB, client_for: Any, username: str) -> None:
    response = client_for(username).get(reverse("contraception:due"), {"format": "xlsx"})
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action__startswith="export.").exists()
