from kampungkb.core.errors import Problem


class PartnerProblem(Problem):
    NAME_TAKEN = (
        "partner.name_taken",
        "Mitra bernama {name} sudah terdaftar di wilayah ini.",
        "A partner named {name} is already registered in this area.",
    )
    AREA_OUT_OF_SCOPE = (
        "partner.area_out_of_scope",
        "Wilayah {code} tidak termasuk wilayah kerja Anda.",
        "The area {code} is not one of your areas.",
    )
    INACTIVE = (
        "partner.inactive",
        "Mitra ini sudah tidak aktif.",
        "This partner is no longer active.",
    )
    ALREADY_INACTIVE = (
        "partner.already_inactive",
        "Mitra ini sudah dinonaktifkan.",
        "This partner is already deactivated.",
    )
    USER_NOT_PARTNER_ROLE = (
        "partner.user_not_partner_role",
        "Pengguna {user} tidak memiliki peran Mitra.",
        "The user {user} does not have the Partner role.",
    )
    USER_ALREADY_LINKED = (
        "partner.user_already_linked",
        "Pengguna {user} sudah terhubung dengan mitra {partner}.",
        "The user {user} is already linked to the partner {partner}.",
    )
    CONTACT_EMPTY = (
        "partner.contact_empty",
        "Isi nomor telepon atau email kontak.",
        "Give the contact's phone number or email.",
    )


class MouProblem(Problem):
    NUMBER_TAKEN = (
        "mou.number_taken",
        "Nomor MoU {number} sudah dipakai untuk mitra ini.",
        "The MoU number {number} is already used for this partner.",
    )
    DATES_ORDER = (
        "mou.dates_order",
        "Tanggal berakhir harus sama dengan atau sesudah tanggal mulai berlaku.",
        "The end date must be on or after the start date.",
    )
    SIGNED_AFTER_END = (
        "mou.signed_after_end",
        "Tanggal penandatanganan tidak boleh sesudah tanggal berakhir.",
        "The signing date cannot be after the end date.",
    )
    SIGNED_IN_FUTURE = (
        "mou.signed_in_future",
        "Tanggal penandatanganan tidak boleh di masa depan; catat MoU setelah ditandatangani.",
        "The signing date cannot be in the future; record the MoU once it is signed.",
    )
    ALREADY_RENEWED = (
        "mou.already_renewed",
        "MoU {number} sudah diperpanjang dengan MoU {renewal}.",
        "The MoU {number} has already been renewed by the MoU {renewal}.",
    )
    RENEWAL_NOT_LATER = (
        "mou.renewal_not_later",
        "Perpanjangan harus berakhir sesudah MoU lama ({until}).",
        "A renewal must end after the old MoU ({until}).",
    )
    DOCUMENT_TYPE = (
        "mou.document_type",
        "Dokumen harus berupa PDF, JPEG atau PNG.",
        "The document must be a PDF, JPEG or PNG file.",
    )
    DOCUMENT_SIZE = (
        "mou.document_size",
        "Dokumen terlalu besar ({size} MB); paling besar {limit} MB.",
        "The document is too large ({size} MB); at most {limit} MB.",
    )
    PARTNER_INACTIVE = (
        "mou.partner_inactive",
        "Mitra ini sudah tidak aktif; MoU baru tidak dapat dicatat.",
        "This partner is no longer active; no new MoU can be recorded.",
    )


class CommitmentProblem(Problem):
    TARGET_ZERO = (
        "commitment.target_zero",
        "Target komitmen harus lebih dari 0.",
        "A commitment's target must be more than 0.",
    )
