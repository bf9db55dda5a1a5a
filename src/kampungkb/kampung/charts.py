"""The JSON the Kampung KB pages draw from (the map by class, the class history chart) and the
class colours. Every figure is also in the pages' tables."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy

from kampungkb.kampung.classification import Index, KampungClass
from kampungkb.kampung.explain import INDEX_LABELS
from kampungkb.kampung.models import Classification, KampungKb

# Ordinal and colour-blind safe (viridis), low to high; grey: not classified yet.
CLASS_COLOURS: dict[str, str] = {
    KampungClass.DASAR: "#fde725",
    KampungClass.BERKEMBANG: "#35b779",
    KampungClass.MANDIRI: "#31688e",
    KampungClass.BERKELANJUTAN: "#440154",
}
NO_CLASS_COLOUR = "#9ca3af"
NOT_CLASSIFIED = gettext_lazy("not classified yet")
CLASS_LABELS = dict(KampungClass.choices)


def class_colour(klass: str | None) -> str:
    return CLASS_COLOURS.get(klass or "", NO_CLASS_COLOUR)


def class_label(klass: str | None) -> str:
    return str(CLASS_LABELS[klass]) if klass else ""


def point(kampung: KampungKb, klass: str | None) -> dict[str, Any]:
    """A Kampung KB on a map: at its own coordinates, else its village's."""
    own = kampung.latitude is not None and kampung.longitude is not None
    lat = kampung.latitude if own else kampung.village.latitude
    lng = kampung.longitude if own else kampung.village.longitude
    return {
        "name": kampung.name,
        "village": kampung.village.name,
        "lat": float(lat) if lat is not None else None,
        "lng": float(lng) if lng is not None else None,
        "class": class_label(klass),
        "colour": class_colour(klass),
        "url": reverse("kampung:detail", args=[kampung.pk]),
    }


def map_data(rows: list[KampungKb], *, tiles: str = "", attribution: str = "") -> dict[str, Any]:
    return {
        "tiles": tiles,
        "attribution": attribution,
        "points": [point(k, getattr(k, "klass", None)) for k in rows],
    }


def history_chart(history: list[Classification]) -> dict[str, Any]:
    """The three indices per classified month (the class follows from them)."""
    return {
        "months": [date_format(c.month, "M Y") for c in history],
        "series": [
            {
                "key": index.value,
                "label": str(INDEX_LABELS[index]),
                "values": [float(getattr(c, f"{index.value}_index")) for c in history],
            }
            for index in Index
        ],
        "classes": [class_label(c.klass) for c in history],
    }


def dashboard_points(villages: list[Any]) -> list[dict[str, Any]]:
    """The Kampung KB of villages annotated by ``selectors.with_kampung_kb``, as map points: at
    the Kampung KB's own coordinates, else its village's."""
    points = []
    for v in villages:
        if v.kampung_pk is None:
            continue
        own = v.kampung_lat is not None and v.kampung_lng is not None
        lat = v.kampung_lat if own else v.latitude
        lng = v.kampung_lng if own else v.longitude
        if lat is None or lng is None:
            continue
        points.append(
            {
                "name": v.kampung_name,
                "village": v.name,
                "lat": float(lat),
                "lng": float(lng),
                "class": class_label(v.kampung_class) or str(NOT_CLASSIFIED),
                "colour": class_colour(v.kampung_class),
                "url": reverse("kampung:detail", args=[v.kampung_pk]),
            }
        )
    return points
