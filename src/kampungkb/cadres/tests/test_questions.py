"""The question bank shipped with the product: at least 40 questions, each valid, across every
topic of the curriculum, loaded by the data migration."""

from __future__ import annotations

from collections import Counter

from kampungkb.cadres.models import Question, Topic
from kampungkb.cadres.questions import bank_entries, bank_load
from kampungkb.testing.world import World


def test_the_file_holds_at_least_40_valid_questions_across_the_topics() -> None:
    entries = bank_entries()
    assert len(entries) >= 40
    assert len({e["code"] for e in entries}) == len(entries)
    for entry in entries:
        assert entry["topic"] in Topic.values, entry["code"]
        assert len(entry["options"]) == 4, entry["code"]
        assert all(o.strip() for o in entry["options"]), entry["code"]
        assert len(set(entry["options"])) == 4, entry["code"]
        assert entry["correct"] in ("a", "b", "c", "d"), entry["code"]
        assert entry["text"].strip() and len(entry["explanation"].strip()) > 40, entry["code"]
    per_topic = Counter(e["topic"] for e in entries)
    assert set(per_topic) == set(Topic.values)
    assert min(per_topic.values()) >= 6


def test_the_migration_loaded_the_bank(world: World) -> None:
    assert Question.objects.filter(is_active=True).count() == len(bank_entries())
    for question in Question.objects.all():
        assert question.option_text(question.correct), question.code


def test_the_vasectomy_myth_is_answered_false(world: World) -> None:
    question = Question.objects.get(code="MOP-01")
    assert "impotensi" in question.text
    assert question.option_text(question.correct).startswith("Salah")


def test_loading_again_changes_nothing(world: World) -> None:
    before = list(Question.objects.order_by("code").values_list("pk", "code", "correct"))
    assert bank_load(Question) == len(before)
    assert list(Question.objects.order_by("code").values_list("pk", "code", "correct")) == before
