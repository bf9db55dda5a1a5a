from kampungkb.core.errors import Problem


class KampungProblem(Problem):
    VILLAGE_LEVEL = (
        "kampung.village_level",
        "Kampung KB harus berada di sebuah desa/kelurahan.",
        "A Kampung KB must be in a village (desa/kelurahan).",
    )
    ALREADY_IN_VILLAGE = (
        "kampung.already_in_village",
        "Desa {village} sudah memiliki Kampung KB aktif: {name}.",
        "The village {village} already has an active Kampung KB: {name}.",
    )
    RW_OUTSIDE_VILLAGE = (
        "kampung.rw_outside_village",
        "{area} bukan RW/dusun di desa ini.",
        "{area} is not an RW/dusun of this village.",
    )
    CRITERION_UNKNOWN = (
        "kampung.criterion_unknown",
        "Kriteria tidak dikenal: {value}.",
        "Unknown criterion: {value}.",
    )
    FLAG_UNKNOWN = (
        "kampung.flag_unknown",
        "Penanda model tidak dikenal: {value}.",
        "Unknown model flag: {value}.",
    )
    COORDINATES_PAIR = (
        "kampung.coordinates_pair",
        "Isi lintang dan bujur bersama-sama, atau kosongkan keduanya.",
        "Give both latitude and longitude, or neither.",
    )
    LATITUDE_RANGE = (
        "kampung.latitude_range",
        "Lintang harus antara -90 dan 90.",
        "The latitude must be between -90 and 90.",
    )
    LONGITUDE_RANGE = (
        "kampung.longitude_range",
        "Bujur harus antara -180 dan 180.",
        "The longitude must be between -180 and 180.",
    )
    DECLARED_IN_FUTURE = (
        "kampung.declared_in_future",
        "Tanggal pencanangan tidak boleh di masa depan.",
        "The declaration date cannot be in the future.",
    )
    NOT_ACTIVE = (
        "kampung.not_active",
        "Kampung KB ini tidak aktif; profilnya tidak dapat diubah.",
        "This Kampung KB is not active; its profile cannot be changed.",
    )
    MONTH_BEFORE_DECLARATION = (
        "kampung.month_before_declaration",
        "Bulan {month} sebelum Kampung KB dicanangkan ({declared}).",
        "The month {month} is before the Kampung KB was declared ({declared}).",
    )
    MONTH_IN_FUTURE = (
        "kampung.month_in_future",
        "Profil bulan yang akan datang ({month}) belum dapat diisi.",
        "A profile of a future month ({month}) cannot be filled in yet.",
    )
    FUNDING_UNKNOWN = (
        "kampung.funding_unknown",
        "Sumber dana tidak dikenal: {value}.",
        "Unknown funding source: {value}.",
    )
    DATA_SOURCE_UNKNOWN = (
        "kampung.data_source_unknown",
        "Sumber data tidak dikenal: {value}.",
        "Unknown data source: {value}.",
    )
    POKJA_DETAILS_WITHOUT_POKJA = (
        "kampung.pokja_details_without_pokja",
        "SK, pelatihan dan anggota Pokja hanya diisi bila Pokja sudah ada.",
        "The Pokja's decree, training and members are given only when a Pokja exists.",
    )
    PKB_NOT_OFFICER = (
        "kampung.pkb_not_officer",
        "{user} bukan PKB/PLKB yang bertugas di desa ini.",
        "{user} is not a PKB/PLKB officer serving this village.",
    )
    NO_RULES = (
        "kampung.no_rules",
        "Belum ada aturan klasifikasi yang berlaku untuk bulan {month}.",
        "No classification rules are in force for the month {month}.",
    )
    CLASS_QUERY = (
        "kampung.class_query",
        "Kelas {value} tidak dikenal; pilihan: {choices}.",
        "The class {value} is unknown; choices: {choices}.",
    )
    BAD_MONTH = (
        "kampung.bad_month",
        "Bulan harus ditulis TTTT-BB, misalnya 2025-06.",
        "The month must be written YYYY-MM, e.g. 2025-06.",
    )
