from kampungkb.core.errors import Problem


class TargetProblem(Problem):
    YEAR_RANGE = (
        "target.year_range",
        "Tahun harus antara {first} dan {last}.",
        "The year must be between {first} and {last}.",
    )
    VALUE_INVALID = (
        "target.value_invalid",
        "PPM harus bilangan bulat dari 0 sampai {max}.",
        "A PPM must be a whole number from 0 to {max}.",
    )
    KIND_INVALID = (
        "target.kind_invalid",
        "Jenis target harus PA atau PB.",
        "The kind of target must be PA or PB.",
    )
    AREA_LEVEL = (
        "target.area_level",
        "Target ditetapkan sampai tingkat desa/kelurahan, tidak untuk {area}.",
        "Targets are set down to the village, not for {area}.",
    )
    AREA_UNKNOWN = (
        "target.area_unknown",
        "Kode wilayah {code} tidak dikenal.",
        "The area code {code} is unknown.",
    )
    AREA_NOT_EDITABLE = (
        "target.area_not_editable",
        "Anda tidak berwenang mengubah target wilayah {code}.",
        "You may not change the targets of area {code}.",
    )
    YEAR_INVALID = (
        "target.year_invalid",
        "Tahun harus bilangan bulat 4 digit.",
        "The year must be a 4-digit whole number.",
    )
    DUPLICATE_ROW = (
        "target.duplicate_row",
        "Wilayah {code} tahun {year} sudah ada di baris {first}.",
        "Area {code} for {year} is already in row {first}.",
    )
    FILE_UNREADABLE = (
        "target.file_unreadable",
        "Berkas tidak dapat dibaca sebagai Excel (.xlsx).",
        "The file cannot be read as Excel (.xlsx).",
    )
    FILE_HEADER = (
        "target.file_header",
        "Baris pertama harus berisi judul kolom: {columns}.",
        "The first row must hold the column headings: {columns}.",
    )
    FILE_EMPTY = (
        "target.file_empty",
        "Berkas tidak berisi baris target.",
        "The file holds no target rows.",
    )
    FILE_TOO_LONG = (
        "target.file_too_long",
        "Berkas berisi lebih dari {max} baris.",
        "The file holds more than {max} rows.",
    )
    FILE_TOO_LARGE = (
        "target.file_too_large",
        "Berkas lebih besar dari {max} MB.",
        "The file is larger than {max} MB.",
    )
