"""Register a Kampung KB, save monthly profiles as versions (one active, history kept), classify
with inputs from the profile, activities, poktan, registers and facts; refusals write nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from kampungkb.core.models import AuditEvent
from kampungkb.kampung import selectors, services
from kampungkb.kampung.models import Classification, ClassificationRules, KampungKb, ProfileVersion
from kampungkb.kampung.services import ProfileData
from kampungkb.kampung.tests.conftest import (
    FULL_PROFILE,
    JULY,
    JUNE,
    MAY,
    Setting,
    kampung_data,
)
from kampungkb.regions.models import Area
from kampungkb.testing.world import OTHER_VILLAGE, RW, VILLAGE, VILLAGE_2, World


def codes(error: ValidationError) -> dict[str, list[str | None]]:
    return {f: [e.code for e in errs] for f, errs in error.error_dict.items()}


# -- Registry -----------------------------------------------------------------------------------


def test_register_keeps_the_data_and_an_audit_event(world: World) -> None:
    rw = Area.objects.get(code=RW)
    kampung = services.kampung_register(
        village=world.area(VILLAGE),
        data=kampung_data(
            rws=[rw],
            latitude=Decimal("-0.27"),
            longitude=Decimal("116.58"),
            criteria=["river_basin", "poor_families", "low_fp"],
        ),
        actor=world.user("district"),
    )
    kampung.refresh_from_db()
    assert kampung.village_id == VILLAGE
    assert [a.code for a in kampung.rws.all()] == [RW]
    # Stored in the list's order, whatever order they came in.
    assert kampung.criteria == ["poor_families", "low_fp", "river_basin"]
    assert kampung.model_flags == ["pilot"]
    event = AuditEvent.objects.get(action="kampung.register")
    assert event.actor == world.user("district")
    assert event.area_code == VILLAGE
    assert event.after["rws"] == [RW]
    assert event.after["person_in_charge"] == "Pak Darmawan"


def test_one_active_kampung_per_village(kampung: KampungKb, world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        services.kampung_register(
            village=world.area(VILLAGE), data=kampung_data(name="Kedua"), actor=None
        )
    assert codes(caught.value) == {"village": ["kampung.already_in_village"]}
    assert KampungKb.objects.count() == 1


def test_a_deactivated_kampung_makes_room_and_cannot_come_back_beside_another(
    kampung: KampungKb, world: World
) -> None:
    services.kampung_update(kampung=kampung, data=kampung_data(), is_active=False, actor=None)
    second = services.kampung_register(
        village=world.area(VILLAGE), data=kampung_data(name="Kedua"), actor=None
    )
    with pytest.raises(ValidationError) as caught:
        services.kampung_update(kampung=kampung, data=kampung_data(), is_active=True, actor=None)
    assert codes(caught.value) == {"village": ["kampung.already_in_village"]}
    kampung.refresh_from_db()
    assert (kampung.is_active, second.is_active) == (False, True)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"declared_on": dt.date(2099, 1, 1)}, {"declared_on": ["kampung.declared_in_future"]}),
        ({"latitude": Decimal("-0.2")}, {"latitude": ["kampung.coordinates_pair"]}),
        (
            {"latitude": Decimal("95"), "longitude": Decimal("200")},
            {
                "latitude": ["kampung.latitude_range"],
                "longitude": ["kampung.longitude_range"],
            },
        ),
        ({"criteria": ["volcano"]}, {"criteria": ["kampung.criterion_unknown"]}),
        ({"model_flags": ["famous"]}, {"model_flags": ["kampung.flag_unknown"]}),
    ],
)
def test_register_refuses_bad_data(world: World, changes: dict[str, Any], expected: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.kampung_register(
            village=world.area(VILLAGE), data=kampung_data(**changes), actor=None
        )
    assert codes(caught.value) == expected
    assert not KampungKb.objects.exists()
    assert not AuditEvent.objects.filter(action="kampung.register").exists()


def test_rw_must_be_of_the_village(world: World) -> None:
    other_rw = Area.objects.get(code=f"{OTHER_VILLAGE}.001")
    with pytest.raises(ValidationError) as caught:
        services.kampung_register(
            village=world.area(VILLAGE), data=kampung_data(rws=[other_rw]), actor=None
        )
    assert codes(caught.value) == {"rws": ["kampung.rw_outside_village"]}


def test_a_kampung_kb_is_in_a_village(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        services.kampung_register(village=world.area("64.02.08"), data=kampung_data(), actor=None)
    assert codes(caught.value) == {"village": ["kampung.village_level"]}


@pytest.mark.parametrize(
    ("username", "village"),
    [("partner", VILLAGE), ("viewer", VILLAGE), ("cadre", VILLAGE_2), ("other_district", VILLAGE)],
)
def test_register_outside_the_editing_scope_is_not_found(
    world: World, username: str, village: str
) -> None:
    with pytest.raises(Http404):
        services.kampung_register(
            village=world.area(village), data=kampung_data(), actor=world.user(username)
        )
    assert not KampungKb.objects.exists()


@pytest.mark.parametrize("username", ["admin", "district", "pkb", "cadre"])
def test_officers_and_the_village_cadre_register(world: World, username: str) -> None:
    kampung = services.kampung_register(
        village=world.area(VILLAGE), data=kampung_data(), actor=world.user(username)
    )
    assert kampung.pk is not None


# -- Profiles -----------------------------------------------------------------------------------


def test_editing_a_month_adds_a_version_and_keeps_the_history(
    setting: Setting, world: World
) -> None:
    kampung = setting.kampung
    cadre = world.user("cadre")
    first = services.profile_save(kampung=kampung, month=JUNE, data=ProfileData(), actor=cadre)
    second = services.profile_save(
        kampung=kampung, month=dt.date(2025, 6, 17), data=FULL_PROFILE, actor=cadre
    )
    first.refresh_from_db()
    assert (first.version, first.is_active) == (1, False)
    assert (second.version, second.is_active, second.month) == (2, True, JUNE)
    assert second.created_by == cadre
    assert second.funding_sources == ["apbd", "dana_desa"]
    assert list(
        ProfileVersion.objects.filter(kampung=kampung).values_list("version", "is_active")
    ) == [(2, True), (1, False)]
    assert AuditEvent.objects.filter(action="kampung.profile_save").count() == 2
    # The month was classified again with the latest version.
    classification = Classification.objects.get(kampung=kampung)
    assert classification.profile == second
    assert classification.inputs["profile_version"] == 2


def test_a_month_without_profile_uses_the_latest_earlier_active_version(
    setting: Setting,
) -> None:
    kampung = setting.kampung
    services.profile_save(kampung=kampung, month=MAY, data=FULL_PROFILE, actor=None)
    in_force = selectors.profile_in_force(kampung=kampung, month=JULY)
    assert in_force.profile is not None
    assert (in_force.profile.month, in_force.is_own) == (MAY, False)
    assert selectors.profile_in_force(kampung=kampung, month=MAY).is_own
    assert selectors.profile_in_force(kampung=kampung, month=dt.date(2025, 4, 1)).profile is None


def test_saving_a_profile_reclassifies_the_later_months_that_read_it(setting: Setting) -> None:
    kampung = setting.kampung
    services.profile_save(kampung=kampung, month=MAY, data=ProfileData(), actor=None)
    services.classification_compute(kampung=kampung, month=JUNE)
    services.classification_compute(kampung=kampung, month=JULY)
    services.profile_save(kampung=kampung, month=JULY, data=ProfileData(), actor=None)
    # May's second version: May and June are classified again, July has its own profile.
    services.profile_save(kampung=kampung, month=MAY, data=FULL_PROFILE, actor=None)
    rows = Classification.objects.filter(kampung=kampung).order_by("month")
    assert [(c.month, c.inputs["profile_month"], c.inputs["profile_version"]) for c in rows] == [
        (MAY, "2025-05", 2),
        (JUNE, "2025-05", 2),
        (JULY, "2025-07", 1),
    ]


@pytest.mark.parametrize(
    ("month", "data", "expected"),
    [
        (
            JUNE,
            ProfileData(pokja_exists=False, pokja_members=5),
            {"pokja_exists": ["kampung.pokja_details_without_pokja"]},
        ),
        (
            JUNE,
            ProfileData(funding_sources=["lottery"]),
            {"funding_sources": ["kampung.funding_unknown"]},
        ),
        (
            JUNE,
            ProfileData(data_sources=["gossip"]),
            {"data_sources": ["kampung.data_source_unknown"]},
        ),
        (dt.date(2023, 12, 1), ProfileData(), {"month": ["kampung.month_before_declaration"]}),
        (dt.date(2099, 1, 1), ProfileData(), {"month": ["kampung.month_in_future"]}),
    ],
)
def test_a_refused_profile_writes_nothing(
    setting: Setting, month: dt.date, data: ProfileData, expected: Any
) -> None:
    kampung = setting.kampung
    first = services.profile_save(kampung=kampung, month=JUNE, data=FULL_PROFILE, actor=None)
    before = Classification.objects.get(kampung=kampung)
    with pytest.raises(ValidationError) as caught:
        services.profile_save(kampung=kampung, month=month, data=data, actor=None)
    assert codes(caught.value) == expected
    assert list(ProfileVersion.objects.values_list("pk", "is_active")) == [(first.pk, True)]
    after = Classification.objects.get(kampung=kampung)
    assert (after.pk, after.scores, after.computed_at) == (
        before.pk,
        before.scores,
        before.computed_at,
    )


def test_the_pkb_assigned_must_serve_the_village(setting: Setting, world: World) -> None:
    kampung = setting.kampung
    pkb = world.user("pkb")
    profile = services.profile_save(
        kampung=kampung, month=JUNE, data=ProfileData(pkb_id=pkb.pk), actor=None
    )
    assert profile.pkb == pkb
    with pytest.raises(ValidationError) as caught:
        services.profile_save(
            kampung=kampung,
            month=JUNE,
            data=ProfileData(pkb_id=world.user("district").pk),
            actor=None,
        )
    assert codes(caught.value) == {"pkb": ["kampung.pkb_not_officer"]}
    assert ProfileVersion.objects.get(is_active=True) == profile


def test_an_inactive_kampung_takes_no_profile(setting: Setting) -> None:
    kampung = setting.kampung
    services.kampung_update(kampung=kampung, data=kampung_data(), is_active=False, actor=None)
    kampung.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        services.profile_save(kampung=kampung, month=JUNE, data=ProfileData(), actor=None)
    assert caught.value.code == "kampung.not_active"
    assert not ProfileVersion.objects.exists()


@pytest.mark.parametrize("username", ["partner", "viewer", "other_cadre", "cadre_rt"])
def test_profile_outside_the_editing_scope_is_not_found(
    setting: Setting, world: World, username: str
) -> None:
    with pytest.raises(Http404):
        services.profile_save(
            kampung=setting.kampung, month=JUNE, data=FULL_PROFILE, actor=world.user(username)
        )
    assert not ProfileVersion.objects.exists()
    assert not Classification.objects.exists()


# -- Classification inputs ----------------------------------------------------------------------


def test_classification_reads_every_source(setting: Setting) -> None:
    """Input 4,3,2,2,3 = 2.80; process 3,2,2 = 2.33; output 4,4,4,3 = 3.75: one index reached,
    Dasar."""
    services.profile_save(kampung=setting.kampung, month=JUNE, data=FULL_PROFILE, actor=None)
    c = Classification.objects.get(kampung=setting.kampung, month=JUNE)
    assert c.rules.version == 1
    assert (c.input_index, c.process_index, c.output_index) == (
        Decimal("2.80"),
        Decimal("2.33"),
        Decimal("3.75"),
    )
    assert c.klass == "dasar"
    assert {k: v["score"] for k, v in c.scores.items()} == {
        "pokja": 4,
        "funding": 3,
        "poktan": 2,
        "facilities": 2,
        "pkb_regulation": 3,
        "data_sources": 3,
        "management": 2,
        "partners": 2,
        "participation": 4,
        "cpr": 4,
        "mkjp": 4,
        "unmet_need": 3,
    }
    inputs = c.inputs
    # The BKL established in August is not present in June.
    assert inputs["poktan_kinds"] == ["bkb", "bkr"]
    # January to June 2025 in the village and its RW: not 2024's, not July's, not counselling.
    assert inputs["management_kinds"] == ["monitoring", "planning_meeting"]
    assert inputs["partners"] == ["PKK Kota Bangun Ulu"]
    # Families Sutrisno (Rizky is 10) and Rahmawati; Siti Aminah is in the BKR.
    assert inputs["participation"] == {
        "bkb": [0, 0],
        "bkr": [1, 1],
        "bkl": [0, 0],
        "uppka": [0, 2],
        "pikr": [0, 1],
    }
    assert c.scores["participation"]["value"] == 33
    assert (inputs["cpr"], inputs["mkjp"], inputs["unmet_need"]) == ("60", "25", "8")


def test_without_profile_or_facts_everything_profile_based_scores_1(kampung: KampungKb) -> None:
    c = services.classification_compute(kampung=kampung, month=JUNE)
    assert c.profile is None
    assert all(v["score"] == 1 for v in c.scores.values())
    assert c.klass == "dasar"
    assert (c.input_index, c.process_index, c.output_index) == (
        Decimal("1.00"),
        Decimal("1.00"),
        Decimal("1.00"),
    )


def test_the_rules_valid_in_the_month_are_used_and_recorded(setting: Setting) -> None:
    bands = dict(ClassificationRules.objects.get(version=1).bands)
    bands["cpr"] = {"direction": "up", "thresholds": [70, 80, 90]}
    rules = ClassificationRules.objects.create(version=2, valid_from=JULY, bands=bands)
    june = services.classification_compute(kampung=setting.kampung, month=JUNE)
    from kampungkb.kampung.tests.conftest import add_fact

    add_fact("CPR", JULY, "60", "100")
    july = services.classification_compute(kampung=setting.kampung, month=JULY)
    assert (june.rules.version, june.scores["cpr"]["score"]) == (1, 4)
    assert (july.rules, july.scores["cpr"]["score"], july.scores["cpr"]["next"]) == (rules, 1, 70)


def test_no_rules_before_the_first_version(kampung: KampungKb) -> None:
    with pytest.raises(ValidationError) as caught:
        services.classification_compute(kampung=kampung, month=dt.date(2015, 6, 1))
    assert caught.value.code == "kampung.no_rules"
    assert not Classification.objects.exists()


def test_participation_counts_are_one_query_each(
    setting: Setting, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):
        counts = selectors.register_counts(village_code=VILLAGE, month=JUNE)
    assert counts == selectors.RegisterCounts(
        families=2, with_toddlers=0, with_teenagers=1, with_elderly=0, teenagers=1
    )
    with django_assert_num_queries(1):
        assert selectors.poktan_member_counts(village_code=VILLAGE, month=JUNE) == {"bkr": 1}
    # Before Siti Aminah joined: no member.
    assert selectors.poktan_member_counts(village_code=VILLAGE, month=MAY) == {}


def test_classify_area_classifies_the_active_kampung_declared_by_then(
    setting: Setting, world: World
) -> None:
    other = services.kampung_register(
        village=world.area(OTHER_VILLAGE),
        data=kampung_data(name="Kampung KB Tumbuh Mulia", declared_on=dt.date(2025, 7, 10)),
        actor=None,
    )
    assert services.classify_area(month=JUNE) == 1
    assert services.classify_area(month=JULY, area_code="52.03") == 1
    assert list(Classification.objects.values_list("kampung_id", "month").order_by("month")) == [
        (setting.kampung.pk, JUNE),
        (other.pk, JULY),
    ]
