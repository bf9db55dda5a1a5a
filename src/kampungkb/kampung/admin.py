"""Kampung KB in Django admin: the classification rules are edited here (a new version with its
start date; the bands are checked), the rest is read-only (writes go through the pages, API and
services, which check scope and keep versions)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from kampungkb.kampung.classification import RulesError, parse_bands
from kampungkb.kampung.models import Classification, ClassificationRules, KampungKb, ProfileVersion


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(KampungKb)
class KampungKbAdmin(ReadOnlyAdmin):
    list_display = ["name", "village", "declared_on", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "village__name", "village__code"]


@admin.register(ProfileVersion)
class ProfileVersionAdmin(ReadOnlyAdmin):
    list_display = ["kampung", "month", "version", "is_active", "created_at"]
    list_filter = ["is_active"]


@admin.register(Classification)
class ClassificationAdmin(ReadOnlyAdmin):
    list_display = ["kampung", "month", "klass", "input_index", "process_index", "output_index"]
    list_filter = ["klass"]


class RulesForm(forms.ModelForm):
    class Meta:
        model = ClassificationRules
        fields = ["version", "valid_from", "bands", "notes"]

    def clean_bands(self) -> Any:
        bands = self.cleaned_data["bands"]
        try:
            parse_bands(bands if isinstance(bands, dict) else {})
        except RulesError as exc:
            raise ValidationError(str(exc)) from exc
        return bands


@admin.register(ClassificationRules)
class ClassificationRulesAdmin(admin.ModelAdmin):
    form = RulesForm
    list_display = ["version", "valid_from", "notes"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
