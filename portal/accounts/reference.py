"""Reference lists behind the optional profile fields, as codes with translatable labels.

Stored values are the codes; labels are for display only and never aggregated on.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

GENDERS = {
    "female": _l("Female"),
    "male": _l("Male"),
    "other": _l("Other"),
}

# The 54 ethnic groups of Vietnam with the General Statistics Office codes (Decision
# 121-TCTK/PPCĐ of 1979, used by the censuses). Names are the official Vietnamese ones;
# they are proper names and are shown as they are in every interface language.
ETHNICITIES: dict[str, str] = {
    "01": "Kinh",
    "02": "Tày",
    "03": "Thái",
    "04": "Hoa",
    "05": "Khơ-me",
    "06": "Mường",
    "07": "Nùng",
    "08": "Hmông",
    "09": "Dao",
    "10": "Gia-rai",
    "11": "Ngái",
    "12": "Ê-đê",
    "13": "Ba-na",
    "14": "Xơ-đăng",
    "15": "Sán Chay",
    "16": "Cơ-ho",
    "17": "Chăm",
    "18": "Sán Dìu",
    "19": "Hrê",
    "20": "Mnông",
    "21": "Ra-glai",
    "22": "Xtiêng",
    "23": "Bru-Vân Kiều",
    "24": "Thổ",
    "25": "Giáy",
    "26": "Cơ-tu",
    "27": "Gié-Triêng",
    "28": "Mạ",
    "29": "Khơ-mú",
    "30": "Co",
    "31": "Tà-ôi",
    "32": "Chơ-ro",
    "33": "Kháng",
    "34": "Xinh-mun",
    "35": "Hà Nhì",
    "36": "Chu-ru",
    "37": "Lào",
    "38": "La Chí",
    "39": "La Ha",
    "40": "Phù Lá",
    "41": "La Hủ",
    "42": "Lự",
    "43": "Lô Lô",
    "44": "Chứt",
    "45": "Mảng",
    "46": "Pà Thẻn",
    "47": "Cơ Lao",
    "48": "Cống",
    "49": "Bố Y",
    "50": "Si La",
    "51": "Pu Péo",
    "52": "Brâu",
    "53": "Ơ Đu",
    "54": "Rơ-măm",
}

DISABILITIES = {
    "none": _l("No disability"),
    "seeing": _l("Difficulty seeing"),
    "hearing": _l("Difficulty hearing"),
    "walking": _l("Difficulty walking or moving"),
    "remembering": _l("Difficulty remembering or concentrating"),
    "communicating": _l("Difficulty communicating"),
    "self_care": _l("Difficulty with self-care"),
    "other": _l("Other"),
}

# The four groups of the Learning Citizen self-assessment forms, by occupation.
OCCUPATION_GROUPS = {
    "officials": _l("Officials, civil servants, public employees and armed forces"),
    "enterprise_workers": _l("Workers in enterprises and cooperatives"),
    "rural_workers": _l("Farmers and other rural workers"),
    "other_citizens": _l("Other citizens (students, homemakers, retired people and others)"),
}
