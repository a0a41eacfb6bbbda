/**
 * One cell of a CSV file kei writes (the rejects file, the event log export), safe to open in a
 * spreadsheet and read back by any CSV reader.
 *
 * Rules, in order:
 * 1. Formula injection (CWE-1236): a cell starting with `=`, `+`, `-`, `@`, tab or carriage return is
 *    run as a formula by Excel, LibreOffice Calc or Google Sheets. Such a cell gets a leading single
 *    quote `'` (spreadsheets show the rest as text) and is quoted, unless it is a plain number
 *    (`-3`, `+2`, `-1.5`, `1e5`: PLAIN_NUMBER below), which stays as is.
 * 2. Quoting (RFC 4180): a cell holding `"`, `,`, `;`, CR or LF, or starting or ending with whitespace,
 *    is written between double quotes with each `"` doubled, so it reads back the same with comma or
 *    semicolon as delimiter and with readers that trim unquoted cells.
 */

const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",;\n\r]/;

export function csvField(value: string | number): string {
  let s = String(value);
  let quote = NEEDS_QUOTES.test(s) || s !== s.trim();
  if (FORMULA_START.test(s) && !PLAIN_NUMBER.test(s)) {
    s = `'${s}`;
    quote = true;
  }
  return quote ? `"${s.replaceAll('"', '""')}"` : s;
}
