"""The demo's participation survey and field notes (decisions 0031, 0032).

One survey with the default instrument in Kota Bangun Ulu, drawn last month from the village's
PUS (40 wives, or all of them in a small seed), answered with plausible answers: each respondent
has a participation level, each dimension follows it with some spread, reverse-scored items are
answered the other way round, and the barriers are agreed with more by those who take part less
(side effects, the husband's objection and the cadres' lack of incentive most, as the refusals of
``demo/barriers.py`` and the study say). Two respondents refused and one was not found.

Twenty field notes in the three demo villages (Kota Bangun Ulu, Pancor, Tumbuh Mulia), at the
RT of a demo family where there is one, interviews and observations of the last six months coded
to the dimensions and barriers.

SYNTHETIC and seeded: the same seed and day give the same rows. ``surveys_seed`` returns the ids
of the survey and the notes for the reset (``surveys_reset``).
"""

from __future__ import annotations

import datetime as dt
import random
from importlib import import_module

from django.apps import apps as django_apps

from kampungkb.accounts.models import User
from kampungkb.accounts.scope import Capability, scope_for
from kampungkb.core.models import AuditEvent
from kampungkb.core.periods import add_months, month_start
from kampungkb.families.models import Family
from kampungkb.participation.models import FieldNote, Instrument, Respondent, Survey
from kampungkb.participation.notes_services import NoteData, note_create
from kampungkb.participation.surveys_services import (
    respondent_answer,
    sampling_frame,
    survey_create,
)
from kampungkb.regions.models import Area

KOTA_BANGUN_ULU = "64.02.08.2005"
PANCOR = "52.03.07.1001"
TUMBUH_MULIA = "52.03.13.2007"
SAMPLE = 40
LOGINS = ("pkb", "dinas_kukar", "admin")

# How much more than the middle of the scale each barrier is agreed with (synthetic).
BARRIER_LEAN: dict[str, float] = {
    "religious_belief": -0.6,
    "myth_many_children": -0.2,
    "side_effects": 1.0,
    "husband_objects": 0.5,
    "wants_more_children": 0.1,
    "access": 0.3,
    "cost": -0.3,
    "no_information": 0.0,
    "lack_of_knowledge": 0.3,
    "no_incentive": 0.9,
    "family_no_support": -0.3,
}

# village, informant role, kind, codes, text
NOTES: tuple[tuple[str, str, str, tuple[str, ...], str], ...] = (
    (
        KOTA_BANGUN_ULU,
        "cadre",
        "interview",
        ("no_incentive", "contribution"),
        "Kami kader bekerja sukarela. Kalau ada sedikit uang transport, teman-teman lebih semangat "
        "datang ke rumah warga.",
    ),
    (
        KOTA_BANGUN_ULU,
        "cadre",
        "interview",
        ("lack_of_knowledge",),
        "Kalau ditanya soal MOP saya bingung menjawab, belum pernah ikut pelatihan tentang itu.",
    ),
    (
        KOTA_BANGUN_ULU,
        "pus_woman",
        "interview",
        ("side_effects", "interest"),
        "Saya mau ber-KB, tapi takut gemuk kalau suntik. Tetangga saya haidnya jadi tidak teratur.",
    ),
    (
        KOTA_BANGUN_ULU,
        "husband",
        "interview",
        ("husband_objects",),
        "KB itu urusan istri. Kalau laki-laki yang KB, malu sama teman-teman di kebun.",
    ),
    (
        KOTA_BANGUN_ULU,
        "pkb",
        "observation",
        ("activeness",),
        "Penyuluhan di balai desa hanya dihadiri dua belas ibu; bapak-bapak tidak ada yang datang.",
    ),
    (
        KOTA_BANGUN_ULU,
        "village_official",
        "interview",
        ("access",),
        "Warga di seberang sungai harus naik ketinting ke puskesmas, apalagi kalau air sedang pasang.",
    ),
    (
        KOTA_BANGUN_ULU,
        "cadre",
        "observation",
        ("activeness", "contribution"),
        "Rapat kader bulan ini batal karena banyak kader ikut panen; capaian bulan lalu belum dibahas.",
    ),
    (
        KOTA_BANGUN_ULU,
        "pus_woman",
        "interview",
        ("no_information",),
        "Saya belum pernah dengar ada implan gratis di puskesmas. Tahunya hanya pil dan suntik.",
    ),
    (
        PANCOR,
        "religious_leader",
        "interview",
        ("religious_belief", "interest"),
        "Menjarangkan kelahiran untuk kesehatan ibu itu dibolehkan, asal caranya tidak mengubah "
        "ciptaan. Jamaah perlu dijelaskan pelan-pelan.",
    ),
    (
        PANCOR,
        "pus_woman",
        "interview",
        ("religious_belief",),
        "Kata orang tua, menolak anak itu dosa. Jadi saya belum berani ber-KB.",
    ),
    (
        PANCOR,
        "community_leader",
        "interview",
        ("myth_many_children",),
        "Di sini masih banyak yang bilang banyak anak banyak rejeki, nanti ada yang menolong di sawah.",
    ),
    (
        PANCOR,
        "cadre",
        "interview",
        ("family_no_support",),
        "Suami saya kurang suka kalau saya sering keluar rumah untuk kegiatan kader sampai sore.",
    ),
    (
        PANCOR,
        "midwife",
        "observation",
        ("interest", "activeness"),
        "Di majelis taklim, setelah tuan guru menjelaskan, lima ibu langsung bertanya tentang IUD.",
    ),
    (
        PANCOR,
        "pkb",
        "observation",
        ("contribution",),
        "Warga menyumbang tenda dan kursi untuk pelayanan KB keliling; PKK menyiapkan konsumsi.",
    ),
    (
        TUMBUH_MULIA,
        "husband",
        "interview",
        ("husband_objects", "interest"),
        "Sesudah ikut forum bapak-bapak, saya jadi tahu KB pria tidak membuat lemah. Saya mau "
        "bicarakan dengan istri.",
    ),
    (
        TUMBUH_MULIA,
        "pus_woman",
        "interview",
        ("wants_more_children",),
        "Anak saya tiga perempuan semua, suami masih ingin anak laki-laki.",
    ),
    (
        TUMBUH_MULIA,
        "cadre",
        "interview",
        ("no_incentive", "lack_of_knowledge"),
        "Honor kader belum jelas, pelatihan juga terakhir dua tahun lalu. Banyak kader baru belum "
        "paham cara menjelaskan efek samping.",
    ),
    (
        TUMBUH_MULIA,
        "pus_woman",
        "interview",
        ("cost", "access"),
        "Saya belum punya BPJS, takut bayar mahal kalau pasang implan di bidan.",
    ),
    (
        TUMBUH_MULIA,
        "pkb",
        "observation",
        ("activeness", "contribution"),
        "Kelompok UPPKA rutin bertemu tiap bulan; anggota membawa hasil olahan untuk dijual bersama.",
    ),
    (
        TUMBUH_MULIA,
        "village_official",
        "interview",
        ("contribution", "interest"),
        "Dana desa tahun ini kami sisihkan untuk kegiatan Kampung KB dan transport kader.",
    ),
)


def _default_instrument() -> Instrument:
    found = Instrument.objects.filter(is_default=True).first()
    if found is not None:
        return found
    migration = import_module("kampungkb.participation.migrations.0002_default_instrument")
    return migration.load_default(
        django_apps.get_model("participation", "Instrument"),
        django_apps.get_model("participation", "Item"),
    )


def _actor(user_ids: dict[str, int], area: str) -> User | None:
    """The first demo login that may run the survey in ``area``; None (the system) else."""
    for login in LOGINS:
        pk = user_ids.get(login)
        user = User.objects.filter(pk=pk, is_active=True).first() if pk is not None else None
        if user is not None and scope_for(user).can(Capability.EDIT_PROGRAMME, area):
            return user
    return None


def _likert(value: float) -> int:
    return max(1, min(5, round(value)))


def _answers(instrument: Instrument, rng: random.Random) -> dict[str, int]:
    level = rng.gauss(0, 1)
    dimension = {
        d: 0.8 * level + 0.45 * rng.gauss(0, 1) for d in ("interest", "activeness", "contribution")
    }
    centre = {"interest": 3.6, "activeness": 3.1, "contribution": 2.8}
    answers: dict[str, int] = {}
    for item in instrument.items.all():
        if item.dimension:
            value = _likert(
                centre[item.dimension] + 0.9 * dimension[item.dimension] + rng.gauss(0, 0.55)
            )
            answers[item.code] = 6 - value if item.reverse else value
        else:
            lean = BARRIER_LEAN.get(item.barrier, 0.0)
            answers[item.code] = _likert(2.6 + lean - 0.5 * level + rng.gauss(0, 0.8))
    return answers


def _survey(today: dt.date, user_ids: dict[str, int], rng: random.Random) -> list[int]:
    area = Area.objects.filter(code=KOTA_BANGUN_ULU).first()
    if area is None:
        return []
    month = month_start(add_months(today, -1))
    population = len(sampling_frame(area=area, on=month, draw="wife"))
    if population == 0:
        return []
    actor = _actor(user_ids, area.code)
    instrument = _default_instrument()
    survey = survey_create(
        instrument=instrument,
        area=area,
        month=month,
        sample_size=min(SAMPLE, population),
        seed=rng.randrange(2**31),
        drawn_on=month,
        actor=actor,
    )
    respondents = list(survey.respondents.order_by("position"))
    missing = {len(respondents) - 1: "not_found", len(respondents) - 3: "refused", 4: "refused"}
    for index, respondent in enumerate(respondents):
        status = missing.get(index, "answered") if len(respondents) > 8 else "answered"
        answers = _answers(instrument, rng) if status == "answered" else {}
        respondent_answer(respondent=respondent, status=status, answers=answers, actor=actor)
    return [survey.pk]


def _notes(
    today: dt.date, user_ids: dict[str, int], family_ids: list[int], rng: random.Random
) -> list[int]:
    created: list[int] = []
    areas = dict(Area.objects.filter(code__in=[n[0] for n in NOTES]).values_list("code", "level"))
    for village, role, kind, codes, text in NOTES:
        if village not in areas:
            continue
        rts = list(
            Family.objects.filter(pk__in=family_ids, area__code__startswith=f"{village}.")
            .order_by("area_id")
            .values_list("area_id", flat=True)
            .distinct()
        )
        code = rng.choice(rts) if rts and rng.random() < 0.7 else village
        note = note_create(
            area=Area.objects.get(code=code),
            data=NoteData(
                noted_on=today - dt.timedelta(days=rng.randrange(1, 180)),
                kind=kind,
                text=text,
                codes=codes,
                informant_role=role,
            ),
            actor=_actor(user_ids, code),
        )
        created.append(note.pk)
    return created


def surveys_seed(
    *, today: dt.date, user_ids: dict[str, int], family_ids: list[int], rng: random.Random
) -> tuple[list[int], list[int]]:
    """The survey and the field notes (see the module): their ids."""
    return _survey(today, user_ids, rng), _notes(today, user_ids, family_ids, rng)


def surveys_reset(*, surveys: list[int], notes: list[int]) -> None:
    """Remove what ``surveys_seed`` wrote, with the audit events about it."""
    respondents = [
        str(pk)
        for pk in Respondent.objects.filter(survey_id__in=surveys).values_list("pk", flat=True)
    ]
    for label, pks in (
        ("participation.survey", [str(pk) for pk in surveys]),
        ("participation.respondent", respondents),
        ("participation.fieldnote", [str(pk) for pk in notes]),
    ):
        AuditEvent.objects.filter(object_type=label, object_id__in=pks).delete()
    Survey.objects.filter(pk__in=surveys).delete()
    FieldNote.objects.filter(pk__in=notes).delete()
