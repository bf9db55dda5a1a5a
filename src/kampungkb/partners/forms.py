"""Forms of the partner pages. Each feeds one service; the service's ``ValidationError``s go back
onto the fields (``families.forms.add_service_errors``). Forms only parse input."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kampungkb.accounts.models import User
from kampungkb.partners.models import CommitmentMeasure, PartnerKind
from kampungkb.partners.services import CommitmentData, ContactData, MouData, PartnerData
from kampungkb.partners.validators import MAX_DOCUMENT_MB
from kampungkb.regions.models import Area

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _area_text(area: Area) -> str:
    return f"{area.name} ({area.code})"


class AreaField(forms.ChoiceField):
    """One area of a list the view has read (the user's areas down to the villages), or, with
    no list (a national user), an area code typed."""

    def __init__(self, areas: Iterable[Area] | None, **kwargs: Any) -> None:
        self.areas = {a.code: a for a in areas} if areas is not None else None
        choices = [("", "---------")]
        if self.areas is not None:
            choices += [(c, _area_text(a)) for c, a in self.areas.items()]
        super().__init__(choices=choices, **kwargs)
        if self.areas is None:
            self.widget = forms.TextInput(attrs={"placeholder": "64.02"})

    def valid_value(self, value: Any) -> bool:
        return self.areas is None or super().valid_value(value)

    def clean(self, value: Any) -> Area | None:
        code = super().clean(value)
        if not code:
            return None
        if self.areas is not None:
            return self.areas.get(code)
        area = Area.objects.filter(code=code.strip()).first()
        if area is None:
            raise ValidationError(_("Unknown area code: %(codes)s"), params={"codes": code})
        return area


class AreasField(forms.Field):
    """Several areas: a list to tick from when the user's areas are few enough, else area codes
    typed separated by commas or spaces (a national administrator)."""

    def __init__(self, areas: Iterable[Area] | None, **kwargs: Any) -> None:
        self.areas = {a.code: a for a in areas} if areas is not None else None
        if self.areas is not None:
            widget: forms.Widget = forms.SelectMultiple(
                choices=[(c, _area_text(a)) for c, a in self.areas.items()], attrs={"size": 8}
            )
        else:
            widget = forms.TextInput(attrs={"placeholder": "64.02.08, 64.02.09.2001"})
        super().__init__(widget=widget, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        if self.areas is None and isinstance(value, list | tuple):
            return ", ".join(str(getattr(v, "code", v)) for v in value)
        if isinstance(value, list | tuple):
            return [getattr(v, "code", v) for v in value]
        return value

    def to_python(self, value: Any) -> list[Area]:
        if not value:
            return []
        codes = re.split(r"[\s,;]+", value.strip()) if isinstance(value, str) else list(value)
        codes = [c for c in codes if c]
        known = (
            {c: self.areas[c] for c in codes if c in self.areas}
            if self.areas is not None
            else {a.code: a for a in Area.objects.filter(code__in=codes)}
        )
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise ValidationError(
                _("Unknown area code: %(codes)s"), params={"codes": ", ".join(unknown)}
            )
        return list(dict.fromkeys(known[c] for c in codes))


class PartnerForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=200)
    kind = forms.ChoiceField(label=_("type"), choices=[("", "---------"), *PartnerKind.choices])
    description = forms.CharField(label=_("description"), widget=forms.Textarea, required=False)
    address = forms.CharField(label=_("address"), max_length=255, required=False)
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("email"), required=False)
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    def __init__(
        self, *args: Any, areas: list[Area] | None, with_office: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if with_office:
            self.fields["area"] = AreaField(areas, label=_("registered by (area)"))
        self.fields["areas_served"] = AreasField(
            areas,
            label=_("areas served"),
            required=False,
            help_text=_("The areas where the partner works."),
        )

    def partner_data(self) -> PartnerData:
        data = self.cleaned_data
        return PartnerData(
            name=data["name"],
            kind=data["kind"],
            description=data["description"],
            address=data["address"],
            phone=data["phone"],
            email=data["email"],
            website=data["website"],
        )


class ContactForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=150)
    position = forms.CharField(label=_("position"), max_length=100, required=False)
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("email"), required=False)

    def contact_data(self) -> ContactData:
        return ContactData(**self.cleaned_data)


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.username} ({obj})"


class PartnerUserForm(forms.Form):
    user = UserChoiceField(label=_("user"), queryset=User.objects.none())

    def __init__(self, *args: Any, users: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = users


class MouForm(forms.Form):
    number = forms.CharField(label=_("number"), max_length=100)
    title = forms.CharField(label=_("title"), max_length=255)
    parties = forms.CharField(
        label=_("parties"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Who signed: the programme office and the partner."),
    )
    signed_on = forms.DateField(label=_("signing date"), widget=DATE)
    valid_from = forms.DateField(label=_("valid from"), widget=DATE)
    valid_until = forms.DateField(label=_("valid until"), widget=DATE)
    scope = forms.CharField(
        label=_("scope"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    document = forms.FileField(
        label=_("document"),
        required=False,
        help_text=_("PDF, JPEG or PNG, at most %(mb)s MB.") % {"mb": MAX_DOCUMENT_MB},
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    with_area = True

    def __init__(self, *args: Any, areas: list[Area] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.with_area:
            self.fields["area"] = AreaField(areas, label=_("area covered"))
            self.order_fields(["number", "title", "area"])

    def mou_data(self) -> MouData:
        data = self.cleaned_data
        return MouData(
            number=data["number"],
            title=data["title"],
            parties=data["parties"],
            signed_on=data["signed_on"],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
            scope=data["scope"],
        )

    def document_file(self) -> Any:
        document = self.cleaned_data.get("document")
        return document or None

    def remove_document(self) -> bool:
        return self.cleaned_data.get("document") is False


class RenewForm(MouForm):
    with_area = False  # a renewal covers the area of the MoU it renews
    copy_commitments = forms.BooleanField(
        label=_("Copy the commitments of the old MoU"), required=False, initial=True
    )


class CommitmentForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    description = forms.CharField(label=_("description"), max_length=255)
    # An empty first choice, so that an extra row left blank is not "changed" (and skipped).
    measure = forms.ChoiceField(
        label=_("measure"), choices=[("", "---------"), *CommitmentMeasure.choices]
    )
    target = forms.IntegerField(label=_("target"), min_value=1)

    def commitment_data(self) -> CommitmentData:
        data = self.cleaned_data
        return CommitmentData(
            description=data["description"], measure=data["measure"], target=data["target"]
        )


CommitmentFormSet = forms.formset_factory(CommitmentForm, extra=2, can_delete=True)
