"""One APIRouter per area; every one answers errors in the same envelope."""

from typing import Any

from ..schemas import ErrorResponse

ERRORS: dict[int | str, dict[str, Any]] = {s: {"model": ErrorResponse} for s in (400, 401, 403, 413, 422, 429)}
