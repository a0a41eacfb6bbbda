/** A streaming CSV file for the generator: header first, RFC 4180 quoting, waits on backpressure. */
import { createWriteStream, type WriteStream } from "node:fs";

export type Cell = string | number | boolean | null | undefined;

export function csvCell(v: Cell): string {
  if (v === null || v === undefined) return "";
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export class CsvWriter {
  private readonly stream: WriteStream;
  private buffer = "";
  rows = 0;

  constructor(
    readonly path: string,
    header: readonly string[],
  ) {
    this.stream = createWriteStream(path, { encoding: "utf8" });
    this.buffer = `${header.join(",")}\n`;
  }

  /** Buffers a row; call `flush` now and then (the generator does after each customer). */
  row(cells: readonly Cell[]): void {
    this.buffer += `${cells.map(csvCell).join(",")}\n`;
    this.rows++;
  }

  async flush(): Promise<void> {
    if (this.buffer.length < 1 << 16) return;
    await this.write();
  }

  private async write(): Promise<void> {
    const chunk = this.buffer;
    this.buffer = "";
    if (!this.stream.write(chunk)) await new Promise<void>((resolve) => this.stream.once("drain", resolve));
  }

  async close(): Promise<void> {
    if (this.buffer) await this.write();
    await new Promise<void>((resolve, reject) =>
      this.stream.end((e?: Error | null) => (e ? reject(e) : resolve())),
    );
  }
}
