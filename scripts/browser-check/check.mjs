// Loads the gateway's aggregated Swagger UI in headless Chromium, checks that the Chord document
// is listed and that its server is the gateway, then does "Try it out" on GET /lookup/{key} and
// checks the live response; then selects the Publius document and tries GET /servers. Saves
// screenshots. Exit code 0 only if every step passed.
//
//   node check.mjs <gateway-url> <screenshot-dir>
import puppeteer from 'puppeteer-core';
import { mkdirSync } from 'node:fs';

const gateway = process.argv[2] ?? 'http://127.0.0.1:8080';
const out = process.argv[3] ?? 'target/browser-check';
const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';
mkdirSync(out, { recursive: true });

const step = (what) => console.log(`- ${what}`);
const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
const watchdog = setTimeout(() => { console.error('FAILED: the check took over 90 s'); process.exit(2); }, 90_000);
let page;
try {
  page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 1800 });
  step(`open ${gateway}/swagger-ui.html`);
  await page.goto(`${gateway}/swagger-ui.html`, { waitUntil: 'networkidle0', timeout: 30_000 });

  step('the definition selector lists the Chord document');
  await page.waitForSelector('.topbar select option', { timeout: 20_000 });
  const definitions = await page.$$eval('.topbar select option', (os) => os.map((o) => o.textContent.trim()));
  console.log(`  definitions: ${JSON.stringify(definitions)}`);
  // the selector opens on its first entry (alphabetical: CAN): pick a system's document by name
  const select = async (prefix) => {
    const name = definitions.find((d) => d.startsWith(prefix));
    if (!name) throw new Error(`no ${prefix} entry in the selector`);
    await page.select('.topbar select', await page.$$eval('.topbar select option',
      (os, n) => os.find((o) => o.textContent.trim() === n).value, name));
  };
  await select('Chord');
  await page.waitForSelector('.opblock-get:has([data-path="/lookup/{key}"])', { timeout: 20_000 });

  step('its operations render and its server is the gateway');
  await page.waitForSelector('.opblock', { timeout: 20_000 });
  const servers = await page.$$eval('.servers select option', (os) => os.map((o) => o.value));
  console.log(`  servers: ${JSON.stringify(servers)}`);
  if (servers[0] !== `${gateway}/chord`) throw new Error(`server is ${servers[0]}, not ${gateway}/chord`);
  await page.screenshot({ path: `${out}/swagger-ui.png` });

  step('GET /lookup/{key}: Try it out with key=hello, Execute');
  const op = await page.waitForSelector('.opblock-get:has([data-path="/lookup/{key}"])', { timeout: 10_000 });
  await op.$eval('.opblock-summary', (el) => el.scrollIntoView());
  await (await op.$('.opblock-summary-control, .opblock-summary')).click();
  await (await op.waitForSelector('.try-out__btn', { timeout: 10_000 })).click();
  const input = await op.waitForSelector('tr[data-param-name="key"] input', { timeout: 10_000 });
  await input.type('hello');
  await (await op.waitForSelector('button.execute', { timeout: 10_000 })).click();

  step('the live response is 200 with the owner and the hops');
  // The live response table has a header row ("Code", "Details"); the response is in tbody.
  const live = '.live-responses-table tbody tr.response';
  await op.waitForSelector(`${live} .response-col_status`, { timeout: 20_000 });
  const status = await op.$eval(`${live} .response-col_status`, (el) => el.textContent.trim());
  const body = await op.$eval(`${live} .response-col_description pre`, (el) => el.textContent);
  const url = await op.$eval('.request-url pre', (el) => el.textContent.trim());
  console.log(`  request URL: ${url}`);
  console.log(`  status: ${status}`);
  console.log(`  body: ${body.replace(/\s+/g, ' ').slice(0, 300)}`);
  await op.screenshot({ path: `${out}/swagger-try-it-out.png` });
  if (!status.startsWith('200')) throw new Error(`status ${status}`);
  if (!url.startsWith(`${gateway}/chord/lookup/hello`)) throw new Error(`the call did not go through the gateway: ${url}`);
  const json = JSON.parse(body);
  if (!json.owner || typeof json.hops !== 'number') throw new Error('no owner/hops in the response');

  step('the Publius document: select it, its server is the gateway, GET /servers answers');
  await select('Publius');
  const serversOp = await page.waitForSelector('.opblock-get:has([data-path="/servers"])', { timeout: 20_000 });
  const publiusServers = await page.$$eval('.servers select option', (os) => os.map((o) => o.value));
  if (publiusServers[0] !== `${gateway}/publius`) throw new Error(`Publius server is ${publiusServers[0]}`);
  await serversOp.$eval('.opblock-summary', (el) => el.scrollIntoView());
  await (await serversOp.$('.opblock-summary-control, .opblock-summary')).click();
  await (await serversOp.waitForSelector('.try-out__btn', { timeout: 10_000 })).click();
  await (await serversOp.waitForSelector('button.execute', { timeout: 10_000 })).click();
  await serversOp.waitForSelector(`${live} .response-col_status`, { timeout: 20_000 });
  const publiusStatus = await serversOp.$eval(`${live} .response-col_status`, (el) => el.textContent.trim());
  const list = JSON.parse(await serversOp.$eval(`${live} .response-col_description pre`, (el) => el.textContent));
  console.log(`  GET /publius/servers: ${publiusStatus}, m = ${list.m}, reachable = ${list.reachable}`);
  await serversOp.screenshot({ path: `${out}/swagger-publius-servers.png` });
  if (!publiusStatus.startsWith('200') || !(list.m >= 1) || list.reachable !== list.m) {
    throw new Error('GET /publius/servers did not list every server as reachable');
  }
  console.log(`PASSED: screenshots in ${out}/`);
} catch (e) {
  console.error(`FAILED: ${e.message}`);
  if (page) await page.screenshot({ path: `${out}/failure.png`, fullPage: true }).catch(() => {});
  process.exitCode = 1;
} finally {
  clearTimeout(watchdog);
  await browser.close();
}
