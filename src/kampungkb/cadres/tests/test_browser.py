"""In a phone's Chromium: a PKB officer registers a resident as PPKBD, records her post-test of
a training, sees the score and the explanation of the question she got wrong."""

import pytest
from playwright.sync_api import expect

from kampungkb.activities.models import Activity
from kampungkb.cadres.models import Cadre, KnowledgeTest, Question
from kampungkb.testing.world import PASSWORD, VILLAGE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_registers_a_cadre_and_records_a_post_test(
    world, training: Activity, phone
) -> None:
    page = phone
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "pkb")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    page.goto("/cadres/")
    page.get_by_role("button", name="Daftarkan kader").click()
    page.get_by_label("Cari warga").fill("siti")
    expect(page.locator("#candidates li")).to_have_count(1)
    page.locator("#candidates a", has_text="Siti Aminah").click()
    page.wait_for_load_state()
    page.select_option("select[name=role]", "ppkbd")
    page.select_option("select[name=area]", VILLAGE)
    page.fill("input[name=started_on]", "2024-01-08")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    cadre = Cadre.objects.get()
    assert page.url.endswith(f"/cadres/{cadre.pk}/")
    assert page.viewport_size["width"] == 390

    page.get_by_role("button", name="Catat tes pengetahuan").click()
    page.select_option("select[name=training]", str(training.pk))
    page.wait_for_load_state()
    expect(page.locator("#questions > li")).to_have_count(16)
    page.check("input[name=phase][value=post]")
    page.fill("input[name=taken_on]", "2025-03-10")
    myth = Question.objects.get(code="MOP-01")
    for question in Question.objects.filter(topic__in=["vasectomy", "counselling"]):
        chosen = question.correct
        if question.code == myth.code:
            chosen = next(o for o in "abcd" if o != question.correct)
        page.locator(f"#q-{question.code} input[value={chosen}]").check()
    page.get_by_role("button", name="Simpan dan hitung nilai").click()
    page.wait_for_load_state()

    test = KnowledgeTest.objects.get()
    assert page.url.endswith(f"/cadres/tests/{test.pk}/")
    expect(page.locator("#score")).to_have_text("93,8%")
    wrong = page.locator(f"#answer-{myth.code}")
    expect(wrong).to_contain_text("Jawaban benar")
    expect(wrong).to_contain_text(myth.explanation)
    expect(page.get_by_role("button", name="Sertifikat")).to_be_visible()
