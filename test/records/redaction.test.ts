// Redaction in the data walk: default keys at any depth (case and separators ignored), extra keys
// and pino-style paths, each redaction counted; other values untouched.
import { describe, expect, it } from "vitest";
import type { Value } from "../../generated/index.js";
import { parsePath, Redaction } from "../../runtime/records/redaction.js";
import { createRepairCounts } from "../../runtime/records/repair.js";
import { safeData } from "../../runtime/records/safe-data.js";

/** The typed values back as plain JSON, to compare. */
function plain(v: Value | undefined): unknown {
  const kind = v?.kind;
  if (kind === undefined) return undefined;
  switch (kind.case) {
    case "mapValue":
      return plainMap(kind.value.fields);
    case "listValue":
      return kind.value.values.map(plain);
    case "intValue":
      return Number(kind.value);
    default:
      return kind.value;
  }
}
function plainMap(fields: { [key: string]: Value }): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, plain(v)]));
}
const redactedData = (data: unknown, redaction = new Redaction()): Record<string, unknown> =>
  plainMap(safeData(data, createRepairCounts(), undefined, redaction));

describe("Redaction", () => {
  it.each([
    "password",
    "Password",
    "PASSWD",
    "dbPassword",
    "secret",
    "client_secret",
    "token",
    "accessToken",
    "X-Auth-Token",
    "apiKey",
    "api_key",
    "API-KEY",
    "x-api-key",
    "DASH0_API_KEY",
    "authorization",
    "Authorization",
    "Proxy-Authorization",
    "cookie",
    "set-cookie",
    "Set-Cookie",
    "privateKey",
  ])("redacts %s by default", (key) => {
    const redaction = new Redaction();
    expect(redactedData({ [key]: "hunter2", user: "ann" }, redaction)).toEqual({ [key]: "[redacted]", user: "ann" });
    expect(redaction.count).toBe(1);
  });

  it.each(["tokens", "maxTokens", "tokenCount", "hasToken", "isSecret", "user", "passage", "cookies_enabled"])("keeps %s", (key) => {
    const redaction = new Redaction();
    expect(redactedData({ [key]: 3 }, redaction)).toEqual({ [key]: 3 });
    expect(redaction.count).toBe(0);
  });

  it("redacts at any depth, in maps, lists and Map objects, without reading the secret's value", () => {
    const redaction = new Redaction();
    const secretObject = {
      get inner(): string {
        throw new Error("read");
      },
    };
    const data = {
      req: { headers: { Authorization: "Bearer x", accept: "*/*" } },
      users: [{ name: "a", password: "p" }],
      m: new Map([["token", "t"]]),
      secret: secretObject,
    };
    expect(redactedData(data, redaction)).toEqual({
      req: { headers: { Authorization: "[redacted]", accept: "*/*" } },
      users: [{ name: "a", password: "[redacted]" }],
      m: { token: "[redacted]" },
      secret: "[redacted]",
    });
    expect(redaction.count).toBe(4);
  });

  it("adds keys from the redact option, matched the same way", () => {
    expect(redactedData({ ssn: "1", SSN: "2", card_Number: "3", other: "4" }, new Redaction(["ssn", "cardNumber"]))).toEqual({
      ssn: "[redacted]",
      SSN: "[redacted]",
      card_Number: "[redacted]",
      other: "4",
    });
  });

  it("redacts pino-style paths from the data's top, with wildcards and indexes", () => {
    const redaction = new Redaction(["user.card.number", 'headers["x-tenant"]', "users[*].email", "*.pin", "list[1]"]);
    const data = {
      user: { card: { number: "4111", brand: "visa" }, number: 7 },
      headers: { "x-tenant": "emp", host: "h" },
      users: [{ email: "a@x" }, { email: "b@x", id: 2 }],
      atm: { pin: 1234 },
      list: ["a", "b", "c"],
      number: 1,
    };
    expect(redactedData(data, redaction)).toEqual({
      user: { card: { number: "[redacted]", brand: "visa" }, number: 7 },
      headers: { "x-tenant": "[redacted]", host: "h" },
      users: [{ email: "[redacted]" }, { email: "[redacted]", id: 2 }],
      atm: { pin: "[redacted]" },
      list: ["a", "[redacted]", "c"],
      number: 1,
    });
    expect(redaction.count).toBe(6);
  });

  it("ignores paths that lead nowhere", () => {
    const redaction = new Redaction(["a.b.c", "x[*].y"]);
    expect(redactedData({ a: { b: "leaf" }, x: "text" }, redaction)).toEqual({ a: { b: "leaf" }, x: "text" });
    expect(redaction.count).toBe(0);
  });

  it("parses paths as pino writes them", () => {
    expect(parsePath("a.b")).toEqual(["a", "b"]);
    expect(parsePath('a["b.c"][0]')).toEqual(["a", "b.c", "0"]);
    expect(parsePath("a[*].b").map(String)).toEqual(["a", "Symbol(*)", "b"]);
    expect(parsePath('["*"]')).toEqual(["*"]);
  });
});
