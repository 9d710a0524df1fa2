// Renders media/icon.svg (the source) to media/icon.png (128x128, what the Marketplace and the
// Extensions view show; SVG icons are not allowed there) with Debian's chromium.
//   node scripts/build-icon.mjs
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';

const browser = await chromium.launch({
  executablePath: process.env.NETPOL_E2E_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
  await page.setContent(
    `<html><body style="margin:0;background:transparent">${readFileSync('media/icon.svg', 'utf8')}</body></html>`,
  );
  await page.screenshot({
    path: 'media/icon.png',
    omitBackground: true,
    clip: { x: 0, y: 0, width: 128, height: 128 },
  });
  console.log('wrote media/icon.png');
} finally {
  await browser.close();
}
