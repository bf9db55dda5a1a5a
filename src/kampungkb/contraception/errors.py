from kampungkb.core.errors import Problem


class ContraceptionProblem(Problem):
    DATE_IN_FUTURE = (
        "contraception.date_in_future",
        "Tanggal kunjungan tidak boleh di masa depan.",
        "The visit date cannot be in the future.",
    )
    NOT_MARRIED_ON_DATE = (
        "contraception.not_married_on_date",
        "Pasangan ini tidak berstatus menikah pada tanggal {date}.",
        "This couple was not married on {date}.",
    )
    WIFE_NOT_ALIVE = (
        "contraception.wife_not_alive",
        "Istri tercatat telah meninggal sebelum tanggal {date}.",
        "The wife is recorded as deceased before {date}.",
    )
    METHOD_INACTIVE = (
        "contraception.method_inactive",
        "Metode {method} tidak aktif lagi di katalog.",
        "The method {method} is no longer active in the catalogue.",
    )
    CONSENT_REQUIRED = (
        "contraception.consent_required",
        "Metode {method} wajib disertai persetujuan tindakan medis (informed consent).",
        "The method {method} requires recorded informed consent.",
    )
    METHOD_NOT_IN_USE = (
        "contraception.method_not_in_use",
        "Pada tanggal {date} pasangan ini tidak sedang memakai {method}.",
        "On {date} this couple was not using {method}.",
    )
    STOP_REASON_NOT_ALLOWED = (
        "contraception.stop_reason_not_allowed",
        "Alasan berhenti hanya diisi untuk pencabutan/berhenti atau efek samping.",
        "A reason for stopping goes only with a removal/stop or a side effect.",
    )
    FACILITY_INACTIVE = (
        "contraception.facility_inactive",
        "Faskes {facility} tidak aktif.",
        "The facility {facility} is inactive.",
    )
    FACILITY_CODE_DUPLICATE = (
        "contraception.facility_code_duplicate",
        "Kode faskes {code} sudah terdaftar.",
        "The facility code {code} is already registered.",
    )
    FOLLOW_UP_DATE_IN_FUTURE = (
        "contraception.follow_up_date_in_future",
        "Tanggal tindak lanjut tidak boleh di masa depan.",
        "The follow-up date cannot be in the future.",
    )
    BARRIER_REQUIRED = (
        "contraception.barrier_required",
        "Jika pasangan menolak, sebutkan hambatannya.",
        "When the couple refuses, say what stands in the way.",
    )
    BARRIER_NOT_ALLOWED = (
        "contraception.barrier_not_allowed",
        "Hambatan hanya diisi jika pasangan menolak.",
        "A barrier goes only with a refusal.",
    )
    EPISODE_OTHER_COUPLE = (
        "contraception.episode_other_couple",
        "Episode pemakaian ini bukan milik pasangan tersebut.",
        "This episode of use belongs to another couple.",
    )
    VERIFICATION_UNKNOWN = (
        "contraception.verification_unknown",
        "Kunjungan diverifikasi atau ditolak.",
        "A visit is verified or rejected.",
    )
    VERIFICATION_REASON_REQUIRED = (
        "contraception.verification_reason_required",
        "Tuliskan alasan penolakan kunjungan.",
        "Write why the visit is rejected.",
    )
    VERIFY_OWN_VISIT = (
        "contraception.verify_own_visit",
        "Kunjungan yang Anda catat sendiri diverifikasi oleh orang lain.",
        "A visit you recorded yourself is verified by someone else.",
    )
    NOTHING_TO_VERIFY = (
        "contraception.nothing_to_verify",
        "Pilih sedikitnya satu kunjungan.",
        "Choose at least one visit.",
    )
