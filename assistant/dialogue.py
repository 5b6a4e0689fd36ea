"""The embedded dialogue: Rasa's domain and rules, run in-process with the rasa-sdk actions.

One turn: parse -> fill entity slots -> pick the action the rules name for the intent ->
run it with a rasa-sdk Tracker -> apply its SlotSet events -> persist -> shape for the channel.
"""

from __future__ import annotations

import asyncio
import re
import time
import weakref
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

import actions
from nlu import discourse, domain, entities, korean

from .storage import Storage

# "인구랑 예산 같이 알려줘", "날씨하고 미세먼지", "교통 상황, 지하철 운행": a conjunction between two requests
# or a clause ending in 고 after a verb of showing: "몇 건인지 보고 …", "카메라 띄우고 …", "알려주고 …" ("점검 보고" is a report)
CONJUNCTION_RE = re.compile(
    r"(?<=[가-힣])(?:이랑|랑|하고|과|와)\s+|(?:(?<=지\s보)|(?<=띄우)|(?<=[려여워]주)|(?<=[려여워]\s주)|(?<=켜)|(?<=얼마나\s있)|(?<=몇\s명\s있))고\s+|\s*(?:,|그리고|및)\s*"
)
ARRIVAL_RE = re.compile(r"도착|언제\s?(?:와|오)|몇\s?분\s?(?:뒤|후|남)|다음\s?(?:차|열차)")  # a line's trains at a station, not its status
EN_JOIN_RE = re.compile(r"\band\b|&|,", re.I)
ACTS = {"call_officer"}  # a request that acts, after the questions ("…보고 도로관리과장 연결해줘")
MULTI_CONFIDENCE = 0.5
MULTI_CUE_RE = re.compile(r"한꺼번에|한\s?번에|동시에|같이|함께|모두|전부|둘\s?다|셋\s?다|다\s?(?:알려|보고|보여)")


class NLUEngine(Protocol):
    name: str

    def parse(self, text: str) -> dict[str, Any]: ...

    def names(self, text: str, candidates: list | None = None, intent: str | None = None) -> list[dict[str, Any]]: ...

    def vocabulary(self, intent: str) -> set[str]: ...


def accepts(intent: str, names: list[dict[str, Any]]) -> bool:
    """Every name is of a kind the intent takes ("보건" is a budget sector; "인구" an indicator, not one)."""
    return all(e["entity"] in entities.STRONG_TYPES | entities.WEAK_TYPES_BY_INTENT.get(intent, set()) | {"time", "scope"} for e in names)


LIST_WORDS = {"상황", "현황", "정보", "좀", "한번", "지금", "오늘", "어떻", "알리", "보이", "주", "보", "하"}


def unnamed(text: str, names: list[dict[str, Any]]) -> str:
    """The text without its names, but for names that are topic words themselves ("교통" the sector is traffic)."""
    for e in sorted(names, key=lambda e: -e["start"]):
        if any(rx.fullmatch(text[e["start"] : e["end"]]) for rx in discourse.TOPIC_WORDS.values()):
            continue
        text = text[: e["start"]] + " " + text[e["end"] :]
    return text


def topics_in(text: str) -> list[str]:
    return [t for t, rx in discourse.TOPIC_WORDS.items() if rx.search(text) and t in actions.FOLLOW_UP_INTENTS]


def bare_list(text: str) -> bool:
    """Only topic words (and asking words) once the names are out: "마포구 날씨 미세먼지 교통 알려줘" lists topics;
    "미세먼지 때문에 교통 막혀?" asks one thing about another."""
    for rx in discourse.TOPIC_WORDS.values():
        text = rx.sub(" ", text)
    return all(t.form in LIST_WORDS or not t.tag.startswith(("NN", "V", "MAG", "XR")) for t in korean.kiwi().tokenize(text))


# several lines at once: the transit answer lists them
EACH_KINDS = ("district", "road", "station", "place", "park", "item", "city", "country", "pledge", "project", "indicator")


def each_name(parse: dict[str, Any]) -> list[dict[str, Any]]:
    """ "테헤란로 영동대로 사고 난 데 속도": the same question for each of several names of one kind."""
    if parse["intent"]["name"] not in {*actions.FOLLOW_UP_INTENTS, "inform"}:  # "마포랑 은평도": the last question, each
        return [parse]
    for kind in EACH_KINDS:
        many = [e for e in parse["entities"] if e["entity"] == kind]
        if 2 <= len(many) <= 3 and len({e["value"] for e in many}) == len(many):
            others = [e for e in parse["entities"] if e["entity"] != kind]
            return [{**parse, "entities": [*others, e]} for e in many]
    return [parse]


def split(text: str, names: list[dict[str, Any]] | None = None) -> list[str]:
    """The text cut at each conjunction; 과 joins only after a final consonant and 와 after a vowel ("사과 가격"
    is one request, "실업률과 고용률" two), and never inside a name ("재난안전과 김민수 과장")."""
    pieces, start = [], 0
    for m in CONJUNCTION_RE.finditer(text):
        word = m.group(0).strip()
        if word in ("과", "와") and ((ord(text[m.start() - 1]) - 0xAC00) % 28 == 0) != (word == "와"):
            continue
        if any(e["start"] <= m.start() < e["end"] for e in names or [] if e.get("end")):
            continue
        pieces.append(text[start : m.start()])
        start = m.end()
    return [*pieces, text[start:]]


def named_list(parts: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Several requests of one intent, each about one thing of its main kind: a list an ordinal may point into."""
    intents = {p["intent"]["name"] for p in parts}
    kind = actions.references.MAIN_KIND.get(next(iter(intents))) if len(parts) > 1 and len(intents) == 1 else None
    items = [e["value"] for p in parts for e in p["entities"] if e["entity"] == kind]
    return {"entity": kind, "intent": intents.pop(), "items": items} if kind and len(items) == len(parts) else None


def again(parts: list[dict[str, Any]], last_intents: list[str]) -> list[dict[str, Any]]:
    """ "동작구도", "구로구도 같은 걸로" after "금천구 날씨, 미세먼지, 교통": every question of the last turn again, for the
    new place (a follow-up naming only places)."""
    if len(parts) != 1 or len(set(last_intents)) < 2 or parts[0]["intent"]["name"] != "inform":
        return parts
    kinds = {e["entity"] for e in parts[0]["entities"]}
    if not kinds & {"district", "place", "station"} or not kinds <= {"district", "place", "station", "time"}:
        return parts
    return [{**parts[0], "intent": {**parts[0]["intent"], "name": intent}} for intent in last_intents]


@dataclass
class Turn:
    parse: dict[str, Any]
    action: str
    messages: list[dict[str, Any]]
    slots: dict[str, Any]
    timings_ms: dict[str, float] = field(default_factory=dict)


class EmbeddedDialogue:
    def __init__(self, nlu: NLUEngine, storage: Storage, session_ttl: timedelta):
        self.nlu = nlu
        self.storage = storage
        self.session_ttl = session_ttl
        self.slots = domain.slot_entities()
        self.rules = domain.rules()
        # the words the data intents are asked with: a question with other words may be one for the documents
        self.vocabulary = {i: nlu.vocabulary(i) for i in actions.FOLLOW_UP_INTENTS}
        self.known = set().union(*self.vocabulary.values())
        # one turn at a time per session, so slots never interleave; a lock lives only while a turn holds it
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    async def handle(self, text: str, session_id: str, owner: str, metadata: dict[str, Any]) -> Turn:
        """One turn; `metadata` is the verified speaker (role, user, channel, client) the actions read."""
        lock = self._locks.get(session_id)
        if lock is None:
            lock = self._locks[session_id] = asyncio.Lock()
        async with lock:
            return await self._handle(text, session_id, owner, metadata)

    async def _handle(self, text: str, session_id: str, owner: str, metadata: dict[str, Any]) -> Turn:
        start = time.perf_counter()
        channel = metadata["channel"]
        slots = await self.storage.claim(session_id, owner, channel, self.session_ttl) or {name: None for name in self.slots}
        t0 = time.perf_counter()
        parse = self.nlu.parse(text)
        parts = self.requests(text, parse)
        t_nlu = time.perf_counter()
        dispatcher = CollectingDispatcher()
        last = slots.get("last_intent")
        for p in parts:  # every name in the text, for a request the references send to another intent or continue
            p.setdefault("names", p["entities"] if p.get("language") == "en" else self.nlu.names(p["text"]))
            if last and p.get("language") != "en":
                p["names_as_last"] = self.nlu.names(p["text"], intent=last)
        parts = [actions.references.resolve(p, slots) for p in parts]  # "세 번째 거", "그 사업": from the slots
        citizen = not actions.can(metadata.get("role", "citizen"), "internal_data")
        parts = [await actions.evidence.before(p, citizen, self.known) for p in parts]
        parts = [q for p in again(parts, slots.get("last_intents") or []) for q in each_name(p)]  # "마포랑 은평도" continued
        parse = {k: v for k, v in parts[0].items() if k not in ("names", "names_as_last")} | {"text": text}  # the first request
        for i, part in enumerate(parts):  # "인구랑 예산 알려줘": each request answered in turn, slots carried between them
            for name, kinds in self.slots.items():
                for e in part["entities"]:
                    if e["entity"] in kinds:
                        slots[name] = e["value"]
            action_name, messages, events = await self.run(part, slots, session_id, metadata)
            reply = " ".join(m.get("text") or "" for m in messages)
            vocabulary = self.vocabulary.get(part["intent"]["name"], set())
            # the data left out what was asked (one request: several share the text, each answering its part)
            if len(parts) == 1 and (documents := await actions.evidence.after(part, reply, citizen, vocabulary)):
                action_name, messages, events = await self.run(documents, slots, session_id, metadata)
                parse = parse | {"intent": documents["intent"]} if i == 0 else parse
            dispatcher.messages.extend(messages)
            for ev in events:
                if ev.get("event") == "slot":
                    slots[ev["name"]] = ev["value"]
        slots["last_intents"] = [p["intent"]["name"] for p in parts] if len(parts) > 1 else None
        if named := named_list(parts):  # "안심소득 그리고 서울런도", then "두 번째 거": the things just named, in order
            slots["listed_items"] = named
        t_action = time.perf_counter()
        await self.storage.save_slots(session_id, owner, channel, slots)
        timings = {"nlu": (t_nlu - t0) * 1000, "action": (t_action - t_nlu) * 1000, "total": (time.perf_counter() - start) * 1000}
        return Turn(parse, action_name, dispatcher.messages, slots, {k: round(v, 2) for k, v in timings.items()})

    async def run(
        self, part: dict[str, Any], slots: dict[str, Any], session_id: str, metadata: dict[str, Any]
    ) -> tuple[str, list[dict[str, Any]], list[dict[str, Any]]]:
        """The action the rules name for the part's intent: its name, messages and events (not applied yet)."""
        tracker = Tracker(session_id, dict(slots), {**part, "metadata": metadata}, [], False, None, {}, None)
        action_name = self.rules.get(part["intent"]["name"], "action_fallback")
        dispatcher = CollectingDispatcher()
        events = await actions.ACTIONS[action_name].run(dispatcher, tracker, {})
        return action_name, dispatcher.messages, events

    def taken_back(self, text: str) -> bool:
        """ "…아 광진구": a 아/아니 right before a name takes an earlier one back ("날씨랑 미세먼지 아 그리고 교통" does not)."""
        starts = {e["start"] for e in self.nlu.names(text)}
        return any(m.end() + 1 in starts or m.end() in starts for m in discourse.TAKEN_BACK_RE.finditer(text, 1))

    def requests(self, text: str, parse: dict[str, Any]) -> list[dict[str, Any]]:
        """One parse per request in the message: split at 랑/하고/그리고/, when each side asks for different data."""
        if parse.get("language") == "en":  # one request (its names are its own), but for topics joined: "Weather and air in Mapo"
            topics = topics_in(text) if EN_JOIN_RE.search(text) else []
            return [{**parse, "intent": {**parse["intent"], "name": t}} for t in topics] if 2 <= len(topics) <= 3 else [parse]
        pieces = [p for p in split(text, self.nlu.names(text)) if p.strip() not in ("", "서울", "서울시")]  # "서울이랑 자매도시 중에"
        kinds = [e["entity"] for e in parse["entities"]]
        if "station" in kinds and kinds.count("subway_line") >= 2:
            return [parse]  # "여의도역 5호선이랑 9호선": one station's trains on both lines
        if len(pieces) < 2 and len(topics_in(text)) >= 2:
            names = self.nlu.names(text)
            rest = unnamed(text, names)  # "교통불편 민원": a complaint topic's name, not traffic
            topics = topics_in(rest)
            if 2 <= len(topics) <= 3 and (MULTI_CUE_RE.search(text) or bare_list(rest)):  # "강서구 화재 미세먼지 교통 한꺼번에"
                return [{**parse, "intent": {**parse["intent"], "name": t}, "entities": names} for t in topics]
        if len(pieces) < 2:
            return each_name(parse)
        if discourse.CORRECTION_RE.search(text) or self.taken_back(text):
            return [parse]  # "베이징이랑 … 아 베이징 말고 베를린": one request, corrected
        if len(pieces) > 3:
            return [parse]
        parts = [self.nlu.parse(p) for p in pieces]
        for p in parts:  # "교통이랑 재난": a bare topic word names its data ("교통" alone also reads as a budget sector)
            named = discourse.topic(p["text"])
            if named in actions.FOLLOW_UP_INTENTS and named != p["intent"]["name"] and p["intent"]["confidence"] < actions.references.SURE:
                p["intent"] = {**p["intent"], "name": named, "confidence": MULTI_CONFIDENCE}
        acting = parts[-1]["intent"]["name"] in ACTS and parts[-1]["intent"]["confidence"] >= actions.references.SURE
        questions = actions.FOLLOW_UP_INTENTS | ({"approval_list"} if acting else set())  # "결재 목록 보여 주고 …과장 연결해"
        asks = [p for p in parts if p["intent"]["name"] in questions and p["intent"]["confidence"] >= MULTI_CONFIDENCE]
        if not asks:
            return [parse]
        # "실업률과 고용률 같이", "보건이랑 교육 분야": a part with names but no topic word asks what the last part asks
        # (the asking words come last in Korean)
        for p in parts[:-1]:
            names = self.nlu.names(p["text"], intent=parts[-1]["intent"]["name"])  # "혜화역이랑 안국역 열차": stations
            if parts[-1] in asks and names and not discourse.topic(p["text"]) and accepts(parts[-1]["intent"]["name"], names):
                p["intent"], p["entities"] = {**parts[-1]["intent"]}, names
        for p in parts[: -1 if acting else None]:
            if p not in asks and not discourse.topic(p["text"]) and (names := self.nlu.names(p["text"])):
                p["intent"], p["entities"] = {**asks[0]["intent"]}, names
        if any(p["intent"]["name"] not in questions for p in parts[: -1 if acting else None]):
            return [parse]
        keys = [(p["intent"]["name"], tuple(str(e["value"]) for e in p["entities"])) for p in parts]
        if len(set(keys)) != len(keys):  # the same question twice is one question
            return [parse]
        for before, p in zip(parts, parts[1:], strict=False):  # "강남역 사람 얼마나 있고 2호선 도착 언제야": at that station
            kinds = {e["entity"] for e in p["entities"]}
            if (
                p["intent"]["name"] == "transit_status"
                and "subway_line" in kinds
                and "station" not in kinds
                and ARRIVAL_RE.search(p["text"])
            ):
                at = [e for e in before["entities"] if e["entity"] in ("station", "place") and str(e["value"]).endswith("역")]
                p["entities"] = [*p["entities"], {**at[0], "entity": "station"}] if at else p["entities"]
        parts = [{**p, "text": text if i == 0 else p["text"]} for i, p in enumerate(parts)]
        return [q for p in parts for q in each_name(p)]  # "배추 무 값 알려주고 쌀도": each item of a part too
