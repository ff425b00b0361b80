/**
 * Progress of an organization scan on stderr: on a terminal one line redrawn in place (bar,
 * accounts done / total, failures, elapsed, ETA); otherwise a plain line every `intervalMs` and
 * every 10% of the accounts. It shows counts and times only, never credentials.
 */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface Progress {
  /** One account settled (scanned or failed). */
  settled(failed: boolean): void;
  /** Ends the display (a final line, the terminal line left in place). */
  finish(): void;
}

export interface ProgressOptions {
  total: number;
  prefix: string;
  /** Plain mode: a line this often (default 10 s), besides one every 10% of the accounts. */
  intervalMs?: number;
  now?: () => number;
}

const BAR_WIDTH = 24;
/** Terminal mode redraws at most this often. */
const REDRAW_MS = 100;

export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  const hh = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, "0");
  const ss = String(s % 60).padStart(2, "0");
  return hh > 0 ? `${hh}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** The status text: `12/100 accounts, 1 failed, 00:12 elapsed, ETA 01:30`. */
export function progressText(done: number, total: number, failed: number, elapsedMs: number): string {
  const eta = done > 0 && done < total ? `, ETA ${duration((elapsedMs / done) * (total - done))}` : "";
  return `${done}/${total} accounts, ${failed} failed, ${duration(elapsedMs)} elapsed${eta}`;
}

export function progressBar(done: number, total: number): string {
  const filled = total === 0 ? BAR_WIDTH : Math.round((done / total) * BAR_WIDTH);
  return `[${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}]`;
}

export function createProgress(stream: ProgressStream, options: ProgressOptions): Progress {
  const now = options.now ?? Date.now;
  const started = now();
  const interval = options.intervalMs ?? 10_000;
  const step = Math.max(1, Math.ceil(options.total / 10));
  const tty = stream.isTTY === true;
  let done = 0;
  let failed = 0;
  let lastDrawn = -Infinity;
  let lastPlainCount = 0;
  const text = () => progressText(done, options.total, failed, now() - started);
  const draw = () => {
    stream.write(`\r${options.prefix}${progressBar(done, options.total)} ${text()}\u001b[K`);
    lastDrawn = now();
  };
  const plainLine = () => {
    stream.write(`${options.prefix}${text()}\n`);
    lastDrawn = now();
    lastPlainCount = done;
  };
  const timer = tty ? undefined : setInterval(plainLine, interval);
  timer?.unref();
  if (tty) draw();
  return {
    settled(isFailure) {
      done++;
      if (isFailure) failed++;
      if (tty) {
        if (now() - lastDrawn >= REDRAW_MS || done === options.total) draw();
      } else if (done - lastPlainCount >= step) {
        plainLine();
      }
    },
    finish() {
      clearInterval(timer);
      if (tty) {
        draw();
        stream.write("\n");
      } else if (lastPlainCount !== done) {
        plainLine();
      }
    },
  };
}
