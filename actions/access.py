"""Who may do what, and what citizens never see. The one place roles are checked.

The role arrives in the message metadata (`role`); the assistant sets it from the
authenticated user or, until authentication lands, from the channel.
"""

from __future__ import annotations

import re
from typing import Literal

Role = Literal["mayor", "officer", "citizen", "admin"]
ROLES: tuple[Role, ...] = ("mayor", "officer", "citizen", "admin")

PERMISSIONS: dict[str, set[str]] = {
    "citizen": {"public_data"},
    "officer": {"public_data", "internal_data", "cctv"},
    "mayor": {"public_data", "internal_data", "cctv", "approve", "call", "screen"},
    "admin": {"public_data", "internal_data", "ingest", "manage"},
}


def can(role: str, permission: str) -> bool:
    return permission in PERMISSIONS.get(role, set())


def refusal(role: str) -> str:
    if role == "citizen":
        return "죄송합니다. 이 기능은 시청 내부 업무용이라 공개 채널에서는 이용하실 수 없습니다. 공개된 도시 정보는 언제든 물어보세요."
    return "이 기능을 사용할 권한이 없습니다."


_PHONE = re.compile(r"(?<!\d)0\d{1,2}[-. )]?\d{3,4}[-. ]?\d{4}(?!\d)")
_RRN = re.compile(r"(?<!\d)\d{6}[- ]?[1-4]\d{6}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_NAMED = re.compile(r"(민원인|신고인|작성자|신청인|제보자)\s*[가-힣]{2,4}")
_HONORIFIC = re.compile(r"(?<![가-힣])[가-힣]{2,4}\s?(님|씨)(?![가-힣])")
_ADDRESS = re.compile(r"[가-힣0-9]+(?:로|길)\s?\d+(?:번?길)?(?:\s?\d+(?:-\d+)?)?(?:\s?앞|\s?번지)?|\d+동\s?\d+호")


def redact(text: str) -> str:
    """Remove personal data from free text shown to citizens: numbers, names, addresses."""
    text = _RRN.sub("[주민번호 비공개]", text)
    text = _PHONE.sub("[연락처 비공개]", text)
    text = _EMAIL.sub("[이메일 비공개]", text)
    text = _NAMED.sub(lambda m: f"{m.group(1)} [이름 비공개]", text)
    text = _HONORIFIC.sub("[이름 비공개]", text)
    return _ADDRESS.sub("[주소 비공개]", text)
