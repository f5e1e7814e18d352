/**
 * A table of text cells, as the report pages and the comparison show it
 * (`tableHtml` in html.ts, `tableMarkdown` in markdown.ts).
 */

/** A table of text cells; `columns` are the header. */
export interface Table {
  readonly id: string;
  readonly title: string;
  readonly note?: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}
