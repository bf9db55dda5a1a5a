"""Building one household at a time: who lives together, their marriages, births, pregnancies
and identity numbers. ``population.generate`` drives it; every draw comes from its one
``random.Random``, in a fixed order."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from kampungkb.demo import names, traits
from kampungkb.demo.identity import IdentityBook
from kampungkb.demo.rows import (
    KECAMATAN,
    CoupleRow,
    FamilyRow,
    PersonRow,
    PregnancyRow,
    Village,
)
from kampungkb.families.models import (
    PUS_MAX_AGE,
    PUS_MIN_AGE,
    CoupleStatus,
    FertilityIntention,
    MaritalStatus,
    PregnancyOutcome,
    Relation,
    Sex,
    age_on,
)
from kampungkb.regions.models import Kind

DAY = dt.timedelta(days=1)
PREGNANCY_DAYS = 266  # conception to birth

STREETS = (
    "Jl. Pahlawan",
    "Jl. TGKH. M. Zainuddin Abdul Madjid",
    "Jl. Sudirman",
    "Jl. Prof. M. Yamin",
    "Jl. Hasanuddin",
    "Jl. Diponegoro",
    "Jl. Ahmad Yani",
    "Jl. Gatot Subroto",
    "Gang Melati",
    "Gang Kenanga",
)


def _ages(*bands: tuple[int, int, float]) -> tuple[tuple[int, ...], tuple[float, ...]]:
    ages = [a for first, last, _ in bands for a in range(first, last + 1)]
    weights = [w for first, last, w in bands for _ in range(first, last + 1)]
    return tuple(ages), tuple(weights)


# Age today of the wife of a married head of family, of a widowed head, ...
_WIFE_AGES = _ages(
    (15, 16, 0.1),
    (17, 18, 0.35),
    (19, 21, 0.8),
    (22, 44, 1.0),
    (45, 54, 0.85),
    (55, 64, 0.5),
    (65, 78, 0.15),
)
_WIDOW_AGES = _ages((28, 39, 0.15), (40, 54, 0.5), (55, 69, 1.0), (70, 85, 0.5))
_WIDOWER_AGES = _ages((30, 49, 0.3), (50, 64, 0.8), (65, 85, 1.0))
_DIVORCED_AGES = _ages((19, 24, 0.6), (25, 44, 1.0), (45, 55, 0.5))
_SINGLE_AGES = _ages((19, 29, 1.0), (30, 44, 0.4), (45, 75, 0.15))

_KINDS = (
    ("couple", 0.80),
    ("widow", 0.085),
    ("widower", 0.02),
    ("divorced_woman", 0.045),
    ("divorced_man", 0.01),
    ("single", 0.04),
)

# Share of married children who live on in their parents' household, by culture and sex: Sasak
# couples tend to live with the husband's parents, Kutai, Banjar and Javanese with the wife's.
_MARRIED_CHILD_STAYS = {
    "sasak": {Sex.MALE: 0.35, Sex.FEMALE: 0.1},
    "bugis": {Sex.MALE: 0.2, Sex.FEMALE: 0.2},
}
_MARRIED_CHILD_STAYS_DEFAULT = {Sex.MALE: 0.12, Sex.FEMALE: 0.3}


# Shares of (soon, delay, no more) by the births a couple still has ahead: none, the next within
# about a year, later.
_INTENTIONS_COMPLETE = (0.06, 0.12, 0.82)
_INTENTIONS_SOON = (0.65, 0.3, 0.05)
_INTENTIONS_LATER = (0.2, 0.7, 0.1)


def _missing_nik_share(age: int) -> float:
    """Newborns not registered yet, elders never registered, a few others."""
    if age < 1:
        return 0.35
    if age < 5:
        return 0.08
    if age >= 65:
        return 0.1
    return 0.03


@dataclass
class _Household:
    key: int
    village: Village
    rt_code: str
    setting: traits.Setting
    culture: str
    members: list[int] = field(default_factory=list)
    head: int | None = None
    married_on: dt.date | None = None


class HouseholdBuilder:
    """Collects the rows of the households it builds, keys in order of creation (a parent's key
    is always smaller than their children's)."""

    def __init__(self, rng: random.Random, today: dt.date, identity: IdentityBook) -> None:
        self.rng = rng
        self.today = today
        self.identity = identity
        self.persons: list[PersonRow] = []
        self.families: list[FamilyRow] = []
        self.couples: list[CoupleRow] = []
        self.pregnancies: list[PregnancyRow] = []
        self._noble: list[bool] = []

    # --- families ---------------------------------------------------------------------------------

    def family(self, village: Village, rt_code: str) -> None:
        rng = self.rng
        setting = traits.SETTINGS[village.code[:5]]
        h = _Household(
            key=len(self.families),
            village=village,
            rt_code=rt_code,
            setting=setting,
            culture=traits.pick(rng, setting.cultures),
        )
        kind = traits.pick(rng, _KINDS)
        if kind == "couple":
            self._couple_family(h)
        elif kind == "widow":
            self._widowed_family(h, head_sex=Sex.FEMALE)
        elif kind == "widower":
            self._widowed_family(h, head_sex=Sex.MALE)
        elif kind == "divorced_woman":
            self._divorced_woman(h)
        elif kind == "divorced_man":
            self._divorced_man(h)
        else:
            self._single(h)
        assert h.head is not None  # noqa: S101 - every family kind sets its head
        self.families.append(
            FamilyRow(
                key=h.key,
                area_code=rt_code,
                kk_number=self._kk(h),
                address=self._address(h),
                head_key=h.head,
            )
        )

    def _couple_family(self, h: _Household) -> None:
        rng, today = self.rng, self.today
        wife_birth = traits.birth_for_age(rng, rng.choices(*_WIFE_AGES)[0], today)
        married_on = self._wedding(h, wife_birth)
        husband_birth = self._husband_birth(wife_birth, married_on)
        # A parent of the husband or of the wife may live with them (three generations).
        elders: tuple[int | None, int | None] = (None, None)
        elders_of_husband = rng.random() < 0.55
        if rng.random() < 0.16:
            child_birth = husband_birth if elders_of_husband else wife_birth
            relation = Relation.PARENT if elders_of_husband else Relation.PARENT_IN_LAW
            elders = self._elders(h, child_birth, relation)
        husband_noble = self._noble_draw(h)
        husband_hajj, wife_hajj = self._hajj(h, husband_birth, wife_birth)
        his_parents = elders if elders_of_husband else (None, None)
        her_parents = (None, None) if elders_of_husband else elders
        husband = self._person(
            h,
            sex=Sex.MALE,
            birth=husband_birth,
            relation=Relation.HEAD,
            status=MaritalStatus.MARRIED,
            mother=his_parents[0],
            father=his_parents[1],
            noble=husband_noble,
            hajj=husband_hajj,
            moved_in=rng.random() < 0.1,
        )
        h.head = husband
        h.married_on = married_on
        wife = self._person(
            h,
            sex=Sex.FEMALE,
            birth=wife_birth,
            relation=Relation.WIFE,
            status=MaritalStatus.MARRIED,
            mother=her_parents[0],
            father=her_parents[1],
            noble=rng.random() < (0.4 if husband_noble else 0.05),
            hajj=wife_hajj,
            moved_in=rng.random() < 0.2,
            culture=self._spouse_culture(h),
        )
        wanted = traits.desired_children(rng, wife_birth.year)
        earlier = 0
        if age_on(wife_birth, married_on) >= 16 and rng.random() < 0.05:
            earlier = self._earlier_divorce(h, wife, wife_birth, married_on)
        self._union(
            h,
            wife=wife,
            wife_birth=wife_birth,
            husband=husband,
            married_on=married_on,
            wanted=max(0, wanted - earlier),
            children_relation=Relation.CHILD,
            may_stay=True,
        )
        if rng.random() < 0.03:
            self._person(
                h,
                sex=Sex.MALE if rng.random() < 0.5 else Sex.FEMALE,
                birth=traits.birth_for_age(rng, rng.randint(6, 22), today),
                relation=Relation.OTHER_RELATIVE,
                status=MaritalStatus.SINGLE,
                moved_in=rng.random() < 0.5,
            )

    def _widowed_family(self, h: _Household, *, head_sex: str) -> None:
        """A widow or widower heading the family; the late spouse is on the register (inactive)
        when they died in the last six years."""
        rng, today = self.rng, self.today
        ages = _WIDOW_AGES if head_sex == Sex.FEMALE else _WIDOWER_AGES
        head_birth = traits.birth_for_age(rng, rng.choices(*ages)[0], today)
        if head_sex == Sex.FEMALE:
            wife_birth = head_birth
            married_on = self._wedding(h, wife_birth)
            husband_birth = self._husband_birth(wife_birth, married_on)
        else:
            husband_birth = head_birth
            wife_birth = traits.add_years(head_birth, traits.husband_gap(rng))
            married_on = self._wedding(h, wife_birth)
        died = traits.between(
            rng, min(traits.add_years(married_on, 2), today), today
        )  # the spouse's death
        recorded = (today - died).days < 6 * 365 and rng.random() < 0.7
        hajj_pair = self._hajj(h, husband_birth, wife_birth)
        head = self._person(
            h,
            sex=head_sex,
            birth=head_birth,
            relation=Relation.HEAD,
            status=MaritalStatus.WIDOWED,
            hajj=hajj_pair[0] if head_sex == Sex.MALE else hajj_pair[1],
            noble=self._noble_draw(h),
        )
        h.head = head
        late = None
        if recorded:
            late = self._person(
                h,
                sex=Sex.MALE if head_sex == Sex.FEMALE else Sex.FEMALE,
                birth=husband_birth if head_sex == Sex.FEMALE else wife_birth,
                relation=Relation.HUSBAND if head_sex == Sex.FEMALE else Relation.WIFE,
                status=MaritalStatus.MARRIED,
                died_on=died,
                moved_in=rng.random() < 0.15,
            )
        wife, husband = (head, late) if head_sex == Sex.FEMALE else (late, head)
        wanted = traits.desired_children(rng, wife_birth.year)
        if wife is None:
            # A widower whose wife is not on the register: their children, without a couple.
            births = traits.birth_schedule(
                rng, married_on=married_on, mother_birth=wife_birth, wanted=wanted, until=died
            )
            self._children(
                h, births, mother=None, father=husband, relation=Relation.CHILD, may_stay=True
            )
            return
        self._union(
            h,
            wife=wife,
            wife_birth=wife_birth,
            husband=husband,
            married_on=married_on,
            wanted=wanted,
            children_relation=Relation.CHILD,
            may_stay=True,
            status=CoupleStatus.WIDOWED,
            ended_on=died,
        )

    def _divorced_woman(self, h: _Household) -> None:
        rng, today = self.rng, self.today
        birth = traits.birth_for_age(rng, rng.choices(*_DIVORCED_AGES)[0], today)
        married_on = self._wedding(h, birth)
        last = min(traits.add_years(married_on, 12), today - 30 * DAY)
        divorced = traits.between(rng, min(married_on + 180 * DAY, last), last)
        head = self._person(
            h,
            sex=Sex.FEMALE,
            birth=birth,
            relation=Relation.HEAD,
            status=MaritalStatus.DIVORCED,
            noble=self._noble_draw(h),
        )
        h.head = head
        self._union(
            h,
            wife=head,
            wife_birth=birth,
            husband=None,
            married_on=max(married_on, birth),
            wanted=traits.desired_children(rng, birth.year),
            children_relation=Relation.CHILD,
            may_stay=True,
            status=CoupleStatus.DIVORCED,
            ended_on=max(divorced, married_on),
        )

    def _divorced_man(self, h: _Household) -> None:
        """A divorced man, sometimes with a child whose mother lives elsewhere."""
        rng, today = self.rng, self.today
        age = rng.randint(25, 60)
        head = self._person(
            h,
            sex=Sex.MALE,
            birth=traits.birth_for_age(rng, age, today),
            relation=Relation.HEAD,
            status=MaritalStatus.DIVORCED,
        )
        h.head = head
        if rng.random() < 0.3:
            births = [traits.birth_for_age(rng, rng.randint(2, min(14, age - 20)), today)]
            self._children(
                h, births, mother=None, father=head, relation=Relation.CHILD, may_stay=False
            )

    def _single(self, h: _Household) -> None:
        rng = self.rng
        h.head = self._person(
            h,
            sex=Sex.MALE if rng.random() < 0.6 else Sex.FEMALE,
            birth=traits.birth_for_age(rng, rng.choices(*_SINGLE_AGES)[0], self.today),
            relation=Relation.HEAD,
            status=MaritalStatus.SINGLE,
        )

    # --- marriages and children ------------------------------------------------------------------

    def _wedding(self, h: _Household, wife_birth: dt.date, by: dt.date | None = None) -> dt.date:
        by = by or self.today
        age = traits.first_marriage_age(
            self.rng, h.setting, at_most=max(14, age_on(wife_birth, by))
        )
        return min(traits.married_at(self.rng, wife_birth, age, by), by)

    def _husband_birth(self, wife_birth: dt.date, married_on: dt.date) -> dt.date:
        born = traits.add_years(wife_birth, -traits.husband_gap(self.rng))
        born -= self.rng.randint(0, 200) * DAY
        while age_on(born, married_on) < 17:
            born = traits.add_years(born, -1)
        return born

    def _union(
        self,
        h: _Household,
        *,
        wife: int,
        wife_birth: dt.date,
        husband: int | None,
        married_on: dt.date,
        wanted: int,
        children_relation: str,
        may_stay: bool,
        status: str = CoupleStatus.MARRIED,
        ended_on: dt.date | None = None,
    ) -> int:
        """A marriage with its births: the children at home, an ongoing pregnancy when the next
        birth is under way, past pregnancies of the last two years, the fertility intention."""
        rng, today = self.rng, self.today
        until = ended_on + 270 * DAY if ended_on else None
        schedule = traits.birth_schedule(
            rng, married_on=married_on, mother_birth=wife_birth, wanted=wanted, until=until
        )
        born = [d for d in schedule if d <= today]
        upcoming = [d for d in schedule if d > today]
        current = status == CoupleStatus.MARRIED
        pus = current and PUS_MIN_AGE <= age_on(wife_birth, today) <= PUS_MAX_AGE
        ongoing: tuple[dt.date, dt.date] | None = None
        if pus and upcoming:
            conceived = upcoming[0] - PREGNANCY_DAYS * DAY
            recorded = conceived + rng.randint(49, 126) * DAY
            if recorded <= today:
                ongoing = (max(recorded, married_on), upcoming[0])
        intention, intention_on = "", None
        if pus and rng.random() < 0.88:
            after = upcoming[1:] if ongoing else upcoming
            intention = self._intention(after)
            intention_on = traits.between(rng, max(married_on, today - 365 * DAY), today)
        key = len(self.couples)
        self.couples.append(
            CoupleRow(
                key=key,
                wife_key=wife,
                husband_key=husband,
                married_on=married_on,
                status=status,
                ended_on=ended_on,
                fertility_intention=intention,
                intention_recorded_on=intention_on,
                births=tuple(born),
            )
        )
        for birth in born:
            if (today - birth).days <= 730:
                recorded = birth - rng.randint(150, 230) * DAY
                self._pregnancy(
                    key,
                    recorded=recorded,
                    expected=max(recorded, birth + rng.randint(-14, 14) * DAY),
                    ended=birth,
                    outcome=PregnancyOutcome.LIVE_BIRTH,
                )
        if ongoing:
            self._pregnancy(key, recorded=ongoing[0], expected=ongoing[1])
        elif pus and rng.random() < 0.03:
            self._miscarriage(key, married_on, born, upcoming)
        father_noble = husband is not None and self._noble[husband]
        self._children(
            h,
            born,
            mother=wife,
            father=husband,
            relation=children_relation,
            may_stay=may_stay,
            noble=father_noble,
        )
        return key

    def _intention(self, later_births: list[dt.date]) -> str:
        """What a couple says it wants, consistent with the births still to come: no more
        children once the family is complete (so more often with more children)."""
        soon, delay, no_more = _INTENTIONS_LATER
        if not later_births:
            soon, delay, no_more = _INTENTIONS_COMPLETE
        elif (later_births[0] - self.today).days - PREGNANCY_DAYS < 365:
            soon, delay, no_more = _INTENTIONS_SOON
        return traits.pick(
            self.rng,
            (
                (FertilityIntention.WANTS_CHILD_SOON, soon),
                (FertilityIntention.DELAY, delay),
                (FertilityIntention.NO_MORE, no_more),
            ),
        )

    def _pregnancy(
        self,
        couple: int,
        *,
        recorded: dt.date,
        expected: dt.date,
        ended: dt.date | None = None,
        outcome: str = "",
    ) -> None:
        self.pregnancies.append(
            PregnancyRow(
                key=len(self.pregnancies),
                couple_key=couple,
                recorded_on=recorded,
                expected_on=expected,
                ended_on=ended,
                outcome=outcome,
            )
        )

    def _miscarriage(
        self, couple: int, married_on: dt.date, born: list[dt.date], upcoming: list[dt.date]
    ) -> None:
        """A miscarriage in the last two years, between births."""
        rng, today = self.rng, self.today
        first = max(married_on + 60 * DAY, today - 730 * DAY)
        if born:
            first = max(first, born[-1] + 180 * DAY)
        last = today - 30 * DAY
        if upcoming:
            last = min(last, upcoming[0] - (PREGNANCY_DAYS + 30) * DAY)
        if first >= last:
            return
        ended = traits.between(rng, first, last)
        recorded = ended - rng.randint(20, 50) * DAY
        self._pregnancy(
            couple,
            recorded=recorded,
            expected=recorded + 220 * DAY,
            ended=ended,
            outcome=PregnancyOutcome.MISCARRIAGE,
        )

    def _earlier_divorce(
        self, h: _Household, wife: int, wife_birth: dt.date, married_on: dt.date
    ) -> int:
        """The wife's first, early marriage that ended in divorce; returns its children."""
        rng = self.rng
        before = married_on - 60 * DAY
        first = self._wedding(h, wife_birth, by=before)
        divorced = traits.between(rng, min(first + 180 * DAY, before), before)
        self._union(
            h,
            wife=wife,
            wife_birth=wife_birth,
            husband=None,
            married_on=first,
            wanted=rng.choice((0, 1, 1)),
            children_relation=Relation.CHILD,
            may_stay=False,
            status=CoupleStatus.DIVORCED,
            ended_on=max(divorced, first),
        )
        return len(self.couples[-1].births)

    def _children(
        self,
        h: _Household,
        births: Sequence[dt.date],
        *,
        mother: int | None,
        father: int | None,
        relation: str,
        may_stay: bool,
        noble: bool = False,
    ) -> None:
        """The children still at home. Married children have a family of their own, except one
        who may live on here with spouse and children; some grown children work away."""
        rng, today = self.rng, self.today
        stayed = False
        for birth in births:
            if birth > today:
                continue
            sex = Sex.MALE if rng.random() < 0.51 else Sex.FEMALE
            age = age_on(birth, today)
            if age >= 15:
                her_age = traits.first_marriage_age(rng, h.setting)
                gap = traits.husband_gap(rng) if sex == Sex.MALE else 0
                if age >= her_age + gap:
                    shares = _MARRIED_CHILD_STAYS.get(h.culture, _MARRIED_CHILD_STAYS_DEFAULT)
                    if may_stay and not stayed and rng.random() < shares[sex]:
                        self._married_child(h, birth, sex, her_age, gap, mother, father, noble)
                        stayed = True
                    continue
                if age >= 19 and rng.random() < 0.3:
                    continue
            self._person(
                h,
                sex=sex,
                birth=birth,
                relation=relation,
                status=MaritalStatus.SINGLE,
                mother=mother,
                father=father,
                noble=noble,
            )

    def _married_child(
        self,
        h: _Household,
        birth: dt.date,
        sex: str,
        her_age: int,
        gap: int,
        mother: int | None,
        father: int | None,
        noble: bool,
    ) -> None:
        rng, today = self.rng, self.today
        child = self._person(
            h,
            sex=sex,
            birth=birth,
            relation=Relation.CHILD,
            status=MaritalStatus.MARRIED,
            mother=mother,
            father=father,
            noble=noble,
        )
        if sex == Sex.MALE:
            wife_birth = min(traits.add_years(birth, gap) + rng.randint(0, 150) * DAY, today)
            spouse_birth = wife_birth
        else:
            wife_birth = birth
            spouse_birth = traits.add_years(birth, -gap) - rng.randint(0, 150) * DAY
        married_on = min(
            traits.married_at(rng, wife_birth, min(her_age, age_on(wife_birth, today)), today),
            today,
        )
        spouse = self._person(
            h,
            sex=Sex.FEMALE if sex == Sex.MALE else Sex.MALE,
            birth=spouse_birth,
            relation=Relation.CHILD_IN_LAW,
            status=MaritalStatus.MARRIED,
            moved_in=rng.random() < 0.35,
            culture=self._spouse_culture(h),
            noble=self._noble_draw(h) if sex == Sex.FEMALE else noble and rng.random() < 0.4,
        )
        wife, husband = (spouse, child) if sex == Sex.MALE else (child, spouse)
        self._union(
            h,
            wife=wife,
            wife_birth=wife_birth,
            husband=husband,
            married_on=married_on,
            wanted=traits.desired_children(rng, wife_birth.year),
            children_relation=Relation.GRANDCHILD,
            may_stay=False,
        )

    def _elders(
        self, h: _Household, child_birth: dt.date, relation: str
    ) -> tuple[int | None, int | None]:
        """The head's (or the wife's) widowed mother, widowed father or both parents.
        Returns their (mother, father) keys."""
        rng, today = self.rng, self.today
        mother_birth = traits.add_years(child_birth, -rng.randint(18, 36))
        mother_birth -= rng.randint(0, 300) * DAY
        if not 45 <= age_on(mother_birth, today) <= 92:
            return None, None
        married_on = self._wedding(h, mother_birth, by=child_birth)
        father_birth = self._husband_birth(mother_birth, married_on)
        form = traits.pick(rng, (("widow", 0.72), ("both", 0.15), ("widower", 0.13)))
        if form == "both" and age_on(father_birth, today) > 95:
            form = "widow"
        hajj = rng.random() < 2 * h.setting.hajj
        mother = father = None
        if form != "widower":
            mother = self._person(
                h,
                sex=Sex.FEMALE,
                birth=mother_birth,
                relation=relation,
                status=MaritalStatus.WIDOWED if form == "widow" else MaritalStatus.MARRIED,
                hajj=hajj,
                moved_in=rng.random() < 0.15,
            )
        if form != "widow":
            father = self._person(
                h,
                sex=Sex.MALE,
                birth=father_birth,
                relation=relation,
                status=MaritalStatus.MARRIED if form == "both" else MaritalStatus.WIDOWED,
                hajj=hajj,
                moved_in=rng.random() < 0.15,
            )
        if mother is not None:
            widowed = father is None
            self._union(
                h,
                wife=mother,
                wife_birth=mother_birth,
                husband=father,
                married_on=married_on,
                wanted=0,
                children_relation=Relation.OTHER_RELATIVE,
                may_stay=False,
                status=CoupleStatus.WIDOWED if widowed else CoupleStatus.MARRIED,
                ended_on=(
                    traits.between(rng, max(child_birth, married_on) + 365 * DAY, today)
                    if widowed
                    else None
                ),
            )
        return mother, father

    # --- people --------------------------------------------------------------------------------

    def _noble_draw(self, h: _Household) -> bool:
        noble = names.CULTURES[h.culture].noble
        return noble is not None and self.rng.random() < noble[2]

    def _spouse_culture(self, h: _Household) -> str:
        if len(h.setting.cultures) > 1 and self.rng.random() < 0.2:
            return traits.pick(self.rng, h.setting.cultures)
        return h.culture

    def _hajj(
        self, h: _Household, husband_birth: dt.date, wife_birth: dt.date
    ) -> tuple[bool, bool]:
        """Pilgrims among people over 40; couples mostly go together."""
        rng, today = self.rng, self.today
        husband_age = age_on(husband_birth, today)
        share = h.setting.hajj * (1.6 if husband_age >= 55 else 1.0)
        husband = husband_age >= 40 and rng.random() < share
        wife_old_enough = age_on(wife_birth, today) >= 40
        wife = wife_old_enough and rng.random() < (0.85 if husband else 0.2 * h.setting.hajj)
        return husband, wife

    def _person(
        self,
        h: _Household,
        *,
        sex: str,
        birth: dt.date,
        relation: str,
        status: str,
        mother: int | None = None,
        father: int | None = None,
        noble: bool = False,
        hajj: bool = False,
        moved_in: bool = False,
        culture: str | None = None,
        died_on: dt.date | None = None,
    ) -> int:
        rng, today = self.rng, self.today
        culture = culture or h.culture
        kecamatan, place = h.village.kecamatan, KECAMATAN[h.village.kecamatan]
        if moved_in:
            origins = h.setting.origins.get(culture) or h.setting.origins[h.culture]
            elsewhere = [o for o in origins if o[0] != kecamatan]
            kecamatan, place = rng.choice(elsewhere)
        age = age_on(birth, died_on or today)
        schooling = traits.education(rng, birth=birth, today=died_on or today)
        work = traits.occupation(
            rng,
            setting=h.setting,
            sex=sex,
            age=age,
            marital_status=status,
            schooling=schooling,
        )
        number = None
        if rng.random() >= _missing_nik_share(age):
            number = self.identity.nik(kecamatan=kecamatan, birth_date=birth, sex=sex)
        key = len(self.persons)
        self.persons.append(
            PersonRow(
                key=key,
                family_key=h.key,
                full_name=traits.full_name(
                    rng,
                    culture=names.CULTURES[culture],
                    sex=sex,
                    birth_year=birth.year,
                    noble=noble,
                    hajj=hajj,
                ),
                sex=sex,
                birth_date=birth,
                birth_place=place,
                relation_to_head=relation,
                marital_status=status,
                education=schooling,
                occupation=work,
                phone="" if died_on else traits.phone(rng, age=age),
                nik=number,
                mother_key=mother,
                father_key=father,
                died_on=died_on,
            )
        )
        self._noble.append(noble)
        h.members.append(key)
        return key

    # --- the family card -------------------------------------------------------------------------

    def _kk(self, h: _Household) -> str | None:
        """Issued in the family's kecamatan after its latest change (a birth, a marriage); a few
        families have no card yet."""
        rng, today = self.rng, self.today
        if rng.random() < 0.02:
            return None
        latest = max(self.persons[k].birth_date for k in h.members)
        if h.married_on is not None:
            latest = max(latest, h.married_on)
        issued = traits.between(rng, max(latest, today - 8 * 365 * DAY), today)
        return self.identity.kk(kecamatan=h.village.kecamatan, issued_on=issued)

    def _address(self, h: _Household) -> str:
        rng = self.rng
        rw, rt = h.rt_code.split(".")[-2:]
        if h.village.kind == Kind.KELURAHAN:
            return f"{rng.choice(STREETS)} No. {rng.randint(1, 120)}, RT {rt}/RW {rw}"
        return f"RT {rt}/RW {rw}, Desa {h.village.name}"
