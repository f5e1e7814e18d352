// Preloaded into a child process by `npm run bench` (node --import
// ./bench/cpu-report.mjs ...): at exit, one JSON line on stderr with the
// process's own CPU time (user + system, seconds) and peak RSS (bytes), the
// figures a start-up or a whole command costs whatever else the machine runs.
process.on('exit', () => {
  const cpu = process.cpuUsage();
  process.stderr.write(`${JSON.stringify({ cpuReport: { cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssBytes: process.resourceUsage().maxRSS * 1024 } })}\n`);
});
