'use strict';
// Shared by the buyer page and the dashboard: calling the API, explaining its problems, small formatting helpers.
const Seckill = (() => {
  class ApiError extends Error {
    constructor(status, problem, retryAfter) {
      super(problem.detail || problem.title || ('HTTP ' + status));
      this.status = status;
      this.slug = String(problem.type || '').split('/').pop() || 'http-' + status;
      this.problem = problem;
      this.retryAfter = retryAfter;
    }
  }

  async function api(method, path, { token, body, headers } = {}) {
    const h = Object.assign({ accept: 'application/json' }, headers || {});
    if (token) h.authorization = 'Bearer ' + token;
    if (body !== undefined) h['content-type'] = 'application/json';
    let response;
    try {
      response = await fetch(path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      throw new ApiError(0, { type: 'network', detail: 'the gateway cannot be reached' }, 0);
    }
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch (e) { /* not JSON: a proxy's error page */ }
    if (!response.ok) {
      throw new ApiError(response.status, json || { title: text.slice(0, 200) },
        Number(response.headers.get('retry-after')) || 0);
    }
    return json;
  }

  // What a buyer reads for each problem slug of docs/SPEC.md §3; the server's detail is kept only where it adds something.
  function explain(err, sale) {
    const wait = err.retryAfter ? ` Try again in ${err.retryAfter} s.` : ' Try again in a moment.';
    const limit = sale && sale.perUserLimit ? sale.perUserLimit : 1;
    switch (err.slug) {
      case 'sold-out': return 'Sold out: every unit has been claimed. Units return if someone does not pay in time.';
      case 'limit-reached': return `You already hold the most this sale allows per buyer (${limit}).`;
      case 'sale-not-active': return 'The sale is not open right now: it has not started yet or it has ended.';
      case 'rate-limited': return 'Too many tries in a short time.' + wait;
      case 'overloaded': return 'The shop is very busy right now.' + wait;
      case 'unauthorized': return 'You are not signed in (or your sign-in expired): pick a demo user above.';
      case 'sale-not-found': return 'There is no such sale. Check the link.';
      case 'order-not-found': return 'This order was not found for the current user.';
      case 'order-not-payable': return 'This order cannot be paid any more: its payment window closed or it was cancelled.';
      case 'order-not-cancellable': return 'This order can no longer be cancelled.';
      case 'invalid-request': return 'The request was not accepted: ' + err.message;
      case 'network': return 'The shop cannot be reached. Check your connection; we keep trying.';
      default: return 'Something went wrong (' + err.message + ').' + wait;
    }
  }

  function query(name) {
    return new URLSearchParams(location.search).get(name);
  }

  function $(id) {
    return document.getElementById(id);
  }

  function text(id, value) {
    const e = $(id);
    if (e && e.textContent !== String(value)) e.textContent = value;
  }

  function el(tag, props, ...children) {
    const e = document.createElement(tag);
    Object.assign(e, props || {});
    for (const c of children) e.append(c);
    return e;
  }

  // "1:05:09", "4:07", "0:03": a countdown a person reads at a glance.
  function duration(ms) {
    const s = Math.max(0, Math.ceil(ms / 1000));
    const h = Math.floor(s / 3600), m = Math.floor(s % 3600 / 60), sec = s % 60;
    const mm = h ? String(m).padStart(2, '0') : String(m);
    return (h ? h + ':' : '') + mm + ':' + String(sec).padStart(2, '0');
  }

  function money(cents) {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(cents / 100);
  }

  function num(n) {
    return Number(n || 0).toLocaleString('en-US');
  }

  // crypto.randomUUID exists only on secure origins; a gateway reached over plain http by IP is not one.
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return 'k' + Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  const store = {
    get(key) { try { return JSON.parse(localStorage.getItem(key)); } catch (e) { return null; } },
    set(key, value) { try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode */ } },
    remove(key) { try { localStorage.removeItem(key); } catch (e) { /* private mode */ } },
  };

  return { api, ApiError, explain, query, $, text, el, duration, money, num, uuid, store };
})();
