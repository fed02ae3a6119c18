// The sandbox in a real browser: starts `microalign sandbox` on a free port with a fresh database
// and its clock on Wednesday 10 June 2026, 09:00 UTC (10:00 in Lisbon), then drives headless
// Chromium through Debian's chromedriver (W3C WebDriver over HTTP, spoken here with Node's own
// fetch: no packages) as a person would: types a /status as Ana, sees its echo and her private
// receipt, checks that typed markup stays text, moves the clock a week, opens the nudge that comes
// in her direct messages and clicks "Still on track". Screenshots go to the artifacts directory.
//
//   node browser_test.mjs <microalign binary> <artifacts directory>
//
// Exit status: 0 passed, 1 failed, 77 skipped (no Chromium or chromedriver: deploy/test.sh
// installs them).
import {spawn} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

const [binary, artifacts] = process.argv.slice(2);
if (!binary || !artifacts) {
  console.error('usage: node browser_test.mjs <microalign binary> <artifacts directory>');
  process.exit(2);
}
const chromium = process.env.CHROMIUM || '/usr/bin/chromium';
const chromedriver = process.env.CHROMEDRIVER || '/usr/bin/chromedriver';
for (const [what, path] of [['Chromium', chromium], ['chromedriver', chromedriver]]) {
  if (!existsSync(path)) {
    console.log(`skipped: ${what} not found at ${path}; deploy/test.sh installs Debian's chromium and chromium-driver`);
    process.exit(77);
  }
}

const scratch = mkdtempSync(join(tmpdir(), 'microalign-browser-'));
mkdirSync(artifacts, {recursive: true});
const children = [];
let bot_log = '';

function free_port() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what, check, limit_ms = 10000) {
  const deadline = Date.now() + limit_ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting for ' + what);
    await sleep(100);
  }
}

// ---- The bot ------------------------------------------------------------------------------------

function start_sandbox() {
  const bot = spawn(binary, ['sandbox'], {
    env: {
      PATH: process.env.PATH,
      MICROALIGN_HTTP_ADDR: '127.0.0.1:0',
      MICROALIGN_DB: join(scratch, 'sandbox.db'),
      MICROALIGN_SANDBOX_START: '2026-06-10T09:00:00Z',
      MICROALIGN_LOG: 'info',
    },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  children.push(bot);
  const exited = new Promise((resolve) => bot.on('exit', (code, signal) => resolve(signal ? 128 : code)));
  const address = new Promise((resolve, reject) => {
    bot.stderr.on('data', (chunk) => {
      bot_log += chunk.toString();
      const found = /open (http:\/\/\S+\/) in your browser/.exec(bot_log);
      if (found) resolve(found[1]);
    });
    bot.on('exit', () => reject(new Error('microalign sandbox exited before it served:\n' + bot_log)));
  });
  return {bot, exited, address};
}

// ---- WebDriver ----------------------------------------------------------------------------------

const element_key = 'element-6066-11e4-a52e-4f735466cecf';

class Driver {
  constructor(base) {
    this.base = base;
  }

  async call(method, path, body) {
    const response = await fetch(this.base + path, {
      method,
      headers: {'Content-Type': 'application/json'},
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = await response.json();
    if (!response.ok) throw new Error(`${method} ${path}: ${JSON.stringify(answer.value).slice(0, 500)}`);
    return answer.value;
  }

  async open() {
    const session = await this.call('POST', '/session', {
      capabilities: {
        alwaysMatch: {
          browserName: 'chrome',
          'goog:chromeOptions': {
            binary: chromium,
            // As the machine's notes say: no sandbox as root, no GPU, and none of Chromium's own
            // network traffic (this machine's network is closed), in a profile of its own.
            args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                   '--disable-background-networking', '--disable-component-update', '--disable-sync',
                   '--disable-dev-shm-usage', '--window-size=1280,860', '--user-data-dir=' + join(scratch, 'profile')],
          },
        },
      },
    });
    this.session = '/session/' + session.sessionId;
  }

  close() {
    return this.session ? this.call('DELETE', this.session).catch(() => {}) : Promise.resolve();
  }

  go(url) {
    return this.call('POST', this.session + '/url', {url});
  }

  // Runs `script` in the page (a function body; `arguments` are `args`) and returns its result.
  run(script, ...args) {
    return this.call('POST', this.session + '/execute/sync', {script, args});
  }

  async find(css, limit_ms) {
    return until(css, async () => {
      const found = await this.call('POST', this.session + '/elements', {using: 'css selector', value: css});
      return found.length > 0 ? found[0][element_key] : null;
    }, limit_ms);
  }

  // Finds the element and acts on it; found again when the page re-rendered it in between (it
  // polls the bot and redraws), as a person would simply click again.
  async act(css, what, body) {
    for (let attempt = 1; ; ++attempt) {
      const id = await this.find(css);
      try {
        return await this.call('POST', `${this.session}/element/${id}/${what}`, body);
      } catch (e) {
        if (attempt >= 5 || !String(e.message).includes('stale element')) throw e;
      }
    }
  }

  async click(css) {
    await this.act(css, 'click', {});
  }

  async type(css, text) {
    await this.act(css, 'value', {text});
  }

  async screenshot(name) {
    const png = await this.call('GET', this.session + '/screenshot');
    const path = join(artifacts, name);
    writeFileSync(path, Buffer.from(png, 'base64'));
    console.log('screenshot: ' + path);
    return path;
  }
}

// The text of the first message in the stream that holds `needle`, among those everyone sees
// (`private_too`: or only this person), or null.
const message_with = `
  const [needle, private_too] = arguments;
  for (const m of document.querySelectorAll('#stream .message')) {
    if (!private_too && m.classList.contains('private')) continue;
    if (m.textContent.includes(needle)) return m.textContent;
  }
  return null;`;

async function see(driver, needle, private_too = false, limit_ms = 10000) {
  return until(`"${needle}" in the stream`, () => driver.run(message_with, needle, private_too), limit_ms);
}

// ---- The test -----------------------------------------------------------------------------------

async function main() {
  const {exited, address} = start_sandbox();
  const page = await address;
  console.log('sandbox at ' + page);

  const driver_port = await free_port();
  const driver_process = spawn(chromedriver, ['--port=' + driver_port], {stdio: 'ignore'});
  children.push(driver_process);
  const driver = new Driver(`http://127.0.0.1:${driver_port}`);
  await until('chromedriver', () => driver.call('GET', '/status').then((s) => s.ready).catch(() => false));
  await driver.open();
  try {
    await driver.go(page);
    await driver.find('#channels button[data-conversation="web"].current');
    const you = await driver.run('return document.getElementById("person").value;');
    if (you !== 'ana') throw new Error('the page should start as Ana, not ' + you);

    // A /status, typed and sent: its echo for everyone, and the receipt only Ana sees.
    await driver.type('#composer-text', '/status ENG-42 on track, draft PR up');
    await driver.click('#composer-send');
    await see(driver, 'ENG-42 on track, draft PR up');
    await see(driver, 'Saved', true);
    console.log('ok: the /status is echoed to #web, and receipted privately');

    // What people type stays text: no element is made of it, and no script of it runs.
    await driver.type('#composer-text', '/heads-up <img src=x onerror="window.pwned=1"><script>window.pwned=2</script> stays text');
    await driver.click('#composer-send');
    await see(driver, '<script>window.pwned=2</script> stays text');
    const safe = await driver.run('return window.pwned === undefined && !document.querySelector("#stream img, #stream script");');
    if (!safe) throw new Error('typed markup became part of the page');
    console.log('ok: typed markup stays text');

    // A week later, on Wednesday 17 June at 10:00 in Lisbon, ENG-42 has been quiet for five
    // working days: Ana's nudge comes to her direct messages.
    const before = await driver.run('return document.getElementById("clock").textContent;');
    await driver.click('button[data-advance="1w"]');
    const after = await until('the clock to move a week', async () => {
      const now = await driver.run('return document.getElementById("clock").textContent;');
      return now !== before && now.includes('17 Jun') ? now : null;
    });
    console.log(`ok: the clock moved from ${before} to ${after}`);
    await driver.find('#directs button .badge');
    await driver.click('#directs button');
    await driver.find('button.block-button[data-action-id="nudge.on_track"]');
    await see(driver, 'ENG-42 has gone quiet');
    await driver.screenshot('sandbox-nudge.png');

    await driver.click('button.block-button[data-action-id="nudge.on_track"]');
    await until('the nudge to be answered in place', () => driver.run(`
      return !document.querySelector('button.block-button[data-action-id="nudge.on_track"]') &&
             document.getElementById('stream').textContent.includes('still on track');`));
    console.log('ok: "Still on track" clicked, and the nudge rewritten in place');

    await driver.click('#channels button[data-conversation="web"]');
    await see(driver, 'ENG-42 still on track');
    console.log('ok: the answer is echoed to #web');
    await driver.screenshot('sandbox.png');
  } catch (error) {
    await driver.screenshot('sandbox-failure.png').catch(() => {});
    throw error;
  } finally {
    await driver.close();
    driver_process.kill('SIGTERM');
  }

  children[0].kill('SIGTERM');
  const status = await exited;
  if (status !== 0) throw new Error('microalign sandbox stopped with status ' + status + ':\n' + bot_log);
  console.log('ok: microalign sandbox stopped cleanly');
}

const watchdog = setTimeout(() => {
  console.error('the browser test took over two minutes');
  finish(1);
}, 120000);

function finish(status) {
  clearTimeout(watchdog);
  for (const child of children) {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  rmSync(scratch, {recursive: true, force: true});
  process.exit(status);
}

main().then(() => {
  console.log('1 passed, 0 failed');
  finish(0);
}, (error) => {
  console.error('FAILED: ' + (error.stack || error));
  if (bot_log) console.error('microalign sandbox said:\n' + bot_log);
  finish(1);
});
