"""City data sources: the sample dataset, or the Seoul Open API when SEOUL_OPENAPI_KEY is set."""

from __future__ import annotations

from typing import Any

from .base import CityData, DataUnavailable, Reading, Topic, UnknownKey
from .sample import SampleCityData
from .seoul_openapi import OpenApiError, SeoulOpenApiCityData


def get_city_data(settings: Any) -> CityData:
    """The Seoul Open API (with the sample data behind it) when a key is set, else the sample data."""
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
