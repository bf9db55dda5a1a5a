"""Input and output schemas of the families API.

Lists carry identity numbers masked (``*_masked``, ``masking.mask_id``); single records carry them
in full. Dates are ISO strings.
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import BeforeValidator

from kampungkb.families.masking import mask_id
from kampungkb.families.models import (
    Couple,
    CoupleStatus,
    Education,
    Family,
    FertilityIntention,
    FloorMaterial,
    Latrine,
    MaritalStatus,
    Person,
    Pregnancy,
    PregnancyOutcome,
    Relation,
    RoofMaterial,
    Sex,
    WallMaterial,
    WaterSource,
)
from kampungkb.families.selectors import family_couples, family_members
from kampungkb.families.services import HousingData, PersonData

# Stored as "" when not recorded.
EducationValue = Education | Literal[""]
IntentionValue = FertilityIntention | Literal[""]
OutcomeValue = PregnancyOutcome | Literal[""]
WaterSourceValue = WaterSource | Literal[""]
LatrineValue = Latrine | Literal[""]
FloorValue = FloorMaterial | Literal[""]
WallValue = WallMaterial | Literal[""]
RoofValue = RoofMaterial | Literal[""]


def _blank_is_none(value: Any) -> Any:
    return None if value == "" else value


# An input choice that may be left blank: null or "". Not a union with Literal[""], which would
# answer a wrong value with one error per member of the union.
WaterSourceIn = Annotated[WaterSource | None, BeforeValidator(_blank_is_none)]
LatrineIn = Annotated[Latrine | None, BeforeValidator(_blank_is_none)]
FloorIn = Annotated[FloorMaterial | None, BeforeValidator(_blank_is_none)]
WallIn = Annotated[WallMaterial | None, BeforeValidator(_blank_is_none)]
RoofIn = Annotated[RoofMaterial | None, BeforeValidator(_blank_is_none)]


# ---- persons -------------------------------------------------------------------------------


class PersonFieldsIn(Schema):
    """What the register says about a person, apart from the relation to the head."""

    full_name: str = Field(min_length=1, max_length=150)
    sex: Sex
    birth_date: dt.date
    nik: str | None = Field(None, description="16 digits; null when the person has none yet.")
    birth_place: str = ""
    education: EducationValue = ""
    occupation: str = ""
    phone: str = ""


class HeadIn(PersonFieldsIn):
    marital_status: MaritalStatus = MaritalStatus.SINGLE

    def to_data(self) -> PersonData:
        return PersonData(relation_to_head=Relation.HEAD, **self.model_dump())


class MemberIn(PersonFieldsIn):
    relation_to_head: Relation
    marital_status: MaritalStatus = MaritalStatus.SINGLE

    def to_data(self) -> PersonData:
        return PersonData(**self.model_dump())


class PersonUpdateIn(PersonFieldsIn):
    """The person's data in full. Marital status follows the couple register and is not sent."""

    relation_to_head: Relation

    def to_data(self, person: Person) -> PersonData:
        return PersonData(marital_status=person.marital_status, **self.model_dump())


class PersonDeathIn(Schema):
    died_on: dt.date


class PersonMoveIn(Schema):
    family_id: int
    relation_to_head: Relation


class BirthIn(Schema):
    mother_id: int
    full_name: str = Field(min_length=1, max_length=150)
    sex: Sex
    birth_date: dt.date
    nik: str | None = None
    birth_place: str = ""


class PersonListOut(Schema):
    id: int
    family_id: int
    area: str = Field(alias="family.area_id")
    full_name: str
    nik_masked: str
    lacks_nik: bool
    sex: Sex
    birth_date: dt.date
    relation_to_head: Relation
    marital_status: MaritalStatus
    died_on: dt.date | None
    is_active: bool

    @staticmethod
    def resolve_nik_masked(obj: Person) -> str:
        return mask_id(obj.nik)


class PersonOut(Schema):
    id: int
    family_id: int
    area: str = Field(alias="family.area_id")
    full_name: str
    nik: str | None
    lacks_nik: bool
    sex: Sex
    birth_date: dt.date
    birth_place: str
    relation_to_head: Relation
    marital_status: MaritalStatus
    education: EducationValue
    occupation: str
    phone: str
    mother_id: int | None
    father_id: int | None
    died_on: dt.date | None
    is_active: bool


# ---- couples and pregnancies ----------------------------------------------------------------


class PregnancyOut(Schema):
    id: int
    couple_id: int
    recorded_on: dt.date
    expected_on: dt.date | None
    ended_on: dt.date | None
    outcome: OutcomeValue


class CoupleListOut(Schema):
    id: int
    wife_id: int
    wife_name: str = Field(alias="wife.full_name")
    husband_id: int | None
    husband_name: str | None
    family_id: int = Field(alias="wife.family_id")
    area: str = Field(alias="wife.family.area_id")
    married_on: dt.date | None
    status: CoupleStatus
    ended_on: dt.date | None
    fertility_intention: IntentionValue

    @staticmethod
    def resolve_husband_name(obj: Couple) -> str | None:
        return obj.husband.full_name if obj.husband is not None else None


class SpouseOut(Schema):
    id: int
    full_name: str
    nik: str | None
    birth_date: dt.date
    family_id: int
    died_on: dt.date | None


class CoupleInFamilyOut(CoupleListOut):
    intention_recorded_on: dt.date | None
    pregnancies: list[PregnancyOut]

    @staticmethod
    def resolve_pregnancies(obj: Couple) -> list[Pregnancy]:
        return list(obj.pregnancies.all())


class CoupleOut(Schema):
    """A couple as it stands on the reference date ``on`` (today unless asked)."""

    id: int
    wife: SpouseOut
    husband: SpouseOut | None
    area: str = Field(alias="wife.family.area_id")
    married_on: dt.date | None
    status: CoupleStatus
    ended_on: dt.date | None
    fertility_intention: IntentionValue
    intention_recorded_on: dt.date | None
    on: dt.date = Field(description="The reference date of is_married, is_pus and wife_age.")
    is_married: bool
    is_pus: bool = Field(description="Married, with the wife aged 15-49 and alive, on the date.")
    wife_age: int
    pregnancies: list[PregnancyOut]

    @staticmethod
    def resolve_on(obj: Couple, context: dict[str, Any]) -> dt.date:
        return context["on"]

    @staticmethod
    def resolve_is_married(obj: Couple, context: dict[str, Any]) -> bool:
        return obj.is_married_on(context["on"])

    @staticmethod
    def resolve_is_pus(obj: Couple, context: dict[str, Any]) -> bool:
        return obj.is_pus_on(context["on"])

    @staticmethod
    def resolve_wife_age(obj: Couple, context: dict[str, Any]) -> int:
        return obj.wife_age_on(context["on"])

    @staticmethod
    def resolve_pregnancies(obj: Couple) -> list[Pregnancy]:
        return list(obj.pregnancies.order_by("-recorded_on", "-pk"))

    @classmethod
    def on_date(cls, couple: Couple, on: dt.date) -> "CoupleOut":
        return cls.model_validate(couple, context={"on": on})


class CoupleIn(Schema):
    wife_id: int
    husband_id: int | None = Field(
        None, description="null when the husband is not in the register (a migrant worker)."
    )
    married_on: dt.date | None = None
    fertility_intention: IntentionValue = ""


class CoupleDivorceIn(Schema):
    on: dt.date


class IntentionIn(Schema):
    intention: IntentionValue
    on: dt.date | None = Field(None, description="When it was asked; today when left out.")


class PregnancyIn(Schema):
    recorded_on: dt.date
    expected_on: dt.date | None = None


class PregnancyEndIn(Schema):
    ended_on: dt.date
    outcome: PregnancyOutcome


# ---- families -------------------------------------------------------------------------------


class FamilyIn(Schema):
    area: str = Field(description="Code of the village, dusun/RW or RT the family lives in.")
    kk_number: str | None = Field(None, description="16 digits; null when not known.")
    address: str = ""
    head: HeadIn


class FamilyUpdateIn(Schema):
    """Fields left out keep their value; ``kk_number: null`` clears the number."""

    kk_number: str | None = None
    address: str | None = None

    def merged(self, family: Family) -> dict[str, Any]:
        kk_sent = "kk_number" in self.model_fields_set
        return {
            "kk_number": self.kk_number if kk_sent else family.kk_number,
            "address": family.address if self.address is None else self.address,
        }


class FamilyMoveIn(Schema):
    area: str = Field(description="Code of the new village, dusun/RW or RT.")
    address: str = ""


class FamilyDeactivateIn(Schema):
    reason: str = Field(min_length=1, max_length=200)


class HousingIn(Schema):
    """The whole house record: a field left out, null or "" is not known."""

    water_source: WaterSourceIn = Field(None, description="Main drinking-water source.")
    latrine: LatrineIn = None
    has_septic_tank: bool | None = None
    floor_area: Decimal | None = Field(
        None, max_digits=6, decimal_places=1, description="Floor area in m², one decimal."
    )
    floor_material: FloorIn = None
    wall_material: WallIn = None
    roof_material: RoofIn = None
    recorded_on: dt.date | None = Field(
        None, description="When it was recorded; today if left out."
    )

    def to_data(self) -> HousingData:
        return HousingData(
            water_source=self.water_source or "",
            latrine=self.latrine or "",
            has_septic_tank=self.has_septic_tank,
            floor_area=self.floor_area,
            floor_material=self.floor_material or "",
            wall_material=self.wall_material or "",
            roof_material=self.roof_material or "",
            recorded_on=self.recorded_on,
        )


class HousingOut(Schema):
    water_source: WaterSourceValue
    latrine: LatrineValue
    has_septic_tank: bool | None
    floor_area: Decimal | None
    floor_material: FloorValue
    wall_material: WallValue
    roof_material: RoofValue
    recorded_on: dt.date | None = Field(alias="housing_recorded_on")


class FamilyListOut(Schema):
    id: int
    kk_masked: str
    area: str = Field(alias="area_id")
    area_name: str = Field(alias="area.name")
    address: str
    head_id: int | None
    head_name: str | None
    member_count: int
    is_active: bool

    @staticmethod
    def resolve_kk_masked(obj: Family) -> str:
        return mask_id(obj.kk_number)

    @staticmethod
    def resolve_head_name(obj: Family) -> str | None:
        return obj.head.full_name if obj.head is not None else None


class FamilyOut(Schema):
    id: int
    kk_number: str | None
    area: str = Field(alias="area_id")
    area_name: str = Field(alias="area.name")
    address: str
    head_id: int | None
    is_active: bool
    deactivated_reason: str
    housing: HousingOut
    members: list[PersonOut]
    couples: list[CoupleInFamilyOut]

    @staticmethod
    def resolve_housing(obj: Family) -> Family:
        return obj

    @staticmethod
    def resolve_members(obj: Family) -> list[Person]:
        return family_members(obj)

    @staticmethod
    def resolve_couples(obj: Family) -> list[Couple]:
        return list(family_couples(obj))
