"""Load the question bank shipped with the product (``cadres/data/questions_id.json``), so that a
fresh install can test cadres at once. Reversing leaves the questions (answers may point at them)."""

from typing import Any

from django.db import migrations


def add_questions(apps: Any, schema_editor: Any) -> None:
    from kampungkb.cadres.questions import bank_load

    bank_load(apps.get_model("cadres", "Question"))


class Migration(migrations.Migration):
    dependencies = [("cadres", "0001_initial")]

    operations = [migrations.RunPython(add_questions, migrations.RunPython.noop)]
