"""The participation index of Kota Bangun Ulu for June 2025, computed by hand (decision 0035).

The quarter is April-June 2025, the year July 2024-June 2025. The village holds the world's two
families (Sutrisno with Siti Aminah, a PUS; Rahmawati) and three more couples, W1-W3, in RT 001:
5 active families, 4 PUS.

- Episodes: W1 starts an injectable on 1 June (after being reached); W2's pill from 15 January
  drops out on 20 May; W3's injectable runs since October 2024. On 30 June W1 and W3 use a
  modern method: mCPR 2/4.
- Intention: only W2 has one recorded (delay): 1/4.
- Activities held: a counselling on 10 May (APBD Rp1,000,000; named W1's wife and husband and
  Siti Aminah, counted 2 men and 3 women: 8 attendances, 3 men); a BKB session on 5 June
  (self-funded Rp200,000, W2's wife and Sutrisno attend, W3's wife gives Rp50,000, a partner
  Rp300,000); a men's forum on 20 March (Dana Desa Rp500,000, W3's husband); a planned
  activity on 20 June (Rp9,999,999) that does not count.
- Poktan BKB: W1's and W2's wives members since January, Siti Aminah left on 31 May; W2's wife
  attended the June session: 1 of 2.
- Cadres: W1's wife (since 2024, attended the counselling: active), W2's husband (account
  "cadre", recorded a follow-up on 12 June: active), Rahmawati (since February, nothing: not
  active), W3's husband (ended 15 June: not serving). 2 of 3 active; 3 serving per 5 families.
- Follow-ups of a due date in the quarter: W1 due 1 May done 10 May (on time, visited), W2 due
  1 April done 12 June (late, refused), Siti Aminah due 1 June done 14 June (on time, referred).
- Reached while not using: W1 (visit and counselling on 10 May; began a method 22 days later)
  and Siti Aminah (counselling 10 May, referral 14 June; no method): 1 of 2 accepted.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kampungkb.accounts.models import User
from kampungkb.activities.models import (
    Activity,
    ActivityKind,
    ActivityPartner,
    ActivityStatus,
    Attendance,
    AttendanceCount,
    Contribution,
    FamilyFunction,
    PartnerContribution,
    Poktan,
    PoktanKind,
    PoktanMember,
)
from kampungkb.cadres.models import Cadre, CadreRole
from kampungkb.contraception.models import EndReason, Episode, FollowUp
from kampungkb.families.models import Couple, Person, Relation, Sex
from kampungkb.families.services import couple_register, family_register, person_add
from kampungkb.indicators import fill as engine
from kampungkb.indicators.models import DirtyMark, Fact
from kampungkb.participation.dimensions import Dimension
from kampungkb.participation.index import Level, compute
from kampungkb.partners.models import Partner, PartnerKind
from kampungkb.regions.models import Area
from kampungkb.testing.world import KEC, RT, VILLAGE, World, person

D = dt.date
JUNE = D(2025, 6, 1)


def _couple(n: int) -> Couple:
    family = family_register(
        area=Area.objects.get(code=RT),
        kk_number=None,
        address=f"Jl. Uji {n}",
        head=person(f"Suami {n}", Sex.MALE, D(1990, 1, n), Relation.HEAD, 60 + n),
        actor=None,
    )
    wife = person_add(
        family=family,
        data=person(f"Istri {n}", Sex.FEMALE, D(1995, 1, n), Relation.WIFE, 70 + n),
        actor=None,
    )
    return couple_register(wife=wife, husband=family.head, married_on=D(2015, 1, 1), actor=None)


def _husband(couple: Couple) -> Person:
    assert couple.husband is not None
    return couple.husband


def _episode(couple: Couple, method: str, started: dt.date, **kw: object) -> None:
    Episode.objects.create(
        couple=couple,
        method_id=method,
        started_on=started,
        is_new_user=True,
        is_switch=False,
        is_postpartum=False,
        **kw,
    )


def _activity(kind: str, day: dt.date, **kw: object) -> Activity:
    return Activity.objects.create(
        kind=kind,
        title=f"{kind} {day}",
        held_on=day,
        area=Area.objects.get(code=RT),
        family_function=FamilyFunction.REPRODUCTION,
        organiser="PKB",
        **kw,
    )


def _follow_up(couple: Couple, due: dt.date, done: dt.date, outcome: str, by: User | None) -> None:
    FollowUp.objects.create(
        couple=couple,
        due_on=due,
        done_on=done,
        outcome=outcome,
        barrier="side_effects" if outcome == "refused" else "",
        recorded_by=by,
    )


@pytest.fixture
def kota_bangun_ulu(world: World) -> None:
    w1, w2, w3 = _couple(1), _couple(2), _couple(3)
    siti = Couple.objects.get(wife__family=world.family)
    sutrisno = _husband(siti)
    _episode(w1, "SUNTIK3", D(2025, 6, 1))
    _episode(w2, "PIL", D(2025, 1, 15), ended_on=D(2025, 5, 20), end_reason=EndReason.DROP_OUT)
    _episode(w3, "SUNTIK3", D(2024, 10, 1))
    Couple.objects.filter(pk=w2.pk).update(
        fertility_intention="delay", intention_recorded_on=D(2025, 3, 1)
    )

    counselling = _activity(
        ActivityKind.COUNSELLING, D(2025, 5, 10), funding_source="apbd", funding_amount=1_000_000
    )
    for someone in (w1.wife, _husband(w1), siti.wife):
        Attendance.objects.create(activity=counselling, person=someone)
    AttendanceCount.objects.create(activity=counselling, sex="M", age_group="25-49", count=2)
    AttendanceCount.objects.create(activity=counselling, sex="F", age_group="25-49", count=3)
    bkb = Poktan.objects.create(
        kind=PoktanKind.BKB, name="BKB Melati", area=Area.objects.get(code=VILLAGE)
    )
    session = _activity(
        ActivityKind.POKTAN_SESSION,
        D(2025, 6, 5),
        poktan=bkb,
        funding_source="self_funded",
        funding_amount=200_000,
    )
    for someone in (w2.wife, sutrisno):
        Attendance.objects.create(activity=session, person=someone)
    Contribution.objects.create(activity=session, person=w3.wife, kind="money", value=50_000)
    partner = Partner.objects.create(
        name="Baznas Kukar", kind=PartnerKind.RELIGIOUS, area=Area.objects.get(code=KEC)
    )
    link = ActivityPartner.objects.create(activity=session, partner=partner)
    PartnerContribution.objects.create(link=link, kind="money", value=300_000)
    forum = _activity(
        ActivityKind.MENS_FORUM, D(2025, 3, 20), funding_source="dana_desa", funding_amount=500_000
    )
    Attendance.objects.create(activity=forum, person=_husband(w3))
    _activity(
        ActivityKind.COUNSELLING,
        D(2025, 6, 20),
        status=ActivityStatus.PLANNED,
        funding_source="self_funded",
        funding_amount=9_999_999,
    )
    for someone in (w1.wife, w2.wife):
        PoktanMember.objects.create(poktan=bkb, person=someone, joined_on=D(2025, 1, 1))
    PoktanMember.objects.create(
        poktan=bkb, person=siti.wife, joined_on=D(2025, 1, 1), left_on=D(2025, 5, 31)
    )

    area = Area.objects.get(code=RT)
    cadre_user = world.user("cadre")
    rahmawati = Person.objects.get(full_name="Rahmawati")
    cadres: tuple[tuple[Person, dt.date, dt.date | None, User | None], ...] = (
        (w1.wife, D(2024, 1, 1), None, None),
        (_husband(w2), D(2024, 6, 1), None, cadre_user),
        (rahmawati, D(2025, 2, 1), None, None),
        (_husband(w3), D(2025, 1, 1), D(2025, 6, 15), None),
    )
    for who, started, ended, account in cadres:
        Cadre.objects.create(
            person=who,
            role=CadreRole.KELOMPOK_KB,
            area=area,
            started_on=started,
            ended_on=ended,
            account=account,
            is_active=ended is None,
        )
    _follow_up(w1, D(2025, 5, 1), D(2025, 5, 10), "visited", None)
    _follow_up(w2, D(2025, 4, 1), D(2025, 6, 12), "refused", cadre_user)
    _follow_up(siti, D(2025, 6, 1), D(2025, 6, 14), "referred", None)


def _fill() -> dict[str, tuple[Decimal, Decimal | None]]:
    DirtyMark.objects.all().delete()
    engine.marks_add([VILLAGE], JUNE, JUNE)
    engine.fill()
    return {
        f.indicator: (f.numerator, f.denominator)
        for f in Fact.objects.filter(area_code=VILLAGE, period=JUNE, subgroup="")
    }


def _d(n: str, d: str | None = None) -> tuple[Decimal, Decimal | None]:
    return Decimal(n), None if d is None else Decimal(d)


@pytest.mark.django_db
def test_the_sub_indicators_match_the_hand_count(kota_bangun_ulu: None) -> None:
    facts = _fill()
    assert facts["PUS"] == _d("4")
    assert facts["MCPR"] == _d("2", "4")
    expected = {
        "MEN_REACHED": _d("1"),  # Sutrisno at the June session (the counselling was in May)
        "PI_ACCEPT": _d("1", "2"),  # W1 of W1 and Siti Aminah
        "PI_ATTEND": _d("8", "4"),  # the May counselling only: the forum was in March
        "PI_INTENTION": _d("1", "4"),
        "PI_CONTINUATION": _d("1", "2"),  # W2 and W3 in force on 1 April, W2 dropped out
        "PI_ON_TIME": _d("2", "3"),  # 9 and 13 days late; 72 days is not on time
        "PI_POKTAN": _d("1", "2"),
        "PI_CADRE_ACTIVE": _d("2", "3"),
        "PI_FAMILY_CONTRIB": _d("1", "5"),  # W3's family
        "PI_CADRE_DENSITY": _d("3", "5"),
        # 200,000 + 50,000 + 300,000 of 1,000,000 + 550,000 + 500,000; the plan does not count.
        "PI_COST_SHARE": _d("550000", "2050000"),
    }
    assert {code: facts[code] for code in expected} == expected


@pytest.mark.django_db
def test_the_scores_match_the_hand_count(kota_bangun_ulu: None) -> None:
    facts = _fill()
    # Interest: accepted 50 % of a goal of 50 -> 100 (0.4); 200 attendances per 100 PUS of a goal
    # of 30 -> 100 (0.3); intention 25 % -> 25 (0.3): 40 + 30 + 7.5 = 77.50.
    assert facts["PI_INTEREST"] == _d("77.50")
    # Activeness: mCPR 50 % of 70 -> 71.4286 (0.3); continuation 50 % between 50 and 100 -> 0
    # (0.2); on time 66.667 (0.15); poktan 50 % of 80 -> 62.5 (0.15); cadres 66.667 (0.2):
    # 21.4286 + 0 + 10 + 9.375 + 13.3333 = 54.1369 -> 54.14.
    assert facts["PI_ACTIVENESS"] == _d("54.14")
    # Contribution: families 20 % of 30 -> 66.667 (0.4); 60 cadres per 100 families of 3 -> 100
    # (0.3); cost share 26.829 % of 50 -> 53.659 (0.3): 26.667 + 30 + 16.098 = 72.76.
    assert facts["PI_CONTRIBUTION"] == _d("72.76")
    # (77.50 + 54.14 + 72.76) / 3 = 68.13.
    assert facts["PI"] == _d("68.13")

    result = compute(JUNE, facts)
    assert result.score == Decimal("68.13")
    assert result.level == Level.MEDIUM
    assert result.weakest is not None and result.weakest.dimension == Dimension.ACTIVENESS


@pytest.mark.django_db
def test_the_kecamatan_score_is_computed_from_its_own_figures(kota_bangun_ulu: None) -> None:
    _fill()
    kec = {
        f.indicator: (f.numerator, f.denominator)
        for f in Fact.objects.filter(area_code=KEC, period=JUNE, subgroup="")
    }
    # The kecamatan holds only this village's figures: the same scores, not sums of scores.
    assert kec["PI"] == _d("68.13")
    assert kec["PI_ATTEND"] == _d("8", "4")


def test_a_missing_figure_leaves_the_mean_and_a_missing_dimension_the_index() -> None:
    figures = {
        "PI_ACCEPT": _d("0", "0"),  # nobody reached: no figure
        "PI_ATTEND": _d("3", "10"),  # 30 per 100 -> 100
        "PI_INTENTION": _d("5", "10"),  # 50 -> 50
        "MCPR": _d("7", "10"),  # 70 % -> 100
    }
    result = compute(JUNE, figures)
    interest, activeness, contribution = result.dimensions
    # (100 x 0.3 + 50 x 0.3) / 0.6 = 75; the shares are 50 % each.
    assert interest.score == Decimal("75.00")
    assert [c.share for c in interest.components] == [None, Decimal("50.00"), Decimal("50.00")]
    assert activeness.score == Decimal("100.00")
    assert contribution.score is None
    assert result.score is None and result.level is None
    assert result.weakest == interest
