// @ts-check
// The wall's picture for a call: the screen on show, painted into a canvas whose captureStream() replaces the
// mayor's camera in the call (RTCRtpSender.replaceTrack in the call frame: no renegotiation).
//
// Why a canvas and not getDisplayMedia: getDisplayMedia needs a person to pick a screen in Chromium's dialog
// after a click (a voice command has no click, and the wall has no one at its keyboard), and headless Chromium
// hands out a fake desktop rather than the page. A canvas works the same on the wall, by voice, and in the tests,
// and it shows exactly the chosen screen: never the chat, the debug panel, the call itself or other windows.
// Its charts and map are ECharts canvases (copied as they are); tiles and text are drawn from the live DOM.

export const WIDTH = 1280;
export const HEIGHT = 720;
const FPS = 5; // a screen needs detail, not motion: 1280x720 at 5 fps is about the camera's 640x360 at 15 in pixels
const BAR = 64;
const CLEAR = "rgba(0, 0, 0, 0)";

export class ScreenShare {
  /** @param {string} label what the others read on the picture ("시장님 화면 공유 중") */
  constructor(label) {
    this.label = label;
    this.canvas = document.createElement("canvas");
    this.canvas.width = WIDTH;
    this.canvas.height = HEIGHT;
    this.g = /** @type {CanvasRenderingContext2D} */ (this.canvas.getContext("2d"));
    /** @type {MediaStreamTrack | null} */
    this.track = null;
    /** @type {number | undefined} */
    this.timer = undefined;
    this.title = "";
  }

  /** Start painting `root` (the screen on show) and return the video track to send. */
  start(/** @type {() => HTMLElement | null} */ root, /** @type {() => string} */ title) {
    this.stop();
    const paint = () => this.paint(root(), title());
    paint();
    this.timer = window.setInterval(paint, 1000 / FPS);
    this.track = this.canvas.captureStream(FPS).getVideoTracks()[0];
    this.track.contentHint = "detail"; // the encoder keeps the resolution (text stays legible) and drops frames instead
    return this.track;
  }

  stop() {
    window.clearInterval(this.timer);
    this.track?.stop();
    this.track = null;
  }

  /** Mean RGB of the picture now (the tests compare it with what the other side decodes). */
  mean() {
    const px = this.g.getImageData(0, 0, WIDTH, HEIGHT).data;
    const sum = [0, 0, 0];
    for (let i = 0; i < px.length; i += 4) for (let c = 0; c < 3; c++) sum[c] += px[i + c];
    return sum.map((s) => s / (px.length / 4));
  }

  paint(/** @type {HTMLElement | null} */ root, /** @type {string} */ title) {
    const g = this.g;
    g.fillStyle = "#070c12";
    g.fillRect(0, 0, WIDTH, HEIGHT);
    g.fillStyle = "#0f1822";
    g.fillRect(0, 0, WIDTH, BAR);
    g.textBaseline = "middle";
    g.font = "800 30px NanumGothic, sans-serif";
    g.fillStyle = "#e6edf3";
    g.fillText(`서울 스마트시티 플랫폼 · ${title}`, 24, BAR / 2, WIDTH - 420);
    g.font = "800 24px NanumGothic, sans-serif"; // the label is in the picture itself: it survives a recording or a screenshot
    const badge = `● ${this.label}`;
    const w = g.measureText(badge).width + 28;
    g.fillStyle = "#d64545";
    g.fillRect(WIDTH - w - 16, 12, w, BAR - 24);
    g.fillStyle = "#fff";
    g.fillText(badge, WIDTH - w - 2, BAR / 2);
    if (!root) return;
    const box = root.getBoundingClientRect();
    if (!box.width || !box.height) return;
    const scale = Math.min(WIDTH / box.width, (HEIGHT - BAR) / box.height);
    const ox = (WIDTH - box.width * scale) / 2, oy = BAR + (HEIGHT - BAR - box.height * scale) / 2;
    g.textBaseline = "top";
    this.element(root, box, scale, ox, oy);
  }

  /** One element as it is laid out: its background, its canvases, its own text; then its children. */
  element(/** @type {Element} */ el, /** @type {DOMRect} */ box, /** @type {number} */ scale, /** @type {number} */ ox, /** @type {number} */ oy) {
    if (el instanceof HTMLIFrameElement || el instanceof HTMLVideoElement) return; // never the call inside the call
    const r = el.getBoundingClientRect();
    const css = getComputedStyle(el);
    if (!r.width || !r.height || css.visibility === "hidden" || css.display === "none") return;
    const g = this.g;
    const at = (/** @type {number} */ x, /** @type {number} */ y) => /** @type {[number, number]} */ ([ox + (x - box.left) * scale, oy + (y - box.top) * scale]);
    const [x, y] = at(r.left, r.top);
    if (el instanceof HTMLCanvasElement) {
      g.drawImage(el, x, y, r.width * scale, r.height * scale);
      return;
    }
    const fill = css.backgroundColor !== CLEAR ? css.backgroundColor : css.backgroundImage.includes("gradient") ? "#3f8fe8" : null;
    if (fill) {
      g.fillStyle = fill;
      g.beginPath();
      g.roundRect(x, y, r.width * scale, r.height * scale, parseFloat(css.borderTopLeftRadius) * scale || 0);
      g.fill();
    }
    g.fillStyle = css.color;
    g.font = `${css.fontWeight} ${parseFloat(css.fontSize) * scale}px ${css.fontFamily}`;
    const range = document.createRange();
    for (const node of el.childNodes) {
      const text = node.nodeType === Node.TEXT_NODE ? (node.textContent || "").trim() : "";
      if (!text) continue;
      range.selectNodeContents(node);
      const rects = range.getClientRects();
      if (!rects.length) continue;
      const [tx, ty] = at(rects[0].left, rects[0].top);
      const width = rects.length === 1 ? Infinity : r.width * scale; // one line on the page stays one line here
      this.lines(text, tx, ty, width, parseFloat(css.lineHeight) * scale || parseFloat(css.fontSize) * scale * 1.3);
    }
    for (const child of el.children) this.element(child, box, scale, ox, oy);
  }

  /** Text wrapped to a width, as the page wraps it (closely enough to read). */
  lines(/** @type {string} */ text, /** @type {number} */ x, /** @type {number} */ y, /** @type {number} */ width, /** @type {number} */ height) {
    let line = "";
    for (const word of text.split(/\s+/)) {
      const next = line ? `${line} ${word}` : word;
      if (line && this.g.measureText(next).width > width) {
        this.g.fillText(line, x, y);
        y += height;
        line = word;
      } else line = next;
    }
    if (line) this.g.fillText(line, x, y);
  }
}
