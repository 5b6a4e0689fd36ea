// @ts-check
// The mayor's wall: the main screen's four parts, a screen for every place the assistant can send it, and the
// mayor's voice. It follows directives from the socket (any of the mayor's devices) the moment they arrive.
// The current screen is in <body data-screen>; its name is in the header (outside checks read both).

import { api } from "./net.js";
import { Chat, el } from "./chat.js";
import { LAYERS, bars, drawMap, fmt, line, provenance, tile, when, won } from "./city.js";
import { ScreenShare } from "./share.js";

const TITLES = /** @type {Record<string, string>} */ ({
  main: "메인 화면", city_status: "실시간 도시 현황", admin_status: "행정 현황", public_opinion: "시민 여론",
  seoul_resume: "서울 이력서", reading_room: "디지털 자료실", project: "사업", map: "지도", pledges: "공약 이행 현황",
  finance: "재정 현황", population: "생활인구", cctv: "CCTV", approvals: "결재 대기 문서", approval: "결재 문서", call: "영상 통화",
  minutes: "통화 회의록",
});
const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** @type {any} */
let city = null;
let layer = "air";
/** @type {{screen: string, payload: any}[]} */
const history = [];
let current = { screen: "main", payload: /** @type {any} */ ({}) };

async function refresh() {
  try {
    city = await api("/v1/city/overview");
  } catch (e) {
    $("provenance").textContent = e instanceof Error ? e.message : String(e);
    return;
  }
  const p = city.map.layers.air;
  $("provenance").textContent = `${p.sample ? "샘플 데이터" : p.source} · ${when(p.observed_at)} 기준`;
  $("provenance").classList.toggle("stale", p.stale);
  $("ticker").textContent = city.alerts.items.map((/** @type {any} */ a) => `[${a.kind}] ${when(a.created_at)} ${a.message}`).join("     ·     ") || "새 소식이 없습니다.";
  render();
}

/** Move the wall: every directive lands here. */
function show(/** @type {string} */ screen, payload = {}, remember = true) {
  if (!(screen in TITLES)) screen = "main";
  if (remember && (current.screen !== screen || screen === "project" || screen === "map")) history.push(current);
  if (history.length > 20) history.shift();
  current = { screen, payload };
  document.body.dataset.screen = screen;
  const target = payload.target || {};
  $("screen-title").textContent = target.name ? `${TITLES[screen]} · ${target.name}` : payload.title || TITLES[screen];
  if (sharing && screen !== "call") sharing = { screen, title: $("screen-title").textContent || "" }; // the share follows the wall
  render();
  /** @type {any} */ (window).svsScreens = [...(/** @type {any} */ (window).svsScreens || []), { screen, at: Date.now() }];
}

function back() {
  const prev = history.pop();
  show(prev ? prev.screen : "main", prev ? prev.payload : {}, false);
}

function render() {
  if (!city) return;
  const { screen, payload } = current;
  const draw = /** @type {Record<string, () => void>} */ ({
    main: renderMain, city_status: renderCity, map: () => renderPlace(payload), admin_status: renderAdmin,
    public_opinion: renderOpinion, seoul_resume: renderResume, reading_room: () => renderReadingRoom(payload),
    project: () => renderProject(payload), pledges: renderPledges, finance: renderFinance,
    population: () => renderPopulation(payload), cctv: () => renderCctv(payload), approvals: () => renderApprovals(payload),
    approval: () => renderApproval(payload), call: () => renderCall(payload), minutes: () => renderMinutes(payload),
  });
  (draw[screen] || renderMain)();
}

// -- ① ② ③ the main screen ------------------------------------------------------------------------
function statusTiles(/** @type {HTMLElement} */ box) {
  const c = city;
  const lines = c.transit.lines.filter((/** @type {any} */ l) => l.status !== "정상 운행");
  box.replaceChildren(
    tile("재난 출동 (오늘)", `${fmt.format(c.disaster.fire + c.disaster.rescue + c.disaster.ems)}건`, `화재 ${c.disaster.fire} · 구조 ${c.disaster.rescue} · 구급 ${fmt.format(c.disaster.ems)}`, c.disaster, c.disaster.fire > 30 ? "warn" : ""),
    tile("교통", `${c.traffic.avg_speed_kmh} km/h`, "시내 평균 차량 속도", c.traffic, c.traffic.avg_speed_kmh < 20 ? "warn" : ""),
    tile("미세먼지", `${Math.round(c.air.pm10)} ㎍/㎥`, `초미세먼지 ${Math.round(c.air.pm25)} ㎍/㎥ · 25개 구 평균`, c.air, c.air.pm10 > 80 ? "warn" : ""),
    tile("날씨", `${c.weather.temp}℃`, `최고 ${c.weather.max_temp}℃ · 최저 ${c.weather.min_temp}℃ · 습도 ${Math.round(c.weather.humidity)}%`, c.weather),
    tile("수돗물", `pH ${c.water.ph}`, `탁도 ${c.water.turbidity_ntu} NTU · 잔류염소 ${c.water.residual_chlorine_mgl} mg/L`, c.water),
    tile("지하철 지연", lines.length ? `${lines.length}개 노선` : "없음", lines.map((/** @type {any} */ l) => `${l.line} ${l.delay_min}분`).join(" · ") || "지연 없음", c.transit, lines.length ? "warn" : ""),
    tile("물가 (쌀 20kg)", `${fmt.format(c.prices.items[0].average)}원`, c.prices.items.slice(1, 4).map((/** @type {any} */ i) => `${i.item} ${i.week_change_pct > 0 ? "▲" : "▼"}${Math.abs(i.week_change_pct)}%`).join(" · "), c.prices),
    tile("재정", `집행률 ${c.finance.execution_rate}%`, `${c.finance.year}년 예산 ${won(c.finance.total_budget)}`, c.finance),
  );
}

function adminSummary(/** @type {HTMLElement} */ box, all = false) {
  const c = city;
  const ind = el("div", "mini");
  ind.append(el("h3", "", "주요 지표"));
  for (const i of c.indicators.items.slice(0, all ? 99 : 4)) {
    const trend = i.previous == null ? "" : i.value > i.previous ? " ▲" : i.value < i.previous ? " ▼" : "";
    ind.append(el("p", "kv", `${i.name}  ${fmt.format(i.value)}${i.unit}${trend}  (${i.year}${i.target != null ? `, 목표 ${fmt.format(i.target)}${i.unit}` : ""})`));
  }
  const proj = el("div", "mini");
  proj.append(el("h3", "", "핵심 사업 공정률"));
  for (const p of c.projects.items.slice(0, all ? 99 : 4)) proj.append(progress(p.name, p.progress_pct, `${p.phase} · ${p.department}`));
  const pl = el("div", "mini");
  const avg = c.pledges.items.reduce((/** @type {number} */ s, /** @type {any} */ p) => s + p.completion_pct, 0) / c.pledges.items.length;
  pl.append(el("h3", "", `공약 이행 평균 ${avg.toFixed(0)}%`));
  for (const p of c.pledges.items.slice(0, all ? 99 : 4)) pl.append(progress(p.name, p.completion_pct, `${p.status} · ${p.department}`));
  box.replaceChildren(ind, proj, pl, el("p", "src", provenance(c.projects)));
}

function progress(/** @type {string} */ name, /** @type {number} */ pct, /** @type {string} */ note) {
  const row = el("div", "progress");
  const barBox = el("div", "track");
  const fill = el("div", "fill");
  fill.style.width = `${Math.max(0, Math.min(100, pct))}%`;
  barBox.append(fill);
  row.append(el("span", "name", name), barBox, el("span", "pct", `${pct}%`), el("span", "note", note));
  return row;
}

function renderMain() {
  statusTiles($("status-tiles"));
  adminSummary($("admin-summary"));
  drawMap($("map-main"), city.map, layer);
  $("map-source").textContent = `${LAYERS[layer].name} (${LAYERS[layer].unit}) · ${provenance(city.map.layers[layer])}`;
}

// -- the other screens ---------------------------------------------------------------------------------
function renderCity() {
  statusTiles($("city-detail"));
  drawMap($("map-city"), city.map, current.payload.layer || layer);
}

function renderPlace(/** @type {any} */ p) {
  const target = p.target || {};
  const box = $("place-detail");
  const district = target.kind === "district" ? target.name : (p.data && p.data.district) || target.district;
  drawMap($("map-place"), city.map, layer, district);
  box.replaceChildren(el("h2", "", target.name || "지도"));
  const d = district && city.map.districts[district];
  if (d) {
    box.append(
      tile("대기질", `PM10 ${d.air.pm10} (${d.air.pm10_grade})`, `PM2.5 ${d.air.pm25} (${d.air.pm25_grade})`, city.map.layers.air),
      tile("교통", `${d.traffic.avg_speed_kmh} km/h`, d.traffic.index, city.map.layers.traffic),
      tile("재난 출동", `${d.disaster.fire + d.disaster.rescue + d.disaster.ems}건`, `화재 ${d.disaster.fire} · 구조 ${d.disaster.rescue} · 구급 ${d.disaster.ems}`, city.map.layers.disaster),
      tile("생활인구", `${fmt.format(d.population.count)}명`, district, city.map.layers.population),
    );
  } else box.append(el("p", "detail", "이 장소의 구역 데이터가 없습니다."));
}

function renderAdmin() {
  adminSummary($("admin-detail"), true);
}

function renderOpinion() {
  const box = $("opinion-detail");
  if (!city.opinion) {
    box.replaceChildren(el("p", "", "시민 여론 자료를 볼 권한이 없습니다."));
    return;
  }
  const topics = [...city.opinion.topics].sort((a, b) => b.today - a.today);
  bars($("chart-opinion"), "오늘 민원 건수 (주제별)", topics.map((t) => [t.topic, t.today]), "건");
  box.replaceChildren(
    ...topics.slice(0, 6).map((t) => tile(t.topic, `${fmt.format(t.today)}건`, `이번 주 ${fmt.format(t.week)}건 (${t.week_change_pct > 0 ? "+" : ""}${t.week_change_pct}%) · 120 ${fmt.format(t.call_120)} · 부정 ${t.sentiment.negative}%`, city.opinion, t.week_change_pct > 10 ? "warn" : "")),
  );
}

function renderResume() {
  const r = city.resume;
  const box = $("resume-detail");
  const list = (/** @type {string} */ title, /** @type {string[]} */ rows) => {
    const s = el("section", "mini");
    s.append(el("h3", "", title), ...rows.map((t) => el("p", "kv", t)));
    return s;
  };
  box.replaceChildren(
    list("세계 도시 순위", (r.rankings || []).map((/** @type {any} */ x) => `${x.name} ${x.rank}위 (${x.org}, ${x.year})`)),
    list("수상", (r.awards || []).map((/** @type {any} */ x) => `${x.name} (${x.year}) · ${x.project}`)),
    list("해외 언론", (r.press || []).map((/** @type {any} */ x) => `${x.outlet} ${x.date} 「${x.title}」`)),
    el("p", "src", provenance(r)),
  );
}

async function renderReadingRoom(/** @type {any} */ p) {
  const box = $("rr-detail");
  const passages = (p.data && p.data.passages) || [];
  box.replaceChildren(el("h2", "", passages.length ? "답변 근거 문서" : "최근 문서"));
  if (passages.length) {
    for (const h of passages) {
      const s = el("article", "passage");
      s.append(el("h3", "", `${h.title} · ${h.location}`), el("p", "", h.text));
      box.append(s);
    }
    return;
  }
  try {
    const docs = await api("/v1/knowledge/documents");
    for (const d of docs.slice(0, 12)) box.append(el("p", "kv", `${d.title} (${d.source}, ${d.public ? "공개" : "내부"})`));
  } catch (e) {
    box.append(el("p", "", e instanceof Error ? e.message : String(e)));
  }
}

function renderProject(/** @type {any} */ p) {
  const name = (p.target && p.target.name) || (p.data && p.data.name);
  const d = (p.data && p.data.progress_pct != null ? p.data : null) || city.projects.items.find((/** @type {any} */ x) => x.name === name);
  const box = $("project-detail");
  if (!d) {
    box.replaceChildren(el("h2", "", name || "사업"), el("p", "", "사업 자료가 없습니다."));
    return;
  }
  box.replaceChildren(
    el("h2", "project-name", name),
    el("p", "lead", d.summary || ""),
    progress("공정률", d.progress_pct, d.phase),
    tile("사업비", won(d.budget), `${d.start}${d.end ? `~${d.end}` : ""} · 담당 ${d.department}`, city.projects),
    ...(d.news || []).slice(0, 3).map((/** @type {any} */ n) => el("p", "kv", `뉴스 · ${n.title} (${n.outlet})`)),
  );
}

function renderPledges() {
  bars($("chart-pledges"), `공약 이행률 · ${provenance(city.pledges)}`, city.pledges.items.map((/** @type {any} */ p) => [p.name, p.completion_pct]), "%", 100);
}

function renderFinance() {
  const f = city.finance;
  bars($("chart-finance"), "분야별 예산 집행률", f.sectors.map((/** @type {any} */ s) => [s.sector, s.execution_rate]), "%", 100);
  $("finance-detail").replaceChildren(
    tile(`${f.year}년 예산`, won(f.total_budget), `집행 ${won(f.executed)} (${f.execution_rate}%)`, f),
    ...f.sectors.slice(0, 4).map((/** @type {any} */ s) => tile(s.sector, won(s.budget), `집행률 ${s.execution_rate}%`, f, s.execution_rate < 75 ? "warn" : "")),
  );
}

function renderPopulation(/** @type {any} */ p) {
  drawMap($("map-population"), city.map, "population");
  const d = p.data || {};
  const forecast = d.forecast || (d.place && d.place.forecast);
  if (forecast && forecast.length) {
    line($("chart-population"), `${d.name || d.place || "장소"} 시간대별 인구 (예측)`, forecast.map((/** @type {any} */ f) => when(f.time).slice(-5)), forecast.map((/** @type {any} */ f) => Math.round((f.population_min + f.population_max) / 2)), "명");
  } else {
    const rows = Object.entries(city.map.districts).map(([n, v]) => /** @type {[string, number]} */ ([n, /** @type {any} */ (v).population.count])).sort((a, b) => b[1] - a[1]).slice(0, 12);
    bars($("chart-population"), `생활인구 상위 자치구 · ${provenance(city.map.layers.population)}`, rows, "명");
  }
}

function renderCctv(/** @type {any} */ p) {
  const feeds = p.feeds || [];
  const box = $("cctv-detail");
  box.replaceChildren(el("h2", "", `${(p.target && p.target.name) || p.target || ""} CCTV ${feeds.length}대`));
  for (const f of feeds) {
    const card = el("article", "feed");
    card.append(el("div", "feed-frame", "영상 스트림 연결 대기"), el("p", "kv", `${f.name} · ${f.id}`));
    box.append(card);
  }
  box.append(el("p", "src", "이 설치본에는 CCTV 영상 서버가 연결되어 있지 않아 카메라 목록만 표시합니다."));
}

function renderApprovals(/** @type {any} */ p) {
  const items = (p.data && p.data.items) || [];
  const box = $("approvals-detail");
  box.replaceChildren(el("h2", "", `결재 대기 ${items.length}건`));
  items.forEach((/** @type {any} */ a, /** @type {number} */ i) => {
    const row = el("article", `approval-row${a.urgent ? " urgent" : ""}`);
    row.append(el("span", "no", `${i + 1}`), el("span", "title", `${a.urgent ? "[긴급] " : ""}${a.title}`), el("span", "meta", `${a.department} · ${when(a.submitted_at)}`));
    box.append(row);
  });
  if (!items.length) box.append(el("p", "lead", "결재 대기 문서가 없습니다."));
  box.append(el("p", "hint", "“첫 번째 문서 승인해”처럼 말씀하시면 확인 후 처리합니다."));
}

function renderApproval(/** @type {any} */ p) {
  const data = p.data || {};
  const doc = data.document || {};
  const box = $("approval-detail");
  const state =
    data.type === "approval_decided" ? (doc.status === "approved" ? "승인 완료" : "반려 완료")
    : data.type === "approval_detail" ? ({ pending: "결재 대기 중", approved: "승인됨", rejected: "반려됨" })[/** @type {"pending" | "approved" | "rejected"} */ (doc.status)] || ""
    : `${data.decision === "reject" ? "반려" : "승인"} 확인 대기 — “응” 또는 “아니”로 답해 주세요`;
  box.replaceChildren(
    el("h2", "", doc.title || "결재 문서"),
    el("p", "kv", `${doc.department || ""} · 기안 ${doc.drafter || ""} · ${when(doc.submitted_at)}${doc.urgent ? " · 긴급" : ""}`),
    el("p", `decision ${data.type === "approval_decided" ? doc.status : "pending"}`, state),
  );
}

function renderCall(/** @type {any} */ p) {
  const frame = /** @type {HTMLIFrameElement} */ ($("call-frame"));
  const src = `/call/${p.call_id}`;
  if (p.call_id && !frame.src.endsWith(src)) frame.src = src;
}

function renderMinutes(/** @type {any} */ p) {
  const m = p.data || {};
  const list = (/** @type {string} */ title, /** @type {string[]} */ rows) => {
    const s = el("section", "mini");
    s.append(el("h3", "", title), ...(rows.length ? rows : ["없음"]).map((t) => el("p", "kv", `· ${t}`)));
    return s;
  };
  const link = el("a", "", "전체 회의록 (대화 기록 포함)");
  /** @type {HTMLAnchorElement} */ (link).href = m.url || "#";
  const more = el("p", "src");
  more.append(link);
  $("minutes-detail").replaceChildren(
    el("h2", "", m.title || "통화 회의록"),
    el("p", "kv", `일시 ${m.started_at || ""} ~ ${m.ended_at || ""}`),
    el("p", "kv", `참석 ${(m.participants || []).join(", ")}`),
    list("결정 사항", m.decisions || []),
    list("할 일", m.actions || []),
    more,
  );
}

// -- the call, and a wall screen shown to it -------------------------------------------------------------
// The call runs in the call screen's frame (webrtc/static/call.js); sharing swaps its camera for a canvas of the
// screen on show (share.js) and tells the others (POST /v1/calls/{id}/share → call.share on their devices).
let callId = "";
/** @type {{screen: string, title: string} | null} */
let sharing = null;
const screenShare = new ScreenShare("시장님 화면 공유 중");

function inCall(/** @type {string} */ id) {
  callId = id;
  $("share").hidden = !id;
  if (!id) stopShare(false);
}

async function startShare(/** @type {string | undefined} */ screen) {
  const frame = /** @type {HTMLIFrameElement} */ ($("call-frame"));
  const call = /** @type {any} */ (frame.contentWindow)?.svsCall;
  if (!callId || !call) return chat.say("진행 중인 통화가 없어 화면을 공유할 수 없습니다.");
  if (screen && screen in TITLES && screen !== "call") show(screen);
  else if (current.screen === "call") {
    const before = [...history].reverse().find((h) => h.screen !== "call"); // the screen the wall showed before the call
    show(before ? before.screen : "main", before ? before.payload : {});
  }
  sharing = { screen: current.screen, title: $("screen-title").textContent || "" };
  const root = () => /** @type {HTMLElement | null} */ (document.querySelector(`.screen[data-id="${sharing ? sharing.screen : current.screen}"]`));
  try {
    await call.share(screenShare.start(root, () => (sharing ? sharing.title : "")));
    document.body.dataset.sharing = "true";
    $("share").setAttribute("aria-pressed", "true");
    $("share").textContent = "공유 중지";
    await api(`/v1/calls/${callId}/share`, { body: { sharing: true, screen: sharing.title.slice(0, 40) } });
    chat.say("통화 상대에게 이 화면을 보여주고 있습니다.", "info");
  } catch (e) {
    stopShare(false);
    chat.say(e instanceof Error ? e.message : "화면을 공유하지 못했습니다.");
  }
}

async function stopShare(tell = true) {
  if (!sharing) return;
  sharing = null;
  screenShare.stop();
  delete document.body.dataset.sharing;
  $("share").setAttribute("aria-pressed", "false");
  $("share").textContent = "화면 공유";
  try {
    await /** @type {any} */ (/** @type {HTMLIFrameElement} */ ($("call-frame")).contentWindow)?.svsCall?.share(null); // the camera again
    if (tell && callId) await api(`/v1/calls/${callId}/share`, { body: { sharing: false } });
  } catch (e) {
    chat.say(e instanceof Error ? e.message : "화면 공유를 멈추지 못했습니다.");
  }
  if (callId && current.screen !== "call") show("call", { call_id: callId });
}

// -- directives, voice, controls -------------------------------------------------------------------------
/** @param {any} d */
function follow(d) {
  switch (d.type) {
    case "navigate":
      if (d.layer) layer = d.layer;
      if (d.screen === "back") back();
      else show(d.screen, d);
      break;
    case "show":
      if (d.layer) layer = d.layer;
      show(d.screen, { data: d.data, layer: d.layer, target: d.screen === "project" && d.data ? { name: d.data.name } : undefined });
      break;
    case "cctv":
      show("cctv", d);
      break;
    case "call.start":
      inCall(d.call_id);
      show("call", d);
      break;
    case "call.share":
      if (d.layer) layer = d.layer;
      if (d.sharing) startShare(d.screen);
      else stopShare();
      break;
    case "call.end":
      inCall("");
      if (current.screen === "call") back();
      break;
  }
}

function debug(/** @type {any} */ reply) {
  const dl = $("debug-body");
  const row = (/** @type {string} */ k, /** @type {string} */ v) => dl.append(el("dt", "", k), el("dd", "", v));
  dl.replaceChildren();
  row("의도", `${reply.intent.name} (${reply.intent.confidence.toFixed(2)})`);
  row("개체", reply.entities.map((/** @type {any} */ e) => `${e.entity}=${e.value}`).join(", ") || "없음");
  for (const [k, v] of Object.entries(reply.timings_ms || {})) row(`${k} ms`, Number(v).toFixed(1));
  row("지시", (reply.directives || []).map((/** @type {any} */ x) => x.type + (x.screen ? `:${x.screen}` : "")).join(", ") || "없음");
}

const caption = $("caption");
const chat = new Chat("wall", {
  maxLog: 6,
  onReply: (r) => {
    caption.textContent = r.text;
    debug(r);
  },
  onFrame: (f) => {
    if (f.type === "directive") follow(f.directive);
    if (typeof f.type === "string" && f.type.startsWith("call.") && f.message) {
      caption.textContent = f.message; // declined, unanswered, offline, ended: the mayor is told at once
      chat.say(f.message, "info");
      if (f.type === "call.ended" && f.call_id === callId) inCall("");
      if (["call.offline", "call.missed", "call.declined", "call.ended"].includes(f.type) && current.screen === "call") back();
    }
    if (f.type === "transcript.partial" || f.type === "transcript.final") caption.textContent = `“${f.text}”`;
  },
});
new MutationObserver(() => {
  const s = document.body.dataset.socket;
  $("link").textContent = s === "open" ? "● 연결됨" : s === "connecting" ? "○ 연결 중" : "✕ 연결 끊김";
  $("link").dataset.state = s || "";
}).observe(document.body, { attributes: true, attributeFilter: ["data-socket"] });

for (const b of document.querySelectorAll("[data-layer]")) {
  b.addEventListener("click", () => {
    layer = /** @type {HTMLElement} */ (b).dataset.layer || "air";
    for (const o of document.querySelectorAll("[data-layer]")) o.setAttribute("aria-pressed", String(o === b));
    render();
  });
}
$("back").addEventListener("click", () => show("main"));
$("share").addEventListener("click", () => (sharing ? stopShare() : startShare(undefined)));
$("debug-toggle").addEventListener("click", () => toggleDebug());
function toggleDebug() {
  const panel = $("debug");
  panel.hidden = !panel.hidden;
  $("debug-toggle").setAttribute("aria-pressed", String(!panel.hidden));
}
document.addEventListener("keydown", (e) => {
  if (e.key === "Escape") show("main");
  if (e.altKey && e.key.toLowerCase() === "d") toggleDebug();
});
const clock = new Intl.DateTimeFormat("ko-KR", { timeZone: "Asia/Seoul", month: "long", day: "numeric", weekday: "short", hour: "2-digit", minute: "2-digit" });
setInterval(() => ($("clock").textContent = clock.format(new Date())), 1000);
refresh();
setInterval(refresh, 60000);
/** @type {any} */ (window).svsChat = chat;
/** @type {any} */ (window).svsShare = screenShare;
