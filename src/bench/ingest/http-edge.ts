/**
 * The sender's edge: plain node:http(s) over keep-alive sockets. The write path sends thousands
 * of small requests a second on a shared machine; nano's fetch costs several times the CPU per
 * request, which would make couchbench, not CouchDB, the limit at high rates.
 */
import http from "node:http";
import https from "node:https";

export interface HttpAnswer {
  status: number;
  body: string;
}

export class HttpEdge {
  private readonly base: URL;
  private readonly agent: http.Agent;
  private readonly authorization?: string;

  constructor(url: string, maxSockets: number) {
    const parsed = new URL(url);
    if (parsed.username) {
      const user = decodeURIComponent(parsed.username);
      const password = decodeURIComponent(parsed.password);
      this.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
    }
    parsed.username = "";
    parsed.password = "";
    this.base = parsed;
    const Agent = parsed.protocol === "https:" ? https.Agent : http.Agent;
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  /** Resolves with any HTTP status; rejects on a network error or when `signal` fires. */
  request(method: string, path: string, body: string | undefined, signal: AbortSignal): Promise<HttpAnswer> {
    const url = new URL(path, this.base.href.endsWith("/") ? this.base.href : `${this.base.href}/`);
    const transport = url.protocol === "https:" ? https : http;
    return new Promise((resolve, reject) => {
      const request = transport.request(
        url,
        {
          method,
          agent: this.agent,
          signal,
          headers: {
            accept: "application/json",
            ...(this.authorization ? { authorization: this.authorization } : {}),
            ...(body !== undefined
              ? { "content-type": "application/json", "content-length": Buffer.byteLength(body) }
              : {}),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () =>
            resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
          );
          response.on("error", reject);
        },
      );
      request.on("error", reject);
      request.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
