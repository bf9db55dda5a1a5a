"""Output schemas of the accounts API."""

from ninja import Field, Schema

from kampungkb.accounts.models import Role, User
from kampungkb.accounts.scope import scope_for


class RoleOut(Schema):
    role: Role
    area: str | None = Field(description="The area code; null for a national role.")


class MeOut(Schema):
    username: str
    full_name: str
    language: str
    roles: list[RoleOut]
    capabilities: dict[str, list[str]] = Field(
        description='For each capability, the area codes it holds in ("*" = the nation).'
    )

    @staticmethod
    def resolve_roles(obj: User) -> list[dict[str, str | None]]:
        rows = obj.assignments.order_by("role", "area_id").values_list("role", "area_id")
        return [{"role": role, "area": area} for role, area in rows]

    @staticmethod
    def resolve_capabilities(obj: User) -> dict[str, list[str]]:
        return {
            capability.value: sorted(codes)
            for capability, codes in sorted(scope_for(obj).roots.items())
        }
