import { readFileSync } from "node:fs";
import type { SettingReader } from "./read-setting.js";

const pemCertificate = "-----BEGIN CERTIFICATE-----";

/**
 * Reads the PEM CA files of `OTEL_EXPORTER_OTLP_[SIGNAL_]CERTIFICATE` at configuration time, each
 * path once: an unreadable file or one without a PEM certificate is a problem (the key names the
 * variable or option). Returns the PEM text, or `undefined` after reporting. Sync on purpose: it runs
 * once, in the constructor, so a bad path fails fast.
 */
export function createCertificateReader(reader: SettingReader): (key: string, path: string) => string | undefined {
  const read = new Map<string, string | undefined>();
  return (key, path) => {
    if (read.has(path)) return read.get(path);
    let pem: string | undefined;
    try {
      const text = readFileSync(path, "utf8");
      if (text.includes(pemCertificate)) pem = text;
      else reader.problem(key, path, false, "is not a PEM file of CA certificates (no BEGIN CERTIFICATE block)", `${key}=/etc/ssl/collector-ca.pem`);
    } catch (error: unknown) {
      const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
      reader.problem(key, path, false, `cannot be read (${code}): give the path of a readable PEM file`, `${key}=/etc/ssl/collector-ca.pem`);
    }
    read.set(path, pem);
    return pem;
  };
}
