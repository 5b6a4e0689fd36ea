"""The reading room: search (citizens see public documents only) and, for admins, adding documents."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, UploadFile

import actions
import knowledge
import voice
from actions.privacy import guard_obj

from ..auth import CurrentUser, Principal, require
from ..deps import Client, SecretaryDep
from ..errors import ApiError
from ..ratelimit import limit
from ..schemas import Document, DocumentInfo, ErrorResponse, Passage, SearchRequest
from . import ERRORS

router = APIRouter(prefix="/v1/knowledge", tags=["knowledge"], responses=ERRORS)
MAX_DOCUMENT_BYTES = voice.MAX_BYTES


@router.post("/search", response_model=list[Passage], dependencies=[limit("search")])
async def search(body: SearchRequest, user: CurrentUser) -> list[dict[str, Any]]:
    """Top passages of the reading room; citizens see public documents only."""
    public_only = not actions.can(user.role, "internal_data")
    hits = await asyncio.to_thread(knowledge.search, body.query, body.k, public_only, body.mode)
    return guard_obj(hits) if public_only else hits


@router.get("/documents", response_model=list[DocumentInfo])
async def documents(user: CurrentUser) -> list[dict[str, Any]]:
    """The reading room's documents, newest first; citizens see the public ones."""
    return await asyncio.to_thread(knowledge.get_store().documents, not actions.can(user.role, "internal_data"))


@router.get("/documents/{doc_id}", response_model=Document, responses={404: {"model": ErrorResponse}})
async def document(doc_id: Annotated[str, Path(pattern=r"^[0-9a-f]{16}$")], user: CurrentUser) -> dict[str, Any]:
    """One document's passages in order (what a citation opens); an internal one is 404 to citizens."""
    public_only = not actions.can(user.role, "internal_data")
    doc = await asyncio.to_thread(knowledge.get_store().document, doc_id, public_only)
    if doc is None:
        raise ApiError("not_found")
    return guard_obj(doc) if public_only else doc


@router.post("/documents", status_code=201)
async def add_documents(
    admin: Annotated[Principal, require("ingest")],
    sec: SecretaryDep,
    client: Client,
    files: list[UploadFile] = File(..., description=".txt .md .pdf .html .docx"),
    public: bool = Form(False, description="may citizens read them? (Markdown front matter wins)"),
) -> list[dict[str, Any]]:
    """Add or replace documents; they are searchable as soon as this answers."""
    folder = sec.settings.data_dir / "documents"
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[FilePath] = []
    for f in files:
        name = re.sub(r"[^\w.\-가-힣]", "_", FilePath(f.filename or "document").name)[:120]
        if FilePath(name).suffix.lower() not in knowledge.SUPPORTED:
            raise ApiError("invalid_field", field=f"files: {name}")
        data = await f.read(MAX_DOCUMENT_BYTES + 1)
        if len(data) > MAX_DOCUMENT_BYTES:
            raise ApiError("body_too_large")
        paths.append(folder / name)
        await asyncio.to_thread(paths[-1].write_bytes, data)
    results = await asyncio.to_thread(knowledge.get_store().ingest, paths, public)
    actor = admin.actor("admin", client)
    for r in results:
        await sec.storage.audit(actor, "ingest", FilePath(r.path).name, {"status": r.status, "chunks": r.chunks, "public": public})
    return [{"file": FilePath(r.path).name, "status": r.status, "chunks": r.chunks, "reason": r.reason} for r in results]
