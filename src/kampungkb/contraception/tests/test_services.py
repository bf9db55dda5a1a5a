"""Writes for contraceptive services: visits and the episodes they make, register hooks, date
edges, the daily refresh, facilities, the method catalogue and follow-ups."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kampungkb.contraception import engine, services
from kampungkb.contraception.models import (
    EndReason,
    Episode,
    Facility,
    FollowUp,
    Method,
    ServiceVisit,
    VisitKind,
)
from kampungkb.core.models import AuditEvent
from kampungkb.families import services as families
from kampungkb.families.models import Couple, Person, Sex
from kampungkb.testing.contraception_factories import (  # noqa: F401 (fixture)
    TODAY,
    FacilityFactory,
    ServiceVisitFactory,
    clock_fixture,
    method,
)
from kampungkb.testing.factories import CoupleFactory, WomanFactory
from kampungkb.testing.world import KAB, OTHER_VILLAGE, RT, VILLAGE

D = dt.date


def siti() -> Couple:
    return Couple.objects.select_related("wife__family", "husband").get(
        wife__full_name="Siti Aminah"
    )


def baiq() -> Couple:
    return Couple.objects.select_related("wife__family", "husband").get(
        wife__full_name="Baiq Nurul"
    )


def codes(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str | None]]:
    return {field: [e.code for e in errors] for field, errors in exc.value.error_dict.items()}


def counts() -> tuple[int, int, int, int]:
    return (
        ServiceVisit.objects.count(),
        Episode.objects.count(),
        AuditEvent.objects.count(),
        FollowUp.objects.count(),
    )


def start(couple, on, code="SUNTIK3", **kwargs):
    kwargs.setdefault("kind", VisitKind.START)
    kwargs.setdefault("consent_recorded", True)
    return services.visit_record(
        couple=couple, visited_on=on, method=method(code), actor=None, **kwargs
    )


def episodes(couple):
    return list(
        Episode.objects.filter(couple=couple)
        .order_by("started_on")
        .values_list("method_id", "started_on", "ended_on", "end_reason")
    )


# --- visit_record ---


def test_visit_record_starts_an_episode_with_its_due_dates_and_an_audit_event(world, clock):
    cadre = world.user("cadre")
    visit = services.visit_record(
        couple=siti(),
        visited_on=D(2026, 1, 5),
        method=method("SUNTIK3"),
        kind=VisitKind.START,
        consent_recorded=True,
        provider="  Bidan Ani ",
        actor=cadre,
    )
    assert (visit.due_on, visit.provider, visit.recorded_by) == (D(2026, 3, 30), "Bidan Ani", cadre)
    episode = Episode.objects.get(couple=siti())
    assert visit.episode == episode
    assert (episode.method_id, episode.started_on, episode.ended_on) == (
        "SUNTIK3",
        D(2026, 1, 5),
        None,
    )
    assert (episode.next_due_on, episode.overdue_from, episode.drop_out_on) == (
        D(2026, 3, 30),
        D(2026, 4, 14),
        D(2026, 7, 13),
    )
    assert (episode.is_new_user, episode.is_switch, episode.is_postpartum) == (True, False, False)
    event = AuditEvent.objects.get(action="visit.record")
    assert (event.actor, event.object_id, event.area_code) == (cadre, str(visit.pk), RT)
    assert event.after["method_id"] == "SUNTIK3"


def test_a_repeat_visit_continues_the_episode_and_moves_the_due_date(world, clock):
    start(siti(), D(2025, 12, 1))
    repeat = start(siti(), D(2026, 2, 20), kind=VisitKind.REPEAT)
    assert repeat.due_on == D(2026, 5, 15)
    assert episodes(siti()) == [("SUNTIK3", D(2025, 12, 1), None, "")]


def _inactive_method():
    Method.objects.filter(code="PIL").update(is_active=False)
    return {"method": method("PIL"), "kind": VisitKind.START}


def _inactive_facility():
    return {"facility": FacilityFactory.create(is_active=False)}


REFUSALS = [
    (
        "future",
        lambda: {"visited_on": TODAY + dt.timedelta(days=1)},
        "visited_on",
        "date_in_future",
    ),
    ("unmarried", lambda: {"visited_on": D(2012, 5, 19)}, "visited_on", "not_married_on_date"),
    ("inactive method", _inactive_method, "method", "method_inactive"),
    ("inactive facility", _inactive_facility, "facility", "facility_inactive"),
    ("no consent", lambda: {"consent_recorded": False}, "consent_recorded", "consent_required"),
    (
        "stop reason",
        lambda: {"stop_reason": EndReason.WANTS_CHILD},
        "stop_reason",
        "stop_reason_not_allowed",
    ),
    (
        "not in use",
        lambda: {"kind": VisitKind.REMOVAL, "method": method("IUD")},
        "method",
        "method_not_in_use",
    ),
]


@pytest.mark.parametrize(("name", "make", "field", "code"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_visit_record_refuses_and_changes_nothing(world, clock, name, make, field, code):
    start(siti(), D(2026, 1, 5))
    before = counts()
    arguments = {
        "couple": siti(),
        "visited_on": D(2026, 2, 1),
        "method": method("SUNTIK3"),
        "kind": VisitKind.START,
        "consent_recorded": True,
        "actor": world.user("cadre"),
    }
    arguments.update(make())
    with pytest.raises(ValidationError) as exc:
        services.visit_record(**arguments)
    assert codes(exc) == {field: [f"contraception.{code}"]}
    assert counts() == before
    assert episodes(siti()) == [("SUNTIK3", D(2026, 1, 5), None, "")]


def test_visit_record_refuses_a_visit_after_the_wifes_death(world, clock):
    # A register kept by hand may show a death without the marriage ended: still refused.
    couple = CoupleFactory.create(wife=WomanFactory.create(died_on=D(2025, 6, 1)))
    with pytest.raises(ValidationError) as exc:
        start(couple, D(2025, 7, 1))
    assert codes(exc) == {"visited_on": ["contraception.wife_not_alive"]}
    assert ServiceVisit.objects.filter(couple=couple).count() == 0


@pytest.mark.parametrize("username", ["other_cadre", "other_district", "partner", "viewer"])
def test_visit_record_out_of_scope_is_not_found_and_writes_nothing(world, clock, username):
    before = counts()
    with pytest.raises(Http404):
        services.visit_record(
            couple=siti(),
            visited_on=D(2026, 1, 5),
            method=method("PIL"),
            kind=VisitKind.START,
            actor=world.user(username),
        )
    assert counts() == before


@pytest.mark.parametrize("username", ["admin", "district", "pkb", "cadre", "cadre_rt"])
def test_visit_record_in_scope_roles_may_record(world, clock, username):
    visit = services.visit_record(
        couple=siti(),
        visited_on=D(2026, 1, 5),
        method=method("PIL"),
        kind=VisitKind.START,
        actor=world.user(username),
    )
    assert visit.due_on == D(2026, 2, 2)


def test_a_switch_is_not_a_new_user(world, clock):
    start(siti(), D(2025, 10, 1), code="PIL", quantity=3)
    start(siti(), D(2025, 12, 1), code="IMPLAN3", kind=VisitKind.SWITCH)
    first, second = Episode.objects.filter(couple=siti()).order_by("started_on")
    assert (first.ended_on, first.end_reason, first.is_new_user) == (D(2025, 12, 1), "switch", True)
    assert (second.is_switch, second.is_new_user, second.next_due_on) == (
        True,
        False,
        D(2028, 11, 30),
    )


def test_a_removal_with_a_reason_closes_the_episode(world, clock):
    start(siti(), D(2025, 10, 1), code="IMPLAN3")
    services.visit_record(
        couple=siti(),
        visited_on=D(2026, 2, 1),
        method=method("IMPLAN3"),
        kind=VisitKind.REMOVAL,
        stop_reason=EndReason.WANTS_CHILD,
        actor=None,
    )
    assert episodes(siti()) == [("IMPLAN3", D(2025, 10, 1), D(2026, 2, 1), "wants_child")]


# --- register hooks (decision 0011) ---


def test_a_recorded_pregnancy_closes_the_open_episode(world, clock):
    start(siti(), D(2026, 1, 5))
    families.pregnancy_record(
        couple=siti(), recorded_on=D(2026, 2, 10), expected_on=None, actor=None
    )
    assert episodes(siti()) == [("SUNTIK3", D(2026, 1, 5), D(2026, 2, 10), "pregnancy")]


def test_a_birth_closes_the_open_episode_and_a_start_after_it_is_a_new_post_partum_user(
    world, clock
):
    couple = siti()
    start(couple, D(2025, 12, 1), code="PIL", quantity=3)
    families.birth_record(
        mother=couple.wife, full_name="Putri", sex=Sex.FEMALE, birth_date=D(2026, 1, 20), actor=None
    )
    assert episodes(couple) == [("PIL", D(2025, 12, 1), D(2026, 1, 20), "pregnancy")]
    start(couple, D(2026, 3, 2), code="IUD")  # day 41 after the birth
    second = Episode.objects.get(couple=couple, method="IUD")
    assert (second.is_new_user, second.is_switch, second.is_postpartum) == (True, False, True)
    assert ServiceVisit.objects.get(method="IUD").is_postpartum is True


def test_a_start_43_days_after_a_birth_is_new_but_not_post_partum(world, clock):
    couple = siti()
    families.birth_record(
        mother=couple.wife, full_name="Putri", sex=Sex.FEMALE, birth_date=D(2026, 1, 18), actor=None
    )
    start(couple, D(2026, 3, 2), code="IUD")
    episode = Episode.objects.get(couple=couple)
    # The world's first child (2015) came before any use: this is still a first-ever use.
    assert (episode.is_new_user, episode.is_postpartum) == (True, False)


def test_a_divorce_closes_the_open_episode(world, clock):
    start(siti(), D(2026, 1, 5))
    families.couple_divorce(couple=siti(), on=D(2026, 2, 1), actor=None)
    assert episodes(siti()) == [("SUNTIK3", D(2026, 1, 5), D(2026, 2, 1), "marriage_ended")]


def test_the_wifes_death_closes_the_open_episode(world, clock):
    start(siti(), D(2026, 1, 5))
    families.person_record_death(person=siti().wife, died_on=D(2026, 2, 3), actor=None)
    assert episodes(siti()) == [("SUNTIK3", D(2026, 1, 5), D(2026, 2, 3), "marriage_ended")]


def test_the_husbands_death_closes_the_open_episode(world, clock):
    start(siti(), D(2026, 1, 5), code="MOW")
    families.person_record_death(
        person=Person.objects.get(full_name="Sutrisno"), died_on=D(2026, 2, 4), actor=None
    )
    assert episodes(siti()) == [("MOW", D(2026, 1, 5), D(2026, 2, 4), "marriage_ended")]


# --- date edges ---


@pytest.mark.parametrize(
    ("started", "due", "drop_out"),
    [
        # pill: 28 days, 7 days' grace; due + grace on 30 November -> 3 months on 28/29 February
        (D(2025, 10, 26), D(2025, 11, 23), D(2026, 2, 28)),
        (D(2023, 10, 26), D(2023, 11, 23), D(2024, 2, 29)),
        # due + grace on 31 October -> 31 January
        (D(2025, 9, 26), D(2025, 10, 24), D(2026, 1, 31)),
    ],
)
def test_drop_out_at_month_ends_and_in_leap_years(world, clock, started, due, drop_out):
    start(siti(), started, code="PIL")
    episode = Episode.objects.get(couple=siti())
    assert (episode.next_due_on, episode.drop_out_on) == (due, drop_out)
    assert engine.drop_out_on(due, 7) == drop_out
    assert (episode.ended_on, episode.end_reason) == (drop_out, "drop_out")
    before = services.couple_status_on(siti(), drop_out - dt.timedelta(days=1))
    assert (before.status, before.overdue) == (engine.Status.USER, True)
    assert services.couple_status_on(siti(), drop_out).status == engine.Status.UNKNOWN


def test_31_january_plus_a_month_is_the_end_of_february():
    from kampungkb.core.periods import add_months

    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)


def test_a_due_date_on_29_february_and_its_grace_period(world, clock):
    clock.set(D(2024, 3, 1))
    visit = start(siti(), D(2023, 12, 7))
    assert visit.due_on == D(2024, 2, 29)
    episode = Episode.objects.get(couple=siti())
    assert episode.overdue_from == D(2024, 3, 15)
    last_grace_day = services.couple_status_on(siti(), D(2024, 3, 14))
    assert last_grace_day == engine.StatusOn(engine.Status.USER, "SUNTIK3", D(2024, 2, 29), False)
    assert last_grace_day.is_active_user
    next_day = services.couple_status_on(siti(), D(2024, 3, 15))
    assert next_day == engine.StatusOn(engine.Status.USER, "SUNTIK3", D(2024, 2, 29), True)
    assert not next_day.is_active_user


def test_a_wife_born_on_29_february_leaves_on_1_march_of_her_fiftieth_year(world, clock):
    couple = CoupleFactory.create(
        wife=WomanFactory.create(birth_date=D(1976, 2, 29)), married_on=D(2000, 1, 1)
    )
    assert services.fiftieth_birthday(D(1976, 2, 29)) == D(2026, 3, 1)
    clock.set(D(2026, 2, 28))
    start(couple, D(2020, 5, 5), code="MOW")
    assert episodes(couple) == [("MOW", D(2020, 5, 5), None, "")]
    assert services.episodes_refresh(as_of=D(2026, 2, 28)) == 0
    assert services.episodes_refresh(as_of=D(2026, 3, 1)) == 1
    assert episodes(couple) == [("MOW", D(2020, 5, 5), D(2026, 3, 1), "age")]
    assert services.couple_status_on(couple, D(2026, 2, 28)).status == engine.Status.USER
    assert services.couple_status_on(couple, D(2026, 3, 1)).status == engine.Status.UNKNOWN


# --- the daily refresh ---


def test_episodes_refresh_closes_drop_outs_and_is_idempotent(world, clock):
    clock.set(D(2026, 1, 5))
    start(siti(), D(2026, 1, 5))
    other = CoupleFactory.create()
    start(other, D(2026, 1, 5), code="MOW")
    assert Episode.objects.filter(ended_on__isnull=True).count() == 2
    assert services.episodes_refresh(as_of=D(2026, 7, 12)) == 0
    assert services.episodes_refresh(as_of=D(2026, 7, 13)) == 1
    assert episodes(siti()) == [("SUNTIK3", D(2026, 1, 5), D(2026, 7, 13), "drop_out")]
    assert episodes(other) == [("MOW", D(2026, 1, 5), None, "")]
    assert services.episodes_refresh(as_of=D(2026, 7, 13)) == 0
    assert services.episodes_refresh(as_of=D(2026, 9, 1)) == 0


# --- one status on every date (hypothesis over visits written to the database) ---

visit_strategy = st.tuples(
    st.dates(D(2024, 1, 1), TODAY),
    st.sampled_from([VisitKind.START, VisitKind.REPEAT, VisitKind.SWITCH, VisitKind.REMOVAL]),
    st.sampled_from(["SUNTIK3", "PIL", "IMPLAN3", "MOW"]),
)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    raw=st.lists(visit_strategy, max_size=6),
    probes=st.lists(st.dates(D(2023, 6, 1), D(2026, 12, 31)), min_size=1, max_size=4),
)
def test_couple_status_on_gives_exactly_one_status_on_every_date(world, clock, raw, probes):
    couple = siti()
    ServiceVisit.objects.filter(couple=couple).delete()
    Episode.objects.filter(couple=couple).delete()
    for on, kind, code in raw:
        ServiceVisitFactory.create(couple=couple, visited_on=on, kind=kind, method=method(code))
    stored = services.episodes_rebuild(couple=couple)
    assert sum(e.ended_on is None for e in stored) <= 1
    for on in probes:
        status = services.couple_status_on(couple, on)
        # The stored rows are as of today; a later date may see a drop-out they do not yet show.
        known = services.episodes_rebuild(couple=couple, as_of=on) if on > TODAY else stored
        covering = [
            e for e in known if e.started_on <= on and (e.ended_on is None or on < e.ended_on)
        ]
        assert len(covering) <= 1
        assert status.status in set(engine.Status)
        assert (status.status == engine.Status.USER) == (len(covering) == 1)
        if covering:
            assert status.method == covering[0].method_id


# --- facilities ---


def facility_arguments(world, **changes):
    arguments = {
        "code": "1002345",
        "name": " Puskesmas Kota Bangun ",
        "kind": "puskesmas",
        "ownership": "government",
        "has_jkn_contract": True,
        "area": world.area(VILLAGE),
    }
    arguments.update(changes)
    return arguments


@pytest.mark.parametrize("username", ["admin", "district", "pkb"])
def test_facility_create_by_officers(world, username):
    facility = services.facility_create(**facility_arguments(world), actor=world.user(username))
    assert (facility.code, facility.name, facility.area_id, facility.is_active) == (
        "1002345",
        "Puskesmas Kota Bangun",
        VILLAGE,
        True,
    )
    event = AuditEvent.objects.get(action="facility.create")
    assert (event.object_id, event.area_code, event.after["code"]) == (
        str(facility.pk),
        VILLAGE,
        "1002345",
    )


@pytest.mark.parametrize("username", ["cadre", "partner", "viewer", "other_district"])
def test_facility_create_refused_to_others_writes_nothing(world, username):
    with pytest.raises(Http404):
        services.facility_create(**facility_arguments(world), actor=world.user(username))
    assert Facility.objects.count() == 0
    assert AuditEvent.objects.filter(action="facility.create").count() == 0


def test_facility_create_refuses_a_duplicate_code(world):
    FacilityFactory.create(code="1002345")
    with pytest.raises(ValidationError) as exc:
        services.facility_create(**facility_arguments(world), actor=world.user("district"))
    assert codes(exc) == {"code": ["contraception.facility_code_duplicate"]}
    assert Facility.objects.count() == 1
    message = exc.value.error_dict["code"][0]
    from kampungkb.core.errors import messages_in_both_languages

    assert messages_in_both_languages(exc.value) == [
        {
            "field": "code",
            "code": "contraception.facility_code_duplicate",
            "message_id": "Kode faskes 1002345 sudah terdaftar.",
            "message_en": "The facility code 1002345 is already registered.",
        }
    ]
    assert message.code == "contraception.facility_code_duplicate"


def test_facility_update_and_deactivate_are_audited(world):
    facility = FacilityFactory.create(code="1002345", name="Pustu Ulu")
    district = world.user("district")
    services.facility_update(
        facility=facility,
        name="Pustu Kota Bangun Ulu",
        kind="clinic",
        ownership="private",
        has_jkn_contract=False,
        area=world.area(KAB),
        actor=district,
    )
    facility.refresh_from_db()
    assert (facility.name, facility.kind, facility.area_id) == (
        "Pustu Kota Bangun Ulu",
        "clinic",
        KAB,
    )
    event = AuditEvent.objects.get(action="facility.update")
    assert event.before == {
        "name": "Pustu Ulu",
        "kind": "puskesmas",
        "ownership": "government",
        "has_jkn_contract": True,
        "area_id": VILLAGE,
    }
    services.facility_deactivate(facility=facility, actor=district)
    assert Facility.objects.get(pk=facility.pk).is_active is False
    event = AuditEvent.objects.get(action="facility.deactivate")
    assert (event.before, event.after) == ({"is_active": True}, {"is_active": False})
    with pytest.raises(ValidationError) as exc:
        services.facility_deactivate(facility=facility, actor=district)
    assert codes(exc) == {"facility": ["contraception.facility_inactive"]}


def test_facility_update_cannot_move_a_facility_out_of_scope(world):
    facility = FacilityFactory.create(name="Pustu Ulu")
    with pytest.raises(Http404):
        services.facility_update(
            facility=facility,
            name="Elsewhere",
            kind="clinic",
            ownership="private",
            has_jkn_contract=False,
            area=world.area(OTHER_VILLAGE),
            actor=world.user("pkb"),
        )
    assert Facility.objects.get(pk=facility.pk).name == "Pustu Ulu"


# --- the method catalogue ---


def test_method_update_by_an_administrator_rebuilds_open_episodes(world, clock):
    start(siti(), D(2026, 1, 5))
    services.method_update(
        method=method("SUNTIK3"), actor=world.user("admin"), grace_days=21, name="Suntik 3 bulan"
    )
    episode = Episode.objects.get(couple=siti())
    assert (episode.overdue_from, episode.drop_out_on) == (D(2026, 4, 21), D(2026, 7, 20))
    event = AuditEvent.objects.get(action="method.update")
    assert (event.before, event.after) == (
        {"grace_days": 14, "name": "Suntik 3 bulanan"},
        {"grace_days": 21, "name": "Suntik 3 bulan"},
    )


@pytest.mark.parametrize("username", ["district", "pkb", "cadre", "partner", "viewer"])
def test_method_update_by_others_is_not_found(world, username):
    with pytest.raises(Http404):
        services.method_update(method=method("PIL"), actor=world.user(username), grace_days=30)
    assert method("PIL").grace_days == 7
    assert AuditEvent.objects.filter(action="method.update").count() == 0


def test_method_update_refuses_an_invalid_catalogue_entry(world):
    with pytest.raises(ValidationError):
        services.method_update(method=method("PIL"), actor=None, days_per_unit=0)
    assert method("PIL").days_per_unit == 28
    with pytest.raises(TypeError):
        services.method_update(method=method("PIL"), actor=None, code="PILL")
    services.method_update(method=method("PIL"), actor=None, cyp_per_unit=Decimal("0.07"))
    assert method("PIL").cyp_per_unit == Decimal("0.07")


# --- follow-ups ---


def test_followup_record_keeps_the_due_date_and_survives_a_rebuild(world, clock):
    start(siti(), D(2025, 12, 1))
    episode = Episode.objects.get(couple=siti())
    cadre = world.user("cadre_rt")
    follow_up = services.followup_record(
        couple=siti(),
        episode=episode,
        done_on=D(2026, 3, 1),
        outcome="refused",
        barrier="husband_objects",
        note=" suami belum setuju ",
        actor=cadre,
    )
    assert (follow_up.due_on, follow_up.note, follow_up.recorded_by) == (
        D(2026, 2, 23),
        "suami belum setuju",
        cadre,
    )
    event = AuditEvent.objects.get(action="followup.record")
    assert (event.object_id, event.area_code) == (str(follow_up.pk), RT)
    start(siti(), D(2026, 3, 2), kind=VisitKind.REPEAT)  # rebuilds the episodes
    follow_up.refresh_from_db()
    assert follow_up.episode == Episode.objects.get(couple=siti())


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"done_on": TODAY + dt.timedelta(days=1)}, "done_on", "follow_up_date_in_future"),
        ({"outcome": "refused", "barrier": ""}, "barrier", "barrier_required"),
        ({"outcome": "visited", "barrier": "cost"}, "barrier", "barrier_not_allowed"),
    ],
)
def test_followup_record_refusals_change_nothing(world, clock, changes, field, code):
    arguments: dict[str, Any] = {
        "couple": siti(),
        "episode": None,
        "done_on": D(2026, 3, 1),
        "outcome": "visited",
    }
    arguments.update(changes)
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.followup_record(**arguments, actor=world.user("cadre"))
    assert codes(exc) == {field: [f"contraception.{code}"]}
    assert counts() == before


def test_followup_record_refuses_an_episode_of_another_couple_and_out_of_scope(world, clock):
    start(baiq(), D(2026, 1, 5))
    other_episode = Episode.objects.get(couple=baiq())
    with pytest.raises(ValidationError) as exc:
        services.followup_record(
            couple=siti(),
            episode=other_episode,
            done_on=D(2026, 3, 1),
            outcome="visited",
            actor=None,
        )
    assert codes(exc) == {"episode": ["contraception.episode_other_couple"]}
    for username in ("other_cadre", "partner", "viewer"):
        with pytest.raises(Http404):
            services.followup_record(
                couple=siti(),
                episode=None,
                done_on=D(2026, 3, 1),
                outcome="moved",
                actor=world.user(username),
            )
    assert FollowUp.objects.count() == 0


def test_followup_died_only_records(world, clock):
    start(siti(), D(2026, 1, 5))
    follow_up = services.followup_record(
        couple=siti(), episode=None, done_on=D(2026, 3, 1), outcome="died", actor=None
    )
    assert (follow_up.outcome, follow_up.due_on) == ("died", None)
    assert siti().wife.died_on is None
    assert episodes(siti()) == [("SUNTIK3", D(2026, 1, 5), None, "")]


def test_a_repeat_visit_keeps_the_episode_row_and_its_id(world, clock):
    couple = siti()
    first = start(couple, D(2025, 10, 6))
    episode_id = first.episode_id
    repeat = start(couple, D(2025, 12, 29), kind=VisitKind.REPEAT, consent_recorded=False)
    assert repeat.episode_id == episode_id
    assert Episode.objects.get(pk=episode_id).next_due_on == D(2026, 3, 23)
    # A switch closes that row in place and opens a new one.
    switch = start(couple, D(2026, 1, 15), code="IMPLAN3", kind=VisitKind.SWITCH)
    assert switch.episode_id != episode_id
    assert Episode.objects.get(pk=episode_id).end_reason == "switch"
