// The core service alone, as the Electron shell forks it (utilityProcess):
// `core.main.js --port=N --data-dir=DIR [--config=FILE]`. It prints one JSON line when ready.
import { bootFromArgs, exitOnStartupError, stopOnSignals } from './boot.js';

bootFromArgs()
  .then((booted) => {
    const { core } = booted;
    console.log(JSON.stringify({ ready: true, url: core.url, version: core.services.version }));
    stopOnSignals(booted);
  })
  .catch(exitOnStartupError);
