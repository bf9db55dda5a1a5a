from kampungkb.core.errors import Problem


class StuntingProblem(Problem):
    AREA_ABOVE_VILLAGE = (
        "stunting.area_above_village",
        "Pilih sebuah desa/kelurahan (atau RW/RT di dalamnya): {area} lebih luas dari desa. "
        "Angka per kecamatan dan kabupaten menyusul bersama fakta indikator.",
        "Choose a village (or an RW/RT in it): {area} is larger than a village. Counts per "
        "sub-district and district will come with the indicator facts.",
    )
    AREA_MISSING = (
        "stunting.area_missing",
        "Pilih sebuah desa/kelurahan (atau RW/RT di dalamnya).",
        "Choose a village (or an RW/RT in it).",
    )
    DATE_INVALID = (
        "stunting.date_invalid",
        "Tanggal harus ditulis TTTT-BB-HH, misalnya 2025-06-30 (tertulis: {value}).",
        "The date must be written YYYY-MM-DD, e.g. 2025-06-30 (given: {value}).",
    )
    DATE_IN_FUTURE = (
        "stunting.date_in_future",
        "Tanggal penilaian tidak boleh di masa depan: register belum tahu keadaannya.",
        "The date of the assessment cannot be in the future: the registers do not know it yet.",
    )
    REASON_INVALID = (
        "stunting.reason_invalid",
        "Alasan {value} tidak dikenal; pilihan: {choices}.",
        "The reason {value} is not known; choices: {choices}.",
    )
    LIST_INVALID = (
        "stunting.list_invalid",
        "Daftar {value} tidak dikenal; pilihan: {choices}.",
        "The list {value} is not known; choices: {choices}.",
    )
