// What both pages share: the operator's token (session storage only) and calls to the service's API.

const TOKEN_KEY = "taskcenter.token";

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value.trim());
  else sessionStorage.removeItem(TOKEN_KEY);
}

export function authHeaders(headers = {}) {
  const current = token();
  return current ? { ...headers, Authorization: `Bearer ${current}` } : headers;
}

/** Thrown for any answer other than 2xx, with the service's JSON message where it sent one. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export async function api(path, { method = "GET", body } = {}) {
  const headers = authHeaders({ Accept: "application/json" });
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { method, headers, body });
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  if (!response.ok) {
    const message = json?.message ?? (text || response.statusText);
    throw new ApiError(response.status, `${response.status}: ${message}`);
  }
  return json;
}

/** Builds an element; children are nodes or text (never parsed as HTML). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "class") node.className = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

export function age(instant, now = Date.now()) {
  const seconds = Math.max(0, Math.round((now - Date.parse(instant)) / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${seconds % 60}s`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h ${Math.floor(seconds % 3600 / 60)}m`;
  return `${Math.floor(seconds / 86400)}d ${Math.floor(seconds % 86400 / 3600)}h`;
}

/** Asks for the operator's token in the page's dialog; resolves once one is saved (or cleared). */
export function askToken(reason) {
  const dialog = document.getElementById("token-dialog");
  dialog.querySelector(".message").textContent = reason ?? "";
  const input = dialog.querySelector("[name=token]");
  input.value = token() ?? "";
  // Escape closes the dialog without a button: it must not repeat the last button's choice.
  dialog.returnValue = "";
  if (!dialog.open) dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => {
      if (dialog.returnValue === "save") setToken(input.value);
      if (dialog.returnValue === "clear") setToken(null);
      resolve(token());
    }, { once: true });
  });
}
