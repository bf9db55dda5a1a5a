"""The mothers page: pregnant women, mothers in their 42 post-partum days (with the method begun,
if any) and mothers of a child under 2 without a method, in a village (or an RW/RT) on a date, with
the Excel file of each list. Names are shown: partners and viewers find nothing here, and an area
outside the user's areas is not found."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.vary import vary_on_headers

from kampungkb.accounts.decorators import page
from kampungkb.contraception.exports import export_audit
from kampungkb.core import tables
from kampungkb.core.errors import BadQuery
from kampungkb.families.masking import mask_id
from kampungkb.families.views import HtmxHttpRequest
from kampungkb.stunting.errors import StuntingProblem
from kampungkb.stunting.mothers import MotherList, MotherRow, mothers_for
from kampungkb.stunting.views import _on, list_area_filter


def _kind(request: HttpRequest) -> MotherList:
    value = request.GET.get("list", "").strip() or MotherList.PREGNANT.value
    if value not in MotherList.values:
        raise BadQuery(
            StuntingProblem.LIST_INVALID, value=value[:30], choices=", ".join(MotherList.values)
        )
    return MotherList(value)


@page
@vary_on_headers("HX-Request")
def mothers(request: HtmxHttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    on = _on(request, today)
    kind = _kind(request)
    area_filter = list_area_filter(request)
    context: dict[str, Any] = {
        "area_filter": area_filter,
        "on": on,
        "today": today,
        "kind": kind,
        "problem": StuntingProblem.AREA_MISSING.text(),
    }
    lists = None
    if area_filter.current is not None:
        try:
            lists = mothers_for(user=user, area_code=area_filter.current.code, on=on)
        except ValidationError as error:
            context["problem"] = " ".join(error.messages)
        else:
            context["problem"] = ""
            context["tabs"] = [(k, len(rows)) for k, rows in lists.items()]
            context["rows"] = lists[kind]
    if request.GET.get("format") == "xlsx":
        if lists is None or area_filter.current is None:
            raise BadQuery(StuntingProblem.AREA_MISSING)
        return _export(request, lists[kind], area_filter.current.code, kind=kind, on=on)
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "stunting/mothers_results.html", context)
    return render(request, "stunting/mothers.html", context)


def _export(
    request: HttpRequest, rows: list[MotherRow], area_code: str, *, kind: MotherList, on: dt.date
) -> HttpResponse:
    export_audit(
        actor=request.user,
        list_name=f"stunting_mothers_{kind.value}",
        file_format="xlsx",
        area_code=area_code,
        rows=len(rows),
        on=on.isoformat(),
    )
    with translation.override("id"):
        header = [
            _("Mother"),
            _("NIK"),
            _("Address"),
            _("Area"),
            _("From"),
            _("Until"),
            _("Method in use"),
            _("Youngest child"),
            _("Child's age (months)"),
        ]
        lines = [
            [
                r.wife.full_name,
                mask_id(r.wife.nik),
                r.wife.family.address,
                r.wife.family.area_id,
                r.since,
                r.until,
                r.method,
                r.child.full_name if r.child else "",
                r.child_months if r.child else "",
            ]
            for r in rows
        ]
        title = str(kind.label)
    return tables.xlsx_response(
        f"kampungkb-ibu-{kind.value}-{area_code}-{on.isoformat()}", title, header, lines
    )
