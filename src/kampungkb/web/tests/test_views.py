"""The home page and the base layout (navigation, language switcher), tried by every role."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from kampungkb.regions.models import Area, Level
from kampungkb.testing.world import (
    AGGREGATE_USERS,
    KAB,
    NAMED_USERS,
    OTHER_KAB,
    OTHER_VILLAGE,
    RT,
    USERS,
    VILLAGE,
    VILLAGE_2,
)

HOME = reverse("web:home")


def html(response) -> str:
    return response.content.decode()


def counts(response) -> dict[str, int]:
    """The figures on the home page, read from the page itself."""
    found = re.findall(r'data-count="(\w+)">([\d.,]+)<', html(response))
    return {name: int(value.replace(".", "").replace(",", "")) for name, value in found}


def villages_under(*codes: str) -> int:
    return sum(
        Area.objects.filter(level=Level.VILLAGE, code__startswith=code + ".").count()
        for code in codes
    )


def test_anonymous_is_sent_to_login(world, client) -> None:
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next=/"


@pytest.mark.parametrize("username", tuple(USERS))
def test_every_role_opens_home(client_for, username) -> None:
    assert client_for(username).get(HOME).status_code == 200


# Counts


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        # Kota Bangun Ulu: Sutrisno, Siti Aminah and Rizky Pratama; Rahmawati.
        ("cadre", {"villages": 1, "families": 2, "persons": 4}),
        # RT 001 holds the Sutrisno family only; the village around it is counted.
        ("cadre_rt", {"villages": 1, "families": 1, "persons": 3}),
        ("pkb", {"villages": 2, "families": 2, "persons": 4}),
        ("other_cadre", {"villages": 1, "families": 1, "persons": 2}),
    ],
)
def test_home_shows_real_counts_for_field_roles(client_for, username, expected) -> None:
    assert counts(client_for(username).get(HOME)) == expected


def test_home_counts_for_the_district_officer(client_for) -> None:
    assert villages_under(KAB) == 237
    assert counts(client_for("district").get(HOME)) == {
        "villages": 237,
        "families": 2,
        "persons": 4,
    }


def test_home_counts_for_the_administrator(client_for) -> None:
    assert counts(client_for("admin").get(HOME)) == {
        "villages": villages_under("64", "52"),
        "families": 3,
        "persons": 6,
    }


def test_deactivated_family_is_not_counted(world, client_for) -> None:
    world.family_no_nik.__class__.objects.filter(pk=world.family_no_nik.pk).update(is_active=False)
    assert counts(client_for("cadre").get(HOME)) == {"villages": 1, "families": 1, "persons": 3}


@pytest.mark.parametrize(("username", "villages"), [("partner", 237), ("viewer", 2204)])
def test_aggregate_only_roles_see_no_person_counts(client_for, username, villages) -> None:
    response = client_for(username).get(HOME)
    assert counts(response) == {"villages": villages}
    page = html(response)
    assert '<h2 id="aggregate-heading">Hanya angka agregat</h2>' in page
    assert (
        "Peran Anda hanya melihat angka agregat: jumlah dan indikator per wilayah, tidak pernah "
        "nama, NIK, atau nomor KK penduduk."
    ) in page
    assert "keluarga aktif" not in page


@pytest.mark.parametrize("username", NAMED_USERS)
def test_roles_that_see_persons_get_no_aggregate_note(client_for, username) -> None:
    assert "Hanya angka agregat" not in html(client_for(username).get(HOME))


def test_home_query_count(client_for, django_assert_num_queries) -> None:
    client = client_for("cadre")
    # session, user, scope, assignments, villages, families, persons
    with django_assert_num_queries(7):
        client.get(HOME)


# Roles and areas


def test_home_lists_the_roles_and_areas_with_codes(client_for) -> None:
    response = client_for("pkb").get(HOME)
    [entry] = response.context["roles"]
    assert entry.label == "Penyuluh KB (PKB/PLKB)"
    assert [(a.name, a.code) for a in entry.areas] == [
        ("Kota Bangun Ulu", VILLAGE),
        ("Kota Bangun Ilir", VILLAGE_2),
    ]
    page = html(response)
    assert "<strong>Penyuluh KB (PKB/PLKB)</strong>" in page
    assert f'<span class="mono muted">{VILLAGE}</span>' in page


def test_home_shows_a_national_role(client_for) -> None:
    response = client_for("viewer").get(HOME)
    [entry] = response.context["roles"]
    assert (entry.label, entry.national) == ("Pemantau/peneliti", True)
    assert "seluruh Indonesia" in html(response)


def test_home_for_another_district(client_for) -> None:
    response = client_for("other_district").get(HOME)
    [entry] = response.context["roles"]
    assert [a.code for a in entry.areas] == [OTHER_KAB]
    assert counts(response) == {
        "villages": villages_under(OTHER_KAB),
        "families": 1,
        "persons": 2,
    }


# Links


@pytest.mark.parametrize("username", (*NAMED_USERS, "cadre_rt"))
def test_home_links_the_family_register_for_roles_that_see_persons(client_for, username) -> None:
    page = html(client_for(username).get(HOME))
    assert f'<a role="button" href="{reverse("families:list")}">Register keluarga</a>' in page


@pytest.mark.parametrize("username", AGGREGATE_USERS)
def test_home_has_no_family_register_for_aggregate_roles(client_for, username) -> None:
    page = html(client_for(username).get(HOME))
    assert "Register keluarga" not in page
    assert f'href="{reverse("regions:browse")}">Wilayah</a>' in page


def test_pkb_gets_add_links_for_each_village(client_for) -> None:
    response = client_for("pkb").get(HOME)
    assert [a.code for a in response.context["add_local_in"]] == [VILLAGE, VILLAGE_2]
    page = html(response)
    assert (
        f'<a href="{reverse("regions:add", args=[VILLAGE])}">'
        "Tambah dusun/RW atau RT di Kota Bangun Ulu</a>"
    ) in page


@pytest.mark.parametrize("username", ("admin", "district"))
def test_officers_above_the_village_are_told_where_to_add(client_for, username) -> None:
    response = client_for(username).get(HOME)
    assert response.context["add_local_in"] == []
    assert "Buka desa/kelurahan melalui menu Wilayah, lalu pilih “Tambah”." in html(response)


@pytest.mark.parametrize("username", ("cadre", "cadre_rt", "partner", "viewer", "other_cadre"))
def test_non_officers_get_no_add_links(client_for, username) -> None:
    page = html(client_for(username).get(HOME))
    assert "Tambah dusun/RW atau RT" not in page


# Navigation and layout


NAMED_NAV = [
    "Beranda",
    "Keluarga",
    "Layanan KB",
    "Risiko stunting",
    "Kegiatan",
    "Kader",
    "Kampung KB",
    "Partisipasi",
    "Dasbor",
    "Laporan",
    "Mitra",
    "Wilayah",
]
AGGREGATE_NAV = [
    "Beranda",
    "Kegiatan",
    "Kampung KB",
    "Partisipasi",
    "Dasbor",
    "Laporan",
    "Mitra",
    "Wilayah",
]


def nav_labels(response) -> list[str]:
    return [str(item["label"]) for item in response.context["nav_items"]]


@pytest.mark.parametrize(
    ("username", "labels"),
    [
        (
            "admin",
            [*NAMED_NAV, "Administrasi"],
        ),
        ("district", NAMED_NAV),
        ("pkb", NAMED_NAV),
        ("cadre", NAMED_NAV),
        ("cadre_rt", NAMED_NAV),
        ("partner", AGGREGATE_NAV),
        ("viewer", AGGREGATE_NAV),
        ("other_district", NAMED_NAV),
        ("other_cadre", NAMED_NAV),
    ],
)
def test_navigation_shows_families_only_to_roles_that_see_persons(
    client_for, username, labels
) -> None:
    response = client_for(username).get(HOME)
    assert nav_labels(response) == labels
    page = html(response)
    assert (f'href="{reverse("families:list")}">Keluarga</a>' in page) is ("Keluarga" in labels)


def test_navigation_marks_the_current_section(client_for) -> None:
    page = html(client_for("cadre").get(reverse("regions:area", args=[VILLAGE])))
    assert f'<a href="{reverse("regions:browse")}" aria-current="page">Wilayah</a>' in page
    assert f'<a href="{HOME}">Beranda</a>' in page


@pytest.mark.parametrize(
    ("url_name", "current", "other"),
    [("reports:dashboard", "Dasbor", "Laporan"), ("reports:recap", "Laporan", "Dasbor")],
)
def test_navigation_marks_one_of_two_sections_of_an_app(
    client_for, url_name, current, other
) -> None:
    page = html(client_for("partner").get(reverse(url_name)))
    assert f'aria-current="page">{current}</a>' in page
    assert f'aria-current="page">{other}</a>' not in page


def test_layout_keeps_the_htmx_csrf_header(client_for) -> None:
    response = client_for("cadre").get(HOME)
    token = response.context["csrf_token"]
    assert f'<body hx-headers=\'{{"X-CSRFToken": "{token}"}}\'>' in html(response)


def test_home_in_english_after_switching(client_for) -> None:
    client = client_for("cadre")
    client.post(reverse("accounts:set_language"), {"language": "en", "next": HOME})
    response = client.get(HOME)
    assert nav_labels(response) == [
        "Home",
        "Families",
        "FP services",
        "Stunting risk",
        "Activities",
        "Cadres",
        "Kampung KB",
        "Participation",
        "Dashboard",
        "Reports",
        "Partners",
        "Areas",
    ]
    page = html(response)
    assert "<h1>Welcome, Cadre</h1>" in page
    assert "active families" in page


def test_not_found_page_uses_the_layout(client_for) -> None:
    response = client_for("other_cadre").get(reverse("regions:area", args=[RT]))
    assert response.status_code == 404
    page = html(response)
    assert "<h1>Tidak ditemukan</h1>" in page
    assert f'<a href="{HOME}">Kembali ke beranda</a>' in page
    assert OTHER_VILLAGE not in page
