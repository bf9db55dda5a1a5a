"""The contraceptive services pages, tried by every role of the shared world (``testing/world.py``)
on a small set of injectable users built with ``services.visit_record``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kampungkb.contraception import services
from kampungkb.contraception.models import (
    Episode,
    Facility,
    FollowUp,
    Method,
    ServiceVisit,
)
from kampungkb.core.models import AuditEvent
from kampungkb.families.models import Couple, Relation, Sex
from kampungkb.families.services import couple_register, family_register, person_add
from kampungkb.regions.models import Area
from kampungkb.testing.world import (
    AGGREGATE_USERS,
    NAMED_USERS,
    OTHER_VILLAGE,
    OUT_OF_AREA_USERS,
    RT,
    RT_2,
    USERS,
    VILLAGE,
    VILLAGE_2,
    World,
    person,
)

IN_AREA_USERS = (*NAMED_USERS, "cadre_rt")
ALL_USERS = tuple(USERS)
OFFICERS = ("admin", "district", "pkb", "other_district")


def today() -> dt.date:
    return timezone.localdate()


def days_ago(days: int) -> dt.date:
    return today() - dt.timedelta(days=days)


def add_couple(wife_name: str, husband_name: str, area_code: str, serial: int) -> Couple:
    """A family with a married couple (wife born 1995) in an area of the world."""
    region = area_code.replace(".", "")[:6]
    family = family_register(
        area=Area.objects.get(code=area_code),
        kk_number=None,
        address="",
        head=person(husband_name, Sex.MALE, dt.date(1991, 1, 1), Relation.HEAD, serial, region),
        actor=None,
    )
    wife = person_add(
        family=family,
        data=person(wife_name, Sex.FEMALE, dt.date(1995, 1, 1), Relation.WIFE, serial + 1, region),
        actor=None,
    )
    return couple_register(
        wife=wife, husband=family.head, married_on=dt.date(2015, 1, 1), actor=None
    )


def start(couple: Couple, code: str, on: dt.date) -> ServiceVisit:
    return services.visit_record(
        couple=couple,
        visited_on=on,
        method=Method.objects.get(code=code),
        kind="start",
        consent_recorded=True,
        actor=None,
    )


@dataclass
class KB:
    """Injectable users: Siti due within 14 days, Dewi overdue (both in the cadre's village),
    Rina dropped out (Kota Bangun Ilir: the PKB's, not the cadre's), Baiq due in Lombok Timur."""

    siti: Couple
    dewi: Couple
    rina: Couple
    baiq: Couple

    def episode(self, couple: Couple) -> Episode:
        return Episode.objects.get(couple=couple, ended_on__isnull=True)


@pytest.fixture(name="kb")
def kb_fixture(world: World) -> KB:
    siti = Couple.objects.get(wife__full_name="Siti Aminah")
    baiq = Couple.objects.get(wife__full_name="Baiq Nurul")
    village_2_rt = Area.objects.filter(code__startswith=VILLAGE_2).order_by("-level").first()
    assert village_2_rt is not None
    dewi = add_couple("Dewi Sartika", "Joko Susilo", RT_2, 101)
    rina = add_couple("Rina Marlina", "Agus Salim", village_2_rt.code, 103)
    start(siti, "SUNTIK3", days_ago(80))
    start(dewi, "SUNTIK3", days_ago(100))
    start(rina, "SUNTIK3", days_ago(200))
    start(baiq, "SUNTIK3", days_ago(80))
    return KB(siti=siti, dewi=dewi, rina=rina, baiq=baiq)


def html(response: Any) -> str:
    return response.content.decode()


def wives(response: Any) -> list[str]:
    return [row.couple.wife.full_name for row in response.context["rows"]]


def state() -> tuple[Any, ...]:
    """Every visit, episode, follow-up and facility and the number of audit events: equal before
    and after a refused request."""
    return (
        list(ServiceVisit.objects.order_by("pk").values()),
        list(Episode.objects.order_by("pk").values()),
        list(FollowUp.objects.order_by("pk").values()),
        list(Facility.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
    )


# -- Who may open which page ----------------------------------------------------------------------


def couple_pages(couple: Couple) -> list[str]:
    return [
        reverse("contraception:couple", args=[couple.pk]),
        reverse("contraception:visit_new", args=[couple.pk]),
        reverse("contraception:followup_new", args=[couple.pk]),
    ]


LIST_PAGES = ["contraception:due", "contraception:overdue", "contraception:dropouts"]
OPEN_PAGES = ["contraception:methods", "contraception:facilities"]


@pytest.mark.parametrize("username", ALL_USERS)
def test_couple_pages_by_role(kb: KB, client_for: Any, username: str) -> None:
    expected = 200 if username in IN_AREA_USERS else 404
    client = client_for(username)
    for url in couple_pages(kb.siti):
        assert client.get(url).status_code == expected, url
    other = 200 if username in ("admin", *OUT_OF_AREA_USERS) else 404
    for url in couple_pages(kb.baiq):
        assert client.get(url).status_code == other, url


@pytest.mark.parametrize("username", ALL_USERS)
def test_list_pages_by_role(world: World, client_for: Any, username: str) -> None:
    expected = 404 if username in AGGREGATE_USERS else 200
    client = client_for(username)
    for name in LIST_PAGES:
        assert client.get(reverse(name)).status_code == expected, name
        assert client.get(reverse(name), {"format": "csv"}).status_code == expected, name


@pytest.mark.parametrize("username", ALL_USERS)
def test_catalogue_and_facilities_open_to_every_role(
    world: World, client_for: Any, username: str
) -> None:
    client = client_for(username)
    for name in OPEN_PAGES:
        assert client.get(reverse(name)).status_code == 200, name
    expected = 200 if username in OFFICERS else 404
    assert client.get(reverse("contraception:facility_new")).status_code == expected


def test_anonymous_is_sent_to_login(kb: KB) -> None:
    urls = [
        *couple_pages(kb.siti),
        *(reverse(name) for name in [*LIST_PAGES, *OPEN_PAGES, "contraception:facility_new"]),
    ]
    for url in urls:
        response = Client().get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url


def test_list_area_outside_scope_is_not_found(kb: KB, client_for: Any) -> None:
    response = client_for("cadre").get(reverse("contraception:due"), {"area": OTHER_VILLAGE})
    assert response.status_code == 404


def test_follow_up_form_refuses_another_couples_episode(kb: KB, client_for: Any) -> None:
    url = reverse("contraception:followup_new", args=[kb.siti.pk])
    response = client_for("cadre").get(url, {"episode": kb.episode(kb.dewi).pk})
    assert response.status_code == 404


# -- The couple page ------------------------------------------------------------------------------


def test_couple_page_shows_status_episodes_and_visits(kb: KB, client_for: Any) -> None:
    response = client_for("cadre").get(reverse("contraception:couple", args=[kb.siti.pk]))
    page = html(response)
    due = days_ago(80) + dt.timedelta(days=84)
    assert response.context["status"].method == "SUNTIK3"
    assert response.context["status"].due_on == due
    assert not response.context["status"].overdue
    assert "Memakai Suntik 3 bulanan" in page
    assert due.strftime("%d-%m-%Y") in page
    assert [v.kind for v in response.context["visits"]] == ["start"]
    assert [(e.method_id, e.is_new_user) for e in response.context["episodes"]] == [
        ("SUNTIK3", True)
    ]
    assert reverse("families:detail", args=[kb.siti.wife.family_id]) in page


def test_couple_page_shows_overdue_and_non_user(kb: KB, world: World, client_for: Any) -> None:
    client = client_for("cadre")
    page = html(client.get(reverse("contraception:couple", args=[kb.dewi.pk])))
    assert "terlambat" in page
    lone = add_couple("Wati", "Budi", RT, 105)
    page = html(client.get(reverse("contraception:couple", args=[lone.pk])))
    assert "Tidak ber-KB: alasan belum dicatat" in page


def test_family_page_links_to_the_fp_history(kb: KB, world: World, client_for: Any) -> None:
    page = html(client_for("cadre").get(reverse("families:detail", args=[world.family.pk])))
    assert f'href="{reverse("contraception:couple", args=[kb.siti.pk])}">Riwayat KB' in page


# -- Recording a visit ----------------------------------------------------------------------------


def test_cadre_records_a_reinjection_and_returns_to_the_list(kb: KB, client_for: Any) -> None:
    client = client_for("cadre")
    back = reverse("contraception:due") + "?area=" + RT
    url = reverse("contraception:visit_new", args=[kb.siti.pk])
    response = client.post(
        url,
        {
            "visited_on": today().isoformat(),
            "method": "SUNTIK3",
            "kind": "repeat",
            "quantity": "1",
            "provider": "Bidan Sari",
            "next": back,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == back
    visit = ServiceVisit.objects.get(couple=kb.siti, visited_on=today())
    assert (visit.method_id, visit.kind, visit.provider) == ("SUNTIK3", "repeat", "Bidan Sari")
    assert visit.recorded_by is not None and visit.recorded_by.username == "cadre"
    assert kb.episode(kb.siti).next_due_on == today() + dt.timedelta(days=84)
    event = AuditEvent.objects.get(action="visit.record", object_id=str(visit.pk))
    assert event.actor is not None and event.actor.username == "cadre"
    assert event.area_code == RT
    followed = client.get(back)
    assert "Kunjungan Siti Aminah sudah dicatat." in html(followed)
    assert wives(followed) == []


def test_next_outside_the_site_is_ignored(kb: KB, client_for: Any) -> None:
    response = client_for("cadre").post(
        reverse("contraception:visit_new", args=[kb.siti.pk]) + "?next=https://evil.example/",
        {"visited_on": today().isoformat(), "method": "SUNTIK3", "kind": "repeat", "quantity": "1"},
    )
    assert response["Location"] == reverse("contraception:couple", args=[kb.siti.pk])


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"visited_on": "+1", "method": "SUNTIK3", "kind": "repeat"},
            "visited_on",
            "Tanggal kunjungan tidak boleh di masa depan.",
        ),
        (
            {"visited_on": "0", "method": "IMPLAN3", "kind": "switch"},
            "consent_recorded",
            "Metode Implan 3 tahun wajib disertai persetujuan tindakan medis (informed consent).",
        ),
        (
            {"visited_on": "0", "method": "PIL", "kind": "removal"},
            "method",
            "pasangan ini tidak sedang memakai Pil.",
        ),
        (
            {"visited_on": "0", "method": "SUNTIK3", "kind": "repeat", "stop_reason": "removal"},
            "stop_reason",
            "Alasan berhenti hanya diisi untuk pencabutan/berhenti atau efek samping.",
        ),
    ],
)
def test_refused_visit_is_shown_in_indonesian_and_changes_nothing(
    kb: KB, client_for: Any, data: dict[str, str], field: str, message: str
) -> None:
    data = {**data, "quantity": "1"}
    data["visited_on"] = (today() + dt.timedelta(days=int(data["visited_on"]))).isoformat()
    before = state()
    response = client_for("cadre").post(reverse("contraception:visit_new", args=[kb.siti.pk]), data)
    assert response.status_code == 200
    assert any(message in str(e) for e in response.context["form"].errors[field])
    assert message in html(response)
    assert state() == before


def test_consent_box_is_shown_only_for_methods_that_need_it(kb: KB, client_for: Any) -> None:
    client = client_for("cadre")
    url = reverse("contraception:visit_new", args=[kb.siti.pk])
    assert 'name="consent_recorded"' in html(client.get(url, {"method": "SUNTIK3"}))
    assert 'name="consent_recorded"' not in html(client.get(url, {"method": "KONDOM"}))
    assert 'name="consent_recorded"' in html(client.get(url))
    # A repeat visit is the usual case from the due list: preselected.
    assert client.get(url).context["form"]["kind"].value() == "repeat"


# -- The follow-up lists --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "due", "overdue", "dropouts"),
    [
        ("cadre", ["Siti Aminah"], ["Dewi Sartika"], []),
        ("cadre_rt", ["Siti Aminah"], [], []),
        ("pkb", ["Siti Aminah"], ["Dewi Sartika"], ["Rina Marlina"]),
        ("district", ["Siti Aminah"], ["Dewi Sartika"], ["Rina Marlina"]),
        ("other_district", ["Baiq Nurul"], [], []),
        ("admin", ["Baiq Nurul", "Siti Aminah"], ["Dewi Sartika"], ["Rina Marlina"]),
    ],
)
def test_lists_hold_exactly_the_couples_in_scope(
    kb: KB, client_for: Any, username: str, due: list[str], overdue: list[str], dropouts: list[str]
) -> None:
    client = client_for(username)
    assert sorted(wives(client.get(reverse("contraception:due")))) == due
    assert wives(client.get(reverse("contraception:overdue"))) == overdue
    assert wives(client.get(reverse("contraception:dropouts"))) == dropouts


def test_due_list_range_and_area_filter(kb: KB, client_for: Any) -> None:
    client = client_for("cadre")
    url = reverse("contraception:due")
    assert wives(client.get(url, {"area": RT_2})) == []
    assert wives(client.get(url, {"area": RT})) == ["Siti Aminah"]
    # Dewi's due date (16 days ago) is in a range that reaches back far enough.
    wide = {"from": days_ago(30).isoformat(), "to": today().isoformat()}
    assert wives(client.get(url, wide)) == ["Dewi Sartika"]


def test_list_row_shows_what_is_due_and_actions(kb: KB, client_for: Any) -> None:
    response = client_for("cadre").get(reverse("contraception:due"))
    page = html(response)
    assert "Suntik ulang" in page
    assert "Siti Aminah" in page and "Sutrisno" in page
    assert reverse("contraception:visit_new", args=[kb.siti.pk]) + "?method=SUNTIK3" in page
    episode = kb.episode(kb.siti)
    followup = reverse("contraception:followup_new", args=[kb.siti.pk])
    assert f"{followup}?episode={episode.pk}&amp;next=" in page


def test_partial_for_htmx(kb: KB, client_for: Any) -> None:
    response = client_for("cadre").get(reverse("contraception:due"), HTTP_HX_REQUEST="true")
    assert response.templates[0].name == "contraception/_follow_up_rows.html"


LIST_QUERIES = 8  # session, user, scope, root areas, area children, count, rows, follow-ups


@pytest.mark.parametrize("extra", [0, 4])
def test_list_query_count_does_not_grow_with_rows(
    kb: KB, client_for: Any, django_assert_num_queries: Any, extra: int
) -> None:
    for serial in range(extra):
        couple = add_couple(f"Istri {serial}", f"Suami {serial}", RT, 200 + 2 * serial)
        start(couple, "SUNTIK3", days_ago(75))
        FollowUp.objects.create(
            couple=couple, episode=kb.episode(couple), done_on=today(), outcome="visited"
        )
    client = client_for("cadre")
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(reverse("contraception:due"))
    assert len(response.context["rows"]) == 1 + extra
    with django_assert_num_queries(LIST_QUERIES):
        client.get(reverse("contraception:overdue"))


# -- Follow-ups -----------------------------------------------------------------------------------


def test_follow_up_recorded_and_shown_on_the_list(kb: KB, client_for: Any) -> None:
    client = client_for("cadre")
    episode = kb.episode(kb.dewi)
    url = reverse("contraception:followup_new", args=[kb.dewi.pk])
    back = reverse("contraception:overdue")
    response = client.post(
        f"{url}?episode={episode.pk}",
        {
            "done_on": today().isoformat(),
            "outcome": "refused",
            "barrier": "side_effects",
            "note": "Takut pusing",
            "next": back,
        },
    )
    assert response["Location"] == back
    follow_up = FollowUp.objects.get(couple=kb.dewi)
    assert (follow_up.episode_id, follow_up.outcome, follow_up.barrier) == (
        episode.pk,
        "refused",
        "side_effects",
    )
    assert AuditEvent.objects.filter(action="followup.record", object_id=str(follow_up.pk)).exists()
    listed = client.get(back)
    assert listed.context["rows"][0].latest == follow_up
    assert "Menolak" in html(listed)


def test_refusal_without_barrier_is_refused(kb: KB, client_for: Any) -> None:
    before = state()
    response = client_for("cadre").post(
        reverse("contraception:followup_new", args=[kb.dewi.pk]),
        {"done_on": today().isoformat(), "outcome": "refused"},
    )
    assert response.status_code == 200
    assert "Jika pasangan menolak, sebutkan hambatannya." in html(response)
    assert state() == before


# -- Facilities and the catalogue -----------------------------------------------------------------


def test_pkb_adds_and_edits_a_facility(world: World, client_for: Any) -> None:
    client = client_for("pkb")
    response = client.post(
        reverse("contraception:facility_new"),
        {
            "code": "P6402080201",
            "name": "Pustu Kota Bangun Ulu",
            "kind": "puskesmas",
            "ownership": "government",
            "has_jkn_contract": "on",
            "area": VILLAGE,
        },
    )
    assert response.status_code == 302
    facility = Facility.objects.get(code="P6402080201")
    assert (facility.area_id, facility.has_jkn_contract) == (VILLAGE, True)
    assert AuditEvent.objects.filter(action="facility.create", object_id=str(facility.pk)).exists()
    response = client.post(
        reverse("contraception:facility_edit", args=[facility.pk]),
        {"name": "Pustu KBU", "kind": "puskesmas", "ownership": "government", "area": VILLAGE_2},
    )
    assert response.status_code == 302
    facility.refresh_from_db()
    assert (facility.name, facility.area_id, facility.has_jkn_contract) == (
        "Pustu KBU",
        VILLAGE_2,
        False,
    )
    listed = html(client.get(reverse("contraception:facilities")))
    assert "Pustu KBU" in listed
    assert (
        client_for("other_district")
        .get(reverse("contraception:facility_edit", args=[facility.pk]))
        .status_code
        == 404
    )
    assert "Pustu KBU" not in html(
        client_for("other_cadre").get(reverse("contraception:facilities"))
    )


def test_facility_code_taken_is_refused(world: World, client_for: Any) -> None:
    services.facility_create(
        code="F1",
        name="Klinik A",
        kind="clinic",
        ownership="private",
        has_jkn_contract=False,
        area=Area.objects.get(code=VILLAGE),
        actor=None,
    )
    before = state()
    response = client_for("district").post(
        reverse("contraception:facility_new"),
        {
            "code": "F1",
            "name": "Klinik B",
            "kind": "clinic",
            "ownership": "private",
            "area": VILLAGE,
        },
    )
    assert response.status_code == 200
    assert "Kode faskes F1 sudah terdaftar." in html(response)
    assert state() == before


def test_catalogue_lists_the_methods(world: World, client_for: Any) -> None:
    page = html(client_for("viewer").get(reverse("contraception:methods")))
    for name in Method.objects.filter(is_active=True).values_list("name", flat=True):
        assert name in page


def test_admin_edit_of_a_method_is_audited(world: World, client_for: Any) -> None:
    method = Method.objects.get(code="SUNTIK3")
    url = reverse("admin:contraception_method_change", args=[method.pk])
    client = client_for("admin")
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {
        k: ("on" if v is True else "" if v is False or v is None else v) for k, v in data.items()
    }
    data["grace_days"] = "21"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    method.refresh_from_db()
    assert method.grace_days == 21
    event = AuditEvent.objects.get(action="method.update", object_id="SUNTIK3")
    assert event.before == {"grace_days": 14} and event.after == {"grace_days": 21}


def test_nav_shows_fp_services_to_named_roles(world: World, client_for: Any) -> None:
    assert ">Layanan KB</a>" in html(client_for("cadre").get(reverse("contraception:methods")))
    assert ">Layanan KB</a>" not in html(
        client_for("partner").get(reverse("contraception:methods"))
    )
