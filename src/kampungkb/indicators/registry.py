"""Every indicator, declared once (DOMAIN.md section 4, decisions 0010 and 0013).

The fill engine (``fill.py``) computes each one per village and month into ``Fact`` rows;
``docs/indicators.md`` documents each, and a test fails when one is missing there. A fact stores a
numerator and, for ratios, a denominator, so roll-ups sum both and ratios stay weighted.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Unit(StrEnum):
    COUNT = "count"
    PERCENT = "percent"
    CYP = "cyp"


class Code(StrEnum):
    PUS = "PUS"
    PA = "PA"
    PB = "PB"
    MCPR = "MCPR"
    CPR = "CPR"
    MKJP = "MKJP"
    NON_USER = "NON_USER"
    UNMET_NEED = "UNMET_NEED"
    DROP_OUT = "DROP_OUT"
    KBPP = "KBPP"
    MALE = "MALE"
    CYP = "CYP"
    PUS_PREGNANT = "PUS_PREGNANT"
    WIFE_UNDER_20 = "WIFE_UNDER_20"


# Subgroups: "" is the total; "method:SUNTIK3" one method; "reason:delay" one non-use reason.
BY_METHOD = "method"
BY_REASON = "reason"
NON_USE_REASONS = ("pregnant", "soon", "delay", "no_more", "unknown")


@dataclass(frozen=True)
class Indicator:
    code: Code
    name_id: str
    name_en: str
    definition: str
    unit: Unit
    numerator: str
    denominator: str = ""
    disaggregations: tuple[str, ...] = ()

    @property
    def is_ratio(self) -> bool:
        return self.unit == Unit.PERCENT

    def value(self, numerator: Decimal, denominator: Decimal | None) -> Decimal | None:
        """The figure shown: a count or CYP as is, a percentage of the denominator (None when
        the denominator is zero)."""
        if not self.is_ratio:
            return numerator
        if not denominator:
            return None
        return numerator * 100 / denominator


_PA_RULE = (
    "a PUS whose method is in force on the last day of the month (today for the current month): "
    "the episode of use covers that day and the due date set by its last visit on or before it, "
    "plus the method's grace days, is not past"
)

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        Code.PUS,
        "Pasangan usia subur (PUS)",
        "Eligible couples (PUS)",
        "Married couples with the wife aged 15-49 and alive on the last day of the month "
        "(pregnant PUS are still PUS).",
        Unit.COUNT,
        "couples that are a PUS on the last day of the month",
    ),
    Indicator(
        Code.PA,
        "Peserta KB aktif (PA)",
        "Active users (PA)",
        f"PUS using a method: {_PA_RULE}.",
        Unit.COUNT,
        "active users on the last day of the month",
        disaggregations=(BY_METHOD,),
    ),
    Indicator(
        Code.PB,
        "Peserta KB baru (PB)",
        "New users (PB)",
        "Episodes of use begun in the month by a first-ever user or a first use after a birth or "
        "miscarriage; a switch of method (ganti cara) and a return after a drop-out are not new.",
        Unit.COUNT,
        "new-user episodes started in the month",
        disaggregations=(BY_METHOD,),
    ),
    Indicator(
        Code.MCPR,
        "Prevalensi kontrasepsi modern (mCPR)",
        "Modern contraceptive prevalence rate (mCPR)",
        "Active users of a modern method as a percentage of all PUS, on the last day of the month.",
        Unit.PERCENT,
        "active users of a modern method",
        "PUS",
    ),
    Indicator(
        Code.CPR,
        "Prevalensi kontrasepsi (CPR)",
        "Contraceptive prevalence rate (CPR)",
        "Active users of any method (modern or traditional) as a percentage of all PUS, on the "
        "last day of the month.",
        Unit.PERCENT,
        "active users of any method",
        "PUS",
    ),
    Indicator(
        Code.MKJP,
        "Proporsi MKJP",
        "Long-acting and permanent methods share (MKJP)",
        "Active users of IUD, implant, MOW or MOP (methods marked long-acting in the catalogue) as "
        "a percentage of all active users.",
        Unit.PERCENT,
        "active users of a long-acting or permanent method",
        "active users (PA)",
    ),
    Indicator(
        Code.NON_USER,
        "PUS bukan peserta KB",
        "Non-users among PUS",
        "PUS that are not active users on the last day of the month (including users overdue "
        "past grace), by reason: pregnant; wants a child soon; wants to delay (IAT); wants no "
        "more children (TIAL); unknown. An intention counts from the day it was recorded; a "
        "pregnancy counts from the day it was recorded until the day it ended.",
        Unit.COUNT,
        "PUS not active users",
        disaggregations=(BY_REASON,),
    ),
    Indicator(
        Code.UNMET_NEED,
        "Kebutuhan ber-KB tidak terpenuhi (unmet need)",
        "Unmet need for family planning",
        "Non-users that want to delay the next child (IAT) or want no more children (TIAL) as a "
        "percentage of all PUS (BKKBN routine definition); pregnant non-users are not counted.",
        Unit.PERCENT,
        "non-using PUS with IAT or TIAL",
        "PUS",
        disaggregations=(BY_REASON,),
    ),
    Indicator(
        Code.DROP_OUT,
        "Peserta KB putus pakai (drop-out)",
        "Drop-outs",
        "Episodes of use that reach their drop-out day in the month: three calendar months after "
        "the due date plus grace (decision 0010), counted in the month it happens.",
        Unit.COUNT,
        "episodes whose drop-out day falls in the month",
        disaggregations=(BY_METHOD,),
    ),
    Indicator(
        Code.KBPP,
        "KB pasca persalinan (KBPP)",
        "Post-partum family planning (KBPP)",
        "Episodes of use begun in the month within 42 days after a delivery (Perban 18/2020).",
        Unit.COUNT,
        "post-partum episodes started in the month",
        disaggregations=(BY_METHOD,),
    ),
    Indicator(
        Code.MALE,
        "Partisipasi pria",
        "Male participation",
        "Active users of MOP or condom (methods marked for men) as a percentage of all active "
        "users.",
        Unit.PERCENT,
        "active users of a method for men",
        "active users (PA)",
    ),
    Indicator(
        Code.CYP,
        "Tahun perlindungan pasangan (CYP)",
        "Couple-years of protection (CYP)",
        "Sum over the visits of the month that give a method of quantity x CYP per unit; "
        "procedures, insertions and per-user methods count once, at the start (or switch) that "
        "opens the episode.",
        Unit.CYP,
        "couple-years of protection given in the month",
        disaggregations=(BY_METHOD,),
    ),
    Indicator(
        Code.PUS_PREGNANT,
        "PUS hamil",
        "Pregnant PUS",
        "PUS with a pregnancy recorded on or before the last day of the month and not ended by it.",
        Unit.COUNT,
        "pregnant PUS on the last day of the month",
    ),
    Indicator(
        Code.WIFE_UNDER_20,
        "PUS dengan istri di bawah 20 tahun",
        "PUS with a wife under 20",
        "PUS whose wife is aged 15-19 on the last day of the month.",
        Unit.COUNT,
        "PUS with the wife under 20",
    ),
)

BY_CODE: dict[str, Indicator] = {i.code.value: i for i in INDICATORS}


def indicator(code: str) -> Indicator:
    return BY_CODE[code]
