"""The areas API: browse and search the hierarchy within the caller's scope, add dusun/RW/RT."""

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import PageNumberPagination, paginate

from kampungkb.accounts.scope import Capability, area_or_404, root_areas, scoped
from kampungkb.regions.models import Area
from kampungkb.regions.schemas import AreaDetailOut, AreaLocalIn, AreaOut
from kampungkb.regions.selectors import area_children, area_search, subtree_q
from kampungkb.regions.services import area_add_local

MAX_PAGE_SIZE = 200

router = Router(tags=["areas"])


@router.get(
    "",
    response=list[AreaOut],
    summary="List areas: children of a parent, the caller's root areas, or a search",
)
@paginate(PageNumberPagination, page_size=settings.KAMPUNGKB_PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def area_list(request: HttpRequest, parent: str | None = None, q: str = "") -> QuerySet[Area]:
    if q.strip():
        base = scoped(request.user, Area.objects.all())
        if parent:
            base = base.filter(subtree_q("code", [area_or_404(request.user, parent).code]))
        return area_search(q, base=base)
    if parent:
        return area_children(area_or_404(request.user, parent))
    return root_areas(request.user)


@router.get("/{code}", response=AreaDetailOut, summary="One area with its ancestors")
def area_detail(request: HttpRequest, code: str) -> Area:
    return area_or_404(request.user, code)


@router.post(
    "/{code}/local",
    response={201: AreaOut},
    summary="Add a dusun, RW or RT under a village (or an RT under a dusun/RW)",
)
def area_add_local_endpoint(request: HttpRequest, code: str, payload: AreaLocalIn) -> Status[Area]:
    parent = area_or_404(request.user, code, Capability.EDIT_AREAS)
    area = area_add_local(
        parent=parent,
        kind=payload.kind,
        number=payload.number,
        name=payload.name,
        actor=request.user,
    )
    return Status(201, area)
