""" "방금 통화 회의록 보여줘": the minutes of the user's newest call, for the people who were in it.

Read from the call records (`Records.last_call`, `Records.minutes`: the tables assistant/calls.py writes when a
call ends). `references.resolve` routes the words here through knowledge_question: the classifier takes "통화" in
them for end_call, and the reading room would answer with whichever minutes ranked first, not the user's own.
"""

from __future__ import annotations

import re
from datetime import datetime

from . import access
from .base import Context, Reply
from .records import call_name, now

CONTEXT_RE = re.compile(r"통화|방금|아까|회의|조금\s?전|마지막")
WRITING_S = 300  # minutes are written within seconds of the end; missing after this, there will be none
SPOKEN = 3  # decisions or action items read out; the wall shows them all


def cue(text: str) -> bool:
    """회의록 with a call, a meeting or "just now" around it (회의록 alone stays a question to the reading room)."""
    return "회의록" in text and bool(CONTEXT_RE.search(text.replace("회의록", "")))


def listed(items: list[str], what: str) -> str:
    """ "결정 사항 2건: …했습니다(서울시장); …" (each item is a sentence said, then its speaker in brackets)."""
    if not items:
        return f"{what}은 기록되지 않았습니다."
    said = [re.sub(r"[.!?]?\s*\(([^()]+)\)$", r"(\1)", i) for i in items[:SPOKEN]]
    more = f" 외 {len(items) - SPOKEN}건" if len(items) > SPOKEN else ""
    return f"{what} {len(items)}건: {'; '.join(said)}{more}."


async def answer(ctx: Context) -> Reply:
    if not access.can(ctx.role, "call") or ctx.actor.user_id is None:  # citizens (and admins) never see a call's minutes
        return Reply(access.refusal(ctx.role, "call"), short="권한 없음")
    call = await ctx.records.last_call(ctx.actor.user_id)
    if call is None:
        return Reply("최근에 참여하신 영상통화가 없어 보여드릴 회의록이 없습니다.", short="참여한 통화 없음")
    if call["status"] != "ended":
        return Reply("통화가 아직 진행 중입니다. 회의록은 통화가 끝나면 작성됩니다.", short="통화 중: 회의록은 종료 후")
    m = await ctx.records.minutes(call["id"])
    if m is None:
        if (now() - datetime.fromisoformat(call["ended_at"])).total_seconds() < WRITING_S:
            return Reply(
                "아직 회의록이 작성되지 않았습니다. 방금 끝난 통화의 회의록을 정리하고 있으니 잠시 후 다시 말씀해 주세요.",
                short="회의록 작성 중",
            )
        return Reply("그 통화에는 회의록이 없습니다. 대화가 기록되지 않아 작성되지 않았습니다.", short="회의록 없음")
    url = f"/v1/calls/{call['id']}/minutes"
    data = {"type": "minutes", "call_id": call["id"], "url": url} | {
        k: m[k] for k in ("title", "started_at", "ended_at", "participants", "decisions", "actions")
    }
    text = (
        f"{call_name(call['officer'])} 영상통화({m['started_at']}~{m['ended_at'][-5:]}) 회의록입니다. "
        f"참석: {', '.join(m['participants'])}. {listed(m['decisions'], '결정 사항')} {listed(m['actions'], '할 일')} "
        "전체 회의록은 링크에서 보실 수 있습니다."
    )
    return Reply(
        text,
        short=f"회의록 {m['started_at'][5:]} · 결정 {len(m['decisions'])}건 · 할 일 {len(m['actions'])}건"[:40],
        data=data,
        directives=[{"type": "show", "screen": "minutes", "data": data}] if access.can(ctx.role, "screen") else [],
        sources=[{"kind": "call_minutes", "title": m["title"], "location": "전체 회의록", "url": url}],
    )
