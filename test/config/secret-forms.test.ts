import { describe, expect, it } from "vitest";
import { scrubKnownSecrets } from "../../runtime/config/known-secrets.js";
import { Secret } from "../../runtime/config/secret.js";
import { secretForms } from "../../runtime/config/secret-forms.js";
import { headerSecrets } from "../../runtime/transports/http/http-options.js";
import { httpResultOf } from "../../runtime/transports/http/http-result.js";

const basic = Buffer.from("emp-user:pa55/w0rd").toString("base64");

describe("secretForms", () => {
  it("gives the Bearer credential, URL-encoded and JSON-escaped forms", () => {
    expect(secretForms('Bearer auth_k/e"y')).toEqual(expect.arrayContaining(['Bearer auth_k/e"y', 'auth_k/e"y', "auth_k%2Fe%22y", 'auth_k/e\\"y']));
  });

  it("gives Basic's base64, user:password and password", () => {
    expect(secretForms(`Basic ${basic}`)).toEqual(expect.arrayContaining([basic, "emp-user:pa55/w0rd", "pa55/w0rd", "pa55%2Fw0rd"]));
  });

  it("leaves out forms too short to scrub", () => {
    expect(secretForms("Bearer abc")).toEqual(["Bearer abc", "Bearer%20abc"]);
  });
});

describe("scrubKnownSecrets", () => {
  it("scrubs every form of a live Secret and keeps [redacted] whole", () => {
    const secret = new Secret("Bearer zz_live_token_1");
    expect(scrubKnownSecrets("bad zz_live_token_1, [redacted], Bearer zz_live_token_1")).toBe("bad [redacted], [redacted], [redacted]");
    expect(secret.reveal()).toBe("Bearer zz_live_token_1");
  });
});

describe("an HTTP transport's own secrets (headers given as plain strings)", () => {
  it("scrub the bare credential of an Authorization header from a quoted body", () => {
    const secrets = headerSecrets({ authorization: `Basic ${basic}` });
    const body = Buffer.from(`user emp-user:pa55/w0rd, password pa55%2Fw0rd, token ${basic}`);
    const result = httpResultOf(
      { kind: "response", status: 401, headers: {}, body },
      { peer: "receiver", authHint: "check the headers", retryableStatuses: new Set(), secrets },
    );
    expect(result.status).toBe("failed");
    const message = result.status === "failed" ? result.error.message : "";
    expect(message).toContain("user [redacted], password [redacted], token [redacted]");
  });
});
