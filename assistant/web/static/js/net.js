// @ts-check
// The pages' link to the server: JSON calls with the CSRF header, and a socket that reconnects by itself.
// Every failure a person can meet becomes a Korean sentence (the server's own `message` when it sent one).

/** @param {string} name */
function cookie(name) {
  const hit = document.cookie.split("; ").find((c) => c.startsWith(name + "="));
  return hit ? decodeURIComponent(hit.slice(name.length + 1)) : "";
}

export const MESSAGES = {
  offline: "서버에 연결할 수 없습니다. 네트워크를 확인해 주세요. 연결되면 자동으로 다시 시도합니다.",
  signedOut: "로그인이 만료되었거나 로그아웃되었습니다. 다시 로그인해 주세요.",
  rateLimited: (/** @type {number} */ s) => `요청이 너무 많습니다. ${s}초 뒤에 다시 시도해 주세요.`,
  failed: "요청을 처리하지 못했습니다. 잠시 뒤 다시 시도해 주세요.",
};

export class ApiError extends Error {
  /** @param {number} status @param {string} message @param {string} code */
  constructor(status, message, code) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/**
 * A JSON call to the API; throws ApiError with a Korean message.
 * @param {string} path @param {{method?: string, body?: any, form?: URLSearchParams}} [opts]
 */
export async function api(path, opts = {}) {
  const headers = /** @type {Record<string, string>} */ ({ Accept: "application/json" });
  const method = opts.method || (opts.body || opts.form ? "POST" : "GET");
  if (method !== "GET") headers["X-CSRF-Token"] = cookie("svs_csrf");
  let body;
  if (opts.form) body = opts.form;
  else if (opts.body !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(opts.body);
  }
  let r;
  try {
    r = await fetch(path, { method, headers, body, credentials: "same-origin" });
  } catch {
    throw new ApiError(0, MESSAGES.offline, "offline");
  }
  if (r.status === 204) return null;
  const data = await r.json().catch(() => null);
  if (!r.ok) {
    const err = data && data.error;
    if (r.status === 401) throw new ApiError(401, (err && err.message) || MESSAGES.signedOut, (err && err.code) || "unauthorized");
    if (r.status === 429) throw new ApiError(429, (err && err.message) || MESSAGES.rateLimited(Number(r.headers.get("Retry-After") || 5)), "rate_limited");
    throw new ApiError(r.status, (err && err.message) || MESSAGES.failed, (err && err.code) || String(r.status));
  }
  return data;
}

export async function signOut() {
  try {
    await api("/v1/auth/logout", { method: "POST" });
  } finally {
    location.href = "/login";
  }
}

/**
 * WS /v1/ws with the page's channel: reconnects with backoff; frames go to `onFrame`, its state to `onState`.
 * Close 4401 (signed out) does not reconnect: the page tells the user to sign in again.
 */
export class Socket {
  /**
   * @param {string} channel
   * @param {(frame: any) => void} onFrame
   * @param {(state: "connecting" | "open" | "closed" | "signedOut", message?: string) => void} onState
   */
  constructor(channel, onFrame, onState) {
    this.channel = channel;
    this.onFrame = onFrame;
    this.onState = onState;
    this.delay = 500;
    /** @type {WebSocket | null} */
    this.ws = null;
    this.connect();
  }

  connect() {
    this.onState("connecting");
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const ws = new WebSocket(`${scheme}://${location.host}/v1/ws?channel=${this.channel}`);
    ws.binaryType = "arraybuffer";
    this.ws = ws;
    ws.onopen = () => {
      this.delay = 500;
      this.onState("open");
    };
    ws.onmessage = (e) => {
      if (typeof e.data === "string") this.onFrame(JSON.parse(e.data));
    };
    ws.onclose = (e) => {
      this.ws = null;
      if (e.code === 4401) {
        this.onState("signedOut", MESSAGES.signedOut);
        return;
      }
      this.onState("closed", MESSAGES.offline);
      setTimeout(() => this.connect(), this.delay);
      this.delay = Math.min(Math.max(this.delay * 2, 500), 10000);
    };
  }

  /** A fresh connection (and with it a fresh server-side session), e.g. when a kiosk starts over. */
  restart() {
    if (this.ws) this.ws.close(1000, "restart"); // onclose reconnects
    this.delay = 0;
  }

  get open() {
    return !!this.ws && this.ws.readyState === WebSocket.OPEN;
  }

  /** @param {any} frame */
  send(frame) {
    if (!this.open) return false;
    /** @type {WebSocket} */ (this.ws).send(frame instanceof ArrayBuffer ? frame : JSON.stringify(frame));
    return true;
  }
}
