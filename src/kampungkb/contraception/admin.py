"""The method catalogue and the facilities in Django admin. Saves go through the services, so
each change is validated and audited like any other write (``method_update`` also rebuilds the
episodes a changed due rule moves)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from kampungkb.contraception import services
from kampungkb.contraception.models import Facility, Method


@admin.register(Method)
class MethodAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "is_modern",
        "is_long_acting",
        "is_male",
        "due_rule",
        "grace_days",
        "protection_days",
        "cyp_per_unit",
        "requires_consent",
        "is_active",
    ]
    list_filter = ["is_modern", "is_long_acting", "is_active"]
    ordering = ["sort_order", "code"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        editable = services.METHOD_EDITABLE_FIELDS
        return [f.name for f in Method._meta.concrete_fields if f.name not in editable]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # the catalogue is filled by a migration (decision 0010)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # visits and episodes point at methods: deactivate instead

    def save_model(self, request: HttpRequest, obj: Method, form: ModelForm, change: bool) -> None:
        # The form has already put the new values on ``obj``; the service compares them with
        # the stored row, so it gets a fresh copy and the changed fields.
        stored = Method.objects.get(pk=obj.pk)
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        services.method_update(method=stored, actor=request.user, **changed)


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "ownership", "has_jkn_contract", "area", "is_active"]
    list_filter = ["kind", "ownership", "has_jkn_contract", "is_active"]
    search_fields = ["code", "name"]
    raw_id_fields = ["area"]
    readonly_fields = ["is_active"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["code", "is_active"] if obj is not None else ["is_active"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # visits name facilities: deactivate instead

    def save_model(
        self, request: HttpRequest, obj: Facility, form: ModelForm, change: bool
    ) -> None:
        fields = {
            name: form.cleaned_data[name]
            for name in ("name", "kind", "ownership", "has_jkn_contract", "area")
        }
        if change:
            stored = Facility.objects.get(pk=obj.pk)
            saved = services.facility_update(facility=stored, actor=request.user, **fields)
        else:
            saved = services.facility_create(
                code=form.cleaned_data["code"], actor=request.user, **fields
            )
        obj.pk = saved.pk
