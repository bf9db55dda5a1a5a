"""Ship the default survey instrument in Bahasa Indonesia (decision 0031): five statements per
dimension of participation (interest, activeness, contribution; the last of each reverse-scored)
and one per barrier of the catalogue (the community barriers and the cadre barriers; "other" has
no statement). The texts are frozen here: a later change is a new version of the instrument.
Reversing leaves the instrument (surveys may use it)."""

from typing import Any

from django.db import migrations

NAME = "Partisipasi Masyarakat dalam Program KB"
DESCRIPTION = (
    "Kuesioner baku kampungkb: minat, keaktifan dan kontribusi dalam program Bangga Kencana, "
    "serta hambatan yang dirasakan. Skala Likert 1-5 (sangat tidak setuju sampai sangat setuju)."
)

# (code, dimension, barrier, reverse, text in Bahasa Indonesia, text in English)
ITEMS: list[tuple[str, str, str, bool, str, str]] = [
    (
        "m1",
        "interest",
        "",
        False,
        "Saya ingin mengetahui lebih banyak tentang alat dan cara KB.",
        "I want to know more about family-planning methods.",
    ),
    (
        "m2",
        "interest",
        "",
        False,
        "Saya bersedia datang ke penyuluhan KB di desa atau kelurahan saya.",
        "I am willing to attend family-planning counselling in my village.",
    ),
    (
        "m3",
        "interest",
        "",
        False,
        "Saya berminat memakai atau terus memakai alat kontrasepsi untuk mengatur jarak kelahiran.",
        "I want to use, or keep using, a contraceptive to space births.",
    ),
    (
        "m4",
        "interest",
        "",
        False,
        "Penjelasan dari kader dan petugas KB membuat saya tertarik ikut program KB.",
        "What cadres and field officers explain makes me interested in family planning.",
    ),
    (
        "m5",
        "interest",
        "",
        True,
        "Program KB tidak ada manfaatnya bagi keluarga saya.",
        "Family planning is of no use to my family.",
    ),
    (
        "a1",
        "activeness",
        "",
        False,
        "Saya rutin ikut kegiatan Posyandu, BKB, BKR, BKL atau UPPKA di lingkungan saya.",
        "I regularly take part in Posyandu, BKB, BKR, BKL or UPPKA groups near me.",
    ),
    (
        "a2",
        "activeness",
        "",
        False,
        "Saya memakai alat kontrasepsi secara teratur sesuai anjuran bidan atau petugas.",
        "I use a contraceptive regularly as the midwife or officer advises.",
    ),
    (
        "a3",
        "activeness",
        "",
        False,
        "Saya memeriksakan diri secara berkala ke bidan, puskesmas atau dokter.",
        "I have regular check-ups with a midwife, at the puskesmas or with a doctor.",
    ),
    (
        "a4",
        "activeness",
        "",
        False,
        "Saya hadir dalam kegiatan Kampung KB bila diundang.",
        "I attend Kampung KB activities when invited.",
    ),
    (
        "a5",
        "activeness",
        "",
        True,
        "Saya jarang ikut kegiatan KB walaupun jadwalnya sudah diumumkan.",
        "I rarely join family-planning activities even when they are announced.",
    ),
    (
        "k1",
        "contribution",
        "",
        False,
        "Saya bersedia meluangkan waktu dan tenaga untuk kegiatan Kampung KB.",
        "I am willing to give time and labour to Kampung KB activities.",
    ),
    (
        "k2",
        "contribution",
        "",
        False,
        "Saya pernah menyampaikan usul atau gagasan untuk kegiatan KB di lingkungan saya.",
        "I have put forward ideas for family-planning activities near me.",
    ),
    (
        "k3",
        "contribution",
        "",
        False,
        "Saya bersedia menyumbang uang atau barang untuk kegiatan KB bila diperlukan.",
        "I am willing to give money or goods to family-planning activities when needed.",
    ),
    (
        "k4",
        "contribution",
        "",
        False,
        "Saya bersedia menjadi kader KB atau membantu kader di lingkungan saya.",
        "I am willing to become a cadre or to help the cadres near me.",
    ),
    (
        "k5",
        "contribution",
        "",
        True,
        "Urusan kegiatan KB cukup diserahkan kepada kader dan petugas saja.",
        "Family-planning activities are for the cadres and officers alone to run.",
    ),
    (
        "h_agama",
        "",
        "religious_belief",
        False,
        "Menurut agama saya, KB itu dilarang.",
        "My religion forbids family planning.",
    ),
    (
        "h_rejeki",
        "",
        "myth_many_children",
        False,
        "Banyak anak banyak rejeki.",
        "Many children, many blessings.",
    ),
    (
        "h_efek",
        "",
        "side_effects",
        False,
        "Saya takut efek samping alat kontrasepsi.",
        "I am afraid of the side effects of contraceptives.",
    ),
    (
        "h_suami",
        "",
        "husband_objects",
        False,
        "Suami atau keluarga saya tidak setuju saya ber-KB.",
        "My husband or family does not agree that I use family planning.",
    ),
    (
        "h_anak",
        "",
        "wants_more_children",
        False,
        "Saya masih ingin menambah anak dalam waktu dekat.",
        "I want another child soon.",
    ),
    (
        "h_akses",
        "",
        "access",
        False,
        "Tempat pelayanan KB jauh atau sulit dijangkau dari rumah saya.",
        "Family-planning services are far or hard to reach from my home.",
    ),
    (
        "h_biaya",
        "",
        "cost",
        False,
        "Biaya pelayanan KB terlalu mahal bagi keluarga saya.",
        "Family-planning services cost too much for my family.",
    ),
    (
        "h_info",
        "",
        "no_information",
        False,
        "Saya jarang mendapat informasi tentang program KB.",
        "I seldom get information about the family-planning programme.",
    ),
    (
        "h_kader_tahu",
        "",
        "lack_of_knowledge",
        False,
        "Kader KB di lingkungan saya kurang menguasai pengetahuan tentang alat dan cara KB.",
        "The cadres near me know too little about the methods.",
    ),
    (
        "h_kader_insentif",
        "",
        "no_incentive",
        False,
        "Kader KB tidak mendapat imbalan yang layak atas kerjanya.",
        "Cadres get no fair reward for their work.",
    ),
    (
        "h_kader_keluarga",
        "",
        "family_no_support",
        False,
        "Keluarga para kader kurang mendukung kegiatan kader KB.",
        "Cadres' families do not support their work.",
    ),
]


def load_default(instrument_model: Any, item_model: Any) -> Any:
    """Write the default instrument (unless one exists) with the migration's or the real models;
    the test world and the demo call it again after a flush."""
    found = instrument_model.objects.filter(name=NAME, version=1).first()
    if found is not None:
        return found
    instrument = instrument_model.objects.create(
        name=NAME, description=DESCRIPTION, version=1, is_default=True
    )
    item_model.objects.bulk_create(
        item_model(
            instrument=instrument,
            order=order,
            code=code,
            dimension=dimension,
            barrier=barrier,
            reverse=reverse,
            text=text,
            text_en=text_en,
        )
        for order, (code, dimension, barrier, reverse, text, text_en) in enumerate(ITEMS, 1)
    )
    return instrument


def add_default(apps: Any, schema_editor: Any) -> None:
    load_default(
        apps.get_model("participation", "Instrument"), apps.get_model("participation", "Item")
    )


class Migration(migrations.Migration):
    dependencies = [("participation", "0001_surveys_and_notes")]

    operations = [migrations.RunPython(add_default, migrations.RunPython.noop)]
