import { inspect } from "node:util";
import type { EncodedBatch, SendResult, Transport } from "./transport.js";
import { TransportError } from "./transport-error.js";

/**
 * A {@link Transport} whose implementation is imported on its first `send`: a service pays for a
 * transport's modules (and Node's `net`, `tls`, `http`, `https`, `zlib`) when it first sends, off its
 * start-up path, and never for a transport it does not use. `load` is called at most once; its
 * options should be checked before (at configuration time), so that `load` only imports and builds.
 *
 * Failure behaviour: never throws, never rejects. If `load` fails, every `send` resolves `failed`
 * (`internal`, the reason in the message) and `close` resolves.
 */
export function createLazyTransport<B extends EncodedBatch = EncodedBatch>(name: string, load: () => Promise<Transport<B>>): Transport<B> {
  return new LazyTransport(name, load);
}

class LazyTransport<B extends EncodedBatch> implements Transport<B> {
  readonly name: string;
  readonly #load: () => Promise<Transport<B>>;
  #loaded: Promise<Transport<B> | TransportError> | undefined;
  #closed = false;

  constructor(name: string, load: () => Promise<Transport<B>>) {
    this.name = name;
    this.#load = load;
  }

  async send(batch: B, signal?: AbortSignal): Promise<SendResult> {
    if (this.#closed) return { status: "failed", error: new TransportError("transport closed", "shutdown") };
    const transport = await this.#transport();
    if (transport instanceof TransportError) return { status: "failed", error: transport };
    return transport.send(batch, signal);
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#loaded === undefined) return;
    const transport = await this.#loaded;
    if (!(transport instanceof TransportError)) await transport.close();
  }

  [inspect.custom](): string {
    return `LazyTransport { name: ${JSON.stringify(this.name)}, loaded: ${this.#loaded !== undefined} }`;
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, loaded: this.#loaded !== undefined };
  }

  #transport(): Promise<Transport<B> | TransportError> {
    this.#loaded ??= this.#load().catch(
      (error: unknown) => new TransportError(`cannot load the ${this.name} transport: ${error instanceof Error ? error.message : String(error)}`, "internal"),
    );
    return this.#loaded;
  }
}
