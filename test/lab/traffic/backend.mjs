// A site's service behind its internal load balancer, for the traffic lab (test/lab/traffic.test.ts): answers every path with its
// site name (body and x-site header), /healthz with 200. Binds only the address it is given.
// Usage: node backend.mjs <host> <port> <site> [delayMs]
import http from "node:http";

const [host, portText, site, delayText] = process.argv.slice(2);
if (!host || !portText || !site) {
  console.error("usage: node backend.mjs <host> <port> <site> [delayMs]");
  process.exit(2);
}
const delayMs = Number(delayText ?? "0");

const server = http.createServer((req, res) => {
  const reply = () => {
    const body = req.url === "/healthz" ? "ok\n" : `${site}\n`;
    res.writeHead(200, {
      "content-type": "text/plain",
      "x-site": site,
      "content-length": Buffer.byteLength(body),
    });
    res.end(body);
  };
  // Drain the request body before answering, so POSTs behave like a real service.
  req.on("data", () => {});
  req.on("end", () => (delayMs > 0 && req.url !== "/healthz" ? setTimeout(reply, delayMs) : reply()));
});
server.keepAliveTimeout = 30_000;
server.listen(Number(portText), host, () => console.log(`backend ${site} on ${host}:${portText}`));
