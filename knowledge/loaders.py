"""Read documents into sections that keep their heading path, page and whole table rows.

.txt .md .pdf .html .docx, Korean or English. A file that cannot be read raises LoadError with
the reason, in Korean for the admin, and nothing of it reaches the index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

SUPPORTED = {".txt", ".md", ".markdown", ".pdf", ".html", ".htm", ".docx"}
MAX_FILE_BYTES = 50 * 1024 * 1024


class LoadError(Exception):
    def __init__(self, reason: str, reason_en: str):
        super().__init__(f"{reason} ({reason_en})")
        self.reason, self.reason_en = reason, reason_en


@dataclass
class Section:
    text: str
    heading: str  # "2. 계절관리제" or "개요 > 화면 구성"
    page: int | None = None
    table: bool = False  # a table: its rows (one per line) are never split


@dataclass
class LoadedDocument:
    title: str
    sections: list[Section]
    public: bool | None = None  # set by the document itself (front matter), else by the ingest call
    meta: dict = field(default_factory=dict)


def load(path: Path) -> LoadedDocument:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise LoadError(f"지원하지 않는 형식입니다({suffix or '확장자 없음'})", f"unsupported format {suffix!r}")
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise LoadError("파일이 아닙니다", "not a regular file")
        if size > MAX_FILE_BYTES:
            raise LoadError(
                f"파일이 너무 큽니다({size // 2**20}MB, 최대 {MAX_FILE_BYTES // 2**20}MB)", f"file larger than {MAX_FILE_BYTES} bytes"
            )
        if size == 0:
            raise LoadError("빈 파일입니다", "empty file")
        raw = path.read_bytes()
    except OSError as exc:
        raise LoadError("파일을 읽을 수 없습니다", str(exc)) from exc
    reader = {".pdf": _pdf, ".docx": _docx, ".html": _html, ".htm": _html, ".md": _markdown, ".markdown": _markdown}.get(suffix, _text)
    doc = reader(raw, path)
    doc.sections = [s for s in doc.sections if s.text.strip()]
    if not doc.sections:
        raise LoadError("읽을 수 있는 글자가 없습니다(스캔 이미지만 있는 PDF일 수 있습니다)", "no extractable text")
    return doc


def _decode(raw: bytes) -> str:
    if b"\x00" in raw[:4096]:
        raise LoadError("텍스트 파일이 아닙니다", "binary content")
    for enc in ("utf-8-sig", "cp949"):  # Korean public documents often come in CP949
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise LoadError("글자 인코딩을 알 수 없습니다(UTF-8, CP949가 아님)", "unknown text encoding")


def _text(raw: bytes, path: Path) -> LoadedDocument:
    text = _decode(raw)
    first = next((ln.strip() for ln in text.splitlines() if ln.strip()), path.stem)
    return LoadedDocument(first[:80], [Section(text, first[:80])])


def _markdown(raw: bytes, path: Path) -> LoadedDocument:
    from langchain_text_splitters import MarkdownHeaderTextSplitter

    text = _decode(raw)
    meta: dict = {}
    if text.startswith("---"):
        _, front, text = text.split("---", 2)
        meta = yaml.safe_load(front) or {}
    splitter = MarkdownHeaderTextSplitter([("#", "h1"), ("##", "h2"), ("###", "h3")], strip_headers=True)
    parts = splitter.split_text(text)
    title = str(meta.get("title") or next((p.metadata["h1"] for p in parts if "h1" in p.metadata), path.stem))
    sections = []
    for p in parts:
        heading = " > ".join(p.metadata[h] for h in ("h2", "h3") if h in p.metadata) or p.metadata.get("h1", title)
        sections += _split_tables(p.page_content, heading)
    public = meta.get("public")
    return LoadedDocument(title, sections, None if public is None else bool(public), meta)


def _split_tables(text: str, heading: str, page: int | None = None) -> list[Section]:
    """Markdown-style table blocks ('| a | b |' lines) become table sections, the rest text."""
    out: list[Section] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [ln for ln in block.splitlines() if ln.strip()]
        is_table = len(lines) > 1 and all(ln.lstrip().startswith("|") for ln in lines)
        if is_table:
            rows = [ln for ln in lines if not re.fullmatch(r"[\s|:-]+", ln)]
            out.append(Section("\n".join(rows), heading, page, table=True))
        elif out and not out[-1].table:
            out[-1].text += "\n\n" + block
        else:
            out.append(Section(block, heading, page))
    return out


def _pdf(raw: bytes, path: Path) -> LoadedDocument:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise LoadError("암호가 걸린 PDF입니다", "encrypted PDF")
        pages = [page.extract_text() or "" for page in reader.pages]
        title = (reader.metadata.title if reader.metadata else None) or path.stem
    except LoadError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise LoadError("손상되었거나 읽을 수 없는 PDF입니다", f"unreadable PDF: {exc}") from exc
    except Exception as exc:  # pypdf raises many things on broken files; none may stop the batch
        if "encrypt" in str(exc).lower() or "crypt" in type(exc).__name__.lower():
            raise LoadError("암호가 걸린 PDF입니다", f"encrypted PDF: {exc}") from exc
        raise LoadError("손상되었거나 읽을 수 없는 PDF입니다", f"unreadable PDF: {exc}") from exc
    sections = []
    for number, text in enumerate(pages, start=1):
        heading = next((ln.strip() for ln in text.splitlines() if ln.strip()), f"{number}쪽")[:80]
        sections.append(Section(text, heading, page=number))
    return LoadedDocument(str(title), sections)


def _html(raw: bytes, path: Path) -> LoadedDocument:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(_decode(raw), "html.parser")
    for tag in soup(["script", "style", "nav", "footer"]):
        tag.decompose()
    title = (soup.title.get_text(strip=True) if soup.title else "") or path.stem
    path_: list[str] = []
    sections: list[Section] = []
    for el in soup.find_all(["h1", "h2", "h3", "p", "li", "table", "pre"]):
        if el.name in ("h1", "h2", "h3"):
            level = int(el.name[1])
            path_ = path_[: level - 1] + [el.get_text(" ", strip=True)]
            continue
        if el.find_parent("table") or (el.name == "p" and el.find_parent("li")):  # read with their table / list item
            continue
        heading = " > ".join(path_[1:] or path_) or title
        if el.name == "table":
            rows = [" | ".join(c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])) for tr in el.find_all("tr")]
            sections.append(Section("\n".join(r for r in rows if r.strip(" |")), heading, table=True))
        else:
            text = el.get_text(" ", strip=True)
            if sections and not sections[-1].table and sections[-1].heading == heading:
                sections[-1].text += "\n" + text
            else:
                sections.append(Section(text, heading))
    return LoadedDocument(title, sections)


def _docx(raw: bytes, path: Path) -> LoadedDocument:
    import io
    import zipfile

    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(raw))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise LoadError("손상되었거나 읽을 수 없는 DOCX입니다", f"unreadable DOCX: {exc}") from exc
    title = document.core_properties.title or ""
    path_: list[str] = [""]  # [title, heading 1, heading 2, ...]
    sections: list[Section] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            p = Paragraph(child, document)
            text, style = p.text.strip(), (p.style.name if p.style is not None else "")
            if not text:
                continue
            if style == "Title" or (style.startswith("Heading") and style[-1:].isdigit()):
                level = 0 if style == "Title" else int(style[-1])
                title = title or text
                path_ = path_[:level] + [""] * (level - len(path_)) + [text]
                continue
            heading = " > ".join(h for h in path_[1:] if h) or title or path.stem
            if sections and not sections[-1].table and sections[-1].heading == heading:
                sections[-1].text += "\n" + text
            else:
                sections.append(Section(text, heading))
        elif tag == "tbl":
            t = Table(child, document)
            rows = [" | ".join(c.text.strip() for c in row.cells) for row in t.rows]
            heading = " > ".join(h for h in path_[1:] if h) or title or path.stem
            sections.append(Section("\n".join(rows), heading, table=True))
    return LoadedDocument(title or path.stem, sections)
