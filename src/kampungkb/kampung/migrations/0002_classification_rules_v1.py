"""Classification rules version 1: the bands of DOMAIN.md section 7 (the Kampung KB portal),
in force from the start of the programme (2016). Written out here, not imported, so that a later
change to the code's defaults never rewrites this version."""

import datetime as dt
from typing import Any

from django.db import migrations

BANDS: dict[str, dict[str, Any]] = {
    "pokja": {"direction": "up", "thresholds": [1, 2, 3]},
    "funding": {"direction": "up", "thresholds": [1, 2, 5]},
    "poktan": {"direction": "up", "thresholds": [1, 3, 5]},
    "facilities": {"direction": "up", "thresholds": [1, 2]},
    "pkb_regulation": {"direction": "up", "thresholds": [1, 2]},
    "data_sources": {"direction": "up", "thresholds": [1, 2, 4]},
    "management": {"direction": "up", "thresholds": [1, 3, 5]},
    "partners": {"direction": "up", "thresholds": [1, 4, 7]},
    "participation": {"direction": "up", "thresholds": [10, 21, 31]},
    "cpr": {"direction": "up", "thresholds": [30, 41, 51]},
    "mkjp": {"direction": "up", "thresholds": [20, 23, 25]},
    "unmet_need": {"direction": "down", "thresholds": [12, 9, 6]},
}


def add_rules(apps: Any, schema_editor: Any) -> None:
    rules = apps.get_model("kampung", "ClassificationRules")
    rules.objects.get_or_create(
        version=1,
        defaults={
            "valid_from": dt.date(2016, 1, 1),
            "bands": BANDS,
            "notes": "DOMAIN.md section 7 (Kampung KB portal).",
        },
    )


def remove_rules(apps: Any, schema_editor: Any) -> None:
    apps.get_model("kampung", "ClassificationRules").objects.filter(version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("kampung", "0001_initial")]

    operations = [migrations.RunPython(add_rules, remove_rules)]
