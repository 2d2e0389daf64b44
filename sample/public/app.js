// The sample's page: plain browser JavaScript, no build step. It holds no secret: it receives
// only the publishable key, the template id and the signed reference of the logged-in user.
'use strict';

const TOKEN_KEY = 'sample.accessToken';
const REFRESH_MS = 2000;
const $ = (id) => document.getElementById(id);

let pageConfig;
let flowConfig;
let refreshTimer;
let flowScript;

function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

async function api(path, init = {}) {
  const headers = { Accept: 'application/json', ...(init.headers || {}) };
  if (token()) headers.Authorization = `Bearer ${token()}`;
  const response = await fetch(path, { ...init, headers });
  if (response.status === 401 && path !== '/api/auth/login') {
    logOut();
    throw new Error('Your session ended: log in again.');
  }
  if (!response.ok) throw new Error(`${path} answered ${response.status}`);
  return response.json();
}

function showLoggedIn(loggedIn) {
  $('login-card').hidden = loggedIn;
  $('app').hidden = !loggedIn;
  $('session').hidden = !loggedIn;
}

// Webhooks carry whole seconds and the API's answers milliseconds: both are shown to the second.
function wholeSeconds(at) {
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? String(at) : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function timeOfDay(at) {
  const text = wholeSeconds(at);
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(text) ? text.slice(11, 19) : text;
}

function renderStatus(kyc) {
  const badge = $('kyc-status');
  const status = kyc.status || 'not started';
  if (badge.textContent !== status) badge.textContent = status;
  badge.dataset.status = kyc.status || 'none';
  const body = $('kyc-history');
  body.replaceChildren();
  if (kyc.history.length === 0) {
    const row = body.insertRow();
    row.className = 'empty';
    const cell = row.insertCell();
    cell.colSpan = 3;
    cell.textContent = 'No Flow event received yet.';
    return;
  }
  for (const entry of kyc.history) {
    const row = body.insertRow();
    const id = row.insertCell();
    // One line, cut with an ellipsis; the whole id is the cell's tooltip.
    id.textContent = entry.eventId;
    id.title = entry.eventId;
    // A step event names the step; it does not change the status.
    row.insertCell().textContent = entry.step
      ? `step ${entry.step} (${entry.status})`
      : entry.status;
    const at = row.insertCell();
    at.textContent = timeOfDay(entry.at);
    at.title = wholeSeconds(entry.at);
  }
}

async function refreshStatus() {
  try {
    renderStatus(await api('/api/users/current/kyc'));
  } catch (error) {
    $('flow-message').textContent = error.message;
  }
}

function renderCliCommand(customerReference) {
  const secretFile = pageConfig.secretFileArgument;
  $('webhook-path').textContent = pageConfig.webhookPath;
  if (pageConfig.emulatorUrl) {
    // The emulator knows the session it opens, so the app's fetchSession() finds it.
    $('cli-title').textContent = 'Trigger a verification from your terminal';
    $('cli-intro').textContent =
      'The sample runs on the local Flow emulator. This command opens a real emulator session ' +
      'for you, passes it, and the emulator sends its signed webhooks to this app:';
    $('cli-command').textContent =
      `npx cognito-flow trigger flow_session.status.updated --status success \\\n` +
      `    --customer-reference ${customerReference} \\\n` +
      `    --url ${pageConfig.emulatorUrl}${secretFile ? ` --secret-file ${secretFile}` : ''}`;
    return;
  }
  const secret = secretFile
    ? ` \\\n    --secret-file ${secretFile}`
    : '   # FLOW_API_SECRET from your environment';
  $('cli-command').textContent =
    `npx cognito-flow webhook send ${location.origin}${pageConfig.webhookPath} \\\n` +
    `    --event flow_session.status.updated --status success \\\n` +
    `    --customer-reference ${customerReference}${secret}`;
}

async function showApp() {
  showLoggedIn(true);
  const me = await api('/api/auth/me');
  $('current-user').textContent = me.displayName;
  flowConfig = await api('/api/users/current/flow_signature');
  $('flow-config').textContent = JSON.stringify(flowConfig, null, 2);
  $('verify').disabled = false;
  renderCliCommand(flowConfig.user.customerReference);
  await refreshStatus();
  clearInterval(refreshTimer);
  refreshTimer = setInterval(refreshStatus, REFRESH_MS);
}

function logOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  clearInterval(refreshTimer);
  flowConfig = undefined;
  $('verify').disabled = true;
  $('flow-config').textContent = 'Loading…';
  $('flow-message').textContent = '';
  showLoggedIn(false);
}

function loadFlowScript() {
  // Loaded on first use only, from FLOW_SCRIPT_URL (Cognito's CDN by default).
  flowScript ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = pageConfig.flowScriptUrl;
    script.async = true;
    script.onload = () => resolve();
    script.onerror = () => {
      flowScript = undefined;
      reject(new Error(`Could not load ${pageConfig.flowScriptUrl}.`));
    };
    document.head.append(script);
  });
  return flowScript;
}

async function verify() {
  $('flow-message').textContent = 'Opening Flow…';
  try {
    await loadFlowScript();
    // Exactly what the backend answered: publishable key, template id, and the signed user.
    const flow = new window.Flow(flowConfig);
    if (typeof flow.on === 'function') flow.on('session', () => refreshStatus());
    flow.open();
    $('flow-message').textContent = 'Flow opened. Its webhooks update your verification status.';
  } catch (error) {
    $('flow-message').textContent = error.message;
  }
}

async function logIn(event) {
  event.preventDefault();
  $('login-error').hidden = true;
  $('login-button').disabled = true;
  try {
    const response = await fetch('/api/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ username: $('username').value, password: $('password').value }),
    });
    if (!response.ok)
      throw new Error(
        response.status === 401
          ? 'Wrong user name or password.'
          : `Login failed (${response.status}).`,
      );
    const { accessToken } = await response.json();
    sessionStorage.setItem(TOKEN_KEY, accessToken);
    $('password').value = '';
    await showApp();
  } catch (error) {
    $('login-error').textContent = error.message;
    $('login-error').hidden = false;
  } finally {
    $('login-button').disabled = false;
  }
}

const SVG = 'http://www.w3.org/2000/svg';
const BAR = { row: 26, label: 270, width: 720, count: 50 };

function svg(name, attributes) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  return element;
}

// One horizontal bar per outcome and per refusal reason, scaled to the largest count.
function renderActivity(activity) {
  const rows = [
    ...Object.entries(activity.deliveries).map(([name, count]) => ({
      series: 'delivery',
      name,
      count,
    })),
    ...Object.entries(activity.refusals).map(([name, count]) => ({
      series: 'refusal',
      name,
      count,
    })),
  ].filter((row) => row.count > 0);
  const chart = $('activity-chart');
  chart.replaceChildren();
  $('activity-empty').hidden = rows.length > 0;
  chart.setAttribute('viewBox', `0 0 ${BAR.width} ${Math.max(rows.length, 1) * BAR.row}`);
  const largest = Math.max(1, ...rows.map((row) => row.count));
  const room = BAR.width - BAR.label - BAR.count;
  rows.forEach((row, index) => {
    const y = index * BAR.row;
    const group = svg('g', {
      class: `bar ${row.series}`,
      'data-series': row.series,
      'data-name': row.name,
      'data-count': row.count,
    });
    const label = svg('text', { x: 0, y: y + 17 });
    label.textContent = row.series === 'refusal' ? `refused: ${row.name}` : row.name;
    const width = Math.max(2, Math.round((room * row.count) / largest));
    const count = svg('text', { x: BAR.label + width + 6, y: y + 17 });
    count.textContent = String(row.count);
    group.append(label, svg('rect', { x: BAR.label, y: y + 4, width, height: 18, rx: 3 }), count);
    chart.append(group);
  });
}

async function refreshActivity() {
  try {
    renderActivity(await api('/api/sample/activity'));
  } catch {
    // The next poll tries again; the chart keeps its last figures.
  }
}

async function start() {
  pageConfig = await api('/api/sample/config');
  const missing = [];
  if (pageConfig.placeholders.publishableKey) missing.push('FLOW_PUBLISHABLE_KEY');
  if (pageConfig.placeholders.templateId) missing.push('FLOW_TEMPLATE_ID');
  if (missing.length > 0) {
    $('placeholder-list').textContent = missing.join(' and ');
    $('placeholder-notice').hidden = false;
  }
  $('login-form').addEventListener('submit', logIn);
  $('logout').addEventListener('click', logOut);
  $('verify').addEventListener('click', verify);
  for (const chip of document.querySelectorAll('[data-user]')) {
    chip.addEventListener('click', () => {
      $('username').value = chip.dataset.user;
      $('password').value = `${chip.dataset.user}-password`;
    });
  }
  void refreshActivity();
  setInterval(refreshActivity, REFRESH_MS);
  if (token()) await showApp().catch(logOut);
}

start();
