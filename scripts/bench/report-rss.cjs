// Preloaded with --require by the benchmark: writes this process's peak RSS (KiB) when it exits.
const { appendFileSync } = require("node:fs");
process.on("exit", () => {
  if (process.env.BENCH_RSS_FILE)
    appendFileSync(process.env.BENCH_RSS_FILE, `${process.resourceUsage().maxRSS}\n`);
});
