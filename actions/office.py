"""The mayor's office: wall-screen navigation, approvals and video calls (side effects ask first)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from rasa_sdk.events import EventType, SlotSet

from nlu import discourse, korean
from nlu.entities import DECISION_RE, DECISIONS

from . import access, deps, references, share
from .base import CityAction, Context, Reply
from .citydata import UnknownKey
from .korean import josa, when
from .records import call_name, now

SCREENS = {
    "main": "메인 화면",
    "city_status": "도시 현황",
    "admin_status": "행정 현황",
    "public_opinion": "시민 여론",
    "seoul_resume": "서울 이력서",
    "reading_room": "디지털 자료실",
    "back": "이전 화면",
}


# Screens of the wall beyond the canonical `screen` values (INTENTS.md): a word -> (screen, map layer, name).
WALL_WORDS = [
    (re.compile(r"예산|재정|세입"), "finance", None, "재정 현황"),
    (re.compile(r"공약"), "pledges", None, "공약 이행 현황"),
    (re.compile(r"생활\s?인구|인구"), "population", "population", "생활인구"),
    (re.compile(r"결재"), "approvals", None, "결재 대기 문서"),
    (re.compile(r"재난|화재|사고"), "city_status", "disaster", "재난 현황"),
    (re.compile(r"교통|도로|차량"), "city_status", "traffic", "교통 현황"),
    (re.compile(r"대기|미세\s?먼지|공기"), "city_status", "air", "대기질 현황"),
    (re.compile(r"지도|메인|처음"), "main", None, "메인 화면"),
    (re.compile(r"지표"), "admin_status", None, "행정 현황"),
]


class ActionNavigate(CityAction):
    intent = "navigate"
    permission = "screen"

    async def answer(self, ctx: Context) -> Reply:
        if share.cue(ctx.text, True):  # "이 화면 통화에 보여줘": into the call (share.py)
            return await share.answer(ctx)
        text = ctx.text
        if BACK_RE.search(text) and not ctx.mentioned("screen"):  # "방금 화면으로 돌아가"
            directive = {"type": "navigate", "screen": "back"}
            await ctx.records.audit(ctx.actor, "screen.navigate", "back", directive)
            return Reply("이전 화면으로 돌아갑니다.", short="← 이전 화면", directives=[directive], data={"type": "navigate", **directive})
        # "화면에 띄워" right after a project: that project
        bare = BARE_SHOW_RE.fullmatch(text.strip()) and ctx.tracker.get_slot("last_intent") == "project_status"
        if project := ctx.mentioned("project") or (ctx.tracker.get_slot("project") if bare else None):
            p = (await ctx.city.get("project", project)).data
            target = {"kind": "project", "name": project, "id": p["id"], "path": p["screen"]}
            directive = {"type": "navigate", "screen": "project", "target": target}
            await ctx.records.audit(ctx.actor, "screen.navigate", project, directive)
            reply = Reply(
                f"{josa(project, '으로')} 이동합니다.", short=f"→ {project}", directives=[directive], data={"type": "navigate", **directive}
            )
            reply.events.append(SlotSet("last_intent", "project_status"))  # "그거 언제 끝나": the project on the wall
            return reply
        if screen := ctx.mentioned("screen"):
            label = SCREENS[screen]
            directive = {"type": "navigate", "screen": screen}
            await ctx.records.audit(ctx.actor, "screen.navigate", screen, directive)
            text = "이전 화면으로 돌아갑니다." if screen == "back" else f"{josa(label, '으로')} 이동합니다."
            return Reply(text, short=f"→ {label}", directives=[directive], data={"type": "navigate", **directive})
        wall = next((w for w in WALL_WORDS if w[0].search(text)), None)
        if (loc := ctx.location()) and (not wall or any(ctx.mentioned(k) for k in ("district", "place", "station"))):
            kind, name = loc  # a place named, or the last one ("재난 화면 띄워" after a place is the screen)
            target: dict[str, Any] = {"kind": kind, "name": name}
            if kind == "place":
                target["code"] = (await ctx.city.get("place", name)).data.get("code")
            directive = {"type": "navigate", "screen": "map", "target": target}
            await ctx.records.audit(ctx.actor, "screen.navigate", name, directive)
            return Reply(
                f"지도에서 {josa(name, '을')} 보여드립니다.",
                short=f"→ {name}",
                directives=[directive],
                data={"type": "navigate", **directive},
            )
        if wall:  # "예산 화면으로", "공약 화면 띄워", "재난 화면": the wall's own screens
            _, screen, layer, label = wall
            directive = {"type": "navigate", "screen": screen, **({"layer": layer} if layer else {})}
            await ctx.records.audit(ctx.actor, "screen.navigate", screen, directive)
            return Reply(
                f"{josa(label, '으로')} 이동합니다.", short=f"→ {label}", directives=[directive], data={"type": "navigate", **directive}
            )
        return Reply(
            "어느 화면으로 이동할까요? 도시 현황, 행정 현황, 시민 여론, 서울 이력서, 디지털 자료실 또는 사업 이름을 말씀해 주세요.",
            short="어느 화면인가요?",
        )


async def visible_approvals(ctx: Context) -> list[dict[str, Any]]:
    """The mayor sees every pending document; an officer those of their own department."""
    return await ctx.records.pending_approvals(None if access.can(ctx.role, "approve") else ctx.department or "-")


def listed_events(docs: list[dict[str, Any]]) -> list[EventType]:
    """The list as shown; a list of one is also the document "그거" means."""
    return [SlotSet("listed_approvals", [a["id"] for a in docs])] + ([SlotSet("shown_approval", docs[0]["id"])] if len(docs) == 1 else [])


class ActionApprovalList(CityAction):
    intent = "approval_list"
    permission = "approvals_view"

    async def answer(self, ctx: Context) -> Reply:
        text = ctx.text
        viewed = references.APPROVAL_VIEW_RE.search(text) or references.SUBMITTED_RE.search(text)  # "…보고 올라왔지"
        if viewed and access.can(ctx.role, "approve"):  # "세 번째 건 내용", "…건은 누가 올렸나"
            listed, number = await pick(ctx, text)
            if number and 1 <= number <= len(listed) and (doc := await ctx.records.approval(listed[number - 1])):
                return detail(number, doc)
        pending = await visible_approvals(ctx)
        if references.URGENT_RE.search(text):  # "급한 건 뭐야"
            urgent = [a for a in pending if a["urgent"]]
            text = (
                f"긴급 결재 {len(urgent)}건: " + ", ".join(f"「{a['title']}」({a['department']})" for a in urgent) + "."
                if urgent
                else "긴급 결재 문서는 없습니다."
            )
            return Reply(
                text,
                short=f"긴급 {len(urgent)}건: " + " · ".join(a["title"][:12] for a in urgent),
                data={"type": "approvals", "items": urgent},
                events=listed_events(urgent),
            )
        if not pending:
            return Reply(
                "결재 대기 문서가 없습니다.",
                short="결재 대기 없음",
                data={"type": "approvals", "items": []},
                events=[SlotSet("listed_approvals", [])],
            )
        lines = [
            f"{i}. {'[긴급] ' if a['urgent'] else ''}{a['title']}({a['department']}, {when(a['submitted_at'])})"
            for i, a in enumerate(pending, 1)
        ]
        text = f"결재 대기 {len(pending)}건입니다. " + " ".join(lines)
        return Reply(
            text,
            short=f"결재 대기 {len(pending)}건",
            data={"type": "approvals", "items": pending},
            events=listed_events(pending),
        )


class ActionApprovalDecide(CityAction):
    intent = "approval_decide"
    permission = "approve"

    async def answer(self, ctx: Context) -> Reply:
        text = ctx.text
        if ctx.tracker.latest_message.get("keep"):  # the undo offered is not wanted: the decision stands
            doc = await ctx.records.approval((ctx.tracker.get_slot("pending_action") or {}).get("approval_id") or 0)
            done = "승인" if doc and doc["status"] == "approved" else "반려"
            return Reply(f"「{doc['title']}」 문서는 {done} 그대로 둡니다." if doc else "그대로 둡니다.", short=f"{done} 유지")
        undo = references.UNDO_RE.search(text) and (references.APPROVAL_WORDS_RE.search(text) or references.UNDO_STRONG_RE.search(text))
        if ctx.tracker.latest_message.get("undo") or undo:  # the dialogue's references found an undo ("아 그거 취소")
            shown = await ctx.records.approval(ctx.tracker.get_slot("shown_approval") or 0)
            if not (references.FLIP_RE.search(text) and shown and shown["status"] == "pending"):  # not decided yet: decide
                return await offer_undo(ctx)
        decision = ctx.mentioned("decision")
        pending_action = ctx.tracker.get_slot("pending_action") or {}
        if decision is None and pending_action.get("type") == "approval" and references.KEEP_RE.search(text):
            decision = pending_action["decision"]  # "아니 네 번째 말고 다섯 번째" to "…반려할까요?": the same decision
        if (
            ctx.mentioned("doc_number") is None
            and pending_action.get("type") == "approval"
            and decision in (None, pending_action["decision"])
        ):
            return await confirm(ctx, pending_action)  # "승인해" right after "…승인할까요?"
        listed, number = await pick(ctx, text)
        if len(each := numbered_decisions(text, ctx.tracker.latest_message.get("entities") or [])) > 1:
            if all(1 <= n <= len(listed) for n, _ in each):  # "세 번째 거 승인하고 네 번째는 반려"
                docs = [await ctx.records.approval(listed[n - 1]) for n, _ in each]
                pending_docs = [(d, dec) for d, (_, dec) in zip(docs, each, strict=True) if d and d["status"] == "pending"]
                if len(pending_docs) > 1:
                    return offer_batch([d for d, _ in pending_docs], [dec for _, dec in pending_docs])
        numbers = [int(e["value"]) for e in ctx.tracker.latest_message.get("entities") or [] if e["entity"] == "doc_number"]
        if decision and len(set(numbers)) > 1 and all(1 <= n <= len(listed) for n in numbers):  # "첫 번째랑 다섯 번째 둘 다 승인"
            if (
                len(
                    docs := [
                        d for n in dict.fromkeys(numbers) if (d := await ctx.records.approval(listed[n - 1])) and d["status"] == "pending"
                    ]
                )
                > 1
            ):
                return offer_batch(docs, [decision] * len(docs))
        if decision and number is None and ALL_RE.search(text) and 1 < len(listed) <= MAX_BATCH:
            if len(docs := [d for i in listed if (d := await ctx.records.approval(i)) and d["status"] == "pending"]) > 1:
                return offer_batch(docs, [decision] * len(docs))  # "두 개 다 승인해" after the urgent ones
            listed = [d["id"] for d in docs]
        if number is None and (shown := ctx.tracker.get_slot("shown_approval") or pending_action.get("approval_id")) in listed:
            number = listed.index(shown) + 1  # "반려해" right after "세 번째 건 내용", "응 승인해" to "…반려할까요?"
        if number is None:
            if len(listed) != 1:
                return Reply("몇 번째 문서인지 말씀해 주세요. 예: '첫 번째 문서 승인해'", short="문서 번호?", keeps_pending=False)
            number = 1
        if not 1 <= number <= len(listed):
            return Reply(f"결재 목록에는 {len(listed)}건이 있습니다. 1번부터 {len(listed)}번 중에서 말씀해 주세요.", short="번호 확인")
        doc = await ctx.records.approval(listed[number - 1])
        if doc is None:
            raise UnknownKey(f"{number}번 문서")
        if doc["status"] != "pending":
            done = "승인" if doc["status"] == "approved" else "반려"
            return Reply(f"「{doc['title']}」 문서는 이미 {done}되었습니다.", short=f"이미 {done}됨")
        if decision is None and references.APPROVAL_VIEW_RE.search(text):  # "2번 문서 내용 좀 보자": show it, decide later
            return detail(number, doc)
        if decision is None:
            return Reply(f"「{doc['title']}」 문서를 승인할까요, 반려할까요?", short="승인/반려?")
        verb = "승인" if decision == "approve" else "반려"
        pending = {
            "type": "approval",
            "approval_id": doc["id"],
            "decision": decision,
            "number": doc["number"],
            "asked_at": now().isoformat(),
        }
        return Reply(
            f"「{doc['title']}」({doc['department']}) 문서를 {verb}할까요?",
            short=f"{doc['title'][:24]} {verb}할까요?",
            data={"type": "approval_confirm", "document": doc, "decision": decision},
            events=[SlotSet("pending_action", pending)],
            keeps_pending=True,
        )


OFFICER_FIELDS = ("id", "username", "name", "title", "department")


def officer_label(o: dict[str, Any]) -> str:
    return f"{o['department']} {o['name']} {o['title']}"


THAT_FIELD_RE = re.compile(
    r"그\s?(?:분야|건|민원|문제|쪽|사업|공약|프로젝트)|해당\s?(?:분야|민원|사업)|담당|(?:그거|그것)\s?맡은|거기\s?(?:본부장|과장|국장|책임자)"
)
# the department in charge of each kind of city data, for "…물가 담당 과장 연결해 줘"
IN_CHARGE = {
    "price_info": "물가대책과",
    "water_quality": "상수도사업본부",
    "air_quality": "대기정책과",
    "disaster_status": "재난안전과",
    "traffic_status": "교통정책과",
    "transit_status": "버스정책과",
    "park_info": "공원여가정책과",
    "finance_status": "예산담당관",
    "intl_cooperation": "국제협력과",
    "public_opinion": "시민소통기획관",
}


def said_department(text: str, department: str) -> bool:
    """ "상수도 본부장 연결": the department's first word and its kind (본부, 과, 국) said apart."""
    head = re.match(r"[가-힣]{2,}?(?=사업|정책|관리|안전|본부|과$|국$)", department)
    kind = re.search(r"(본부|과|국|센터)$", department)
    return bool(head and kind and head.group(0) in text and re.search(rf"{head.group(0)}\S*\s+\S*{kind.group(1)}", text))


class ActionCallOfficer(CityAction):
    intent = "call_officer"
    permission = "call"

    async def answer(self, ctx: Context) -> Reply:
        officers = await ctx.records.directory()
        people, depts, topics = ctx.all_mentioned("person"), ctx.all_mentioned("department"), ctx.all_mentioned("topic")
        district = ctx.mentioned("district")
        text = ctx.text
        if not district and references.THERE_RE.search(text):  # "거기 담당 안전과장": the district just talked about
            district = ctx.tracker.get_slot("district")
        if not topics and THAT_FIELD_RE.search(text) and ctx.tracker.get_slot("topic"):  # "그 분야 담당자": the complaint topic
            topics = [ctx.tracker.get_slot("topic")]
        if not (people or depts or topics or district) and THAT_FIELD_RE.search(text):
            depts = await self.department_of_subject(ctx)  # "그 사업 담당자 연결해": the project's department
        if not (people or depts or topics or district) and (dept := IN_CHARGE.get(discourse.topic(text) or "")):
            depts = [dept]  # "장바구니 물가 담당 과장 연결해 줘": the department in charge of that data
        match = (
            [o for o in officers if o["name"] in people]
            or [o for o in officers if district and district in o["districts"]]
            or [o for o in officers if o["department"] in depts]
            or [o for o in officers if set(topics) & set(o["topics"])]
            or [o for o in officers if not o["districts"] and said_department(text, o["department"])]
        )
        if not match:
            who = next(iter(people + depts + ([district] if district else []) + topics), None)
            if who:
                return Reply(
                    f"{josa(str(who), '과')} 연결할 담당자를 찾지 못했습니다. 부서 이름으로 다시 말씀해 주세요.", short="담당자 없음"
                )
            return Reply("어느 부서 담당자를 연결할까요? 예: '재난안전과장 연결해줘'", short="어느 부서인가요?")
        if match[0]["id"] == ctx.actor.user_id:  # the asker is the one in charge
            label = officer_label({k: match[0][k] for k in OFFICER_FIELDS})
            return Reply(f"{label}님 본인이 담당하고 계십니다.", short="본인 담당입니다")
        officer = {k: match[0][k] for k in OFFICER_FIELDS}
        # "불법주차 담당 부서 어디예요": who is in charge, then the offer of a call
        ask = f"{josa(officer_label(officer), '이')} 담당합니다. 영상통화를 걸까요?" if references.WHO_RE.search(text) else None
        pending = {"type": "call", "officer": officer, "asked_at": now().isoformat()}
        active = ctx.tracker.get_slot("active_call")
        if active and (call := await ctx.records.call(active)) and call["status"] != "ended":  # "…도 연결해": join the call
            return Reply(
                f"{josa(officer_label(officer), '을')} 지금 통화에 초대할까요?",
                short=f"{officer['name']} {officer['title']} 초대할까요?",
                data={"type": "call_confirm", "officer": officer, "call_id": active},
                events=[SlotSet("pending_action", pending | {"call_id": active})],
                keeps_pending=True,
            )
        return Reply(
            ask or f"{officer_label(officer)}에게 영상통화를 걸까요?",
            short=f"{officer['name']} {officer['title']} 연결할까요?",
            data={"type": "call_confirm", "officer": officer},
            events=[SlotSet("pending_action", pending)],
            keeps_pending=True,
        )

    @staticmethod
    async def department_of_subject(ctx: Context) -> list[str]:
        for kind in ("project", "pledge"):
            if name := ctx.tracker.get_slot(kind):
                try:
                    return [(await ctx.city.get(kind, name)).data["department"]]
                except UnknownKey:
                    pass
        return []


class ActionEndCall(CityAction):
    intent = "end_call"
    permission = "call"

    async def answer(self, ctx: Context) -> Reply:
        ended = await ctx.records.end_calls(ctx.actor)
        if not ended:
            return Reply("진행 중인 통화가 없습니다.", short="통화 없음")
        return Reply(
            "통화를 종료했습니다.",
            short="통화 종료",
            directives=[{"type": "call.end", "call_ids": ended}],
            events=[SlotSet("active_call", None)],
        )


def expired(pending: dict[str, Any]) -> bool:
    asked = pending.get("asked_at")
    return asked is None or (now() - datetime.fromisoformat(asked)).total_seconds() > deps.settings().confirm_ttl_s


async def confirm(ctx: Context, pending: dict[str, Any]) -> Reply:
    """Carry out the side effect the user just confirmed: once, as it was shown, within the confirmation window."""
    kind = pending.get("type")
    if kind not in ("approval", "undo", "call"):
        return Reply("네, 말씀하세요.", short="네")
    permission = "call" if kind == "call" else "approve"
    if not access.can(ctx.role, permission):
        return Reply(access.refusal(ctx.role, permission), short="권한 없음")
    if expired(pending):
        return Reply("확인 시간이 지나 요청을 취소했습니다. 다시 말씀해 주세요.", short="시간 초과로 취소")
    if kind == "approval" and pending.get("batch"):
        replies = [await decide(ctx, {**pending, **item}) for item in pending["batch"]]
        return Reply(
            " ".join(r.text for r in replies),
            short=f"{len(replies)}건 처리",
            data={"type": "approvals_decided", "documents": [r.data["document"] for r in replies if r.data]},
            directives=[d for r in replies for d in r.directives],  # the wall updates each document
            events=[SlotSet("listed_approvals", None)],
        )
    if kind == "approval":
        return await decide(ctx, pending)
    if kind == "undo":
        return await undo(ctx, pending)
    if pending.get("call_id"):
        officer = pending["officer"]
        limit = getattr(deps.settings(), "call_max_participants", 6)
        status = await ctx.records.invite(ctx.actor, pending["call_id"], officer["id"], call_name(officer), limit)
        if status == "invited":
            return Reply(
                f"{josa(officer_label(officer), '을')} 통화에 초대합니다.",
                short="초대 중",
                data={"type": "call", "id": pending["call_id"], "officer": officer, "status": "active"},
                directives=[{"type": "call.invite", "call_id": pending["call_id"], "officer": officer}],
            )
        if status == "full":
            return Reply(f"통화 인원이 가득 찼습니다(최대 {limit}명).", short="인원 초과")
        if status == "already":
            return Reply(f"{josa(officer_label(officer), '은')} 이미 통화에 있거나 연결 중입니다.", short="이미 연결됨")
    call = await ctx.records.start_call(ctx.actor, pending["officer"])
    return Reply(
        f"{officer_label(pending['officer'])}에게 영상통화를 연결합니다.",
        short="연결 중",
        data={"type": "call", **call},
        directives=[{"type": "call.start", "call_id": call["id"], "officer": pending["officer"]}],
        events=[SlotSet("active_call", call["id"])],
    )


BACK_RE = re.compile(r"돌아가|이전\s?화면|뒤로\s?가|(?:아까|방금)\s?(?:보던\s?)?화면")
BARE_SHOW_RE = re.compile(
    r"(?:화면\s?)?(?:그거|그걸|그\s?사업|이거|그쪽|거기)?\s*(?:화면에|화면으로|벽에|으로|로)?\s*(?:띄워|보여|넘겨|옮겨|가|이동)"
    r"\S{0,3}(?:\s?(?:줘|주세요|봐))?[.!]?"
)  # the whole message: "화면 그쪽으로 넘겨", "그거 화면에 띄워봐" (the project just discussed)
LAST_RE = re.compile(r"마지막|맨\s?끝|맨\s?아래")
# words every approval title or request shares, which tell no document from another
TITLE_NOISE = {"문서", "결재", "건", "승인", "반려", "보고서", "계획", "추진", "내용", "부서", "번", "거"}


async def pick(ctx: Context, text: str) -> tuple[list[int], int | None]:
    """The approvals as last listed, and the one the request means: its number, "마지막", or words of its title."""
    listed = ctx.tracker.get_slot("listed_approvals") or [a["id"] for a in await ctx.records.pending_approvals()]
    number = ctx.mentioned("doc_number")
    if number is None and LAST_RE.search(text):  # "마지막 건 승인"
        number = len(listed)
    if number is None:  # "리버버스 선착장 점검 보고서 승인"
        docs = [await ctx.records.approval(i) for i in listed]
        number = by_title(text, [f"{d['title']} {d['department']}" if d else "" for d in docs])  # "상수도 본부에서 올린 결재"
    return listed, None if number is None else int(number)


def detail(number: int, doc: dict[str, Any]) -> Reply:
    return Reply(
        f"{number}번 「{doc['title']}」: {doc['department']} {doc['drafter']} 기안, {when(doc['submitted_at'])} 상신"
        + (", 긴급 문서입니다." if doc["urgent"] else ".")
        + " 승인이나 반려를 말씀해 주세요.",
        short=f"{number}번 {doc['title']}"[:40],
        data={"type": "approval_detail", "document": doc},
        events=[SlotSet("shown_approval", doc["id"])],
    )


def by_title(text: str, titles: list[str]) -> int | None:
    """The 1-based position of the one title sharing the most words with the request, if one stands out."""
    words = [w for w in korean.nouns(text) if w not in TITLE_NOISE and len(w) > 1]
    scores = [sum(w in t for w in words) for t in titles]
    best = max(scores, default=0)
    return scores.index(best) + 1 if best and scores.count(best) == 1 else None


ALL_RE = re.compile(r"(?:두|세|네|다섯)\s?(?:개|건)\s?(?:다|모두|전부)|둘\s?다|셋\s?다|모두|전부|다\s?(?:승인|반려|결재)")
MAX_BATCH = 5


def numbered_decisions(text: str, entities: list[dict[str, Any]]) -> list[tuple[int, str]]:
    """Each document number with the decision said for it: the last decision word before the next number, or the
    one said for the numbers after it ("첫 번째랑 네 번째 승인", "세 번째 거 승인하고 네 번째는 반려")."""
    numbers = sorted((e for e in entities if e["entity"] == "doc_number" and e.get("end")), key=lambda e: e["start"])
    said: list[str | None] = []
    for i, e in enumerate(numbers):
        end = numbers[i + 1]["start"] if i + 1 < len(numbers) else len(text)
        words = [w for w in DECISION_RE.findall(text, e["end"], end) if w != "결재"]  # "두 번째 결재 서류는 보류": no decision
        said.append(DECISIONS[words[-1]] if words else None)
    for i in range(len(said) - 2, -1, -1):
        said[i] = said[i] or said[i + 1]
    pairs = [(int(e["value"]), d) for e, d in zip(numbers, said, strict=True) if d]
    return pairs if len(pairs) == len(numbers) and len({n for n, _ in pairs}) == len(pairs) else []


def offer_batch(docs: list[dict[str, Any]], decisions: list[str]) -> Reply:
    """Several pending documents at once, as listed, each with its decision: one confirmation for all."""
    verbs = ["승인" if d == "approve" else "반려" for d in decisions]
    batch = [{"approval_id": d["id"], "number": d["number"], "decision": dec} for d, dec in zip(docs, decisions, strict=True)]
    same = len(set(decisions)) == 1
    pending = {"type": "approval", "decision": decisions[0] if same else None, "batch": batch, "asked_at": now().isoformat()}
    if same:
        text = ", ".join(f"「{d['title']}」" for d in docs) + f" {len(docs)}건을 모두 {verbs[0]}할까요?"
        short = f"{len(docs)}건 모두 {verbs[0]}할까요?"
    else:
        text = ", ".join(f"「{d['title']}」 {v}" for d, v in zip(docs, verbs, strict=True)) + "로 처리할까요?"
        short = f"승인 {verbs.count('승인')}건·반려 {verbs.count('반려')}건 처리할까요?"
    return Reply(
        text,
        short=short,
        data={"type": "approval_confirm", "documents": docs, "decisions": decisions},
        events=[SlotSet("pending_action", pending)],
        keeps_pending=True,
    )


async def offer_undo(ctx: Context) -> Reply:
    """ "아까 결재한 거 되돌려": the user's last decision, back to pending after a confirmation, within the window."""
    if not access.can(ctx.role, "approve"):
        return Reply(access.refusal(ctx.role, "approve"), short="권한 없음")
    window = deps.settings().undo_window_s
    decided = await ctx.records.recent_decisions(ctx.actor, timedelta(seconds=window))
    named = by_title(ctx.text, [f"{d['title']} {d['department']}" for d in decided])  # "기후동행카드 건만 취소해줘"
    listed, number = ctx.tracker.get_slot("listed_approvals") or [], ctx.mentioned("doc_number")
    shown = listed[int(number) - 1] if number and 1 <= int(number) <= len(listed) else None  # "다섯 번째는 취소해 줘": as listed
    doc = decided[named - 1] if named else next((d for d in decided if d["id"] == shown), None) or (decided[0] if decided else None)
    if doc is None:
        return Reply(f"되돌릴 결재가 없습니다. 결재는 처리하고 {int(window // 60)}분 안에만 되돌릴 수 있습니다.", short="되돌릴 결재 없음")
    verb = "승인" if doc["status"] == "approved" else "반려"
    pending = {"type": "undo", "approval_id": doc["id"], "number": doc["number"], "status": doc["status"], "asked_at": now().isoformat()}
    question, short = f"{josa(verb, '을')} 취소하고 결재 대기로 되돌릴까요?", f"{verb} 취소할까요?"
    then = ctx.mentioned("decision")  # "반려 취소하고 승인으로 돌려": undone, then decided the other way
    if then and then != {"approved": "approve", "rejected": "reject"}[doc["status"]]:
        pending["then"] = then
        other = "승인" if then == "approve" else "반려"
        question, short = f"{josa(verb, '을')} 취소하고 {josa(other, '으로')} 바꿀까요?", f"{verb} 취소 후 {other}할까요?"
    return Reply(
        f"「{doc['title']}」 문서의 {question}",
        short=short,
        data={"type": "approval_detail", "document": doc},
        events=[SlotSet("pending_action", pending)],
        keeps_pending=True,
    )


async def undo(ctx: Context, pending: dict[str, Any]) -> Reply:
    window = timedelta(seconds=deps.settings().undo_window_s)
    doc = await ctx.records.approval(pending["approval_id"])
    if (
        doc is None
        or doc["number"] != pending.get("number")
        or not await ctx.records.undo_decision(ctx.actor, doc["id"], pending["status"], window)
    ):
        return Reply("되돌리지 못했습니다. 이미 바뀌었거나 되돌릴 수 있는 시간이 지났습니다.", short="되돌리기 실패")
    if pending.get("then"):  # undone, now decided the other way
        return await decide(ctx, {**pending, "decision": pending["then"]})
    return Reply(
        f"「{doc['title']}」 문서를 결재 대기로 되돌렸습니다.",
        short="되돌림 완료",
        data={"type": "approval_detail", "document": await ctx.records.approval(doc["id"])},
        directives=[{"type": "approval.undone", "approval_id": doc["id"]}],
        events=[SlotSet("listed_approvals", None)],
    )


async def decide(ctx: Context, pending: dict[str, Any]) -> Reply:
    doc = await ctx.records.approval(pending["approval_id"])
    if doc is None or doc["number"] != pending.get("number"):  # not the document that was shown
        return Reply("문서가 바뀌어 처리하지 못했습니다. 결재 목록을 다시 확인해 주세요.", short="처리 실패")
    doc, decided = await ctx.records.decide(ctx.actor, doc["id"], pending["decision"])
    if not decided:
        done = "승인" if doc["status"] == "approved" else "반려"
        return Reply(
            f"「{doc['title']}」 문서는 이미 {done}되었습니다.", short=f"이미 {done}됨", events=[SlotSet("listed_approvals", None)]
        )
    verb = "승인" if pending["decision"] == "approve" else "반려"
    return Reply(
        f"「{doc['title']}」 문서를 {verb}했습니다.",
        short=f"{verb} 완료",
        data={"type": "approval_decided", "document": doc},
        directives=[{"type": "approval.decided", "approval_id": doc["id"], "status": doc["status"]}],
        events=[SlotSet("listed_approvals", None), SlotSet("shown_approval", doc["id"])],  # "그거 취소": this one
    )
