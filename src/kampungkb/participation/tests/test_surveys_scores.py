"""Scores and Cronbach's alpha computed by hand on the "Uji" instrument (test_surveys_world).

Answers (i3 is reverse-scored, so it counts 6 - x):

    resp  i1 i2 i3 (scored)  a1 a2  c1  b1
    R001   5  4  1 (5)        4  4   5   1
    R002   3  3  3 (3)        2  3   3   4
    R003   4  5  2 (4)        5  4   4   5
    R004   2  1  4 (2)        1  2   1   2
    R005 refused; R006 not asked.

Interest, respondent scores (mean - 1) / 4 * 100: R001 14/3 -> 91.667, R002 3 -> 50,
R003 13/3 -> 83.333, R004 5/3 -> 16.667; survey = 241.667 / 4 = 60.417.
Alpha: item variances (n - 1): i1 [5,3,4,2] 5/3, i2 [4,3,5,1] 8.75/3, i3 (scored) [5,3,4,2] 5/3,
sum 18.75/3; totals [14,9,13,5] mean 10.25, variance 50.75/3;
alpha = 3/2 * (1 - 18.75/50.75) = 48/50.75 = 0.945813.
Activeness: R001 4 -> 75, R002 2.5 -> 37.5, R003 4.5 -> 87.5, R004 1.5 -> 12.5; survey 53.125.
Alpha: a1 [4,2,5,1] 10/3, a2 [4,3,4,2] 2.75/3, sum 12.75/3; totals [8,5,9,3] 22.75/3;
alpha = 2 * (1 - 12.75/22.75) = 20/22.75 = 0.879121.
Contribution: 100, 50, 75, 0 -> 56.25; one item, so no alpha.
Religious belief: agree (4 or 5) 2 of 4 = 50%.
"""

import datetime as dt
from decimal import Decimal

import pytest

from kampungkb.indicators.models import Fact
from kampungkb.participation import surveys_selectors as selectors
from kampungkb.participation import surveys_services as services
from kampungkb.participation.tests.test_surveys_world import (  # noqa: F401 (fixture)
    MONTH,
    draw,
    survey_world_fixture,
)
from kampungkb.regions.models import Area
from kampungkb.testing.world import KAB, KEC, OTHER_KAB, VILLAGE

ANSWERS = [
    {"i1": 5, "i2": 4, "i3": 1, "a1": 4, "a2": 4, "c1": 5, "b1": 1},
    {"i1": 3, "i2": 3, "i3": 3, "a1": 2, "a2": 3, "c1": 3, "b1": 4},
    {"i1": 4, "i2": 5, "i3": 2, "a1": 5, "a2": 4, "c1": 4, "b1": 5},
    {"i1": 2, "i2": 1, "i3": 4, "a1": 1, "a2": 2, "c1": 1, "b1": 2},
]


@pytest.fixture(name="answered")
def answered_fixture(survey_world):
    survey = draw(survey_world, size=6)
    respondents = list(survey.respondents.order_by("position"))
    for respondent, answers in zip(respondents, ANSWERS, strict=False):
        services.respondent_answer(
            respondent=respondent, status="answered", answers=answers, actor=None
        )
    services.respondent_answer(respondent=respondents[4], status="refused", answers={}, actor=None)
    return survey


def test_cronbach_alpha_by_hand() -> None:
    rows = [[5, 4, 5], [3, 3, 3], [4, 5, 4], [2, 1, 2]]
    assert selectors.cronbach_alpha(rows) == pytest.approx(48 / 50.75)
    assert selectors.cronbach_alpha([[1, 2]]) is None  # n < 2
    assert selectors.cronbach_alpha([[1], [2]]) is None  # k < 2
    assert selectors.cronbach_alpha([[3, 3], [3, 3]]) is None  # totals do not vary


def test_scores_alpha_and_barriers_by_hand(answered) -> None:
    results = selectors.survey_results(answered)
    assert results.counts == {"answered": 4, "refused": 1, "pending": 1}
    interest, activeness, contribution = results.dimensions
    assert interest.score == pytest.approx(241.6666667 / 4)
    assert interest.alpha == pytest.approx(0.945813, abs=1e-6)
    assert (interest.items, interest.respondents, interest.alpha_n) == (3, 4, 4)
    assert activeness.score == pytest.approx(53.125)
    assert activeness.alpha == pytest.approx(0.879121, abs=1e-6)
    assert contribution.score == pytest.approx(56.25)
    assert contribution.alpha is None
    assert [r.scores["interest"] for r in results.rows[:4]] == pytest.approx(
        [91.6666667, 50, 83.3333333, 16.6666667]
    )
    assert results.rows[4].scores == {"interest": None, "activeness": None, "contribution": None}
    (barrier,) = results.barriers
    assert (barrier.code, barrier.respondents, barrier.agree, barrier.share) == (
        "religious_belief",
        4,
        2,
        50.0,
    )
    assert results.composite_score == pytest.approx((60.4166667 + 53.125 + 56.25) / 3)


def test_the_record_based_index_is_read_from_facts_and_missing_is_none(answered) -> None:
    Fact.objects.create(
        indicator="PI_INTEREST", area_code=VILLAGE, level=4, period=MONTH, numerator=Decimal("64.3")
    )
    Fact.objects.create(
        indicator="PI", area_code=VILLAGE, level=4, period=MONTH, numerator=Decimal("55")
    )
    # Another month, another area and a subgroup are not this survey's index.
    Fact.objects.create(
        indicator="PI_ACTIVENESS",
        area_code=VILLAGE,
        level=4,
        period=dt.date(2025, 5, 1),
        numerator=Decimal("10"),
    )
    Fact.objects.create(
        indicator="PI_ACTIVENESS", area_code=KEC, level=3, period=MONTH, numerator=Decimal("11")
    )
    results = selectors.survey_results(answered)
    assert [d.index for d in results.dimensions] == [Decimal("64.3"), None, None]
    assert results.composite_index == Decimal("55")


def test_survey_barrier_counts_for_the_ranking(answered, world) -> None:
    counts = selectors.survey_barrier_counts(
        user=world.user("partner"),
        area=Area.objects.get(code=KAB),
        first=dt.date(2025, 1, 1),
        last=dt.date(2025, 12, 31),
    )
    assert counts["religious_belief"] == 2
    assert sum(counts.values()) == 2
    assert set(counts) >= {"lack_of_knowledge", "no_incentive", "cost"}
    outside_months = selectors.survey_barrier_counts(
        user=world.user("partner"),
        area=Area.objects.get(code=KAB),
        first=dt.date(2025, 7, 1),
        last=dt.date(2025, 12, 31),
    )
    assert sum(outside_months.values()) == 0
    other = selectors.survey_barrier_counts(
        user=world.user("other_district"),
        area=Area.objects.get(code=OTHER_KAB),
        first=dt.date(2025, 1, 1),
        last=dt.date(2025, 12, 31),
    )
    assert sum(other.values()) == 0


def test_the_barrier_page_shows_the_survey_agreements(answered, client_for) -> None:
    from django.urls import reverse

    response = client_for("partner").get(
        f"{reverse('participation:barriers')}?area={KAB}&from=2025-01&to=2025-12"
    )
    agreed = {row.entry.code.value: n for row, n in response.context["community"]}
    assert agreed["religious_belief"] == 2
    assert sum(agreed.values()) == 2
    assert {row.entry.code.value: n for row, n in response.context["cadre"]} == {
        "lack_of_knowledge": 0,
        "no_incentive": 0,
        "family_no_support": 0,
    }
