"""What "그 사업", "세 번째 거", "그 문서" point at: the turn's parse rewritten from the conversation's slots.

Runs before the action is chosen (the embedded dialogue calls it), so "세 번째 거 자세히" after a list of projects
opens the third project instead of offering to approve approval document 3, and "그 사업 예산은?" asks about
the project just discussed, not the city budget.
"""

from __future__ import annotations

import re
from typing import Any

# A demonstrative and what it points at -> the entity type it refers to.
REFERENCE_RE = re.compile(r"(?:그|이|저|해당|아까|방금)\s?(사업|프로젝트|공약|지표|노선|도로|공원|둘레길)")
NOUN_TYPES = {"사업": "project", "프로젝트": "project", "공약": "pledge", "지표": "indicator", "노선": "subway_line", "도로": "road", "공원": "park", "둘레길": "park"}
TYPE_INTENTS = {
    "project": "project_status",
    "pledge": "pledge_status",
    "indicator": "admin_indicator",
    "subway_line": "transit_status",
    "road": "traffic_status",
    "park": "park_info",
}
DOCUMENT_REF_RE = re.compile(r"(?:그|이|방금|아까)\s?(?:문서|자료|백서|보고서|내용)|출처|어디(?:에|서)\s?나와")
APPROVAL_WORDS_RE = re.compile(r"문서|결재|승인|반려|기안")
UNDO_RE = re.compile(r"되돌|철회|번복|무르|물러|원래대로|취소|없던\s?(?:걸|것|일)")
# Naming the reading room's kind of source routes a question there, whatever its topic words suggest.
DOCUMENT_CUE_RE = re.compile(r"백서|보고서|문서(?:에서|에|엔|상)|자료(?:에서|에|엔)|자료실|계획서|안내서|가이드|매뉴얼")


def entity(kind: str, value: Any) -> dict[str, Any]:
    return {"entity": kind, "value": value, "start": 0, "end": 0, "confidence_entity": 1.0, "extractor": "reference"}


def resolve(parse: dict[str, Any], slots: dict[str, Any]) -> dict[str, Any]:
    text, intent = parse["text"], parse["intent"]["name"]
    said = {e["entity"] for e in parse["entities"]}
    listed = slots.get("listed_items") or {}
    ordinal = next((e["value"] for e in parse["entities"] if e["entity"] == "doc_number"), None)
    # "세 번째 거 자세히": an ordinal with no decision, after a list that was not the approvals
    if ordinal and "decision" not in said and listed.get("items") and not APPROVAL_WORDS_RE.search(text):
        items = listed["items"]
        if 1 <= int(ordinal) <= len(items):
            kept = [e for e in parse["entities"] if e["entity"] != "doc_number"]
            return {**parse, "intent": {**parse["intent"], "name": listed["intent"]}, "entities": [*kept, entity(listed["entity"], items[int(ordinal) - 1])]}
    # "그 사업 예산은?": the thing just talked about, asked about again
    if m := REFERENCE_RE.search(text):
        kind = NOUN_TYPES[m.group(1)]
        if kind not in said and slots.get(kind):
            return {**parse, "intent": {**parse["intent"], "name": TYPE_INTENTS[kind]}, "entities": [*parse["entities"], entity(kind, slots[kind])]}
    if UNDO_RE.search(text) and APPROVAL_WORDS_RE.search(text):  # "아까 결재한 거 되돌려"
        return {**parse, "intent": {**parse["intent"], "name": "approval_decide"}}
    if DOCUMENT_CUE_RE.search(text) and "doc_number" not in said and intent not in ("approval_decide", "approval_list", "navigate"):
        return {**parse, "intent": {**parse["intent"], "name": "knowledge_question"}}
    # "그 문서 어디에 나와 있어?": the document the last answer quoted
    if DOCUMENT_REF_RE.search(text) and slots.get("last_document") and intent not in ("approval_decide", "approval_list"):
        return {**parse, "intent": {**parse["intent"], "name": "knowledge_question"}}
    return parse
