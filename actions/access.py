"""Who may do what. The one table of permissions: the server's `require(permission)` and the actions both read it.

The role arrives in the message metadata (`role`), set by the server from the signed-in user; anonymous
callers are citizens whatever they send. What citizens receive is built from public fields, and
`privacy.guard` scrubs every citizen-bound text once more at the server's edge.
"""

from __future__ import annotations

from typing import Literal

Role = Literal["mayor", "officer", "citizen", "admin"]
ROLES: tuple[Role, ...] = ("mayor", "officer", "citizen", "admin")
ROLE_NAMES = {
    "mayor": ("시장", "the mayor"),
    "officer": ("공무원", "officers"),
    "admin": ("관리자", "admins"),
    "citizen": ("시민", "citizens"),
}

# permission -> the roles that hold it. Officers work inside city hall: internal data and documents, CCTV,
# video calls with colleagues, and the approvals of their own department (to see, not to decide).
# Only the mayor decides approvals and drives the wall; admins manage accounts and documents.
GRANTS: dict[str, tuple[Role, ...]] = {
    "public_data": ("citizen", "officer", "mayor", "admin"),
    "internal_data": ("officer", "mayor", "admin"),
    "cctv": ("officer", "mayor"),
    "call": ("officer", "mayor"),
    "approvals_view": ("officer", "mayor"),  # officers: their own department's documents
    "approve": ("mayor",),
    "screen": ("mayor",),
    "briefing": ("mayor", "officer"),
    "audit": ("mayor", "admin"),
    "ingest": ("admin",),
    "manage_users": ("admin",),
    "metrics": ("admin",),
}
PERMISSIONS: dict[str, set[str]] = {role: {p for p, roles in GRANTS.items() if role in roles} for role in ROLES}


def can(role: str, permission: str) -> bool:
    return permission in PERMISSIONS.get(role, set())


def who(permission: str) -> tuple[str, str]:
    """The roles that hold a permission, in Korean and English: "시장", "시장·공무원"."""
    roles = GRANTS[permission]
    return "·".join(ROLE_NAMES[r][0] for r in roles), " and ".join(ROLE_NAMES[r][1] for r in roles)


def refusal(role: str, permission: str | None = None, english: bool = False) -> str:
    if role == "citizen" and english:
        return "Sorry, that is an internal feature of City Hall and is not available on public channels. Ask me anything about the city's public information."
    if role == "citizen":
        return "죄송합니다. 이 기능은 시청 내부 업무용이라 공개 채널에서는 이용하실 수 없습니다. 공개된 도시 정보는 언제든 물어보세요."
    if permission:
        return f"이 기능은 {who(permission)[0]}만 사용할 수 있습니다."
    return "이 기능을 사용할 권한이 없습니다."


def redact(text: str) -> str:
    """Personal data out of free text shown to citizens (the privacy guard)."""
    from .privacy import guard

    return guard(text)
