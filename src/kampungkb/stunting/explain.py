"""Each finding of an assessment said in a sentence, in the language of the request: what the
family page and the API show so that a cadre sees the data behind a reason."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kampungkb.families.models import Latrine, WaterSource
from kampungkb.stunting.risk import Finding, RiskReason, TargetReason, Unknown


def _date(day: object) -> str:
    return day.strftime("%d-%m-%Y") if hasattr(day, "strftime") else ""


def _label(choices: type[WaterSource] | type[Latrine], value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def _target(f: Finding) -> str:
    wife = f.wife.name if f.wife else ""
    child = f.child.name if f.child else ""
    if f.reason == TargetReason.PUS:
        if f.husband_name:
            return _(
                "%(wife)s (%(age)s) and %(husband)s are a married couple of reproductive age."
            ) % {"wife": wife, "age": f.years, "husband": f.husband_name}
        return _("%(wife)s (%(age)s) is a married woman of reproductive age.") % {
            "wife": wife,
            "age": f.years,
        }
    if f.reason == TargetReason.PREGNANT:
        return _("%(wife)s is pregnant (recorded on %(date)s).") % {
            "wife": wife,
            "date": _date(f.since),
        }
    if f.reason == TargetReason.UNDER_2:
        return ngettext(
            "%(child)s is %(months)s month old.",
            "%(child)s is %(months)s months old.",
            f.months or 0,
        ) % {"child": child, "months": f.months}
    return _("%(child)s is %(age)s years old.") % {"child": child, "age": f.years}


def _house(f: Finding) -> str:
    if f.reason == RiskReason.UNSAFE_WATER:
        return _("Drinking water: %(source)s.") % {"source": _label(WaterSource, f.value)}
    if f.value == Latrine.NONE:
        return _("The family has no latrine.")
    if f.value:
        return _("%(latrine)s without a septic tank.") % {"latrine": _label(Latrine, f.value)}
    return _("The latrine has no septic tank.")


def _wife(f: Finding) -> str:
    wife = f.wife.name if f.wife else ""
    if f.reason == RiskReason.TOO_YOUNG:
        return _("%(wife)s is %(age)s: under 20.") % {"wife": wife, "age": f.years}
    if f.reason == RiskReason.TOO_OLD:
        return _("%(wife)s is %(age)s: over %(limit)s.") % {
            "wife": wife,
            "age": f.years,
            "limit": f.limit,
        }
    if f.reason == RiskReason.TOO_CLOSE:
        older, younger = f.older_child, f.child
        return ngettext(
            "The two youngest children of %(wife)s, %(older)s (born %(older_born)s) and "
            "%(younger)s (born %(younger_born)s), were born %(months)s month apart.",
            "The two youngest children of %(wife)s, %(older)s (born %(older_born)s) and "
            "%(younger)s (born %(younger_born)s), were born %(months)s months apart.",
            f.months or 0,
        ) % {
            "wife": wife,
            "older": older.name if older else "",
            "older_born": _date(older.birth_date) if older else "",
            "younger": younger.name if younger else "",
            "younger_born": _date(younger.birth_date) if younger else "",
            "months": f.months,
        }
    return _("%(wife)s has %(count)s living children: more than 3.") % {
        "wife": wife,
        "count": f.children,
    }


def explain(finding: Finding) -> str:
    if finding.reason in TargetReason.values:
        return _target(finding)
    if finding.reason in (RiskReason.UNSAFE_WATER, RiskReason.NO_DECENT_LATRINE):
        return _house(finding)
    return _wife(finding)


def question(unknown: Unknown | str) -> str:
    """What a cadre asks the family to record what is missing."""
    if unknown == Unknown.WATER_SOURCE:
        return _("Where does the family's drinking water mainly come from?")
    if unknown == Unknown.LATRINE:
        return _("Does the family have a latrine (own, shared or public)?")
    return _("Does the latrine drain into a septic tank?")
