/** An attribute value a measurement may carry, as OpenTelemetry's: a primitive or a list of primitives. */
export type MetricAttributeValue = string | number | boolean | readonly (string | number | boolean)[];

/** A measurement's attributes: keys to {@link MetricAttributeValue}s (`undefined` and `null` values are left out). */
export type MetricAttributes = Readonly<Record<string, MetricAttributeValue | undefined | null>>;

/** One trie level: the attribute keys seen after a node, each with its values' child nodes. */
class TrieNode<S> {
  series: S | undefined = undefined;
  readonly keys: string[] = [];
  readonly children: Map<unknown, TrieNode<S>>[] = [];
}

/** The outcome of {@link SeriesTable.insert}: the series, whether it is the overflow series, or `invalid`. */
export type Admission<S> = { readonly series: S; readonly overflow: boolean } | undefined;

/** Normalized attributes of a new attribute set: sorted by key, `undefined`/`null` left out. */
export type AttributePairs = readonly (readonly [string, string | number | boolean | readonly (string | number | boolean)[]])[];

/**
 * Series of one instrument by attribute set, bounded. The hot path ({@link find}) walks a trie
 * keyed by the attributes' keys and values in the caller's key order: one string comparison and one
 * Map lookup per attribute, no allocation. A miss goes to {@link insert} (the slow path, once per new
 * attribute set and key order): it normalizes the set (sorted keys), finds or makes its series under
 * a canonical key, so that `{a, b}` and `{b, a}` share one series, and links the trie path to it.
 *
 * Bounds: at most `maxSeries` series (then {@link insert} gives the overflow series) and at most
 * `4 × maxSeries + 64` trie nodes (past that new paths are not linked and go the slow path, still
 * correct). Lists are not linked, so attributes with a list value always take the slow path.
 */
export class SeriesTable<S> {
  readonly #maxSeries: number;
  readonly #maxNodes: number;
  #root = new TrieNode<S>();
  #byCanonical = new Map<string, S>();
  #nodes = 1;

  constructor(maxSeries: number) {
    this.#maxSeries = maxSeries;
    this.#maxNodes = 4 * maxSeries + 64;
  }

  /** Series made so far. */
  get size(): number {
    return this.#byCanonical.size;
  }

  /** Every series, in creation order. */
  series(): IterableIterator<S> {
    return this.#byCanonical.values();
  }

  /** Hot path: the series of `attributes` when this key order and these values were seen before, else `undefined`. */
  find(attributes: object | undefined): S | undefined {
    let node = this.#root;
    if (attributes !== undefined && attributes !== null) {
      const record = attributes as Record<string, unknown>;
      for (const key in record) {
        const value = record[key];
        if (value === undefined || value === null) continue;
        if (typeof value === "object") return undefined;
        const keys = node.keys;
        let i = 0;
        while (i < keys.length && keys[i] !== key) i++;
        if (i === keys.length) return undefined;
        const next = node.children[i]!.get(value);
        if (next === undefined) return undefined;
        node = next;
      }
    }
    return node.series;
  }

  /**
   * Slow path after a {@link find} miss: the series of this attribute set, made with `create` (given
   * the normalized pairs) when new and the table has room, else the one `overflow()` gives; the trie
   * path is linked to it. `undefined` when a value is not a primitive or a list of them, or `create`
   * refuses the set. Never throws unless `create` or `overflow` does.
   */
  insert(attributes: object | undefined, create: (pairs: AttributePairs) => S | undefined, overflow: () => S): Admission<S> {
    const pairs = normalize(attributes);
    if (pairs === undefined) return undefined;
    const canonical = JSON.stringify(pairs);
    let series = this.#byCanonical.get(canonical);
    if (series === undefined) {
      if (this.#byCanonical.size >= this.#maxSeries) {
        const o = overflow();
        this.#link(attributes, o);
        return { series: o, overflow: true };
      }
      series = create(pairs);
      if (series === undefined) return undefined;
      this.#byCanonical.set(canonical, series);
    }
    this.#link(attributes, series);
    return { series, overflow: false };
  }

  /** Forgets every series and trie node (delta temporality drops idle series this way). */
  clear(): void {
    this.#root = new TrieNode<S>();
    this.#byCanonical = new Map<string, S>();
    this.#nodes = 1;
  }

  #link(attributes: object | undefined, series: S): void {
    let node = this.#root;
    if (attributes !== undefined && attributes !== null) {
      const record = attributes as Record<string, unknown>;
      for (const key in record) {
        const value = record[key];
        if (value === undefined || value === null) continue;
        if (typeof value === "object") return; // lists: slow path each time
        let i = node.keys.indexOf(key);
        if (i < 0) {
          if (this.#nodes >= this.#maxNodes) return;
          i = node.keys.push(key) - 1;
          node.children.push(new Map());
        }
        const children = node.children[i]!;
        let next = children.get(value);
        if (next === undefined) {
          if (this.#nodes >= this.#maxNodes) return;
          next = new TrieNode<S>();
          children.set(value, next);
          this.#nodes++;
        }
        node = next;
      }
    }
    node.series = series;
  }
}

/** The attribute set's pairs sorted by key; `undefined` when a value is not a primitive or a list of primitives. */
function normalize(attributes: object | undefined): AttributePairs | undefined {
  if (attributes === undefined || attributes === null) return [];
  if (typeof attributes !== "object") return undefined;
  const pairs: [string, string | number | boolean | (string | number | boolean)[]][] = [];
  const record = attributes as Record<string, unknown>;
  for (const key in record) {
    const value = record[key];
    if (value === undefined || value === null) continue;
    if (isPrimitive(value)) pairs.push([key, value]);
    else if (Array.isArray(value) && value.every(isPrimitive)) pairs.push([key, [...(value as (string | number | boolean)[])]]);
    else return undefined;
  }
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return pairs;
}

function isPrimitive(value: unknown): value is string | number | boolean {
  const t = typeof value;
  return t === "string" || t === "number" || t === "boolean";
}
