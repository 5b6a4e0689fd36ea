"""Showing a wall screen to the call: "이 화면 통화에 보여줘", "재난 화면 공유해", "공유 중지".

The wall does the sharing (assistant/web/static/js/share.js sends the screen instead of the camera); the dialogue
only finds the call and sends the wall a `call.share` directive. `references.resolve` routes these words to
`navigate` (screen control, the mayor's): the classifier has no intent for them and guesses anything, end_call too.
"""

from __future__ import annotations

import re
from typing import Any

from .base import Context, Reply

SHARE_RE = re.compile(r"화면\s?공유|통화(?:에|에서|\s?상대\S*|\s?참석자\S*)\s?(?:\S+\s?){0,2}(?:보여|띄워|공유)")
STOP_RE = re.compile(r"공유\s?(?:를\s?|는\s?)?(?:중지|중단|그만|끝|꺼|끄|멈|해제|종료|취소|안\s?해)")
START_RE = re.compile(r"공유\s?(?:해|하|시작|켜)")  # "공유해": a share only while a call is on (공유 자전거 is not)


def cue(text: str, in_call: bool) -> bool:
    return bool(SHARE_RE.search(text) or STOP_RE.search(text) or (in_call and START_RE.search(text)))


async def live_call(ctx: Context) -> str | None:
    """The call this session placed, or else the newest live call this user placed."""
    if (active := ctx.tracker.get_slot("active_call")) and (call := await ctx.records.call(active)) and call["status"] != "ended":
        return active
    calls = await ctx.records.live_calls(ctx.actor.user_id) if ctx.actor.user_id is not None else []
    return calls[0] if calls else None


async def answer(ctx: Context) -> Reply:
    text = ctx.text
    call_id = await live_call(ctx)
    if call_id is None:
        return Reply("진행 중인 통화가 없어 화면을 공유할 수 없습니다.", short="통화 없음")
    if STOP_RE.search(text):
        directive: dict[str, Any] = {"type": "call.share", "call_id": call_id, "sharing": False}
        return Reply("화면 공유를 멈추고 카메라 영상으로 돌아갑니다.", short="화면 공유 중지", directives=[directive])
    directive = {"type": "call.share", "call_id": call_id, "sharing": True}
    from .office import WALL_WORDS  # (imports this module)

    if (screen := ctx.mentioned("screen")) and screen != "back":  # "메인 화면 통화에 보여줘"
        directive["screen"] = screen
    elif named := next(((s, layer) for rx, s, layer, _ in WALL_WORDS if rx.search(text)), None):  # "재난 화면 공유해"
        directive |= {"screen": named[0], **({"layer": named[1]} if named[1] else {})}
    return Reply(
        "통화 상대에게 지금 벽면 화면을 보여줍니다. 그만하시려면 '공유 중지'라고 말씀해 주세요.",
        short="화면 공유 중",
        directives=[directive],
    )
