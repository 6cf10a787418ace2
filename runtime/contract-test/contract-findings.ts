/** One finding of a contract test. */
export interface ContractFinding {
  readonly service: string;
  readonly rule: "schema" | "attribution" | "required-key" | "correlation" | "alias-key" | "unknown-key";
  /** The record key (or contract path) the finding is about: what findings are grouped by. */
  readonly key: string;
  /** What is wrong, in words (validator rule ids and texts are translated, see `readableViolation`). */
  readonly message: string;
  /** The record's signal and arrival number at the collector. */
  readonly signal: string;
  readonly seq: number;
}

/** The findings of one rule about one key, counted. */
export interface FindingGroup {
  readonly rule: ContractFinding["rule"];
  readonly key: string;
  /** The message of the group's first finding (they differ only in values, such as a trace id). */
  readonly message: string;
  readonly count: number;
  /** Per service, how many findings on each signal. */
  readonly services: readonly { readonly service: string; readonly signals: Readonly<Record<string, number>> }[];
  /** The first record with the finding, as `service signal#seq`. */
  readonly first: string;
}

/**
 * Groups findings by rule and key (58 findings about `port` and `component` are two lines), most
 * frequent first, then by rule and key. Pure.
 */
export function groupFindings(findings: readonly ContractFinding[]): FindingGroup[] {
  const groups = new Map<
    string,
    { rule: ContractFinding["rule"]; key: string; message: string; first: string; count: number; services: Map<string, Map<string, number>> }
  >();
  for (const f of findings) {
    const id = `${f.rule}\u0000${f.key}`;
    let g = groups.get(id);
    if (g === undefined) {
      g = { rule: f.rule, key: f.key, message: f.message, first: `${f.service} ${f.signal}#${String(f.seq)}`, count: 0, services: new Map() };
      groups.set(id, g);
    }
    g.count++;
    let signals = g.services.get(f.service);
    if (signals === undefined) g.services.set(f.service, (signals = new Map()));
    signals.set(f.signal, (signals.get(f.signal) ?? 0) + 1);
  }
  return [...groups.values()]
    .sort((a, b) => b.count - a.count || a.rule.localeCompare(b.rule) || a.key.localeCompare(b.key))
    .map((g) => ({
      rule: g.rule,
      key: g.key,
      message: g.message,
      count: g.count,
      services: [...g.services].map(([service, signals]) => ({ service, signals: Object.fromEntries(signals) })),
      first: g.first,
    }));
}
