// The answer-accuracy suite: case files in, the contract's figures out.
export { readCases, parseCases, CaseFileError, type EvalCase, type CaseTurn, type Expectation } from './cases.ts';
export { runCases, type Conversant, type RunResult, type TurnResult, type Outcome } from './run.ts';
export { summarize, percentile, type Report, type Failure } from './metrics.ts';
export { renderHtml, type HtmlOptions } from './html.ts';
export { compareReports, readReport } from './compare.ts';
