"""The scoring table of DOMAIN.md section 7 at every band edge, the indices and each class rule."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from kampungkb.kampung.classification import (
    DEFAULT_BANDS,
    Inputs,
    KampungClass,
    Key,
    Pair,
    RulesError,
    class_of,
    classify,
    index_of,
    parse_bands,
    whole_percent,
)

BANDS = parse_bands(DEFAULT_BANDS)
PROFILE: dict[str, Any] = {"has_profile": True}


def with_count(key: Key) -> Callable[[Any], Inputs]:
    """Inputs with ``n`` distinct items of a counted indicator."""
    names = {
        Key.FUNDING: "funding_sources",
        Key.POKTAN: "poktan_kinds",
        Key.DATA_SOURCES: "data_sources",
        Key.MANAGEMENT: "management_kinds",
        Key.PARTNERS: "partners",
    }

    def build(n: int) -> Inputs:
        values: dict[str, Any] = {names[key]: tuple(f"item{i}" for i in range(n))}
        return Inputs(**PROFILE, **values)

    return build


def pokja(level: int) -> Inputs:
    return {
        0: Inputs(**PROFILE),
        1: Inputs(**PROFILE, pokja_exists=True),
        2: Inputs(**PROFILE, pokja_exists=True, pokja_members=9),
        3: Inputs(**PROFILE, pokja_exists=True, pokja_members=9, pokja_trained=True),
    }[level]


def facilities(n: int) -> Inputs:
    return Inputs(**PROFILE, has_secretariat=n >= 1, has_rumah_dataku=n >= 2)


def pkb_regulation(n: int) -> Inputs:
    return Inputs(**PROFILE, pkb_assigned=n >= 1, regulation_issued=n >= 2)


def participation(percent: int) -> Inputs:
    return Inputs(participation={"bkb": Pair(members=percent, target=100)})


def percent(name: str) -> Callable[[Any], Inputs]:
    def build(value: str) -> Inputs:
        values: dict[str, Any] = {name: Decimal(value)}
        return Inputs(**values)

    return build


# (indicator, how to build the inputs, value, expected score, expected next threshold)
TABLE: list[tuple[Key, Callable[[Any], Inputs], Any, int, int | None]] = [
    (Key.POKJA, pokja, 0, 1, 1),
    (Key.POKJA, pokja, 1, 2, 2),
    (Key.POKJA, pokja, 2, 3, 3),
    (Key.POKJA, pokja, 3, 4, None),
    (Key.FUNDING, with_count(Key.FUNDING), 0, 1, 1),
    (Key.FUNDING, with_count(Key.FUNDING), 1, 2, 2),
    (Key.FUNDING, with_count(Key.FUNDING), 2, 3, 5),
    (Key.FUNDING, with_count(Key.FUNDING), 4, 3, 5),
    (Key.FUNDING, with_count(Key.FUNDING), 5, 4, None),
    (Key.FUNDING, with_count(Key.FUNDING), 6, 4, None),
    (Key.POKTAN, with_count(Key.POKTAN), 0, 1, 1),
    (Key.POKTAN, with_count(Key.POKTAN), 1, 2, 3),
    (Key.POKTAN, with_count(Key.POKTAN), 2, 2, 3),
    (Key.POKTAN, with_count(Key.POKTAN), 3, 3, 5),
    (Key.POKTAN, with_count(Key.POKTAN), 4, 3, 5),
    (Key.POKTAN, with_count(Key.POKTAN), 5, 4, None),
    (Key.FACILITIES, facilities, 0, 1, 1),
    (Key.FACILITIES, facilities, 1, 2, 2),
    (Key.FACILITIES, facilities, 2, 3, None),
    (Key.PKB_REGULATION, pkb_regulation, 0, 1, 1),
    (Key.PKB_REGULATION, pkb_regulation, 1, 2, 2),
    (Key.PKB_REGULATION, pkb_regulation, 2, 3, None),
    (Key.DATA_SOURCES, with_count(Key.DATA_SOURCES), 0, 1, 1),
    (Key.DATA_SOURCES, with_count(Key.DATA_SOURCES), 1, 2, 2),
    (Key.DATA_SOURCES, with_count(Key.DATA_SOURCES), 2, 3, 4),
    (Key.DATA_SOURCES, with_count(Key.DATA_SOURCES), 3, 3, 4),
    (Key.DATA_SOURCES, with_count(Key.DATA_SOURCES), 4, 4, None),
    (Key.MANAGEMENT, with_count(Key.MANAGEMENT), 0, 1, 1),
    (Key.MANAGEMENT, with_count(Key.MANAGEMENT), 1, 2, 3),
    (Key.MANAGEMENT, with_count(Key.MANAGEMENT), 2, 2, 3),
    (Key.MANAGEMENT, with_count(Key.MANAGEMENT), 3, 3, 5),
    (Key.MANAGEMENT, with_count(Key.MANAGEMENT), 4, 3, 5),
    (Key.MANAGEMENT, with_count(Key.MANAGEMENT), 5, 4, None),
    (Key.PARTNERS, with_count(Key.PARTNERS), 0, 1, 1),
    (Key.PARTNERS, with_count(Key.PARTNERS), 1, 2, 4),
    (Key.PARTNERS, with_count(Key.PARTNERS), 3, 2, 4),
    (Key.PARTNERS, with_count(Key.PARTNERS), 4, 3, 7),
    (Key.PARTNERS, with_count(Key.PARTNERS), 6, 3, 7),
    (Key.PARTNERS, with_count(Key.PARTNERS), 7, 4, None),
    (Key.PARTICIPATION, participation, 0, 1, 10),
    (Key.PARTICIPATION, participation, 9, 1, 10),
    (Key.PARTICIPATION, participation, 10, 2, 21),
    (Key.PARTICIPATION, participation, 20, 2, 21),
    (Key.PARTICIPATION, participation, 21, 3, 31),
    (Key.PARTICIPATION, participation, 30, 3, 31),
    (Key.PARTICIPATION, participation, 31, 4, None),
    (Key.CPR, percent("cpr"), "29.49", 1, 30),
    (Key.CPR, percent("cpr"), "29.5", 2, 41),
    (Key.CPR, percent("cpr"), "30", 2, 41),
    (Key.CPR, percent("cpr"), "40.49", 2, 41),
    (Key.CPR, percent("cpr"), "40.5", 3, 51),
    (Key.CPR, percent("cpr"), "50.49", 3, 51),
    (Key.CPR, percent("cpr"), "50.5", 4, None),
    (Key.CPR, percent("cpr"), "100", 4, None),
    (Key.MKJP, percent("mkjp"), "0", 1, 20),
    (Key.MKJP, percent("mkjp"), "19.49", 1, 20),
    (Key.MKJP, percent("mkjp"), "19.5", 2, 23),
    (Key.MKJP, percent("mkjp"), "22.49", 2, 23),
    (Key.MKJP, percent("mkjp"), "22.5", 3, 25),
    (Key.MKJP, percent("mkjp"), "24.49", 3, 25),
    (Key.MKJP, percent("mkjp"), "24.5", 4, None),
    (Key.UNMET_NEED, percent("unmet_need"), "30", 1, 12),
    (Key.UNMET_NEED, percent("unmet_need"), "13", 1, 12),
    (Key.UNMET_NEED, percent("unmet_need"), "12.5", 1, 12),
    (Key.UNMET_NEED, percent("unmet_need"), "12.49", 2, 9),
    (Key.UNMET_NEED, percent("unmet_need"), "10", 2, 9),
    (Key.UNMET_NEED, percent("unmet_need"), "9.5", 2, 9),
    (Key.UNMET_NEED, percent("unmet_need"), "9.49", 3, 6),
    (Key.UNMET_NEED, percent("unmet_need"), "7", 3, 6),
    (Key.UNMET_NEED, percent("unmet_need"), "6.5", 3, 6),
    (Key.UNMET_NEED, percent("unmet_need"), "6.49", 4, None),
    (Key.UNMET_NEED, percent("unmet_need"), "0", 4, None),
]


@pytest.mark.parametrize(("key", "build", "value", "score", "next_at"), TABLE)
def test_score_at_every_band_edge(
    key: Key, build: Callable[[Any], Inputs], value: Any, score: int, next_at: int | None
) -> None:
    result = classify(build(value), BANDS).scores[key]
    assert (result.score, result.next_threshold) == (score, next_at)
    assert result.next_score == (None if next_at is None else score + 1)


@pytest.mark.parametrize("key", list(Key))
def test_missing_data_scores_1(key: Key) -> None:
    """No profile, no facts, no poktan, no activities: everything scores 1."""
    score = classify(Inputs(), BANDS).scores[key]
    assert score.score == 1
    expected_none = key not in (Key.POKTAN, Key.MANAGEMENT, Key.PARTNERS)
    assert (score.value is None) == expected_none


def test_pokja_members_or_training_alone_is_level_2() -> None:
    trained = classify(Inputs(**PROFILE, pokja_exists=True, pokja_trained=True), BANDS)
    assert trained.scores[Key.POKJA].value == 2
    assert trained.scores[Key.POKJA].score == 3


def test_counts_ignore_repeats() -> None:
    inputs = Inputs(**PROFILE, funding_sources=("apbd", "apbd"), partners=("PKK", "PKK", "NU"))
    result = classify(inputs, BANDS)
    assert result.scores[Key.FUNDING].value == 1
    assert result.scores[Key.PARTNERS].value == 2


def test_each_poktan_pair_is_rounded_before_the_mean() -> None:
    """20.5% rounds to 21 and 20% stays 20: their mean 20.5 rounds to 21 and scores 3 (the mean
    of the raw figures, 20.25, would round to 20 and score 2)."""
    inputs = Inputs(participation={"bkb": Pair(41, 200), "bkr": Pair(1, 5)})
    score = classify(inputs, BANDS).scores[Key.PARTICIPATION]
    assert (score.value, score.score) == (21, 3)


def test_a_poktan_without_target_group_is_left_out_of_the_mean() -> None:
    inputs = Inputs(
        participation={
            "bkb": Pair(5, 10),
            "bkr": Pair(0, 0),
            "bkl": Pair(3, 0),
            "uppka": Pair(1, 10),
            "pikr": Pair(0, 0),
        }
    )
    assert classify(inputs, BANDS).scores[Key.PARTICIPATION].value == 30


def test_participation_averages_all_five_kinds() -> None:
    pairs = {
        k: Pair(v, 100)
        for k, v in zip(("bkb", "bkr", "bkl", "uppka", "pikr"), (10, 20, 30, 40, 50), strict=True)
    }
    assert classify(Inputs(participation=pairs), BANDS).scores[Key.PARTICIPATION].value == 30


@pytest.mark.parametrize(
    ("value", "rounded"),
    [("0.5", 1), ("1.49", 1), ("2.5", 3), ("12.5", 13), (None, None), ("99.5", 100)],
)
def test_percentages_round_half_up(value: str | None, rounded: int | None) -> None:
    assert whole_percent(None if value is None else Decimal(value)) == rounded


@pytest.mark.parametrize(
    ("scores", "index"),
    [
        ([1, 1, 1, 1, 1], "1.00"),
        ([4, 4, 3, 3, 1], "3.00"),
        ([2, 3, 3], "2.67"),
        ([2, 2, 3], "2.33"),
        ([4, 3, 3, 2], "3.00"),
        ([3, 3, 2, 3], "2.75"),
        ([4, 4, 4], "4.00"),
    ],
)
def test_index_is_the_mean_rounded_to_2_decimals(scores: list[int], index: str) -> None:
    assert index_of(scores) == Decimal(index)
    assert str(index_of(scores)) == index


D = Decimal


@pytest.mark.parametrize(
    ("input_index", "process_index", "output_index", "klass"),
    [
        # Rule 1: no index, or exactly one, at 3 or more.
        ("1.00", "1.00", "1.00", KampungClass.DASAR),
        ("2.99", "2.99", "2.99", KampungClass.DASAR),
        ("3.00", "2.99", "2.99", KampungClass.DASAR),
        ("2.99", "3.00", "2.99", KampungClass.DASAR),
        ("2.99", "2.99", "3.00", KampungClass.DASAR),
        ("4.00", "1.00", "1.00", KampungClass.DASAR),
        # Rule 2: input and process reached, output not.
        ("3.00", "3.00", "2.99", KampungClass.BERKEMBANG),
        ("4.00", "4.00", "1.00", KampungClass.BERKEMBANG),
        # Rule 3: all three reached.
        ("3.00", "3.00", "3.00", KampungClass.BERKELANJUTAN),
        ("4.00", "4.00", "4.00", KampungClass.BERKELANJUTAN),
        # Rule 4: output reached and one of input or process.
        ("3.00", "2.99", "3.00", KampungClass.MANDIRI),
        ("2.99", "3.00", "3.00", KampungClass.MANDIRI),
        ("1.00", "4.00", "4.00", KampungClass.MANDIRI),
    ],
)
def test_class_rules_in_order(
    input_index: str, process_index: str, output_index: str, klass: str
) -> None:
    assert class_of(D(input_index), D(process_index), D(output_index)) == klass


def test_a_whole_classification() -> None:
    """Input 4,3,3,3,2 = 3.00; process 3,2,2 = 2.33; output 2,3,4,4 = 3.25: Mandiri."""
    inputs = Inputs(
        has_profile=True,
        pokja_exists=True,
        pokja_members=12,
        pokja_trained=True,
        funding_sources=("apbn", "dana_desa"),
        poktan_kinds=("bkb", "bkr", "bkl"),
        has_secretariat=True,
        has_rumah_dataku=True,
        pkb_assigned=True,
        data_sources=("family_data", "routine_fp"),
        management_kinds=("planning_meeting",),
        partners=("PKK",),
        participation={"bkb": Pair(3, 20)},
        cpr=D("45.2"),
        mkjp=D("26"),
        unmet_need=D("5.9"),
    )
    result = classify(inputs, BANDS)
    assert [s.score for s in result.scores.values()] == [4, 3, 3, 3, 2, 3, 2, 2, 2, 3, 4, 4]
    assert result.indices == {"input": D("3.00"), "process": D("2.33"), "output": D("3.25")}
    assert result.klass == KampungClass.MANDIRI


def test_rules_with_other_thresholds_are_used() -> None:
    bands = copy.deepcopy(DEFAULT_BANDS)
    bands["cpr"] = {"direction": "up", "thresholds": [50, 60, 70]}
    score = classify(Inputs(cpr=D("55")), parse_bands(bands)).scores[Key.CPR]
    assert (score.score, score.next_threshold) == (2, 60)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"cpr": None}, "cpr: missing"),
        (
            {"cpr": {"direction": "sideways", "thresholds": [1]}},
            "cpr: direction must be up or down",
        ),
        ({"cpr": {"direction": "up", "thresholds": []}}, "cpr: thresholds must be a list"),
        ({"cpr": {"direction": "up", "thresholds": [True, 2]}}, "cpr: thresholds must be a list"),
        ({"cpr": {"direction": "up", "thresholds": [41, 30]}}, "cpr: thresholds must be distinct"),
        (
            {"unmet_need": {"direction": "down", "thresholds": [6, 9, 12]}},
            "unmet_need: thresholds must be distinct",
        ),
        ({"extra": {"direction": "up", "thresholds": [1]}}, "unknown indicators: extra"),
    ],
)
def test_bad_rules_are_refused(change: dict[str, Any], message: str) -> None:
    bands = copy.deepcopy(DEFAULT_BANDS)
    for key, value in change.items():
        if value is None:
            del bands[key]
        else:
            bands[key] = value
    with pytest.raises(RulesError, match=message):
        parse_bands(bands)


def test_the_seeded_rules_are_the_defaults() -> None:
    from importlib import import_module

    migration = import_module("kampungkb.kampung.migrations.0002_classification_rules_v1")
    assert {
        k.value if isinstance(k, Key) else k: v for k, v in DEFAULT_BANDS.items()
    } == migration.BANDS


@pytest.mark.django_db
def test_admin_refuses_bad_bands() -> None:
    import datetime as dt

    from kampungkb.kampung.admin import RulesForm

    good = RulesForm(
        data={"version": 2, "valid_from": dt.date(2026, 1, 1), "bands": json.dumps(DEFAULT_BANDS)}
    )
    assert good.is_valid(), good.errors
    bands = copy.deepcopy(DEFAULT_BANDS)
    bands["cpr"] = {"direction": "up", "thresholds": [50, 40]}
    bad = RulesForm(
        data={"version": 2, "valid_from": dt.date(2026, 1, 1), "bands": json.dumps(bands)}
    )
    assert bad.errors == {"bands": ["cpr: thresholds must be distinct and in order"]}
