// End-to-end: a programme of clicks a real user makes, in Debian's Chromium.
// Sign in, switch language, publish a scenario through the form, find it by a Chinese search,
// open its page, sign out. Screenshots of the key pages go to test-artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '..');
const bin = process.env.DUIJIE_BIN ?? join(root, 'target', 'debug', 'duijie');
const artifacts = join(root, 'test-artifacts');
let server, base, browser, dataDir;

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'duijie-e2e-'));
  const args = ['--data-dir', dataDir, 'serve', '--bind', '127.0.0.1:0'];
  const env = { ...process.env, DUIJIE_LOG: 'warn' };
  delete env.DATABASE_URL;
  server = spawn(bin, args, { stdio: ['ignore', 'pipe', 'inherit'], env });
  base = await new Promise((ok, fail) => {
    const lines = createInterface({ input: server.stdout });
    lines.on('line', (l) => { const m = l.match(/^duijie listening on (\S+)/); if (m) ok(m[1]); });
    server.on('exit', (code) => fail(new Error(`duijie serve exited with ${code}`)));
  });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  server?.kill();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('a member signs in, switches language, publishes a scenario, finds it by a Chinese search and signs out', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(base + '/');
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  await page.screenshot({ path: join(artifacts, 'home.png'), fullPage: true });

  await page.click('#login-link');
  await page.fill('#email', 'port@duijie.demo');
  await page.fill('#password', 'duijie-demo-2026');
  await page.click('#login-button');
  await page.waitForURL(base + '/workbench');
  assert.ok(await page.isVisible('#logout'), 'signed in');

  await page.click('#lang-switch');
  await page.waitForLoadState();
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.match(await page.textContent('h1'), /My workbench/);
  await page.screenshot({ path: join(artifacts, 'workbench-en.png'), fullPage: true });
  await page.click('#lang-switch');
  await page.waitForLoadState();
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');

  await page.goto(base + '/scenarios/new');
  await page.fill('#f-title_zh', '曹妃甸矿石码头夜间巡检机器人试点');
  await page.fill('#f-description_zh', '矿石码头三号皮带廊道需要夜间巡检机器人，替代人工识别托辊异响与跑偏。');
  await page.selectOption('#f-chain', 'robotics');
  await page.fill('#f-field', '港口自动化');
  await page.selectOption('#f-trl_required', '6');
  await page.selectOption('#f-region', 'hebei.tangshan.caofeidian');
  await page.fill('#f-budget_min_wan', '120');
  await page.fill('#f-budget_max_wan', '300');
  await page.selectOption('#f-status', 'published');
  await page.screenshot({ path: join(artifacts, 'scenario-form.png'), fullPage: true });
  await page.click('#save');
  await page.waitForURL(/\/scenarios\/\d+$/);
  const scenarioUrl = page.url();
  assert.match(await page.textContent('h1'), /夜间巡检机器人试点/);

  await page.goto(base + '/search');
  await page.fill('#q', '夜间巡检');
  await page.click('#search-button');
  await page.waitForURL(/\/search\?q=/);
  const hit = page.locator('#scenario-results a', { hasText: '曹妃甸矿石码头夜间巡检机器人试点' });
  await hit.first().click();
  await page.waitForURL(scenarioUrl);
  assert.match(await page.textContent('.facts'), /120–300 万元/);
  await page.screenshot({ path: join(artifacts, 'scenario-detail.png'), fullPage: true });

  await page.click('#logout');
  await page.waitForURL(base + '/');
  assert.ok(await page.isVisible('#login-link'), 'signed out');
  await page.close();
});

test('a visitor pastes a need, gets explained matches and follows one to its page', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(base + '/');
  await navTo(page, '/match');
  await page.fill('#f-q', '港口皮带机廊道需要巡检机器人，识别托辊异响和跑偏');
  await page.selectOption('#f-trl', '7');
  await page.click('#match-button');
  await page.waitForSelector('#matches li.match');
  const first = page.locator('#matches li.match').first();
  assert.match(await first.textContent(), /巡检/);
  assert.ok(await first.locator('li[data-kind="maturity"]').count() === 1, 'maturity is explained');
  await page.screenshot({ path: join(artifacts, 'match.png'), fullPage: true });
  await first.locator('.match-head > a').click();
  await page.waitForSelector('#matches');
  assert.match(await page.textContent('#matches h2'), /适配场景/);
  assert.ok(await page.locator('#matches li.match').count() > 0, 'the achievement lists scenarios');
  await page.close();
});

// Follow a link of the top menu, opening its group first.
async function navTo(page, href) {
  const link = page.locator(`nav a[href="${href}"]`);
  const group = link.locator('xpath=ancestor::details[1]');
  if (await group.count() && !(await group.evaluate((d) => d.open))) await group.locator('summary').click();
  await link.click();
}

async function signIn(page, email) {
  await page.goto(base + '/login');
  await page.fill('#email', email);
  await page.fill('#password', 'duijie-demo-2026');
  await page.click('#login-button');
  await page.waitForURL(base + '/workbench');
}

test('an organiser schedules a Scenario Gathering; a member sees the agenda and records an outcome', async () => {
  const officer = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await officer.newPage();
  await signIn(page, 'officer@duijie.demo');
  await navTo(page, '/gatherings');
  await page.click('#gatherings a');
  await page.click('#run-schedule');
  await page.waitForSelector('#report');
  assert.equal((await page.textContent('#report-gap')).trim(), '0.00%');
  assert.ok(Number(await page.textContent('#report-meetings')) >= 10, 'meetings scheduled');
  assert.ok(await page.locator('#meetings tbody tr').count() >= 10, 'the organiser sees every meeting');
  await page.screenshot({ path: join(artifacts, 'gathering-organiser.png'), fullPage: true });
  await page.click('#grid-link');
  await page.waitForSelector('#grid');
  assert.ok(await page.locator('#grid td b').count() >= 20, 'the grid shows both people of each meeting');
  await page.screenshot({ path: join(artifacts, 'gathering-grid.png'), fullPage: true });
  await officer.close();

  const member = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const mp = await member.newPage();
  await signIn(mp, 'port@duijie.demo');
  await mp.goto(base + '/gatherings');
  await mp.click('#gatherings a');
  // Block the last slot, then record an outcome of the first meeting.
  const box = mp.locator('.availability input[type=checkbox]').last();
  await box.check();
  await mp.locator('.availability button').first().click();
  await mp.waitForLoadState();
  assert.ok(await mp.locator('.availability input[type=checkbox]').last().isChecked(), 'the blocked slot is saved');
  const form = mp.locator('.outcome-form').first();
  await form.locator('select').selectOption('pilot');
  await form.locator('button').click();
  await mp.waitForLoadState();
  assert.equal((await mp.textContent('#outcome-pilot')).trim(), '1');
  await mp.click('.agenda-link');
  await mp.waitForSelector('#agenda');
  assert.ok(await mp.locator('#agenda tbody tr').count() >= 1, 'the agenda lists meetings');
  assert.match(await mp.getAttribute('#ics', 'href'), /\/ics$/);
  await mp.screenshot({ path: join(artifacts, 'gathering-agenda.png'), fullPage: true });
  await member.close();
});

test('a team accepts the terms and applies; the officer assigns conflict-free reviewers; an expert scores', async () => {
  const team = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const tp = await team.newPage();
  await signIn(tp, 'robot@duijie.demo');
  await navTo(tp, '/challenges');
  await tp.click('#challenges a');
  assert.equal(await tp.locator('#confidential').count(), 0, 'confidential details hidden before the terms');
  await tp.check('#agree');
  await tp.click('#accept-terms');
  await tp.waitForSelector('#confidential');
  await tp.fill('#f-app-title', '托辊声纹与视觉融合诊断');
  await tp.fill('#f-plan', '巡检机器人搭载麦克风阵列与相机，识别托辊异响、卡阻与跑偏。');
  await tp.fill('#f-budget', '260');
  await tp.click('#apply');
  await tp.waitForSelector('#applications');
  assert.match(await tp.textContent('#applications'), /托辊声纹与视觉融合诊断/);
  await tp.screenshot({ path: join(artifacts, 'challenge-applicant.png'), fullPage: true });
  await team.close();

  const office = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const op = await office.newPage();
  await signIn(op, 'officer@duijie.demo');
  await op.goto(base + '/challenges');
  await op.click('#challenges a');
  op.on('dialog', (d) => d.accept());
  await op.click('#close');
  await op.waitForSelector('#assign');
  await op.click('#assign');
  await op.waitForSelector('#applications .reviewer');
  assert.equal(await op.locator('#applications .reviewer').count(), 2, 'two reviewers');
  await op.screenshot({ path: join(artifacts, 'challenge-officer.png'), fullPage: true });
  const url = op.url().split('#')[0];
  await office.close();

  // Whoever was assigned first scores it.
  const experts = ['expert@duijie.demo', 'expert2@duijie.demo', 'expert3@duijie.demo', 'expert4@duijie.demo', 'expert5@duijie.demo'];
  let scored = false;
  for (const email of experts) {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const ep = await ctx.newPage();
    await signIn(ep, email);
    await ep.goto(url);
    if (await ep.locator('.review-form').count() > 0) {
      const form = ep.locator('.review-form').first();
      for (const input of await form.locator('input[type=number]').all()) await input.fill('8');
      await form.locator('button').click();
      await ep.waitForLoadState();
      assert.match(await ep.textContent('#tasks'), /已提交|Submitted/);
      await ep.screenshot({ path: join(artifacts, 'challenge-expert.png'), fullPage: true });
      scored = true;
    }
    await ctx.close();
    if (scored) break;
  }
  assert.ok(scored, 'an assigned expert scored the application');
});

test('the site is usable on a phone-sized screen', async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
  await page.goto(base + '/scenarios');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no sideways scrolling (page is ${width}px wide)`);
  await page.screenshot({ path: join(artifacts, 'scenarios-phone.png'), fullPage: false });
  await page.close();
});

test('an enterprise registers an R&D project, imports a time sheet and reads the ledger; an expert gives an opinion', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  await signIn(page, 'port@duijie.demo');
  await navTo(page, '/rnd');
  await page.click('#open-rnd-year');
  await page.waitForSelector('#summary');
  assert.equal((await page.textContent('#deduction')).trim(), '3,225,214.29');
  const year = page.url().match(/\/rnd\/\d+\/(\d+)/)[1];

  // A new project through the guided form: the check says it is likely R&D.
  await page.click('#new-rnd-project');
  await page.fill('#f-code', `E2E-${year}`);
  await page.fill('#f-name', '矿用巡检机器人井下定位');
  await page.fill('#f-goal', '井下无 GPS 环境下的巡检机器人定位');
  await page.fill('#f-targets', '定位误差 ≤ 2 cm');
  await page.fill('#f-innovation', '激光与 UWB 融合定位');
  await page.fill('#f-uncertainty', '巷道粉尘下激光特征能否稳定提取未知');
  await page.fill('#f-team', '李工\n张工');
  for (const box of ['#f-approved', '#f-has_plan', '#f-has_milestones', '#f-test_records']) await page.check(box);
  await page.check('input[name=evidence][value=test_report]');
  await page.fill('#f-personnel', '200000');
  await page.click('#save-rnd-project');
  await page.waitForSelector('#verdict');
  assert.match(await page.textContent('#verdict'), /可能属于研发活动/);
  assert.ok(await page.locator('#findings a.clause').count() > 0, 'findings link to their rules');
  await page.screenshot({ path: join(artifacts, 'rnd-project.png'), fullPage: true });

  // A time sheet for the test rig: its 48 000 now go to project 1; the new project adds 200 000.
  await page.goto(base + '/rnd');
  await page.click('#open-rnd-year');
  await page.setInputFiles('#f-hours-file', {
    name: 'rig.csv', mimeType: 'text/csv',
    buffer: Buffer.from(`日期,人员/设备,项目,工时\n${year}-06-01,托辊检测台架,TS-RD-${year}-01,8\n`),
  });
  await page.click('#import-hours');
  await page.waitForSelector('#rnd-imports');
  assert.equal((await page.textContent('#deduction')).trim(), '3,473,214.29');
  await page.click('#open-ledger');
  await page.waitForSelector('#a107012');
  assert.equal((await page.textContent('#ledger-deduction')).trim(), '3,473,214.29');
  assert.ok(await page.locator('#trace tbody tr').count() > 10, 'the calculation line by line');
  await page.screenshot({ path: join(artifacts, 'rnd-ledger.png'), fullPage: true });
  await ctx.close();

  const ex = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const ep = await ex.newPage();
  await signIn(ep, 'expert@duijie.demo');
  await ep.goto(base + '/rnd/reviews');
  await ep.click('#rnd-reviews a');
  await ep.waitForSelector('#opinion-form');
  assert.equal(await ep.locator('#costs').count(), 0, 'experts do not see the money');
  await ep.selectOption('#f-verdict', 'doubtful');
  await ep.fill('#f-opinion', '请补充量化指标和试验记录。');
  await ep.click('#give-opinion');
  await ep.waitForSelector('#opinions .opinion');
  assert.match(await ep.textContent('#opinions'), /请补充量化指标/);
  await ex.close();
});

test('from prototype to product: a platform suggested and booked, a result recorded, funds explained, a chain gap, a stuck case and the statistics', async () => {
  const team = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const tp = await team.newPage();
  await signIn(tp, 'robot@duijie.demo');
  await navTo(tp, '/platforms');
  await tp.selectOption('#suggest-for', { label: '港口用轨道式智能巡检机器人' });
  await tp.click('#platform-filter');
  await tp.waitForSelector('#platforms td.score');
  assert.match(await tp.textContent('#platforms tbody tr:first-child'), /机器人中试熟化平台/, 'the robotics platform fits best');
  assert.match(await tp.textContent('#platforms tbody tr:first-child'), /同一产业链/);
  await tp.click('#platforms tbody tr:first-child a');
  await tp.fill('#f-wanted_from', '2099-05-04');
  await tp.fill('#f-days', '2');
  await tp.click('#request-service');
  await tp.waitForSelector('#request-list');
  assert.ok(await tp.locator('#request-list tr[data-status="requested"]').count() >= 1);
  const platformUrl = tp.url().split('#')[0];
  await navTo(tp, '/cases');
  await tp.waitForSelector('#stuck');
  assert.match(await tp.textContent('#stuck'), /首台（套）保险投保/);
  await tp.screenshot({ path: join(artifacts, 'cases.png'), fullPage: true });
  await team.close();

  const office = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const op = await office.newPage();
  await signIn(op, 'officer@duijie.demo');
  await op.goto(platformUrl);
  const row = op.locator('#request-list tr', { hasText: '2099-05-04' }).first();
  await row.locator('.schedule-form button').click();
  await op.waitForSelector('#request-list');
  const booked = op.locator('#request-list tr[data-status="scheduled"]', { hasText: '2099-05-04' }).first();
  await booked.locator('.result-form input[name=report]').fill('检测通过');
  await booked.locator('.result-form button').click();
  await op.waitForSelector('#request-list tr[data-status="done"]');
  assert.equal(await op.locator('#capacity tbody tr').count(), 6, 'six weeks of capacity');
  await op.screenshot({ path: join(artifacts, 'platform.png'), fullPage: true });

  await navTo(op, '/funds');
  await op.click('#funds a >> nth=1');
  await op.waitForSelector('#matches');
  assert.match(await op.textContent('#matches li.match:first-child'), /领域相符/);
  await op.screenshot({ path: join(artifacts, 'fund.png'), fullPage: true });

  await navTo(op, '/chains');
  await op.click('#chains a[href="/chains/robotics"]');
  await op.waitForSelector('#chain-map');
  assert.ok(await op.locator('#chain-map .link-card[data-level="gap"]').count() >= 1, 'gaps are shown');
  await op.screenshot({ path: join(artifacts, 'chain.png'), fullPage: true });

  await navTo(op, '/outcomes');
  const before = Number(await op.textContent('#t-companies'));
  const services = Number(await op.textContent('#t-services'));
  assert.equal(services, 3, 'the demo\'s two delivered services and the one just completed');
  await op.fill('#f-o-title', '某京津成果唐山落地公司');
  await op.fill('#f-o-date', '2026-04-01');
  await op.click('#record-outcome');
  await op.waitForSelector('#outcome-list');
  assert.equal(Number(await op.textContent('#t-companies')), before + 1);
  assert.equal(await op.locator('#stage-figures .hbar').count(), 6, 'the stage figures are drawn');
  assert.ok(await op.locator('details.data:not([open])').count() >= 3, 'the figures behind each chart are behind a toggle');
  await op.screenshot({ path: join(artifacts, 'outcomes.png'), fullPage: true });
  await office.close();
});

test('docking to a deal: a request accepted, contacts and messages, a contract recorded and registered, the headline figure grows', async () => {
  const wan = async (page) => Number((await page.textContent('#h-beijing_to_tianjin_hebei')).replace(/,/g, ''));
  const year = String(new Date(Date.now() + 8 * 3600e3).getUTCFullYear());
  const visitor = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await visitor.goto(`${base}/outcomes?year=${year}`);
  const before = await wan(visitor);
  const found = await (await visitor.request.get(base + '/api/v1/scenarios?q=曹妃甸港区皮带机巡检机器人&per_page=5')).json();
  const scenario = found.items.find((s) => s.key === 'scn-demo-001').id;
  await visitor.close();

  // The lab asks for docking on the port's scenario.
  const labCtx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const lab = await labCtx.newPage();
  lab.on('dialog', (d) => d.accept());
  await signIn(lab, 'lab@duijie.demo');
  await lab.goto(`${base}/scenarios/${scenario}`);
  await lab.selectOption('#f-want', 'joint_development');
  await lab.fill('#f-docking-message', '我所巡检机器人可在曹妃甸联合开发');
  await lab.click('#request-docking');
  await lab.waitForSelector('#notice');
  assert.match(await lab.textContent('#notice'), /对接请求已发送/);
  const docking = lab.url().split('/dockings/')[1].split('?')[0];

  // The port accepts; both see the other's contact and write.
  const portCtx = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const port = await portCtx.newPage();
  port.on('dialog', (d) => d.accept());
  await signIn(port, 'port@duijie.demo');
  assert.ok(await port.locator('#docking-count').count() > 0, 'the top bar counts the request');
  await port.goto(`${base}/dockings/${docking}`);
  await port.click('#accept');
  await port.waitForSelector('#contact-person');
  await port.fill('#f-body', '欢迎来港踏勘');
  await port.click('#send');
  await port.waitForSelector('#notice');
  await port.screenshot({ path: join(artifacts, 'docking-phone.png'), fullPage: true });
  await lab.goto(`${base}/dockings/${docking}`);
  assert.match(await lab.textContent('#contact-person'), /0315-8800 6006/);
  assert.match(await lab.textContent('#messages'), /欢迎来港踏勘/);
  await lab.fill('#f-body', '好的，下周见');
  await lab.click('#send');
  await lab.waitForSelector('#notice');

  // The lab records the contract from the docking: the parties come prefilled.
  await lab.click('#contract-link a');
  await lab.waitForSelector('#contract-form');
  await lab.fill('#f-title', '皮带机巡检机器人合作开发合同');
  await lab.fill('#f-total_amount', '1,200,000');
  await lab.fill('#f-transaction_amount', '1,000,000');
  await lab.click('#record');
  await lab.waitForSelector('#notice');
  assert.match(await lab.textContent('#status'), /待登记/);
  const contract = lab.url().split('/contracts/')[1].split('?')[0];
  await lab.screenshot({ path: join(artifacts, 'contract-pending.png'), fullPage: true });
  await labCtx.close();
  await portCtx.close();

  // The registrar registers it; the Beijing → Tianjin-Hebei figure grows by 100 (万元).
  const regCtx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const reg = await regCtx.newPage();
  reg.on('dialog', (d) => d.accept());
  await signIn(reg, 'registrar@duijie.demo');
  await reg.goto(`${base}/contracts?status=pending`);
  await reg.click(`#contracts a[href="/contracts/${contract}"]`);
  await reg.click('#register');
  await reg.waitForSelector('#registration-no');
  assert.match(await reg.textContent('#status'), /已登记/);
  await reg.goto(`${base}/outcomes?year=${year}`);
  assert.ok(Math.abs((await wan(reg)) - (before + 100)) < 0.01, 'the headline grew by the transaction amount');
  assert.ok(await reg.locator('#flow-matrix tr[data-seller="beijing"] td[data-buyer="hebei.tangshan"]').count() === 1);
  await reg.screenshot({ path: join(artifacts, 'outcomes-contracts.png'), fullPage: true });
  await regCtx.close();
});

test('a broker introduces an achievement to a scenario; both sides accept and talk with the broker', async () => {
  const api = await browser.newPage();
  const all = [];
  for (let page = 1; page <= 5; page++) {
    const got = await (await api.request.get(`${base}/api/v1/scenarios?per_page=50&page=${page}`)).json();
    all.push(...got.items);
  }
  const scenario = all.find((s) => s.key === 'scn-demo-007').id;
  const orgs = await (await api.request.get(base + '/api/v1/organisations?per_page=100')).json();
  const robotOrg = orgs.items.find((o) => o.key === 'tj-robot').id;
  const achievements = [];
  for (let page = 1; page <= 5; page++) {
    const got = await (await api.request.get(`${base}/api/v1/achievements?per_page=50&page=${page}`)).json();
    achievements.push(...got.items);
  }
  const achievement = achievements.find((a) => a.org_id === robotOrg).id;
  await api.close();

  // The broker opens the introduction from the scenario and names the robot maker's achievement.
  const brokerCtx = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const broker = await brokerCtx.newPage();
  await signIn(broker, 'broker@duijie.demo');
  await broker.goto(`${base}/scenarios/${scenario}`);
  await broker.click('#introduce-link');
  await broker.waitForSelector('#introduce-form');
  await broker.fill('#f-achievement_id', String(achievement));
  await broker.fill('#f-message', '天津智巡的自动驾驶集卡方案与贵港需求契合，建议洽谈。');
  await broker.click('#send-introduction');
  await broker.waitForSelector('#notice');
  assert.match(await broker.textContent('#notice'), /引荐已发出/);
  const docking = broker.url().split('/dockings/')[1].split('?')[0];
  await broker.screenshot({ path: join(artifacts, 'introduction-phone.png'), fullPage: true });

  // Each side finds it in the inbox and accepts; the second acceptance opens the contacts.
  for (const [email, last] of [['robot@duijie.demo', false], ['port@duijie.demo', true]]) {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const p = await ctx.newPage();
    await signIn(p, email);
    await p.goto(`${base}/inbox`);
    assert.ok(await p.locator(`#notices li[data-kind="docking_introduced"] a[href="/dockings/${docking}"]`).count() === 1);
    await p.goto(`${base}/dockings/${docking}`);
    await p.click('#accept');
    await p.waitForSelector('#notice');
    if (last) {
      await p.waitForSelector('#contact-person');
      await p.screenshot({ path: join(artifacts, 'introduction-accepted.png'), fullPage: true });
    } else {
      assert.match(await p.textContent('#notice'), /您已接受/);
    }
    await ctx.close();
  }
  await broker.goto(`${base}/dockings/${docking}`);
  assert.match(await broker.textContent('#stage'), /洽谈/);
  await broker.fill('#f-body', '两位好，我来安排首次会谈');
  await broker.click('#send');
  await broker.waitForSelector('#notice');
  assert.match(await broker.textContent('#messages'), /技术经纪人/);
  await broker.goto(`${base}/dockings`);
  await broker.click('a[href^="/brokers/"]');
  await broker.waitForSelector('#broker-figures');
  assert.ok(Number(await broker.textContent('#b-accepted')) >= 1);
  await broker.screenshot({ path: join(artifacts, 'broker-phone.png'), fullPage: true });
  await brokerCtx.close();
});

// Words of Latin letters a Chinese page may show outside what users typed: abbreviations in
// capitals (TRL, API, CMA …), the language switch, the brand, file kinds.
test('an enterprise fills in its profile, sees which policies it can claim and why not yet, and uses an innovation voucher on a pilot service that the provider redeems; an officer sees the gap in the area', async () => {
  for (const width of [1280, 390]) {
    const ctx = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await ctx.newPage();
    await signIn(page, 'port@duijie.demo');
    await navTo(page, '/policies');
    await page.waitForSelector('#profile-form');
    if (width === 1280) {
      // The last three years' figures, as a large enterprise would enter them (万元).
      await page.fill('#f-founded_on', '2003-06-18');
      await page.selectOption('#f-industry', 'transport');
      for (const f of ['hightech_field', 'clean_record', 'audited_accounts']) await page.selectOption(`#f-${f}`, '1');
      await page.fill('#f-ip_class1', '6');
      await page.fill('#f-ip_class2', '20');
      await page.fill('#f-innovation_score', '78');
      const years = await page.$$eval('#figures thead th', (ths) => ths.map((t) => t.textContent.trim()).filter(Boolean));
      for (const y of years) {
        for (const [f, v] of [['staff', '2000'], ['tech_staff', '260'], ['revenue', '30000'], ['total_income', '31000'],
          ['rnd', '840'], ['rnd_domestic', '840'], ['hightech_revenue', '20000'], ['assets', '900000']]) {
          await page.fill(`#f-${f}_${y}`, v);
        }
      }
      await page.click('#save-profile');
      await page.waitForSelector('#flash');
      assert.match(await page.textContent('#flash'), /企业档案已保存/);
    }
    assert.equal((await page.textContent('#verdict-rnd_deduction')).trim(), '可能符合');
    assert.equal((await page.textContent('#verdict-sci_tech_sme')).trim(), '不符合');
    const rnd = await page.textContent('#policy-hightech tr[data-key=rnd]');
    assert.match(rnd, /2\.8%/);
    assert.match(rnd, /第十一条（五）/);
    assert.match(await page.textContent('#policy-hightech .what-if'), /万元/);
    await page.screenshot({ path: join(artifacts, `policies-enterprise-${width}.png`), fullPage: true });
    if (width === 1280) {
      // From its policies to an innovation voucher: apply, approved by the office, used on the
      // testing service it had done on the Hebei pilot base, redeemed by the base.
      await page.click('#vouchers article a');
      await page.click('#apply-voucher');
      await page.waitForSelector('#flash');
      assert.match(await page.textContent('#voucher-status'), /待审核/);
      const scheme = page.url().split('?')[0];
      const oc = await browser.newContext({ viewport: { width, height: 900 } });
      const op = await oc.newPage();
      await signIn(op, 'officer@duijie.demo');
      await op.goto(scheme);
      await op.click('#applications form.decide button');
      await op.waitForSelector('#flash');
      await page.goto(scheme);
      assert.equal((await page.textContent('#voucher-balance')).trim(), '20 万元');
      await page.fill('#f-price', '6');
      await page.click('#use-voucher');
      await page.waitForSelector('#flash');
      assert.equal((await page.textContent('#voucher-balance')).trim(), '17 万元');
      await page.screenshot({ path: join(artifacts, 'voucher-enterprise-1280.png'), fullPage: true });
      const pc = await browser.newContext({ viewport: { width: 390, height: 844 } });
      const pp = await pc.newPage();
      await signIn(pp, 'pilot@duijie.demo');
      await pp.goto(scheme);
      await pp.click('#uses button.redeem');
      await pp.waitForSelector('#flash');
      assert.match(await pp.textContent('#uses .use-status'), /服务方已申请兑付/);
      await pp.screenshot({ path: join(artifacts, 'voucher-provider-390.png'), fullPage: true });
      await op.goto(scheme);
      await op.click('#uses button.reconcile');
      await op.waitForSelector('#flash');
      assert.match(await op.textContent('#stats'), /3 万元/);
      await op.screenshot({ path: join(artifacts, 'voucher-officer-1280.png'), fullPage: true });
      await pc.close();
      await oc.close();
    }
    await ctx.close();

    const oc = await browser.newContext({ viewport: { width, height: 900 } });
    const op = await oc.newPage();
    await signIn(op, 'officer@duijie.demo');
    await navTo(op, '/policies');
    await op.waitForSelector('#gap');
    assert.ok(await op.locator('#gap tbody tr').count() > 1, 'the enterprises of Hebei');
    assert.match(await op.textContent('#gap'), /唐山曹妃甸港口集团/);
    await op.screenshot({ path: join(artifacts, `policies-officer-${width}.png`), fullPage: true });
    await oc.close();
  }
});

const LATIN_ALLOWED = new Set(['English', 'duijie', 'Excel', 'ics', 'xlsx', 'csv']);
const axeSource = readFileSync(join(import.meta.dirname, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

test('every page, as each role, fits a phone: no sideways scrolling, no text under 12 px, no error, no raw code or English in Chinese, no serious accessibility violation', async () => {
  const pages = ['/', '/scenarios', '/scenarios/1', '/achievements', '/achievements/1', '/organisations',
    '/organisations/6', '/search?q=巡检', '/match?q=港口皮带机巡检机器人', '/gatherings', '/gatherings/1',
    '/challenges', '/challenges/1', '/platforms', '/platforms/1', '/funds', '/chains', '/outcomes', '/rnd', '/developers',
    '/vouchers', '/vouchers/1'];
  const signedIn = ['/workbench', '/dockings', '/contracts', '/inbox', '/brokers', '/cases', '/account', '/policies'];
  const roles = [null, 'port@duijie.demo', 'officer@duijie.demo', 'expert@duijie.demo', 'registrar@duijie.demo', 'broker@duijie.demo'];
  // What a role's menu does not offer it (their pages answer 403 to it, by design).
  const notFor = { 'expert@duijie.demo': ['/dockings', '/contracts', '/policies'], 'registrar@duijie.demo': ['/dockings', '/policies'],
    'broker@duijie.demo': ['/policies'] };
  const problems = [];
  mkdirSync(join(artifacts, 'pages'), { recursive: true });
  for (const email of roles) {
    // axe-core is injected by the test, which the page's own policy would refuse.
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, bypassCSP: true });
    const page = await ctx.newPage();
    if (email) await signIn(page, email);
    const list = (email ? pages.concat(signedIn) : pages).filter((p) => !(notFor[email] ?? []).includes(p));
    for (const path of list) {
      const res = await page.goto(base + path);
      const who = email ?? 'visitor';
      if (res.status() >= 400) { problems.push(`${who} ${path}: ${res.status()}`); continue; }
      const found = await page.evaluate(() => {
        const wide = document.documentElement.scrollWidth;
        let small = null;
        for (const el of document.querySelectorAll('body *')) {
          if (!el.childNodes.length || ![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
          const r = el.getBoundingClientRect();
          if (r.width === 0 || r.height === 0) continue;
          const size = parseFloat(getComputedStyle(el).fontSize);
          if (size < 12) { small = `${el.tagName.toLowerCase()}.${el.className} ${size}px "${el.textContent.trim().slice(0, 20)}"`; break; }
        }
        return { wide, small };
      });
      const name = `${who.split('@')[0]}${path.replace(/[/?=&]+/g, '-').replace(/-$/, '') || '-home'}`;
      await page.screenshot({ path: join(artifacts, 'pages', `${name}-390.png`), fullPage: true });
      if (found.wide > 391) problems.push(`${who} ${path}: ${found.wide} px wide`);
      if (found.small) problems.push(`${who} ${path}: ${found.small}`);
      // Chinese pages read as Chinese: no lower-case codes (draft, personnel) or English words
      // outside addresses and abbreviations.
      const latin = await page.evaluate(() => {
        const out = [];
        const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        while (walk.nextNode()) {
          const n = walk.currentNode;
          const el = n.parentElement;
          if (!el || el.closest('script, style, [lang^="en"], code') || /@|https?:/.test(n.textContent)) continue;
          for (const m of n.textContent.matchAll(/[A-Za-z][A-Za-z_]{2,}/g)) out.push(m[0]);
        }
        for (const el of document.querySelectorAll('[placeholder], [aria-label]')) {
          for (const a of ['placeholder', 'aria-label']) for (const m of (el.getAttribute(a) ?? '').matchAll(/[A-Za-z][A-Za-z_]{2,}/g)) out.push(m[0]);
        }
        return out;
      });
      const odd = [...new Set(latin.filter((w) => !LATIN_ALLOWED.has(w) && w !== w.toUpperCase()))];
      if (odd.length) problems.push(`${who} ${path}: Latin words in the Chinese page: ${odd.slice(0, 8).join(', ')}`);
      await page.evaluate(axeSource);
      const serious = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id} (${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', ')})`));
      for (const v of serious) problems.push(`${who} ${path}: accessibility: ${v}`);
    }
    await ctx.close();
  }
  assert.deepEqual(problems, []);
});

test('pages keep to the Content-Security-Policy and its scripted behaviours still work', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const violations = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
  await signIn(page, 'officer@duijie.demo');
  for (const path of ['/', '/scenarios', '/chains/robotics', '/outcomes', '/gatherings', '/rnd']) {
    await page.goto(base + path);
    await page.waitForLoadState('load');
  }
  // The chain page's chooser finds records by name: typing part of a name offers matching
  // organisations; choosing one sends its number and names it beside the field.
  await page.goto(base + '/chains/robotics');
  await page.fill('#f-place-id', '天津');
  await page.waitForFunction(() => document.querySelectorAll('#dl-place option').length > 0);
  const value = await page.locator('#dl-place option').first().getAttribute('value');
  const label = await page.locator('#dl-place option').first().getAttribute('label');
  assert.match(label, /天津/);
  await page.fill('#f-place-id', value);
  await page.waitForFunction(() => document.getElementById('chosen-entity_id').textContent.length > 0);
  assert.equal(await page.textContent('#chosen-entity_id'), label);
  // The kind decides where it searches.
  await page.selectOption('#f-place-entity', 'achievement');
  await page.fill('#f-place-id', '巡检');
  await page.waitForFunction(() => [...document.querySelectorAll('#dl-place option')].some((o) => /巡检/.test(o.label)));
  // A delete asks first (was an inline onsubmit); dismissing keeps the record.
  await page.goto(base + '/scenarios');
  await page.click('article.card h3 a >> nth=0');
  await page.waitForURL(/\/scenarios\/\d+$/);
  const recordUrl = page.url();
  let asked = '';
  page.once('dialog', (d) => { asked = d.message(); d.dismiss(); });
  await page.locator('form[data-confirm] button').first().click();
  assert.equal(asked, '确定删除？');
  assert.equal(page.url(), recordUrl, 'still on the record');
  assert.deepEqual(violations, [], 'no Content-Security-Policy violations');
  await ctx.close();
});
