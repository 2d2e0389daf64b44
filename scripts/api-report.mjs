// `npm run api:report` rewrites the API reports in etc/ from the built declarations (dist/);
// `npm run api:check` (CI) fails when a committed report differs from what dist/ exports, so every
// change to the public surface shows in review. Both need a build: `npm run build` first.
import { existsSync } from 'node:fs';
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';

const update = process.argv.includes('--update');
const configs = ['', '.protocol', '.emulator', '.testing', '.health'].map(
  (entry) => new URL(`../api-extractor${entry}.json`, import.meta.url).pathname,
);

if (!existsSync(new URL('../dist/index.d.ts', import.meta.url))) {
  console.error('dist/ is missing: run npm run build first.');
  process.exit(1);
}
let failed = 0;
for (const path of configs) {
  const config = ExtractorConfig.loadFileAndPrepare(path);
  const result = Extractor.invoke(config, { localBuild: update, showVerboseMessages: false });
  if (result.succeeded) continue;
  failed += 1;
  console.error(
    result.apiReportChanged
      ? `${config.reportFilePath} is out of date: run npm run build && npm run api:report, and commit it.`
      : `API Extractor found ${result.errorCount} errors and ${result.warningCount} warnings for ${path}.`,
  );
}
process.exit(failed === 0 ? 0 : 1);
