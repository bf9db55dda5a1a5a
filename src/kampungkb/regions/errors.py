from kampungkb.core.errors import Problem


class AreaProblem(Problem):
    PARENT_NOT_VILLAGE = (
        "area.parent_level",
        "Dusun/RW hanya dapat ditambahkan di bawah desa/kelurahan, dan RT di bawah dusun/RW atau desa.",
        "A hamlet/RW can only be added under a village, and an RT under a hamlet/RW or a village.",
    )
    NUMBER_TAKEN = (
        "area.number_taken",
        "Nomor {number} sudah dipakai di {parent}.",
        "Number {number} is already used in {parent}.",
    )
    NUMBER_RANGE = (
        "area.number_range",
        "Nomor harus antara 1 dan 999.",
        "The number must be between 1 and 999.",
    )
    NAME_REQUIRED = (
        "area.name_required",
        "Nama dusun wajib diisi.",
        "A hamlet needs a name.",
    )
    NOT_FOUND = ("area.not_found", "Wilayah {code} tidak ditemukan.", "Area {code} was not found.")
