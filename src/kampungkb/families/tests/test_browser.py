"""In a phone's Chromium: a cadre registers a family with a couple and a child, then finds it in
the list with the identity numbers masked."""

import datetime as dt

import pytest

from kampungkb.families.masking import mask_id
from kampungkb.families.models import Couple, Family, Sex
from kampungkb.families.validators import make_nik
from kampungkb.testing.world import PASSWORD, RT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KK = "6402081507200003"
HUSBAND_NIK = make_nik("640208", dt.date(1990, 4, 17), Sex.MALE, 21)
WIFE_NIK = make_nik("640208", dt.date(1994, 9, 2), Sex.FEMALE, 22)
CHILD_NIK = make_nik("640208", dt.date(2018, 3, 10), Sex.FEMALE, 23)


def choose(page, select: str, text: str) -> None:
    """Pick the option whose label contains ``text`` (labels add birth date and relation)."""
    value = page.locator(f"select[name={select}] option", has_text=text).get_attribute("value")
    page.select_option(f"select[name={select}]", value)


def submit(page) -> None:
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()


def test_cadre_registers_a_family_with_a_couple_and_a_child(world, phone) -> None:
    page = phone
    page.goto("/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "id"
    page.fill("input[name=username]", "cadre")
    page.fill("input[name=password]", PASSWORD)
    submit(page)

    page.goto("/families/new/")
    page.select_option("select[name=area]", RT)
    page.fill("input[name=kk_number]", KK)
    page.fill("input[name=address]", "Jl. Pesut No. 7")
    page.fill("input[name=head_full_name]", "Budi Santoso")
    page.fill("input[name=head_nik]", HUSBAND_NIK)
    page.check("input[name=head_sex][value=M]")
    page.fill("input[name=head_birth_date]", "1990-04-17")
    submit(page)
    family = Family.objects.get(kk_number=KK)
    assert page.url.endswith(f"/families/{family.pk}/")

    page.get_by_role("button", name="Tambah anggota").click()
    page.fill("input[name=full_name]", "Dewi Lestari")
    page.fill("input[name=nik]", WIFE_NIK)
    page.check("input[name=sex][value=F]")
    page.fill("input[name=birth_date]", "1994-09-02")
    page.select_option("select[name=relation_to_head]", "wife")
    submit(page)

    page.get_by_role("button", name="Catat pernikahan").click()
    choose(page, "wife", "Dewi Lestari")
    choose(page, "husband", "Budi Santoso")
    page.fill("input[name=married_on]", "2015-06-01")
    submit(page)

    page.get_by_role("button", name="Catat kelahiran").first.click()
    choose(page, "mother", "Dewi Lestari")
    page.fill("input[name=full_name]", "Putri Ayu")
    page.check("input[name=sex][value=F]")
    page.fill("input[name=birth_date]", "2018-03-10")
    page.fill("input[name=nik]", CHILD_NIK)
    submit(page)

    couple = Couple.objects.get(wife__nik=WIFE_NIK)
    assert couple.husband is not None and couple.husband.nik == HUSBAND_NIK
    assert sorted(family.members.values_list("full_name", flat=True)) == [
        "Budi Santoso",
        "Dewi Lestari",
        "Putri Ayu",
    ]
    members = page.locator("main").inner_text()
    assert "Putri Ayu" in members
    assert "PUS" in members

    page.goto("/families/")
    page.fill("input[name=q]", "Budi Santoso")
    row = page.locator("tr", has_text="Budi Santoso")
    row.wait_for()
    assert mask_id(KK) in row.inner_text()
    html = page.content()
    for number in (KK, HUSBAND_NIK, WIFE_NIK, CHILD_NIK):
        assert number not in html
    # Searching by the child's full NIK finds the family, still masked.
    page.fill("input[name=q]", CHILD_NIK)
    page.locator("tr", has_text="Budi Santoso").wait_for()
    assert CHILD_NIK not in page.locator("main").inner_html().replace(f'value="{CHILD_NIK}"', "")
