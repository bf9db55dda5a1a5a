"""The form of a field note: when, what kind, who spoke, the quote, and its codes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kampungkb.participation.barriers import CATALOGUE
from kampungkb.participation.dimensions import Dimension
from kampungkb.participation.models import FieldNote, InformantRole, NoteKind
from kampungkb.participation.notes_services import NoteData


def _code_choices() -> list[tuple[Any, Any]]:
    return [
        (_("Dimension"), list(Dimension.choices)),
        (_("Barrier"), [(e.code.value, e.code.label) for e in CATALOGUE]),
    ]


class NoteForm(forms.Form):
    noted_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Kind"), choices=NoteKind.choices, widget=forms.RadioSelect)
    informant_role = forms.ChoiceField(
        label=_("Informant"), choices=[("", "---------"), *InformantRole.choices], required=False
    )
    informant_name = forms.CharField(
        label=_("Informant's name (optional)"), max_length=120, required=False
    )
    text = forms.CharField(label=_("Quote or observation"), widget=forms.Textarea)
    codes = forms.MultipleChoiceField(
        label=_("Codes"), choices=_code_choices, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["noted_on"].initial = timezone.localdate()
        self.fields["kind"].initial = NoteKind.INTERVIEW

    @classmethod
    def initial_of(cls, note: FieldNote) -> dict[str, Any]:
        return {
            "noted_on": note.noted_on,
            "kind": note.kind,
            "informant_role": note.informant_role,
            "informant_name": note.informant_name,
            "text": note.text,
            "codes": [c.code for c in note.codes.all()],
        }

    def data_out(self) -> NoteData:
        d = self.cleaned_data
        return NoteData(
            noted_on=d["noted_on"],
            kind=d["kind"],
            text=d["text"],
            codes=d["codes"],
            informant_role=d["informant_role"],
            informant_name=d["informant_name"],
        )
