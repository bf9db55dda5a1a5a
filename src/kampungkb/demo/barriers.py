"""The demo's refusals: a year of follow-ups at which a couple refused family planning, each with
the barrier the officer heard, so that the barriers page (``participation``) has something to
rank in both districts.

In each demo kecamatan (Kota Bangun in Kutai Kartanegara, Selong and Suralaga in Lombok Timur)
some PUS not using a method (nor pregnant) on a day of the last twelve months refused. Side
effects and a husband or family who object come first everywhere; Kota Bangun's river villages
name distance more often, Lombok Timur religious belief, the "banyak anak banyak rejeki" belief
and wanting more children, Pancor (the home of Nahdlatul Wathan) religious belief most. The
follow-ups are recorded through ``followup_record`` by the demo PKB officer where that login
may edit the register, else by the district officer's login there, else by the system; never
by the ``kader`` login, whose home visits make the incentive cycle (``demo/incentives.py``).

SYNTHETIC and seeded: the same seed and day give the same rows. ``barriers_seed`` returns the
follow-ups' ids for the reset (``ProgrammeIds.barrier_follow_ups``).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from kampungkb.accounts.models import User
from kampungkb.accounts.scope import Capability, scope_for
from kampungkb.contraception.models import Barrier, Episode, FollowUpOutcome
from kampungkb.contraception.services import followup_record
from kampungkb.families.models import Couple, Pregnancy
from kampungkb.regions.selectors import subtree_q

PANCOR = "52.03.07.1001"  # Nahdlatul Wathan's home town: religious belief is named more there

# kecamatan -> (follow-ups over the year at most, logins that may record them, first first)
KECAMATAN: dict[str, tuple[int, tuple[str, ...]]] = {
    "64.02.08": (36, ("pkb", "dinas_kukar")),  # Kota Bangun, Kutai Kartanegara
    "52.03.07": (26, ("pkb", "dinas")),  # Selong, Lombok Timur
    "52.03.13": (30, ("pkb", "dinas")),  # Suralaga, Lombok Timur
}
# At most one refusal for this many PUS of the kecamatan (a small seed has fewer).
PUS_PER_REFUSAL = 4

# Relative weights of the barriers heard, per kecamatan (synthetic, of the order of the
# reasons reported in Indonesian surveys: side effects and the husband first).
WEIGHTS: dict[str, dict[str, int]] = {
    "64.02.08": {
        Barrier.SIDE_EFFECTS: 32,
        Barrier.HUSBAND_OBJECTS: 24,
        Barrier.RELIGIOUS_BELIEF: 7,
        Barrier.MYTH_MANY_CHILDREN: 5,
        Barrier.WANTS_MORE_CHILDREN: 8,
        Barrier.ACCESS: 12,
        Barrier.COST: 6,
        Barrier.NO_INFORMATION: 6,
    },
    "52.03.07": {
        Barrier.SIDE_EFFECTS: 30,
        Barrier.HUSBAND_OBJECTS: 24,
        Barrier.RELIGIOUS_BELIEF: 14,
        Barrier.MYTH_MANY_CHILDREN: 8,
        Barrier.WANTS_MORE_CHILDREN: 8,
        Barrier.ACCESS: 4,
        Barrier.COST: 6,
        Barrier.NO_INFORMATION: 4,
    },
    "52.03.13": {
        Barrier.SIDE_EFFECTS: 28,
        Barrier.HUSBAND_OBJECTS: 26,
        Barrier.RELIGIOUS_BELIEF: 12,
        Barrier.MYTH_MANY_CHILDREN: 11,
        Barrier.WANTS_MORE_CHILDREN: 10,
        Barrier.ACCESS: 5,
        Barrier.COST: 5,
        Barrier.NO_INFORMATION: 4,
    },
}
VILLAGE_EXTRA: dict[str, dict[str, int]] = {PANCOR: {Barrier.RELIGIOUS_BELIEF: 14}}

NOTES: dict[str, tuple[str, ...]] = {
    Barrier.SIDE_EFFECTS: (
        "Takut gemuk dan haid tidak teratur setelah suntik",
        "Pernah pusing memakai pil, tidak mau mencoba lagi",
        "Khawatir efek samping implan, mendengar cerita tetangga",
    ),
    Barrier.HUSBAND_OBJECTS: (
        "Suami belum mengizinkan ber-KB",
        "Mertua ingin segera menimang cucu lagi",
        "Suami bekerja di luar daerah, ingin dibicarakan dulu",
    ),
    Barrier.RELIGIOUS_BELIEF: (
        "Merasa KB bertentangan dengan keyakinan agama",
        "Menunggu pendapat tuan guru tentang KB",
    ),
    Barrier.MYTH_MANY_CHILDREN: (
        "Percaya banyak anak banyak rejeki",
        "Keluarga besar dianggap membawa rezeki",
    ),
    Barrier.WANTS_MORE_CHILDREN: (
        "Masih ingin menambah anak laki-laki",
        "Ingin anak lagi, anak terakhir sudah besar",
    ),
    Barrier.ACCESS: (
        "Puskesmas jauh, harus menyeberang sungai",
        "Tidak ada kendaraan ke tempat pelayanan",
    ),
    Barrier.COST: (
        "Belum punya BPJS, khawatir biaya pemasangan",
        "Biaya transport ke bidan dirasa berat",
    ),
    Barrier.NO_INFORMATION: (
        "Belum tahu pilihan metode KB yang ada",
        "Belum pernah mendapat penyuluhan KB",
    ),
}


class _Status:
    """When each couple used a method or was pregnant, to find PUS free on a day."""

    def __init__(self, couples: list[Couple]) -> None:
        ids = [c.pk for c in couples]
        self.busy: dict[int, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
        # A method is in use up to its end day (as ``incentives._new_user_on`` reads it).
        for couple_id, started, ended in Episode.objects.filter(couple_id__in=ids).values_list(
            "couple_id", "started_on", "ended_on"
        ):
            self.busy[couple_id].append((started, ended))
        for couple_id, recorded, ended in Pregnancy.objects.filter(couple_id__in=ids).values_list(
            "couple_id", "recorded_on", "ended_on"
        ):
            self.busy[couple_id].append((recorded, ended - dt.timedelta(days=1) if ended else None))

    def free_pus(self, couple: Couple, on: dt.date) -> bool:
        if not couple.is_pus_on(on):
            return False
        return not any(s <= on and (e is None or e >= on) for s, e in self.busy[couple.pk])


def _actor(logins: tuple[str, ...], user_ids: dict[str, int], area: str) -> User | None:
    """The first of ``logins`` who may edit the register in ``area``; None (the system) else."""
    for login in logins:
        pk = user_ids.get(login)
        user = User.objects.filter(pk=pk, is_active=True).first() if pk is not None else None
        if user is not None and scope_for(user).can(Capability.EDIT_REGISTER, area):
            return user
    return None


def _barrier(kecamatan: str, village: str, rng: random.Random) -> str:
    weights = dict(WEIGHTS[kecamatan])
    for barrier, extra in VILLAGE_EXTRA.get(village, {}).items():
        weights[barrier] += extra
    codes = list(weights)
    return rng.choices(codes, weights=[weights[c] for c in codes])[0]


def barriers_seed(
    *, today: dt.date, user_ids: dict[str, int], family_ids: list[int], rng: random.Random
) -> list[int]:
    """The refused follow-ups of the year in the demo kecamatan (see the module); their ids."""
    created: list[int] = []
    actors: dict[tuple[str, str], User | None] = {}
    for kecamatan, (most, logins) in KECAMATAN.items():
        couples = list(
            Couple.objects.filter(
                subtree_q("wife__family__area_id", [kecamatan]), wife__family_id__in=family_ids
            )
            .select_related("wife__family")
            .order_by("pk")
        )
        pus = sum(1 for c in couples if c.is_pus_on(today))
        status = _Status(couples)
        rng.shuffle(couples)
        taken: set[int] = set()
        for _ in range(min(most, pus // PUS_PER_REFUSAL)):
            on = today - dt.timedelta(days=rng.randrange(365))
            couple = next(
                (c for c in couples if c.pk not in taken and status.free_pus(c, on)), None
            )
            if couple is None:
                continue
            taken.add(couple.pk)
            area = couple.wife.family.area_id
            village = area[:13]
            if (kecamatan, village) not in actors:
                actors[kecamatan, village] = _actor(logins, user_ids, village)
            barrier = _barrier(kecamatan, village, rng)
            follow_up = followup_record(
                couple=couple,
                episode=None,
                done_on=on,
                outcome=FollowUpOutcome.REFUSED,
                barrier=barrier,
                note=rng.choice(NOTES[barrier]),
                actor=actors[kecamatan, village],
            )
            created.append(follow_up.pk)
    return created
