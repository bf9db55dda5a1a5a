"""The classification in words: for each indicator its label, the value scored, the data behind
it and what would raise it (the next band's threshold), read from a stored ``Classification``."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from kampungkb.activities.models import ActivityKind, FundingSource, PoktanKind
from kampungkb.kampung.classification import INDICES, Index, Key
from kampungkb.kampung.models import Classification, DataSource

LABELS: dict[Key, Any] = {
    Key.POKJA: gettext_lazy("Pokja (working group)"),
    Key.FUNDING: gettext_lazy("Funding sources"),
    Key.POKTAN: gettext_lazy("Poktan present"),
    Key.FACILITIES: gettext_lazy("Secretariat and Rumah DataKu"),
    Key.PKB_REGULATION: gettext_lazy("PKB assigned and village regulation"),
    Key.DATA_SOURCES: gettext_lazy("Data sources used"),
    Key.MANAGEMENT: gettext_lazy("Management activities held"),
    Key.PARTNERS: gettext_lazy("Partner agencies in activities"),
    Key.PARTICIPATION: gettext_lazy("Poktan participation (%)"),
    Key.CPR: gettext_lazy("CPR (%)"),
    Key.MKJP: gettext_lazy("MKJP share of users (%)"),
    Key.UNMET_NEED: gettext_lazy("Unmet need (%)"),
}
INDEX_LABELS: dict[Index, Any] = {
    Index.INPUT: gettext_lazy("Input"),
    Index.PROCESS: gettext_lazy("Process"),
    Index.OUTPUT: gettext_lazy("Output"),
}
PERCENT = frozenset({Key.PARTICIPATION, Key.CPR, Key.MKJP, Key.UNMET_NEED})
FROM_PROFILE = frozenset(
    {Key.POKJA, Key.FUNDING, Key.FACILITIES, Key.PKB_REGULATION, Key.DATA_SOURCES}
)
# The target group each poktan's members are counted against.
TARGETS: dict[str, Any] = {
    "bkb": gettext_lazy("families with a child under 5"),
    "bkr": gettext_lazy("families with a member aged 10-24"),
    "bkl": gettext_lazy("families with a member aged 60 or over"),
    "uppka": gettext_lazy("all families"),
    "pikr": gettext_lazy("persons aged 10-24"),
}


@dataclass(frozen=True)
class ScoreRow:
    key: str
    index: str
    label: str
    value: str
    score: int
    max_score: int
    data: list[str]
    raise_hint: str  # "" at the top score


@dataclass(frozen=True)
class IndexRow:
    key: str
    label: str
    value: Decimal
    reached: bool
    rows: list[ScoreRow]


def pokja_words(level: int | None) -> str:
    words = {
        0: _("no Pokja"),
        1: _("a Pokja"),
        2: _("a Pokja with members or trained"),
        3: _("a trained Pokja with members"),
    }
    return _("no profile") if level is None else words.get(level, str(level))


def _percent(value: Any) -> str:
    return f"{number_format(Decimal(value), 1)}%"


def _hint(key: Key, next_at: int | None, score: int) -> str:
    if next_at is None:
        return ""
    params = {"n": next_at, "score": score + 1}
    texts: dict[Key, str] = {
        Key.POKJA: _("%(words)s would score %(score)s")
        % {"words": pokja_words(next_at), "score": score + 1},
        Key.FUNDING: ngettext(
            "at least %(n)s funding source would score %(score)s",
            "at least %(n)s funding sources would score %(score)s",
            next_at,
        )
        % params,
        Key.POKTAN: ngettext(
            "at least %(n)s kind of poktan would score %(score)s",
            "at least %(n)s kinds of poktan would score %(score)s",
            next_at,
        )
        % params,
        Key.FACILITIES: ngettext(
            "%(n)s of the two (secretariat, Rumah DataKu) would score %(score)s",
            "%(n)s of the two (secretariat, Rumah DataKu) would score %(score)s",
            next_at,
        )
        % params,
        Key.PKB_REGULATION: ngettext(
            "%(n)s of the two (a PKB or supervisor assigned, a village regulation) would score "
            "%(score)s",
            "%(n)s of the two (a PKB or supervisor assigned, a village regulation) would score "
            "%(score)s",
            next_at,
        )
        % params,
        Key.DATA_SOURCES: ngettext(
            "at least %(n)s data source would score %(score)s",
            "at least %(n)s data sources would score %(score)s",
            next_at,
        )
        % params,
        Key.MANAGEMENT: ngettext(
            "at least %(n)s kind of management activity since January would score %(score)s",
            "at least %(n)s kinds of management activity since January would score %(score)s",
            next_at,
        )
        % params,
        Key.PARTNERS: ngettext(
            "at least %(n)s partner agency in activities since January would score %(score)s",
            "at least %(n)s partner agencies in activities since January would score %(score)s",
            next_at,
        )
        % params,
        Key.PARTICIPATION: _("%(n)s%% or more would score %(score)s") % params,
        Key.CPR: _("%(n)s%% or more would score %(score)s") % params,
        Key.MKJP: _("%(n)s%% or more would score %(score)s") % params,
        Key.UNMET_NEED: _("%(n)s%% or less would score %(score)s") % params,
    }
    return texts[key]


def _names(values: list[str], labels: dict[str, Any]) -> str:
    return ", ".join(str(labels.get(v, v)) for v in values)


def _data(key: Key, inputs: dict[str, Any]) -> list[str]:
    """The data behind a score, as lines."""
    profile_missing = key in FROM_PROFILE and not inputs.get("has_profile")
    if profile_missing:
        return [_("No profile for this month or before: scores 1.")]
    kinds = dict(ActivityKind.choices)
    if key == Key.POKJA:
        return [
            _("Pokja exists: %(yes)s; members: %(members)s; trained: %(trained)s")
            % {
                "yes": _("yes") if inputs["pokja_exists"] else _("no"),
                "members": inputs["pokja_members"],
                "trained": _("yes") if inputs["pokja_trained"] else _("no"),
            }
        ]
    if key == Key.FUNDING:
        return [_names(inputs["funding_sources"], dict(FundingSource.choices)) or _("none")]
    if key == Key.POKTAN:
        return [_names(inputs["poktan_kinds"], dict(PoktanKind.choices)) or _("none registered")]
    if key == Key.FACILITIES:
        return [
            _("Secretariat: %(s)s; Rumah DataKu: %(r)s")
            % {
                "s": _("yes") if inputs["has_secretariat"] else _("no"),
                "r": _("yes") if inputs["has_rumah_dataku"] else _("no"),
            }
        ]
    if key == Key.PKB_REGULATION:
        return [
            _("PKB or supervisor: %(p)s; village regulation: %(r)s")
            % {
                "p": _("yes") if inputs["pkb_assigned"] else _("no"),
                "r": _("yes") if inputs["regulation_issued"] else _("no"),
            }
        ]
    if key == Key.DATA_SOURCES:
        return [_names(inputs["data_sources"], dict(DataSource.choices)) or _("none")]
    if key == Key.MANAGEMENT:
        return [_names(inputs["management_kinds"], kinds) or _("none recorded")]
    if key == Key.PARTNERS:
        return [", ".join(inputs["partners"]) or _("none recorded")]
    if key == Key.PARTICIPATION:
        lines = []
        for kind, (members, target) in inputs["participation"].items():
            share = _percent(Decimal(members) * 100 / target) if target else "—"
            lines.append(
                _("%(poktan)s: %(members)s members of %(target)s %(group)s (%(share)s)")
                % {
                    "poktan": kind.upper().replace("PIKR", "PIK-R"),
                    "members": members,
                    "target": target,
                    "group": TARGETS[kind],
                    "share": share,
                }
            )
        return lines
    raw = inputs.get(key.value)
    if raw is None:
        return [_("No figure for the month in the indicator facts: scores 1.")]
    return [_("%(value)s in the village's indicator facts") % {"value": _percent(raw)}]


def _value_text(key: Key, value: int | None) -> str:
    if key == Key.POKJA:
        return pokja_words(value)
    if value is None:
        return "—"
    return f"{value}%" if key in PERCENT else str(value)


def explain(classification: Classification) -> list[IndexRow]:
    """The indices, each with its indicators' scores, values, data and hints."""
    scores = classification.scores
    inputs = classification.inputs
    values = {
        Index.INPUT: classification.input_index,
        Index.PROCESS: classification.process_index,
        Index.OUTPUT: classification.output_index,
    }
    out = []
    for index, keys in INDICES.items():
        rows = []
        for key in keys:
            s = scores[key.value]
            rows.append(
                ScoreRow(
                    key=key.value,
                    index=index.value,
                    label=str(LABELS[key]),
                    value=_value_text(key, s["value"]),
                    score=s["score"],
                    max_score=s["max"],
                    data=_data(key, inputs),
                    raise_hint=_hint(key, s["next"], s["score"]),
                )
            )
        value = Decimal(values[index])
        out.append(
            IndexRow(
                key=index.value,
                label=str(INDEX_LABELS[index]),
                value=value,
                reached=value >= 3,
                rows=rows,
            )
        )
    return out
