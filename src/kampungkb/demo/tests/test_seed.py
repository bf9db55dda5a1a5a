"""`kampungkb seed demo` on the test world's database (provinces 64 and 52 loaded)."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from kampungkb.accounts.models import Role, RoleAssignment, User
from kampungkb.contraception.models import FollowUp
from kampungkb.core.models import AuditEvent
from kampungkb.demo.population import KECAMATAN, Village, generate
from kampungkb.demo.selectors import DEMO_PASSWORD, SEED_ACTION, demo_seed_info
from kampungkb.demo.services import (
    DEMO_CENTRES,
    DEMO_USERS,
    demo_coordinates,
    demo_reset,
    demo_seed,
)
from kampungkb.families.models import (
    Couple,
    CoupleStatus,
    Family,
    Person,
    Pregnancy,
    PregnancyOutcome,
)
from kampungkb.families.validators import validate_kk, validate_nik
from kampungkb.indicators.fill import fill
from kampungkb.indicators.models import DirtyMark, Fact, Target, TargetKind
from kampungkb.indicators.registry import Code
from kampungkb.regions.models import Area, Level
from kampungkb.stunting.growth_selectors import under_five_q
from kampungkb.stunting.models import ChildMeasurement
from kampungkb.testing.world import VILLAGE

TODAY = dt.date(2025, 6, 30)
ARGS = ("--families", "60", "--seed", "7", "--on", TODAY.isoformat(), "--no-progress")
WORLD_FAMILIES = 3


def seed(*extra: str) -> str:
    out = StringIO()
    call_command("seed", "demo", *ARGS, *extra, stdout=out, stderr=StringIO())
    return out.getvalue()


def demo_persons():
    return Person.objects.exclude(family__in=world_families())


def world_families():
    return Family.objects.filter(
        kk_number__in=["6402081203150001", "5203131005100002"]
    ) | Family.objects.filter(head__full_name="Rahmawati")


def rows() -> list[tuple]:
    """The demo rows as values (no ids or timestamps), in insertion order."""
    return list(
        demo_persons()
        .order_by("pk")
        .values_list(
            "nik",
            "full_name",
            "sex",
            "birth_date",
            "relation_to_head",
            "marital_status",
            "family__kk_number",
            "family__area_id",
            "mother__nik",
        )
    )


def test_seed_writes_the_population_in_every_village(world):
    audit_before = AuditEvent.objects.exclude(action="area.add_local").count()
    output = seed()
    info = demo_seed_info()
    assert info is not None and info.seed == 7 and info.today == TODAY
    assert Family.objects.count() == WORLD_FAMILIES + 60 == WORLD_FAMILIES + info.counts["families"]
    assert demo_persons().count() == info.counts["persons"]
    assert Couple.objects.count() == 2 + info.counts["couples"]
    villages = Area.objects.filter(parent_id__in=list(KECAMATAN), level=Level.VILLAGE)
    assert villages.count() == 38
    demo_areas = set(
        Family.objects.exclude(pk__in=world_families()).values_list("area_id", flat=True)
    )
    assert {code[:13] for code in demo_areas} == set(villages.values_list("code", flat=True))
    assert {Area.objects.get(code=code).level for code in demo_areas} == {Level.NEIGHBOURHOOD}
    assert info.counts["villages"] == 38
    # One audit event for the whole seed (and one per demo user made through the service), and
    # those of the programme rows written through their services: three Kampung KB with three
    # profiles each, the cadres, a training's curriculum and tests, the cadre meetings, and the
    # incentive cycle (the rule, home visits and their checks, a new user's visit, proposals).
    created_users = sum(1 for login in info.logins if login.created)
    programme = AuditEvent.objects.filter(
        action__in=[
            "kampung.register",
            "kampung.profile_save",
            "cadre.register",
            "training.topics",
            "knowledge_test.record",
            "meeting.open",
            "meeting.carry_over",
            "activity.create",
            "activity.attendance",
            "action_item.add",
            "action_item.close",
            "incentive_rule.create",
            "followup.record",
            "followup.verify",
            "followup.reject",
            "visit.record",
            "incentive.compute",
            "incentive.propose",
            "incentive.approve",
            "incentive.line_pay",
            "incentive.pay",
            "survey.create",
            "survey.answer",
            "note.create",
            "tpk_team.create",
            "tpk_assignment.create",
            "tpk_assignment.end",
            "tpk_visit.record",
        ]
    )
    assert programme.filter(action="kampung.register").count() == 3
    assert programme.filter(action="kampung.profile_save").count() == 9
    # The cadre's home visits and referral (the incentive cycle) and the refusals with their
    # barriers recorded by the officers (demo/barriers.py).
    recorded = programme.filter(action="followup.record")
    assert recorded.count() == FollowUp.objects.count() == 2 + 6
    refused = FollowUp.objects.filter(outcome="refused").exclude(barrier="")
    assert refused.filter(couple__wife__family__area__code__startswith="64.02.").count() == 2
    assert refused.filter(couple__wife__family__area__code__startswith="52.03.").count() == 4
    assert AuditEvent.objects.exclude(action="area.add_local").count() == (
        audit_before + 1 + created_users + programme.count()
    )
    assert AuditEvent.objects.filter(action=SEED_ACTION).count() == 1
    assert "Keluarga / families" in output and "60" in output


HOUSE_FIELDS = (
    "water_source",
    "latrine",
    "has_septic_tank",
    "floor_area",
    "floor_material",
    "wall_material",
    "roof_material",
    "housing_recorded_on",
)


def test_seed_writes_each_familys_house_as_generated(world):
    seed()
    demo_families = Family.objects.exclude(pk__in=world_families()).order_by("pk")
    written = list(demo_families.values_list("area_id", *HOUSE_FIELDS))
    villages = [
        Village(code, name, kind)
        for code, name, kind in Area.objects.filter(
            parent_id__in=list(KECAMATAN), level=Level.VILLAGE
        ).values_list("code", "name", "kind")
    ]
    population = generate(villages=villages, families=60, seed=7, today=TODAY)
    assert written == [
        (
            f.area_code,
            h.water_source,
            h.latrine,
            h.has_septic_tank,
            h.floor_area,
            h.floor_material,
            h.wall_material,
            h.roof_material,
            h.recorded_on,
        )
        for f, h in zip(population.families, population.houses, strict=True)
    ]
    # The world's own families were not given a house.
    assert set(world_families().values_list("housing_recorded_on", flat=True)) == {None}


def test_every_nik_and_kk_in_the_database_is_valid_and_unique(world):
    seed()
    niks = list(demo_persons().exclude(nik=None).values_list("nik", "birth_date", "sex"))
    for nik, birth_date, sex in niks:
        validate_nik(nik, birth_date=birth_date, sex=sex)
    all_niks = list(Person.objects.exclude(nik=None).values_list("nik", flat=True))
    assert len(all_niks) == len(set(all_niks))
    without = demo_persons().filter(nik=None).count()
    assert without == demo_seed_info().counts["persons_without_nik"]  # type: ignore[union-attr]
    assert 0 < without < 0.1 * demo_persons().count()
    kks = [kk for kk in Family.objects.values_list("kk_number", flat=True) if kk is not None]
    assert len(kks) == len(set(kks))
    for kk in kks:
        validate_kk(kk)


def test_pus_and_pregnancies_in_the_database_match_the_summary(world):
    seed()
    info = demo_seed_info()
    assert info is not None
    demo_couples = Couple.objects.filter(wife__in=demo_persons()).select_related("wife")
    pus = [c for c in demo_couples if c.is_pus_on(TODAY)]
    assert len(pus) == info.counts["pus"] > 0
    ongoing = Pregnancy.objects.filter(couple__in=demo_couples, ended_on=None)
    assert ongoing.count() == info.counts["pregnancies"]
    assert not ongoing.exclude(couple__status=CoupleStatus.MARRIED).exists()
    births = Pregnancy.objects.filter(couple__in=demo_couples, outcome=PregnancyOutcome.LIVE_BIRTH)
    assert births.exists()
    # Every family has its head among its members.
    assert not Family.objects.filter(head=None).exists()
    for family in Family.objects.select_related("head"):
        assert family.head is not None and family.head.family_id == family.pk


def test_second_run_is_refused_in_both_languages_and_changes_nothing(world):
    seed()
    before = (Family.objects.count(), Person.objects.count(), AuditEvent.objects.count())
    with pytest.raises(CommandError) as refused:
        seed()
    message = str(refused.value)
    assert "sudah berisi data demo" in message and "already holds demo data" in message
    assert "--reset" in message
    assert (Family.objects.count(), Person.objects.count(), AuditEvent.objects.count()) == before
    # What `make demo` runs on its second start: a no-op that succeeds.
    assert "not seeded again" in seed("--if-absent")
    assert (Family.objects.count(), Person.objects.count(), AuditEvent.objects.count()) == before


def test_reset_removes_only_demo_data_and_seeds_the_same_rows_again(world):
    seed()
    first = rows()
    demo_user_ids = set(
        User.objects.filter(username__in=["dinas", "kader"]).values_list("pk", flat=True)
    )
    seed("--reset")
    assert rows() == first
    assert Family.objects.count() == WORLD_FAMILIES + 60
    assert AuditEvent.objects.filter(action=SEED_ACTION).count() == 1
    # The world's own families, users and couples are untouched.
    assert world_families().count() == WORLD_FAMILIES
    assert world.family.head.full_name == "Sutrisno"
    assert User.objects.filter(username__in=["admin", "pkb", "district", "cadre"]).count() == 4
    assert world.user("admin").check_password(world.password)
    # The demo users were removed and made again.
    again = set(User.objects.filter(username__in=["dinas", "kader"]).values_list("pk", flat=True))
    assert len(again) == 2 and again.isdisjoint(demo_user_ids)
    assert (
        not AuditEvent.objects.filter(object_id__in=[str(i) for i in demo_user_ids])
        .filter(object_type="accounts.user")
        .exists()
    )


def test_reset_removes_audit_events_about_demo_rows_and_by_demo_users(world):
    seed()
    person = demo_persons().first()
    assert person is not None
    kader = User.objects.get(username="kader")
    AuditEvent.objects.create(
        actor=kader, action="person.update", object_type="families.person", object_id=person.pk
    )
    seed("--reset")
    assert not AuditEvent.objects.filter(
        object_type="families.person", object_id=person.pk
    ).exists()
    assert not AuditEvent.objects.filter(action="person.update").exists()


def test_a_different_seed_gives_a_different_population(world):
    seed()
    first = rows()
    call_command(
        "seed", "demo", *ARGS, "--seed", "8", "--reset", stdout=StringIO(), stderr=StringIO()
    )
    assert rows() != first
    assert demo_seed_info().seed == 8  # type: ignore[union-attr]


EXPECTED_ASSIGNMENTS = {
    "admin": {(Role.ADMIN, None)},
    "dinas": {(Role.DISTRICT_OFFICER, "52.03")},
    "dinas_kukar": {(Role.DISTRICT_OFFICER, "64.02")},
    "pkb": {
        (Role.PKB_OFFICER, "52.03.13.2005"),
        (Role.PKB_OFFICER, "52.03.13.2006"),
        (Role.PKB_OFFICER, "52.03.13.2007"),
        (Role.PKB_OFFICER, "52.03.13.2008"),
    },
    "kader": {(Role.CADRE, "52.03.13.2007")},
    "mitra": {(Role.PARTNER, "52.03")},
    "peneliti": {(Role.VIEWER, None)},
}


def test_demo_users_have_their_roles_and_areas(world):
    # Free the names the world uses, so that every demo user is created.
    User.objects.filter(username="admin").update(username="world_admin")
    User.objects.filter(username="pkb").update(username="world_pkb")
    output = seed()
    assert [u.username for u in DEMO_USERS] == list(EXPECTED_ASSIGNMENTS)
    for username, expected in EXPECTED_ASSIGNMENTS.items():
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD)
        got = set(RoleAssignment.objects.filter(user=user).values_list("role", "area_id"))
        assert got == expected, username
        assert f"{username} " in output
    assert User.objects.get(username="admin").is_superuser
    assert not User.objects.get(username="dinas").is_superuser
    assert output.count(DEMO_PASSWORD) == 7


def test_existing_users_with_demo_names_are_left_alone(world):
    output = seed()
    info = demo_seed_info()
    assert info is not None
    created = {login.username: login.created for login in info.logins}
    assert created == {
        "admin": False,
        "dinas": True,
        "dinas_kukar": True,
        "pkb": False,
        "kader": True,
        "mitra": True,
        "peneliti": True,
    }
    assert world.user("admin").check_password(world.password)
    pkb = world.user("pkb")
    assert set(pkb.assignments.values_list("area_id", flat=True)) == {
        "64.02.08.2005",
        "64.02.08.2006",
    }
    assert output.count("(tidak diubah / unchanged)") == 2
    # `seed logins` prints the same table again (demo.sh shows it before starting the server).
    logins = StringIO()
    call_command("seed", "logins", stdout=logins)
    lines = logins.getvalue().splitlines()
    assert any(line.split()[:2] == ["kader", DEMO_PASSWORD] for line in lines if line.strip())
    assert any("Tumbuh Mulia (52.03.13.2007)" in line for line in lines)


def test_logins_command_without_demo_data_says_how_to_seed(world):
    with pytest.raises(CommandError, match="seed demo"):
        call_command("seed", "logins", stdout=StringIO())


def test_families_out_of_range_are_refused(world):
    with pytest.raises(CommandError, match="antara 1 dan"):
        call_command("seed", "demo", "--families", "0", stdout=StringIO(), stderr=StringIO())
    assert demo_seed_info() is None
    assert Family.objects.count() == WORLD_FAMILIES


def local_areas():
    under = r"^(64\.02\.08|52\.03\.07|52\.03\.13)\."
    return Area.objects.filter(level__gte=Level.HAMLET, code__regex=under)


def test_seed_adds_rw_and_rt_and_reuses_those_that_exist(world):
    before = set(local_areas().values_list("code", flat=True))
    assert before == {
        "64.02.08.2005.001",
        "64.02.08.2005.001.001",
        "64.02.08.2005.001.002",
        "52.03.13.2007.001",
        "52.03.13.2007.001.001",
    }
    result = demo_seed(families=60, seed=7, today=TODAY)
    after = local_areas()
    assert result.local_areas_created == after.count() - len(before)
    rws = after.filter(level=Level.HAMLET)
    rts = after.filter(level=Level.NEIGHBOURHOOD)
    assert 38 * 2 <= rws.count() <= 38 * 5
    assert 2 * rws.count() <= rts.count() <= 4 * rws.count()
    assert set(rws.values_list("parent_id", flat=True)) == set(
        Area.objects.filter(parent_id__in=list(KECAMATAN)).values_list("code", flat=True)
    )
    assert AuditEvent.objects.filter(action="area.add_local").count() >= result.local_areas_created


def test_reset_keeps_records_outside_the_demo_that_point_at_demo_persons(world):
    seed()
    demo_woman = demo_persons().filter(sex="F").order_by("pk").first()
    assert demo_woman is not None
    Person.objects.filter(full_name="Rizky Pratama").update(mother=demo_woman)
    seed("--reset")
    child = Person.objects.get(full_name="Rizky Pratama")
    assert child.mother is None
    assert child.father is not None and child.father.full_name == "Sutrisno"


def test_a_reference_date_in_the_future_is_refused(world):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        demo_seed(families=5, seed=1, today=tomorrow)
    assert refused.value.code == "demo.date_in_future"
    assert demo_seed_info() is None
    assert Family.objects.count() == WORLD_FAMILIES


def test_seed_without_the_regions_says_how_to_load_them(world):
    Area.objects.filter(parent_id="52.03.07").delete()  # Selong's villages, unused by the world
    with pytest.raises(CommandError) as refused:
        seed()
    message = str(refused.value)
    assert "52.03.07" in message and "kampungkb regions load" in message
    assert "belum dimuat" in message and "not loaded" in message
    assert demo_seed_info() is None
    assert Family.objects.count() == WORLD_FAMILIES


def test_seed_gives_the_demo_villages_synthetic_coordinates(world):
    kept = Area.objects.get(code="64.02.08.2005")
    Area.objects.filter(code=kept.code).update(latitude="-0.250000", longitude="116.600000")
    seed()
    villages = Area.objects.filter(parent_id__in=list(KECAMATAN), level=Level.VILLAGE)
    assert villages.filter(latitude=None).count() == 0
    located = villages.order_by("code").values_list("code", "parent_id", "latitude", "longitude")
    codes: dict[str, list[str]] = {}
    for code, parent, _, _ in located:
        codes.setdefault(parent, []).append(code)
    for code, parent, latitude, longitude in located:
        if code == kept.code:
            assert (str(latitude), str(longitude)) == ("-0.250000", "116.600000")
            continue
        centre_latitude, centre_longitude, spread = DEMO_CENTRES[parent]
        assert latitude is not None and longitude is not None
        assert abs(float(latitude) - centre_latitude) <= spread
        assert abs(float(longitude) - centre_longitude) <= spread
        index = codes[parent].index(code)
        assert (latitude, longitude) == demo_coordinates(index, len(codes[parent]), parent)
    assert len({(lat, lng) for _, _, lat, lng in located}) == len(located)


def test_seed_marks_every_demo_village_so_a_fill_computes_its_facts(world):
    seed()
    villages = set(
        Area.objects.filter(parent_id__in=list(KECAMATAN), level=Level.VILLAGE).values_list(
            "code", flat=True
        )
    )
    marked = set(DirtyMark.objects.filter(level=Level.VILLAGE).values_list("area_code", flat=True))
    assert villages <= marked
    fill()
    assert not DirtyMark.objects.exists()
    month = timezone.localdate().replace(day=1)
    pus = Fact.objects.filter(
        indicator=Code.PUS, area_code__in=villages, period=month, subgroup=""
    ).values_list("numerator", flat=True)
    assert len(pus) == 38
    # The kecamatan's PUS are their villages' PUS.
    kecamatan = Fact.objects.filter(
        indicator=Code.PUS, area_code__in=list(KECAMATAN), period=month, subgroup=""
    ).values_list("numerator", flat=True)
    assert sum(kecamatan) == sum(pus)


def test_seed_accompanies_brides_to_be_and_the_fill_counts_them(world):
    from kampungkb.cadres.models import TpkAssignment, TpkVisit
    from kampungkb.cadres.tpk_selectors import tpk_coverage

    seed()
    brides = TpkAssignment.objects.filter(kind="bride").select_related("bride")
    assert brides.exists()
    assert [a.started_on for a in brides] == [
        a.bride.registered_on for a in brides if a.bride is not None
    ]
    assert TpkVisit.objects.filter(assignment__kind="bride").exists()
    fill()
    month = TODAY.replace(day=1)
    for village in sorted({a.team.village_id for a in brides.select_related("team")}):
        fact = Fact.objects.get(
            indicator=Code.TPK_BRIDE_ACCOMPANIED, area_code=village, period=month, subgroup=""
        )
        c = tpk_coverage(village, month)
        assert (fact.numerator, fact.denominator) == (c.brides_visited, c.brides)
        assert c.brides > 0


def test_seed_sets_targets_for_its_villages_and_reset_removes_only_those(world):
    kept = Target.objects.create(area_id=VILLAGE, year=TODAY.year, kind=TargetKind.PA, value=5)
    seed()
    villages = Area.objects.filter(parent_id__in=list(KECAMATAN), level=Level.VILLAGE)
    made = Target.objects.filter(area__in=villages, year=TODAY.year).exclude(pk=kept.pk)
    values = {(t.area_id, t.kind): t.value for t in made}
    areas = {area for area, _ in values}
    # Both targets for every village with PUS, except the one entered before, which stays.
    assert len(areas) > 10
    assert set(values) == {(a, k) for a in areas for k in TargetKind} - {(VILLAGE, TargetKind.PA)}
    assert Target.objects.get(pk=kept.pk).value == 5
    assert all(values[(a, TargetKind.PB)] <= values[(a, TargetKind.PA)] for a in areas - {VILLAGE})
    demo_reset()
    assert list(Target.objects.filter(area__in=villages).values_list("pk", flat=True)) == [kept.pk]


def test_seed_measures_the_children_under_5_and_reset_removes_them(world):
    seed()
    children = demo_persons().filter(under_five_q(TODAY))
    measured = ChildMeasurement.objects.filter(child__in=children)
    per_child = {c.pk: c.measurements.count() for c in children}
    assert set(per_child.values()) <= set(range(1, 7))
    assert ChildMeasurement.objects.count() == measured.count() == sum(per_child.values())
    assert {m.measured_on <= TODAY for m in measured} == {True}
    last = {m.child_id: m for m in measured.order_by("measured_on")}
    stunted = [m for m in last.values() if m.haz is not None and not m.haz_flagged and m.haz < -2]
    # 21 children under 5, 5 of them stunted at their last weighing (24 %), 65 measurements.
    assert (len(last), len(stunted), measured.count()) == (21, 5, 65)
    seed("--reset")
    assert ChildMeasurement.objects.count() == measured.count()
    demo_reset()
    assert ChildMeasurement.objects.count() == 0
