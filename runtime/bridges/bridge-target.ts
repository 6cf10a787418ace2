/**
 * The severity a bridged record is written at: the client's log levels. Bridges map every source
 * level (winston's names, pino's numbers) onto one of these.
 */
export type BridgeLevel = "debug" | "info" | "warn" | "error" | "fatal";

/**
 * Where bridged records go: the client's log API implements it. Never throws.
 *
 * Bridges still guard every call: a target that throws anyway is counted (`targetErrors`) and
 * reported once through the bridge's `onDiagnostic`, and the logging call that produced the record
 * carries on as if it had succeeded.
 */
export interface BridgeTarget {
  /**
   * Writes one record.
   * @param level the mapped severity.
   * @param message the record's message, always a string (`""` when the source had none).
   * @param data the record's other fields (meta, bindings), a fresh shallow object owned by the
   *   target; `undefined` when there are none.
   * @param error the error the record carries (an `Error`, rebuilt from a serialized one when the
   *   source only had its fields), with its `stack` and `cause`; `undefined` when there is none.
   */
  write(level: BridgeLevel, message: string, data?: Record<string, unknown>, error?: unknown): void;
}
