/**
 * The message-valued fields of OTLP's export requests, by field number, as {@link countOtlpItems} walks
 * them on the wire: which fields hold records (log records, spans, metric data points), which hold the
 * groups around them, and which hold nested items (attributes, array values, kvlist entries, events,
 * links, exemplars); packed numeric lists (histogram buckets) count one item per number.
 */
export type WireField =
  | { readonly kind: "group" | "record" | "nested"; readonly message: WireMessage }
  | { readonly kind: "packedFixed64" | "packedVarint"; readonly message?: undefined };

/** The fields of one message type that the walker enters or counts inside; other fields are counted and skipped. */
export type WireMessage = ReadonlyMap<number, WireField>;

type Fields = Map<number, WireField>;

const nested = (message: WireMessage): WireField => ({ kind: "nested", message });

// common/v1: AnyValue (array 5, kvlist 6), ArrayValue (values 1), KeyValueList (values 1), KeyValue (value 2).
const anyValue: Fields = new Map();
const keyValue: Fields = new Map([[2, nested(anyValue)]]);
anyValue.set(5, nested(new Map([[1, nested(anyValue)]])));
anyValue.set(6, nested(new Map([[1, nested(keyValue)]])));
/** Resource (attributes 1) and InstrumentationScope (attributes 3). */
const resource: WireMessage = new Map([[1, nested(keyValue)]]);
const scope: WireMessage = new Map([[3, nested(keyValue)]]);

/** A request: resource groups (1) of scope groups (2) of `records` (2), with the resource (1) and scope (1). */
function request(record: WireMessage, kind: "record" | "group" = "record"): WireMessage {
  const scoped: WireMessage = new Map<number, WireField>([
    [1, nested(scope)],
    [2, { kind, message: record }],
  ]);
  const resourced: WireMessage = new Map<number, WireField>([
    [1, nested(resource)],
    [2, { kind: "group", message: scoped }],
  ]);
  return new Map([[1, { kind: "group", message: resourced }]]);
}

/** `ExportLogsServiceRequest`: a LogRecord's body (5) and attributes (6). */
export const otlpLogsRequest: WireMessage = request(
  new Map([
    [5, nested(anyValue)],
    [6, nested(keyValue)],
  ]),
);

/** `ExportTraceServiceRequest`: a Span's attributes (9), events (11, attributes 3) and links (13, attributes 4). */
export const otlpTraceRequest: WireMessage = request(
  new Map([
    [9, nested(keyValue)],
    [11, nested(new Map([[3, nested(keyValue)]]))],
    [13, nested(new Map([[4, nested(keyValue)]]))],
  ]),
);

const exemplar = (attributes: number): WireMessage => new Map([[attributes, nested(keyValue)]]);
const points = (point: WireMessage): WireMessage => new Map([[1, { kind: "record", message: point }]]);
const numberPoint: WireMessage = new Map([
  [7, nested(keyValue)],
  [5, nested(exemplar(7))],
]);
const histogramPoint: WireMessage = new Map<number, WireField>([
  [9, nested(keyValue)],
  [8, nested(exemplar(7))],
  [6, { kind: "packedFixed64" }],
  [7, { kind: "packedFixed64" }],
]);
const buckets: WireMessage = new Map([[2, { kind: "packedVarint" }]]);
const exponentialPoint: WireMessage = new Map([
  [1, nested(keyValue)],
  [8, nested(buckets)],
  [9, nested(buckets)],
  [11, nested(exemplar(7))],
]);
const summaryPoint: WireMessage = new Map([
  [7, nested(keyValue)],
  [6, nested(new Map())],
]);

/**
 * `ExportMetricsServiceRequest`: a Metric's gauge (5), sum (7), histogram (9), exponential histogram (10)
 * or summary (11) holds the data points (1), the records counted; its metadata (12) is attributes.
 */
export const otlpMetricsRequest: WireMessage = request(
  new Map([
    [5, nested(points(numberPoint))],
    [7, nested(points(numberPoint))],
    [9, nested(points(histogramPoint))],
    [10, nested(points(exponentialPoint))],
    [11, nested(points(summaryPoint))],
    [12, nested(keyValue)],
  ]),
  "group",
);
