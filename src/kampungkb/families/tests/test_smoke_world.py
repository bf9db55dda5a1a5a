from kampungkb.families.models import Couple, Family, Person


def test_world_has_three_families_and_two_couples(world):
    assert Family.objects.count() == 3
    assert Couple.objects.count() == 2
    child = Person.objects.get(full_name="Rizky Pratama")
    assert child.mother is not None and child.mother.full_name == "Siti Aminah"
    assert child.father is not None and child.father.full_name == "Sutrisno"
