"""The incentive ledger pages (decision 0028), tried by every role of the shared world (users of
another kabupaten and aggregate roles: not found; the village's cadre: reads only), with pinned
query counts, the whole monthly cycle through the forms, refusals that show the bilingual
message and write nothing, the drift warning and the Excel payment list.

UI text is asserted in English (the language cookie): the Indonesian catalogue is written after
the pages; the domain problems are asserted in both languages."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from kampungkb.cadres import incentives_selectors as selectors
from kampungkb.cadres import incentives_services as services
from kampungkb.cadres.models import (
    BatchStatus,
    Cadre,
    CadreRole,
    IncentiveBatch,
    IncentiveEvent,
    IncentiveLine,
    IncentiveRule,
)
from kampungkb.cadres.tests.conftest import (
    INCENTIVE_MONTH,
    follow_up,
    incentive_rule_data,
    register,
)
from kampungkb.contraception.models import FollowUp
from kampungkb.contraception.services import followups_verify
from kampungkb.core.models import AuditEvent
from kampungkb.testing.world import KAB, KEC, OTHER_KAB, RW, USERS, VILLAGE, VILLAGE_2, World

ALL_USERS = tuple(USERS)
READERS = ("admin", "district", "pkb", "cadre")  # see the proposals of Kota Bangun Ulu
SUPERVISORS = ("admin", "district", "pkb")
APPROVERS = ("admin", "district")
MARCH = {"month": "2025-03"}


def html(response: Any) -> str:
    return response.content.decode()


@pytest.fixture(autouse=True)
def default_language() -> Iterator[None]:
    """The language middleware activates the request's language in the test's thread and
    leaves it there: put the default back, so that the English pages of these tests do not
    change the language of the tests that follow."""
    yield
    translation.deactivate()


@pytest.fixture
def english(client_for: Any) -> Any:
    """``english("pkb")``: a signed-in client that reads the pages in English."""

    def make(username: str) -> Client:
        client = client_for(username)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make


def compute(world: World, username: str = "pkb") -> IncentiveBatch:
    # The base item's record text is the role's name in the language of the computing request.
    with translation.override("id"):
        return services.batch_compute(
            village=world.area(VILLAGE), month=INCENTIVE_MONTH, actor=world.user(username)
        )


@pytest.fixture
def draft(world: World, earning_ppkbd: Cadre) -> IncentiveBatch:
    """March 2025 of Kota Bangun Ulu computed by the PKB officer: Siti Aminah, Rp 225.000."""
    return compute(world)


@pytest.fixture
def proposed(world: World, draft: IncentiveBatch) -> IncentiveBatch:
    return services.batch_propose(batch=draft, actor=world.user("pkb"))


@pytest.fixture
def approved(world: World, proposed: IncentiveBatch) -> IncentiveBatch:
    return services.batch_approve(batch=proposed, actor=world.user("district"))


def ledger() -> tuple[Any, ...]:
    """Everything the incentive writes touch, to show that a refusal changed nothing."""
    return (
        list(
            IncentiveBatch.objects.values_list(
                "pk", "status", "revision", "total", "proposed_by", "decided_by", "return_reason"
            )
        ),
        list(IncentiveLine.objects.values_list("pk", "revision", "total", "paid_on", "paid_by")),
        IncentiveEvent.objects.count(),
        list(FollowUp.objects.values_list("pk", "verification", "verification_note")),
        list(IncentiveRule.objects.values_list("pk", "valid_from", "per_home_visit", "note")),
    )


def section(page: str, marker: str, end: str = "</section>") -> str:
    return page.split(marker, 1)[1].split(end, 1)[0]


def table_cells(body: str) -> list[list[str]]:
    """The cells of each ``<tr id=...>`` row of a table body, their markup stripped of the
    ``<td ...>`` tag."""
    rows = [r.split("</tr>")[0] for r in body.split("<tr id=")[1:]]
    return [
        [c.split("<td", 1)[1].split(">", 1)[1].strip() for c in r.split("</td>")[:-1]] for r in rows
    ]


# -- The list of an area and month -----------------------------------------------------------------


@pytest.mark.parametrize("username", ALL_USERS)
def test_list_by_role(english: Any, draft: IncentiveBatch, username: str) -> None:
    client = english(username)
    response = client.get(reverse("cadres:incentives"), {"area": VILLAGE, **MARCH})
    assert response.status_code == (200 if username in READERS else 404)
    if response.status_code == 200:
        row = section(html(response), f'id="village-{VILLAGE}"', "</tr>")
        assert f'href="/cadres/incentives/{draft.pk}/"' in row
        assert "Draft" in row and "Rp 225,000" in row
        assert ("Compute again" in row) is (username in SUPERVISORS)
    own = client.get(reverse("cadres:incentives"), MARCH)
    assert own.status_code == (404 if username in ("partner", "viewer") else 200)


def test_list_page_totals_filter_and_query_count(
    english: Any, world: World, draft: IncentiveBatch, django_assert_num_queries: Any
) -> None:
    client = english("district")
    url = reverse("cadres:incentives")
    params = {"area": KEC, **MARCH}
    client.get(url, params)  # warm the session
    with django_assert_num_queries(8):
        response = client.get(url, params)
    page = html(response)
    other = section(page, f'id="village-{VILLAGE_2}"', "</tr>")
    assert "not computed" in other
    assert f'name="village" value="{VILLAGE_2}"' in other
    assert 'name="month" value="2025-03"' in other
    total = section(page, 'id="incentive-total"', "</tr>")
    villages = response.context["rows"]
    assert f"1 of {len(villages)} computed" in total
    assert '<td data-label="Cadres">1</td>' in total
    assert '<td data-label="Total">Rp 225,000</td>' in total
    # Another village computed: the same number of queries.
    services.batch_compute(
        village=world.area(VILLAGE_2), month=INCENTIVE_MONTH, actor=world.user("pkb")
    )
    with django_assert_num_queries(8):
        response = client.get(url, params)
    assert f"2 of {len(villages)} computed" in html(response)
    # The district officer's view of the proposals awaiting approval.
    services.batch_propose(batch=draft, actor=world.user("pkb"))
    awaiting = client.get(url, {"area": KAB, "status": "proposed", **MARCH})
    assert [row.village.code for row in awaiting.context["rows"]] == [VILLAGE]
    assert "Proposed, awaiting approval" in html(awaiting)
    missing = client.get(url, {"area": KEC, "status": "none", **MARCH})
    codes = [row.village.code for row in missing.context["rows"]]
    assert VILLAGE not in codes and VILLAGE_2 not in codes and len(codes) == len(villages) - 2
    partial = client.get(url, params, headers={"HX-Request": "true"})
    assert html(partial).lstrip().startswith('<div id="incentive-rows"')


def test_list_month_defaults_to_last_month_and_rejects_a_bad_one(english: Any) -> None:
    client = english("pkb")
    response = client.get(reverse("cadres:incentives"))
    this_month = timezone.localdate().replace(day=1)
    assert response.context["month"] == (this_month - dt.timedelta(days=1)).replace(day=1)
    ahead = client.get(reverse("cadres:incentives"), {"month": "2999-01"})
    assert ahead.context["month"] == this_month
    assert client.get(reverse("cadres:incentives"), {"month": "maret"}).status_code == 400


# -- Computing -------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ALL_USERS)
def test_compute_by_role(english: Any, earning_ppkbd: Cadre, username: str) -> None:
    response = english(username).post(
        reverse("cadres:incentive_compute"), {"village": VILLAGE, **MARCH}
    )
    if username not in SUPERVISORS:
        assert response.status_code == 404
        assert not IncentiveBatch.objects.exists()
        return
    batch = IncentiveBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cadres/incentives/{batch.pk}/"
    assert (batch.village_id, batch.month, batch.status, batch.total) == (
        VILLAGE,
        INCENTIVE_MONTH,
        "draft",
        225_000,
    )


def test_compute_refusals(english: Any, approved: IncentiveBatch) -> None:
    client = english("pkb")
    before = ledger()
    locked = client.post(reverse("cadres:incentive_compute"), {"village": VILLAGE, **MARCH})
    assert locked["Location"] == f"/cadres/incentives/{approved.pk}/"
    page = html(client.get(locked["Location"]))
    assert "This proposal is approved; only a draft or a returned proposal is computed again." in (
        page
    )
    ahead = client.post(
        reverse("cadres:incentive_compute"), {"village": VILLAGE_2, "month": "2999-01"}
    )
    assert ahead["Location"] == f"/cadres/incentives/?area={KEC}&month=2999-01"
    assert "The incentives of a month still to come cannot be computed yet." in html(
        client.get(ahead["Location"])
    )
    assert client.post(reverse("cadres:incentive_compute"), {"village": VILLAGE}).status_code == (
        400
    )
    assert client.post(
        reverse("cadres:incentive_compute"), {"village": KEC, **MARCH}
    ).status_code == (404)  # a sub-district is not among the PKB officer's areas
    district = english("district").post(
        reverse("cadres:incentive_compute"), {"village": KEC, **MARCH}, follow=True
    )
    assert "Cadre incentives are computed per village." in html(district)
    assert ledger() == before


# -- One proposal ----------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ALL_USERS)
def test_batch_page_by_role(english: Any, proposed: IncentiveBatch, username: str) -> None:
    response = english(username).get(reverse("cadres:incentive", args=[proposed.pk]))
    assert response.status_code == (200 if username in READERS else 404)
    if response.status_code != 200:
        return
    page = html(response)
    assert "Cadre incentives of Kota Bangun Ulu, March 2025" in page
    assert '<span class="badge" id="batch-status">Proposed, awaiting approval</span>' in page
    # The approval forms: for an approver who did not propose.
    assert ('id="approve"' in page) is (username in APPROVERS)
    assert ('id="return"' in page) is (username in APPROVERS)
    assert ('id="own-proposal"' in page) is (username == "pkb")
    assert 'id="propose"' not in page and 'id="compute"' not in page


def test_batch_page_shows_lines_and_trail_with_query_count(
    english: Any, world: World, draft: IncentiveBatch, django_assert_num_queries: Any
) -> None:
    client = english("pkb")
    url = reverse("cadres:incentive", args=[draft.pk])
    client.get(url)
    with django_assert_num_queries(16):
        response = client.get(url)
    page = html(response)
    line = IncentiveLine.objects.get()
    row = section(page, f'id="line-{line.pk}"', "</tr>")
    cadre = line.cadre
    assert f'href="/cadres/{cadre.pk}/"><strong>Siti Aminah</strong>' in row
    assert '<td data-label="Base honorarium">Rp 100,000</td>' in row
    assert '<td data-label="Home visits">3 · Rp 30,000</td>' in row
    assert '<td data-label="Referrals">1 · Rp 25,000</td>' in row
    assert '<td data-label="Meetings">1 · Rp 20,000</td>' in row
    assert '<td data-label="Trainings">1 · Rp 50,000</td>' in row
    assert f'href="/cadres/incentives/lines/{line.pk}/"' in row
    assert 'id="batch-total">Rp 225,000<' in page
    assert 'id="drift"' not in page and 'id="unruled"' not in page
    assert 'id="compute"' in page and 'id="propose"' in page
    trail = section(page, 'id="events"')
    assert "Computed" in trail and "Pkb" in trail and "Rp 225,000" in trail
    # A second cadre with his line: the same number of queries.
    other = register("Sutrisno", role=CadreRole.SUB_PPKBD, area=world.area(RW))
    compute(world)
    with django_assert_num_queries(16):
        response = client.get(url)
    assert f'href="/cadres/{other.pk}/"><strong>Sutrisno</strong>' in html(response)


def test_batch_page_names_cadres_without_a_rule(
    english: Any, world: World, earning_ppkbd: Cadre, incentive_rule: IncentiveRule
) -> None:
    services.rule_update(
        rule=incentive_rule, data=incentive_rule_data(world, role="ppkbd"), actor=None
    )
    register("Sutrisno", role=CadreRole.SUB_PPKBD, area=world.area(RW))
    batch = compute(world)
    page = html(english("pkb").get(reverse("cadres:incentive", args=[batch.pk])))
    unruled = section(page, 'id="unruled"', "</p>")
    assert "Sutrisno (Sub-PPKBD (hamlet/RW))" in unruled
    assert "Siti Aminah" not in unruled


@pytest.mark.parametrize("username", ALL_USERS)
def test_line_page_by_role(english: Any, draft: IncentiveBatch, username: str) -> None:
    line = IncentiveLine.objects.get()
    response = english(username).get(reverse("cadres:incentive_line", args=[line.pk]))
    assert response.status_code == (200 if username in READERS else 404)


def test_line_page_traces_every_amount(
    english: Any, draft: IncentiveBatch, django_assert_num_queries: Any
) -> None:
    line = IncentiveLine.objects.get()
    client = english("cadre")
    url = reverse("cadres:incentive_line", args=[line.pk])
    client.get(url)
    with django_assert_num_queries(6):
        response = client.get(url)
    page = html(response)
    assert "Incentive of Siti Aminah, March 2025" in page
    cells = table_cells(section(page, "<tbody>", "</tbody>"))
    kinds = [c[0] for c in cells]
    assert kinds == [
        "Base honorarium",
        "Verified home visit",
        "Verified home visit",
        "Verified home visit",
        "Verified home visit",
        "Referral that became a new user",
        "Cadre meeting attended",
        "Training completed",
    ]
    assert [c[1] for c in cells] == [
        *("01-03-2025", "03-03-2025", "04-03-2025", "06-03-2025", "07-03-2025"),
        *("12-03-2025", "20-03-2025", "10-03-2025"),
    ]
    assert [c[2] for c in cells] == [
        *("Rp 100,000", "Rp 10,000", "Rp 10,000", "Rp 10,000"),
        '<span class="badge off">above the cap</span>',
        *("Rp 25,000", "Rp 20,000", "Rp 50,000"),
    ]
    couple = FollowUp.objects.first().couple_id  # type: ignore[union-attr]
    visits = [c[3] for c in cells[1:6]]
    couple_url = reverse("contraception:couple", args=[couple])
    assert all(f'href="{couple_url}"' in v for v in visits)
    assert all(f"({couple})" in v for v in visits)  # the record's text is always shown
    meeting_item, training_item = line.items.filter(kind__in=["meeting", "training"]).order_by(
        "kind"
    )
    assert f'href="/activities/{meeting_item.activity_id}/"' in cells[6][3]
    assert f'href="/activities/{training_item.activity_id}/"' in cells[7][3]
    assert "Pelatihan kader KB" in cells[7][3]
    with translation.override("id"):  # the text stored when it was computed
        assert cells[0][3] == gettext("PPKBD (village family-planning helper)")
    assert "Rp 225,000" in section(page, "<tfoot>", "</tfoot>")


# -- The monthly cycle through the forms -------------------------------------------------------------


def act(client: Client, batch: IncentiveBatch, action: str, **data: Any) -> Any:
    return client.post(reverse("cadres:incentive_action", args=[batch.pk, action]), data)


def test_the_whole_cycle(english: Any, world: World, earning_ppkbd: Cadre) -> None:
    pkb, district = english("pkb"), english("district")
    computed = pkb.post(reverse("cadres:incentive_compute"), {"village": VILLAGE, **MARCH})
    batch = IncentiveBatch.objects.get()
    assert computed["Location"] == f"/cadres/incentives/{batch.pk}/"

    assert act(pkb, batch, "propose").status_code == 302
    batch.refresh_from_db()
    assert (batch.status, batch.proposed_by) == ("proposed", world.user("pkb"))

    # The PKB officer may not approve (the checker is the district): not found, nothing changed.
    before = ledger()
    assert act(pkb, batch, "approve").status_code == 404
    assert act(pkb, batch, "pay", paid_on="2025-04-10").status_code == 404
    assert act(english("cadre"), batch, "approve").status_code == 404
    assert act(english("other_district"), batch, "approve").status_code == 404
    assert ledger() == before

    approved = act(district, batch, "approve")
    assert approved["Location"] == f"/cadres/incentives/{batch.pk}/"
    page = html(district.get(approved["Location"]))
    assert "The incentives were approved." in page
    assert 'id="batch-status">Approved</span>' in page
    assert 'id="payment-list"' in page
    batch.refresh_from_db()
    assert (batch.status, batch.decided_by) == ("approved", world.user("district"))

    line = IncentiveLine.objects.get()
    pay_form = section(page, 'id="pay"', "</form>")
    assert f'value="{line.pk}"' in pay_form and "Siti Aminah (Rp 225,000)" in pay_form
    today = timezone.localdate()
    paid = act(
        district, batch, "pay", lines=[line.pk], paid_on=today.isoformat(), reference="TRF-1"
    )
    assert paid.status_code == 302
    batch.refresh_from_db()
    line.refresh_from_db()
    assert batch.status == "paid"
    assert (line.paid_on, line.payment_reference, line.paid_by) == (
        today,
        "TRF-1",
        world.user("district"),
    )
    page = html(district.get(reverse("cadres:incentive", args=[batch.pk])))
    assert 'id="batch-status">Paid</span>' in page
    assert 'id="pay"' not in page and 'id="reopen"' not in page
    trail = section(page, 'id="events"')
    assert [a for a in ("Computed", "Proposed", "Approved", "Payment recorded") if a in trail] == [
        "Computed",
        "Proposed",
        "Approved",
        "Payment recorded",
    ]
    assert "TRF-1" in trail


def test_the_proposer_may_not_approve_it(english: Any, world: World, earning_ppkbd: Cadre) -> None:
    batch = compute(world, "district")
    client = english("district")
    assert act(client, batch, "propose").status_code == 302
    page = html(client.get(reverse("cadres:incentive", args=[batch.pk])))
    assert 'id="approve"' not in page and 'id="own-proposal"' in page
    before = ledger()
    refused = act(client, batch, "approve")
    assert refused.status_code == 422
    assert "A proposal you made yourself is approved or returned by someone else." in html(refused)
    returned = act(client, batch, "return", reason="x")
    assert returned.status_code == 422
    indonesian = Client()  # the default language
    indonesian.force_login(world.user("district"))
    assert "Usulan yang Anda ajukan sendiri disetujui atau dikembalikan oleh orang lain." in html(
        act(indonesian, batch, "approve")
    )
    assert ledger() == before


def test_return_needs_a_reason(english: Any, world: World, proposed: IncentiveBatch) -> None:
    client = english("district")
    before = ledger()
    refused = act(client, proposed, "return", reason="  ")
    assert refused.status_code == 422
    problems = section(html(refused), 'id="problems"', "</article>")
    assert "Write the reason." in problems
    assert ledger() == before
    returned = act(client, proposed, "return", reason="Kunjungan 7 Maret belum diperiksa")
    assert returned.status_code == 302
    proposed.refresh_from_db()
    assert (proposed.status, proposed.return_reason) == (
        "returned",
        "Kunjungan 7 Maret belum diperiksa",
    )
    page = html(english("pkb").get(reverse("cadres:incentive", args=[proposed.pk])))
    assert 'id="return-reason">Kunjungan 7 Maret belum diperiksa</dd>' in page
    assert 'id="batch-status">Returned for correction</span>' in page
    assert 'id="propose"' in page and 'id="compute"' in page
    assert "Kunjungan 7 Maret belum diperiksa" in section(page, 'id="events"')


def test_reopen_creates_a_revision_with_its_history(
    english: Any, world: World, approved: IncentiveBatch
) -> None:
    client = english("pkb")
    before = ledger()
    refused = act(client, approved, "reopen", reason="")
    assert refused.status_code == 422
    assert "Write the reason." in html(refused)
    assert ledger() == before
    assert act(english("cadre"), approved, "reopen", reason="x").status_code == 404
    assert ledger() == before

    follow_up(world, dt.date(2025, 3, 25))
    reopened = act(client, approved, "reopen", reason="Kunjungan tambahan")
    assert reopened.status_code == 302
    approved.refresh_from_db()
    assert (approved.status, approved.revision, approved.total) == ("draft", 2, 225_000)
    assert list(IncentiveLine.objects.values_list("revision", "total").order_by("revision")) == [
        (1, 225_000),
        (2, 225_000),
    ]
    page = html(client.get(reverse("cadres:incentive", args=[approved.pk])))
    assert "revision 2" in page
    rows = table_cells(section(page, 'id="events"'))
    assert [r[1:5] for r in rows] == [
        ["Computed", "1", "Rp 225,000", "Pkb"],
        ["Proposed", "1", "Rp 225,000", "Pkb"],
        ["Approved", "1", "Rp 225,000", "District"],
        ["Reopened for correction", "1", "Rp 225,000", "Pkb"],
        ["Computed", "2", "Rp 225,000", "Pkb"],
    ]
    assert rows[3][5] == "Kunjungan tambahan"
    # The approved revision's line is kept, and says it is history.
    old = IncentiveLine.objects.get(revision=1)
    history = html(client.get(reverse("cadres:incentive_line", args=[old.pk])))
    assert 'id="earlier-revision"' in history


def test_drift_is_shown_after_a_new_verified_visit(
    english: Any, world: World, earning_ppkbd: Cadre, incentive_rule: IncentiveRule
) -> None:
    services.rule_update(
        rule=incentive_rule, data=incentive_rule_data(world, max_home_visits=None), actor=None
    )
    batch = compute(world)
    assert batch.total == 235_000
    client = english("pkb")
    url = reverse("cadres:incentive", args=[batch.pk])
    assert 'id="drift"' not in html(client.get(url))
    visit = follow_up(world, dt.date(2025, 3, 15))
    followups_verify(follow_ups=[visit], verification="verified", actor=world.user("pkb"))
    page = html(client.get(url))
    drift = section(page, 'id="drift"', "</article>")
    assert (
        "The records changed since the incentives were computed: now Rp 245,000, stored Rp 235,000."
        in drift
    )
    assert "Cadres concerned: Siti Aminah." in drift
    before = ledger()
    refused = act(client, batch, "propose")
    assert refused.status_code == 422
    assert "total now Rp 245.000, stored Rp 235.000" in html(refused)
    assert ledger() == before
    client.post(reverse("cadres:incentive_compute"), {"village": VILLAGE, **MARCH})
    assert 'id="drift"' not in html(client.get(url))


# -- Payments and files ------------------------------------------------------------------------------


def test_payment_refusals_write_nothing(
    english: Any, world: World, approved: IncentiveBatch
) -> None:
    client = english("district")
    line = IncentiveLine.objects.get()
    before = ledger()
    nothing = act(client, approved, "pay", paid_on=timezone.localdate().isoformat())
    assert nothing.status_code == 422
    assert "Choose at least one cadre not yet paid." in html(nothing)
    early = act(client, approved, "pay", lines=[line.pk], paid_on="2025-03-01")
    assert early.status_code == 422
    approved_on = timezone.localtime(approved.decided_at).strftime("%d-%m-%Y")
    assert f"The payment date cannot be before the approval date ({approved_on})." in html(early)
    assert 'name="reference"' in section(html(early), 'id="pay"', "</form>")
    stranger = act(client, approved, "pay", lines=[999_999], paid_on="2025-04-01")
    assert stranger.status_code == 422
    assert ledger() == before


def test_payment_list_excel(client_for: Any, world: World, approved: IncentiveBatch) -> None:
    line = IncentiveLine.objects.get()
    services.lines_mark_paid(
        batch=approved,
        lines=[line],
        paid_on=timezone.localdate(),
        reference="TRF-0425",
        actor=world.user("district"),
    )
    client = client_for("district")
    response = client.get(reverse("cadres:incentive_payment_list", args=[approved.pk]))
    assert response["Content-Disposition"] == (
        f'attachment; filename="kampungkb-bayar-insentif-{VILLAGE}-2025-03-r1.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    decided = timezone.localtime(approved.decided_at).strftime("%d-%m-%Y %H:%M")
    with translation.override("id"):
        labels = [
            gettext(t)
            for t in (
                "Cadre incentive payment list", "Village", "Month", "Revision", "Approved by",
                "No", "Name", "Role", "Area served", "Verified home visits",
                "Referrals that became new users", "Meetings attended", "Trainings completed",
                "Total (Rp)", "Paid on", "Payment reference", "Signature", "Total",
                "PPKBD (village family-planning helper)",
            )
        ]  # fmt: skip
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == labels[0]
    assert values[1][:2] == [labels[1], f"Kota Bangun Ulu ({VILLAGE})"]
    assert values[2][:2] == [labels[2], "Maret 2025"]
    assert values[3][:2] == [labels[3], 1]
    assert values[4][:2] == [labels[4], f"District, {decided}"]
    assert values[6] == [
        "No.", "Nama", "Peran", "Wilayah layanan", "Kunjungan rumah terverifikasi",
        "Rujukan yang menjadi peserta KB baru", "Rapat yang dihadiri",
        "Pelatihan yang diselesaikan", "Jumlah (Rp)", "Dibayar pada", "Bukti pembayaran",
        "Tanda tangan",
    ]  # fmt: skip
    today = timezone.localdate()
    paid_on = values[7].pop(9)  # openpyxl reads a date cell back as a (naive) datetime
    assert (paid_on.date(), sheet["J8"].number_format) == (today, "DD-MM-YYYY")
    assert values[7] == [
        *(1, "Siti Aminah", labels[18], "Kota Bangun Ulu", 3, 1, 1, 1, 225_000),
        *("TRF-0425", None),
    ]
    assert sheet["I8"].number_format == "#,##0"
    assert values[8] == [None, labels[17], *[None] * 6, 225_000, None, None, None]
    assert sheet.max_row == 9
    assert AuditEvent.objects.filter(action="export.incentive_payments").count() == 1
    # A draft has no payment list; the lines are downloadable at every status.
    draft = services.batch_compute(
        village=world.area(VILLAGE_2), month=INCENTIVE_MONTH, actor=world.user("pkb")
    )
    assert client.get(reverse("cadres:incentive_payment_list", args=[draft.pk])).status_code == 404
    other = client_for("other_district")
    url = reverse("cadres:incentive_payment_list", args=[approved.pk])
    assert other.get(url).status_code == 404


def test_lines_export(client_for: Any, draft: IncentiveBatch) -> None:
    client = client_for("pkb")
    url = reverse("cadres:incentive", args=[draft.pk])
    csv_file = client.get(url, {"format": "csv"})
    assert csv_file["Content-Disposition"] == (
        f'attachment; filename="kampungkb-insentif-{VILLAGE}-2025-03-r1.csv"'
    )
    rows = [r.split(",") for r in csv_file.content.decode("utf-8-sig").splitlines()]
    assert len(rows) == 2
    with translation.override("id"):
        role = gettext("PPKBD (village family-planning helper)")
    assert rows[1] == [
        *("Siti Aminah", role, "Kota Bangun Ulu", "3", "1", "1", "1"),
        *("100000", "30000", "25000", "20000", "50000", "0", "225000", "", ""),
    ]
    xlsx = client.get(url, {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    assert [c.value for c in sheet[2]][:4] == ["Siti Aminah", role, "Kota Bangun Ulu", 3]
    assert AuditEvent.objects.filter(action="export.incentive_lines").count() == 2
    assert client_for("viewer").get(url, {"format": "csv"}).status_code == 404


# -- The home visits to verify -----------------------------------------------------------------------


@pytest.mark.parametrize("username", ALL_USERS)
def test_visits_page_by_role(english: Any, earning_ppkbd: Cadre, username: str) -> None:
    client = english(username)
    response = client.get(reverse("cadres:incentive_visits"), {"village": VILLAGE, **MARCH})
    assert response.status_code == (200 if username in SUPERVISORS else 404)
    if response.status_code == 200:
        page = html(response)
        assert len(response.context["visits"]) == 6
        assert "Siti Aminah &amp; Sutrisno" in page
        assert "6402" not in section(page, 'id="visits"', "</table>")  # no NIK, no KK number


def test_visits_page_verifies_and_rejects(
    english: Any, world: World, earning_ppkbd: Cadre, django_assert_num_queries: Any
) -> None:
    client = english("pkb")
    url = f"{reverse('cadres:incentive_visits')}?village={VILLAGE}&month=2025-03"
    client.get(url)
    with django_assert_num_queries(8):
        page = html(client.get(url))
    pending = FollowUp.objects.get(done_on=dt.date(2025, 3, 10))
    row = section(page, f'id="visit-{pending.pk}"', "</tr>")
    assert "Awaiting verification" in row and "Cadre" in row and "Visited" in row
    rejected = section(page, 'id="visit-', "</tbody>")
    assert "Tidak ada di rumah" in rejected

    before = ledger()
    no_reason = client.post(url, {"follow_ups": [pending.pk], "verification": "rejected"})
    assert no_reason.status_code == 422
    assert f'value="{pending.pk}" id="follow-up-{pending.pk}"' in html(no_reason)
    assert "checked" in section(html(no_reason), f'id="visit-{pending.pk}"', "</tr>")
    nothing = client.post(url, {"verification": "verified"})
    assert nothing.status_code == 422
    foreign = client.post(url, {"follow_ups": [999_999], "verification": "verified"})
    assert foreign.status_code == 422
    assert ledger() == before

    done = client.post(url, {"follow_ups": [pending.pk], "verification": "verified"})
    assert done.status_code == 302
    pending.refresh_from_db()
    assert (pending.verification, pending.verified_by) == ("verified", world.user("pkb"))
    assert "1 home visits were updated." in html(client.get(url))
    assert english("cadre").post(url, {"follow_ups": [pending.pk]}).status_code == 404


def test_visits_page_asks_for_a_village(english: Any, earning_ppkbd: Cadre) -> None:
    response = english("district").get(reverse("cadres:incentive_visits"))
    assert response.status_code == 200
    assert 'id="choose-village"' in html(response)
    assert english("district").get(
        reverse("cadres:incentive_visits"), {"village": OTHER_KAB}
    ).status_code == (404)


# -- The rules ------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ALL_USERS)
def test_rules_by_role(english: Any, incentive_rule: IncentiveRule, username: str) -> None:
    client = english(username)
    listing = client.get(reverse("cadres:incentive_rules"))
    assert listing.status_code == 200
    sees = username not in ("other_district", "other_cadre")
    assert (f'id="rule-{incentive_rule.pk}"' in html(listing)) is sees
    editable = f'href="/cadres/incentives/rules/{incentive_rule.pk}/edit/"' in html(listing)
    assert editable is (username in APPROVERS)
    new = client.get(reverse("cadres:incentive_rule_new"))
    assert new.status_code == (200 if username in (*APPROVERS, "other_district") else 404)
    edit = client.get(reverse("cadres:incentive_rule_edit", args=[incentive_rule.pk]))
    assert edit.status_code == (200 if username in APPROVERS else 404)


def rule_post(**fields: Any) -> dict[str, Any]:
    values = {
        "area": KAB,
        "role": "",
        "valid_from": "2025-07",
        "base_honorarium": "150000",
        "per_home_visit": "15000",
        "per_referral": "30000",
        "per_meeting": "25000",
        "per_training": "50000",
        "max_home_visits": "",
        "max_referrals": "2",
        "max_total": "400000",
        "referral_window_days": "60",
        "note": "Perbup 3/2025",
    }
    values.update(fields)
    return values


def test_rule_create_and_edit(english: Any, world: World, incentive_rule: IncentiveRule) -> None:
    client = english("district")
    form = html(client.get(reverse("cadres:incentive_rule_new")))
    assert 'type="month"' in form and f'<option value="{KAB}" selected>' in form
    assert OTHER_KAB not in form
    created = client.post(reverse("cadres:incentive_rule_new"), rule_post())
    assert created.status_code == 302
    rule = IncentiveRule.objects.exclude(pk=incentive_rule.pk).get()
    assert (
        rule.area_id, rule.role, rule.valid_from, rule.base_honorarium, rule.max_home_visits,
        rule.max_referrals, rule.max_total, rule.referral_window_days, rule.recorded_by,
    ) == (
        KAB, "", dt.date(2025, 7, 1), 150_000, None, 2, 400_000, 60, world.user("district"),
    )  # fmt: skip
    before = ledger()
    again = client.post(reverse("cadres:incentive_rule_new"), rule_post(note="dua kali"))
    assert again.status_code == 422
    assert "There is already a rule for this role in force from 07-2025." in html(again)
    foreign = client.post(reverse("cadres:incentive_rule_new"), rule_post(area=OTHER_KAB))
    assert foreign.status_code == 422
    assert english("other_district").post(
        reverse("cadres:incentive_rule_new"), rule_post()
    ).status_code == (422)  # Kutai Kartanegara is not among its choices
    assert ledger() == before

    url = reverse("cadres:incentive_rule_edit", args=[rule.pk])
    edit = html(client.get(url))
    assert 'value="2025-07"' in edit and 'value="400000"' in edit
    saved = client.post(url, rule_post(per_home_visit="12500", max_total=""))
    assert saved.status_code == 302
    rule.refresh_from_db()
    assert (rule.per_home_visit, rule.max_total) == (12_500, None)


def test_a_rule_in_use_is_not_edited(
    english: Any, world: World, approved: IncentiveBatch, incentive_rule: IncentiveRule
) -> None:
    client = english("district")
    url = reverse("cadres:incentive_rule_edit", args=[incentive_rule.pk])
    assert 'id="in-use"' in html(client.get(url))
    before = ledger()
    refused = client.post(url, rule_post(valid_from="2025-01", per_home_visit="99999"))
    assert refused.status_code == 422
    assert "This rule already pays approved incentives; set a new rule from a later month." in (
        html(refused)
    )
    assert ledger() == before
    assert selectors.rule_in_use(incentive_rule)
    assert IncentiveBatch.objects.get().status == BatchStatus.APPROVED
