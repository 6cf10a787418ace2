export { OptionProblems, maxTimerMs } from "./option-problems.js";
export type { ProblemValueOptions } from "./option-problems.js";
export { withRedactedView } from "./redacted-view.js";
