from kampungkb.core.errors import Problem


class GrowthProblem(Problem):
    MEASURED_IN_FUTURE = (
        "growth.measured_in_future",
        "Tanggal pengukuran tidak boleh di masa depan.",
        "The date of the measurement cannot be in the future.",
    )
    BEFORE_BIRTH = (
        "growth.before_birth",
        "Tanggal pengukuran ({date}) sebelum anak lahir ({born}).",
        "The measurement date ({date}) is before the child was born ({born}).",
    )
    NOT_UNDER_FIVE = (
        "growth.not_under_five",
        "Pada {date} anak sudah berumur {years} tahun: pengukuran ini hanya untuk balita "
        "(di bawah 5 tahun).",
        "On {date} the child was {years} years old: these measurements are for children "
        "under 5 only.",
    )
    CHILD_DIED = (
        "growth.child_died",
        "Anak ini tercatat meninggal pada {died}, sebelum tanggal pengukuran.",
        "This child is recorded as having died on {died}, before the measurement date.",
    )
    CHILD_INACTIVE = (
        "growth.child_inactive",
        "Anak ini tidak lagi aktif di register keluarga.",
        "This child is no longer active in the family register.",
    )
    WEIGHT_RANGE = (
        "growth.weight_range",
        "Berat badan harus antara {low} dan {high} kg (tertulis: {value}).",
        "The weight must be from {low} to {high} kg (given: {value}).",
    )
    LENGTH_RANGE = (
        "growth.length_range",
        "Panjang/tinggi badan harus antara {low} dan {high} cm (tertulis: {value}).",
        "The length/height must be from {low} to {high} cm (given: {value}).",
    )
    MEASURED_TWICE = (
        "growth.measured_twice",
        "Anak ini sudah diukur pada {date}; ubah pengukuran itu bila ada yang salah.",
        "This child was already measured on {date}; edit that measurement if it is wrong.",
    )
    STATUS_INVALID = (
        "growth.status_invalid",
        "Status {value} tidak dikenal; pilihan: {choices}.",
        "The status {value} is not known; choices: {choices}.",
    )
