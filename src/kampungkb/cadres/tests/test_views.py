"""The cadre pages, tried by every role of the shared world, including users of another kabupaten
(not found) and aggregate roles (the dashboard only)."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from openpyxl import load_workbook

from kampungkb.activities.models import Activity
from kampungkb.cadres import incentives_selectors, incentives_services, services
from kampungkb.cadres.models import (
    Cadre,
    CadreRegistration,
    IncentiveBatch,
    KnowledgeTest,
    Question,
)
from kampungkb.cadres.tests.conftest import (
    INCENTIVE_MONTH,
    TRAINING_ON,
    follow_up,
    person,
    topic_sheet,
)
from kampungkb.contraception import services as contraception_services
from kampungkb.core.models import AuditEvent
from kampungkb.core.periods import add_months, month_start
from kampungkb.testing.world import KAB, OTHER_KAB, USERS, VILLAGE, World

ALL_USERS = tuple(USERS)
NAMED = ("admin", "district", "pkb", "cadre")  # see Siti Aminah, PPKBD of Kota Bangun Ulu
AGGREGATE = ("partner", "viewer")
THIS_YEAR = timezone.localdate().year


def html(response: Any) -> str:
    return response.content.decode()


@pytest.fixture
def post_test(world: World, ppkbd: Cadre, training: Activity) -> KnowledgeTest:
    """Siti's post-test: 7 of 8 right on vasectomy (87.5%), a certificate."""
    return services.test_record(
        cadre=ppkbd,
        training=training,
        phase="post",
        taken_on=TRAINING_ON,
        answers=topic_sheet("vasectomy", 7),
        actor=None,
    )


@pytest.mark.parametrize("username", ALL_USERS)
def test_roster_by_role(client_for: Any, ppkbd: Cadre, username: str) -> None:
    response = client_for(username).get(reverse("cadres:list"))
    if username in AGGREGATE:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    assert (f'id="cadre-{ppkbd.pk}"' in html(response)) is (username in NAMED)


def test_roster_alerts_filters_and_query_count(
    client_for: Any, world: World, ppkbd: Cadre, django_assert_num_queries: Any
) -> None:
    client = client_for("cadre")
    client.get(reverse("cadres:list"))  # warm the session
    with django_assert_num_queries(9):
        response = client.get(reverse("cadres:list"))
    page = html(response)
    assert "1 kader" in page
    alerts = page.split('id="alerts"')[1].split("</article>")[0]
    assert "RW 001" in alerts and "Kota Bangun Ulu" not in alerts.split("(")[0]
    assert "Siti Aminah" not in html(client.get(reverse("cadres:list"), {"status": "inactive"}))
    assert "Siti Aminah" not in html(client.get(reverse("cadres:list"), {"role": "posyandu"}))
    assert "Siti Aminah" in html(client.get(reverse("cadres:list"), {"q": "aminah"}))
    assert client.get(reverse("cadres:list"), {"area": OTHER_KAB}).status_code == 404


def test_roster_query_count_does_not_grow_with_rows(
    client_for: Any, world: World, ppkbd: Cadre, django_assert_num_queries: Any
) -> None:
    services.cadre_register(
        person=person("Sutrisno"),
        data=services.CadreData(
            role="posyandu", area=world.area(VILLAGE), started_on=dt.date(2022, 1, 1)
        ),
        actor=None,
    )
    client = client_for("cadre")
    client.get(reverse("cadres:list"))
    with django_assert_num_queries(9):
        page = html(client.get(reverse("cadres:list")))
    assert "2 kader" in page


def test_roster_export_is_audited(client_for: Any, world: World, ppkbd: Cadre) -> None:
    client = client_for("pkb")
    response = client.get(reverse("cadres:list"), {"format": "xlsx", "area": VILLAGE})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("Nama", "Peran", "Wilayah layanan", "Mulai")
    assert rows[1][0] == "Siti Aminah"
    assert rows[1][4] == "SK 12/2020"
    assert rows[1][12:] == ("ya", None)
    event = AuditEvent.objects.get(action="export.cadres")
    assert (event.actor, event.area_code, event.after["rows"]) == (
        world.user("pkb"),
        VILLAGE,
        1,
    )
    csv = client.get(reverse("cadres:list"), {"format": "csv"}).content.decode("utf-8-sig")
    assert csv.splitlines()[1].startswith("Siti Aminah,PPKBD")
    assert AuditEvent.objects.filter(action="export.cadres").count() == 2


@pytest.mark.parametrize("username", ALL_USERS)
def test_cadre_page_by_role(client_for: Any, post_test: KnowledgeTest, username: str) -> None:
    cadre = post_test.cadre
    response = client_for(username).get(reverse("cadres:detail", args=[cadre.pk]))
    if username not in NAMED:
        assert response.status_code == 404
        return
    page = html(response)
    assert "Siti Aminah" in page and "87,5%" in page
    assert reverse("cadres:certificate", args=[post_test.pk]) in page
    assert "Rapat bulanan yang dihadiri" in page
    for section in ("visits", "referrals", "meetings", "trainings", "incentives"):
        assert f'<section id="{section}">' in page, section


def test_register_a_cadre_through_the_pages(client_for: Any, world: World) -> None:
    client = client_for("pkb")
    found = html(client.get(reverse("cadres:new"), {"q": "siti"}))
    siti = person("Siti Aminah")
    assert f"?person={siti.pk}" in found
    response = client.post(
        f"{reverse('cadres:new')}?person={siti.pk}",
        {"role": "ppkbd", "area": VILLAGE, "started_on": "2023-01-09", "phone": "0812"},
    )
    cadre = Cadre.objects.get()
    assert response["Location"] == reverse("cadres:detail", args=[cadre.pk])
    assert (cadre.role, cadre.area_id, cadre.started_on) == ("ppkbd", VILLAGE, dt.date(2023, 1, 9))
    # A refusal is shown on the form.
    response = client.post(
        f"{reverse('cadres:new')}?person={siti.pk}",
        {"role": "ppkbd", "area": VILLAGE, "started_on": "2023-01-09"},
    )
    assert "sudah aktif sebagai" in html(response)
    assert Cadre.objects.count() == 1
    # A person of another kabupaten is not found.
    other = person("Baiq Nurul")
    assert client.get(reverse("cadres:new"), {"person": other.pk}).status_code == 404


@pytest.mark.parametrize("username", ALL_USERS)
def test_deactivate_by_role(client_for: Any, ppkbd: Cadre, username: str) -> None:
    response = client_for(username).post(
        reverse("cadres:deactivate", args=[ppkbd.pk]),
        {"ended_on": "2024-12-31", "reason": "Pindah"},
    )
    ppkbd.refresh_from_db()
    if username in NAMED:
        assert response.status_code == 302
        assert (ppkbd.is_active, ppkbd.ended_on) == (False, dt.date(2024, 12, 31))
    else:
        assert response.status_code == 404
        assert ppkbd.is_active is True


def test_reregistration_tick_list(client_for: Any, ppkbd: Cadre) -> None:
    client = client_for("cadre")
    ppkbd.registrations.all().delete()
    page = html(client.get(reverse("cadres:reregister")))
    assert f'value="{ppkbd.pk}"' in page
    today = timezone.localdate().isoformat()
    response = client.post(
        reverse("cadres:reregister"), {"registered_on": today, "cadres": [ppkbd.pk]}
    )
    assert response.status_code == 302
    assert list(CadreRegistration.objects.values_list("cadre", "year")) == [(ppkbd.pk, THIS_YEAR)]
    assert "Semua kader aktif sudah terdaftar" in html(client.get(reverse("cadres:reregister")))


def test_a_test_is_scored_and_explained(client_for: Any, ppkbd: Cadre, training: Activity) -> None:
    client = client_for("cadre")
    url = reverse("cadres:test_new", args=[ppkbd.pk]) + f"?training={training.pk}&phase=post"
    page = html(client.get(url))
    asked = list(Question.objects.filter(topic__in=["vasectomy", "counselling"]))
    assert all(f'id="q-{q.code}"' in page for q in asked)
    assert 'id="q-STN-01"' not in page
    myth = Question.objects.get(code="MOP-01")
    wrong = next(o for o in "abcd" if o != myth.correct)
    answers = {f"q{q.pk}": q.correct for q in asked if q.code != "MOP-01"}
    answers[f"q{myth.pk}"] = wrong
    response = client.post(url, {"phase": "post", "taken_on": TRAINING_ON.isoformat(), **answers})
    test = KnowledgeTest.objects.get()
    assert response["Location"] == reverse("cadres:test", args=[test.pk])
    assert (test.question_count, test.correct_count, test.score) == (16, 15, Decimal("93.8"))
    result = html(client.get(response["Location"]))
    wrong_item = result.split(f'id="answer-{myth.code}"')[1].split("</li>")[0]
    assert "wrong" in result.split(f'id="answer-{myth.code}"')[0][-40:]
    assert myth.explanation in wrong_item
    assert "Jawaban benar" in wrong_item


@pytest.mark.parametrize("username", ALL_USERS)
def test_certificate_by_role(client_for: Any, post_test: KnowledgeTest, username: str) -> None:
    response = client_for(username).get(reverse("cadres:certificate", args=[post_test.pk]))
    assert response.status_code == (200 if username in NAMED else 404)
    if response.status_code == 200:
        assert "SERTIFIKAT" in html(response) and "87,5%" in html(response)


def test_certificate_needs_a_passed_post_test(
    client_for: Any, ppkbd: Cadre, training: Activity
) -> None:
    failed = services.test_record(
        cadre=ppkbd,
        training=training,
        phase="post",
        taken_on=TRAINING_ON,
        answers=topic_sheet("vasectomy", 5),
        actor=None,
    )
    assert failed.score == Decimal("62.5")
    client = client_for("cadre")
    assert client.get(reverse("cadres:certificate", args=[failed.pk])).status_code == 404


def test_certificate_as_pdf(client_for: Any, post_test: KnowledgeTest) -> None:
    response = client_for("pkb").get(
        reverse("cadres:certificate", args=[post_test.pk]), {"format": "pdf"}
    )
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize("username", ALL_USERS)
def test_dashboard_by_role(client_for: Any, post_test: KnowledgeTest, username: str) -> None:
    client = client_for(username)
    response = client.get(reverse("cadres:dashboard"), {"area": VILLAGE})
    if username in ("cadre_rt", "other_district", "other_cadre"):
        assert response.status_code == 404
        return
    assert response.status_code == 200
    page = html(response)
    assert "Siti Aminah" not in page
    # Aggregate roles get no link to the named pages.
    assert (reverse("cadres:list") + '"' in page) is (username not in AGGREGATE)
    board = page.split('id="board"')[1].split("</table>")[0]
    assert "87,5" in board
    topics = page.split('id="topics"')[1].split("</table>")[0]
    assert "87,5" in topics


def test_dashboard_query_count(
    client_for: Any, post_test: KnowledgeTest, django_assert_num_queries: Any
) -> None:
    client = client_for("viewer")  # no incentive totals for aggregate roles
    client.get(reverse("cadres:dashboard"), {"area": KAB})
    with django_assert_num_queries(13):
        response = client.get(reverse("cadres:dashboard"), {"area": KAB})
    assert response.status_code == 200
    client = client_for("district")
    client.get(reverse("cadres:dashboard"), {"area": KAB})
    with django_assert_num_queries(16):
        response = client.get(reverse("cadres:dashboard"), {"area": KAB})
    assert response.status_code == 200


@pytest.mark.parametrize("username", ALL_USERS)
def test_knowledge_gap_by_role(client_for: Any, world: World, ppkbd: Cadre, username: str) -> None:
    services.test_record(
        cadre=ppkbd,
        phase="pre",
        taken_on=dt.date(2025, 1, 2),
        answers=topic_sheet("counselling", 3),
        actor=None,
    )
    response = client_for(username).get(reverse("cadres:knowledge"), {"area": VILLAGE})
    if username not in NAMED:
        assert response.status_code == 404
        return
    page = html(response)
    below = page.split('id="below"')[1]
    assert "Siti Aminah" in below and "37,5" in below


@pytest.mark.parametrize("username", ALL_USERS)
def test_other_pages_by_role(
    client_for: Any, world: World, training: Activity, username: str
) -> None:
    client = client_for(username)
    expected = 200 if username not in AGGREGATE else 404
    for name in ("questions", "trainings", "teams"):
        assert client.get(reverse(f"cadres:{name}")).status_code == expected, name
    training_page = client.get(reverse("cadres:training", args=[training.pk]))
    assert training_page.status_code == (200 if username in NAMED else 404)


def test_question_bank_page_shows_every_question(client_for: Any) -> None:
    page = html(client_for("cadre").get(reverse("cadres:questions")))
    assert page.count('<details id="question-') == Question.objects.count()
    vasectomy = html(client_for("cadre").get(reverse("cadres:questions"), {"topic": "vasectomy"}))
    assert vasectomy.count('<details id="question-') == 8


def test_team_pages(client_for: Any, world: World) -> None:
    client = client_for("pkb")
    response = client.post(reverse("cadres:team_new"), {"village": VILLAGE, "name": "TPK Ulu 1"})
    assert response.status_code == 302
    assert "TPK Ulu 1" in html(client.get(reverse("cadres:teams")))
    assert (
        client_for("other_district")
        .post(reverse("cadres:team_new"), {"village": VILLAGE, "name": "TPK X"})
        .status_code
        == 200
    )  # the village is not offered: the form refuses it
    from kampungkb.cadres.models import TpkTeam

    assert list(TpkTeam.objects.values_list("name", flat=True)) == ["TPK Ulu 1"]


def test_training_curriculum_page(client_for: Any, training: Activity) -> None:
    client = client_for("district")
    response = client.post(
        reverse("cadres:training_topics", args=[training.pk]), {"topics": ["stunting"]}
    )
    assert response.status_code == 302
    assert list(training.curriculum.values_list("topic", flat=True)) == ["stunting"]
    assert (
        client_for("other_district")
        .post(reverse("cadres:training_topics", args=[training.pk]), {"topics": ["methods"]})
        .status_code
        == 404
    )
    assert list(training.curriculum.values_list("topic", flat=True)) == ["stunting"]


def test_pages_in_english(client_for: Any, ppkbd: Cadre) -> None:
    client = client_for("cadre")
    client.cookies["django_language"] = "en"
    page = html(client.get(reverse("cadres:list"), headers={"Accept-Language": "en"}))
    assert "Cadre roster" in page


# -- The cadre's login, home visits, referrals and incentives (decision 0028) -------------------------


def _account_options(page: str) -> str:
    return page.split('name="account"')[1].split("</select>")[0]


def test_register_a_cadre_with_its_login(client_for: Any, world: World) -> None:
    client = client_for("pkb")
    siti = person("Siti Aminah")
    url = f"{reverse('cadres:new')}?person={siti.pk}"
    options = _account_options(html(client.get(url)))
    # The cadre logins of Kota Bangun Ulu (the village and its RT), not those of elsewhere.
    assert f'value="{world.user("cadre").pk}">cadre (Cadre)' in options
    assert f'value="{world.user("cadre_rt").pk}">cadre_rt (Cadre Rt)' in options
    for other in ("other_cadre", "pkb", "district"):
        assert f'value="{world.user(other).pk}"' not in options, other
    response = client.post(
        url,
        {
            "role": "ppkbd",
            "area": VILLAGE,
            "started_on": "2023-01-09",
            "account": world.user("cadre").pk,
        },
    )
    cadre = Cadre.objects.get()
    assert response["Location"] == reverse("cadres:detail", args=[cadre.pk])
    assert cadre.account == world.user("cadre")
    page = html(client.get(response["Location"]))
    assert "cadre (Cadre)" in page.split('id="account"')[1].split("</dd>")[0]


def test_a_login_of_another_person_is_refused_on_the_field(
    client_for: Any, world: World, ppkbd: Cadre
) -> None:
    services.cadre_update(
        cadre=ppkbd,
        data=services.CadreData(
            role=ppkbd.role,
            area=ppkbd.area,
            started_on=ppkbd.started_on,
            account=world.user("cadre"),
        ),
        actor=None,
    )
    client = client_for("pkb")
    sutrisno = person("Sutrisno")
    response = client.post(
        f"{reverse('cadres:new')}?person={sutrisno.pk}",
        {
            "role": "posyandu",
            "area": VILLAGE,
            "started_on": "2023-01-09",
            "account": world.user("cadre").pk,
        },
    )
    assert response.status_code == 200
    error = html(response).split('id="id_account_error"')[1].split("</small>")[0]
    assert "sudah terhubung dengan kader lain (Siti Aminah)" in error
    assert list(Cadre.objects.values_list("person__full_name", flat=True)) == ["Siti Aminah"]
    # A login of another kabupaten is not even offered.
    response = client.post(
        f"{reverse('cadres:new')}?person={sutrisno.pk}",
        {
            "role": "posyandu",
            "area": VILLAGE,
            "started_on": "2023-01-09",
            "account": world.user("other_cadre").pk,
        },
    )
    assert 'id="id_account_error"' in html(response)
    assert Cadre.objects.count() == 1


def test_edit_links_keeps_and_unlinks_the_login(
    client_for: Any, world: World, ppkbd: Cadre
) -> None:
    client = client_for("pkb")
    url = reverse("cadres:edit", args=[ppkbd.pk])
    form = {"started_on": "2020-01-06", "phone": "0812"}
    assert client.post(url, {**form, "account": world.user("cadre").pk}).status_code == 302
    ppkbd.refresh_from_db()
    assert ppkbd.account == world.user("cadre")
    page = html(client.get(url))
    assert f'value="{world.user("cadre").pk}" selected' in _account_options(page)
    # Unchanged: kept even when the login no longer works in the village.
    world.user("cadre").assignments.update(area_id=world.area(KAB).code)
    assert client.post(url, {**form, "account": world.user("cadre").pk}).status_code == 302
    ppkbd.refresh_from_db()
    assert ppkbd.account == world.user("cadre")
    # Emptied: unlinked.
    assert client.post(url, form).status_code == 302
    ppkbd.refresh_from_db()
    assert ppkbd.account is None
    # No longer offered, so no longer linked.
    assert 'id="id_account_error"' in html(
        client.post(url, {**form, "account": world.user("cadre").pk})
    )
    ppkbd.refresh_from_db()
    assert ppkbd.account is None


def _paid_march(world: World) -> IncentiveBatch:
    """March 2025 of Kota Bangun Ulu computed and proposed by the PKB officer, approved by the
    district and paid today."""
    batch = incentives_services.batch_compute(
        village=world.area(VILLAGE), month=INCENTIVE_MONTH, actor=world.user("pkb")
    )
    batch = incentives_services.batch_propose(batch=batch, actor=world.user("pkb"))
    batch = incentives_services.batch_approve(batch=batch, actor=world.user("district"))
    return incentives_services.lines_mark_paid(
        batch=batch,
        lines=list(incentives_selectors.payable_lines(batch)),
        paid_on=timezone.localdate(),
        reference="TRF-0325",
        actor=world.user("district"),
    )


def _month_row(table: str, month: dt.date) -> list[int]:
    """The figures of a month's row (labelled in Indonesian, the default language)."""
    with translation.override("id"):
        label = date_format(month, "F Y")
    row = table.split(f'<th scope="row">{label}</th>')[1].split("</tr>")[0]
    return [int(n) for n in re.findall(r">(\d+)</td>", row)]


def test_cadre_page_shows_visits_referrals_and_incentives(
    client_for: Any, world: World, earning_ppkbd: Cadre, django_assert_num_queries: Any
) -> None:
    batch = _paid_march(world)
    [line] = incentives_selectors.current_lines(batch)
    today = timezone.localdate()
    last_month = add_months(month_start(today), -1)
    verified = follow_up(world, last_month.replace(day=15))
    rejected = follow_up(world, last_month.replace(day=16))
    contraception_services.followups_verify(
        follow_ups=[verified], verification="verified", actor=world.user("pkb")
    )
    contraception_services.followups_verify(
        follow_ups=[rejected], verification="rejected", note="Rumah kosong", actor=world.user("pkb")
    )
    referred = follow_up(world, today, "referred")
    url = reverse("cadres:detail", args=[earning_ppkbd.pk])
    client = client_for("pkb")
    client.get(url)
    with django_assert_num_queries(15):
        page = html(client.get(url))
    # Visits per month: total, verified, awaiting, rejected.
    months = page.split('id="visit-months"')[1].split("</table>")[0]
    assert _month_row(months, last_month) == [2, 1, 0, 1]
    assert _month_row(months, month_start(today)) == [1, 0, 1, 0]
    latest = page.split('id="visit-latest"')[1].split("</details>")[0]
    for visit in (verified, rejected, referred):
        assert f'<tr id="visit-{visit.pk}">' in latest
    assert "Rumah kosong" in latest
    assert earning_ppkbd.person.nik and earning_ppkbd.person.nik not in page  # no NIK shown
    # The March referral paid in the ledger; today's still waiting for a new use.
    earned = page.split('id="referrals-earned"')[1].split("</table>")[0]
    assert "06-03-2025" in earned and "12-03-2025" in earned and "Rp 25.000" in earned
    waiting = page.split('id="referrals-open"')[1].split("</ul>")[0]
    until = today + dt.timedelta(days=90)
    assert waiting.count("<li>") == 1
    assert f"{today:%d-%m-%Y}:" in waiting and f"{until:%d-%m-%Y}" in waiting
    # The incentive lines, with the link to each line's trace.
    lines = page.split('id="incentive-lines"')[1].split("</table>")[0]
    assert lines.count('<tr id="line-') == 1
    assert reverse("cadres:incentive_line", args=[line.pk]) in lines
    assert "Rp 225.000" in lines and f"{today:%d-%m-%Y}" in lines
    paid = page.split('id="incentives-paid"')[1].split("</p>")[0]
    assert f"{today.year}" in paid and "Rp 225.000" in paid


def test_cadre_page_without_a_login(client_for: Any, ppkbd: Cadre) -> None:
    page = html(client_for("cadre").get(reverse("cadres:detail", args=[ppkbd.pk])))
    visits = page.split('<section id="visits">')[1].split("</section>")[0]
    assert "visit-months" not in visits
    assert 'id="incentive-lines"' not in page and 'id="referrals-earned"' not in page
    assert 'id="referrals-open"' not in page


def test_cadre_page_query_count_does_not_grow_with_rows(
    client_for: Any, world: World, earning_ppkbd: Cadre, django_assert_num_queries: Any
) -> None:
    _paid_march(world)
    february = incentives_services.batch_compute(
        village=world.area(VILLAGE), month=dt.date(2025, 2, 1), actor=world.user("pkb")
    )
    assert february.total == 100_000
    today = timezone.localdate()
    for days in (0, 31, 62):
        follow_up(world, today - dt.timedelta(days=days), "referred")
    url = reverse("cadres:detail", args=[earning_ppkbd.pk])
    client = client_for("pkb")
    client.get(url)
    with django_assert_num_queries(15):
        page = html(client.get(url))
    assert page.count('<tr id="line-') == 2
    assert page.split('id="referrals-open"')[1].split("</ul>")[0].count("<li>") == 3
    assert html(client_for("cadre").get(url)).count('<tr id="line-') == 2
    assert client_for("other_district").get(url).status_code == 404


def _paid_last_month(world: World, cadre: Cadre) -> dt.date:
    """Last month of Kota Bangun Ulu (the base honorarium, Rp 100.000) approved and paid."""
    month = add_months(month_start(timezone.localdate()), -1)
    batch = incentives_services.batch_compute(
        village=world.area(VILLAGE), month=month, actor=world.user("pkb")
    )
    batch = incentives_services.batch_propose(batch=batch, actor=world.user("pkb"))
    batch = incentives_services.batch_approve(batch=batch, actor=world.user("district"))
    incentives_services.lines_mark_paid(
        batch=batch,
        lines=list(incentives_selectors.payable_lines(batch)),
        paid_on=timezone.localdate(),
        actor=world.user("district"),
    )
    return month


@pytest.mark.parametrize("username", ALL_USERS)
def test_dashboard_incentive_totals_by_role(
    client_for: Any, world: World, ppkbd: Cadre, incentive_rule: Any, username: str
) -> None:
    month = _paid_last_month(world, ppkbd)
    this_year = month.year == timezone.localdate().year
    response = client_for(username).get(reverse("cadres:dashboard"), {"area": VILLAGE})
    if username in ("cadre_rt", "other_district", "other_cadre"):
        assert response.status_code == 404
        return
    page = html(response)
    if username in ("partner", "viewer"):
        # A village's total can be one person's pay: only those who see the cadres see it.
        assert 'id="incentive-totals"' not in page and 'class="incentives"' not in page
        return
    totals = page.split('id="incentive-totals"')[1].split("</table>")[0]
    last = totals.split('id="incentives-last-month"')[1].split("</tr>")[0]
    assert re.findall(r">([^<>]+)</td>", last) == ["Rp 100.000", "Rp 100.000", "Rp 0", "1"]
    year = totals.split('id="incentives-year"')[1].split("</tr>")[0]
    assert re.findall(r">([^<>]+)</td>", year) == (
        ["Rp 100.000", "Rp 100.000", "Rp 0", "1"] if this_year else ["Rp 0", "Rp 0", "Rp 0", "0"]
    )
    board = page.split('id="board"')[1].split("</table>")[0]
    # The village's own cadres, its RW 001, the total.
    paid = re.findall(r'<td class="incentives"[^>]*>([^<]+)</td>', board)
    expected = "Rp 100.000" if this_year else "Rp 0"
    assert paid == [expected, "Rp 0", expected]
