// What every source format parser hands to the importer: candidate entries with
// where each came from, and the rows it could not even read.
export interface SourceProblem {
  /** "line 12", "row 5": where the staff member should look. */
  location: string;
  reason: string;
  id?: string;
}

export interface ParsedRecord {
  location: string;
  /** Not yet validated: the importer checks it against the model. */
  entry: unknown;
}

export interface ParsedSource {
  records: ParsedRecord[];
  problems: SourceProblem[];
}

export type SourceParser = (path: string) => Promise<ParsedSource>;
