"""Channels shape the reply (the watch gets one line); they never decide who is speaking."""

from __future__ import annotations

from typing import Any, Literal

Channel = Literal["wall", "tablet", "watch", "public", "kiosk"]
CHANNELS: tuple[str, ...] = ("wall", "tablet", "watch", "public", "kiosk")


WATCH_CHARS = 40  # one line on a watch face


def fit(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word and marked with …"""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,·.(") + "…"


def shape(messages: list[dict[str, Any]], channel: str) -> dict[str, Any]:
    """Merge the action messages into one reply for the channel.

    watch: the one-line `short` form, no screen data; wall, tablet: full text with data;
    public, kiosk: full text (actions already word it for citizens and hold back internal data).
    """
    texts, shorts, directives, sources, data = [], [], [], [], None
    for m in messages:
        custom = m.get("custom") or {}
        if m.get("text"):
            texts.append(m["text"])
            shorts.append(custom.get("short") or m["text"])
        directives += custom.get("directives") or []
        sources += custom.get("sources") or []
        data = custom.get("data") or data
    lines = [fit(" · ".join(shorts), WATCH_CHARS)] if channel == "watch" and shorts else texts
    return {
        "messages": [{"text": t} for t in lines],
        "text": " ".join(lines),
        "directives": directives,
        "sources": sources,
        "data": None if channel == "watch" else data,
    }
