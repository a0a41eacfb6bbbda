/**
 * An incremental RFC 4180 parser: feed it text chunks, take complete records. Quoted fields may hold the
 * delimiter, `""` and newlines; CRLF and LF both end a record. Unquoted fields are sliced from the chunk
 * (no per-character concatenation), which keeps it fast on large files.
 */

export interface ParsedRecord {
  readonly fields: string[];
  /** The record's text as it stood in the file, without its line ending. */
  readonly raw: string;
}

export class CsvParser {
  private carry = "";
  /** An unterminated quoted field at the end of the input. */
  unterminated = false;

  constructor(private readonly delimiter: string) {}

  /** Parses as many complete records as `chunk` (after what was carried over) holds. */
  push(chunk: string, out: ParsedRecord[]): void {
    const text = this.carry + chunk;
    const end = this.parse(text, out, false);
    this.carry = text.slice(end);
  }

  /** Parses what is left at the end of the input. */
  finish(out: ParsedRecord[]): void {
    if (this.carry.length > 0) this.parse(this.carry, out, true);
    this.carry = "";
  }

  /** Returns the offset of the first character not consumed. */
  private parse(text: string, out: ParsedRecord[], final: boolean): number {
    const d = this.delimiter;
    const n = text.length;
    let pos = 0;
    while (pos < n) {
      const start = pos;
      const fields: string[] = [];
      let i = pos;
      let complete = false;
      for (;;) {
        if (i < n && text.charCodeAt(i) === 34 /* " */) {
          // Quoted field: find the closing quote, unescaping "".
          let value = "";
          let j = i + 1;
          for (;;) {
            const q = text.indexOf('"', j);
            if (q < 0) {
              if (!final) return start;
              this.unterminated = true;
              value += text.slice(j);
              i = n;
              break;
            }
            if (q + 1 < n && text.charCodeAt(q + 1) === 34) {
              value += text.slice(j, q + 1);
              j = q + 2;
              continue;
            }
            if (q + 1 >= n && !final) return start;
            value += text.slice(j, q);
            i = q + 1;
            break;
          }
          // Text after the closing quote up to the delimiter is kept (lenient, as spreadsheets are).
          let k = i;
          while (k < n && text[k] !== d && text[k] !== "\n" && text[k] !== "\r") k++;
          fields.push(value + text.slice(i, k));
          i = k;
        } else {
          let k = i;
          while (k < n) {
            const c = text[k];
            if (c === d || c === "\n" || c === "\r") break;
            k++;
          }
          fields.push(text.slice(i, k));
          i = k;
        }
        if (i >= n) {
          if (!final) return start;
          complete = true;
          break;
        }
        const c = text[i];
        if (c === d) {
          i++;
          if (i >= n && final) {
            fields.push("");
            complete = true;
            break;
          }
          continue;
        }
        // Line end: \n, \r\n or a lone \r.
        if (c === "\r") {
          if (i + 1 >= n && !final) return start;
          const rawEnd = i;
          i += text[i + 1] === "\n" ? 2 : 1;
          out.push({ fields, raw: text.slice(start, rawEnd) });
        } else {
          out.push({ fields, raw: text.slice(start, i) });
          i++;
        }
        break;
      }
      if (complete) out.push({ fields, raw: text.slice(start, i) });
      pos = i;
    }
    return pos;
  }
}

/** The most frequent of `,` `;` and tab outside quotes in the header line. */
export function sniffDelimiter(headerLine: string): "," | ";" | "\t" {
  const counts: Record<string, number> = { ",": 0, ";": 0, "\t": 0 };
  let quoted = false;
  for (const c of headerLine) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && c in counts) counts[c] = (counts[c] ?? 0) + 1;
  }
  const best = (Object.entries(counts) as [string, number][]).sort((a, b) => b[1] - a[1])[0];
  return (best && best[1] > 0 ? best[0] : ",") as "," | ";" | "\t";
}
