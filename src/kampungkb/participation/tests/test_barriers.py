from kampungkb.activities.models import ActivityKind, TargetGroup
from kampungkb.contraception.models import Barrier
from kampungkb.participation.barriers import (
    BY_CODE,
    CATALOGUE,
    COMMUNITY_CODES,
    BarrierCode,
    BarrierGroup,
)


def test_community_barriers_are_the_follow_up_barriers() -> None:
    assert set(COMMUNITY_CODES) == set(Barrier.values)
    for code in Barrier.values:
        assert str(BarrierCode(code).label) == str(Barrier(code).label)


def test_every_barrier_has_one_entry_and_an_action() -> None:
    assert [e.code for e in CATALOGUE] == list(BarrierCode)
    assert {e.code.value for e in CATALOGUE if e.group == BarrierGroup.CADRE} == {
        "lack_of_knowledge",
        "no_incentive",
        "family_no_support",
    }
    assert all(str(e.action.text) for e in CATALOGUE)


def test_shipped_suggestions() -> None:
    def plan(code: str) -> tuple[str, str, str]:
        action = BY_CODE[code].action
        return action.kind, action.target_group, action.url_name

    assert plan("religious_belief") == (
        ActivityKind.SOCIALISATION,
        TargetGroup.COMMUNITY_LEADERS,
        "activities:list",
    )
    assert plan("husband_objects")[:2] == (ActivityKind.MENS_FORUM, TargetGroup.MEN)
    for code in ("side_effects", "myth_many_children", "no_information", "wants_more_children"):
        assert plan(code)[0] == ActivityKind.COUNSELLING, code
    assert plan("access")[0] == ActivityKind.SERVICE_DAY
    assert plan("cost")[0] == ActivityKind.SERVICE_DAY
    assert plan("lack_of_knowledge")[:2] == (ActivityKind.TRAINING, TargetGroup.CADRES)
    assert plan("no_incentive")[2] == "cadres:incentive_rules"
    assert plan("family_no_support")[:2] == (ActivityKind.SOCIALISATION, TargetGroup.CADRES)
