from kampungkb.core.errors import Problem


class ActivityProblem(Problem):
    DATE_IN_FUTURE = (
        "activity.date_in_future",
        "Tanggal kegiatan tidak boleh di masa depan; catat kegiatan setelah dilaksanakan.",
        "The activity date cannot be in the future; record an activity once it has been held.",
    )
    DATE_TOO_EARLY = (
        "activity.date_too_early",
        "Tanggal sebelum tahun 2000 tidak diterima.",
        "Dates before 2000 are not accepted.",
    )
    AREA_NOT_FOUND = (
        "activity.area_not_found",
        "Wilayah {code} tidak ditemukan di wilayah kerja Anda.",
        "The area {code} is not found among your areas.",
    )
    AREA_REQUIRED = (
        "activity.area_required",
        "Tempat (wilayah) kegiatan wajib diisi.",
        "The area of the activity is required.",
    )
    AREA_LEVEL = (
        "activity.area_level",
        "Tempat kegiatan harus kecamatan, desa/kelurahan, dusun/RW atau RT.",
        "An activity takes place in a sub-district, village, hamlet/RW or RT.",
    )
    POKTAN_REQUIRED = (
        "activity.poktan_required",
        "Pertemuan poktan harus menyebut poktannya.",
        "A poktan session must name its poktan.",
    )
    POKTAN_ONLY_FOR_SESSIONS = (
        "activity.poktan_only_for_sessions",
        "Poktan hanya diisi untuk jenis kegiatan pertemuan poktan.",
        "A poktan is named only for a poktan session.",
    )
    POKTAN_OTHER_VILLAGE = (
        "activity.poktan_other_village",
        "Poktan {name} berada di desa lain; pertemuannya harus diadakan di wilayah poktan itu.",
        "The poktan {name} belongs to another village; its session must be held in its area.",
    )
    POKTAN_INACTIVE = (
        "activity.poktan_inactive",
        "Poktan {name} sudah tidak aktif.",
        "The poktan {name} is no longer active.",
    )
    TARGET_GROUP_UNKNOWN = (
        "activity.target_group_unknown",
        "Kelompok sasaran {value} tidak dikenal.",
        "The target group {value} is unknown.",
    )
    FUNDING_WITHOUT_SOURCE = (
        "activity.funding_without_source",
        "Sebutkan sumber dana untuk jumlah dana yang diisi.",
        "Name the funding source of the amount given.",
    )
    NOT_ALLOWED_TO_DELETE = (
        "activity.not_allowed_to_delete",
        "Kegiatan hanya dapat dihapus oleh petugas (PKB atau dinas) atau oleh pencatatnya.",
        "An activity can be deleted only by an officer (PKB or district) or by whoever "
        "recorded it.",
    )
    PERSON_NOT_FOUND = (
        "activity.person_not_found",
        "Orang dengan nomor {ids} tidak ditemukan di wilayah kerja Anda.",
        "No person with the numbers {ids} is found in your areas.",
    )
    PERSON_NOT_LIVING = (
        "activity.person_not_living",
        "{name} tidak lagi tercatat sebagai warga aktif yang masih hidup.",
        "{name} is no longer recorded as a living, active resident.",
    )
    COUNT_NEGATIVE = (
        "activity.count_negative",
        "Jumlah hadir tidak boleh kurang dari nol.",
        "An attendance count cannot be below zero.",
    )
    COUNT_GROUP_UNKNOWN = (
        "activity.count_group_unknown",
        "Jenis kelamin {sex} atau kelompok umur {age_group} tidak dikenal.",
        "The sex {sex} or age group {age_group} is unknown.",
    )
    CONTRIBUTOR_REQUIRED = (
        "activity.contributor_required",
        "Sebutkan siapa yang berkontribusi: peserta yang hadir atau nama/keterangan.",
        "Say who contributed: an attendee or a name/description.",
    )
    CONTRIBUTOR_NOT_ATTENDEE = (
        "activity.contributor_not_attendee",
        "{name} tidak tercatat hadir pada kegiatan ini; catat kehadirannya dahulu.",
        "{name} is not recorded as attending this activity; record the attendance first.",
    )
    MONEY_NEEDS_VALUE = (
        "activity.money_needs_value",
        "Kontribusi uang harus menyebut nilainya dalam Rupiah.",
        "A contribution of money must state its value in Rupiah.",
    )
    VALUE_NOT_POSITIVE = (
        "activity.value_not_positive",
        "Nilai dalam Rupiah harus lebih dari nol.",
        "A value in Rupiah must be above zero.",
    )
    CONTRIBUTION_KIND_UNKNOWN = (
        "activity.contribution_kind_unknown",
        "Jenis kontribusi {value} tidak dikenal.",
        "The contribution kind {value} is unknown.",
    )
    PARTNER_NOT_FOUND = (
        "activity.partner_not_found",
        "Mitra tidak ditemukan atau tidak bekerja di wilayah Anda.",
        "The partner is not found or does not work in your areas.",
    )
    PARTNER_INACTIVE = (
        "activity.partner_inactive",
        "Mitra {name} sudah tidak aktif.",
        "The partner {name} is no longer active.",
    )
    PHOTO_TOO_LARGE = (
        "activity.photo_too_large",
        "Foto terlalu besar ({size} MB); maksimal {limit} MB.",
        "The photo is too large ({size} MB); at most {limit} MB.",
    )
    PHOTO_NOT_IMAGE = (
        "activity.photo_not_image",
        "Berkas ini bukan foto JPEG, PNG atau WebP.",
        "This file is not a JPEG, PNG or WebP photo.",
    )
    POKTAN_AREA_LEVEL = (
        "activity.poktan_area_level",
        "Poktan dibentuk di desa/kelurahan, dusun/RW atau RT.",
        "A poktan is formed in a village, hamlet/RW or RT.",
    )
    POKTAN_NAME_TAKEN = (
        "activity.poktan_name_taken",
        "Nama poktan {name} sudah dipakai di wilayah ini.",
        "The poktan name {name} is already used in this area.",
    )
    MEMBER_OTHER_VILLAGE = (
        "activity.member_other_village",
        "{name} tinggal di luar wilayah poktan ini.",
        "{name} lives outside this poktan's area.",
    )
    ALREADY_MEMBER = (
        "activity.already_member",
        "{name} sudah menjadi anggota poktan ini.",
        "{name} is already a member of this poktan.",
    )
    MEMBERSHIP_ENDED = (
        "activity.membership_ended",
        "Keanggotaan ini sudah berakhir.",
        "This membership has already ended.",
    )
    LEFT_BEFORE_JOINED = (
        "activity.left_before_joined",
        "Tanggal keluar tidak boleh sebelum tanggal bergabung ({joined}).",
        "The date of leaving cannot be before the date of joining ({joined}).",
    )
    EVENT_DATE_IN_FUTURE = (
        "activity.event_date_in_future",
        "Tanggal tidak boleh di masa depan.",
        "The date cannot be in the future.",
    )
    PLAN_DATE_IN_PAST = (
        "activity.plan_date_in_past",
        "Tanggal rencana kegiatan harus hari ini atau nanti; kegiatan yang sudah lewat dicatat "
        "sebagai kegiatan terlaksana.",
        "A planned activity's date must be today or later; an activity already past is recorded "
        "as held.",
    )
    NOT_HELD = (
        "activity.not_held",
        "Kegiatan ini belum terlaksana; kehadiran, kontribusi dan foto dicatat setelah kegiatan "
        "ditandai terlaksana.",
        "This activity has not been held; attendance, contributions and photos are recorded once "
        "it is marked as held.",
    )
    NOT_PLANNED = (
        "activity.not_planned",
        "Hanya kegiatan yang masih direncanakan yang dapat ditandai terlaksana atau dibatalkan.",
        "Only a planned activity can be marked as held or cancelled.",
    )
    CANCELLED = (
        "activity.cancelled",
        "Kegiatan ini sudah dibatalkan dan tidak dapat diubah.",
        "This activity was cancelled and cannot be changed.",
    )
    CANCEL_REASON_REQUIRED = (
        "activity.cancel_reason_required",
        "Sebutkan alasan pembatalan.",
        "Give the reason for cancelling.",
    )
    PLAN_REASON_TOO_LONG = (
        "activity.plan_reason_too_long",
        "Kode alasan rencana paling banyak 64 karakter.",
        "The code of the reason for the plan has at most 64 characters.",
    )
