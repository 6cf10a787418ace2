import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { tempDir } from "./daemons.js";

/** A self-signed PEM certificate for 127.0.0.1 (and localhost) made with the openssl CLI. */
export function selfSignedCertificate(): { key: string; cert: string } {
  const temp = tempDir("forward-tls-");
  try {
    const keyPath = path.join(temp.dir, "key.pem");
    const certPath = path.join(temp.dir, "cert.pem");
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        keyPath,
        "-out",
        certPath,
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1,DNS:localhost",
      ],
      { stdio: "ignore", timeout: 20000 },
    );
    return { key: readFileSync(keyPath, "utf8"), cert: readFileSync(certPath, "utf8") };
  } finally {
    temp.remove();
  }
}
