"""Forms of the incentive pages (decision 0028). Each feeds one service of
``incentives_services`` (or ``contraception.services.followups_verify``); the service's
``ValidationError``s, bilingual ``CadreProblem``s, are put back on the form. The services check
what matters (a reason given, a line payable): the forms only parse."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kampungkb.activities.templatetags.activities import rupiah
from kampungkb.cadres.incentives_services import RuleData
from kampungkb.cadres.models import CadreRole, IncentiveBatch, IncentiveLine, IncentiveRule
from kampungkb.contraception.models import FollowUp, Verification
from kampungkb.families.forms import DateInput, _label
from kampungkb.regions.models import Area


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m")


class MonthField(forms.DateField):
    """``YYYY-MM`` (an ``<input type=month>``) as the month's first day."""

    widget = MonthInput
    input_formats = ["%Y-%m"]


class ReasonForm(forms.Form):
    """Returning or reopening a proposal: the service refuses an empty reason."""

    reason = forms.CharField(
        label=_label(IncentiveBatch, "return_reason"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class LineChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.cadre.person.full_name} ({rupiah(obj.total)})"


class PaymentForm(forms.Form):
    """The lines paid together (one transfer or one cash handover) on a day."""

    lines = LineChoiceField(
        label=_("Cadres paid"),
        queryset=IncentiveLine.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    paid_on = forms.DateField(label=_label(IncentiveLine, "paid_on"), widget=DateInput())
    reference = forms.CharField(
        label=_label(IncentiveLine, "payment_reference"),
        max_length=100,
        required=False,
        help_text=_("A transfer number, a receipt or a cash book page."),
    )

    def __init__(self, *args: Any, unpaid: QuerySet[IncentiveLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["lines"]
        assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101
        field.queryset = unpaid


class VerifyForm(forms.Form):
    """Home visits verified or rejected together; a rejection needs a reason (the service
    says so)."""

    follow_ups = forms.ModelMultipleChoiceField(
        queryset=FollowUp.objects.none(), required=False, widget=forms.MultipleHiddenInput
    )
    verification = forms.ChoiceField(
        choices=[(v.value, v.label) for v in (Verification.VERIFIED, Verification.REJECTED)]
    )
    note = forms.CharField(
        label=_label(FollowUp, "verification_note"), max_length=200, required=False
    )

    def __init__(self, *args: Any, visits: QuerySet[FollowUp], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["follow_ups"]
        assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101
        field.queryset = visits


class DistrictChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})"


def _amount(model_field: str, required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(
        label=_label(IncentiveRule, model_field),
        min_value=0,
        required=required,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1}),
    )


class RuleForm(forms.Form):
    area = DistrictChoiceField(label=_label(IncentiveRule, "area"), queryset=Area.objects.none())
    role = forms.ChoiceField(
        label=_label(IncentiveRule, "role"),
        choices=[("", _("Every role")), *CadreRole.choices],
        required=False,
        help_text=_("A rule for one role comes before the rule for every role."),
    )
    valid_from = MonthField(label=_label(IncentiveRule, "valid_from"))
    base_honorarium = _amount("base_honorarium")
    per_home_visit = _amount("per_home_visit")
    per_referral = _amount("per_referral")
    per_meeting = _amount("per_meeting")
    per_training = _amount("per_training")
    max_home_visits = _amount("max_home_visits", required=False)
    max_referrals = _amount("max_referrals", required=False)
    max_total = _amount("max_total", required=False)
    referral_window_days = forms.IntegerField(
        label=_label(IncentiveRule, "referral_window_days"), min_value=1, max_value=366
    )
    note = forms.CharField(label=_label(IncentiveRule, "note"), max_length=200, required=False)

    def __init__(self, *args: Any, districts: QuerySet[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["area"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = districts
        for name in ("max_home_visits", "max_referrals", "max_total"):
            self.fields[name].help_text = _("Blank: no cap.")

    @staticmethod
    def initial_for(rule: IncentiveRule | None, today: dt.date) -> dict[str, Any]:
        if rule is None:
            return {
                "valid_from": today.replace(day=1),
                "base_honorarium": 0,
                "per_home_visit": 0,
                "per_referral": 0,
                "per_meeting": 0,
                "per_training": 0,
                "referral_window_days": 90,
            }
        return {name: getattr(rule, name) for name in RuleData.__dataclass_fields__}

    def data_for_service(self) -> RuleData:
        return RuleData(**self.cleaned_data)
