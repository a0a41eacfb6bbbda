/**
 * The rejects file: one CSV line per rejected input row, with file, row, column and reason, plus the row
 * as it was read, so nothing a user handed kei is lost. Rows can hold personal data: the file stays
 * beside the user's own data and is never sent anywhere.
 */
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { dirname } from "node:path";

const HEADER = "file,table,row,column,reason,record\n";

export function csvField(value: string | number): string {
  const s = String(value);
  return /[",\n\r;]/.test(s) || s !== s.trim() ? `"${s.replaceAll('"', '""')}"` : s;
}

export class RejectsWriter {
  private stream: WriteStream | undefined;
  count = 0;

  constructor(readonly path: string) {}

  async write(fields: {
    file: string;
    table: string;
    row: number;
    column: string;
    reason: string;
    record: string;
  }): Promise<void> {
    if (!this.stream) {
      await mkdir(dirname(this.path), { recursive: true });
      this.stream = createWriteStream(this.path, { encoding: "utf8" });
      this.stream.write(HEADER);
    }
    this.count++;
    const line = `${[fields.file, fields.table, fields.row, fields.column, fields.reason, fields.record].map(csvField).join(",")}\n`;
    if (!this.stream.write(line)) {
      await new Promise<void>((resolve) => this.stream?.once("drain", resolve));
    }
  }

  /** Closes the file; returns its path, or null when nothing was rejected. */
  async close(): Promise<string | null> {
    if (!this.stream) return null;
    const s = this.stream;
    await new Promise<void>((resolve, reject) =>
      s.end((err?: Error | null) => (err ? reject(err) : resolve())),
    );
    return this.path;
  }

  async discard(): Promise<void> {
    if (this.stream) {
      this.stream.destroy();
      await rm(this.path, { force: true });
    }
  }
}
