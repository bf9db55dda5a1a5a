"""Forms of the activities pages. Each form feeds one service; the service holds the rules and its
``ValidationError``s are put back on the form (``families.forms.add_service_errors``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kampungkb.activities.models import (
    Activity,
    ActivityKind,
    AgeGroup,
    Contribution,
    ContributionKind,
    FamilyFunction,
    FundingSource,
    PartnerContributionKind,
    Poktan,
    PoktanKind,
    TargetGroup,
)
from kampungkb.activities.services import (
    PLAN_DAYS_AHEAD,
    ActivityData,
    PartnerContributionData,
)
from kampungkb.families.forms import AreaChoiceField, DateInput, _label
from kampungkb.families.models import Person, Sex
from kampungkb.partners.models import Partner
from kampungkb.regions.models import Area

PARTNER_CONTRIBUTION_ROWS = 3
EMPTY = ("", "---------")


class PartnerChoices(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class AreaCodeMixin:
    """The area is picked from the user's areas, or typed as a code when they are too many for
    one select (a district or national user)."""

    area_queryset: QuerySet[Area]
    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def _area_field(self, areas: Iterable[Area] | None, label: Any, required: bool = True) -> None:
        if areas is not None:
            self.fields["area"] = AreaChoiceField(areas, label=label, required=required)
        else:
            self.fields["area"] = forms.CharField(
                label=label,
                max_length=32,
                required=required,
                help_text=_("The area code, e.g. 64.02.08.2005."),
            )

    def clean_area(self) -> Area | None:
        value = self.cleaned_data.get("area")
        if value is None or isinstance(value, Area):
            return value
        if not str(value).strip():
            return None
        area = self.area_queryset.filter(code=str(value).strip()).first()
        if area is None:
            raise forms.ValidationError(_("No area with this code in your scope."))
        return area


class ActivityForm(AreaCodeMixin, forms.Form):
    kind = forms.ChoiceField(label=_label(Activity, "kind"), choices=[EMPTY, *ActivityKind.choices])
    title = forms.CharField(label=_label(Activity, "title"), max_length=200)
    held_on = forms.DateField(label=_label(Activity, "held_on"), widget=DateInput())
    place = forms.CharField(label=_label(Activity, "place"), max_length=200, required=False)
    family_function = forms.ChoiceField(
        label=_label(Activity, "family_function"), choices=[EMPTY, *FamilyFunction.choices]
    )
    target_groups = forms.MultipleChoiceField(
        label=_label(Activity, "target_groups"),
        choices=TargetGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    organiser = forms.CharField(label=_label(Activity, "organiser"), max_length=200)
    poktan = forms.ModelChoiceField(
        label=_label(Activity, "poktan"),
        queryset=Poktan.objects.none(),
        required=False,
        help_text=_("Only for a poktan session."),
    )
    partners = PartnerChoices(
        label=_label(Activity, "partners"), queryset=Partner.objects.none(), required=False
    )
    funding_source = forms.ChoiceField(
        label=_label(Activity, "funding_source"),
        choices=[EMPTY, *FundingSource.choices],
        required=False,
    )
    funding_amount = forms.IntegerField(
        label=_label(Activity, "funding_amount"),
        min_value=0,
        initial=0,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    notes = forms.CharField(
        label=_label(Activity, "notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self,
        *args: Any,
        areas: Iterable[Area] | None,
        area_queryset: QuerySet[Area],
        poktan: QuerySet[Poktan],
        partners: QuerySet[Any],
        planning: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.planning = planning
        self.area_queryset = area_queryset
        self._area_field(areas, _label(Activity, "area"), required=False)
        self.fields["area"].help_text = _(
            "A poktan session is held in its poktan's area when left empty."
        )
        self.fields["poktan"].queryset = poktan  # type: ignore[attr-defined]
        self.fields["partners"].queryset = partners  # type: ignore[attr-defined]
        if not partners.exists():
            del self.fields["partners"]
        self.order_fields(["kind", "title", "held_on", "area", "place"])
        if planning:
            # A plan may be one click from another page: what it leaves out gets a default.
            for name in ("held_on", "family_function", "organiser"):
                self.fields[name].required = False
            self.fields["held_on"].help_text = _(
                "Today or later; %(days)s days from today when left empty."
            ) % {"days": PLAN_DAYS_AHEAD}
            self.fields["family_function"].help_text = _("Follows the kind when left empty.")
            self.fields["organiser"].help_text = _("You, when left empty.")
            self.fields["plan_reason"] = forms.CharField(
                max_length=64, required=False, widget=forms.HiddenInput
            )
            self.fields["target_group"] = forms.ChoiceField(
                choices=TargetGroup.choices, required=False, widget=forms.HiddenInput
            )
            self.fields["next"] = forms.CharField(
                max_length=500, required=False, widget=forms.HiddenInput
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.planning and data.get("target_group"):
            # ``target_group`` (one) is what a link or a button from another page sends.
            data["target_groups"] = sorted({*data.get("target_groups", []), data["target_group"]})
        return data

    def plan_kwargs(self, *, today: dt.date, organiser: str) -> dict[str, Any]:
        """The arguments of ``services.activity_plan`` with the defaults of what was left out."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "title": data["title"],
            "held_on": data["held_on"] or today + dt.timedelta(days=PLAN_DAYS_AHEAD),
            "area": data["area"],
            "place": data["place"],
            "family_function": data["family_function"],
            "target_groups": data["target_groups"],
            "organiser": data["organiser"] or organiser,
            "poktan": data["poktan"],
            "partners": self.chosen_partners(),
            "funding_source": data["funding_source"],
            "funding_amount": data["funding_amount"] or 0,
            "notes": data["notes"],
            "plan_reason": data.get("plan_reason", ""),
        }

    def activity_data(self) -> ActivityData:
        data = self.cleaned_data
        return ActivityData(
            kind=data["kind"],
            title=data["title"],
            held_on=data["held_on"],
            family_function=data["family_function"],
            organiser=data["organiser"],
            area=data["area"],
            place=data["place"],
            target_groups=data["target_groups"],
            poktan=data["poktan"],
            funding_source=data["funding_source"],
            funding_amount=data["funding_amount"] or 0,
            notes=data["notes"],
        )

    def chosen_partners(self) -> list[Any] | None:
        return list(self.cleaned_data["partners"]) if "partners" in self.fields else None


def count_field_name(sex: str, age_group: str) -> str:
    return f"count_{sex}_{age_group.replace('-', '_').replace('+', 'plus')}"


class CountsForm(forms.Form):
    """The counted attendees: one number per sex and age group."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for sex, sex_label in Sex.choices:
            for age, age_label in AgeGroup.choices:
                self.fields[count_field_name(sex, age)] = forms.IntegerField(
                    label=f"{sex_label}, {age_label}",
                    required=False,
                    min_value=0,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
                )

    def counts(self) -> dict[tuple[str, str], int]:
        return {
            (sex, age): self.cleaned_data[count_field_name(sex, age)] or 0
            for sex in Sex.values
            for age in AgeGroup.values
        }


class ContributionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_label(Contribution, "kind"), choices=[EMPTY, *ContributionKind.choices]
    )
    person = forms.ModelChoiceField(
        label=_("Attendee"), queryset=Person.objects.none(), required=False
    )
    contributor = forms.CharField(
        label=_label(Contribution, "contributor"), max_length=150, required=False
    )
    description = forms.CharField(
        label=_label(Contribution, "description"), max_length=255, required=False
    )
    value = forms.IntegerField(
        label=_label(Contribution, "value"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, attendees: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = attendees  # type: ignore[attr-defined]


class PartnerForm(forms.Form):
    """A partner involved in the activity, its role and up to three contributions."""

    partner = forms.ModelChoiceField(label=_("Partner"), queryset=Partner.objects.none())
    role = forms.CharField(label=_("Role"), max_length=200, required=False)

    def __init__(self, *args: Any, partners: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners  # type: ignore[attr-defined]
        for i in range(1, PARTNER_CONTRIBUTION_ROWS + 1):
            self.fields[f"kind_{i}"] = forms.ChoiceField(
                label=_("Contribution %(n)s") % {"n": i},
                choices=[EMPTY, *PartnerContributionKind.choices],
                required=False,
            )
            self.fields[f"value_{i}"] = forms.IntegerField(
                label=_("Value (Rp)"),
                required=False,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
            self.fields[f"description_{i}"] = forms.CharField(
                label=_("Description"), max_length=255, required=False
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for i in range(1, PARTNER_CONTRIBUTION_ROWS + 1):
            if data.get(f"kind_{i}") and data.get(f"value_{i}") is None:
                self.add_error(f"value_{i}", _("Give the value in Rupiah."))
        return data

    def contributions(self) -> list[PartnerContributionData]:
        data = self.cleaned_data
        return [
            PartnerContributionData(
                kind=data[f"kind_{i}"],
                value=data[f"value_{i}"],
                description=data[f"description_{i}"],
            )
            for i in range(1, PARTNER_CONTRIBUTION_ROWS + 1)
            if data.get(f"kind_{i}")
        ]


class PhotoForm(forms.Form):
    image = forms.FileField(
        label=_("Photo"),
        help_text=_("JPEG, PNG or WebP, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)


class PoktanForm(AreaCodeMixin, forms.Form):
    kind = forms.ChoiceField(label=_label(Poktan, "kind"), choices=[EMPTY, *PoktanKind.choices])
    name = forms.CharField(label=_label(Poktan, "name"), max_length=150)
    established_on = forms.DateField(
        label=_label(Poktan, "established_on"), required=False, widget=DateInput()
    )

    def __init__(
        self,
        *args: Any,
        areas: Iterable[Area] | None = None,
        area_queryset: QuerySet[Area] | None = None,
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if not editing:
            assert area_queryset is not None  # noqa: S101 - a new poktan always picks an area
            self.area_queryset = area_queryset
            self._area_field(areas, _label(Poktan, "area"))
            self.order_fields(["kind", "name", "area"])


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=255,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MemberForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    joined_on = forms.DateField(label=_("Joined on"), widget=DateInput())


class MemberEndForm(forms.Form):
    left_on = forms.DateField(label=_("Left on"), widget=DateInput())
