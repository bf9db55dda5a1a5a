"""The district's own suggested actions: the page, the service, the API, and their use on the
barrier and participation pages."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kampungkb.core.models import AuditEvent
from kampungkb.participation import actions
from kampungkb.participation.models import SuggestedActionEdit
from kampungkb.regions.models import Area
from kampungkb.testing.world import KAB, KEC, OTHER_KAB, VILLAGE

URL = reverse("participation:actions")
KEY = "barrier:religious_belief"
OWN = "Pengajian bersama penyuluh agama dan PKB di masjid desa"

pytestmark = pytest.mark.django_db


def _set(client, **data):
    body = {"area": KAB, "key": KEY, "text": OWN, "kind": "counselling", "target_group": "pus"}
    return client.post(URL, body | data)


def test_every_barrier_and_dimension_has_an_action(world) -> None:
    rows = actions.action_rows(Area.objects.get(code=VILLAGE))
    assert len(rows) == 15  # 3 dimensions, 12 barriers
    assert [r.key for r in rows[:3]] == [
        "dimension:interest",
        "dimension:activeness",
        "dimension:contribution",
    ]
    assert all(r.edit is None and r.action == r.default for r in rows)


def test_the_district_writes_its_own_and_the_villages_follow(client_for) -> None:
    response = _set(client_for("district"))
    assert response.status_code == 302
    edit = SuggestedActionEdit.objects.get()
    assert (edit.area_id, edit.key, edit.kind) == (KAB, KEY, "counselling")
    event = AuditEvent.objects.get(action="suggested_action.set")
    assert event.area_code == KAB and event.after["text"] == OWN
    # The barrier page of a village of the regency shows it.
    page = client_for("cadre").get(f"{reverse('participation:barriers')}?area={VILLAGE}")
    row = next(r for r in page.context["ranking"].rows if r.entry.code == "religious_belief")
    assert row.action.text == OWN
    assert OWN in page.content.decode()
    # Back to the default.
    client_for("district").post(URL, {"area": KAB, "key": KEY, "reset": "1"})
    assert not SuggestedActionEdit.objects.exists()
    assert AuditEvent.objects.filter(action="suggested_action.reset").count() == 1


def test_the_page_lists_every_action_and_offers_edits_only_to_the_district(client_for) -> None:
    page = client_for("district").get(f"{URL}?area={KAB}").content.decode()
    assert page.count("<details>") == 15
    for username, area in (("partner", KAB), ("cadre", VILLAGE), ("pkb", VILLAGE)):
        response = client_for(username).get(f"{URL}?area={area}")
        assert response.status_code == 200
        assert len(response.context["rows"]) == 15
        assert "<details>" not in response.content.decode()
    assert client_for("cadre").get(f"{URL}?area={KAB}").status_code == 404


@pytest.mark.parametrize("username", ["cadre", "pkb", "partner", "other_district"])
def test_others_cannot_change_the_district_s_actions(client_for, username) -> None:
    response = _set(client_for(username))
    assert response.status_code == 404
    assert not SuggestedActionEdit.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="suggested_action").exists()


def test_bad_input_is_refused_in_both_languages_and_nothing_is_saved(world) -> None:
    district = world.user("district")
    kab = Area.objects.get(code=KAB)
    for data, message in (
        ({"text": "  "}, "Write the suggested action"),
        ({"kind": "party"}, "Choose an activity kind"),
        ({"target_group": "cats"}, "Choose a target group"),
    ):
        kwargs = {"text": OWN, "kind": "counselling", "target_group": "pus"} | data
        with pytest.raises(ValidationError) as caught:
            actions.action_set(actor=district, area=kab, key=KEY, **kwargs)
        problem = actions.ParticipationProblem(caught.value.error_dict.popitem()[1][0].code)
        assert message in problem.text("en", max=300)
    with pytest.raises(ValidationError) as caught:
        actions.action_set(
            actor=district,
            area=Area.objects.get(code=KEC),
            key=KEY,
            text=OWN,
            kind="counselling",
            target_group="pus",
        )
    assert "kabupaten/kota" in str(caught.value)
    assert not SuggestedActionEdit.objects.exists()


def test_the_api_reads_sets_and_resets(api_as) -> None:
    url = f"/api/participation/suggested-actions/{KEY}?area={KAB}"
    body = json.dumps({"text": OWN, "activity_kind": "counselling", "target_group": "pus"})
    refused = api_as("partner").put(url, body, content_type="application/json")
    assert refused.status_code == 404
    district = api_as("district")
    rows = district.put(url, body, content_type="application/json").json()
    row = next(r for r in rows if r["key"] == KEY)
    assert row["text"] == OWN and row["is_default"] is False
    listed = api_as("partner").get(f"/api/participation/suggested-actions?area={VILLAGE}").json()
    assert next(r for r in listed if r["key"] == KEY)["text"] == OWN
    bad = district.put(
        url,
        json.dumps({"text": OWN, "activity_kind": "party", "target_group": "pus"}),
        content_type="application/json",
    )
    assert bad.status_code == 422
    rows = district.delete(url).json()
    assert next(r for r in rows if r["key"] == KEY)["is_default"] is True
    assert (
        api_as("district").get(f"/api/participation/suggested-actions?area={OTHER_KAB}").status_code
        == 404
    )
