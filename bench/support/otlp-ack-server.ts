// OTLP receivers in their own process, for the protocol benchmark: an HTTP/1.1 server answering every
// POST 200 (an empty protobuf body, or `{}` for JSON), and an h2c server answering every gRPC call OK
// with an empty message. Neither decodes: the benchmark measures the sender's CPU. Sends its ports by IPC.
import { createServer } from "node:http";
import { createServer as createH2cServer } from "node:http2";
import type { AddressInfo } from "node:net";

const http = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    const json = req.headers["content-type"] === "application/json";
    res.writeHead(200, { "content-type": json ? "application/json" : "application/x-protobuf" });
    res.end(json ? "{}" : undefined);
  });
});
http.keepAliveTimeout = 60_000;

/** A gRPC message envelope of an empty message: not compressed, length 0. */
const emptyMessage = Buffer.alloc(5);
// A window as large as a collector's (grpc-go grows its window to the bandwidth-delay product), so a
// batch is not held back by the 64 KiB HTTP/2 default.
const grpc = createH2cServer({ settings: { initialWindowSize: 4 << 20 } }, (req, res) => {
  req.resume();
  req.on("end", () => {
    res.writeHead(200, { "content-type": "application/grpc+proto" });
    res.addTrailers({ "grpc-status": "0" });
    res.end(emptyMessage);
  });
});
grpc.on("session", (session) => session.setLocalWindowSize(4 << 20));

let listening = 0;
const ready = (): void => {
  if (++listening < 2) return;
  process.send?.({ httpPort: (http.address() as AddressInfo).port, grpcPort: (grpc.address() as AddressInfo).port });
};
http.listen(0, "127.0.0.1", ready);
grpc.listen(0, "127.0.0.1", ready);
process.on("disconnect", () => process.exit(0));
