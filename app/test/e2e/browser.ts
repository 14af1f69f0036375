// Launches Debian's Chromium through playwright-core (no browser download), with the flags
// this closed network needs and an optional fake camera fed from a .y4m file.
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.SITEGATE_CHROMIUM ?? '/usr/bin/chromium';

export async function launchChromium(opts: { fakeVideo?: string } = {}): Promise<Browser> {
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
    '--disable-sync',
  ];
  if (opts.fakeVideo) {
    args.push(
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${opts.fakeVideo}`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args });
}
