from kampungkb.core.errors import Problem


class FamilyProblem(Problem):
    NIK_FORMAT = (
        "family.nik_format",
        "NIK harus terdiri dari 16 digit angka.",
        "A NIK must be exactly 16 digits.",
    )
    NIK_REGION = (
        "family.nik_region",
        "Kode wilayah {region} pada NIK tidak dikenal (6 digit pertama harus kode kecamatan).",
        "The region code {region} in the NIK is unknown (the first 6 digits must be a kecamatan).",
    )
    NIK_SERIAL = (
        "family.nik_serial",
        "Nomor urut NIK (4 digit terakhir) tidak boleh 0000.",
        "The NIK serial (last 4 digits) cannot be 0000.",
    )
    NIK_DATE = (
        "family.nik_date",
        "Tanggal lahir pada NIK (digit 7-12) bukan tanggal yang valid.",
        "The birth date in the NIK (digits 7-12) is not a valid date.",
    )
    NIK_BIRTH_DATE_MISMATCH = (
        "family.nik_birth_date_mismatch",
        "Tanggal lahir pada NIK ({nik_date}) tidak sama dengan tanggal lahir {birth_date}.",
        "The birth date in the NIK ({nik_date}) does not match the birth date {birth_date}.",
    )
    NIK_SEX_MISMATCH = (
        "family.nik_sex_mismatch",
        "NIK menunjukkan jenis kelamin {nik_sex}, tetapi data tercatat {sex} "
        "(untuk perempuan tanggal lahir ditambah 40).",
        "The NIK says {nik_sex} but the record says {sex} "
        "(for women, 40 is added to the day of birth).",
    )
    NIK_DUPLICATE = (
        "family.nik_duplicate",
        "NIK {nik} sudah terdaftar.",
        "NIK {nik} is already registered.",
    )
    KK_FORMAT = (
        "family.kk_format",
        "Nomor KK harus terdiri dari 16 digit angka.",
        "A family card (KK) number must be exactly 16 digits.",
    )
    KK_REGION = (
        "family.kk_region",
        "Kode provinsi {province} pada nomor KK tidak dikenal.",
        "The province code {province} in the KK number is unknown.",
    )
    KK_DUPLICATE = (
        "family.kk_duplicate",
        "Nomor KK {kk} sudah terdaftar.",
        "Family card number {kk} is already registered.",
    )
    BIRTH_IN_FUTURE = (
        "family.birth_in_future",
        "Tanggal lahir tidak boleh di masa depan.",
        "The birth date cannot be in the future.",
    )
    BIRTH_TOO_EARLY = (
        "family.birth_too_early",
        "Tanggal lahir sebelum tahun 1900 tidak diterima.",
        "Birth dates before 1900 are not accepted.",
    )
    DATE_IN_FUTURE = (
        "family.date_in_future",
        "Tanggal tidak boleh di masa depan.",
        "The date cannot be in the future.",
    )
    DATE_BEFORE_BIRTH = (
        "family.date_before_birth",
        "Tanggal tidak boleh sebelum tanggal lahir {name}.",
        "The date cannot be before {name} was born.",
    )
    AREA_LEVEL = (
        "family.area_level",
        "Alamat keluarga harus berada di desa/kelurahan, dusun/RW atau RT.",
        "A family's address must be a village, hamlet/RW or RT.",
    )
    WIFE_SEX = (
        "family.wife_sex",
        "Istri harus perempuan.",
        "The wife must be a woman.",
    )
    HUSBAND_SEX = (
        "family.husband_sex",
        "Suami harus laki-laki.",
        "The husband must be a man.",
    )
    WIFE_TOO_YOUNG = (
        "family.wife_too_young",
        "Istri berumur {age} tahun pada tanggal pernikahan; di bawah 10 tahun ditolak.",
        "The wife was {age} on the marriage date; under 10 is refused.",
    )
    ALREADY_MARRIED = (
        "family.already_married",
        "{name} masih tercatat menikah.",
        "{name} is still recorded as married.",
    )
    NOT_ALIVE = (
        "family.not_alive",
        "{name} tercatat telah meninggal.",
        "{name} is recorded as deceased.",
    )
    COUPLE_NOT_MARRIED = (
        "family.couple_not_married",
        "Pasangan ini tidak lagi berstatus menikah.",
        "This couple is no longer married.",
    )
    END_BEFORE_MARRIAGE = (
        "family.end_before_marriage",
        "Tanggal berakhir tidak boleh sebelum tanggal pernikahan.",
        "The end date cannot be before the marriage date.",
    )
    ALREADY_PREGNANT = (
        "family.already_pregnant",
        "Kehamilan yang sedang berjalan sudah tercatat untuk pasangan ini.",
        "An ongoing pregnancy is already recorded for this couple.",
    )
    NO_OPEN_PREGNANCY = (
        "family.no_open_pregnancy",
        "Tidak ada kehamilan yang sedang berjalan.",
        "There is no ongoing pregnancy.",
    )
    EXPECTED_BEFORE_RECORDED = (
        "family.expected_before_recorded",
        "Perkiraan tanggal persalinan tidak boleh sebelum tanggal pencatatan.",
        "The expected delivery date cannot be before the date recorded.",
    )
    MOTHER_TOO_YOUNG = (
        "family.mother_too_young",
        "Ibu baru berumur {age} tahun pada tanggal lahir anak; periksa tanggal lahir.",
        "The mother was only {age} on the child's birth date; check the dates.",
    )
    MOTHER_NOT_WOMAN = (
        "family.mother_not_woman",
        "Ibu harus perempuan.",
        "The mother must be a woman.",
    )
    ONE_HEAD = (
        "family.one_head",
        "Keluarga sudah memiliki kepala keluarga.",
        "The family already has a head.",
    )
    SAME_FAMILY = (
        "family.same_family",
        "Orang ini sudah menjadi anggota keluarga tersebut.",
        "This person is already a member of that family.",
    )
    HEAD_CANNOT_LEAVE = (
        "family.head_cannot_leave",
        "Kepala keluarga tidak dapat pindah sendiri; pindahkan seluruh keluarga atau ganti kepala "
        "keluarga dahulu.",
        "The head cannot move alone; move the whole family or change the head first.",
    )
    BIRTH_AFTER_DEATH = (
        "family.birth_after_death",
        "Tanggal lahir tidak boleh setelah tanggal meninggal {name}.",
        "The birth date cannot be after {name} died.",
    )
    MARRIAGE_OVERLAP = (
        "family.marriage_overlap",
        "{name} masih tercatat menikah sampai {date}; tanggal pernikahan baru tidak boleh "
        "sebelumnya.",
        "{name} is recorded as married until {date}; a new marriage cannot start before that.",
    )
    OUTCOME_REQUIRED = (
        "family.outcome_required",
        "Hasil akhir kehamilan wajib diisi.",
        "The outcome of the pregnancy is required.",
    )
    INACTIVE = (
        "family.inactive",
        "Data ini sudah dinonaktifkan.",
        "This record has been deactivated.",
    )
    HOUSING_DATE_IN_FUTURE = (
        "family.housing_date_in_future",
        "Tanggal pendataan rumah tidak boleh di masa depan.",
        "The date the house was recorded cannot be in the future.",
    )
    SEPTIC_TANK_WITHOUT_LATRINE = (
        "family.septic_tank_without_latrine",
        "Keluarga tanpa jamban tidak memiliki tangki septik sendiri.",
        "A family without a latrine has no septic tank of its own.",
    )
    FLOOR_AREA_NOT_POSITIVE = (
        "family.floor_area_not_positive",
        "Luas lantai harus lebih dari 0 m².",
        "The floor area must be more than 0 m².",
    )
