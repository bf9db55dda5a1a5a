"""The demo's programme work: partners with their MoUs, poktan with members, and a year of
activities with attendance and contributions in three villages of the seed:

- Tumbuh Mulia (Suralaga), a Kampung KB whose UPPKA group is trained by a state company's
  creative house (Rumah Kreatif BUMN, a Pertamina programme) under an MoU that runs out soon;
- Pancor (Selong), where a religious organisation (Muslimat NW) runs monthly counselling in its
  majelis taklim under an MoU with the district office; the demo partner user speaks for it;
- Kota Bangun Ulu (Kota Bangun), whose PKK and civil registry work with the village.

The ``kader`` login is Tumbuh Mulia's PPKBD, and the cadres' incentive cycle of Lombok Timur
(decision 0028) is seeded after them, by ``demo/incentives.py``; a year of refused follow-ups
with their barriers, in both districts, last, by ``demo/barriers.py``.

Everything is SYNTHETIC (names of real organisations, invented activities and figures) and
seeded: the same seed and day give the same rows. The rows are written in bulk past the
services (the demo's population is, too), except the cadres, their meetings and the incentive
cycle, written through their services; ``ProgrammeIds`` lists them for the reset.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from django.db.models import Model

from kampungkb.accounts.models import Role, RoleAssignment, User
from kampungkb.activities.models import (
    Activity,
    ActivityKind,
    ActivityPartner,
    ActivityStatus,
    AgeGroup,
    Attendance,
    AttendanceCount,
    Contribution,
    ContributionKind,
    FamilyFunction,
    FundingSource,
    PartnerContribution,
    PartnerContributionKind,
    Poktan,
    PoktanKind,
    PoktanMember,
    TargetGroup,
)
from kampungkb.cadres.meetings_services import (
    action_item_add,
    action_item_close,
    carry_over,
    meeting_attendance_set,
    meeting_open,
)
from kampungkb.cadres.models import (
    ActionItem,
    ActionStatus,
    Cadre,
    CadreRole,
    KnowledgeTest,
    Meeting,
    Option,
    Phase,
    Question,
    Topic,
)
from kampungkb.cadres.services import CadreData, cadre_register, test_record, training_topics_set
from kampungkb.contraception.models import FollowUp
from kampungkb.core.models import AuditEvent
from kampungkb.core.periods import add_months, month_start, months
from kampungkb.demo.barriers import barriers_seed
from kampungkb.demo.incentives import (
    CADRE_LOGIN,
    LOMBOK_TIMUR,
    TUMBUH_MULIA,
    cadre_login,
    incentive_rows,
    incentives_seed,
)
from kampungkb.demo.surveys import surveys_reset, surveys_seed
from kampungkb.families.models import Person, age_on
from kampungkb.kampung.models import (
    Classification,
    Criterion,
    DataSource,
    KampungKb,
    ModelFlag,
    ProfileVersion,
)
from kampungkb.kampung.services import KampungData, ProfileData, kampung_register, profile_save
from kampungkb.partners.models import (
    Commitment,
    CommitmentMeasure,
    Mou,
    Partner,
    PartnerContact,
    PartnerKind,
    PartnerMembership,
)
from kampungkb.regions.models import Area, Level
from kampungkb.regions.selectors import subtree_q

# TUMBUH_MULIA and LOMBOK_TIMUR come from demo/incentives.py, whose cycle runs there.
PANCOR = "52.03.07.1001"
KOTA_BANGUN_ULU = "64.02.08.2005"
KUTAI_KARTANEGARA = "64.02"
PARTNER_LOGIN = "mitra"  # the demo user who speaks for Muslimat NW


@dataclass
class ProgrammeIds:
    partners: list[int] = field(default_factory=list)
    mous: list[int] = field(default_factory=list)
    poktan: list[int] = field(default_factory=list)
    activities: list[int] = field(default_factory=list)
    kampung: list[int] = field(default_factory=list)
    cadres: list[int] = field(default_factory=list)
    incentive_rules: list[int] = field(default_factory=list)
    incentive_batches: list[int] = field(default_factory=list)
    follow_ups: list[int] = field(default_factory=list)
    service_visits: list[int] = field(default_factory=list)
    barrier_follow_ups: list[int] = field(default_factory=list)  # demo/barriers.py's refusals
    surveys: list[int] = field(default_factory=list)  # demo/surveys.py
    field_notes: list[int] = field(default_factory=list)  # demo/surveys.py

    def as_json(self) -> dict[str, list[int]]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ProgrammeIds:
        return cls(**{f.name: list(data.get(f.name, [])) for f in fields(cls)})


@dataclass(frozen=True)
class _PartnerSpec:
    key: str
    name: str
    kind: str
    area: str
    served: tuple[str, ...]
    description: str
    contact: tuple[str, str, str]  # name, position, phone


PARTNERS = (
    _PartnerSpec(
        "rkb",
        "Rumah Kreatif BUMN Lombok Timur",
        PartnerKind.STATE_COMPANY,
        LOMBOK_TIMUR,
        (TUMBUH_MULIA,),
        "Rumah Kreatif BUMN binaan PT Pertamina (Persero): pelatihan usaha, kemasan dan"
        " pemasaran digital untuk kelompok UPPKA.",
        ("Ahmad Zulkarnain", "Koordinator Rumah Kreatif", "081907001122"),
    ),
    _PartnerSpec(
        "mnw",
        "PD Muslimat NW Lombok Timur",
        PartnerKind.RELIGIOUS,
        LOMBOK_TIMUR,
        (PANCOR,),
        "Penyuluhan KB dan ketahanan keluarga melalui majelis taklim.",
        ("Hj. Siti Rohmi", "Ketua PD Muslimat NW", "081803004455"),
    ),
    _PartnerSpec(
        "pkk",
        "TP PKK Kecamatan Suralaga",
        PartnerKind.PKK,
        LOMBOK_TIMUR,
        ("52.03.13",),
        "Kader PKK mendampingi kelompok BKB, BKR dan BKL.",
        ("Baiq Nurhayati", "Ketua TP PKK Kecamatan", "087765002211"),
    ),
    _PartnerSpec(
        "unhamzah",
        "Universitas Hamzanwadi",
        PartnerKind.UNIVERSITY,
        LOMBOK_TIMUR,
        (PANCOR, "52.03.07.1002"),
        "KKN tematik Kampung KB dan pendampingan PIK-R.",
        ("Dr. Muhammad Halqi", "Kepala LPPM", "081917223344"),
    ),
    _PartnerSpec(
        "pkk_kb",
        "TP PKK Kecamatan Kota Bangun",
        PartnerKind.PKK,
        KUTAI_KARTANEGARA,
        ("64.02.08",),
        "Kader PKK dan Posyandu di Kota Bangun.",
        ("Rusmini", "Ketua TP PKK Kecamatan", "081250667788"),
    ),
    _PartnerSpec(
        "dukcapil",
        "Disdukcapil Kutai Kartanegara",
        PartnerKind.GOVERNMENT,
        KUTAI_KARTANEGARA,
        (KOTA_BANGUN_ULU,),
        "Pelayanan KTP, KK dan akta kelahiran keliling pada hari pelayanan KB.",
        ("Andi Firmansyah", "Kepala Bidang Pelayanan", "081346778899"),
    ),
)


def _partners(created: list[int]) -> dict[str, Partner]:
    """The demo's partners; those already registered (by name in the area) are reused, and only
    the new ones are listed in ``created`` for the reset."""
    out: dict[str, Partner] = {}
    for spec in PARTNERS:
        partner, new = Partner.objects.get_or_create(
            area_id=spec.area,
            name=spec.name,
            defaults={"kind": spec.kind, "description": spec.description},
        )
        if new:
            created.append(partner.pk)
        partner.areas_served.add(*Area.objects.filter(code__in=spec.served))
        name, position, phone = spec.contact
        PartnerContact.objects.get_or_create(
            partner=partner, name=name, defaults={"position": position, "phone": phone}
        )
        out[spec.key] = partner
    return out


def _mou(
    partner: Partner,
    *,
    area: str,
    number: str,
    title: str,
    signed_on: dt.date,
    valid_until: dt.date,
    commitments: tuple[tuple[str, str, int], ...],
    renews: Mou | None = None,
) -> Mou:
    mou = Mou.objects.create(
        partner=partner,
        area_id=area,
        number=number,
        title=title,
        parties=f"Dinas P2KB Kabupaten Lombok Timur; {partner.name}",
        signed_on=signed_on,
        valid_from=signed_on,
        valid_until=valid_until,
        scope=title,
        renews=renews,
    )
    Commitment.objects.bulk_create(
        Commitment(mou=mou, description=d, measure=m, target=t) for d, m, t in commitments
    )
    return mou


def _mous(partners: dict[str, Partner], today: dt.date) -> list[Mou]:
    year = today.year
    mnw = _mou(
        partners["mnw"],
        area=PANCOR,
        number=f"PKS/012/DP2KB/{year - 1}",
        title="Penyuluhan KB dan pembinaan ketahanan keluarga melalui majelis taklim di Pancor",
        signed_on=today - dt.timedelta(days=400),
        valid_until=today - dt.timedelta(days=400) + dt.timedelta(days=730),
        commitments=(
            ("Penyuluhan KB bulanan di majelis taklim", CommitmentMeasure.ACTIVITIES, 24),
            ("Jamaah yang mendapat penyuluhan", CommitmentMeasure.PEOPLE_REACHED, 600),
            ("Nilai kontribusi (narasumber, tempat)", CommitmentMeasure.VALUE, 20_000_000),
        ),
    )
    # Runs out in 45 days: the partner pages show it in the 60-day band.
    rkb = _mou(
        partners["rkb"],
        area=TUMBUH_MULIA,
        number=f"045/RKB-LOTIM/{year - 1}",
        title="Pelatihan dan pendampingan usaha kelompok UPPKA Kampung KB Tumbuh Mulia",
        signed_on=today - dt.timedelta(days=320),
        valid_until=today + dt.timedelta(days=45),
        commitments=(
            ("Pelatihan usaha kelompok UPPKA", CommitmentMeasure.ACTIVITIES, 6),
            ("Anggota UPPKA yang dilatih", CommitmentMeasure.PEOPLE_REACHED, 60),
            ("Nilai pelatih dan bahan", CommitmentMeasure.VALUE, 25_000_000),
        ),
    )
    first = _mou(
        partners["unhamzah"],
        area="52.03.07",
        number=f"07/LPPM-UH/{year - 3}",
        title="KKN tematik Kampung KB di Kecamatan Selong",
        signed_on=today - dt.timedelta(days=930),
        valid_until=today - dt.timedelta(days=200),
        commitments=(("Desa pendampingan KKN", CommitmentMeasure.VILLAGES, 2),),
    )
    renewal = _mou(
        partners["unhamzah"],
        area="52.03.07",
        number=f"19/LPPM-UH/{year}",
        title="KKN tematik Kampung KB di Kecamatan Selong (perpanjangan)",
        signed_on=today - dt.timedelta(days=200),
        valid_until=today - dt.timedelta(days=200) + dt.timedelta(days=730),
        commitments=(("Desa pendampingan KKN", CommitmentMeasure.VILLAGES, 2),),
        renews=first,
    )
    return [mnw, rkb, first, renewal]


def _link_partner_user(partners: dict[str, Partner], user_ids: dict[str, int]) -> None:
    user_id = user_ids.get(PARTNER_LOGIN)
    if user_id is not None:
        PartnerMembership.objects.get_or_create(
            user_id=user_id, defaults={"partner": partners["mnw"]}
        )


# --- poktan -------------------------------------------------------------------------------------

SESSION_FUNCTIONS: dict[str, str] = {
    PoktanKind.UPPKA: FamilyFunction.ECONOMY,
    PoktanKind.PIKR: FamilyFunction.REPRODUCTION,
}
_POKTAN_NAMES = {
    PoktanKind.BKB: "BKB Melati",
    PoktanKind.BKR: "BKR Harapan",
    PoktanKind.BKL: "BKL Sejahtera",
    PoktanKind.UPPKA: "UPPKA Maju Bersama",
    PoktanKind.PIKR: "PIK-R Generasi Berencana",
}


@dataclass(frozen=True)
class _Resident:
    pk: int
    family_id: int
    sex: str
    age: int


def _residents(village: str, today: dt.date, family_ids: list[int]) -> list[_Resident]:
    """The living members of the demo's families in the village (never persons registered
    outside the demo)."""
    rows = Person.objects.filter(
        subtree_q("family__area_id", [village]),
        family_id__in=family_ids,
        is_active=True,
        died_on__isnull=True,
    ).order_by("pk")
    return [
        _Resident(p.pk, p.family_id, p.sex, age_on(p.birth_date, today))
        for p in rows.only("pk", "family_id", "sex", "birth_date")
    ]


def _poktan_members(kind: str, residents: list[_Resident], rng: random.Random) -> list[_Resident]:
    """Who the group draws from (DOMAIN.md section 7's denominators) and a seeded share of them."""
    by_family: dict[int, list[_Resident]] = {}
    for r in residents:
        by_family.setdefault(r.family_id, []).append(r)

    def women_of(pred: Any) -> list[_Resident]:
        out = []
        for members in by_family.values():
            if any(pred(m) for m in members):
                adults = [m for m in members if m.sex == "F" and 20 <= m.age < 60]
                if adults:
                    out.append(adults[0])
        return out

    if kind == PoktanKind.BKB:
        pool, share = women_of(lambda m: m.age < 5), 0.45
    elif kind == PoktanKind.BKR:
        pool, share = women_of(lambda m: 10 <= m.age <= 24), 0.25
    elif kind == PoktanKind.BKL:
        pool, share = [r for r in residents if r.age >= 60], 0.3
    elif kind == PoktanKind.UPPKA:
        pool, share = women_of(lambda m: True), 0.15
    else:
        pool, share = [r for r in residents if 10 <= r.age <= 24], 0.2
    return sorted(rng.sample(pool, round(len(pool) * share)), key=lambda r: r.pk)


def _poktan(
    village: str, residents: list[_Resident], today: dt.date, rng: random.Random
) -> dict[str, tuple[Poktan, list[_Resident]]]:
    out: dict[str, tuple[Poktan, list[_Resident]]] = {}
    for kind, name in _POKTAN_NAMES.items():
        poktan = Poktan.objects.create(
            kind=kind,
            name=name,
            area_id=village,
            established_on=dt.date(today.year - rng.randint(2, 6), rng.randint(1, 12), 1),
        )
        members = _poktan_members(kind, residents, rng)
        joined = today - dt.timedelta(days=400)
        PoktanMember.objects.bulk_create(
            PoktanMember(
                poktan=poktan,
                person_id=m.pk,
                joined_on=joined + dt.timedelta(days=rng.randint(0, 300)),
            )
            for m in members
        )
        out[kind] = (poktan, members)
    return out


# --- activities ---------------------------------------------------------------------------------


@dataclass
class _Writer:
    rng: random.Random
    recorded_by: int | None
    ids: list[int] = field(default_factory=list)

    def activity(
        self,
        *,
        village: str,
        kind: str,
        title: str,
        held_on: dt.date,
        function: str,
        groups: tuple[str, ...],
        organiser: str,
        place: str = "",
        poktan: Poktan | None = None,
        funding: tuple[str, int] = ("", 0),
        attendees: list[_Resident] = (),  # type: ignore[assignment]
        counts: dict[tuple[str, str], int] | None = None,
        partners: tuple[tuple[Partner, str, tuple[tuple[str, int, str], ...]], ...] = (),
        contributions: tuple[tuple[str, str, int | None], ...] = (),
    ) -> Activity:
        activity = Activity.objects.create(
            kind=kind,
            title=title,
            held_on=held_on,
            area_id=village,
            place=place,
            family_function=function,
            target_groups=list(groups),
            organiser=organiser,
            poktan=poktan,
            funding_source=funding[0],
            funding_amount=funding[1],
            recorded_by_id=self.recorded_by,
        )
        Attendance.objects.bulk_create(
            Attendance(activity=activity, person_id=a.pk) for a in attendees
        )
        AttendanceCount.objects.bulk_create(
            AttendanceCount(activity=activity, sex=sex, age_group=age, count=n)
            for (sex, age), n in sorted((counts or {}).items())
            if n
        )
        for partner, role, given in partners:
            link = ActivityPartner.objects.create(activity=activity, partner=partner, role=role)
            PartnerContribution.objects.bulk_create(
                PartnerContribution(link=link, kind=k, value=v, description=d) for k, v, d in given
            )
        for i, (kind_, description, value) in enumerate(contributions):
            who = attendees[i % len(attendees)] if attendees else None
            Contribution.objects.create(
                activity=activity,
                person_id=who.pk if who else None,
                contributor="" if who else "Warga",
                kind=kind_,
                description=description,
                value=value,
            )
        self.ids.append(activity.pk)
        return activity

    def day(self, month: dt.date, low: int = 3, high: int = 25) -> dt.date:
        return month.replace(day=self.rng.randint(low, high))


def _months(today: dt.date, count: int) -> list[dt.date]:
    """The ``count`` months up to today's."""
    return months(add_months(month_start(today), 1 - count), today)


def _past(day: dt.date, today: dt.date) -> dt.date:
    return min(day, today)


def _village_year(
    w: _Writer,
    *,
    village: str,
    village_name: str,
    today: dt.date,
    residents: list[_Resident],
    groups: dict[str, tuple[Poktan, list[_Resident]]],
    organiser: str,
    pkk: Partner | None,
) -> None:
    """Monthly poktan sessions and cadre meetings, the Kampung KB management cycle and
    counselling for the last twelve months; more of them as the year goes on."""
    rng = w.rng
    year = _months(today, 12)
    pus_women = [r for r in residents if r.sex == "F" and 15 <= r.age <= 49]
    men = [r for r in residents if r.sex == "M" and 20 <= r.age <= 59]
    for i, month in enumerate(year):
        grown = i >= 4  # the village finds its feet after a few months
        for kind, (poktan, members) in groups.items():
            if not members or (not grown and kind in (PoktanKind.BKL, PoktanKind.PIKR)):
                continue
            present = rng.sample(members, max(1, round(len(members) * rng.uniform(0.5, 0.9))))
            w.activity(
                village=village,
                kind=ActivityKind.POKTAN_SESSION,
                title=f"Pertemuan bulanan {poktan.name}",
                held_on=_past(w.day(month), today),
                function=SESSION_FUNCTIONS.get(kind, FamilyFunction.EDUCATION),
                groups=(
                    TargetGroup.TEENAGERS
                    if kind == PoktanKind.PIKR
                    else TargetGroup.FAMILIES_WITH_TODDLERS,
                ),
                organiser=f"Kader {poktan.name}",
                place=f"Posyandu {village_name}",
                poktan=poktan,
                attendees=sorted(present, key=lambda r: r.pk),
                contributions=((ContributionKind.GOODS, "Makanan tambahan untuk balita", 50_000),)
                if kind == PoktanKind.BKB
                else (),
            )
        if i < len(year) - 2:  # the last two are recorded as meetings (``_meetings``)
            w.activity(
                village=village,
                kind=ActivityKind.CADRE_MEETING,
                title=f"Rapat kader bulan {month:%m/%Y}",
                held_on=_past(w.day(month, 1, 5), today),
                function=FamilyFunction.REPRODUCTION,
                groups=(TargetGroup.CADRES,),
                organiser=organiser,
                place=f"Kantor Desa {village_name}",
                counts={
                    ("F", AgeGroup.ADULT): rng.randint(5, 9),
                    ("M", AgeGroup.ADULT): rng.randint(1, 3),
                },
            )
        management = [ActivityKind.REPORTING]
        if month.month == 1 or i == 0:
            management.append(ActivityKind.PLANNING_MEETING)
        if month.month % 3 == 0:
            management.append(ActivityKind.COORDINATION_MEETING)
        if grown and month.month % 2 == 0:
            management.append(ActivityKind.MONITORING)
        if i in (2, 8):
            management.append(ActivityKind.SOCIALISATION)
        for kind in management:
            w.activity(
                village=village,
                kind=kind,
                title=f"{ActivityKind(kind).label} Kampung KB {village_name}",
                held_on=_past(w.day(month, 20, 28), today),
                function=FamilyFunction.SOCIO_CULTURAL,
                groups=(TargetGroup.COMMUNITY_LEADERS, TargetGroup.CADRES),
                organiser="Pokja Kampung KB",
                place=f"Kantor Desa {village_name}",
                funding=(FundingSource.DANA_DESA, 750_000),
                counts={
                    ("M", AgeGroup.ADULT): rng.randint(4, 8),
                    ("F", AgeGroup.ADULT): rng.randint(3, 7),
                    ("M", AgeGroup.OLDER): rng.randint(1, 3),
                },
            )
        if pus_women and (grown or i % 2 == 0):
            partners = ((pkk, "Narasumber", ()),) if pkk else ()
            w.activity(
                village=village,
                kind=ActivityKind.COUNSELLING,
                title="Penyuluhan KB: pilihan metode kontrasepsi jangka panjang (MKJP)",
                held_on=_past(w.day(month), today),
                function=FamilyFunction.REPRODUCTION,
                groups=(TargetGroup.PUS, TargetGroup.WOMEN),
                organiser=organiser,
                place=f"Balai Dusun {village_name}",
                attendees=sorted(
                    rng.sample(pus_women, min(len(pus_women), 12)), key=lambda r: r.pk
                ),
                counts={("F", AgeGroup.ADULT): rng.randint(5, 15)},
                partners=partners,
            )
        if grown and men and i % 3 == 1:
            w.activity(
                village=village,
                kind=ActivityKind.MENS_FORUM,
                title="Forum bapak: KB pria (MOP dan kondom) dan peran ayah",
                held_on=_past(w.day(month), today),
                function=FamilyFunction.LOVE,
                groups=(TargetGroup.MEN, TargetGroup.PUS),
                organiser=organiser,
                place=f"Masjid {village_name}",
                attendees=sorted(rng.sample(men, min(len(men), 8)), key=lambda r: r.pk),
                counts={
                    ("M", AgeGroup.ADULT): rng.randint(6, 14),
                    ("M", AgeGroup.OLDER): rng.randint(1, 4),
                },
                contributions=(
                    (ContributionKind.IDEAS, "Usul forum rutin setelah salat Jumat", None),
                ),
            )


def _rumah_kreatif(
    w: _Writer, rkb: Partner, uppka: tuple[Poktan, list[_Resident]], mou: Mou, today: dt.date
) -> None:
    """The creative house trains Tumbuh Mulia's UPPKA every two months since the MoU."""
    _, members = uppka
    topics = (
        "Pelatihan pengolahan kopi Rinjani dan kemasan produk",
        "Pelatihan pemasaran digital produk UPPKA",
        "Pelatihan pembukuan sederhana kelompok usaha",
        "Pelatihan tenun songket dan penetapan harga",
        "Pendampingan perizinan PIRT dan label halal",
    )
    day = mou.valid_from + dt.timedelta(days=30)
    for topic in topics:
        if day > today:
            break
        w.activity(
            village=TUMBUH_MULIA,
            kind=ActivityKind.TRAINING,
            title=topic,
            held_on=day,
            function=FamilyFunction.ECONOMY,
            groups=(TargetGroup.PUS, TargetGroup.WOMEN),
            organiser=rkb.name,
            place="Sekretariat Kampung KB Tumbuh Mulia",
            funding=(FundingSource.CSR, 4_000_000),
            attendees=members,
            counts={("F", AgeGroup.ADULT): w.rng.randint(3, 8)},
            partners=(
                (
                    rkb,
                    "Pelatih dan penyedia bahan",
                    (
                        (PartnerContributionKind.TRAINERS_TIME, 2_500_000, "2 pelatih, 1 hari"),
                        (PartnerContributionKind.GOODS, 1_500_000, "Bahan dan alat kemasan"),
                    ),
                ),
            ),
            contributions=((ContributionKind.LABOUR, "Menyiapkan tempat pelatihan", None),),
        )
        day += dt.timedelta(days=61)


def _majelis_taklim(
    w: _Writer, mnw: Partner, residents: list[_Resident], mou: Mou, today: dt.date
) -> None:
    """Muslimat NW's monthly counselling in Pancor's majelis taklim since its MoU."""
    women = [r for r in residents if r.sex == "F" and 15 <= r.age <= 49]
    month = month_start(mou.valid_from)
    while month <= today:
        held = _past(w.day(month, 8, 20), today)
        if held >= mou.valid_from:
            w.activity(
                village=PANCOR,
                kind=ActivityKind.COUNSELLING,
                title="Penyuluhan KB dan ketahanan keluarga di majelis taklim",
                held_on=held,
                function=FamilyFunction.RELIGION,
                groups=(TargetGroup.PUS, TargetGroup.WOMEN, TargetGroup.BRIDES_TO_BE),
                organiser=mnw.name,
                place="Masjid Jami' Pancor",
                attendees=sorted(w.rng.sample(women, min(len(women), 6)), key=lambda r: r.pk),
                counts={
                    ("F", AgeGroup.ADULT): w.rng.randint(15, 30),
                    ("F", AgeGroup.YOUTH): w.rng.randint(3, 8),
                    ("F", AgeGroup.OLDER): w.rng.randint(2, 6),
                },
                partners=(
                    (
                        mnw,
                        "Penyelenggara dan penceramah",
                        (
                            (PartnerContributionKind.TRAINERS_TIME, 500_000, "Penceramah"),
                            (
                                PartnerContributionKind.FACILITIES,
                                300_000,
                                "Tempat dan sound system",
                            ),
                        ),
                    ),
                ),
            )
        y, m = divmod(month.month, 12)
        month = dt.date(month.year + y, m + 1, 1)


def _dukcapil_service_days(w: _Writer, dukcapil: Partner, today: dt.date) -> None:
    for month in _months(today, 12)[::3]:
        w.activity(
            village=KOTA_BANGUN_ULU,
            kind=ActivityKind.SERVICE_DAY,
            title="Pelayanan KB serentak dan layanan adminduk keliling",
            held_on=_past(w.day(month), today),
            function=FamilyFunction.PROTECTION,
            groups=(TargetGroup.PUS,),
            organiser="PKB Kota Bangun",
            place="Puskesmas Kota Bangun",
            funding=(FundingSource.APBD, 2_500_000),
            counts={
                ("F", AgeGroup.ADULT): w.rng.randint(20, 40),
                ("M", AgeGroup.ADULT): w.rng.randint(5, 12),
            },
            partners=(
                (
                    dukcapil,
                    "Layanan KTP, KK dan akta",
                    ((PartnerContributionKind.FACILITIES, 1_000_000, "Mobil layanan keliling"),),
                ),
            ),
        )


# Plans of the three villages (decision 0033): (village, kind, title, days from today, target
# group, reason code); a plan whose date has passed is overdue, not held.
PLANS = (
    (
        KOTA_BANGUN_ULU,
        ActivityKind.MENS_FORUM,
        "Forum bapak: KB pria",
        10,
        TargetGroup.MEN,
        "barrier:husband_objects",
    ),
    (
        PANCOR,
        ActivityKind.SOCIALISATION,
        "Sosialisasi KB bersama tokoh agama",
        20,
        TargetGroup.COMMUNITY_LEADERS,
        "barrier:religious_belief",
    ),
    (
        TUMBUH_MULIA,
        ActivityKind.COUNSELLING,
        "Penyuluhan efek samping alat kontrasepsi",
        -5,
        TargetGroup.PUS,
        "barrier:side_effects",
    ),
)


def _plans(w: _Writer, today: dt.date) -> None:
    """Planned activities (one of them overdue) and a cancelled plan: none of them counts."""
    for village, kind, title, days, group, reason in PLANS:
        activity = Activity.objects.create(
            kind=kind,
            title=title,
            held_on=today + dt.timedelta(days=days),
            area_id=village,
            place="Balai desa",
            family_function=FamilyFunction.REPRODUCTION,
            target_groups=[group],
            organiser=ORGANISERS[village],
            status=ActivityStatus.PLANNED,
            plan_reason=reason,
            recorded_by_id=w.recorded_by,
        )
        w.ids.append(activity.pk)
    cancelled = Activity.objects.create(
        kind=ActivityKind.MENS_FORUM,
        title="Forum bapak (dibatalkan)",
        held_on=today - dt.timedelta(days=12),
        area_id=PANCOR,
        family_function=FamilyFunction.REPRODUCTION,
        target_groups=[TargetGroup.MEN],
        organiser=ORGANISERS[PANCOR],
        status=ActivityStatus.CANCELLED,
        plan_reason="barrier:husband_objects",
        cancel_reason="Bertepatan dengan panen; dijadwalkan ulang",
        recorded_by_id=w.recorded_by,
    )
    w.ids.append(cancelled.pk)


VILLAGE_NAMES = {TUMBUH_MULIA: "Tumbuh Mulia", PANCOR: "Pancor", KOTA_BANGUN_ULU: "Kota Bangun Ulu"}
ORGANISERS = {
    TUMBUH_MULIA: "PKB Kecamatan Suralaga",
    PANCOR: "PKB Kecamatan Selong",
    KOTA_BANGUN_ULU: "PKB Kecamatan Kota Bangun",
}


def programme_seed(
    *, seed: int, today: dt.date, user_ids: dict[str, int], family_ids: list[int]
) -> ProgrammeIds:
    """Partners, MoUs, poktan and a year of activities of the three villages (see the module)."""
    rng = random.Random(f"{seed}:programme")
    ids = ProgrammeIds()
    partners = _partners(ids.partners)
    mnw_mou, rkb_mou, *rest = _mous(partners, today)
    ids.mous = [m.pk for m in (mnw_mou, rkb_mou, *rest)]
    _link_partner_user(partners, user_ids)
    writer = _Writer(rng, user_ids.get("pkb") or user_ids.get("admin"))
    residents: dict[str, list[_Resident]] = {}
    groups: dict[str, dict[str, tuple[Poktan, list[_Resident]]]] = {}
    for village in (TUMBUH_MULIA, PANCOR, KOTA_BANGUN_ULU):
        residents[village] = _residents(village, today, family_ids)
        groups[village] = _poktan(village, residents[village], today, rng)
        ids.poktan += [p.pk for p, _ in groups[village].values()]
    for village, pkk in (
        (TUMBUH_MULIA, partners["pkk"]),
        (PANCOR, None),
        (KOTA_BANGUN_ULU, partners["pkk_kb"]),
    ):
        _village_year(
            writer,
            village=village,
            village_name=VILLAGE_NAMES[village],
            today=today,
            residents=residents[village],
            groups=groups[village],
            organiser=ORGANISERS[village],
            pkk=pkk,
        )
    _rumah_kreatif(writer, partners["rkb"], groups[TUMBUH_MULIA][PoktanKind.UPPKA], rkb_mou, today)
    _majelis_taklim(writer, partners["mnw"], residents[PANCOR], mnw_mou, today)
    _dukcapil_service_days(writer, partners["dukcapil"], today)
    _plans(writer, today)
    ids.activities = writer.ids
    admin_id = user_ids.get("admin")
    actor = User.objects.filter(pk=admin_id).first() if admin_id is not None else None
    if actor is not None:
        ids.kampung = _kampung_kbs(today, actor)
    kader = cadre_login(user_ids.get(CADRE_LOGIN), TUMBUH_MULIA)
    cadres = _cadres(today, residents, family_ids, accounts={TUMBUH_MULIA: kader})
    ids.cadres = [c.pk for c in cadres]
    _cadre_training(writer, cadres, today)  # its activity joins writer.ids, i.e. ids.activities
    ids.activities += _meetings(cadres, today, writer.rng)
    incentives_seed(ids, today=today, user_ids=user_ids, family_ids=family_ids, rng=writer.rng)
    ids.barrier_follow_ups = barriers_seed(
        today=today,
        user_ids=user_ids,
        family_ids=family_ids,
        rng=random.Random(f"{seed}:barriers"),
    )
    ids.surveys, ids.field_notes = surveys_seed(
        today=today,
        user_ids=user_ids,
        family_ids=family_ids,
        rng=random.Random(f"{seed}:surveys"),
    )
    return ids


def _meetings(cadres: list[Cadre], today: dt.date, rng: random.Random) -> list[int]:
    """Last month's and this month's cadre meetings of the three villages: the cadres present,
    last month's tasks (one done, one still open), carried into this month's meeting. No minutes
    are saved, so that each agenda is read from the facts `make demo` fills after the seed."""
    activities: list[int] = []
    last_month, this_month = _months(today, 2)
    for village in (TUMBUH_MULIA, PANCOR, KOTA_BANGUN_ULU):
        own = [c for c in cadres if c.area_id.startswith(village)]
        if not own:
            continue
        area = Area.objects.get(code=village)
        held = [
            min(last_month.replace(day=rng.randint(2, 6)), today),
            min(this_month.replace(day=rng.randint(2, 6)), today),
        ]
        previous = meeting_open(
            village=area, month=last_month, held_on=held[0], actor=None, place="Kantor Desa"
        )
        meeting_attendance_set(meeting=previous, present=[c.person_id for c in own], actor=None)
        done = action_item_add(
            meeting=previous,
            description="Kunjungi PUS yang terlambat suntik ulang di setiap RW",
            owner=own[0],
            due_on=held[0] + dt.timedelta(days=14),
            actor=None,
        )
        action_item_close(
            item=done,
            status=ActionStatus.DONE,
            closed_on=held[0] + dt.timedelta(days=10),
            actor=None,
        )
        action_item_add(
            meeting=previous,
            description="Ajak tokoh agama mengisi forum bapak tentang KB pria (MOP)",
            owner=own[-1],
            due_on=held[0] + dt.timedelta(days=25),
            actor=None,
        )
        activities.append(previous.activity_id)
        if held[1] >= this_month:
            current = meeting_open(
                village=area, month=this_month, held_on=held[1], actor=None, place="Kantor Desa"
            )
            meeting_attendance_set(
                meeting=current, present=[c.person_id for c in own[:-1] or own], actor=None
            )
            carry_over(meeting=current, actor=None)
            activities.append(current.activity_id)
    return activities


# --- cadres -------------------------------------------------------------------------------------


def _cadres(
    today: dt.date,
    residents: dict[str, list[_Resident]],
    family_ids: list[int],
    accounts: dict[str, User | None] | None = None,
) -> list[Cadre]:
    """A PPKBD for each of the three villages and a Sub-PPKBD for each of their RW: women of
    20-55 living there, the first by id (seeded rows, so the same ones every time). A village's
    PPKBD gets the cadre login given for it in ``accounts``."""
    accounts = accounts or {}
    cadres: list[Cadre] = []
    started = today.replace(year=today.year - 3, day=1)
    for village in (TUMBUH_MULIA, PANCOR, KOTA_BANGUN_ULU):
        women = {r.pk for r in residents[village] if r.sex == "F" and 20 <= r.age <= 55}
        taken: set[int] = set()
        places = [(CadreRole.PPKBD, Area.objects.get(code=village))] + [
            (CadreRole.SUB_PPKBD, rw)
            for rw in Area.objects.filter(parent_id=village, level=Level.HAMLET).order_by("code")
        ]
        for role, area in places:
            person = (
                Person.objects.filter(
                    subtree_q("family__area_id", [area.code]),
                    family_id__in=family_ids,
                    pk__in=women - taken,
                )
                .select_related("family")
                .order_by("pk")
                .first()
            )
            if person is None:
                continue
            taken.add(person.pk)
            cadres.append(
                cadre_register(
                    person=person,
                    data=CadreData(
                        role=role,
                        area=area,
                        started_on=started,
                        decree_number=f"474/{len(cadres) + 1:03d}/DS/{started.year}",
                        decree_date=started,
                        account=accounts.get(village) if role == CadreRole.PPKBD else None,
                    ),
                    actor=None,
                )
            )
    return cadres


def _cadre_training(w: _Writer, cadres: list[Cadre], today: dt.date) -> None:
    """Suralaga's PKB trains the Tumbuh Mulia cadres on methods, vasectomy, myths and
    counselling two months ago; each takes the pre-test and the post-test (knowing more after)."""
    trained = [c for c in cadres if c.area_id.startswith(TUMBUH_MULIA)]
    if not trained:
        return
    held = today - dt.timedelta(days=60)
    training = w.activity(
        village=TUMBUH_MULIA,
        kind=ActivityKind.TRAINING,
        title="Pelatihan kader: metode kontrasepsi, KB pria (MOP) dan konseling",
        held_on=held,
        function=FamilyFunction.REPRODUCTION,
        groups=(TargetGroup.CADRES,),
        organiser="PKB Kecamatan Suralaga",
        place="Kantor Desa Tumbuh Mulia",
        funding=(FundingSource.APBD, 3_000_000),
        attendees=[_Resident(c.person_id, c.person.family_id, "F", 0) for c in trained],
    )
    topics = (Topic.METHODS, Topic.VASECTOMY, Topic.SIDE_EFFECTS, Topic.COUNSELLING)
    training_topics_set(training=training, topics=topics, actor=None)
    questions = list(Question.objects.filter(topic__in=topics).order_by("pk"))
    for cadre in trained:
        for phase, on, knows in ((Phase.PRE, held, 0.55), (Phase.POST, held, 0.85)):
            answers = {
                q.pk: q.correct if w.rng.random() < knows else _wrong(q.correct) for q in questions
            }
            test_record(
                cadre=cadre,
                phase=phase,
                taken_on=on,
                answers=answers,
                actor=None,
                training=training,
            )


def _wrong(correct: str) -> str:
    options = [o for o in Option.values if o != correct]
    return options[0]


# --- Kampung KB ---------------------------------------------------------------------------------

# village -> name, declared (years before today), criteria, person in charge, model flags
KAMPUNG_KBS: dict[str, tuple[str, int, tuple[str, ...], str, tuple[str, ...]]] = {
    TUMBUH_MULIA: (
        "Kampung KB Tumbuh Mulia",
        5,
        (Criterion.POOR_FAMILIES, Criterion.LOW_FP, Criterion.POOR_AREA, Criterion.FAMILY_DATA),
        "Lalu Muhammad Sukri",
        (ModelFlag.PILOT,),
    ),
    PANCOR: (
        "Kampung KB Pancor",
        3,
        (Criterion.POOR_FAMILIES, Criterion.LOW_FP, Criterion.DENSE, Criterion.LOW_USERS_MKJP),
        "H. Zainul Majdi",
        (),
    ),
    KOTA_BANGUN_ULU: (
        "Kampung KB Kota Bangun Ulu",
        6,
        (Criterion.POOR_FAMILIES, Criterion.LOW_FP, Criterion.RIVER_BASIN),
        "Syahrani",
        (),
    ),
}


def _profile(stage: int, pkb_id: int | None, year: int) -> ProfileData:
    """A profile that grows with ``stage`` (0: a Pokja on paper; 2: trained, funded, with data
    house and workplan)."""
    return ProfileData(
        pokja_exists=True,
        pokja_decree_number=f"141/{12 + stage}/DS/{year}" if stage else "",
        pokja_decree_date=dt.date(year, 1, 15) if stage else None,
        pokja_trained=stage >= 2,
        pokja_members=9 + 3 * stage,
        pkb_id=pkb_id if stage else None,
        supervisor_name="" if stage else "Kepala Desa",
        regulation_issued=stage >= 2,
        funding_sources=(FundingSource.DANA_DESA, FundingSource.APBD, FundingSource.CSR)[
            : stage + 1
        ],
        has_secretariat=stage >= 1,
        has_rumah_dataku=stage >= 2,
        data_sources=(DataSource.FAMILY_DATA, DataSource.ROUTINE_FP, DataSource.VILLAGE_DATA)[
            : stage + 1
        ],
        has_workplan=stage >= 1,
    )


def _kampung_kbs(today: dt.date, actor: User) -> list[int]:
    """The three Kampung KB with profiles a year ago, half a year ago and this month: their
    class history shows them growing. The classes are computed again after the facts are
    filled (`kampungkb kampung classify --since`, run by `make demo`)."""
    created = []
    year = _months(today, 12)
    for village, (name, years, criteria, in_charge, flags) in KAMPUNG_KBS.items():
        if KampungKb.objects.filter(village_id=village, is_active=True).exists():
            continue
        kampung = kampung_register(
            village=Area.objects.get(code=village),
            data=KampungData(
                name=name,
                declared_on=today.replace(year=today.year - years, day=1),
                person_in_charge=in_charge,
                criteria=criteria,
                model_flags=flags,
            ),
            actor=actor,
        )
        pkb_id = (
            RoleAssignment.objects.filter(role=Role.PKB_OFFICER, area_id=village)
            .order_by("user_id")
            .values_list("user_id", flat=True)
            .first()
        )
        for stage, month in enumerate((year[0], year[6], year[-1])):
            profile_save(
                kampung=kampung, month=month, data=_profile(stage, pkb_id, month.year), actor=actor
            )
        created.append(kampung.pk)
    return created


def programme_reset(ids: ProgrammeIds) -> int:
    """Remove what ``programme_seed`` wrote (activities first: they name partners, poktan and
    persons). Returns the number of activities removed."""
    tests = KnowledgeTest.objects.filter(cadre_id__in=ids.cadres)
    profiles = ProfileVersion.objects.filter(kampung_id__in=ids.kampung)
    meetings = Meeting.objects.filter(activity_id__in=ids.activities)
    items = ActionItem.objects.filter(meeting__in=meetings)
    incentives = incentive_rows(ids)
    # The audit events the services wrote about these rows go with them.
    written: list[tuple[type[Model], list[int]]] = [
        *incentives.audited(),
        (FollowUp, ids.barrier_follow_ups),
        (Cadre, ids.cadres),
        (KnowledgeTest, list(tests.values_list("pk", flat=True))),
        (KampungKb, ids.kampung),
        (ProfileVersion, list(profiles.values_list("pk", flat=True))),
        (Activity, ids.activities),
        (Meeting, list(meetings.values_list("pk", flat=True))),
        (ActionItem, list(items.values_list("pk", flat=True))),
    ]
    for model, pks in written:
        AuditEvent.objects.filter(
            object_type=model._meta.label_lower, object_id__in=[str(pk) for pk in pks]
        ).delete()
    surveys_reset(surveys=ids.surveys, notes=ids.field_notes)
    tests.delete()
    incentives.delete()
    FollowUp.objects.filter(pk__in=ids.barrier_follow_ups).delete()
    # The activities take their meetings, tasks, attendance and contributions with them.
    count = Activity.objects.filter(pk__in=ids.activities).delete()[1].get("activities.Activity", 0)
    Cadre.objects.filter(pk__in=ids.cadres).delete()
    Classification.objects.filter(kampung_id__in=ids.kampung).delete()
    KampungKb.objects.filter(pk__in=ids.kampung).delete()
    PoktanMember.objects.filter(poktan_id__in=ids.poktan).delete()
    Poktan.objects.filter(pk__in=ids.poktan).delete()
    Mou.objects.filter(pk__in=ids.mous, renews__isnull=False).delete()
    Mou.objects.filter(pk__in=ids.mous).delete()
    PartnerContact.objects.filter(partner_id__in=ids.partners).delete()
    Partner.objects.filter(pk__in=ids.partners).delete()
    return count
