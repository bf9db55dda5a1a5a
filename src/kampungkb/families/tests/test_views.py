"""The family register pages, tried by every role of the shared world (``testing/world.py``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kampungkb.core.models import AuditEvent
from kampungkb.families import services
from kampungkb.families.models import (
    Couple,
    CoupleStatus,
    Family,
    FertilityIntention,
    MaritalStatus,
    Person,
    Pregnancy,
    PregnancyOutcome,
    Relation,
    Sex,
)
from kampungkb.families.services import PersonData
from kampungkb.families.templatetags.family_register import AREA_SEPARATOR
from kampungkb.families.validators import make_nik
from kampungkb.regions.models import Area
from kampungkb.testing.world import (
    AGGREGATE_USERS,
    NAMED_USERS,
    OTHER_VILLAGE,
    OUT_OF_AREA_USERS,
    RT,
    RT_2,
    VILLAGE,
    VILLAGE_2,
    World,
)

# Everyone who may see and edit the world's family Sutrisno (in RT 001).
IN_AREA_USERS = (*NAMED_USERS, "cadre_rt")
SUTRISNO_KK = "6402081203150001"
SUTRISNO_NIK = "6402081203880001"
SITI_NIK = "6402084407920002"
RIZKY_NIK = "6402080901150003"


def register_state() -> tuple[Any, ...]:
    """Every row of the register and the number of audit events: equal before and after a
    refused request."""
    return (
        list(Family.objects.order_by("pk").values()),
        list(Person.objects.order_by("pk").values()),
        list(Couple.objects.order_by("pk").values()),
        list(Pregnancy.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
    )


def html(response: Any) -> str:
    return response.content.decode()


def template_of(response: Any) -> str:
    """The page's own template (the first rendered; the others are included)."""
    return response.templates[0].name


def path_text(*names: str) -> str:
    return AREA_SEPARATOR.join(names)


def audit(action: str, instance: Any) -> AuditEvent:
    return AuditEvent.objects.get(action=action, object_id=str(instance.pk))


@pytest.fixture
def couple(world: World) -> Couple:
    return Couple.objects.get(wife__full_name="Siti Aminah")


@pytest.fixture
def pregnancy(couple: Couple) -> Pregnancy:
    return services.pregnancy_record(
        couple=couple, recorded_on=dt.date(2024, 3, 1), expected_on=dt.date(2024, 10, 1), actor=None
    )


@pytest.fixture
def page_urls(world: World, couple: Couple, pregnancy: Pregnancy) -> dict[str, str]:
    """Every page about the family Sutrisno."""
    family, wife = world.family, couple.wife
    return {
        "detail": reverse("families:detail", args=[family.pk]),
        "edit": reverse("families:edit", args=[family.pk]),
        "move": reverse("families:move", args=[family.pk]),
        "deactivate": reverse("families:deactivate", args=[family.pk]),
        "member_add": reverse("families:member_add", args=[family.pk]),
        "birth_add": reverse("families:birth_add", args=[family.pk]),
        "couple_add": reverse("families:couple_add", args=[family.pk]),
        "member_edit": reverse("families:member_edit", args=[wife.pk]),
        "member_death": reverse("families:member_death", args=[wife.pk]),
        "couple_divorce": reverse("families:couple_divorce", args=[couple.pk]),
        "couple_intention": reverse("families:couple_intention", args=[couple.pk]),
        "pregnancy_add": reverse("families:pregnancy_add", args=[couple.pk]),
        "pregnancy_end": reverse("families:pregnancy_end", args=[pregnancy.pk]),
    }


PAGES = (
    "detail",
    "edit",
    "move",
    "deactivate",
    "member_add",
    "birth_add",
    "couple_add",
    "member_edit",
    "member_death",
    "couple_divorce",
    "couple_intention",
    "pregnancy_add",
    "pregnancy_end",
)


def valid_posts(world: World, couple: Couple) -> dict[str, dict[str, Any]]:
    """A valid submission of every form page of ``page_urls``."""
    return {
        "edit": {"kk_number": "6402082005200001", "address": "Jl. Baru 1"},
        "move": {"area": RT_2, "address": "Gang Pelita 2"},
        "deactivate": {"reason": "Pindah ke Samarinda"},
        "member_add": {
            "full_name": "Sri Wahyuni",
            "sex": Sex.FEMALE,
            "birth_date": "1960-05-05",
            "relation_to_head": Relation.PARENT,
            "marital_status": MaritalStatus.WIDOWED,
        },
        "birth_add": {
            "mother": couple.wife_id,
            "full_name": "Putri Ayu",
            "sex": Sex.FEMALE,
            "birth_date": "2024-09-20",
        },
        "couple_add": {"wife": world.family_no_nik.head_id, "husband": "", "married_on": ""},
        "member_edit": {
            "full_name": "Siti Aminah Ramadhani",
            "nik": SITI_NIK,
            "sex": Sex.FEMALE,
            "birth_date": "1992-07-04",
            "relation_to_head": Relation.WIFE,
        },
        "member_death": {"died_on": "2024-12-01"},
        "couple_divorce": {"ended_on": "2024-12-01"},
        "couple_intention": {"intention": FertilityIntention.NO_MORE, "on": "2024-12-01"},
        "pregnancy_add": {"recorded_on": "2024-12-01"},
        "pregnancy_end": {"outcome": PregnancyOutcome.MISCARRIAGE, "ended_on": "2024-05-01"},
    }


# -- Access: every page, every role -----------------------------------------------------------


@pytest.mark.parametrize("username", IN_AREA_USERS)
def test_every_page_opens_for_users_of_the_area(client_for, page_urls, username):
    client = client_for(username)
    statuses = {name: client.get(url).status_code for name, url in page_urls.items()}
    assert statuses == dict.fromkeys(PAGES, 200)


@pytest.mark.parametrize("username", OUT_OF_AREA_USERS + AGGREGATE_USERS)
def test_every_page_is_not_found_outside_the_area_and_for_aggregate_roles(
    client_for, page_urls, username
):
    client = client_for(username)
    statuses = {name: client.get(url).status_code for name, url in page_urls.items()}
    assert statuses == dict.fromkeys(PAGES, 404)


@pytest.mark.parametrize("username", AGGREGATE_USERS)
def test_list_and_register_are_not_found_for_aggregate_roles(client_for, username):
    client = client_for(username)
    assert client.get(reverse("families:list")).status_code == 404
    assert client.get(reverse("families:register")).status_code == 404


@pytest.mark.parametrize("username", IN_AREA_USERS)
def test_list_and_register_open_for_users_of_the_area(client_for, username):
    client = client_for(username)
    assert client.get(reverse("families:list")).status_code == 200
    assert client.get(reverse("families:register")).status_code == 200


@pytest.mark.parametrize("username", OUT_OF_AREA_USERS)
def test_out_of_area_users_list_only_their_own_families(client_for, username):
    response = client_for(username).get(reverse("families:list"))
    assert response.status_code == 200
    assert [f.head.full_name for f in response.context["page"]] == ["Lalu Ahmad"]


def test_the_rt_cadre_finds_no_family_of_another_rt(world, client_for):
    client = client_for("cadre_rt")
    assert client.get(reverse("families:detail", args=[world.family_no_nik.pk])).status_code == 404
    response = client.get(reverse("families:list"))
    assert [f.head.full_name for f in response.context["page"]] == ["Sutrisno"]


def test_users_of_kutai_kartanegara_do_not_find_the_lombok_family(world, client_for):
    url = reverse("families:detail", args=[world.other_family.pk])
    assert {u: client_for(u).get(url).status_code for u in NAMED_USERS} == {
        "admin": 200,
        "district": 404,
        "pkb": 404,
        "cadre": 404,
    }


def test_pages_need_a_login(page_urls):
    response = Client().get(page_urls["detail"])
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={page_urls['detail']}"


@pytest.mark.parametrize("page", sorted(set(PAGES) - {"detail"}))
@pytest.mark.parametrize("username", ["other_district", "other_cadre", "partner"])
def test_a_write_from_outside_the_area_is_not_found_and_changes_nothing(
    world, couple, page_urls, client_for, page, username
):
    data = valid_posts(world, couple)[page]
    before = register_state()
    response = client_for(username).post(page_urls[page], data)
    assert response.status_code == 404
    assert register_state() == before


def test_the_list_and_detail_refuse_a_post(world, client_for):
    client = client_for("cadre")
    assert client.post(reverse("families:list")).status_code == 405
    assert client.post(reverse("families:detail", args=[world.family.pk])).status_code == 405


# -- The list ---------------------------------------------------------------------------------


def test_list_shows_masked_kk_area_member_count_and_no_nik_badge(world, client_for):
    response = client_for("cadre").get(reverse("families:list"))
    page = html(response)
    rows = [
        (f.head.full_name, f.member_count, f.area_id) for f in response.context["page"].object_list
    ]
    assert rows == [("Rahmawati", 1, RT_2), ("Sutrisno", 3, RT)]
    assert "640208******0001" in page
    assert path_text("Kota Bangun Ulu", "RW 001", "RT 001") in page
    assert path_text("Kota Bangun Ulu", "RW 001", "RT 002") in page
    assert page.count('<span class="badge warn">tanpa NIK</span>') == 1
    for number in (SUTRISNO_KK, SUTRISNO_NIK, SITI_NIK, RIZKY_NIK):
        assert number not in page


@pytest.mark.parametrize(
    ("query", "heads"),
    [
        ("siti", ["Sutrisno"]),
        ("rahma", ["Rahmawati"]),
        ("640208440792", ["Sutrisno"]),  # a member's NIK
        ("6402 0812 0315", ["Sutrisno"]),  # the KK, typed with spaces
        ("Lalu", []),  # out of scope
    ],
)
def test_list_search_by_name_nik_and_kk(client_for, query, heads):
    response = client_for("cadre").get(reverse("families:list"), {"q": query})
    assert [f.head.full_name for f in response.context["page"]] == heads


def test_list_htmx_request_gets_the_rows_partial(client_for):
    client = client_for("cadre")
    response = client.get(reverse("families:list"), {"q": "siti"}, HTTP_HX_REQUEST="true")
    page = html(response)
    assert template_of(response) == "families/_family_rows.html"
    assert "<html" not in page
    assert "Sutrisno" in page and "Rahmawati" not in page
    assert 'id="area-filter"' in page and 'hx-swap-oob="true"' in page
    assert "HX-Request" in response["Vary"]
    full = client.get(reverse("families:list"), {"q": "siti"})
    assert template_of(full) == "families/family_list.html"
    assert "<html" in html(full)
    assert 'hx-trigger="input changed delay:300ms, search"' in html(full)


def test_list_history_restore_gets_the_full_page(client_for):
    response = client_for("cadre").get(
        reverse("families:list"), HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert template_of(response) == "families/family_list.html"


def test_list_area_filter_drills_down_within_the_scope(client_for):
    client = client_for("cadre")
    response = client.get(reverse("families:list"), {"area": RT_2})
    assert [f.head.full_name for f in response.context["page"]] == ["Rahmawati"]
    options = [(a.code, depth) for a, depth in response.context["area_filter"].options]
    assert options == [(VILLAGE, 0), (f"{VILLAGE}.001", 1), (RT_2, 2)]
    top = client.get(reverse("families:list"))
    options = [(a.code, depth) for a, depth in top.context["area_filter"].options]
    assert options == [(VILLAGE, 0), (f"{VILLAGE}.001", 1)]
    assert client.get(reverse("families:list"), {"area": OTHER_VILLAGE}).status_code == 404


def test_list_is_paginated(world, client_for, settings):
    settings.KAMPUNGKB_PAGE_SIZE = 1
    client = client_for("cadre")
    first = client.get(reverse("families:list"))
    second = client.get(reverse("families:list"), {"page": 2})
    assert [f.head.full_name for f in first.context["page"]] == ["Rahmawati"]
    assert [f.head.full_name for f in second.context["page"]] == ["Sutrisno"]
    assert 'href="?page=2"' in html(first)
    assert "Halaman 1 dari 2" in html(first)


def _add_families(count: int) -> None:
    area = Area.objects.get(code=RT)
    for serial in range(count):
        born = dt.date(1980, 1, 1) + dt.timedelta(days=serial)
        family = services.family_register(
            area=area,
            kk_number=None,
            address="",
            head=PersonData(
                full_name=f"Kepala {serial}",
                sex=Sex.MALE,
                birth_date=born,
                relation_to_head=Relation.HEAD,
                nik=make_nik("640208", born, Sex.MALE, 100 + serial),
            ),
            actor=None,
        )
        services.person_add(
            family=family,
            data=PersonData(
                full_name=f"Anak {serial}",
                sex=Sex.FEMALE,
                birth_date=dt.date(2010, 1, 1),
                relation_to_head=Relation.CHILD,
            ),
            actor=None,
        )


LIST_QUERIES = 7  # session, user, scope, area filter (roots, children), count, page


@pytest.mark.parametrize("extra_families", [0, 30])
def test_list_query_count_does_not_grow_with_families(
    client_for, django_assert_num_queries, extra_families
):
    _add_families(extra_families)
    client = client_for("cadre")
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(reverse("families:list"))
    assert response.context["page"].paginator.count == 2 + extra_families
    with django_assert_num_queries(LIST_QUERIES):
        client.get(reverse("families:list"), HTTP_HX_REQUEST="true")


DETAIL_QUERIES = 8  # session, user, family, scope, area path, members, couples, pregnancies


def test_detail_query_count_does_not_grow_with_members(
    world, couple, client_for, django_assert_num_queries
):
    client = client_for("cadre")
    url = reverse("families:detail", args=[world.family.pk])
    with django_assert_num_queries(DETAIL_QUERIES):
        client.get(url)
    services.pregnancy_record(
        couple=couple, recorded_on=dt.date(2024, 3, 1), expected_on=None, actor=None
    )
    for serial in range(5):
        services.person_add(
            family=world.family,
            data=PersonData(
                full_name=f"Anak {serial}",
                sex=Sex.FEMALE,
                birth_date=dt.date(2016 + serial, 1, 1),
                relation_to_head=Relation.CHILD,
            ),
            actor=None,
        )
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(url)
    assert len(response.context["members"]) == 8


# -- The family page --------------------------------------------------------------------------


def test_detail_shows_full_numbers_members_and_the_couple(world, couple, pregnancy, client_for):
    response = client_for("cadre").get(reverse("families:detail", args=[world.family.pk]))
    page = html(response)
    for number in (SUTRISNO_KK, SUTRISNO_NIK, SITI_NIK, RIZKY_NIK):
        assert number in page
    assert [p.full_name for p in response.context["members"]] == [
        "Sutrisno",
        "Siti Aminah",
        "Rizky Pratama",
    ]
    assert "<h1>Keluarga Sutrisno</h1>" in page
    assert path_text("Kota Bangun Ulu", "RW 001", "RT 001") in page
    assert f'href="/families/?area={RT}"' in page
    assert "Kepala Keluarga" in page and "Istri" in page and "Anak" in page
    assert '<span class="badge ok">PUS</span>' in page
    assert "Kawin, menikah tanggal 20-05-2012" in page
    assert "sejak 01-03-2024, HPL 01-10-2024" in page
    assert reverse("families:pregnancy_end", args=[pregnancy.pk]) in page
    assert reverse("families:edit", args=[world.family.pk]) in page


def test_detail_flags_no_nik_and_deceased(world, client_for):
    head = world.family_no_nik.head
    services.person_record_death(person=head, died_on=dt.date(2024, 2, 3), actor=None)
    page = html(client_for("cadre").get(reverse("families:detail", args=[world.family_no_nik.pk])))
    assert '<span class="badge warn">tanpa NIK</span>' in page
    assert '<span class="badge off">meninggal 03-02-2024</span>' in page
    assert reverse("families:member_death", args=[head.pk]) not in page


def test_detail_of_a_deactivated_family_offers_no_action(world, client_for):
    services.family_deactivate(family=world.family, reason="Duplikat", actor=None)
    page = html(client_for("cadre").get(reverse("families:detail", args=[world.family.pk])))
    assert '<span class="badge off">Nonaktif</span> Duplikat' in page
    for name in ("edit", "move", "deactivate", "member_add", "birth_add", "couple_add"):
        assert reverse(f"families:{name}", args=[world.family.pk]) not in page


# -- Forms: the happy path of each ------------------------------------------------------------


def test_register_a_family_with_its_head(client_for, world):
    client = client_for("cadre")
    nik = make_nik("640208", dt.date(1990, 6, 15), Sex.MALE, 31)
    response = client.post(
        reverse("families:register"),
        {
            "area": RT_2,
            "kk_number": "6402 0820 0520 0001",
            "address": " Jl. Kenanga 3 ",
            "head_full_name": "Budi Santoso",
            "head_nik": nik,
            "head_sex": Sex.MALE,
            "head_birth_date": "1990-06-15",
            "head_marital_status": MaritalStatus.MARRIED,
            "head_occupation": "Petani",
        },
        follow=True,
    )
    family = Family.objects.get(kk_number="6402082005200001")
    assert response.redirect_chain == [(reverse("families:detail", args=[family.pk]), 302)]
    assert (family.area_id, family.address, family.is_active) == (RT_2, "Jl. Kenanga 3", True)
    head = family.head
    assert head is not None
    assert (head.full_name, head.nik, head.birth_date, head.relation_to_head) == (
        "Budi Santoso",
        nik,
        dt.date(1990, 6, 15),
        Relation.HEAD,
    )
    assert (head.marital_status, head.occupation) == (MaritalStatus.MARRIED, "Petani")
    assert audit("family.register", family).actor == world.user("cadre")
    assert audit("person.add", head).area_code == RT_2
    assert "Keluarga Budi Santoso telah didaftarkan." in html(response)


def test_register_offers_only_the_users_areas(client_for):
    form = client_for("pkb").get(reverse("families:register")).context["form"]
    codes = [code for code, _ in form.fields["area"].choices]
    assert codes == ["", VILLAGE, f"{VILLAGE}.001", RT, RT_2, VILLAGE_2]
    rt_form = client_for("cadre_rt").get(reverse("families:register")).context["form"]
    assert rt_form.fields["area"].choices == [
        ("", "---------"),
        (RT, path_text("Kota Bangun Ulu", "RW 001", "RT 001")),
    ]


def test_out_of_area_users_register_only_in_their_own_area(client_for):
    form = client_for("other_cadre").get(reverse("families:register")).context["form"]
    codes = [code for code, _ in form.fields["area"].choices]
    assert codes == ["", OTHER_VILLAGE, f"{OTHER_VILLAGE}.001", f"{OTHER_VILLAGE}.001.001"]
    client = client_for("other_district")
    url = reverse("families:register")
    assert client.get(url, {"q": "Kota Bangun"}).context["picker"].villages == []
    assert client.get(url, {"village": VILLAGE}).status_code == 404


def test_register_refuses_an_area_outside_the_scope(client_for):
    before = register_state()
    response = client_for("other_cadre").post(
        reverse("families:register"),
        {
            "area": RT,
            "head_full_name": "Penyusup",
            "head_sex": Sex.MALE,
            "head_birth_date": "1990-01-01",
            "head_marital_status": MaritalStatus.SINGLE,
        },
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["area"]
    assert register_state() == before


def test_district_officer_picks_a_village_then_its_rt(world, client_for):
    client = client_for("district")
    url = reverse("families:register")
    step = client.get(url)
    assert template_of(step) == "families/village_step.html"
    found = client.get(url, {"village": "", "q": "bangun ulu"}, HTTP_HX_REQUEST="true")
    assert template_of(found) == "families/_village_results.html"
    assert [v.code for v in found.context["picker"].villages] == [VILLAGE]
    assert f'href="{url}?village={VILLAGE}"' in html(found)
    assert client.get(url, {"q": "Tumbuh Mulia"}).context["picker"].villages == []
    form = client.get(url, {"village": VILLAGE}).context["form"]
    assert [c for c, _ in form.fields["area"].choices] == ["", VILLAGE, f"{VILLAGE}.001", RT, RT_2]
    response = client.post(
        f"{url}?village={VILLAGE}",
        {
            "area": RT,
            "head_full_name": "Dewi Lestari",
            "head_sex": Sex.FEMALE,
            "head_birth_date": "1995-02-01",
            "head_marital_status": MaritalStatus.SINGLE,
        },
    )
    head = Person.objects.select_related("family").get(full_name="Dewi Lestari")
    assert response.status_code == 302
    assert (head.family.area_id, head.family.kk_number, head.nik) == (RT, None, None)
    assert client.get(url, {"village": OTHER_VILLAGE}).status_code == 404


def test_edit_family(world, client_for):
    response = client_for("cadre").post(
        reverse("families:edit", args=[world.family.pk]),
        {"kk_number": "6402082005200001", "address": "Jl. Baru 1"},
        follow=True,
    )
    family = Family.objects.get(pk=world.family.pk)
    assert (family.kk_number, family.address) == ("6402082005200001", "Jl. Baru 1")
    event = audit("family.update", family)
    assert (event.before["kk_number"], event.after["kk_number"]) == (
        SUTRISNO_KK,
        "6402082005200001",
    )
    assert (event.before["address"], event.after["address"]) == ("Jl. Mahakam No. 5", "Jl. Baru 1")
    assert "Data keluarga telah disimpan." in html(response)


def test_edit_family_shows_current_values(world, client_for):
    form = client_for("cadre").get(reverse("families:edit", args=[world.family.pk])).context["form"]
    assert form.initial == {"kk_number": SUTRISNO_KK, "address": "Jl. Mahakam No. 5"}


def test_add_member(world, couple, client_for):
    response = client_for("pkb").post(
        reverse("families:member_add", args=[world.family.pk]),
        valid_posts(world, couple)["member_add"],
    )
    person = Person.objects.get(full_name="Sri Wahyuni")
    assert response.status_code == 302
    assert (person.family_id, person.nik, person.relation_to_head, person.marital_status) == (
        world.family.pk,
        None,
        Relation.PARENT,
        MaritalStatus.WIDOWED,
    )
    assert audit("person.add", person).actor == world.user("pkb")


def test_edit_member_keeps_the_marital_status(world, couple, client_for):
    url = reverse("families:member_edit", args=[couple.wife_id])
    client = client_for("cadre")
    form = client.get(url).context["form"]
    assert "marital_status" not in form.fields
    assert form.initial["nik"] == SITI_NIK
    client.post(url, valid_posts(world, couple)["member_edit"] | {"occupation": "Guru"})
    wife = Person.objects.get(pk=couple.wife_id)
    assert (wife.full_name, wife.occupation, wife.marital_status) == (
        "Siti Aminah Ramadhani",
        "Guru",
        MaritalStatus.MARRIED,
    )
    assert audit("person.update", wife).after == {
        "full_name": "Siti Aminah Ramadhani",
        "occupation": "Guru",
    }


def test_record_death_widows_the_spouse(world, couple, client_for):
    husband = world.family.head
    client_for("cadre").post(
        reverse("families:member_death", args=[husband.pk]), {"died_on": "2024-12-01"}
    )
    husband.refresh_from_db()
    couple.refresh_from_db()
    assert (husband.died_on, husband.is_active) == (dt.date(2024, 12, 1), False)
    assert (couple.status, couple.ended_on) == (CoupleStatus.WIDOWED, dt.date(2024, 12, 1))
    assert Person.objects.get(pk=couple.wife_id).marital_status == MaritalStatus.WIDOWED
    assert audit("person.death", husband).actor == world.user("cadre")
    assert audit("couple.widowed", couple).after["status"] == CoupleStatus.WIDOWED


def _daughter(world: World, born: dt.date) -> Person:
    return services.person_add(
        family=world.family,
        data=PersonData(
            full_name="Nur Aini", sex=Sex.FEMALE, birth_date=born, relation_to_head=Relation.CHILD
        ),
        actor=None,
    )


def test_record_marriage_with_the_husband_absent(world, client_for):
    daughter = _daughter(world, dt.date(2000, 1, 1))
    url = reverse("families:couple_add", args=[world.family.pk])
    client = client_for("cadre")
    form = client.get(url).context["form"]
    # Siti Aminah is married already, so only the daughter may be recorded as a wife.
    assert [p.full_name for p in form.fields["wife"].queryset] == ["Nur Aini"]
    assert [p.full_name for p in form.fields["husband"].queryset] == ["Sutrisno", "Rizky Pratama"]
    response = client.post(
        url,
        {
            "wife": daughter.pk,
            "husband": "",
            "married_on": "2022-06-01",
            "fertility_intention": FertilityIntention.DELAY,
        },
    )
    assert response.status_code == 302
    couple = Couple.objects.get(wife=daughter)
    assert (couple.husband, couple.married_on, couple.status) == (
        None,
        dt.date(2022, 6, 1),
        CoupleStatus.MARRIED,
    )
    assert couple.fertility_intention == FertilityIntention.DELAY
    assert Person.objects.get(pk=daughter.pk).marital_status == MaritalStatus.MARRIED
    assert audit("couple.register", couple).actor == world.user("cadre")


def test_divorce(world, couple, client_for):
    client_for("district").post(
        reverse("families:couple_divorce", args=[couple.pk]), {"ended_on": "2024-12-01"}
    )
    couple.refresh_from_db()
    assert (couple.status, couple.ended_on) == (CoupleStatus.DIVORCED, dt.date(2024, 12, 1))
    assert set(
        Person.objects.filter(pk__in=[couple.wife_id, couple.husband_id]).values_list(
            "marital_status", flat=True
        )
    ) == {MaritalStatus.DIVORCED}
    assert audit("couple.divorce", couple).actor == world.user("district")


def test_record_fertility_intention(world, couple, client_for):
    client_for("cadre").post(
        reverse("families:couple_intention", args=[couple.pk]),
        {"intention": FertilityIntention.NO_MORE, "on": "2024-12-01"},
    )
    couple.refresh_from_db()
    assert (couple.fertility_intention, couple.intention_recorded_on) == (
        FertilityIntention.NO_MORE,
        dt.date(2024, 12, 1),
    )
    assert audit("couple.intention", couple).after["fertility_intention"] == "no_more"


def test_record_pregnancy(world, couple, client_for):
    client_for("cadre").post(
        reverse("families:pregnancy_add", args=[couple.pk]),
        {"recorded_on": "2024-12-01", "expected_on": "2025-06-10"},
    )
    pregnancy = Pregnancy.objects.get(couple=couple)
    assert (pregnancy.recorded_on, pregnancy.expected_on, pregnancy.ended_on) == (
        dt.date(2024, 12, 1),
        dt.date(2025, 6, 10),
        None,
    )
    assert audit("pregnancy.record", pregnancy).actor == world.user("cadre")


def test_end_pregnancy(world, pregnancy, client_for):
    client_for("cadre").post(
        reverse("families:pregnancy_end", args=[pregnancy.pk]),
        {"outcome": PregnancyOutcome.STILLBIRTH, "ended_on": "2024-09-28"},
    )
    pregnancy.refresh_from_db()
    assert (pregnancy.outcome, pregnancy.ended_on) == (
        PregnancyOutcome.STILLBIRTH,
        dt.date(2024, 9, 28),
    )
    assert audit("pregnancy.end", pregnancy).actor == world.user("cadre")


def test_end_pregnancy_offers_no_live_birth(pregnancy, client_for):
    form = client_for("cadre").get(reverse("families:pregnancy_end", args=[pregnancy.pk]))
    values = [v for v, _ in form.context["form"].fields["outcome"].choices]
    assert values == [PregnancyOutcome.MISCARRIAGE, PregnancyOutcome.STILLBIRTH]


def test_record_birth_closes_the_pregnancy(world, couple, pregnancy, client_for):
    nik = make_nik("640208", dt.date(2024, 9, 20), Sex.FEMALE, 41)
    client = client_for("cadre")
    url = reverse("families:birth_add", args=[world.family.pk])
    assert client.get(url, {"mother": couple.wife_id}).context["form"]["mother"].value() == str(
        couple.wife_id
    )
    client.post(
        url,
        {
            "mother": couple.wife_id,
            "full_name": "Putri Ayu",
            "sex": Sex.FEMALE,
            "birth_date": "2024-09-20",
            "nik": nik,
            "birth_place": "Kota Bangun",
        },
    )
    child = Person.objects.get(full_name="Putri Ayu")
    assert (child.family_id, child.nik, child.mother_id, child.father_id) == (
        world.family.pk,
        nik,
        couple.wife_id,
        couple.husband_id,
    )
    assert child.relation_to_head == Relation.CHILD
    pregnancy.refresh_from_db()
    assert (pregnancy.outcome, pregnancy.ended_on) == (
        PregnancyOutcome.LIVE_BIRTH,
        dt.date(2024, 9, 20),
    )
    assert audit("person.birth", child).actor == world.user("cadre")


def test_move_family_to_another_rt(world, client_for):
    client = client_for("cadre")
    url = reverse("families:move", args=[world.family.pk])
    response = client.post(url, {"area": RT_2, "address": "Gang Pelita 2"}, follow=True)
    family = Family.objects.get(pk=world.family.pk)
    assert (family.area_id, family.address) == (RT_2, "Gang Pelita 2")
    assert audit("family.move", family).after["area_id"] == RT_2
    assert "Keluarga telah dipindahkan." in html(response)


def test_district_officer_moves_within_the_familys_village_or_picks_another(world, client_for):
    client = client_for("district")
    url = reverse("families:move", args=[world.family.pk])
    form = client.get(url).context["form"]
    assert [c for c, _ in form.fields["area"].choices] == ["", VILLAGE, f"{VILLAGE}.001", RT, RT_2]
    step = client.get(url, {"village": ""})
    assert template_of(step) == "families/village_step.html"
    client.post(f"{url}?village={VILLAGE_2}", {"area": VILLAGE_2, "address": "Desa Ilir"})
    assert Family.objects.get(pk=world.family.pk).area_id == VILLAGE_2


def test_deactivate_family(world, client_for):
    response = client_for("cadre").post(
        reverse("families:deactivate", args=[world.family.pk]),
        {"reason": "Pindah ke Samarinda"},
        follow=True,
    )
    family = Family.objects.get(pk=world.family.pk)
    assert (family.is_active, family.deactivated_reason) == (False, "Pindah ke Samarinda")
    assert response.redirect_chain == [(reverse("families:list"), 302)]
    assert [f.head.full_name for f in response.context["page"]] == ["Rahmawati"]
    assert audit("family.deactivate", family).after == {
        "is_active": False,
        "deactivated_reason": "Pindah ke Samarinda",
    }


# -- Refused submissions: the service's message on the field, nothing changed ------------------


def _refused(client: Any, url: str, data: dict[str, Any]) -> Any:
    before = register_state()
    response = client.post(url, data)
    assert response.status_code == 200
    assert register_state() == before
    return response


def test_add_member_with_a_duplicate_nik_is_refused(world, client_for):
    response = _refused(
        client_for("cadre"),
        reverse("families:member_add", args=[world.family.pk]),
        {
            "full_name": "Siti Kembar",
            "nik": SITI_NIK,
            "sex": Sex.FEMALE,
            "birth_date": "1992-07-04",
            "relation_to_head": Relation.OTHER_RELATIVE,
            "marital_status": MaritalStatus.SINGLE,
        },
    )
    assert list(response.context["form"].errors) == ["nik"]
    assert f"NIK {SITI_NIK} sudah terdaftar." in html(response)


def test_add_member_whose_nik_disagrees_with_the_birth_date_is_refused(world, client_for):
    nik = make_nik("640208", dt.date(1992, 7, 4), Sex.FEMALE, 51)
    response = _refused(
        client_for("cadre"),
        reverse("families:member_add", args=[world.family.pk]),
        {
            "full_name": "Ani",
            "nik": nik,
            "sex": Sex.FEMALE,
            "birth_date": "1990-01-01",
            "relation_to_head": Relation.OTHER_RELATIVE,
            "marital_status": MaritalStatus.SINGLE,
        },
    )
    assert list(response.context["form"].errors) == ["nik"]
    assert "Tanggal lahir pada NIK (44-07-92) tidak sama dengan tanggal lahir 1990-01-01." in html(
        response
    )


def test_marriage_of_a_wife_under_ten_is_refused(world, client_for):
    daughter = _daughter(world, dt.date(2018, 3, 1))
    response = _refused(
        client_for("cadre"),
        reverse("families:couple_add", args=[world.family.pk]),
        {"wife": daughter.pk, "husband": "", "married_on": "2024-01-01"},
    )
    assert list(response.context["form"].errors) == ["married_on"]
    assert "Istri berumur 5 tahun pada tanggal pernikahan; di bawah 10 tahun ditolak." in html(
        response
    )


def test_register_with_a_registered_kk_and_nik_shows_both_errors(world, client_for):
    response = _refused(
        client_for("cadre"),
        reverse("families:register"),
        {
            "area": RT,
            "kk_number": SUTRISNO_KK,
            "head_full_name": "Sutrisno Lagi",
            "head_nik": SUTRISNO_NIK,
            "head_sex": Sex.MALE,
            "head_birth_date": "1988-03-12",
            "head_marital_status": MaritalStatus.MARRIED,
        },
    )
    assert sorted(response.context["form"].errors) == ["head_nik", "kk_number"]
    page = html(response)
    assert f"Nomor KK {SUTRISNO_KK} sudah terdaftar." in page
    assert f"NIK {SUTRISNO_NIK} sudah terdaftar." in page


def test_second_ongoing_pregnancy_is_refused_on_the_form(couple, pregnancy, client_for):
    response = _refused(
        client_for("cadre"),
        reverse("families:pregnancy_add", args=[couple.pk]),
        {"recorded_on": "2024-04-01"},
    )
    assert response.context["form"].non_field_errors() == [
        "Kehamilan yang sedang berjalan sudah tercatat untuk pasangan ini."
    ]


def test_a_date_in_the_future_is_refused(world, client_for):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = _refused(
        client_for("cadre"),
        reverse("families:member_death", args=[world.family.head_id]),
        {"died_on": tomorrow.isoformat()},
    )
    assert list(response.context["form"].errors) == ["died_on"]
    assert "Tanggal tidak boleh di masa depan." in html(response)


# -- Languages --------------------------------------------------------------------------------


def test_pages_speak_indonesian_by_default_and_english_when_chosen(world, client_for):
    client = client_for("cadre")
    list_url = reverse("families:list")
    detail_url = reverse("families:detail", args=[world.family.pk])
    indonesian = html(client.get(list_url))
    assert "<h1>Keluarga</h1>" in indonesian and "Daftarkan keluarga" in indonesian
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = html(client.get(list_url))
    assert "<h1>Families</h1>" in english and "Register a family" in english
    assert "<h1>Family of Sutrisno</h1>" in html(client.get(detail_url))


def test_refusal_and_success_messages_follow_the_language(world, client_for):
    client = client_for("cadre")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("families:member_add", args=[world.family.pk])
    data = {
        "full_name": "Siti Kembar",
        "nik": SITI_NIK,
        "sex": Sex.FEMALE,
        "birth_date": "1992-07-04",
        "relation_to_head": Relation.OTHER_RELATIVE,
        "marital_status": MaritalStatus.SINGLE,
    }
    assert f"NIK {SITI_NIK} is already registered." in html(client.post(url, data))
    data["nik"] = ""
    response = client.post(url, data, follow=True)
    assert "Siti Kembar was added to the family." in html(response)
