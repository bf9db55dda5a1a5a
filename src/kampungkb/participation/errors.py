from kampungkb.core.errors import Problem


class ParticipationProblem(Problem):
    MONTH_ORDER = (
        "participation.month_order",
        "Bulan awal ({first}) harus sebelum atau sama dengan bulan akhir ({last}).",
        "The first month ({first}) must come before or be the last month ({last}).",
    )
    ACTIONS_AT_REGENCY = (
        "participation.actions_at_regency",
        "Tindakan yang disarankan diatur oleh dinas kabupaten/kota: pilih wilayah kabupaten/kota.",
        "Suggested actions are set by the regency/city office: choose a regency or city.",
    )
    ACTION_TEXT = (
        "participation.action_text",
        "Tuliskan tindakan yang disarankan (paling banyak {max} karakter).",
        "Write the suggested action (at most {max} characters).",
    )
    ACTION_KIND = (
        "participation.action_kind",
        "Pilih jenis kegiatan dari daftar.",
        "Choose an activity kind from the list.",
    )
    ACTION_TARGET = (
        "participation.action_target",
        "Pilih sasaran kegiatan dari daftar.",
        "Choose a target group from the list.",
    )
