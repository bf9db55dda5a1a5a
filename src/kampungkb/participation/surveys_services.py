"""Writes of the survey module (decision 0031): instruments and their items, surveys with their
random sample, one respondent's answers from the phone form, and answers imported from a
KoboToolbox or ODK Central CSV export.

Instruments are built by users who hold ``Capability.EDIT_PROGRAMME`` for a whole kabupaten/kota
or more (district officers, admins): ``can_build``. An instrument whose items hold answers is
frozen; ``instrument_copy`` makes the next version. Surveys are drawn and answered by users who
hold ``EDIT_PROGRAMME`` in the area (the respondent's area for answers). Every write is
keyword-only, checked before anything is written, in one transaction, and audited.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone

from kampungkb.accounts.scope import NATIONAL, Capability, ensure_can, scope_for
from kampungkb.core.audit import audit_record, snapshot
from kampungkb.core.errors import Problem
from kampungkb.core.periods import month_start
from kampungkb.families.models import Couple
from kampungkb.families.selectors import pus_q
from kampungkb.participation.models import (
    Answer,
    Draw,
    Instrument,
    Item,
    Respondent,
    RespondentStatus,
    Survey,
)
from kampungkb.regions.models import Area
from kampungkb.regions.selectors import subtree_q

EDIT = Capability.EDIT_PROGRAMME
# The XLSForm's question that names the respondent, and the one that says whether she was met.
RESPONDENT_FIELD = "responden"
STATUS_FIELD = "status"
MAX_SAMPLE = 2000
# Names the XLSForm and the CSV exports use for themselves: no item may take them.
RESERVED_CODES = frozenset(
    {RESPONDENT_FIELD, STATUS_FIELD, "grp", "start", "end", "today", "deviceid", "meta"}
)


class SurveyProblem(Problem):
    FROZEN = (
        "participation.instrument_frozen",
        "Instrumen ini sudah dipakai survei yang berisi jawaban; salin menjadi versi baru untuk "
        "mengubahnya.",
        "This instrument is used by a survey with answers; copy it to a new version to change it.",
    )
    NAME_TAKEN = (
        "participation.instrument_name_taken",
        "Instrumen bernama {name} sudah ada.",
        "An instrument named {name} already exists.",
    )
    CODE_TAKEN = (
        "participation.item_code_taken",
        "Kode {code} sudah dipakai butir lain di instrumen ini.",
        "The code {code} is already used by another item of this instrument.",
    )
    CODE_RESERVED = (
        "participation.item_code_reserved",
        "Kode {code} dipakai formulir XLSForm sendiri; pilih kode lain.",
        "The code {code} is used by the XLSForm itself; choose another code.",
    )
    MEASURES_ONE = (
        "participation.item_measures_one",
        "Pilih satu dimensi atau satu hambatan (tidak keduanya).",
        "Choose one dimension or one barrier (not both).",
    )
    NO_ITEMS = (
        "participation.instrument_no_items",
        "Instrumen ini belum memiliki butir pertanyaan.",
        "This instrument has no items yet.",
    )
    SAMPLE_TOO_LARGE = (
        "participation.sample_too_large",
        "Sampel {size} lebih besar dari jumlah PUS di wilayah ini pada tanggal itu ({population}).",
        "The sample of {size} is larger than the PUS in this area on that day ({population}).",
    )
    SAMPLE_SIZE = (
        "participation.sample_size",
        "Besar sampel harus antara 1 dan {most}.",
        "The sample size must be from 1 to {most}.",
    )
    DRAWN_IN_FUTURE = (
        "participation.drawn_in_future",
        "Tanggal pengambilan sampel tidak boleh di masa depan.",
        "The sample cannot be drawn on a day still to come.",
    )
    MONTH_IN_FUTURE = (
        "participation.survey_month_in_future",
        "Bulan survei tidak boleh bulan yang akan datang.",
        "The survey's month cannot be a month still to come.",
    )
    ANSWER_MISSING = (
        "participation.answer_missing",
        "Butir {code} belum dijawab.",
        "Item {code} is not answered.",
    )
    ANSWER_VALUE = (
        "participation.answer_value",
        "Jawaban butir {code} harus 1 sampai 5 (tertulis: {value}).",
        "The answer to item {code} must be 1 to 5 (given: {value}).",
    )
    CSV_EMPTY = (
        "participation.csv_empty",
        "Berkas CSV kosong atau tidak memiliki baris judul.",
        "The CSV file is empty or has no header row.",
    )
    CSV_ENCODING = (
        "participation.csv_encoding",
        "Berkas CSV harus berupa teks UTF-8.",
        "The CSV file must be UTF-8 text.",
    )
    CSV_NO_RESPONDENT = (
        "participation.csv_no_respondent",
        "Kolom {column} (kode responden) tidak ada di berkas.",
        "The file has no {column} column (the respondent code).",
    )
    CSV_MISSING_ITEMS = (
        "participation.csv_missing_items",
        "Kolom butir tidak ada di berkas: {codes}.",
        "The file lacks the item columns: {codes}.",
    )
    ROW_RESPONDENT = (
        "participation.row_respondent",
        "Baris {row}: kode responden {code} tidak ada di survei ini.",
        "Row {row}: the respondent code {code} is not in this survey.",
    )
    ROW_DUPLICATE = (
        "participation.row_duplicate",
        "Baris {row}: responden {code} sudah ada di baris {first}.",
        "Row {row}: the respondent {code} is already on row {first}.",
    )
    ROW_STATUS = (
        "participation.row_status",
        "Baris {row}: status {value} tidak dikenal (answered, refused, not_found).",
        "Row {row}: the status {value} is unknown (answered, refused, not_found).",
    )
    ROW_VALUE = (
        "participation.row_value",
        "Baris {row}: jawaban butir {code} harus 1 sampai 5 (tertulis: {value}).",
        "Row {row}: the answer to item {code} must be 1 to 5 (given: {value}).",
    )


def _today() -> dt.date:
    return timezone.localdate()


def can_build(user: Any) -> bool:
    """Whether ``user`` builds instruments: ``EDIT_PROGRAMME`` for a kabupaten/kota or more."""
    if user is None:
        return True
    roots = scope_for(user).areas(EDIT)
    return any(root == NATIONAL or root.count(".") <= 1 for root in roots)


def _ensure_builder(actor: Any) -> None:
    if not can_build(actor):
        raise Http404


def is_frozen(instrument: Instrument) -> bool:
    return Answer.objects.filter(item__instrument=instrument).exists()


def _ensure_open(instrument: Instrument) -> None:
    if is_frozen(instrument):
        raise SurveyProblem.FROZEN.error()


def _audit(instance: Any, action: str, actor: Any, area_code: str = "", **kw: Any) -> None:
    audit_record(actor=actor, action=action, instance=instance, area_code=area_code, **kw)


# -- Instruments --------------------------------------------------------------------------------


@transaction.atomic
def instrument_create(*, name: str, description: str = "", actor: Any) -> Instrument:
    _ensure_builder(actor)
    name = name.strip()
    if Instrument.objects.filter(name=name).exists():
        raise SurveyProblem.NAME_TAKEN.on("name", name=name)
    instrument = Instrument(
        name=name,
        description=description.strip(),
        version=1,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    instrument.full_clean()
    instrument.save()
    _audit(instrument, "instrument.create", actor)
    return instrument


@transaction.atomic
def instrument_update(
    *, instrument: Instrument, name: str, description: str, actor: Any
) -> Instrument:
    _ensure_builder(actor)
    _ensure_open(instrument)
    before = snapshot(instrument)
    name = name.strip()
    if Instrument.objects.filter(name=name).exclude(name=instrument.name).exists():
        raise SurveyProblem.NAME_TAKEN.on("name", name=name)
    # A name is one line of versions: taking another instrument's name is refused.
    instrument.name = name
    instrument.description = description.strip()
    instrument.full_clean()
    instrument.save()
    _audit(instrument, "instrument.update", actor, before=before)
    return instrument


@transaction.atomic
def instrument_copy(*, instrument: Instrument, actor: Any) -> Instrument:
    """The next version of ``instrument`` with the same items, open for editing."""
    _ensure_builder(actor)
    latest = Instrument.objects.filter(name=instrument.name).aggregate(v=Max("version"))["v"]
    copy = Instrument.objects.create(
        name=instrument.name,
        description=instrument.description,
        version=(latest or 0) + 1,
        copied_from=instrument,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    Item.objects.bulk_create(
        Item(
            instrument=copy,
            order=item.order,
            code=item.code,
            text=item.text,
            text_en=item.text_en,
            dimension=item.dimension,
            barrier=item.barrier,
            reverse=item.reverse,
        )
        for item in instrument.items.all()
    )
    _audit(copy, "instrument.copy", actor)
    return copy


@dataclass(frozen=True)
class ItemData:
    code: str
    text: str
    text_en: str = ""
    dimension: str = ""
    barrier: str = ""
    reverse: bool = False


def _item_fill(item: Item, data: ItemData) -> None:
    if bool(data.dimension) == bool(data.barrier):
        raise SurveyProblem.MEASURES_ONE.on("dimension")
    code = data.code.strip().lower()
    if code in RESERVED_CODES:
        raise SurveyProblem.CODE_RESERVED.on("code", code=code)
    clash = Item.objects.filter(instrument_id=item.instrument_id, code=code).exclude(pk=item.pk)
    if clash.exists():
        raise SurveyProblem.CODE_TAKEN.on("code", code=code)
    item.code = code
    item.text = data.text.strip()
    item.text_en = data.text_en.strip()
    item.dimension = data.dimension
    item.barrier = data.barrier
    item.reverse = data.reverse
    item.full_clean(validate_constraints=False)


@transaction.atomic
def item_add(*, instrument: Instrument, data: ItemData, actor: Any) -> Item:
    _ensure_builder(actor)
    _ensure_open(instrument)
    last = instrument.items.aggregate(o=Max("order"))["o"] or 0
    item = Item(instrument=instrument, order=last + 1)
    _item_fill(item, data)
    item.save()
    _audit(item, "instrument.item_add", actor)
    return item


@transaction.atomic
def item_update(*, item: Item, data: ItemData, actor: Any) -> Item:
    _ensure_builder(actor)
    _ensure_open(item.instrument)
    before = snapshot(item)
    _item_fill(item, data)
    item.save()
    _audit(item, "instrument.item_update", actor, before=before)
    return item


@transaction.atomic
def item_delete(*, item: Item, actor: Any) -> None:
    _ensure_builder(actor)
    _ensure_open(item.instrument)
    _audit(item, "instrument.item_delete", actor, before=snapshot(item), after={})
    item.delete()


@transaction.atomic
def item_move(*, item: Item, step: int, actor: Any) -> Item:
    """Move an item one place up (``step=-1``) or down (``step=1``); the orders are renumbered
    1..n so they stay dense."""
    _ensure_builder(actor)
    _ensure_open(item.instrument)
    items = list(item.instrument.items.order_by("order", "pk"))
    at = next(i for i, it in enumerate(items) if it.pk == item.pk)
    to = max(0, min(len(items) - 1, at + step))
    items.insert(to, items.pop(at))
    for order, it in enumerate(items, 1):
        it.order = order
    Item.objects.bulk_update(items, ["order"])
    _audit(item, "instrument.item_move", actor, after={"order": to + 1})
    return next(it for it in items if it.pk == item.pk)


# -- Surveys and sampling -----------------------------------------------------------------------


def sampling_frame(*, area: Area, on: dt.date, draw: str) -> list[Couple]:
    """The PUS couples of the area's subtree on ``on``, in a fixed order (the couple's id): the
    list a seed draws from. Drawing husbands leaves out couples with no husband recorded or one
    who died."""
    qs = Couple.objects.filter(subtree_q("wife__family__area_id", [area.code])).filter(pus_q(on))
    if draw == Draw.HUSBANDS:
        qs = qs.filter(husband__isnull=False).exclude(husband__died_on__lte=on)
    return list(qs.select_related("wife__family").order_by("pk"))


def respondent_code(position: int, size: int) -> str:
    return f"R{position:0{max(3, len(str(size)))}d}"


@transaction.atomic
def survey_create(
    *,
    instrument: Instrument,
    area: Area,
    month: dt.date,
    sample_size: int,
    draw: str = Draw.WIVES,
    seed: int | None = None,
    drawn_on: dt.date | None = None,
    actor: Any,
) -> Survey:
    """Draw ``sample_size`` respondents by simple random sampling without replacement from the
    PUS of the area on ``drawn_on`` (default today): ``random.Random(seed).sample`` over the
    frame in couple-id order, so the recorded seed reproduces the sample."""
    ensure_can(actor, EDIT, area.code)
    if not instrument.items.exists():
        raise SurveyProblem.NO_ITEMS.on("instrument")
    drawn_on = drawn_on or _today()
    if drawn_on > _today():
        raise SurveyProblem.DRAWN_IN_FUTURE.on("drawn_on")
    if month_start(month) > month_start(_today()):
        raise SurveyProblem.MONTH_IN_FUTURE.on("month")
    if not 1 <= sample_size <= MAX_SAMPLE:
        raise SurveyProblem.SAMPLE_SIZE.on("sample_size", most=MAX_SAMPLE)
    frame = sampling_frame(area=area, on=drawn_on, draw=draw)
    if sample_size > len(frame):
        raise SurveyProblem.SAMPLE_TOO_LARGE.on(
            "sample_size", size=sample_size, population=len(frame)
        )
    seed = seed if seed is not None else secrets.randbelow(2**31)
    survey = Survey(
        instrument=instrument,
        area=area,
        month=month_start(month),
        drawn_on=drawn_on,
        draw=draw,
        sample_size=sample_size,
        population=len(frame),
        seed=seed,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    survey.full_clean()
    survey.save()
    chosen = random.Random(seed).sample(frame, sample_size)  # noqa: S311 (a sample, not a secret)
    Respondent.objects.bulk_create(
        Respondent(
            survey=survey,
            code=respondent_code(position, sample_size),
            position=position,
            couple=couple,
            person_id=(couple.husband_id if draw == Draw.HUSBANDS else None) or couple.wife_id,
            area_id=couple.wife.family.area_id,
        )
        for position, couple in enumerate(chosen, 1)
    )
    _audit(survey, "survey.create", actor, area_code=area.code)
    return survey


# -- Answers ------------------------------------------------------------------------------------


# A Kobo export "with labels" writes the choice's label instead of its name: both are read.
LIKERT_LABELS: dict[str, int] = {
    "sangat tidak setuju": 1,
    "tidak setuju": 2,
    "ragu-ragu": 3,
    "setuju": 4,
    "sangat setuju": 5,
    "strongly disagree": 1,
    "disagree": 2,
    "neither agree nor disagree": 3,
    "agree": 4,
    "strongly agree": 5,
}


def _likert(value: Any) -> int | None:
    text = str(value).strip()
    if text.endswith(".0"):  # spreadsheets write 4 as 4.0
        text = text[:-2]
    if text in {"1", "2", "3", "4", "5"}:
        return int(text)
    return LIKERT_LABELS.get(text.lower())


def _write_answers(
    respondent: Respondent, status: str, values: Mapping[int, int], actor: Any
) -> None:
    before = {"status": respondent.status}
    Answer.objects.filter(respondent=respondent).delete()
    Answer.objects.bulk_create(
        Answer(respondent=respondent, item_id=item_id, value=value)
        for item_id, value in values.items()
    )
    respondent.status = status
    respondent.answered_at = timezone.now()
    respondent.answered_by = actor if getattr(actor, "pk", None) else None
    respondent.save(update_fields=["status", "answered_at", "answered_by"])
    _audit(
        respondent,
        "survey.answer",
        actor,
        area_code=respondent.area_id,
        before=before,
        after={"status": status, "answers": len(values)},
    )


@transaction.atomic
def respondent_answer(
    *, respondent: Respondent, status: str, answers: Mapping[str, Any], actor: Any
) -> Respondent:
    """Record one respondent: ``answered`` with a 1-5 answer to every item (by item code), or
    ``refused`` / ``not_found`` with none. All or nothing; answering again replaces."""
    ensure_can(actor, EDIT, respondent.area_id)
    items = list(respondent.survey.instrument.items.all())
    values: dict[int, int] = {}
    if status == RespondentStatus.ANSWERED:
        errors: dict[str, list[ValidationError]] = {}
        for item in items:
            given = answers.get(item.code)
            value = _likert(given) if given not in (None, "") else None
            if given in (None, ""):
                errors[item.code] = [SurveyProblem.ANSWER_MISSING.error(code=item.code)]
            elif value is None:
                errors[item.code] = [
                    SurveyProblem.ANSWER_VALUE.error(code=item.code, value=str(given)[:10])
                ]
            else:
                values[item.pk] = value
        if errors:
            raise ValidationError(errors)
    elif status not in (RespondentStatus.REFUSED, RespondentStatus.NOT_FOUND):
        raise ValidationError({"status": [SurveyProblem.ROW_STATUS.error(row=1, value=status)]})
    _write_answers(respondent, status, values, actor)
    return respondent


# -- CSV import (KoboToolbox, ODK Central) --------------------------------------------------------


@dataclass
class ImportResult:
    answered: int = 0
    refused: int = 0
    not_found: int = 0
    rows: int = 0
    errors: list[ValidationError] = field(default_factory=list)


STATUS_ALIASES = {
    "": RespondentStatus.ANSWERED,
    "answered": RespondentStatus.ANSWERED,
    "ditemui": RespondentStatus.ANSWERED,
    "refused": RespondentStatus.REFUSED,
    "menolak": RespondentStatus.REFUSED,
    "not_found": RespondentStatus.NOT_FOUND,
    "tidak_ditemukan": RespondentStatus.NOT_FOUND,
}


def column_code(header: str) -> str:
    """The question name of a CSV column: Kobo writes group paths ``grp/m1``, ODK Central
    ``grp-m1``; item codes hold neither ``/`` nor ``-``."""
    return header.strip().lstrip("\ufeff").split("/")[-1].split("-")[-1].strip().lower()


def _rows(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError({"file": [SurveyProblem.CSV_ENCODING.error()]}) from exc
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _parse(
    survey: Survey, content: bytes
) -> tuple[list[tuple[Respondent, str, dict[int, int]]], ImportResult]:
    rows = _rows(content)
    result = ImportResult()
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise ValidationError({"file": [SurveyProblem.CSV_EMPTY.error()]})
    columns = {column_code(h): i for i, h in reversed(list(enumerate(rows[0])))}
    if RESPONDENT_FIELD not in columns:
        raise ValidationError(
            {"file": [SurveyProblem.CSV_NO_RESPONDENT.error(column=RESPONDENT_FIELD)]}
        )
    items = list(survey.instrument.items.all())
    missing = [item.code for item in items if item.code not in columns]
    if missing:
        raise ValidationError(
            {"file": [SurveyProblem.CSV_MISSING_ITEMS.error(codes=", ".join(missing))]}
        )
    respondents = {r.code.upper(): r for r in survey.respondents.all()}
    seen: dict[str, int] = {}
    parsed: list[tuple[Respondent, str, dict[int, int]]] = []

    def cell(row: Sequence[str], column: str) -> str:
        index = columns.get(column)
        return row[index].strip() if index is not None and index < len(row) else ""

    for number, row in enumerate(rows[1:], 2):
        if not any(c.strip() for c in row):
            continue
        result.rows += 1
        code = cell(row, RESPONDENT_FIELD).upper()
        respondent = respondents.get(code)
        if respondent is None:
            result.errors.append(SurveyProblem.ROW_RESPONDENT.error(row=number, code=code[:20]))
            continue
        if code in seen:
            result.errors.append(
                SurveyProblem.ROW_DUPLICATE.error(row=number, code=code, first=seen[code])
            )
            continue
        seen[code] = number
        raw_status = cell(row, STATUS_FIELD).lower()
        status = STATUS_ALIASES.get(raw_status)
        if status is None:
            result.errors.append(SurveyProblem.ROW_STATUS.error(row=number, value=raw_status[:20]))
            continue
        values: dict[int, int] = {}
        if status == RespondentStatus.ANSWERED:
            for item in items:
                given = cell(row, item.code)
                value = _likert(given)
                if value is None:
                    result.errors.append(
                        SurveyProblem.ROW_VALUE.error(row=number, code=item.code, value=given[:10])
                    )
                else:
                    values[item.pk] = value
        parsed.append((respondent, status, values))
    return parsed, result


@transaction.atomic
def answers_import(*, survey: Survey, content: bytes, actor: Any) -> ImportResult:
    """Import a KoboToolbox or ODK Central CSV export of the survey's XLSForm. Every bad row is
    reported with its number; with any, nothing is written (``ValidationError`` under
    ``file``)."""
    ensure_can(actor, EDIT, survey.area_id)
    parsed, result = _parse(survey, content)
    if result.errors:
        raise ValidationError({"file": result.errors})
    for respondent, status, values in parsed:
        ensure_can(actor, EDIT, respondent.area_id)
        _write_answers(respondent, status, values, actor)
        if status == RespondentStatus.ANSWERED:
            result.answered += 1
        elif status == RespondentStatus.REFUSED:
            result.refused += 1
        else:
            result.not_found += 1
    return result
