interface Hole {
  readonly start: number;
  count: number;
}

/**
 * Maps the sink's count of settled records to the spool's ordinals (admission order), so that a
 * segment is deleted only once every record in it is settled.
 *
 * The sink settles records in admission order, except spilled records the spool lost (a failed
 * write, a corrupt frame read back): those are settled when lost, possibly before older records.
 * They are kept here as holes: with `settled` records settled, of which `lost` were holes, the
 * ordinals below {@link SettledPrefix.end} are all settled. Consecutive holes merge; holes below the
 * prefix are folded away, so the list stays as short as the failures are rare.
 */
export class SettledPrefix {
  readonly #holes: Hole[] = [];
  /** Records of holes already folded below the prefix. */
  #folded = 0;
  /** Records of every hole ever added. */
  #lost = 0;

  /** Records lost so far (every hole's records). */
  get lost(): number {
    return this.#lost;
  }

  /** Records at ordinals `start .. start + count - 1` were lost (settled out of order). */
  addHole(start: number, count: number): void {
    if (count <= 0) return;
    this.#lost += count;
    const holes = this.#holes;
    let at = holes.length;
    while (at > 0 && (holes[at - 1] as Hole).start > start) at--;
    const before = holes[at - 1];
    if (before !== undefined && before.start + before.count === start) {
      before.count += count;
      return;
    }
    const after = holes[at];
    if (after !== undefined && start + count === after.start) {
      holes[at] = { start, count: count + after.count };
      return;
    }
    holes.splice(at, 0, { start, count });
  }

  /** The ordinal below which every record is settled, when the sink has settled `settled` records (holes included). */
  end(settled: number): number {
    let end = settled - this.#lost + this.#folded;
    const holes = this.#holes;
    while (holes.length > 0 && (holes[0] as Hole).start <= end) {
      const hole = holes.shift() as Hole;
      end += hole.count;
      this.#folded += hole.count;
    }
    return end;
  }
}
