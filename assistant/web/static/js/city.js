// @ts-check
// The city's figures as the screens show them: every value with where, since when and from which source.
// Charts and the district map are Apache ECharts (assistant/web/package.json); this file only configures them.

import { el } from "./chat.js";

// Times are shown as Seoul reads them, whatever the device's time zone.
const SEOUL = new Intl.DateTimeFormat("ko-KR", { timeZone: "Asia/Seoul", month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
/** "11.21 14:00" @param {string | undefined} iso */
export function when(iso) {
  if (!iso) return "";
  const parts = Object.fromEntries(SEOUL.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.month}.${parts.day} ${parts.hour}:${parts.minute}`;
}

/** @param {number} min */
export function age(min) {
  if (min < 60) return `${min}분 전`;
  if (min < 1440) return `${Math.floor(min / 60)}시간 전`;
  return `${Math.floor(min / 1440)}일 전`;
}

/** "샘플 데이터 · 11.21 14:00 측정 · 2일 전 ⚠" */
export function provenance(/** @type {any} */ p) {
  if (!p) return "";
  return `${p.source} · ${when(p.observed_at)} 측정 · ${age(p.age_min)}${p.stale ? " · ⚠ 최신 아님" : ""}`;
}

export const fmt = new Intl.NumberFormat("ko-KR");
/** 48710000000000 -> "48.7조 원" */
export function won(/** @type {number} */ n) {
  if (n >= 1e12) return `${(n / 1e12).toFixed(1)}조 원`;
  if (n >= 1e8) return `${fmt.format(Math.round(n / 1e8))}억 원`;
  return `${fmt.format(n)}원`;
}

/** A status tile: title, the figure, a line of context and its provenance. */
export function tile(/** @type {string} */ title, /** @type {string} */ value, /** @type {string} */ detail, /** @type {any} */ prov, level = "") {
  const t = el("article", `tile ${level}`);
  t.append(el("h3", "", title), el("p", "value", value), el("p", "detail", detail));
  const src = el("p", "src", provenance(prov));
  if (prov && prov.stale) src.classList.add("stale");
  t.append(src);
  return t;
}

// Map layers: the value shown per district, its unit and the color scale (low -> high).
export const LAYERS = /** @type {Record<string, {name: string, unit: string, value: (d: any) => number, min: number, max: number, colors: string[]}>} */ ({
  air: { name: "미세먼지(PM10)", unit: "㎍/㎥", value: (d) => d.air.pm10, min: 0, max: 150, colors: ["#2b8cbe", "#41ab5d", "#fec44f", "#f03b20"] },
  disaster: { name: "재난 출동(화재·구조·구급)", unit: "건", value: (d) => d.disaster.fire + d.disaster.rescue + d.disaster.ems, min: 0, max: 120, colors: ["#1d2b3a", "#7a4b9a", "#e34a33"] },
  traffic: { name: "평균 차량 속도", unit: "km/h", value: (d) => d.traffic.avg_speed_kmh, min: 10, max: 45, colors: ["#d7301f", "#fdae61", "#1a9850"] },
  population: { name: "생활인구", unit: "명", value: (d) => d.population.count, min: 150000, max: 1000000, colors: ["#1d2b3a", "#3182bd", "#9ecae1"] },
});

let geo = /** @type {Promise<any> | null} */ (null);
async function seoulMap() {
  const echarts = /** @type {any} */ (window).echarts;
  if (!echarts) return null; // the library did not load: the page keeps its tiles
  geo = geo || fetch("/static/geo/seoul-districts.geojson").then((r) => r.json()).then((g) => echarts.registerMap("seoul", g));
  await geo;
  return echarts;
}

/** @type {Map<HTMLElement, any>} */
const charts = new Map();
export async function chart(/** @type {HTMLElement} */ box) {
  const echarts = await seoulMap();
  if (!echarts) return null;
  if (!charts.has(box)) {
    const c = echarts.init(box, "dark", { renderer: "canvas" });
    charts.set(box, c);
    new ResizeObserver(() => c.resize()).observe(box);
  }
  return charts.get(box);
}

const TEXT = "#e6edf3";
const AXIS = { axisLabel: { color: TEXT, fontSize: 18 }, axisLine: { lineStyle: { color: "#5b6b7d" } }, splitLine: { lineStyle: { color: "#223041" } } };
const BASE = { backgroundColor: "transparent", textStyle: { fontFamily: "NanumGothic, sans-serif", color: TEXT }, animationDuration: 300 };

/**
 * The 25 districts colored by a layer, values on the map; `focus` outlines one district.
 * @param {HTMLElement} box @param {any} map overview.map @param {string} layer @param {string} [focus]
 */
export async function drawMap(box, map, layer, focus) {
  const c = await chart(box);
  if (!c) return;
  const L = LAYERS[layer];
  const data = Object.entries(map.districts).map(([name, d]) => ({
    name,
    value: L.value(d),
    selected: name === focus,
  }));
  c.setOption(
    {
      ...BASE,
      tooltip: { trigger: "item", formatter: (/** @type {any} */ p) => `${p.name}<br>${L.name} ${fmt.format(p.value)}${L.unit}` },
      visualMap: {
        min: L.min, max: L.max, calculable: false, orient: "horizontal", left: "center", bottom: 0, itemWidth: 18, itemHeight: 240,
        text: [`${fmt.format(L.max)}${L.unit}`, `${fmt.format(L.min)}`], textStyle: { color: TEXT, fontSize: 16 }, inRange: { color: L.colors },
      },
      series: [{
        type: "map", map: "seoul", nameProperty: "name", roam: false, selectedMode: "single", data,
        top: 10, bottom: 50,
        label: {
          show: true, color: "#fff", fontSize: 15, fontWeight: "bold", textBorderColor: "#000", textBorderWidth: 3,
          formatter: (/** @type {any} */ p) => `${p.name.replace(/구$/, "")}\n${layer === "population" ? Math.round(p.value / 10000) + "만" : fmt.format(p.value)}`,
        },
        itemStyle: { borderColor: "#0b1118", borderWidth: 1.5 },
        emphasis: { label: { color: "#fff" }, itemStyle: { areaColor: "#f0c040" } },
        select: { label: { color: "#000", textBorderColor: "#fff" }, itemStyle: { areaColor: "#ffd84d", borderColor: "#fff", borderWidth: 3 } },
      }],
    },
    true,
  );
}

/** Horizontal bars: name -> value, with a unit; long labels fit at 3-5 m. */
export async function bars(/** @type {HTMLElement} */ box, /** @type {string} */ title, /** @type {[string, number][]} */ rows, unit = "", /** @type {number | undefined} */ max = undefined) {
  const c = await chart(box);
  if (!c) return;
  c.setOption(
    {
      ...BASE,
      title: { text: title, textStyle: { color: TEXT, fontSize: 24 }, left: 0 },
      grid: { left: 10, right: 80, top: 60, bottom: 20, containLabel: true },
      xAxis: { type: "value", max, ...AXIS },
      yAxis: { type: "category", data: rows.map((r) => r[0]).reverse(), ...AXIS },
      series: [{ type: "bar", data: rows.map((r) => r[1]).reverse(), itemStyle: { color: "#4ea1ff" }, label: { show: true, position: "right", color: TEXT, fontSize: 18, formatter: `{c}${unit}` } }],
    },
    true,
  );
}

/** A line over time (e.g. living population by hour). */
export async function line(/** @type {HTMLElement} */ box, /** @type {string} */ title, /** @type {string[]} */ xs, /** @type {number[]} */ ys, unit = "") {
  const c = await chart(box);
  if (!c) return;
  c.setOption(
    {
      ...BASE,
      title: { text: title, textStyle: { color: TEXT, fontSize: 24 } },
      grid: { left: 10, right: 30, top: 60, bottom: 20, containLabel: true },
      xAxis: { type: "category", data: xs, ...AXIS },
      yAxis: { type: "value", ...AXIS, axisLabel: { ...AXIS.axisLabel, formatter: (/** @type {number} */ v) => `${fmt.format(v)}${unit}` } },
      series: [{ type: "line", data: ys, smooth: true, symbolSize: 10, lineStyle: { width: 4, color: "#4ea1ff" }, areaStyle: { opacity: 0.15 }, label: { show: true, color: TEXT, fontSize: 16, formatter: (/** @type {any} */ p) => fmt.format(p.value) } }],
    },
    true,
  );
}
