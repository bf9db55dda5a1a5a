from kampungkb.core.errors import Problem


class BrideProblem(Problem):
    NAME_REQUIRED = (
        "bride.name_required",
        "Tuliskan nama calon pengantin perempuan dan laki-laki.",
        "Write the names of the bride and the groom.",
    )
    WEDDING_BEFORE_REGISTRATION = (
        "bride.wedding_before_registration",
        "Tanggal pernikahan ({wedding}) tidak boleh sebelum tanggal pendaftaran ({registered}).",
        "The wedding date ({wedding}) cannot be before the registration date ({registered}).",
    )
    REGISTERED_IN_FUTURE = (
        "bride.registered_in_future",
        "Tanggal pendaftaran atau pemeriksaan tidak boleh di masa depan.",
        "The registration or screening date cannot be in the future.",
    )
    BIRTH_DATE = (
        "bride.birth_date",
        "Tanggal lahir harus sebelum tanggal pernikahan dan umur di bawah 60 tahun.",
        "The birth date must come before the wedding and the age be under 60.",
    )
    NIK = (
        "bride.nik",
        "NIK harus 16 angka.",
        "The NIK must be 16 digits.",
    )
    AREA_LEVEL = (
        "bride.area_level",
        "Pilih desa/kelurahan (atau RW/RT) tempat tinggal calon pengantin.",
        "Choose the village (or RW/RT) where the bride-to-be lives.",
    )
    VALUE_RANGE = (
        "bride.value_range",
        "{what}: {value} di luar batas wajar ({low}-{high}).",
        "{what}: {value} is outside the plausible range ({low}-{high}).",
    )
    SCREENED_BEFORE_REGISTRATION = (
        "bride.screened_before_registration",
        "Tanggal pemeriksaan ({date}) sebelum tanggal pendaftaran ({registered}).",
        "The screening date ({date}) is before the registration ({registered}).",
    )
    MARRIED_BEFORE_REGISTRATION = (
        "bride.married_before_registration",
        "Tanggal pernikahan tidak boleh sebelum pendaftaran atau di masa depan.",
        "The marriage date cannot be before the registration or in the future.",
    )
