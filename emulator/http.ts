// Small HTTP helpers shared by the Tencent endpoint and the inspection API.
import type { IncomingMessage, ServerResponse } from "node:http";

/** Tencent's documented maximum request body. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** Past this we stop draining an oversized body and drop the connection. */
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

export interface BodyResult {
  body: Buffer;
  tooLarge: boolean;
}

/**
 * Reads the whole body, keeping at most `limit` bytes. An oversized body is drained (not kept) so
 * the client, still uploading, can read the error envelope instead of seeing a reset.
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<BodyResult> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > MAX_DRAIN_BYTES) req.destroy();
    });
    req.on("end", () =>
      resolve({ body: size <= limit ? Buffer.concat(chunks) : Buffer.alloc(0), tooLarge: size > limit }),
    );
    req.on("error", reject);
    req.on("close", () => {
      if (!req.complete) reject(new Error("request closed before its body ended"));
    });
  });
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  if (res.destroyed || res.writableEnded) return;
  const text = JSON.stringify(value);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
  });
  res.end(text);
}
