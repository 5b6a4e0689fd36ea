// @ts-check
// The citizens' site: the chat, the public city status at a glance and the reading room (public documents).

import { api } from "./net.js";
import { Chat, el } from "./chat.js";
import { provenance, tile, when } from "./city.js";

new Chat("public");

async function glance() {
  const box = /** @type {HTMLElement} */ (document.getElementById("tiles"));
  try {
    const c = await api("/v1/city/overview");
    const lines = c.transit.lines.filter((/** @type {any} */ l) => l.status !== "정상 운행");
    box.replaceChildren(
      tile("미세먼지", `${Math.round(c.air.pm10)}㎍/㎥`, `초미세먼지 ${Math.round(c.air.pm25)}㎍/㎥ (서울 평균)`, c.air, c.air.pm10 > 80 ? "warn" : ""),
      tile("날씨", `${c.weather.temp}℃`, `최고 ${c.weather.max_temp}℃ · 최저 ${c.weather.min_temp}℃`, c.weather),
      tile("도로 소통", `${c.traffic.avg_speed_kmh}km/h`, "시내 평균 차량 속도", c.traffic),
      tile("지하철", lines.length ? `${lines.length}개 노선 지연` : "모두 정상 운행", lines.map((/** @type {any} */ l) => `${l.line} 약 ${l.delay_min}분`).join(", ") || "지연 없음", c.transit, lines.length ? "warn" : ""),
      ...c.alerts.items.slice(0, 2).map((/** @type {any} */ a) => tile(a.level, a.kind, a.message, { ...c.alerts, observed_at: a.created_at }, "warn")),
    );
    /** @type {HTMLElement} */ (document.getElementById("glance-source")).textContent = `${c.air.source} · ${when(c.air.observed_at)} 기준`;
  } catch (e) {
    box.replaceChildren(el("p", "status", e instanceof Error ? e.message : String(e)));
  }
}

async function documents() {
  const list = /** @type {HTMLElement} */ (document.getElementById("rr-docs"));
  try {
    const docs = await api("/v1/knowledge/documents");
    list.replaceChildren(
      ...docs.map((/** @type {any} */ d) => {
        const a = /** @type {HTMLAnchorElement} */ (el("a", "", d.title));
        a.href = `/documents/${d.id}`;
        const li = el("li");
        li.append(a, el("span", "meta", ` ${d.source}`));
        return li;
      }),
    );
    if (!docs.length) list.append(el("li", "empty", "아직 공개된 문서가 없어요."));
  } catch (e) {
    list.replaceChildren(el("li", "status", e instanceof Error ? e.message : String(e)));
  }
}

const search = /** @type {HTMLFormElement} */ (document.getElementById("rr-search"));
search.addEventListener("submit", async (e) => {
  e.preventDefault();
  const q = /** @type {HTMLInputElement} */ (search.elements.namedItem("q")).value.trim();
  const out = /** @type {HTMLElement} */ (document.getElementById("rr-results"));
  if (!q) return;
  try {
    const hits = await api("/v1/knowledge/search", { body: { query: q, k: 5 } });
    out.replaceChildren(
      el("p", "meta", hits.length ? `“${q}” 검색 결과 ${hits.length}건` : `“${q}”에 대한 공개 자료를 찾지 못했어요.`),
      ...hits.map((/** @type {any} */ h) => {
        const card = el("article", "hit");
        const a = /** @type {HTMLAnchorElement} */ (el("a", "", `${h.title} · ${h.location}`));
        a.href = h.url;
        card.append(a, el("p", "", h.text.length > 220 ? `${h.text.slice(0, 220)}…` : h.text));
        return card;
      }),
    );
  } catch (err) {
    out.replaceChildren(el("p", "status", err instanceof Error ? err.message : String(err)));
  }
});

glance();
documents();
