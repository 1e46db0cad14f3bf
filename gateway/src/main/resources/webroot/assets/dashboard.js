'use strict';
// The live dashboard: one call per second to /admin/sales/{id}/live (the audit, cumulative admissions, Kafka lag);
// rates are the differences between two calls divided by the time between them.
(() => {
  const { api, explain, query, $, text, el, duration, num, store } = Seckill;
  const saleId = query('sale');
  const OUTCOMES = ['accepted', 'sold out', 'limited', 'busy', 'other refusals'];
  const GROUP = { accepted: 0, 'sold-out': 1, 'limit-reached': 2, 'rate-limited': 2, overloaded: 3 };
  const STATE_WORDS = { UPCOMING: 'opens soon', ACTIVE: 'on sale', SOLD_OUT: 'sold out', ENDED: 'ended' };
  // The admin token arrives in the fragment of the URL that `seckill up` prints (/dashboard#token=...), as notebook
  // servers do it: a fragment never reaches a server or a Referer. It is kept in this page's memory only (never in
  // storage) and taken out of the address bar at once, so it is not left in history or on screen.
  let token = tokenFromFragment();
  let previous = null;
  let charts = null;
  let sale = null;

  function tokenFromFragment() {
    const found = new URLSearchParams(location.hash.slice(1)).get('token');
    if (found) history.replaceState(null, '', location.pathname + location.search);
    store.remove('seckill.admin'); // older pages kept it in localStorage
    return found;
  }

  // Moving to another view of the dashboard reloads the page: the token goes along in the fragment.
  function go(search) {
    location.assign('/dashboard' + search + (token ? '#token=' + encodeURIComponent(token) : ''));
  }

  function adminToken() {
    if (token) return token;
    $('admin-box').hidden = false;
    throw new Error('an admin token is needed: open the dashboard URL that `seckill up` prints, or paste one');
  }

  async function admin(method, path, body) {
    try {
      return await api(method, path, { token: adminToken(), body });
    } catch (e) {
      if (e.status === 401 || e.status === 403) $('admin-box').hidden = false;
      throw e;
    }
  }

  function setValue(id, value, words) {
    const e = $(id);
    e.dataset.value = value;
    text(id, words === undefined ? num(value) : words);
  }

  function rates(live, now) {
    const totals = live.admissions || {};
    const statuses = live.ordersByStatus || {};
    const rows = Object.values(statuses).reduce((a, v) => a + v, 0);
    const current = { now, totals, rows, cancelled: statuses.CANCELLED || 0 };
    const out = { byGroup: OUTCOMES.map(() => 0), total: 0, persisted: 0, cancelled: 0, rows };
    if (previous) {
      const dt = Math.max(0.001, (now - previous.now) / 1000);
      // Counters restart with the gateway; a negative difference means that, not negative traffic.
      const rate = (a, b) => Math.max(0, (a - b) / dt);
      for (const [outcome, count] of Object.entries(totals)) {
        const r = rate(count, previous.totals[outcome] || 0);
        out.byGroup[GROUP[outcome] === undefined ? 4 : GROUP[outcome]] += r;
        out.total += r;
      }
      out.persisted = rate(rows, previous.rows);
      out.cancelled = rate(current.cancelled, previous.cancelled);
    }
    previous = current;
    return out;
  }

  function render(live, r) {
    const s = live.ordersByStatus || {};
    const lag = Object.entries(live.ordersLag || {}).map(([p, v]) => [Number(p), v]).sort((a, b) => a[0] - b[0]);
    const totalLag = lag.reduce((a, e) => a + e[1], 0);
    setValue('stock-left', live.redisStockLeft);
    setValue('pending', s.PENDING_PAYMENT || 0);
    setValue('paid', s.PAID || 0);
    setValue('cancelled', s.CANCELLED || 0);
    setValue('rejected', s.REJECTED || 0);
    const verdict = live.consistent ? '✓ holds' : live.drained ? '✗ broken' : '… in flight';
    setValue('consistent', String(live.consistent), verdict);
    $('consistent').className = 'v ' + (live.consistent ? 'ok' : live.drained ? 'bad' : '');

    node('gateway', r.total, `${rate(r.total)}`, `req/s · ${rate(r.byGroup[0])} accepted/s`);
    node('redis', 0, num(live.redisStockLeft), `stock left · ${num(live.reservationsInFlight)} held in flight`);
    node('kafka', totalLag, num(totalLag), `messages behind · ${num(live.queuedUnits)} units queued`);
    node('workers', r.persisted, rate(r.persisted), `persisted/s · ${lag.length} partitions`);
    node('postgres', 0, num(r.rows), `orders · ${num(s.PAID || 0)} paid`);
    node('delay', r.cancelled, num(s.CANCELLED || 0), `cancelled · ${rate(r.cancelled)}/s · ${num((live.stockReturned || {}).units)} units returned`);

    charts.admissions.push(r.byGroup);
    charts.stock.push([live.redisStockLeft, s.PENDING_PAYMENT || 0, s.PAID || 0]);
    charts.flow.push([r.persisted, r.cancelled]);
    charts.lag.show(lag);

    $('invariants').replaceChildren(...(live.invariants || []).map(i => el('li', { className: i.holds ? 'holds' : 'broken' },
      el('span', { className: 'mark', textContent: i.holds ? '✓' : '✗' }),
      el('div', {}, i.name, el('small', { textContent: i.detail })))));
    $('admission-table').replaceChildren(...Object.entries(live.admissions || {}).map(([k, v]) =>
      el('tr', {}, el('td', { textContent: k }), el('td', { className: 'num', textContent: num(v) }))));
  }

  function rate(v) {
    return v >= 100 ? num(Math.round(v)) : (Math.round(v * 10) / 10).toString();
  }

  function node(name, activity, value, detail) {
    $('node-' + name).classList.toggle('hot', activity > 0);
    text('p-' + name, value);
    text(`p-${name}-d`, detail);
  }

  async function tick() {
    const started = performance.now();
    try {
      const live = await admin('GET', `/admin/sales/${encodeURIComponent(saleId)}/live`);
      render(live, rates(live, performance.now()));
      text('dash-status', 'updated ' + new Date().toLocaleTimeString());
    } catch (e) {
      text('dash-status', explain(e));
    }
    setTimeout(tick, Math.max(50, 1000 - (performance.now() - started)));
  }

  async function refreshSale() {
    try {
      sale = await api('GET', '/api/sales/' + encodeURIComponent(saleId));
      text('sale-item', sale.item);
      $('sale-state').className = 'badge ' + sale.state;
      text('sale-state', STATE_WORDS[sale.state] || sale.state);
    } catch (e) {
      text('sale-item', explain(e));
    }
  }

  function renderClock() {
    if (!sale) return;
    const starts = Date.parse(sale.startsAt), ends = Date.parse(sale.endsAt), now = Date.now();
    text('sale-when', now < starts ? 'opens in ' + duration(starts - now) : now < ends ? 'closes in ' + duration(ends - now) : 'closed');
  }

  async function showPicker() {
    $('picker').hidden = false;
    $('sale-form').addEventListener('submit', e => {
      e.preventDefault();
      go('?sale=' + encodeURIComponent($('sale-id').value.trim()));
    });
    $('create-form').addEventListener('submit', createSale);
    try {
      const { sales } = await api('GET', '/api/sales');
      $('sale-list').replaceChildren(...sales.map(s => el('li', {},
        el('a', { href: '/dashboard?sale=' + s.saleId, textContent: s.item, onclick: e => { e.preventDefault(); go('?sale=' + s.saleId); } }),
        ` · ${STATE_WORDS[s.state] || s.state} · ${num(s.stockLeft)} of ${num(s.initialStock)} left`)));
    } catch (e) { /* an older gateway has no list; the id form still works */ }
  }

  async function createSale(e) {
    e.preventDefault();
    const startsAt = new Date(Date.now() + 1000 * Number($('c-starts').value));
    try {
      const created = await admin('POST', '/admin/sales', {
        item: $('c-item').value.trim(),
        stock: Number($('c-stock').value),
        priceCents: 4999,
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 3600_000).toISOString(),
        perUserLimit: Number($('c-limit').value),
        paymentTimeoutSeconds: Number($('c-pay').value),
      });
      go('?sale=' + created.saleId);
    } catch (err) {
      $('create-message').className = 'message bad';
      text('create-message', explain(err));
    }
  }

  function start() {
    $('use-admin-token').addEventListener('click', () => {
      token = $('admin-token').value.trim() || null;
      $('admin-token').value = '';
      $('admin-box').hidden = true;
    });
    if (!saleId) return showPicker();
    $('live').hidden = false;
    text('sale-id-label', '#' + saleId);
    $('buyer-link').href = '/?sale=' + encodeURIComponent(saleId);
    charts = {
      admissions: Charts.line($('chart-admissions'), OUTCOMES, { unit: '/s' }),
      stock: Charts.line($('chart-stock'), ['stock left', 'awaiting payment', 'paid']),
      flow: Charts.line($('chart-flow'), ['persisted', 'cancelled'], { unit: '/s' }),
      lag: Charts.bars($('chart-lag'), { label: p => 'p' + p }),
    };
    refreshSale();
    setInterval(refreshSale, 5000);
    setInterval(renderClock, 500);
    tick();
  }

  start();
})();
