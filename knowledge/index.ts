// The knowledge base: the model of matter guides and FAQ entries, the SQLite
// store, and the importers and exporters for real government sources.

// Commonly used
export * from './model.ts';
export { KnowledgeError, KnowledgeErrorCodes, fillMessage, type KnowledgeErrorCode } from './errors.ts';
export { checkEntry, assertEntry, type FieldProblem } from './validate.ts';
export {
  KnowledgeStore, openDatabase, contentHash, statement,
  type Db, type WriteOptions, type SaveOptions, type ListFilter, type ImportOutcome,
  type VersionInfo, type AuditRecord, type KnowledgeStats, type Changes,
} from './store.ts';
export { checkpointInBackground, type Checkpointer } from './checkpoint.ts';
export { importParsed, type ImportReport } from './import.ts';
export { ImportFormats, importSource, parseSource, isImportFormat, type ImportFormat } from './sources.ts';
export { ExportFormats, exportKnowledge, type ExportFormat, type ExportResult } from './export.ts';
export { importDemo, seedDemoIfEmpty, DemoFiles } from './demo.ts';
export type { ParsedSource, ParsedRecord, SourceProblem, SourceParser } from './formats/types.ts';

// For other parts that keep their own tables in the same database file
export { migrateNamed } from './migrations.ts';
