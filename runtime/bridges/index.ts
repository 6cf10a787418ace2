export type { BridgeLevel, BridgeTarget } from "./bridge-target.js";
export {
  createWinstonTransport,
  resolveWinstonTransportOptions,
  winstonLevelKey,
  winstonLevelMap,
  winstonTransportDefaults,
} from "./winston-transport.js";
export type {
  ResolvedWinstonTransportOptions,
  WinstonBridgeTransport,
  WinstonTransportCounters,
  WinstonTransportOptions,
} from "./winston-transport.js";
export {
  mapPinoLevel,
  createPinoDestination,
  pinoDestinationDefaults,
  pinoLevelKey,
  pinoReservedKeys,
  resolvePinoDestinationOptions,
} from "./pino-destination.js";
export type {
  PinoDestination,
  PinoDestinationCounters,
  PinoDestinationOptions,
  ResolvedPinoDestinationOptions,
} from "./pino-destination.js";
