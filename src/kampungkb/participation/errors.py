from kampungkb.core.errors import Problem


class ParticipationProblem(Problem):
    MONTH_ORDER = (
        "participation.month_order",
        "Bulan awal ({first}) harus sebelum atau sama dengan bulan akhir ({last}).",
        "The first month ({first}) must come before or be the last month ({last}).",
    )
