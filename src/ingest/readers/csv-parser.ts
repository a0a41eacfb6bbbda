/**
 * An incremental RFC 4180 parser: feed it text chunks, take complete records.
 *
 * Rules:
 * - A field that starts with `"` is quoted: it runs to the next `"` that is not doubled, `""` inside it is
 *   one `"`, and it may hold the delimiter and line ends. Text after the closing quote up to the next
 *   delimiter is kept (lenient, as spreadsheets are: `"12" inch` is `12 inch`). A `"` inside an unquoted
 *   field is kept as is.
 * - CRLF, LF and a lone CR end a record. A record's `raw` is its text as in the file, without its line end.
 * - A stray quote must not swallow the rest of the file. The record is marked `badQuote`, its `raw` is
 *   the record's first line, and parsing resumes at the next line (whose records are read as usual) when
 *   a quoted field has no closing quote before the end of the input ("end") or within `maxQuotedField`
 *   characters ("limit"), or when it runs over a line end and its closing quote is followed by text
 *   other than blanks ("closed-mid-field": a stray quote closed by the next quote in the file, which
 *   would otherwise fold the lines between into one value).
 * - Linear time: a record cut by a chunk boundary keeps its complete fields and the offset where the scan
 *   of its open field stopped, and resumes there, never rescanning from the record's start. While a long
 *   record (over 64K characters) is still open, chunks are gathered until they are as long as the
 *   record, so joining the record's text with the next chunks copies each character O(1) times.
 *   Fields are sliced from the text, never built character by character.
 */

/** Default longest quoted field, in characters (UTF-16 code units): 1 MiB, far above any real field. */
export const DEFAULT_MAX_QUOTED_FIELD = 1 << 20;
const LONG_RECORD = 1 << 16;
const LINE_END = /[\r\n]/g;

export interface ParsedRecord {
  readonly fields: string[];
  /** The record's text as it stood in the file, without its line ending. */
  readonly raw: string;
  /** Set when field number `field` (0-based) opened a quote that went wrong; `raw` is then the record's
   * first line and `fields` only the fields before it. */
  readonly badQuote?: BadQuote;
}

export interface BadQuote {
  readonly field: number;
  /** No closing quote before the end of the input, or within the limit; or a closing quote, after a
   * line end, followed by text other than a delimiter or line end. */
  readonly why: "end" | "limit" | "closed-mid-field";
}

export class CsvParser {
  /** Text from the start of the open record. Offsets below are relative to it. */
  private carry = "";
  /** Chunks gathered while a long record is open, and their total length. */
  private gathered: string[] = [];
  private gatheredLength = 0;
  /** The open record's complete fields. */
  private fields: string[] = [];
  /** Where the open field starts, and where its scan resumes. */
  private fieldStart = 0;
  private scan = 0;
  /** No line end lies before this offset (when looking for the end of an unterminated record's first line). */
  private lineScan = 0;

  constructor(
    private readonly delimiter: string,
    private readonly maxQuotedField = DEFAULT_MAX_QUOTED_FIELD,
  ) {}

  /** Parses as many complete records as the text so far holds. */
  push(chunk: string, out: ParsedRecord[]): void {
    if (this.carry.length > LONG_RECORD) {
      this.gathered.push(chunk);
      this.gatheredLength += chunk.length;
      if (this.gatheredLength < this.carry.length) return;
      chunk = this.gathered.join("");
      this.gathered = [];
      this.gatheredLength = 0;
    }
    this.parse(this.carry + chunk, out, false);
  }

  /** Parses what is left at the end of the input. */
  finish(out: ParsedRecord[]): void {
    this.parse(this.carry + this.gathered.join(""), out, true);
    this.gathered = [];
    this.gatheredLength = 0;
  }

  private parse(text: string, out: ParsedRecord[], final: boolean): void {
    const d = this.delimiter.charCodeAt(0);
    const n = text.length;
    const max = this.maxQuotedField;
    let fields = this.fields;
    let rec = 0;
    let fs = this.fieldStart;
    let sc = this.scan;
    let ls = this.lineScan;
    const save = (): void => {
      this.carry = final ? "" : text.slice(rec);
      this.fields = final ? [] : fields;
      this.fieldStart = final ? 0 : fs - rec;
      this.scan = final ? 0 : sc - rec;
      this.lineScan = final ? 0 : ls - rec;
    };
    for (;;) {
      if (fs >= n && fs === rec) {
        save(); // no record open
        return;
      }
      let end: number; // just after the field's text: a delimiter, a line end, or n
      let resume: number; // where to scan again if the field's end must wait for more text
      let value: string;
      if (fs < n && text.charCodeAt(fs) === 34 /* " */) {
        let j = sc > fs ? sc : fs + 1;
        // The text so far, "" read as "; a field resumed after a chunk boundary unescapes its start once.
        let content = j > fs + 1 ? text.slice(fs + 1, j).replaceAll('""', '"') : "";
        let close = -1;
        for (;;) {
          const q = text.indexOf('"', j);
          if (q < 0 || q - fs - 1 > max) {
            j = q < 0 ? n : q;
            break;
          }
          if (q + 1 >= n && !final) {
            j = q; // a "" pair or the closing quote: the next chunk tells
            break;
          }
          if (text.charCodeAt(q + 1) === 34) {
            content += text.slice(j, q + 1);
            j = q + 2;
            continue;
          }
          content += text.slice(j, q);
          close = q;
          break;
        }
        let why: BadQuote["why"] | undefined;
        let k = close + 1;
        if (close < 0) {
          const overLimit = j - fs - 1 > max;
          if (!overLimit && !final) {
            sc = j;
            save();
            return;
          }
          why = overLimit ? "limit" : "end";
        } else {
          while (k < n) {
            const c = text.charCodeAt(k);
            if (c === d || c === 10 || c === 13) break;
            k++;
          }
          if (k >= n && !final) {
            sc = close;
            save();
            return;
          }
          // Text after a closing quote that ran over a line end: a stray quote closed by a later one.
          if (k > close + 1 && text.slice(close + 1, k).trim() !== "") {
            LINE_END.lastIndex = fs;
            const le = LINE_END.exec(text)?.index ?? n;
            if (le < close) why = "closed-mid-field";
          }
        }
        if (why) {
          // Reject the record's first line; resume on the next.
          LINE_END.lastIndex = Math.max(ls, rec);
          const le = LINE_END.exec(text)?.index ?? n;
          if (!final && (le === n || (le + 1 === n && text.charCodeAt(le) === 13))) {
            sc = j;
            ls = le;
            save();
            return;
          }
          out.push({ fields, raw: text.slice(rec, le), badQuote: { field: fields.length, why } });
          const next =
            le < n && text.charCodeAt(le) === 13 && text.charCodeAt(le + 1) === 10 ? le + 2 : le + 1;
          fields = [];
          rec = fs = sc = ls = Math.min(next, n);
          continue;
        }
        value = k > close + 1 ? content + text.slice(close + 1, k) : content;
        end = k;
        resume = close;
      } else {
        let k = Math.max(sc, fs);
        while (k < n) {
          const c = text.charCodeAt(k);
          if (c === d || c === 10 || c === 13) break;
          k++;
        }
        value = text.slice(fs, k);
        end = k;
        resume = k;
      }
      // The field ends at a delimiter or line end; at the end of the text only when the input ends.
      // A CR at the very end might be the first half of a CRLF: wait for the next chunk.
      if (!final && (end >= n || (end + 1 >= n && text.charCodeAt(end) === 13))) {
        sc = resume;
        save();
        return;
      }
      fields.push(value);
      if (end >= n) {
        out.push({ fields, raw: text.slice(rec, n) });
        fields = [];
        rec = fs = sc = ls = n;
        continue;
      }
      const c = text.charCodeAt(end);
      if (c === d) {
        fs = sc = end + 1;
        continue;
      }
      out.push({ fields, raw: text.slice(rec, end) });
      const next = c === 13 && text.charCodeAt(end + 1) === 10 ? end + 2 : end + 1;
      fields = [];
      rec = fs = sc = ls = next;
    }
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
