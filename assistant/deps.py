"""FastAPI dependencies shared by the routers: the secretary, the settings, the caller's address."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from .auth import client_address
from .config import Settings
from .service import Secretary


def get_secretary(request: Request) -> Secretary:
    return request.app.state.secretary


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_client(request: Request) -> str:
    return client_address(request)


SecretaryDep = Annotated[Secretary, Depends(get_secretary)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
Client = Annotated[str, Depends(get_client)]
