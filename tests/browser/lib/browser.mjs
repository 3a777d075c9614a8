// Shared by the browser suites: Debian's Chromium started the way this
// machine allows (as root it needs --no-sandbox; without the background
// networking flags it keeps trying closed network hosts), and the check that
// a server run under -Db_sanitize reported nothing on stderr.
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launchBrowser() {
  return chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

// The first AddressSanitizer, LeakSanitizer or UBSan report in a server's
// stderr, or null.
export function sanitizerReport(stderr) {
  return /ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:/.exec(stderr);
}
