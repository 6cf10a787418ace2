export { safeData } from "./safe-data.js";
export { safeString } from "./safe-string.js";
export { errorInfoFromUnknown } from "./error-info.js";
export { createRepairCounts, repairLimits, totalRepairs } from "./repair.js";
export type { RepairCounts } from "./repair.js";
export { probeIdKey } from "./probe-key.js";
export { ownKeyCount } from "./own-key-count.js";
