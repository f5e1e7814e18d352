#!/usr/bin/env node
// Entry point installed as `mxsim`; the CLI itself is compiled from src/cli by `npm run build`.
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv);
