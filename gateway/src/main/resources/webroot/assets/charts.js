'use strict';
// Two tiny SVG charts, enough for a live dashboard: a rolling line chart and a bar chart. Colours come from CSS classes
// (s0..s5) so the page needs no inline styles under its content security policy.
const Charts = (() => {
  const NS = 'http://www.w3.org/2000/svg';
  const W = 600, H = 170, LEFT = 46, RIGHT = 8, TOP = 8, BOTTOM = 20;

  function svg(tag, attrs) {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    return e;
  }

  // 1, 2, 5, 10, 20, 50…: axis tops a person can read.
  function niceMax(v) {
    if (v <= 1) return 1;
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
    return 10 * p;
  }

  function short(v) {
    if (v >= 1e6) return (v / 1e6).toFixed(v >= 1e7 ? 0 : 1) + 'M';
    if (v >= 1e3) return (v / 1e3).toFixed(v >= 1e4 ? 0 : 1) + 'k';
    return String(Math.round(v * 10) / 10);
  }

  function frame(container) {
    const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img' });
    const grid = svg('g');
    const plot = svg('g');
    root.append(grid, plot);
    const legend = document.createElement('div');
    legend.className = 'legend';
    container.append(root, legend);
    return { root, grid, plot, legend };
  }

  function drawGrid(grid, max, xLabels) {
    grid.replaceChildren();
    for (const f of [0, 0.5, 1]) {
      const y = TOP + (H - TOP - BOTTOM) * (1 - f);
      grid.append(svg('line', { x1: LEFT, x2: W - RIGHT, y1: y, y2: y, class: 'axis' }));
      const label = svg('text', { x: LEFT - 6, y: y + 4, 'text-anchor': 'end', class: 'label' });
      label.textContent = short(max * f);
      grid.append(label);
    }
    for (const [x, words] of xLabels) {
      const label = svg('text', { x, y: H - 4, 'text-anchor': 'middle', class: 'label' });
      label.textContent = words;
      grid.append(label);
    }
  }

  /** Rolling line chart of `points` samples; push() one value per series each second. */
  function line(container, names, { points = 60, unit = '' } = {}) {
    const f = frame(container);
    const data = names.map(() => []);
    const lines = names.map((_, i) => svg('polyline', { class: 's' + i, points: '' }));
    f.plot.append(...lines);
    const values = names.map((name, i) => {
      const item = document.createElement('span');
      item.className = 's' + i;
      const b = document.createElement('b');
      item.append(name + ' ', b);
      f.legend.append(item);
      return b;
    });

    function push(sample) {
      sample.forEach((v, i) => {
        data[i].push(v);
        if (data[i].length > points) data[i].shift();
        values[i].textContent = short(v) + unit;
      });
      const max = niceMax(Math.max(0, ...data.flat()));
      const xStep = (W - LEFT - RIGHT) / (points - 1);
      drawGrid(f.grid, max, [[LEFT + 8, `-${points}s`], [W - RIGHT - 12, 'now']]);
      data.forEach((series, i) => {
        const offset = points - series.length;
        lines[i].setAttribute('points', series.map((v, j) =>
          `${(LEFT + (offset + j) * xStep).toFixed(1)},${(TOP + (H - TOP - BOTTOM) * (1 - v / max)).toFixed(1)}`).join(' '));
      });
    }
    return { push };
  }

  /** Bars for a keyed snapshot, e.g. lag per partition; redrawn whole each time. */
  function bars(container, { label = k => k } = {}) {
    const f = frame(container);
    function show(entries) {
      const max = niceMax(Math.max(0, ...entries.map(e => e[1])));
      const n = Math.max(1, entries.length);
      const slot = (W - LEFT - RIGHT) / n;
      drawGrid(f.grid, max, entries.map(([k], i) => [LEFT + slot * (i + 0.5), label(k)]));
      f.plot.replaceChildren(...entries.map(([, v], i) => {
        const h = (H - TOP - BOTTOM) * (v / max);
        const r = svg('rect', { x: LEFT + slot * i + slot * 0.15, width: slot * 0.7, y: H - BOTTOM - h, height: Math.max(h, 0.5), class: 's5' });
        const t = svg('title');
        t.textContent = `${label(entries[i][0])}: ${v}`;
        r.append(t);
        return r;
      }));
      f.legend.textContent = entries.length ? `total ${entries.reduce((a, e) => a + e[1], 0).toLocaleString('en-US')} messages behind`
        : 'no partitions reported yet';
    }
    return { show };
  }

  return { line, bars };
})();
