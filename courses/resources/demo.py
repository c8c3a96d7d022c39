"""Demo resources for ``flask demo load``: published ones in several languages, and one
waiting for review. Created once: a resource whose source names it is left alone."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from courses.resources import operations
from courses.resources.models import Resource
from portal.extensions import db

HAND_WASHING_VI = """Rửa tay bằng xà phòng giúp phòng nhiều bệnh tiêu chảy và hô hấp.

## Sáu bước

1. Làm ướt tay bằng nước sạch.
2. Xoa xà phòng lên lòng và mu bàn tay.
3. Chà các kẽ ngón tay.
4. Chà đầu ngón tay vào lòng bàn tay.
5. Xoa ngón cái.
6. Rửa lại bằng nước sạch và lau khô.

| Khi nào | Vì sao |
|---|---|
| Trước khi ăn | Tránh đưa vi khuẩn vào miệng |
| Sau khi đi vệ sinh | Không lây bệnh cho người khác |

Xem thêm hướng dẫn của [Tổ chức Y tế Thế giới](https://www.who.int/).[^1]

[^1]: Tài liệu tham khảo, bản tiếng Anh.
"""

HAND_WASHING_EN = """Washing hands with soap prevents many diarrhoeal and respiratory diseases.

## Six steps

1. Wet your hands with clean water.
2. Rub soap on palms and the backs of the hands.
3. Scrub between the fingers.
4. Rub the fingertips against the palm.
5. Rub the thumbs.
6. Rinse with clean water and dry.

See the guidance of the [World Health Organization](https://www.who.int/).
"""

HAND_WASHING_KM = """ការលាងដៃនឹងសាប៊ូ ជួយការពារជំងឺជាច្រើន។

1. ធ្វើឱ្យដៃសើមដោយទឹកស្អាត។
2. ដុសសាប៊ូលើបាតដៃ និងខ្នងដៃ។
3. លាងជម្រះដោយទឹកស្អាត ហើយជូតឱ្យស្ងួត។
"""

VEGETABLES_VI = """Một mảnh đất nhỏ hoặc vài thùng xốp đủ để trồng rau cho cả nhà.

## Chuẩn bị

- Đất tơi xốp, trộn phân hữu cơ hoai mục.
- Hạt giống từ cửa hàng uy tín.

## Chăm sóc

Tưới nước sáng sớm hoặc chiều mát; không dùng thuốc trừ sâu hoá học.
"""

VEGETABLES_EN = """A small plot or a few foam boxes are enough to grow vegetables for the family.

## Preparing

- Loose soil mixed with well-rotted organic manure.
- Seeds from a trusted shop.

## Care

Water early in the morning or in the cool of the evening; use no chemical pesticides.
"""

PHONE_VI = """Điện thoại thông minh giúp học tập và làm việc, nhưng cần dùng an toàn.

- Không chia sẻ mã OTP với bất kỳ ai.
- Cập nhật ứng dụng thường xuyên.
- Cẩn thận với đường link lạ gửi qua tin nhắn.
"""

# (source marker, licence, subjects, texts by language, publish?)
DEMO_RESOURCES: tuple[
    tuple[str, str, tuple[str, ...], dict[str, tuple[str, str, str]], bool], ...
] = (
    (
        "Demo: Trạm Y tế xã",
        "cc-by",
        ("health", "family"),
        {
            "vi": ("Rửa tay đúng cách", "Sáu bước rửa tay với xà phòng.", HAND_WASHING_VI),
            "en": ("Washing hands properly", "Six steps to wash hands with soap.", HAND_WASHING_EN),
            "km": ("ការលាងដៃឱ្យបានត្រឹមត្រូវ", "ការលាងដៃនឹងសាប៊ូ។", HAND_WASHING_KM),
        },
        True,
    ),
    (
        "Demo: Hội Nông dân xã",
        "cc-by-sa",
        ("agriculture", "environment"),
        {
            "vi": ("Trồng rau sạch tại nhà", "Cách trồng rau sạch trong vườn nhà.", VEGETABLES_VI),
            "en": (
                "Growing clean vegetables at home",
                "Growing vegetables in a home garden.",
                VEGETABLES_EN,
            ),
        },
        True,
    ),
    (
        "Demo: Đoàn Thanh niên xã",
        "cc-by-nc",
        ("digital",),
        {"vi": ("Dùng điện thoại thông minh an toàn", "Ba thói quen an toàn.", PHONE_VI)},
        False,
    ),
)


def load_demo_resources(teacher: Any, reviewer: Any) -> list[Resource]:
    """Create the demo resources once, by ``teacher``, published by ``reviewer``."""
    resources = []
    for source, licence, subjects, texts, published in DEMO_RESOURCES:
        resource = db.session.scalars(select(Resource).where(Resource.source == source)).first()
        if resource is None:
            (language, (title, summary, body)), *others = texts.items()
            resource = operations.create_resource(
                teacher,
                language=language,
                title=title,
                summary=summary,
                body=body,
                licence=licence,
                audience="citizen",
                level="beginner",
                subjects=subjects,
                author=teacher.full_name,
                source=source,
            )
            for code, (t, s, b) in others:
                operations.save_translation(
                    resource, teacher, language=code, title=t, summary=s, body=b
                )
            operations.submit(resource, teacher)
            if published:
                operations.publish(resource, reviewer)
        resources.append(resource)
    return resources
