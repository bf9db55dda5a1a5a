"""Forms of the family register pages: parsing only; the rules are the services' (their errors
are put back on the fields by ``add_service_errors``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from kampungkb.families import forms
from kampungkb.families.errors import FamilyProblem
from kampungkb.families.models import (
    FertilityIntention,
    MaritalStatus,
    Person,
    PregnancyOutcome,
    Relation,
    Sex,
)
from kampungkb.families.selectors import family_area_choices
from kampungkb.families.services import PersonData
from kampungkb.testing.world import RT, RT_2, VILLAGE


def choices(form: Any, name: str) -> list[tuple[Any, Any]]:
    return list(form.fields[name].choices)


def person_post(**changes: str) -> dict[str, str]:
    return {
        "full_name": "Sri Wahyuni",
        "nik": "",
        "sex": Sex.FEMALE,
        "birth_date": "1960-05-05",
        "relation_to_head": Relation.PARENT,
        "marital_status": MaritalStatus.WIDOWED,
    } | changes


def test_person_form_builds_the_service_data():
    form = forms.PersonForm(person_post(nik="6402 0845 0560 0009", occupation="Petani"))
    assert form.is_valid(), form.errors
    assert form.person_data() == PersonData(
        full_name="Sri Wahyuni",
        sex=Sex.FEMALE,
        birth_date=dt.date(1960, 5, 5),
        relation_to_head=Relation.PARENT,
        nik="6402 0845 0560 0009",  # separators are the service's to strip
        birth_place="",
        marital_status=MaritalStatus.WIDOWED,
        education="",
        occupation="Petani",
        phone="",
    )


def test_person_form_without_nik_gives_none():
    form = forms.PersonForm(person_post())
    assert form.is_valid(), form.errors
    assert form.person_data().nik is None


def test_person_form_requires_a_relation_and_preselects_none():
    form = forms.PersonForm()
    assert choices(form, "relation_to_head")[0] == ("", "---------")
    assert form.fields["marital_status"].initial == MaritalStatus.SINGLE
    bound = forms.PersonForm(person_post(relation_to_head=""))
    assert not bound.is_valid()
    assert list(bound.errors) == ["relation_to_head"]


def test_labels_are_the_models_verbose_names_in_indonesian():
    with translation.override("id"):
        labels = [str(f.label) for f in forms.PersonForm().fields.values()]
    assert labels == [
        "Nama lengkap",
        "NIK",
        "Jenis kelamin",
        "Tanggal lahir",
        "Tempat lahir",
        "Hubungan dengan kepala keluarga",
        "Status perkawinan",
        "Pendidikan terakhir",
        "Pekerjaan",
        "Nomor HP",
    ]


def test_dates_render_for_the_date_input():
    form = forms.DeathForm(initial={"died_on": dt.date(2024, 2, 3)})
    assert 'type="date"' in str(form["died_on"])
    assert 'value="2024-02-03"' in str(form["died_on"])


def test_add_service_errors_puts_each_message_on_its_field():
    form = forms.PersonForm(person_post())
    assert form.is_valid()
    error = ValidationError(
        {
            "nik": [FamilyProblem.NIK_DUPLICATE.error(nik="6402084407920002")],
            "person": [FamilyProblem.NOT_ALIVE.error(name="Sutrisno")],
        }
    )
    forms.add_service_errors(form, error)
    with translation.override("id"):
        assert form.errors["nik"] == ["NIK 6402084407920002 sudah terdaftar."]
        assert form.non_field_errors() == ["Sutrisno tercatat telah meninggal."]
    assert "nik" not in form.cleaned_data


def test_add_service_errors_puts_a_plain_error_on_the_form():
    form = forms.PregnancyForm({"recorded_on": "2024-03-01"}, today=dt.date(2024, 3, 5))
    assert form.is_valid()
    forms.add_service_errors(form, FamilyProblem.ALREADY_PREGNANT.error())
    with translation.override("en"):
        assert form.non_field_errors() == [
            "An ongoing pregnancy is already recorded for this couple."
        ]


def test_register_form_names_head_fields_as_the_service_names_its_errors(world):
    areas = family_area_choices(user=world.user("cadre"))
    assert areas is not None
    form = forms.FamilyRegisterForm(
        {
            "area": RT_2,
            "kk_number": "",
            "address": "Gang Pelita",
            "head_full_name": "Budi",
            "head_sex": Sex.MALE,
            "head_birth_date": "1990-06-15",
            "head_marital_status": MaritalStatus.SINGLE,
        },
        areas=areas,
    )
    assert list(form.fields)[:3] == ["area", "kk_number", "address"]
    assert form.is_valid(), form.errors
    assert form.cleaned_data["area"] == world.area(RT_2)
    assert form.cleaned_data["kk_number"] is None
    assert form.head_data().relation_to_head == Relation.HEAD
    forms.add_service_errors(form, FamilyProblem.NIK_FORMAT.on("head_nik"))
    assert list(form.errors) == ["head_nik"]


def test_area_field_refuses_an_area_not_offered(world):
    areas = family_area_choices(user=world.user("cadre_rt"))
    assert [a.code for a in areas or []] == [RT]
    field = forms.AreaChoiceField(areas or [])
    assert field.clean(RT) == world.area(RT)
    with pytest.raises(ValidationError):
        field.clean(VILLAGE)


def test_person_edit_form_starts_from_the_person_and_keeps_marital_status(world):
    wife = Person.objects.get(full_name="Siti Aminah")
    form = forms.PersonEditForm(person=wife)
    assert "marital_status" not in form.fields
    assert form.initial["nik"] == "6402084407920002"
    assert form.initial["birth_date"] == dt.date(1992, 7, 4)
    bound = forms.PersonEditForm(
        person_post(
            full_name="Siti",
            sex=Sex.FEMALE,
            birth_date="1992-07-04",
            relation_to_head=Relation.WIFE,
        ),
        person=wife,
    )
    assert bound.is_valid(), bound.errors
    assert bound.person_data().marital_status == MaritalStatus.MARRIED


def test_couple_form_choices_come_from_the_family(world):
    family = world.family
    form = forms.CoupleForm(
        {"wife": "", "husband": "", "married_on": ""},
        wives=Person.objects.filter(family=family, sex=Sex.FEMALE),
        husbands=Person.objects.filter(family=family, sex=Sex.MALE),
    )
    assert not form.is_valid()
    assert list(form.errors) == ["wife"]
    outsider = Person.objects.get(full_name="Baiq Nurul")
    form = forms.CoupleForm(
        {"wife": outsider.pk},
        wives=Person.objects.filter(family=family, sex=Sex.FEMALE),
        husbands=Person.objects.none(),
    )
    assert not form.is_valid()
    assert list(form.errors) == ["wife"]


def test_intention_form_defaults_to_today():
    form = forms.IntentionForm(today=dt.date(2024, 12, 1))
    assert form["on"].value() == dt.date(2024, 12, 1)
    assert [v for v, _ in choices(form, "intention")] == [
        FertilityIntention.WANTS_CHILD_SOON,
        FertilityIntention.DELAY,
        FertilityIntention.NO_MORE,
    ]


def test_pregnancy_end_form_has_no_live_birth():
    form = forms.PregnancyEndForm(
        {"outcome": PregnancyOutcome.LIVE_BIRTH, "ended_on": "2024-01-01"}
    )
    assert not form.is_valid()
    assert list(form.errors) == ["outcome"]


def test_deactivate_form_needs_a_short_reason():
    with translation.override("en"):
        assert forms.FamilyDeactivateForm({"reason": ""}).errors == {
            "reason": ["This field is required."]
        }
        assert forms.FamilyDeactivateForm({"reason": "x" * 201}).errors == {
            "reason": ["Ensure this value has at most 200 characters (it has 201)."]
        }
    assert forms.FamilyDeactivateForm({"reason": "Duplikat"}).is_valid()
