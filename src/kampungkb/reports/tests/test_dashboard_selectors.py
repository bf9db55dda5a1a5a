"""The dashboard's selectors on the recap's small world of facts, filled for May and June 2025:
in May one couple of Kota Bangun Ilir used a method (injection, begun on 10 May); in June three
did (the injection, an IUD and condoms begun in June)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.template.defaultfilters import floatformat
from django.utils import translation
from django.utils.formats import number_format

from kampungkb.indicators import fill as engine
from kampungkb.regions.models import Area
from kampungkb.reports.charts import (
    Figures,
    change_text,
    chart_data,
    coordinate_text,
    figure_text,
)
from kampungkb.reports.dashboard import (
    NO_VALUE_COLOUR,
    PALETTE,
    TREND_MONTHS,
    MapClass,
    dashboard_get,
    map_classes,
)
from kampungkb.reports.exports import rounded
from kampungkb.reports.tests.conftest import JUNE
from kampungkb.testing.world import KAB, KEC, OTHER_VILLAGE, RT, VILLAGE, VILLAGE_2, World

MAY = dt.date(2025, 5, 1)


@pytest.fixture
def two_months(filled: None) -> None:
    engine.marks_add([VILLAGE, VILLAGE_2, OTHER_VILLAGE], MAY, MAY)
    engine.fill()


@pytest.fixture
def located(world: World) -> None:
    """Coordinates for the two villages of Kota Bangun in the world (near the real ones)."""
    Area.objects.filter(code=VILLAGE).update(
        latitude=Decimal("-0.2710"), longitude=Decimal("116.5800")
    )
    Area.objects.filter(code=VILLAGE_2).update(
        latitude=Decimal("-0.2850"), longitude=Decimal("116.5950")
    )


def get(world: World, username: str, area: str, **kwargs: Any):
    return dashboard_get(
        user=world.user(username), area=Area.objects.get(code=area), period=JUNE, **kwargs
    )


def headlines(dashboard) -> dict[str, tuple[Decimal | None, Decimal | None, Decimal | None]]:
    return {h.code: (h.value, h.previous, h.change) for h in dashboard.headlines}


def test_headlines_with_change_from_last_month(world: World, two_months: None) -> None:
    board = get(world, "district", KEC)
    assert board.period == JUNE
    figures = headlines(board)
    assert figures["PUS"] == (5, 5, 0)
    assert figures["PA"] == (3, 1, 2)
    assert figures["PB"] == (2, 1, 1)
    # mCPR: 3 of 5 PUS in June, 1 of 5 in May: 40 points up.
    assert figures["MCPR"] == (Decimal(60), Decimal(20), Decimal("40.0"))
    assert figures["UNMET_NEED"] == (0, 0, Decimal("0.0"))
    value, previous, change = figures["MKJP"]
    assert value is not None
    assert (round(value, 3), previous, change) == (Decimal("33.333"), 0, Decimal("33.3"))
    assert [h.direction for h in board.headlines[:3]] == ["same", "up", "up"]


def test_a_month_without_facts_before_it_has_no_change(world: World, filled: None) -> None:
    figures = headlines(get(world, "district", KEC))
    assert figures["PA"] == (3, None, None)
    assert get(world, "district", KEC).headlines[1].direction == ""


def test_trends_cover_24_months_ending_with_the_month(world: World, two_months: None) -> None:
    board = get(world, "district", KEC)
    assert len(board.months) == TREND_MONTHS
    assert (board.months[0], board.months[-1]) == (dt.date(2023, 7, 1), JUNE)
    prevalence, active, flows = board.trends
    assert [s.code for s in prevalence.series] == ["CPR", "MCPR", "UNMET_NEED"]
    assert prevalence.series[1].values == [None] * 22 + [Decimal("20.0"), Decimal("60.0")]
    assert active.series[0].values[-2:] == [1, 3]
    assert [s.code for s in flows.series] == ["PB", "KBPP", "DROP_OUT"]
    assert flows.series[0].values[-2:] == [1, 2]
    month, cells = active.rows()[-1]
    assert (month, cells) == (JUNE, [("PA", 3)])


def test_method_mix_of_the_month(world: World, filled: None) -> None:
    """Most users first; on a tie, in the catalogue's order."""
    board = get(world, "district", KEC)
    assert [(m.code, m.name, m.users, m.share) for m in board.methods] == [
        ("IUD", "IUD/AKDR", 1, Decimal("33.3")),
        ("SUNTIK3", "Suntik 3 bulanan", 1, Decimal("33.3")),
        ("KONDOM", "Kondom", 1, Decimal("33.3")),
    ]


def test_method_mix_is_empty_without_users(world: World, filled: None) -> None:
    assert get(world, "cadre", VILLAGE).methods == []


def test_ranking_of_the_sub_areas_highest_first(world: World, filled: None) -> None:
    board = get(world, "district", KEC)
    assert board.code == "MCPR"
    ranked = [(r.rank, r.area.code, r.value, r.bar) for r in board.ranking if r.rank]
    assert ranked == [(1, VILLAGE_2, Decimal("75.0"), 100), (2, VILLAGE, Decimal("0.0"), 0)]
    # The other villages of Kota Bangun have no facts: last, by name, without a rank.
    rest = [r for r in board.ranking if r.rank is None]
    assert len(board.ranking) == Area.objects.filter(parent_id=KEC).count()
    assert [r.area.name for r in rest] == sorted(r.area.name for r in rest)
    assert {r.value for r in rest} == {None}


def test_ranking_by_another_indicator_shares_ranks(world: World, filled: None) -> None:
    board = get(world, "district", KAB, code="PUS")
    ranked = [(r.rank, r.area.code, r.value) for r in board.ranking if r.rank]
    assert ranked == [(1, KEC, 5)]
    board = get(world, "district", KEC, code="DROP_OUT")
    ranked = [(r.rank, r.area.code, r.value) for r in board.ranking if r.rank]
    assert ranked == [(1, VILLAGE_2, 0), (1, VILLAGE, 0)]  # equal: one rank, by name


def test_map_draws_the_villages_with_coordinates(world: World, filled: None, located: None) -> None:
    board = get(world, "district", KAB)
    points = [(p.area.code, p.latitude, p.value, p.colour) for p in board.points]
    assert points == [
        (VILLAGE, Decimal("-0.271000"), Decimal("0.0"), PALETTE[0]),
        (VILLAGE_2, Decimal("-0.285000"), Decimal("75.0"), PALETTE[-1]),
    ]
    assert board.classes == [
        MapClass(Decimal("0.0"), Decimal("0.0"), PALETTE[0]),
        MapClass(Decimal("75.0"), Decimal("75.0"), PALETTE[-1]),
    ]


def test_map_of_a_cadre_holds_only_her_village(world: World, filled: None, located: None) -> None:
    board = get(world, "cadre", VILLAGE)
    assert [p.area.code for p in board.points] == [VILLAGE]
    assert board.ranking == []
    assert headlines(board)["PUS"] == (1, None, None)


def test_a_village_without_a_figure_is_grey(world: World, located: None) -> None:
    board = get(world, "district", KEC)
    assert [p.colour for p in board.points] == [NO_VALUE_COLOUR, NO_VALUE_COLOUR]
    assert board.classes == []


def test_below_the_village_there_are_no_figures(world: World, filled: None) -> None:
    board = get(world, "cadre_rt", RT)
    assert not board.has_facts
    assert {h.value for h in board.headlines} == {None}
    assert (board.ranking, board.points, board.methods) == ([], [], [])


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], []),
        ([Decimal(3), Decimal(3)], [(3, 3, PALETTE[0])]),
        (
            [Decimal(v) for v in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10)],
            [
                (1, 2, PALETTE[0]),
                (3, 4, PALETTE[1]),
                (5, 6, PALETTE[2]),
                (7, 8, PALETTE[3]),
                (9, 10, PALETTE[4]),
            ],
        ),
        (
            [Decimal(v) for v in (10, 20, 30)],
            [(10, 10, PALETTE[0]), (20, 20, PALETTE[2]), (30, 30, PALETTE[4])],
        ),
    ],
)
def test_map_classes(values: list[Decimal], expected: list[tuple[int, int, str]]) -> None:
    assert [(c.low, c.high, c.colour) for c in map_classes(values)] == expected


@translation.override("id")
def test_figures_and_changes_as_text() -> None:
    assert figure_text("PUS", Decimal(12345)) == "12.345"
    assert figure_text("MCPR", Decimal("59.96")) == "60,0"
    assert figure_text("MCPR", None) == "—"
    assert change_text("MCPR", Decimal("1.25")) == "+1,3"
    assert change_text("PA", Decimal(-3)) == "\u22123"
    assert change_text("PA", Decimal(0)) == "0"
    assert change_text("PA", None) == "—"


@pytest.mark.parametrize("language", ["id", "en"])
def test_figures_as_number_format_gives_them(language: str) -> None:
    """The page formats its figures itself, as Django's number_format would."""
    values = [Decimal(0), Decimal("-0"), Decimal("-0.04"), Decimal("0.05"), Decimal("1E+3")]
    values += [Decimal("-1234567.891"), Decimal("98765.4321"), Decimal("999.95"), Decimal(12)]
    with translation.override(language):
        for code in ("PUS", "MCPR", "CYP"):
            for value in values:
                shown = rounded(code, value)
                assert shown is not None
                places = max(0, -int(shown.as_tuple().exponent))
                expected = number_format(shown, places, force_grouping=True)
                assert figure_text(code, value) == expected
    with translation.override(language):
        assert [figure_text("CYP", Decimal("-1234.5")), figure_text("PA", Decimal("-0.2"))] == (
            ["-1.234,50", "0"] if language == "id" else ["-1,234.50", "0"]
        )


@translation.override("id")
def test_figures_in_another_grouping_are_left_to_number_format() -> None:
    figures = Figures()
    figures.grouping = (3, 2, 0)  # as in Indian English; the locale's own grouping (3) applies
    assert figures("CYP", Decimal("1234567.891")) == "1.234.567,89"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("-0.285040"), "-0.2850"),
        (Decimal("116.595050"), "116.5951"),
        (Decimal("-8.000049"), "-8.0000"),
        (Decimal("-0.000040"), "0.0000"),
        (Decimal("7"), "7.0000"),
    ],
)
def test_coordinates_as_floatformat_gives_them(value: Decimal, text: str) -> None:
    assert coordinate_text(value) == text == floatformat(value, "4u")


def test_chart_data(world: World, two_months: None, located: None) -> None:
    data = chart_data(get(world, "district", KEC), tiles="https://t/{z}/{x}/{y}.png")
    assert data["months"][-2:] == ["Mei 2025", "Jun 2025"]
    assert data["trends"][0]["percent"] is True
    assert data["trends"][0]["series"][1]["values"][-2:] == [20.0, 60.0]
    assert data["trends"][1]["percent"] is False
    assert sorted(data["methods"]["values"]) == [1.0, 1.0, 1.0]
    assert data["map"]["tiles"] == "https://t/{z}/{x}/{y}.png"
    assert data["map"]["indicator"] == "mCPR (%)"
    assert data["map"]["points"][1] == {
        "name": "Kota Bangun Ilir",
        "lat": -0.285,
        "lng": 116.595,
        "value": "75,0",
        "colour": PALETTE[-1],
        "url": f"?area={VILLAGE_2}&month=2025-06&indicator=MCPR",
    }
