/**
 * `@emp/telemetry/bridges`: route an existing logger's output through the client during a migration.
 * `createWinstonTransport(telemetry.log)` is a winston transport (needs the optional peer
 * `winston-transport`, which every winston install has); `createPinoDestination(telemetry.log)` is a
 * pino destination stream.
 */
export type { BridgeLevel, BridgeTarget } from "./bridge-target.js";
export { createWinstonTransport, winstonTransportDefaults } from "./winston-transport.js";
export type { WinstonBridgeTransport, WinstonTransportCounters, WinstonTransportOptions } from "./winston-transport.js";
export { createPinoDestination, pinoDestinationDefaults } from "./pino-destination.js";
export type { PinoDestination, PinoDestinationCounters, PinoDestinationOptions } from "./pino-destination.js";
