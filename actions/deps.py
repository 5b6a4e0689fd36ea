"""What the actions run against: settings, the records and the city data source.

In-process the assistant hands over its own (`use`), so both share one database pool; a rasa-sdk
action server builds them from its environment on first use.
"""

from __future__ import annotations

from .citydata import CityData, get_city_data
from .records import Records
from .settings import CitySettings

_settings: CitySettings | None = None
_records: Records | None = None
_city: CityData | None = None


def use(settings: CitySettings | None = None, records: Records | None = None, city: CityData | None = None) -> None:
    global _settings, _records, _city
    _settings, _records, _city = settings, records, city


def settings() -> CitySettings:
    global _settings
    if _settings is None:
        _settings = CitySettings()
    return _settings


def records() -> Records:
    global _records
    if _records is None:
        _records = Records(settings().db_url)
    return _records


def city() -> CityData:
    global _city
    if _city is None:
        _city = get_city_data(settings())
    return _city
