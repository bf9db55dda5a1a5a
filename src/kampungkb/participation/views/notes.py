"""Field-note pages (decision 0032): the matrix of sub-areas by codes (counts, for every role
that sees aggregates of the area; Excel), the quotes behind a cell (roles that see persons only:
informants' names go no further), and recording, editing and deleting a note
(``EDIT_PROGRAMME`` in its area). Anything outside the user's areas is not found."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.vary import vary_on_headers

from kampungkb.accounts.decorators import needs
from kampungkb.accounts.scope import Capability, area_or_404, area_or_first_root, scope_for
from kampungkb.cadres.views.common import area_options
from kampungkb.core.audit import audit_record
from kampungkb.families.forms import add_service_errors
from kampungkb.participation import notes_forms as forms
from kampungkb.participation import notes_selectors as selectors
from kampungkb.participation import notes_services as services
from kampungkb.participation.models.notes import CODE_CHOICES, FieldNote
from kampungkb.participation.surveys_exports import workbook, xlsx

VIEW = Capability.VIEW_AGGREGATES
NAMED = Capability.VIEW_PERSONS
EDIT = Capability.EDIT_PROGRAMME
CODE_LABELS = dict(CODE_CHOICES)


def _matrix_file(request: HttpRequest, matrix: selectors.Matrix, named: bool) -> HttpResponse:
    area = matrix.area
    with translation.override("id"):
        header = [_("Area"), _("Notes"), *[c.label for c in matrix.columns]]
        rows: list[list[Any]] = [
            [
                f"{r.area.code} {r.area}" if r.area else _("Recorded at %s") % area,
                r.notes,
                *r.counts,
            ]
            for r in matrix.rows
        ]
        rows.append([_("Total"), matrix.notes, *matrix.totals])
        sheets = [("Matriks", header, rows)]
        if named:
            notes = selectors.note_list(user=request.user, area=area)
            quote_head = [
                _("Date"),
                _("Area"),
                _("Kind"),
                _("Informant"),
                _("Informant's name"),
                _("Codes"),
                _("Quote or observation"),
            ]
            quotes = [
                [
                    n.noted_on,
                    f"{n.area_id} {n.area}",
                    n.get_kind_display(),
                    n.get_informant_role_display(),
                    n.informant_name,
                    ", ".join(str(CODE_LABELS[c.code]) for c in n.codes.all()),
                    n.text,
                ]
                for n in notes
            ]
            sheets.append(("Kutipan", quote_head, quotes))
            audit_record(
                actor=request.user,
                action="note.export",
                instance=area,
                area_code=area.code,
                after={"notes": len(quotes)},
            )
    return xlsx(f"catatan-lapangan-{area.code}", workbook(sheets))


@needs(VIEW, ["GET"])
@vary_on_headers("HX-Request")
def note_matrix(request: HttpRequest) -> HttpResponse:
    area = area_or_first_root(request.user, request.GET.get("area") or None, VIEW)
    matrix = selectors.note_matrix(user=request.user, area=area)
    scope = scope_for(request.user)
    named = scope.can(NAMED, area.code)
    if request.GET.get("format") == "xlsx":
        return _matrix_file(request, matrix, named)
    context = {
        "matrix": matrix,
        "area": area,
        "area_options": area_options(request.user, area, VIEW),
        "named": named,
        "can_record": scope.can(EDIT, area.code) and area.level >= 4,
    }
    return render(request, "participation/note_matrix.html", context)


@needs(NAMED, ["GET"])
def note_list(request: HttpRequest) -> HttpResponse:
    """The quotes behind a cell of the matrix: ``?area=`` (``&exact=1`` for notes recorded at
    the area itself) and ``?code=``."""
    area = area_or_404(request.user, request.GET.get("area") or "", NAMED)
    code = request.GET.get("code") or ""
    if code and code not in CODE_LABELS:
        raise Http404
    exact = request.GET.get("exact") == "1"
    notes = list(selectors.note_list(user=request.user, area=area, code=code, exact_area=exact))
    scope = scope_for(request.user)
    context = {
        "area": area,
        "code": code,
        "code_label": CODE_LABELS.get(code, ""),
        "notes": [(n, scope.can(EDIT, n.area_id)) for n in notes],
        "labels": CODE_LABELS,
    }
    return render(request, "participation/note_list.html", context)


def _save(form: Any, write: Any) -> Any:
    try:
        return write()
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def _matrix_url(code: str) -> str:
    return f"{reverse('participation:notes')}?area={code}"


@needs(EDIT, ["GET", "POST"])
def note_create(request: HttpRequest) -> HttpResponse:
    area = area_or_404(request.user, request.GET.get("area") or "", EDIT)
    form = forms.NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        note = _save(
            form,
            lambda: services.note_create(area=area, data=form.data_out(), actor=request.user),
        )
        if note is not None:
            messages.success(request, _("The field note was recorded."))
            return redirect(_matrix_url(area.parent_id or area.code))
    context = {
        "form": form,
        "title": _("New field note in %(area)s") % {"area": area},
        "cancel_url": _matrix_url(area.code),
    }
    return render(request, "participation/note_form.html", context)


def _editable(request: HttpRequest, pk: int) -> FieldNote:
    return selectors.note_get(user=request.user, pk=pk, capability=EDIT)


@needs(EDIT, ["GET", "POST"])
def note_edit(request: HttpRequest, pk: int) -> HttpResponse:
    note = _editable(request, pk)
    form = forms.NoteForm(request.POST or None, initial=forms.NoteForm.initial_of(note))
    if request.method == "POST" and form.is_valid():
        done = _save(
            form,
            lambda: services.note_update(
                note=note, area=note.area, data=form.data_out(), actor=request.user
            ),
        )
        if done is not None:
            messages.success(request, _("The field note was saved."))
            return redirect(_matrix_url(note.area.parent_id or note.area_id))
    context = {
        "form": form,
        "title": _("Field note of %(date)s in %(area)s")
        % {"date": note.noted_on.strftime("%d-%m-%Y"), "area": note.area},
        "cancel_url": _matrix_url(note.area_id),
        "note": note,
    }
    return render(request, "participation/note_form.html", context)


@needs(EDIT, ["POST"])
def note_delete(request: HttpRequest, pk: int) -> HttpResponse:
    note = _editable(request, pk)
    parent = note.area.parent_id or note.area_id
    services.note_delete(note=note, actor=request.user)
    messages.success(request, _("The field note was deleted."))
    return redirect(_matrix_url(parent))
