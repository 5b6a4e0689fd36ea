"""rasa-sdk actions, one small class per intent, and the city data they query.

`python -m rasa_sdk --actions actions` serves these same classes to Rasa.
"""

from __future__ import annotations

from . import evidence, references
from .access import ROLES, can, redact, refusal
from .admin import ActionAdminIndicator, ActionFinanceStatus, ActionPledgeStatus, ActionPriceInfo, ActionProjectStatus, ActionPublicOpinion
from .base import FOLLOW_UP_INTENTS, CityAction, Reply
from .citydata import CityData, DataUnavailable, Reading, SampleCityData, UnknownKey, get_city_data
from .conversation import (
    ActionCancel,
    ActionConfirm,
    ActionDailyBriefing,
    ActionFallback,
    ActionFollowUp,
    ActionGoodbye,
    ActionGreet,
    ActionHelp,
    ActionKnowledgeQuestion,
    ActionOutOfScope,
    ActionThanks,
)
from .office import ActionApprovalDecide, ActionApprovalList, ActionCallOfficer, ActionEndCall, ActionNavigate
from .realtime import (
    ActionAirQuality,
    ActionCctvView,
    ActionDisasterStatus,
    ActionLivingPopulation,
    ActionParkInfo,
    ActionTrafficStatus,
    ActionTransitStatus,
    ActionWaterQuality,
    ActionWeather,
)
from .resume import ActionCityRanking, ActionIntlCooperation

ALL_ACTIONS: list[CityAction] = [
    ActionDisasterStatus(),
    ActionTrafficStatus(),
    ActionTransitStatus(),
    ActionAirQuality(),
    ActionWeather(),
    ActionWaterQuality(),
    ActionPriceInfo(),
    ActionFinanceStatus(),
    ActionLivingPopulation(),
    ActionPublicOpinion(),
    ActionAdminIndicator(),
    ActionProjectStatus(),
    ActionPledgeStatus(),
    ActionIntlCooperation(),
    ActionCityRanking(),
    ActionParkInfo(),
    ActionCctvView(),
    ActionNavigate(),
    ActionApprovalList(),
    ActionApprovalDecide(),
    ActionCallOfficer(),
    ActionEndCall(),
    ActionDailyBriefing(),
    ActionKnowledgeQuestion(),
    ActionFollowUp(),
    ActionGreet(),
    ActionGoodbye(),
    ActionThanks(),
    ActionConfirm(),
    ActionCancel(),
    ActionHelp(),
    ActionOutOfScope(),
    ActionFallback(),
]
ACTIONS: dict[str, CityAction] = {a.name(): a for a in ALL_ACTIONS}
ACTION_FOR_INTENT: dict[str, str] = {a.intent: a.name() for a in ALL_ACTIONS}
ActionFollowUp.targets.update({a.intent: a for a in ALL_ACTIONS} | {"action_navigate": ACTIONS["action_navigate"]})

__all__ = [
    "ACTIONS",
    "ACTION_FOR_INTENT",
    "FOLLOW_UP_INTENTS",
    "evidence",
    "references",
    "ROLES",
    "CityAction",
    "CityData",
    "DataUnavailable",
    "Reading",
    "Reply",
    "SampleCityData",
    "UnknownKey",
    "can",
    "get_city_data",
    "redact",
    "refusal",
]
