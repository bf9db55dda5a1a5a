"""The episode engine on hand-computed cases and, with hypothesis, on any sequence of visits."""

import datetime as dt
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from kampungkb.contraception.engine import (
    DueRule,
    EndReason,
    LifeEvents,
    MethodRule,
    Status,
    StatusOn,
    Visit,
    VisitKind,
    build_episodes,
    drop_out_on,
    status_on,
)

D = dt.date
RULES = {
    "SUNTIK3": MethodRule("SUNTIK3", DueRule.PER_UNIT, days_per_unit=84, grace_days=14),
    "PIL": MethodRule("PIL", DueRule.PER_UNIT, days_per_unit=28, grace_days=7),
    "IUD": MethodRule(
        "IUD", DueRule.CHECKS, first_check_days=30, check_interval_days=365, protection_days=3650
    ),
    "IMPLAN3": MethodRule("IMPLAN3", DueRule.FIXED, protection_days=1095, grace_days=30),
    "MOW": MethodRule("MOW", DueRule.NONE),
}


def test_injectable_due_overdue_and_drop_out_dates():
    visits = [Visit(1, D(2026, 1, 5), VisitKind.START, "SUNTIK3")]
    [episode] = build_episodes(visits, RULES, LifeEvents(), as_of=D(2026, 8, 1))
    assert episode.coverage[0].due_on == D(2026, 3, 30)
    assert drop_out_on(D(2026, 3, 30), 14) == D(2026, 7, 13)
    assert episode.ended_on == D(2026, 7, 13)
    assert episode.end_reason == EndReason.DROP_OUT
    assert episode.is_new_user

    def on(day):
        return status_on([episode], RULES, day, pregnant=False, intention="delay")

    assert on(D(2026, 4, 13)) == StatusOn(Status.USER, "SUNTIK3", D(2026, 3, 30), overdue=False)
    assert on(D(2026, 4, 14)).overdue is True
    assert on(D(2026, 4, 14)).is_active_user is False
    assert on(D(2026, 7, 12)).status == Status.USER
    assert on(D(2026, 7, 13)).status == Status.DELAY


def test_reinjection_before_drop_out_continues_the_episode():
    visits = [
        Visit(1, D(2025, 11, 3), VisitKind.START, "SUNTIK3"),
        Visit(2, D(2026, 2, 20), VisitKind.REPEAT, "SUNTIK3"),
    ]
    [episode] = build_episodes(visits, RULES, LifeEvents(), as_of=D(2026, 3, 1))
    assert episode.is_open
    assert episode.next_due_on == D(2026, 5, 15)
    assert episode.due_in_force(D(2026, 2, 19)) == D(2026, 1, 26)


def test_switch_closes_the_first_episode_and_is_not_a_new_user():
    visits = [
        Visit(1, D(2025, 1, 10), VisitKind.START, "PIL", quantity=3),
        Visit(2, D(2025, 4, 1), VisitKind.SWITCH, "IMPLAN3"),
    ]
    first, second = build_episodes(visits, RULES, LifeEvents(), as_of=D(2025, 6, 1))
    assert (first.ended_on, first.end_reason) == (D(2025, 4, 1), EndReason.SWITCH)
    assert second.is_switch and not second.is_new_user
    assert second.next_due_on == D(2028, 3, 31)


def test_first_use_after_a_birth_is_a_new_user_and_post_partum_within_42_days():
    visits = [
        Visit(1, D(2023, 1, 2), VisitKind.START, "PIL"),
        Visit(2, D(2024, 9, 1), VisitKind.START, "IUD"),
    ]
    life = LifeEvents(births=(D(2024, 7, 25),), pregnancies=(D(2023, 11, 1),))
    first, second = build_episodes(visits, RULES, life, as_of=D(2024, 10, 1))
    assert first.end_reason == EndReason.DROP_OUT
    assert second.is_new_user and second.is_postpartum
    assert second.coverage[0].due_on == D(2024, 10, 1)


def test_return_after_drop_out_without_a_birth_is_not_a_new_user():
    visits = [
        Visit(1, D(2023, 1, 2), VisitKind.START, "PIL"),
        Visit(2, D(2024, 1, 2), VisitKind.START, "PIL"),
    ]
    first, second = build_episodes(visits, RULES, LifeEvents(), as_of=D(2024, 2, 1))
    assert first.end_reason == EndReason.DROP_OUT
    assert not second.is_new_user and not second.is_switch


def test_pregnancy_marriage_end_and_fiftieth_birthday_close_the_episode():
    visits = [Visit(1, D(2020, 1, 1), VisitKind.START, "MOW")]
    for life, end, reason in [
        (LifeEvents(pregnancies=(D(2021, 5, 5),)), D(2021, 5, 5), EndReason.PREGNANCY),
        (LifeEvents(marriage_ended_on=D(2022, 2, 2)), D(2022, 2, 2), EndReason.MARRIAGE_ENDED),
        (LifeEvents(wife_fifty_on=D(2024, 2, 29)), D(2024, 2, 29), EndReason.AGE),
    ]:
        [episode] = build_episodes(visits, RULES, life, as_of=D(2025, 1, 1))
        assert (episode.ended_on, episode.end_reason) == (end, reason)


def test_sterilisation_never_drops_out():
    [episode] = build_episodes(
        [Visit(1, D(2010, 6, 1), VisitKind.START, "MOW")], RULES, LifeEvents(), as_of=D(2026, 1, 1)
    )
    assert episode.is_open and episode.next_due_on is None


def test_removal_with_a_reason_closes_with_that_reason():
    visits = [
        Visit(1, D(2024, 1, 1), VisitKind.START, "IMPLAN3"),
        Visit(2, D(2025, 3, 1), VisitKind.REMOVAL, "IMPLAN3", stop_reason=EndReason.WANTS_CHILD),
    ]
    [episode] = build_episodes(visits, RULES, LifeEvents(), as_of=D(2025, 6, 1))
    assert (episode.ended_on, episode.end_reason) == (D(2025, 3, 1), EndReason.WANTS_CHILD)


visit_strategy = st.builds(
    lambda day, kind, method, qty, stop: (day, kind, method, qty, stop),
    st.dates(D(2020, 1, 1), D(2026, 12, 31)),
    st.sampled_from(list(VisitKind)),
    st.sampled_from(sorted(RULES)),
    st.integers(1, 4),
    st.one_of(st.none(), st.sampled_from([EndReason.WANTS_CHILD, EndReason.SIDE_EFFECTS])),
)


@settings(max_examples=300, deadline=None)
@given(
    raw=st.lists(visit_strategy, max_size=12),
    births=st.lists(st.dates(D(2020, 1, 1), D(2026, 12, 31)), max_size=2),
    as_of=st.dates(D(2020, 1, 1), D(2027, 6, 30)),
    probe=st.dates(D(2019, 6, 1), D(2027, 6, 30)),
)
def test_any_visits_give_ordered_non_overlapping_episodes_and_one_status(raw, births, as_of, probe):
    visits = [Visit(i, *item) for i, item in enumerate(raw)]
    life = LifeEvents(births=tuple(births))
    episodes = build_episodes(visits, RULES, life, as_of=as_of)
    for before, after in itertools.pairwise(episodes):
        assert before.ended_on is not None
        assert before.ended_on <= after.started_on
    assert all(e.ended_on is None or e.started_on <= e.ended_on for e in episodes)
    assert sum(e.is_open for e in episodes) <= 1
    assert all(not (e.is_new_user and e.is_switch) for e in episodes)
    covering = [e for e in episodes if e.covers(probe)]
    assert len(covering) <= 1
    status = status_on(episodes, RULES, probe, pregnant=False, intention="")
    assert (status.status == Status.USER) == bool(covering)
    # Every visit that gave a method on or before as_of is covered on its own day.
    for visit in visits:
        if visit.kind.gives_method and visit.on <= as_of:
            assert any(
                e.covers(visit.on) or e.started_on == e.ended_on == visit.on for e in episodes
            )


def test_an_episode_first_seen_at_a_repeat_visit_is_a_continuing_user_not_a_new_one():
    visits = [Visit(1, D(2025, 1, 6), VisitKind.REPEAT, "SUNTIK3")]
    [episode] = build_episodes(visits, RULES, LifeEvents(), as_of=D(2025, 2, 1))
    assert not episode.is_new_user and not episode.is_switch


def test_a_replacement_recorded_start_first_is_still_a_removal_then_a_start():
    """Found by the property test: an implant replaced on one day, the new start recorded before
    the removal, left the couple without a method."""
    visits = [
        Visit(1, D(2020, 1, 1), VisitKind.START, "IMPLAN3"),
        Visit(2, D(2023, 1, 1), VisitKind.START, "IMPLAN3"),
        Visit(3, D(2023, 1, 1), VisitKind.REMOVAL, "IMPLAN3"),
    ]
    first, second = build_episodes(visits, RULES, LifeEvents(), as_of=D(2023, 6, 1))
    assert (first.started_on, first.ended_on, first.end_reason) == (
        D(2020, 1, 1),
        D(2023, 1, 1),
        EndReason.REMOVAL,
    )
    assert (second.started_on, second.is_open) == (D(2023, 1, 1), True)
