export { createFluentLogEncoder } from "./fluent-log-encoder.js";
