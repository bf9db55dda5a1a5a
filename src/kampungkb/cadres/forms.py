"""Forms of the cadre pages. Each feeds one service; the service holds the rules and its
``ValidationError``s are put back on the form (``families.forms.add_service_errors``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kampungkb.cadres.models import (
    Cadre,
    CadreRole,
    KnowledgeTest,
    Phase,
    Question,
    TeamRole,
    Topic,
    TpkTeam,
)
from kampungkb.cadres.services import KEEP, CadreData
from kampungkb.families.forms import AreaChoiceField, DateInput, _label
from kampungkb.regions.models import Area

EMPTY = ("", "---------")


class TeamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.village.name})"


class AccountChoiceField(forms.ModelChoiceField):
    """A login, shown by user name and full name."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.username} ({obj.full_name})" if obj.full_name else obj.username


class CadreForm(forms.Form):
    """A cadre's role: on registration (role and area chosen) or on update (they stay)."""

    role = forms.ChoiceField(label=_label(Cadre, "role"), choices=[EMPTY, *CadreRole.choices])
    started_on = forms.DateField(label=_label(Cadre, "started_on"), widget=DateInput())
    decree_number = forms.CharField(
        label=_label(Cadre, "decree_number"), max_length=100, required=False
    )
    decree_date = forms.DateField(
        label=_label(Cadre, "decree_date"), widget=DateInput(), required=False
    )
    phone = forms.CharField(
        label=_label(Cadre, "phone"),
        max_length=20,
        required=False,
        help_text=_("Left empty: the phone number on the register."),
    )
    tpk_team = TeamChoiceField(
        label=_label(Cadre, "tpk_team"),
        queryset=TpkTeam.objects.none(),
        required=False,
        help_text=_("Only for a TPK member."),
    )
    team_role = forms.ChoiceField(
        label=_label(Cadre, "team_role"), choices=[EMPTY, *TeamRole.choices], required=False
    )
    account = AccountChoiceField(
        label=_label(Cadre, "account"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_(
            "The cadre's own login: the home visits recorded with it are this cadre's (for the"
            " incentive). Left empty: no login."
        ),
    )

    def __init__(
        self,
        *args: Any,
        areas: Iterable[Area] | None,
        teams: QuerySet[TpkTeam],
        accounts: QuerySet[Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if areas is None:  # an update: the role and area stay
            del self.fields["role"]
        else:
            self.fields["area"] = AreaChoiceField(areas, label=_label(Cadre, "area"))
            self.order_fields(["role", "area"])
        self.fields["tpk_team"].queryset = teams  # type: ignore[attr-defined]
        self.fields["account"].queryset = accounts  # type: ignore[attr-defined]

    def cadre_data(self, cadre: Cadre | None = None) -> CadreData:
        data = self.cleaned_data
        account = data["account"]
        if cadre is not None and getattr(account, "pk", None) == cadre.account_id:
            account = KEEP  # unchanged: an edit of the phone is not refused for an old link
        return CadreData(
            role=cadre.role if cadre else data["role"],
            area=cadre.area if cadre else data["area"],
            started_on=data["started_on"],
            decree_number=data["decree_number"],
            decree_date=data["decree_date"],
            phone=data["phone"],
            tpk_team=data["tpk_team"],
            team_role=data["team_role"],
            account=account,
        )


class DeactivateForm(forms.Form):
    ended_on = forms.DateField(label=_label(Cadre, "ended_on"), widget=DateInput())
    reason = forms.CharField(label=_label(Cadre, "deactivated_reason"), max_length=200)


class ReregisterForm(forms.Form):
    """The January K/0 tick list: the cadres ticked are re-registered for the year."""

    registered_on = forms.DateField(label=_("Registration date"), widget=DateInput())
    cadres = forms.ModelMultipleChoiceField(
        label=_("Cadres"),
        queryset=Cadre.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, due: QuerySet[Cadre], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cadres"].queryset = due  # type: ignore[attr-defined]


class TeamForm(forms.Form):
    name = forms.CharField(label=_label(TpkTeam, "name"), max_length=100)
    is_active = forms.BooleanField(label=_label(TpkTeam, "is_active"), required=False)

    def __init__(self, *args: Any, villages: Iterable[Area] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if villages is None:  # an update
            return
        del self.fields["is_active"]
        self.fields["village"] = AreaChoiceField(villages, label=_label(TpkTeam, "village"))
        self.order_fields(["village", "name"])


class TopicsForm(forms.Form):
    topics = forms.MultipleChoiceField(
        label=_("Curriculum"),
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


def answer_field_name(question: Question) -> str:
    return f"q{question.pk}"


class TestForm(forms.Form):
    """A knowledge test on paper, entered: the answer chosen for each question shown (an
    unanswered question counts as wrong)."""

    phase = forms.ChoiceField(
        label=_label(KnowledgeTest, "phase"), choices=Phase.choices, widget=forms.RadioSelect
    )
    taken_on = forms.DateField(label=_label(KnowledgeTest, "taken_on"), widget=DateInput())

    def __init__(
        self,
        *args: Any,
        questions: Iterable[Question],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[answer_field_name(question)] = forms.ChoiceField(
                label=question.text,
                choices=[
                    (letter, f"{letter.upper()}. {text}") for letter, text in question.options()
                ],
                widget=forms.RadioSelect,
                required=False,
            )

    def answers(self) -> dict[int, str]:
        return {q.pk: self.cleaned_data.get(answer_field_name(q)) or "" for q in self.questions}

    def question_fields(self) -> list[tuple[Question, forms.BoundField]]:
        return [(q, self[answer_field_name(q)]) for q in self.questions]
