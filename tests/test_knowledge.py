"""The reading room: real files of every format, citations, re-ingest, bad files, public/internal, Chroma server."""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import chromadb
import docx
import pytest
from chromadb.config import Settings as ChromaSettings
from conftest import say
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

import knowledge
from knowledge.embeddings import HashedEmbeddings
from knowledge.store import KnowledgeStore

FONT = "/usr/share/fonts/truetype/nanum/NanumGothic.ttf"
for noisy in ("fontTools", "pypdf"):  # font subsetting chatter; warnings about the broken PDFs we make on purpose
    logging.getLogger(noisy).setLevel(logging.ERROR)
BIN = Path(sys.executable).parent


def store_in(folder: Path, client=None) -> KnowledgeStore:
    client = client or chromadb.PersistentClient(path=str(folder / "chroma"), settings=ChromaSettings(anonymized_telemetry=False))
    return KnowledgeStore(client, HashedEmbeddings(), "hashed")


def make_pdf(path: Path, pages: list[str], title: str = "교통 안전 보고서") -> Path:
    pdf = FPDF()
    pdf.set_title(title)
    pdf.add_font("Nanum", fname=FONT)
    pdf.set_font("Nanum", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    pdf.output(str(path))
    return path


def make_docx(path: Path) -> Path:
    d = docx.Document()
    d.core_properties.title = "하천 관리 계획"
    d.add_heading("하천 관리 계획", 0)
    d.add_heading("1. 홍수 대비", level=1)
    d.add_paragraph("빗물펌프장 120곳을 장마 전에 점검합니다.")
    d.add_heading("1.1 저류조", level=2)
    d.add_paragraph("신월 대심도 빗물터널은 32만 톤의 빗물을 저장할 수 있습니다.")
    t = d.add_table(rows=3, cols=2)
    for r, (a, b) in enumerate([("하천", "길이"), ("청계천", "10.84km"), ("안양천", "32.5km")]):
        t.cell(r, 0).text, t.cell(r, 1).text = a, b
    d.save(str(path))
    return path


HTML = """<html><head><title>공원 운영 안내</title></head><body>
<h1>공원 운영 안내</h1><h2>개장 시간</h2><p>서울숲은 연중무휴 상시 개방합니다.</p>
<h2>시설 현황</h2><table><tr><th>시설</th><th>수량</th><th>비고</th></tr>
<tr><td>공중화장실</td><td>14곳</td><td>장애인 화장실 포함</td></tr><tr><td>주차장</td><td>3곳</td><td>유료 주차 580면</td></tr></table>
<script>var ignored = "스크립트 문구";</script></body></html>"""

MD = """---
title: 내부 검토 메모
public: false
---
# 내부 검토 메모

## 예산 조정

제설 예산을 12억 원 증액하는 안을 검토합니다.
"""


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    make_pdf(
        folder / "traffic.pdf",
        ["1장 개요\n이 보고서는 교통 안전 현황을 다룹니다.", "2장 어린이 보호구역\n어린이 보호구역 과속 단속 카메라는 2,460대입니다."],
    )
    make_docx(folder / "river.docx")
    (folder / "parks.html").write_text(HTML, encoding="utf-8")
    (folder / "memo.md").write_text(MD, encoding="utf-8")
    (folder / "notice.txt").write_bytes("수도 요금 안내\n\n가정용 수도 요금은 1톤에 760원입니다.".encode("cp949"))
    return folder


def first(store: KnowledgeStore, query: str, **kw) -> dict:
    hits = store.search(query, 3, **kw)
    assert hits, query
    return hits[0]


def test_every_format_is_ingested_with_its_citation(tmp_path, docs):
    store = store_in(tmp_path)
    results = store.ingest([docs], public=True)
    assert sorted((Path(r.path).name, r.status) for r in results) == [
        ("memo.md", "added"),
        ("notice.txt", "added"),
        ("parks.html", "added"),
        ("river.docx", "added"),
        ("traffic.pdf", "added"),
    ]
    pdf = first(store, "어린이 보호구역 단속 카메라 몇 대")
    assert (pdf["source"], pdf["page"], pdf["location"], pdf["title"]) == ("traffic.pdf", 2, "2쪽", "교통 안전 보고서")
    assert "2,460대" in pdf["text"]
    river = first(store, "대심도 빗물터널 저장 용량")
    assert (river["source"], river["section"], river["title"]) == ("river.docx", "1. 홍수 대비 > 1.1 저류조", "하천 관리 계획")
    table = first(store, "안양천 길이")
    assert "안양천 | 32.5km" in table["text"] and "하천 | 길이" in table["text"]  # whole rows, with the header
    park = first(store, "서울숲 주차장 몇 면")
    assert park["section"] == "시설 현황" and "주차장 | 3곳 | 유료 주차 580면" in park["text"] and "스크립트" not in park["text"]
    notice = first(store, "가정용 수도 요금")
    assert notice["source"] == "notice.txt" and "760원" in notice["text"]  # CP949 read as Korean
    memo = first(store, "제설 예산 증액")
    assert memo["source"] == "memo.md" and memo["public"] is False  # the document's own front matter wins over --public
    assert all(h["source"] != "memo.md" for h in store.search("제설 예산 증액", 5, public_only=True))


def test_reingest_skips_unchanged_and_replaces_changed(tmp_path, docs):
    store = store_in(tmp_path)
    store.ingest([docs], public=True)
    total = store.chunks.count()
    assert {r.status for r in store.ingest([docs], public=True)} == {"unchanged"}
    assert store.chunks.count() == total
    (docs / "notice.txt").write_bytes("수도 요금 안내\n\n가정용 수도 요금은 1톤에 800원으로 오릅니다.".encode("cp949"))
    results = {Path(r.path).name: r.status for r in store.ingest([docs], public=True)}
    assert results["notice.txt"] == "updated" and list(results.values()).count("unchanged") == 4
    assert store.chunks.count() == total
    texts = [h["text"] for h in store.search("가정용 수도 요금", 5)]
    assert any("800원" in t for t in texts) and not any("760원" in t for t in texts)


def test_bad_files_are_named_with_their_reason_and_the_batch_goes_on(tmp_path, docs):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (bad / "broken.pdf").write_bytes(b"%PDF-1.4\n this is not really a pdf")
    (bad / "broken.docx").write_bytes(b"PK\x03\x04 not a zip")
    (bad / "scan.pdf").write_bytes(make_pdf(tmp_path / "blank.pdf", [""]).read_bytes())
    locked = PdfWriter()
    locked.append(PdfReader(str(make_pdf(tmp_path / "plain.pdf", ["비밀 문서 내용"]))))
    locked.encrypt("secret")
    with open(bad / "locked.pdf", "wb") as f:
        locked.write(f)
    with open(bad / "huge.txt", "wb") as f:
        f.truncate(60 * 1024 * 1024)  # sparse: size is checked before reading
    (bad / "data.xyz").write_text("unknown")
    store = store_in(tmp_path)
    results = store.ingest(
        [
            bad / "empty.txt",
            bad / "binary.txt",
            bad / "broken.pdf",
            bad / "broken.docx",
            bad / "scan.pdf",
            bad / "locked.pdf",
            bad / "huge.txt",
            bad / "data.xyz",
            tmp_path / "missing.md",
            docs,
            docs / "notice.txt",
        ]
    )
    why = {Path(r.path).name: (r.status, r.reason) for r in results}
    assert why["empty.txt"] == ("failed", "빈 파일입니다 (empty file)")
    assert why["binary.txt"][1].startswith("텍스트 파일이 아닙니다")
    assert why["broken.pdf"][1].startswith("손상되었거나 읽을 수 없는 PDF")
    assert why["broken.docx"][1].startswith("손상되었거나 읽을 수 없는 DOCX")
    assert why["scan.pdf"][1].startswith("읽을 수 있는 글자가 없습니다")
    assert why["locked.pdf"][1].startswith("암호가 걸린 PDF")
    assert why["huge.txt"][1].startswith("파일이 너무 큽니다")
    assert why["data.xyz"][1].startswith("지원하지 않는 형식입니다")
    assert why["missing.md"][1].startswith("파일이 없습니다")
    notice = sorted(r.status for r in results if Path(r.path).name == "notice.txt")
    assert notice == ["added", "skipped"]  # given twice (folder and file), ingested once
    assert sum(r.status == "added" for r in results) == 5
    assert first(store, "어린이 보호구역 단속 카메라")["source"] == "traffic.pdf"


def test_an_interrupted_ingest_is_invisible_and_reruns(tmp_path, docs, monkeypatch):
    store = store_in(tmp_path)
    store.ingest([docs / "notice.txt"], public=True)
    (docs / "notice.txt").write_bytes("수도 요금 안내\n\n가정용 수도 요금은 1톤에 990원입니다.".encode("cp949"))

    def crash(**kw):
        raise KeyboardInterrupt  # killed between writing the chunks and flipping the manifest

    monkeypatch.setattr(store.manifest, "upsert", crash)
    with pytest.raises(KeyboardInterrupt):
        store.ingest_file(docs / "notice.txt", True)
    texts = [h["text"] for h in store.search("가정용 수도 요금", 5)]
    assert any("760원" in t for t in texts) and not any("990원" in t for t in texts)  # the old version, whole
    monkeypatch.undo()
    assert store.ingest_file(docs / "notice.txt", True).status == "updated"
    texts = [h["text"] for h in store.search("가정용 수도 요금", 5)]
    assert any("990원" in t for t in texts) and not any("760원" in t for t in texts)
    assert {m["sha"] for m in store.chunks.get(include=["metadatas"])["metadatas"]} == {store.current()[next(iter(store.current()))]["sha"]}


def test_search_api_and_public_split(client, knowledge_store, officer):
    staff = client.post("/v1/knowledge/search", json={"query": "스마트시티 플랫폼 구축 비용", "k": 3}, headers=officer).json()
    assert staff[0]["source"] == "smart-city-operations-report-2026.md" and staff[0]["section"] == "1. 구축 경과와 비용"
    assert {"text", "source", "score", "title", "section", "page", "location"} <= set(staff[0])
    for channel in ("public", "kiosk", "wall", None):  # anonymous: public documents only, whatever the channel
        body = {"query": "스마트시티 플랫폼 구축 비용", "k": 10} | ({"channel": channel} if channel else {})
        hits = client.post("/v1/knowledge/search", json=body).json()
        assert hits and all(h["public"] for h in hits)
    for body, code in (
        ({"query": ""}, "text_empty"),
        ({"query": "a", "k": 0}, "invalid_field"),
        ({"query": "a", "k": 51}, "invalid_field"),
        ({"query": "a", "channel": "fax"}, "invalid_channel"),
        ({"query": "a", "mode": "magic"}, "invalid_field"),
    ):
        r = client.post("/v1/knowledge/search", json=body)
        assert r.status_code == 422 and r.json()["error"]["code"] == code


def test_questions_in_chat_quote_their_passages(client, knowledge_store, officer):
    client.headers.update(officer)  # the cost is in an internal report
    r = say(client, "스마트시티 플랫폼 구축 비용이 얼마였지")
    assert r["intent"]["name"] == "knowledge_question" and "42억 원" in r["text"] and "1. 구축 경과와 비용" in r["text"]
    assert r["sources"][0]["kind"] == "document" and "42억" in r["sources"][0]["quote"]
    r = say(client, "What does the white paper say about traffic?")
    assert r["intent"]["name"] == "knowledge_question"
    r = say(client, "How many administrative indicators are on the platform?")
    assert "15 sectors" in r["text"] and "Administrative indicators" in r["text"]
    r = say(client, "우주 정거장 도킹 절차가 뭐야", channel="public", session_id="p")
    assert "찾지 못했습니다" in r["text"] or "이해하지 못했습니다" in r["text"] or "도와드릴 수 없습니다" in r["text"]
    assert r["sources"] == []


def test_cli_search_reads_queries_line_by_line(knowledge_store):
    out = subprocess.run(
        [str(BIN / "secretary"), "search", "--json", "-k", "2", "-"],
        input="기후동행카드 한 달 요금\n\nS-DoT 센서\n",
        capture_output=True,
        text=True,
        check=True,
        env=os.environ,
    )
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(rows) == 3 and rows[1] == [] and len(rows[0]) == 2
    assert rows[0][0]["source"] == "seoul-transport-report-2026.md" and rows[0][0]["location"] == "2. 기후동행카드"


def test_cli_ingest_reports_and_exit_code(tmp_path, docs):
    env = dict(os.environ, SECRETARY_DATA_DIR=str(tmp_path / "data"))
    (docs / "bad.pdf").write_bytes(b"not a pdf")
    out = subprocess.run([str(BIN / "secretary"), "ingest", str(docs), "--public"], capture_output=True, text=True, env=env)
    assert out.returncode == 1
    assert "추가" in out.stdout and "bad.pdf: 손상되었거나 읽을 수 없는 PDF" in out.stdout and "실패 1개" in out.stderr


def test_against_a_chroma_server(tmp_path, docs):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [str(BIN / "chroma"), "run", "--path", str(tmp_path / "server"), "--port", str(port), "--host", "127.0.0.1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        client = None
        for _ in range(300):
            try:
                client = chromadb.HttpClient(host="127.0.0.1", port=port, settings=ChromaSettings(anonymized_telemetry=False))
                client.heartbeat()
                break
            except Exception:
                time.sleep(0.1)
        store = store_in(tmp_path, client)
        assert {r.status for r in store.ingest([docs], public=True)} == {"added"}
        assert first(store, "어린이 보호구역 단속 카메라")["page"] == 2
        again = store_in(tmp_path, chromadb.HttpClient(host="127.0.0.1", port=port, settings=ChromaSettings(anonymized_telemetry=False)))
        assert {r.status for r in again.ingest([docs], public=True)} == {"unchanged"}  # state lives in the server
    finally:
        server.terminate()
        server.wait(timeout=30)


class ChatCompletions:
    """An OpenAI-compatible endpoint on loopback that answers with a fixed completion and records the prompt.
    (No model can run here; what is tested is our prompt, the real langchain-openai client and the fallback.)"""

    def __init__(self, content: str, status: int = 200):
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        from threading import Thread

        self.requests: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                outer.requests.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                body = json.dumps(
                    {
                        "id": "c1",
                        "object": "chat.completion",
                        "created": 0,
                        "model": "test",
                        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
                        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                    }
                ).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.mark.parametrize(
    "content,status,generated",
    [
        ("1단계와 2단계를 합쳐 누적 구축 비용은 100억 원입니다 [1].", 200, True),
        ("문서에 답이 없습니다", 200, False),  # the model found nothing: the extractive answer stands
        ("", 500, False),  # the endpoint failed: the extractive answer stands
    ],
)
def test_generated_answers_rest_on_the_passages(knowledge_store, monkeypatch, content, status, generated):
    llm = ChatCompletions(content, status)
    monkeypatch.setenv("SECRETARY_LLM_URL", llm.url)
    monkeypatch.setenv("SECRETARY_LLM_MODEL", "test-model")
    monkeypatch.setattr(knowledge, "_settings", knowledge.KnowledgeSettings())  # the store stays; the LLM is this one
    try:
        lead, hits = knowledge.answer("스마트시티 플랫폼 구축 비용이 얼마였지")
    finally:
        llm.server.shutdown()
    assert llm.requests and llm.requests[0]["model"] == "test-model" and llm.requests[0]["temperature"] == 0
    prompt = "\n".join(m["content"] for m in llm.requests[0]["messages"])
    assert (
        "인용문에만 근거해" in prompt
        and "스마트시티 플랫폼 구축 비용이 얼마였지" in prompt
        and "[1] (스마트시티 플랫폼 운영 보고서" in prompt
    )
    assert "42억 원" in prompt  # the passages are quoted to the model
    assert lead == (
        content
        if generated
        else "스마트시티 플랫폼 1단계 구축에는 2017년부터 2019년까지 총 42억 원이 들었습니다. "
        "2단계 고도화(2023~2025년)에는 58억 원이 추가로 투입되어 누적 구축 비용은 100억 원입니다."
    )
    assert hits[0]["section"] == "1. 구축 경과와 비용"


def test_a_lone_public_passage_is_found_behind_many_internal_ones(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    internal = "\n\n".join(
        f"## {i}. 수도 요금 검토 {i}\n\n내부 검토: 수도 요금 조정안 {i}번, 요금 인상 폭 {i}%를 검토합니다." for i in range(90)
    )
    (folder / "internal.md").write_text(f"---\ntitle: 내부 요금 검토\npublic: false\n---\n{internal}", encoding="utf-8")
    (folder / "public.md").write_text(
        "---\ntitle: 요금 안내\npublic: true\n---\n## 안내\n\n수도 요금은 1톤에 760원입니다.", encoding="utf-8"
    )
    store = store_in(tmp_path)
    store.ingest([folder])
    assert store.chunks.count() > 3 * 20  # more internal chunks than the unfiltered dense pool holds
    hits = store.search("수도 요금 검토 조정안 인상", 1, public_only=True, mode="dense")
    assert [h["source"] for h in hits] == ["public.md"]


def test_a_document_ingested_by_another_process_is_found_at_once(tmp_path):
    """`secretary ingest` while `secretary serve` runs: the server's next search finds it, dense and hybrid alike.
    (A local Chroma's vector index used to see it only after a restart; the manifest only after a 2 s cache.)"""
    from procs import cli, free_port, serve, stop

    env = dict(os.environ, SECRETARY_DATA_DIR=str(tmp_path / "data"), SECRETARY_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 's.db'}")
    env["SECRETARY_RATE_LIMITS"] = "false"
    shared = Path(os.environ["SECRETARY_DATA_DIR"]) / "models"  # the session's trained NLU model: no training here
    shared.mkdir(parents=True, exist_ok=True)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "models").symlink_to(shared)
    port = free_port()
    proc = serve(env, port, tmp_path / "server.log")
    base = f"http://127.0.0.1:{port}"
    question = "올겨울 제설차는 몇 대 배치하나요"

    def top(mode: str) -> list[str]:
        import httpx

        r = httpx.post(f"{base}/v1/knowledge/search", json={"query": question, "k": 3, "mode": mode}, timeout=60)
        assert r.status_code == 200, r.text
        return [h["text"] for h in r.json()]

    try:
        assert not any("제설차" in t for t in top("dense"))  # the sample corpus is in; nothing about snow yet
        plan = tmp_path / "snow.md"
        plan.write_text(
            "---\ntitle: 겨울철 제설 대책\n---\n# 겨울철 제설 대책\n\n## 장비\n\n올겨울 제설차 1,240대를 자치구에 배치합니다.\n",
            encoding="utf-8",
        )
        assert "추가" in cli(env, "ingest", str(plan), "--public").stdout
        for mode in ("dense", "hybrid", "lexical"):  # no waiting: the very next search
            assert "1,240대" in top(mode)[0], mode
        plan.write_text(plan.read_text(encoding="utf-8").replace("1,240대", "1,310대"), encoding="utf-8")
        assert "갱신" in cli(env, "ingest", str(plan), "--public").stdout  # same number of documents: the stamp, not a count
        for mode in ("dense", "hybrid"):
            texts = top(mode)
            assert "1,310대" in texts[0] and not any("1,240대" in t for t in texts), mode
    finally:
        stop(proc)


@pytest.mark.parametrize(
    ("question", "passage"),
    [
        ("벌금 얼마야", "위반하면 하루 10만 원의 과태료를 냅니다."),
        ("에스닷은", "S-DoT는 도시데이터 센서입니다."),
        ("언제 바뀌어요", "5분 간격으로 갱신됩니다."),
    ],
)
def test_everyday_words_are_found_as_documents_write_them(question, passage):
    assert knowledge.coverage(question, passage) == 1.0
    assert knowledge.coverage(question, "서울시 대기질 개선 백서") == 0.0  # and only there
