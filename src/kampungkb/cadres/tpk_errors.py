"""The problems of the TPK at work (assignments and visits), in Bahasa Indonesia and English."""

from kampungkb.core.errors import Problem


class TpkProblem(Problem):
    TEAM_INACTIVE = (
        "tpk.team_inactive",
        "Tim {team} tidak aktif.",
        "The team {team} is not active.",
    )
    KIND_UNKNOWN = (
        "tpk.kind_unknown",
        "Jenis sasaran tidak dikenal.",
        "Unknown kind of target.",
    )
    TARGET_NOT_FOUND = (
        "tpk.target_not_found",
        "Sasaran tidak ditemukan di wilayah kerja Anda.",
        "The target is not found among your areas.",
    )
    TARGET_OTHER_VILLAGE = (
        "tpk.target_other_village",
        "Sasaran tinggal di luar desa tim {team}.",
        "The target lives outside the village of the team {team}.",
    )
    FAMILY_INACTIVE = (
        "tpk.family_inactive",
        "Keluarga ini tidak aktif lagi.",
        "This family is no longer active.",
    )
    NOT_PREGNANT = (
        "tpk.not_pregnant",
        "Kehamilan ini tidak berlangsung pada {date}.",
        "This pregnancy is not ongoing on {date}.",
    )
    NOT_POSTPARTUM = (
        "tpk.not_postpartum",
        "Pada {date} ibu tidak dalam 42 hari setelah melahirkan.",
        "On {date} the mother is not within 42 days of a birth.",
    )
    NOT_UNDER_FIVE = (
        "tpk.not_under_five",
        "{name} bukan anak balita (di bawah 5 tahun) yang hidup pada {date}.",
        "{name} is not a living child under five on {date}.",
    )
    NOT_BRIDE = (
        "tpk.not_bride",
        "Pada {date} {name} bukan calon pengantin yang didampingi: belum terdaftar atau sudah "
        "hamil.",
        "On {date} {name} is not a bride-to-be to accompany: not registered yet, or already "
        "pregnant.",
    )
    ALREADY_ASSIGNED = (
        "tpk.already_assigned",
        "Sasaran ini sudah didampingi tim {team}.",
        "This target is already accompanied by the team {team}.",
    )
    ALREADY_ENDED = (
        "tpk.already_ended",
        "Pendampingan ini sudah berakhir.",
        "This assignment has already ended.",
    )
    DATE_IN_FUTURE = (
        "tpk.date_in_future",
        "Tanggal tidak boleh di masa depan.",
        "The date cannot be in the future.",
    )
    DATE_TOO_EARLY = (
        "tpk.date_too_early",
        "Tanggal sebelum tahun 1970 tidak diterima.",
        "Dates before 1970 are not accepted.",
    )
    ENDED_BEFORE_START = (
        "tpk.ended_before_start",
        "Tanggal berakhir tidak boleh sebelum tanggal mulai ({started}).",
        "The end date cannot be before the start date ({started}).",
    )
    VISIT_OUTSIDE_ASSIGNMENT = (
        "tpk.visit_outside_assignment",
        "Pada tanggal kunjungan sasaran ini tidak didampingi tim ini.",
        "On the visit date this target was not accompanied by this team.",
    )
    MEMBERS_REQUIRED = (
        "tpk.members_required",
        "Pilih sedikitnya satu anggota tim yang berkunjung.",
        "Choose at least one team member who visited.",
    )
    MEMBER_NOT_IN_TEAM = (
        "tpk.member_not_in_team",
        "Yang berkunjung harus anggota aktif tim ini.",
        "Those who visited must be active members of this team.",
    )
    NEXT_VISIT_NOT_AFTER = (
        "tpk.next_visit_not_after",
        "Kunjungan berikutnya harus sesudah tanggal kunjungan.",
        "The next visit must be after the visit date.",
    )
    VILLAGE_LEVEL = (
        "tpk.village_level",
        "Pilih desa/kelurahan.",
        "Choose a village.",
    )
    MONTH_INVALID = (
        "tpk.month_invalid",
        "Tulis bulan sebagai YYYY-MM.",
        "Write the month as YYYY-MM.",
    )
