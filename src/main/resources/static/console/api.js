// The API as the console calls it: the key from sessionStorage, errors as ApiError.

const KEY = 'rvfeed.apiKey';

export function storedKey() {
  return sessionStorage.getItem(KEY);
}

export function storeKey(key) {
  sessionStorage.setItem(KEY, key);
}

export function clearKey() {
  sessionStorage.removeItem(KEY);
}

export class ApiError extends Error {
  constructor(status, message, retryAfter) {
    super(message);
    this.status = status;
    this.retryAfter = retryAfter;
  }
}

/** The fetch options for an authorized request. */
export function authorized(options = {}) {
  return { ...options, headers: { ...(options.headers || {}), Authorization: `Bearer ${storedKey()}` } };
}

/** Turns a non-2xx answer into an ApiError with the text a person should see. */
export async function failure(response) {
  let message = null;
  try {
    const body = await response.json();
    message = body && (body.message || (body.errors && body.errors.join(' ')));
  } catch {
    // not JSON: a proxy's page, say; the status line will do
  }
  if (response.status === 429) {
    const wait = retryAfterSeconds(response.headers.get('Retry-After'));
    return new ApiError(429, `Too many requests, wait ${wait} s`, wait);
  }
  return new ApiError(response.status, message || `The server answered ${response.status} ${response.statusText}`.trim());
}

function retryAfterSeconds(header) {
  if (!header) return 1;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(1, Math.ceil(seconds));
  const date = Date.parse(header);
  return Number.isNaN(date) ? 1 : Math.max(1, Math.ceil((date - Date.now()) / 1000));
}

export async function getJson(path, signal) {
  let response;
  try {
    response = await fetch(path, authorized({ headers: { Accept: 'application/json' }, signal }));
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ApiError(0, 'The server cannot be reached. Check the connection and try again.');
  }
  if (!response.ok) throw await failure(response);
  return response.json();
}

/** Downloads a file answer under the server's file name (from Content-Disposition). */
export async function download(path, fallbackName) {
  const response = await fetch(path, authorized());
  if (!response.ok) throw await failure(response);
  const blob = await response.blob();
  const name = filenameOf(response.headers.get('Content-Disposition')) || fallbackName;
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  return name;
}

export function filenameOf(disposition) {
  if (!disposition) return null;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition);
  if (extended) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      // fall through to the plain form
    }
  }
  const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/.exec(disposition);
  if (!plain) return null;
  return (plain[1] !== undefined ? plain[1].replace(/\\(.)/g, '$1') : plain[2]);
}
