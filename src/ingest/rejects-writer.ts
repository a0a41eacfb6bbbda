/**
 * The rejects file: one CSV line per rejected input row, with file, row, column and reason, plus the row
 * as it was read, so nothing a user handed kei is lost. Rows can hold personal data: the file stays
 * beside the user's own data and is never sent anywhere.
 *
 * Rules:
 * - Readable by its owner only: the file is created with mode 0o600, and a folder the writer has to
 *   create with 0o700 (an existing folder is left as it is).
 * - All or nothing: rows go to `<path>.<pid>.partial` in the same folder, renamed to `path` by `close()`
 *   (a rename within one folder is atomic), so a run that is killed never leaves a rejects file for rows
 *   it never stored. `flush()` before the store commits leaves only the rename for after it.
 *   `discard()` removes the partial file; `removeOrphanRejects` removes those left by processes that
 *   no longer run.
 * - Cells are written by `csvField` (csv-cell.ts): quoted where needed, and a cell a spreadsheet would
 *   run as a formula starts with `'`.
 * - Nothing is written, and `close()` returns null, when no row was rejected.
 */
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir, open, readdir, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { csvField } from "./csv-cell.js";

export { csvField } from "./csv-cell.js";

const HEADER = "file,table,row,column,reason,record\n";
const PARTIAL = /\.(\d+)\.partial$/;

export class RejectsWriter {
  private stream: WriteStream | undefined;
  private opening: Promise<WriteStream> | undefined;
  private failure: Error | undefined;
  private ended: Promise<void> | undefined;
  /** Where rows go until `close()`. */
  readonly partialPath: string;
  count = 0;

  constructor(readonly path: string) {
    this.partialPath = `${path}.${process.pid}.partial`;
  }

  private open(): Promise<WriteStream> {
    this.opening ??= (async () => {
      await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
      await rm(this.partialPath, { force: true });
      const s = createWriteStream(this.partialPath, { encoding: "utf8", flags: "wx", mode: 0o600 });
      s.on("error", (e) => {
        this.failure ??= e;
      });
      await new Promise<void>((resolve, reject) => {
        s.once("open", () => resolve());
        s.once("error", reject);
      });
      s.write(HEADER);
      this.stream = s;
      return s;
    })();
    return this.opening;
  }

  async write(fields: {
    file: string;
    table: string;
    row: number;
    column: string;
    reason: string;
    record: string;
  }): Promise<void> {
    if (this.ended) throw new Error(`${this.path}: rejects file written after flush()`);
    const s = this.stream ?? (await this.open());
    if (this.failure) throw this.failure;
    this.count++;
    const line = `${[fields.file, fields.table, fields.row, fields.column, fields.reason, fields.record].map(csvField).join(",")}\n`;
    if (!s.write(line)) {
      await new Promise<void>((resolve, reject) => {
        const done = (e?: Error) => {
          s.off("drain", done);
          s.off("error", done);
          if (e) reject(e);
          else resolve();
        };
        s.once("drain", done);
        s.once("error", done);
      });
    }
  }

  /** Writes everything out under the partial name (call it before the store commits the run). */
  flush(): Promise<void> {
    this.ended ??= (async () => {
      if (!this.opening) return;
      const s = await this.opening;
      await new Promise<void>((resolve, reject) =>
        s.end((err?: Error | null) => (err ? reject(err) : resolve())),
      );
      if (this.failure) throw this.failure;
    })();
    return this.ended;
  }

  /** Flushes and gives the file its name (after the commit: then only a rename is left); returns its
   * path, or null when nothing was rejected. */
  async close(): Promise<string | null> {
    if (!this.opening) return null;
    await this.flush();
    await rename(this.partialPath, this.path);
    return this.path;
  }

  /** Drops what was written: the run did not happen. */
  async discard(): Promise<void> {
    if (!this.opening) return;
    const s = await this.opening.catch(() => undefined);
    s?.destroy();
    await rm(this.partialPath, { force: true });
  }
}

/**
 * Removes the partial rejects files (`*.<pid>.partial` starting with the rejects header) in `dir` whose
 * process no longer runs (`process.kill(pid, 0)` fails with ESRCH); returns their paths.
 */
export async function removeOrphanRejects(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = Number(PARTIAL.exec(name)?.[1] ?? Number.NaN);
    if (!Number.isSafeInteger(pid) || pid <= 0 || isRunning(pid)) continue;
    const file = join(dir, name);
    if (!(await startsWithHeader(file))) continue;
    await rm(file, { force: true });
    removed.push(file);
  }
  return removed;
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== "ESRCH"; // EPERM: it runs, as another user
  }
}

/** A regular file that is empty or begins with (part of) the rejects header: one kei wrote. */
async function startsWithHeader(file: string): Promise<boolean> {
  const handle = await open(file, "r").catch(() => undefined);
  if (!handle) return false;
  try {
    if (!(await handle.stat()).isFile()) return false;
    const buf = Buffer.alloc(HEADER.length);
    const { bytesRead } = await handle.read(buf, 0, HEADER.length, 0);
    return HEADER.startsWith(buf.toString("utf8", 0, bytesRead));
  } finally {
    await handle.close();
  }
}
