// The sandbox page: poll the hub for server-rendered panels, post what the client types or taps.
"use strict";

const numberInput = document.getElementById("client-number");
const nameInput = document.getElementById("client-name");
const usernameInput = document.getElementById("client-username");
const messageInput = document.getElementById("message");
const errorBox = document.getElementById("error");
let polling = false;

// A phone number's digits, or a business-scoped user ID as typed (a client who hides their number).
function client() {
  const typed = numberInput.value.trim();
  return /^[A-Z]{2}\./.test(typed) ? typed : typed.replace(/[^0-9]/g, "");
}

function showError(text) {
  errorBox.textContent = text || "";
}

function nearBottom(el) {
  return el.scrollHeight - el.scrollTop - el.clientHeight < 40;
}

function render(name, html) {
  const el = document.querySelector(`[data-panel="${name}"]`);
  if (!el || el.dataset.html === html) return;
  const open = [...el.querySelectorAll("details[open]")].map((d) => d.dataset.wamid);
  const before = el.querySelectorAll(".bubble").length;
  const stick = nearBottom(el);
  el.innerHTML = html;
  el.dataset.html = html;
  for (const wamid of open) {
    const details = el.querySelector(`details[data-wamid="${CSS.escape(wamid)}"]`);
    if (details) details.open = true;
  }
  // A new message scrolls into view, as on a phone; a re-render of the same ones keeps the reader's place.
  if (stick || el.querySelectorAll(".bubble").length > before) el.scrollTop = el.scrollHeight;
  countdowns();
}

async function refresh() {
  if (polling || !client()) return;
  polling = true;
  try {
    const response = await fetch(`/panels?client=${encodeURIComponent(client())}`);
    const panels = await response.json();
    if (!response.ok) return showError(panels.error);
    for (const [name, html] of Object.entries(panels)) render(name, html);
  } catch (err) {
    showError("The hub is not answering; is make up still running?");
  } finally {
    polling = false;
  }
}

async function post(path, body) {
  showError("");
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ wa_id: client(), name: nameInput.value, username: usernameInput.value, ...body }),
  });
  if (!response.ok) {
    const answer = await response.json().catch(() => ({}));
    const detail = answer.error || (answer.detail && JSON.stringify(answer.detail)) || response.statusText;
    showError(detail);
    return false;
  }
  await refresh();
  return true;
}

document.getElementById("compose").addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = messageInput.value;
  if (!text.trim()) return;
  messageInput.value = "";
  if (!(await post("/api/messages", { text }))) messageInput.value = text;
  messageInput.focus();
});

document.getElementById("who").addEventListener("submit", (event) => event.preventDefault());

numberInput.addEventListener("change", () => {
  const url = new URL(location.href);
  url.searchParams.set("client", client());
  history.replaceState(null, "", url);
  document.querySelector('[data-panel="chat"]').dataset.html = "";
  refresh();
});

document.addEventListener("click", (event) => {
  const option = event.target.closest("#client-chat button.option");
  if (!option || option.disabled) return;
  option.disabled = true;
  post("/api/replies", { reply_to: option.dataset.replyTo, option_id: option.dataset.optionId });
});

// The artist's phone: tap a button, or quote a message (a swipe-reply) and write to its client.
const artistInput = document.getElementById("artist-message");
const quoting = document.getElementById("artist-quoting");
let quoted = null;

function quote(wamid) {
  quoted = wamid;
  quoting.hidden = !wamid;
  for (const el of document.querySelectorAll("#artist-chat .bubble.quoted")) el.classList.remove("quoted");
  if (wamid) artistInput.focus();
}

document.addEventListener("click", (event) => {
  const option = event.target.closest("#artist-chat button.option");
  if (option && !option.disabled) {
    option.disabled = true;
    post("/api/artist/replies", { reply_to: option.dataset.replyTo, option_id: option.dataset.optionId });
    return;
  }
  const reply = event.target.closest("#artist-chat button.quote");
  if (reply) quote(reply.dataset.quote);
});

document.getElementById("artist-unquote").addEventListener("click", () => quote(null));

document.getElementById("artist-compose").addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = artistInput.value;
  if (!text.trim()) return;
  artistInput.value = "";
  if (await post("/api/artist/messages", { text, reply_to: quoted })) quote(null);
  else artistInput.value = text;
});

// A photo from the artist's phone, captioned with whatever is typed (the hub supplies the picture).
document.getElementById("artist-picture").addEventListener("click", async () => {
  const text = artistInput.value;
  artistInput.value = "";
  if (await post("/api/artist/messages", { text, reply_to: quoted, picture: true })) quote(null);
  else artistInput.value = text;
});

function countdowns() {
  const now = Date.now() / 1000;
  for (const el of document.querySelectorAll("[data-expires]")) {
    const left = Math.max(0, Math.round(Number(el.dataset.expires) - now));
    el.textContent = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
  }
}

for (const el of document.querySelectorAll("[data-panel]")) {
  el.dataset.html = el.innerHTML;
  el.scrollTop = el.scrollHeight;
}
countdowns();
setInterval(refresh, 1000);
setInterval(countdowns, 1000);
