"""Conversations as users meet them (issue 12): a held-out dialogue set, scored turn by turn, with a pass rate by kind.

Every session of each set (`tests/data/conversations*.yml`, SETS) runs in-process against one app, signed in as its role (the
mayor at the wall, an officer on a tablet or a watch, a citizen on the public site or a kiosk), turn by turn in
one dialogue session. A turn passes when

- the intent is the expected one (or one of the expected ones),
- every `must` item is in the reply text (an item that is a list passes when any of its alternatives is there),
- no `must_not` item is in it,
- the role's and channel's rules hold: a watch reply is one line of at most 40 characters; a mayor's reply keeps
  the 합니다체 register; a citizen's reply carries no personal or internal data,
- an `english` turn is answered in English,
- a `screen` turn moved the wall: the reply's directives (or the wall topic of the app's bus) carry a
  `navigate` or `show`.

The test prints the pass rate by kind and overall and every failing turn, then asserts the overall rate is at
least the floor of its set (SETS).
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import add_user, bearer, reset_caches
from fastapi.testclient import TestClient

DATA = Path(__file__).parent / "data"
# Ten held-out sets, each written by someone who did not write the fixes, after the fixes the sets before it guided:
# its first run measures how those fixes carry over to new phrasings (0.73-0.76, then 0.71 and 0.64 as the sets
# reached further into the data, then 0.755, 0.693, 0.748 and 0.840); later runs guided the next round.
# The floor of each is its measured overall pass rate less about two turns. Raise it as fixes land (never lower it
# to make a change pass); the aim of issue 12 is 0.95.
SETS = {
    # 202/260 = 0.777 when written (58 sessions); 0.838 after the first fixes; 258/260 = 0.992 now
    "conversations.yml": 0.98,
    # 204/279 = 0.731 when written (71 sessions, after the fixes the first set guided); 263/279 = 0.943 now
    "conversations_2.yml": 0.93,
    # 210/287 = 0.73 on its first full run (73 sessions, written after two rounds of fixes); 274/292 = 0.938 now
    "conversations_3.yml": 0.93,
    # 226/298 = 0.758 on its first full run (89 sessions, written after three rounds of fixes); 232/298 after its
    # writer fixed seven of their own expectations; 286/298 = 0.960 now
    "conversations_4.yml": 0.95,
    # 251/352 = 0.713 on its first full run (96 sessions, written after four rounds of fixes); 262/352 after its
    # writer fixed their own expectations; 335/352 = 0.952 now
    "conversations_5.yml": 0.94,
    # 214/333 = 0.643 on its first full run (127 sessions, written after five rounds of fixes); about 223/333 against
    # its writer's corrected expectations; 293/333 = 0.880 now
    "conversations_6.yml": 0.87,
    # 246/326 = 0.755 on its first full run (103 sessions, written after six rounds of fixes); five of its writer's
    # expectations given the reply's number format too ("5만 2,720"); 295/326 = 0.905 now
    "conversations_7.yml": 0.89,
    # 226/326 = 0.693 on its first full run (102 sessions, written after seven rounds of fixes); 278/326 = 0.853 now
    "conversations_8.yml": 0.84,
    # 249/333 = 0.748 on its first full run (104 sessions, written after eight rounds of fixes); 301/333 = 0.904 now
    "conversations_9.yml": 0.89,
    # 295/351 = 0.840 on its first full run (108 sessions, written after nine rounds of fixes and this round's first
    # ones); 304/351 now
    "conversations_10.yml": 0.85,
}

KINDS = (
    "plain", "correction", "scope", "reference", "time", "multi", "document", "limits",
    "smalltalk", "screen", "undo", "typo", "english", "watch",
)  # fmt: skip
ROLES = {"mayor", "officer", "citizen"}
CHANNELS = {"mayor": {"wall", "watch", "tablet"}, "officer": {"tablet", "watch"}, "citizen": {"public", "kiosk"}}
SCREEN_DIRECTIVES = {"navigate", "show", "cctv"}  # the wall's cctv directive opens its CCTV screen (wall.js)
WATCH_MAX = 40

# Personal and internal data a citizen's reply must never carry, whatever the turn (phone numbers of residents and
# of officers, internal-only figures of the sample data and internal reports).
CITIZEN_NEVER = ("010-", "02-2133", "민원인", "청렴도 2등급", "42억 원", "58억 원", "누적 구축 비용", "180만 장", "하루 평균 420명")
# 해요체 sentence endings: the mayor is answered in 합니다체 ("…입니다.", "…할까요?" and "…해 주세요." are fine).
HAEYO = re.compile(r"(?:[아어여해에예이]요|네요|죠|군요|거든요|래요|대요)(?:[.!~]|$)", re.MULTILINE)

HANGUL = re.compile(r"[가-힣]")
LATIN = re.compile(r"[A-Za-z]")


def load(name: str) -> list[dict[str, Any]]:
    sessions = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))["sessions"]
    ids = [s["id"] for s in sessions]
    assert len(ids) == len(set(ids)), "session ids must be unique"
    for s in sessions:
        assert s["role"] in ROLES and s["channel"] in CHANNELS[s["role"]], s["id"]
        for t in s["turns"]:
            assert t["kind"] in KINDS, (s["id"], t)
            assert isinstance(t["text"], str) and t["text"].strip(), (s["id"], t)
            assert isinstance(t["intent"], str | list), (s["id"], t)
    return sessions


SESSIONS = {name: load(name) for name in SETS}


def alternatives(item: str | list[str]) -> list[str]:
    return [item] if isinstance(item, str) else list(item)


def judge(session: dict, turn: dict, reply: dict, wall: list[dict]) -> list[str]:
    """What is wrong with one reply (empty: the turn passes)."""
    problems: list[str] = []
    text = reply.get("text") or ""
    expected = alternatives(turn["intent"])
    got = (reply.get("intent") or {}).get("name")
    if got not in expected:
        problems.append(f"intent {got} ∉ {expected}")
    for item in turn.get("must") or []:
        alts = alternatives(item)
        if not any(a in text for a in alts):
            problems.append(f"missing {alts[0] if len(alts) == 1 else alts}")
    for bad in turn.get("must_not") or []:
        if bad in text:
            problems.append(f"has {bad!r}")
    if session["channel"] == "watch" or turn["kind"] == "watch":
        if len(text) > WATCH_MAX or "\n" in text:
            problems.append(f"watch line of {len(text)} chars{' with a line break' if chr(10) in text else ''}")
    if session["role"] == "mayor" and session["channel"] != "watch" and (m := HAEYO.search(text)):
        problems.append(f"not 합니다체: …{text[max(0, m.start() - 8) : m.end()]}")
    if turn["kind"] == "english":
        hangul = len(HANGUL.findall(text))
        if hangul > 0.2 * max(1, hangul + len(LATIN.findall(text))):  # Korean place names beside English are fine
            problems.append("answered in Korean, not English")
    if session["role"] == "citizen":
        leaked = [x for x in CITIZEN_NEVER if x in str(reply.get("text")) + str(reply.get("data"))]
        if leaked:
            problems.append(f"citizen sees {leaked}")
    if turn["kind"] == "screen":
        moved = [d for d in (reply.get("directives") or []) + wall if d.get("type") in SCREEN_DIRECTIVES]
        if not moved:
            problems.append(f"wall not moved (directives {[d.get('type') for d in reply.get('directives') or []]})")
    return problems


@pytest.fixture
def app(fresh_db, monkeypatch):
    """One app for the whole set, without rate limits (hundreds of turns in a minute from one address)."""
    monkeypatch.setenv("SECRETARY_RATE_LIMITS", "false")
    reset_caches()
    from assistant.app import create_app

    with TestClient(create_app()) as c:
        yield c


@pytest.mark.parametrize("name", SETS)
def test_conversations_as_users_meet_them(app, name):
    add_user(app, "mayor", "mayor", "mayor-pass-2026")
    add_user(app, "ofc-002", "officer", "officer-pass-2026")  # 이서연, 교통정책과 과장 (the sample directory)
    headers = {
        "mayor": bearer(app, "mayor", "mayor-pass-2026"),
        "officer": bearer(app, "ofc-002", "officer-pass-2026"),
        "citizen": {},
    }
    bus = app.app.state.secretary.bus
    wall_sub = app.portal.call(lambda: _subscribe(bus))

    def drain() -> list[dict]:
        async def go() -> list[dict]:
            out = []
            while not wall_sub.queue.empty():
                out.append(wall_sub.queue.get_nowait().frame.get("directive") or {})
            return out

        return app.portal.call(go)

    by_kind: dict[str, list[bool]] = defaultdict(list)
    by_role: dict[str, list[bool]] = defaultdict(list)
    failures: list[tuple[str, dict, dict, list[str]]] = []
    for i, session in enumerate(SESSIONS[name]):
        sid = f"conv-{name}-{i}"  # a session id is at most 64 characters
        app.portal.call(_pending_again, app.app.state.storage)  # each session starts from the sample's pending list
        for turn in session["turns"]:
            drain()
            r = app.post(
                "/v1/chat",
                json={"text": turn["text"], "channel": session["channel"], "session_id": sid},
                headers=headers[session["role"]],
            )
            reply = r.json() if r.status_code == 200 else {"text": f"HTTP {r.status_code}: {r.text[:200]}"}
            problems = judge(session, turn, reply, drain())
            by_kind[turn["kind"]].append(not problems)
            by_role[session["role"]].append(not problems)
            if problems:
                failures.append((session["id"], turn, reply, problems))
    wall_sub.close()

    total = [ok for oks in by_kind.values() for ok in oks]
    rate = sum(total) / len(total)
    print(f"\n\nConversations ({name}): {len(SESSIONS[name])} sessions, {len(total)} turns")
    print(f"{'kind':<12}{'turns':>7}{'passed':>8}{'rate':>8}")
    for kind in KINDS:
        oks = by_kind.get(kind, [])
        if oks:
            print(f"{kind:<12}{len(oks):>7}{sum(oks):>8}{sum(oks) / len(oks):>8.2f}")
    for role in sorted(by_role):
        oks = by_role[role]
        print(f"{'(' + role + ')':<12}{len(oks):>7}{sum(oks):>8}{sum(oks) / len(oks):>8.2f}")
    print(f"{'overall':<12}{len(total):>7}{sum(total):>8}{rate:>8.2f}   (floor {SETS[name]}, aim 0.95)")
    print(f"\nFailing turns ({len(failures)}):")
    for sid, turn, reply, problems in failures:
        got = (reply.get("intent") or {}).get("name")
        print(f"- [{turn['kind']}] {sid}: {turn['text']!r}")
        print(f"    expected {turn['intent']} must {turn.get('must') or []} must_not {turn.get('must_not') or []}")
        print(f"    got      {got}: {(reply.get('text') or '')[:160]!r}")
        print(f"    why      {'; '.join(problems)}")
    assert rate >= SETS[name], f"pass rate {rate:.3f} fell below the floor {SETS[name]}"


async def _subscribe(bus):
    return bus.subscribe(["wall"])


async def _pending_again(storage) -> None:
    """Every sample approval pending again: a session's decisions (and undos that failed) do not leak into the next."""
    from sqlalchemy import update

    from actions.records import ApprovalRow

    async with storage.session() as db, db.begin():
        await db.execute(update(ApprovalRow).values(status="pending", decided_at=None, decided_by=None))


@pytest.mark.parametrize("name", SETS)
def test_the_set_is_large_and_varied_enough(name):
    sessions = SESSIONS[name]
    turns = [t for s in sessions for t in s["turns"]]
    assert len(sessions) >= 40 and len(turns) >= 200
    assert {t["kind"] for t in turns} == set(KINDS)
    assert {s["role"] for s in sessions} == ROLES
    assert {s["channel"] for s in sessions} >= {"wall", "tablet", "watch", "public", "kiosk"}


# Training examples older than the sets (nlu/data as of a16731e, 2026-11-22) that writers of the fourth and later sets
# happened to say word for word: common phrases, not copies of the held-out turns.
OLDER_THAN_THE_SETS = {
    "이전 화면",
    "결재 올라온 거 뭐 있어",
    "안녕하세요",
    "잘 있어요",
    "고맙습니다",
    "통화 종료",
    "감사합니다",
    "올림픽대로",
    "응 승인해",
    "네 승인합니다",
    "응 그렇게 해",
}


def test_the_set_stays_out_of_training_data():
    nlu = "\n".join(p.read_text(encoding="utf-8") for p in (Path(__file__).parents[1] / "nlu" / "data").glob("*.yml"))
    examples = {line.strip()[2:].strip() for line in nlu.splitlines() if line.strip().startswith("- ")}
    plain = {re.sub(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})", r"\1", e) for e in examples}
    turns = [t["text"] for sessions in SESSIONS.values() for s in sessions for t in s["turns"]]
    copied = [t for t in turns if t in plain and len(t) > 4 and t not in OLDER_THAN_THE_SETS]
    assert not copied, f"turns of the held-out set found in nlu/data: {copied}"
