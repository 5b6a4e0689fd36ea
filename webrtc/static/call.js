// The browser side of a call: camera and microphone, one RTCPeerConnection to the server (non-trickle
// offer -> answer over HTTP), call events and captions over the user's WebSocket, reconnect on ICE failure.
"use strict";

(() => {
  const body = document.body;
  const callId = body.dataset.callId;
  const isCaller = body.dataset.caller === "true";
  const $ = (id) => document.getElementById(id);
  const remote = $("remote"), self = $("self"), statusEl = $("status"), errorEl = $("error");

  let pc = null, local = null, ice = null, facing = "user", ended = false, retries = 0, retryTimer = null;
  let shared = null;  // a wall screen sent instead of the camera (the wall's share), or null
  let ws = null, wsRetry = 1000;

  const MESSAGES = {
    NotAllowedError: "카메라 권한이 거부되었습니다. 브라우저 주소창의 카메라 아이콘을 눌러 허용해 주세요.",
    SecurityError: "카메라 권한이 거부되었습니다. 브라우저 주소창의 카메라 아이콘을 눌러 허용해 주세요.",
    NotFoundError: "카메라나 마이크를 찾을 수 없습니다. 기기가 연결되어 있는지 확인해 주세요.",
    NotReadableError: "다른 앱이 카메라나 마이크를 쓰고 있습니다. 그 앱을 닫고 다시 시도해 주세요.",
    OverconstrainedError: "이 카메라로는 영상을 보낼 수 없습니다. 다른 카메라로 전환해 주세요.",
    insecure: "보안 연결(HTTPS)에서만 카메라를 쓸 수 있습니다. https:// 주소로 접속해 주세요.",
  };

  function status(text) { statusEl.textContent = text; }
  function showError(text) { errorEl.textContent = text; errorEl.hidden = !text; }

  function csrf() {
    const m = document.cookie.match(/(?:^|;\s*)svs_csrf=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }

  async function api(method, path, data) {
    const headers = { "X-CSRF-Token": csrf() };
    if (data !== undefined) headers["Content-Type"] = "application/json";
    const r = await fetch(path, { method, headers, credentials: "same-origin", body: data === undefined ? undefined : JSON.stringify(data) });
    if (r.status === 401) { location.href = "/login?next=" + encodeURIComponent(location.pathname); throw new Error("signed out"); }
    const out = r.status === 204 ? null : await r.json().catch(() => null);
    if (!r.ok) throw Object.assign(new Error(out?.error?.message || "요청을 처리하지 못했습니다."), { code: out?.error?.code, status: r.status });
    return out;
  }

  // -- camera and microphone ---------------------------------------------------------
  function videoConstraints() {
    const v = ice?.video || { width: 640, height: 360, fps: 15 };
    return { facingMode: facing, width: { ideal: v.width }, height: { ideal: v.height }, frameRate: { ideal: v.fps, max: v.fps } };
  }

  async function openDevices() {
    if (!navigator.mediaDevices?.getUserMedia) throw Object.assign(new Error(MESSAGES.insecure), { name: "insecure" });
    try {
      return await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true }, video: videoConstraints() });
    } catch (err) {
      if (err.name === "NotAllowedError" || err.name === "SecurityError") throw err;
      // No camera (or a broken one): talk with audio only and say so.
      const audio = await navigator.mediaDevices.getUserMedia({ audio: true });
      showError(MESSAGES[err.name] || "카메라를 켤 수 없어 음성으로만 참여합니다.");
      return audio;
    }
  }

  // -- the peer connection -----------------------------------------------------------
  function gathered(conn, ms) {
    if (conn.iceGatheringState === "complete") return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => { if (conn.iceGatheringState === "complete") { conn.removeEventListener("icegatheringstatechange", done); resolve(); } };
      conn.addEventListener("icegatheringstatechange", done);
      setTimeout(resolve, ms);  // send what we have: host candidates are enough on one network
    });
  }

  async function connect() {
    if (ended) return;
    if (pc) { pc.onconnectionstatechange = null; pc.close(); }
    const conn = new RTCPeerConnection({ iceServers: ice.ice_servers, iceTransportPolicy: ice.ice_transport_policy });
    pc = conn;
    const audio = local.getAudioTracks()[0], video = shared || local.getVideoTracks()[0];
    conn.addTransceiver(audio || "audio", { direction: audio ? "sendrecv" : "recvonly", streams: [local] });
    conn.addTransceiver(video || "video", { direction: video ? "sendrecv" : "recvonly", streams: [local] });
    const stream = new MediaStream();
    conn.ontrack = (e) => { stream.addTrack(e.track); remote.srcObject = stream; remote.play().catch(() => {}); };
    conn.onconnectionstatechange = () => {
      const s = conn.connectionState;
      if (s === "connected") { retries = 0; status("연결되었습니다."); showError(""); }
      else if (s === "failed") reconnect();
      else if (s === "disconnected") { status("연결이 불안정합니다…"); clearTimeout(retryTimer); retryTimer = setTimeout(() => conn.connectionState !== "connected" && reconnect(), 3000); }
    };
    await conn.setLocalDescription(await conn.createOffer());
    await gathered(conn, 3000);
    const answer = await api("POST", `/v1/calls/${callId}/offer`, { sdp: conn.localDescription.sdp, type: "offer" });
    if (pc !== conn) return;
    await conn.setRemoteDescription(answer);
    status("연결 중…");
  }

  function reconnect() {
    if (ended) return;
    clearTimeout(retryTimer);
    const wait = Math.min(8000, 1000 * 2 ** retries++);
    status("연결이 끊겨 다시 연결하는 중입니다…");
    retryTimer = setTimeout(() => connect().catch(failed), wait);
  }

  function failed(err) {
    if (ended) return;
    if (err.code === "call_ended") return finish("이미 끝난 통화입니다.");
    if (err.status && err.status < 500 && err.code !== "rate_limited") return showError(err.message);
    showError(err.message || "연결하지 못했습니다.");
    reconnect();
  }

  async function start() {
    $("ringing").hidden = true;
    $("controls").hidden = false;
    status("카메라와 마이크를 켜는 중…");
    try {
      ice = await api("GET", "/v1/calls/ice");
      local = await openDevices();
    } catch (err) {
      showError(MESSAGES[err.name] || err.message);
      status("통화에 참여하지 못했습니다.");
      return;
    }
    self.srcObject = local;
    await connect().catch(failed);
  }

  // -- controls --------------------------------------------------------------------------
  function toggle(button, kind, onLabel, offLabel) {
    const track = local?.getTracks().find((t) => t.kind === kind);
    if (!track) return;
    track.enabled = !track.enabled;
    button.setAttribute("aria-pressed", String(!track.enabled));
    button.setAttribute("aria-label", track.enabled ? onLabel : offLabel);
  }

  $("mute").onclick = (e) => toggle(e.currentTarget, "audio", "마이크 끄기", "마이크 켜기");
  $("camera").onclick = (e) => toggle(e.currentTarget, "video", "카메라 끄기", "카메라 켜기");

  $("flip").onclick = async () => {
    if (!local) return;
    facing = facing === "user" ? "environment" : "user";
    try {
      const fresh = (await navigator.mediaDevices.getUserMedia({ video: videoConstraints() })).getVideoTracks()[0];
      const old = local.getVideoTracks()[0];
      const sender = pc?.getSenders().find((s) => s.track?.kind === "video" || (s.track === null && old));
      if (sender && !shared) await sender.replaceTrack(fresh);  // while a screen is shared the new camera waits for its end
      if (old) { local.removeTrack(old); old.stop(); }
      local.addTrack(fresh);
      self.classList.toggle("back", facing === "environment");
    } catch (err) {
      facing = facing === "user" ? "environment" : "user";
      showError(MESSAGES[err.name] || "카메라를 전환하지 못했습니다.");
    }
  };

  // -- a wall screen instead of the camera (the wall calls this; see assistant/web/static/js/share.js) ----------
  // replaceTrack changes the picture without renegotiation; the server forwards the new VP8 like any video.
  async function share(track) {
    const sender = pc?.getTransceivers().find((t) => t.receiver.track.kind === "video" && t.currentDirection?.startsWith("send"))?.sender;
    if (!sender && !track) { shared = null; return; }  // the call is over: no camera to bring back
    if (!sender) throw new Error(pc ? "카메라 없이 참여한 통화에서는 화면을 공유할 수 없습니다." : "통화가 아직 연결되지 않았습니다.");
    await sender.replaceTrack(track || local.getVideoTracks()[0] || null);
    shared = track;
    self.srcObject = track ? new MediaStream([track]) : local;
    self.classList.toggle("shared", !!track);
  }

  function shareLabel(f) {
    const el = $("share-label");
    el.textContent = f.sharing ? f.message + (f.screen ? ` · ${f.screen}` : "") : "";
    el.hidden = !f.sharing;
  }

  $("hangup").onclick = async () => {
    try { await api("POST", `/v1/calls/${callId}/${isCaller ? "end" : "leave"}`); } catch (err) { if (err.code !== "call_ended") showError(err.message); }
    finish(isCaller ? "통화를 종료했습니다." : "통화에서 나왔습니다.");
  };

  $("accept").onclick = async () => {
    try { await api("POST", `/v1/calls/${callId}/accept`); } catch (err) { if (err.code !== "call_already_answered") return showError(err.message); }
    start();
  };
  $("decline").onclick = async () => {
    try { await api("POST", `/v1/calls/${callId}/decline`); } catch (err) { return showError(err.message); }
    finish("통화를 거절했습니다.");
  };

  function finish(text) {
    ended = true;
    clearTimeout(retryTimer);
    if (pc) { pc.onconnectionstatechange = null; pc.close(); pc = null; }
    local?.getTracks().forEach((t) => t.stop());
    $("controls").hidden = true;
    $("ringing").hidden = true;
    status(text);
  }

  // -- events: who joined, captions, the end -----------------------------------------------
  function caption(f) {
    const box = $("captions"), p = document.createElement("p"), who = document.createElement("b");
    who.textContent = f.speaker;
    p.append(who, document.createTextNode(f.text));
    box.append(p);
    while (box.children.length > 3) box.firstChild.remove();
  }

  function onFrame(f) {
    if (f.call_id !== callId) return;
    switch (f.type) {
      case "call.caption": caption(f); break;
      case "call.share": shareLabel(f); if (!f.sharing) status(f.message); break;
      case "call.accepted": case "call.declined": case "call.missed": case "call.offline": case "call.left": status(f.message); break;
      case "call.joined": status(`${f.name} 님이 들어왔습니다.`); break;
      case "call.ended": if (!ended) finish(f.message || "통화가 종료되었습니다."); break;
      case "call.minutes": {
        const el = $("minutes"), a = document.createElement("a");
        a.href = f.url; a.textContent = "회의록 보기";
        el.replaceChildren(document.createTextNode(`${f.title} `), a);
        el.hidden = false;
        break;
      }
    }
  }

  function listen() {
    ws = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/v1/ws?channel=tablet`);
    ws.onmessage = (e) => { try { onFrame(JSON.parse(e.data)); } catch (_) { /* not ours */ } };
    ws.onopen = () => { wsRetry = 1000; };
    ws.onclose = (e) => { if (e.code === 4401) location.href = "/login?next=" + encodeURIComponent(location.pathname); else setTimeout(listen, wsRetry = Math.min(wsRetry * 2, 15000)); };
  }

  window.svsCall = { get pc() { return pc; }, get sharing() { return !!shared; }, share, finish };  // for tests and the wall's frame
  if (body.dataset.status === "unknown" || body.dataset.status === "ended") return;
  listen();
  if (body.dataset.state === "ringing") {
    $("ringing").hidden = false;
    $("controls").hidden = true;
    status("영상통화가 왔습니다.");
  } else if (body.dataset.state === "accepted" || body.dataset.state === "joined") {
    start();
  } else {
    status("이 통화에 더 이상 참여할 수 없습니다.");
    $("controls").hidden = true;
  }
})();
