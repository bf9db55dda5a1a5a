"""Input and output schemas of the areas API, one pair per endpoint where they differ."""

from typing import Literal

from ninja import Field, Schema

from kampungkb.regions.models import Area, Kind, Level
from kampungkb.regions.selectors import area_ancestors


class AreaOut(Schema):
    code: str
    name: str
    level: Level
    kind: Kind
    parent: str | None = Field(None, alias="parent_id")
    postal_code: str
    is_local: bool
    is_active: bool


class AreaDetailOut(AreaOut):
    ancestors: list[AreaOut] = Field(description="The ancestors, the province first.")

    @staticmethod
    def resolve_ancestors(obj: Area) -> list[Area]:
        return area_ancestors(obj)


class AreaLocalIn(Schema):
    kind: Literal["dusun", "rw", "rt"]
    number: int | None = Field(
        None, description="RW/RT number (1-999); a dusun without one gets the next free number."
    )
    name: str = ""
