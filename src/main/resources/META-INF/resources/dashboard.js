// Flowcast live dashboard: merges the server-sent snapshot and batches of /api/v1/live into a small state and draws
// it. Keys are "<stream>/<entityId>" for paths and scores, the entity id for forecasts, the alert id for alerts.
(function () {
  'use strict';
  const PATH_LENGTH = 40;
  const SCORES_PER_ENTITY = 150;
  const MAX_OTHER_ENTITIES = 60;

  const state = { paths: new Map(), scores: new Map(), forecasts: new Map(), alerts: new Map(), selected: null };
  window.flowcast = state; // for the console (and the browser test)

  const $ = (id) => document.getElementById(id);
  let drawPending = false;

  function mergeByTime(list, items, keep) {
    for (const item of items) {
      if (list.length === 0 || item.t > list[list.length - 1].t) {
        list.push(item);
      } else if (!list.some((old) => old.t === item.t)) {
        list.push(item);
        list.sort((a, b) => a.t - b.t);
      }
    }
    if (list.length > keep) list.splice(0, list.length - keep);
  }

  function groupBy(items, key) {
    const out = new Map();
    for (const item of items || []) {
      const k = key(item);
      if (!out.has(k)) out.set(k, []);
      out.get(k).push(item);
    }
    return out;
  }

  function apply(message) {
    for (const [key, items] of groupBy(message.positions, (p) => p.stream + '/' + p.entityId)) {
      if (!state.paths.has(key)) state.paths.set(key, []);
      mergeByTime(state.paths.get(key), items.map((p) => ({ t: p.t, x: p.x, y: p.y, scene: p.scene })), PATH_LENGTH);
    }
    for (const [key, items] of groupBy(message.scores, (s) => s.stream + '/' + s.entityId)) {
      if (!state.scores.has(key)) state.scores.set(key, []);
      mergeByTime(state.scores.get(key), items, SCORES_PER_ENTITY);
    }
    for (const forecast of message.forecasts || []) {
      const old = state.forecasts.get(forecast.entityId);
      if (!old || (forecast.eventTime || 0) >= (old.eventTime || 0)) state.forecasts.set(forecast.entityId, forecast);
    }
    for (const alert of message.alerts || []) {
      if (alert.state === 'OPEN') state.alerts.set(alert.alertId, alert); else state.alerts.delete(alert.alertId);
    }
    if (!state.selected && state.paths.size > 0) state.selected = state.paths.keys().next().value;
    scheduleDraw();
  }

  function scheduleDraw() {
    if (drawPending) return;
    drawPending = true;
    requestAnimationFrame(() => { drawPending = false; draw(); });
  }

  function select(key) {
    state.selected = key;
    scheduleDraw();
  }

  function entityOf(key) { return key.substring(key.indexOf('/') + 1); }

  function isAnomalous(key) {
    const scores = state.scores.get(key);
    return !!scores && scores.slice(-20).some((s) => s.anomalous);
  }

  function renderList(element, keys, className) {
    element.replaceChildren(...keys.map((key) => {
      const li = document.createElement('li');
      li.className = className + (key === state.selected ? ' selected' : '') + (isAnomalous(key) ? ' anomalous' : '');
      li.dataset.entity = key;
      li.textContent = key;
      li.addEventListener('click', () => select(key));
      return li;
    }));
  }

  function renderAlerts() {
    const alerts = [...state.alerts.values()].sort((a, b) => b.startedAt - a.startedAt);
    $('alert-count').textContent = String(alerts.length);
    $('alerts').replaceChildren(...alerts.map((alert) => {
      const li = document.createElement('li');
      li.className = alert.severity || '';
      li.dataset.alertId = alert.alertId;
      const since = new Date(alert.startedAt).toISOString().substring(11, 19);
      li.textContent = (alert.severity || 'ALERT') + ' ' + alert.stream + '/' + alert.entityId
        + ' · peak grade ' + Number(alert.peakGrade).toFixed(4) + ' · since ' + since + ' UTC';
      li.addEventListener('click', () => select(alert.stream + '/' + alert.entityId));
      return li;
    }));
  }

  function sceneBounds() {
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    const take = (x, y) => { minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y); };
    for (const path of state.paths.values()) for (const p of path) take(p.x, p.y);
    if (!isFinite(minX)) return null;
    // The most likely paths too, so forecasts stay on the canvas.
    for (const key of state.paths.keys()) {
      const forecast = state.forecasts.get(entityOf(key));
      for (const p of (forecast && forecast.mostLikely) || []) take(p[0], p[1]);
    }
    const pad = Math.max(1, 0.08 * Math.max(maxX - minX, maxY - minY));
    // Twice the padding on the right: agents' names are written there.
    return { minX: minX - pad, minY: minY - pad, maxX: maxX + 2 * pad, maxY: maxY + pad };
  }

  function drawScene() {
    const canvas = $('scene');
    const g = canvas.getContext('2d');
    g.clearRect(0, 0, canvas.width, canvas.height);
    const b = sceneBounds();
    if (!b) return;
    const scale = Math.min(canvas.width / (b.maxX - b.minX), canvas.height / (b.maxY - b.minY));
    const px = (x) => (x - b.minX) * scale;
    const py = (y) => canvas.height - (y - b.minY) * scale; // y up, as in the scene's metres

    const selectedForecast = state.selected ? state.forecasts.get(entityOf(state.selected)) : null;
    const heat = selectedForecast && (selectedForecast.grid || gaussianGrid(selectedForecast.horizon));
    if (heat) drawHeat(g, heat, px, py, scale);
    canvas.dataset.heat = !heat ? '' : selectedForecast.grid ? 'grid' : 'gaussian';

    for (const [key, path] of state.paths) {
      const forecast = state.forecasts.get(entityOf(key));
      if (forecast) drawForecast(g, forecast, px, py);
      g.strokeStyle = key === state.selected ? '#1a365d' : '#2b6cb0';
      g.lineWidth = key === state.selected ? 2.5 : 1.5;
      g.beginPath();
      path.forEach((p, i) => (i === 0 ? g.moveTo(px(p.x), py(p.y)) : g.lineTo(px(p.x), py(p.y))));
      g.stroke();
      const last = path[path.length - 1];
      g.fillStyle = isAnomalous(key) ? '#c53030' : '#2b6cb0';
      g.beginPath();
      g.arc(px(last.x), py(last.y), key === state.selected ? 6 : 4, 0, 2 * Math.PI);
      g.fill();
      g.fillStyle = '#1d2433';
      g.font = '11px system-ui';
      g.fillText(entityOf(key), px(last.x) + 7, py(last.y) - 5);
      if (last.scene) $('scene-name').textContent = last.scene;
    }
  }

  function drawForecast(g, forecast, px, py) {
    g.strokeStyle = 'rgba(221, 107, 32, 0.35)';
    g.lineWidth = 1;
    for (const sample of forecast.samples || []) {
      g.beginPath();
      sample.forEach((p, i) => (i === 0 ? g.moveTo(px(p[0]), py(p[1])) : g.lineTo(px(p[0]), py(p[1]))));
      g.stroke();
    }
    g.strokeStyle = '#c05621';
    g.lineWidth = 2;
    g.setLineDash([6, 4]);
    g.beginPath();
    (forecast.mostLikely || []).forEach((p, i) => (i === 0 ? g.moveTo(px(p[0]), py(p[1])) : g.lineTo(px(p[0]), py(p[1]))));
    g.stroke();
    g.setLineDash([]);
  }

  // A forecaster without density grids still gives each horizon's mean and covariance: evaluate that Gaussian on a
  // 32 x 32 grid spanning 3 standard deviations, in the same shape as a forecast grid.
  function gaussianGrid(horizon) {
    if (!horizon || !horizon.mean || !horizon.covariance) return null;
    const [mx, my] = horizon.mean;
    const [[sxx, sxy], [, syy]] = horizon.covariance;
    const det = sxx * syy - sxy * sxy;
    if (!(sxx > 0 && syy > 0 && det > 0)) return null;
    const n = 32;
    const half = 3 * Math.sqrt(Math.max(sxx, syy));
    const cell = 2 * half / n;
    const origin = [mx - half, my - half];
    const logDensity = [];
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        const dx = origin[0] + (c + 0.5) * cell - mx;
        const dy = origin[1] + (r + 0.5) * cell - my;
        const q = (syy * dx * dx - 2 * sxy * dx * dy + sxx * dy * dy) / det;
        logDensity.push(-0.5 * q - Math.log(2 * Math.PI) - 0.5 * Math.log(det));
      }
    }
    return { origin, cellMetres: cell, rows: n, cols: n, logDensity };
  }

  // The grid's cell (r, c) is centred at origin + ((c + 0.5) * cell, (r + 0.5) * cell); shade by density relative to
  // the grid's peak.
  function drawHeat(g, grid, px, py, scale) {
    const values = grid.logDensity;
    const peak = Math.max(...values);
    const side = grid.cellMetres * scale;
    for (let r = 0; r < grid.rows; r++) {
      for (let c = 0; c < grid.cols; c++) {
        const relative = Math.exp(values[r * grid.cols + c] - peak);
        if (relative < 0.01) continue;
        g.fillStyle = 'rgba(128, 90, 213, ' + (0.6 * relative).toFixed(3) + ')';
        const x = grid.origin[0] + c * grid.cellMetres;
        const y = grid.origin[1] + (r + 1) * grid.cellMetres;
        g.fillRect(px(x), py(y), side + 0.5, side + 0.5);
      }
    }
  }

  // -log10 of the tail probability: 2 means "1 in 100 held-out records scored worse".
  function drawTimeline() {
    const canvas = $('timeline');
    const g = canvas.getContext('2d');
    g.clearRect(0, 0, canvas.width, canvas.height);
    const scores = (state.selected && state.scores.get(state.selected) || []).filter((s) => s.tail != null);
    canvas.dataset.scores = String(scores.length);
    $('selected').textContent = state.selected || 'no entity selected';
    if (scores.length === 0) return;
    const level = (p) => -Math.log10(Math.max(p, 1e-12));
    const threshold = scores[scores.length - 1].threshold;
    const top = Math.max(3, level(threshold) * 1.3, ...scores.map((s) => level(s.tail)));
    const t0 = scores[0].t, t1 = Math.max(scores[scores.length - 1].t, t0 + 1);
    const x = (t) => 40 + (canvas.width - 50) * (t - t0) / (t1 - t0);
    const y = (v) => canvas.height - 20 - (canvas.height - 30) * v / top;
    g.strokeStyle = '#c53030';
    g.setLineDash([4, 4]);
    g.beginPath(); g.moveTo(40, y(level(threshold))); g.lineTo(canvas.width - 10, y(level(threshold))); g.stroke();
    g.setLineDash([]);
    g.fillStyle = '#c53030';
    g.font = '11px system-ui';
    g.fillText('threshold ' + threshold, 44, y(level(threshold)) - 4);
    g.strokeStyle = '#2b6cb0';
    g.beginPath();
    scores.forEach((s, i) => (i === 0 ? g.moveTo(x(s.t), y(level(s.tail))) : g.lineTo(x(s.t), y(level(s.tail)))));
    g.stroke();
    for (const s of scores) {
      if (!s.anomalous) continue;
      g.beginPath(); g.arc(x(s.t), y(level(s.tail)), 4, 0, 2 * Math.PI); g.fill();
    }
    g.fillStyle = '#556';
    g.fillText('-log10 p', 2, 12);
  }

  function draw() {
    const agents = [...state.paths.keys()].sort();
    $('agent-count').textContent = String(agents.length);
    renderList($('agents'), agents, 'agent');
    const others = [...state.scores.keys()].filter((k) => !state.paths.has(k)).sort().slice(0, MAX_OTHER_ENTITIES);
    renderList($('entities'), others, 'entity');
    renderAlerts();
    drawScene();
    drawTimeline();
  }

  function connect() {
    const source = new EventSource('/api/v1/live');
    source.onopen = () => { $('status').textContent = 'live'; $('status').className = 'status live'; };
    source.onerror = () => { $('status').textContent = 'reconnecting'; $('status').className = 'status connecting'; };
    source.onmessage = (event) => apply(JSON.parse(event.data));
  }

  connect();
})();
