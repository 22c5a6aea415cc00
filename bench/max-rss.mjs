// Preloaded into a measured process: prints its peak resident memory when it exits.
process.on('exit', () => process.stderr.write(`BENCH_MAX_RSS_KIB ${process.resourceUsage().maxRSS}\n`));
