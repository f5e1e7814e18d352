#!/usr/bin/env node
// Entry point installed as `mxsim`; the CLI itself is compiled from src/cli by `npm run build`.
import { main } from '../dist/cli/main.js';

// A reader that stops early (`mxsim schema | head`) closes the pipe: stop quietly with 0, as other tools do.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

process.exitCode = await main(process.argv);
