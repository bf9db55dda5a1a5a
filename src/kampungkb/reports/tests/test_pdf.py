"""The monthly recap as PDF: A4 landscape, the area with the areas above it, the month, the
table with its totals and a signature block, in the reader's language; from the page and from
the command (test_commands.py)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from kampungkb.regions.models import Area
from kampungkb.reports.pdf import approver, place, recap_pdf
from kampungkb.reports.selectors import recap_get
from kampungkb.testing.world import KAB, KEC, OTHER_KAB, RT, VILLAGE, VILLAGE_2, World

RECAP = reverse("reports:recap")
JUNE = dt.date(2025, 6, 1)
# A4 landscape in PDF points (297 x 210 mm).
A4_LANDSCAPE = (842, 595)


def lines(content: bytes) -> list[str]:
    """The text of every page, line by line."""
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    for page in reader.pages:
        box = page.mediabox
        assert (round(float(box.width)), round(float(box.height))) == A4_LANDSCAPE
        assert page.rotation == 0
    return [line for page in reader.pages for line in page.extract_text().splitlines()]


def pdf_of(world: World, area: str, **options: Any) -> list[str]:
    recap = recap_get(user=world.user("district"), area=Area.objects.get(code=area), period=JUNE)
    return lines(recap_pdf(recap, today=dt.date(2025, 7, 5), **options))


@pytest.mark.django_db
def test_recap_of_a_kecamatan(world: World, filled: None) -> None:
    text = pdf_of(world, KEC, language="id")
    assert text[:5] == [
        "Rekapitulasi bulanan KB",
        "Kota Bangun · Juni 2025",
        "Wilayah Kota Bangun (Kecamatan, 64.02.08)",
        "Bagian dari Kabupaten Kutai Kartanegara (Kabupaten/Kota), Kalimantan Timur (Provinsi)",
        "Periode Juni 2025",
    ]
    assert text[5] == (
        "Kode wilayah Wilayah PUS PA PB CPR (%) mCPR (%) MKJP (%) Unmet need (%) Drop-out KBPP "
        "Partisipasi pria (%) CYP"
    )
    assert f"{VILLAGE} Kota Bangun Ulu 1 0 0 0,0 0,0 — 0,0 0 0 — 0,00" in text
    assert f"{VILLAGE_2} Kota Bangun Ilir 4 3 2 75,0 75,0 33,3 0,0 0 0 33,3 4,85" in text
    assert f"{KEC} Jumlah 5 3 2 60,0 60,0 33,3 0,0 0 0 33,3 4,85" in text
    assert "Dibuat oleh kampungkb pada 5 Juli 2025." in text
    signature = text[text.index("Mengetahui,") :]
    assert signature[:6] == [
        "Mengetahui,",
        "Camat Kota Bangun",
        "NIP.",
        "Kota Bangun, 5 Juli 2025",
        "Yang membuat laporan,",
        "NIP.",
    ]
    assert "Istri 1" not in " ".join(text)


@pytest.mark.django_db
def test_recap_in_english(world: World, filled: None) -> None:
    text = pdf_of(world, KEC, language="en")
    assert text[:5] == [
        "Monthly family planning recap",
        "Kota Bangun · June 2025",
        "Area Kota Bangun (Sub-district, 64.02.08)",
        "Part of Kabupaten Kutai Kartanegara (Regency/city), Kalimantan Timur (Province)",
        "Period June 2025",
    ]
    assert f"{KEC} Total 5 3 2 60.0 60.0 33.3 0.0 0 0 33.3 4.85" in text
    assert text[text.index("Acknowledged by,") :][:5] == [
        "Acknowledged by,",
        "Head of the sub-district (camat) of Kota Bangun",
        "Civil servant ID (NIP):",
        "Kota Bangun, 5 July 2025",
        "Prepared by,",
    ]


@pytest.mark.django_db
def test_recap_of_a_village_has_no_rows(world: World, filled: None) -> None:
    text = pdf_of(world, VILLAGE, language="id")
    assert (
        "Tidak ada sub-wilayah dengan angka: angka disimpan sampai tingkat desa/kelurahan." in text
    )
    assert f"{VILLAGE} Jumlah 1 0 0 0,0 0,0 — 0,0 0 0 — 0,00" in text
    assert "Kepala Desa/Lurah Kota Bangun Ulu" in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "signed_in", "head"),
    [
        ("64", "Kalimantan Timur", "Kepala Perwakilan BKKBN Provinsi Kalimantan Timur"),
        (
            KAB,
            "Kutai Kartanegara",
            "Kepala Dinas Pengendalian Penduduk dan Keluarga Berencana Kabupaten Kutai Kartanegara",
        ),
        (KEC, "Kota Bangun", "Camat Kota Bangun"),
        (VILLAGE, "Kota Bangun Ulu", "Kepala Desa/Lurah Kota Bangun Ulu"),
        (RT, "001", "Ketua RT 001"),
    ],
)
def test_signed_in_the_area_by_its_head(world: World, code: str, signed_in: str, head: str) -> None:
    from django.utils import translation

    area = Area.objects.get(code=code)
    with translation.override("id"):
        assert (place(area), approver(area)) == (signed_in, head)


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["district", "partner", "viewer"])
def test_page_offers_the_pdf(world: World, filled: None, client_for: Any, username: str) -> None:
    response = client_for(username).get(RECAP, {"area": KEC, "month": "2025-06", "format": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="rekap-64.02.08-2025-06.pdf"'
    text = lines(response.content)
    assert text[1] == "Kota Bangun · Juni 2025"
    assert f"{KEC} Jumlah 5 3 2 60,0 60,0 33,3 0,0 0 0 33,3 4,85" in text


@pytest.mark.django_db
def test_page_pdf_follows_the_users_language(world: World, filled: None, client_for: Any) -> None:
    client = client_for("district")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(RECAP, {"area": KEC, "month": "2025-06", "format": "pdf"})
    text = lines(response.content)
    assert text[:2] == ["Monthly family planning recap", "Kota Bangun · June 2025"]


@pytest.mark.django_db
@pytest.mark.parametrize(("username", "area"), [("district", OTHER_KAB), ("other_district", KAB)])
def test_pdf_out_of_scope_is_not_found(
    world: World, client_for: Any, username: str, area: str
) -> None:
    response = client_for(username).get(RECAP, {"area": area, "month": "2025-06", "format": "pdf"})
    assert response.status_code == 404
