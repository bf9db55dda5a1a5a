"""Given names for the synthetic population, by culture and generation.

Kota Bangun (Kutai Kartanegara) is mostly Kutai, with Banjar, Bugis and Javanese families;
Selong and Suralaga (Lombok Timur) are Sasak. Older generations carry the names of their time
(Sutrisno, Rusmini, Saparudin, Sahnim); people born from about 1990 mostly carry the
pan-Indonesian Muslim names of their time (Muhammad Rizky, Nabila Putri). Nobility is marked by
an inherited prefix (Sasak Lalu/Baiq, Bugis Andi, Kutai Aji, Banjar Gusti); pilgrims by H./Hj.

The lists are invented from common names; any resemblance to a real person is chance.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Culture:
    code: str
    male: tuple[str, ...]
    female: tuple[str, ...]
    # (prefix for men, prefix for women, share of families that carry it)
    noble: tuple[str, str, float] | None = None


def _names(text: str) -> tuple[str, ...]:
    """A comma-separated list, so that the lists stay compact under the formatter."""
    return tuple(name.strip() for name in text.split(",") if name.strip())


KUTAI = Culture(
    code="kutai",
    male=_names(
        """
    Aspiannur, Syahrani, Jumransyah, Herliansyah, Rusdiansyah, Muhammad Aini, Abdul Kadir,
    Ismail, Jailani, Bahtiar, Zainal Abidin, Masrani, Idrus, Sahrani, Arbain, Junaidi,
    Sulaiman, Hamdani, Rahmadi, Yusransyah, Adriansyah, Fahrudin, Mahyudin, Saipul Bahri,
    Kaharuddin, Ardiansyah
    """
    ),
    female=_names(
        """
    Norhayati, Saidah, Rusmini, Arbainah, Jamilah, Masniah, Hamsiah, Rusdiana, Syamsiah,
    Fatimah, Salmah, Nurjannah, Mastiah, Rabiatul, Hasnah, Mariam, Rohani, Sariah, Juliana,
    Aminah, Hartini, Sumiati, Rahmawati, Nurhasanah, Siti Maimunah
    """
    ),
    noble=("Aji", "Aji", 0.05),
)

BANJAR = Culture(
    code="banjar",
    male=_names(
        """
    Ahmad Rifani, Muhammad Noor, Fahriannor, Hairil, Abdul Hadi, Gazali, Syarifuddin,
    Mahlan, Jumberi, Taufikurrahman, Rusmadi, Akhmad Yani, Basransyah, Hamberi, Irhamni,
    Mursyid, Khairullah, Rahmatullah, Saberi, Jainudin, Mukhlis, Nooriansyah
    """
    ),
    female=_names(
        """
    Noorhayati, Mariyani, Siti Rahmah, Raudah, Masitah, Hamidah, Jumiati, Rusmiati,
    Halimatussa'diah, Nurbayah, Mahmudah, Inah, Saudah, Rabiah, Ijah, Salasiah, Hafsah,
    Nurjanah, Mardiana, Zubaidah
    """
    ),
    noble=("Gusti", "Gusti", 0.04),
)

BUGIS = Culture(
    code="bugis",
    male=_names(
        """
    Syamsuddin, Muhammad Arsyad, Hasanuddin, Baso, Sattu, Amiruddin, Abdul Rahman,
    Nasrullah, Muhammad Said, Arifin, Syahrir, Jamaluddin, Ambo Tang, Baharuddin,
    Muhammad Yusuf, Ridwan, Nurdin, Haruna, Sudirman, Rustam, Mappiare, Alimuddin
    """
    ),
    female=_names(
        """
    Hasnah, Nurhayati, Sitti Aisyah, Hasriani, Nurlina, Becce, Rahmatia, Sitti Hawang,
    Hasmawati, Nurhaeda, Indo Tang, Rosmini, Hadijah, Marlina, Nurbaya, Suriani, Megawati,
    Sitti Rahma, Hamsinah, Irmawati
    """
    ),
    noble=("Andi", "Andi", 0.12),
)

JAWA = Culture(
    code="jawa",
    male=_names(
        """
    Sutrisno, Slamet, Bambang, Joko Susilo, Agus Priyanto, Teguh, Wahyudi, Sugiyanto,
    Suparman, Heru Santoso, Tri Wibowo, Budi Santoso, Sukirno, Mujiono, Edi Purnomo,
    Supriyadi, Sumarno, Eko Prasetyo, Dwi Hartono, Yanto, Parjo, Sutarman
    """
    ),
    female=_names(
        """
    Sri Wahyuni, Sulastri, Sumiati, Dwi Lestari, Tri Handayani, Endang, Suparmi, Sukarsih,
    Wartini, Siti Aminah, Puji Astuti, Sri Rahayu, Ngatini, Tumini, Sunarti, Rini Susanti,
    Suprihatin, Kasiyem, Winarsih, Yuliani
    """
    ),
)

SASAK = Culture(
    code="sasak",
    male=_names(
        """
    Muhammad Zainul, Ahmad Sahnan, Saparudin, Sapriadi, Muhalip, Rusdi, Sahabudin,
    Hasanudin, Zulkifli, Mahsun, Supardi, Jumaidi, Muhsin, Hirsan, Sahnun, Subhan, Ahmad,
    Muhammad, Amrullah, Sahlan, Zaenudin, Lukmanul Hakim, Muhammad Yasin, Rusnan, Hambali,
    Kamarudin, Satriawan, Samsul Hadi, Mustiadi, Hairul Anwar
    """
    ),
    female=_names(
        """
    Siti Aisyah, Nurul Hidayati, Saripah, Sahnim, Rukmini, Hurniati, Sumiati, Rohani,
    Nurhasanah, Rahmawati, Mahnim, Halimah, Suhartini, Muniarti, Nurjannah, Zaenab,
    Maesarah, Siti Hajar, Nurul Aini, Sri Wahyuni, Sahniwati, Saenah, Murniati,
    Siti Rohmi, Rabiatul Adawiyah, Nurmiati, Sapiah, Marhamah
    """
    ),
    noble=("Lalu", "Baiq", 0.15),
)

CULTURES: dict[str, Culture] = {c.code: c for c in (KUTAI, BANJAR, BUGIS, JAWA, SASAK)}

# People born from about 1990: names of their generation, shared across the archipelago.
MODERN_MALE_FIRST = _names(
    """
    Muhammad, Ahmad, Rizky, Fajar, Dimas, Farhan, Raka, Rafi, Fathan, Arkan, Alif, Zaki,
    Reza, Aditya, Bayu, Ilham, Habibi, Nabil, Azka, Fikri, Rendi, Yoga, Gilang, Hafiz
    """
)
MODERN_MALE_SECOND = _names(
    """
    Rizky, Ramadhan, Pratama, Saputra, Hidayat, Maulana, Firmansyah, Akbar, Alfarizi,
    Fauzan, Syahputra, Hakim, Kurniawan, Aditya, Wijaya, Ar-Rasyid
    """
)
MODERN_FEMALE_FIRST = _names(
    """
    Nabila, Aisyah, Zahra, Alya, Keysha, Nayla, Salsabila, Dinda, Putri, Siti, Nurul,
    Annisa, Fitri, Indah, Rahma, Aulia, Syifa, Zaskia, Naura, Khairunnisa, Azzahra, Wulan,
    Rina, Dewi
    """
)
MODERN_FEMALE_SECOND = _names(
    """
    Putri, Ramadhani, Rahmawati, Azzahra, Lestari, Safitri, Nuraini, Maharani, Anggraini,
    Fitriani, Kurniasih, Khairunnisa, Amelia, Wulandari, Hidayah
    """
)

# The pilgrimage title, written before the name (and before a noble prefix).
HAJJ_MALE = "H."
HAJJ_FEMALE = "Hj."
