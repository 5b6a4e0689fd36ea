"""The embedded NLU: held-out figures, canonical entities, ASR-style input, retraining on data change."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from nlu import domain, evaluate, load, load_files, split
from nlu.embedded import EmbeddedNLU, load_or_train, model_path
from nlu.training_data import DATA_DIR

HELDOUT = Path(__file__).parent / "data" / "nlu_heldout.yml"


def test_every_intent_has_25_varied_examples_and_an_action():
    import actions

    data = load()
    intents = set(domain.intents())  # nlu/domain.yml names them; INTENTS.md fixes them
    assert len(intents) == 32 and {"approval_decide", "call_officer", "knowledge_question", "out_of_scope"} <= intents
    assert set(data.intents) == intents
    for intent in intents:
        texts = {e.text for e in data.examples if e.intent == intent}
        assert len(texts) >= 25, intent
        assert domain.rules()[intent] in actions.ACTIONS, intent
    assert len(data.lookups["district"]) == 25


def test_figures_on_own_split_and_heldout_file(capsys):
    data = load()
    train, test = split(data.examples)
    on_split = evaluate(EmbeddedNLU(data).train(train).parse, test)
    full = EmbeddedNLU(data).train(data.examples)
    on_heldout = evaluate(full.parse, load_files([HELDOUT]).examples)
    with capsys.disabled():
        for name, r in (("split (20% of nlu.yml)", on_split), ("tests/data/nlu_heldout.yml", on_heldout)):
            print(
                f"\n[nlu] {name}: n={r['n_test']} intent_accuracy={r['intent_accuracy']:.3f} entity_f1={r['entity_f1']:.3f} "
                f"(P={r['entity_precision']:.3f} R={r['entity_recall']:.3f})"
            )
    assert on_heldout["intent_accuracy"] >= 0.92
    assert on_heldout["entity_f1"] >= 0.88
    assert on_split["intent_accuracy"] >= 0.88
    assert on_split["entity_f1"] >= 0.88


def ents(result: dict) -> set[tuple[str, str]]:
    return {(e["entity"], str(e["value"])) for e in result["entities"]}


@pytest.mark.parametrize(
    "text,intent,expected",
    [
        ("강남구 미세먼지 어때?", "air_quality", {("district", "강남구")}),
        ("강동구미세먼지알려줘", "air_quality", {("district", "강동구")}),
        ("용산 구 교통 상황", "traffic_status", {("district", "용산구")}),
        ("영등포 날씨 어때", "weather", {("district", "영등포구")}),
        ("강서구 재난 상황 알려줘", "disaster_status", {("district", "강서구")}),
        ("서울로 7017", "navigate", {("project", "서울로 7017")}),
        ("세운 재생 진행 상황", "project_status", {("project", "다시세운 프로젝트")}),
        ("홍대 사람 많아?", "living_population", {("place", "홍대입구역")}),
        ("광화문 혼잡도", "living_population", {("place", "광화문·덕수궁")}),
        ("강남역 열차 언제 와", "transit_status", {("station", "강남역")}),
        ("이호선 지연 있어?", "transit_status", {("subway_line", "2호선")}),
        ("재난안전과장 연결해줘", "call_officer", {("department", "재난안전과")}),
        ("박지훈 팀장 연결해", "call_officer", {("person", "박지훈")}),
        ("첫 번째 문서 승인해", "approval_decide", {("doc_number", "1"), ("decision", "approve")}),
        ("두번째 문서 반려해", "approval_decide", {("doc_number", "2"), ("decision", "reject")}),
        ("3번 결재해", "approval_decide", {("doc_number", "3"), ("decision", "approve")}),
        ("송파구는?", "inform", {("district", "송파구")}),
        ("달걀 가격 얼마야", "price_info", {("item", "계란")}),
        ("시민 여론 화면으로 가", "navigate", {("screen", "public_opinion")}),
        ("올림픽대로 막혀?", "traffic_status", {("road", "올림픽대로")}),
    ],
)
def test_commands_and_canonical_entities(engine, text, intent, expected):
    r = engine.parse(text)
    assert r["intent"]["name"] == intent
    assert ents(r) == expected
    for e in r["entities"]:  # spans point into the original text
        assert 0 <= e["start"] < e["end"] <= len(text)


def test_words_glued_across_a_space_are_not_entities(engine):
    assert ("district", "중구") not in ents(engine.parse("공사 진행 중 구간 있어?"))


def test_rasa_parse_shape(engine):
    r = engine.parse("강남구 미세먼지 어때?")
    assert set(r) == {"text", "intent", "entities", "intent_ranking"}
    assert set(r["intent"]) == {"name", "confidence"} and 0 < r["intent"]["confidence"] <= 1
    assert r["intent_ranking"][0]["name"] == "air_quality"
    assert {"entity", "value", "start", "end"} <= set(r["entities"][0])


def test_low_confidence_is_nlu_fallback(engine):
    strict = EmbeddedNLU.__new__(EmbeddedNLU)
    strict.__dict__.update(engine.__dict__, threshold=1.01)
    r = strict.parse("강남구 미세먼지 어때?")
    assert r["intent"]["name"] == "nlu_fallback"
    assert r["intent_ranking"][0]["name"] == "air_quality"


def test_model_is_cached_and_retrained_when_data_changes(tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(DATA_DIR, data_dir)
    model_dir = tmp_path / "models"
    load_or_train(model_dir, data_dir)
    first = model_path(model_dir, data_dir)
    assert first.exists()
    nlu_file = data_dir / "nlu.yml"
    nlu_file.write_text(
        nlu_file.read_text(encoding="utf-8").replace(
            "- intent: greet\n  examples: |\n", "- intent: greet\n  examples: |\n    - 좋은 하루예요 비서님\n"
        ),
        encoding="utf-8",
    )
    second = model_path(model_dir, data_dir)
    assert second != first
    engine = load_or_train(model_dir, data_dir)
    assert second.exists() and not first.exists()
    assert engine.parse("좋은 하루예요 비서님")["intent"]["name"] == "greet"


def test_direct_scorer_gives_the_pipelines_probabilities(engine):
    """parse() scores from the vocabularies and coefficients directly; the numbers must be sklearn's own."""
    for text in ("강남구 미세먼지 어때?", "재난안전과장 연결해줘", "2번 문서 승인해", "아 오늘 힘드네", "ㅋㅋ", ""):
        masked = engine.extractor.mask(text, engine.extractor.candidates(text))
        assert np.allclose(engine.classifier.predict_proba([masked])[0], engine.scorer.proba(masked), atol=1e-9), text
