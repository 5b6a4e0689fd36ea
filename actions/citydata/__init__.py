"""City data sources: the sample dataset, or the Seoul Open API when SEOUL_OPENAPI_KEY is set."""

from __future__ import annotations

from functools import lru_cache

from .base import CityData, DataUnavailable, Reading, Topic, UnknownKey
from .sample import SampleCityData
from .seoul_openapi import OpenApiError, SeoulOpenApiCityData


@lru_cache(maxsize=1)
def get_city_data() -> CityData:
    from assistant import get_settings

    settings = get_settings()
    if settings.seoul_openapi_key:
        return SeoulOpenApiCityData(settings, SampleCityData())
    return SampleCityData()


__all__ = [
    "CityData",
    "DataUnavailable",
    "OpenApiError",
    "Reading",
    "SampleCityData",
    "SeoulOpenApiCityData",
    "Topic",
    "UnknownKey",
    "get_city_data",
]
