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
    CANCEL_DATE = (
        "bride.cancel_date",
        "Tanggal pembatalan ({date}) tidak boleh sebelum pendaftaran ({registered}) atau di masa "
        "depan.",
        "The cancellation date ({date}) cannot be before the registration ({registered}) or in the "
        "future.",
    )
    CANCEL_REASON = (
        "bride.cancel_reason",
        "Pilih alasan pembatalan.",
        "Choose why the registration is cancelled.",
    )
    CANCEL_MARRIED = (
        "bride.cancel_married",
        "Pernikahan {name} sudah dicatat pada {date}: pendaftaran yang sudah menikah tidak "
        "dibatalkan.",
        "The wedding of {name} was recorded on {date}: a registration that married is not "
        "cancelled.",
    )
    ALREADY_CANCELLED = (
        "bride.already_cancelled",
        "Pendaftaran sudah dibatalkan pada {date}.",
        "The registration was already cancelled on {date}.",
    )
    NOT_CANCELLED = (
        "bride.not_cancelled",
        "Pendaftaran ini tidak dibatalkan: tidak ada yang dibuka kembali.",
        "This registration is not cancelled: there is nothing to reopen.",
    )
    CANCELLED = (
        "bride.cancelled",
        "Pendaftaran calon pengantin {name} dibatalkan pada {date}: buka kembali dulu di "
        "halamannya bila masih perlu didampingi.",
        "The registration of {name} was cancelled on {date}: reopen it on her page first if she "
        "is still to be accompanied.",
    )
    STATUS_INVALID = (
        "bride.status_invalid",
        "Status {value} tidak dikenal; pilihan: {choices}.",
        "Unknown status {value}; choose one of: {choices}.",
    )
