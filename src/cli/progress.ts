/**
 * Progress bars on stderr for long jobs; silent with `--json` or when stderr is not a terminal, so that
 * scripts and CI logs stay clean.
 */
import cliProgress from "cli-progress";

export interface Progress {
  start(total: number, label: string): void;
  update(value: number, label?: string): void;
  stop(): void;
}

const silent: Progress = { start() {}, update() {}, stop() {} };

export function createProgress(enabled: boolean, unit: "rows" | "bytes" | "customers"): Progress {
  if (!enabled || !process.stderr.isTTY) return silent;
  const format =
    unit === "bytes"
      ? " {label} [{bar}] {percentage}% | {mb}/{totalMb} MB | {eta_formatted} left"
      : ` {label} [{bar}] {percentage}% | {value}/{total} ${unit} | {eta_formatted} left`;
  const bar = new cliProgress.SingleBar(
    { format, stream: process.stderr, hideCursor: true, clearOnComplete: false, etaBuffer: 50 },
    cliProgress.Presets.shades_classic,
  );
  const mb = (n: number) => (n / 1e6).toFixed(1);
  let total = 0;
  return {
    start(t, label) {
      total = t;
      bar.start(t, 0, { label, mb: mb(0), totalMb: mb(t) });
    },
    update(value, label) {
      bar.update(value, { mb: mb(value), totalMb: mb(total), ...(label ? { label } : {}) });
    },
    stop() {
      bar.stop();
    },
  };
}
