// Values an attacker (or a buggy app) hands the client: objects telemetry cannot read.

/** A Proxy every trap of which throws `thrown` (an Error by default). */
export function throwingProxy(thrown: () => unknown = () => new Error("hostile")): object {
  const boom = (): never => {
    throw thrown();
  };
  return new Proxy({}, { get: boom, has: boom, ownKeys: boom, getPrototypeOf: boom, getOwnPropertyDescriptor: boom });
}

/** A revoked Proxy: every operation on it, `instanceof` included, throws a TypeError. */
export function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}
