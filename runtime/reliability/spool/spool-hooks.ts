/** What a spool tells its sink. Each is called synchronously and must not throw. */
export interface SpoolHooks {
  /** A rate-limited diagnostic of `kind`. */
  readonly problem: (kind: string, message: string) => void;
  /** `count` spilled records were lost (failed write or read, corrupt or undecodable frame): the sink drops them as `spool_error`. */
  readonly lost: (count: number, problem: string) => void;
  /** A write completed: spilled records may now be read back. */
  readonly written: () => void;
}
