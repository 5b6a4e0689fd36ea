"""Citizens writing in English get English, from the same data and public fields as the Korean replies.

Names are read from their romanized forms (Hapjeong station, Seolleung, course 5 of the Seoul Trail) and English
names (Olympic Park, the US, the employment rate); topic words decide the intent; follow-ups keep the place.
"""

from __future__ import annotations

import re

import pytest
from conftest import say

from nlu import english

HANGUL = re.compile(r"[가-힣]")


LATIN = re.compile(r"[A-Za-z]")


def ask(client, text: str, session: str = "en", channel: str = "public", cited_korean: bool = False) -> dict:
    r = say(client, text, channel=channel, session_id=session)  # no auth header: a citizen
    if cited_korean:  # a Korean document's title cited beside the English answer
        hangul = len(HANGUL.findall(r["text"]))
        assert hangul <= 0.2 * (hangul + len(LATIN.findall(r["text"]))), r["text"]
    else:
        assert not HANGUL.search(r["text"]), (text, r["text"])  # English only (the names are romanized or English)
    return r


def check(client, text: str, intent: str, *needles: str, session: str = "en") -> dict:
    r = ask(client, text, session)
    assert r["intent"]["name"] == intent, (text, r["intent"], r["text"])
    for n in needles:
        assert n in r["text"], (n, r["text"])
    return r


@pytest.mark.parametrize(
    ("korean", "roman"),
    [("합정", "hapjeong"), ("선릉", "seolleung"), ("왕십리", "wangsimni"), ("종로", "jongno"), ("신림", "sillim"),
     ("청량리", "cheongnyangni"), ("마곡나루", "magongnaru"), ("독립문", "dongnimmun"), ("을지로", "euljiro"), ("별내", "byeollae")],
)  # fmt: skip
def test_korean_names_are_romanized_as_they_are_written(korean, roman):
    assert english.roman(korean) == roman


def names(text: str) -> set[tuple[str, str]]:
    return {(e["entity"], e["value"]) for e in english.entities(text)}


def test_romanized_and_english_names():
    assert ("station", "합정역") in names("How long until the next train at Hapjeong?")
    assert ("station", "용산역") in names("Next train at Yongsan station?") and ("district", "용산구") not in names("Yongsan station")
    assert names("How is the air in Yongsan?") == {("district", "용산구")}
    assert ("park", "서울둘레길 5코스") in names("How hard is course 5 of the Seoul Trail?")
    assert ("park", "서울둘레길") not in names("Seoul Dulle-gil course 5")  # the course narrows the trail down
    assert {("park", "올림픽공원"), ("place", "올림픽공원")} <= names("And Olympic Park?")
    assert names("Which sister cities does Seoul have in the US?") == {("country", "미국")}
    assert not names("Can you tell us about it?")  # "us" is not the US
    assert names("Are lines 6 and 9 running?") == {("subway_line", "6호선"), ("subway_line", "9호선")}
    assert ("sector", "사회복지") in names("How big is the welfare budget?") and not names("Is welfare good?")  # sectors with budget words
    assert ("scope", "city") in names("Any fires in Seoul today?") and ("scope", "city") not in names("Is Seoul Forest open?")


def test_parks_and_trails(client, sample):
    parks = sample["parks"]["parks"]
    r = check(client, "Is Seoul Forest open?", "park_info", "Seoul Forest is partly closed", "leaf clearing", "until November 25")
    assert f"{parks['서울숲공원']['visitors_today']:,} visitors" in r["text"]
    r = check(client, "And Olympic Park?", "inform", "Olympic Park is partly closed")  # the follow-up keeps asking about parks
    assert f"{parks['올림픽공원']['visitors_today']:,} visitors" in r["text"]
    check(client, "Is it crowded there?", "living_population", "Olympic Park is")  # the park is the place talked about
    c = parks["서울둘레길 5코스"]
    check(
        client, "How long is Seoul Trail course 5?", "park_info", "Seoul Trail Course 5", f"{c['length_km']:g} km", "about 9 hours", "hard"
    )
    closed = [k for k, v in parks.items() if v["status"] != "정상 개방"]
    check(
        client,
        "Are any parks closed right now?",
        "park_info",
        f"{len(parks) - len(closed)} of {len(parks)} parks and trails are fully open",
    )


def test_disasters_by_district_and_the_district_carried(client, sample):
    d = sample["districts"]["districts"]
    gangseo = d["강서구"]["disaster"]
    check(
        client,
        "Any fires in Gangseo today?",
        "disaster_status",
        f"Today in Gangseo-gu: {gangseo['fire']} fire",
        f"{gangseo['ems']} ambulance calls",
        "a house fire (being put out)",
        "Latest emergency text (11:40, safety notice): a fire alert from Gangseo-gu Office",
    )
    check(client, "How is the air in Mapo?", "air_quality", "Mapo-gu", session="carry")
    mapo = d["마포구"]["disaster"]
    check(client, "Any fires there today?", "disaster_status", f"Today in Mapo-gu: {mapo['fire']} fires", session="carry")
    fires = sum(v["disaster"]["fire"] for v in d.values())
    check(client, "And across the whole city?", "inform", f"Today in Seoul: {fires} fires", session="carry")


def test_sister_cities_and_policy_exports(client):
    check(
        client,
        "Which sister cities does Seoul have in the US?",
        "intl_cooperation",
        "San Francisco (sister city since 1976)",
        "Washington, D.C. (sister city since 2006)",
        "New York (friendship city since 2017)",
    )
    check(client, "When did Seoul become sister cities with Tokyo?", "intl_cooperation", "Tokyo (Japan)", "since 1988", "climate action")
    check(client, "Which policies has Seoul exported?", "intl_cooperation", "TOPIS traffic information centre to Hanoi, Vietnam (2023)")
    check(client, "Does Seoul have a partner city in Germany?", "intl_cooperation", "Berlin (friendship city since 2013)")


def test_next_trains_at_a_station_and_a_lines_crowding(client, sample):
    arrivals = sorted(sample["transit"]["stations"]["합정역"]["arrivals"], key=lambda a: a["arrival_sec"])
    first = arrivals[0]
    r = check(client, "How long until the next train at Hapjeong station?", "transit_status", "Next trains at Hapjeong Station: ")
    assert f"Line {first['line'][0]}" in r["text"] and f"in {first['arrival_sec']} s" in r["text"]
    check(client, "Next train at Seolleung?", "transit_status", "Seolleung Station")
    line = sample["transit"]["lines"]["2호선"]
    assert line["crowding"] == "혼잡"
    check(client, "Is line 2 crowded?", "transit_status", "Line 2 is crowded right now", f"a train every {line['headway_min']} minutes")
    six = sample["transit"]["lines"]["6호선"]
    check(
        client,
        "Are lines 6 and 9 running?",
        "transit_status",
        f"Line 6 is running with delays of about {six['delay_min']} minutes",
        "Line 9",
    )


def test_water_pledges_indicators_and_budget(client, sample):
    w = sample["districts"]["districts"]["마포구"]["water"]
    check(client, "Is the tap water safe to drink in Mapo?", "water_quality", "meets every drinking-water standard", f"pH {w['ph']:g}")
    s = sample["pledges"]["summary"]
    check(
        client,
        "How are the mayor's pledges going?",
        "pledge_status",
        f"Of the mayor's {s['total']} pledges, {s['completed']} are completed",
    )
    card = sample["pledges"]["pledges"]["기후동행카드"]
    check(
        client,
        "How is the Climate Card pledge doing?",
        "pledge_status",
        f"{card['completion_pct']}% done",
        "Transportation Policy Division",
    )
    jobs = sample["indicators"]["indicators"]["고용률"]
    check(client, "What is Seoul's employment rate?", "admin_indicator", f"{jobs['value']:g}% in {jobs['year']}", f"{jobs['previous']:g}%")
    r = check(client, "What is Seoul's integrity rating?", "admin_indicator", "not public")  # an internal indicator
    assert "grade" not in r["text"] and r["data"] is None
    r = check(client, "Which indicators does Seoul publish?", "admin_indicator")
    public = sum(v["public"] for v in sample["indicators"]["indicators"].values())
    assert f"{public} public indicators" in r["text"] and "integrity" not in r["text"]
    f = sample["finance"]["finance"]
    check(client, "What is Seoul's budget this year?", "finance_status", "48.71 trillion won", f"{f['execution_rate']:g}%")
    welfare = f["sectors"]["사회복지"]
    check(client, "How big is the welfare budget?", "finance_status", "social welfare budget", f"{welfare['execution_rate']:g}%")


def test_complaints_show_counts_never_the_complaints(client, sample):
    noise = sample["opinion"]["topics"]["소음"]
    r = check(client, "How many noise complaints this week?", "public_opinion", f"{noise['week']:,} this week")
    assert "010-" not in r["text"] + str(r["data"]) + str(r["sources"])


@pytest.mark.parametrize(
    "text", ["ok bye", "bye for now", "okay, bye!", "thanks, bye", "See you later!", "That's all for now, have a nice day"]
)
def test_farewells_are_goodbyes(client, text):
    r = check(client, text, "goodbye", "Goodbye")
    assert r["intent"]["name"] != "greet"


def test_greetings_stay_greetings(client):
    check(client, "Hello", "greet", "Hello")


def test_document_answers_give_the_figure_asked_for(client, knowledge_store):
    check(client, "How often does the data refresh?", "knowledge_question", "every five to ten minutes")
    check(client, "How frequently is the data updated?", "knowledge_question", "every five to ten minutes")  # other words, same answer
    check(client, "How big is the wall screen?", "knowledge_question", "3.6-metre")
    r = ask(client, "How often does the data refresh?", channel="watch")
    assert len(r["text"]) <= 40 and "every five to ten minutes" in r["text"], r["text"]


def test_a_fine_is_asked_of_the_documents_not_traffic(client, knowledge_store):
    r = ask(client, "What's the fine for driving an old diesel car in the seasonal management period?", cited_korean=True)
    assert r["intent"]["name"] == "knowledge_question" and "100,000 won a day" in r["text"], r  # 하루 10만 원의 과태료
    assert r["sources"] and r["sources"][0]["kind"] == "document" and "과태료" in r["sources"][0]["quote"]


def test_no_forecast_is_said_plainly(client):
    check(client, "Will it rain tomorrow?", "weather", "not a forecast for tomorrow")
    check(client, "Any fires tomorrow?", "disaster_status", "not a forecast for tomorrow")


@pytest.mark.parametrize(
    "text",
    ["Any fires in Gangseo today?", "Which sister cities does Seoul have in the US?", "Is Seoul Forest open?", "Is line 2 crowded?",
     "How long until the next train at Hapjeong station?", "What is Seoul's budget this year?", "Is the tap water safe in Mapo?",
     "How often does the data refresh?"],
)  # fmt: skip
def test_the_watch_gets_one_short_line(client, knowledge_store, text):
    r = ask(client, text, session="watch", channel="watch")
    assert len(r["text"]) <= 40 and "\n" not in r["text"] and "…" not in r["text"], r["text"]


def test_every_name_reads_in_english():
    """Whatever the data names (places, stations, parks, roads, water plants, projects, departments), a reply writes it
    in English letters: an English name, glossary words or the romanized name."""
    from actions.english import name_en

    kinds = ("place", "station", "park", "road", "facility", "project", "department", "city", "country", "indicator", "pledge")
    for kind in kinds:
        for ko in english.lookups()[kind]:
            assert not HANGUL.search(name_en(ko)), (kind, ko, name_en(ko))


def test_a_name_alone_asks_what_to_know(client):
    check(client, "Tell me about Gangseo district.", "inform", "What would you like to know about Gangseo-gu?", session="name")
    check(client, "Any fires there today?", "disaster_status", "Today in Gangseo-gu", session="name")


def test_follow_ups_keep_the_question(client, sample):
    arrivals = sample["transit"]["stations"]["합정역"]["arrivals"]
    ask(client, "How long until the next train at Hapjeong station?", session="fu")
    r = check(client, "And line 6?", "inform", "Next trains at Hapjeong Station: Line 6", session="fu")  # that station, that line
    assert "Line 2" not in r["text"] and any(a["line"] == "6호선" for a in arrivals)
    education = sample["finance"]["finance"]["sectors"]["교육"]
    ask(client, "How big is the welfare budget this year?", session="fu")
    check(client, "And education?", "inform", "education budget", f"{education['execution_rate']:g}%", session="fu")


def test_the_english_words_decide_the_answer(client, sample):
    """A Korean topic word inside English ("how much is" for prices, "cold" for weather) does not take the answer away."""
    assert "48.71 trillion won" in ask(client, "How much is Seoul's budget?")["text"]
    r = ask(client, "Was a cold wave alert sent today?", session="alert")
    cold = next(a for a in sample["alerts"]["alerts"] if a["kind"] == "한파")
    assert f"({cold['created_at'][11:16]}, safety notice): a cold-wave alert from Seoul City Hall" in r["text"], r["text"]
    r = ask(client, "Was a cold wave alert sent today?", session="alert-watch", channel="watch")
    assert r["text"] == f"Cold-wave alert at {cold['created_at'][11:16]}"
