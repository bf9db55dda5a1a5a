from kampungkb.core.errors import Problem


class AccountProblem(Problem):
    ROLE_AREA_LEVEL = (
        "account.role_area_level",
        "Peran {role} harus ditugaskan pada wilayah tingkat {level}.",
        "The role {role} must be assigned to an area at the level of {level}.",
    )
    ROLE_AREA_REQUIRED = (
        "account.role_area_required",
        "Peran {role} memerlukan wilayah tugas.",
        "The role {role} needs an area.",
    )
    PKB_ONE_DISTRICT = (
        "account.pkb_one_district",
        "Desa binaan seorang PKB harus berada dalam satu kecamatan.",
        "The villages of an extension officer (PKB) must lie in one kecamatan.",
    )
    USERNAME_TAKEN = (
        "account.username_taken",
        "Nama pengguna {username} sudah dipakai.",
        "The username {username} is already taken.",
    )
    LANGUAGE_UNKNOWN = (
        "account.language_unknown",
        "Bahasa {code} tidak tersedia.",
        "The language {code} is not available.",
    )
    USER_NOT_FOUND = (
        "account.user_not_found",
        "Pengguna {username} tidak ditemukan.",
        "User {username} was not found.",
    )
