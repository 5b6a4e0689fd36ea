"""Minutes of a call: the transcript with speakers and times, and an extractive summary of what was decided.

Decisions and action items are the transcript's own sentences picked by Korean cue words (extractive: no
sentence is written that nobody said).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from nlu.discourse import SEOUL

DECISION_CUES = ("하기로", "결정", "확정", "승인", "합시다", "정했", "진행합니다", "진행하겠습니다")
ACTION_CUES = ("해주세요", "해 주세요", "바랍니다", "까지", "하겠습니다", "보고해", "부탁", "챙겨", "조치")


class Line(BaseModel):
    speaker: str
    start_s: float
    end_s: float
    text: str


class Minutes(BaseModel):
    call_id: str
    title: str
    started_at: str
    ended_at: str
    participants: list[str]
    transcript: list[Line]
    decisions: list[str]
    actions: list[str]
    recording: str | None = None

    def markdown(self) -> str:
        """The document that goes into the reading room (internal)."""
        out = [
            "---",
            "public: false",
            f"title: {self.title}",
            "---",
            f"# {self.title}",
            "",
            f"- 일시: {self.started_at} ~ {self.ended_at}",
            f"- 참석: {', '.join(self.participants)}",
            "",
            "## 요약",
            "",
            "### 결정 사항",
            *([f"- {d}" for d in self.decisions] or ["- 없음"]),
            "",
            "### 할 일",
            *([f"- {a}" for a in self.actions] or ["- 없음"]),
            "",
            "## 대화 기록",
            "",
            *[f"- [{clock(line.start_s)}] {line.speaker}: {line.text}" for line in self.transcript],
            "",
        ]
        return "\n".join(out)


def clock(seconds: float) -> str:
    m, s = divmod(int(seconds), 60)
    return f"{m:02d}:{s:02d}"


def sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.?!。])\s+|\n+", text) if s.strip()]


def summarize(lines: list[Line]) -> tuple[list[str], list[str]]:
    decisions, actions = [], []
    for line in lines:
        for s in sentences(line.text):
            said = f"{s} ({line.speaker})"
            if any(c in s for c in DECISION_CUES):
                decisions.append(said)
            elif any(c in s for c in ACTION_CUES):
                actions.append(said)
    return decisions, actions


def build(
    call_id: str,
    title: str,
    started: datetime,
    ended: datetime,
    participants: list[str],
    captions: list[dict[str, Any]],
    recording: str | None,
) -> Minutes:
    lines = sorted((Line(**{k: c[k] for k in ("speaker", "start_s", "end_s", "text")}) for c in captions), key=lambda x: x.start_s)
    decisions, actions = summarize(lines)
    fmt = "%Y-%m-%d %H:%M"
    return Minutes(
        call_id=call_id,
        title=title,
        started_at=started.astimezone(SEOUL).strftime(fmt),  # Seoul time, whatever the server's zone
        ended_at=ended.astimezone(SEOUL).strftime(fmt),
        participants=participants,
        transcript=lines,
        decisions=decisions,
        actions=actions,
        recording=recording,
    )
