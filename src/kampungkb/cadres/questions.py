"""The question bank shipped with the product: ``data/questions_id.json`` (Bahasa Indonesia).

Each entry has a stable ``code``, a ``topic`` (``Topic``), the question ``text``, four
``options``, the ``correct`` option (``a``-``d``) and an ``explanation``. ``bank_load`` writes them
(update or create by code, so running it again refreshes the texts and keeps the answers given);
the data migration ``0002_question_bank`` calls it so that a fresh install has the bank.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

BANK_FILE = Path(__file__).parent / "data" / "questions_id.json"
LETTERS = ("a", "b", "c", "d")


def bank_entries() -> list[dict[str, Any]]:
    return list(json.loads(BANK_FILE.read_text(encoding="utf-8")))


def bank_load(question_model: Any) -> int:
    """Write the shipped questions with ``question_model`` (the model, or the migration's
    historical model). Returns how many entries were written."""
    entries = bank_entries()
    for entry in entries:
        options = dict(zip(LETTERS, entry["options"], strict=True))
        question_model.objects.update_or_create(
            code=entry["code"],
            defaults={
                "topic": entry["topic"],
                "text": entry["text"],
                "option_a": options["a"],
                "option_b": options["b"],
                "option_c": options["c"],
                "option_d": options["d"],
                "correct": entry["correct"],
                "explanation": entry["explanation"],
                "is_active": True,
            },
        )
    return len(entries)
