"""Area pages: browse, area page, search, add dusun/RW and RT, tried by every role."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kampungkb.core.models import AuditEvent
from kampungkb.regions.models import Area, Kind, Level
from kampungkb.testing.world import KAB, KEC, OTHER_VILLAGE, RT, RT_2, RW, USERS, VILLAGE, VILLAGE_2

ALL_USERS = tuple(USERS)
OFFICERS = ("admin", "district", "pkb")
NOT_OFFICERS = ("cadre", "cadre_rt", "partner", "viewer", "other_district", "other_cadre")
# Who may open the page of Kota Bangun Ulu (64.02.08.2005): its subtree or an area above it.
VILLAGE_READERS = ("admin", "district", "pkb", "cadre", "partner", "viewer")
VILLAGE_OUTSIDERS = ("cadre_rt", "other_district", "other_cadre")


def area_url(code: str) -> str:
    return reverse("regions:area", args=[code])


def add_url(code: str) -> str:
    return reverse("regions:add", args=[code])


# Anonymous visitors


@pytest.mark.parametrize(
    "url", [reverse("regions:browse"), area_url(VILLAGE), add_url(VILLAGE)], ids=str
)
def test_anonymous_is_sent_to_login(world, client, url) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


# Browse


@pytest.mark.parametrize(
    ("username", "roots"),
    [
        ("admin", ["52", "64"]),
        ("district", [KAB]),
        ("pkb", [VILLAGE, VILLAGE_2]),
        ("cadre", [VILLAGE]),
        ("cadre_rt", [RT]),
        ("partner", [KAB]),
        ("viewer", ["52", "64"]),
        ("other_district", ["52.03"]),
        ("other_cadre", [OTHER_VILLAGE]),
    ],
)
def test_browse_starts_at_the_users_root_areas(client_for, username, roots) -> None:
    response = client_for(username).get(reverse("regions:browse"))
    assert response.status_code == 200
    assert [a.code for a in response.context["roots"]] == roots


def test_browse_shows_the_number_of_sub_areas(client_for) -> None:
    response = client_for("pkb").get(reverse("regions:browse"))
    assert [(a.name, a.child_count) for a in response.context["roots"]] == [
        ("Kota Bangun Ulu", 1),
        ("Kota Bangun Ilir", 0),
    ]
    assert "<h1>Wilayah</h1>" in response.content.decode()


# Area page


@pytest.mark.parametrize("username", VILLAGE_READERS)
def test_village_page_opens_in_scope(client_for, username) -> None:
    response = client_for(username).get(area_url(VILLAGE))
    assert response.status_code == 200
    assert response.context["area"].code == VILLAGE
    assert [(a.code, a.child_count) for a in response.context["children"]] == [(RW, 2)]


@pytest.mark.parametrize("username", VILLAGE_OUTSIDERS)
def test_village_page_is_not_found_out_of_scope(client_for, username) -> None:
    assert client_for(username).get(area_url(VILLAGE)).status_code == 404


@pytest.mark.parametrize("username", ALL_USERS)
def test_every_role_opens_the_rt_page_only_in_scope(client_for, username) -> None:
    response = client_for(username).get(area_url(RT))
    expected = 404 if username in ("other_district", "other_cadre") else 200
    assert response.status_code == expected


def test_unknown_area_is_not_found(client_for) -> None:
    assert client_for("admin").get(area_url("64.02.99")).status_code == 404


def test_out_of_scope_404_page_is_in_indonesian(client_for) -> None:
    response = client_for("other_district").get(area_url(VILLAGE))
    assert response.status_code == 404
    assert "Halaman ini tidak ada, atau berada di luar wilayah Anda." in response.content.decode()


def test_area_page_breadcrumbs_link_only_ancestors_in_scope(client_for) -> None:
    response = client_for("cadre").get(area_url(RW))
    crumbs = [(a.name, may_open) for a, may_open in response.context["crumbs"]]
    assert crumbs == [
        ("Kalimantan Timur", False),
        ("Kabupaten Kutai Kartanegara", False),
        ("Kota Bangun", False),
        ("Kota Bangun Ulu", True),
    ]
    html = response.content.decode()
    assert f'<a href="{area_url(VILLAGE)}">Kota Bangun Ulu</a>' in html
    assert f'href="{area_url(KEC)}"' not in html
    assert '<li aria-current="page">RW 001</li>' in html
    assert "<h1>RW 001</h1>" in html


def test_area_page_for_the_district_officer_lists_kecamatan(client_for) -> None:
    response = client_for("district").get(area_url(KAB))
    children = response.context["children"]
    assert len(children) == 20
    assert {a.level for a in children} == {Level.DISTRICT}
    assert [(a.code, a.name, a.child_count) for a in children if a.code == KEC] == [
        (KEC, "Kota Bangun", 11)
    ]


def test_area_page_query_count_is_fixed(client_for, django_assert_num_queries) -> None:
    client = client_for("district")
    # session, user, the user's assignments (scope), the area, its ancestors, its children
    with django_assert_num_queries(6):
        response = client.get(area_url(KEC))
    assert response.status_code == 200
    assert len(response.context["children"]) == 11


def test_area_page_query_count_does_not_grow_with_children(
    client_for, django_assert_num_queries
) -> None:
    client = client_for("admin")
    with django_assert_num_queries(6):
        response = client.get(area_url(KAB))
    assert len(response.context["children"]) == 20


@pytest.mark.parametrize("username", OFFICERS)
def test_officers_see_the_add_buttons_on_a_village(client_for, username) -> None:
    response = client_for(username).get(area_url(VILLAGE))
    assert response.context["can_add"] is True
    assert list(response.context["add_kinds"]) == [Kind.DUSUN, Kind.RW, Kind.RT]
    assert f'href="{add_url(VILLAGE)}?kind=rt"' in response.content.decode()


@pytest.mark.parametrize("username", ("cadre", "partner", "viewer"))
def test_other_roles_see_no_add_buttons(client_for, username) -> None:
    response = client_for(username).get(area_url(VILLAGE))
    assert response.context["can_add"] is False
    assert add_url(VILLAGE) not in response.content.decode()


def test_no_add_button_above_the_village(client_for) -> None:
    response = client_for("admin").get(area_url(KEC))
    assert response.context["can_add"] is False


# Search


def test_search_by_name_is_limited_to_the_scope(client_for) -> None:
    url = reverse("regions:browse")
    district = client_for("district").get(url, {"q": "kota bangun"})
    assert [a.code for a in district.context["results"]] == [
        "64.02.08",
        "64.02.19",
        "64.02.19.2004",
        "64.02.19.2005",
        "64.02.19.2006",
        "64.02.08.2006",
        "64.02.08.2018",
        "64.02.08.2005",
    ]
    cadre = client_for("cadre").get(url, {"q": "kota bangun"})
    assert [a.code for a in cadre.context["results"]] == [VILLAGE]
    other = client_for("other_district").get(url, {"q": "kota bangun"})
    assert other.context["results"] == []
    assert "Tidak ada wilayah dalam lingkup Anda yang cocok dengan “kota bangun”." in (
        other.content.decode()
    )


def test_search_by_code_prefix(client_for) -> None:
    response = client_for("pkb").get(reverse("regions:browse"), {"q": VILLAGE})
    assert [a.code for a in response.context["results"]] == [VILLAGE, RW, RT, RT_2]
    assert "4 wilayah ditemukan." in response.content.decode()


def test_search_shows_the_parent_without_extra_queries(
    client_for, django_assert_num_queries
) -> None:
    client = client_for("district")
    with django_assert_num_queries(4):  # session, user, scope, the search
        response = client.get(reverse("regions:browse"), {"q": "64.02.08.20"})
    results = response.context["results"]
    # The 11 villages of Kota Bangun, and the RW and two RT of Kota Bangun Ulu.
    assert len(results) == 14
    assert [(a.code, a.parent.name) for a in results[1:5]] == [
        (VILLAGE, "Kota Bangun"),
        (RW, "Kota Bangun Ulu"),
        (RT, "001"),
        (RT_2, "001"),
    ]
    assert '<td data-label="Di">Kota Bangun Ulu</td>' in response.content.decode()


def test_search_as_you_type_returns_only_the_results(client_for) -> None:
    response = client_for("cadre").get(
        reverse("regions:browse"), {"q": "ulu"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert f'<a href="{area_url(VILLAGE)}">Kota Bangun Ulu</a>' in html


def test_search_history_restore_gets_the_whole_page(client_for) -> None:
    response = client_for("cadre").get(
        reverse("regions:browse"),
        {"q": "ulu"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in response.content.decode()


def test_emptied_search_returns_the_root_areas(client_for) -> None:
    response = client_for("cadre").get(
        reverse("regions:browse"), {"q": ""}, headers={"HX-Request": "true"}
    )
    assert [a.code for a in response.context["roots"]] == [VILLAGE]
    assert "<h2>Wilayah Anda</h2>" in response.content.decode()


# Adding dusun/RW and RT


@pytest.mark.parametrize("username", OFFICERS)
def test_officer_adds_an_rt_under_an_rw(world, client_for, username) -> None:
    actor = world.user(username)
    response = client_for(username).post(add_url(RW), {"kind": "rt", "number": "3", "name": ""})
    assert response.status_code == 302
    assert response["Location"] == area_url(RW)
    area = Area.objects.get(code=f"{RW}.003")
    assert (area.name, area.kind, area.level, area.parent_id) == (
        "003",
        Kind.RT,
        Level.NEIGHBOURHOOD,
        RW,
    )
    event = AuditEvent.objects.get(action="area.add_local", object_id=area.code)
    assert (event.actor_id, event.area_code) == (actor.pk, area.code)


def test_officer_adds_a_dusun_with_the_next_free_number(world, client_for) -> None:
    client = client_for("pkb")
    response = client.post(add_url(VILLAGE), {"kind": "dusun", "number": "", "name": "Melati"})
    assert response.status_code == 302
    area = Area.objects.get(parent_id=VILLAGE, name="Melati")
    assert (area.code, area.kind, area.level) == (f"{VILLAGE}.002", Kind.DUSUN, Level.HAMLET)
    page = client.get(area_url(VILLAGE))
    assert "Dusun Melati (64.02.08.2005.002) ditambahkan ke Kota Bangun Ulu." in (
        page.content.decode()
    )


def test_officer_adds_an_rw_in_the_second_village(world, client_for) -> None:
    response = client_for("pkb").post(add_url(VILLAGE_2), {"kind": "rw", "number": "7"})
    assert response.status_code == 302
    area = Area.objects.get(code=f"{VILLAGE_2}.007")
    assert (area.name, area.kind, str(area)) == ("007", Kind.RW, "RW 007")


def test_add_form_preselects_the_kind(client_for) -> None:
    response = client_for("pkb").get(add_url(VILLAGE), {"kind": "rw"})
    assert response.status_code == 200
    assert response.context["form"]["kind"].value() == "rw"
    assert "<h1>Tambah dusun, RW, atau RT</h1>" in response.content.decode()


def test_add_form_under_an_rw_offers_only_rt(client_for) -> None:
    response = client_for("district").get(add_url(RW))
    assert response.context["form"].fields["kind"].choices == [("rt", "RT")]
    assert "<h1>Tambah RT</h1>" in response.content.decode()


@pytest.mark.parametrize("username", NOT_OFFICERS)
def test_non_officers_cannot_add(world, client_for, username) -> None:
    before = Area.objects.count()
    events = AuditEvent.objects.count()
    client = client_for(username)
    assert client.get(add_url(VILLAGE)).status_code == 404
    response = client.post(add_url(VILLAGE), {"kind": "rt", "number": "9"})
    assert response.status_code == 404
    assert Area.objects.count() == before
    assert AuditEvent.objects.count() == events


def test_officer_of_another_kabupaten_cannot_add(world, client_for) -> None:
    before = Area.objects.count()
    response = client_for("other_district").post(add_url(RW), {"kind": "rt", "number": "9"})
    assert response.status_code == 404
    assert Area.objects.count() == before


@pytest.mark.parametrize("code", [KEC, RT])
def test_add_page_does_not_exist_where_no_local_area_fits(client_for, code) -> None:
    assert client_for("admin").get(add_url(code)).status_code == 404


def test_duplicate_rt_number_is_refused_in_indonesian(world, client_for) -> None:
    before = Area.objects.count()
    response = client_for("pkb").post(add_url(RW), {"kind": "rt", "number": "1"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"number": ["Nomor 1 sudah dipakai di RW 001."]}
    assert "Nomor 1 sudah dipakai di RW 001." in response.content.decode()
    assert Area.objects.count() == before


def test_duplicate_rt_number_is_refused_in_english_after_switching(world, client_for) -> None:
    client = client_for("pkb")
    client.post(reverse("accounts:set_language"), {"language": "en", "next": "/"})
    response = client.post(add_url(RW), {"kind": "rt", "number": "2"})
    assert response.context["form"].errors == {"number": ["Number 2 is already used in RW 001."]}


def test_dusun_needs_a_name(world, client_for) -> None:
    before = Area.objects.count()
    response = client_for("pkb").post(add_url(VILLAGE), {"kind": "dusun", "name": " "})
    assert response.context["form"].errors == {"name": ["Nama dusun wajib diisi."]}
    assert Area.objects.count() == before


def test_number_out_of_range(world, client_for) -> None:
    response = client_for("pkb").post(add_url(VILLAGE), {"kind": "rt", "number": "1000"})
    assert response.context["form"].errors == {"number": ["Nomor harus antara 1 dan 999."]}


def test_kind_not_offered_under_an_rw_is_refused(world, client_for) -> None:
    before = Area.objects.count()
    response = client_for("pkb").post(add_url(RW), {"kind": "dusun", "name": "Melati"})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["kind"]
    assert Area.objects.count() == before


# In a phone's browser: search as you type swaps the results in place (HTMX).


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_search_as_you_type_in_a_phone_browser(world, phone) -> None:
    phone.goto(reverse("accounts:login"))
    phone.fill("#id_username", "pkb")
    phone.fill("#id_password", world.password)
    phone.click("main button[type=submit]")
    phone.wait_for_url("**/")
    phone.goto(reverse("regions:browse"))
    assert phone.locator("#area-results h2").inner_text() == "Wilayah Anda"
    phone.evaluate("window.notReloaded = true")
    phone.locator("input[name=q]").press_sequentially("ilir", delay=50)
    phone.wait_for_url(lambda url: url.endswith(f"{reverse('regions:browse')}?q=ilir"))
    phone.wait_for_selector("#area-results >> text=1 wilayah ditemukan.")
    assert phone.locator("#area-results tbody a").all_inner_texts() == ["Kota Bangun Ilir"]
    assert phone.evaluate("window.notReloaded") is True
