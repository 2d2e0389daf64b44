// Proves README's first command on this checkout: `npm start` builds and serves the sample, which
// with no FLOW_* variable runs on the local Flow emulator. Starts it on a free port, reads the
// URLs from its banner, fetches the page, the emulator's flow.js and the login route, then stops.
import { spawn } from 'node:child_process';

const env = { ...process.env, PORT: '0' };
for (const name of Object.keys(env)) if (name.startsWith('FLOW_')) delete env[name];
delete env.NODE_ENV;

const child = spawn('npm', ['start'], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
let output = '';
child.stdout.on('data', (chunk) => (output += chunk));
child.stderr.on('data', (chunk) => (output += chunk));

function stop() {
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

async function waitForBanner(deadline) {
  while (Date.now() < deadline) {
    const app = /Sample app listening on (http:\/\/\S+)/.exec(output)?.[1];
    if (app) return { app, script: /The page loads (http:\/\/\S+\/flow\.js)/.exec(output)?.[1] };
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('the sample printed no "Sample app listening on" line');
}

try {
  const { app, script } = await waitForBanner(Date.now() + 180_000);
  const page = await fetch(app);
  if (page.status !== 200 || !(await page.text()).toLowerCase().includes('<html'))
    throw new Error(`the page at ${app} answered ${page.status}`);
  if (!script) throw new Error('the banner names no emulator flow.js: the sample is not offline');
  const flowJs = await fetch(script);
  if (flowJs.status !== 200 || !(await flowJs.text()).includes('Flow'))
    throw new Error(`the emulator's flow.js answered ${flowJs.status}`);
  console.log(`npm start: the sample served ${app} and the emulator served ${script}.`);
  stop();
} catch (error) {
  stop();
  console.error(
    `npm start did not serve the sample: ${error.message}\n--- its output ---\n${output}`,
  );
  process.exit(1);
}
