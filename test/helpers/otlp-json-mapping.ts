/**
 * OTLP's JSON mapping as a receiver checks it (independent of our encoders): lowerCamelCase property
 * names, trace and span ids as hex (not base64), enums as integers, 64-bit integers and times as decimal strings.
 */
const camelKey = /^[a-z][A-Za-z0-9]*$/;
const enumKeys = new Set(["kind", "code", "severityNumber", "aggregationTemporality"]);

/** Every problem of `value` under OTLP's JSON mapping: property names, id encoding, enum and int64 types. */
export function jsonMappingProblems(value: unknown, path = "$"): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => jsonMappingProblems(item, `${path}[${i}]`));
  if (typeof value !== "object" || value === null) return [];
  const problems: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    const at = `${path}.${key}`;
    if (!camelKey.test(key)) problems.push(`${at}: not lowerCamelCase`);
    if (key === "traceId" && !/^[0-9a-f]{32}$/.test(String(v))) problems.push(`${at}: not 32 hex digits`);
    if ((key === "spanId" || key === "parentSpanId") && !/^[0-9a-f]{16}$/.test(String(v))) problems.push(`${at}: not 16 hex digits`);
    if (enumKeys.has(key) && !Number.isInteger(v)) problems.push(`${at}: enum not an integer`);
    if ((key.endsWith("UnixNano") || key === "intValue" || key === "asInt") && !(typeof v === "string" && /^-?\d+$/.test(v)))
      problems.push(`${at}: int64 not a decimal string`);
    problems.push(...jsonMappingProblems(v, at));
  }
  return problems;
}
