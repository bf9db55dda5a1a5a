from kampungkb.core.errors import Problem


class CadreProblem(Problem):
    PERSON_NOT_FOUND = (
        "cadre.person_not_found",
        "Warga tidak ditemukan di wilayah kerja Anda.",
        "The person is not found among your areas.",
    )
    PERSON_NOT_LIVING = (
        "cadre.person_not_living",
        "{name} sudah meninggal atau tidak aktif di register.",
        "{name} has died or is no longer active on the register.",
    )
    PERSON_TOO_YOUNG = (
        "cadre.person_too_young",
        "Kader harus berumur sedikitnya {age} tahun.",
        "A cadre must be at least {age} years old.",
    )
    PERSON_OTHER_VILLAGE = (
        "cadre.person_other_village",
        "{name} tinggal di desa lain; kader melayani wilayah di desanya sendiri.",
        "{name} lives in another village; a cadre serves an area of their own village.",
    )
    AREA_NOT_FOUND = (
        "cadre.area_not_found",
        "Wilayah {code} tidak ditemukan di wilayah kerja Anda.",
        "The area {code} is not found among your areas.",
    )
    AREA_LEVEL = (
        "cadre.area_level",
        "Kader melayani desa/kelurahan, dusun/RW atau RT.",
        "A cadre serves a village, a hamlet/RW or an RT.",
    )
    ROLE_AREA_LEVEL = (
        "cadre.role_area_level",
        "{role} melayani {level}.",
        "A {role} serves a {level}.",
    )
    ALREADY_IN_ROLE = (
        "cadre.already_in_role",
        "{name} sudah aktif sebagai {role} di wilayah ini.",
        "{name} is already active as {role} in this area.",
    )
    DATE_IN_FUTURE = (
        "cadre.date_in_future",
        "Tanggal tidak boleh di masa depan.",
        "The date cannot be in the future.",
    )
    DATE_TOO_EARLY = (
        "cadre.date_too_early",
        "Tanggal sebelum tahun 1970 tidak diterima.",
        "Dates before 1970 are not accepted.",
    )
    ENDED_BEFORE_START = (
        "cadre.ended_before_start",
        "Tanggal berhenti tidak boleh sebelum tanggal mulai ({started}).",
        "The end date cannot be before the start date ({started}).",
    )
    ALREADY_INACTIVE = (
        "cadre.already_inactive",
        "Kader ini sudah dinonaktifkan.",
        "This cadre is already deactivated.",
    )
    INACTIVE = (
        "cadre.inactive",
        "Kader {name} sudah tidak aktif.",
        "The cadre {name} is no longer active.",
    )
    REASON_REQUIRED = (
        "cadre.reason_required",
        "Sebutkan alasan penonaktifan.",
        "Give the reason for the deactivation.",
    )
    DECREE_DATE_WITHOUT_NUMBER = (
        "cadre.decree_date_without_number",
        "Tanggal SK diisi bersama nomor SK-nya.",
        "A decree date goes with its decree number.",
    )
    TEAM_REQUIRED = (
        "cadre.team_required",
        "Anggota TPK harus menyebut timnya dan perannya di tim.",
        "A TPK member names the team and the seat held in it.",
    )
    TEAM_ONLY_FOR_TPK = (
        "cadre.team_only_for_tpk",
        "Tim dan peran di tim hanya diisi untuk anggota TPK.",
        "A team and a seat are given only for a TPK member.",
    )
    TEAM_OTHER_VILLAGE = (
        "cadre.team_other_village",
        "Tim {team} berada di desa lain.",
        "The team {team} belongs to another village.",
    )
    TEAM_INACTIVE = (
        "cadre.team_inactive",
        "Tim {team} sudah tidak aktif.",
        "The team {team} is no longer active.",
    )
    TEAM_SEAT_TAKEN = (
        "cadre.team_seat_taken",
        "Peran {seat} di tim {team} sudah diisi {name}.",
        "The seat {seat} in the team {team} is already held by {name}.",
    )
    TEAM_NAME_TAKEN = (
        "cadre.team_name_taken",
        "Nama tim {name} sudah dipakai di desa ini.",
        "The team name {name} is already used in this village.",
    )
    TEAM_VILLAGE_LEVEL = (
        "cadre.team_village_level",
        "TPK dibentuk di tingkat desa/kelurahan.",
        "A TPK is formed at village level.",
    )
    TEAM_HAS_MEMBERS = (
        "cadre.team_has_members",
        "Tim {team} masih punya anggota aktif; nonaktifkan mereka dulu.",
        "The team {team} still has active members; deactivate them first.",
    )
    YEAR_RANGE = (
        "cadre.year_range",
        "Registrasi ulang hanya untuk tahun {first}-{last}.",
        "Re-registration is only for the years {first}-{last}.",
    )
    YEAR_MISMATCH = (
        "cadre.year_mismatch",
        "Tanggal registrasi harus di tahun {year}.",
        "The registration date must fall in {year}.",
    )
    ALREADY_REGISTERED = (
        "cadre.already_registered",
        "{name} sudah diregistrasi ulang untuk tahun {year}.",
        "{name} is already re-registered for {year}.",
    )
    STARTED_AFTER_YEAR = (
        "cadre.started_after_year",
        "{name} baru mulai menjadi kader setelah tahun {year}.",
        "{name} became a cadre only after {year}.",
    )
    NOTHING_TICKED = (
        "cadre.nothing_ticked",
        "Centang sedikitnya satu kader.",
        "Tick at least one cadre.",
    )
    TRAINING_NOT_FOUND = (
        "cadre.training_not_found",
        "Pelatihan tidak ditemukan di wilayah Anda.",
        "The training is not found among your areas.",
    )
    NOT_A_TRAINING = (
        "cadre.not_a_training",
        "Kegiatan {title} bukan pelatihan.",
        "The activity {title} is not a training.",
    )
    TOPIC_UNKNOWN = (
        "cadre.topic_unknown",
        "Topik {value} tidak dikenal.",
        "The topic {value} is unknown.",
    )
    NO_QUESTIONS = (
        "cadre.no_questions",
        "Tes harus memuat sedikitnya satu soal.",
        "A test holds at least one question.",
    )
    QUESTION_UNKNOWN = (
        "cadre.question_unknown",
        "Soal {ids} tidak ada di bank soal.",
        "The questions {ids} are not in the question bank.",
    )
    ANSWER_INVALID = (
        "cadre.answer_invalid",
        "Jawaban soal {code} harus A, B, C, D atau kosong (tertulis: {value}).",
        "The answer to {code} must be A, B, C, D or empty (given: {value}).",
    )
    TEST_TAKEN = (
        "cadre.test_taken",
        "{name} sudah punya {phase} untuk pelatihan ini.",
        "{name} already has a {phase} for this training.",
    )
    PRE_TEST_AFTER_TRAINING = (
        "cadre.pre_test_after_training",
        "Pre-test diambil pada atau sebelum tanggal pelatihan ({held_on}).",
        "A pre-test is taken on or before the training's date ({held_on}).",
    )
    POST_TEST_BEFORE_TRAINING = (
        "cadre.post_test_before_training",
        "Post-test diambil pada atau setelah tanggal pelatihan ({held_on}).",
        "A post-test is taken on or after the training's date ({held_on}).",
    )
    # -- Monthly meetings
    MEETING_VILLAGE_LEVEL = (
        "cadre.meeting_village_level",
        "Rapat bulanan kader diadakan per desa/kelurahan.",
        "The monthly cadre meeting is held per village.",
    )
    MEETING_EXISTS = (
        "cadre.meeting_exists",
        "Rapat bulanan kader {village} untuk bulan {month} sudah dicatat.",
        "The monthly cadre meeting of {village} for {month} is already recorded.",
    )
    MEETING_DATE_OUTSIDE_MONTH = (
        "cadre.meeting_date_outside_month",
        "Tanggal rapat harus di bulan {month}.",
        "The meeting date must fall in {month}.",
    )
    MEETING_MONTH_IN_FUTURE = (
        "cadre.meeting_month_in_future",
        "Rapat untuk bulan yang akan datang belum bisa dicatat.",
        "A meeting of a month still to come cannot be recorded yet.",
    )
    MINUTES_REQUIRED = (
        "cadre.minutes_required",
        "Tuliskan notulen rapat.",
        "Write the minutes of the meeting.",
    )
    ACTION_DESCRIPTION_REQUIRED = (
        "cadre.action_description_required",
        "Tuliskan tugas yang disepakati.",
        "Write the task agreed.",
    )
    ACTION_OWNER_REQUIRED = (
        "cadre.action_owner_required",
        "Sebutkan penanggung jawab tugas: kader desa ini atau nama orangnya.",
        "Name who is responsible for the task: a cadre of this village or a person's name.",
    )
    ACTION_OWNER_OTHER_VILLAGE = (
        "cadre.action_owner_other_village",
        "{name} bukan kader aktif di desa ini.",
        "{name} is not an active cadre of this village.",
    )
    ACTION_DUE_BEFORE_MEETING = (
        "cadre.action_due_before_meeting",
        "Batas waktu tidak boleh sebelum tanggal rapat ({held_on}).",
        "The due date cannot be before the meeting date ({held_on}).",
    )
    ACTION_NOT_OPEN = (
        "cadre.action_not_open",
        "Tugas ini sudah ditutup ({status}); hanya tugas terbuka yang dapat diubah.",
        "This task is already closed ({status}); only open tasks can be changed.",
    )
    ACTION_CLOSE_STATUS = (
        "cadre.action_close_status",
        "Tugas ditutup sebagai selesai atau dibatalkan.",
        "A task is closed as done or dropped.",
    )
    ACTION_CLOSED_BEFORE_MEETING = (
        "cadre.action_closed_before_meeting",
        "Tanggal penutupan tidak boleh sebelum tanggal rapat ({held_on}).",
        "The closing date cannot be before the meeting date ({held_on}).",
    )
    NOTHING_TO_CARRY = (
        "cadre.nothing_to_carry",
        "Tidak ada tugas terbuka dari rapat bulan lalu untuk dibawa ke bulan ini.",
        "There is no open task from last month's meeting to carry into this month.",
    )
    ATTENDEE_NOT_CADRE = (
        "cadre.attendee_not_cadre",
        "Hanya kader aktif desa ini yang dicentang pada daftar hadir rapat kader.",
        "Only active cadres of this village are ticked on the cadre meeting's attendance.",
    )
    MONTH_INVALID = (
        "cadre.month_invalid",
        "Bulan harus ditulis TTTT-BB, misalnya 2025-03.",
        "The month is written YYYY-MM, for example 2025-03.",
    )
    INCENTIVE_VILLAGE_LEVEL = (
        "cadre.incentive_village_level",
        "Insentif kader dihitung per desa/kelurahan.",
        "Cadre incentives are computed per village.",
    )
    INCENTIVE_MONTH_IN_FUTURE = (
        "cadre.incentive_month_in_future",
        "Insentif bulan yang akan datang belum bisa dihitung.",
        "The incentives of a month still to come cannot be computed yet.",
    )
    INCENTIVE_MONTH_NOT_OVER = (
        "cadre.incentive_month_not_over",
        "Usulan insentif bulan {month} diajukan setelah bulan itu selesai.",
        "The incentives of {month} are proposed once that month is over.",
    )
    INCENTIVE_LOCKED = (
        "cadre.incentive_locked",
        "Usulan ini berstatus {status}; hitung ulang hanya untuk draf atau usulan yang dikembalikan.",
        "This proposal is {status}; only a draft or a returned proposal is computed again.",
    )
    INCENTIVE_NOT_PROPOSABLE = (
        "cadre.incentive_not_proposable",
        "Usulan ini berstatus {status}; hanya draf atau usulan yang dikembalikan dapat diajukan.",
        "This proposal is {status}; only a draft or a returned proposal can be proposed.",
    )
    INCENTIVE_NOT_PROPOSED = (
        "cadre.incentive_not_proposed",
        "Usulan ini berstatus {status}; hanya usulan yang sedang diajukan dapat disetujui atau dikembalikan.",
        "This proposal is {status}; only a proposal awaiting approval can be approved or returned.",
    )
    INCENTIVE_NOT_APPROVED = (
        "cadre.incentive_not_approved",
        "Usulan ini berstatus {status}; hanya usulan yang disetujui dapat dibuka kembali atau dibayar.",
        "This proposal is {status}; only an approved proposal can be reopened or paid.",
    )
    INCENTIVE_FOUR_EYES = (
        "cadre.incentive_four_eyes",
        "Usulan yang Anda ajukan sendiri disetujui atau dikembalikan oleh orang lain.",
        "A proposal you made yourself is approved or returned by someone else.",
    )
    INCENTIVE_REASON_REQUIRED = (
        "cadre.incentive_reason_required",
        "Tuliskan alasannya.",
        "Write the reason.",
    )
    INCENTIVE_STALE = (
        "cadre.incentive_stale",
        "Data kegiatan berubah sejak insentif dihitung (total sekarang Rp {fresh}, tersimpan Rp {stored}). Hitung ulang dan periksa sebelum diajukan atau disetujui.",
        "The records changed since the incentives were computed (total now Rp {fresh}, stored Rp {stored}). Compute again and check before proposing or approving.",
    )
    INCENTIVE_EMPTY = (
        "cadre.incentive_empty",
        "Tidak ada kader yang dibayar menurut aturan insentif; periksa aturan insentif kabupaten.",
        "No cadre is paid under the incentive rules; check the district's incentive rules.",
    )
    INCENTIVE_ALREADY_PAID = (
        "cadre.incentive_already_paid",
        "Sebagian insentif sudah dibayar; usulan yang sudah dibayar tidak dapat dibuka kembali.",
        "Part of the incentives has been paid; a proposal with payments cannot be reopened.",
    )
    PAYMENT_LINES_REQUIRED = (
        "cadre.payment_lines_required",
        "Pilih sedikitnya satu kader yang belum dibayar.",
        "Choose at least one cadre not yet paid.",
    )
    PAYMENT_LINE_NOT_PAYABLE = (
        "cadre.payment_line_not_payable",
        "{name} tidak ada di daftar bayar usulan ini atau sudah dibayar.",
        "{name} is not on this proposal's payment list or is already paid.",
    )
    PAYMENT_BEFORE_APPROVAL = (
        "cadre.payment_before_approval",
        "Tanggal bayar tidak boleh sebelum tanggal persetujuan ({approved}).",
        "The payment date cannot be before the approval date ({approved}).",
    )
    RULE_AREA_LEVEL = (
        "cadre.rule_area_level",
        "Aturan insentif ditetapkan untuk kabupaten/kota.",
        "Incentive rules are set for a district.",
    )
    RULE_EXISTS = (
        "cadre.rule_exists",
        "Sudah ada aturan untuk peran ini yang berlaku mulai {month}.",
        "There is already a rule for this role in force from {month}.",
    )
    RULE_IN_USE = (
        "cadre.rule_in_use",
        "Aturan ini sudah dipakai dalam insentif yang disetujui; tetapkan aturan baru mulai bulan berikutnya.",
        "This rule already pays approved incentives; set a new rule from a later month.",
    )
    ACCOUNT_OTHER_PERSON = (
        "cadre.account_other_person",
        "Akun {username} sudah terhubung dengan kader lain ({name}).",
        "The account {username} is already linked to another cadre ({name}).",
    )
    ACCOUNT_OTHER_AREA = (
        "cadre.account_other_area",
        "Akun {username} tidak bertugas di desa kader ini.",
        "The account {username} does not work in this cadre's village.",
    )
