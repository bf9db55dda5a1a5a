"""Field notes on fixed days:
- n1 2025-05-02 Kota Bangun Ulu RT 001, interview, religious leader "Ustadz Hasan":
  religious belief + interest
- n2 2025-05-03 Kota Bangun Ulu (the village itself), observation: activeness
- n3 2025-05-04 Kota Bangun Ilir, interview, a PUS woman "Ibu Rina": many children + interest
- n4 2025-05-05 Tumbuh Mulia (Lombok Timur), interview: religious belief
So the matrix of Kota Bangun: Ulu 2 notes (interest 1, activeness 1, religious belief 1), Ilir 1
(interest 1, many children 1); totals interest 2.
"""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from kampungkb.core.models import AuditEvent
from kampungkb.participation import notes_selectors as selectors
from kampungkb.participation import notes_services as services
from kampungkb.participation.models import FieldNote, NoteCode
from kampungkb.participation.notes_services import NoteData
from kampungkb.regions.models import Area
from kampungkb.testing.world import (
    AGGREGATE_AREAS,
    KAB,
    KEC,
    OTHER_VILLAGE,
    RT,
    RW,
    USERS,
    VILLAGE,
    VILLAGE_2,
)

NAMED_HERE = {"admin", "district", "pkb", "cadre"}  # see Kota Bangun Ulu's persons


def _note(
    area: str, day: int, codes: list[str], role: str = "", name: str = "", kind: str = "interview"
) -> FieldNote:
    return services.note_create(
        area=Area.objects.get(code=area),
        data=NoteData(
            noted_on=dt.date(2025, 5, day),
            kind=kind,
            text=f"Kutipan {day}",
            codes=codes,
            informant_role=role,
            informant_name=name,
        ),
        actor=None,
    )


@pytest.fixture(name="notes")
def notes_fixture(world) -> dict[str, FieldNote]:
    return {
        "n1": _note(RT, 2, ["religious_belief", "interest"], "religious_leader", "Ustadz Hasan"),
        "n2": _note(VILLAGE, 3, ["activeness"], kind="observation"),
        "n3": _note(VILLAGE_2, 4, ["myth_many_children", "interest"], "pus_woman", "Ibu Rina"),
        "n4": _note(OTHER_VILLAGE, 5, ["religious_belief"]),
    }


def _counts(matrix: selectors.Matrix, row_index: int) -> dict[str, int]:
    row = matrix.rows[row_index]
    return {c.code: n for c, n in row.cells if n}


def test_the_matrix_counts_notes_by_sub_area_and_code(notes, world) -> None:
    matrix = selectors.note_matrix(user=world.user("partner"), area=Area.objects.get(code=KEC))
    by_area = {r.area.code: r for r in matrix.rows if r.area}
    assert matrix.rows[0].area is not None  # nothing recorded at the kecamatan itself
    ulu, ilir = by_area[VILLAGE], by_area[VILLAGE_2]
    assert (ulu.notes, ilir.notes, matrix.notes) == (2, 1, 3)
    index = {c.code: i for i, c in enumerate(matrix.columns)}
    assert [ulu.counts[index[c]] for c in ("interest", "activeness", "religious_belief")] == [
        1,
        1,
        1,
    ]
    assert [ilir.counts[index[c]] for c in ("interest", "myth_many_children")] == [1, 1]
    assert matrix.totals[index["interest"]] == 2
    assert sum(matrix.totals) == 5
    village = selectors.note_matrix(user=world.user("cadre"), area=Area.objects.get(code=VILLAGE))
    assert village.rows[0].area is None  # recorded at the village itself
    assert _counts(village, 0) == {"activeness": 1}
    assert village.rows[1].area == Area.objects.get(code=RW)
    assert _counts(village, 1) == {"interest": 1, "religious_belief": 1}


def test_notes_are_checked_and_audited(world) -> None:
    cadre = world.user("cadre")
    with pytest.raises(ValidationError) as caught:
        services.note_create(
            area=Area.objects.get(code=KEC),
            data=NoteData(
                noted_on=dt.date(2025, 5, 1), kind="interview", text="x", codes=["interest"]
            ),
            actor=None,
        )
    with translation.override("en"):
        assert caught.value.messages == [
            "A field note is recorded for a village, a hamlet/RW or an RT."
        ]
    with pytest.raises(ValidationError) as caught:
        services.note_create(
            area=Area.objects.get(code=VILLAGE),
            data=NoteData(noted_on=dt.date(2025, 5, 1), kind="interview", text="x", codes=[]),
            actor=cadre,
        )
    with translation.override("id"):
        assert caught.value.messages == ["Pilih paling sedikit satu kode (dimensi atau hambatan)."]
    with pytest.raises(Http404):
        services.note_create(
            area=Area.objects.get(code=VILLAGE_2),
            data=NoteData(noted_on=dt.date(2025, 5, 1), kind="interview", text="x", codes=["cost"]),
            actor=cadre,
        )
    assert not FieldNote.objects.exists()
    note = services.note_create(
        area=Area.objects.get(code=RT),
        data=NoteData(
            noted_on=dt.date(2025, 5, 1),
            kind="interview",
            text="Kata kader",
            codes=["no_incentive", "contribution"],
            informant_role="cadre",
        ),
        actor=cadre,
    )
    assert sorted(note.code_list) == ["contribution", "no_incentive"]
    event = AuditEvent.objects.get(action="note.create")
    assert (event.actor, event.area_code, event.after["codes"]) == (
        cadre,
        RT,
        ["contribution", "no_incentive"],
    )
    services.note_update(
        note=note,
        area=note.area,
        data=NoteData(
            noted_on=dt.date(2025, 5, 1),
            kind="interview",
            text="Kata kader",
            codes=["no_incentive"],
        ),
        actor=cadre,
    )
    assert list(NoteCode.objects.filter(note=note).values_list("code", flat=True)) == [
        "no_incentive"
    ]
    assert AuditEvent.objects.get(action="note.update").before["codes"] == [
        "contribution",
        "no_incentive",
    ]
    with pytest.raises(Http404):
        services.note_delete(note=note, actor=world.user("partner"))
    services.note_delete(note=note, actor=cadre)
    assert not FieldNote.objects.exists()


@pytest.mark.parametrize("username", tuple(USERS))
def test_every_role_sees_the_matrix_of_its_areas(client_for, notes, username) -> None:
    seen, unseen = AGGREGATE_AREAS[username]
    client = client_for(username)
    url = reverse("participation:notes")
    response = client.get(f"{url}?area={seen}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ustadz Hasan" not in page  # the matrix holds counts, never names
    assert "Kutipan" not in page
    if unseen is not None:
        assert client.get(f"{url}?area={unseen}").status_code == 404
        assert client.get(f"{url}?area={unseen}&format=xlsx").status_code == 404


@pytest.mark.parametrize("username", tuple(USERS))
def test_only_roles_that_see_persons_read_the_quotes(client_for, notes, username) -> None:
    client = client_for(username)
    url = f"{reverse('participation:note_list')}?area={VILLAGE}&code=religious_belief"
    response = client.get(url)
    if username not in NAMED_HERE:
        assert response.status_code == 404
        return
    page = response.content.decode()
    assert "Kutipan 2" in page and "Ustadz Hasan" in page
    assert "Kutipan 3" not in page  # Kota Bangun Ilir
    assert "Kutipan 5" not in page  # another kabupaten


def test_a_cell_links_to_its_quotes_for_named_roles_only(client_for, notes) -> None:
    url = f"{reverse('participation:notes')}?area={VILLAGE}"
    quotes = f"{reverse('participation:note_list')}?area={RW}&amp;code=interest"
    assert quotes in client_for("pkb").get(url).content.decode()
    assert quotes not in client_for("partner").get(url).content.decode()
    exact = f"?area={VILLAGE}&exact=1&code=activeness"
    page = client_for("cadre").get(reverse("participation:note_list") + exact).content.decode()
    # Only the observation recorded at the village itself, not the RT's interview.
    assert "Kutipan 3</blockquote>" in page
    assert "Kutipan 2" not in page


def test_the_matrix_page_has_fixed_queries(client_for, notes, django_assert_num_queries) -> None:
    client = client_for("district")
    url = f"{reverse('participation:notes')}?area={KAB}"
    client.get(url)
    with django_assert_num_queries(8):
        client.get(url)


def test_the_excel_file_has_quotes_only_for_named_roles(client_for, notes) -> None:
    url = f"{reverse('participation:notes')}?area={KEC}&format=xlsx"
    partner = load_workbook(io.BytesIO(client_for("partner").get(url).content))
    assert partner.sheetnames == ["Matriks"]
    assert not AuditEvent.objects.filter(action="note.export").exists()
    rows = list(partner["Matriks"].iter_rows(values_only=True))
    assert rows[-1][1] == 3  # the total of notes
    named = load_workbook(io.BytesIO(client_for("district").get(url).content))
    assert named.sheetnames == ["Matriks", "Kutipan"]
    quotes = list(named["Kutipan"].iter_rows(values_only=True))
    assert [q[6] for q in quotes[1:]] == ["Kutipan 4", "Kutipan 3", "Kutipan 2"]
    assert "Ustadz Hasan" in [q[4] for q in quotes]
    assert AuditEvent.objects.filter(action="note.export", area_code=KEC).count() == 1


def test_recording_editing_and_deleting_from_the_pages(client_for, notes) -> None:
    url = f"{reverse('participation:note_create')}?area={RT}"
    form = {
        "noted_on": "2025-05-06",
        "kind": "observation",
        "informant_role": "",
        "informant_name": "",
        "text": "Pertemuan kader tidak rutin.",
        "codes": ["activeness", "lack_of_knowledge"],
    }
    for username in ("partner", "viewer", "other_cadre"):
        assert client_for(username).post(url, form).status_code == 404
    assert FieldNote.objects.count() == 4
    client = client_for("cadre_rt")
    assert client.post(url, form).status_code == 302
    note = FieldNote.objects.get(text="Pertemuan kader tidak rutin.")
    assert sorted(note.code_list) == ["activeness", "lack_of_knowledge"]
    edit = reverse("participation:note_edit", args=[note.pk])
    assert client.post(edit, {**form, "codes": []}).status_code == 200
    assert client.post(edit, {**form, "codes": ["activeness"]}).status_code == 302
    assert note.code_list == ["activeness"]
    n3 = notes["n3"]  # Kota Bangun Ilir: not the RT cadre's
    assert client.post(reverse("participation:note_delete", args=[n3.pk])).status_code == 404
    assert FieldNote.objects.filter(pk=n3.pk).exists()
    assert client.post(reverse("participation:note_delete", args=[note.pk])).status_code == 302
    assert not FieldNote.objects.filter(pk=note.pk).exists()


def test_the_quotes_page_has_fixed_queries(client_for, notes, django_assert_num_queries) -> None:
    client = client_for("district")
    url = f"{reverse('participation:note_list')}?area={KAB}"
    client.get(url)
    with django_assert_num_queries(6):
        client.get(url)
