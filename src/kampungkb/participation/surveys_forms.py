"""Forms of the survey pages: an instrument, an item, a new survey, one respondent's answers
(radio buttons, large enough for a phone), a CSV upload."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kampungkb.participation.barriers import BarrierCode
from kampungkb.participation.dimensions import Dimension
from kampungkb.participation.models import Draw, Instrument, Item, Likert, RespondentStatus
from kampungkb.participation.surveys_services import ItemData

MAX_UPLOAD = 5 * 1024 * 1024


class InstrumentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)


def _measures_choices() -> list[tuple[Any, Any]]:
    return [
        ("", "---------"),
        (_("Dimension"), [(f"dimension:{d.value}", d.label) for d in Dimension]),
        (_("Barrier"), [(f"barrier:{b.value}", b.label) for b in BarrierCode]),
    ]


class ItemForm(forms.Form):
    code = forms.RegexField(
        label=_("Code"),
        regex=r"^[a-z][a-z0-9_]{0,31}$",
        max_length=32,
        help_text=_("Lower-case letters, digits and _, starting with a letter (e.g. m1)."),
    )
    text = forms.CharField(label=_("Statement (Bahasa Indonesia)"), max_length=300)
    text_en = forms.CharField(label=_("Statement (English)"), max_length=300, required=False)
    measures = forms.ChoiceField(label=_("Measures"), choices=_measures_choices)
    reverse = forms.BooleanField(
        label=_("Reverse-scored (agreeing means less participation)"), required=False
    )

    @classmethod
    def initial_of(cls, item: Item) -> dict[str, Any]:
        kind = "dimension" if item.dimension else "barrier"
        return {
            "code": item.code,
            "text": item.text,
            "text_en": item.text_en,
            "measures": f"{kind}:{item.measures}",
            "reverse": item.reverse,
        }

    def data_out(self) -> ItemData:
        kind, _sep, value = self.cleaned_data["measures"].partition(":")
        return ItemData(
            code=self.cleaned_data["code"],
            text=self.cleaned_data["text"],
            text_en=self.cleaned_data["text_en"],
            dimension=value if kind == "dimension" else "",
            barrier=value if kind == "barrier" else "",
            reverse=self.cleaned_data["reverse"],
        )


class SurveyForm(forms.Form):
    instrument = forms.ModelChoiceField(label=_("Instrument"), queryset=Instrument.objects.none())
    month = forms.DateField(
        label=_("Month"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    sample_size = forms.IntegerField(label=_("Sample size"), min_value=1)
    draw = forms.ChoiceField(label=_("Respondents"), choices=Draw.choices, initial=Draw.WIVES)
    seed = forms.IntegerField(
        label=_("Random seed"),
        required=False,
        min_value=0,
        help_text=_(
            "Leave empty for a new random seed; the seed is recorded to redraw the sample."
        ),
    )
    drawn_on = forms.DateField(
        label=_("Sample drawn on (PUS on this day)"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = Instrument.objects.order_by(  # type: ignore[attr-defined]
            "-is_default", "name", "-version"
        )
        today = timezone.localdate()
        self.fields["month"].initial = today.replace(day=1)
        self.fields["drawn_on"].initial = today


class AnswerForm(forms.Form):
    """One respondent: the status, and each item as five radio buttons."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=[c for c in RespondentStatus.choices if c[0] != RespondentStatus.PENDING],
        widget=forms.RadioSelect,
        initial=RespondentStatus.ANSWERED,
    )

    def __init__(self, *args: Any, items: list[Item], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[item.code] = forms.TypedChoiceField(
                label=item.text,
                choices=Likert.choices,
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
            )

    def item_fields(self) -> list[Any]:
        return [self[item.code] for item in self.items]

    def answers(self) -> dict[str, Any]:
        return {item.code: self.cleaned_data.get(item.code) for item in self.items}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV export from KoboToolbox or ODK Central"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def content(self) -> bytes:
        upload = self.cleaned_data["file"]
        return bytes(upload.read(MAX_UPLOAD))
