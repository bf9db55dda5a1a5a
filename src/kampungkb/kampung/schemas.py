"""Input and output schemas of the Kampung KB API. Names of persons (the person in charge, the
PKB officer or supervisor, who recorded a profile) are given only to roles that see named
persons in the village; for partners and viewers they are null."""

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from kampungkb.activities.models import FundingSource
from kampungkb.kampung.classification import KampungClass
from kampungkb.kampung.models import (
    Classification,
    Criterion,
    DataSource,
    KampungKb,
    ModelFlag,
    ProfileVersion,
)
from kampungkb.kampung.services import KampungData, ProfileData
from kampungkb.regions.models import Area


class KampungListOut(Schema):
    id: int
    name: str
    village_code: str
    village_name: str
    declared_on: dt.date
    is_active: bool
    klass: KampungClass | None = Field(
        None, description="The class of the month asked for, or of the latest month before it."
    )
    klass_month: str | None = Field(None, description="The month of that class, YYYY-MM.")
    latitude: Decimal | None
    longitude: Decimal | None

    @staticmethod
    def from_row(k: KampungKb) -> "KampungListOut":
        own = k.latitude is not None
        klass_month = getattr(k, "klass_month", None)
        return KampungListOut(
            id=k.pk,
            name=k.name,
            village_code=k.village_id,
            village_name=k.village.name,
            declared_on=k.declared_on,
            is_active=k.is_active,
            klass=getattr(k, "klass", None),
            klass_month=f"{klass_month:%Y-%m}" if klass_month else None,
            latitude=k.latitude if own else k.village.latitude,
            longitude=k.longitude if own else k.village.longitude,
        )


class KampungIn(Schema):
    village: str = Field(description="The village code (desa/kelurahan).")
    name: str = Field(min_length=1, max_length=150)
    declared_on: dt.date
    person_in_charge: str = Field(min_length=1, max_length=150)
    person_in_charge_phone: str = Field("", max_length=20)
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    criteria: list[Criterion] = []
    model_flags: list[ModelFlag] = []
    rws: list[str] = Field(
        [], description="Codes of the RW covered, when only part of the village."
    )

    def to_data(self, rws: list[Area]) -> KampungData:
        return KampungData(
            name=self.name,
            declared_on=self.declared_on,
            person_in_charge=self.person_in_charge,
            person_in_charge_phone=self.person_in_charge_phone,
            latitude=self.latitude,
            longitude=self.longitude,
            criteria=[c.value for c in self.criteria],
            model_flags=[f.value for f in self.model_flags],
            rws=rws,
        )


class ScoreOut(Schema):
    key: str
    value: int | None
    score: int
    max: int
    next: int | None = Field(description="Where the next band starts (null: the top band).")
    direction: str


class ClassificationOut(Schema):
    month: str
    klass: KampungClass
    input_index: Decimal
    process_index: Decimal
    output_index: Decimal
    rules_version: int
    scores: list[ScoreOut]
    inputs: dict[str, Any]

    @staticmethod
    def of(c: Classification) -> "ClassificationOut":
        return ClassificationOut(
            month=f"{c.month:%Y-%m}",
            klass=KampungClass(c.klass),
            input_index=c.input_index,
            process_index=c.process_index,
            output_index=c.output_index,
            rules_version=c.rules.version,
            scores=[ScoreOut(key=k, **v) for k, v in c.scores.items()],
            inputs=c.inputs,
        )


class ProfileOut(Schema):
    id: int
    month: str
    version: int
    is_active: bool
    created_at: dt.datetime
    created_by: str | None
    pokja_exists: bool
    pokja_decree_number: str
    pokja_decree_date: dt.date | None
    pokja_trained: bool
    pokja_members: int
    pkb_assigned: bool
    pkb: str | None
    supervisor_name: str | None
    regulation_issued: bool
    funding_sources: list[str]
    has_secretariat: bool
    has_rumah_dataku: bool
    data_sources: list[str]
    has_workplan: bool
    notes: str | None

    @staticmethod
    def of(p: ProfileVersion, *, names: bool) -> "ProfileOut":
        return ProfileOut(
            id=p.pk,
            month=f"{p.month:%Y-%m}",
            version=p.version,
            is_active=p.is_active,
            created_at=p.created_at,
            created_by=str(p.created_by) if names and p.created_by else None,
            pokja_exists=p.pokja_exists,
            pokja_decree_number=p.pokja_decree_number,
            pokja_decree_date=p.pokja_decree_date,
            pokja_trained=p.pokja_trained,
            pokja_members=p.pokja_members,
            pkb_assigned=p.pkb_id is not None or bool(p.supervisor_name),
            pkb=str(p.pkb) if names and p.pkb else None,
            supervisor_name=p.supervisor_name if names else None,
            regulation_issued=p.regulation_issued,
            funding_sources=p.funding_sources,
            has_secretariat=p.has_secretariat,
            has_rumah_dataku=p.has_rumah_dataku,
            data_sources=p.data_sources,
            has_workplan=p.has_workplan,
            notes=p.notes if names else None,
        )


class ProfileInForceOut(Schema):
    month: str
    is_own: bool = Field(description="False: no profile of this month; an earlier one is in force.")
    profile: ProfileOut | None


class ProfileIn(Schema):
    pokja_exists: bool = False
    pokja_decree_number: str = Field("", max_length=100)
    pokja_decree_date: dt.date | None = None
    pokja_trained: bool = False
    pokja_members: int = Field(0, ge=0, le=999)
    pkb_id: int | None = None
    supervisor_name: str = Field("", max_length=150)
    regulation_issued: bool = False
    funding_sources: list[FundingSource] = []
    has_secretariat: bool = False
    has_rumah_dataku: bool = False
    data_sources: list[DataSource] = []
    has_workplan: bool = False
    notes: str = ""

    def to_data(self) -> ProfileData:
        values = self.model_dump()
        values["funding_sources"] = [f.value for f in self.funding_sources]
        values["data_sources"] = [d.value for d in self.data_sources]
        return ProfileData(**values)


class KampungOut(KampungListOut):
    rws: list[str]
    person_in_charge: str | None
    person_in_charge_phone: str | None
    criteria: list[str]
    model_flags: list[str]
    month: str
    classification: ClassificationOut | None
    profile: ProfileInForceOut
