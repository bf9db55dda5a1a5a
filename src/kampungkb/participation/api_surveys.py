"""The survey and field-note API (decisions 0031, 0032), under ``/api/participation``.

Instruments are read by everyone who sees aggregates and written by the builders
(``surveys_services.can_build``). Surveys are read (scores, alpha, the record-based index) with
``VIEW_AGGREGATES`` in their area; their respondents with names only with ``VIEW_PERSONS``;
drawing, answering and importing need ``EDIT_PROGRAMME``. Field notes (quotes, informants) need
``VIEW_PERSONS``; the matrix of counts needs ``VIEW_AGGREGATES``. Outside the scope is 404; bad
input is 422 with messages in Bahasa Indonesia and English.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile

from kampungkb.accounts.scope import Capability, area_or_404, scope_for
from kampungkb.participation import notes_selectors, notes_services
from kampungkb.participation import surveys_selectors as selectors
from kampungkb.participation import surveys_services as services
from kampungkb.participation.barriers import BarrierCode
from kampungkb.participation.dimensions import Dimension
from kampungkb.participation.models import (
    Draw,
    FieldNote,
    InformantRole,
    Instrument,
    Item,
    NoteKind,
    RespondentStatus,
    Survey,
)
from kampungkb.participation.surveys_exports import xlsx
from kampungkb.participation.surveys_forms import MAX_UPLOAD
from kampungkb.participation.surveys_xlsform import survey_xlsform

router = Router()
VIEW = Capability.VIEW_AGGREGATES
NAMED = Capability.VIEW_PERSONS
EDIT = Capability.EDIT_PROGRAMME


def _needs(request: HttpRequest, capability: Capability) -> None:
    if not scope_for(request.user).can(capability):
        raise Http404


def _builder(request: HttpRequest) -> None:
    if not services.can_build(request.user):
        raise Http404


# -- Schemas ------------------------------------------------------------------------------------


class ItemOut(Schema):
    id: int
    order: int
    code: str
    text: str
    text_en: str
    dimension: str
    barrier: str
    reverse: bool


class InstrumentOut(Schema):
    id: int
    name: str
    description: str
    version: int
    is_default: bool
    frozen: bool
    items: list[ItemOut]


class InstrumentIn(Schema):
    name: str = Field(max_length=120)
    description: str = ""


class ItemIn(Schema):
    code: str = Field(max_length=32, description="An XLSForm name: a-z, 0-9 and _, e.g. m1.")
    text: str = Field(max_length=300, description="The statement in Bahasa Indonesia.")
    text_en: str = Field("", max_length=300)
    dimension: Dimension | Literal[""] = ""
    barrier: BarrierCode | Literal[""] = ""
    reverse: bool = False


class SurveyIn(Schema):
    instrument_id: int
    area: str = Field(description="An area code (any level the user may draw in).")
    month: str = Field(description="The survey's month, YYYY-MM.", pattern=r"^\d{4}-\d{2}$")
    sample_size: int
    draw: Draw = Draw.WIVES
    seed: int | None = Field(None, ge=0, description="Leave out for a new random seed.")
    drawn_on: dt.date | None = Field(None, description="The PUS on this day (default today).")


class DimensionOut(Schema):
    dimension: str
    items: int
    respondents: int
    score: float | None
    alpha: float | None
    alpha_n: int
    index: float | None = Field(description="The record-based index (null: not computed yet).")


class BarrierShareOut(Schema):
    barrier: str
    item: str
    respondents: int
    agree: int
    share: float | None


class SurveyOut(Schema):
    id: int
    instrument_id: int
    instrument: str
    area: str
    area_name: str
    month: str
    drawn_on: dt.date
    draw: str
    sample_size: int
    population: int
    seed: int
    answered: int
    refused: int
    not_found: int
    dimensions: list[DimensionOut]
    composite_score: float | None
    composite_index: float | None
    barriers: list[BarrierShareOut]


class SurveySummaryOut(Schema):
    id: int
    instrument_id: int
    area: str
    month: str
    sample_size: int
    population: int
    answered: int


class RespondentOut(Schema):
    id: int
    code: str
    name: str
    area: str
    status: str


class AnswersIn(Schema):
    status: RespondentStatus = RespondentStatus.ANSWERED
    answers: dict[str, int] = Field(default_factory=dict, description="Item code -> 1..5.")


class ImportOut(Schema):
    rows: int
    answered: int
    refused: int
    not_found: int


class NoteIn(Schema):
    area: str = Field(description="A village, hamlet/RW or RT code.")
    noted_on: dt.date
    kind: NoteKind
    informant_role: InformantRole | Literal[""] = ""
    informant_name: str = Field("", max_length=120)
    text: str
    codes: list[str] = Field(description="Dimension and barrier codes.")


class NoteOut(Schema):
    id: int
    area: str
    noted_on: dt.date
    kind: str
    informant_role: str
    informant_name: str
    text: str
    codes: list[str]


class MatrixRowOut(Schema):
    area: str | None = Field(description="null: notes recorded at the area itself.")
    area_name: str | None
    notes: int
    counts: dict[str, int]


class MatrixOut(Schema):
    area: str
    codes: list[str]
    notes: int
    rows: list[MatrixRowOut]
    totals: dict[str, int]


def _instrument_out(instrument: Instrument) -> dict[str, Any]:
    return {
        "id": instrument.pk,
        "name": instrument.name,
        "description": instrument.description,
        "version": instrument.version,
        "is_default": instrument.is_default,
        "frozen": services.is_frozen(instrument),
        "items": list(instrument.items.order_by("order", "pk")),
    }


def _f(value: Any) -> float | None:
    return None if value is None else round(float(value), 4)


def _survey_out(survey: Survey) -> dict[str, Any]:
    results = selectors.survey_results(survey)
    return {
        "id": survey.pk,
        "instrument_id": survey.instrument_id,
        "instrument": str(survey.instrument),
        "area": survey.area_id,
        "area_name": survey.area.name,
        "month": survey.month.strftime("%Y-%m"),
        "drawn_on": survey.drawn_on,
        "draw": survey.draw,
        "sample_size": survey.sample_size,
        "population": survey.population,
        "seed": survey.seed,
        "answered": results.counts.get(RespondentStatus.ANSWERED, 0),
        "refused": results.counts.get(RespondentStatus.REFUSED, 0),
        "not_found": results.counts.get(RespondentStatus.NOT_FOUND, 0),
        "dimensions": [
            {
                "dimension": d.dimension.value,
                "items": d.items,
                "respondents": d.respondents,
                "score": _f(d.score),
                "alpha": _f(d.alpha),
                "alpha_n": d.alpha_n,
                "index": _f(d.index),
            }
            for d in results.dimensions
        ],
        "composite_score": _f(results.composite_score),
        "composite_index": _f(results.composite_index),
        "barriers": [
            {
                "barrier": b.code,
                "item": b.item.code,
                "respondents": b.respondents,
                "agree": b.agree,
                "share": _f(b.share),
            }
            for b in results.barriers
        ],
    }


def _note_out(note: FieldNote) -> dict[str, Any]:
    return {
        "id": note.pk,
        "area": note.area_id,
        "noted_on": note.noted_on,
        "kind": note.kind,
        "informant_role": note.informant_role,
        "informant_name": note.informant_name,
        "text": note.text,
        "codes": sorted(c.code for c in note.codes.all()),
    }


# -- Instruments --------------------------------------------------------------------------------


@router.get("/instruments", response=list[InstrumentOut], summary="Survey instruments")
def instrument_list(request: HttpRequest) -> list[dict[str, Any]]:
    _needs(request, VIEW)
    return [_instrument_out(i) for i in selectors.instrument_list()]


@router.get("/instruments/{instrument_id}", response=InstrumentOut, summary="One instrument")
def instrument_read(request: HttpRequest, instrument_id: int) -> dict[str, Any]:
    _needs(request, VIEW)
    return _instrument_out(selectors.instrument_get(pk=instrument_id))


@router.post(
    "/instruments", response={201: InstrumentOut}, summary="Create an instrument (district)"
)
def instrument_create(request: HttpRequest, payload: InstrumentIn) -> Status[dict[str, Any]]:
    _builder(request)
    instrument = services.instrument_create(
        name=payload.name, description=payload.description, actor=request.user
    )
    return Status(201, _instrument_out(instrument))


@router.post(
    "/instruments/{instrument_id}/copy",
    response={201: InstrumentOut},
    summary="Copy an instrument to its next version (to change a frozen one)",
)
def instrument_copy(request: HttpRequest, instrument_id: int) -> Status[dict[str, Any]]:
    _builder(request)
    instrument = selectors.instrument_get(pk=instrument_id)
    return Status(
        201, _instrument_out(services.instrument_copy(instrument=instrument, actor=request.user))
    )


def _item_data(payload: ItemIn) -> services.ItemData:
    return services.ItemData(
        code=payload.code,
        text=payload.text,
        text_en=payload.text_en,
        dimension=str(payload.dimension),
        barrier=str(payload.barrier),
        reverse=payload.reverse,
    )


@router.post(
    "/instruments/{instrument_id}/items",
    response={201: ItemOut},
    summary="Add an item to an instrument that is not frozen",
)
def item_add(request: HttpRequest, instrument_id: int, payload: ItemIn) -> Status[Item]:
    _builder(request)
    instrument = selectors.instrument_get(pk=instrument_id)
    return Status(
        201, services.item_add(instrument=instrument, data=_item_data(payload), actor=request.user)
    )


@router.put("/instrument-items/{item_id}", response=ItemOut, summary="Change an item")
def item_update(request: HttpRequest, item_id: int, payload: ItemIn) -> Item:
    _builder(request)
    item = get_object_or_404(Item.objects.select_related("instrument"), pk=item_id)
    return services.item_update(item=item, data=_item_data(payload), actor=request.user)


@router.delete("/instrument-items/{item_id}", response={204: None}, summary="Delete an item")
def item_delete(request: HttpRequest, item_id: int) -> Status[None]:
    _builder(request)
    item = get_object_or_404(Item.objects.select_related("instrument"), pk=item_id)
    services.item_delete(item=item, actor=request.user)
    return Status(204, None)


# -- Surveys ------------------------------------------------------------------------------------


@router.get("/surveys", response=list[SurveySummaryOut], summary="Surveys of an area's subtree")
def survey_list(request: HttpRequest, area: str) -> list[dict[str, Any]]:
    checked = area_or_404(request.user, area, VIEW)
    return [
        {
            "id": s.pk,
            "instrument_id": s.instrument_id,
            "area": s.area_id,
            "month": s.month.strftime("%Y-%m"),
            "sample_size": s.sample_size,
            "population": s.population,
            "answered": s.answered,  # type: ignore[attr-defined]
        }
        for s in selectors.survey_list(user=request.user, area=checked)
    ]


@router.post(
    "/surveys",
    response={201: SurveyOut},
    summary="Create a survey: draw its respondents at random from the area's PUS",
)
def survey_create(request: HttpRequest, payload: SurveyIn) -> Status[dict[str, Any]]:
    _needs(request, EDIT)
    area = area_or_404(request.user, payload.area, EDIT)
    instrument = get_object_or_404(Instrument, pk=payload.instrument_id)
    survey = services.survey_create(
        instrument=instrument,
        area=area,
        month=dt.date.fromisoformat(f"{payload.month}-01"),
        sample_size=payload.sample_size,
        draw=payload.draw,
        seed=payload.seed,
        drawn_on=payload.drawn_on,
        actor=request.user,
    )
    return Status(201, _survey_out(survey))


@router.get(
    "/surveys/{survey_id}",
    response=SurveyOut,
    summary="A survey's scores, Cronbach's alpha and the record-based index side by side",
)
def survey_read(request: HttpRequest, survey_id: int) -> dict[str, Any]:
    return _survey_out(selectors.survey_get(user=request.user, pk=survey_id))


@router.get(
    "/surveys/{survey_id}/respondents",
    response=list[RespondentOut],
    summary="A survey's respondents by name (roles that see persons)",
)
def respondent_list(request: HttpRequest, survey_id: int) -> list[dict[str, Any]]:
    _needs(request, NAMED)
    survey = selectors.survey_get(user=request.user, pk=survey_id)
    return [
        {
            "id": r.pk,
            "code": r.code,
            "name": r.person.full_name,
            "area": r.area_id,
            "status": r.status,
        }
        for r in selectors.respondent_list(user=request.user, survey=survey)
    ]


@router.post(
    "/surveys/{survey_id}/respondents/{code}/answers",
    response=RespondentOut,
    summary="Record one respondent's answers (all items), or refused / not found",
)
def respondent_answer(
    request: HttpRequest, survey_id: int, code: str, payload: AnswersIn
) -> dict[str, Any]:
    _needs(request, EDIT)
    survey = selectors.survey_get(user=request.user, pk=survey_id, capability=EDIT)
    found = get_object_or_404(survey.respondents.select_related("person"), code=code.upper())
    respondent = selectors.respondent_get(
        user=request.user, survey=survey, pk=found.pk, capability=EDIT
    )
    services.respondent_answer(
        respondent=respondent,
        status=payload.status,
        answers=payload.answers,
        actor=request.user,
    )
    return {
        "id": respondent.pk,
        "code": respondent.code,
        "name": respondent.person.full_name,
        "area": respondent.area_id,
        "status": respondent.status,
    }


@router.post(
    "/surveys/{survey_id}/import",
    response=ImportOut,
    summary="Import a KoboToolbox or ODK Central CSV export of the answers: every row, or none",
)
def survey_import(request: HttpRequest, survey_id: int, file: File[UploadedFile]) -> dict[str, Any]:
    _needs(request, EDIT)
    survey = selectors.survey_get(user=request.user, pk=survey_id, capability=EDIT)
    result = services.answers_import(
        survey=survey, content=bytes(file.read(MAX_UPLOAD)), actor=request.user
    )
    return {
        "rows": result.rows,
        "answered": result.answered,
        "refused": result.refused,
        "not_found": result.not_found,
    }


@router.get(
    "/surveys/{survey_id}/xlsform",
    summary="The survey's instrument and respondent codes as an XLSForm (validated by pyxform)",
)
def survey_xlsform_download(request: HttpRequest, survey_id: int) -> HttpResponse:
    _needs(request, EDIT)
    survey = selectors.survey_get(user=request.user, pk=survey_id, capability=EDIT)
    form = survey_xlsform(survey)
    return xlsx(form.form_id, form.content)


# -- Field notes --------------------------------------------------------------------------------


@router.get("/notes", response=list[NoteOut], summary="Field notes of an area (with quotes)")
def note_list(request: HttpRequest, area: str, code: str | None = None) -> list[dict[str, Any]]:
    _needs(request, NAMED)
    checked = area_or_404(request.user, area, NAMED)
    return [
        _note_out(n)
        for n in notes_selectors.note_list(user=request.user, area=checked, code=code or None)
    ]


@router.get(
    "/notes/matrix",
    response=MatrixOut,
    summary="Sub-areas by codes: the number of field notes in each cell (counts only)",
)
def note_matrix(request: HttpRequest, area: str) -> dict[str, Any]:
    checked = area_or_404(request.user, area, VIEW)
    matrix = notes_selectors.note_matrix(user=request.user, area=checked)
    codes = [c.code for c in matrix.columns]
    return {
        "area": checked.code,
        "codes": codes,
        "notes": matrix.notes,
        "rows": [
            {
                "area": r.area.code if r.area else None,
                "area_name": r.area.name if r.area else None,
                "notes": r.notes,
                "counts": dict(zip(codes, r.counts, strict=True)),
            }
            for r in matrix.rows
        ],
        "totals": dict(zip(codes, matrix.totals, strict=True)),
    }


def _note_data(payload: NoteIn) -> notes_services.NoteData:
    return notes_services.NoteData(
        noted_on=payload.noted_on,
        kind=payload.kind,
        text=payload.text,
        codes=payload.codes,
        informant_role=str(payload.informant_role),
        informant_name=payload.informant_name,
    )


@router.post("/notes", response={201: NoteOut}, summary="Record a field note")
def note_create(request: HttpRequest, payload: NoteIn) -> Status[dict[str, Any]]:
    _needs(request, EDIT)
    area = area_or_404(request.user, payload.area, EDIT)
    note = notes_services.note_create(area=area, data=_note_data(payload), actor=request.user)
    return Status(201, _note_out(note))


@router.get("/notes/{note_id}", response=NoteOut, summary="One field note")
def note_read(request: HttpRequest, note_id: int) -> dict[str, Any]:
    return _note_out(notes_selectors.note_get(user=request.user, pk=note_id))


@router.put("/notes/{note_id}", response=NoteOut, summary="Change a field note")
def note_update(request: HttpRequest, note_id: int, payload: NoteIn) -> dict[str, Any]:
    _needs(request, EDIT)
    note = notes_selectors.note_get(user=request.user, pk=note_id, capability=EDIT)
    area = area_or_404(request.user, payload.area, EDIT)
    notes_services.note_update(note=note, area=area, data=_note_data(payload), actor=request.user)
    return _note_out(notes_selectors.note_get(user=request.user, pk=note_id))


@router.delete("/notes/{note_id}", response={204: None}, summary="Delete a field note")
def note_delete(request: HttpRequest, note_id: int) -> Status[None]:
    _needs(request, EDIT)
    note = notes_selectors.note_get(user=request.user, pk=note_id, capability=EDIT)
    notes_services.note_delete(note=note, actor=request.user)
    return Status(204, None)
