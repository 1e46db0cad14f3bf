'use strict';
// The buyer page: one sale (?sale=ID), one demo user, that user's latest order in the sale followed to its end.
(() => {
  const { api, explain, query, $, text, el, duration, money, num, uuid, store } = Seckill;
  const FINAL = ['PAID', 'CANCELLED', 'REJECTED'];
  const STATE_WORDS = { UPCOMING: 'Starts soon', ACTIVE: 'On sale now', SOLD_OUT: 'Sold out', ENDED: 'Sale ended' };
  const STATUS_WORDS = {
    QUEUED: 'In the queue: a unit is held for you while your order is written down…',
    PENDING_PAYMENT: 'Reserved for you. Pay before the timer runs out.',
    PAID: 'Paid. It is yours!',
    REJECTED: 'Your order could not be recorded, so the unit went back on sale.',
  };
  const S = { saleId: query('sale'), sale: null, user: null, token: null, order: null, payRef: null,
    source: null, pollTimer: null, buying: false, cancelledByMe: false, refreshing: false };

  function orderKey() { return `seckill.order.${S.saleId}.${S.user}`; }

  // --- who is buying -------------------------------------------------------------------------------------------
  async function signIn(user) {
    text('who-status', 'Signing in…');
    try {
      const t = await api('GET', '/demo/token?user=' + encodeURIComponent(user));
      setUser(t.user, t.token);
    } catch (e) {
      if (e.status === 404) {
        $('token-box').hidden = false;
        $('token-box').open = true;
        text('who-status', 'This gateway does not hand out demo sign-ins.');
      } else {
        text('who-status', explain(e));
      }
    }
  }

  function useToken() {
    const token = $('token-input').value.trim();
    try {
      const claims = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
      setUser(claims.sub, token);
    } catch (e) {
      text('who-status', 'That does not look like a token.');
    }
  }

  function setUser(user, token) {
    if (S.user !== user) stopFollowing();
    S.user = user;
    S.token = token;
    store.set('seckill.user', { user, token });
    $('user-id').value = user;
    text('who-status', `Signed in as ${user}.`);
    say('buy-message', '', '');
    say('order-message', '', '');
    S.order = null;
    $('order').hidden = true;
    renderSale();
    resumeOrder();
  }

  // --- the sale ------------------------------------------------------------------------------------------------
  async function refreshSale() {
    if (S.refreshing) return;
    S.refreshing = true;
    try {
      S.sale = await api('GET', '/api/sales/' + encodeURIComponent(S.saleId));
      $('sale').hidden = false;
      renderSale();
    } catch (e) {
      $('sale').hidden = false;
      text('sale-item', e.slug === 'sale-not-found' ? 'No such sale' : 'Sale unavailable');
      say('buy-message', explain(e), 'bad');
    } finally {
      S.refreshing = false;
    }
  }

  // The server's state is the truth; the local clock only flips UPCOMING early so the button is live at the start.
  function effectiveState() {
    const sale = S.sale;
    if (!sale) return null;
    if (sale.state === 'UPCOMING' && Date.now() >= Date.parse(sale.startsAt)) return 'ACTIVE';
    if (sale.state === 'ACTIVE' && Date.now() >= Date.parse(sale.endsAt)) return 'ENDED';
    return sale.state;
  }

  function renderSale() {
    const sale = S.sale;
    if (!sale) return;
    const state = effectiveState();
    text('sale-item', sale.item);
    text('sale-price', money(sale.priceCents));
    text('sale-limit', `· limit ${sale.perUserLimit} per buyer`);
    const badge = $('sale-state');
    badge.className = 'badge ' + state;
    badge.dataset.state = state;
    text('sale-state', STATE_WORDS[state] || state);
    const starts = Date.parse(sale.startsAt), ends = Date.parse(sale.endsAt);
    text('sale-when', state === 'UPCOMING' ? 'opens at ' + new Date(starts).toLocaleTimeString()
      : state === 'ACTIVE' ? 'ends in ' + duration(ends - Date.now()) : '');
    $('sale-countdown').hidden = state !== 'UPCOMING';
    if (state === 'UPCOMING') text('sale-countdown', duration(starts - Date.now()));
    text('stock-left', num(sale.stockLeft));
    $('stock-left').dataset.value = sale.stockLeft;
    $('stock-bar').style.width = (sale.initialStock ? 100 * sale.stockLeft / sale.initialStock : 0) + '%';
    renderBuy(state);
  }

  function renderBuy(state) {
    const button = $('buy');
    const holding = S.order && !FINAL.includes(S.order.status);
    let label = 'Buy now', enabled = true;
    if (!S.token) { label = 'Pick a demo user first'; enabled = false; }
    else if (state === 'UPCOMING') { label = 'Starts in ' + duration(Date.parse(S.sale.startsAt) - Date.now()); enabled = false; }
    else if (state === 'SOLD_OUT') { label = 'Sold out'; enabled = false; }
    else if (state === 'ENDED') { label = 'Sale ended'; enabled = false; }
    else if (holding) { label = 'Order in progress'; enabled = false; }
    else if (S.buying) { label = 'Buying…'; enabled = false; }
    if (button.textContent !== label) button.textContent = label;
    button.disabled = !enabled;
  }

  async function buy() {
    if (S.buying) return;
    S.buying = true;
    text('buy-message', '');
    renderSale();
    try {
      const queued = await api('POST', `/api/sales/${encodeURIComponent(S.saleId)}/purchases`,
        { token: S.token, body: { quantity: 1 }, headers: { 'idempotency-key': uuid() } });
      S.cancelledByMe = false;
      S.payRef = null;
      say('order-message', '', '');
      store.set(orderKey(), queued.orderId);
      $('order-log').replaceChildren();
      apply(queued, 'reply');
      follow(queued.orderId);
      say('buy-message', 'You are in! Your unit is held while the order is written down.', 'good');
    } catch (e) {
      say('buy-message', explain(e, S.sale), 'bad');
      if (e.slug === 'sold-out' || e.slug === 'sale-not-active') refreshSale();
    } finally {
      S.buying = false;
      renderSale();
    }
  }

  // --- the order: pushed over SSE, polled if the push breaks ---------------------------------------------------------
  async function resumeOrder() {
    const orderId = store.get(orderKey());
    if (!orderId || !S.token) return;
    try {
      apply(await api('GET', '/api/orders/' + orderId, { token: S.token }), 'poll');
      if (!FINAL.includes(S.order.status)) follow(orderId);
    } catch (e) {
      store.remove(orderKey());
    }
  }

  function follow(orderId) {
    stopFollowing();
    if (!window.EventSource) return startPolling(orderId);
    const url = `/api/orders/${orderId}/events?access_token=${encodeURIComponent(S.token)}`;
    const source = new EventSource(url);
    S.source = source;
    setTransport('push', 'pushed live (server-sent events)');
    source.addEventListener('status', e => {
      apply(JSON.parse(e.data), 'push');
      if (FINAL.includes(S.order.status)) source.close();
    });
    source.onerror = () => {
      if (S.source !== source) return;
      source.close();
      S.source = null;
      if (S.order && !FINAL.includes(S.order.status)) startPolling(orderId);
    };
  }

  function startPolling(orderId) {
    setTransport('poll', 'polled every second (push unavailable)');
    const tick = async () => {
      try {
        apply(await api('GET', '/api/orders/' + orderId, { token: S.token }), 'poll');
      } catch (e) {
        say('order-message', explain(e), 'bad');
      }
      if (S.order && S.order.orderId === orderId && !FINAL.includes(S.order.status)) S.pollTimer = setTimeout(tick, 1000);
    };
    S.pollTimer = setTimeout(tick, 1000);
  }

  function stopFollowing() {
    if (S.source) S.source.close();
    S.source = null;
    clearTimeout(S.pollTimer);
  }

  function setTransport(kind, words) {
    $('transport').dataset.kind = kind;
    text('transport', '· ' + words);
  }

  function apply(order, via) {
    const previous = S.order && S.order.orderId === order.orderId ? S.order : null;
    // A late QUEUED (a poll answered after the push) must not move an order backwards.
    if (previous && order.status === 'QUEUED' && previous.status !== 'QUEUED') return;
    const changed = !previous || previous.status !== order.status;
    S.order = Object.assign({}, previous || {}, order);
    if (changed) {
      $('order-log').append(el('li', { textContent: `${new Date().toLocaleTimeString()} ${order.status} (${via})` }));
      $('order-status').dataset.via = via;
      // "You are in" was about the queue; once the order moved on, the order card says it all.
      if (order.status !== 'QUEUED') say('buy-message', '', '');
      if (FINAL.includes(order.status)) stopFollowing();
      if (order.status === 'CANCELLED' || order.status === 'REJECTED') refreshSale();
    }
    renderOrder();
    renderSale();
  }

  function renderOrder() {
    const order = S.order;
    $('order').hidden = false;
    text('order-id', '#' + order.orderId);
    const status = $('order-status');
    status.dataset.status = order.status;
    text('order-status', order.status === 'CANCELLED' ? cancelledWords()
      : order.status === 'REJECTED' && order.reason ? `${STATUS_WORDS.REJECTED} (${order.reason})` : STATUS_WORDS[order.status]);
    const reached = { QUEUED: 0, PENDING_PAYMENT: 1, PAID: 2, CANCELLED: 2, REJECTED: 1 }[order.status];
    const failed = order.status === 'CANCELLED' || order.status === 'REJECTED';
    [...$('steps').children].forEach((li, i) => {
      li.className = i < reached ? 'done' : i === reached ? (failed ? 'failed' : order.status === 'PAID' ? 'done' : 'now') : '';
    });
    $('steps').children[2].textContent = order.status === 'CANCELLED' ? 'Cancelled' : 'Paid';
    $('steps').children[1].textContent = order.status === 'REJECTED' ? 'Rejected' : 'Reserved';
    $('order-actions').hidden = order.status !== 'PENDING_PAYMENT';
    renderPayClock();
  }

  function cancelledWords() {
    return S.cancelledByMe ? 'You cancelled this order; the unit went back on sale.'
      : 'The payment window closed, so the order was cancelled and the unit went back on sale.';
  }

  function renderPayClock() {
    const order = S.order;
    const clock = $('pay-countdown');
    const pending = order && order.status === 'PENDING_PAYMENT' && order.expiresAt;
    clock.hidden = !pending;
    if (!pending) return;
    const left = Date.parse(order.expiresAt) - Date.now();
    text('pay-countdown', left > 0 ? 'Pay within ' + duration(left) : 'Time is up');
    $('pay').disabled = left <= 0;
  }

  async function pay() {
    const order = S.order;
    S.payRef = S.payRef || 'demo-' + uuid();
    $('pay').disabled = true;
    try {
      apply(await api('POST', `/api/orders/${order.orderId}/payment`, { token: S.token, body: { paymentRef: S.payRef } }), 'reply');
      say('order-message', 'Payment received. Thank you!', 'good');
    } catch (e) {
      say('order-message', explain(e, S.sale), 'bad');
      refreshOrder(order.orderId);
    }
  }

  async function cancel() {
    const order = S.order;
    $('cancel').disabled = true;
    try {
      S.cancelledByMe = true;
      apply(await api('DELETE', '/api/orders/' + order.orderId, { token: S.token }), 'reply');
      say('order-message', '', '');
    } catch (e) {
      S.cancelledByMe = false;
      say('order-message', explain(e, S.sale), 'bad');
      refreshOrder(order.orderId);
    } finally {
      $('cancel').disabled = false;
    }
  }

  async function refreshOrder(orderId) {
    try { apply(await api('GET', '/api/orders/' + orderId, { token: S.token }), 'poll'); } catch (e) { /* shown already */ }
  }

  function say(id, words, kind) {
    $(id).className = 'message ' + (kind || '');
    text(id, words);
  }

  // --- no sale chosen: a list of recent sales, or an id ----------------------------------------------------------------
  async function showPicker() {
    $('picker').hidden = false;
    $('sale-form').addEventListener('submit', e => {
      e.preventDefault();
      location.search = '?sale=' + encodeURIComponent($('sale-id').value.trim());
    });
    try {
      const { sales } = await api('GET', '/api/sales');
      $('sale-list').replaceChildren(...sales.map(s => el('li', {},
        el('a', { href: '/?sale=' + s.saleId, textContent: s.item }),
        ` · ${STATE_WORDS[s.state] || s.state} · ${num(s.stockLeft)} left`)));
    } catch (e) { /* an older gateway has no list; the id form still works */ }
  }

  function start() {
    const saved = store.get('seckill.user');
    $('user-id').value = saved ? saved.user : 'buyer-' + Math.floor(1000 + Math.random() * 9000);
    $('user-form').addEventListener('submit', e => {
      e.preventDefault();
      const user = $('user-id').value.trim();
      if (user) signIn(user);
    });
    $('use-token').addEventListener('click', useToken);
    $('buy').addEventListener('click', buy);
    $('pay').addEventListener('click', pay);
    $('cancel').addEventListener('click', cancel);
    if (!S.saleId) return showPicker();
    $('dashboard-link').href = '/dashboard?sale=' + encodeURIComponent(S.saleId);
    if (saved && saved.token) setUser(saved.user, saved.token);
    refreshSale();
    setInterval(refreshSale, 2000);
    let wasUpcoming = false;
    setInterval(() => {
      const upcoming = effectiveState() === 'UPCOMING';
      if (wasUpcoming && !upcoming) refreshSale();
      wasUpcoming = upcoming;
      renderSale();
      renderPayClock();
    }, 250);
  }

  start();
})();
