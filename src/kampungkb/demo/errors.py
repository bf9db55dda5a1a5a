from kampungkb.core.errors import Problem


class DemoProblem(Problem):
    ALREADY_SEEDED = (
        "demo.already_seeded",
        "Basis data ini sudah berisi data demo (seed {seed}, dibuat {at}). Data tidak dibuat "
        "ulang; jalankan `kampungkb seed demo --reset` untuk menghapus data demo dan membuatnya "
        "kembali.",
        "This database already holds demo data (seed {seed}, created {at}). Nothing was "
        "seeded; run `kampungkb seed demo --reset` to remove the demo data and seed it again.",
    )
    REGIONS_MISSING = (
        "demo.regions_missing",
        "Wilayah {codes} belum dimuat. Jalankan dulu `kampungkb regions load` "
        "(atau `kampungkb regions load --province 64 --province 52`).",
        "The regions {codes} are not loaded. Run `kampungkb regions load` first "
        "(or `kampungkb regions load --province 64 --province 52`).",
    )
    FAMILIES_RANGE = (
        "demo.families_range",
        "Jumlah keluarga demo harus antara 1 dan {most}.",
        "The number of demo families must be between 1 and {most}.",
    )
    DATE_IN_FUTURE = (
        "demo.date_in_future",
        "Tanggal acuan {date} belum terjadi.",
        "The reference date {date} is in the future.",
    )
    RESET_BLOCKED = (
        "demo.reset_blocked",
        "Data demo tidak dapat dihapus karena data lain merujuk kepadanya ({objects}).",
        "The demo data cannot be removed because other records refer to it ({objects}).",
    )
