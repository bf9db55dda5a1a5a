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
    # A ratio per 100 of its denominator that may pass 100 (attendances per 100 PUS).
    PER_100 = "per_100"
    # A 0-100 score derived from an area's own facts (the participation index): never summed up.
    SCORE = "score"


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
    MEN_REACHED = "MEN_REACHED"
    # Child growth at Posyandu (WHO 2006 z-scores, decision 0034).
    CHILD_MEASURED = "CHILD_MEASURED"
    STUNTING = "STUNTING"
    SEVERE_STUNTING = "SEVERE_STUNTING"
    WASTING = "WASTING"
    UNDERWEIGHT = "UNDERWEIGHT"
    # Families at risk of stunting (KRS, PK21; decision 0039): target families, and their shares
    # at risk, by risk reason and with the house not fully recorded.
    KRS_TARGET = "KRS_TARGET"
    KRS_AT_RISK = "KRS_AT_RISK"
    KRS_UNSAFE_WATER = "KRS_UNSAFE_WATER"
    KRS_NO_LATRINE = "KRS_NO_LATRINE"
    KRS_TOO_YOUNG = "KRS_TOO_YOUNG"
    KRS_TOO_OLD = "KRS_TOO_OLD"
    KRS_TOO_CLOSE = "KRS_TOO_CLOSE"
    KRS_TOO_MANY = "KRS_TOO_MANY"
    KRS_HOUSE_UNKNOWN = "KRS_HOUSE_UNKNOWN"
    # Marriages recorded in the register and those below the legal and ideal ages (decision 0037).
    MARRIAGES = "MARRIAGES"
    MARRIED_UNDER_19 = "MARRIED_UNDER_19"
    WIFE_MARRIED_UNDER_21 = "WIFE_MARRIED_UNDER_21"
    HUSBAND_MARRIED_UNDER_25 = "HUSBAND_MARRIED_UNDER_25"
    # The participation index (DOMAIN.md section 6, decision 0035): sub-indicators ...
    PI_ACCEPT = "PI_ACCEPT"
    PI_ATTEND = "PI_ATTEND"
    PI_INTENTION = "PI_INTENTION"
    PI_CONTINUATION = "PI_CONTINUATION"
    PI_ON_TIME = "PI_ON_TIME"
    PI_POKTAN = "PI_POKTAN"
    PI_CADRE_ACTIVE = "PI_CADRE_ACTIVE"
    PI_FAMILY_CONTRIB = "PI_FAMILY_CONTRIB"
    PI_CADRE_DENSITY = "PI_CADRE_DENSITY"
    PI_COST_SHARE = "PI_COST_SHARE"
    # ... and the scores derived from them.
    PI_INTEREST = "PI_INTEREST"
    PI_ACTIVENESS = "PI_ACTIVENESS"
    PI_CONTRIBUTION = "PI_CONTRIBUTION"
    PI = "PI"
    # Family-assistance teams (TPK): targets visited in the month (decision 0040).
    TPK_KRS_ACCOMPANIED = "TPK_KRS_ACCOMPANIED"
    TPK_PREGNANT_ACCOMPANIED = "TPK_PREGNANT_ACCOMPANIED"
    TPK_BRIDE_ACCOMPANIED = "TPK_BRIDE_ACCOMPANIED"


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
        return self.unit in (Unit.PERCENT, Unit.PER_100)

    @property
    def is_derived(self) -> bool:
        """A score computed from the area's own facts at every level, never a sum of its
        sub-areas' (``fill`` skips it in roll-ups)."""
        return self.unit == Unit.SCORE

    def value(self, numerator: Decimal, denominator: Decimal | None) -> Decimal | None:
        """The figure shown: a count, CYP or score as is, a percentage (or rate per 100) of the
        denominator (None when the denominator is zero)."""
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

# Child growth (decision 0034): each child under 5 counts once in a month, with the last
# measurement of the month; a z-score counts only when computed and not flagged as implausible,
# so each prevalence has its own denominator.
_LAST_OF_MONTH = "children under 5 measured in the month (the last measurement of each)"
GROWTH_INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        Code.CHILD_MEASURED,
        "Balita yang diukur",
        "Children under 5 measured",
        "Children under 5 with a length/height or weight measurement in the month (at Posyandu "
        "or a home visit), each counted once.",
        Unit.COUNT,
        _LAST_OF_MONTH,
    ),
    Indicator(
        Code.STUNTING,
        "Prevalensi stunting (balita pendek)",
        "Stunting prevalence",
        f"Of the {_LAST_OF_MONTH} with a valid length/height-for-age z-score, those below -2 SD of "
        "the WHO 2006 standard, as a percentage.",
        Unit.PERCENT,
        "children with HAZ < -2",
        "children with a valid HAZ",
    ),
    Indicator(
        Code.SEVERE_STUNTING,
        "Prevalensi balita sangat pendek",
        "Severe stunting prevalence",
        f"Of the {_LAST_OF_MONTH} with a valid length/height-for-age z-score, those below -3 SD, "
        "as a percentage.",
        Unit.PERCENT,
        "children with HAZ < -3",
        "children with a valid HAZ",
    ),
    Indicator(
        Code.WASTING,
        "Prevalensi wasting (gizi kurang)",
        "Wasting prevalence",
        f"Of the {_LAST_OF_MONTH} with a valid weight-for-length/height z-score (none with "
        "oedema), those below -2 SD, as a percentage.",
        Unit.PERCENT,
        "children with WHZ < -2",
        "children with a valid WHZ",
    ),
    Indicator(
        Code.UNDERWEIGHT,
        "Prevalensi berat badan kurang (underweight)",
        "Underweight prevalence",
        f"Of the {_LAST_OF_MONTH} with a valid weight-for-age z-score (none with oedema), those "
        "below -2 SD, as a percentage.",
        Unit.PERCENT,
        "children with WAZ < -2",
        "children with a valid WAZ",
    ),
)

# Families at risk of stunting (decision 0039, docs/stunting.md): the active families judged on
# the month's reference day as ``stunting.risk.assess`` judges them; every share is of the target
# families, so roll-ups weigh each village's target families.
_KRS_ON = "on the last day of the month (today for the current month)"
_TARGET_FAMILIES = "target families"


def _krs_share(code: Code, name_id: str, name_en: str, what: str, numerator: str) -> Indicator:
    return Indicator(
        code,
        name_id,
        name_en,
        f"Of the target families {_KRS_ON}, those {what}, as a percentage.",
        Unit.PERCENT,
        numerator,
        _TARGET_FAMILIES,
    )


KRS_INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        Code.KRS_TARGET,
        "Keluarga sasaran",
        "Target families",
        f"Active families that are a target family {_KRS_ON}: with a PUS, a pregnant wife, a "
        "living child under 2 (baduta) or a living child aged 2 to 5 (balita).",
        Unit.COUNT,
        _TARGET_FAMILIES,
    ),
    _krs_share(
        Code.KRS_AT_RISK,
        "Keluarga berisiko stunting (KRS)",
        "Families at risk of stunting",
        "with at least one risk reason (no decent drinking water, no decent latrine, or a wife "
        "of a PUS too young, too old, with births too close or too many children)",
        "target families at risk",
    ),
    _krs_share(
        Code.KRS_UNSAFE_WATER,
        "Keluarga sasaran tanpa sumber air minum layak",
        "Target families without decent drinking water",
        "whose main drinking-water source is recorded and is not bottled/refill, piped, "
        "borehole/pump or a protected well",
        "target families without decent drinking water",
    ),
    _krs_share(
        Code.KRS_NO_LATRINE,
        "Keluarga sasaran tanpa jamban layak",
        "Target families without a decent latrine",
        "with no latrine, or a latrine without a septic tank",
        "target families without a decent latrine",
    ),
    _krs_share(
        Code.KRS_TOO_YOUNG,
        "Keluarga sasaran dengan istri terlalu muda",
        "Target families with a wife too young",
        "with a wife of a PUS under 20",
        "target families with a PUS wife under 20",
    ),
    _krs_share(
        Code.KRS_TOO_OLD,
        "Keluarga sasaran dengan istri terlalu tua",
        "Target families with a wife too old",
        "with a wife of a PUS older than the setting KAMPUNGKB_KRS_TOO_OLD_AGE (35: 36 and over)",
        "target families with a PUS wife too old",
    ),
    _krs_share(
        Code.KRS_TOO_CLOSE,
        "Keluarga sasaran dengan jarak kelahiran terlalu dekat",
        "Target families with births too close",
        "with a wife of a PUS whose two latest births (twins are one birth, a child who died "
        "still counts) are less than 2 years apart",
        "target families with a PUS wife's births too close",
    ),
    _krs_share(
        Code.KRS_TOO_MANY,
        "Keluarga sasaran dengan anak terlalu banyak",
        "Target families with too many children",
        "with a wife of a PUS who has more than 3 living children, wherever they live",
        "target families with a PUS wife of more than 3 living children",
    ),
    _krs_share(
        Code.KRS_HOUSE_UNKNOWN,
        "Keluarga sasaran dengan data rumah belum lengkap",
        "Target families with the house not fully recorded",
        "whose drinking-water source, latrine or septic tank is not recorded, so that a risk "
        "reason cannot be judged",
        "target families with the house not fully recorded",
    ),
)

# Marriages (decision 0037): couples of the register by the month of their marriage date.
MARRIAGE_INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        Code.MARRIAGES,
        "Pernikahan",
        "Marriages",
        "Couples of the register whose marriage date falls in the month (by the wife's family's "
        "village).",
        Unit.COUNT,
        "couples married in the month",
    ),
    Indicator(
        Code.MARRIED_UNDER_19,
        "Pernikahan di bawah 19 tahun",
        "Marriages below 19",
        "Of the couples married in the month, those where the wife or the husband was under 19 "
        "(the legal minimum, UU 16/2019) on the day, as a percentage.",
        Unit.PERCENT,
        "marriages with a spouse under 19",
        "couples married in the month",
    ),
    Indicator(
        Code.WIFE_MARRIED_UNDER_21,
        "Istri menikah di bawah 21 tahun",
        "Wives married below 21",
        "Of the couples married in the month, those where the wife was under 21 (the programme's "
        "ideal age for women) on the day, as a percentage.",
        Unit.PERCENT,
        "marriages with the wife under 21",
        "couples married in the month",
    ),
    Indicator(
        Code.HUSBAND_MARRIED_UNDER_25,
        "Suami menikah di bawah 25 tahun",
        "Husbands married below 25",
        "Of the couples married in the month with the husband's birth date known, those where "
        "he was under 25 (the programme's ideal age for men) on the day, as a percentage.",
        Unit.PERCENT,
        "marriages with the husband under 25",
        "couples married in the month with the husband's birth date known",
    ),
)

# The participation index (DOMAIN.md section 6, decision 0035, docs/participation.md): each
# sub-indicator is a ratio, so areas above the village weigh their villages; its scaling to 0-100
# and weight are versioned configuration (``participation/index.py``). "The quarter" is the month
# and the two before it; "the year" the month and the eleven before it.
_QUARTER = "in the quarter (the month and the two before it)"
PARTICIPATION_INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        Code.PI_ACCEPT,
        "Non-peserta terjangkau yang menjadi peserta KB",
        "Reached non-users who accepted a method",
        "Couples reached while not using a method (a cadre's visit or referral, or the wife or "
        "husband at a counselling, socialisation, men's forum or service day) "
        f"{_QUARTER}, that began a method within 90 days of the first contact, as a percentage "
        "of those reached.",
        Unit.PERCENT,
        "reached non-using couples that began a method within 90 days",
        "non-using couples reached in the quarter",
    ),
    Indicator(
        Code.PI_ATTEND,
        "Kehadiran penyuluhan per 100 PUS",
        "Counselling attendance per 100 PUS",
        "Attendances (named or counted) at counselling, socialisation, men's forums and service "
        f"days held {_QUARTER}, per 100 PUS on the last day of the month.",
        Unit.PER_100,
        "attendances at counselling and socialisation in the quarter",
        "PUS",
    ),
    Indicator(
        Code.PI_INTENTION,
        "PUS dengan niat ber-KB tercatat",
        "PUS with a recorded fertility intention",
        "PUS whose fertility intention (a child soon, delay, no more) is recorded on or before the "
        "last day of the month, as a percentage of all PUS.",
        Unit.PERCENT,
        "PUS with a recorded intention",
        "PUS",
    ),
    Indicator(
        Code.PI_CONTINUATION,
        "Kelangsungan ber-KB",
        "Continuation of use",
        "Episodes of use in force on the first day of the quarter that did not drop out by the "
        "end of the month (1 - the quarter's drop-out rate), as a percentage.",
        Unit.PERCENT,
        "episodes in force at the start of the quarter not dropped out",
        "episodes in force at the start of the quarter",
    ),
    Indicator(
        Code.PI_ON_TIME,
        "Kunjungan tindak lanjut tepat waktu",
        "Follow-ups done on time",
        f"Cadres' follow-ups of a due date done {_QUARTER} within 14 days of the date they "
        "followed up, as a percentage of those follow-ups.",
        Unit.PERCENT,
        "follow-ups done within 14 days of the due date",
        "follow-ups of a due date done in the quarter",
    ),
    Indicator(
        Code.PI_POKTAN,
        "Anggota poktan yang hadir",
        "Poktan members attending",
        "Members of the area's poktan (BKB, BKR, BKL, UPPKA, PIK-R) on the last day of the month "
        f"who attended a session of their poktan {_QUARTER}, as a percentage of the members.",
        Unit.PERCENT,
        "members who attended a session of their poktan in the quarter",
        "poktan members",
    ),
    Indicator(
        Code.PI_CADRE_ACTIVE,
        "Kader aktif",
        "Active cadres",
        "Cadres serving on the last day of the month who attended an activity or recorded a "
        f"follow-up {_QUARTER}, as a percentage of the cadres serving.",
        Unit.PERCENT,
        "serving cadres active in the quarter",
        "serving cadres",
    ),
    Indicator(
        Code.PI_FAMILY_CONTRIB,
        "Keluarga yang berkontribusi",
        "Families that contributed",
        "Families with a member who gave time, labour, money, goods or ideas to a programme "
        "activity in the year (the month and the eleven before it), as a percentage of the "
        "active families.",
        Unit.PERCENT,
        "families that contributed in the year",
        "active families",
    ),
    Indicator(
        Code.PI_CADRE_DENSITY,
        "Kader per 100 keluarga",
        "Cadres per 100 families",
        "Cadres serving on the last day of the month per 100 active families.",
        Unit.PER_100,
        "serving cadres",
        "active families",
    ),
    Indicator(
        Code.PI_COST_SHARE,
        "Porsi biaya swadaya dan mitra",
        "Self-funded and partner-funded share of costs",
        "Of the costs of the activities held in the year (their funding, partners' "
        "contributions and the value of residents' money and goods), the part that was "
        "self-funded (swadaya), given by partners or given by residents, as a percentage.",
        Unit.PERCENT,
        "self-funded, partner and resident costs in the year",
        "all costs of the year's activities",
    ),
    Indicator(
        Code.PI_INTEREST,
        "Indeks minat",
        "Interest score",
        "The weighted mean of the interest sub-indicators, each scaled to 0-100 (versioned "
        "configuration, docs/participation.md); computed for every area from its own figures.",
        Unit.SCORE,
        "score 0-100",
    ),
    Indicator(
        Code.PI_ACTIVENESS,
        "Indeks keaktifan",
        "Activeness score",
        "The weighted mean of the activeness sub-indicators (mCPR among them), each scaled to "
        "0-100; computed for every area from its own figures.",
        Unit.SCORE,
        "score 0-100",
    ),
    Indicator(
        Code.PI_CONTRIBUTION,
        "Indeks kontribusi",
        "Contribution score",
        "The weighted mean of the contribution sub-indicators, each scaled to 0-100; computed "
        "for every area from its own figures.",
        Unit.SCORE,
        "score 0-100",
    ),
    Indicator(
        Code.PI,
        "Indeks partisipasi",
        "Participation index",
        "The weighted mean of the interest, activeness and contribution scores (none missing); "
        "level low below 40, medium from 40, high from 70.",
        Unit.SCORE,
        "score 0-100",
    ),
)

# TPK coverage (decision 0040, ``cadres.tpk_facts``): the figures of ``cadres.tpk_coverage``; a
# visit counts for a target of the village of the team that made it.
TPK_INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        Code.TPK_KRS_ACCOMPANIED,
        "Keluarga berisiko stunting yang didampingi TPK",
        "Families at risk accompanied by a TPK",
        "Families at risk of stunting on the month's reference day (the numerator of "
        "KRS_AT_RISK) that a family-assistance team of their village visited in the month (the "
        "family or one of its members), as a percentage of the families at risk.",
        Unit.PERCENT,
        "families at risk visited by a TPK in the month",
        "families at risk (KRS_AT_RISK numerator)",
    ),
    Indicator(
        Code.TPK_PREGNANT_ACCOMPANIED,
        "Ibu hamil yang didampingi TPK",
        "Pregnant women accompanied by a TPK",
        "Pregnant women (a pregnancy open at any time in the month) visited as pregnant mothers "
        "by a family-assistance team of their village in the month, as a percentage of them.",
        Unit.PERCENT,
        "pregnant women visited as pregnant in the month",
        "pregnant women in the month",
    ),
    Indicator(
        Code.TPK_BRIDE_ACCOMPANIED,
        "Calon pengantin yang didampingi TPK",
        "Brides-to-be accompanied by a TPK",
        "Brides-to-be to accompany (registered by the month's last day, her first pregnancy after "
        "the wedding not recorded and her registration not cancelled by its first day) visited "
        "as brides-to-be by a "
        "family-assistance team of their village in the month, as a percentage of them.",
        Unit.PERCENT,
        "brides-to-be visited in the month",
        "brides-to-be to accompany in the month",
    ),
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
    Indicator(
        Code.MEN_REACHED,
        "Laki-laki yang terjangkau kegiatan",
        "Men reached by activities",
        "Attendances of men at the programme activities held in the month: men named in the "
        "attendance list plus men counted without names.",
        Unit.COUNT,
        "attendances of men at activities held in the month",
    ),
    *GROWTH_INDICATORS,
    *KRS_INDICATORS,
    *MARRIAGE_INDICATORS,
    *PARTICIPATION_INDICATORS,
    *TPK_INDICATORS,
)

BY_CODE: dict[str, Indicator] = {i.code.value: i for i in INDICATORS}
DERIVED: tuple[str, ...] = tuple(i.code.value for i in INDICATORS if i.is_derived)


def indicator(code: str) -> Indicator:
    return BY_CODE[code]
