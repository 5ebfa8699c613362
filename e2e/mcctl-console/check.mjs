// Clicks through mcctl-console, built from its unmodified source, against a Lightd daemon started
// the README's way, in Debian's headless Chromium driven by playwright-core. Prints one row per page
// or action (OK/FAIL and what was seen: the BFF's HTTP status and error text when it fails) and
// "N of M pages and actions work". See README.md next to this file.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const env = process.env;
const lightdRoot = path.resolve(env.LIGHTD_ROOT || path.join(here, '..', '..'));
const cache = env.E2E_CACHE || '/var/tmp/lightd-e2e';
const ports = {
  lightd: Number(env.E2E_LIGHTD_PORT || 18170),
  mcctl: Number(env.E2E_MCCTL_PORT || 18171),
  console: Number(env.E2E_CONSOLE_PORT || 18172),
};
const chromiumPath = env.CHROMIUM || '/usr/bin/chromium';
const image = env.MCCTL_IMAGE || 'lightd-test/mc-standin:1';
const runId = randomBytes(2).toString('hex');
const runDir = path.join(cache, `run-${new Date().toISOString().replace(/[:.]/g, '-')}-${runId}`);
const server = `e2e-${runId}`;
const world = `e2e-${runId}-w`;
const user = { name: `E2E User ${runId}`, email: `e2e-${runId}@example.test`, password: `E2e-pass-${runId}-x` };
const consoleUrl = `http://127.0.0.1:${ports.console}`;
const mcctlUrl = `http://127.0.0.1:${ports.mcctl}`;
const T = { short: 30_000, power: 90_000 }; // generous: the machine may be busy (no timing is asserted)

const rows = [];
const failedBff = [];
const children = [];

function log(msg) { console.error(`[e2e] ${msg}`); }
function short(s, n = 160) {
  s = String(s ?? '').replace(/\s+/g, ' ').trim();
  return s.length > n ? s.slice(0, n) + '...' : s;
}

// ---------------------------------------------------------------------------------------------
// Setup: console build, stand-in image, daemon, API key, console

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${short(r.stderr || r.stdout, 600)}`);
  return r.stdout;
}

async function portFree(port) {
  return new Promise((resolve) => {
    const s = net.createServer().once('error', () => resolve(false))
      .once('listening', () => s.close(() => resolve(true))).listen(port, '127.0.0.1');
  });
}

async function waitHttp(url, what, timeoutMs, proc) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (proc && proc.exitCode !== null) throw new Error(`${what} exited with ${proc.exitCode} before answering`);
    try {
      const r = await fetch(url, { redirect: 'manual' });
      if (r.status < 500) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${what} did not answer ${url} within ${timeoutMs / 1000}s`);
}

function start(name, cmd, args, opts) {
  const out = fs.openSync(path.join(runDir, `${name}.log`), 'a');
  const p = spawn(cmd, args, { ...opts, detached: true, stdio: ['ignore', out, out] });
  children.push({ name, p });
  log(`${name} started (pid ${p.pid}), log ${path.join(runDir, `${name}.log`)}`);
  return p;
}

async function stopChildren() {
  for (const { name, p } of children.reverse()) {
    if (p.exitCode !== null || p.signalCode !== null) continue;
    try { process.kill(-p.pid, 'SIGTERM'); } catch { continue; }
    const done = await Promise.race([
      new Promise((r) => p.once('exit', () => r(true))),
      new Promise((r) => setTimeout(() => r(false), 45_000)),
    ]);
    if (!done) { try { process.kill(-p.pid, 'SIGKILL'); } catch { /* gone */ } }
    log(`${name} stopped`);
  }
}

function removeOurContainers() {
  // Only the containers this run made: mc-<server> of this run's random prefix.
  const r = spawnSync('docker', ['ps', '-a', '--filter', `name=^/mc-e2e-${runId}`, '--format', '{{.Names}}'], { encoding: 'utf8' });
  for (const n of (r.stdout || '').split('\n').filter(Boolean)) {
    spawnSync('docker', ['rm', '-f', n]);
    log(`removed leftover container ${n}`);
  }
}

async function setup() {
  fs.mkdirSync(runDir, { recursive: true });
  for (const [k, p] of Object.entries(ports)) {
    if (!(await portFree(p))) throw new Error(`port ${p} (${k}) is in use; choose others with E2E_${k.toUpperCase()}_PORT`);
  }
  if (!fs.existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath} (apt-get install -y chromium)`);

  log('building mcctl-console from source (cached per commit)');
  const app = run(path.join(here, 'build-console.sh'), [], { stdio: ['ignore', 'pipe', 'inherit'] }).trim();

  log(`stand-in image ${image}`);
  if (image === 'lightd-test/mc-standin:1') run(path.join(lightdRoot, 'fixtures/mc-standin/build.sh'), [], { stdio: ['ignore', 'pipe', 'inherit'] });

  // The daemon, the README's way: a data folder with config.json, `bin/lightd serve --data DIR`.
  const data = path.join(runDir, 'lightd');
  fs.mkdirSync(data, { recursive: true });
  const master = `lightd_${randomBytes(16).toString('hex')}`;
  fs.writeFileSync(path.join(data, 'config.json'), JSON.stringify({
    server: { host: '127.0.0.1', port: ports.lightd, mcctl_port: ports.mcctl },
    authorization: { enabled: true, token: master },
    mcctl: { image, host_ip: '127.0.0.1' },
  }, null, 2));
  const lightd = path.join(lightdRoot, 'bin', 'lightd');
  const daemon = start('lightd', lightd, ['serve', '--data', data], { cwd: lightdRoot, env: { ...env, LIGHTD_LOG_LEVEL: 'DEBUG' } });
  await waitHttp(`${mcctlUrl}/health`, 'lightd (mcctl face)', 180_000, daemon);

  const key = run(lightd, ['mcctl', 'key', 'create', '--name', `e2e-console-${runId}`, '--data', data], { cwd: lightdRoot }).trim().split('\n').pop();
  if (!/^mctk_/.test(key)) throw new Error(`unexpected key output: ${short(key)}`);

  const consoleProc = start('console', process.execPath, [path.join(app, 'node_modules/next/dist/bin/next'), 'start', '-p', String(ports.console), '-H', '127.0.0.1'], {
    cwd: app,
    env: {
      ...env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      MCCTL_API_URL: mcctlUrl,
      MCCTL_API_KEY: key,
      BETTER_AUTH_SECRET: randomBytes(32).toString('base64'),
      BETTER_AUTH_BASE_URL: consoleUrl,
      NEXT_PUBLIC_APP_URL: consoleUrl,
      DATABASE_URL: path.join(runDir, 'console.db'),
    },
  });
  await waitHttp(`${consoleUrl}/login`, 'mcctl-console', 120_000, consoleProc);
  return { app, data };
}

// ---------------------------------------------------------------------------------------------
// Rows

const pageErrors = [];
let currentPage = null; // for a screenshot of each failure
let blocked = null; // set when a step everything after depends on failed: the rest is listed as not run

const consoleLog = () => path.join(runDir, 'console.log');
function consoleLogSize() {
  try { return fs.statSync(consoleLog()).size; } catch { return 0; }
}
function consoleLogSince(offset) {
  try { return fs.readFileSync(consoleLog()).subarray(offset).toString('utf8'); } catch { return ''; }
}

/**
 * One row. `needs` is [ok, why]: when a step this one depends on failed, the row is FAIL
 * "not run: <why>" without clicking (so every run has the same rows).
 */
async function step(pageName, action, fn, needs) {
  let ok = true;
  let seen;
  const why = blocked || (needs && !needs[0] ? needs[1] : null);
  if (why) {
    rows.push({ page: pageName, action, ok: false, seen: `not run: ${why}` });
    console.error(`[e2e] FAIL ${pageName} | ${action} | not run: ${why}`);
    return false;
  }
  const errorsBefore = pageErrors.length;
  const logBefore = consoleLogSize();
  try {
    seen = (await fn()) || 'ok';
  } catch (e) {
    ok = false;
    seen = short(String(e?.message || e).split('\n')[0], 300);
    const crash = pageErrors.slice(errorsBefore).find((m) => !/Minified React error #4(18|22|23|25)\b/.test(m));
    if (crash) seen = short(`page error in the console: ${crash}; ${seen}`, 400);
    if (currentPage && (await currentPage.getByText('Application error: a client-side exception').count().catch(() => 0))) {
      const serverLog = consoleLogSince(logBefore).match(/^Error: .*$/m);
      seen = short(`the console page crashed ("Application error: a client-side exception has occurred")${serverLog ? `; console server log: ${serverLog[0]}` : ''}; ${seen}`, 400);
    }
    if (currentPage) {
      const shot = path.join(runDir, `fail-${String(rows.length + 1).padStart(2, '0')}.png`);
      await currentPage.screenshot({ path: shot, fullPage: true }).catch(() => {});
      await currentPage.keyboard.press('Escape').catch(() => {}); // a dialog left open would block the next step
    }
  }
  rows.push({ page: pageName, action, ok, seen });
  console.error(`[e2e] ${ok ? 'OK  ' : 'FAIL'} ${pageName} | ${action} | ${seen}`);
  return ok;
}

/** Runs trigger and waits for the BFF request it causes; a status >= 400 throws with its body. */
async function call(page, method, re, trigger, timeout = T.short) {
  const waiting = page.waitForResponse((r) => {
    const u = new URL(r.url());
    return r.request().method() === method && re.test(u.pathname + u.search);
  }, { timeout });
  waiting.catch(() => {});
  await trigger();
  let r;
  try {
    r = await waiting;
  } catch {
    throw new Error(`no ${method} ${re.source} request seen within ${timeout / 1000}s`);
  }
  const u = new URL(r.url());
  if (r.status() >= 400) {
    const body = await r.text().catch(() => '');
    throw new Error(`${method} ${u.pathname}${u.search} -> HTTP ${r.status()} ${short(body)}`);
  }
  return r;
}

async function json(r) {
  try { return await r.json(); } catch { return null; }
}

/** The first visible MUI error alert's text, if any (for messages the UI shows). */
async function alertText(page) {
  const a = page.locator('.MuiAlert-standardError, .MuiAlert-filledError').first();
  return (await a.count()) && (await a.isVisible()) ? short(await a.innerText()) : '';
}

async function expectVisible(page, locator, what, timeout = T.short) {
  try {
    await locator.first().waitFor({ state: 'visible', timeout });
  } catch {
    const a = await alertText(page);
    throw new Error(`${what} not shown within ${timeout / 1000}s${a ? `; page says: ${a}` : ''}`);
  }
}

// ---------------------------------------------------------------------------------------------
// The walk

async function walk(page, consoleDbPath, app) {
  const apiBase = (p) => new RegExp('^' + p.replace(/[?]/g, '\\?'));

  // --- sign up, become the console's admin as `mcctl console init` makes it, log in -----------
  const signedUp = await step('signup', 'create an account', async () => {
    await page.goto(`${consoleUrl}/signup`);
    await page.getByLabel(/^Name/).fill(user.name);
    await page.getByLabel(/^Email/).fill(user.email);
    await page.locator('input[type=password]').nth(0).fill(user.password);
    await page.locator('input[type=password]').nth(1).fill(user.password);
    await call(page, 'POST', /^\/api\/auth\/sign-up\/email/, () => page.getByRole('button', { name: /sign up|create account/i }).click());
    await page.waitForURL(/\/dashboard/, { timeout: T.short });
    return `signed up ${user.email}, on /dashboard`;
  });
  if (!signedUp) blocked = 'sign-up failed';
  // mcctl's own setup (`mcctl console init`) makes the first console user an admin in this DB;
  // without the mcctl CLI the same row change is made here. Admin sees every server and may
  // delete worlds (the console's rule, not the API's).
  if (signedUp) {
  const Database = createRequire(path.join(app, 'package.json'))('better-sqlite3');
  const db = new Database(consoleDbPath);
  db.prepare("UPDATE users SET role = 'admin' WHERE email = ?").run(user.email);
  db.close();
  }
  await step('login', 'log out and log in again (as admin)', async () => {
    await page.getByRole('button', { name: 'user menu' }).click();
    await page.getByRole('menuitem', { name: 'Logout' }).click();
    await page.waitForURL(/\/login|\/$/, { timeout: T.short });
    if (!/\/login/.test(page.url())) await page.goto(`${consoleUrl}/login`);
    await page.getByLabel(/^Email/).fill(user.email);
    await page.locator('input[type=password]').fill(user.password);
    await call(page, 'POST', /^\/api\/auth\/sign-in\/email/, () => page.getByRole('button', { name: 'Sign In' }).click());
    await page.waitForURL(/\/dashboard/, { timeout: T.short });
    return 'logged in, on /dashboard';
  });

  await step('dashboard', 'open', async () => {
    const r = await call(page, 'GET', /^\/api\/servers$/, () => page.goto(`${consoleUrl}/dashboard`));
    const d = await json(r);
    return `GET /api/servers ${r.status()}, ${d?.total ?? d?.servers?.length ?? '?'} servers`;
  });

  await step('dashboard', 'playit card: not configured (GET /api/playit/status)', async () => {
    const r = await call(page, 'GET', /^\/api\/playit\/status/, () => page.reload());
    return `GET playit/status ${r.status()}: ${short(await r.text(), 80)}`;
  });

  // --- servers ---------------------------------------------------------------------------------
  await step('servers', 'list', async () => {
    const r = await call(page, 'GET', /^\/api\/servers$/, () => page.goto(`${consoleUrl}/servers`));
    await expectVisible(page, page.getByRole('button', { name: 'Create Server' }).first(), 'Create Server button');
    return `GET /api/servers ${r.status()}, ${(await json(r))?.servers?.length ?? '?'} servers`;
  });

  const created = await step('servers', `create server ${server} (no autoStart)`, async () => {
    await page.getByRole('button', { name: 'Create Server' }).first().click();
    const dlg = page.getByRole('dialog');
    await dlg.getByLabel(/^Server Name/).fill(server);
    await dlg.getByLabel(/^Memory/).fill('1G');
    const r = await call(page, 'POST', /^\/api\/servers$/, () => dlg.getByRole('button', { name: 'Create', exact: true }).click(), 60_000);
    await page.getByRole('dialog').waitFor({ state: 'hidden', timeout: T.short }).catch(() => {});
    const d = await json(r);
    // The list refetches every 60 s (its live stream updates statuses only): reload as a user would.
    let how = 'listed';
    if (!(await page.getByText(server, { exact: true }).first().isVisible({ timeout: 5000 }).catch(() => false))) {
      await page.reload();
      how = 'listed after a reload';
    }
    await expectVisible(page, page.getByText(server, { exact: true }), `server ${server} in the list`);
    return `POST /api/servers ${r.status()}, container ${d?.server?.container ?? '?'}, ${how}`;
  });
  if (!created) blocked = 'server creation failed';

  await step('server detail', 'open from the list', async () => {
    const r = await call(page, 'GET', new RegExp(`^/api/servers/${server}$`), () => page.getByText(server, { exact: true }).first().click());
    await page.waitForURL(new RegExp(`/servers/${server}`), { timeout: T.short });
    const d = await json(r);
    return `GET /api/servers/${server} ${r.status()}, status ${d?.server?.status ?? '?'}`;
  });

  await step('server detail', 'a new server can be started (Start shown)', async () => {
    await expectVisible(page, page.getByRole('button', { name: 'Start', exact: true }), 'Start button');
    return 'Start button shown';
  });

  await step('server detail', 'start', async () => {
    await call(page, 'POST', new RegExp(`^/api/servers/${server}/start$`), () => page.getByRole('button', { name: 'Start', exact: true }).click(), T.power);
    await expectVisible(page, page.getByRole('button', { name: 'Stop', exact: true }), 'Stop button (running)', T.power);
    return 'POST start 200, status running (Stop shown)';
  });

  await step('server detail', 'live status (SSE)', async () => {
    const r = await call(page, 'GET', new RegExp(`^/api/sse/servers/${server}/status`), () => page.reload(), T.short);
    await expectVisible(page, page.getByRole('button', { name: 'Stop', exact: true }), 'Stop button after reload');
    return `GET /api/sse/servers/${server}/status ${r.status()} (${r.headers()['content-type'] ?? '?'})`;
  });

  await step('server detail', 'live log on Overview', async () => {
    // the stand-in prints vanilla-like lines such as "Done (...)! For help, type "help""
    await expectVisible(page, page.getByText(/Done \(|Starting minecraft server|RCON running/i), 'a server log line', 60_000);
    return 'log lines shown';
  });

  await step('server detail', 'send command "list" on Overview', async () => {
    const input = page.getByPlaceholder('Send a command');
    await input.fill('list');
    const r = await call(page, 'POST', new RegExp(`^/api/servers/${server}/exec$`), () => input.press('Enter'), 30_000);
    const d = await json(r);
    return `POST exec ${r.status()}: ${short(d?.output ?? JSON.stringify(d), 80)}`;
  });

  await step('server console', 'open console page, log and command "help"', async () => {
    await call(page, 'GET', new RegExp(`^/api/sse/servers/${server}/logs`), () => page.goto(`${consoleUrl}/servers/${server}/console`));
    const input = page.getByPlaceholder('Enter command...');
    await input.fill('help');
    const r = await call(page, 'POST', new RegExp(`^/api/servers/${server}/exec$`), () => input.press('Enter'), 30_000);
    const d = await json(r);
    return `SSE logs open, POST exec ${r.status()}: ${short(d?.output ?? JSON.stringify(d), 60)}`;
  });

  const openDetail = async () => {
    if (!new RegExp(`/servers/${server}$`).test(page.url())) await page.goto(`${consoleUrl}/servers/${server}`);
    await expectVisible(page, page.getByRole('button', { name: 'Overview', exact: true }), 'detail tabs');
  };
  const tab = async (name) => { await openDetail(); await page.getByRole('button', { name, exact: true }).click(); };

  // --- options (server settings) ----------------------------------------------------------------
  const cfgOk = await step('options', 'load settings', async () => {
    await openDetail();
    const r = await call(page, 'GET', new RegExp(`^/api/servers/${server}/config$`), () => page.getByRole('button', { name: 'Options', exact: true }).click());
    const d = await json(r);
    return `GET config ${r.status()}: ${Object.keys(d?.config ?? {}).length} settings`;
  });
  await step('options', 'change MOTD and save', async () => {
    if (!cfgOk) await tab('Options');
    const motd = page.getByLabel(/^MOTD/);
    await expectVisible(page, motd, 'MOTD field');
    await motd.fill(`e2e motd ${runId}`);
    const r = await call(page, 'PATCH', new RegExp(`^/api/servers/${server}/config$`), async () => {
      await page.getByRole('button', { name: /^Save Changes/ }).click();
      const only = page.getByRole('button', { name: 'Save Only' });
      if (await only.isVisible({ timeout: 2000 }).catch(() => false)) await only.click();
    });
    const d = await json(r);
    return `PATCH config ${r.status()}: changed ${JSON.stringify(d?.changedFields ?? [])}, restartRequired ${d?.restartRequired}`;
  });

  // --- files -----------------------------------------------------------------------------------
  const fileRow = (name) => page.locator('tr', { has: page.getByText(name, { exact: true }) });
  const rowMenu = async (name, item) => {
    await fileRow(name).getByRole('button').last().click();
    await page.getByRole('menuitem', { name: item }).click();
  };
  const dir = `e2e-dir-${runId}`;
  const upName = `e2e-upload-${runId}.txt`;
  const upBody = `uploaded by the e2e check ${runId}\n`;
  const written = `written in the editor ${runId}`;

  const filesOk = await step('files', 'browse /', async () => {
    const r = await call(page, 'GET', new RegExp(`^/api/servers/${server}/files\\?`), () => tab('Files'));
    const d = await json(r);
    return `GET files ${r.status()}: ${(d?.files ?? []).map((f) => f.name).slice(0, 6).join(', ')}`;
  });
  const mkdirOk = await step('files', `create folder ${dir}`, async () => {
    await page.getByRole('button', { name: 'New Folder' }).click();
    await page.getByRole('dialog').getByLabel(/^Folder name/).fill(dir);
    const r = await call(page, 'POST', new RegExp(`^/api/servers/${server}/files/mkdir`), () => page.getByRole('dialog').getByRole('button', { name: 'Create' }).click());
    await expectVisible(page, page.getByText(dir, { exact: true }), `folder ${dir} in the list`);
    return `POST mkdir ${r.status()}, folder listed`;
  }, [filesOk, 'the file list did not load']);
  await step('files', 'open the folder', async () => {
    const r = await call(page, 'GET', new RegExp(`^/api/servers/${server}/files\\?path=%2F${dir}`), () => page.getByText(dir, { exact: true }).first().click());
    return `GET files?path=/${dir} ${r.status()}: ${(await json(r))?.files?.length ?? '?'} entries`;
  }, [mkdirOk, 'the folder was not created']);
  const uploadOk = await step('files', `upload ${upName}`, async () => {
    await page.getByRole('button', { name: 'Upload' }).first().click();
    await page.getByRole('dialog').locator('input[type=file]').setInputFiles({ name: upName, mimeType: 'text/plain', buffer: Buffer.from(upBody) });
    const r = await call(page, 'POST', new RegExp(`^/api/servers/${server}/files/upload`), () => page.getByRole('dialog').getByRole('button', { name: /^Upload/ }).click(), 30_000);
    await expectVisible(page, page.getByText(upName, { exact: true }), `${upName} in the list`);
    return `POST upload ${r.status()}, file listed`;
  }, [filesOk, 'the file list did not load']);
  const readOk = await step('files', 'open the file (read)', async () => {
    // the list may re-render right after the upload and swallow a first click: one more try
    const open = () => page.getByText(upName, { exact: true }).first().click();
    const readRe = new RegExp(`^/api/servers/${server}/files/read`);
    const r = await call(page, 'GET', readRe, open, 10_000).catch(() => call(page, 'GET', readRe, open));
    const d = await json(r);
    if (d?.content !== upBody) throw new Error(`read gave ${JSON.stringify(short(d?.content, 60))}, uploaded ${JSON.stringify(upBody)}`);
    await expectVisible(page, page.locator('.cm-content'), 'the editor');
    return `GET read ${r.status()}, content as uploaded`;
  }, [uploadOk, 'the upload failed']);
  await step('files', 'edit and save (write)', async () => {
    const ed = page.locator('.cm-content');
    await ed.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type(written);
    const r = await call(page, 'PUT', new RegExp(`^/api/servers/${server}/files/write`), () => page.getByRole('button', { name: 'Save' }).click());
    await page.getByRole('button', { name: 'back', exact: true }).click();
    // reopened, the editor shows the saved text (the console may answer from its own cache: the
    // download step below reads it back from the daemon)
    await page.getByText(upName, { exact: true }).first().click();
    await expectVisible(page, page.locator('.cm-content', { hasText: written }), 'the saved text in the reopened editor');
    await page.getByRole('button', { name: 'back', exact: true }).click();
    return `PUT write ${r.status()}, the reopened file shows the new text`;
  }, [readOk, 'the file did not open']);
  await step('files', 'download', async () => {
    const dl = page.waitForEvent('download', { timeout: T.short });
    dl.catch(() => {});
    const resp = page.waitForResponse((r) => r.url().includes('/files/download'), { timeout: T.short });
    resp.catch(() => {});
    await rowMenu(upName, 'Download');
    const r = await resp.catch(() => null);
    if (r && r.status() >= 400) throw new Error(`GET ${new URL(r.url()).pathname} -> HTTP ${r.status()} ${short(await r.text().catch(() => ''))}`);
    const d = await dl.catch(() => null);
    if (!d) throw new Error(r ? `GET download ${r.status()} but no download started` : 'no download request seen');
    const body = fs.readFileSync(await d.path(), 'utf8');
    if (body !== written) throw new Error(`downloaded ${JSON.stringify(short(body, 60))}, expected the saved text`);
    return `download "${d.suggestedFilename()}" with the saved text`;
  }, [uploadOk, 'the upload failed']);
  const renamed = `e2e-renamed-${runId}.txt`;
  const renameOk = await step('files', 'rename', async () => {
    await rowMenu(upName, 'Rename');
    const input = page.getByRole('dialog').getByRole('textbox');
    await input.fill(renamed);
    const r = await call(page, 'POST', new RegExp(`^/api/servers/${server}/files/rename`), () => page.getByRole('dialog').getByRole('button', { name: 'Rename' }).click());
    await expectVisible(page, page.getByText(renamed, { exact: true }), `${renamed} in the list`);
    return `POST rename ${r.status()}, renamed file listed`;
  }, [uploadOk, 'the upload failed']);
  await step('files', 'delete', async () => {
    await rowMenu(renamed, 'Delete');
    const r = await call(page, 'DELETE', new RegExp(`^/api/servers/${server}/files\\?`), () => page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click());
    await page.getByText(renamed, { exact: true }).first().waitFor({ state: 'detached', timeout: T.short });
    return `DELETE files ${r.status()}, file gone from the list`;
  }, [renameOk, 'the rename failed']);

  // --- players (server running) -----------------------------------------------------------------
  const P = 'E2e_Alice';
  const O = 'E2e_Bob';
  const B = 'E2e_Carol';
  await step('players', 'open (online players)', async () => {
    const r = await call(page, 'GET', /^\/api\/players(\?|$)/, () => page.goto(`${consoleUrl}/players`));
    const d = await json(r);
    return `GET /api/players ${r.status()}: ${JSON.stringify(d?.players ?? d).slice(0, 60)}`;
  });
  const ptab = (name) => page.getByRole('tab', { name });
  await step('players', 'whitelist: list', async () => {
    const r = await call(page, 'GET', /^\/api\/players\/whitelist\?/, () => ptab('Whitelist').click());
    const d = await json(r);
    return `GET whitelist ${r.status()}: total ${d?.total}, enabled ${d?.enabled}`;
  });
  await step('players', 'whitelist: turn on', async () => {
    const sw = page.getByRole('checkbox', { name: 'Toggle whitelist' });
    await expectVisible(page, sw, 'whitelist switch');
    const r = await call(page, 'PUT', /^\/api\/players\/whitelist\/status/, () => sw.click());
    return `PUT whitelist/status ${r.status()}: ${short(await r.text(), 60)}`;
  });
  const wlAddOk = await step('players', `whitelist: add ${P}`, async () => {
    await page.getByPlaceholder('Player name').fill(P);
    const r = await call(page, 'POST', /^\/api\/players\/whitelist$/, () => page.getByRole('button', { name: 'Add player to whitelist' }).click(), 30_000);
    await expectVisible(page, page.getByText(P, { exact: true }), `${P} in the whitelist`);
    return `POST whitelist ${r.status()}, ${P} listed`;
  });
  await step('players', `whitelist: remove ${P}`, async () => {
    const r = await call(page, 'DELETE', /^\/api\/players\/whitelist\?/, () => page.getByRole('button', { name: 'Remove from whitelist' }).first().click(), 30_000);
    await page.getByText(P, { exact: true }).first().waitFor({ state: 'detached', timeout: T.short });
    return `DELETE whitelist ${r.status()}, ${P} gone`;
  }, [wlAddOk, 'the add failed']);
  await step('players', 'operators: list', async () => {
    const r = await call(page, 'GET', /^\/api\/players\/op\?/, () => ptab('Operators').click());
    const d = await json(r);
    return `GET op ${r.status()}: count ${d?.count ?? d?.operators?.length}`;
  });
  const opAddOk = await step('players', `operators: add ${O} (level 4)`, async () => {
    await page.getByRole('button', { name: 'Add operator' }).click();
    await page.getByRole('dialog').getByLabel(/^Player Name/).fill(O);
    const r = await call(page, 'POST', /^\/api\/players\/op$/, () => page.getByRole('dialog').getByRole('button', { name: 'Add OP' }).click(), 30_000);
    await expectVisible(page, page.getByText(O, { exact: true }), `${O} among operators`);
    return `POST op ${r.status()}, ${O} listed`;
  });
  await step('players', `operators: change ${O} to level 2`, async () => {
    await page.getByRole('button', { name: 'Operator actions' }).first().click();
    await page.getByRole('menuitem', { name: 'Change Level' }).click();
    await page.getByRole('dialog').getByRole('radio').nth(1).check();
    const r = await call(page, 'PATCH', /^\/api\/players\/op\//, () => page.getByRole('dialog').getByRole('button', { name: 'Save Changes' }).click(), 30_000);
    return `PATCH op ${r.status()}`;
  }, [opAddOk, 'the add failed']);
  await step('players', `operators: remove ${O}`, async () => {
    await page.getByRole('button', { name: 'Operator actions' }).first().click();
    const r = await call(page, 'DELETE', /^\/api\/players\/op\?/, () => page.getByRole('menuitem', { name: 'Remove OP' }).click(), 30_000);
    await page.getByText(O, { exact: true }).first().waitFor({ state: 'detached', timeout: T.short });
    return `DELETE op ${r.status()}, ${O} gone`;
  }, [opAddOk, 'the add failed']);
  await step('players', 'bans: list', async () => {
    const r = await call(page, 'GET', /^\/api\/players\/ban\?/, () => ptab('Ban List').click());
    const d = await json(r);
    return `GET ban ${r.status()}: total ${d?.total ?? d?.players?.length}`;
  });
  const banOk = await step('players', `bans: ban ${B}`, async () => {
    await page.getByRole('button', { name: 'Ban player' }).click();
    await page.getByRole('dialog').getByLabel(/^Player Name/).fill(B);
    await page.getByRole('dialog').getByLabel(/^Reason/).fill('e2e check');
    const r = await call(page, 'POST', /^\/api\/players\/ban$/, () => page.getByRole('dialog').getByRole('button', { name: 'Ban' }).click(), 30_000);
    await expectVisible(page, page.getByText(B, { exact: true }), `${B} in the ban list`);
    return `POST ban ${r.status()}, ${B} listed`;
  });
  await step('players', `bans: unban ${B}`, async () => {
    const r = await call(page, 'DELETE', /^\/api\/players\/ban\?/, () => page.getByRole('button', { name: 'Unban player' }).first().click(), 30_000);
    await page.getByText(B, { exact: true }).first().waitFor({ state: 'detached', timeout: T.short });
    return `DELETE ban ${r.status()}, ${B} gone`;
  }, [banOk, 'the ban failed']);

  // --- worlds -------------------------------------------------------------------------------------
  await step('worlds', 'list', async () => {
    const r = await call(page, 'GET', /^\/api\/worlds$/, () => page.goto(`${consoleUrl}/worlds`));
    return `GET /api/worlds ${r.status()}: ${(await json(r))?.worlds?.length ?? '?'} worlds`;
  });
  await step('worlds', `create ${world}`, async () => {
    await page.getByRole('button', { name: 'Create World' }).first().click();
    await page.getByRole('dialog').getByLabel(/^World Name/).fill(world);
    await page.getByRole('dialog').getByLabel(/^Seed/).fill('12345');
    const r = await call(page, 'POST', /^\/api\/worlds$/, () => page.getByRole('dialog').getByRole('button', { name: 'Create', exact: true }).click(), 30_000);
    await expectVisible(page, page.getByText(world, { exact: true }), `${world} in the list`);
    return `POST /api/worlds ${r.status()}, listed`;
  });
  const worldCard = () => page.locator('.MuiCard-root', { has: page.getByText(world, { exact: true }) });
  await step('worlds', `assign ${world} to ${server}`, async () => {
    await worldCard().getByRole('button', { name: 'Assign world' }).click();
    const dlg = page.getByRole('dialog');
    await dlg.locator('[role="combobox"], [aria-haspopup="listbox"]').first().click();
    await page.getByRole('option', { name: new RegExp(server) }).first().click();
    const r = await call(page, 'POST', new RegExp(`^/api/worlds/${world}/assign`), () => dlg.getByRole('button', { name: 'Assign' }).click(), 30_000);
    return `POST assign ${r.status()}: ${short(await r.text(), 80)}`;
  });
  await step('worlds', `release ${world}`, async () => {
    const r = await call(page, 'POST', new RegExp(`^/api/worlds/${world}/release`), () => worldCard().getByRole('button', { name: 'Release world' }).click(), 30_000);
    return `POST release ${r.status()}`;
  });
  await step('worlds', `delete ${world}`, async () => {
    await worldCard().getByRole('button', { name: 'Delete world' }).click();
    await page.getByRole('dialog').getByLabel(/^World name/).fill(world);
    const r = await call(page, 'DELETE', new RegExp(`^/api/worlds/${world}`), () => page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click(), 30_000);
    await page.getByText(world, { exact: true }).first().waitFor({ state: 'detached', timeout: T.short });
    return `DELETE world ${r.status()}, gone from the list`;
  });

  // --- power: restart, stop; then what needs a stopped server ----------------------------------
  await step('server detail', 'restart', async () => {
    await openDetail();
    await call(page, 'POST', new RegExp(`^/api/servers/${server}/restart$`), () => page.getByRole('button', { name: 'Restart', exact: true }).click(), T.power);
    await expectVisible(page, page.getByRole('button', { name: 'Stop', exact: true }), 'Stop button after restart', T.power);
    return 'POST restart 200, running again';
  });
  await step('server detail', 'stop', async () => {
    await openDetail();
    await call(page, 'POST', new RegExp(`^/api/servers/${server}/stop$`), () => page.getByRole('button', { name: 'Stop', exact: true }).click(), T.power);
    await expectVisible(page, page.getByRole('button', { name: 'Start', exact: true }), 'Start button after stop', T.power);
    return 'POST stop 200, stopped (Start shown)';
  });
  await step('players', `whitelist on a stopped server: add ${P}`, async () => {
    await page.goto(`${consoleUrl}/players`);
    await call(page, 'GET', /^\/api\/players\/whitelist\?/, () => ptab('Whitelist').click());
    await page.getByPlaceholder('Player name').fill(P);
    const r = await call(page, 'POST', /^\/api\/players\/whitelist$/, () => page.getByRole('button', { name: 'Add player to whitelist' }).click(), 30_000);
    await expectVisible(page, page.getByText(P, { exact: true }), `${P} in the whitelist`);
    return `POST whitelist ${r.status()} (server stopped), ${P} listed`;
  });
  await step('options', 'reset world (stopped server)', async () => {
    await tab('Options');
    const open = page.getByRole('button', { name: 'Reset World' }).first();
    await expectVisible(page, open, 'Reset World button');
    for (let i = 0; i < 30 && !(await open.isEnabled()); i++) await page.waitForTimeout(1000);
    await open.click();
    const dlg = page.getByRole('dialog');
    await dlg.getByRole('textbox').fill('RESET');
    const r = await call(page, 'POST', new RegExp(`^/api/servers/${server}/world/reset$`), () => dlg.getByRole('button', { name: 'Reset World' }).click(), 30_000);
    return `POST world/reset ${r.status()}`;
  });

  // --- activity and audit log ----------------------------------------------------------------------
  await step('server detail', 'Activity tab (server audit log)', async () => {
    const r = await call(page, 'GET', /^\/api\/audit-logs\?/, () => tab('Activity'));
    return `GET audit-logs ${r.status()}: total ${(await json(r))?.total}`;
  });
  await step('audit log', 'list', async () => {
    const r = await call(page, 'GET', /^\/api\/audit-logs(\?|$)/, () => page.goto(`${consoleUrl}/audit-logs`));
    const d = await json(r);
    return `GET audit-logs ${r.status()}: total ${d?.total}, first ${d?.logs?.[0]?.action ?? '-'}`;
  });
  await step('audit log', 'stats', async () => {
    const r = await call(page, 'GET', /^\/api\/audit-logs\/stats/, () => page.reload());
    return `GET audit-logs/stats ${r.status()}: ${short(await r.text(), 80)}`;
  });
  const entriesOk = await step('audit log', `entries for ${server} shown`, async () => {
    await expectVisible(page, page.locator('tr', { hasText: server }), `a row naming ${server}`);
    return `${await page.locator('tr', { hasText: server }).count()} rows name ${server}`;
  });
  await step('audit log', 'open an entry', async () => {
    await page.locator('tr', { hasText: server }).first().click();
    // the detail drawer (a hidden dialog of another page part may also be in the DOM)
    await expectVisible(page, page.getByText('Related Logs', { exact: true }), 'entry detail');
    return 'entry detail shown';
  }, [entriesOk, 'no entry listed']);

  // --- settings page ---------------------------------------------------------------------------------
  await step('settings', 'open (profile)', async () => {
    await page.keyboard.press('Escape').catch(() => {});
    await page.goto(`${consoleUrl}/settings`);
    await expectVisible(page, page.locator(`input[value="${user.email}"]`), 'the profile with our email');
    return 'profile shown with our email and role';
  });

  // --- delete the server ---------------------------------------------------------------------------
  await step('server detail', `delete server ${server}`, async () => {
    await openDetail();
    await page.locator('button:has([data-testid="MoreVertIcon"])').first().click();
    await page.getByRole('menuitem', { name: 'Delete Server' }).click();
    await page.getByRole('dialog').getByLabel(/^Server name/).fill(server);
    const r = await call(page, 'DELETE', new RegExp(`^/api/servers/${server}`), () => page.getByRole('dialog').getByRole('button', { name: /Delete/ }).last().click(), T.power);
    return `DELETE server ${r.status()}`;
  });
}

// ---------------------------------------------------------------------------------------------

function printTable() {
  const w = (k) => Math.min(60, Math.max(k.length, ...rows.map((r) => String(r[k]).length)));
  const wp = w('page'), wa = w('action');
  const line = (p, a, s, seen) => `${p.padEnd(wp)} | ${a.padEnd(wa)} | ${s.padEnd(4)} | ${seen}`;
  console.log(line('page', 'action', 'ok', 'seen'));
  console.log(`${'-'.repeat(wp)}-+-${'-'.repeat(wa)}-+------+-${'-'.repeat(40)}`);
  for (const r of rows) console.log(line(r.page, r.action, r.ok ? 'OK' : 'FAIL', r.seen));
  if (failedBff.length) {
    console.log('\nBFF responses >= 400 during the run (method path -> status: body):');
    const seen = new Map();
    for (const f of failedBff) {
      const k = `${f.method} ${f.path} -> ${f.status}: ${f.body}`;
      seen.set(k, (seen.get(k) || 0) + 1);
    }
    for (const [k, n] of seen) console.log(`  ${n > 1 ? `${n}x ` : ''}${k}`);
  }
  const ok = rows.filter((r) => r.ok).length;
  console.log(`\n${ok} of ${rows.length} pages and actions work`);
}

async function main() {
  let browser;
  let exit = 0;
  try {
    const { app } = await setup();
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox'] });
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1440, height: 1000 } });
    context.setDefaultTimeout(T.short);
    const page = await context.newPage();
    page.on('response', async (r) => {
      const u = new URL(r.url());
      if (!u.pathname.startsWith('/api/') || r.status() < 400) return;
      const body = await r.text().catch(() => '');
      failedBff.push({ method: r.request().method(), path: u.pathname.replace(/[?].*/, ''), status: r.status(), body: short(body, 120) });
    });
    page.on('pageerror', (e) => pageErrors.push(short(e?.message || e, 200)));
    currentPage = page;
    await walk(page, path.join(runDir, 'console.db'), app);
  } catch (e) {
    console.error(`[e2e] setup or run failed: ${e?.stack || e}`);
    rows.push({ page: 'setup', action: 'build console, start daemon and console', ok: false, seen: short(e?.message || e, 300) });
    exit = 2;
  } finally {
    if (browser) await browser.close().catch(() => {});
    await stopChildren();
    removeOurContainers();
    printTable();
    console.log(`(logs: ${runDir})`);
  }
  process.exit(exit || (rows.every((r) => r.ok) ? 0 : 1));
}

process.on('SIGINT', async () => { await stopChildren(); removeOurContainers(); process.exit(130); });
main();
