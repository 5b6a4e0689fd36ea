"""What the dialogue says about calls, without media: "방금 통화 회의록 보여줘" and sharing a wall screen.

The calls here are rows in the app's own database (the real storage API, as assistant/calls.py writes them);
tests/test_calls.py makes real calls with media, and its minutes, in a network namespace.
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import add_user, bearer, say

from actions.records import Actor

MINUTES = {
    "title": "영상통화 회의록 - 재난안전과 김민수 과장 (2026-11-21 14:03)",
    "started_at": "2026-11-21 14:03",
    "ended_at": "2026-11-21 14:09",
    "participants": ["서울시장", "재난안전과 김민수 과장"],
    "transcript": [{"speaker": "서울시장", "start_s": 1.0, "end_s": 4.0, "text": "대피는 오후 세 시까지 마치기로 했습니다."}],
    "decisions": ["대피는 오후 세 시까지 마치기로 했습니다. (서울시장)"],
    "actions": ["현장 사진을 보고해 주세요. (재난안전과 김민수 과장)"],
    "recording": None,
}


class Office:
    """The app's storage, driven on the app's own loop."""

    def __init__(self, client) -> None:
        self.client, self.storage = client, client.app.state.storage

    def run(self, fn, *args: Any) -> Any:
        return self.client.portal.call(fn, *args)

    def user(self, username: str) -> Any:
        return self.run(self.storage.user_by_name, username)

    def call(self, caller: str, officer: str, joined: list[str]) -> str:
        """A call from `caller` to `officer`; the users in `joined` joined it from a device."""
        me, them = self.user(caller), self.user(officer)
        actor = Actor(me.username, me.role, "wall", "test", me.id)
        call = self.run(self.storage.start_call, actor, them.officer())
        for name in joined:
            u = self.user(name)
            if not u.id == me.id:
                assert self.run(self.storage.set_state, actor, call["id"], u.id, "accepted", ("ringing",))
            assert self.run(self.storage.set_state, actor, call["id"], u.id, "joined", ("accepted",))
        return call["id"]

    def end(self, call_id: str) -> None:
        assert self.run(self.storage.end_call, Actor("system", "system"), call_id)

    def status(self, call_id: str) -> str:
        return self.run(self.storage.call, call_id)["status"]


@pytest.fixture
def office(client, mayor) -> Office:
    for name in ("ofc-001", "ofc-003"):
        add_user(client, name, "officer", "officer-pass-2026")
    return Office(client)


def test_just_now_minutes_show_the_users_own_last_call_to_its_participants_only(client, mayor, officer, office):
    safety = bearer(client, "ofc-001", "officer-pass-2026")
    fire = bearer(client, "ofc-003", "officer-pass-2026")
    ask = "방금 통화 회의록 보여줘"

    # No call yet: said plainly.
    none = say(client, ask, headers=mayor, session_id="m0")
    assert "참여하신 영상통화가 없어" in none["text"] and none["directives"] == []

    # A call in progress is not ended by the question (the classifier alone takes "통화" for end_call).
    call_id = office.call("mayor", "ofc-001", ["mayor", "ofc-001"])
    live = say(client, ask, headers=mayor, session_id="m1")
    assert "아직 진행 중" in live["text"] and office.status(call_id) == "active"

    # Ended seconds ago, minutes still being written.
    office.end(call_id)
    writing = say(client, ask, headers=mayor, session_id="m2")
    assert writing["text"].startswith("아직 회의록이 작성되지 않았습니다"), writing["text"]

    # Written: the mayor hears who was there, what was decided and what is to be done; the wall shows it.
    office.run(office.storage.save_minutes, call_id, office.user("mayor").id, {"call_id": call_id, **MINUTES}, "# 회의록")
    shown = say(client, ask, headers=mayor, session_id="m3")
    text = shown["text"]
    assert "서울시장" in text and "재난안전과 김민수 과장" in text and "2026-11-21 14:03" in text, text
    assert "오후 세 시까지 마치기로 했습니다" in text and "현장 사진을 보고해 주세요" in text, text
    assert text.rstrip().endswith("다.")  # 합니다체 for the mayor
    watch = say(client, ask, channel="watch", headers=mayor, session_id="m4")["text"]
    assert 0 < len(watch) <= 40 and "결정 1건" in watch, watch
    show = next(d for d in shown["directives"] if d["type"] == "show")
    assert show["screen"] == "minutes" and show["data"]["call_id"] == call_id
    assert show["data"]["decisions"] == MINUTES["decisions"] and show["data"]["url"] == f"/v1/calls/{call_id}/minutes"
    assert any(s["url"] == f"/v1/calls/{call_id}/minutes" for s in shown["sources"])
    assert client.get(show["data"]["url"], headers=mayor).json()["decisions"] == MINUTES["decisions"]  # the link opens

    # The officer who was in it sees it too (no wall to move); one who was not, and a citizen, do not.
    theirs = say(client, "아까 통화 회의록 좀 보여줄래?", channel="tablet", headers=safety, session_id="o1")
    assert "마치기로 했습니다" in theirs["text"] and not any(d["type"] == "show" for d in theirs["directives"])
    other = say(client, ask, channel="tablet", headers=fire, session_id="o2")
    assert "참여하신 영상통화가 없어" in other["text"] and "마치기로" not in other["text"]
    citizen = say(client, ask, channel="public", session_id="c1")
    assert "내부 업무용" in citizen["text"] and "마치기로" not in citizen["text"] and "김민수" not in citizen["text"]

    # A newer call that was only rung (missed) is not "the call just now" of the officer who never joined it.
    missed = office.call("mayor", "ofc-002", ["mayor"])
    office.end(missed)
    officer_view = say(client, ask, channel="tablet", headers=officer, session_id="o3")
    assert "참여하신 영상통화가 없어" in officer_view["text"]


def test_sharing_a_wall_screen_is_a_directive_for_the_wall_during_a_call(client, mayor, officer, office):
    # Without a call there is nothing to share into.
    nothing = say(client, "이 화면 통화에 보여줘", headers=mayor, session_id="s0")
    assert "진행 중인 통화가 없어" in nothing["text"] and nothing["directives"] == []

    call_id = office.call("mayor", "ofc-001", ["mayor", "ofc-001"])
    cases = [
        ("이 화면 통화에 보여줘", True, None),
        ("재난 화면 공유해", True, "city_status"),
        ("지도 통화에 보여줘", True, "main"),
        ("화면 공유 중지해", False, None),
        ("공유 그만", False, None),
    ]
    for text, sharing, screen in cases:
        reply = say(client, text, headers=mayor, session_id="s1")
        share = next((d for d in reply["directives"] if d["type"] == "call.share"), None)
        assert share is not None, (text, reply["intent"], reply["text"])
        assert share["call_id"] == call_id and share["sharing"] is sharing and share.get("screen") == screen, (text, share)
        assert office.status(call_id) == "active", text  # never taken for "통화 종료"
    # Only the mayor drives the wall.
    refused = say(client, "이 화면 통화에 보여줘", channel="tablet", headers=officer, session_id="s2")
    assert "시장만" in refused["text"] and refused["directives"] == []


def test_the_share_endpoint_checks_who_and_when(client, mayor, officer, office):
    call_id = office.call("mayor", "ofc-001", [])
    for hdrs, status, code in ((officer, 403, "call_forbidden"), (mayor, 409, "call_not_joined"), (None, 401, "not_authenticated")):
        r = client.post(f"/v1/calls/{call_id}/share", json={"sharing": True}, headers=hdrs)
        assert r.status_code == status and r.json()["error"]["code"] == code, r.text
        assert any("가" <= ch <= "힣" for ch in r.json()["error"]["message"])
    office.end(call_id)
    r = client.post(f"/v1/calls/{call_id}/share", json={"sharing": True}, headers=mayor)
    assert r.status_code == 409 and r.json()["error"]["code"] == "call_ended", r.text
