"""Optional generated answers: a langchain chat model on an OpenAI-compatible endpoint.

Off unless SECRETARY_LLM_URL and SECRETARY_LLM_MODEL are set. The model answers only from the
quoted passages and cites them by number; on any failure, or when it finds no answer in them,
the caller keeps the extractive answer.
"""

from __future__ import annotations

import logging
from typing import Any

from langchain_core.prompts import ChatPromptTemplate

log = logging.getLogger(__name__)
NO_ANSWER = "문서에 답이 없습니다"
PROMPT = ChatPromptTemplate.from_messages(
    [
        (
            "system",
            "당신은 서울시청의 문서 비서입니다. 아래 번호가 붙은 인용문에만 근거해 한국어로 두세 문장 이내로 답하세요. "
            "문장마다 근거 인용문 번호를 [1]처럼 붙이세요. 인용문에 없는 내용은 추측하지 마세요. "
            f"인용문으로 답할 수 없으면 '{NO_ANSWER}'라고만 답하세요.",
        ),
        ("human", "질문: {question}\n\n인용문:\n{passages}"),
    ]
)


def generate(question: str, hits: list[dict[str, Any]], settings: Any) -> str | None:
    if not (settings.llm_url and settings.llm_model):
        return None
    from langchain_openai import ChatOpenAI

    llm = ChatOpenAI(
        base_url=settings.llm_url,
        model=settings.llm_model,
        api_key=settings.llm_api_key or "not-needed",
        temperature=0,
        timeout=settings.llm_timeout_s,
        max_retries=0,
    )
    passages = "\n".join(f"[{i}] ({h['title']} · {h['location']}) {h['text']}" for i, h in enumerate(hits, 1))
    try:
        text = str((PROMPT | llm).invoke({"question": question, "passages": passages}).content).strip()
    except Exception as exc:  # the extractive answer is always there to fall back on
        log.warning("LLM answer failed, keeping the extractive one: %s", exc)
        return None
    return None if not text or NO_ANSWER in text else text
